/* Tests for embed.c: the vocabulary (tagger's lower-casing and hashes,
 * count order, min-count, sentence breaks) and skip-gram training on a
 * synthetic corpus of two word groups that never share a sentence. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "embed.h"
#include "token_features.h"

/* ---- vocabulary ---- */

static size_t find_word(const emb_corpus *c, const char *w) {
    for (size_t i = 0; i < c->V; i++) if (strcmp(emb_corpus_word(c, i), w) == 0) return i;
    return (size_t)-1;
}

static void corpus_should_lowercase_hash_and_sort_words_as_the_tagger_does(void) {
    emb_corpus c; emb_corpus_init(&c);
    const char *t1 = "The cat sat.\nTHE dog \xe2\x80\x99s bone", *t2 = "Putin\xe2\x80\x99s the the rare";
    CHECK_EQ_INT(emb_corpus_add_text(&c, t1, strlen(t1)), SLANT_OK);
    CHECK_EQ_INT(emb_corpus_add_text(&c, t2, strlen(t2)), SLANT_OK);
    CHECK_EQ_INT(c.n_articles, 2);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_corpus_finish(&c, 1, &e), SLANT_OK);
    CHECK_STR(emb_corpus_word(&c, 0), "the");          /* 4 times: the commonest */
    CHECK_EQ_INT(c.count[0], 4);
    for (size_t i = 1; i < c.V; i++) CHECK(c.count[i] <= c.count[i - 1]);
    size_t p = find_word(&c, "putin's");                 /* curly apostrophe read as ' */
    CHECK(p != (size_t)-1);
    char low[256];
    size_t n = feat_lower("Putin\xe2\x80\x99s", 9, low, sizeof low);
    if (p != (size_t)-1) CHECK(c.hash[p] == feat_word_hash(low, n));
    CHECK(c.hash[0] == feat_word_hash("the", 3));
    emb_corpus_fini(&c);
}

static void finish_should_drop_rare_words_and_keep_sentence_breaks(void) {
    emb_corpus c; emb_corpus_init(&c);
    const char *t = "a b a\nb rare a\nrare2\nb a";
    CHECK_EQ_INT(emb_corpus_add_text(&c, t, strlen(t)), SLANT_OK);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_corpus_finish(&c, 2, &e), SLANT_OK);
    CHECK_EQ_INT(c.V, 2);
    CHECK_STR(emb_corpus_word(&c, 0), "a");
    CHECK_STR(emb_corpus_word(&c, 1), "b");
    /* a b a | b a | b a |   ("rare2" alone leaves no empty sentence) */
    const uint32_t want[] = {0, 1, 0, EMB_BREAK, 1, 0, EMB_BREAK, 1, 0, EMB_BREAK};
    CHECK_EQ_INT(c.n_stream, sizeof want / sizeof want[0]);
    if (c.n_stream == sizeof want / sizeof want[0])
        for (size_t i = 0; i < c.n_stream; i++) CHECK_EQ_INT(c.stream[i], want[i]);
    CHECK_EQ_INT(c.n_tokens, 7);
    CHECK_EQ_INT(emb_corpus_add_text(&c, t, strlen(t)), SLANT_EINVAL);
    emb_corpus_fini(&c);

    emb_corpus_init(&c);
    CHECK_EQ_INT(emb_corpus_add_text(&c, "x y", 3), SLANT_OK);
    CHECK_EQ_INT(emb_corpus_finish(&c, 2, &e), SLANT_EINVAL);
    emb_corpus_fini(&c);
}

/* ---- training ---- */

/* Two groups of 10 words; each line draws 8 words from one group. */
static void synthetic_corpus(emb_corpus *c, int lines) {
    char buf[256];
    unsigned long long s = 12345;
    emb_corpus_init(c);
    for (int l = 0; l < lines; l++) {
        int group = l % 2;
        size_t o = 0;
        for (int k = 0; k < 8; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            int w = (int)((s >> 33) % 10);
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%c ", group ? "bq" : "ax", 'a' + w);
        }
        buf[o - 1] = '\n';
        emb_corpus_add_text(c, buf, o);
    }
    slant_error e; slant_error_clear(&e);
    emb_corpus_finish(c, 1, &e);
}

static double cosine(const float *a, const float *b, size_t D) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < D; k++) { ab += a[k] * b[k]; aa += a[k] * a[k]; bb += b[k] * b[k]; }
    return ab / sqrt(aa * bb);
}

static int group_of(const emb_corpus *c, size_t i) { return emb_corpus_word(c, i)[0] == 'b'; }

static void small_opts(emb_opts *o, int threads) {
    emb_opts_init(o);
    o->dim = 16; o->window = 3; o->negative = 5; o->epochs = 5; o->sample = 0;
    o->threads = threads; o->seed = 7; o->round_tokens = 512;
}

static void vectors_of_one_group_should_be_closer_than_across_groups(void) {
    emb_corpus c; synthetic_corpus(&c, 2000);
    CHECK_EQ_INT(c.V, 20);
    emb_opts o; small_opts(&o, 1);
    float *v = NULL;
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_train(&c, &o, &v, &e), SLANT_OK);
    if (!v) { emb_corpus_fini(&c); return; }
    double same = 0, cross = 0;
    int n_same = 0, n_cross = 0, nearest_ok = 0;
    for (size_t i = 0; i < c.V; i++) {
        double best = -2; size_t arg = i;
        for (size_t j = 0; j < c.V; j++) {
            if (j == i) continue;
            double s = cosine(v + i * 16, v + j * 16, 16);
            if (group_of(&c, i) == group_of(&c, j)) { same += s; n_same++; } else { cross += s; n_cross++; }
            if (s > best) { best = s; arg = j; }
        }
        nearest_ok += group_of(&c, arg) == group_of(&c, i);
    }
    same /= n_same; cross /= n_cross;
    CHECK(same > cross + 0.3);
    CHECK_EQ_INT(nearest_ok, (int)c.V);
    free(v);
    emb_corpus_fini(&c);
}

static int train_equal(const emb_corpus *c, int threads) {
    emb_opts o; small_opts(&o, threads);
    float *a = NULL, *b = NULL;
    slant_error e; slant_error_clear(&e);
    int same = emb_train(c, &o, &a, &e) == SLANT_OK && emb_train(c, &o, &b, &e) == SLANT_OK &&
               memcmp(a, b, c->V * 16 * sizeof *a) == 0;
    free(a); free(b);
    return same;
}

static void training_should_be_bit_identical_for_one_seed(void) {
    emb_corpus c; synthetic_corpus(&c, 600);
    CHECK(train_equal(&c, 1));
    CHECK(train_equal(&c, 2));   /* delayed-update rounds: no races either */
    CHECK(train_equal(&c, 3));
    emb_corpus_fini(&c);
}

static void another_seed_should_give_other_vectors(void) {
    emb_corpus c; synthetic_corpus(&c, 300);
    emb_opts o; small_opts(&o, 1);
    float *a = NULL, *b = NULL;
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_train(&c, &o, &a, &e), SLANT_OK);
    o.seed = 8;
    CHECK_EQ_INT(emb_train(&c, &o, &b, &e), SLANT_OK);
    if (a && b) CHECK(memcmp(a, b, c.V * 16 * sizeof *a) != 0);
    free(a); free(b);
    emb_corpus_fini(&c);
}

static void two_threads_should_also_separate_the_groups(void) {
    emb_corpus c; synthetic_corpus(&c, 2000);
    emb_opts o; small_opts(&o, 2);
    float *v = NULL;
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_train(&c, &o, &v, &e), SLANT_OK);
    if (!v) { emb_corpus_fini(&c); return; }
    int ok = 0;
    for (size_t i = 0; i < c.V; i++) {
        double best = -2; size_t arg = i;
        for (size_t j = 0; j < c.V; j++)
            if (j != i) { double s = cosine(v + i * 16, v + j * 16, 16); if (s > best) { best = s; arg = j; } }
        ok += group_of(&c, arg) == group_of(&c, i);
    }
    CHECK_EQ_INT(ok, (int)c.V);
    free(v);
    emb_corpus_fini(&c);
}

static void train_should_reject_bad_options(void) {
    emb_corpus c; synthetic_corpus(&c, 20);
    emb_opts o; emb_opts_init(&o);
    float *v = (float *)1;
    slant_error e; slant_error_clear(&e);
    o.dim = 0;
    CHECK_EQ_INT(emb_train(&c, &o, &v, &e), SLANT_EINVAL);
    CHECK(v == NULL);
    emb_opts_init(&o); o.window = 0;
    CHECK_EQ_INT(emb_train(&c, &o, &v, &e), SLANT_EINVAL);
    emb_corpus_fini(&c);
    emb_corpus_init(&c);   /* not finished */
    emb_opts_init(&o);
    CHECK_EQ_INT(emb_train(&c, &o, &v, &e), SLANT_EINVAL);
    emb_corpus_fini(&c);
}

int main(void) {
    TEST(corpus_should_lowercase_hash_and_sort_words_as_the_tagger_does);
    TEST(finish_should_drop_rare_words_and_keep_sentence_breaks);
    TEST(vectors_of_one_group_should_be_closer_than_across_groups);
    TEST(training_should_be_bit_identical_for_one_seed);
    TEST(another_seed_should_give_other_vectors);
    TEST(two_threads_should_also_separate_the_groups);
    TEST(train_should_reject_bad_options);
    return test_summary("embed");
}
