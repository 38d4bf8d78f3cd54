/*
 * slant classify: names the technique of given spans (SemEval-2020 Task 11
 * TC). Reads spans (`id TAB ? TAB start TAB end` or `id TAB start TAB end`,
 * code points), the articles they point into (files or folders), and
 * prints `id TAB technique TAB start TAB end` for every input span, in
 * input order. A span given twice (one span, two techniques in the corpus)
 * gets its most likely technique, then its second most likely. --probs
 * appends the classifier's calibrated probability of each of the 14
 * techniques, in slant.h's order (the same for every copy of a span).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "corpus.h"
#include "labels.h"
#include "model.h"
#include "model_path.h"
#include "options.h"
#include "span_classifier.h"

typedef struct {
    const char *model, *spans;
    int replace, probs;
} classify_args;

#define OFF(f) offsetof(classify_args, f)
static const cli_option classify_options[] = {
    {"model", 'm', OPT_STRING, NULL, "model file (default: the bundled model)", OFF(model)},
    {"spans", 's', OPT_STRING, NULL, "spans to classify: id [TAB technique|?] TAB start TAB end ('-' reads stdin)", OFF(spans)},
    {"replace-invalid", 0, OPT_FLAG, NULL, "replace invalid UTF-8 by U+FFFD instead of failing", OFF(replace)},
    {"probs", 'p', OPT_FLAG, NULL, "append the probability of each of the 14 techniques after the 4 columns, in the order 'slant eval tc' lists them (alphabetical by corpus name)", OFF(probs)},
};
#define N_OPTS (sizeof classify_options / sizeof classify_options[0])
static const char *usage_text = "usage: slant classify [--model MODEL] [--probs] --spans FILE PATH...";

int cmd_classify(int argc, char **argv) {
    classify_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0, rc = EXIT_OK;
    int pr = opts_parse(classify_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "classify");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    if (!a.spans || n_pos == 0) { fprintf(stderr, "%s\n(see 'slant classify --help')\n", usage_text); return EXIT_INPUT; }

    corpus arts;
    lab_list spans;
    corpus_init(&arts);
    lab_list_init(&spans);
    slant_model *m = NULL;
    double *p = NULL;
    int *pred = NULL;
    slant_error err;
    slant_error_clear(&err);
    char path_buf[4096];
    const char *model_path = a.model ? a.model : cli_default_model(path_buf, sizeof path_buf);
    slant_status st = slant_model_load(model_path, &m, &err);
    if (st != SLANT_OK) { rc = cli_report("cannot load the model", st, &err); goto done; }
    if (!m->classifier) {
        fprintf(stderr, "slant classify: %s has no technique classifier: retrain it with TC labels "
                        "(id TAB technique TAB start TAB end)\n", model_path);
        rc = EXIT_INPUT;
        goto done;
    }
    if ((st = lab_read(a.spans, LAB_TC_ANY, &spans, &err)) != SLANT_OK) { rc = cli_report(NULL, st, &err); goto done; }
    for (int i = 1; i <= n_pos; i++)
        if ((st = corpus_load(&arts, argv[i], a.replace, &err)) != SLANT_OK) { rc = cli_report(NULL, st, &err); goto done; }
    if ((st = lab_check_bounds(&spans, corpus_length_of, &arts, a.spans, &err)) != SLANT_OK) {
        rc = cli_report(NULL, st, &err);
        goto done;
    }
    size_t N = spans.len;
    p = malloc((N ? N : 1) * SLANT_N_TECHNIQUES * sizeof *p);
    pred = malloc((N ? N : 1) * sizeof *pred);
    if (!p || !pred) { fprintf(stderr, "slant classify: out of memory\n"); rc = EXIT_INTERNAL; goto done; }
    st = span_classifier_score_list(m->classifier, m->resources.clusters, &arts, &spans, a.spans, 1, p, &err);
    if (st == SLANT_OK) st = span_classifier_assign(&spans, p, pred);
    if (st != SLANT_OK) { rc = cli_report(NULL, st, &err); goto done; }
    for (size_t i = 0; i < N; i++) {
        const lab_span *s = &spans.items[i];
        printf("%s\t%s\t%lu\t%lu", s->id, slant_technique_get(pred[i])->name,
               (unsigned long)s->start, (unsigned long)s->end);
        for (size_t k = 0; a.probs && k < SLANT_N_TECHNIQUES; k++)
            printf("\t%.6f", p[i * SLANT_N_TECHNIQUES + k]);
        putchar('\n');
    }
done:
    if (fflush(stdout) != 0) { fprintf(stderr, "slant classify: cannot write the output\n"); rc = EXIT_INPUT; }
    free(p);
    free(pred);
    slant_model_free(m);
    corpus_fini(&arts);
    lab_list_fini(&spans);
    return rc;
}
