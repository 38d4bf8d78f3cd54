/*
 * Multinomial (softmax) logistic regression over sparse real-valued
 * features: the prediction side, linked by tagging. Training lives in
 * linear_train.c and is never linked by `tag`.
 *
 * Notation: F = features, K = classes. One example is a sparse vector x of
 * (id, value) pairs; its raw scores are s_k = b_k + sum_j x_j w[id_j*K+k],
 * and its probabilities are p = softmax(s / T), where the temperature T > 0
 * is fitted on held-out data for calibration (T = 1: the raw model).
 *
 * Weights are one block of linear_n_weights(F, K) doubles: F x K feature
 * weights, w[f*K+k], then K biases, b_k = w[F*K+k]. Row f is contiguous so
 * that one feature touches one cache line or two for K = 14.
 *
 * Nothing here allocates, prints or keeps state; a model may be shared by
 * any number of threads.
 */
#ifndef SLANT_LINEAR_H
#define SLANT_LINEAR_H

#include <stddef.h>
#include <stdint.h>

/* One sparse example. Borrowed: the arrays belong to the caller. A feature
 * id may repeat; its values add up. */
typedef struct {
    const uint32_t *ids;   /* n feature ids; see linear_scores for ids >= F */
    const float *vals;     /* n feature values, or NULL when all are 1 */
    uint32_t n;            /* number of nonzeros */
} linear_example;

/* A borrowed view of a trained classifier. */
typedef struct {
    size_t n_feat;         /* F */
    int n_class;           /* K >= 1 */
    const double *w;       /* linear_n_weights(F, K): F x K, then K biases */
    double temperature;    /* T > 0; 1 = uncalibrated */
} linear_model;

/* Number of doubles in the weight block: F*K + K. */
size_t linear_n_weights(size_t n_feat, int n_class);

/* scores: K raw scores (temperature not applied). Ids >= F are skipped: at
 * tagging time they can only come from a feature dictionary that does not
 * match the model, and reading past the block would be worse than dropping
 * them. Training rejects them instead (linear_train). */
void linear_scores(const linear_model *m, const linear_example *x,
                   double *scores);

/* p: K probabilities, p = softmax(scores / T), summing to 1. Computed with
 * the maximum subtracted first, so any finite scores are safe and adding a
 * constant to every score leaves p unchanged. T must be > 0. scores and p
 * may be the same array. */
void linear_softmax(const double *scores, int K, double T, double *p);

/* p: K calibrated probabilities, softmax(linear_scores / m->temperature). */
void linear_predict_proba(const linear_model *m, const linear_example *x,
                          double *p);

/* Index of the largest of v[0..K), the lowest on ties; -1 when K <= 0.
 * NaNs never win (all NaN: 0). */
int linear_argmax(const double *v, int K);

#endif
