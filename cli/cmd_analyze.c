/*
 * slant analyze: runs the model over files, folders (*.txt, recursively)
 * or stdin ("-") and prints the fragments found: as SemEval SI lines
 * (id, start, end), FLC lines (id, technique, start, end) or, by default,
 * a readable listing. One bad input is reported and skipped; the exit code
 * is 1 if any input failed.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyze.h"
#include "commands.h"
#include "corpus.h"
#include "model_path.h"
#include "options.h"

typedef struct {
    const char *model, *format;
    double threshold;
    int replace;
} analyze_args;

#define OFF(f) offsetof(analyze_args, f)
static const cli_option analyze_options[] = {
    {"model", 'm', OPT_STRING, NULL, "model file (default: the bundled model)", OFF(model)},
    {"format", 'F', OPT_STRING, "text", "output: text, si or flc", OFF(format)},
    {"threshold", 't', OPT_DOUBLE, "-1", "span threshold in [0,1]; lower finds more (default: the model's tuned value)", OFF(threshold)},
    {"replace-invalid", 0, OPT_FLAG, NULL, "replace invalid UTF-8 by U+FFFD instead of failing", OFF(replace)},
};
#define N_OPTS (sizeof analyze_options / sizeof analyze_options[0])
static const char *usage_text = "usage: slant analyze [--model MODEL] [--format text|si|flc] PATH... ('-' reads stdin)";

enum { FMT_TEXT, FMT_SI, FMT_FLC };

static void print_text(const char *id, const text_buf *t, const slant_result *r) {
    printf("%s: %zu fragment%s, score %.3f\n", id, r->n_fragments, r->n_fragments == 1 ? "" : "s", r->score);
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        const slant_technique *tq = slant_technique_get(f->technique);
        printf("  [%zu,%zu) %-28s %.2f  \"%.*s\"\n", f->cp_start, f->cp_end,
               tq ? tq->display : "propaganda", f->confidence, (int)(f->end - f->start), t->data + f->start);
    }
}

int cmd_analyze(int argc, char **argv) {
    analyze_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0;
    int pr = opts_parse(analyze_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "analyze");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    int fmt;
    if (strcmp(a.format, "text") == 0) fmt = FMT_TEXT;
    else if (strcmp(a.format, "si") == 0) fmt = FMT_SI;
    else if (strcmp(a.format, "flc") == 0) fmt = FMT_FLC;
    else { fprintf(stderr, "slant analyze: unknown format '%s' (text, si, flc)\n", a.format); return EXIT_INPUT; }
    if (a.threshold > 1.0) { fprintf(stderr, "slant analyze: --threshold must be in [0,1]\n"); return EXIT_INPUT; }
    if (n_pos == 0) { fprintf(stderr, "%s\n", usage_text); return EXIT_INPUT; }

    char path_buf[4096];
    const char *model_path = a.model ? a.model : cli_default_model(path_buf, sizeof path_buf);
    slant_model *m = NULL;
    slant_error err;
    slant_error_clear(&err);
    slant_status st = slant_model_load(model_path, &m, &err);
    if (st != SLANT_OK) return cli_report("cannot load the model", st, &err);

    corpus_paths paths;
    corpus_paths_init(&paths);
    int rc = EXIT_OK;
    for (int i = 1; i <= n_pos; i++) {
        slant_error_clear(&err);
        if ((st = corpus_paths_add(&paths, argv[i], &err)) != SLANT_OK) rc = cli_report(NULL, st, &err);
    }
    analyze_work w;
    if (analyze_work_init(&w) != SLANT_OK) { rc = EXIT_INTERNAL; goto done; }
    slant_options opt;
    slant_options_init(&opt);
    opt.threshold = a.threshold;
    opt.replace_invalid_utf8 = a.replace;
    for (size_t i = 0; i < paths.len; i++) {
        const char *p = paths.paths[i];
        char id[LAB_ID_MAX];
        corpus_id_from_path(p, id);
        slant_error_clear(&err);
        slant_result *r = NULL;
        st = text_read_file(&w.text, p, a.replace, &err);
        if (st == SLANT_OK) st = analyze_loaded(m, &w, &w.text, &opt, &r, &err);
        if (st != SLANT_OK) {
            if (!err.file[0]) snprintf(err.file, sizeof err.file, "%s", p);
            int e = cli_report(NULL, st, &err);
            if (e > rc) rc = e;
            continue;
        }
        for (size_t k = 0; k < r->n_fragments && fmt != FMT_TEXT; k++) {
            const slant_fragment *f = &r->fragments[k];
            if (fmt == FMT_SI) printf("%s\t%zu\t%zu\n", id, f->cp_start, f->cp_end);
            else {
                const slant_technique *tq = slant_technique_get(f->technique);
                printf("%s\t%s\t%zu\t%zu\n", id, tq ? tq->name : "?", f->cp_start, f->cp_end);
            }
        }
        if (fmt == FMT_TEXT) print_text(id, &w.text, r);
        slant_result_free(r);
    }
    analyze_work_fini(&w);
done:
    corpus_paths_fini(&paths);
    slant_model_free(m);
    if (fflush(stdout) != 0) { fprintf(stderr, "slant analyze: cannot write the output\n"); rc = EXIT_INPUT; }
    return rc;
}
