/*
 * slant_analyze (slant.h) and its reusable-buffer form (analyze.h).
 *
 * Spans and fragments: the spans (SI) are the runs of P(inside) = 1 - P(O).
 * With a technique classifier, the fragments are the spans of each label
 * group of the tagger (tagger_decode_fragments: a tagger that learnt short
 * phrases and long clauses apart finds a loaded word inside an appeal to
 * fear as a fragment of its own; on the dev split this lifts FLC F1 from
 * 0.178 to 0.197, bench/RESULTS.md), each with its most likely technique,
 * and the runner-up too when its probability reaches the classifier's tuned
 * threshold (the corpus gives one span two techniques now and then); a
 * fragment with two techniques becomes two with the same offsets. A
 * fragment's confidence is its span's confidence times its technique's
 * probability. Every other occurrence of a fragment's words in the article
 * is a Repetition fragment too (repetition.h), and joins the spans, so
 * that every fragment still lies within a span. Fragments of a technique
 * the model does not report (span_classifier.reported: on dev none of its
 * fragments was right) are left out unless the caller names the
 * techniques; their text stays in the spans. Without a classifier the
 * fragments are the spans, with technique -1.
 *
 * Scores: a sentence's score is the highest P(inside a span) among its
 * tokens (one loaded phrase makes a sentence propagandistic), or the span
 * confidence of a fragment in it if higher (a repeated phrase); the article's
 * score is the expected share of its tokens that lie inside a span, the mean
 * of P(inside), so it reads as "how much of this text is propaganda".
 */
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "model.h"
#include "repetition.h"
#include "status.h"

void slant_options_init(slant_options *opt) {
    opt->threshold = -1.0;
    opt->technique_mask = 0;
    opt->replace_invalid_utf8 = 0;
}

slant_status analyze_work_init(analyze_work *w) {
    memset(w, 0, sizeof *w);
    text_init(&w->text);
    tok_doc_init(&w->doc);
    slant_status st = span_classifier_work_init(&w->classify);
    if (st == SLANT_OK) st = tagger_work_init(&w->tagger);
    return st;
}

void analyze_work_fini(analyze_work *w) {
    text_fini(&w->text);
    tok_doc_fini(&w->doc);
    tagger_work_fini(&w->tagger);
    tagger_spans_fini(&w->spans);
    tagger_spans_fini(&w->frag_spans);
    tagger_spans_fini(&w->copies);
    span_classifier_work_fini(&w->classify);
}

void slant_result_free(slant_result *r) {
    if (!r) return;
    free(r->fragments);
    free(r->sentences);
    free(r->spans);
    free(r);
}

slant_status analyze_text(const slant_model *m, analyze_work *w, const char *text,
                          size_t len, const slant_options *opt, slant_result **out,
                          slant_error *err) {
    slant_options defaults;
    slant_status st;
    *out = NULL;
    if (!opt) { slant_options_init(&defaults); opt = &defaults; }
    if (!m || (!text && len)) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "no model or no text");
    if ((st = text_load(&w->text, text ? text : "", len, opt->replace_invalid_utf8, err)) != SLANT_OK)
        return st;
    return analyze_loaded(m, w, &w->text, opt, out, err);
}

/* The words of span s whose own features favoured "inside" most: for each
 * word token, max(emit[B], emit[I]) - emit[O] from the tagger's emission
 * scores (log-odds before the transitions); the SLANT_MAX_CUES largest
 * positive ones, heaviest first. */
static size_t fragment_cues(const slant_model *m, const tagger_work *tw, const tok_doc *d,
                            const tagger_span *s, slant_cue *cues) {
    size_t n = 0, L = (size_t)m->tagger.L;
    for (uint32_t t = s->first; t < s->last; t++) {
        const tok_token *k = &d->tokens[t];
        if (k->kind != TOK_WORD) continue;
        const double *e = tw->emit + (size_t)t * L;
        double best = e[1];
        for (size_t y = 2; y < L; y++) if (e[y] > best) best = e[y];
        double wgt = best - e[0];
        if (!(wgt > 0)) continue;
        size_t j = n < SLANT_MAX_CUES ? n++ : SLANT_MAX_CUES;
        if (j == SLANT_MAX_CUES && wgt <= cues[SLANT_MAX_CUES - 1].weight) continue;
        if (j == SLANT_MAX_CUES) j = SLANT_MAX_CUES - 1;
        while (j > 0 && cues[j - 1].weight < wgt) { cues[j] = cues[j - 1]; j--; }
        cues[j] = (slant_cue){k->start, k->end, k->cp_start, k->cp_end, wgt};
    }
    return n;
}

static slant_status spans_copy(tagger_spans *to, const tagger_spans *from) {
    if (from->len > to->cap) {
        tagger_span *p = realloc(to->items, from->len * sizeof *p);
        if (!p) return SLANT_ENOMEM;
        to->items = p; to->cap = from->len;
    }
    if (from->len) memcpy(to->items, from->items, from->len * sizeof *to->items);
    to->len = from->len;
    return SLANT_OK;
}

static int cmp_fragment(const void *x, const void *y) {
    const slant_fragment *a = x, *b = y;
    if (a->cp_start != b->cp_start) return a->cp_start < b->cp_start ? -1 : 1;
    if (a->cp_end != b->cp_end) return a->cp_end > b->cp_end ? -1 : 1;
    if (a->technique != b->technique) return a->technique < b->technique ? -1 : 1;
    return a->confidence > b->confidence ? -1 : a->confidence < b->confidence;
}

/* Fragments of several label groups, in the order slant_result promises (by
 * start, the longer first, then technique: those with one range stay
 * together); of two with the same range and technique (two groups found
 * the same words) the more confident stays. */
static void sort_fragments(slant_result *r) {
    qsort(r->fragments, r->n_fragments, sizeof *r->fragments, cmp_fragment);
    size_t n = 0;
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        if (n && r->fragments[n - 1].cp_start == f->cp_start && r->fragments[n - 1].cp_end == f->cp_end &&
            r->fragments[n - 1].technique == f->technique) continue;
        r->fragments[n++] = *f;
    }
    r->n_fragments = n;
}

/* Appends to r the fragments of the spans in list: each span classified
 * (one batch, so that the classifier sees these spans as it saw an
 * article's gold spans: its features look at the other spans of the
 * batch) and given its top technique, and the runner-up above the tuned
 * threshold; or, when forced >= 0, that technique alone. Without a
 * classifier, technique -1. The classifier has the article
 * (span_classifier_article); r->fragments has room. */
static slant_status add_fragments(const slant_model *m, analyze_work *w,
                                  const tagger_spans *list, int forced, const slant_options *opt,
                                  slant_result *r) {
    const span_classifier *sc = m->classifier;
    const tok_doc *d = &w->doc;
    size_t n = list->len;
    slant_status st = SLANT_OK;
    if (!n) return SLANT_OK;
    if (sc) {
        uint32_t *cp = malloc(2 * n * sizeof *cp);
        if (!cp) return SLANT_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            cp[i] = d->tokens[list->items[i].first].cp_start;
            cp[n + i] = d->tokens[list->items[i].last - 1].cp_end;
        }
        st = span_classifier_batch(&w->classify, cp, cp + n, n);
        free(cp);
        if (st != SLANT_OK) return st;
    }
    /* The caller's techniques, or else those the model reports. */
    uint32_t keep = opt->technique_mask ? opt->technique_mask : sc ? sc->reported : 0;
    for (size_t i = 0; i < n; i++) {
        const tagger_span *s = &list->items[i];
        const tok_token *a = &d->tokens[s->first], *b = &d->tokens[s->last - 1];
        slant_cue cues[SLANT_MAX_CUES];
        size_t n_cues = fragment_cues(m, &w->tagger, d, s, cues);
        int tech[2] = {-1, -1}, n_tech = 1;
        double p[SLANT_N_TECHNIQUES];
        if (sc) {
            if ((st = span_classifier_predict(sc, &w->classify, a->cp_start, b->cp_end, p)) != SLANT_OK) return st;
            n_tech = span_classifier_flc_labels(p, sc->second_threshold, tech);
            if (n_tech == 2 && tech[1] < tech[0]) { int t = tech[0]; tech[0] = tech[1]; tech[1] = t; }
            if (forced >= 0) { tech[0] = forced; n_tech = 1; }
        }
        for (int j = 0; j < n_tech; j++) {
            if (tech[j] >= 0 && keep && !(keep >> tech[j] & 1u)) continue;
            slant_fragment *f = &r->fragments[r->n_fragments++];
            f->start = a->start; f->end = b->end;
            f->cp_start = a->cp_start; f->cp_end = b->cp_end;
            f->technique = tech[j];
            f->confidence = tech[j] >= 0 ? s->confidence * p[tech[j]] : s->confidence;
            f->span_confidence = s->confidence;
            if (sc) memcpy(f->technique_probs, p, sizeof f->technique_probs);
            memcpy(f->cues, cues, n_cues * sizeof *cues);
            f->n_cues = n_cues;
        }
    }
    return SLANT_OK;
}

slant_status analyze_loaded(const slant_model *m, analyze_work *w, const text_buf *tb,
                            const slant_options *opt, slant_result **out, slant_error *err) {
    slant_options defaults;
    slant_result *r = NULL;
    slant_status st;
    *out = NULL;
    if (!opt) { slant_options_init(&defaults); opt = &defaults; }
    if (!m || !tb) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "no model or no text");
    if ((st = tok_tokenize(tb->data, tb->len, &w->doc)) != SLANT_OK) goto fail;
    if ((st = tagger_marginals(m, &w->tagger, tb->data, &w->doc)) != SLANT_OK) goto fail;
    tagger_decoding dec = m->tagger.decoding;
    if (opt->threshold >= 0) {
        /* The user's threshold moves both ends, keeping the tuned ratio. */
        double ratio = dec.threshold > 0 ? dec.low / dec.threshold : 1.0;
        dec.threshold = opt->threshold;
        dec.low = opt->threshold * ratio;
    }
    if ((st = tagger_decode(w->tagger.p_span, w->doc.n_tokens, &dec, &w->spans)) != SLANT_OK) goto fail;
    const span_classifier *sc = m->classifier;
    const tok_doc *d = &w->doc;
    size_t T = d->n_tokens;
    /* With a classifier: the fragments to label (fs), and the copies of
     * their words elsewhere (Repetition), which join the spans. */
    const tagger_spans *fs = &w->spans, *copies = &w->copies;
    w->copies.len = 0;
    if (sc) {
        if (m->tagger.n_groups >= 2) st = tagger_decode_fragments(&m->tagger, &w->tagger, T, &dec, &w->frag_spans);
        else st = spans_copy(&w->frag_spans, &w->spans);
        if (st == SLANT_OK) st = repetition_copies(feat_token_lower(w->tagger.fctx), T, &w->frag_spans, &w->copies);
        if (st == SLANT_OK) st = tagger_spans_union(&w->spans, &w->copies, w->tagger.p_span);
        if (st != SLANT_OK) goto fail;
        fs = &w->frag_spans;
    }

    if (!(r = calloc(1, sizeof *r))) { st = SLANT_ENOMEM; goto fail; }
    const int repetition = slant_technique_find("Repetition", 10);
    size_t n_cand = fs->len + copies->len;
    r->n_codepoints = tb->n_cp;
    r->fragments = calloc(n_cand ? 2 * n_cand : 1, sizeof *r->fragments);
    r->spans = calloc(w->spans.len ? w->spans.len : 1, sizeof *r->spans);
    r->sentences = calloc(d->n_sentences ? d->n_sentences : 1, sizeof *r->sentences);
    if (!r->fragments || !r->spans || !r->sentences) { st = SLANT_ENOMEM; goto fail; }
    for (size_t i = 0; i < w->spans.len; i++) {
        const tagger_span *s = &w->spans.items[i];
        const tok_token *a = &d->tokens[s->first], *b = &d->tokens[s->last - 1];
        r->spans[r->n_spans++] = (slant_span){a->start, b->end, a->cp_start, b->cp_end, s->confidence};
    }
    if (sc) {
        /* The tagger's word memo has looked every token up already. */
        const feat_ctx *fc = w->tagger.fctx;
        spf_use_slots(w->classify.spf, feat_token_slots(fc), feat_word_naming(fc),
                      feat_token_lower(fc), feat_token_stem(fc));
        if ((st = span_classifier_article(&w->classify, sc, tb->data, d, m->resources.clusters)) != SLANT_OK)
            goto fail;
    }
    if ((st = add_fragments(m, w, fs, -1, opt, r)) != SLANT_OK) goto fail;
    if ((st = add_fragments(m, w, copies, repetition, opt, r)) != SLANT_OK) goto fail;
    if (sc) sort_fragments(r);
    double total = 0;
    for (size_t t = 0; t < d->n_tokens; t++) total += w->tagger.p_span[t];
    r->score = d->n_tokens ? total / (double)d->n_tokens : 0.0;
    for (size_t i = 0; i < d->n_sentences; i++) {
        const tok_sentence *sn = &d->sentences[i];
        slant_sentence *o = &r->sentences[r->n_sentences++];
        o->start = sn->start; o->end = sn->end;
        o->cp_start = sn->cp_start; o->cp_end = sn->cp_end;
        double mx = 0;
        for (uint32_t t = sn->first; t < sn->last; t++)
            if (w->tagger.p_span[t] > mx) mx = w->tagger.p_span[t];
        o->score = mx;
    }
    /* A Repetition copy carries the confidence of the fragment it copies,
     * which the tagger may not have seen in the copy's sentence: every
     * sentence scores at least the span confidence of the fragments in it.
     * Fragments are sorted by start, so the first sentence to look at only
     * moves forward. */
    for (size_t i = 0, s0 = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        while (s0 < r->n_sentences && r->sentences[s0].end <= f->start) s0++;
        for (size_t s = s0; s < r->n_sentences && r->sentences[s].start < f->end; s++)
            if (r->sentences[s].score < f->span_confidence) r->sentences[s].score = f->span_confidence;
    }
    *out = r;
    return SLANT_OK;
fail:
    slant_result_free(r);
    return err_set(err, st, NULL, -1, -1, "analysis failed: %s", slant_strerror(st));
}

slant_status slant_analyze(const slant_model *m, const char *text, size_t len,
                           const slant_options *opt, slant_result **out, slant_error *err) {
    analyze_work w;
    slant_status st = analyze_work_init(&w);
    if (st == SLANT_OK) st = analyze_text(m, &w, text, len, opt, out, err);
    else err_set(err, st, NULL, -1, -1, "out of memory");
    analyze_work_fini(&w);
    return st;
}
