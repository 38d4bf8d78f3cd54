/*
 * slant model info|check MODEL: prints what a model contains (its META
 * record: name, training options, corpus, dev scores; its tagger's labels,
 * features and decoding rule) or only validates it. Both go through the
 * same loader as analysis, so "check" passes exactly when analysis can load.
 */
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "commands.h"
#include "model.h"
#include "model_path.h"

static const char *usage_text =
    "usage: slant model info [MODEL]   show labels, features, training options and dev scores\n"
    "       slant model check [MODEL]  validate the file (exit 0 when it loads)\n"
    "MODEL defaults to the bundled model.";

int cmd_model(int argc, char **argv) {
    if (argc < 2 || cli_is_help(argv[1])) {
        printf("%s\n", usage_text);
        return argc < 2 ? EXIT_INPUT : EXIT_OK;
    }
    int info = strcmp(argv[1], "info") == 0;
    if (!info && strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "slant model: unknown subcommand '%s'\n%s\n", argv[1], usage_text);
        return EXIT_INPUT;
    }
    if (argc > 3) { fprintf(stderr, "%s\n", usage_text); return EXIT_INPUT; }
    if (argc == 3 && cli_is_help(argv[2])) { printf("%s\n", usage_text); return EXIT_OK; }
    char buf[4096];
    const char *path = argc == 3 ? argv[2] : cli_default_model(buf, sizeof buf);
    slant_model *m = NULL;
    slant_error err;
    slant_error_clear(&err);
    slant_status st = slant_model_load(path, &m, &err);
    if (st != SLANT_OK) return cli_report("invalid model", st, &err);
    if (!info) {
        printf("%s: ok (%s %s)\n", path, m->name, m->version);
        slant_model_free(m);
        return EXIT_OK;
    }
    const tagger_model *t = &m->tagger;
    printf("file:        %s\n", path);
    printf("name:        %s\n", m->name);
    printf("version:     %s\n", m->version);
    /* Label 0 is O in every scheme; META's tagger.labels names the others. */
    printf("tagger:      %d labels%s, %zu features, feature set v%u\n", t->L,
           t->L == 3 ? " (O B I)" : t->L == 2 ? " (O I)" : " (O first)", t->n_feat, t->feat_version);
    if (t->n_groups >= 2) {
        /* Which techniques each group of B/I labels learnt, e.g.
         * "2: LOAD NAME REPT SLOG | AUTH FEAR ...". */
        printf("groups:      %d:", t->n_groups);
        for (int g = 0; g < t->n_groups; g++) {
            printf("%s", g ? " |" : "");
            for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
                if (t->group_techniques[g] >> k & 1u) printf(" %s", slant_technique_get(k)->short_name);
        }
        printf("; fragments are decoded per group\n");
    }
    printf("decoding:    threshold %.3f, extend down to %.3f, gap %u, min length %u tokens\n",
           t->decoding.threshold, t->decoding.low, t->decoding.gap, t->decoding.min_len);
    printf("sentences:   %s\n", t->has_sentence ? "stacked sentence scorer" : "none");
    printf("classifier:  %s", m->classifier ? "technique classifier (14 classes)" : "none");
    uint32_t reported = slant_model_reported_techniques(m);
    if (m->classifier && reported != SLANT_ALL_TECHNIQUES) {
        /* analyze leaves these fragments out unless --techniques names them */
        printf("; fragments not reported:");
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
            if (!(reported >> k & 1u)) printf(" %s", slant_technique_get(k)->short_name);
    }
    printf("\n");
    printf("clusters:    %zu words\n", m->clusters.n);
    cJSON *j = cJSON_Parse(m->meta_json);
    char *pretty = j ? cJSON_Print(j) : NULL;
    printf("metadata:    %s\n", pretty ? pretty : m->meta_json);
    cJSON_free(pretty);
    cJSON_Delete(j);
    slant_model_free(m);
    return EXIT_OK;
}
