/*
 * Softmax classifier training: weighted mean cross-entropy plus L2,
 * minimized with L-BFGS (liblbfgs); temperature fitting for calibration;
 * accuracy and confusion counts. Never linked by tagging.
 *
 * Notation: N = examples, F = features, K = classes, x_i an example, y_i its
 * gold class, s_i = its K raw scores (linear.h), c_k = class weight
 * (1 when none are given), W = sum_i c_{y_i}. The objective is
 *
 *   L(w) = (1/W) sum_i c_{y_i} (logsumexp(s_i) - s_i[y_i])
 *          + c2/2 * sum_{f,k} w[f*K+k]^2        (biases not regularized)
 *
 * so with no class weights it is the plain mean cross-entropy, and c2 means
 * the same whatever the scale of the class weights.
 *
 * Determinism: the gradient is computed in two passes. Pass 1 splits the
 * examples over threads; each example's loss and residuals depend on that
 * example alone. Pass 2 splits the *features* over threads: every gradient
 * entry is owned by one thread, which adds its terms in example order
 * 0..N-1. Every sum therefore runs in the same order for any thread count,
 * and results are bit-identical across thread counts and runs, without one
 * F x K buffer per chunk (56 MB each at F = 500k, K = 14). The price: in
 * pass 2 every thread reads all nonzeros to find its own, so it scales less
 * well than pass 1 (one gradient at N = 6000, 300 nonzeros, F = 500k,
 * K = 14 on a 16-core Xeon: 72 ms on 1 thread, 47 on 2, 28 on 16).
 */
#ifndef SLANT_LINEAR_TRAIN_H
#define SLANT_LINEAR_TRAIN_H

#include "linear.h"
#include "slant.h"

/* A training set. Borrowed. */
typedef struct {
    const linear_example *x;  /* N examples, every id < F */
    const int *y;             /* N gold classes in [0, K) */
    size_t n;                 /* N */
    size_t n_feat;            /* F */
    int n_class;              /* K >= 2 */
} linear_data;

typedef struct {
    double c2;                  /* L2 weight on feature weights (>= 0) */
    int max_iter;               /* L-BFGS iterations; 0 = until convergence */
    double epsilon;             /* stop when |g| < epsilon * max(1, |w|) */
    double delta;               /* stop when the loss improved by less than
                                   delta (relative) over 10 iterations; 0 = off */
    int threads;                /* >= 1; never changes the result */
    const double *class_weight; /* K weights > 0, or NULL for all 1 */
    const double *example_weight; /* N weights > 0 multiplying the class
                                   weights, or NULL for all 1 */
    /* Called after every iteration with the iteration number (1-based), the
     * objective and the weights (linear_n_weights doubles); return nonzero
     * to stop early, keeping those weights. May be NULL. */
    int (*progress)(void *ctx, int iter, double loss, const double *w);
    void *ctx;                  /* passed to progress */
} linear_train_opts;

/* What training did. */
typedef struct {
    int iterations;    /* L-BFGS iterations run */
    double loss;       /* objective at the returned weights */
    int lbfgs_status;  /* liblbfgs's return code, for logs */
} linear_train_info;

/* c2 = 1e-4, max_iter = 200, epsilon = 1e-5, delta = 1e-6, threads = 1,
 * no class or example weights, no callback. */
void linear_train_opts_init(linear_train_opts *o);

/* Objective L(w) into *loss and its gradient into g (linear_n_weights
 * doubles, same layout as w); uses o->c2, o->class_weight, o->threads.
 * Exposed for the finite-difference test. Errors: SLANT_EINVAL (bad ids,
 * labels, values or options), SLANT_ENOMEM. */
slant_status linear_objective(const linear_data *d, const linear_train_opts *o,
                              const double *w, double *loss, double *g,
                              slant_error *err);

/* Trains w in place: linear_n_weights(F, K) doubles, the starting point
 * (usually all 0), on return the minimizer. Stopping at max_iter, at the
 * callback's request, or when the line search can make no more progress
 * (liblbfgs then returns the last good point) is not an error. info may be
 * NULL. Errors: SLANT_EINVAL, SLANT_ENOMEM. */
slant_status linear_train(const linear_data *d, const linear_train_opts *o,
                          double *w, linear_train_info *info,
                          slant_error *err);

/* Calibration (Guo et al. 2017, "On Calibration of Modern Neural Networks",
 * temperature scaling): the T minimizing the mean negative log-likelihood
 * of gold under softmax(scores / T), searched by golden section over
 * log T in [log 0.01, log 100]. The NLL is convex in 1/T, hence unimodal in
 * log T, so the search finds the global minimum in that range.
 * scores: N x K raw scores, scores[i*K+k]; gold: N classes in [0, K).
 * Errors: SLANT_EINVAL (N = 0, K < 1, a label out of range, a non-finite
 * score). */
slant_status linear_fit_temperature(const double *scores, const int *gold,
                                    size_t N, int K, double *T,
                                    slant_error *err);

/* confusion: K x K counts, confusion[g*K+p] = examples of gold class g
 * predicted as p (overwritten; may be NULL); *accuracy = trace / N (0 when
 * N = 0; may be NULL). gold, pred: N classes in [0, K).
 * Errors: SLANT_EINVAL (a class out of range). */
slant_status linear_confusion(const int *gold, const int *pred, size_t N,
                              int K, size_t *confusion, double *accuracy,
                              slant_error *err);

#endif
