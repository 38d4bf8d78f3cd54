/*
 * Span label files of SemEval-2020 Task 11 / the PTC corpus.
 *   SI:      id TAB start TAB end
 *   TC/FLC:  id TAB technique TAB start TAB end
 * Offsets are code points, [start,end). Reads one combined file or a folder
 * of per-article files (article<ID>.task-si.labels, article<ID>.task-flc-tc.labels,
 * article<ID>.labels); writes combined files. Does not score (metrics.h).
 */
#ifndef SLANT_LABELS_H
#define SLANT_LABELS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "slant.h"

#define LAB_ID_MAX 64

typedef struct {
    char id[LAB_ID_MAX];   /* article id, NUL-terminated */
    int technique;         /* technique index; -1 for SI spans or "?" */
    uint32_t start, end;   /* [start,end) code point offsets */
    uint32_t line;         /* 1-based line in the file it came from, 0 if made */
} lab_span;

typedef struct {
    lab_span *items; size_t len, cap;
} lab_list;

typedef enum {
    LAB_AUTO = 0,  /* 3 columns -> SI, 4 columns -> TC (decided by first line) */
    LAB_SI,        /* exactly 3 columns */
    LAB_TC,        /* exactly 4 columns, technique must be known */
    LAB_TC_ANY     /* 3 or 4 columns; technique may be unknown or "?" (input
                      of `slant classify`): technique = -1 */
} lab_kind;

void lab_list_init(lab_list *l);
void lab_list_fini(lab_list *l);
slant_status lab_list_push(lab_list *l, const lab_span *s);

/* Parses buf[0..len) (not NUL-terminated). name is used in errors (file).
 * Errors name file and line: wrong column count, non-numeric or negative
 * offsets, start >= end, unknown technique, over-long id. Blank lines and a
 * trailing newline are fine; CRLF is accepted. Appends to out. */
slant_status lab_parse(const char *buf, size_t len, const char *name,
                       lab_kind kind, lab_list *out, slant_error *err);

/* Reads a file ("-" is stdin), or every *.labels file in a folder in name
 * order. A folder of the old per-article layout holding both *.task-si.labels
 * and *.task-flc-tc.labels files gives only the SI ones for LAB_SI and only
 * the TC ones otherwise. On failure out holds what it held before. */
slant_status lab_read(const char *path, lab_kind kind, lab_list *out,
                      slant_error *err);

/* Checks every span's end against the article's length in code points;
 * lookup returns the length or -1 if the article is unknown (unknown
 * articles are an error too). */
slant_status lab_check_bounds(const lab_list *l,
                              long long (*lookup)(void *ctx, const char *id),
                              void *ctx, const char *name, slant_error *err);

/* Writes spans as SI (3 columns) or TC (4 columns) lines. */
slant_status lab_write(FILE *f, const lab_list *l, lab_kind kind);

/* Sorts by id (numeric when both are digits), then start, end, technique. */
void lab_sort(lab_list *l);

#endif
