/* Tests for wordclust.c: the first split separates two groups of words
 * (from hand-made vectors and from skip-gram vectors of a synthetic
 * corpus), paths and depths obey their contract, later rows descend the
 * tree, and the clusters file round-trips and rejects bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "embed.h"
#include "wordclust.h"

/* n x D vectors: rows alternate between two directions, plus noise. */
static float *two_groups(size_t n, size_t D, unsigned long long seed) {
    float *v = malloc(n * D * sizeof *v);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < D; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            float noise = (float)((double)(seed >> 11) * 0x1p-53 - 0.5) * 0.4f;
            float base = (i % 2 == 0) ? (k < D / 2 ? 1.0f : 0.0f) : (k < D / 2 ? 0.0f : 1.0f);
            v[i * D + k] = base + noise;
        }
    return v;
}

static int top_bit(uint32_t p) { return (int)(p >> 31); }

static void first_split_should_separate_two_groups_of_vectors(void) {
    size_t n = 200, D = 8;
    float *v = two_groups(n, D, 1);
    uint32_t path[200]; uint8_t depth[200];
    wc_opts o; wc_opts_init(&o);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_cluster(v, n, D, n, &o, path, depth, &e), SLANT_OK);
    for (size_t i = 0; i < n; i++) {
        CHECK(depth[i] >= 1);
        CHECK_EQ_INT(top_bit(path[i]), (int)(i % 2));   /* row 0 (most frequent) gets 0 */
    }
    free(v);
}

static void paths_should_be_left_aligned_within_depth_and_distinct_at_leaves(void) {
    size_t n = 300, D = 6;
    float *v = two_groups(n, D, 2);
    uint32_t path[300]; uint8_t depth[300];
    wc_opts o; wc_opts_init(&o);
    o.max_depth = 5;
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_cluster(v, n, D, n, &o, path, depth, &e), SLANT_OK);
    size_t leaves = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(depth[i] <= 5);
        if (depth[i] < 32) CHECK((path[i] & (UINT32_MAX >> depth[i])) == 0);   /* no bits past depth */
        /* no path is a proper prefix of another: every word sits at a leaf */
        for (size_t j = 0; j < n; j++) {
            if (depth[j] <= depth[i]) continue;
            uint32_t mask = depth[i] ? ~(UINT32_MAX >> depth[i]) : 0;
            CHECK((path[j] & mask) != path[i]);
        }
        int first = 1;
        for (size_t j = 0; j < i; j++) if (path[j] == path[i] && depth[j] == depth[i]) first = 0;
        leaves += (size_t)first;
    }
    CHECK(leaves > 8);   /* 2^5 leaves possible; random noise splits well past 8 */
    free(v);
}

static void clustering_should_be_deterministic_for_one_seed(void) {
    size_t n = 500, D = 10;
    float *v = two_groups(n, D, 3);
    uint32_t a[500], b[500]; uint8_t da[500], db[500];
    wc_opts o; wc_opts_init(&o);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_cluster(v, n, D, n, &o, a, da, &e), SLANT_OK);
    CHECK_EQ_INT(wc_cluster(v, n, D, n, &o, b, db, &e), SLANT_OK);
    CHECK(memcmp(a, b, sizeof a) == 0 && memcmp(da, db, sizeof da) == 0);
    free(v);
}

static void rows_past_n_fit_should_descend_to_their_group(void) {
    size_t n = 240, D = 8, n_fit = 200;
    float *v = two_groups(n, D, 4);
    uint32_t path[240]; uint8_t depth[240];
    wc_opts o; wc_opts_init(&o);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_cluster(v, n, D, n_fit, &o, path, depth, &e), SLANT_OK);
    for (size_t i = n_fit; i < n; i++) {
        CHECK_EQ_INT(top_bit(path[i]), (int)(i % 2));
        CHECK(depth[i] >= 1);
    }
    free(v);
}

static void identical_vectors_should_stay_one_leaf(void) {
    float v[5 * 3];
    for (size_t i = 0; i < 15; i++) v[i] = (float)(i % 3 + 1);
    uint32_t path[5]; uint8_t depth[5];
    wc_opts o; wc_opts_init(&o);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_cluster(v, 5, 3, 5, &o, path, depth, &e), SLANT_OK);
    for (size_t i = 0; i < 5; i++) { CHECK_EQ_INT(depth[i], 0); CHECK_EQ_INT(path[i], 0); }
    o.max_depth = 33;
    CHECK_EQ_INT(wc_cluster(v, 5, 3, 5, &o, path, depth, &e), SLANT_EINVAL);
}

/* Two groups of 10 words that never share a line (as in test_embed.c). */
static void skipgram_clusters_should_split_the_groups_first(void) {
    emb_corpus c; emb_corpus_init(&c);
    char buf[256];
    unsigned long long s = 99;
    for (int l = 0; l < 2000; l++) {
        size_t o = 0;
        for (int k = 0; k < 8; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%c ", l % 2 ? "bq" : "ax", 'a' + (int)((s >> 33) % 10));
        }
        buf[o - 1] = '\n';
        emb_corpus_add_text(&c, buf, o);
    }
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(emb_corpus_finish(&c, 1, &e), SLANT_OK);
    emb_opts eo; emb_opts_init(&eo);
    eo.dim = 16; eo.window = 3; eo.epochs = 5; eo.sample = 0; eo.seed = 3;
    float *v = NULL;
    CHECK_EQ_INT(emb_train(&c, &eo, &v, &e), SLANT_OK);
    if (!v) { emb_corpus_fini(&c); return; }
    uint32_t path[20]; uint8_t depth[20];
    wc_opts o; wc_opts_init(&o);
    CHECK_EQ_INT(wc_cluster(v, c.V, 16, c.V, &o, path, depth, &e), SLANT_OK);
    int first_group = emb_corpus_word(&c, 0)[0] == 'b';
    for (size_t i = 0; i < c.V; i++) {
        int g = emb_corpus_word(&c, i)[0] == 'b';
        CHECK_EQ_INT(top_bit(path[i]), g != first_group);
    }
    free(v);
    emb_corpus_fini(&c);
}

/* ---- file ---- */

static char tmpdir[64];

static void write_then_read_should_give_the_same_table_sorted_by_hash(void) {
    uint64_t hash[4] = {0xffffffffffffffffULL, 5, 0x0123456789abcdefULL, 6};
    uint32_t bits[4] = {0x80000000u, 0, 0xA5000000u, 0xFFFFFFFFu};
    uint8_t depth[4] = {1, 0, 8, 32};
    const char *words[4] = {"the", "tab\there", "caf\xc3\xa9", "x"};
    uint64_t counts[4] = {10, 3, 2, 1};
    char path[128];
    snprintf(path, sizeof path, "%s/c.tsv", tmpdir);
    slant_error e; slant_error_clear(&e);
    CHECK_EQ_INT(wc_write(path, 4, hash, bits, depth, words, counts, "slant learn clusters --seed 7 from news/", &e), SLANT_OK);
    wc_table t; wc_table_init(&t);
    CHECK_EQ_INT(wc_read(path, &t, &e), SLANT_OK);
    CHECK_EQ_INT(t.n, 4);
    const size_t order[4] = {1, 3, 2, 0};   /* by hash */
    for (size_t i = 0; i < t.n && i < 4; i++) {
        CHECK(t.word_hash[i] == hash[order[i]]);
        CHECK_EQ_INT(t.cluster[i], bits[order[i]]);
        CHECK_EQ_INT(t.depth[i], depth[order[i]]);
    }
    CHECK_STR(t.made_by, "slant learn clusters --seed 7 from news/");
    feat_clusters fc = wc_table_view(&t);
    CHECK_EQ_INT(fc.n, 4);
    CHECK(fc.word_hash == t.word_hash);
    char tmp[140];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0);
    /* a second write replaces the file; without words it still reads */
    CHECK_EQ_INT(wc_write(path, 2, hash, bits, depth, NULL, NULL, NULL, &e), SLANT_OK);
    CHECK_EQ_INT(wc_read(path, &t, &e), SLANT_OK);
    CHECK_EQ_INT(t.n, 2);
    CHECK_STR(t.made_by, "");
    wc_table_fini(&t);
    wc_table_fini(&t);   /* twice is harmless */
}

static slant_status parse(const char *s, wc_table *t, slant_error *e) {
    slant_error_clear(e);
    return wc_parse(s, strlen(s), "c.tsv", t, e);
}

static void parse_should_report_bad_rows_with_their_line(void) {
    wc_table t; wc_table_init(&t);
    slant_error e;
    CHECK_EQ_INT(parse("# slant word clusters 1\n0000000000000001\t01\t2\tw\t5\r\n\n0000000000000002\t\t0\n", &t, &e), SLANT_OK);
    CHECK_EQ_INT(t.n, 2);
    CHECK_EQ_INT(t.cluster[0], 0x40000000u);
    CHECK_EQ_INT(parse("0000000000000001\t01\t3\tw\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(e.line, 1);
    CHECK_EQ_INT(t.n, 0);
    CHECK_EQ_INT(parse("# c\n000000000000000g\t01\t2\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(e.line, 2);
    CHECK_EQ_INT(parse("00000000000001\t01\t2\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(parse("0000000000000001\t0121\t4\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(parse("0000000000000001\t01", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(parse("0000000000000001\t000000000000000000000000000000000\t33\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(parse("0000000000000001\t1\t1\n0000000000000002\t1\t1\n0000000000000001\t0\t1\n", &t, &e), SLANT_EFORMAT);
    CHECK_EQ_INT(e.line, 3);
    CHECK(strstr(e.message, "line 1") != NULL);
    CHECK_EQ_INT(parse("# slant word clusters 2\n", &t, &e), SLANT_EVERSION);
    CHECK_EQ_INT(parse("", &t, &e), SLANT_OK);
    CHECK_EQ_INT(t.n, 0);
    wc_table_fini(&t);
    CHECK_EQ_INT(wc_read("/nonexistent/c.tsv", &t, &e), SLANT_EIO);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/slant-wc-XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 2; }
    TEST(first_split_should_separate_two_groups_of_vectors);
    TEST(paths_should_be_left_aligned_within_depth_and_distinct_at_leaves);
    TEST(clustering_should_be_deterministic_for_one_seed);
    TEST(rows_past_n_fit_should_descend_to_their_group);
    TEST(identical_vectors_should_stay_one_leaf);
    TEST(skipgram_clusters_should_split_the_groups_first);
    TEST(write_then_read_should_give_the_same_table_sorted_by_hash);
    TEST(parse_should_report_bad_rows_with_their_line);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary("wordclust");
}
