/*
 * slant eval si|flc|tc PRED GOLD [--json] [--articles PATH]: scores
 * predictions with the official SemEval-2020 Task 11 measures (metrics.c).
 * PRED and GOLD are combined label files ("-" for stdin) or folders of
 * per-article *.labels files. Does no scoring or parsing itself: it reads,
 * validates, calls metrics.c and prints, as text or one cJSON object.
 *
 * si takes SI (3-column) or TC (4-column) files and ignores techniques; flc
 * and tc take TC files (for flc the gold is TC.labels). With --articles the
 * spans of both sides are also checked against the articles' lengths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "commands.h"
#include "corpus.h"
#include "labels.h"
#include "metrics.h"

typedef enum { TASK_SI, TASK_FLC, TASK_TC } eval_task;

static const char *task_names[] = {"si", "flc", "tc"};

static void usage(FILE *f) {
    fprintf(f,
        "usage: slant eval si|flc|tc PRED GOLD [--json] [--articles PATH]\n"
        "\n"
        "Scores predicted spans against gold ones with the official measures of\n"
        "SemEval-2020 Task 11 (task-SI_scorer.py, task-TC_scorer.py):\n"
        "  si   span identification: P, R, F1 with partial credit for overlaps;\n"
        "       overlapping spans are merged on both sides; techniques ignored\n"
        "  flc  the same, crediting only spans of the same technique (gold: TC.labels),\n"
        "       overall and per technique\n"
        "  tc   technique classification of the gold spans: accuracy (= micro-F1),\n"
        "       per-technique P, R, F1; PRED must hold exactly the gold spans\n"
        "\n"
        "PRED, GOLD   label files ('-' for stdin) or folders of *.labels files:\n"
        "             id TAB start TAB end             (SI)\n"
        "             id TAB technique TAB start TAB end (TC)\n"
        "             offsets are [start,end) in code points\n"
        "--json       print one JSON object instead of text\n"
        "--articles PATH  check every span against the length of its article\n"
        "             (a file or folder of article<ID>.txt)\n"
        "-h, --help   this text\n"
        "\n"
        "Technique names, as in the corpus's techniques.txt:\n");
    for (int i = 0; i < SLANT_N_TECHNIQUES; i++)
        fprintf(f, "  %-36s %s\n", slant_technique_get(i)->name, slant_technique_get(i)->short_name);
    fprintf(f, "\nExit status: 0 scored, 1 bad usage or input, 2 internal error.\n");
}

static int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "slant eval: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "usage: slant eval si|flc|tc PRED GOLD [--json] [--articles PATH] (see --help)\n");
    return EXIT_INPUT;
}

static int cmp_id_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Notes predicted spans of articles that have no gold span: the official
 * scorer logs an error for them but scores them as false positives. */
static int note_articles_without_gold(const lab_list *pred, const lab_list *gold) {
    const char **ids = malloc((gold->len + 1) * sizeof *ids);
    if (!ids) return -1;
    for (size_t i = 0; i < gold->len; i++) ids[i] = gold->items[i].id;
    qsort(ids, gold->len, sizeof *ids, cmp_id_ptr);
    size_t spans = 0;
    for (size_t i = 0; i < pred->len; i++) {
        const char *id = pred->items[i].id;
        if (!gold->len || !bsearch(&id, ids, gold->len, sizeof *ids, cmp_id_ptr)) spans++;
    }
    free(ids);
    if (spans)
        fprintf(stderr, "slant eval: note: %zu predicted spans are in articles without gold spans; "
                        "they count as false positives, as in the official scorer\n", spans);
    return 0;
}

static void print_prf_text(const char *task, const metric_prf *m) {
    printf("task       %s\n", task);
    printf("precision  %.6f  (%.6f / %zu predicted spans)\n", m->precision, m->p_sum, m->n_pred);
    printf("recall     %.6f  (%.6f / %zu gold spans)\n", m->recall, m->r_sum, m->n_gold);
    printf("f1         %.6f\n", m->f1);
}

static void print_per_technique_text(const metric_prf *per) {
    printf("\n%-36s %-9s %-9s %-9s %6s %6s\n", "technique", "precision", "recall", "f1", "pred", "gold");
    for (int t = 0; t < SLANT_N_TECHNIQUES; t++)
        printf("%-36s %.6f  %.6f  %.6f  %6zu %6zu\n", slant_technique_get(t)->name,
               per[t].precision, per[t].recall, per[t].f1, per[t].n_pred, per[t].n_gold);
}

static cJSON *per_technique_json(const metric_prf *per) {
    cJSON *arr = cJSON_CreateArray();
    for (int t = 0; arr && t < SLANT_N_TECHNIQUES; t++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) { cJSON_Delete(arr); return NULL; }
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "technique", slant_technique_get(t)->name);
        cJSON_AddNumberToObject(o, "precision", per[t].precision);
        cJSON_AddNumberToObject(o, "recall", per[t].recall);
        cJSON_AddNumberToObject(o, "f1", per[t].f1);
        cJSON_AddNumberToObject(o, "n_pred", (double)per[t].n_pred);
        cJSON_AddNumberToObject(o, "n_gold", (double)per[t].n_gold);
    }
    return arr;
}

/* Prints obj and frees it; returns the exit code. */
static int print_json(cJSON *obj) {
    char *s = obj ? cJSON_Print(obj) : NULL;
    cJSON_Delete(obj);
    if (!s) { fprintf(stderr, "slant eval: out of memory\n"); return EXIT_INTERNAL; }
    printf("%s\n", s);
    cJSON_free(s);
    return EXIT_OK;
}

int cmd_eval(int argc, char **argv) {
    const char *pos[3] = {NULL, NULL, NULL}, *articles = NULL;
    int n_pos = 0, json = 0, rc = EXIT_OK;
    eval_task task = TASK_SI;
    lab_list pred, gold;
    corpus c;
    slant_error err;
    slant_status st;
    metric_prf m, per[SLANT_N_TECHNIQUES];

    lab_list_init(&pred);
    lab_list_init(&gold);
    corpus_init(&c);
    slant_error_clear(&err);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) { usage(stdout); goto done; }
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--articles") == 0) {
            if (i + 1 >= argc) { rc = usage_error("--articles needs a path", NULL); goto done; }
            articles = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = usage_error("unknown option", a);
            goto done;
        } else if (n_pos < 3) pos[n_pos++] = a;
        else { rc = usage_error("too many arguments", a); goto done; }
    }
    if (n_pos < 3) { rc = usage_error("expected a task, PRED and GOLD", NULL); goto done; }
    if (strcmp(pos[0], "si") == 0) task = TASK_SI;
    else if (strcmp(pos[0], "flc") == 0) task = TASK_FLC;
    else if (strcmp(pos[0], "tc") == 0) task = TASK_TC;
    else { rc = usage_error("the task is si, flc or tc, not", pos[0]); goto done; }
    if (strcmp(pos[1], "-") == 0 && strcmp(pos[2], "-") == 0) {
        rc = usage_error("PRED and GOLD cannot both be stdin", NULL);
        goto done;
    }

    lab_kind kind = task == TASK_SI ? LAB_AUTO : LAB_TC;
    if ((st = lab_read(pos[1], kind, &pred, &err)) != SLANT_OK) { rc = cli_report("predictions", st, &err); goto done; }
    if ((st = lab_read(pos[2], kind, &gold, &err)) != SLANT_OK) { rc = cli_report("gold", st, &err); goto done; }
    if (articles) {
        if ((st = corpus_load(&c, articles, 1, &err)) != SLANT_OK) { rc = cli_report("articles", st, &err); goto done; }
        if ((st = lab_check_bounds(&pred, corpus_length_of, &c, pos[1], &err)) != SLANT_OK ||
            (st = lab_check_bounds(&gold, corpus_length_of, &c, pos[2], &err)) != SLANT_OK) {
            rc = cli_report(NULL, st, &err);
            goto done;
        }
    }

    if (task == TASK_TC) {
        double acc;
        const char *pn = strcmp(pos[1], "-") ? pos[1] : "stdin", *gn = strcmp(pos[2], "-") ? pos[2] : "stdin";
        if ((st = metric_tc_named(&pred, pn, &gold, gn, &acc, per, &err)) != SLANT_OK) {
            rc = cli_report("tc", st, &err);
            goto done;
        }
        size_t correct = 0;
        for (int t = 0; t < SLANT_N_TECHNIQUES; t++) correct += (size_t)per[t].p_sum;
        if (json) {
            cJSON *o = cJSON_CreateObject();
            if (o) {
                cJSON_AddStringToObject(o, "task", "tc");
                cJSON_AddNumberToObject(o, "accuracy", acc);
                cJSON_AddNumberToObject(o, "n_correct", (double)correct);
                cJSON_AddNumberToObject(o, "n_spans", (double)gold.len);
                cJSON *arr = per_technique_json(per);
                if (!arr) { cJSON_Delete(o); o = NULL; }
                else cJSON_AddItemToObject(o, "techniques", arr);
            }
            rc = print_json(o);
        } else {
            printf("task       tc\n");
            printf("accuracy   %.6f  (%zu of %zu spans; = micro P, R, F1)\n", acc, correct, gold.len);
            print_per_technique_text(per);
        }
        goto done;
    }

    if (note_articles_without_gold(&pred, &gold) < 0) { rc = cli_report(NULL, SLANT_ENOMEM, NULL); goto done; }
    st = task == TASK_SI ? metric_si(&pred, &gold, &m) : metric_flc(&pred, &gold, &m, per);
    if (st != SLANT_OK) { rc = cli_report(task_names[task], st, NULL); goto done; }
    if (json) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddStringToObject(o, "task", task_names[task]);
            cJSON_AddNumberToObject(o, "precision", m.precision);
            cJSON_AddNumberToObject(o, "recall", m.recall);
            cJSON_AddNumberToObject(o, "f1", m.f1);
            cJSON_AddNumberToObject(o, "n_pred", (double)m.n_pred);
            cJSON_AddNumberToObject(o, "n_gold", (double)m.n_gold);
            if (task == TASK_FLC) {
                cJSON *arr = per_technique_json(per);
                if (!arr) { cJSON_Delete(o); o = NULL; }
                else cJSON_AddItemToObject(o, "techniques", arr);
            }
        }
        rc = print_json(o);
    } else {
        print_prf_text(task_names[task], &m);
        if (task == TASK_FLC) print_per_technique_text(per);
    }

done:
    lab_list_fini(&pred);
    lab_list_fini(&gold);
    corpus_fini(&c);
    return rc;
}
