/*
 * Softmax classifier prediction: raw scores, tempered softmax, argmax.
 * F = features, K = classes; weight layout in linear.h. Allocation-free.
 */
#include <math.h>
#include "linear.h"

/* Rows are fetched from a block of F*K doubles (56 MB at F = 500k, K = 14)
 * in no useful order, so the loops are bound by memory latency; asking for
 * the row LIN_AHEAD nonzeros ahead overlaps the misses (one gradient at
 * N = 6000, 300 nonzeros, F = 500k, K = 14 went from 194 to 95 ms, one
 * thread, with the same prefetch in linear_train.c). */
#define LIN_AHEAD 8
#if defined(__GNUC__)
#define LIN_PREFETCH(p) __builtin_prefetch(p)
#else
#define LIN_PREFETCH(p) ((void)0)
#endif

size_t linear_n_weights(size_t n_feat, int n_class) {
    if (n_class <= 0) return 0;
    return n_feat * (size_t)n_class + (size_t)n_class;
}

void linear_scores(const linear_model *m, const linear_example *x,
                   double *scores) {
    const size_t F = m->n_feat;
    const size_t K = (size_t)m->n_class;
    const double *bias = m->w + F * K;
    for (size_t k = 0; k < K; k++) scores[k] = bias[k];
    for (uint32_t j = 0; j < x->n; j++) {
        if (j + LIN_AHEAD < x->n && x->ids[j + LIN_AHEAD] < F) {
            const double *ahead = m->w + (size_t)x->ids[j + LIN_AHEAD] * K;
            LIN_PREFETCH(ahead);
            LIN_PREFETCH(ahead + K - 1);
        }
        size_t f = x->ids[j];
        if (f >= F) continue;
        const double v = x->vals ? (double)x->vals[j] : 1.0;
        const double *row = m->w + f * K;
        for (size_t k = 0; k < K; k++) scores[k] += v * row[k];
    }
}

void linear_softmax(const double *scores, int K, double T, double *p) {
    if (K <= 0) return;
    const double inv_t = 1.0 / T;
    double mx = scores[0] * inv_t;
    for (int k = 1; k < K; k++) {
        double s = scores[k] * inv_t;
        if (s > mx) mx = s;
    }
    double z = 0.0;
    for (int k = 0; k < K; k++) {
        p[k] = exp(scores[k] * inv_t - mx);
        z += p[k];
    }
    for (int k = 0; k < K; k++) p[k] /= z;
}

void linear_predict_proba(const linear_model *m, const linear_example *x,
                          double *p) {
    linear_scores(m, x, p);
    linear_softmax(p, m->n_class, m->temperature, p);
}

int linear_argmax(const double *v, int K) {
    int best = -1;
    for (int k = 0; k < K; k++)
        if (best < 0 ? !isnan(v[k]) : v[k] > v[best]) best = k;
    return best < 0 && K > 0 ? 0 : best;
}
