/*
 * CRF training: the regularized negative log-likelihood, its gradient, and
 * its minimization with L-BFGS (liblbfgs), or OWL-QN when c1 > 0 (Andrew &
 * Gao 2007, "Scalable training of L1-regularized log-linear models", ICML).
 * Does not build features, pick labels, or print.
 *
 * Notation: T = tokens, L = labels, F = n_feat; scores are log-space.
 * Weights follow crf.h: w[f*L+y] (F x L), then trans (L x L), then start (L).
 *
 * Objective (Lafferty, McCallum & Pereira 2001, ICML; Sutton & McCallum 2012,
 * "An introduction to conditional random fields", sec. 5.1):
 *   f(w) = sum_s [log Z_s - score_s(gold path)] + c2/2 |w|^2,
 *   df/dw = expected feature counts - gold feature counts + c2 w.
 * The L1 term c1 |w|_1 is handled inside liblbfgs, not here.
 *
 * Determinism. Results are bit-identical for every run AND every thread
 * count, without one gradient buffer per thread:
 *   1. Sequences are cut into blocks in a fixed way (token and sequence
 *      limits only). Within a block, threads claim sequences in any order
 *      and write each sequence's results into that sequence's own slot: its
 *      per-token state gradient (marginal minus gold indicator, T x L) and
 *      its loss, transition and start gradients. Nothing is summed yet.
 *   2. The calling thread adds the per-sequence losses and transition and
 *      start gradients in sequence order.
 *   3. Each thread owns a contiguous range of feature ids and scatters the
 *      block's per-token gradients into g for just its features, walking
 *      tokens in corpus order. Every g entry therefore receives the same
 *      additions in the same order whatever the thread count.
 * Memory beyond g is a block of per-token gradients (<= 64k tokens x L) and
 * 3 x T_max x L doubles per thread, instead of F x L per thread.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <lbfgs.h>
#include "crf_train.h"
#include "status.h"

/* Block limits: 64k tokens x L doubles stay in cache between the two
 * passes; the sequence limit bounds the per-sequence slots. */
#define BLOCK_TOKENS ((size_t)1 << 16)
#define BLOCK_SEQS ((size_t)4096)
#define MAX_THREADS 256

#define PREFETCH_AHEAD 16
#if defined(__GNUC__)
#define PREFETCH_W(p) __builtin_prefetch((p), 1, 1)
#else
#define PREFETCH_W(p) ((void)(p))
#endif

/* ---- trainer state ---- */

typedef struct {
    const crf_seq *seqs;  /* n sequences, validated by the caller */
    size_t n;             /* number of sequences */
    size_t n_feat;        /* F */
    int L;                /* labels */
    int threads;          /* workers, >= 1 */
    size_t max_T;         /* longest sequence */
    double *work;         /* threads x 3 x max_T x L: emit, alpha, beta */
    double *dstate;       /* block tokens x L: marginal minus gold */
    double *seq_acc;      /* BLOCK_SEQS x (1 + L*L + L): loss, trans, start grads */
    size_t *tok_off;      /* BLOCK_SEQS + 1 token offsets of the block's sequences */
    double *tail_g;       /* L*L + L: summed transition and start gradients */
    /* Per evaluation. */
    const double *w;      /* weights being evaluated */
    double *g;            /* gradient being built */
    double c2;            /* L2 weight */
    size_t lo, hi;        /* the block's sequences [lo, hi) */
    int first_block;      /* phase 3 also sets g = c2 w on its range */
    atomic_size_t next;   /* next unclaimed sequence in the block, relative to lo */
} trainer;

typedef struct {
    trainer *tr;          /* shared state */
    int id;               /* 0 .. threads-1 */
} worker_arg;

static size_t acc_stride(int L) { return 1 + (size_t)L * (size_t)L + (size_t)L; }

static void trainer_fini(trainer *tr) {
    free(tr->work);
    free(tr->dstate);
    free(tr->seq_acc);
    free(tr->tok_off);
    free(tr->tail_g);
    memset(tr, 0, sizeof *tr);
}

static slant_status trainer_init(trainer *tr, const crf_seq *seqs, size_t n,
                                 size_t n_feat, int L, int threads) {
    memset(tr, 0, sizeof *tr);
    tr->seqs = seqs;
    tr->n = n;
    tr->n_feat = n_feat;
    tr->L = L;
    tr->threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    for (size_t s = 0; s < n; s++)
        if ((size_t)seqs[s].T > tr->max_T) tr->max_T = (size_t)seqs[s].T;
    size_t Ls = (size_t)L;
    size_t blk_tokens = tr->max_T > BLOCK_TOKENS ? tr->max_T : BLOCK_TOKENS;
    size_t per_thread = 3 * (tr->max_T ? tr->max_T : 1) * Ls;
    tr->work = malloc((size_t)tr->threads * per_thread * sizeof *tr->work);
    tr->dstate = malloc(blk_tokens * Ls * sizeof *tr->dstate);
    tr->seq_acc = malloc(BLOCK_SEQS * acc_stride(L) * sizeof *tr->seq_acc);
    tr->tok_off = malloc((BLOCK_SEQS + 1) * sizeof *tr->tok_off);
    tr->tail_g = malloc((Ls * Ls + Ls) * sizeof *tr->tail_g);
    if (!tr->work || !tr->dstate || !tr->seq_acc || !tr->tok_off || !tr->tail_g) {
        trainer_fini(tr);
        return SLANT_ENOMEM;
    }
    return SLANT_OK;
}

/* ---- the three passes over a block ---- */

/* Pass 1: one sequence's loss, its transition and start gradients into acc
 * (1 + L*L + L), and its per-token state gradient into ds (T x L). */
static void sequence_gradient(const trainer *tr, const crf_seq *s, double *work,
                              double *acc, double *ds) {
    int T = s->T, L = tr->L;
    size_t Ls = (size_t)L;
    memset(acc, 0, acc_stride(L) * sizeof *acc);
    if (T == 0) return;
    const double *trans = tr->w + tr->n_feat * Ls, *start = trans + Ls * Ls;
    double *emit = work, *alpha = work + tr->max_T * Ls, *beta = alpha + tr->max_T * Ls;
    double *g_trans = acc + 1, *g_start = acc + 1 + Ls * Ls;

    crf_emissions(s, L, tr->w, emit);
    double log_z = crf_forward_backward(T, L, emit, trans, start, alpha, beta, ds);
    acc[0] = log_z - crf_path_score(T, L, emit, trans, start, s->labels);
    crf_expected_transitions(T, L, emit, trans, alpha, beta, ds, log_z, g_trans);
    for (size_t y = 0; y < Ls; y++) g_start[y] = ds[y];
    g_start[s->labels[0]] -= 1.0;
    for (size_t t = 0; t < (size_t)T; t++) {
        ds[t * Ls + (size_t)s->labels[t]] -= 1.0;
        if (t > 0) g_trans[(size_t)s->labels[t - 1] * Ls + (size_t)s->labels[t]] -= 1.0;
    }
}

static void *pass_sequences(void *p) {
    const worker_arg *a = p;
    trainer *tr = a->tr;
    size_t Ls = (size_t)tr->L;
    double *work = tr->work + (size_t)a->id * 3 * (tr->max_T ? tr->max_T : 1) * Ls;
    for (;;) {
        size_t i = atomic_fetch_add(&tr->next, 1);
        if (i >= tr->hi - tr->lo) break;
        sequence_gradient(tr, &tr->seqs[tr->lo + i], work,
                          tr->seq_acc + i * acc_stride(tr->L),
                          tr->dstate + tr->tok_off[i] * Ls);
    }
    return NULL;
}

/* Pass 3: thread id owns features [F*id/threads, F*(id+1)/threads). */
static void *pass_features(void *p) {
    const worker_arg *a = p;
    const trainer *tr = a->tr;
    size_t Ls = (size_t)tr->L, nt = (size_t)a->tr->threads, id = (size_t)a->id;
    uint32_t f_lo = (uint32_t)(tr->n_feat * id / nt);
    uint32_t f_span = (uint32_t)(tr->n_feat * (id + 1) / nt) - f_lo;
    double *g = tr->g;
    if (f_span == 0) return NULL;
    if (tr->first_block)
        for (size_t k = (size_t)f_lo * Ls; k < ((size_t)f_lo + f_span) * Ls; k++)
            g[k] = tr->c2 * tr->w[k];
    for (size_t i = 0; i < tr->hi - tr->lo; i++) {
        const crf_seq *s = &tr->seqs[tr->lo + i];
        const double *ds = tr->dstate + tr->tok_off[i] * Ls;
        const uint32_t *feat = s->feat;
        uint32_t n_ids = s->T > 0 ? s->offs[s->T] : 0;
        for (size_t t = 0; t < (size_t)s->T; t++, ds += Ls) {
            for (uint32_t k = s->offs[t]; k < s->offs[t + 1]; k++) {
                /* Random writes into F x L: fetch ahead, as crf_emissions
                 * does, but only our own lines (others' would bounce). */
                if (k + PREFETCH_AHEAD < n_ids) {
                    uint32_t fa = feat[k + PREFETCH_AHEAD];
                    if (fa - f_lo < f_span) PREFETCH_W(g + (size_t)fa * Ls);
                }
                uint32_t f = feat[k];
                if (f - f_lo >= f_span) continue; /* unsigned: also f < f_lo */
                double *gf = g + (size_t)f * Ls;
                if (Ls == 5) {   /* unrolled: the same additions */
                    gf[0] += ds[0]; gf[1] += ds[1]; gf[2] += ds[2]; gf[3] += ds[3]; gf[4] += ds[4];
                    continue;
                }
                for (size_t y = 0; y < Ls; y++) gf[y] += ds[y];
            }
        }
        if (s->dense) {
            /* Dense features: g[id] += value x (marginal - gold) for the
             * ids of this thread's range. */
            size_t D = (size_t)s->dense_dim;
            int win = s->dense_win;
            const double *ds0 = tr->dstate + tr->tok_off[i] * Ls;
            for (int o = -win; o <= win; o++) {
                size_t id0 = (size_t)s->dense_base + (size_t)(o + win) * D;
                size_t j0 = id0 >= f_lo ? 0 : f_lo - id0;
                size_t j1 = (size_t)f_lo + f_span > id0 ? (size_t)f_lo + f_span - id0 : 0;
                if (j1 > D) j1 = D;
                if (j0 >= j1) continue;
                double *gb = g + id0 * Ls;
                for (long t = 0; t < (long)s->T; t++) {
                    long u = t + o;
                    if (u < 0 || u >= (long)s->T) continue;
                    const float *v = s->dense + (size_t)u * D;
                    const double *dt = ds0 + (size_t)t * Ls;
                    if (Ls == 3) {
                        double d0 = dt[0], d1 = dt[1], d2 = dt[2];
                        for (size_t j = j0; j < j1; j++) {
                            double x = (double)v[j];
                            gb[3 * j] += x * d0; gb[3 * j + 1] += x * d1; gb[3 * j + 2] += x * d2;
                        }
                        continue;
                    }
                    if (Ls == 5) {   /* as for 3: dt held in registers */
                        double d0 = dt[0], d1 = dt[1], d2 = dt[2], d3 = dt[3], d4 = dt[4];
                        for (size_t j = j0; j < j1; j++) {
                            double x = (double)v[j], *gj = gb + 5 * j;
                            gj[0] += x * d0; gj[1] += x * d1; gj[2] += x * d2; gj[3] += x * d3; gj[4] += x * d4;
                        }
                        continue;
                    }
                    for (size_t j = j0; j < j1; j++) {
                        double x = (double)v[j];
                        for (size_t y = 0; y < Ls; y++) gb[j * Ls + y] += x * dt[y];
                    }
                }
            }
        }
    }
    return NULL;
}

/* Runs fn for ids 0..threads-1, id 0 on the calling thread. A thread that
 * cannot be started has its id run here afterwards: same result. */
static void run_parallel(trainer *tr, void *(*fn)(void *)) {
    worker_arg args[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    int started[MAX_THREADS];
    for (int k = 0; k < tr->threads; k++) {
        args[k].tr = tr;
        args[k].id = k;
        started[k] = k > 0 && pthread_create(&tid[k], NULL, fn, &args[k]) == 0;
    }
    fn(&args[0]);
    for (int k = 1; k < tr->threads; k++) {
        if (started[k]) pthread_join(tid[k], NULL);
        else fn(&args[k]);
    }
}

static double trainer_eval(trainer *tr, const double *w, double c2, double *g) {
    size_t Ls = (size_t)tr->L, stride = acc_stride(tr->L);
    size_t n_state = tr->n_feat * Ls, n_tail = Ls * Ls + Ls;
    double loss = 0.0, *tail_g = tr->tail_g;
    memset(tail_g, 0, n_tail * sizeof *tail_g);
    tr->w = w;
    tr->g = g;
    tr->c2 = c2;
    tr->first_block = 1;
    size_t lo = 0;
    do {
        /* Cut the next block: at least one sequence, then up to the limits. */
        size_t hi = lo, tokens = 0;
        tr->tok_off[0] = 0;
        while (hi < tr->n && hi - lo < BLOCK_SEQS &&
               (hi == lo || tokens + (size_t)tr->seqs[hi].T <= BLOCK_TOKENS)) {
            tokens += (size_t)tr->seqs[hi].T;
            tr->tok_off[hi - lo + 1] = tokens;
            hi++;
        }
        tr->lo = lo;
        tr->hi = hi;
        atomic_store(&tr->next, 0);
        run_parallel(tr, pass_sequences);
        for (size_t i = 0; i < hi - lo; i++) {
            const double *acc = tr->seq_acc + i * stride;
            loss += acc[0];
            for (size_t k = 0; k < n_tail; k++) tail_g[k] += acc[1 + k];
        }
        run_parallel(tr, pass_features);
        tr->first_block = 0;
        lo = hi;
    } while (lo < tr->n);

    double sq = 0.0;
    for (size_t k = 0; k < n_state + n_tail; k++) sq += w[k] * w[k];
    for (size_t k = 0; k < n_tail; k++) g[n_state + k] = tail_g[k] + c2 * w[n_state + k];
    return loss + 0.5 * c2 * sq;
}

/* ---- objective ---- */

void crf_train_opts_init(crf_train_opts *o) {
    o->c1 = 0.0;
    o->c2 = 1.0;
    o->max_iter = 100;
    o->epsilon = 1e-5;
    o->threads = 1;
    o->progress = NULL;
    o->ctx = NULL;
}

double crf_objective(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                     const double *w, double c2, double *g, int threads) {
    trainer tr;
    assert(L >= 1);
    if (trainer_init(&tr, seqs, n, n_feat, L, threads) != SLANT_OK) return NAN;
    double f = trainer_eval(&tr, w, c2, g);
    trainer_fini(&tr);
    return f;
}

/* ---- optimizer ---- */

typedef struct {
    trainer tr;                  /* evaluation state */
    const crf_train_opts *o;     /* caller's options */
    int iters;                   /* iterations completed */
} train_ctx;

static lbfgsfloatval_t lbfgs_evaluate(void *p, const lbfgsfloatval_t *x,
                                      lbfgsfloatval_t *g, const int n,
                                      const lbfgsfloatval_t step) {
    train_ctx *c = p;
    (void)n;
    (void)step;
    /* A non-finite value makes the line search back off; if it is where
     * liblbfgs ends, map_lbfgs reports it. */
    return trainer_eval(&c->tr, x, c->o->c2, g);
}

static int lbfgs_progress(void *p, const lbfgsfloatval_t *x,
                          const lbfgsfloatval_t *g, const lbfgsfloatval_t fx,
                          const lbfgsfloatval_t xnorm, const lbfgsfloatval_t gnorm,
                          const lbfgsfloatval_t step, int n, int k, int ls) {
    train_ctx *c = p;
    (void)g; (void)xnorm; (void)gnorm; (void)step; (void)n; (void)ls;
    c->iters = k;
    return c->o->progress ? c->o->progress(c->o->ctx, k, fx, x) : 0;
}

static slant_status check_inputs(const crf_seq *seqs, size_t n, size_t n_feat,
                                 int L, const crf_train_opts *o, double *w,
                                 slant_error *err) {
    if (!o || !w || (n > 0 && !seqs))
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "crf_train: NULL argument");
    if (L < 1 || L > 1024)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "crf_train: %d labels", L);
    if (!(o->c1 >= 0.0) || !(o->c2 >= 0.0) || !(o->epsilon > 0.0) ||
        o->max_iter < 0 || o->threads < 1)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "crf_train: bad options (c1 %g, c2 %g, epsilon %g, "
                       "max_iter %d, threads %d)", o->c1, o->c2, o->epsilon,
                       o->max_iter, o->threads);
    if (n_feat > ((size_t)INT_MAX - (size_t)L * (size_t)L - (size_t)L) / (size_t)L ||
        n_feat > UINT32_MAX)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "crf_train: %zu features x %d labels is more weights than "
                       "liblbfgs can index", n_feat, L);
    for (size_t s = 0; s < n; s++) {
        const crf_seq *q = &seqs[s];
        if (q->T < 0 || (q->T > 0 && (!q->offs || !q->labels)) ||
            (q->T > 0 && (q->offs[0] != 0 || (q->offs[q->T] > 0 && !q->feat))))
            return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                           "crf_train: sequence %zu is malformed", s);
        for (int t = 0; t < q->T; t++) {
            if (q->labels[t] < 0 || q->labels[t] >= L)
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "crf_train: sequence %zu token %d has label %d of %d",
                               s, t, q->labels[t], L);
            if (q->offs[t + 1] < q->offs[t])
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "crf_train: sequence %zu token %d: offsets decrease", s, t);
            if (q->dense && (q->dense_dim < 1 || q->dense_win < 0 ||
                             (size_t)q->dense_base + crf_dense_ids(q) > n_feat))
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "crf_train: sequence %zu: dense features out of range", s);
            for (uint32_t k = q->offs[t]; k < q->offs[t + 1]; k++)
                if (q->feat[k] >= n_feat)
                    return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                                   "crf_train: sequence %zu token %d: feature %u >= %zu",
                                   s, t, (unsigned)q->feat[k], n_feat);
        }
    }
    return SLANT_OK;
}

/* liblbfgs leaves x at the last accepted iterate when it stops, so a stop
 * for max iterations, a cancel from progress, or a line search that can no
 * longer improve (rounding) after at least one iteration is a usable result. */
static slant_status map_lbfgs(int ret, double fx, const train_ctx *c,
                              slant_error *err) {
    if (!isfinite(fx))
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "crf_train: objective is not finite (iteration %d, "
                       "lbfgs %d)", c->iters, ret);
    switch (ret) {
    case LBFGS_SUCCESS:
    case LBFGS_STOP:
    case LBFGS_ALREADY_MINIMIZED:
    case LBFGSERR_CANCELED:
    case LBFGSERR_MAXIMUMITERATION:
        return SLANT_OK;
    case LBFGSERR_OUTOFMEMORY:
        return err_set(err, SLANT_ENOMEM, NULL, -1, -1, "crf_train: liblbfgs out of memory");
    case LBFGSERR_ROUNDING_ERROR:
    case LBFGSERR_MINIMUMSTEP:
    case LBFGSERR_MAXIMUMSTEP:
    case LBFGSERR_MAXIMUMLINESEARCH:
    case LBFGSERR_WIDTHTOOSMALL:
    case LBFGSERR_INCREASEGRADIENT:
        if (c->iters > 0) return SLANT_OK;
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "crf_train: line search failed before the first iteration "
                       "(lbfgs %d)", ret);
    default:
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "crf_train: liblbfgs rejected the problem (lbfgs %d)", ret);
    }
}

slant_status crf_train(const crf_seq *seqs, size_t n, size_t n_feat, int L,
                       const crf_train_opts *o, double *w, slant_error *err) {
    train_ctx c;
    lbfgsfloatval_t *x = NULL, fx = 0.0;
    lbfgs_parameter_t param;
    int have_trainer = 0;
    slant_status st = check_inputs(seqs, n, n_feat, L, o, w, err);
    if (st != SLANT_OK) return st;

    size_t n_w = crf_n_weights(n_feat, L);
    memset(&c, 0, sizeof c);
    c.o = o;
    st = trainer_init(&c.tr, seqs, n, n_feat, L, o->threads);
    if (st != SLANT_OK) {
        err_set(err, st, NULL, -1, -1, "crf_train: no memory for %d threads", o->threads);
        goto done;
    }
    have_trainer = 1;
    /* lbfgs_malloc aligns for liblbfgs's SSE builds; w may not be. */
    if (!(x = lbfgs_malloc((int)n_w))) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1,
                     "crf_train: no memory for %zu weights", n_w);
        goto done;
    }
    memcpy(x, w, n_w * sizeof *x);

    lbfgs_parameter_init(&param);
    param.max_iterations = o->max_iter;
    param.epsilon = o->epsilon;
    if (o->c1 > 0.0) {
        param.orthantwise_c = o->c1;
        param.orthantwise_start = 0;
        param.orthantwise_end = (int)n_w;
        param.linesearch = LBFGS_LINESEARCH_BACKTRACKING; /* OWL-QN needs it */
    }
    int ret = lbfgs((int)n_w, x, &fx, lbfgs_evaluate, lbfgs_progress, &c, &param);
    st = map_lbfgs(ret, fx, &c, err);
    if (st == SLANT_OK) memcpy(w, x, n_w * sizeof *x);

done:
    if (x) lbfgs_free(x);
    if (have_trainer) trainer_fini(&c.tr);
    return st;
}
