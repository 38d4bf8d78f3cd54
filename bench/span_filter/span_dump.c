/* Experiment tool: for each candidate span of the tagger, one TSV row of
 * numbers the span filter prototype reads.
 * usage: span_dump MODEL THRESHOLD(-1 = tuned) PATH... > out.tsv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "slant.h"
#include "analyze.h"
#include "corpus.h"
#include "crf.h"

int main(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: span_dump MODEL THR LOWRATIO GAP PATH...\n"); return 2; }
    slant_error err;
    slant_model *m = NULL;
    if (slant_model_load(argv[1], &m, &err) != SLANT_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    slant_options opt;
    slant_options_init(&opt);
    double thr = atof(argv[2]), ratio = atof(argv[3]);
    int gap = atoi(argv[4]);
    if (thr >= 0) {
        m->tagger.decoding.threshold = thr;
        m->tagger.decoding.low = thr * ratio;
        m->tagger.decoding.gap = (uint32_t)gap;
    }
    corpus_paths cp;
    corpus_paths_init(&cp);
    for (int i = 5; i < argc; i++)
        if (corpus_paths_add(&cp, argv[i], &err) != SLANT_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    analyze_work w;
    analyze_work_init(&w);
    int L = m->tagger.L;
    double *marg = NULL, *work = NULL; size_t cap = 0;
    printf("id\tstart\tend\tfirst\tlast\tntok\tnword\tmean_p\tmax_p\tmin_p\tp_first\tp_last\tp_prev\tp_next"
           "\tpb_first\tpb_inner_max\tpb_next\tsent\tsent_ntok\tsent_pos\tsent_max_out\tsent_mean\tn_sent\tdoc_ntok\tdoc_score"
           "\temit_mean\temit_max\temit_min\temit_first_bi\tcross_sent\tn_tech\ttech0\ttech1");
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++) printf("\tp%d", k);
    printf("\n");
    for (size_t a = 0; a < cp.len; a++) {
        char id[LAB_ID_MAX];
        corpus_id_from_path(cp.paths[a], id);
        if (text_read_file(&w.text, cp.paths[a], 0, &err) != SLANT_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
        slant_result *r = NULL;
        if (analyze_loaded(m, &w, &w.text, &opt, &r, &err) != SLANT_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
        const tok_doc *d = &w.doc;
        size_t T = d->n_tokens;
        const double *p = w.tagger.p_span, *e = w.tagger.emit;
        if (T * (size_t)L > cap) {
            cap = T * (size_t)L;
            marg = realloc(marg, cap * sizeof *marg);
            work = realloc(work, (cap + T) * sizeof *work);
        }
        int have_b = T ? crf_marginals_scaled((int)T, L, e, m->tagger.trans, m->tagger.start, marg, work) : 0;
        for (size_t i = 0; i < w.spans.len; i++) {
            const tagger_span *s = &w.spans.items[i];
            const tok_token *ta = &d->tokens[s->first], *tb = &d->tokens[s->last - 1];
            size_t nword = 0;
            double mx = 0, mn = 1, em_sum = 0, em_max = -1e9, em_min = 1e9, pb_in = 0;
            for (uint32_t t = s->first; t < s->last; t++) {
                if (d->tokens[t].kind == TOK_WORD) nword++;
                if (p[t] > mx) mx = p[t];
                if (p[t] < mn) mn = p[t];
                const double *et = e + (size_t)t * (size_t)L;
                double best = et[1];
                for (int y = 2; y < L; y++) if (et[y] > best) best = et[y];
                double lo = best - et[0];
                em_sum += lo;
                if (lo > em_max) em_max = lo;
                if (lo < em_min) em_min = lo;
                if (t > s->first && have_b && marg[(size_t)t * (size_t)L + 1] > pb_in) pb_in = marg[(size_t)t * (size_t)L + 1];
            }
            uint32_t sn = ta->sentence;
            const tok_sentence *S = &d->sentences[sn];
            double smax_out = 0, ssum = 0;
            for (uint32_t t = S->first; t < S->last; t++) {
                ssum += p[t];
                if ((t < s->first || t >= s->last) && p[t] > smax_out) smax_out = p[t];
            }
            double p_prev = s->first > 0 ? p[s->first - 1] : -1;
            double p_next = s->last < T ? p[s->last] : -1;
            double pb_first = have_b ? marg[(size_t)s->first * (size_t)L + 1] : -1;
            double pb_next = have_b && s->last < T ? marg[(size_t)s->last * (size_t)L + 1] : -1;
            const double *e0 = e + (size_t)s->first * (size_t)L;
            double bi = L > 2 ? e0[1] - e0[2] : 0;
            /* the fragments of this span */
            int tech[2] = {-1, -1}, nt = 0;
            const double *probs = NULL;
            for (size_t f = 0; f < r->n_fragments; f++) {
                const slant_fragment *fr = &r->fragments[f];
                if (fr->cp_start == ta->cp_start && fr->cp_end == tb->cp_end && nt < 2) {
                    tech[nt++] = fr->technique;
                    probs = fr->technique_probs;
                }
            }
            printf("%s\t%u\t%u\t%u\t%u\t%u\t%zu\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f"
                   "\t%u\t%u\t%u\t%.6f\t%.6f\t%zu\t%zu\t%.6f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t%d\t%d\t%d",
                   id, ta->cp_start, tb->cp_end, s->first, s->last, s->last - s->first, nword,
                   s->confidence, mx, mn, p[s->first], p[s->last - 1], p_prev, p_next,
                   pb_first, pb_in, pb_next,
                   sn, S->last - S->first, s->first - S->first, smax_out,
                   S->last > S->first ? ssum / (S->last - S->first) : 0.0, d->n_sentences, T, r->score,
                   em_sum / (s->last - s->first), em_max, em_min, bi,
                   tb->sentence != sn, nt, tech[0], tech[1]);
            for (int k = 0; k < SLANT_N_TECHNIQUES; k++) printf("\t%.5f", probs ? probs[k] : 0.0);
            printf("\n");
        }
        slant_result_free(r);
    }
    free(marg); free(work);
    analyze_work_fini(&w);
    corpus_paths_fini(&cp);
    slant_model_free(m);
    return 0;
}
