/*
 * Tests for CRF training (src/crf_train.c): the gradient against central
 * finite differences, learning a separable toy problem, determinism across
 * runs and thread counts, and L1 sparsity. T = tokens, L = labels.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "crf_train.h"

static uint64_t rng_state = 7;
static uint64_t rnd_u64(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double rnd(double lo, double hi) {
    return lo + (hi - lo) * (double)(rnd_u64() >> 11) / 9007199254740992.0;
}
static int rnd_int(int n) { return (int)(rnd_u64() % (uint64_t)n); }

/* A corpus owning its arrays: n sequences in one block each of ids,
 * offsets and labels. */
typedef struct {
    size_t n;
    crf_seq *seqs;      /* n */
    uint32_t *feat;     /* all feature ids */
    uint32_t *offs;     /* all offsets, T+1 per sequence */
    int *labels;        /* all labels */
    int *words;         /* toy problems: the word of each token */
} corpus;

static void corpus_free(corpus *c) {
    free(c->seqs); free(c->feat); free(c->offs); free(c->labels); free(c->words);
    memset(c, 0, sizeof *c);
}

/* Random problem: each token has 1..max_f random features and a random
 * label. lens: n sequence lengths. */
static void random_corpus(corpus *c, const int *lens, size_t n, int n_feat, int max_f, int L) {
    size_t tokens = 0;
    for (size_t s = 0; s < n; s++) tokens += (size_t)lens[s];
    c->n = n;
    c->seqs = calloc(n, sizeof *c->seqs);
    c->feat = calloc(tokens * (size_t)max_f + 1, sizeof *c->feat);
    c->offs = calloc(tokens + n, sizeof *c->offs);
    c->labels = calloc(tokens + 1, sizeof *c->labels);
    c->words = NULL;
    size_t fi = 0, oi = 0, li = 0;
    for (size_t s = 0; s < n; s++) {
        crf_seq *q = &c->seqs[s];
        q->T = lens[s];
        q->feat = c->feat + fi;
        q->offs = c->offs + oi;
        q->labels = c->labels + li;
        uint32_t k = 0;
        c->offs[oi++] = 0;
        for (int t = 0; t < lens[s]; t++) {
            int nf = 1 + rnd_int(max_f);
            for (int j = 0; j < nf; j++) c->feat[fi + k++] = (uint32_t)rnd_int(n_feat);
            c->offs[oi++] = k;
            c->labels[li++] = rnd_int(L);
        }
        fi += k;
    }
}

/* Toy separable problem: each token is a word in 0..n_words-1; its label is
 * word % L. Features: 0 = bias, 1 + word, and n_noise random noise ids. */
static void toy_corpus(corpus *c, size_t n, int n_words, int n_noise_feat, int L) {
    int lens[64];
    for (size_t s = 0; s < n; s++) lens[s] = 3 + rnd_int(8);
    size_t tokens = 0;
    for (size_t s = 0; s < n; s++) tokens += (size_t)lens[s];
    c->n = n;
    c->seqs = calloc(n, sizeof *c->seqs);
    c->feat = calloc(tokens * 3, sizeof *c->feat);
    c->offs = calloc(tokens + n, sizeof *c->offs);
    c->labels = calloc(tokens, sizeof *c->labels);
    c->words = calloc(tokens, sizeof *c->words);
    size_t fi = 0, oi = 0, li = 0;
    for (size_t s = 0; s < n; s++) {
        crf_seq *q = &c->seqs[s];
        q->T = lens[s];
        q->feat = c->feat + fi;
        q->offs = c->offs + oi;
        q->labels = c->labels + li;
        uint32_t k = 0;
        c->offs[oi++] = 0;
        for (int t = 0; t < lens[s]; t++) {
            int word = rnd_int(n_words);
            c->feat[fi + k++] = 0;
            c->feat[fi + k++] = (uint32_t)(1 + word);
            if (n_noise_feat > 0)
                c->feat[fi + k++] = (uint32_t)(1 + n_words + rnd_int(n_noise_feat));
            c->offs[oi++] = k;
            c->words[li] = word;
            c->labels[li++] = word % L;
        }
        fi += k;
    }
}

static double viterbi_accuracy(const corpus *c, size_t n_feat, int L, const double *w) {
    double emit[16 * 5], work[2 * 16 * 5];
    int path[16];
    const double *trans = w + n_feat * (size_t)L, *start = trans + L * L;
    size_t right = 0, total = 0;
    for (size_t s = 0; s < c->n; s++) {
        const crf_seq *q = &c->seqs[s];
        crf_emissions(q, L, w, emit);
        crf_viterbi(q->T, L, emit, trans, start, path, work);
        for (int t = 0; t < q->T; t++, total++) right += path[t] == q->labels[t];
    }
    return (double)right / (double)total;
}

/* Random weights in [-1, 1] for c (*w), the objective there with its
 * gradient (*g, one thread), and a gradient-sized scratch buffer (*g2);
 * checks that the objective is finite and positive. Free all three. */
static double objective_at_random_weights(const corpus *c, size_t n_feat, int L, double c2,
                                          double **w, double **g, double **g2) {
    size_t n_w = crf_n_weights(n_feat, L);
    *w = malloc(n_w * sizeof **w);
    *g = malloc(n_w * sizeof **g);
    *g2 = malloc(n_w * sizeof **g2);
    for (size_t k = 0; k < n_w; k++) (*w)[k] = rnd(-1, 1);
    double f = crf_objective(c->seqs, c->n, n_feat, L, *w, c2, *g, 1);
    CHECK(isfinite(f) && f > 0);
    return f;
}

/* The largest relative difference between the gradient g of c's objective
 * at w and its central finite differences (w is restored; scratch: a
 * gradient-sized buffer). */
static double worst_fd_error(const corpus *c, size_t n_feat, int L, double *w, const double *g,
                             double c2, double *scratch) {
    const double h = 1e-5;
    double worst = 0.0;
    size_t n_w = crf_n_weights(n_feat, L);
    for (size_t k = 0; k < n_w; k++) {
        double keep = w[k];
        w[k] = keep + h;
        double fp = crf_objective(c->seqs, c->n, n_feat, L, w, c2, scratch, 1);
        w[k] = keep - h;
        double fm = crf_objective(c->seqs, c->n, n_feat, L, w, c2, scratch, 1);
        w[k] = keep;
        double fd = (fp - fm) / (2 * h);
        double rel = fabs(fd - g[k]) / fmax(1.0, fabs(g[k]));
        if (rel > worst) worst = rel;
    }
    return worst;
}

/* ---- gradient ---- */

static void gradient_should_match_central_finite_differences(void) {
    const int L = 3, n_feat = 7, lens[] = {1, 3, 5, 8, 2};
    const double c2 = 0.3;
    corpus c;
    random_corpus(&c, lens, 5, n_feat, 3, L);
    double *w, *g, *g2;
    objective_at_random_weights(&c, (size_t)n_feat, L, c2, &w, &g, &g2);
    double worst = worst_fd_error(&c, (size_t)n_feat, L, w, g, c2, g2);
    CHECK(worst < 1e-6);
    if (worst >= 1e-6) fprintf(stderr, "  worst relative error %g\n", worst);
    free(w); free(g); free(g2);
    corpus_free(&c);
}

/* Over 64k tokens and 4096 sequences, so several blocks are cut. */
static void objective_should_be_bit_identical_for_1_2_and_3_threads(void) {
    enum { N = 5000 };
    static int lens[N];
    const int L = 3, n_feat = 3000;
    for (int s = 0; s < N; s++) lens[s] = rnd_int(28);
    corpus c;
    random_corpus(&c, lens, N, n_feat, 6, L);
    size_t n_w = crf_n_weights((size_t)n_feat, L);
    double *w = malloc(n_w * sizeof *w), *g[3];
    for (size_t k = 0; k < n_w; k++) w[k] = rnd(-0.5, 0.5);
    double f[3];
    for (int k = 0; k < 3; k++) {
        g[k] = malloc(n_w * sizeof *g[k]);
        f[k] = crf_objective(c.seqs, c.n, (size_t)n_feat, L, w, 0.1, g[k], k + 1);
    }
    CHECK(isfinite(f[0]));
    CHECK(memcmp(&f[0], &f[1], sizeof f[0]) == 0);
    CHECK(memcmp(&f[0], &f[2], sizeof f[0]) == 0);
    CHECK(memcmp(g[0], g[1], n_w * sizeof *g[0]) == 0);
    CHECK(memcmp(g[0], g[2], n_w * sizeof *g[0]) == 0);
    for (int k = 0; k < 3; k++) free(g[k]);
    free(w);
    corpus_free(&c);
}

/* ---- training ---- */

static void training_should_fit_a_separable_toy_problem(void) {
    const int L = 3, n_words = 9;
    corpus c;
    toy_corpus(&c, 40, n_words, 0, L);
    size_t n_feat = (size_t)(1 + n_words), n_w = crf_n_weights(n_feat, L);
    double *w = calloc(n_w, sizeof *w);
    crf_train_opts o;
    crf_train_opts_init(&o);
    o.c2 = 0.01;
    slant_error err;
    slant_error_clear(&err);
    CHECK_EQ_INT(crf_train(c.seqs, c.n, n_feat, L, &o, w, &err), SLANT_OK);
    CHECK(viterbi_accuracy(&c, n_feat, L, w) > 0.999);
    free(w);
    corpus_free(&c);
}

static void training_twice_and_with_2_threads_should_give_identical_weights(void) {
    const int L = 3, n_words = 12, n_noise = 30;
    corpus c;
    toy_corpus(&c, 60, n_words, n_noise, L);
    size_t n_feat = (size_t)(1 + n_words + n_noise), n_w = crf_n_weights(n_feat, L);
    double *w[3];
    crf_train_opts o;
    crf_train_opts_init(&o);
    o.c2 = 0.1;
    o.max_iter = 30;
    for (int k = 0; k < 3; k++) {
        w[k] = calloc(n_w, sizeof *w[k]);
        o.threads = k < 2 ? 1 : 2;
        CHECK_EQ_INT(crf_train(c.seqs, c.n, n_feat, L, &o, w[k], NULL), SLANT_OK);
    }
    CHECK(memcmp(w[0], w[1], n_w * sizeof *w[0]) == 0);
    CHECK(memcmp(w[0], w[2], n_w * sizeof *w[0]) == 0);
    for (int k = 0; k < 3; k++) free(w[k]);
    corpus_free(&c);
}

static void l1_training_should_produce_exact_zeros(void) {
    const int L = 3, n_words = 9, n_noise = 40;
    corpus c;
    toy_corpus(&c, 40, n_words, n_noise, L);
    size_t n_feat = (size_t)(1 + n_words + n_noise), n_w = crf_n_weights(n_feat, L);
    double *w = calloc(n_w, sizeof *w), *w2 = calloc(n_w, sizeof *w2);
    crf_train_opts o;
    crf_train_opts_init(&o);
    o.c1 = 1.0;
    o.c2 = 0.0;
    o.max_iter = 200;
    CHECK_EQ_INT(crf_train(c.seqs, c.n, n_feat, L, &o, w, NULL), SLANT_OK);
    o.c1 = 0.0;
    o.c2 = 0.1;
    CHECK_EQ_INT(crf_train(c.seqs, c.n, n_feat, L, &o, w2, NULL), SLANT_OK);
    size_t zeros = 0, zeros_l2 = 0;
    for (size_t k = 0; k < n_w; k++) {
        zeros += w[k] == 0.0;
        zeros_l2 += w2[k] == 0.0;
    }
    /* Most noise weights (n_noise x L of them) should be cut to zero. */
    CHECK(zeros >= (size_t)(n_noise * L) / 2);
    CHECK(zeros_l2 < zeros);
    CHECK(viterbi_accuracy(&c, n_feat, L, w) > 0.99);
    free(w); free(w2);
    corpus_free(&c);
}

static int stop_at_2(void *ctx, int iter, double loss, const double *w) {
    (void)w;
    int *calls = ctx;
    (*calls)++;
    return iter >= 2 || !isfinite(loss);
}

static void training_should_stop_when_progress_returns_nonzero(void) {
    const int L = 3, n_words = 9;
    corpus c;
    toy_corpus(&c, 20, n_words, 0, L);
    size_t n_feat = (size_t)(1 + n_words), n_w = crf_n_weights(n_feat, L);
    double *w = calloc(n_w, sizeof *w);
    int calls = 0;
    crf_train_opts o;
    crf_train_opts_init(&o);
    o.progress = stop_at_2;
    o.ctx = &calls;
    CHECK_EQ_INT(crf_train(c.seqs, c.n, n_feat, L, &o, w, NULL), SLANT_OK);
    CHECK_EQ_INT(calls, 2);
    free(w);
    corpus_free(&c);
}

static void training_should_reject_out_of_range_labels_and_features(void) {
    const uint32_t feat[] = {0, 1};
    const uint32_t offs[] = {0, 1, 2};
    int labels[] = {0, 3};
    crf_seq s = {2, feat, offs, labels, NULL, 0, 0, 0};
    double w[2 * 3 + 9 + 3] = {0};
    crf_train_opts o;
    crf_train_opts_init(&o);
    slant_error err;
    slant_error_clear(&err);
    CHECK_EQ_INT(crf_train(&s, 1, 2, 3, &o, w, &err), SLANT_EINVAL);
    CHECK_EQ_INT(err.status, SLANT_EINVAL);
    labels[1] = 2;
    CHECK_EQ_INT(crf_train(&s, 1, 1, 3, &o, w, NULL), SLANT_EINVAL);
    o.threads = 0;
    CHECK_EQ_INT(crf_train(&s, 1, 2, 3, &o, w, NULL), SLANT_EINVAL);
}

/* Gives c's sequences (19 tokens in all) random dense features of D
 * dimensions with a window of +-win after n_sparse sparse ids; returns the
 * values' buffer (free it after c). */
static float *add_random_dense(corpus *c, int n_sparse, int D, int win) {
    float *dense = malloc(19 * (size_t)D * sizeof *dense);
    size_t at = 0;
    for (size_t s = 0; s < c->n; s++) {
        crf_seq *q = &c->seqs[s];
        q->dense = dense + at;
        q->dense_dim = D; q->dense_win = win; q->dense_base = (uint32_t)n_sparse;
        for (int k = 0; k < q->T * D; k++) dense[at + (size_t)k] = (float)(rnd_int(5) == 0 ? 0.0 : rnd(-1.5, 1.5));
        at += (size_t)q->T * (size_t)D;
    }
    return dense;
}

/* Real-valued (dense) features with a window of +-1 (word vectors):
 * the gradient against central finite differences, and the same objective
 * and gradient for 1 and 3 threads; for L = 3 and 5 (kernels of their own)
 * and 4 (the general loops). */
static void dense_gradient_check(int L) {
    const int n_sparse = 7, D = 4, win = 1, lens[] = {1, 3, 5, 8, 2};
    const int n_feat = n_sparse + (2 * win + 1) * D;
    const double c2 = 0.3;
    corpus c;
    random_corpus(&c, lens, 5, n_sparse, 3, L);
    float *dense = add_random_dense(&c, n_sparse, D, win);
    size_t n_w = crf_n_weights((size_t)n_feat, L);
    double *w, *g, *g2;
    double f = objective_at_random_weights(&c, (size_t)n_feat, L, c2, &w, &g, &g2);
    double f3 = crf_objective(c.seqs, c.n, (size_t)n_feat, L, w, c2, g2, 3);
    CHECK(memcmp(&f, &f3, sizeof f) == 0);
    CHECK(memcmp(g, g2, n_w * sizeof *g) == 0);
    double worst = worst_fd_error(&c, (size_t)n_feat, L, w, g, c2, g2), gmax = 0.0;
    for (size_t k = (size_t)n_sparse * (size_t)L; k < (size_t)n_feat * (size_t)L; k++)
        if (fabs(g[k] - c2 * w[k]) > gmax) gmax = fabs(g[k] - c2 * w[k]);
    CHECK(worst < 1e-6);
    CHECK(gmax > 0.01);   /* the dense weights do get data gradient */
    if (worst >= 1e-6) fprintf(stderr, "  worst relative error %g (L = %d)\n", worst, L);
    free(w); free(g); free(g2); free(dense);
    corpus_free(&c);
}

static void dense_gradient_should_match_central_finite_differences(void) {
    for (int L = 3; L <= 5; L++) dense_gradient_check(L);
}

/* The 5-label kernel keeps the general loop's additions and their order,
 * so that training reproduces earlier models bit for bit. */
static void dense_emissions_for_5_labels_should_equal_the_general_sums_bit_for_bit(void) {
    const int L = 5, n_sparse = 7, D = 6, win = 2, lens[] = {1, 3, 5, 8, 2};
    corpus c;
    random_corpus(&c, lens, 5, n_sparse, 3, L);
    float *dense = add_random_dense(&c, n_sparse, D, win);
    size_t n_w = crf_n_weights((size_t)(n_sparse + (2 * win + 1) * D), L);
    double *w = malloc(n_w * sizeof *w);
    for (size_t k = 0; k < n_w; k++) w[k] = rnd(-1, 1);
    size_t same = 0, n = 0;
    for (size_t s = 0; s < c.n; s++) {
        const crf_seq *q = &c.seqs[s];
        double got[8 * 5], want[8 * 5];
        for (int k = 0; k < q->T * L; k++) got[k] = want[k] = rnd(-1, 1);   /* sparse sums before */
        crf_dense_emissions(q, L, w, got);
        for (long t = 0; t < q->T; t++)
            for (int o = -win; o <= win; o++) {
                long u = t + o;
                if (u < 0 || u >= q->T) continue;
                const float *v = q->dense + (size_t)u * (size_t)D;
                const double *wb = w + ((size_t)n_sparse + (size_t)(o + win) * (size_t)D) * (size_t)L;
                for (int j = 0; j < D; j++)
                    for (int y = 0; y < L; y++) want[t * L + y] += (double)v[j] * wb[j * L + y];
            }
        for (int k = 0; k < q->T * L; k++, n++) same += memcmp(&got[k], &want[k], sizeof got[k]) == 0;
    }
    CHECK_EQ_INT(same, n);
    CHECK(n == 19 * 5);
    free(w); free(dense);
    corpus_free(&c);
}

int main(void) {
    TEST(gradient_should_match_central_finite_differences);
    TEST(objective_should_be_bit_identical_for_1_2_and_3_threads);
    TEST(dense_gradient_should_match_central_finite_differences);
    TEST(dense_emissions_for_5_labels_should_equal_the_general_sums_bit_for_bit);
    TEST(training_should_fit_a_separable_toy_problem);
    TEST(training_twice_and_with_2_threads_should_give_identical_weights);
    TEST(l1_training_should_produce_exact_zeros);
    TEST(training_should_stop_when_progress_returns_nonzero);
    TEST(training_should_reject_out_of_range_labels_and_features);
    return test_summary("crf_train");
}
