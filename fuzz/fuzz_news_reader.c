/*
 * libFuzzer target for the news line parser: news_parse_buffer on arbitrary
 * bytes, as JSON Lines, plain text and sniffed, must never crash or read
 * out of bounds (ASan/UBSan watch; the input is copied to exactly size
 * bytes, no NUL after it). Every article handed out must be NUL-terminated
 * at its length; a failure must be EFORMAT/ETOOBIG/ENOMEM with a message
 * and a line number within the input; plain text must give back each
 * non-blank line as it is. Seeds: fuzz/corpus/news_reader/. Run through
 * `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "news_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct { const char *buf; size_t len, off; long lines; size_t n; int plain; } walk;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

/* Plain text: the k-th article must be the k-th non-blank line, line end cut. */
static int check_article(void *ctx, const char *text, size_t len) {
    walk *w = ctx;
    if (text[len] != '\0') abort();
    w->n++;
    if (!w->plain) return 0;
    for (;;) {
        if (w->off >= w->len) abort();   /* more articles than lines */
        const char *p = w->buf + w->off;
        const char *nl = memchr(p, '\n', w->len - w->off);
        size_t n = nl ? (size_t)(nl - p) : w->len - w->off;
        w->off += n + (nl ? 1 : 0);
        while (n && (p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
        int blank = 1;
        for (size_t i = 0; i < n; i++) if (!is_space(p[i])) blank = 0;
        if (blank) continue;
        if (n != len || memcmp(p, text, n) != 0) abort();
        return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const news_format fmts[] = {NEWS_AUTO, NEWS_JSONL, NEWS_PLAIN};
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    long lines = 1;
    for (size_t i = 0; i < size; i++) lines += buf[i] == '\n';
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        walk w = {buf, size, 0, 0, 0, fmts[f] == NEWS_PLAIN};
        slant_error err;
        slant_error_clear(&err);
        size_t n = 0;
        slant_status st = news_parse_buffer(buf, size, fmts[f], "fuzz", check_article, &w, &n, &err);
        if (n != w.n) abort();
        if (st != SLANT_OK) {
            if (st != SLANT_EFORMAT && st != SLANT_ETOOBIG && st != SLANT_ENOMEM) abort();
            if (err.message[0] == '\0' || err.line < 1 || err.line > lines) abort();
            if (strcmp(err.file, "fuzz") != 0) abort();
            if (fmts[f] == NEWS_PLAIN && st == SLANT_EFORMAT) abort();   /* plain text cannot be malformed */
        }
    }
    free(buf);
    return 0;
}
