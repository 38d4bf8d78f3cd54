/*
 * Unlabelled news for unsupervised features (issue 9): reads JSON Lines
 * shards ({"title": ..., "text": ...} one object a line, as in
 * data/news/README.md) or plain text (one article a line), gzip'd or not,
 * and yields one article text at a time. Does not tokenize (tokenize.h)
 * and keeps nothing but the current line: a corpus of any size streams
 * through a buffer as large as its longest line.
 *
 * Article text: JSON Lines give title + "\n" + text when the object has a
 * non-empty "title" string, else text alone (so the title is the first line,
 * as in the PTC articles); plain text gives the line without its line end.
 * Blank lines are skipped in both formats.
 *
 * gzip input is recognised by its magic bytes and read through a `gzip -dc`
 * child process (zlib is not linked), which also decompresses on another
 * core while the caller tokenizes.
 *
 * Errors name the file and the 1-based line: "news-03.jsonl.gz:17: expected
 * a JSON object".
 */
#ifndef SLANT_NEWS_READER_H
#define SLANT_NEWS_READER_H

#include <stddef.h>
#include "slant.h"

typedef enum {
    NEWS_AUTO = 0,  /* JSON Lines if the first non-blank byte is '{', else plain */
    NEWS_JSONL,     /* one JSON object a line, "text" required, "title" optional */
    NEWS_PLAIN      /* one article a line */
} news_format;

/* An article's text; grows to the longest article, reused between calls. */
typedef struct {
    char *p;               /* len bytes plus a NUL; owned */
    size_t len, cap;       /* bytes used, bytes allocated */
} news_text;

void news_text_init(news_text *t);
void news_text_fini(news_text *t);

/* Parses one line (line[0..len), without its line end, not NUL-terminated)
 * of format fmt (NEWS_JSONL or NEWS_PLAIN) into out, replacing its text.
 * *got = 1 when the line holds an article, 0 when it is blank. Malformed
 * JSON, a non-object or a missing/non-string "text" fail with
 * SLANT_EFORMAT naming file:lineno; a line over SLANT_MAX_ARTICLE_BYTES
 * fails with SLANT_ETOOBIG. */
slant_status news_parse_line(const char *line, size_t len, news_format fmt,
                             const char *file, long lineno, news_text *out,
                             int *got, slant_error *err);

/* Called with each article of a buffer; a nonzero return stops the walk. */
typedef int (*news_article_fn)(void *ctx, const char *text, size_t len);

/* Splits buf[0..len) (not NUL-terminated) into lines ("\n", "\r\n") and
 * calls fn with each article. fmt NEWS_AUTO sniffs the first non-blank
 * byte. Stops at the first bad line with its status. *n_articles (may be
 * NULL) counts the articles passed to fn. Used by tests and the fuzz
 * target; files go through news_open/news_next. */
slant_status news_parse_buffer(const char *buf, size_t len, news_format fmt,
                               const char *file, news_article_fn fn, void *ctx,
                               size_t *n_articles, slant_error *err);

typedef struct news_reader news_reader;

/* Opens path ("-" reads stdin, uncompressed only) for reading in format fmt.
 * Returns a new reader in *out; free with news_close. A missing or
 * unreadable file is SLANT_EIO naming it. */
slant_status news_open(const char *path, news_format fmt, news_reader **out,
                       slant_error *err);

/* Reads the next article: *text points into the reader (valid until the
 * next call), *len bytes, NUL-terminated. *got = 0 at the end of the file.
 * A failed gzip child (corrupt or truncated archive) is SLANT_EIO at the
 * end of the file. */
slant_status news_next(news_reader *r, const char **text, size_t *len,
                       int *got, slant_error *err);

/* Lines read so far (the line number of the last article returned). */
long news_line(const news_reader *r);

/* Closes the file, reaps the gzip child and frees r; NULL is a no-op. */
void news_close(news_reader *r);

#endif
