/* Growable output buffer for the report renderers (report_buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_buf.h"

void rbuf_init(rbuf *b) { memset(b, 0, sizeof *b); }

void rbuf_fini(rbuf *b) {
    free(b->p);
    rbuf_init(b);
}

void rbuf_clear(rbuf *b) {
    b->len = 0;
    b->failed = 0;
    if (b->p) b->p[0] = '\0';
}

/* Makes room for n more bytes plus the NUL; 0 when out of memory. */
static int reserve(rbuf *b, size_t n) {
    if (b->failed) return 0;
    if (b->cap - b->len > n) return 1;   /* room for n bytes and the NUL */
    size_t need = b->len + n + 1;
    if (need < n) { b->failed = 1; return 0; }   /* overflow */
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->p, cap);
    if (!p) { b->failed = 1; return 0; }
    b->p = p;
    b->cap = cap;
    return 1;
}

void rbuf_put(rbuf *b, const char *s, size_t n) {
    if (!reserve(b, n)) return;
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void rbuf_puts(rbuf *b, const char *s) { rbuf_put(b, s, strlen(s)); }

void rbuf_printf(rbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = 1; return; }
    if (!reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rbuf_put_html(rbuf *b, const char *s, size_t n) {
    size_t run = 0;   /* start of the bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        rbuf_put(b, s + run, i - run);
        rbuf_puts(b, rep);
        run = i + 1;
    }
    rbuf_put(b, s + run, n - run);
}
