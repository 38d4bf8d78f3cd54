/*
 * slant learn clusters: word clusters from unlabelled text (issue 9).
 * Reads news shards (JSON Lines or plain text, gzip'd or not; folders give
 * their *.jsonl, *.jsonl.gz, *.txt files in name order), tokenizes and
 * lower-cases as the tagger does, trains skip-gram vectors (embed.h), splits
 * the most frequent words with hierarchical 2-means (wordclust.h) and
 * writes the clusters file that `slant train --clusters` reads.
 * Never overwrites a file without --force.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "options.h"
#include "embed.h"
#include "news_reader.h"
#include "wordclust.h"

typedef struct {
    const char *output, *vectors;
    int threads, seed, dim, epochs, min_count, max_words, extra_words, depth;
    int window, negative, iterations, restarts, force, quiet;
    double alpha, sample;
} learn_args;

#define OFF(f) offsetof(learn_args, f)
static const cli_option learn_options[] = {
    {"output", 'o', OPT_STRING, NULL, "clusters file to write (TSV: hash bits depth word count)", OFF(output)},
    {"vectors", 0, OPT_STRING, NULL, "also write the word vectors (word2vec text format) to this file", OFF(vectors)},
    {"threads", 'j', OPT_INT, "2", "training threads (the result depends on the number, not on timing)", OFF(threads)},
    {"seed", 0, OPT_INT, "1", "random seed: the same seed, input and threads give the same file", OFF(seed)},
    {"dim", 0, OPT_INT, "100", "word vector size", OFF(dim)},
    {"epochs", 0, OPT_INT, "3", "passes over the text", OFF(epochs)},
    {"min-count", 0, OPT_INT, "5", "ignore words seen fewer times", OFF(min_count)},
    {"max-words", 0, OPT_INT, "100000", "fit the cluster tree on this many most frequent words", OFF(max_words)},
    {"extra-words", 0, OPT_INT, "-1", "rarer words placed by descending the tree (-1: all, 0: none)", OFF(extra_words)},
    {"depth", 0, OPT_INT, "16", "most bits in a cluster path (1..32)", OFF(depth)},
    {"window", 0, OPT_INT, "5", "context words on each side", OFF(window)},
    {"negative", 0, OPT_INT, "5", "negative samples per context word", OFF(negative)},
    {"alpha", 0, OPT_DOUBLE, "0.025", "initial learning rate", OFF(alpha)},
    {"sample", 0, OPT_DOUBLE, "1e-4", "subsampling threshold for frequent words (0: off)", OFF(sample)},
    {"iterations", 0, OPT_INT, "20", "k-means iterations per split", OFF(iterations)},
    {"restarts", 0, OPT_INT, "2", "k-means starts per split, the best kept", OFF(restarts)},
    {"force", 'f', OPT_FLAG, NULL, "overwrite the output file if it exists", OFF(force)},
    {"quiet", 'q', OPT_FLAG, NULL, "no progress output", OFF(quiet)},
};
#define N_OPTS (sizeof learn_options / sizeof learn_options[0])

static const char *usage_text =
    "usage: slant learn clusters [options] -o FILE INPUT...\n"
    "  INPUT: news shards (JSON Lines with \"title\" and \"text\", or plain text one\n"
    "  article a line; gzip'd or not) or folders of them";

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- inputs ---- */

typedef struct { char **items; size_t len, cap; } str_list;

static int list_push(str_list *l, const char *s) {
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **n = realloc(l->items, cap * sizeof *n);
        if (!n) return 0;
        l->items = n; l->cap = cap;
    }
    if (!(l->items[l->len] = strdup(s))) return 0;
    l->len++;
    return 1;
}

static void list_free(str_list *l) {
    for (size_t i = 0; i < l->len; i++) free(l->items[i]);
    free(l->items);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Adds path, or a folder's shard files sorted by name. */
static int add_input(str_list *l, const char *path) {
    struct stat sb;
    if (strcmp(path, "-") == 0) return list_push(l, path) ? EXIT_OK : EXIT_INTERNAL;
    if (stat(path, &sb) != 0) { fprintf(stderr, "slant learn: %s: no such file or folder\n", path); return EXIT_INPUT; }
    if (!S_ISDIR(sb.st_mode)) return list_push(l, path) ? EXIT_OK : EXIT_INTERNAL;
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "slant learn: %s: cannot open the folder\n", path); return EXIT_INPUT; }
    size_t first = l->len;
    struct dirent *e;
    int rc = EXIT_OK;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.' || !(ends_with(n, ".jsonl") || ends_with(n, ".jsonl.gz") ||
                             ends_with(n, ".txt") || ends_with(n, ".txt.gz"))) continue;
        size_t len = strlen(path) + strlen(n) + 2;
        char *full = malloc(len);
        if (!full) { rc = EXIT_INTERNAL; break; }
        snprintf(full, len, "%s/%s", path, n);
        int ok = list_push(l, full);
        free(full);
        if (!ok) { rc = EXIT_INTERNAL; break; }
    }
    closedir(d);
    if (rc == EXIT_OK && l->len == first) { fprintf(stderr, "slant learn: %s: no .jsonl, .jsonl.gz or .txt files\n", path); return EXIT_INPUT; }
    qsort(l->items + first, l->len - first, sizeof *l->items, cmp_str);
    return rc;
}

/* ---- progress ---- */

typedef struct { int tty, quiet; double t0; int last_pct; } progress;

static void on_train(void *ctx, uint64_t done, uint64_t total, double alpha) {
    progress *p = ctx;
    if (p->quiet) return;
    int pct = (int)(100.0 * (double)done / (double)total);
    double el = now_s() - p->t0, eta = done ? el * (double)(total - done) / (double)done : 0;
    if (p->tty)
        fprintf(stderr, "\r\033[Ktraining vectors %3d%%  alpha %.5f  %.1fM positions/s  %.0f s left",
                pct, alpha, (double)done / el / 1e6, eta);
    else if (pct / 10 != p->last_pct / 10)
        fprintf(stderr, "training vectors %3d%%  alpha %.5f  %.0f s\n", pct, alpha, el);
    p->last_pct = pct;
    fflush(stderr);
}

/* Reads every input into c. */
static int read_inputs(const str_list *in, emb_corpus *c, progress *pg) {
    slant_error err;
    slant_error_clear(&err);
    for (size_t i = 0; i < in->len; i++) {
        news_reader *r = NULL;
        slant_status st = news_open(in->items[i], NEWS_AUTO, &r, &err);
        if (st != SLANT_OK) return cli_report("reading news", st, &err);
        for (;;) {
            const char *text;
            size_t len;
            int got;
            if ((st = news_next(r, &text, &len, &got, &err)) != SLANT_OK || !got) break;
            if ((st = emb_corpus_add_text(c, text, len)) != SLANT_OK) {
                err.line = news_line(r);
                snprintf(err.file, sizeof err.file, "%s", in->items[i]);
                snprintf(err.message, sizeof err.message, "tokenizing: %s", slant_strerror(st));
                break;
            }
            if (pg->tty && !pg->quiet && c->n_articles % 1000 == 0) {
                fprintf(stderr, "\r\033[Kreading %s: %llu articles, %.1fM tokens", in->items[i],
                        (unsigned long long)c->n_articles, (double)c->n_tokens / 1e6);
                fflush(stderr);
            }
        }
        news_close(r);
        if (st != SLANT_OK) return cli_report("reading news", st, &err);
    }
    if (pg->tty && !pg->quiet) fputs("\r\033[K", stderr);
    return EXIT_OK;
}

/* word2vec's text format: "V D", then one "word x1 .. xD" line a word. */
static int write_vectors(const char *path, const emb_corpus *c, const float *v, size_t D) {
    FILE *f = fopen(path, "w");
    if (!f) { fprintf(stderr, "slant learn clusters: cannot write %s\n", path); return EXIT_INPUT; }
    fprintf(f, "%zu %zu\n", c->V, D);
    for (size_t i = 0; i < c->V; i++) {
        fputs(emb_corpus_word(c, i), f);
        for (size_t k = 0; k < D; k++) fprintf(f, " %.6g", (double)v[i * D + k]);
        fputc('\n', f);
    }
    if (fclose(f) != 0) { fprintf(stderr, "slant learn clusters: error writing %s\n", path); return EXIT_INPUT; }
    return EXIT_OK;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Distinct paths among the first n words (0 when out of memory); *max_depth. */
static size_t count_leaves(const uint32_t *bits, const uint8_t *depth, size_t n, size_t *max_depth) {
    size_t leaves = 0;
    *max_depth = 0;
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) return 0;
    for (size_t i = 0; i < n; i++) {
        keys[i] = (uint64_t)bits[i] << 8 | depth[i];
        if (depth[i] > *max_depth) *max_depth = depth[i];
    }
    qsort(keys, n, sizeof *keys, cmp_u64);
    for (size_t i = 0; i < n; i++) leaves += i == 0 || keys[i] != keys[i - 1];
    free(keys);
    return leaves;
}

static int learn_clusters(int argc, char **argv) {
    learn_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0, rc = EXIT_OK;
    int pr = opts_parse(learn_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "learn clusters");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    if (n_pos < 1 || !a.output) {
        fprintf(stderr, "%s\n(see 'slant learn clusters --help')\n", usage_text);
        return EXIT_INPUT;
    }
    if (a.threads < 1 || a.threads > 64 || a.dim < 1 || a.dim > 4096 || a.epochs < 1 || a.min_count < 1 ||
        a.max_words < 1 || a.extra_words < -1 || a.depth < 1 || a.depth > WC_MAX_DEPTH || a.window < 1 ||
        a.negative < 0 || !(a.alpha > 0) || a.sample < 0 || a.iterations < 1 || a.restarts < 1 || a.seed < 0) {
        fprintf(stderr, "slant learn clusters: an option is out of range (see 'slant learn clusters --help')\n");
        return EXIT_INPUT;
    }
    if (!a.force && access(a.output, F_OK) == 0) {
        fprintf(stderr, "slant learn clusters: %s exists; use --force to overwrite it\n", a.output);
        return EXIT_INPUT;
    }

    str_list in = {0};
    emb_corpus c;
    emb_corpus_init(&c);
    float *vecs = NULL;
    uint32_t *bits = NULL;
    uint8_t *depth = NULL;
    const char **words = NULL;
    slant_error err;
    slant_error_clear(&err);
    slant_status st;
    progress pg = {isatty(2), a.quiet, 0, -1};

    for (int i = 1; i <= n_pos; i++)
        if ((rc = add_input(&in, argv[i])) != EXIT_OK) goto done;
    double t0 = now_s();
    if ((rc = read_inputs(&in, &c, &pg)) != EXIT_OK) goto done;
    uint64_t n_read = c.n_tokens, v_all = c.V;
    if ((st = emb_corpus_finish(&c, (uint64_t)a.min_count, &err)) != SLANT_OK) { rc = cli_report("vocabulary", st, &err); goto done; }
    double t1 = now_s();
    if (!a.quiet)
        fprintf(stderr, "read %llu articles, %llu tokens, %llu distinct; %zu words seen %d+ times (%.1f s)\n",
                (unsigned long long)c.n_articles, (unsigned long long)n_read, (unsigned long long)v_all,
                c.V, a.min_count, t1 - t0);

    emb_opts eo;
    emb_opts_init(&eo);
    eo.dim = a.dim; eo.window = a.window; eo.negative = a.negative; eo.epochs = a.epochs;
    eo.threads = a.threads; eo.alpha = a.alpha; eo.sample = a.sample; eo.seed = (uint64_t)a.seed;
    eo.progress = on_train; eo.progress_ctx = &pg;
    pg.t0 = now_s();
    st = emb_train(&c, &eo, &vecs, &err);
    if (!a.quiet && pg.tty) fputs("\r\033[K", stderr);
    if (st != SLANT_OK) { rc = cli_report("training vectors", st, &err); goto done; }
    double t2 = now_s();
    if (!a.quiet) fprintf(stderr, "trained %zu x %d vectors, %d epochs, %d threads (%.1f s)\n", c.V, a.dim, a.epochs, a.threads, t2 - t1);

    if (a.vectors && (rc = write_vectors(a.vectors, &c, vecs, (size_t)a.dim)) != EXIT_OK) goto done;

    size_t n_fit = (size_t)a.max_words < c.V ? (size_t)a.max_words : c.V;
    size_t n_out = a.extra_words < 0 || n_fit + (size_t)a.extra_words > c.V ? c.V : n_fit + (size_t)a.extra_words;
    wc_opts wo;
    wc_opts_init(&wo);
    wo.max_depth = a.depth; wo.iterations = a.iterations; wo.restarts = a.restarts; wo.seed = (uint64_t)a.seed;
    if (!(bits = malloc(n_out * sizeof *bits)) || !(depth = malloc(n_out)) || !(words = malloc(n_out * sizeof *words))) {
        rc = cli_report("clustering", SLANT_ENOMEM, NULL); goto done;
    }
    if (!a.quiet && pg.tty) { fprintf(stderr, "clustering %zu words...", n_fit); fflush(stderr); }
    if ((st = wc_cluster(vecs, n_out, (size_t)a.dim, n_fit, &wo, bits, depth, &err)) != SLANT_OK) {
        if (!a.quiet && pg.tty) fputs("\r\033[K", stderr);
        rc = cli_report("clustering", st, &err); goto done;
    }
    if (!a.quiet && pg.tty) fputs("\r\033[K", stderr);
    double t3 = now_s();
    for (size_t i = 0; i < n_out; i++) words[i] = emb_corpus_word(&c, i);
    /* How the clusters were made, for the metadata of the models trained
     * with them: everything the result depends on. */
    char made_by[512];
    int o = snprintf(made_by, sizeof made_by,
                     "slant %s learn clusters --seed %d -j %d --dim %d --window %d --negative %d "
                     "--epochs %d --min-count %d --depth %d --iterations %d --restarts %d; %llu articles, "
                     "%llu tokens, %zu words; from", SLANT_VERSION_STRING, a.seed, a.threads, a.dim, a.window,
                     a.negative, a.epochs, a.min_count, a.depth, a.iterations, a.restarts,
                     (unsigned long long)c.n_articles, (unsigned long long)n_read, c.V);
    for (int i = 1; i <= n_pos && o > 0 && (size_t)o < sizeof made_by; i++)
        o += snprintf(made_by + o, sizeof made_by - (size_t)o, " %s", argv[i]);
    if ((st = wc_write(a.output, n_out, c.hash, bits, depth, words, c.count, made_by, &err)) != SLANT_OK) {
        rc = cli_report("writing clusters", st, &err); goto done;
    }
    if (!a.quiet) {
        size_t max_d = 0, leaves = count_leaves(bits, depth, n_fit, &max_d);
        fprintf(stderr, "clustered %zu words into %zu leaves, depth up to %zu; %zu more placed (%.1f s)\n",
                n_fit, leaves, max_d, n_out - n_fit, t3 - t2);
        fprintf(stderr, "wrote %s (%zu words) in %.1f s\n", a.output, n_out, now_s() - t0);
    }
    rc = EXIT_OK;
done:
    list_free(&in);
    emb_corpus_fini(&c);
    free(vecs); free(bits); free(depth); free(words);
    return rc;
}

static void learn_usage(FILE *f) {
    fprintf(f, "usage: slant learn <what> [options]\n\n  clusters   word clusters (bit-string paths) from unlabelled news\n\n"
               "'slant learn clusters --help' lists its options.\n");
}

int cmd_learn(int argc, char **argv) {
    if (argc < 2) { learn_usage(stderr); return EXIT_INPUT; }
    if (cli_is_help(argv[1])) { learn_usage(stdout); return EXIT_OK; }
    if (strcmp(argv[1], "clusters") == 0) return learn_clusters(argc - 1, argv + 1);
    fprintf(stderr, "slant learn: unknown resource '%s'\n", argv[1]);
    learn_usage(stderr);
    return EXIT_INPUT;
}
