/*
 * UTF-8 text with exact offsets. Validates (or repairs, on request) UTF-8,
 * refuses NUL bytes and binary data, and maps between byte and code point
 * offsets. Does not split into tokens (tokenize.h) nor read folders (corpus.h).
 *
 * A BOM is kept in the text and counts as one code point, as in the PTC
 * corpus; CR and CRLF are kept as they are (each CR is one code point).
 */
#ifndef SLANT_TEXT_H
#define SLANT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"

typedef struct {
    char *data;          /* owned UTF-8, len bytes plus a terminating NUL */
    size_t len;          /* bytes, without the terminating NUL */
    size_t n_cp;         /* code points */
    uint32_t *byte_of_cp;/* n_cp+1 entries: byte offset where code point i starts;
                            byte_of_cp[n_cp] == len */
    size_t n_replaced;   /* invalid sequences replaced by U+FFFD (replace mode) */
} text_buf;

void text_init(text_buf *t);
void text_fini(text_buf *t);

/* Copies p[0..len) into t after validation. Strict mode (replace == 0):
 * invalid UTF-8 (including overlong forms and surrogates) fails with
 * SLANT_EENCODING and err->offset = byte offset of the first bad byte.
 * replace == 1: each maximal invalid subsequence becomes U+FFFD and is
 * counted in t->n_replaced. A NUL byte fails in both modes (binary input).
 * len > SLANT_MAX_ARTICLE_BYTES fails with SLANT_ETOOBIG. */
slant_status text_load(text_buf *t, const char *p, size_t len, int replace,
                       slant_error *err);

/* Reads a whole file (or stdin when path is "-") and calls text_load.
 * err->file is set to path on failure. */
slant_status text_read_file(text_buf *t, const char *path, int replace,
                            slant_error *err);

/* Offset conversions; out-of-range inputs are clamped to the end. */
size_t text_cp_to_byte(const text_buf *t, size_t cp);
size_t text_byte_to_cp(const text_buf *t, size_t byte);

#endif
