/*
 * Shared pieces of the speed benchmarks (bench_analyze.c, bench_tokenize.c):
 * reading a folder of articles (or the first N of a news shard) into
 * memory, repeating them to a batch of N
 * documents, a monotonic clock, a pthread pool that hands out documents from
 * an atomic counter, and peak RSS.
 *
 * Documents are pointers into the articles read once, so a batch of N costs
 * the memory of the folder, not N copies: what is measured is the analysis,
 * not the page cache. Each result line is "key=value ..." for bench/run.sh.
 */
#ifndef SLANT_BENCH_COMMON_H
#define SLANT_BENCH_COMMON_H

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "news_reader.h"

typedef struct {
    char **text;      /* n_art article bytes, each NUL-terminated */
    size_t *len;      /* n_art byte lengths */
    size_t n_art;
    size_t n_docs;    /* documents in the batch: article i % n_art */
    size_t bytes;     /* total bytes of the batch */
} bench_docs;

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Peak resident set of this process, in KiB (Linux ru_maxrss unit). */
static inline long bench_maxrss_kb(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static inline int bench_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the first n_docs articles of a news shard (JSON Lines, gzip'd or
 * not: news_reader.h) into d: distinct documents, so that caches across
 * articles find what they would in a stream. Returns 0, or -1 with a
 * message on stderr. */
static inline int bench_docs_load_news(bench_docs *d, const char *path, size_t n_docs) {
    news_reader *r = NULL;
    slant_error err;
    if (news_open(path, NEWS_AUTO, &r, &err) != SLANT_OK) { fprintf(stderr, "bench: %s\n", err.message); return -1; }
    d->text = calloc(n_docs ? n_docs : 1, sizeof *d->text);
    d->len = calloc(n_docs ? n_docs : 1, sizeof *d->len);
    if (!d->text || !d->len) { news_close(r); return -1; }
    while (d->n_art < n_docs) {
        const char *text;
        size_t len;
        int got = 0;
        if (news_next(r, &text, &len, &got, &err) != SLANT_OK) { fprintf(stderr, "bench: %s\n", err.message); news_close(r); return -1; }
        if (!got) break;
        if (!(d->text[d->n_art] = malloc(len + 1))) { news_close(r); return -1; }
        memcpy(d->text[d->n_art], text, len + 1);
        d->len[d->n_art++] = len;
    }
    news_close(r);
    if (d->n_art == 0) { fprintf(stderr, "bench: no articles in %s\n", path); return -1; }
    d->n_docs = n_docs;
    for (size_t i = 0; i < n_docs; i++) d->bytes += d->len[i % d->n_art];
    return 0;
}

/* Reads every *.txt of dir (sorted by name), or a news shard when dir is a
 * file (bench_docs_load_news), and sets up a batch of n_docs. Returns 0, or
 * -1 with a message on stderr. */
static inline int bench_docs_load(bench_docs *d, const char *dir, size_t n_docs) {
    memset(d, 0, sizeof *d);
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISREG(st.st_mode)) return bench_docs_load_news(d, dir, n_docs);
    DIR *dp = opendir(dir);
    if (!dp) { fprintf(stderr, "bench: cannot open %s\n", dir); return -1; }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 128;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) { closedir(dp); return -1; }
            names = p;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    if (n == 0) { fprintf(stderr, "bench: no *.txt in %s\n", dir); free(names); return -1; }
    qsort(names, n, sizeof *names, bench_cmp_str);
    d->text = calloc(n, sizeof *d->text);
    d->len = calloc(n, sizeof *d->len);
    if (!d->text || !d->len) return -1;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) { fprintf(stderr, "bench: cannot read %s\n", path); return -1; }
        size_t cap_b = 1 << 16, len = 0;
        char *b = malloc(cap_b);
        size_t got;
        while (b && (got = fread(b + len, 1, cap_b - len - 1, f)) > 0) {
            len += got;
            if (cap_b - len - 1 == 0) { cap_b *= 2; char *nb = realloc(b, cap_b); if (!nb) { free(b); b = NULL; } else b = nb; }
        }
        fclose(f);
        if (!b) return -1;
        b[len] = '\0';
        d->text[i] = b;
        d->len[i] = len;
        free(names[i]);
    }
    free(names);
    d->n_art = n;
    d->n_docs = n_docs;
    for (size_t i = 0; i < n_docs; i++) d->bytes += d->len[i % n];
    return 0;
}

static inline void bench_docs_free(bench_docs *d) {
    for (size_t i = 0; i < d->n_art; i++) free(d->text[i]);
    free(d->text);
    free(d->len);
    memset(d, 0, sizeof *d);
}

/* ---- a pool of threads over the batch ---- */

#define BENCH_CHUNK 8   /* documents taken per atomic increment */

typedef struct bench_pool bench_pool;
/* Per-thread body: processes documents [first, last) of the batch; returns
 * a checksum (e.g. fragments found) so that the work cannot be dropped. */
typedef unsigned long (*bench_doc_fn)(void *thread_state, const bench_docs *d,
                                      size_t first, size_t last);

struct bench_pool {
    const bench_docs *docs;
    bench_doc_fn fn;
    void **state;             /* per-thread state, prepared by the caller */
    atomic_size_t next;
    atomic_ulong checksum;
};

typedef struct { bench_pool *pool; int id; } bench_thread_arg;

static inline void *bench_thread_main(void *arg) {
    bench_thread_arg *a = arg;
    bench_pool *p = a->pool;
    unsigned long sum = 0;
    for (;;) {
        size_t first = atomic_fetch_add(&p->next, BENCH_CHUNK);
        if (first >= p->docs->n_docs) break;
        size_t last = first + BENCH_CHUNK < p->docs->n_docs ? first + BENCH_CHUNK : p->docs->n_docs;
        sum += p->fn(p->state[a->id], p->docs, first, last);
    }
    atomic_fetch_add(&p->checksum, sum);
    return NULL;
}

/* Runs fn over the whole batch with n_threads threads (state[i] each);
 * returns the wall time in seconds and the summed checksum in *checksum. */
static inline double bench_run_pool(const bench_docs *d, int n_threads, bench_doc_fn fn,
                                    void **state, unsigned long *checksum) {
    bench_pool p;
    p.docs = d; p.fn = fn; p.state = state;
    atomic_init(&p.next, 0);
    atomic_init(&p.checksum, 0);
    pthread_t th[256];
    bench_thread_arg args[256];
    if (n_threads > 256) n_threads = 256;
    double t0 = bench_now();
    for (int i = 0; i < n_threads; i++) {
        args[i].pool = &p; args[i].id = i;
        if (n_threads == 1) break;
        pthread_create(&th[i], NULL, bench_thread_main, &args[i]);
    }
    if (n_threads == 1) bench_thread_main(&args[0]);
    else for (int i = 0; i < n_threads; i++) pthread_join(th[i], NULL);
    double t = bench_now() - t0;
    *checksum = atomic_load(&p.checksum);
    return t;
}

static inline int bench_n_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Prints one result line. */
static inline void bench_report(const char *mode, int threads, const bench_docs *d,
                                double seconds, unsigned long checksum) {
    printf("mode=%s threads=%d docs=%zu bytes=%zu seconds=%.6f docs_per_s=%.1f "
           "mb_per_s=%.3f maxrss_kb=%ld checksum=%lu\n",
           mode, threads, d->n_docs, d->bytes, seconds, (double)d->n_docs / seconds,
           (double)d->bytes / seconds / 1e6, bench_maxrss_kb(), checksum);
}

#endif
