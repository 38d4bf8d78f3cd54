/*
 * Tests for word vectors as tagger features (tagger_dense.c): reading the
 * vectors file, the per-token values, and the identity that lets training
 * fold the vector weights into the word features: the weights a word adds
 * at offset o (tagger_dense_word_weights), summed over a token's window,
 * equal the dense emissions the CRF trained with (crf_dense_emissions); and
 * feat_word_lower_key is the key of feat_word's lower-cased word feature.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "crf.h"
#include "tagger_dense.h"
#include "test.h"
#include "token_features.h"
#include "tokenize.h"

/* Writes text to a new temporary file: its path in path (0 on success). */
static int write_temp(const char *text, char *path) {
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

static tagger_dense *read_text(const char *text, int win, double scale, slant_error *err) {
    char path[] = "/tmp/slant-test-vectors-XXXXXX";
    if (write_temp(text, path) != 0) return NULL;
    tagger_dense *d = tagger_dense_read(path, 0, win, scale, err);
    unlink(path);
    return d;
}

static void vectors_should_be_read_unit_length_first_copy_wins(void) {
    slant_error err;
    tagger_dense *d = read_text("3 2\nstorm 3 4\nthe 0 2\nstorm 9 9\n", 1, 2.0, &err);
    CHECK(d != NULL);
    if (!d) return;
    CHECK_EQ_INT(d->D, 2);
    CHECK_EQ_INT(d->n, 2);   /* "storm" twice: one entry */
    const char *text = "The storm, the STORM and calm.";
    tok_doc doc;
    tok_doc_init(&doc);
    feat_ctx *c = feat_ctx_new();
    CHECK(tok_tokenize(text, strlen(text), &doc) == SLANT_OK && c != NULL);
    if (c && feat_prepare(c, text, &doc) == SLANT_OK) {
        size_t T = doc.n_tokens;
        float *v = malloc(T * 2 * sizeof *v);
        if (v) {
            tagger_dense_values(d, feat_token_lower(c), T, v);
            CHECK_NEAR(v[0], 0.0, 1e-6);            /* The: (0, 2) / 2 x 2 */
            CHECK_NEAR(v[1], 2.0, 1e-6);
            CHECK_NEAR(v[2], 1.2, 1e-6);            /* storm: (3, 4) / 5 x 2, the first copy */
            CHECK_NEAR(v[3], 1.6, 1e-6);
            CHECK_NEAR(v[6], v[0], 0); CHECK_NEAR(v[7], v[1], 0);   /* the */
            CHECK_NEAR(v[8], v[2], 0); CHECK_NEAR(v[9], v[3], 0);   /* STORM, lower-cased */
            CHECK_NEAR(v[12], 0.0, 0); CHECK_NEAR(v[13], 0.0, 0);   /* calm: no vector */
            CHECK_NEAR(v[4], 0.0, 0);                               /* ",": none */
            free(v);
        }
    }
    feat_ctx_free(c);
    tok_doc_fini(&doc);
    tagger_dense_free(d);
}

static void bad_vector_files_should_be_refused_with_the_line(void) {
    slant_error err;
    CHECK(read_text("not a header\n", 1, 1.0, &err) == NULL);
    CHECK(err.status == SLANT_EFORMAT && err.line == 1);
    CHECK(read_text("2 3\nstorm 1 2 3\nthe 1 x 3\n", 1, 1.0, &err) == NULL);
    CHECK(err.status == SLANT_EFORMAT && err.line == 3);
    CHECK(read_text("3 1\nstorm 1\n", 1, 1.0, &err) == NULL);   /* fewer words than promised */
    CHECK(err.status == SLANT_EFORMAT);
    CHECK(tagger_dense_read("/nonexistent/vectors.txt", 0, 1, 1.0, &err) == NULL);
    CHECK(err.status == SLANT_EIO && strcmp(err.file, "/nonexistent/vectors.txt") == 0);
}

/* Folding: per word and offset weights, summed over each token's window,
 * give the CRF's dense emissions; and the key they are folded into is
 * feat_word's lower-cased word feature at that offset. */
static void folded_word_weights_should_equal_the_dense_emissions(void) {
    slant_error err;
    tagger_dense *d = read_text("4 3\nstorm 1 2 2\nthe 0 0 5\nborder -3 4 0\nagain 1 -1 0.5\n", 1, 0.7, &err);
    CHECK(d != NULL);
    if (!d) return;
    const char *text = "The storm hit the border again. Calm followed";
    tok_doc doc;
    tok_doc_init(&doc);
    feat_ctx *c = feat_ctx_new();
    const int L = 3;
    size_t T = 0, D = (size_t)d->D, ids = tagger_dense_ids(d);
    CHECK(ids == 9);
    float *vals = NULL;
    double *wd = malloc(ids * (size_t)L * sizeof *wd), *emit = NULL, *fold = NULL;
    if (c && wd && tok_tokenize(text, strlen(text), &doc) == SLANT_OK && feat_prepare(c, text, &doc) == SLANT_OK) {
        T = doc.n_tokens;
        vals = malloc(T * D * sizeof *vals);
        emit = calloc(T * (size_t)L, sizeof *emit);
        fold = calloc(T * (size_t)L, sizeof *fold);
    }
    if (vals && emit && fold) {
        for (size_t k = 0; k < ids * (size_t)L; k++) wd[k] = sin(1.0 + (double)k) * 0.8;
        tagger_dense_values(d, feat_token_lower(c), T, vals);
        crf_seq s;
        memset(&s, 0, sizeof s);
        s.T = (int)T; s.dense = vals; s.dense_dim = d->D; s.dense_win = d->win; s.dense_base = 0;
        crf_dense_emissions(&s, L, wd, emit);
        const uint64_t *lower = feat_token_lower(c);
        int seen = 0;
        for (size_t t = 0; t < T; t++)
            for (int o = -1; o <= 1; o++) {
                long u = (long)t + o;
                if (u < 0 || (size_t)u >= T) continue;
                /* the word at t+o, as the fold finds it: by its hash */
                long r = -1;
                for (size_t i = 0; i < d->n; i++) if (d->hash[i] == lower[u]) r = (long)i;
                if (r < 0) continue;
                double add[3];
                tagger_dense_word_weights(d, (size_t)r, o, wd, L, add);
                for (int y = 0; y < L; y++) fold[t * 3 + (size_t)y] += add[y];
                seen++;
            }
        CHECK(seen > 10);
        double worst = 0;
        for (size_t k = 0; k < T * (size_t)L; k++) worst = fmax(worst, fabs(emit[k] - fold[k]));
        CHECK(worst < 1e-12);
        /* The fold's key for token t seen from offset o is feat_word's
         * first (lower-cased word) feature of t at o. */
        uint64_t out[FEAT_WORD_MAX];
        for (int o = -2; o <= 2; o++)
            for (size_t t = 0; t < T; t++) {
                size_t n = feat_word(c, NULL, t, o, out);
                CHECK(n >= 1 && out[0] == feat_word_lower_key(o, lower[t]));
            }
    }
    free(vals); free(emit); free(fold); free(wd);
    feat_ctx_free(c);
    tok_doc_fini(&doc);
    tagger_dense_free(d);
}

/* The whole fold: a dictionary holding some of the words' lower-cased-word
 * features, random sparse, vector, transition and start weights; after
 * tagger_dense_fold, every token's emission from the grown rows alone
 * equals its emission before (those rows plus the vector features), the
 * keys stay sorted and the transition and start weights come along. */
static int cmp_key(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double row_weight(const uint64_t *keys, size_t n, const double *w, uint64_t key, int y) {
    for (size_t i = 0; i < n; i++) if (keys[i] == key) return w[i * 3 + (size_t)y];
    return 0.0;
}

static void folding_should_keep_every_emission(void) {
    slant_error err;
    tagger_dense *d = read_text("4 3\nstorm 1 2 2\nthe 0 0 5\nborder -3 4 0\nagain 1 -1 0.5\n", 1, 0.7, &err);
    const char *text = "The storm hit the border again. Calm followed the storm";
    tok_doc doc;
    tok_doc_init(&doc);
    feat_ctx *c = feat_ctx_new();
    if (!d || !c || tok_tokenize(text, strlen(text), &doc) != SLANT_OK || feat_prepare(c, text, &doc) != SLANT_OK) {
        CHECK(0);
        feat_ctx_free(c); tok_doc_fini(&doc); tagger_dense_free(d);
        return;
    }
    const int L = 3;
    size_t T = doc.n_tokens, D = (size_t)d->D, n_dense = tagger_dense_ids(d), tail = 3 * 3 + 3;
    const uint64_t *lower = feat_token_lower(c);
    /* The dictionary: "storm" and "the" at offset 0 and "border" at -1
     * (rows that grow), and three other keys. */
    size_t K = 6;
    uint64_t *keys = malloc(K * sizeof *keys);
    double *w = malloc((K * 3 + n_dense * 3 + tail) * sizeof *w);
    float *vals = malloc(T * D * sizeof *vals);
    double *before = calloc(T * 3, sizeof *before);
    if (!keys || !w || !vals || !before) { CHECK(0); goto done; }
    keys[0] = feat_word_lower_key(0, feat_word_hash("storm", 5));
    keys[1] = feat_word_lower_key(0, feat_word_hash("the", 3));
    keys[2] = feat_word_lower_key(-1, feat_word_hash("border", 6));
    keys[3] = 17; keys[4] = UINT64_MAX / 3; keys[5] = UINT64_MAX - 5;
    qsort(keys, K, sizeof *keys, cmp_key);
    for (size_t k = 0; k < K * 3 + n_dense * 3 + tail; k++) w[k] = cos(0.7 * (double)k + 0.3);
    /* Before: sparse rows of each token's window, plus the vector features. */
    tagger_dense_values(d, lower, T, vals);
    crf_seq s;
    memset(&s, 0, sizeof s);
    s.T = (int)T; s.dense = vals; s.dense_dim = d->D; s.dense_win = d->win; s.dense_base = 0;
    crf_dense_emissions(&s, L, w + K * 3, before);
    for (size_t t = 0; t < T; t++)
        for (int o = -1; o <= 1; o++) {
            long u = (long)t + o;
            if (u < 0 || (size_t)u >= T) continue;
            for (int y = 0; y < 3; y++)
                before[t * 3 + (size_t)y] += row_weight(keys, K, w, feat_word_lower_key(o, lower[u]), y);
        }
    double trans[12], other[3];
    for (int y = 0; y < 3; y++) other[y] = row_weight(keys, K, w, 17, y);
    memcpy(trans, w + K * 3 + n_dense * 3, sizeof trans);
    size_t n_keys = K;
    CHECK(tagger_dense_fold(d, 3, n_dense, &keys, &n_keys, &w) == SLANT_OK);
    CHECK(n_keys == K + 4 * 3 - 3);   /* 12 word-offset rows, 3 of them there already */
    for (size_t i = 1; i < n_keys; i++) CHECK(keys[i - 1] < keys[i]);
    CHECK(memcmp(w + n_keys * 3, trans, sizeof trans) == 0);
    for (int y = 0; y < 3; y++) CHECK(row_weight(keys, n_keys, w, 17, y) == other[y]);   /* untouched */
    double worst = 0;
    for (size_t t = 0; t < T; t++)
        for (int y = 0; y < 3; y++) {
            double after = 0;
            for (int o = -1; o <= 1; o++) {
                long u = (long)t + o;
                if (u >= 0 && (size_t)u < T) after += row_weight(keys, n_keys, w, feat_word_lower_key(o, lower[u]), y);
            }
            worst = fmax(worst, fabs(after - before[t * 3 + (size_t)y]));
        }
    CHECK(worst < 1e-12);
done:
    free(keys); free(w); free(vals); free(before);
    feat_ctx_free(c);
    tok_doc_fini(&doc);
    tagger_dense_free(d);
}

int main(void) {
    TEST(vectors_should_be_read_unit_length_first_copy_wins);
    TEST(bad_vector_files_should_be_refused_with_the_line);
    TEST(folded_word_weights_should_equal_the_dense_emissions);
    TEST(folding_should_keep_every_emission);
    return test_summary("tagger_dense");
}
