/*
 * slant <command> [options]: dispatches to cli/cmd_*.c. Exit codes are
 * 0 success, 1 input or usage error, 2 internal error (commands.h).
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"analyze",  cmd_analyze,  "find propaganda fragments in articles"},
    {"classify", cmd_classify, "name the technique of given spans"},
    {"train",    cmd_train,    "train a model on annotated articles"},
    {"eval",     cmd_eval,     "score predictions with the official SemEval-2020 Task 11 metrics"},
    {"serve",    cmd_serve,    "serve a web page and a JSON API"},
    {"model",    cmd_model,    "inspect or check a model file"},
    {"learn",    cmd_learn,    "learn word clusters from unlabelled news"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: slant <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'slant <command> --help' describes a command; 'man slant' all of them.\n");
}

int cli_is_help(const char *s) {
    return strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0;
}

int cli_report(const char *what, slant_status st, const slant_error *err) {
    fprintf(stderr, "slant: ");
    if (err && err->file[0]) {
        fprintf(stderr, "%s:", err->file);
        if (err->line > 0) fprintf(stderr, "%ld:", err->line);
        if (err->offset >= 0) fprintf(stderr, " byte %lld:", err->offset);
        fputc(' ', stderr);
    }
    if (what && *what) fprintf(stderr, "%s: ", what);
    fprintf(stderr, "%s\n", err && err->message[0] ? err->message : slant_strerror(st));
    return st == SLANT_ENOMEM ? EXIT_INTERNAL : EXIT_INPUT;
}

int main(int argc, char **argv) {
    if (argc < 2) { usage(stderr); return EXIT_INPUT; }
    if (cli_is_help(argv[1])) { usage(stdout); return EXIT_OK; }
    if (strcmp(argv[1], "--version") == 0) { printf("slant %s\n", SLANT_VERSION_STRING); return EXIT_OK; }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "slant: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_INPUT;
}
