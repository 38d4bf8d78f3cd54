/*
 * The floors the analysis is measured against, over the same batch as
 * bench_analyze:
 *
 *   bench_tokenize split ARTICLES_DIR N_DOCS THREADS
 *       the plain baseline: walk the bytes and split at ASCII whitespace,
 *       writing each token's [start,end) (what any tool must at least do)
 *   bench_tokenize tokenize ARTICLES_DIR N_DOCS THREADS
 *       slant's own first stages alone: text_load (UTF-8 validation,
 *       code point offsets) and tok_tokenize (tokens and sentences)
 *
 * The result line's checksum is the number of tokens.
 */
#include "bench_common.h"
#include "text.h"
#include "tokenize.h"

typedef struct { uint32_t start, end; } split_token;
typedef struct { split_token *tok; size_t cap; } split_state;

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static unsigned long split_docs(void *state, const bench_docs *d, size_t first, size_t last) {
    split_state *s = state;
    unsigned long n_tok = 0;
    for (size_t i = first; i < last; i++) {
        const unsigned char *p = (const unsigned char *)d->text[i % d->n_art];
        size_t len = d->len[i % d->n_art], n = 0, k = 0;
        if (len / 2 + 1 > s->cap) {
            s->cap = len / 2 + 1;
            s->tok = realloc(s->tok, s->cap * sizeof *s->tok);
            if (!s->tok) exit(2);
        }
        while (k < len) {
            while (k < len && is_space(p[k])) k++;
            if (k == len) break;
            size_t b = k;
            while (k < len && !is_space(p[k])) k++;
            s->tok[n].start = (uint32_t)b;
            s->tok[n].end = (uint32_t)k;
            n++;
        }
        n_tok += n;
    }
    return n_tok;
}

typedef struct { text_buf text; tok_doc doc; } tok_state;

static unsigned long tokenize_docs(void *state, const bench_docs *d, size_t first, size_t last) {
    tok_state *s = state;
    unsigned long n_tok = 0;
    for (size_t i = first; i < last; i++) {
        size_t a = i % d->n_art;
        if (text_load(&s->text, d->text[a], d->len[a], 0, NULL) != SLANT_OK ||
            tok_tokenize(s->text.data, s->text.len, &s->doc) != SLANT_OK) {
            fprintf(stderr, "bench_tokenize: document %zu failed\n", i);
            exit(2);
        }
        n_tok += s->doc.n_tokens;
    }
    return n_tok;
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[1], "split") != 0 && strcmp(argv[1], "tokenize") != 0)) {
        fprintf(stderr, "usage: bench_tokenize split|tokenize ARTICLES_DIR N_DOCS THREADS\n");
        return 1;
    }
    int split = strcmp(argv[1], "split") == 0;
    int threads = atoi(argv[4]);
    if (threads < 1) threads = bench_n_cpus();
    if (threads > 256) threads = 256;
    bench_docs d;
    if (bench_docs_load(&d, argv[2], (size_t)strtoul(argv[3], NULL, 10)) != 0) return 2;
    split_state *ss = calloc((size_t)threads, sizeof *ss);
    tok_state *ts = calloc((size_t)threads, sizeof *ts);
    void *state[256];
    if (!ss || !ts) return 2;
    for (int i = 0; i < threads; i++) {
        text_init(&ts[i].text);
        tok_doc_init(&ts[i].doc);
        state[i] = split ? (void *)&ss[i] : (void *)&ts[i];
    }
    unsigned long sum;
    double secs = bench_run_pool(&d, threads, split ? split_docs : tokenize_docs, state, &sum);
    bench_report(argv[1], threads, &d, secs, sum);
    for (int i = 0; i < threads; i++) {
        free(ss[i].tok);
        text_fini(&ts[i].text);
        tok_doc_fini(&ts[i].doc);
    }
    free(ss); free(ts);
    bench_docs_free(&d);
    return 0;
}
