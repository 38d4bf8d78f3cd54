/* The word2vec text reader shared by the trainers (word_vectors.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "word_vectors.h"
#include "token_features.h"

#define WORD_VECTORS_MAX_DIM 4096
#define WORD_VECTORS_MAX_WORDS ((size_t)1 << 26)

void word_vectors_free(word_vectors *v) {
    if (!v) return;
    free(v->hash);
    free(v->unit);
    free(v);
}

/* Grows v's arrays to hold cap words. */
static int grow(word_vectors *v, size_t cap) {
    float *u = realloc(v->unit, cap * (size_t)v->D * sizeof *u);
    if (!u) return 0;
    v->unit = u;
    uint64_t *h = realloc(v->hash, cap * sizeof *h);
    if (!h) return 0;
    v->hash = h;
    return 1;
}

word_vectors *word_vectors_read(const char *path, size_t max_words, slant_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) { err_set(err, SLANT_EIO, path, -1, -1, "cannot open the word vectors"); return NULL; }
    size_t V = 0, D = 0;
    word_vectors *v = calloc(1, sizeof *v);
    if (!v) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
    if (fscanf(f, "%zu %zu", &V, &D) != 2 || D == 0 || D > WORD_VECTORS_MAX_DIM || V > WORD_VECTORS_MAX_WORDS) {
        err_set(err, SLANT_EFORMAT, path, 1, -1, "not a word2vec text file: the first line must be \"WORDS DIMENSIONS\"");
        goto fail;
    }
    v->D = (int)D;
    size_t header_words = V;
    if (max_words && max_words < V) V = max_words;
    /* Room grows as words come, so a lying header costs nothing. */
    size_t cap = V < 4096 ? (V ? V : 1) : 4096;
    if (!grow(v, cap)) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
    char word[1024];
    for (size_t n = 0; n < V; n++) {
        if (n == cap) {
            cap = cap * 2 < V ? cap * 2 : V;
            if (!grow(v, cap)) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
        }
        if (fscanf(f, "%1023s", word) != 1) {
            err_set(err, SLANT_EFORMAT, path, (long)n + 2, -1, "the header promises %zu words, the file ends after %zu", header_words, n);
            goto fail;
        }
        float *x = v->unit + n * D;
        double norm = 0;
        for (size_t k = 0; k < D; k++) {
            if (fscanf(f, "%f", &x[k]) != 1 || !isfinite(x[k])) {
                err_set(err, SLANT_EFORMAT, path, (long)n + 2, -1, "expected %zu finite numbers after the word", D);
                goto fail;
            }
            norm += (double)x[k] * x[k];
        }
        norm = norm > 0 ? sqrt(norm) : 1;
        for (size_t k = 0; k < D; k++) x[k] = (float)(x[k] / norm);
        v->hash[n] = feat_word_hash(word, strlen(word));
        v->n = n + 1;
    }
    fclose(f);
    return v;
fail:
    fclose(f);
    word_vectors_free(v);
    return NULL;
}
