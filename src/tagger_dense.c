/* Word vectors as tagger features (tagger_dense.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tagger_dense.h"
#include "token_features.h"

typedef struct { uint64_t h; size_t row; } hash_row;

static int cmp_hash_row(const void *a, const void *b) {
    const hash_row *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

void tagger_dense_free(tagger_dense *d) {
    if (!d) return;
    free(d->hash); free(d->vec);
    free(d);
}

tagger_dense *tagger_dense_read(const char *path, size_t max_words, int win, double scale,
                                slant_error *err) {
    FILE *f = fopen(path, "r");
    size_t V = 0, D = 0, n = 0;
    char word[1024];
    float *x = NULL;
    hash_row *keys = NULL;
    tagger_dense *d = NULL;
    if (!f) { err_set(err, SLANT_EIO, path, -1, -1, "cannot open the word vectors"); return NULL; }
    if (fscanf(f, "%zu %zu", &V, &D) != 2 || D == 0 || D > 4096 || V > ((size_t)1 << 26)) {
        err_set(err, SLANT_EFORMAT, path, 1, -1, "not a word2vec text file: the first line must be \"WORDS DIMENSIONS\"");
        goto fail;
    }
    size_t header_words = V;
    if (max_words && max_words < V) V = max_words;
    /* The header is not trusted with the allocation: room grows as words come. */
    size_t cap = V < 4096 ? (V ? V : 1) : 4096;
    x = malloc(cap * D * sizeof *x);
    keys = malloc(cap * sizeof *keys);
    d = calloc(1, sizeof *d);
    if (!x || !keys || !d) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
    for (; n < V; n++) {
        if (n == cap) {
            size_t nc = cap * 2 < V ? cap * 2 : V;
            float *nx = realloc(x, nc * D * sizeof *x);
            if (nx) x = nx;
            hash_row *nk = nx ? realloc(keys, nc * sizeof *keys) : NULL;
            if (!nx || !nk) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
            keys = nk;
            cap = nc;
        }
        if (fscanf(f, "%1023s", word) != 1) {
            err_set(err, SLANT_EFORMAT, path, (long)n + 2, -1, "the header promises %zu words, the file ends after %zu", header_words, n);
            goto fail;
        }
        double norm = 0;
        for (size_t k = 0; k < D; k++) {
            if (fscanf(f, "%f", &x[n * D + k]) != 1 || !isfinite(x[n * D + k])) {
                err_set(err, SLANT_EFORMAT, path, (long)n + 2, -1, "expected %zu finite numbers after the word", D);
                goto fail;
            }
            norm += (double)x[n * D + k] * x[n * D + k];
        }
        norm = norm > 0 ? sqrt(norm) : 1;
        for (size_t k = 0; k < D; k++) x[n * D + k] = (float)(x[n * D + k] / norm);
        keys[n].h = feat_word_hash(word, strlen(word));
        keys[n].row = n;
    }
    qsort(keys, n, sizeof *keys, cmp_hash_row);
    d->D = (int)D; d->win = win; d->scale = scale;
    d->hash = malloc((n ? n : 1) * sizeof *d->hash);
    d->vec = malloc((n ? n : 1) * D * sizeof *d->vec);
    if (!d->hash || !d->vec) { err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && keys[i].h == keys[i - 1].h) continue;   /* the first (most frequent) wins */
        d->hash[u] = keys[i].h;
        memcpy(d->vec + u * D, x + keys[i].row * D, D * sizeof *x);
        u++;
    }
    d->n = u;
    fclose(f); free(x); free(keys);
    return d;
fail:
    fclose(f); free(x); free(keys); tagger_dense_free(d);
    return NULL;
}

size_t tagger_dense_ids(const tagger_dense *d) { return (size_t)(2 * d->win + 1) * (size_t)d->D; }

static long find(const tagger_dense *d, uint64_t h) {
    size_t lo = 0, hi = d->n;
    while (lo < hi) { size_t m = (lo + hi) / 2; if (d->hash[m] < h) lo = m + 1; else hi = m; }
    return lo < d->n && d->hash[lo] == h ? (long)lo : -1;
}

void tagger_dense_values(const tagger_dense *d, const uint64_t *lower, size_t T, float *out) {
    size_t D = (size_t)d->D;
    for (size_t t = 0; t < T; t++) {
        long r = find(d, lower[t]);
        float *o = out + t * D;
        if (r < 0) { memset(o, 0, D * sizeof *o); continue; }
        const float *v = d->vec + (size_t)r * D;
        for (size_t j = 0; j < D; j++) o[j] = (float)(d->scale * (double)v[j]);
    }
}

void tagger_dense_word_weights(const tagger_dense *d, size_t r, int o, const double *wd, int L,
                               double *out) {
    size_t D = (size_t)d->D, Ls = (size_t)L;
    const float *v = d->vec + r * D;
    const double *wb = wd + (size_t)(o + d->win) * D * Ls;
    for (size_t y = 0; y < Ls; y++) out[y] = 0.0;
    for (size_t j = 0; j < D; j++) {
        /* the value the training saw: the float scale x v */
        double x = (double)(float)(d->scale * (double)v[j]);
        for (size_t y = 0; y < Ls; y++) out[y] += x * wb[j * Ls + y];
    }
}
