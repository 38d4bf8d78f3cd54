/*
 * End-to-end speed of the library: slant_model_load and analyze_text
 * (spans and techniques) over a batch of articles, one analyze_work per
 * thread, all threads sharing one read-only model.
 *
 *   bench_analyze analyze MODEL ARTICLES_DIR N_DOCS THREADS
 *       one timed pass over N_DOCS documents (the folder's articles
 *       repeated); prints a result line (bench_common.h)
 *   bench_analyze load MODEL REPS
 *       loads the model REPS times; prints the median and min in ms
 *
 * bench/run.sh runs these as separate processes, interleaved, so that each
 * line's peak RSS is that mode's alone and noise is shared between modes.
 */
#include "bench_common.h"
#include "analyze.h"

static unsigned long analyze_docs(void *state, const bench_docs *d, size_t first, size_t last) {
    const void **st = state;
    const slant_model *m = st[0];
    analyze_work *w = (analyze_work *)st[1];
    unsigned long frags = 0;
    for (size_t i = first; i < last; i++) {
        size_t a = i % d->n_art;
        slant_result *r = NULL;
        slant_error err;
        if (analyze_text(m, w, d->text[a], d->len[a], NULL, &r, &err) != SLANT_OK) {
            fprintf(stderr, "bench_analyze: document %zu: %s\n", i, err.message);
            exit(2);
        }
        frags += r->n_fragments;
        slant_result_free(r);
    }
    return frags;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int run_load(const char *model, int reps) {
    double t[1000];
    if (reps < 1) reps = 1;
    if (reps > 1000) reps = 1000;
    for (int i = 0; i < reps; i++) {
        slant_model *m = NULL;
        slant_error err;
        double t0 = bench_now();
        slant_status st = slant_model_load(model, &m, &err);
        t[i] = (bench_now() - t0) * 1e3;
        if (st != SLANT_OK) { fprintf(stderr, "bench_analyze: %s\n", err.message); return 2; }
        slant_model_free(m);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    printf("mode=load reps=%d median_ms=%.3f min_ms=%.3f maxrss_kb=%ld\n",
           reps, t[reps / 2], t[0], bench_maxrss_kb());
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "load") == 0) return run_load(argv[2], atoi(argv[3]));
    if (argc != 6 || strcmp(argv[1], "analyze") != 0) {
        fprintf(stderr, "usage: bench_analyze analyze MODEL ARTICLES_DIR N_DOCS THREADS\n"
                        "       bench_analyze load MODEL REPS\n");
        return 1;
    }
    int threads = atoi(argv[5]);
    if (threads < 1) threads = bench_n_cpus();
    if (threads > 256) threads = 256;
    bench_docs d;
    if (bench_docs_load(&d, argv[3], (size_t)strtoul(argv[4], NULL, 10)) != 0) return 2;
    slant_model *m = NULL;
    slant_error err;
    if (slant_model_load(argv[2], &m, &err) != SLANT_OK) {
        fprintf(stderr, "bench_analyze: %s\n", err.message);
        return 2;
    }
    analyze_work *w = calloc((size_t)threads, sizeof *w);
    const void *(*st)[2] = calloc((size_t)threads, sizeof *st);
    void *state[256];
    if (!w || !st) return 2;
    for (int i = 0; i < threads; i++) {
        if (analyze_work_init(&w[i]) != SLANT_OK) return 2;
        st[i][0] = m; st[i][1] = &w[i];
        state[i] = (void *)st[i];
    }
    unsigned long sum;
    double secs = bench_run_pool(&d, threads, analyze_docs, state, &sum);
    bench_report("analyze", threads, &d, secs, sum);
    for (int i = 0; i < threads; i++) analyze_work_fini(&w[i]);
    free(w); free(st);
    slant_model_free(m);
    bench_docs_free(&d);
    return 0;
}
