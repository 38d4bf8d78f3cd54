/*
 * Writes the seeds of fuzz/fuzz_model_full.c: small valid model files made
 * through model_save from a hand-made tagger (the bundled model is 9 MB, too
 * big for a fuzzer to mutate usefully), one per combination of optional
 * sections, so the mutator starts from every section parser's accept path.
 * Not a fuzz target (no fuzz_ prefix); build and run it by hand:
 *   make && cc -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc \
 *       fuzz/gen_model_seeds.c build/libslant.a -lutf8proc -lstemmer -llbfgs \
 *       -lcjson -lmicrohttpd -ldeflate -lz -lm -lpthread -o build/gen_model_seeds
 *   build/gen_model_seeds fuzz/corpus/model_full
 * The output is deterministic; the damaged seeds in that folder were made
 * from these files by hand (truncated, flipped, version 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "span_classifier.h"
#include "span_features.h"

/* A tagger with n_feat made-up features: O, B, I, or with two label
 * groups O, B, I, B, I (groups 0 and 1, as the LABL section records). */
static int fill_tagger(tagger_model *t, size_t n_feat, int groups) {
    int L = groups == 2 ? 5 : 3;
    t->L = L;
    t->feat_version = FEAT_VERSION;
    t->decoding.threshold = 0.5;
    t->decoding.low = 0.3;
    t->decoding.gap = 1;
    t->decoding.min_len = 1;
    for (int i = 0; i < L * L; i++) t->trans[i] = (i % (L + 1) == 0) ? 0.5 : -0.25 * i;
    for (int y = 0; y < L; y++) t->start[y] = y == 0 ? 0.1 : y % 2 ? -0.2 : -5.0;
    if (groups == 2) {
        t->n_groups = 2;
        t->label_group[1] = t->label_group[2] = 0;
        t->label_group[3] = t->label_group[4] = 1;
        t->group_techniques[0] = 0x0f00;   /* loaded language, name calling, repetition, slogans */
        t->group_techniques[1] = 0x30ff;
    }
    uint64_t *keys = malloc(n_feat * sizeof *keys);
    t->w = malloc(n_feat * (size_t)L * sizeof *t->w + 1);
    if (!keys || !t->w) { free(keys); return -1; }
    for (size_t i = 0; i < n_feat; i++) keys[i] = 0x9E3779B97F4A7C15ull * (i + 1);
    for (size_t i = 0; i < n_feat * (size_t)L; i++) t->w[i] = (float)((int)(i % 7) - 3) * 0.5f;
    t->n_feat = n_feat;
    int rc = feat_table_build(&t->table, keys, n_feat) == SLANT_OK ? 0 : -1;
    free(keys);
    return rc;
}

static int add_sentence(tagger_model *t) {
    uint64_t keys[2] = {0x1234567890ABCDEFull, 0xFEDCBA0987654321ull};
    sentence_model *s = &t->sentence;
    if (!(s->w = malloc(2 * sizeof *s->w))) return -1;
    s->w[0] = 1.5f; s->w[1] = -0.75f;
    s->n_feat = 2;
    s->bias = -1.0;
    t->has_sentence = 1;
    return feat_table_build(&s->table, keys, 2) == SLANT_OK ? 0 : -1;
}

static int add_clusters(slant_model *m) {
    static uint64_t words[3] = {11, 22, 33};
    static uint32_t paths[3] = {0x1, 0x2, 0x5};
    static uint8_t depths[3] = {1, 2, 3};
    m->clusters.word_hash = words;
    m->clusters.cluster = paths;
    m->clusters.depth = depths;
    m->clusters.n = 3;
    return 0;
}

static int add_classifier(slant_model *m) {
    span_classifier *c = span_classifier_new(2);
    if (!c) return -1;
    c->keys[0] = 5; c->keys[1] = 0xABCDEF;
    for (size_t i = 0; i < 2 * SLANT_N_TECHNIQUES; i++) c->w[i] = (float)(i % 5) * 0.1f;
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++) c->bias[k] = -0.1 * k;
    c->temperature = 1.25;
    c->second_threshold = 0.4;
    c->reported = SLANT_ALL_TECHNIQUES & ~(1u << 4);   /* payload 3: one technique left out */
    m->classifier = c;
    return span_classifier_index(c) == SLANT_OK ? 0 : -1;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A classifier that reads the span mean vector (SPF_VECTORS, one vector
 * per word), so that loading builds its per-row class scores (vec_scores). */
static int add_classifier_vectors(slant_model *m) {
    enum { D = 3 };
    span_classifier *c = span_classifier_new(D + 1);
    if (!c) return -1;
    c->groups = SPF_WORDS | SPF_VECTORS;
    for (uint32_t k = 0; k < D; k++) c->keys[k] = spf_vector_key(k);
    c->keys[D] = 5;
    qsort(c->keys, D + 1, sizeof *c->keys, cmp_u64);   /* the payload keeps keys sorted */
    for (size_t i = 0; i < (D + 1) * SLANT_N_TECHNIQUES; i++) c->w[i] = (float)((int)(i % 9) - 4) * 0.2f;
    m->classifier = c;
    if (spf_vectors_alloc(&c->vectors, 2, D) != SLANT_OK) return -1;
    uint64_t a = feat_word_hash("corrupt", 7), b = feat_word_hash("elite", 5);
    c->vectors.hash[0] = a < b ? a : b;
    c->vectors.hash[1] = a < b ? b : a;
    static const int8_t q[2 * D] = {90, -40, 3, -127, 0, 64};
    memcpy(c->vectors.q, q, sizeof q);
    c->vectors.scale = 0.5f;
    c->vectors.depth = 0;
    return span_classifier_index(c) == SLANT_OK ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: gen_model_seeds DIR\n"); return 1; }
    /* tech: 1 = a plain classifier, 2 = one with word vectors; groups: the
     * tagger's label groups (2: a LABL section) */
    static const struct { const char *name; int sent, clus, tech; size_t n_feat; int groups; } seeds[] = {
        {"valid-tagger", 0, 0, 0, 4, 1},
        {"valid-tagger-empty-feat", 0, 0, 0, 0, 1},
        {"valid-sent", 1, 0, 0, 3, 1},
        {"valid-clus", 0, 1, 0, 3, 1},
        {"valid-tech", 0, 0, 1, 2, 1},
        {"valid-all", 1, 1, 1, 3, 1},
        {"valid-tech-vectors", 0, 0, 2, 2, 1},
        {"valid-groups", 0, 0, 1, 3, 2},
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        slant_model *m = model_new();
        if (!m || fill_tagger(&m->tagger, seeds[i].n_feat, seeds[i].groups) != 0 ||
            (seeds[i].sent && add_sentence(&m->tagger) != 0) ||
            (seeds[i].clus && add_clusters(m) != 0) ||
            (seeds[i].tech == 1 && add_classifier(m) != 0) ||
            (seeds[i].tech == 2 && add_classifier_vectors(m) != 0)) {
            fprintf(stderr, "gen_model_seeds: out of memory\n");
            return 1;
        }
        m->meta_json = strdup("{\"name\":\"seed\",\"version\":\"1\"}");
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], seeds[i].name);
        slant_error err;
        slant_status st = model_save(m, path, &err);
        memset(&m->clusters, 0, sizeof m->clusters);   /* static arrays, not owned */
        slant_model_free(m);
        if (st != SLANT_OK) { fprintf(stderr, "gen_model_seeds: %s: %s\n", path, err.message); return 1; }
    }
    return 0;
}
