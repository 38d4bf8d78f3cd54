/*
 * Unlabelled news reader (news_reader.h): JSON Lines or plain text, gzip'd
 * or not, one article at a time. Lines are parsed with cJSON's
 * length-bounded parser, so no line is assumed to be NUL-terminated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "news_reader.h"
#include "status.h"

/* ---- article text buffer ---- */

void news_text_init(news_text *t) { t->p = NULL; t->len = t->cap = 0; }

void news_text_fini(news_text *t) { free(t->p); news_text_init(t); }

/* Sets t to a[0..alen) + sep + b[0..blen) (sep only when alen > 0). */
static slant_status text_set(news_text *t, const char *a, size_t alen, const char *b, size_t blen) {
    size_t need = alen + (alen ? 1 : 0) + blen + 1;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < need) cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p) return SLANT_ENOMEM;
        t->p = p; t->cap = cap;
    }
    size_t o = 0;
    if (alen) { memcpy(t->p, a, alen); o = alen; t->p[o++] = '\n'; }
    if (blen) memcpy(t->p + o, b, blen);
    t->len = o + blen;
    t->p[t->len] = '\0';
    return SLANT_OK;
}

/* ---- one line ---- */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static int is_blank(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) if (!is_space(p[i])) return 0;
    return 1;
}

static slant_status parse_json(const char *line, size_t len, const char *file, long lineno,
                               news_text *out, slant_error *err) {
    const char *end = NULL;
    slant_status st = SLANT_OK;
    cJSON *obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (!obj) {
        long col = end && end >= line && end <= line + len ? (long)(end - line) + 1 : 1;
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "malformed JSON at column %ld", col);
        goto done;
    }
    if (end && !is_blank(end, len - (size_t)(end - line))) {
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "text after the JSON object at column %ld",
                     (long)(end - line) + 1);
        goto done;
    }
    if (!cJSON_IsObject(obj)) {
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "expected a JSON object");
        goto done;
    }
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "text");
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(obj, "title");
    if (!cJSON_IsString(text) || !text->valuestring) {
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "no \"text\" string");
        goto done;
    }
    const char *ti = cJSON_IsString(title) && title->valuestring ? title->valuestring : "";
    if ((st = text_set(out, ti, strlen(ti), text->valuestring, strlen(text->valuestring))) != SLANT_OK)
        err_set(err, st, file, lineno, -1, "out of memory");
done:
    cJSON_Delete(obj);
    return st;
}

slant_status news_parse_line(const char *line, size_t len, news_format fmt, const char *file,
                             long lineno, news_text *out, int *got, slant_error *err) {
    *got = 0;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (len > SLANT_MAX_ARTICLE_BYTES)
        return err_set(err, SLANT_ETOOBIG, file, lineno, -1, "line longer than %zu bytes",
                       SLANT_MAX_ARTICLE_BYTES);
    if (is_blank(line, len)) return SLANT_OK;
    slant_status st;
    if (fmt == NEWS_PLAIN) {
        if ((st = text_set(out, NULL, 0, line, len)) != SLANT_OK)
            return err_set(err, st, file, lineno, -1, "out of memory");
    } else if ((st = parse_json(line, len, file, lineno, out, err)) != SLANT_OK) {
        return st;
    }
    *got = 1;
    return SLANT_OK;
}

/* JSON Lines when the first non-blank byte is '{'. */
static news_format sniff(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_space(p[i])) return p[i] == '{' ? NEWS_JSONL : NEWS_PLAIN;
    return NEWS_AUTO;
}

slant_status news_parse_buffer(const char *buf, size_t len, news_format fmt, const char *file,
                               news_article_fn fn, void *ctx, size_t *n_articles,
                               slant_error *err) {
    news_text t;
    news_text_init(&t);
    slant_status st = SLANT_OK;
    size_t off = 0, n = 0;
    long lineno = 0;
    while (off < len) {
        const char *p = buf + off;
        const char *nl = memchr(p, '\n', len - off);
        size_t line_len = nl ? (size_t)(nl - p) : len - off;
        off += line_len + (nl ? 1 : 0);
        lineno++;
        if (fmt == NEWS_AUTO) fmt = sniff(p, line_len);
        if (fmt == NEWS_AUTO) continue;   /* blank so far */
        int got;
        if ((st = news_parse_line(p, line_len, fmt, file, lineno, &t, &got, err)) != SLANT_OK) break;
        if (got) { n++; if (fn && fn(ctx, t.p, t.len)) break; }
    }
    if (n_articles) *n_articles = n;
    news_text_fini(&t);
    return st;
}

/* ---- files ---- */

struct news_reader {
    FILE *f;              /* the file, stdin or the gzip child's pipe */
    int own_f;            /* 0 for stdin */
    pid_t child;          /* gzip -dc, or -1 */
    news_format fmt;      /* NEWS_AUTO until the first non-blank line */
    char *path;           /* owned copy, for messages */
    char *line;           /* getline buffer */
    size_t line_cap;
    long lineno;          /* lines read */
    int done;             /* end of file reached */
    news_text text;       /* the current article */
};

/* Starts `gzip -dc` reading fd; returns the read end of its stdout, or -1. */
static int spawn_gzip(int fd, pid_t *child) {
    int pfd[2];
    if (pipe(pfd) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) { close(pfd[0]); close(pfd[1]); return -1; }
    if (pid == 0) {
        /* gzip's own messages would bypass the caller: the status says it all. */
        int devnull = open("/dev/null", O_WRONLY);
        if (dup2(fd, 0) < 0 || dup2(pfd[1], 1) < 0) _exit(126);
        if (devnull >= 0) dup2(devnull, 2);
        close(pfd[0]); close(pfd[1]); close(fd);
        execlp("gzip", "gzip", "-dc", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    *child = pid;
    return pfd[0];
}

slant_status news_open(const char *path, news_format fmt, news_reader **out, slant_error *err) {
    slant_status st = SLANT_OK;
    int fd = -1;
    news_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r) return err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory");
    r->child = -1;
    r->fmt = fmt;
    news_text_init(&r->text);
    if (!(r->path = strdup(path))) { st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory"); goto fail; }
    if (strcmp(path, "-") == 0) { r->f = stdin; r->own_f = 0; *out = r; return SLANT_OK; }
    if ((fd = open(path, O_RDONLY)) < 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno));
        goto fail;
    }
    unsigned char magic[2];
    ssize_t got = pread(fd, magic, 2, 0);
    if (got < 0) { st = err_set(err, SLANT_EIO, path, -1, -1, "cannot read: %s", strerror(errno)); goto fail; }
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        int pfd = spawn_gzip(fd, &r->child);
        if (pfd < 0) { st = err_set(err, SLANT_EIO, path, -1, -1, "cannot start gzip: %s", strerror(errno)); goto fail; }
        close(fd);
        fd = pfd;
    }
    if (!(r->f = fdopen(fd, "r"))) { st = err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno)); goto fail; }
    fd = -1;
    r->own_f = 1;
    *out = r;
    return SLANT_OK;
fail:
    if (fd >= 0) close(fd);
    news_close(r);
    return st;
}

/* Waits for the gzip child; SLANT_EIO if it failed. */
static slant_status reap(news_reader *r, slant_error *err) {
    if (r->child < 0) return SLANT_OK;
    int status = 0;
    pid_t pid;
    do pid = waitpid(r->child, &status, 0); while (pid < 0 && errno == EINTR);
    r->child = -1;
    if (pid < 0) return err_set(err, SLANT_EIO, r->path, -1, -1, "waiting for gzip: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return err_set(err, SLANT_EIO, r->path, -1, -1, "cannot run gzip (is it installed?)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return err_set(err, SLANT_EIO, r->path, r->lineno, -1, "gzip -dc failed: corrupt or truncated archive");
    return SLANT_OK;
}

slant_status news_next(news_reader *r, const char **text, size_t *len, int *got, slant_error *err) {
    *got = 0; *text = NULL; *len = 0;
    while (!r->done) {
        errno = 0;
        ssize_t n = getline(&r->line, &r->line_cap, r->f);
        if (n < 0) {
            r->done = 1;
            if (ferror(r->f)) return err_set(err, SLANT_EIO, r->path, r->lineno, -1, "read error: %s", strerror(errno));
            if (r->child >= 0) {
                if (r->own_f) fclose(r->f);
                r->f = NULL;
                return reap(r, err);
            }
            return SLANT_OK;
        }
        r->lineno++;
        if (r->lineno == 1 && n >= 2 && (unsigned char)r->line[0] == 0x1f && (unsigned char)r->line[1] == 0x8b)
            return err_set(err, SLANT_EFORMAT, r->path, 1, -1, "gzip data on standard input: pipe it through gzip -dc");
        if (r->fmt == NEWS_AUTO) r->fmt = sniff(r->line, (size_t)n);
        if (r->fmt == NEWS_AUTO) continue;
        slant_status st = news_parse_line(r->line, (size_t)n, r->fmt, r->path, r->lineno, &r->text, got, err);
        if (st != SLANT_OK && r->child >= 0 && r->line[n - 1] != '\n') {
            /* A bad last line of a gzip stream is most likely a cut archive:
             * let gzip's verdict, if it failed, explain it. */
            r->done = 1;
            fclose(r->f);
            r->f = NULL;
            if (reap(r, err) != SLANT_OK) return SLANT_EIO;
        }
        if (st != SLANT_OK) return st;
        if (*got) { *text = r->text.p; *len = r->text.len; return SLANT_OK; }
    }
    return SLANT_OK;
}

long news_line(const news_reader *r) { return r->lineno; }

void news_close(news_reader *r) {
    if (!r) return;
    if (r->f && r->own_f) fclose(r->f);   /* a child still writing gets EPIPE and ends */
    r->f = NULL;
    reap(r, NULL);
    free(r->line);
    free(r->path);
    news_text_fini(&r->text);
    free(r);
}
