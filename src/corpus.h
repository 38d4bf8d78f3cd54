/*
 * Articles on disk: a file, a folder of article<ID>.txt files (recursively,
 * *.txt), in a stable order. The article id is the digits of
 * "article<digits>.txt", else the file name without its extension.
 * Listing and loading are separate so that a batch never holds more than
 * the articles it is working on.
 */
#ifndef SLANT_CORPUS_H
#define SLANT_CORPUS_H

#include <stddef.h>
#include "slant.h"
#include "text.h"
#include "labels.h"

typedef struct {
    char **paths; size_t len, cap;   /* owned paths, in the order given;
                                        folder contents sorted by name */
} corpus_paths;

void corpus_paths_init(corpus_paths *p);
void corpus_paths_fini(corpus_paths *p);

/* Appends path: a file as is ("-" too), a folder expanded recursively to
 * its *.txt files sorted by name. A missing path is SLANT_EIO naming it. */
slant_status corpus_paths_add(corpus_paths *p, const char *path, slant_error *err);

/* Writes the article id of path into id (LAB_ID_MAX bytes). "-" -> "stdin". */
void corpus_id_from_path(const char *path, char id[LAB_ID_MAX]);

typedef struct {
    char id[LAB_ID_MAX];
    char *path;          /* owned */
    text_buf text;
} corpus_article;

typedef struct {
    corpus_article *items; size_t len, cap; /* articles in listing order */
    size_t *by_id;       /* n_indexed indices into items sorted by id (owned),
                            built by corpus_load for corpus_find's bsearch */
    size_t n_indexed;    /* corpus_find scans linearly when != len */
} corpus;

void corpus_init(corpus *c);
void corpus_fini(corpus *c);

/* Loads every article under path (file or folder), appending to c, and
 * indexes c by id. Two articles with one id fail with SLANT_EFORMAT naming
 * both paths; on failure c holds what it held before. */
slant_status corpus_load(corpus *c, const char *path, int replace_invalid,
                         slant_error *err);

/* Returns the article with this id, or NULL: O(log n) on a corpus that
 * corpus_load built, a scan otherwise. */
const corpus_article *corpus_find(const corpus *c, const char *id);

/* lookup callback for lab_check_bounds: ctx is a const corpus *. */
long long corpus_length_of(void *ctx, const char *id);

#endif
