/*
 * CRF training: negative log-likelihood plus L2 (c2) and optional L1 (c1,
 * by OWL-QN) minimized with L-BFGS (liblbfgs). Gradient evaluation is split
 * over threads by sequence; sums are reduced in a fixed order, so results
 * are bit-identical for any thread count and run. Never linked by tagging.
 */
#ifndef SLANT_CRF_TRAIN_H
#define SLANT_CRF_TRAIN_H

#include "crf.h"
#include "slant.h"

typedef struct {
    double c1;          /* L1 weight (0 = none) */
    double c2;          /* L2 weight */
    int max_iter;       /* L-BFGS iterations (0: until convergence) */
    double epsilon;     /* convergence tolerance (liblbfgs epsilon) */
    int threads;        /* >= 1 */
    /* Called after every iteration (iter from 1) with the objective, L1 term
     * included, and the current weights; return nonzero to stop early (not
     * an error). May be NULL. */
    int (*progress)(void *ctx, int iter, double loss, const double *w);
    void *ctx;          /* passed to progress */
} crf_train_opts;

/* Defaults: c1 0, c2 1, max_iter 100, epsilon 1e-5, threads 1, no progress. */
void crf_train_opts_init(crf_train_opts *o);

/* Negative log-likelihood + c2/2*|w|^2 of the data and its gradient g
 * (same layout as w, crf_n_weights doubles, overwritten). Exposed for the
 * finite-difference test. Sequences must be valid (labels set and < L,
 * feature ids < n_feat); crf_train checks this, this does not. Returns NaN
 * if its small work buffers cannot be allocated. */
double crf_objective(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                     const double *w, double c2, double *g, int threads);

/* Trains w (crf_n_weights(n_feat, L) doubles, initialised by the caller,
 * usually to 0). SLANT_OK also when stopped by progress, by max_iter, or by
 * a line search that can no longer improve after >= 1 iteration; w then
 * holds the last accepted iterate. SLANT_EINVAL for malformed sequences,
 * bad options or a non-finite objective, SLANT_ENOMEM; on error w is
 * unchanged. */
slant_status crf_train(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                       const crf_train_opts *o, double *w, slant_error *err);

#endif
