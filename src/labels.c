/*
 * Span label files of SemEval-2020 Task 11 (labels.h): parsing, reading
 * files and folders, bounds checks against a corpus, writing and sorting.
 * Does not merge overlapping spans nor score anything (metrics.c).
 *
 * Notation: a line is `id TAB start TAB end` (SI, 3 columns) or
 * `id TAB technique TAB start TAB end` (TC, 4 columns); [start,end) are code
 * point offsets, 0 <= start < end <= 2^32-1. Lines end in LF or CRLF;
 * trailing spaces and tabs are ignored (the official scorer rstrip()s every
 * line), blank lines are skipped, numbers may carry surrounding spaces (as
 * Python's int() allows). Every error names the file and the 1-based line.
 *
 * The parser walks a {p,len,off} cursor and never reads past len, so input
 * need not be NUL-terminated and may contain NUL bytes (which are rejected
 * inside ids, and fail as unknown techniques or bad numbers elsewhere).
 */
#include <ctype.h>
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "labels.h"
#include "status.h"

#define LAB_MAX_COLUMNS 8                 /* more are only counted */
#define LAB_MAX_FILE ((size_t)1 << 31)   /* refuse label files over 2 GiB */

/* ---- list ---- */

void lab_list_init(lab_list *l) {
    l->items = NULL;
    l->len = l->cap = 0;
}

void lab_list_fini(lab_list *l) {
    if (!l) return;
    free(l->items);
    lab_list_init(l);
}

slant_status lab_list_push(lab_list *l, const lab_span *s) {
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        if (cap < l->cap || cap > SIZE_MAX / sizeof *l->items) return SLANT_ENOMEM;
        lab_span *items = realloc(l->items, cap * sizeof *items);
        if (!items) return SLANT_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = *s;
    return SLANT_OK;
}

/* ---- cursor ---- */

typedef struct {
    const char *p;   /* input bytes, not NUL-terminated */
    size_t len;      /* bytes in p */
    size_t off;      /* next byte to read */
} cursor;

static int can_read(const cursor *c, size_t n) {
    return c->off <= c->len && n <= c->len - c->off;
}

/* One field of a line: bytes [start, start+len) of the input. */
typedef struct {
    const char *s;   /* first byte */
    size_t len;      /* bytes */
} field;

/* Takes the next line (without its LF) from cur; returns 0 at the end. */
static int next_line(cursor *cur, field *line) {
    if (!can_read(cur, 1)) return 0;
    const char *start = cur->p + cur->off;
    size_t rest = cur->len - cur->off;
    const char *nl = memchr(start, '\n', rest);
    size_t n = nl ? (size_t)(nl - start) : rest;
    line->s = start;
    line->len = n;
    cur->off += nl ? n + 1 : n;
    return 1;
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* ---- fields ---- */

/* Parses an offset: optional surrounding spaces, then decimal digits, at
 * most 2^32-1. Writes a one-line reason into why on failure. */
static int parse_offset(field f, const char *what, uint32_t *out, char *why, size_t why_len) {
    size_t i = 0, n = f.len;
    while (i < n && f.s[i] == ' ') i++;
    while (n > i && f.s[n - 1] == ' ') n--;
    int shown = n - i > 40 ? 40 : (int)(n - i);
    if (i == n) {
        snprintf(why, why_len, "%s offset is empty", what);
        return 0;
    }
    if (f.s[i] == '-' && i + 1 < n && isdigit((unsigned char)f.s[i + 1])) {
        snprintf(why, why_len, "%s offset %.*s is negative", what, shown, f.s + i);
        return 0;
    }
    uint64_t v = 0;
    for (size_t k = i; k < n; k++) {
        unsigned char ch = (unsigned char)f.s[k];
        if (!isdigit(ch)) {
            snprintf(why, why_len, "%s offset '%.*s' is not a number", what, shown, f.s + i);
            return 0;
        }
        v = v * 10 + (uint64_t)(ch - '0');
        if (v > UINT32_MAX) {
            snprintf(why, why_len, "%s offset %.*s%s is too large (at most %lu)", what,
                     shown, f.s + i, n - i > 40 ? "..." : "", (unsigned long)UINT32_MAX);
            return 0;
        }
    }
    *out = (uint32_t)v;
    return 1;
}

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch; }

/* Case-insensitive edit distance, on at most 63 bytes of each string. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb) {
    size_t row[64];
    if (na > 63) na = 63;
    if (nb > 63) nb = 63;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t cost = lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* Index of the technique name nearest to f, if it is near enough to be a
 * plausible typo (a third of its length), else -1. */
static int nearest_technique(field f) {
    int best = -1;
    size_t best_d = (size_t)-1;
    for (int i = 0; i < SLANT_N_TECHNIQUES; i++) {
        const char *name = slant_technique_get(i)->name;
        size_t d = edit_distance(f.s, f.len, name, strlen(name));
        if (d < best_d) { best_d = d; best = i; }
    }
    size_t limit = f.len / 3 < 3 ? 3 : f.len / 3;
    return best_d <= limit ? best : -1;
}

/* ---- parser ---- */

/* Columns a kind accepts; AUTO is resolved on the first line. */
static int columns_ok(lab_kind kind, size_t n) {
    switch (kind) {
    case LAB_SI: return n == 3;
    case LAB_TC: return n == 4;
    case LAB_AUTO:
    case LAB_TC_ANY: return n == 3 || n == 4;
    }
    return 0;
}

static const char *columns_expected(lab_kind kind) {
    switch (kind) {
    case LAB_SI: return "3";
    case LAB_TC: return "4";
    case LAB_AUTO: case LAB_TC_ANY: return "3 or 4";
    }
    return "3 or 4";
}

/* Parses one combined file; *kind may be LAB_AUTO on entry and holds the
 * resolved kind on return (unchanged when no line decided it). */
static slant_status parse_resolving(const char *buf, size_t len, const char *name,
                                    lab_kind *kind, lab_list *out, slant_error *err) {
    cursor cur = {buf, len, 0};
    size_t old_len = out->len;
    slant_status st = SLANT_OK;
    unsigned long line_no = 0;
    field line;
    char why[200];

    if (!buf && len) { st = err_set(err, SLANT_EINVAL, name, -1, -1, "no buffer"); goto fail; }
    while (next_line(&cur, &line)) {
        line_no++;
        long ln = line_no > (unsigned long)LONG_MAX ? LONG_MAX : (long)line_no;
        while (line.len > 0 && is_blank(line.s[line.len - 1])) line.len--;
        if (line.len == 0) continue;

        field cols[LAB_MAX_COLUMNS];
        size_t n_cols = 0, from = 0;
        for (size_t i = 0; i <= line.len; i++) {
            if (i == line.len || line.s[i] == '\t') {
                if (n_cols < LAB_MAX_COLUMNS) cols[n_cols] = (field){line.s + from, i - from};
                n_cols++;
                from = i + 1;
            }
        }
        if (!columns_ok(*kind, n_cols)) {
            st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                         "expected %s tab-separated columns, found %zu",
                         columns_expected(*kind), n_cols);
            goto fail;
        }
        if (*kind == LAB_AUTO) *kind = n_cols == 3 ? LAB_SI : LAB_TC;

        lab_span s;
        memset(&s, 0, sizeof s);
        s.technique = -1;
        s.line = line_no > UINT32_MAX ? UINT32_MAX : (uint32_t)line_no;

        field id = cols[0];
        if (id.len == 0) {
            st = err_set(err, SLANT_EFORMAT, name, ln, -1, "empty article id");
            goto fail;
        }
        if (id.len >= LAB_ID_MAX) {
            st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                         "article id '%.20s...' is %zu bytes long, at most %d are allowed",
                         id.s, id.len, LAB_ID_MAX - 1);
            goto fail;
        }
        for (size_t i = 0; i < id.len; i++) {
            if ((unsigned char)id.s[i] < 0x20 || id.s[i] == 0x7f) {
                st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                             "article id contains a control character (byte 0x%02x)",
                             (unsigned)(unsigned char)id.s[i]);
                goto fail;
            }
        }
        memcpy(s.id, id.s, id.len);
        s.id[id.len] = '\0';

        if (n_cols == 4) {
            field t = cols[1];
            s.technique = slant_technique_find(t.s, t.len);
            if (s.technique < 0 && *kind != LAB_TC_ANY) {
                int near = nearest_technique(t);
                int shown = t.len > 48 ? 48 : (int)t.len;
                if (near >= 0)
                    st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                                 "unknown technique '%.*s'; did you mean '%s'?",
                                 shown, t.s, slant_technique_get(near)->name);
                else
                    st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                                 "unknown technique '%.*s'; names are those of the "
                                 "corpus's techniques.txt, e.g. 'Loaded_Language' "
                                 "(`slant eval --help` lists them)", shown, t.s);
                goto fail;
            }
        }
        if (!parse_offset(cols[n_cols - 2], "start", &s.start, why, sizeof why) ||
            !parse_offset(cols[n_cols - 1], "end", &s.end, why, sizeof why)) {
            st = err_set(err, SLANT_EFORMAT, name, ln, -1, "%s", why);
            goto fail;
        }
        if (s.start >= s.end) {
            st = err_set(err, SLANT_EFORMAT, name, ln, -1,
                         "start %lu is not before end %lu (spans are [start,end) and not empty)",
                         (unsigned long)s.start, (unsigned long)s.end);
            goto fail;
        }
        if ((st = lab_list_push(out, &s)) != SLANT_OK) {
            err_set(err, st, name, ln, -1, "out of memory");
            goto fail;
        }
    }
    return SLANT_OK;

fail:
    out->len = old_len;
    return st;
}

slant_status lab_parse(const char *buf, size_t len, const char *name,
                       lab_kind kind, lab_list *out, slant_error *err) {
    return parse_resolving(buf, len, name, &kind, out, err);
}

/* ---- reading files and folders ---- */

/* Reads all of f into a new buffer (*buf, free it) of *len bytes. */
static slant_status read_all(FILE *f, const char *name, char **buf, size_t *len,
                             slant_error *err) {
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap), *grown;
    slant_status st = SLANT_OK;

    if (!b) { st = err_set(err, SLANT_ENOMEM, name, -1, -1, "out of memory"); goto fail; }
    for (;;) {
        if (n == cap) {
            if (cap >= LAB_MAX_FILE) {
                st = err_set(err, SLANT_ETOOBIG, name, -1, -1,
                             "label file larger than %zu bytes", LAB_MAX_FILE);
                goto fail;
            }
            if (!(grown = realloc(b, cap * 2))) {
                st = err_set(err, SLANT_ENOMEM, name, -1, -1, "out of memory");
                goto fail;
            }
            b = grown;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        st = err_set(err, SLANT_EIO, name, -1, -1, "read error: %s", strerror(errno));
        goto fail;
    }
    *buf = b;
    *len = n;
    return SLANT_OK;

fail:
    free(b);
    return st;
}

static slant_status read_one(const char *path, lab_kind *kind, lab_list *out,
                             slant_error *err) {
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "stdin" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;
    slant_status st;

    if (!f) return err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno));
    st = read_all(f, name, &buf, &len, err);
    if (!is_stdin) fclose(f);
    if (st == SLANT_OK) st = parse_resolving(buf, len, name, kind, out, err);
    free(buf);
    return st;
}

/* Which task a per-article file name belongs to: 's' SI, 't' TC/FLC, 0 other. */
static int file_task(const char *base) {
    char low[256];
    size_t n = strlen(base);
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)lower((unsigned char)base[i]);
    low[n] = '\0';
    if (strstr(low, "flc") || strstr(low, "-tc") || strstr(low, ".tc")) return 't';
    if (strstr(low, "-si") || strstr(low, ".si")) return 's';
    return 0;
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the *.labels files of a folder in name order. When the folder holds
 * both SI and TC/FLC files of the old per-article layout, only those of the
 * wanted kind are read (TC for LAB_AUTO: it carries the techniques, and SI
 * scoring ignores them). */
static slant_status read_folder(const char *path, lab_kind *kind, lab_list *out,
                                slant_error *err) {
    DIR *d = opendir(path);
    char **names = NULL, **grown;
    size_t n = 0, cap = 0, n_si = 0, n_tc = 0;
    size_t old_len = out->len;
    slant_status st = SLANT_OK;
    struct dirent *e;
    char *full = NULL;

    if (!d) return err_set(err, SLANT_EIO, path, -1, -1, "cannot open folder: %s", strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".labels")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            if (!(grown = realloc(names, cap * sizeof *names))) { st = SLANT_ENOMEM; goto fail; }
            names = grown;
        }
        if (!(names[n] = strdup(e->d_name))) { st = SLANT_ENOMEM; goto fail; }
        int task = file_task(names[n]);
        n_si += task == 's';
        n_tc += task == 't';
        n++;
    }
    if (n == 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "folder holds no *.labels files");
        goto fail;
    }
    qsort(names, n, sizeof *names, cmp_str);

    int want = 0;   /* 0: every file */
    if (*kind == LAB_SI && n_si) want = 's';
    else if (*kind != LAB_SI && n_tc) want = 't';
    else if (*kind == LAB_AUTO && n_si) want = 's';

    size_t plen = strlen(path);
    for (size_t i = 0; i < n; i++) {
        if (want && file_task(names[i]) != want) continue;
        size_t flen = plen + 1 + strlen(names[i]) + 1;
        if (!(full = malloc(flen))) { st = SLANT_ENOMEM; goto fail; }
        snprintf(full, flen, "%s/%s", path, names[i]);
        if ((st = read_one(full, kind, out, err)) != SLANT_OK) goto fail;
        free(full);
        full = NULL;
    }

fail:
    if (st == SLANT_ENOMEM) err_set(err, st, path, -1, -1, "out of memory");
    if (st != SLANT_OK) out->len = old_len;
    free(full);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    closedir(d);
    return st;
}

slant_status lab_read(const char *path, lab_kind kind, lab_list *out, slant_error *err) {
    struct stat sb;
    if (!path) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "no path");
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return read_folder(path, &kind, out, err);
    return read_one(path, &kind, out, err);
}

/* ---- checks, writing, sorting ---- */

slant_status lab_check_bounds(const lab_list *l,
                              long long (*lookup)(void *ctx, const char *id),
                              void *ctx, const char *name, slant_error *err) {
    for (size_t i = 0; i < l->len; i++) {
        const lab_span *s = &l->items[i];
        long line = s->line ? (long)s->line : -1;
        long long n = lookup(ctx, s->id);
        if (n < 0)
            return err_set(err, SLANT_EFORMAT, name, line, -1,
                           "article %s is not among the articles given", s->id);
        if ((long long)s->end > n)
            return err_set(err, SLANT_EFORMAT, name, line, -1,
                           "span [%lu,%lu) ends past the end of article %s (%lld code points)",
                           (unsigned long)s->start, (unsigned long)s->end, s->id, n);
    }
    return SLANT_OK;
}

slant_status lab_write(FILE *f, const lab_list *l, lab_kind kind) {
    for (size_t i = 0; i < l->len; i++) {
        const lab_span *s = &l->items[i];
        int r;
        if (kind == LAB_SI) {
            r = fprintf(f, "%s\t%lu\t%lu\n", s->id, (unsigned long)s->start,
                        (unsigned long)s->end);
        } else {
            const slant_technique *t = slant_technique_get(s->technique);
            r = fprintf(f, "%s\t%s\t%lu\t%lu\n", s->id, t ? t->name : "?",
                        (unsigned long)s->start, (unsigned long)s->end);
        }
        if (r < 0) return SLANT_EIO;
    }
    return ferror(f) ? SLANT_EIO : SLANT_OK;
}

static int all_digits(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

/* Orders ids numerically when both are digit strings, else bytewise. */
static int cmp_id(const char *a, const char *b) {
    if (all_digits(a) && all_digits(b)) {
        while (*a == '0' && a[1]) a++;
        while (*b == '0' && b[1]) b++;
        size_t na = strlen(a), nb = strlen(b);
        if (na != nb) return na < nb ? -1 : 1;
    }
    return strcmp(a, b);
}

static int cmp_span(const void *pa, const void *pb) {
    const lab_span *a = pa, *b = pb;
    int c = cmp_id(a->id, b->id);
    if (c) return c;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    if (a->technique != b->technique) return a->technique < b->technique ? -1 : 1;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    return 0;
}

void lab_sort(lab_list *l) {
    if (l->len > 1) qsort(l->items, l->len, sizeof *l->items, cmp_span);
}
