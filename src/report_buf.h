/*
 * A growable byte buffer the report renderers write into (text, HTML), so
 * that worker threads can render articles while one thread writes them out
 * in input order, and the library never touches a stream itself.
 * Appends never fail half-way: on out of memory the buffer keeps what it
 * had, sets `failed` and ignores further appends, so a renderer checks once
 * at the end.
 */
#ifndef SLANT_REPORT_BUF_H
#define SLANT_REPORT_BUF_H

#include <stddef.h>

typedef struct {
    char *p;        /* len bytes plus a NUL; owned, NULL before the first append */
    size_t len;     /* bytes used */
    size_t cap;     /* bytes allocated */
    int failed;     /* 1 after an allocation failed */
} rbuf;

void rbuf_init(rbuf *b);
void rbuf_fini(rbuf *b);
void rbuf_clear(rbuf *b);                 /* len = 0, keeps the memory */
void rbuf_put(rbuf *b, const char *s, size_t n);
void rbuf_puts(rbuf *b, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void rbuf_printf(rbuf *b, const char *fmt, ...);
/* s[0..n) with & < > " ' escaped for HTML text and attribute values. */
void rbuf_put_html(rbuf *b, const char *s, size_t n);

#endif
