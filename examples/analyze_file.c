/*
 * Embedding slant in a C program: load a model once, analyse texts with
 * it, read the fragments, free what the library returned. Prints one line
 * per fragment of FILE, as `slant analyze --format flc` does (code point
 * offsets, then the confidence and the fragment's text), and the article
 * score.
 *
 * Against an installed slant (`make install`; the shared library, so
 * PREFIX/lib must be on the loader's path, or LD_LIBRARY_PATH):
 *   cc -std=c11 examples/analyze_file.c $(pkg-config --cflags --libs slant) -o analyze_file
 * In this tree: make build/examples/analyze_file
 *   usage: analyze_file MODEL FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include "slant.h"

/* The whole of path, its length in *len (slant takes a length, not a NUL). */
static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf && (n += fread(buf + n, 1, cap - n, f)) == cap) {
        char *more = realloc(buf, cap *= 2);
        if (!more) free(buf);
        buf = more;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) { free(buf); return NULL; }
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: analyze_file MODEL FILE\n"); return 1; }
    slant_error err;
    slant_model *model = NULL;
    /* A model is read-only once loaded: threads may share it. */
    if (slant_model_load(argv[1], &model, &err) != SLANT_OK) {
        fprintf(stderr, "analyze_file: %s: %s\n", argv[1], err.message);
        return 1;
    }
    size_t len = 0;
    char *text = read_all(argv[2], &len);
    if (!text) {
        fprintf(stderr, "analyze_file: cannot read %s\n", argv[2]);
        slant_model_free(model);
        return 1;
    }
    slant_options opt;
    slant_options_init(&opt);          /* the model's threshold and techniques */
    slant_result *r = NULL;
    if (slant_analyze(model, text, len, &opt, &r, &err) != SLANT_OK) {
        /* err names the byte offset of, say, invalid UTF-8 */
        fprintf(stderr, "analyze_file: %s: %s\n", argv[2], err.message);
        free(text);
        slant_model_free(model);
        return 1;
    }
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        const slant_technique *t = slant_technique_get(f->technique);   /* NULL: no classifier */
        printf("%s\t%zu\t%zu\t%.3f\t%.*s\n", t ? t->name : "?", f->cp_start, f->cp_end, f->confidence,
               (int)(f->end - f->start), text + f->start);   /* byte offsets index the text */
    }
    printf("article score %.3f, %zu fragments in %zu spans, %zu sentences\n", r->score, r->n_fragments,
           r->n_spans, r->n_sentences);
    slant_result_free(r);
    free(text);
    slant_model_free(model);
    return 0;
}
