/*
 * slant_analyze through the public API with the bundled model: offsets,
 * scores and explanation cues are consistent with each other. (One test
 * sets the classifier's reported techniques, model.h, to check how
 * slant_options.technique_mask meets them.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "slant.h"
#include "span_classifier.h"
#include "test.h"

static slant_model *model;
static char *text;
static size_t text_len;

/* A sentence scores at least the span confidence of every fragment in it,
 * so a report never shows a fragment in a sentence it calls calm. */
static void check_sentences_score_their_fragments(const slant_result *r) {
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        for (size_t s = 0; s < r->n_sentences; s++)
            if (r->sentences[s].start < f->end && f->start < r->sentences[s].end)
                CHECK(r->sentences[s].score >= f->span_confidence);
    }
}

static void analyze_should_keep_cues_inside_their_fragment_heaviest_first(void) {
    slant_result *r = NULL;
    slant_error err;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, NULL, &r, &err), SLANT_OK);
    if (!r) return;
    size_t with_cues = 0;
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        CHECK(f->n_cues <= SLANT_MAX_CUES);
        if (f->n_cues) with_cues++;
        for (size_t k = 0; k < f->n_cues; k++) {
            const slant_cue *c = &f->cues[k];
            CHECK(c->start >= f->start && c->end <= f->end && c->start < c->end);
            CHECK(c->cp_start >= f->cp_start && c->cp_end <= f->cp_end);
            CHECK(c->weight > 0);
            if (k) CHECK(c->weight <= f->cues[k - 1].weight);
        }
    }
    CHECK(r->n_fragments > 0);
    CHECK(with_cues > 0);
    slant_result_free(r);
}

static void analyze_should_give_scores_in_range_and_sentences_in_order(void) {
    slant_result *r = NULL;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, NULL, &r, NULL), SLANT_OK);
    if (!r) return;
    CHECK(r->score >= 0 && r->score <= 1);
    for (size_t i = 0; i < r->n_sentences; i++) {
        CHECK(r->sentences[i].score >= 0 && r->sentences[i].score <= 1);
        if (i) CHECK(r->sentences[i].start >= r->sentences[i - 1].end);
    }
    for (size_t i = 0; i < r->n_fragments; i++) {
        CHECK(r->fragments[i].confidence >= 0 && r->fragments[i].confidence <= 1);
        CHECK(r->fragments[i].end <= text_len);
    }
    check_sentences_score_their_fragments(r);
    slant_result_free(r);
}

/* slant_result's promises: spans disjoint and in text order; fragments
 * by start, the longer first, then technique, never two with one range
 * and technique, each inside a span. */
static void spans_should_be_ordered_and_hold_every_fragment(void) {
    slant_result *r = NULL;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, NULL, &r, NULL), SLANT_OK);
    if (!r) return;
    CHECK(r->n_spans > 0);
    for (size_t i = 0; i < r->n_spans; i++) {
        const slant_span *s = &r->spans[i];
        CHECK(s->start < s->end && s->end <= text_len && s->cp_start < s->cp_end);
        CHECK(s->confidence >= 0 && s->confidence <= 1);
        if (i) CHECK(s->start >= r->spans[i - 1].end);
    }
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        int inside = 0;
        for (size_t k = 0; k < r->n_spans; k++)
            inside |= r->spans[k].start <= f->start && f->end <= r->spans[k].end &&
                      r->spans[k].cp_start <= f->cp_start && f->cp_end <= r->spans[k].cp_end;
        CHECK(inside);
        if (!i) continue;
        const slant_fragment *e = &r->fragments[i - 1];
        CHECK(e->start < f->start || (e->start == f->start && e->end > f->end) ||
              (e->start == f->start && e->end == f->end && e->technique < f->technique));
    }
    slant_result_free(r);
}

/* The words of a fragment said again elsewhere are a Repetition fragment
 * there (repetition.h): the example with a found fragment's text appended
 * as a last paragraph (where the tagger alone finds nothing). */
static void a_repeated_fragment_should_be_repetition_where_it_recurs(void) {
    slant_result *r = NULL, *r2 = NULL;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, NULL, &r, NULL), SLANT_OK);
    if (!r) return;
    const slant_fragment *f = NULL;
    for (size_t i = 0; i < r->n_fragments && !f; i++)
        if (memchr(text + r->fragments[i].start, ' ', r->fragments[i].end - r->fragments[i].start)) f = &r->fragments[i];
    CHECK(f != NULL);
    if (f) {
        size_t n = f->end - f->start, len = text_len + 2 + n + 1;
        char *t2 = malloc(len);
        if (t2) {
            memcpy(t2, text, text_len);
            memcpy(t2 + text_len, "\n\n", 2);
            memcpy(t2 + text_len + 2, text + f->start, n);
            t2[len - 1] = '\n';
            CHECK_EQ_INT(slant_analyze(model, t2, len, NULL, &r2, NULL), SLANT_OK);
            /* Appending changes the article, so the fragment may shrink;
             * a Repetition fragment in the new paragraph must copy the
             * words of a fragment before it. */
            int found = 0;
            for (size_t i = 0; r2 && i < r2->n_fragments; i++) {
                const slant_fragment *g = &r2->fragments[i];
                const slant_technique *k = slant_technique_get(g->technique);
                if (g->start < text_len + 2 || !k || strcmp(k->name, "Repetition") != 0) continue;
                for (size_t j = 0; j < r2->n_fragments; j++) {
                    const slant_fragment *h = &r2->fragments[j];
                    found |= h->end <= text_len && h->end - h->start == g->end - g->start &&
                             memcmp(t2 + h->start, t2 + g->start, g->end - g->start) == 0;
                }
            }
            CHECK(found);
            if (r2) check_sentences_score_their_fragments(r2);
            free(t2);
        }
    }
    slant_result_free(r);
    slant_result_free(r2);
}

/* Raising the threshold raises both ends of the hysteresis rule, so every
 * fragment found at the higher one lies inside one found at the lower. */
static void a_higher_threshold_should_only_find_parts_of_lower_threshold_fragments(void) {
    slant_options lo, hi;
    slant_options_init(&lo);
    slant_options_init(&hi);
    lo.threshold = 0.1;
    hi.threshold = 0.9;
    slant_result *a = NULL, *b = NULL;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, &lo, &a, NULL), SLANT_OK);
    CHECK_EQ_INT(slant_analyze(model, text, text_len, &hi, &b, NULL), SLANT_OK);
    for (size_t i = 0; a && b && i < b->n_fragments; i++) {
        int inside = 0;
        for (size_t j = 0; j < a->n_fragments; j++)
            if (a->fragments[j].start <= b->fragments[i].start && b->fragments[i].end <= a->fragments[j].end)
                inside = 1;
        CHECK(inside);
    }
    if (a && b) CHECK(a->n_fragments > 0);
    slant_result_free(a);
    slant_result_free(b);
}

/* Scraped pages repeat boilerplate: a long article of one repeated
 * sentence (over 4,096 tokens, so the word index is used) must be analysed
 * with every offset in range (under the sanitizers this exercises the
 * long-article paths of the repetition counts). */
static void a_long_repetitive_article_should_be_analysed(void) {
    static const char unit[] = "The greedy corrupt elite will destroy our great nation, and everyone knows it. ";
    size_t n_units = 3000, ul = sizeof unit - 1;
    char *big = malloc(n_units * ul);
    if (!big) return;
    for (size_t i = 0; i < n_units; i++) memcpy(big + i * ul, unit, ul);
    slant_result *r = NULL;
    CHECK_EQ_INT(slant_analyze(model, big, n_units * ul, NULL, &r, NULL), SLANT_OK);
    if (r) {
        CHECK(r->n_fragments > 0);
        for (size_t i = 0; i < r->n_fragments; i++) CHECK(r->fragments[i].end <= n_units * ul);
    }
    slant_result_free(r);
    free(big);
}

static size_t count_technique(const slant_result *r, int k) {
    size_t n = 0;
    for (size_t i = 0; i < r->n_fragments; i++) n += r->fragments[i].technique == k;
    return n;
}

/* A technique the model does not report loses its fragments (nothing else
 * changes: the other fragments, the spans) unless the caller names it. */
static void unreported_techniques_should_be_left_out_unless_named(void) {
    slant_options all, only;
    slant_options_init(&all);
    all.technique_mask = SLANT_ALL_TECHNIQUES;
    slant_result *ra = NULL, *rd = NULL, *ro = NULL;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, &all, &ra, NULL), SLANT_OK);
    if (!ra || ra->n_fragments == 0 || !model->classifier) { CHECK(0); slant_result_free(ra); return; }
    int k = ra->fragments[0].technique;
    CHECK(k >= 0);
    uint32_t saved = model->classifier->reported;
    CHECK_EQ_INT(slant_model_reported_techniques(model), saved);
    CHECK_EQ_INT(slant_model_reported_techniques(NULL), 0);
    model->classifier->reported = SLANT_ALL_TECHNIQUES & ~(1u << k);
    CHECK_EQ_INT(slant_model_reported_techniques(model), SLANT_ALL_TECHNIQUES & ~(1u << k));
    slant_options_init(&only);
    only.technique_mask = 1u << k;
    CHECK_EQ_INT(slant_analyze(model, text, text_len, NULL, &rd, NULL), SLANT_OK);
    CHECK_EQ_INT(slant_analyze(model, text, text_len, &only, &ro, NULL), SLANT_OK);
    model->classifier->reported = saved;
    if (rd && ro) {
        CHECK_EQ_INT(count_technique(rd, k), 0);
        CHECK_EQ_INT(rd->n_fragments, ra->n_fragments - count_technique(ra, k));
        for (size_t i = 0, j = 0; i < ra->n_fragments && j < rd->n_fragments; i++) {
            if (ra->fragments[i].technique == k) continue;
            CHECK(ra->fragments[i].start == rd->fragments[j].start && ra->fragments[i].end == rd->fragments[j].end &&
                  ra->fragments[i].technique == rd->fragments[j].technique);
            j++;
        }
        CHECK_EQ_INT(rd->n_spans, ra->n_spans);
        for (size_t i = 0; i < rd->n_spans && i < ra->n_spans; i++)
            CHECK(rd->spans[i].start == ra->spans[i].start && rd->spans[i].end == ra->spans[i].end);
        CHECK_EQ_INT(ro->n_fragments, count_technique(ra, k));
        CHECK_EQ_INT(count_technique(ro, k), ro->n_fragments);
    }
    slant_result_free(ra);
    slant_result_free(rd);
    slant_result_free(ro);
}

int main(void) {
    if (!test_load_bundled(&model, &text, &text_len)) return 1;
    TEST(analyze_should_keep_cues_inside_their_fragment_heaviest_first);
    TEST(analyze_should_give_scores_in_range_and_sentences_in_order);
    TEST(spans_should_be_ordered_and_hold_every_fragment);
    TEST(a_repeated_fragment_should_be_repetition_where_it_recurs);
    TEST(a_higher_threshold_should_only_find_parts_of_lower_threshold_fragments);
    TEST(a_long_repetitive_article_should_be_analysed);
    TEST(unreported_techniques_should_be_left_out_unless_named);
    free(text);
    slant_model_free(model);
    return test_summary("analyze");
}
