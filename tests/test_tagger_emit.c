/*
 * The tagger's fast emissions (tagger.c: word-template sums cached per word
 * across articles) against the training path's plain ones (feat_tokens:
 * every hash looked up and summed per token), with the bundled model. Both
 * must agree whatever the cache holds: a cold cache, one warmed by other
 * articles, a memo that starts again, and a second model sharing the work.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "tagger.h"
#include "test.h"

static slant_model *model;
static char *example;
static size_t example_len;

/* emit[t*L+y] by the training path: every feature of feat_tokens. */
static double *plain_emissions(const slant_model *m, const char *text, const tok_doc *d) {
    const tagger_model *tm = &m->tagger;
    size_t L = (size_t)tm->L, T = d->n_tokens;
    feat_ctx *c = feat_ctx_new();
    feat_seq s;
    feat_seq_init(&s);
    double *emit = calloc(T * L + 1, sizeof *emit);
    if (!c || !emit || feat_prepare(c, text, d) != SLANT_OK ||
        feat_tokens(c, &m->resources, text, d, NULL, &s) != SLANT_OK) {
        free(emit);
        emit = NULL;
    }
    for (size_t t = 0; emit && t < T; t++)
        for (uint32_t k = s.offs[t]; k < s.offs[t + 1]; k++) {
            uint32_t row = feat_table_find(&tm->table, s.hashes[k]);
            if (row == UINT32_MAX) continue;
            for (size_t y = 0; y < L; y++) emit[t * L + y] += (double)tm->w[(size_t)row * L + y];
        }
    feat_seq_fini(&s);
    feat_ctx_free(c);
    return emit;
}

/* Tags text with w and checks w->emit against the plain sums; returns the
 * number of tokens compared. */
static size_t check_against_plain(const slant_model *m, tagger_work *w, const char *text) {
    tok_doc d;
    tok_doc_init(&d);
    size_t T = 0;
    CHECK(tok_tokenize(text, strlen(text), &d) == SLANT_OK);
    CHECK(tagger_marginals(m, w, text, &d) == SLANT_OK);
    double *plain = plain_emissions(m, text, &d);
    CHECK(plain != NULL);
    size_t L = (size_t)m->tagger.L, bad = 0;
    T = d.n_tokens;
    for (size_t i = 0; plain && i < T * L; i++)
        if (!(fabs(w->emit[i] - plain[i]) <= 1e-9 * (1 + fabs(plain[i])))) bad++;
    CHECK_EQ_INT(bad, 0);
    free(plain);
    tok_doc_fini(&d);
    return T;
}

static void cached_emissions_should_equal_plain_ones_cold_and_warm(void) {
    tagger_work w;
    CHECK(tagger_work_init(&w) == SLANT_OK);
    size_t T = check_against_plain(model, &w, example);          /* cold */
    CHECK(T > 100);
    CHECK_EQ_INT(check_against_plain(model, &w, example), T);   /* every word cached */
    /* Words of the example in new company and at the article's edges. */
    CHECK(check_against_plain(model, &w, "Harbor bill! \"Bill\" harbor, the bill? HARBOR") > 0);
    CHECK(check_against_plain(model, &w, "x") == 1);
    CHECK(check_against_plain(model, &w, "") == 0);
    tagger_work_fini(&w);
}

/* More distinct words than the memo holds: it starts again between
 * articles, and sums cached before must not be taken for new words. */
static void emissions_should_survive_the_word_memo_starting_again(void) {
    tagger_work w;
    CHECK(tagger_work_init(&w) == SLANT_OK);
    size_t words = WORD_MEMO_SLOTS / 2 + 5000, cap = words * 12 + 1;
    char *big = malloc(cap);
    CHECK(big != NULL);
    if (!big) return;
    size_t o = 0;
    for (size_t i = 0; i < words; i++) o += (size_t)snprintf(big + o, cap - o, "w%zux%s", i * 7919, i % 9 ? " " : ". ");
    for (int round = 0; round < 3; round++) {
        CHECK(check_against_plain(model, &w, example) > 0);
        CHECK(check_against_plain(model, &w, big) >= words);
    }
    free(big);
    tagger_work_fini(&w);
}

/* One work, two models with different weights: sums cached for one must
 * never serve the other. */
static void a_work_shared_by_two_models_should_use_each_models_weights(void) {
    slant_model *other = NULL;
    slant_error err;
    CHECK(slant_model_load("models/default.slant", &other, &err) == SLANT_OK);
    if (!other) return;
    for (size_t i = 0; i < other->tagger.n_feat * (size_t)other->tagger.L; i++) other->tagger.w[i] *= 0.5f;
    tagger_model_changed(&other->tagger);
    tagger_work w;
    CHECK(tagger_work_init(&w) == SLANT_OK);
    for (int round = 0; round < 2; round++) {
        check_against_plain(model, &w, example);
        check_against_plain(other, &w, example);
    }
    tagger_work_fini(&w);
    slant_model_free(other);
}

/* A tagger with more labels than O/B/I (as --tagger-groups makes) takes
 * the general path: the bundled model's features, made-up weights. */
/* The bundled model and one made from it with another label count (5 if
 * it has 3, else 3) share a work: sums cached for one L must not serve
 * the other. */
static void a_model_with_another_label_count_should_agree_too(void) {
    slant_model *other = NULL;
    slant_error err;
    CHECK(slant_model_load("models/default.slant", &other, &err) == SLANT_OK);
    if (!other) return;
    tagger_model *tm = &other->tagger;
    size_t F = tm->n_feat, L = (size_t)tm->L, L2 = L == 3 ? 5 : 3;
    float *w = malloc(F * L2 * sizeof *w);
    CHECK(w != NULL);
    if (!w) { slant_model_free(other); return; }
    for (size_t f = 0; f < F; f++)
        for (size_t y = 0; y < L2; y++)
            w[f * L2 + y] = y < L ? tm->w[f * L + y] : tm->w[f * L + y % L] * -0.5f;
    free(tm->w);
    tm->w = w;
    tm->L = (int)L2;
    tm->n_groups = 0;
    for (size_t i = 0; i < L2 * L2; i++) tm->trans[i] = (double)(i % 7) * 0.1 - 0.3;
    for (size_t i = 0; i < L2; i++) tm->start[i] = 0.1 * (double)i;
    tagger_model_changed(tm);
    tagger_work wk;
    CHECK(tagger_work_init(&wk) == SLANT_OK);
    CHECK(check_against_plain(model, &wk, example) > 100);   /* L, then L2, then L */
    CHECK(check_against_plain(other, &wk, example) > 100);
    CHECK(check_against_plain(model, &wk, example) > 100);
    tagger_work_fini(&wk);
    slant_model_free(other);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Per token, feat_tokens' hashes are exactly the word templates of the
 * window, the small features, feat_context's hashes and the token's
 * word-in-quotes template, with sentence scores and without. */
static void the_split_features_should_be_the_training_features(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(example, example_len, &d) == SLANT_OK);
    float *scores = malloc((d.n_sentences + 1) * sizeof *scores);
    if (!scores) return;
    for (size_t i = 0; i < d.n_sentences; i++) scores[i] = (float)((i * 37) % 11) / 10.0f;   /* 0 .. 1 */
    feat_ctx *c = feat_ctx_new();
    feat_seq all, ctx;
    feat_seq_init(&all);
    feat_seq_init(&ctx);
    CHECK(c != NULL);
    for (int with = 0; c && with < 2; with++) {
        const float *sc = with ? scores : NULL;
        CHECK(feat_prepare(c, example, &d) == SLANT_OK);
        CHECK(feat_tokens(c, &model->resources, example, &d, sc, &all) == SLANT_OK);
        CHECK(feat_context(c, example, &d, sc, &ctx) == SLANT_OK);
        CHECK_EQ_INT(ctx.small_per_token, with ? FEAT_SMALL_PER_TOKEN : FEAT_SMALL_PER_TOKEN - 3);
        size_t bad = 0;
        for (size_t t = 0; t < d.n_tokens; t++) {
            uint64_t a[64], b[64];
            size_t na = all.offs[t + 1] - all.offs[t], nb = 0;
            if (na > 64) { bad++; continue; }
            memcpy(a, all.hashes + all.offs[t], na * sizeof *a);
            for (int o = -2; o <= 2; o++) {
                long u = (long)t + o;
                nb += feat_word(c, &model->resources, u >= 0 && (size_t)u < d.n_tokens ? (size_t)u : FEAT_OUTSIDE, o, b + nb);
            }
            for (size_t k = 0; k < ctx.small_per_token; k++)
                b[nb++] = feat_small_hash(ctx.small[t * ctx.small_per_token + k]);
            for (uint32_t k = ctx.offs[t]; k < ctx.offs[t + 1]; k++) b[nb++] = ctx.hashes[k];
            b[nb++] = feat_word_in_quotes(c, t, feat_in_quotes(c, t));
            qsort(a, na, sizeof *a, cmp_u64);
            qsort(b, nb, sizeof *b, cmp_u64);
            if (na != nb || memcmp(a, b, na * sizeof *a) != 0) bad++;
        }
        CHECK_EQ_INT(bad, 0);
    }
    feat_seq_fini(&all);
    feat_seq_fini(&ctx);
    feat_ctx_free(c);
    free(scores);
    tok_doc_fini(&d);
}

int main(void) {
    if (!test_load_bundled(&model, &example, &example_len)) return 1;
    TEST(the_split_features_should_be_the_training_features);
    TEST(cached_emissions_should_equal_plain_ones_cold_and_warm);
    TEST(emissions_should_survive_the_word_memo_starting_again);
    TEST(a_work_shared_by_two_models_should_use_each_models_weights);
    TEST(a_model_with_another_label_count_should_agree_too);
    free(example);
    slant_model_free(model);
    return test_summary("tagger_emit");
}
