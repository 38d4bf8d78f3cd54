/* Word vectors as tagger features (tagger_dense.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tagger_dense.h"
#include "model.h"
#include "token_features.h"
#include "util/u64_sorted.h"
#include "word_vectors.h"

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
    word_vectors *wv = word_vectors_read(path, max_words, err);
    if (!wv) return NULL;
    size_t n = wv->n, D = (size_t)wv->D;
    hash_row *keys = malloc((n ? n : 1) * sizeof *keys);
    tagger_dense *d = calloc(1, sizeof *d);
    if (!keys || !d) goto nomem;
    for (size_t i = 0; i < n; i++) { keys[i].h = wv->hash[i]; keys[i].row = i; }
    qsort(keys, n, sizeof *keys, cmp_hash_row);
    d->D = (int)D; d->win = win; d->scale = scale;
    d->hash = malloc((n ? n : 1) * sizeof *d->hash);
    d->vec = malloc((n ? n : 1) * D * sizeof *d->vec);
    if (!d->hash || !d->vec) goto nomem;
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && keys[i].h == keys[i - 1].h) continue;   /* the first (most frequent) wins */
        d->hash[u] = keys[i].h;
        memcpy(d->vec + u * D, wv->unit + keys[i].row * D, D * sizeof *d->vec);
        u++;
    }
    d->n = u;
    free(keys);
    word_vectors_free(wv);
    return d;
nomem:
    err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory");
    free(keys);
    word_vectors_free(wv);
    tagger_dense_free(d);
    return NULL;
}

size_t tagger_dense_ids(const tagger_dense *d) { return (size_t)(2 * d->win + 1) * (size_t)d->D; }

void tagger_dense_values(const tagger_dense *d, const uint64_t *lower, size_t T, float *out) {
    size_t D = (size_t)d->D;
    for (size_t t = 0; t < T; t++) {
        long r = u64_find_sorted(d->hash, d->n, lower[t]);
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

typedef struct { uint64_t key; double w[TAGGER_MAX_LABELS]; } folded_row;

static int cmp_folded(const void *a, const void *b) {
    uint64_t x = ((const folded_row *)a)->key, y = ((const folded_row *)b)->key;
    return (x > y) - (x < y);
}

slant_status tagger_dense_fold(const tagger_dense *d, size_t L, size_t n_dense, uint64_t **keys,
                               size_t *n_keys, double **w) {
    size_t K = *n_keys, n_new = 0, cap = 1024;
    double *W = *w;
    const double *wd = W + K * L;
    if (L > TAGGER_MAX_LABELS) return SLANT_EINVAL;
    folded_row *add = malloc(cap * sizeof *add);
    if (!add) return SLANT_ENOMEM;
    for (size_t r = 0; r < d->n; r++)
        for (int o = -d->win; o <= d->win; o++) {
            double c[TAGGER_MAX_LABELS];
            tagger_dense_word_weights(d, r, o, wd, (int)L, c);
            int zero = 1;
            for (size_t y = 0; y < L; y++) zero &= c[y] == 0.0;
            if (zero) continue;
            uint64_t key = feat_word_lower_key(o, d->hash[r]);
            long at = u64_find_sorted(*keys, K, key);
            if (at >= 0) {
                for (size_t y = 0; y < L; y++) W[(size_t)at * L + y] += c[y];
                continue;
            }
            if (n_new == cap) {
                folded_row *p = realloc(add, 2 * cap * sizeof *add);
                if (!p) { free(add); return SLANT_ENOMEM; }
                add = p; cap *= 2;
            }
            add[n_new].key = key;
            memcpy(add[n_new].w, c, L * sizeof *c);
            n_new++;
        }
    qsort(add, n_new, sizeof *add, cmp_folded);
    size_t M = K + n_new, tail = L * L + L;
    uint64_t *k2 = malloc((M ? M : 1) * sizeof *k2);
    double *w2 = malloc((M * L + tail) * sizeof *w2);
    if (!k2 || !w2) { free(k2); free(w2); free(add); return SLANT_ENOMEM; }
    size_t i = 0, j = 0, m = 0;
    while (i < K || j < n_new) {   /* merge two sorted lists; their keys differ */
        if (j == n_new || (i < K && (*keys)[i] < add[j].key)) {
            k2[m] = (*keys)[i];
            memcpy(w2 + m * L, W + i * L, L * sizeof *w2);
            i++;
        } else {
            k2[m] = add[j].key;
            memcpy(w2 + m * L, add[j].w, L * sizeof *w2);
            j++;
        }
        m++;
    }
    memcpy(w2 + M * L, W + (K + n_dense) * L, tail * sizeof *w2);
    free(add);
    free(*keys); free(*w);
    *keys = k2; *w = w2; *n_keys = M;
    return SLANT_OK;
}
