/*
 * Articles as JSON Lines for `slant analyze --input jsonl`: one object a
 * line, {"id": "...", "text": "..."}; other members are ignored (so the
 * output of --format jsonl reads back). Does not validate the text's UTF-8
 * (text_load does, naming the byte) and does not analyse.
 *
 *   "text"  string, required; a \u0000 escape is refused (NUL is binary data)
 *   "id"    string (1..INPUT_JSONL_ID_MAX-1 bytes, no control characters) or
 *           a non-negative integer; when absent the id is the line number
 *
 * Blank lines are skipped; "\r\n" line ends and a UTF-8 BOM before the
 * first line are accepted. A bad line is an error naming the file and its
 * 1-based line ("in.jsonl:17: \"text\" is missing"); the reader has then
 * moved past it, so the caller may report it and go on with the next line.
 * Memory is bounded by the longest line, which may be at most
 * INPUT_JSONL_MAX_LINE bytes.
 */
#ifndef SLANT_INPUT_JSONL_H
#define SLANT_INPUT_JSONL_H

#include <stddef.h>
#include "slant.h"

#define INPUT_JSONL_ID_MAX 64
/* Room for the largest article with a third of its bytes escaped. */
#define INPUT_JSONL_MAX_LINE (2 * SLANT_MAX_ARTICLE_BYTES + 65536)

typedef struct {
    char id[INPUT_JSONL_ID_MAX];  /* NUL-terminated */
    char *text;                   /* owned: len bytes plus a NUL */
    size_t len;                   /* bytes */
    long line;                    /* 1-based line it came from */
} input_jsonl_item;

void input_jsonl_item_init(input_jsonl_item *it);
void input_jsonl_item_fini(input_jsonl_item *it);

/* Parses one line line[0..len) (no line end, not NUL-terminated) into it,
 * replacing its text. *got = 0 for a blank line. Errors (naming file and
 * lineno): SLANT_EFORMAT (not JSON, not an object, "text" missing or not a
 * string, a bad "id", an escaped NUL), SLANT_ENOMEM. */
slant_status input_jsonl_parse_line(const char *line, size_t len, const char *file, long lineno,
                                    input_jsonl_item *it, int *got, slant_error *err);

typedef struct input_jsonl input_jsonl;

/* Opens path ("-" is stdin) for reading. *out is new; free with
 * input_jsonl_close. Errors: SLANT_EIO naming the path, SLANT_ENOMEM. */
slant_status input_jsonl_open(const char *path, input_jsonl **out, slant_error *err);

/* Reads the next article into it (replacing its text); *got = 0 at the end.
 * Errors: those of input_jsonl_parse_line and SLANT_ETOOBIG (a line over
 * INPUT_JSONL_MAX_LINE), after which the next call reads the next line;
 * SLANT_EIO (a read error), after which the reader is at its end. */
slant_status input_jsonl_next(input_jsonl *r, input_jsonl_item *it, int *got, slant_error *err);

/* Closes the file (not stdin) and frees r; NULL is a no-op. */
void input_jsonl_close(input_jsonl *r);

#endif
