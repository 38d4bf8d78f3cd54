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
    int max_iter;       /* L-BFGS iterations */
    double epsilon;     /* convergence tolerance (liblbfgs epsilon) */
    int threads;        /* >= 1 */
    /* Called after every iteration; return nonzero to stop early. May be NULL. */
    int (*progress)(void *ctx, int iter, double loss, const double *w);
    void *ctx;
} crf_train_opts;

void crf_train_opts_init(crf_train_opts *o);

/* Negative log-likelihood + c2/2*|w|^2 of the data and its gradient g
 * (same layout as w). Exposed for the finite-difference test. */
double crf_objective(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                     const double *w, double c2, double *g, int threads);

/* Trains w (crf_n_weights(n_feat, L) doubles, initialised by the caller,
 * usually to 0). */
slant_status crf_train(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                       const crf_train_opts *o, double *w, slant_error *err);

#endif
