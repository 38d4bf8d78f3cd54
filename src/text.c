/*
 * UTF-8 validation and repair, file reading, and byte <-> code point offsets.
 *
 * Does: checks UTF-8 exactly as Unicode 15 ch. 3 (Table 3-7, "well-formed
 * UTF-8 byte sequences") defines it, so overlong forms (C0 80, E0 80 80),
 * surrogates (ED A0 80) and values above U+10FFFF (F4 90 80 80, F5..FF) are
 * all errors; in replace mode each *maximal subpart* of an ill-formed
 * sequence becomes one U+FFFD, the practice Unicode recommends (ch. 3,
 * "U+FFFD Substitution of Maximal Subparts") and that browsers follow.
 * Does not: normalise (NFC), touch line ends, strip the BOM, or split text.
 *
 * Notation: "byte" offsets index the UTF-8 bytes, "cp" offsets index code
 * points; byte_of_cp[cp] is the byte where code point cp starts.
 *
 * Two passes over the input: scan() validates and measures (output bytes,
 * code points, replacements), then fill() copies and builds byte_of_cp into
 * buffers of the exact size. Both take an 8-bytes-at-a-time path over ASCII,
 * which is nearly all of an English news article.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "status.h"
#include "text.h"

void text_init(text_buf *t) {
    memset(t, 0, sizeof *t);
}

void text_fini(text_buf *t) {
    if (!t) return;
    free(t->data);
    free(t->byte_of_cp);
    text_init(t);
}

/* ---- decoding one sequence ---- */

/* Why a sequence is ill-formed; 0 means well-formed. */
enum {
    U8_OK = 0,
    U8_CONTINUATION,   /* 80..BF where a sequence should start */
    U8_OVERLONG,       /* C0, C1, E0 80..9F, F0 80..8F */
    U8_SURROGATE,      /* ED A0..BF: U+D800..U+DFFF */
    U8_TOO_LARGE,      /* F4 90..BF, F5..F7: above U+10FFFF */
    U8_BAD_LEAD,       /* F8..FF: never in UTF-8 */
    U8_TRUNCATED,      /* a lead byte without enough continuation bytes */
    U8_TRUNCATED_END   /* ... because the input ended */
};

static const char *u8_reason(int why) {
    switch (why) {
    case U8_CONTINUATION: return "continuation byte without a lead byte";
    case U8_OVERLONG: return "overlong encoding";
    case U8_SURROGATE: return "UTF-16 surrogate";
    case U8_TOO_LARGE: return "code point above U+10FFFF";
    case U8_BAD_LEAD: return "byte never used in UTF-8";
    case U8_TRUNCATED: return "truncated sequence";
    case U8_TRUNCATED_END: return "truncated sequence at end of input";
    }
    return "well-formed";
}

/* Reads the sequence at s[0..avail), avail >= 1, s[0] >= 0x80. Returns
 * U8_OK with *adv = its length, or a reason with *adv = the length of the
 * maximal subpart (>= 1): the lead plus the continuation bytes that were
 * still acceptable, which is what one U+FFFD replaces. */
static int u8_next(const unsigned char *s, size_t avail, size_t *adv) {
    unsigned c = s[0];
    size_t need;                 /* continuation bytes after the lead */
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    int narrow_why = U8_OK;      /* reason when the second byte is outside lo..hi */

    *adv = 1;
    if (c < 0xC0) return U8_CONTINUATION;
    if (c < 0xC2) return U8_OVERLONG;
    if (c < 0xE0) need = 1;
    else if (c < 0xF0) {
        need = 2;
        if (c == 0xE0) { lo = 0xA0; narrow_why = U8_OVERLONG; }
        else if (c == 0xED) { hi = 0x9F; narrow_why = U8_SURROGATE; }
    } else if (c < 0xF5) {
        need = 3;
        if (c == 0xF0) { lo = 0x90; narrow_why = U8_OVERLONG; }
        else if (c == 0xF4) { hi = 0x8F; narrow_why = U8_TOO_LARGE; }
    } else return c < 0xF8 ? U8_TOO_LARGE : U8_BAD_LEAD;

    for (size_t i = 1; i <= need; i++) {
        if (i >= avail) { *adv = i; return U8_TRUNCATED_END; }
        unsigned b = s[i];
        if (i == 1 && (b < lo || b > hi)) {
            *adv = 1;
            if (b >= 0x80 && b <= 0xBF) return narrow_why;
            return U8_TRUNCATED;
        }
        if (b < 0x80 || b > 0xBF) { *adv = i; return U8_TRUNCATED; }
    }
    *adv = need + 1;
    return U8_OK;
}

/* ---- the ASCII fast path ---- */

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* 1 if the 8 bytes at s are all ASCII and none is NUL. */
static int ascii8(const unsigned char *s) {
    uint64_t v;
    memcpy(&v, s, 8);
    /* (v - ONES) & ~v & HIGHS is non-zero iff some byte is 0 (the classic
     * "haszero" bit trick); any high bit set means a non-ASCII byte. */
    return ((v | ((v - ONES) & ~v)) & HIGHS) == 0;
}

/* ---- scan and fill ---- */

typedef struct {
    size_t out_len;      /* bytes after replacement */
    size_t n_cp;         /* code points */
    size_t n_replaced;   /* maximal subparts replaced by U+FFFD */
} scan_result;

static slant_status scan(const unsigned char *s, size_t len, int replace,
                         scan_result *r, slant_error *err) {
    size_t off = 0;
    memset(r, 0, sizeof *r);
    while (off < len) {
        if (len - off >= 8 && ascii8(s + off)) {
            off += 8; r->out_len += 8; r->n_cp += 8;
            continue;
        }
        unsigned c = s[off];
        if (c == 0)
            return err_set(err, SLANT_EENCODING, NULL, -1, (long long)off,
                           "NUL byte at byte %zu: binary file?", off);
        if (c < 0x80) { off++; r->out_len++; r->n_cp++; continue; }
        size_t adv;
        int why = u8_next(s + off, len - off, &adv);
        if (why == U8_OK) {
            r->out_len += adv;
        } else if (replace) {
            r->out_len += 3;
            r->n_replaced++;
        } else {
            return err_set(err, SLANT_EENCODING, NULL, -1, (long long)off,
                           "invalid UTF-8 byte 0x%02X at byte %zu: %s",
                           c, off, u8_reason(why));
        }
        off += adv;
        r->n_cp++;
    }
    return SLANT_OK;
}

/* Copies s into out (r->out_len bytes + NUL), replacing as scan() decided,
 * and writes byte_of_cp (r->n_cp + 1 entries). */
static void fill(const unsigned char *s, size_t len, char *out,
                 uint32_t *byte_of_cp, const scan_result *r) {
    size_t off = 0, o = 0, cp = 0;
    if (r->n_replaced == 0 && len > 0) memcpy(out, s, len);
    while (off < len) {
        if (len - off >= 8 && ascii8(s + off)) {
            for (int k = 0; k < 8; k++) byte_of_cp[cp++] = (uint32_t)(o + (size_t)k);
            if (r->n_replaced) memcpy(out + o, s + off, 8);
            off += 8; o += 8;
            continue;
        }
        byte_of_cp[cp++] = (uint32_t)o;
        if (s[off] < 0x80) {
            if (r->n_replaced) out[o] = (char)s[off];
            off++; o++;
            continue;
        }
        size_t adv;
        if (u8_next(s + off, len - off, &adv) == U8_OK) {
            if (r->n_replaced) memcpy(out + o, s + off, adv);
            o += adv;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
        }
        off += adv;
    }
    byte_of_cp[cp] = (uint32_t)o;
    out[o] = '\0';
}

slant_status text_load(text_buf *t, const char *p, size_t len, int replace,
                       slant_error *err) {
    slant_status st;
    scan_result r;
    text_buf nt;     /* built aside, so that t is unchanged on failure */
    text_init(&nt);

    if (len > SLANT_MAX_ARTICLE_BYTES)
        return err_set(err, SLANT_ETOOBIG, NULL, -1, -1,
                       "text is %zu bytes, the limit is %zu",
                       len, SLANT_MAX_ARTICLE_BYTES);
    if (!p && len > 0)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1, "NULL text of %zu bytes", len);

    st = scan((const unsigned char *)p, len, replace, &r, err);
    if (st != SLANT_OK) goto fail;
    /* out_len <= 3 * SLANT_MAX_ARTICLE_BYTES, so byte offsets fit uint32_t. */
    nt.data = malloc(r.out_len + 1);
    nt.byte_of_cp = malloc((r.n_cp + 1) * sizeof *nt.byte_of_cp);
    if (!nt.data || !nt.byte_of_cp) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1,
                     "out of memory for a text of %zu bytes", len);
        goto fail;
    }
    fill((const unsigned char *)p, len, nt.data, nt.byte_of_cp, &r);
    nt.len = r.out_len;
    nt.n_cp = r.n_cp;
    nt.n_replaced = r.n_replaced;
    text_fini(t);
    *t = nt;
    return SLANT_OK;

fail:
    text_fini(&nt);
    return st;
}

/* ---- files ---- */

/* Reads all of fd into *buf (*n bytes). Stops after SLANT_MAX_ARTICLE_BYTES
 * + 1 bytes, enough for text_load to say ETOOBIG without reading a huge file
 * into memory. Returns 0, or -1 with errno set. */
static int read_all(int fd, size_t hint, char **buf, size_t *n) {
    const size_t limit = SLANT_MAX_ARTICLE_BYTES + 1;
    size_t cap = hint + 1 < limit ? hint + 1 : limit;   /* +1 sees EOF at once */
    size_t len = 0;
    char *b = malloc(cap < 4096 ? 4096 : cap);
    if (!b) return -1;
    if (cap < 4096) cap = 4096;
    while (len < limit) {
        if (len == cap) {
            size_t ncap = cap * 2 < limit ? cap * 2 : limit;
            char *nb = realloc(b, ncap);
            if (!nb) { free(b); return -1; }
            b = nb; cap = ncap;
        }
        ssize_t got = read(fd, b + len, cap - len);
        if (got < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            free(b);
            errno = e;
            return -1;
        }
        if (got == 0) break;
        len += (size_t)got;
    }
    *buf = b;
    *n = len;
    return 0;
}

slant_status text_read_file(text_buf *t, const char *path, int replace,
                            slant_error *err) {
    slant_status st = SLANT_OK;
    int fd = -1;
    char *buf = NULL;
    size_t n = 0;
    struct stat sb;
    int is_stdin = strcmp(path, "-") == 0;

    if (is_stdin) fd = STDIN_FILENO;
    else if ((fd = open(path, O_RDONLY)) < 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot open %s: %s",
                     path, strerror(errno));
        goto done;
    }
    if (fstat(fd, &sb) != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot stat %s: %s",
                     path, strerror(errno));
        goto done;
    }
    if (S_ISDIR(sb.st_mode)) {
        st = err_set(err, SLANT_EIO, path, -1, -1,
                     "%s is a directory, not a text file", path);
        goto done;
    }
    size_t hint = S_ISREG(sb.st_mode) && sb.st_size > 0 ? (size_t)sb.st_size : 0;
    if (hint > SLANT_MAX_ARTICLE_BYTES) {
        st = err_set(err, SLANT_ETOOBIG, path, -1, -1,
                     "%s is %zu bytes, the limit is %zu", path, hint,
                     SLANT_MAX_ARTICLE_BYTES);
        goto done;
    }
    if (read_all(fd, hint, &buf, &n) != 0) {
        int e = errno;
        st = e == ENOMEM
           ? err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory reading %s", path)
           : err_set(err, SLANT_EIO, path, -1, -1, "cannot read %s: %s", path, strerror(e));
        goto done;
    }
    if (n > SLANT_MAX_ARTICLE_BYTES) {   /* a pipe or a file that grew */
        st = err_set(err, SLANT_ETOOBIG, path, -1, -1,
                     "%s is more than %zu bytes, the limit", path,
                     SLANT_MAX_ARTICLE_BYTES);
        goto done;
    }
    st = text_load(t, buf, n, replace, err);
    if (st != SLANT_OK && err)
        snprintf(err->file, sizeof err->file, "%s", path);

done:
    free(buf);
    if (fd >= 0 && !is_stdin) close(fd);
    return st;
}

/* ---- offsets ---- */

size_t text_cp_to_byte(const text_buf *t, size_t cp) {
    if (!t->byte_of_cp) return 0;
    if (cp > t->n_cp) cp = t->n_cp;
    return t->byte_of_cp[cp];
}

/* A byte inside a multi-byte code point maps to that code point. */
size_t text_byte_to_cp(const text_buf *t, size_t byte) {
    if (!t->byte_of_cp) return 0;
    if (byte >= t->len) return t->n_cp;
    size_t lo = 0, hi = t->n_cp;   /* byte_of_cp[lo] <= byte < byte_of_cp[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->byte_of_cp[mid] <= byte) lo = mid; else hi = mid;
    }
    return lo;
}
