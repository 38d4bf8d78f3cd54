/*
 * Linear-chain CRF kernels: Viterbi, forward-backward, path scores,
 * expected transition counts, and emissions from sparse features.
 * Does not train, allocate, or know about labels' meaning.
 *
 * Notation: T = tokens, L = labels; all scores are log-space.
 * emit: T x L, emit[t*L+y]; trans: L x L, trans[i*L+j] = score(i -> j);
 * start: L. alpha[t*L+y] = log of the summed scores of all label prefixes
 * 0..t that end in y (emit[t] included); beta[t*L+y] = log of the summed
 * scores of all suffixes t+1..T-1 given y_t = y (beta[T-1] = 0).
 *
 * Speed. A textbook log-space step costs L*L exp() per token and direction
 * (a logsumexp per label). We instead subtract the previous step's maximum,
 * exponentiate those L values once, and multiply by a per-sequence table
 * exp(trans - column max): L exp() and L log() per token, exact in log space
 * apart from rounding. When a sum comes out too small to be trusted (huge or
 * -inf weight differences, e.g. forbidden BIO transitions) that one entry is
 * recomputed with a plain logsumexp, so results never become NaN. This is the
 * max-subtracted form of the scaling in Rabiner (1989), "A tutorial on hidden
 * Markov models", Proc. IEEE 77(2), sec. V.A. The tables live on the stack
 * for L <= CRF_FAST_L; larger L takes the plain logsumexp path throughout.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include "crf.h"

/* Largest L served by the exp-table fast path (tables are 2*L*L doubles on
 * the stack). BIO/BIOES tag sets need at most 5. */
#define CRF_FAST_L 16

/* A row sum below this is recomputed exactly: terms lost to underflow are
 * < 2^-1074 each, so above it they change the sum by < 1e-23 relative. */
#define CRF_SUM_TINY 1e-300

/* ---- small helpers ---- */

static double max_of(const double *x /* n */, int n) {
    double m = x[0];
    for (int i = 1; i < n; i++)
        if (x[i] > m) m = x[i];
    return m;
}

/* log sum_i exp(x[i*stride]) with the maximum subtracted first. */
static double logsumexp_strided(const double *x, int n, int stride) {
    double m = x[0];
    for (int i = 1; i < n; i++)
        if (x[(size_t)i * (size_t)stride] > m) m = x[(size_t)i * (size_t)stride];
    if (m == -INFINITY || m == INFINITY) return m;
    double s = 0.0;
    for (int i = 0; i < n; i++) s += exp(x[(size_t)i * (size_t)stride] - m);
    return m + log(s);
}

/* exp_col[i*L+j] = exp(trans[i*L+j] - col_max[j]) (L x L, entries in [0,1]),
 * col_max: L. A column that is all -inf gets col_max 0 and zero entries, so
 * its sums fall through to the exact path. */
static void exp_cols(int L, const double *trans, double *exp_col, double *col_max) {
    for (int j = 0; j < L; j++) {
        double m = trans[j];
        for (int i = 1; i < L; i++)
            if (trans[(size_t)i * (size_t)L + (size_t)j] > m) m = trans[(size_t)i * (size_t)L + (size_t)j];
        if (!isfinite(m)) m = 0.0;
        col_max[j] = m;
        for (int i = 0; i < L; i++)
            exp_col[(size_t)i * (size_t)L + (size_t)j] = exp(trans[(size_t)i * (size_t)L + (size_t)j] - m);
    }
}

/* exp_row[i*L+j] = exp(trans[i*L+j] - row_max[i]), the same by rows. */
static void exp_rows(int L, const double *trans, double *exp_row, double *row_max) {
    for (int i = 0; i < L; i++) {
        const double *r = trans + (size_t)i * (size_t)L;
        double m = max_of(r, L);
        if (!isfinite(m)) m = 0.0;
        row_max[i] = m;
        for (int j = 0; j < L; j++) exp_row[(size_t)i * (size_t)L + (size_t)j] = exp(r[j] - m);
    }
}

/* ---- Viterbi ---- */

double crf_viterbi(int T, int L, const double *emit, const double *trans,
                   const double *start, int *path, double *work /* 2*T*L */) {
    assert(L >= 1 && T >= 0);
    if (T == 0) return 0.0;
    size_t Ls = (size_t)L;
    double *score = work;                   /* T x L best prefix scores */
    double *back = work + (size_t)T * Ls;   /* T x L argmax predecessor */
    for (size_t y = 0; y < Ls; y++) {
        score[y] = start[y] + emit[y];
        back[y] = 0.0;
    }
    for (size_t t = 1; t < (size_t)T; t++) {
        const double *prev = score + (t - 1) * Ls;
        for (size_t j = 0; j < Ls; j++) {
            /* Strict > keeps the lowest index on ties: deterministic. */
            double best = prev[0] + trans[j];
            size_t arg = 0;
            for (size_t i = 1; i < Ls; i++) {
                double s = prev[i] + trans[i * Ls + j];
                if (s > best) { best = s; arg = i; }
            }
            score[t * Ls + j] = best + emit[t * Ls + j];
            back[t * Ls + j] = (double)arg;
        }
    }
    const double *last = score + (size_t)(T - 1) * Ls;
    int y = 0;
    for (int j = 1; j < L; j++)
        if (last[j] > last[y]) y = j;
    double best = last[y];
    for (int t = T - 1; t >= 0; t--) {
        path[t] = y;
        y = (int)back[(size_t)t * Ls + (size_t)y];
    }
    return best;
}

/* ---- forward-backward ---- */

/* Plain log-space forward and backward: any L, any weights. */
static void forward_exact(int T, int L, const double *emit, const double *trans,
                          const double *start, double *alpha) {
    size_t Ls = (size_t)L;
    for (size_t y = 0; y < Ls; y++) alpha[y] = start[y] + emit[y];
    for (size_t t = 1; t < (size_t)T; t++) {
        const double *prev = alpha + (t - 1) * Ls;
        for (size_t j = 0; j < Ls; j++) {
            double m = -INFINITY;
            for (size_t i = 0; i < Ls; i++)
                if (prev[i] + trans[i * Ls + j] > m) m = prev[i] + trans[i * Ls + j];
            double s = 0.0;
            if (isfinite(m))
                for (size_t i = 0; i < Ls; i++) s += exp(prev[i] + trans[i * Ls + j] - m);
            alpha[t * Ls + j] = emit[t * Ls + j] + (isfinite(m) ? m + log(s) : m);
        }
    }
}

static void backward_exact(int T, int L, const double *emit, const double *trans,
                           double *beta) {
    size_t Ls = (size_t)L;
    for (size_t y = 0; y < Ls; y++) beta[(size_t)(T - 1) * Ls + y] = 0.0;
    for (size_t t = (size_t)T - 1; t-- > 0;) {
        const double *e = emit + (t + 1) * Ls, *b = beta + (t + 1) * Ls;
        for (size_t i = 0; i < Ls; i++) {
            const double *tr = trans + i * Ls;
            double m = -INFINITY;
            for (size_t j = 0; j < Ls; j++)
                if (tr[j] + e[j] + b[j] > m) m = tr[j] + e[j] + b[j];
            double s = 0.0;
            if (isfinite(m))
                for (size_t j = 0; j < Ls; j++) s += exp(tr[j] + e[j] + b[j] - m);
            beta[t * Ls + i] = isfinite(m) ? m + log(s) : m;
        }
    }
}

/* The fast kernels are written once and instantiated for L = 3 (the O/B/I
 * tagger) as well as any L: a constant L lets the compiler unroll the label
 * loops. The arithmetic and its order are the same in both. */
#if defined(__GNUC__)
#define CRF_KERNEL static inline __attribute__((always_inline))
#else
#define CRF_KERNEL static inline
#endif

/* exp(x - m) where m is the maximum of the x's: the maximum itself gives
 * exp(0) = 1 exactly, so one exp() per step is skipped. */
static inline double exp_below(double x, double m) { return x == m ? 1.0 : exp(x - m); }

/* Fast forward: alpha[t][j] = emit[t][j] + m + col_max[j] + log sum_i
 * exp(alpha[t-1][i] - m) * exp_col[i][j], m = max_i alpha[t-1][i]. */
CRF_KERNEL void forward_fast_body(int T, int L, const double *emit, const double *trans,
                                  const double *start, double *alpha) {
    size_t Ls = (size_t)L;
    double exp_col[CRF_FAST_L * CRF_FAST_L], col_max[CRF_FAST_L], a[CRF_FAST_L];
    exp_cols(L, trans, exp_col, col_max);
    for (size_t y = 0; y < Ls; y++) alpha[y] = start[y] + emit[y];
    for (size_t t = 1; t < (size_t)T; t++) {
        const double *prev = alpha + (t - 1) * Ls;
        double *cur = alpha + t * Ls;
        double m = max_of(prev, L);
        if (!isfinite(m)) { /* every prefix impossible (or inf weights) */
            for (size_t j = 0; j < Ls; j++) cur[j] = m + emit[t * Ls + j];
            continue;
        }
        for (size_t i = 0; i < Ls; i++) a[i] = exp_below(prev[i], m);
        for (size_t j = 0; j < Ls; j++) {
            double s = 0.0;
            for (size_t i = 0; i < Ls; i++) s += a[i] * exp_col[i * Ls + j];
            if (s > CRF_SUM_TINY) {
                cur[j] = emit[t * Ls + j] + m + col_max[j] + log(s);
            } else {
                double x = -INFINITY, acc = 0.0;
                for (size_t i = 0; i < Ls; i++)
                    if (prev[i] + trans[i * Ls + j] > x) x = prev[i] + trans[i * Ls + j];
                if (isfinite(x))
                    for (size_t i = 0; i < Ls; i++) acc += exp(prev[i] + trans[i * Ls + j] - x);
                cur[j] = emit[t * Ls + j] + (isfinite(x) ? x + log(acc) : x);
            }
        }
    }
}

static void forward_fast(int T, int L, const double *emit, const double *trans,
                         const double *start, double *alpha) {
    if (L == 3) forward_fast_body(T, 3, emit, trans, start, alpha);
    else if (L == 5) forward_fast_body(T, 5, emit, trans, start, alpha);
    else forward_fast_body(T, L, emit, trans, start, alpha);
}

/* Fast backward, the mirror image with exp(trans - row max). */
CRF_KERNEL void backward_fast_body(int T, int L, const double *emit, const double *trans,
                                   double *beta) {
    size_t Ls = (size_t)L;
    double exp_row[CRF_FAST_L * CRF_FAST_L], row_max[CRF_FAST_L];
    double v[CRF_FAST_L], b[CRF_FAST_L];
    exp_rows(L, trans, exp_row, row_max);
    for (size_t y = 0; y < Ls; y++) beta[(size_t)(T - 1) * Ls + y] = 0.0;
    for (size_t t = (size_t)T - 1; t-- > 0;) {
        const double *e = emit + (t + 1) * Ls, *nb = beta + (t + 1) * Ls;
        double *cur = beta + t * Ls;
        for (size_t j = 0; j < Ls; j++) v[j] = e[j] + nb[j];
        double m = max_of(v, L);
        if (!isfinite(m)) {
            for (size_t i = 0; i < Ls; i++) cur[i] = m;
            continue;
        }
        for (size_t j = 0; j < Ls; j++) b[j] = exp_below(v[j], m);
        for (size_t i = 0; i < Ls; i++) {
            const double *er = exp_row + i * Ls;
            double s = 0.0;
            for (size_t j = 0; j < Ls; j++) s += er[j] * b[j];
            if (s > CRF_SUM_TINY) {
                cur[i] = m + row_max[i] + log(s);
            } else {
                const double *tr = trans + i * Ls;
                double x = -INFINITY, acc = 0.0;
                for (size_t j = 0; j < Ls; j++)
                    if (tr[j] + v[j] > x) x = tr[j] + v[j];
                if (isfinite(x))
                    for (size_t j = 0; j < Ls; j++) acc += exp(tr[j] + v[j] - x);
                cur[i] = isfinite(x) ? x + log(acc) : x;
            }
        }
    }
}

static void backward_fast(int T, int L, const double *emit, const double *trans,
                          double *beta) {
    if (L == 3) backward_fast_body(T, 3, emit, trans, beta);
    else if (L == 5) backward_fast_body(T, 5, emit, trans, beta);
    else backward_fast_body(T, L, emit, trans, beta);
}

double crf_forward_backward(int T, int L, const double *emit,
                            const double *trans, const double *start,
                            double *alpha, double *beta, double *marg) {
    assert(L >= 1 && T >= 0);
    if (T == 0) return 0.0;
    size_t Ls = (size_t)L;
    if (L <= CRF_FAST_L) {
        forward_fast(T, L, emit, trans, start, alpha);
        backward_fast(T, L, emit, trans, beta);
    } else {
        forward_exact(T, L, emit, trans, start, alpha);
        backward_exact(T, L, emit, trans, beta);
    }
    double log_z = logsumexp_strided(alpha + (size_t)(T - 1) * Ls, L, 1);
    if (marg) {
        for (size_t k = 0; k < (size_t)T * Ls; k++)
            marg[k] = exp(alpha[k] + beta[k] - log_z);
    }
    return log_z;
}

/* ---- scaled marginals (tagging) ---- */

/* Probability space with a normaliser per step (Rabiner 1989, sec. V.A):
 * a[t] = e[t] * (a[t-1] E) / c[t], b[t] = E (e[t+1] * b[t+1]) / c[t+1],
 * marg[t] = a[t] * b[t], with e[t][y] = exp(emit[t][y] - max_y emit[t]) and
 * E = exp(trans - max trans): L exp() per token and no log(), against 2L of
 * each for the log-space pair. Any constant factor of e[t] or E cancels in
 * the normalisers. Gives up (returns 0) when a normaliser is not a normal
 * positive number, which only scores hundreds apart or forbidden
 * transitions can cause; the caller then takes the exact log-space path. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define UNROLL _Pragma("GCC unroll 4")
#else
#define ALWAYS_INLINE inline
#define UNROLL
#endif

/* The body, inlined with L a constant for the common tag set (L = 3), where
 * the compiler unrolls the label loops. */
static ALWAYS_INLINE int marginals_scaled(size_t Ts, size_t Ls, const double *emit,
                                          const double *E, const double *s0,
                                          double *marg, double *work) {
    double tmp[CRF_FAST_L], b[CRF_FAST_L];
    double *e = work, *inv_c = work + Ts * Ls;   /* T x L, then T */
    for (size_t t = 0; t < Ts; t++) {
        const double *em = emit + t * Ls;
        double m = em[0];
        UNROLL
        for (size_t y = 1; y < Ls; y++) if (em[y] > m) m = em[y];
        if (!isfinite(m)) return 0;
        /* The top label's factor is exp(0) = 1 exactly: one exp() saved. */
        UNROLL
        for (size_t y = 0; y < Ls; y++) e[t * Ls + y] = em[y] == m ? 1.0 : exp(em[y] - m);
    }
    /* Forward into marg (it becomes a[t]). */
    double *a = marg;
    for (size_t t = 0; t < Ts; t++) {
        double *at = a + t * Ls, sum = 0.0;
        UNROLL
        for (size_t j = 0; j < Ls; j++) {
            double v;
            if (t == 0) v = s0[j];
            else {
                v = 0.0;
                UNROLL
                for (size_t i = 0; i < Ls; i++) v += a[(t - 1) * Ls + i] * E[i * Ls + j];
            }
            at[j] = v * e[t * Ls + j];
            sum += at[j];
        }
        if (!(sum >= DBL_MIN && sum <= DBL_MAX)) return 0;
        double inv = 1.0 / sum;
        inv_c[t] = inv;
        UNROLL
        for (size_t j = 0; j < Ls; j++) at[j] *= inv;
    }
    /* Backward, multiplied into a[t] as it goes: b[T-1] = 1. */
    UNROLL
    for (size_t y = 0; y < Ls; y++) b[y] = 1.0;
    for (size_t t = Ts; t-- > 0;) {
        double *mt = marg + t * Ls, sum = 0.0;
        UNROLL
        for (size_t y = 0; y < Ls; y++) { mt[y] *= b[y]; sum += mt[y]; }
        if (!(sum >= DBL_MIN && sum <= DBL_MAX)) return 0;
        double inv = 1.0 / sum;   /* sum is 1 up to rounding */
        UNROLL
        for (size_t y = 0; y < Ls; y++) mt[y] *= inv;
        if (t == 0) break;
        UNROLL
        for (size_t j = 0; j < Ls; j++) tmp[j] = e[t * Ls + j] * b[j] * inv_c[t];
        UNROLL
        for (size_t i = 0; i < Ls; i++) {
            double v = 0.0;
            UNROLL
            for (size_t j = 0; j < Ls; j++) v += E[i * Ls + j] * tmp[j];
            b[i] = v;
        }
    }
    return 1;
}

int crf_marginals_scaled(int T, int L, const double *emit, const double *trans,
                         const double *start, double *marg, double *work) {
    assert(L >= 1 && T >= 0);
    if (T == 0) return 1;
    if (L > CRF_FAST_L) return 0;
    size_t Ls = (size_t)L;
    double E[CRF_FAST_L * CRF_FAST_L], s0[CRF_FAST_L];
    double tm = max_of(trans, L * L), sm = max_of(start, L);
    if (!isfinite(tm) || !isfinite(sm)) return 0;
    for (size_t k = 0; k < Ls * Ls; k++) E[k] = exp(trans[k] - tm);
    for (size_t y = 0; y < Ls; y++) s0[y] = exp(start[y] - sm);
    if (L == 3) return marginals_scaled((size_t)T, 3, emit, E, s0, marg, work);
    if (L == 5) return marginals_scaled((size_t)T, 5, emit, E, s0, marg, work);
    return marginals_scaled((size_t)T, Ls, emit, E, s0, marg, work);
}

/* ---- expected transitions ---- */

/* P(y_{t-1}=i, y_t=j) = marg[t][j] * P(y_{t-1}=i | y_t=j, x_0..t), and the
 * second factor is a_i * exp_col[i][j] / s_j from the forward step, a
 * normalized distribution over i. That needs L exp() per token, not L*L.
 * Columns whose s_j is too small use the exact
 * exp(alpha[t-1][i] + trans[i][j] + emit[t][j] + beta[t][j] - log_z). */
void crf_expected_transitions(int T, int L, const double *emit,
                              const double *trans, const double *alpha,
                              const double *beta, const double *marg,
                              double log_z, double *count) {
    assert(L >= 1 && T >= 0);
    size_t Ls = (size_t)L;
    double exp_col_buf[CRF_FAST_L * CRF_FAST_L], col_max[CRF_FAST_L], a[CRF_FAST_L];
    int fast = L <= CRF_FAST_L;
    if (fast) exp_cols(L, trans, exp_col_buf, col_max);
    for (size_t t = 1; t < (size_t)T; t++) {
        const double *prev = alpha + (t - 1) * Ls;
        const double *mg = marg + t * Ls;
        double m = max_of(prev, L);
        int fast_t = fast && isfinite(m);
        if (fast_t)
            for (size_t i = 0; i < Ls; i++) a[i] = exp(prev[i] - m);
        for (size_t j = 0; j < Ls; j++) {
            if (mg[j] == 0.0) continue;
            double s = 0.0;
            if (fast_t)
                for (size_t i = 0; i < Ls; i++) s += a[i] * exp_col_buf[i * Ls + j];
            if (fast_t && s > CRF_SUM_TINY) {
                double r = mg[j] / s;
                for (size_t i = 0; i < Ls; i++)
                    count[i * Ls + j] += a[i] * exp_col_buf[i * Ls + j] * r;
            } else {
                double tail = emit[t * Ls + j] + beta[t * Ls + j] - log_z;
                for (size_t i = 0; i < Ls; i++)
                    count[i * Ls + j] += exp(prev[i] + trans[i * Ls + j] + tail);
            }
        }
    }
}

/* ---- path score ---- */

double crf_path_score(int T, int L, const double *emit, const double *trans,
                      const double *start, const int *path) {
    assert(L >= 1 && T >= 0);
    if (T == 0) return 0.0;
    size_t Ls = (size_t)L;
    double s = start[path[0]] + emit[path[0]];
    for (size_t t = 1; t < (size_t)T; t++)
        s += trans[(size_t)path[t - 1] * Ls + (size_t)path[t]] + emit[t * Ls + (size_t)path[t]];
    return s;
}

/* ---- sparse features and weights ---- */

size_t crf_n_weights(size_t n_feat, int L) {
    size_t Ls = (size_t)L;
    return n_feat * Ls + Ls * Ls + Ls;
}

/* Prefetch distance in feature ids. Emissions and the gradient scatter are
 * random reads of an F x L array far larger than cache, so they wait on
 * memory; asking for the weights a few features ahead overlaps the misses. */
#define CRF_PREFETCH_AHEAD 16
#if defined(__GNUC__)
#define CRF_PREFETCH(p, rw) __builtin_prefetch((p), (rw), 1)
#else
#define CRF_PREFETCH(p, rw) ((void)(p))
#endif

static void crf_sparse_emissions(const crf_seq *s, int L, const double *w, double *emit);

size_t crf_dense_ids(const crf_seq *s) {
    return s->dense ? (size_t)(2 * s->dense_win + 1) * (size_t)s->dense_dim : 0;
}

void crf_dense_emissions(const crf_seq *s, int L, const double *w, double *emit) {
    if (!s->dense) return;
    size_t Ls = (size_t)L, D = (size_t)s->dense_dim;
    int win = s->dense_win;
    for (long t = 0; t < (long)s->T; t++) {
        double *e = emit + (size_t)t * Ls;
        for (int o = -win; o <= win; o++) {
            long u = t + o;
            if (u < 0 || u >= (long)s->T) continue;
            const float *v = s->dense + (size_t)u * D;
            const double *wb = w + ((size_t)s->dense_base + (size_t)(o + win) * D) * Ls;
            if (Ls == 3) {
                double e0 = 0.0, e1 = 0.0, e2 = 0.0;
                for (size_t j = 0; j < D; j++) {
                    double x = (double)v[j];
                    e0 += x * wb[3 * j]; e1 += x * wb[3 * j + 1]; e2 += x * wb[3 * j + 2];
                }
                e[0] += e0; e[1] += e1; e[2] += e2;
                continue;
            }
            if (Ls == 5) {
                /* The generic loop's additions in its order (so training
                 * reproduces its models bit for bit), in registers: emit
                 * may alias w for all the compiler knows, so the generic
                 * loop reloads and stores e[y] at every step. */
                double e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], e4 = e[4];
                for (size_t j = 0; j < D; j++) {
                    double x = (double)v[j];
                    const double *wj = wb + 5 * j;
                    e0 += x * wj[0]; e1 += x * wj[1]; e2 += x * wj[2]; e3 += x * wj[3]; e4 += x * wj[4];
                }
                e[0] = e0; e[1] = e1; e[2] = e2; e[3] = e3; e[4] = e4;
                continue;
            }
            for (size_t j = 0; j < D; j++) {
                double x = (double)v[j];
                for (size_t y = 0; y < Ls; y++) e[y] += x * wb[j * Ls + y];
            }
        }
    }
}

void crf_emissions(const crf_seq *s, int L, const double *w, double *emit) {
    crf_sparse_emissions(s, L, w, emit);
    crf_dense_emissions(s, L, w, emit);
}

static void crf_sparse_emissions(const crf_seq *s, int L, const double *w, double *emit) {
    size_t Ls = (size_t)L;
    const uint32_t *feat = s->feat;
    uint32_t n_ids = s->T > 0 ? s->offs[s->T] : 0;
    for (size_t t = 0; t < (size_t)s->T; t++) {
        double *e = emit + t * Ls;
        uint32_t k0 = s->offs[t], k1 = s->offs[t + 1];
        if (L == 3) { /* BIO: unrolled, the common case */
            double e0 = 0.0, e1 = 0.0, e2 = 0.0;
            for (uint32_t k = k0; k < k1; k++) {
                if (k + CRF_PREFETCH_AHEAD < n_ids)
                    CRF_PREFETCH(w + (size_t)feat[k + CRF_PREFETCH_AHEAD] * 3, 0);
                const double *wf = w + (size_t)feat[k] * 3;
                e0 += wf[0];
                e1 += wf[1];
                e2 += wf[2];
            }
            e[0] = e0;
            e[1] = e1;
            e[2] = e2;
            continue;
        }
        if (L == 5) { /* two label groups: the same sums in registers */
            double e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0, e4 = 0.0;
            for (uint32_t k = k0; k < k1; k++) {
                if (k + CRF_PREFETCH_AHEAD < n_ids)
                    CRF_PREFETCH(w + (size_t)feat[k + CRF_PREFETCH_AHEAD] * 5, 0);
                const double *wf = w + (size_t)feat[k] * 5;
                e0 += wf[0]; e1 += wf[1]; e2 += wf[2]; e3 += wf[3]; e4 += wf[4];
            }
            e[0] = e0; e[1] = e1; e[2] = e2; e[3] = e3; e[4] = e4;
            continue;
        }
        for (size_t y = 0; y < Ls; y++) e[y] = 0.0;
        for (uint32_t k = k0; k < k1; k++) {
            if (k + CRF_PREFETCH_AHEAD < n_ids)
                CRF_PREFETCH(w + (size_t)feat[k + CRF_PREFETCH_AHEAD] * Ls, 0);
            const double *wf = w + (size_t)feat[k] * Ls;
            for (size_t y = 0; y < Ls; y++) e[y] += wf[y];
        }
    }
}
