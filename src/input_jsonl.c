/*
 * JSON Lines article reader (input_jsonl.h). cJSON parses each line; two
 * things it cannot say are checked around it: that the line holds one
 * value and nothing after it, and that no string holds \u0000 (cJSON's
 * strings are NUL-terminated and would silently end at it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "input_jsonl.h"
#include "status.h"

void input_jsonl_item_init(input_jsonl_item *it) { memset(it, 0, sizeof *it); }

void input_jsonl_item_fini(input_jsonl_item *it) {
    free(it->text);
    input_jsonl_item_init(it);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* 1 if line[0..len) holds the escape \u0000 (any hex case). Escapes are
 * walked in pairs, so "\\u0000" (an escaped backslash) does not count;
 * outside strings a backslash is not JSON, which cJSON rejects anyway. */
static int has_escaped_nul(const char *s, size_t len) {
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\') continue;
        if (s[i + 1] == 'u' && i + 5 < len && !memcmp(s + i + 2, "0000", 4)) return 1;
        i++;   /* skip the escaped character */
    }
    return 0;
}

static slant_status set_id(input_jsonl_item *it, const cJSON *id, const char *file, long lineno,
                           slant_error *err) {
    if (!id) {
        snprintf(it->id, sizeof it->id, "%ld", lineno);
        return SLANT_OK;
    }
    if (cJSON_IsNumber(id)) {
        double v = id->valuedouble;
        if (v < 0 || v > 9007199254740992.0 || v != (double)(long long)v)
            return err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"id\" must be a string or a non-negative integer");
        snprintf(it->id, sizeof it->id, "%lld", (long long)v);
        return SLANT_OK;
    }
    if (!cJSON_IsString(id))
        return err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"id\" must be a string or a non-negative integer");
    size_t n = strlen(id->valuestring);
    if (n == 0 || n >= sizeof it->id)
        return err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"id\" must be 1 to %d bytes long",
                       INPUT_JSONL_ID_MAX - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id->valuestring[i] < 0x20 || id->valuestring[i] == 0x7f)
            return err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"id\" holds a control character");
    memcpy(it->id, id->valuestring, n + 1);
    return SLANT_OK;
}

slant_status input_jsonl_parse_line(const char *line, size_t len, const char *file, long lineno,
                                    input_jsonl_item *it, int *got, slant_error *err) {
    slant_status st = SLANT_OK;
    cJSON *j = NULL;
    *got = 0;
    size_t a = 0, b = len;
    while (a < b && is_space(line[a])) a++;
    while (b > a && is_space(line[b - 1])) b--;
    if (a == b) return SLANT_OK;
    const char *end = NULL;
    j = cJSON_ParseWithLengthOpts(line + a, b - a, &end, 0);
    if (!j) {
        /* no offset: cJSON_GetErrorPtr is a global, unsafe across threads */
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "not valid JSON");
        goto done;
    }
    if (end && (size_t)(end - line) < b) {
        st = err_set(err, SLANT_EFORMAT, file, lineno, (long long)(end - line), "text after the JSON object");
        goto done;
    }
    if (!cJSON_IsObject(j)) { st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "expected a JSON object"); goto done; }
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(j, "text");
    if (!text) { st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"text\" is missing"); goto done; }
    if (!cJSON_IsString(text)) { st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "\"text\" is not a string"); goto done; }
    if (has_escaped_nul(line + a, b - a)) {
        st = err_set(err, SLANT_EFORMAT, file, lineno, -1, "a string holds \\u0000 (NUL: binary data)");
        goto done;
    }
    if ((st = set_id(it, cJSON_GetObjectItemCaseSensitive(j, "id"), file, lineno, err)) != SLANT_OK) goto done;
    size_t n = strlen(text->valuestring);
    char *copy = malloc(n + 1);
    if (!copy) { st = err_set(err, SLANT_ENOMEM, file, lineno, -1, "out of memory"); goto done; }
    memcpy(copy, text->valuestring, n + 1);
    free(it->text);
    it->text = copy;
    it->len = n;
    it->line = lineno;
    *got = 1;
done:
    cJSON_Delete(j);
    return st;
}

/* ---- reader ---- */

struct input_jsonl {
    FILE *f;            /* stdin for "-" */
    char path[256];     /* for messages */
    char *line;         /* the current line; owned */
    size_t cap;         /* bytes allocated for line */
    long lineno;        /* lines read so far */
    int at_end;
};

slant_status input_jsonl_open(const char *path, input_jsonl **out, slant_error *err) {
    *out = NULL;
    input_jsonl *r = calloc(1, sizeof *r);
    if (!r) return err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory");
    snprintf(r->path, sizeof r->path, "%s", strcmp(path, "-") == 0 ? "stdin" : path);
    r->f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!r->f) {
        free(r);
        return err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno));
    }
    *out = r;
    return SLANT_OK;
}

void input_jsonl_close(input_jsonl *r) {
    if (!r) return;
    if (r->f && r->f != stdin) fclose(r->f);
    free(r->line);
    free(r);
}

/* Reads one line (without "\n") into r->line; *len its length, -1 at the
 * end of the file. A line over the limit is read to its end and dropped. */
static slant_status read_line(input_jsonl *r, long *len, slant_error *err) {
    size_t n = 0;
    int c, too_long = 0, any = 0;
    /* One lock for the line, not one per byte: getc's locking was 2.7%
     * of `analyze -I jsonl -F jsonl` (perf). */
    flockfile(r->f);
    while ((c = getc_unlocked(r->f)) != EOF) {
        any = 1;
        if (c == '\n') break;
        if (too_long) continue;
        if (n >= INPUT_JSONL_MAX_LINE) { too_long = 1; continue; }
        if (n + 1 >= r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 4096;
            char *p = realloc(r->line, cap);
            if (!p) { funlockfile(r->f); return err_set(err, SLANT_ENOMEM, r->path, r->lineno + 1, -1, "out of memory"); }
            r->line = p;
            r->cap = cap;
        }
        r->line[n++] = (char)c;
    }
    funlockfile(r->f);
    if (ferror(r->f)) {
        r->at_end = 1;
        return err_set(err, SLANT_EIO, r->path, r->lineno + 1, -1, "read error");
    }
    if (!any) { *len = -1; r->at_end = 1; return SLANT_OK; }
    r->lineno++;
    if (too_long)
        return err_set(err, SLANT_ETOOBIG, r->path, r->lineno, -1, "line longer than %zu bytes",
                       (size_t)INPUT_JSONL_MAX_LINE);
    *len = (long)n;
    return SLANT_OK;
}

slant_status input_jsonl_next(input_jsonl *r, input_jsonl_item *it, int *got, slant_error *err) {
    *got = 0;
    while (!r->at_end) {
        long len = 0;
        slant_status st = read_line(r, &len, err);
        if (st != SLANT_OK || len < 0) return st;
        const char *p = r->line ? r->line : "";
        size_t n = (size_t)len;
        if (r->lineno == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) { p += 3; n -= 3; }
        if ((st = input_jsonl_parse_line(p, n, r->path, r->lineno, it, got, err)) != SLANT_OK || *got)
            return st;
    }
    return SLANT_OK;
}
