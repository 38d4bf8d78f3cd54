/*
 * Label groups in the span tagger (tagger.h: p_group, tagger_decode_fragments)
 * with the bundled model, whose tagger learnt two groups: each group's
 * P(inside) adds up to P(inside any span) in the scaled and the log-space
 * kernels, every group fragment lies inside a span of the same rule, and
 * a model without groups gives its spans as fragments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crf.h"
#include "model.h"
#include "tagger.h"
#include "test.h"

static slant_model *model;
static char *example;

/* Tags the example with m into w and d; returns the token count. */
static size_t tag_example(const slant_model *m, tagger_work *w, tok_doc *d) {
    CHECK(tok_tokenize(example, strlen(example), d) == SLANT_OK);
    CHECK(tagger_marginals(m, w, example, d) == SLANT_OK);
    return d->n_tokens;
}

/* The largest |sum over groups of P(group) - P(inside)| over the tokens. */
static double worst_group_sum_error(const slant_model *m) {
    tagger_work w;
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tagger_work_init(&w) == SLANT_OK);
    size_t T = tag_example(m, &w, &d), G = (size_t)m->tagger.n_groups;
    double worst = T ? 0 : INFINITY;
    for (size_t t = 0; t < T; t++) {
        double sum = 0;
        for (size_t g = 0; g < G; g++) {
            double p = w.p_group[g * T + t];
            CHECK(p >= 0 && p <= 1);
            sum += p;
        }
        if (fabs(sum - w.p_span[t]) > worst) worst = fabs(sum - w.p_span[t]);
    }
    tagger_work_fini(&w);
    tok_doc_fini(&d);
    return worst;
}

static void the_bundled_tagger_should_have_two_label_groups(void) {
    const tagger_model *tm = &model->tagger;
    CHECK_EQ_INT(tm->n_groups, 2);
    CHECK_EQ_INT(tm->L, 5);
    /* every technique in exactly one group */
    CHECK_EQ_INT(tm->group_techniques[0] & tm->group_techniques[1], 0);
    CHECK_EQ_INT(tm->group_techniques[0] | tm->group_techniques[1], (1u << SLANT_N_TECHNIQUES) - 1);
    CHECK_EQ_INT(tm->label_group[1], tm->label_group[2]);
    CHECK(tm->label_group[1] != tm->label_group[3]);
}

static void group_probabilities_should_add_up_to_p_inside(void) {
    CHECK(worst_group_sum_error(model) < 1e-9);
}

/* Transitions that the scaled kernel cannot take (every path but O -> O
 * underflows), so tagger_marginals takes the log-space one. */
static void group_probabilities_should_add_up_in_log_space_too(void) {
    slant_model *m = NULL;
    CHECK(slant_model_load("models/default.slant", &m, NULL) == SLANT_OK);
    if (!m) return;
    tagger_model *tm = &m->tagger;
    int L = tm->L;
    for (int k = 0; k < L * L; k++) tm->trans[k] = k == 0 ? 0.0 : -1000.0;
    for (int y = 0; y < L; y++) tm->start[y] = y == 1 ? 0.0 : -1000.0;
    tagger_model_changed(tm);
    /* the kernel does refuse them (two tokens, all emissions 0) */
    double *emit = calloc(2 * (size_t)L, sizeof *emit), *marg = calloc(2 * (size_t)L, sizeof *marg),
           *work = calloc(2 * (size_t)L + 2, sizeof *work);
    CHECK(emit && marg && work && !crf_marginals_scaled(2, L, emit, tm->trans, tm->start, marg, work));
    free(emit); free(marg); free(work);
    CHECK(worst_group_sum_error(m) < 1e-9);
    slant_model_free(m);
}

/* P(inside a group's span) <= P(inside), so each group's runs lie within
 * the runs of P(inside) under the same rule. */
static void every_fragment_should_lie_within_a_span(void) {
    static const double thresholds[] = {0.05, 0.2, 0.275, 0.5, 0.9};
    tagger_work w;
    tok_doc d;
    tagger_spans spans = {0}, frags = {0};
    tok_doc_init(&d);
    CHECK(tagger_work_init(&w) == SLANT_OK);
    size_t T = tag_example(model, &w, &d), n_frags = 0, n_nested = 0;
    for (size_t i = 0; i < sizeof thresholds / sizeof *thresholds; i++) {
        tagger_decoding dec = model->tagger.decoding;
        dec.low = thresholds[i] * dec.low / dec.threshold;
        dec.threshold = thresholds[i];
        CHECK(tagger_decode(w.p_span, T, &dec, &spans) == SLANT_OK);
        CHECK(tagger_decode_fragments(&model->tagger, &w, T, &dec, &frags) == SLANT_OK);
        for (size_t f = 0; f < frags.len; f++) {
            const tagger_span *a = &frags.items[f];
            int inside = 0;
            for (size_t s = 0; s < spans.len; s++)
                inside |= spans.items[s].first <= a->first && a->last <= spans.items[s].last;
            CHECK(inside);
            CHECK(a->confidence >= 0 && a->confidence <= 1);
            /* a shorter fragment of another group inside this one */
            for (size_t g = 0; g < frags.len; g++)
                n_nested += g != f && a->first <= frags.items[g].first && frags.items[g].last <= a->last &&
                            a->last - a->first > frags.items[g].last - frags.items[g].first;
        }
        n_frags += frags.len;
    }
    CHECK(n_frags > 0);
    CHECK(n_nested > 0);   /* what the groups are for: a phrase inside a clause */
    tagger_spans_fini(&spans);
    tagger_spans_fini(&frags);
    tagger_work_fini(&w);
    tok_doc_fini(&d);
}

static void without_groups_the_fragments_should_be_the_spans(void) {
    slant_model *m = NULL;
    CHECK(slant_model_load("models/default.slant", &m, NULL) == SLANT_OK);
    if (!m) return;
    m->tagger.n_groups = 0;
    tagger_work w;
    tok_doc d;
    tagger_spans spans = {0}, frags = {0};
    tok_doc_init(&d);
    CHECK(tagger_work_init(&w) == SLANT_OK);
    size_t T = tag_example(m, &w, &d);
    CHECK(tagger_decode(w.p_span, T, &m->tagger.decoding, &spans) == SLANT_OK);
    CHECK(tagger_decode_fragments(&m->tagger, &w, T, &m->tagger.decoding, &frags) == SLANT_OK);
    CHECK(spans.len > 0);
    CHECK_EQ_INT(frags.len, spans.len);
    for (size_t i = 0; i < spans.len && i < frags.len; i++)
        CHECK(spans.items[i].first == frags.items[i].first && spans.items[i].last == frags.items[i].last);
    tagger_spans_fini(&spans);
    tagger_spans_fini(&frags);
    tagger_work_fini(&w);
    tok_doc_fini(&d);
    slant_model_free(m);
}

int main(void) {
    size_t example_len;
    if (!test_load_bundled(&model, &example, &example_len)) return 1;
    TEST(the_bundled_tagger_should_have_two_label_groups);
    TEST(group_probabilities_should_add_up_to_p_inside);
    TEST(group_probabilities_should_add_up_in_log_space_too);
    TEST(every_fragment_should_lie_within_a_span);
    TEST(without_groups_the_fragments_should_be_the_spans);
    free(example);
    slant_model_free(model);
    return test_summary("tagger_groups");
}
