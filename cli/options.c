/* Table-driven option parsing (options.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "options.h"

static int set_value(const cli_option *o, void *base, const char *v, const char *cmd) {
    char *field = (char *)base + o->offset, *end;
    switch (o->type) {
    case OPT_STRING: *(const char **)(void *)field = v; return 0;
    case OPT_FLAG: *(int *)(void *)field = 1; return 0;
    case OPT_INT: {
        errno = 0;
        long x = strtol(v, &end, 10);
        if (errno || end == v || *end || x < -1000000000L || x > 1000000000L) {
            fprintf(stderr, "slant %s: --%s expects an integer, got '%s'\n", cmd, o->name, v);
            return 1;
        }
        *(int *)(void *)field = (int)x;
        return 0;
    }
    case OPT_DOUBLE: {
        errno = 0;
        double x = strtod(v, &end);
        if (errno || end == v || *end) {
            fprintf(stderr, "slant %s: --%s expects a number, got '%s'\n", cmd, o->name, v);
            return 1;
        }
        *(double *)(void *)field = x;
        return 0;
    }
    }
    return 1;
}

void opts_help(FILE *f, const cli_option *tab, size_t n, const char *usage) {
    fprintf(f, "%s\n\noptions:\n", usage);
    for (size_t i = 0; i < n; i++) {
        char left[64];
        const char *arg = tab[i].type == OPT_FLAG ? "" : tab[i].type == OPT_STRING ? " S"
                        : tab[i].type == OPT_INT ? " N" : " X";
        if (tab[i].short_name) snprintf(left, sizeof left, "-%c, --%s%s", tab[i].short_name, tab[i].name, arg);
        else snprintf(left, sizeof left, "    --%s%s", tab[i].name, arg);
        fprintf(f, "  %-26s %s", left, tab[i].help);
        if (tab[i].def) fprintf(f, " (default %s)", tab[i].def);
        fputc('\n', f);
    }
    fprintf(f, "  %-26s %s\n", "-h, --help", "show this help");
}

int opts_parse(const cli_option *tab, size_t n, void *base, int argc, char **argv,
               int *n_pos, const char *usage, const char *cmd) {
    for (size_t i = 0; i < n; i++)
        if (tab[i].def && set_value(&tab[i], base, tab[i].def, cmd)) return 1;
    int pos = 0, only_pos = 0;
    for (int a = 1; a < argc; a++) {
        char *s = argv[a];
        if (only_pos || s[0] != '-' || strcmp(s, "-") == 0) { argv[1 + pos++] = s; continue; }
        if (strcmp(s, "--") == 0) { only_pos = 1; continue; }
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) { opts_help(stdout, tab, n, usage); return -1; }
        const cli_option *o = NULL;
        const char *inline_val = NULL;
        if (s[1] == '-') {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t i = 0; i < n; i++)
                if (strlen(tab[i].name) == len && strncmp(tab[i].name, name, len) == 0) o = &tab[i];
            if (eq) inline_val = eq + 1;
        } else if (s[2] == '\0') {
            for (size_t i = 0; i < n; i++) if (tab[i].short_name == s[1]) o = &tab[i];
        }
        if (!o) {
            fprintf(stderr, "slant %s: unknown option '%s' (see 'slant %s --help')\n", cmd, s, cmd);
            return 1;
        }
        if (o->type == OPT_FLAG) {
            if (inline_val) { fprintf(stderr, "slant %s: --%s takes no value\n", cmd, o->name); return 1; }
            set_value(o, base, "1", cmd);
            continue;
        }
        const char *v = inline_val;
        if (!v) {
            if (a + 1 >= argc) { fprintf(stderr, "slant %s: --%s needs a value\n", cmd, o->name); return 1; }
            v = argv[++a];
        }
        if (set_value(o, base, v, cmd)) return 1;
    }
    *n_pos = pos;
    return 0;
}

void opts_to_json(const cli_option *tab, size_t n, const void *base, cJSON *obj) {
    for (size_t i = 0; i < n; i++) {
        const char *field = (const char *)base + tab[i].offset;
        switch (tab[i].type) {
        case OPT_STRING: {
            const char *v = *(const char *const *)(const void *)field;
            if (v) cJSON_AddStringToObject(obj, tab[i].name, v);
            break;
        }
        case OPT_FLAG: cJSON_AddBoolToObject(obj, tab[i].name, *(const int *)(const void *)field); break;
        case OPT_INT: cJSON_AddNumberToObject(obj, tab[i].name, *(const int *)(const void *)field); break;
        case OPT_DOUBLE: cJSON_AddNumberToObject(obj, tab[i].name, *(const double *)(const void *)field); break;
        }
    }
}
