/*
 * Span tagger training (tagger_train.h). T = tokens of one article,
 * L = 3 labels: 0 = O, 1 = B (first token of a span), 2 = I.
 *
 * A token is inside a gold span when their code point ranges overlap; the
 * corpus's SI spans are already merged, so BIO loses nothing. The feature
 * dictionary is every hash seen at least min_count times in training,
 * found by sorting all hashes once (no hash table to tune).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crf.h"
#include "crf_train.h"
#include "sentence_train.h"
#include "status.h"
#include "tagger.h"
#include "tagger_train.h"
#include "tagger_dense.h"
#include "token_features.h"
#include "util/mix64.h"
#include "util/u64_sorted.h"

enum { LBL_O = 0 };

/* Label of the first (B) and following (I) tokens of a span of group g:
 * 1 + 2g and 2 + 2g. With one group this is plain BIO. */
#define LBL_B(g) (1 + 2 * (g))
#define LBL_I(g) (2 + 2 * (g))

/* The techniques whose spans are a few words (in the training corpus their
 * mean length is 12-25 characters, against 47-110 for the others): words
 * and phrases, where the others are clauses and sentences. */
static const char *const short_span_techniques[] = {
    "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans"};

/* The label group of a technique: 0 for every span when the tagger learns
 * plain spans (gold SI spans carry -1: group 0); with
 * TAGGER_GROUPS_SHORT_LONG, 0 for the short-span techniques and 1 for the
 * rest; else the technique itself. */
static int group_of(int technique, int groups) {
    if (groups == TAGGER_GROUPS_SHORT_LONG) {
        const slant_technique *k = slant_technique_get(technique);
        for (size_t i = 0; k && i < sizeof short_span_techniques / sizeof *short_span_techniques; i++)
            if (strcmp(k->name, short_span_techniques[i]) == 0) return 0;
        return 1;
    }
    return groups > 1 && technique >= 0 && technique < groups ? technique : 0;
}

void tagger_train_opts_init(tagger_train_opts *o) {
    memset(o, 0, sizeof *o);
    o->c1 = 0.0;
    o->c2 = 1.0;
    o->max_iter = 300;
    o->min_count = 2;
    o->threads = 2;
    o->eval_every = 0;
    o->sentence_c2 = 0.0;
    o->label_groups = 1;
    o->prune = 0.02;
    o->bags = 1;
    o->bag_fraction = 0.0;
    o->bag_bootstrap = 0;
    o->bag_seed = 1;
    o->bag_done = NULL;
    o->vectors = NULL;
    o->vector_scale = 1.0;
    o->vector_window = 1;
}

/* One article ready for the CRF. */
typedef struct {
    char id[LAB_ID_MAX];
    size_t T;
    uint64_t *hashes;       /* before the dictionary: offs[T] hashes */
    uint32_t *feat;         /* after: known feature rows */
    uint32_t *offs;         /* T+1 */
    int *labels;            /* T, training only */
    uint32_t *cp_start, *cp_end; /* T: code point offsets of each token */
    /* Word vectors (tagger_dense.h), or NULL: T x dense_dim values, seen
     * from offsets -dense_win..dense_win, weights from id dense_base on. */
    float *dense;
    int dense_dim, dense_win;
    uint32_t dense_base;
} prep_seq;

static crf_seq seq_of(const prep_seq *s, const int *labels) {
    crf_seq c;
    memset(&c, 0, sizeof c);
    c.T = (int)s->T; c.feat = s->feat; c.offs = s->offs; c.labels = labels;
    if (s->dense) {
        c.dense = s->dense; c.dense_dim = s->dense_dim; c.dense_win = s->dense_win;
        c.dense_base = s->dense_base;
    }
    return c;
}

static void prep_free(prep_seq *p, size_t n) {
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].hashes); free(p[i].feat); free(p[i].offs); free(p[i].labels);
        free(p[i].cp_start); free(p[i].cp_end); free(p[i].dense);
    }
    free(p);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_span_start(const void *a, const void *b) {
    const lab_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* BIO labels of d's tokens from the gold spans of one article. A token
 * inside several spans takes the shortest one's group (the more specific
 * technique); B marks the first token of that span. */
static void assign_labels(const tok_doc *d, const lab_span *spans, size_t n, int groups, int *labels) {
    for (size_t t = 0; t < d->n_tokens; t++) {
        const tok_token *k = &d->tokens[t];
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            if (k->cp_end <= spans[i].start || k->cp_start >= spans[i].end) continue;
            if (best == n || spans[i].end - spans[i].start < spans[best].end - spans[best].start) best = i;
        }
        if (best == n) { labels[t] = LBL_O; continue; }
        int g = group_of(spans[best].technique, groups);
        int starts = t == 0 || d->tokens[t - 1].cp_end <= spans[best].start;
        labels[t] = starts ? LBL_B(g) : LBL_I(g);
    }
}

/* Records in tm which labels belong to which group and which techniques
 * each group learnt (the LABL section); one group needs no record. */
static void set_label_groups(tagger_model *tm, int groups) {
    memset(tm->label_group, 0, sizeof tm->label_group);
    memset(tm->group_techniques, 0, sizeof tm->group_techniques);
    tm->n_groups = groups > 1 ? groups : 0;
    if (groups < 2) return;
    for (int g = 0; g < groups; g++) tm->label_group[LBL_B(g)] = tm->label_group[LBL_I(g)] = (uint8_t)g;
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++) tm->group_techniques[group_of(k, groups)] |= 1u << k;
}

/* Rewrites BIO labels (one group) into scheme's labels. */
static void relabel(int *labels, size_t T, int scheme) {
    if (scheme == TAGGER_SCHEME_IO) {
        for (size_t t = 0; t < T; t++) labels[t] = labels[t] == LBL_O ? 0 : 1;
    } else if (scheme == TAGGER_SCHEME_BIOES) {
        for (size_t t = 0; t < T; t++) {
            if (labels[t] == LBL_O) continue;
            int ends = t + 1 == T || labels[t + 1] != LBL_I(0);   /* next is not I: span ends here */
            if (labels[t] == LBL_B(0)) labels[t] = ends ? 4 : 1;
            else labels[t] = ends ? 3 : 2;
        }
    }
}

/* Tokenizes and extracts features of every article of c, and the values of
 * the word vectors dn (NULL: none). gold may be NULL. */
static slant_status prepare(const slant_model *m, const corpus *c, const lab_list *gold,
                            int groups, int scheme, float **sent_scores, const tagger_dense *dn,
                            prep_seq **out) {
    slant_status st = SLANT_OK;
    prep_seq *p = calloc(c->len ? c->len : 1, sizeof *p);
    lab_span *spans = NULL;
    tok_doc d;
    feat_seq fs;
    feat_ctx *fc = feat_ctx_new();
    tok_doc_init(&d);
    feat_seq_init(&fs);
    if (!p || !fc) { st = SLANT_ENOMEM; goto done; }
    if (gold && !(spans = malloc((gold->len ? gold->len : 1) * sizeof *spans))) { st = SLANT_ENOMEM; goto done; }
    for (size_t a = 0; a < c->len; a++) {
        const corpus_article *art = &c->items[a];
        prep_seq *s = &p[a];
        memcpy(s->id, art->id, LAB_ID_MAX);
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) goto done;
        if ((st = feat_prepare(fc, art->text.data, &d)) != SLANT_OK) goto done;
        if ((st = feat_tokens(fc, &m->resources, art->text.data, &d,
                              sent_scores ? sent_scores[a] : NULL, &fs)) != SLANT_OK) goto done;
        size_t T = d.n_tokens;
        s->T = T;
        s->hashes = malloc((fs.n ? fs.n : 1) * sizeof *s->hashes);
        s->offs = malloc((T + 1) * sizeof *s->offs);
        s->labels = malloc((T ? T : 1) * sizeof *s->labels);
        s->cp_start = malloc((T ? T : 1) * sizeof *s->cp_start);
        s->cp_end = malloc((T ? T : 1) * sizeof *s->cp_end);
        if (!s->hashes || !s->offs || !s->labels || !s->cp_start || !s->cp_end) { st = SLANT_ENOMEM; goto done; }
        if (dn) {
            if (!(s->dense = malloc((T ? T : 1) * (size_t)dn->D * sizeof *s->dense))) { st = SLANT_ENOMEM; goto done; }
            tagger_dense_values(dn, feat_token_lower(fc), T, s->dense);
            s->dense_dim = dn->D;
            s->dense_win = dn->win;
        }
        memcpy(s->hashes, fs.hashes, fs.n * sizeof *fs.hashes);
        memcpy(s->offs, fs.offs, (T + 1) * sizeof *fs.offs);
        for (size_t t = 0; t < T; t++) { s->cp_start[t] = d.tokens[t].cp_start; s->cp_end[t] = d.tokens[t].cp_end; }
        if (gold) {
            size_t n = 0;
            for (size_t i = 0; i < gold->len; i++)
                if (strcmp(gold->items[i].id, art->id) == 0) spans[n++] = gold->items[i];
            qsort(spans, n, sizeof *spans, cmp_span_start);
            assign_labels(&d, spans, n, groups, s->labels);
            if (groups == 1) relabel(s->labels, T, scheme);
        }
    }
done:
    free(spans);
    feat_ctx_free(fc);
    feat_seq_fini(&fs);
    tok_doc_fini(&d);
    if (st != SLANT_OK) { prep_free(p, c->len); p = NULL; }
    *out = p;
    return st;
}

/* Sorted unique hashes seen at least min_count times in the training set. */
static slant_status build_dictionary(const prep_seq *p, size_t n, int min_count,
                                     uint64_t **keys_out, size_t *n_keys) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += p[i].offs[p[i].T];
    uint64_t *all = malloc((total ? total : 1) * sizeof *all);
    if (!all) return SLANT_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(all + k, p[i].hashes, p[i].offs[p[i].T] * sizeof *all);
        k += p[i].offs[p[i].T];
    }
    qsort(all, total, sizeof *all, cmp_u64);
    size_t out = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j < total && all[j] == all[i]) j++;
        if ((long)(j - i) >= min_count && all[i] != 0) all[out++] = all[i];
        i = j;
    }
    *keys_out = all;
    *n_keys = out;
    return SLANT_OK;
}

/* Replaces each sequence's hashes by dictionary rows, dropping unknowns. */
static slant_status map_features(prep_seq *p, size_t n, const uint64_t *keys, size_t n_keys) {
    for (size_t i = 0; i < n; i++) {
        prep_seq *s = &p[i];
        size_t total = s->offs[s->T], k = 0;
        s->feat = malloc((total ? total : 1) * sizeof *s->feat);
        if (!s->feat) return SLANT_ENOMEM;
        for (size_t t = 0; t < s->T; t++) {
            uint32_t from = s->offs[t], to = s->offs[t + 1];
            s->offs[t] = (uint32_t)k;
            for (uint32_t j = from; j < to; j++) {
                long r = u64_find_sorted(keys, n_keys, s->hashes[j]);
                if (r >= 0) s->feat[k++] = (uint32_t)r;
            }
        }
        s->offs[s->T] = (uint32_t)k;
        free(s->hashes);
        s->hashes = NULL;
    }
    return SLANT_OK;
}

/* ---- dev evaluation ---- */

typedef struct {
    const prep_seq *seqs; size_t n;
    const lab_list *gold;
    double *p_span;             /* sum of T over seqs */
    size_t n_feat;
    int L;
    double *emit, *alpha, *beta, *marg; /* max T x L */
} dev_eval;

/* P(span) of every token of e's sequences under weights w; with only, of
 * the sequences i with only[i] != 0 (the others' values are kept). */
static slant_status marginals_of(dev_eval *e, const double *w, const unsigned char *only) {
    int L = e->L;
    const double *trans = w + e->n_feat * (size_t)L, *start = trans + L * L;
    double *ps = e->p_span;
    for (size_t i = 0; i < e->n; i++) {
        const prep_seq *s = &e->seqs[i];
        crf_seq cs = seq_of(s, NULL);
        if (only && !only[i]) { ps += s->T; continue; }
        if (s->T == 0) continue;
        crf_emissions(&cs, L, w, e->emit);
        crf_forward_backward((int)s->T, L, e->emit, trans, start, e->alpha, e->beta, e->marg);
        for (size_t t = 0; t < s->T; t++) *ps++ = 1.0 - e->marg[t * (size_t)L];
    }
    return SLANT_OK;
}

static slant_status dev_score(const dev_eval *e, const tagger_decoding *dec, metric_prf *out) {
    lab_list pred;
    tagger_spans sp = {0};
    lab_list_init(&pred);
    const double *ps = e->p_span;
    slant_status st = SLANT_OK;
    for (size_t i = 0; i < e->n && st == SLANT_OK; i++) {
        const prep_seq *s = &e->seqs[i];
        if ((st = tagger_decode(ps, s->T, dec, &sp)) != SLANT_OK) break;
        for (size_t k = 0; k < sp.len && st == SLANT_OK; k++) {
            lab_span l;
            memset(&l, 0, sizeof l);
            memcpy(l.id, s->id, LAB_ID_MAX);
            l.technique = -1;
            l.start = s->cp_start[sp.items[k].first];
            l.end = s->cp_end[sp.items[k].last - 1];
            st = lab_list_push(&pred, &l);
        }
        ps += s->T;
    }
    if (st == SLANT_OK) st = metric_si(&pred, e->gold, out);
    tagger_spans_fini(&sp);
    lab_list_fini(&pred);
    return st;
}

/* Best decoding rule for the official SI F1 on the dev set: a coarse
 * grid over threshold x low x gap x min_len. */
static slant_status tune_decoding(const dev_eval *e, tagger_decoding *best, metric_prf *best_score) {
    best_score->f1 = -1;
    for (int hi = 0; hi <= 16; hi++) {
        double high = 0.15 + 0.025 * hi;
        for (int li = 0; li <= 6; li++) {
            double low = high * (1.0 - 0.125 * li);
            for (uint32_t gap = 0; gap <= 4; gap += 2) {
                for (uint32_t ml = 1; ml <= 3; ml++) {
                    tagger_decoding d = {high, low, gap, ml};
                    metric_prf s;
                    slant_status st = dev_score(e, &d, &s);
                    if (st != SLANT_OK) return st;
                    if (s.f1 > best_score->f1) { *best_score = s; *best = d; }
                }
            }
        }
    }
    return SLANT_OK;
}

/* Zeroes the state weights of features whose largest |weight| is below
 * prune and rounds the others to float, as the model stores them. Returns
 * the number kept. */
static size_t prune_round(double *w, size_t n_keys, size_t L, double prune) {
    size_t kept = 0;
    for (size_t f = 0; f < n_keys; f++) {
        double mx = 0;
        for (size_t y = 0; y < L; y++) mx = fmax(mx, fabs(w[f * L + y]));
        int keep = mx >= prune && mx > 0;
        for (size_t y = 0; y < L; y++)
            w[f * L + y] = keep ? (double)(float)w[f * L + y] : 0.0;
        kept += (size_t)keep;
    }
    return kept;
}

static slant_status dev_marginals(dev_eval *e, const double *w) { return marginals_of(e, w, NULL); }

/* ---- bagging ---- */

/* Seeded Fisher-Yates shuffle of 0..n-1 into idx. */
static void shuffle(size_t *idx, size_t n, uint64_t seed) {
    rng r = {seed};
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(&r) % i);
        size_t t = idx[i - 1]; idx[i - 1] = idx[j]; idx[j] = t;
    }
}

/* The sequences of bag b (tagger_train_opts): written to sub (room for n),
 * returns how many. In fold mode held[i] (n) is set to 1 for the articles
 * the bag leaves out, 0 for the others. */
static size_t bag_subset(const crf_seq *all, size_t n, const tagger_train_opts *o, int b,
                         size_t *idx, crf_seq *sub, unsigned char *held) {
    size_t k = 0;
    uint64_t seed = mix64(o->bag_seed * 0x9e3779b97f4a7c15ULL + 0x5851f42d4c957f2dULL);
    if (o->bag_bootstrap) {
        rng r = {seed ^ mix64((uint64_t)b + 1)};
        for (size_t i = 0; i < n; i++) sub[k++] = all[rng_next(&r) % n];
    } else if (o->bag_fraction > 0) {
        shuffle(idx, n, seed ^ mix64((uint64_t)b + 1));
        size_t m = (size_t)(o->bag_fraction * (double)n + 0.5);
        if (m < 1) m = 1;
        if (m > n) m = n;
        /* Corpus order, so the gradient sums do not depend on the draw order. */
        int *in = calloc(n, sizeof *in);
        if (!in) return 0;
        for (size_t i = 0; i < m; i++) in[idx[i]] = 1;
        for (size_t i = 0; i < n; i++) if (in[i]) sub[k++] = all[i];
        free(in);
    } else {
        shuffle(idx, n, seed);
        int *fold = malloc((n ? n : 1) * sizeof *fold);
        if (!fold) return 0;
        for (size_t i = 0; i < n; i++) fold[idx[i]] = (int)(i % (size_t)o->bags);
        for (size_t i = 0; i < n; i++) {
            held[i] = fold[i] == b;
            if (fold[i] != b) sub[k++] = all[i];
        }
        free(fold);
    }
    return k;
}

/* Feature dropout of bag b: copies of sub[0..k)'s feature lists without
 * the features the bag drops, in buffers feat (room for every id of the
 * copies) and offs (room for sum of T+1); sub is rewritten to point at them. */
static void bag_dropout(crf_seq *sub, size_t k, const tagger_train_opts *o, int b,
                        uint32_t *feat, uint32_t *offs) {
    uint64_t seed = mix64(o->bag_seed ^ mix64(((uint64_t)b + 1) * 0x2545f4914f6cdd1dULL));
    uint64_t cut = (uint64_t)(o->bag_dropout * 18446744073709551616.0);
    size_t nf = 0, no = 0;
    for (size_t i = 0; i < k; i++) {
        crf_seq *s = &sub[i];
        uint32_t *of = offs + no, *ft = feat + nf;
        size_t n = 0;
        for (int t = 0; t < s->T; t++) {
            of[t] = (uint32_t)n;
            for (uint32_t j = s->offs[t]; j < s->offs[t + 1]; j++)
                if (mix64(seed ^ s->feat[j]) >= cut) ft[n++] = s->feat[j];
        }
        of[s->T] = (uint32_t)n;
        s->feat = ft;
        s->offs = of;
        nf += n;
        no += (size_t)s->T + 1;
    }
}

/* Dev SI F1 of weights w after pruning (on a copy), with tuned decoding. */
static slant_status dev_f1_pruned(dev_eval *e, const double *w, size_t nw, size_t n_keys,
                                  size_t L, double prune, double *f1) {
    double *c = malloc(nw * sizeof *c);
    if (!c) return SLANT_ENOMEM;
    memcpy(c, w, nw * sizeof *c);
    prune_round(c, n_keys, L, prune);
    tagger_decoding d;
    metric_prf s = {0};
    slant_status st = dev_marginals(e, c);
    if (st == SLANT_OK) st = tune_decoding(e, &d, &s);
    free(c);
    *f1 = st == SLANT_OK ? s.f1 : -1;
    return st;
}

/* P(inside) of every dev token by the model m as it will be saved (with the
 * word vectors folded into its word features, which the prepared dev
 * sequences do not have). */
static slant_status dev_marginals_model(dev_eval *e, const slant_model *m, const corpus *dev) {
    tagger_work wk;
    tok_doc d;
    slant_status st = tagger_work_init(&wk);
    tok_doc_init(&d);
    double *ps = e->p_span;
    for (size_t i = 0; st == SLANT_OK && i < dev->len; i++) {
        const corpus_article *art = &dev->items[i];
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) break;
        if ((st = tagger_marginals(m, &wk, art->text.data, &d)) != SLANT_OK) break;
        if (d.n_tokens != e->seqs[i].T) { st = SLANT_EINVAL; break; }
        for (size_t t = 0; t < d.n_tokens; t++) ps[t] = wk.p_span[t];
        ps += d.n_tokens;
    }
    tagger_work_fini(&wk);
    tok_doc_fini(&d);
    return st;
}

/* ---- training ---- */

typedef struct {
    const tagger_train_opts *o;
    dev_eval *dev;
    tagger_train_report *rep;
    double *avg;            /* sum of the iterates from o->average_from on, or NULL */
    size_t nw;
    int n_avg;              /* iterates summed */
} progress_ctx;

static int on_iteration(void *ctx, int iter, double loss, const double *w) {
    progress_ctx *p = ctx;
    double f1 = -1;
    p->rep->iterations = iter;
    if (p->avg && iter >= p->o->average_from) {
        for (size_t i = 0; i < p->nw; i++) p->avg[i] += w[i];
        p->n_avg++;
    }
    if (p->dev && p->o->eval_every > 0 && iter % p->o->eval_every == 0) {
        tagger_decoding d = {0.35, 0.35, 1, 1};
        metric_prf s;
        if (dev_marginals(p->dev, w) == SLANT_OK && dev_score(p->dev, &d, &s) == SLANT_OK) f1 = s.f1;
    }
    if (p->o->progress) p->o->progress(p->o->ctx, iter, p->o->max_iter, loss, f1);
    return 0;
}

slant_status tagger_train(slant_model *m, const corpus *train, const lab_list *train_gold,
                          const corpus *dev, const lab_list *dev_gold,
                          const tagger_train_opts *o, tagger_train_report *rep,
                          slant_error *err) {
    prep_seq *tr = NULL, *dv = NULL;
    uint64_t *keys = NULL;
    crf_seq *cs = NULL;
    double *w = NULL, *pc_avg = NULL;
    size_t n_keys = 0;
    tagger_dense *dn = NULL;
    size_t n_dense = 0, n_tot = 0;
    float **train_scores = NULL, **dev_scores = NULL;
    dev_eval ev;
    memset(&ev, 0, sizeof ev);
    memset(rep, 0, sizeof *rep);
    slant_status st;
    tagger_model *tm = &m->tagger;
    const int scheme = o->label_groups > 1 ? TAGGER_SCHEME_BIO : o->scheme;
    const int L = o->label_groups > 1 ? 1 + 2 * o->label_groups
                : scheme == TAGGER_SCHEME_IO ? 2 : scheme == TAGGER_SCHEME_BIOES ? 5 : 3;
    const size_t N_LABELS = (size_t)L;
    if (L > TAGGER_MAX_LABELS || (o->label_groups != 1 && o->label_groups != TAGGER_GROUPS_SHORT_LONG &&
                                  o->label_groups != SLANT_N_TECHNIQUES))
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "label groups must be 1, %d or %d, not %d",
                       TAGGER_GROUPS_SHORT_LONG, SLANT_N_TECHNIQUES, o->label_groups);

    if (o->sentence_c2 > 0) {
        st = sentence_train(train, train_gold, dev, o->sentence_c2, o->threads, &tm->sentence,
                            &train_scores, dev ? &dev_scores : NULL);
        if (st != SLANT_OK) goto fail;
        tm->has_sentence = 1;
    }
    if (o->vectors) {
        if (o->vector_window < 0 || o->vector_window > TAGGER_DENSE_MAX_WIN) {
            st = err_set(err, SLANT_EINVAL, NULL, -1, -1, "the word-vector window must be 0 to %d", TAGGER_DENSE_MAX_WIN);
            goto fail;
        }
        if (!(dn = tagger_dense_read(o->vectors, o->vector_words, o->vector_window, o->vector_scale, err))) {
            st = err && err->status != SLANT_OK ? err->status : SLANT_EFORMAT;
            goto fail;
        }
    }
    if ((st = prepare(m, train, train_gold, o->label_groups > 1 ? o->label_groups : 1, scheme, train_scores, dn, &tr)) != SLANT_OK) goto fail;
    if ((st = build_dictionary(tr, train->len, o->min_count, &keys, &n_keys)) != SLANT_OK) goto fail;
    if ((st = map_features(tr, train->len, keys, n_keys)) != SLANT_OK) goto fail;
    n_dense = dn ? tagger_dense_ids(dn) : 0;   /* their weights follow the sparse ones */
    n_tot = n_keys + n_dense;
    for (size_t i = 0; i < train->len; i++) tr[i].dense_base = (uint32_t)n_keys;
    if (dev && dev_gold) {
        if ((st = prepare(m, dev, NULL, 1, scheme, dev_scores, dn, &dv)) != SLANT_OK) goto fail;
        if ((st = map_features(dv, dev->len, keys, n_keys)) != SLANT_OK) goto fail;
        for (size_t i = 0; i < dev->len; i++) dv[i].dense_base = (uint32_t)n_keys;
        size_t total = 0, maxT = 1;
        for (size_t i = 0; i < dev->len; i++) { total += dv[i].T; if (dv[i].T > maxT) maxT = dv[i].T; }
        ev.seqs = dv; ev.n = dev->len; ev.gold = dev_gold; ev.n_feat = n_tot; ev.L = L;
        ev.p_span = malloc((total ? total : 1) * sizeof *ev.p_span);
        ev.emit = malloc(maxT * N_LABELS * sizeof(double));
        ev.alpha = malloc(maxT * N_LABELS * sizeof(double));
        ev.beta = malloc(maxT * N_LABELS * sizeof(double));
        ev.marg = malloc(maxT * N_LABELS * sizeof(double));
        if (!ev.p_span || !ev.emit || !ev.alpha || !ev.beta || !ev.marg) { st = SLANT_ENOMEM; goto fail; }
    }
    if (!(cs = calloc(train->len ? train->len : 1, sizeof *cs))) { st = SLANT_ENOMEM; goto fail; }
    for (size_t i = 0; i < train->len; i++) {
        cs[i] = seq_of(&tr[i], tr[i].labels);
        rep->n_tokens += tr[i].T;
    }
    size_t nw = crf_n_weights(n_tot, L);
    if (!(w = calloc(nw, sizeof *w))) { st = SLANT_ENOMEM; goto fail; }

    crf_train_opts co;
    crf_train_opts_init(&co);
    co.c1 = o->c1; co.c2 = o->c2; co.max_iter = o->max_iter; co.threads = o->threads;
    if (o->average_from > 0 && !(pc_avg = calloc(nw, sizeof *pc_avg))) { st = SLANT_ENOMEM; goto fail; }
    progress_ctx pc = {o, dv ? &ev : NULL, rep, pc_avg, nw, 0};
    co.progress = on_iteration; co.ctx = &pc;
    if (o->bags <= 1) {
        if ((st = crf_train(cs, train->len, n_tot, L, &co, w, err)) != SLANT_OK) goto fail;
        if (pc.n_avg > 0)
            for (size_t i = 0; i < nw; i++) w[i] = pc.avg[i] / pc.n_avg;
    } else {
        size_t nsub = train->len ? train->len : 1;
        double *wb = calloc(nw, sizeof *wb);
        crf_seq *sub = malloc(nsub * sizeof *sub);
        size_t *idx = malloc(nsub * sizeof *idx);
        uint32_t *dfeat = NULL, *doffs = NULL;
        if (o->bag_dropout > 0) {
            /* Bootstrap repeats articles: room for n draws of the longest. */
            size_t mf = 1, mo = 1, sf = 1, so = 1;
            for (size_t i = 0; i < train->len; i++) {
                if (cs[i].offs[cs[i].T] > mf) mf = cs[i].offs[cs[i].T];
                if ((size_t)cs[i].T + 1 > mo) mo = (size_t)cs[i].T + 1;
                sf += cs[i].offs[cs[i].T];
                so += (size_t)cs[i].T + 1;
            }
            if (o->bag_bootstrap) { sf = mf * nsub; so = mo * nsub; }
            dfeat = malloc(sf * sizeof *dfeat);
            doffs = malloc(so * sizeof *doffs);
        }
        /* Fold mode: each bag's model tags the articles it left out, so
         * the bags together give out-of-fold predictions for the whole
         * training set (a cross-validated SI score, rep->cv). */
        int cv = o->bag_fraction == 0 && !o->bag_bootstrap;
        unsigned char *held = calloc(nsub, 1);
        double *wp = cv ? malloc(nw * sizeof *wp) : NULL;
        dev_eval et;
        memset(&et, 0, sizeof et);
        if (cv) {
            size_t total = 0, maxT = 1;
            for (size_t i = 0; i < train->len; i++) { total += tr[i].T; if (tr[i].T > maxT) maxT = tr[i].T; }
            et.seqs = tr; et.n = train->len; et.gold = train_gold; et.n_feat = n_tot; et.L = L;
            et.p_span = calloc(total ? total : 1, sizeof *et.p_span);
            et.emit = malloc(maxT * N_LABELS * sizeof(double));
            et.alpha = malloc(maxT * N_LABELS * sizeof(double));
            et.beta = malloc(maxT * N_LABELS * sizeof(double));
            et.marg = malloc(maxT * N_LABELS * sizeof(double));
        }
        if (!wb || !sub || !idx || !held || (o->bag_dropout > 0 && (!dfeat || !doffs)) ||
            (cv && (!wp || !et.p_span || !et.emit || !et.alpha || !et.beta || !et.marg))) {
            free(wb); free(sub); free(idx); free(dfeat); free(doffs); free(held); free(wp);
            free(et.p_span); free(et.emit); free(et.alpha); free(et.beta); free(et.marg);
            st = SLANT_ENOMEM;
            goto fail;
        }
        for (int b = 0; b < o->bags && st == SLANT_OK; b++) {
            size_t k = bag_subset(cs, train->len, o, b, idx, sub, held);
            if (k == 0) { st = SLANT_ENOMEM; break; }
            if (o->bag_dropout > 0) bag_dropout(sub, k, o, b, dfeat, doffs);
            memset(wb, 0, nw * sizeof *wb);
            if (pc.avg) { memset(pc.avg, 0, nw * sizeof *pc.avg); pc.n_avg = 0; }
            if ((st = crf_train(sub, k, n_tot, L, &co, wb, err)) != SLANT_OK) break;
            if (pc.n_avg > 0)
                for (size_t i = 0; i < nw; i++) wb[i] = pc.avg[i] / pc.n_avg;
            for (size_t i = 0; i < nw; i++) w[i] += wb[i];
            if (cv) {
                memcpy(wp, wb, nw * sizeof *wp);
                prune_round(wp, n_keys, N_LABELS, o->prune);
                if ((st = marginals_of(&et, wp, held)) != SLANT_OK) break;
            }
            double bf = -1, mf = -1;
            if (dv && o->bag_done) {
                if ((st = dev_f1_pruned(&ev, wb, nw, n_keys, N_LABELS, o->prune, &bf)) != SLANT_OK) break;
                for (size_t i = 0; i < nw; i++) wb[i] = w[i] / (b + 1);
                if ((st = dev_f1_pruned(&ev, wb, nw, n_keys, N_LABELS, o->prune, &mf)) != SLANT_OK) break;
            }
            if (o->bag_done) o->bag_done(o->ctx, b + 1, o->bags, bf, mf);
        }
        if (cv && st == SLANT_OK && (st = tune_decoding(&et, &rep->cv_decoding, &rep->cv)) == SLANT_OK)
            rep->has_cv = 1;
        free(wb); free(sub); free(idx); free(dfeat); free(doffs); free(held); free(wp);
        free(et.p_span); free(et.emit); free(et.alpha); free(et.beta); free(et.marg);
        if (st != SLANT_OK) goto fail;
        for (size_t i = 0; i < nw; i++) w[i] /= o->bags;
    }

    if (dn) {
        if ((st = tagger_dense_fold(dn, N_LABELS, n_dense, &keys, &n_keys, &w)) != SLANT_OK) goto fail;
        n_tot = n_keys;
    }

    /* Keep only features with a non-negligible weight: the model stays small
     * and its table cache-friendly. Dropped rows are zeroed in w, and kept
     * ones rounded to float as stored, so the dev scores and the tuned
     * decoding below are those of the model as saved. */
    size_t kept = prune_round(w, n_keys, N_LABELS, o->prune);
    free(tm->w);
    tm->w = malloc((kept ? kept : 1) * N_LABELS * sizeof *tm->w);
    uint64_t *kk = malloc((kept ? kept : 1) * sizeof *kk);
    if (!tm->w || !kk) { free(kk); st = SLANT_ENOMEM; goto fail; }
    size_t r = 0;
    for (size_t f = 0; f < n_keys; f++) {
        int zero = 1;
        for (size_t y = 0; y < N_LABELS; y++) zero &= w[f * N_LABELS + y] == 0.0;
        if (zero) continue;
        for (size_t y = 0; y < N_LABELS; y++) tm->w[r * N_LABELS + y] = (float)w[f * N_LABELS + y];
        kk[r++] = keys[f];
    }
    tm->L = L;
    set_label_groups(tm, o->label_groups);
    tm->feat_version = FEAT_VERSION;
    tm->n_feat = kept;
    const double *trans = w + n_tot * N_LABELS;
    for (int i = 0; i < L * L; i++) tm->trans[i] = trans[i];
    for (int i = 0; i < L; i++) tm->start[i] = trans[L * L + i];
    st = feat_table_build(&tm->table, kk, kept);
    free(kk);
    if (st != SLANT_OK) goto fail;
    tagger_model_changed(tm);
    rep->n_feat = kept;
    tm->decoding = (tagger_decoding){0.35, 0.35, 1, 1};
    if (dv) {
        st = dn ? dev_marginals_model(&ev, m, dev) : dev_marginals(&ev, w);
        if (st != SLANT_OK) goto fail;
        if ((st = tune_decoding(&ev, &tm->decoding, &rep->dev)) != SLANT_OK) goto fail;
    }
fail:
    if (st != SLANT_OK && err && err->status == SLANT_OK)
        err_set(err, st, NULL, -1, -1, "training failed: %s", slant_strerror(st));
    free(pc_avg);
    free(ev.p_span); free(ev.emit); free(ev.alpha); free(ev.beta); free(ev.marg);
    prep_free(tr, train->len);
    if (dev) prep_free(dv, dev->len);
    free(keys); free(cs); free(w);
    tagger_dense_free(dn);
    sentence_scores_free(train_scores, train->len);
    if (dev) sentence_scores_free(dev_scores, dev->len);
    return st;
}

slant_status tagger_predict_corpus(const slant_model *m, const corpus *c,
                                   const tagger_decoding *dec, tagger_predict_what what,
                                   lab_list *out) {
    tagger_work wk;
    tagger_spans sp = {0};
    tok_doc d;
    tok_doc_init(&d);
    slant_status st = tagger_work_init(&wk);
    if (!dec) dec = &m->tagger.decoding;
    for (size_t a = 0; a < c->len && st == SLANT_OK; a++) {
        const corpus_article *art = &c->items[a];
        if ((st = tok_tokenize(art->text.data, art->text.len, &d)) != SLANT_OK) break;
        if ((st = tagger_marginals(m, &wk, art->text.data, &d)) != SLANT_OK) break;
        st = what == TAGGER_PREDICT_FRAGMENTS ? tagger_decode_fragments(&m->tagger, &wk, d.n_tokens, dec, &sp)
                                              : tagger_decode(wk.p_span, d.n_tokens, dec, &sp);
        if (st != SLANT_OK) break;
        for (size_t k = 0; k < sp.len && st == SLANT_OK; k++) {
            lab_span l;
            memset(&l, 0, sizeof l);
            memcpy(l.id, art->id, LAB_ID_MAX);
            l.technique = -1;
            l.start = d.tokens[sp.items[k].first].cp_start;
            l.end = d.tokens[sp.items[k].last - 1].cp_end;
            st = lab_list_push(&out[0], &l);
        }
    }
    tagger_spans_fini(&sp);
    tagger_work_fini(&wk);
    tok_doc_fini(&d);
    return st;
}
