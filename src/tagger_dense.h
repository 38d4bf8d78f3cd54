/*
 * Word vectors as real-valued features of the span tagger, for training.
 * Token t sees the unit-length vector (times `scale`) of the lower-cased
 * word at t+o, o = -win..win (zero for a word without a vector or a position
 * outside the article); each dimension j at each offset o has one weight
 * per label. Trained jointly with the sparse features (crf_seq's dense
 * values), these weights are then folded into the model: the weights a word
 * w adds at offset o are a constant, sum_j v_wj W_ojy, so they join the
 * sparse "lower-cased word at offset o" feature of that word
 * (feat_word_lower_key). The saved model has no vectors and the same
 * format; analysis costs nothing more.
 */
#ifndef SLANT_TAGGER_DENSE_H
#define SLANT_TAGGER_DENSE_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#define TAGGER_DENSE_MAX_WIN 2   /* the word templates reach offsets -2..2 */

typedef struct tagger_dense {
    int D, win;
    double scale;
    size_t n;          /* words */
    uint64_t *hash;    /* n, sorted: feat_word_hash of the lower-cased word */
    float *vec;        /* n x D unit vectors */
} tagger_dense;

/* Reads a word2vec text file (word_vectors_read): its first max_words words
 * (0: all); a repeated word keeps its first vector. NULL with a message in
 * err naming the file and line. */
tagger_dense *tagger_dense_read(const char *path, size_t max_words, int win, double scale,
                                slant_error *err);
void tagger_dense_free(tagger_dense *d);

/* Number of dense feature ids: (2 win + 1) x D. */
size_t tagger_dense_ids(const tagger_dense *d);

/* out[t*D + j] = scale x component j of the vector of token t's word (lower:
 * the T tokens' feat_word_hash), 0 for a word without one. */
void tagger_dense_values(const tagger_dense *d, const uint64_t *lower, size_t T, float *out);

/* The weights that word r (0..n-1) adds at offset o (-win..win), for each of
 * the L labels: out[y] = sum_j scale v_rj wd[((o+win) D + j) L + y], with wd
 * the dense block of the trained weights. */
void tagger_dense_word_weights(const tagger_dense *d, size_t r, int o, const double *wd, int L,
                               double *out);

/* Folds trained vector weights into word features. *keys: *n_keys sorted
 * feature keys; *w: their weights (n_keys x L), then the n_dense x L
 * vector weights (ids as tagger_dense_ids), then the L x L transition and
 * L start weights. Each word's weights at each offset are added to the row
 * of its feat_word_lower_key, a new row (keys kept sorted) when there is
 * none. Afterwards *keys and *w (both reallocated) hold the grown rows and
 * the transition and start weights, no vector weights. Errors:
 * SLANT_ENOMEM, SLANT_EINVAL (L too large). */
slant_status tagger_dense_fold(const tagger_dense *d, size_t L, size_t n_dense, uint64_t **keys,
                               size_t *n_keys, double **w);

#endif
