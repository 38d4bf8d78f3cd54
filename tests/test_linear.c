/*
 * Tests for the softmax classifier (linear.c) and its training
 * (linear_train.c). N = examples, F = features, K = classes. Random problems
 * come from a fixed-seed splitmix64, so every run sees the same numbers.
 */
#include <math.h>
#include <stdint.h>
#include "linear.h"
#include "linear_train.h"
#include "test.h"

/* ---- a fixed-seed PRNG (splitmix64, Steele et al. 2014) ---- */

static uint64_t rng_state;

static uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unif(void) { return (double)(rng_next() >> 11) * 0x1.0p-53; }

static uint32_t rng_below(uint32_t n) { return (uint32_t)(rng_next() % n); }

/* Standard normal by Box-Muller. */
static double rng_normal(void) {
    double u = 1.0 - rng_unif(), v = rng_unif();
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- a random sparse problem ---- */

#define MAXNZ 8

typedef struct {
    linear_example *x;  /* N */
    uint32_t *ids;      /* N x MAXNZ */
    float *vals;        /* N x MAXNZ */
    int *y;             /* N */
    linear_data d;
} problem;

/* N examples with 1..MAXNZ nonzeros each (ids may repeat), real values if
 * real_vals, else NULL values; labels from a random linear teacher, so the
 * problem is learnable but not separable. */
static void problem_make(problem *p, size_t N, size_t F, int K, int real_vals,
                         uint64_t seed) {
    rng_state = seed;
    p->x = calloc(N, sizeof *p->x);
    p->ids = calloc(N * MAXNZ, sizeof *p->ids);
    p->vals = calloc(N * MAXNZ, sizeof *p->vals);
    p->y = calloc(N, sizeof *p->y);
    for (size_t i = 0; i < N; i++) {
        uint32_t n = 1 + rng_below(MAXNZ);
        for (uint32_t j = 0; j < n; j++) {
            p->ids[i * MAXNZ + j] = rng_below((uint32_t)F);
            p->vals[i * MAXNZ + j] = (float)(rng_unif() * 2.0 - 0.5);
        }
        p->x[i].ids = p->ids + i * MAXNZ;
        p->x[i].vals = real_vals ? p->vals + i * MAXNZ : NULL;
        p->x[i].n = n;
        p->y[i] = (int)((p->ids[i * MAXNZ] + (rng_unif() < 0.2 ? 1u : 0u)) % (uint32_t)K);
    }
    p->d.x = p->x;
    p->d.y = p->y;
    p->d.n = N;
    p->d.n_feat = F;
    p->d.n_class = K;
}

static void problem_free(problem *p) {
    free(p->x);
    free(p->ids);
    free(p->vals);
    free(p->y);
}

/* ---- prediction ---- */

static void softmax_should_sum_to_one_and_ignore_a_constant_shift(void) {
    const double s[5] = { 1.5, -2.0, 0.25, 3.0, 3.0 };
    double t[5], p[5], q[5];
    const double temps[3] = { 1.0, 0.5, 2.0 };
    for (int ti = 0; ti < 3; ti++) {
        linear_softmax(s, 5, temps[ti], p);
        double sum = 0.0;
        for (int k = 0; k < 5; k++) { sum += p[k]; CHECK(p[k] > 0.0); }
        CHECK_NEAR(sum, 1.0, 1e-15);
        CHECK_NEAR(p[3], p[4], 0.0);
        for (int k = 0; k < 5; k++) t[k] = s[k] + 1000.0; /* exp(1000) overflows */
        linear_softmax(t, 5, temps[ti], q);
        for (int k = 0; k < 5; k++) CHECK_NEAR(q[k], p[k], 1e-12);
    }
    /* A higher temperature flattens the distribution. */
    linear_softmax(s, 5, 1.0, p);
    linear_softmax(s, 5, 2.0, q);
    CHECK(q[3] < p[3] && q[1] > p[1]);
    /* In place. */
    for (int k = 0; k < 5; k++) t[k] = s[k];
    linear_softmax(t, 5, 1.0, t);
    for (int k = 0; k < 5; k++) CHECK_NEAR(t[k], p[k], 0.0);
}

static void scores_should_add_bias_and_weighted_rows_and_skip_unknown_ids(void) {
    /* F = 3, K = 2. */
    const double w[8] = { 1, 2,   10, 20,   100, 200,   0.5, -0.5 };
    const linear_model m = { 3, 2, w, 1.0 };
    const uint32_t ids[4] = { 0, 2, 7, 2 };
    const float vals[4] = { 2.0f, 0.5f, 9.0f, 1.0f };
    linear_example x = { ids, vals, 4 };
    double s[2];
    linear_scores(&m, &x, s);
    CHECK_NEAR(s[0], 0.5 + 2 * 1 + 0.5 * 100 + 100, 1e-12);
    CHECK_NEAR(s[1], -0.5 + 2 * 2 + 0.5 * 200 + 200, 1e-12);
    x.vals = NULL;
    linear_scores(&m, &x, s);
    CHECK_NEAR(s[0], 0.5 + 1 + 100 + 100, 1e-12);
    x.n = 0;
    linear_scores(&m, &x, s);
    CHECK_NEAR(s[0], 0.5, 0.0);
    CHECK_NEAR(s[1], -0.5, 0.0);
    /* With T = 2 the probabilities match softmax(s / 2). */
    const linear_model mt = { 3, 2, w, 2.0 };
    double p[2];
    x.n = 2;
    linear_predict_proba(&mt, &x, p);
    linear_scores(&mt, &x, s);
    CHECK_NEAR(p[1], 1.0 / (1.0 + exp((s[0] - s[1]) / 2.0)), 1e-12);
    CHECK_EQ_INT(linear_n_weights(3, 2), 8);
}

static void argmax_should_prefer_the_lowest_index_on_ties_and_skip_nan(void) {
    const double v[4] = { 1.0, 3.0, 3.0, -1.0 };
    CHECK_EQ_INT(linear_argmax(v, 4), 1);
    const double n[3] = { NAN, -5.0, NAN };
    CHECK_EQ_INT(linear_argmax(n, 3), 1);
    CHECK_EQ_INT(linear_argmax(v, 0), -1);
}

/* ---- objective ---- */

static void gradient_should_match_central_differences_with_real_values_and_class_weights(void) {
    problem p;
    const size_t F = 7;
    const int K = 4;
    problem_make(&p, 30, F, K, 1, 42);
    const double cw[4] = { 1.0, 2.5, 0.5, 1.7 };
    linear_train_opts o;
    linear_train_opts_init(&o);
    o.c2 = 0.3;
    o.class_weight = cw;
    size_t nw = linear_n_weights(F, K);
    double *w = malloc(nw * sizeof *w), *g = malloc(nw * sizeof *g), *g2 = malloc(nw * sizeof *g2);
    rng_state = 7;
    for (size_t q = 0; q < nw; q++) w[q] = rng_normal();
    double loss = 0.0, lp = 0.0, lm = 0.0;
    CHECK(linear_objective(&p.d, &o, w, &loss, g, NULL) == SLANT_OK);
    CHECK(loss > 0.0);
    double worst = 0.0;
    const double h = 1e-5;
    for (size_t q = 0; q < nw; q++) {
        double keep = w[q];
        w[q] = keep + h;
        linear_objective(&p.d, &o, w, &lp, g2, NULL);
        w[q] = keep - h;
        linear_objective(&p.d, &o, w, &lm, g2, NULL);
        w[q] = keep;
        double fd = (lp - lm) / (2.0 * h);
        double rel = fabs(fd - g[q]) / fmax(1e-3, fmax(fabs(fd), fabs(g[q])));
        if (rel > worst) worst = rel;
    }
    CHECK(worst < 1e-6);
    if (worst >= 1e-6) fprintf(stderr, "  worst relative error %g\n", worst);
    free(w); free(g); free(g2);
    problem_free(&p);
}

static void objective_should_not_regularize_the_bias(void) {
    problem p;
    const size_t F = 5;
    const int K = 3;
    problem_make(&p, 12, F, K, 1, 3);
    size_t nw = linear_n_weights(F, K);
    double *w = malloc(nw * sizeof *w), *g0 = malloc(nw * sizeof *g0), *g1 = malloc(nw * sizeof *g1);
    rng_state = 11;
    for (size_t q = 0; q < nw; q++) w[q] = 3.0 * rng_normal();
    linear_train_opts o;
    linear_train_opts_init(&o);
    double l0, l1;
    o.c2 = 0.0;
    CHECK(linear_objective(&p.d, &o, w, &l0, g0, NULL) == SLANT_OK);
    o.c2 = 5.0;
    CHECK(linear_objective(&p.d, &o, w, &l1, g1, NULL) == SLANT_OK);
    double sq = 0.0;
    for (size_t q = 0; q < F * (size_t)K; q++) {
        CHECK_NEAR(g1[q] - g0[q], 5.0 * w[q], 1e-12);
        sq += w[q] * w[q];
    }
    for (size_t q = F * (size_t)K; q < nw; q++) CHECK_NEAR(g1[q], g0[q], 0.0);
    CHECK_NEAR(l1 - l0, 2.5 * sq, 1e-9);
    /* And the bias gradients sum to 0: residuals p - onehot sum to 0. */
    double bs = 0.0;
    for (size_t q = F * (size_t)K; q < nw; q++) bs += g0[q];
    CHECK_NEAR(bs, 0.0, 1e-12);
    free(w); free(g0); free(g1);
    problem_free(&p);
}

/* ---- training ---- */

static void training_should_learn_a_separable_toy_problem_perfectly(void) {
    /* K = 3 classes; class k has feature k with value in [0.5,1.5), plus
     * two noise features from [3, 20) shared by all classes. */
    enum { N = 90, F = 20, K = 3 };
    uint32_t ids[N][3];
    float vals[N][3];
    linear_example x[N];
    int y[N], pred[N];
    rng_state = 99;
    for (int i = 0; i < N; i++) {
        y[i] = i % K;
        ids[i][0] = (uint32_t)y[i];
        vals[i][0] = (float)(0.5 + rng_unif());
        for (int j = 1; j < 3; j++) { ids[i][j] = 3 + rng_below(F - 3); vals[i][j] = (float)rng_unif(); }
        x[i].ids = ids[i]; x[i].vals = vals[i]; x[i].n = 3;
    }
    linear_data d = { x, y, N, F, K };
    linear_train_opts o;
    linear_train_opts_init(&o);
    o.c2 = 1e-3;
    double w[F * K + K] = { 0 };
    linear_train_info info;
    CHECK(linear_train(&d, &o, w, &info, NULL) == SLANT_OK);
    CHECK(info.iterations > 0);
    CHECK(info.loss < 0.2);
    const linear_model m = { F, K, w, 1.0 };
    for (int i = 0; i < N; i++) {
        double pr[K];
        linear_predict_proba(&m, &x[i], pr);
        pred[i] = linear_argmax(pr, K);
    }
    size_t conf[K * K];
    double acc = 0.0;
    CHECK(linear_confusion(y, pred, N, K, conf, &acc, NULL) == SLANT_OK);
    CHECK_NEAR(acc, 1.0, 0.0);
    for (int g = 0; g < K; g++) CHECK_EQ_INT(conf[g * K + g], N / K);
}

static int count_and_stop(void *ctx, int iter, double loss, const double *w) {
    int *calls = ctx;
    (void)loss; (void)w;
    ++*calls;
    return iter >= 3;
}

static void training_should_stop_when_the_progress_callback_returns_nonzero(void) {
    problem p;
    problem_make(&p, 200, 50, 4, 1, 5);
    linear_train_opts o;
    linear_train_opts_init(&o);
    int calls = 0;
    o.progress = count_and_stop;
    o.ctx = &calls;
    double *w = calloc(linear_n_weights(50, 4), sizeof *w);
    linear_train_info info;
    CHECK(linear_train(&p.d, &o, w, &info, NULL) == SLANT_OK);
    CHECK_EQ_INT(calls, 3);
    CHECK_EQ_INT(info.iterations, 3);
    free(w);
    problem_free(&p);
}

static void training_should_give_identical_weights_for_any_thread_count_and_run(void) {
    problem p;
    const size_t F = 5000; /* five regularizer blocks, so threads split them */
    const int K = 14;
    problem_make(&p, 3000, F, K, 1, 77);
    const size_t nw = linear_n_weights(F, K);
    double cw[14];
    for (int k = 0; k < K; k++) cw[k] = 1.0 + 0.1 * k;
    linear_train_opts o;
    linear_train_opts_init(&o);
    o.max_iter = 30;
    o.class_weight = cw;
    double *w1 = calloc(nw, sizeof *w1), *w2 = calloc(nw, sizeof *w2);
    double *w2b = calloc(nw, sizeof *w2b), *w3 = calloc(nw, sizeof *w3);
    o.threads = 1;
    CHECK(linear_train(&p.d, &o, w1, NULL, NULL) == SLANT_OK);
    o.threads = 2;
    CHECK(linear_train(&p.d, &o, w2, NULL, NULL) == SLANT_OK);
    CHECK(linear_train(&p.d, &o, w2b, NULL, NULL) == SLANT_OK);
    o.threads = 7;
    CHECK(linear_train(&p.d, &o, w3, NULL, NULL) == SLANT_OK);
    CHECK(memcmp(w1, w2, nw * sizeof *w1) == 0);
    CHECK(memcmp(w2, w2b, nw * sizeof *w1) == 0);
    CHECK(memcmp(w1, w3, nw * sizeof *w1) == 0);
    double norm = 0.0;
    for (size_t q = 0; q < nw; q++) norm += w1[q] * w1[q];
    CHECK(norm > 0.0);
    free(w1); free(w2); free(w2b); free(w3);
    problem_free(&p);
}

static void training_should_reject_bad_ids_labels_and_options(void) {
    problem p;
    problem_make(&p, 10, 6, 3, 1, 8);
    double w[6 * 3 + 3] = { 0 };
    linear_train_opts o;
    linear_train_opts_init(&o);
    slant_error err;
    slant_error_clear(&err);
    p.ids[4 * MAXNZ] = 6;
    CHECK(linear_train(&p.d, &o, w, NULL, &err) == SLANT_EINVAL);
    CHECK(strstr(err.message, "example 4") != NULL);
    p.ids[4 * MAXNZ] = 0;
    p.y[2] = 3;
    CHECK(linear_train(&p.d, &o, w, NULL, &err) == SLANT_EINVAL);
    p.y[2] = 0;
    o.threads = 0;
    CHECK(linear_train(&p.d, &o, w, NULL, &err) == SLANT_EINVAL);
    o.threads = 1;
    const double cw[3] = { 1.0, 0.0, 1.0 };
    o.class_weight = cw;
    CHECK(linear_train(&p.d, &o, w, NULL, &err) == SLANT_EINVAL);
    o.class_weight = NULL;
    CHECK(linear_train(&p.d, &o, w, NULL, &err) == SLANT_OK);
    problem_free(&p);
}

/* ---- calibration and evaluation ---- */

static void temperature_fit_should_recover_two_from_labels_drawn_at_half_scale(void) {
    enum { N = 20000, K = 5 };
    double *s = malloc((size_t)N * K * sizeof *s);
    int *gold = malloc(N * sizeof *gold);
    rng_state = 2024;
    for (size_t i = 0; i < N; i++) {
        double p[K], u, acc = 0.0;
        for (int k = 0; k < K; k++) s[i * K + (size_t)k] = 4.0 * rng_normal();
        linear_softmax(s + i * K, K, 2.0, p);   /* the true temperature */
        u = rng_unif();
        gold[i] = K - 1;
        for (int k = 0; k < K; k++) { acc += p[k]; if (u < acc) { gold[i] = k; break; } }
    }
    double T = 0.0;
    CHECK(linear_fit_temperature(s, gold, N, K, &T, NULL) == SLANT_OK);
    CHECK_NEAR(T, 2.0, 0.1);
    /* Scores already at the right scale give T near 1. */
    for (size_t q = 0; q < (size_t)N * K; q++) s[q] *= 0.5;
    CHECK(linear_fit_temperature(s, gold, N, K, &T, NULL) == SLANT_OK);
    CHECK_NEAR(T, 1.0, 0.05);
    gold[0] = K;
    CHECK(linear_fit_temperature(s, gold, N, K, &T, NULL) == SLANT_EINVAL);
    free(s); free(gold);
}

static void confusion_should_count_gold_rows_against_predicted_columns(void) {
    const int gold[6] = { 0, 0, 1, 2, 2, 2 };
    const int pred[6] = { 0, 1, 1, 2, 0, 2 };
    size_t c[9];
    double acc = -1.0;
    CHECK(linear_confusion(gold, pred, 6, 3, c, &acc, NULL) == SLANT_OK);
    CHECK_NEAR(acc, 4.0 / 6.0, 1e-15);
    const size_t want[9] = { 1, 1, 0,  0, 1, 0,  1, 0, 2 };
    CHECK(memcmp(c, want, sizeof c) == 0);
    const int bad[1] = { 3 };
    CHECK(linear_confusion(bad, pred, 1, 3, c, &acc, NULL) == SLANT_EINVAL);
    CHECK(linear_confusion(gold, pred, 0, 3, c, &acc, NULL) == SLANT_OK);
    CHECK_NEAR(acc, 0.0, 0.0);
}

int main(void) {
    TEST(softmax_should_sum_to_one_and_ignore_a_constant_shift);
    TEST(scores_should_add_bias_and_weighted_rows_and_skip_unknown_ids);
    TEST(argmax_should_prefer_the_lowest_index_on_ties_and_skip_nan);
    TEST(gradient_should_match_central_differences_with_real_values_and_class_weights);
    TEST(objective_should_not_regularize_the_bias);
    TEST(training_should_learn_a_separable_toy_problem_perfectly);
    TEST(training_should_stop_when_the_progress_callback_returns_nonzero);
    TEST(training_should_give_identical_weights_for_any_thread_count_and_run);
    TEST(training_should_reject_bad_ids_labels_and_options);
    TEST(temperature_fit_should_recover_two_from_labels_drawn_at_half_scale);
    TEST(confusion_should_count_gold_rows_against_predicted_columns);
    return test_summary("linear");
}
