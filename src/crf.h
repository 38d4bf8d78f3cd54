/*
 * Linear-chain CRF kernels shared by training and tagging.
 * T = tokens, L = labels. Scores are log-space. emit: T x L,
 * emit[t*L+y] = score of label y at token t; trans: L x L,
 * trans[i*L+j] = score(i -> j); start: L, score of the first label.
 * Does not know about features: callers build emit from weights.
 */
#ifndef SLANT_CRF_H
#define SLANT_CRF_H

#include <stddef.h>
#include <stdint.h>

/* Best label path. path: T labels (output). Returns its score. T may be 0.
 * Ties go to the lowest label index. work: 2*T*L doubles. */
double crf_viterbi(int T, int L, const double *emit, const double *trans,
                   const double *start, int *path, double *work /* 2*T*L */);

/* Forward-backward. alpha, beta: T x L work arrays; on return they hold
 * the log forward and backward scores (see crf.c). Returns log Z (0 when
 * T == 0).
 * If marg is non-NULL it receives the posterior marginals, T x L,
 * marg[t*L+y] = P(y_t = y | x). */
double crf_forward_backward(int T, int L, const double *emit,
                            const double *trans, const double *start,
                            double *alpha, double *beta, double *marg);

/* The posterior marginals alone (marg: T x L), by a scaled forward-backward
 * in probability space: faster than crf_forward_backward, for tagging.
 * work: T*L + T doubles. Returns 1, or 0 when the scores are too extreme
 * for it (scores hundreds apart, -inf transitions, L > 16): marg is then
 * undefined and crf_forward_backward must be used. */
int crf_marginals_scaled(int T, int L, const double *emit, const double *trans,
                         const double *start, double *marg, double *work);

/* Adds the expected transition counts to count (L x L, accumulated, not
 * cleared): count[i*L+j] += sum over t >= 1 of P(y_{t-1}=i, y_t=j | x).
 * alpha, beta, marg and log_z are crf_forward_backward's results for the
 * same emit and trans. */
void crf_expected_transitions(int T, int L, const double *emit,
                              const double *trans, const double *alpha,
                              const double *beta, const double *marg,
                              double log_z, double *count);

/* Score of a given label path. path: T labels. */
double crf_path_score(int T, int L, const double *emit, const double *trans,
                      const double *start, const int *path);

/* ---- sparse features and weights ---- */

/* One training or tagging sequence. feat[offs[t] .. offs[t+1]) are the
 * feature ids of token t, each < n_feat; values are all 1. */
typedef struct {
    int T;
    const uint32_t *feat;   /* offs[T] ids */
    const uint32_t *offs;   /* T+1 entries, offs[0] == 0 */
    const int *labels;      /* T gold labels (training), or NULL */
    /* Optional real-valued features (word vectors, tagger_dense.h): dense[u*dense_dim
     * + j] is value j of token u (NULL: none). Token t sees the values of
     * tokens t+o, o = -dense_win..dense_win (none outside the sequence),
     * with weights w[(dense_base + (o+dense_win)*dense_dim + j)*L + y]; the
     * ids dense_base .. dense_base + (2*dense_win+1)*dense_dim - 1 must be
     * < n_feat and are not used by the sparse ids. */
    const float *dense;
    int dense_dim, dense_win;
    uint32_t dense_base;
} crf_seq;

/* Number of dense feature ids of s ((2*dense_win+1)*dense_dim, 0 if none). */
size_t crf_dense_ids(const crf_seq *s);

/* Adds the dense features' contributions to emit (T x L). */
void crf_dense_emissions(const crf_seq *s, int L, const double *w, double *emit);

/* Weight layout, one block: state weights n_feat x L (w[f*L+y]), then
 * trans L x L, then start L. crf_n_weights = n_feat*L + L*L + L. */
size_t crf_n_weights(size_t n_feat, int L);

/* emit[t*L+y] = sum over token t's features of w[f*L+y]. */
void crf_emissions(const crf_seq *s, int L, const double *w, double *emit);

#endif
