/*
 * Softmax classifier training (objective, gradient, L-BFGS), temperature
 * fitting and confusion counts. N = examples, F = features, K = classes;
 * the objective and the determinism argument are in linear_train.h.
 * Does not know about text or features: callers build linear_examples.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <lbfgs.h>
#include "linear_train.h"
#include "status.h"

/* Features per regularizer block. The L2 term is summed per block, then the
 * blocks in order, so its value does not depend on how blocks are split
 * over threads. */
#define LIN_BLOCK 1024
/* Gradient rows are updated in no useful order over F*K doubles, so pass 2
 * is bound by memory latency; fetching the row LIN_AHEAD nonzeros ahead
 * overlaps the misses (as in linear_scores). */
#define LIN_AHEAD 8
#if defined(__GNUC__)
#define LIN_PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define LIN_PREFETCH_W(p) ((void)0)
#endif
/* More threads than this are treated as this many (stack arrays below). */
#define LIN_MAX_THREADS 256

void linear_train_opts_init(linear_train_opts *o) {
    o->c2 = 1e-4;
    o->max_iter = 200;
    o->epsilon = 1e-5;
    o->delta = 1e-6;
    o->threads = 1;
    o->class_weight = NULL;
    o->example_weight = NULL;
    o->progress = NULL;
    o->ctx = NULL;
}

/* ---- validation ---- */

static slant_status check_opts(const linear_train_opts *o, int K, size_t N,
                               slant_error *err) {
    if (!(o->c2 >= 0.0) || !isfinite(o->c2))
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "c2 must be finite and >= 0, got %g", o->c2);
    if (o->threads < 1)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "threads must be >= 1, got %d", o->threads);
    if (o->class_weight)
        for (int k = 0; k < K; k++)
            if (!(o->class_weight[k] > 0.0) || !isfinite(o->class_weight[k]))
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "class weight %d must be finite and > 0, got %g", k, o->class_weight[k]);
    if (o->example_weight)
        for (size_t i = 0; i < N; i++)
            if (!(o->example_weight[i] > 0.0) || !isfinite(o->example_weight[i]))
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "example weight %zu must be finite and > 0, got %g", i, o->example_weight[i]);
    return SLANT_OK;
}

static slant_status check_data(const linear_data *d, slant_error *err) {
    if (d->n_class < 2)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "need at least 2 classes, got %d", d->n_class);
    if (d->n == 0 || !d->x || !d->y)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "no training examples");
    const size_t K = (size_t)d->n_class;
    if (d->n_feat > (SIZE_MAX / sizeof(double) - K) / K || d->n > SIZE_MAX / sizeof(double) / K)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "%zu features x %zu classes is too large", d->n_feat, K);
    for (size_t i = 0; i < d->n; i++) {
        const linear_example *x = &d->x[i];
        if (d->y[i] < 0 || d->y[i] >= d->n_class)
            return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: class %d out of [0,%d)", i, d->y[i], d->n_class);
        if (x->n > 0 && !x->ids)
            return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: %u ids but no array", i, x->n);
        for (uint32_t j = 0; j < x->n; j++) {
            if (x->ids[j] >= d->n_feat)
                return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: feature id %u >= %zu features",
                               i, x->ids[j], d->n_feat);
            if (x->vals && !isfinite(x->vals[j]))
                return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: feature value %u is not finite", i, j);
        }
    }
    return SLANT_OK;
}

/* ---- threads ---- */

typedef void (*lin_range_fn)(void *ctx, size_t lo, size_t hi);

typedef struct {
    lin_range_fn fn;  /* work on [lo, hi) */
    void *ctx;
    size_t lo, hi;
} lin_job;

static void *lin_job_run(void *arg) {
    lin_job *j = arg;
    j->fn(j->ctx, j->lo, j->hi);
    return NULL;
}

/* Splits [0, n) into contiguous ranges over up to `threads` threads, the
 * calling thread taking the first. A thread that cannot be created has its
 * range run here instead: every caller's result is independent of the
 * split, so this only costs time. */
static void run_split(lin_range_fn fn, void *ctx, size_t n, int threads) {
    pthread_t tid[LIN_MAX_THREADS];
    int started[LIN_MAX_THREADS];
    lin_job job[LIN_MAX_THREADS];
    size_t T = (size_t)(threads < 1 ? 1 : threads > LIN_MAX_THREADS ? LIN_MAX_THREADS : threads);
    if (T > n) T = n ? n : 1;
    for (size_t t = 0; t < T; t++) {
        job[t].fn = fn;
        job[t].ctx = ctx;
        job[t].lo = n / T * t + (t < n % T ? t : n % T);
        job[t].hi = job[t].lo + n / T + (t < n % T ? 1 : 0);
        started[t] = t > 0 && pthread_create(&tid[t], NULL, lin_job_run, &job[t]) == 0;
    }
    for (size_t t = 0; t < T; t++)
        if (!started[t]) lin_job_run(&job[t]);
    for (size_t t = 1; t < T; t++)
        if (started[t]) pthread_join(tid[t], NULL);
}

/* ---- objective and gradient ---- */

/* Scratch for one evaluation, reused across L-BFGS iterations. */
typedef struct {
    double *resid;    /* N x K: c_{y_i}/W * (p_ik - [k == y_i]) */
    double *loss;     /* N: c_{y_i} * cross-entropy of example i */
    double *reg;      /* n_blocks: sum of w^2 over each block of features */
    size_t n_blocks;  /* ceil(F / LIN_BLOCK) */
} lin_work;

typedef struct {
    const linear_data *d;
    const linear_train_opts *o;
    const double *w;  /* linear_n_weights(F, K) */
    double *g;        /* linear_n_weights(F, K) */
    double inv_w;     /* 1 / W */
    lin_work *ws;
} lin_eval;

static slant_status work_init(lin_work *ws, const linear_data *d) {
    const size_t K = (size_t)d->n_class;
    ws->n_blocks = (d->n_feat + LIN_BLOCK - 1) / LIN_BLOCK;
    ws->resid = malloc(d->n * K * sizeof(double));
    ws->loss = malloc(d->n * sizeof(double));
    ws->reg = malloc((ws->n_blocks ? ws->n_blocks : 1) * sizeof(double));
    return ws->resid && ws->loss && ws->reg ? SLANT_OK : SLANT_ENOMEM;
}

static void work_fini(lin_work *ws) {
    free(ws->resid);
    free(ws->loss);
    free(ws->reg);
}

/* Pass 1, examples [lo, hi): scores, weighted loss and residuals. */
static void pass_examples(void *ctx, size_t lo, size_t hi) {
    const lin_eval *e = ctx;
    const linear_data *d = e->d;
    const int K = d->n_class;
    const linear_model m = { d->n_feat, K, e->w, 1.0 };
    for (size_t i = lo; i < hi; i++) {
        double *s = e->ws->resid + i * (size_t)K;
        const int y = d->y[i];
        const double c = (e->o->class_weight ? e->o->class_weight[y] : 1.0) *
                         (e->o->example_weight ? e->o->example_weight[i] : 1.0);
        linear_scores(&m, &d->x[i], s);
        double mx = s[0];
        for (int k = 1; k < K; k++) if (s[k] > mx) mx = s[k];
        double z = 0.0;
        for (int k = 0; k < K; k++) z += exp(s[k] - mx);
        const double lse = mx + log(z);
        e->ws->loss[i] = c * (lse - s[y]);
        const double scale = c * e->inv_w;
        for (int k = 0; k < K; k++) s[k] = scale * exp(s[k] - lse);
        s[y] -= scale;
    }
}

/* Pass 2, regularizer blocks [lo, hi): this thread owns the gradient rows
 * of features [lo*LIN_BLOCK, hi*LIN_BLOCK) and adds every example's terms to
 * them in example order. Each thread reads all N examples but writes only
 * its own rows, so there are no races and no per-thread gradient copies. */
static void pass_features(void *ctx, size_t lo, size_t hi) {
    const lin_eval *e = ctx;
    const linear_data *d = e->d;
    const size_t K = (size_t)d->n_class;
    const double c2 = e->o->c2;
    const size_t f_lo = lo * LIN_BLOCK;
    const size_t f_hi = hi * LIN_BLOCK < d->n_feat ? hi * LIN_BLOCK : d->n_feat;
    for (size_t b = lo; b < hi; b++) {
        const size_t a = b * LIN_BLOCK * K;
        const size_t z = (b + 1) * LIN_BLOCK < d->n_feat ? (b + 1) * LIN_BLOCK * K : d->n_feat * K;
        double r = 0.0;
        for (size_t q = a; q < z; q++) {
            r += e->w[q] * e->w[q];
            e->g[q] = c2 * e->w[q];
        }
        e->ws->reg[b] = r;
    }
    for (size_t i = 0; i < d->n; i++) {
        const linear_example *x = &d->x[i];
        const double *res = e->ws->resid + i * K;
        for (uint32_t j = 0; j < x->n; j++) {
            if (j + LIN_AHEAD < x->n) {
                const size_t fa = x->ids[j + LIN_AHEAD];
                if (fa >= f_lo && fa < f_hi) {
                    LIN_PREFETCH_W(e->g + fa * K);
                    LIN_PREFETCH_W(e->g + fa * K + K - 1);
                }
            }
            const size_t f = x->ids[j];
            if (f < f_lo || f >= f_hi) continue;
            const double v = x->vals ? (double)x->vals[j] : 1.0;
            double *gr = e->g + f * K;
            for (size_t k = 0; k < K; k++) gr[k] += v * res[k];
        }
    }
}

/* Objective and gradient on validated data with allocated scratch. */
static double evaluate(const linear_data *d, const linear_train_opts *o,
                       lin_work *ws, const double *w, double *g) {
    const size_t N = d->n, K = (size_t)d->n_class, F = d->n_feat;
    double W = 0.0;
    for (size_t i = 0; i < N; i++)
        W += (o->class_weight ? o->class_weight[d->y[i]] : 1.0) *
             (o->example_weight ? o->example_weight[i] : 1.0);
    lin_eval e = { d, o, w, g, 1.0 / W, ws };
    run_split(pass_examples, &e, N, o->threads);
    run_split(pass_features, &e, ws->n_blocks, o->threads);

    double data = 0.0, reg = 0.0;
    for (size_t i = 0; i < N; i++) data += ws->loss[i];
    for (size_t b = 0; b < ws->n_blocks; b++) reg += ws->reg[b];
    double *gb = g + F * K;
    for (size_t k = 0; k < K; k++) gb[k] = 0.0;
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < K; k++) gb[k] += ws->resid[i * K + k];
    return data / W + 0.5 * o->c2 * reg;
}

slant_status linear_objective(const linear_data *d, const linear_train_opts *o,
                              const double *w, double *loss, double *g,
                              slant_error *err) {
    lin_work ws = { NULL, NULL, NULL, 0 };
    slant_status st = check_data(d, err);
    if (st != SLANT_OK) goto done;
    if ((st = check_opts(o, d->n_class, d->n, err)) != SLANT_OK) goto done;
    if ((st = work_init(&ws, d)) != SLANT_OK) {
        err_set(err, st, NULL, -1, -1, "no memory for gradient scratch");
        goto done;
    }
    *loss = evaluate(d, o, &ws, w, g);
done:
    work_fini(&ws);
    return st;
}

/* ---- L-BFGS ---- */

typedef struct {
    const linear_data *d;
    const linear_train_opts *o;
    lin_work *ws;
    size_t n_w;        /* real weights; the rest of liblbfgs's x is padding */
    int iterations;
} lin_train_ctx;

static lbfgsfloatval_t lbfgs_eval_cb(void *inst, const lbfgsfloatval_t *x,
                                     lbfgsfloatval_t *g, const int n,
                                     const lbfgsfloatval_t step) {
    lin_train_ctx *c = inst;
    (void)step;
    for (size_t q = c->n_w; q < (size_t)n; q++) g[q] = 0.0;
    return evaluate(c->d, c->o, c->ws, x, g);
}

static int lbfgs_progress_cb(void *inst, const lbfgsfloatval_t *x,
                             const lbfgsfloatval_t *g, const lbfgsfloatval_t fx,
                             const lbfgsfloatval_t xnorm,
                             const lbfgsfloatval_t gnorm,
                             const lbfgsfloatval_t step, int n, int k, int ls) {
    lin_train_ctx *c = inst;
    (void)g; (void)xnorm; (void)gnorm; (void)step; (void)n; (void)ls;
    c->iterations = k;
    return c->o->progress ? c->o->progress(c->o->ctx, k, fx, x) : 0;
}

slant_status linear_train(const linear_data *d, const linear_train_opts *o,
                          double *w, linear_train_info *info,
                          slant_error *err) {
    lin_work ws = { NULL, NULL, NULL, 0 };
    lbfgsfloatval_t *x = NULL;
    slant_status st = check_data(d, err);
    if (st != SLANT_OK) goto done;
    if ((st = check_opts(o, d->n_class, d->n, err)) != SLANT_OK) goto done;
    if (o->max_iter < 0 || !(o->epsilon >= 0.0) || !(o->delta >= 0.0)) {
        st = err_set(err, SLANT_EINVAL, NULL, -1, -1,
                     "need max_iter >= 0, epsilon >= 0, delta >= 0");
        goto done;
    }
    const size_t n_w = linear_n_weights(d->n_feat, d->n_class);
    /* liblbfgs takes an int count, and its SSE builds want a multiple of
     * 16 aligned variables: pad with variables whose gradient is 0. */
    const size_t n_pad = (n_w + 15) / 16 * 16;
    if (n_pad > (size_t)INT_MAX) {
        st = err_set(err, SLANT_EINVAL, NULL, -1, -1, "%zu weights exceed liblbfgs's int count", n_w);
        goto done;
    }
    if ((st = work_init(&ws, d)) != SLANT_OK || !(x = lbfgs_malloc((int)n_pad))) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "no memory for %zu weights", n_w);
        goto done;
    }
    memcpy(x, w, n_w * sizeof(double));
    for (size_t q = n_w; q < n_pad; q++) x[q] = 0.0;

    lbfgs_parameter_t p;
    lbfgs_parameter_init(&p);
    p.max_iterations = o->max_iter;
    p.epsilon = o->epsilon;
    p.past = o->delta > 0.0 ? 10 : 0;
    p.delta = o->delta;
    lin_train_ctx c = { d, o, &ws, n_w, 0 };
    int ret = lbfgs((int)n_pad, x, NULL, lbfgs_eval_cb, lbfgs_progress_cb, &c, &p);
    if (ret == LBFGSERR_OUTOFMEMORY) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "liblbfgs out of memory");
        goto done;
    }
    if (ret == LBFGSERR_UNKNOWNERROR || ret == LBFGSERR_LOGICERROR ||
        (ret >= LBFGSERR_INVALID_N && ret <= LBFGSERR_INVALID_ORTHANTWISE_END)) {
        st = err_set(err, SLANT_EINVAL, NULL, -1, -1, "liblbfgs rejected its parameters (code %d)", ret);
        goto done;
    }
    /* Anything else (converged, max_iter, cancelled, a line search that can
     * go no further) leaves x at the last accepted point. */
    memcpy(w, x, n_w * sizeof(double));
    if (info) {
        info->iterations = c.iterations;
        info->lbfgs_status = ret;
        /* liblbfgs's final fx may belong to a rejected trial point, so
         * recompute; the gradient goes to x's storage, no longer needed. */
        info->loss = evaluate(d, o, &ws, w, x);
    }
done:
    lbfgs_free(x);
    work_fini(&ws);
    return st;
}

/* ---- temperature ---- */

/* Mean NLL of gold under softmax(scores / exp(u)). */
static double temp_nll(const double *scores, const int *gold, size_t N,
                       int K, double u) {
    const double inv_t = exp(-u);
    double sum = 0.0;
    for (size_t i = 0; i < N; i++) {
        const double *s = scores + i * (size_t)K;
        double mx = s[0] * inv_t;
        for (int k = 1; k < K; k++) if (s[k] * inv_t > mx) mx = s[k] * inv_t;
        double z = 0.0;
        for (int k = 0; k < K; k++) z += exp(s[k] * inv_t - mx);
        sum += mx + log(z) - s[gold[i]] * inv_t;
    }
    return sum / (double)N;
}

slant_status linear_fit_temperature(const double *scores, const int *gold,
                                    size_t N, int K, double *T,
                                    slant_error *err) {
    if (N == 0 || K < 1)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "need N >= 1 and K >= 1, got %zu, %d", N, K);
    for (size_t i = 0; i < N; i++) {
        if (gold[i] < 0 || gold[i] >= K)
            return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: class %d out of [0,%d)", i, gold[i], K);
        for (int k = 0; k < K; k++)
            if (!isfinite(scores[i * (size_t)K + (size_t)k]))
                return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: score %d is not finite", i, k);
    }
    /* Golden-section search on u = log T. */
    const double phi = 0.6180339887498949; /* (sqrt 5 - 1) / 2 */
    double a = log(0.01), b = log(100.0);
    double u1 = b - phi * (b - a), u2 = a + phi * (b - a);
    double f1 = temp_nll(scores, gold, N, K, u1), f2 = temp_nll(scores, gold, N, K, u2);
    for (int it = 0; it < 200 && b - a > 1e-10; it++) {
        if (f1 <= f2) {
            b = u2; u2 = u1; f2 = f1;
            u1 = b - phi * (b - a);
            f1 = temp_nll(scores, gold, N, K, u1);
        } else {
            a = u1; u1 = u2; f1 = f2;
            u2 = a + phi * (b - a);
            f2 = temp_nll(scores, gold, N, K, u2);
        }
    }
    *T = exp(0.5 * (a + b));
    return SLANT_OK;
}

/* ---- evaluation ---- */

slant_status linear_confusion(const int *gold, const int *pred, size_t N,
                              int K, size_t *confusion, double *accuracy,
                              slant_error *err) {
    if (K < 1) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "need K >= 1, got %d", K);
    for (size_t i = 0; i < N; i++)
        if (gold[i] < 0 || gold[i] >= K || pred[i] < 0 || pred[i] >= K)
            return err_set(err, SLANT_EINVAL, NULL, -1, -1, "example %zu: class %d or %d out of [0,%d)",
                           i, gold[i], pred[i], K);
    size_t hits = 0;
    if (confusion) memset(confusion, 0, (size_t)K * (size_t)K * sizeof *confusion);
    for (size_t i = 0; i < N; i++) {
        if (confusion) confusion[(size_t)gold[i] * (size_t)K + (size_t)pred[i]]++;
        hits += gold[i] == pred[i];
    }
    if (accuracy) *accuracy = N ? (double)hits / (double)N : 0.0;
    return SLANT_OK;
}
