/*
 * Tests for span features (span_features.c), the technique classifier and
 * its TECH payload (span_classifier.c) and its training
 * (span_classifier_train.c), on hand-written text. K = SLANT_N_TECHNIQUES.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "corpus.h"
#include "span_classifier.h"
#include "span_classifier_train.h"
#include "span_features.h"
#include "test.h"
#include "token_features.h"
#include "word_memo.h"
#include "word_vectors.h"

#define K SLANT_N_TECHNIQUES

static const char *article =
    "Migrants storm the border\n"
    "\n"
    "The migrants will storm the border again, officials said.\n"
    "\"This is an invasion!\" he shouted.\n"
    "Is it really an invasion? Nobody knows.\n"
    "The migrants will storm the border again.\n";

/* Code point offset of the n-th (0-based) occurrence of needle (ASCII text). */
static uint32_t find_nth(const char *hay, const char *needle, int n) {
    const char *p = hay;
    for (;;) {
        p = strstr(p, needle);
        if (!p || n-- == 0) break;
        p++;
    }
    return p ? (uint32_t)(p - hay) : 0;
}

static int has_hash(const spf_list *l, const spf_list *other, size_t i) {
    for (size_t j = 0; j < other->n; j++) if (other->hash[j] == l->hash[i]) return 1;
    return 0;
}

/* ---- features ---- */

static void span_features_should_be_deterministic_and_mask_groups(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    spf_ctx *c = spf_ctx_new();
    spf_list a, b;
    spf_list_init(&a);
    spf_list_init(&b);
    CHECK(c != NULL);
    CHECK(spf_span(c, SPF_ALL, 0, 5, &a) == SLANT_EINVAL);   /* no article yet */
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    uint32_t s = find_nth(article, "an invasion", 0);
    CHECK(spf_span(c, SPF_ALL, s, s + 11, &a) == SLANT_OK);
    CHECK(spf_span(c, SPF_ALL, s, s + 11, &b) == SLANT_OK);
    CHECK(a.n > 20 && a.n == b.n);
    CHECK(memcmp(a.hash, b.hash, a.n * sizeof *a.hash) == 0);
    for (size_t i = 0; i < a.n; i++) CHECK(a.val[i] > 0 && a.val[i] <= 1.0f);
    /* Only the bias and the length features without any group but LENGTH. */
    CHECK(spf_span(c, SPF_LENGTH, s, s + 11, &b) == SLANT_OK);
    CHECK_EQ_INT(b.n, 3);
    /* A span over whitespace only covers no token: bias and length only. */
    uint32_t nl = find_nth(article, "\n\n", 0);
    CHECK(spf_span(c, SPF_ALL, nl, nl + 2, &b) == SLANT_OK);
    CHECK_EQ_INT(b.n, 3);
    spf_list_fini(&a);
    spf_list_fini(&b);
    spf_ctx_free(c);
    tok_doc_fini(&d);
}

static void span_features_should_see_repetition_of_the_span_text(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    spf_ctx *c = spf_ctx_new();
    spf_list rep, once, rep2;
    spf_list_init(&rep); spf_list_init(&once); spf_list_init(&rep2);
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    /* The same phrase at its two places in the body differs only by
     * position and context; the repetition cues are the same. */
    uint32_t r1 = find_nth(article, "The migrants will storm the border again", 0);
    uint32_t r2 = find_nth(article, "The migrants will storm the border again", 1);
    uint32_t o = find_nth(article, "Nobody knows", 0);
    CHECK(spf_span(c, SPF_REPEAT, r1, r1 + 40, &rep) == SLANT_OK);
    CHECK(spf_span(c, SPF_REPEAT, r2, r2 + 40, &rep2) == SLANT_OK);
    CHECK(spf_span(c, SPF_REPEAT, o, o + 12, &once) == SLANT_OK);
    /* The exact-copy count feature of the repeated phrase (2 copies) is
     * shared by both copies and differs from a phrase seen once. */
    size_t shared = 0, with_once = 0;
    for (size_t i = 0; i < rep.n; i++) { shared += has_hash(&rep, &rep2, i) ? 1u : 0u; with_once += has_hash(&rep, &once, i) ? 1u : 0u; }
    CHECK(shared > with_once);
    /* ...but not all: the first copy has a later copy, the second an earlier one. */
    CHECK(shared < rep.n);
    spf_list_fini(&rep); spf_list_fini(&once); spf_list_fini(&rep2);
    spf_ctx_free(c);
    tok_doc_fini(&d);
}

static void span_features_should_average_word_vectors(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    spf_ctx *c = spf_ctx_new();
    spf_vectors v;
    spf_vectors_init(&v);
    CHECK(spf_vectors_alloc(&v, 2, 2) == SLANT_OK);
    uint64_t hm = feat_word_hash("migrants", 8), hb = feat_word_hash("border", 6);
    int lo = hm < hb ? 0 : 1;
    v.hash[lo] = hm; v.q[lo * 2] = 100; v.q[lo * 2 + 1] = 0;
    v.hash[1 - lo] = hb; v.q[(1 - lo) * 2] = 0; v.q[(1 - lo) * 2 + 1] = 50;
    v.scale = 0.01f;
    CHECK(spf_vectors_find(&v, hb) == 1 - lo && spf_vectors_find(&v, 12345) == -1);
    spf_list a, b;
    spf_list_init(&a);
    spf_list_init(&b);
    spf_set_vectors(c, &v, 0);
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    /* "Migrants storm the border": two of its four words have vectors. */
    CHECK(spf_span(c, SPF_LENGTH, 0, 25, &a) == SLANT_OK);
    CHECK(spf_span(c, SPF_LENGTH | SPF_VECTORS, 0, 25, &b) == SLANT_OK);
    CHECK_EQ_INT(b.n, a.n + 2);
    if (b.n == a.n + 2) {
        CHECK_NEAR(b.val[a.n], 0.5, 1e-6);
        CHECK_NEAR(b.val[a.n + 1], 0.25, 1e-6);
    }
    /* Factored (rows_wanted): the same block as the two words' rows. */
    spf_list r;
    spf_list_init(&r);
    r.rows_wanted = 1;
    CHECK(spf_span(c, SPF_LENGTH | SPF_VECTORS, 0, 25, &r) == SLANT_OK);
    CHECK_EQ_INT(r.n, a.n);
    CHECK_EQ_INT(r.n_rows, 2);
    if (r.n_rows == 2) CHECK(r.rows[0] == lo && r.rows[1] == 1 - lo);
    CHECK_EQ_INT(r.rows_at, a.n);
    CHECK_NEAR(r.rows_scale, 0.005, 1e-9);
    spf_list_fini(&r);
    /* No word with a vector: one "none" feature. */
    uint32_t o = find_nth(article, "Nobody knows", 0);
    CHECK(spf_span(c, SPF_LENGTH, o, o + 12, &a) == SLANT_OK);
    CHECK(spf_span(c, SPF_LENGTH | SPF_VECTORS, o, o + 12, &b) == SLANT_OK);
    CHECK_EQ_INT(b.n, a.n + 1);
    /* Without vectors the group adds nothing. */
    spf_set_vectors(c, NULL, 0);
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    CHECK(spf_span(c, SPF_LENGTH | SPF_VECTORS, 0, 25, &b) == SLANT_OK);
    CHECK(spf_span(c, SPF_LENGTH, 0, 25, &a) == SLANT_OK);
    CHECK_EQ_INT(b.n, a.n);
    spf_list_fini(&a);
    spf_list_fini(&b);
    spf_vectors_fini(&v);
    spf_ctx_free(c);
    tok_doc_fini(&d);
}

/* The features (groups mask) of spans of 1 to 4 tokens all over article
 * d, by c and by fresh: the same hashes and values. */
static void check_spans_as_fresh(spf_ctx *c, spf_ctx *fresh, const tok_doc *d, uint32_t mask) {
    spf_list a, b;
    spf_list_init(&a);
    spf_list_init(&b);
    for (size_t i = 0; i + 4 <= d->n_tokens; i++) {
        uint32_t st = d->tokens[i].cp_start, en = d->tokens[i + i % 4].cp_end;
        CHECK(spf_span(c, mask, st, en, &a) == SLANT_OK);
        CHECK(spf_span(fresh, mask, st, en, &b) == SLANT_OK);
        CHECK(a.n == b.n);
        if (a.n != b.n) break;
        CHECK(memcmp(a.hash, b.hash, a.n * sizeof *a.hash) == 0);
        CHECK(memcmp(a.val, b.val, a.n * sizeof *a.val) == 0);
    }
    spf_list_fini(&a);
    spf_list_fini(&b);
}

/* The span vector features of c (vectors v, id) equal a fresh context's
 * with v and no id, for spans of 1 to 4 tokens all over the article. */
static void check_vectors_as_fresh(spf_ctx *c, const spf_vectors *v, uint64_t id) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    spf_ctx *fresh = spf_ctx_new();
    if (fresh) {
        spf_set_vectors(c, v, id);
        spf_set_vectors(fresh, v, 0);
        CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
        CHECK(spf_article(fresh, article, &d, NULL) == SLANT_OK);
        check_spans_as_fresh(c, fresh, &d, SPF_LENGTH | SPF_VECTORS);
    }
    spf_ctx_free(fresh);
    tok_doc_fini(&d);
}

/* With an id, each word's vector row is kept across articles: it must be
 * looked up again when the vectors (the id) change. */
static void kept_vector_rows_should_follow_the_vectors(void) {
    spf_vectors v1, v2;
    spf_vectors_init(&v1);
    spf_vectors_init(&v2);
    spf_ctx *c = spf_ctx_new();
    if (c && spf_vectors_alloc(&v1, 2, 2) == SLANT_OK && spf_vectors_alloc(&v2, 2, 2) == SLANT_OK) {
        /* v1: migrants, border; v2: storm, border (other rows). */
        uint64_t hm = feat_word_hash("migrants", 8), hb = feat_word_hash("border", 6),
                 hs = feat_word_hash("storm", 5);
        int lo = hm < hb ? 0 : 1;
        v1.hash[lo] = hm; v1.q[lo * 2] = 100; v1.q[lo * 2 + 1] = 0;
        v1.hash[1 - lo] = hb; v1.q[(1 - lo) * 2] = 0; v1.q[(1 - lo) * 2 + 1] = 50;
        lo = hs < hb ? 0 : 1;
        v2.hash[lo] = hs; v2.q[lo * 2] = -40; v2.q[lo * 2 + 1] = 40;
        v2.hash[1 - lo] = hb; v2.q[(1 - lo) * 2] = 20; v2.q[(1 - lo) * 2 + 1] = -90;
        v1.scale = v2.scale = 0.01f;
        check_vectors_as_fresh(c, &v1, 7);
        check_vectors_as_fresh(c, &v1, 7);   /* rows kept from the last article */
        check_vectors_as_fresh(c, &v2, 8);
        check_vectors_as_fresh(c, &v1, 7);
        check_vectors_as_fresh(c, &v2, 0);   /* no id: nothing kept */
    }
    spf_vectors_fini(&v1);
    spf_vectors_fini(&v2);
    spf_ctx_free(c);
}

/* ---- a toy training set ---- */

/* Articles whose spans are one of three cue words; the technique follows
 * the word, so the classifier must learn word -> technique. */
static void toy_set(corpus *cp, lab_list *gold) {
    static const char *words[3] = {"traitor", "invasion", "patriots"};
    static const int tech[3] = {9, 1, 7};   /* Name_Calling, Appeal_to_fear, Flag-Waving */
    corpus_init(cp);
    lab_list_init(gold);
    for (int a = 0; a < 12; a++) {
        char buf[512];
        int n = snprintf(buf, sizeof buf, "Title number %d\n\nThey called him a %s today.\n"
                         "Then came the %s of the town.\nWe are %s and %s.\n",
                         a, words[a % 3], words[(a + 1) % 3], words[(a + 2) % 3], words[a % 3]);
        corpus_article art;
        memset(&art, 0, sizeof art);
        snprintf(art.id, sizeof art.id, "%d", 100 + a);
        text_init(&art.text);
        CHECK(text_load(&art.text, buf, (size_t)n, 0, NULL) == SLANT_OK);
        for (int w = 0; w < 3; w++) {
            uint32_t s = find_nth(buf, words[w], 0);
            lab_span l;
            memset(&l, 0, sizeof l);
            memcpy(l.id, art.id, LAB_ID_MAX);
            l.technique = tech[w];
            l.start = s;
            l.end = s + (uint32_t)strlen(words[w]);
            l.line = (uint32_t)gold->len + 1;
            CHECK(lab_list_push(gold, &l) == SLANT_OK);
        }
        if (cp->len == cp->cap) {
            cp->cap = cp->cap ? 2 * cp->cap : 16;
            cp->items = realloc(cp->items, cp->cap * sizeof *cp->items);
        }
        cp->items[cp->len++] = art;
    }
}

static span_classifier *toy_train(const corpus *cp, const lab_list *gold) {
    sct_opts o;
    sct_opts_init(&o);
    o.min_count = 1;
    o.holdout = 3;
    span_classifier *c = NULL;
    sct_report r;
    slant_error err;
    CHECK(sct_train(cp, gold, "toy", &o, &c, &r, &err) == SLANT_OK);
    CHECK(r.n_examples == gold->len);
    CHECK(r.temperature > 0);
    return c;
}

static void span_features_should_use_clusters_and_the_batch(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    spf_ctx *c = spf_ctx_new();
    spf_list none, one, other;
    spf_list_init(&none); spf_list_init(&one); spf_list_init(&other);
    uint32_t s = find_nth(article, "an invasion", 0);
    /* Without clusters the group adds no bag; with "invasion" in a cluster
     * it does, and another cluster path gives other hashes. */
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    CHECK(spf_span(c, SPF_CLUSTERS, s, s + 11, &none) == SLANT_OK);
    uint64_t word = feat_word_hash("invasion", 8);
    uint32_t path = 0xA5A50000u;
    uint8_t depth = 16;
    feat_clusters cl = { &word, &path, &depth, 1, NULL };
    CHECK(spf_article(c, article, &d, &cl) == SLANT_OK);
    CHECK(spf_span(c, SPF_CLUSTERS, s, s + 11, &one) == SLANT_OK);
    CHECK(one.n == none.n + 3);
    path = 0x5A5A0000u;
    CHECK(spf_article(c, article, &d, &cl) == SLANT_OK);
    CHECK(spf_span(c, SPF_CLUSTERS, s, s + 11, &other) == SLANT_OK);
    CHECK_EQ_INT(other.n, one.n);
    size_t shared = 0;
    for (size_t i = 0; i < one.n; i++) shared += has_hash(&one, &other, i) ? 1u : 0u;
    CHECK(shared < one.n);
    /* The batch: a copy of the span's text among the batch spans changes
     * the BATCH features; spf_article forgets the batch. */
    uint32_t r1 = find_nth(article, "The migrants will storm the border again", 0);
    uint32_t r2 = find_nth(article, "The migrants will storm the border again", 1);
    CHECK(spf_span(c, SPF_BATCH, r1, r1 + 40, &none) == SLANT_OK);
    uint32_t st[2] = {r1, r2}, en[2] = {r1 + 40, r2 + 40};
    CHECK(spf_batch(c, st, en, 2) == SLANT_OK);
    CHECK(spf_span(c, SPF_BATCH, r1, r1 + 40, &one) == SLANT_OK);
    CHECK_EQ_INT(one.n, none.n);
    CHECK(memcmp(one.hash, none.hash, one.n * sizeof *one.hash) != 0);
    CHECK(spf_article(c, article, &d, NULL) == SLANT_OK);
    CHECK(spf_span(c, SPF_BATCH, r1, r1 + 40, &other) == SLANT_OK);
    CHECK(memcmp(other.hash, none.hash, other.n * sizeof *other.hash) == 0);
    spf_list_fini(&none); spf_list_fini(&one); spf_list_fini(&other);
    spf_ctx_free(c);
    tok_doc_fini(&d);
}

static void classifier_should_learn_a_toy_set(void) {
    corpus cp;
    lab_list gold;
    toy_set(&cp, &gold);
    span_classifier *c = toy_train(&cp, &gold);
    CHECK(c != NULL);
    if (!c) return;
    double acc = 0;
    slant_error err;
    CHECK(sct_accuracy(c, NULL, &cp, &gold, "toy", &acc, &err) == SLANT_OK);
    CHECK_NEAR(acc, 1.0, 1e-12);
    double *p = malloc(gold.len * K * sizeof *p);
    CHECK(span_classifier_score_list(c, NULL, &cp, &gold, "toy", 1, p, &err) == SLANT_OK);
    for (size_t i = 0; i < gold.len; i++) {
        double sum = 0;
        for (size_t k = 0; k < K; k++) { CHECK(p[i * K + k] >= 0 && p[i * K + k] <= 1); sum += p[i * K + k]; }
        CHECK_NEAR(sum, 1.0, 1e-9);
    }
    /* A span in an unknown article is named by its line. */
    lab_list bad;
    lab_list_init(&bad);
    lab_span s = gold.items[4];
    strcpy(s.id, "999");
    s.line = 7;
    lab_list_push(&bad, &s);
    slant_error_clear(&err);
    CHECK(span_classifier_score_list(c, NULL, &cp, &bad, "spans.txt", 1, p, &err) == SLANT_EINVAL);
    CHECK(err.line == 7 && strcmp(err.file, "spans.txt") == 0);
    lab_list_fini(&bad);
    free(p);
    span_classifier_free(c);
    corpus_fini(&cp);
    lab_list_fini(&gold);
}

static void copies_of_a_span_should_get_their_first_then_second_choice(void) {
    lab_list l;
    lab_list_init(&l);
    lab_span s;
    memset(&s, 0, sizeof s);
    strcpy(s.id, "1");
    s.start = 0; s.end = 5;
    lab_list_push(&l, &s);
    lab_list_push(&l, &s);
    s.start = 6; s.end = 9;
    lab_list_push(&l, &s);
    double p[3 * K];
    for (int i = 0; i < 3 * K; i++) p[i] = 0.01;
    p[0 * K + 3] = 0.5; p[0 * K + 5] = 0.3;
    p[1 * K + 3] = 0.5; p[1 * K + 5] = 0.3;
    p[2 * K + 3] = 0.5; p[2 * K + 5] = 0.3;
    int pred[3];
    CHECK(span_classifier_assign(&l, p, pred) == SLANT_OK);
    CHECK_EQ_INT(pred[0], 3);
    CHECK_EQ_INT(pred[1], 5);
    CHECK_EQ_INT(pred[2], 3);
    int t[2];
    CHECK_EQ_INT(span_classifier_flc_labels(p, 0.35, t), 1);
    CHECK_EQ_INT(span_classifier_flc_labels(p, 0.3, t), 2);
    CHECK(t[0] == 3 && t[1] == 5);
    lab_list_fini(&l);
}

/* ---- the TECH payload ---- */

static void payload_should_round_trip_byte_identical(void) {
    corpus cp;
    lab_list gold;
    toy_set(&cp, &gold);
    span_classifier *c = toy_train(&cp, &gold), *c2 = NULL;
    CHECK(c != NULL);
    if (!c) return;
    c->second_threshold = 0.25;
    c->reported = SLANT_ALL_TECHNIQUES & ~(1u << 4 | 1u << 12);
    /* Two word vectors ride along (payload version 2). */
    CHECK(spf_vectors_alloc(&c->vectors, 2, 3) == SLANT_OK);
    c->vectors.hash[0] = 7; c->vectors.hash[1] = 11;
    for (int i = 0; i < 6; i++) c->vectors.q[i] = (int8_t)(i * 20 - 60);
    c->vectors.scale = 0.125f;
    c->vectors.depth = 14;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    CHECK(span_classifier_serialize(c, &b1, &n1) == SLANT_OK);
    CHECK(span_classifier_parse(b1, n1, &c2) == SLANT_OK);
    CHECK(c2 != NULL);
    if (c2) {
        CHECK(span_classifier_serialize(c2, &b2, &n2) == SLANT_OK);
        CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0);
        CHECK(c2->second_threshold == 0.25 && c2->temperature == c->temperature);
        CHECK_EQ_INT(c2->reported, SLANT_ALL_TECHNIQUES & ~(1u << 4 | 1u << 12));
        CHECK(c2->vectors.n == 2 && c2->vectors.dim == 3 && c2->vectors.scale == 0.125f && c2->vectors.depth == 14 &&
              memcmp(c2->vectors.q, c->vectors.q, 6) == 0 && c2->vectors.hash[1] == 11);
        /* The parsed classifier predicts exactly what the original did. */
        double p1[K], p2[K];
        span_classifier_work w;
        tok_doc d;
        tok_doc_init(&d);
        CHECK(span_classifier_work_init(&w) == SLANT_OK);
        const corpus_article *a = &cp.items[0];
        CHECK(tok_tokenize(a->text.data, a->text.len, &d) == SLANT_OK);
        CHECK(span_classifier_article(&w, NULL, a->text.data, &d, NULL) == SLANT_OK);
        CHECK(span_classifier_predict(c, &w, gold.items[0].start, gold.items[0].end, p1) == SLANT_OK);
        CHECK(span_classifier_predict(c2, &w, gold.items[0].start, gold.items[0].end, p2) == SLANT_OK);
        CHECK(memcmp(p1, p2, sizeof p1) == 0);
        span_classifier_work_fini(&w);
        tok_doc_fini(&d);
    }
    free(b2);
    free(b1);
    span_classifier_free(c2);
    span_classifier_free(c);
    corpus_fini(&cp);
    lab_list_fini(&gold);
}

/* Only a technique with enough dev fragments, none right even in part, is
 * left out. */
static void reported_should_drop_only_techniques_never_right(void) {
    metric_prf per[SLANT_N_TECHNIQUES];
    memset(per, 0, sizeof per);
    CHECK_EQ_INT(sct_reported(per), SLANT_ALL_TECHNIQUES);          /* nothing predicted */
    per[2].n_pred = SCT_UNREPORTED_MIN_FRAGMENTS;                   /* never right */
    per[3].n_pred = SCT_UNREPORTED_MIN_FRAGMENTS - 1;               /* too few to judge */
    per[5].n_pred = 40; per[5].p_sum = 0.01;                        /* right once, in part */
    per[7].n_pred = 40; per[7].p_sum = 9;
    CHECK_EQ_INT(sct_reported(per), SLANT_ALL_TECHNIQUES & ~(1u << 2));
    /* every technique never right: none is left out (a model reporting
     * nothing would be refused on load) */
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++) { per[k].n_pred = 5; per[k].p_sum = 0; }
    CHECK_EQ_INT(sct_reported(per), SLANT_ALL_TECHNIQUES);
}

static void parse_should_reject_truncated_and_damaged_payloads(void) {
    span_classifier *c = span_classifier_new(3), *out = NULL;
    CHECK(c != NULL);
    if (!c) return;
    c->keys[0] = 5; c->keys[1] = 9; c->keys[2] = 70;
    for (size_t i = 0; i < 3 * K; i++) c->w[i] = (float)i * 0.5f;
    CHECK(span_classifier_index(c) == SLANT_OK);
    uint8_t *b = NULL;
    size_t n = 0;
    CHECK(span_classifier_serialize(c, &b, &n) == SLANT_OK);
    CHECK(span_classifier_parse(b, n, &out) == SLANT_OK);
    span_classifier_free(out);
    for (size_t cut = 0; cut < n; cut++) {
        out = NULL;
        CHECK(span_classifier_parse(b, cut, &out) == SLANT_EFORMAT);
        CHECK(out == NULL);
    }
    uint8_t *m = malloc(n);
    memcpy(m, b, n);
    m[0] = SC_PAYLOAD_VERSION + 1;              /* newer payload version */
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EVERSION);
    memcpy(m, b, n);
    m[12] = 13;                                 /* wrong class count */
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    memcpy(m, b, n);
    memset(m + 40 + 8 * K + 8, 0, 8);           /* keys no longer increasing */
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    memcpy(m, b, n);
    memset(m + 16, 0, 8);                       /* temperature 0 */
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    /* The reported techniques close the payload: none, a bit beyond the
     * 14 techniques or a nonzero reserved word is damage. */
    memcpy(m, b, n);
    memset(m + n - 8, 0, 4);
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    memcpy(m, b, n);
    m[n - 6] |= 0x40;                           /* bit 22 */
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    memcpy(m, b, n);
    m[n - 1] = 1;
    CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    /* Version 2 (no reported techniques) and version 1 (no vectors either)
     * payloads still read, and report every technique. */
    for (int v = 2; v >= 1; v--) {
        memcpy(m, b, n);
        m[0] = (uint8_t)v;
        out = NULL;
        CHECK(span_classifier_parse(m, n - (v == 2 ? 8 : 32), &out) == SLANT_OK);
        CHECK(out != NULL && out->vectors.n == 0 && out->reported == SLANT_ALL_TECHNIQUES);
        span_classifier_free(out);
        out = NULL;
        CHECK(span_classifier_parse(m, n, &out) == SLANT_EFORMAT);
    }
    free(m);
    free(b);
    span_classifier_free(c);
}

/* The factored mean-vector block (vec_scores) scores a span as the same
 * features looked up one by one do. */
static void classifier_should_score_vectors_factored_as_expanded(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    enum { D = 3 };
    span_classifier *c = span_classifier_new(D + 1);
    CHECK(c != NULL);
    if (!c) { tok_doc_fini(&d); return; }
    c->groups = SPF_WORDS | SPF_VECTORS;
    for (uint32_t k = 0; k < D; k++) c->keys[k] = spf_vector_key(k);
    c->keys[D] = 0;   /* a row without a feature: must change nothing */
    for (size_t i = 0; i < (D + 1) * K; i++) c->w[i] = (float)((int)(i * 37 % 23) - 11) / 7.0f;
    for (int k = 0; k < K; k++) c->bias[k] = 0.1 * k;
    CHECK(spf_vectors_alloc(&c->vectors, 2, D) == SLANT_OK);
    uint64_t hm = feat_word_hash("migrants", 8), hb = feat_word_hash("border", 6);
    int lo = hm < hb ? 0 : 1;
    c->vectors.hash[lo] = hm; c->vectors.hash[1 - lo] = hb;
    int8_t q[2 * D] = {100, -20, 7, 0, 50, -127};
    memcpy(c->vectors.q, q, sizeof q);
    c->vectors.scale = 0.3f;
    CHECK(span_classifier_index(c) == SLANT_OK);
    CHECK(c->vec_scores != NULL);
    span_classifier_work w;
    CHECK(span_classifier_work_init(&w) == SLANT_OK);
    CHECK(span_classifier_article(&w, c, article, &d, NULL) == SLANT_OK);
    uint32_t o = find_nth(article, "The migrants will storm the border again", 0);
    double f[K], e[K];
    CHECK(span_classifier_scores(c, &w, o, o + 40, f) == SLANT_OK);
    CHECK_EQ_INT(w.feats.n_rows, 2);
    free(c->vec_scores);
    c->vec_scores = NULL;   /* expanded: dim features through the table */
    CHECK(span_classifier_scores(c, &w, o, o + 40, e) == SLANT_OK);
    CHECK_EQ_INT(w.feats.n_rows, 0);
    double spread = 0;
    for (int k = 0; k < K; k++) {
        CHECK_NEAR(f[k], e[k], 1e-5);
        spread += fabs(e[k] - c->bias[k]);
    }
    CHECK(spread > 0.1);   /* the vectors did move the scores */
    span_classifier_work_fini(&w);
    span_classifier_free(c);
    tok_doc_fini(&d);
}

static int cmp_key(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A classifier over every feature of the expanded list l, with made-up
 * weights (seed picks them). */
static span_classifier *classifier_over(const spf_list *l, uint32_t groups, unsigned seed) {
    uint64_t *k = malloc((l->n ? l->n : 1) * sizeof *k);
    if (!k) return NULL;
    memcpy(k, l->hash, l->n * sizeof *k);
    qsort(k, l->n, sizeof *k, cmp_key);
    size_t F = 0;
    for (size_t i = 0; i < l->n; i++) if (F == 0 || k[i] != k[F - 1]) k[F++] = k[i];
    span_classifier *c = span_classifier_new(F);
    if (c) {
        c->groups = groups;
        memcpy(c->keys, k, F * sizeof *k);
        for (size_t i = 0; i < F * K; i++) c->w[i] = (float)((int)((i * 7919u + seed * 104729u) % 41) - 20) / 16.0f;
        for (int j = 0; j < K; j++) c->bias[j] = 0.01 * j;
        if (span_classifier_index(c) != SLANT_OK) { span_classifier_free(c); c = NULL; }
    }
    free(k);
    return c;
}

/* bias + sum of value x weight over the expanded list l, weights by key. */
static void expanded_scores(const span_classifier *c, const spf_list *l, double *out) {
    for (int j = 0; j < K; j++) out[j] = c->bias[j];
    for (size_t i = 0; i < l->n; i++) {
        const uint64_t *at = bsearch(&l->hash[i], c->keys, c->n_feat, sizeof *c->keys, cmp_key);
        if (!at) continue;
        const float *w = c->w + (size_t)(at - c->keys) * K;
        for (int j = 0; j < K; j++) out[j] += (double)l->val[i] * (double)w[j];
    }
}

/* The character n-grams summed per space-padded run, from the work's run
 * cache (cold, then warm, across two classifiers), score a span as the
 * n-grams looked up one by one do; and the runs' n-grams plus the crossing
 * ones are exactly the group's n-grams. */
static void classifier_should_score_char_runs_as_expanded(void) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(article, strlen(article), &d) == SLANT_OK);
    const uint32_t groups = SPF_WORDS | SPF_CHARS;
    uint32_t o = find_nth(article, "\"This is an invasion!\" he shouted.", 0);
    uint32_t e = o + 34;
    spf_ctx *x = spf_ctx_new();
    spf_list ex, byrun;
    spf_list_init(&ex);
    spf_list_init(&byrun);
    byrun.runs_wanted = 1;
    CHECK(x != NULL && spf_article(x, article, &d, NULL) == SLANT_OK);
    CHECK(spf_span(x, SPF_CHARS, o, e, &ex) == SLANT_OK);
    CHECK(spf_span(x, SPF_CHARS, o, e, &byrun) == SLANT_OK);
    CHECK(byrun.n_runs >= 5 && byrun.chars_at == 1);   /* after the bias feature */
    CHECK_NEAR(byrun.chars_scale, ex.val[1], 1e-7);
    /* Multiset: runs' n-grams + crossing ones = the expanded group. */
    size_t total = byrun.n;
    uint64_t *all = malloc((ex.n + 1) * sizeof *all), g[3 * 64];
    for (size_t i = 0; i < byrun.n && i < ex.n; i++) all[i] = byrun.hash[i];
    for (size_t r = 0; r < byrun.n_runs; r++) {
        CHECK(byrun.runs[r].len <= 64);
        size_t m = spf_char_grams(byrun.run_text + byrun.runs[r].off, byrun.runs[r].len, g);
        for (size_t j = 0; j < m; j++, total++) if (total < ex.n) all[total] = g[j];
    }
    CHECK_EQ_INT(total, ex.n);
    if (total == ex.n) {
        uint64_t *want = malloc((ex.n + 1) * sizeof *want);
        memcpy(want, ex.hash, ex.n * sizeof *want);
        qsort(want, ex.n, sizeof *want, cmp_key);
        qsort(all, ex.n, sizeof *all, cmp_key);
        CHECK(memcmp(want, all, ex.n * sizeof *all) == 0);
        free(want);
    }
    free(all);

    CHECK(spf_span(x, groups, o, e, &ex) == SLANT_OK);
    span_classifier *c1 = classifier_over(&ex, groups, 1), *c2 = classifier_over(&ex, groups, 2);
    CHECK(c1 != NULL && c2 != NULL);
    if (c1 && c2) {
        span_classifier_work w;
        CHECK(span_classifier_work_init(&w) == SLANT_OK);
        double want1[K], want2[K], got[K], again[K];
        expanded_scores(c1, &ex, want1);
        expanded_scores(c2, &ex, want2);
        CHECK(span_classifier_article(&w, c1, article, &d, NULL) == SLANT_OK);
        CHECK(span_classifier_scores(c1, &w, o, e, got) == SLANT_OK);       /* cold */
        CHECK(w.feats.n_runs >= 5);
        for (int j = 0; j < K; j++) CHECK_NEAR(got[j], want1[j], 1e-9);
        CHECK(span_classifier_scores(c1, &w, o, e, again) == SLANT_OK);     /* warm */
        CHECK(memcmp(got, again, sizeof got) == 0);
        CHECK(span_classifier_article(&w, c2, article, &d, NULL) == SLANT_OK);
        CHECK(span_classifier_scores(c2, &w, o, e, got) == SLANT_OK);       /* another model */
        for (int j = 0; j < K; j++) CHECK_NEAR(got[j], want2[j], 1e-9);
        CHECK(fabs(want1[0] - want2[0]) > 1e-3);   /* the two really differ */
        CHECK(span_classifier_article(&w, c1, article, &d, NULL) == SLANT_OK);
        CHECK(span_classifier_scores(c1, &w, o, e, got) == SLANT_OK);       /* and back */
        for (int j = 0; j < K; j++) CHECK_NEAR(got[j], want1[j], 1e-9);
        span_classifier_work_fini(&w);
    }
    span_classifier_free(c1);
    span_classifier_free(c2);
    spf_list_fini(&ex);
    spf_list_fini(&byrun);
    spf_ctx_free(x);
    tok_doc_fini(&d);
}

/* spf_span's features of every span in text, by a context that borrows
 * the slots of memo m (NULL: its own memo; or, with a naming, slots lent
 * by the test: token t gets slot t), against those of a fresh context: the
 * same hashes and values. */
static void check_same_features_lent(spf_ctx *c, word_memo *m, uint64_t naming, feat_ctx *fc,
                                    const char *text);

static void check_same_features(spf_ctx *c, word_memo *m, uint64_t naming, const char *text) {
    check_same_features_lent(c, m, naming, NULL, text);
}

/* The same, the slots and the lower-cased and stem hashes lent by the
 * tagger's features fc (as analysis does) when fc is not NULL. */
static void check_same_features_lent(spf_ctx *c, word_memo *m, uint64_t naming, feat_ctx *fc,
                                    const char *text) {
    tok_doc d;
    tok_doc_init(&d);
    CHECK(tok_tokenize(text, strlen(text), &d) == SLANT_OK);
    size_t T = d.n_tokens;
    uint64_t *keys = calloc(T + 1, sizeof *keys);
    uint32_t *slots = calloc(T + 1, sizeof *slots);
    uint8_t *added = calloc(T + 1, 1);
    spf_ctx *fresh = spf_ctx_new();
    if (keys && slots && added && fresh) {
        if (fc) {
            CHECK(feat_prepare(fc, text, &d) == SLANT_OK);
            spf_use_slots(c, feat_token_slots(fc), feat_word_naming(fc), feat_token_lower(fc),
                          feat_token_stem(fc));
        } else if (m) {
            word_memo_article(m, text, &d, keys, slots, added, NULL, 0);
            spf_use_slots(c, slots, word_memo_naming(m), NULL, NULL);
        } else if (naming) {
            for (size_t t = 0; t < T; t++) slots[t] = (uint32_t)t;
            spf_use_slots(c, slots, naming, NULL, NULL);
        }
        CHECK(spf_article(c, text, &d, NULL) == SLANT_OK);
        CHECK(spf_article(fresh, text, &d, NULL) == SLANT_OK);
        check_spans_as_fresh(c, fresh, &d, SPF_ALL);
    }
    spf_ctx_free(fresh);
    free(keys); free(slots); free(added);
    tok_doc_fini(&d);
}

/* In analysis the span features borrow the tagger's word memo: the
 * values they keep by slot must follow whichever memo lends the slots,
 * and its restarts, never a slot's earlier word. */
static void span_features_should_follow_borrowed_memo_slots(void) {
    static const char *other =
        "Officials said nobody knows whether the border will hold.\n"
        "\"Storm\" is a word the migrants never used, they said again!\n";
    spf_ctx *c = spf_ctx_new();
    word_memo *m = word_memo_new(), *m2 = word_memo_new();
    if (c && m && m2) {
        check_same_features(c, m, 0, article);
        check_same_features(c, m, 0, other);      /* m's slots, warm */
        check_same_features(c, m2, 0, other);     /* another memo */
        check_same_features(c, NULL, 0, article); /* its own memo */
        check_same_features(c, m, 0, article);    /* back to m */
        word_memo_begin(m, WORD_MEMO_SLOTS);      /* m starts again: new naming */
        check_same_features(c, m, 0, other);
        /* A memo places a word by its hash, so the same word tends to get
         * the same slot in every naming; lent slots that name other words
         * under another naming show that values never cross namings. */
        check_same_features(c, NULL, 1001, article);
        check_same_features(c, NULL, 1002, other);
        check_same_features(c, NULL, 1001 + 1000, article);
        feat_ctx *fc = feat_ctx_new();
        if (fc) {
            check_same_features_lent(c, NULL, 0, fc, article);
            check_same_features_lent(c, NULL, 0, fc, other);
            check_same_features_lent(c, NULL, 0, fc, article);
        }
        feat_ctx_free(fc);
    }
    word_memo_free(m);
    word_memo_free(m2);
    spf_ctx_free(c);
}

/* The classifier's vectors from a word2vec file: one per word (the first of
 * a repeated word), or one per word cluster, the unit-length sum of its
 * words' rows, with words outside every cluster left out. */
static void classifier_vectors_should_average_each_cluster_from_the_file(void) {
    char path[] = "/tmp/slant-test-vectors-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs("5 2\nalpha 1 0\nbeta 0 2\ngamma 3 4\nalpha 0 1\ndelta 1 1\n", f);
    fclose(f);
    slant_error err;
    slant_error_clear(&err);
    word_vectors *wv = word_vectors_read(path, 0, &err);
    unlink(path);
    CHECK(wv != NULL);
    if (!wv) return;
    CHECK(wv->n == 5 && wv->D == 2);
    CHECK(fabs(wv->unit[4] - 0.6) < 1e-6 && fabs(wv->unit[5] - 0.8) < 1e-6);

    spf_vectors v;
    spf_vectors_init(&v);
    CHECK(spf_vectors_from_words(wv, 1.0, NULL, 0, &v) == SLANT_OK);
    CHECK(v.n == 4 && v.depth == 0);   /* alpha once */
    int32_t r = spf_vectors_find(&v, feat_word_hash("alpha", 5));
    CHECK(r >= 0);
    if (r >= 0) CHECK(v.q[r * 2] == 127 && v.q[r * 2 + 1] == 0);   /* the first alpha */

    /* alpha and beta share a cluster, gamma has its own, delta none. */
    uint64_t words[3] = {feat_word_hash("alpha", 5), feat_word_hash("beta", 4), feat_word_hash("gamma", 5)};
    uint32_t paths[3] = {0x80000000u, 0x80000000u, 0x40000000u};
    uint8_t depths[3] = {16, 16, 16};
    for (int i = 0; i < 3; i++)   /* the clusters want sorted hashes */
        for (int j = i + 1; j < 3; j++)
            if (words[j] < words[i]) {
                uint64_t w = words[i]; words[i] = words[j]; words[j] = w;
                uint32_t p = paths[i]; paths[i] = paths[j]; paths[j] = p;
            }
    feat_clusters cl = {words, paths, depths, 3, NULL};
    CHECK(spf_vectors_from_words(wv, 2.0, &cl, 8, &v) == SLANT_OK);
    CHECK(v.n == 2 && v.depth == 8);
    int32_t ab = spf_vectors_find(&v, spf_cluster_key(&cl, feat_word_hash("beta", 4), 8));
    int32_t g = spf_vectors_find(&v, spf_cluster_key(&cl, feat_word_hash("gamma", 5), 8));
    CHECK(ab >= 0 && g >= 0 && ab != g);
    if (ab >= 0 && g >= 0) {
        /* Every row of the cluster counts, the second alpha too: (1, 2) / sqrt 5.
         * scale = the largest component / 127 x weight. */
        double a = 1 / sqrt(5.0), b = 2 / sqrt(5.0);
        CHECK(fabs(v.scale - b / 127 * 2.0) < 1e-6);
        double unit = v.scale / 2.0;
        CHECK(fabs(v.q[ab * 2] * unit - a) < 0.01 && v.q[ab * 2 + 1] == 127);
        CHECK(fabs(v.q[g * 2] * unit - 0.6) < 0.01 && fabs(v.q[g * 2 + 1] * unit - 0.8) < 0.01);
    }
    spf_vectors_fini(&v);
    word_vectors_free(wv);
}

int main(void) {
    TEST(span_features_should_be_deterministic_and_mask_groups);
    TEST(span_features_should_follow_borrowed_memo_slots);
    TEST(span_features_should_see_repetition_of_the_span_text);
    TEST(span_features_should_use_clusters_and_the_batch);
    TEST(span_features_should_average_word_vectors);
    TEST(kept_vector_rows_should_follow_the_vectors);
    TEST(classifier_vectors_should_average_each_cluster_from_the_file);
    TEST(classifier_should_learn_a_toy_set);
    TEST(classifier_should_score_vectors_factored_as_expanded);
    TEST(classifier_should_score_char_runs_as_expanded);
    TEST(copies_of_a_span_should_get_their_first_then_second_choice);
    TEST(payload_should_round_trip_byte_identical);
    TEST(parse_should_reject_truncated_and_damaged_payloads);
    TEST(reported_should_drop_only_techniques_never_right);
    return test_summary("span_classifier");
}
