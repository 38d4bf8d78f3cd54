/*
 * Command-line options declared once as data: {name, type, default, help,
 * offset into the command's options struct}. Parsing, --help and the
 * training options recorded in a model's META all come from the table.
 */
#ifndef SLANT_CLI_OPTIONS_H
#define SLANT_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum { OPT_STRING, OPT_INT, OPT_DOUBLE, OPT_FLAG } opt_type;

typedef struct {
    const char *name;       /* long name without "--" */
    char short_name;        /* 0 for none */
    opt_type type;
    const char *def;        /* default as text, NULL for none */
    const char *help;
    size_t offset;          /* offsetof(struct, field): char*, int, double or int (flag) */
} cli_option;

/* Sets defaults, then parses argv[1..argc) into base. Non-option arguments
 * are moved, in order, to the front of argv from index 1 and counted in
 * *n_pos ("--" ends options; "-" is positional). Prints a usage error and
 * returns 1 on a bad option, 0 on success, -1 when --help was printed. */
int opts_parse(const cli_option *tab, size_t n, void *base, int argc, char **argv,
               int *n_pos, const char *usage, const char *cmd);

void opts_help(FILE *f, const cli_option *tab, size_t n, const char *usage);

/* Appends the options' values as JSON object members to buf (for META). */
struct cJSON;
void opts_to_json(const cli_option *tab, size_t n, const void *base, struct cJSON *obj);

#endif
