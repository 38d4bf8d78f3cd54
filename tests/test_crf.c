/*
 * Tests for the CRF kernels (src/crf.c) against brute force over all L^T
 * label paths. T = tokens, L = labels; scores are log-space.
 */
#include <math.h>
#include <stdint.h>
#include "test.h"
#include "crf.h"

#define MAX_T 6
#define MAX_L 5

/* Reproducible uniform doubles in [lo, hi): splitmix64. */
static uint64_t rng_state = 42;
static double rnd(double lo, double hi) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + (hi - lo) * (double)(z >> 11) / 9007199254740992.0;
}

static void fill(double *x, int n, double lo, double hi) {
    for (int i = 0; i < n; i++) x[i] = rnd(lo, hi);
}

/* Next path in base-L counting order; returns 0 after the last. */
static int next_path(int *path, int T, int L) {
    for (int t = 0; t < T; t++) {
        if (++path[t] < L) return 1;
        path[t] = 0;
    }
    return 0;
}

/* Brute force over all paths: best score and path, log Z, marginals
 * (T x L) and pair marginals summed over t (L x L). */
typedef struct {
    double best, log_z;
    int best_path[MAX_T];
    double marg[MAX_T * MAX_L];
    double pair[MAX_L * MAX_L];
} brute;

static void brute_force(int T, int L, const double *emit, const double *trans,
                        const double *start, brute *b) {
    int path[MAX_T] = {0};
    double m = -INFINITY;
    do {
        double s = crf_path_score(T, L, emit, trans, start, path);
        if (s > m) {
            m = s;
            for (int t = 0; t < T; t++) b->best_path[t] = path[t];
        }
    } while (next_path(path, T, L));
    b->best = m;
    double z = 0.0;
    for (int k = 0; k < MAX_T * MAX_L; k++) b->marg[k] = 0.0;
    for (int k = 0; k < MAX_L * MAX_L; k++) b->pair[k] = 0.0;
    do {
        double p = exp(crf_path_score(T, L, emit, trans, start, path) - m);
        z += p;
        for (int t = 0; t < T; t++) b->marg[t * L + path[t]] += p;
        for (int t = 1; t < T; t++) b->pair[path[t - 1] * L + path[t]] += p;
    } while (next_path(path, T, L));
    b->log_z = m + log(z);
    for (int k = 0; k < T * L; k++) b->marg[k] /= z;
    for (int k = 0; k < L * L; k++) b->pair[k] /= z;
}

static void viterbi_should_equal_brute_force_for_T_1_to_4(void) {
    const int L = 3;
    for (int T = 1; T <= 4; T++) {
        for (int rep = 0; rep < 20; rep++) {
            double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L], work[2 * MAX_T * MAX_L];
            int path[MAX_T];
            brute b;
            fill(emit, T * L, -3, 3);
            fill(trans, L * L, -2, 2);
            fill(start, L, -1, 1);
            brute_force(T, L, emit, trans, start, &b);
            double s = crf_viterbi(T, L, emit, trans, start, path, work);
            CHECK_NEAR(s, b.best, 1e-12);
            for (int t = 0; t < T; t++) CHECK_EQ_INT(path[t], b.best_path[t]);
            CHECK_NEAR(crf_path_score(T, L, emit, trans, start, path), s, 1e-12);
        }
    }
}

static void viterbi_should_return_zero_for_an_empty_sequence(void) {
    double x[9] = {0}, work[1];
    int path[1] = {7};
    CHECK_NEAR(crf_viterbi(0, 3, x, x, x, path, work), 0.0, 0.0);
    CHECK_EQ_INT(path[0], 7);
}

static void log_z_should_equal_brute_force_logsumexp(void) {
    for (int L = 3; L <= 5; L += 2) {
        for (int T = 1; T <= (L == 3 ? 5 : 4); T++) {
            double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L];
            double alpha[MAX_T * MAX_L], beta[MAX_T * MAX_L];
            brute b;
            fill(emit, T * L, -4, 4);
            fill(trans, L * L, -3, 3);
            fill(start, L, -2, 2);
            brute_force(T, L, emit, trans, start, &b);
            double lz = crf_forward_backward(T, L, emit, trans, start, alpha, beta, NULL);
            CHECK_NEAR(lz, b.log_z, 1e-12 * (1 + fabs(b.log_z)));
        }
    }
}

static void marginals_should_sum_to_one_and_equal_brute_force(void) {
    const int L = 3;
    for (int T = 1; T <= 5; T++) {
        double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L];
        double alpha[MAX_T * MAX_L], beta[MAX_T * MAX_L], marg[MAX_T * MAX_L];
        brute b;
        fill(emit, T * L, -4, 4);
        fill(trans, L * L, -3, 3);
        fill(start, L, -2, 2);
        brute_force(T, L, emit, trans, start, &b);
        crf_forward_backward(T, L, emit, trans, start, alpha, beta, marg);
        for (int t = 0; t < T; t++) {
            double s = 0.0;
            for (int y = 0; y < L; y++) {
                s += marg[t * L + y];
                CHECK_NEAR(marg[t * L + y], b.marg[t * L + y], 1e-12);
            }
            CHECK_NEAR(s, 1.0, 1e-12);
        }
    }
}

static void scaled_marginals_should_equal_brute_force(void) {
    for (int L = 1; L <= 5; L++)   /* 3 and 5 have kernels of their own */
        for (int T = 1; T <= 5; T++) {
            double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L];
            double marg[MAX_T * MAX_L], work[MAX_T * MAX_L + MAX_T];
            brute b;
            fill(emit, T * L, -6, 6);
            fill(trans, L * L, -3, 3);
            fill(start, L, -2, 2);
            brute_force(T, L, emit, trans, start, &b);
            CHECK_EQ_INT(crf_marginals_scaled(T, L, emit, trans, start, marg, work), 1);
            for (int k = 0; k < T * L; k++) CHECK_NEAR(marg[k], b.marg[k], 1e-12);
        }
}

/* Forbidden transitions and scores thousands apart: probability space
 * either still gets the exact answer or gives up, never returns wrong
 * numbers. */
static void scaled_marginals_should_be_exact_or_give_up_on_extreme_scores(void) {
    const int L = 3, T = 3;
    double emit[MAX_T * MAX_L] = {0}, trans[MAX_L * MAX_L] = {0}, start[MAX_L] = {0};
    double marg[MAX_T * MAX_L], work[MAX_T * MAX_L + MAX_T];
    double alpha[MAX_T * MAX_L], beta[MAX_T * MAX_L], exact[MAX_T * MAX_L];
    int gave_up = 0;
    for (int c = 0; c < 3; c++) {
        if (c == 0) trans[0 * L + 2] = -INFINITY;   /* O -> I forbidden */
        if (c == 1) { emit[1 * L + 2] = 2000; trans[0 * L + 2] = -2000; emit[0] = 3000; }
        if (c == 2) start[1] = -INFINITY;
        crf_forward_backward(T, L, emit, trans, start, alpha, beta, exact);
        if (!crf_marginals_scaled(T, L, emit, trans, start, marg, work)) { gave_up++; continue; }
        for (int k = 0; k < T * L; k++) CHECK_NEAR(marg[k], exact[k], 1e-9);
    }
    CHECK(gave_up >= 1);   /* scores 2000 apart underflow in probability space */
    CHECK_EQ_INT(crf_marginals_scaled(0, L, emit, trans, start, marg, work), 1);
}

static void expected_transitions_should_equal_brute_force_pair_marginals(void) {
    const int L = 3, T = 5;
    double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L];
    double alpha[MAX_T * MAX_L], beta[MAX_T * MAX_L], marg[MAX_T * MAX_L];
    double count[MAX_L * MAX_L] = {0};
    brute b;
    fill(emit, T * L, -4, 4);
    fill(trans, L * L, -3, 3);
    fill(start, L, -2, 2);
    brute_force(T, L, emit, trans, start, &b);
    double lz = crf_forward_backward(T, L, emit, trans, start, alpha, beta, marg);
    crf_expected_transitions(T, L, emit, trans, alpha, beta, marg, lz, count);
    double total = 0.0;
    for (int k = 0; k < L * L; k++) {
        CHECK_NEAR(count[k], b.pair[k], 1e-12);
        total += count[k];
    }
    CHECK_NEAR(total, (double)(T - 1), 1e-12);
}

/* Forbidden transitions (-inf, as BIO decoding may set for O -> I) and
 * scores hundreds apart must neither give NaN nor lose the exact answer. */
static void forward_backward_should_stay_exact_with_forbidden_and_huge_scores(void) {
    const int L = 3, T = 4;
    double emit[MAX_T * MAX_L], trans[MAX_L * MAX_L], start[MAX_L];
    double alpha[MAX_T * MAX_L], beta[MAX_T * MAX_L], marg[MAX_T * MAX_L];
    double count[MAX_L * MAX_L] = {0};
    brute b;
    fill(emit, T * L, -4, 4);
    fill(trans, L * L, -3, 3);
    fill(start, L, -2, 2);
    trans[0 * L + 2] = -INFINITY;  /* O -> I */
    trans[1 * L + 1] = -900.0;     /* B -> B: exp underflows */
    trans[2 * L + 0] = 800.0;      /* I -> O: exp overflows */
    emit[1 * L + 2] = 1200.0;
    emit[2 * L + 0] = -1500.0;
    start[2] = -INFINITY;
    brute_force(T, L, emit, trans, start, &b);
    double lz = crf_forward_backward(T, L, emit, trans, start, alpha, beta, marg);
    crf_expected_transitions(T, L, emit, trans, alpha, beta, marg, lz, count);
    CHECK_NEAR(lz, b.log_z, 1e-12 * fabs(b.log_z));
    for (int k = 0; k < T * L; k++) {
        CHECK(!isnan(marg[k]));
        CHECK_NEAR(marg[k], b.marg[k], 1e-12);
    }
    for (int k = 0; k < L * L; k++) CHECK_NEAR(count[k], b.pair[k], 1e-12);
}

/* Labels beyond the stack tables (L > 16) take the plain logsumexp path. */
static void forward_backward_should_handle_many_labels(void) {
    enum { L = 20, T = 2 };
    double emit[T * L], trans[L * L], start[L], alpha[T * L], beta[T * L], marg[T * L];
    fill(emit, T * L, -2, 2);
    fill(trans, L * L, -2, 2);
    fill(start, L, -2, 2);
    double z = 0.0;
    for (int i = 0; i < L; i++)
        for (int j = 0; j < L; j++)
            z += exp(start[i] + emit[i] + trans[i * L + j] + emit[L + j]);
    double lz = crf_forward_backward(T, L, emit, trans, start, alpha, beta, marg);
    CHECK_NEAR(lz, log(z), 1e-12 * fabs(log(z)));
    double s = 0.0;
    for (int y = 0; y < L; y++) s += marg[L + y];
    CHECK_NEAR(s, 1.0, 1e-12);
}

static void emissions_should_sum_state_weights_of_each_token(void) {
    /* 3 tokens; token 1 has no features. */
    const uint32_t feat[] = {0, 2, 1, 2, 2};
    const uint32_t offs[] = {0, 2, 2, 5};
    crf_seq s = {3, feat, offs, NULL, NULL, 0, 0, 0};
    const int L = 2;
    double w[3 * 2 + 4 + 2] = {1, 2, 10, 20, 100, 200};
    double emit[3 * 2];
    crf_emissions(&s, L, w, emit);
    CHECK_NEAR(emit[0], 101, 0);
    CHECK_NEAR(emit[1], 202, 0);
    CHECK_NEAR(emit[2], 0, 0);
    CHECK_NEAR(emit[3], 0, 0);
    CHECK_NEAR(emit[4], 210, 0);
    CHECK_NEAR(emit[5], 420, 0);
    CHECK_EQ_INT(crf_n_weights(3, 2), 12);
    CHECK_EQ_INT(crf_n_weights(2000000, 3), 6000012);
}

int main(void) {
    TEST(viterbi_should_equal_brute_force_for_T_1_to_4);
    TEST(viterbi_should_return_zero_for_an_empty_sequence);
    TEST(log_z_should_equal_brute_force_logsumexp);
    TEST(marginals_should_sum_to_one_and_equal_brute_force);
    TEST(scaled_marginals_should_equal_brute_force);
    TEST(scaled_marginals_should_be_exact_or_give_up_on_extreme_scores);
    TEST(expected_transitions_should_equal_brute_force_pair_marginals);
    TEST(forward_backward_should_stay_exact_with_forbidden_and_huge_scores);
    TEST(forward_backward_should_handle_many_labels);
    TEST(emissions_should_sum_state_weights_of_each_token);
    return test_summary("crf");
}
