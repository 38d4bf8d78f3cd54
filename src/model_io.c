/*
 * The model container: read, validate and atomically write a file of tagged
 * sections (layout in docs/FORMAT.md). This file owns the envelope only:
 * magic, version, sizes, the section table and the CRC. What a section's
 * bytes mean is model.c's business, and so is checking counts inside them.
 *
 * Reading trusts nothing: every field is checked before it is used, in the
 * order magic, version, file_size, header_size/n_sections, section bounds,
 * duplicates/overlaps, CRC, so the message names the first thing wrong. The
 * CRC comes last on purpose: a file from a newer slant should say "newer
 * version", not "corrupted", and a truncated one should say "truncated".
 *
 * Notation: len is the real byte count of the file; table_end is where the
 * section table ends (header_size + n_sections * 20); sections must lie in
 * [table_end, len - 4), the area between the table and the CRC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model_io.h"
#include "status.h"
#include "util/crc32.h"
#include "util/big_alloc.h"

/* mio_put_f64 copies the bits of a double; that needs IEEE-754 binary64,
 * which every platform slant targets has. */
_Static_assert(sizeof(double) == 8, "double must be IEEE-754 binary64");

/* ---- validation ---- */

/* Field offsets in the fixed header. */
enum { OFF_MAGIC = 0, OFF_VERSION = 8, OFF_HEADER_SIZE = 12, OFF_FILE_SIZE = 16,
       OFF_N_SECTIONS = 24 };

/* A tag is 4 printable, non-space ASCII characters, so it can be quoted in
 * an error message as is. */
static int tag_ok(const uint8_t *t) {
    for (int i = 0; i < 4; i++)
        if (t[i] < 0x21 || t[i] > 0x7E) return 0;
    return 1;
}

typedef struct {
    uint64_t off, len;      /* the section's [off, off+len) in the file */
    uint32_t entry;         /* its index in the table, for messages */
} span_ref;

static int cmp_span_by_offset(const void *a, const void *b) {
    const span_ref *x = a, *y = b;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return 0;
}

/* Takes ownership of bytes[0..len) (frees it on failure) and validates it.
 * name is the file for err->file, NULL for a buffer. */
static slant_status parse_owned(uint8_t *bytes, size_t len, mio_file *f,
                                const char *name, slant_error *err) {
    slant_status st;
    mio_section *secs = NULL;
    span_ref *spans = NULL;
    memset(f, 0, sizeof *f);

    size_t magic_n = len < 8 ? len : 8;
    if (memcmp(bytes, MIO_MAGIC, magic_n) != 0) {
        st = err_set(err, SLANT_EFORMAT, name, -1, OFF_MAGIC, "not a slant model (bad magic)");
        goto fail;
    }
    if (len < MIO_HEADER_MIN) {
        /* The version sits at 8..12: when present, a newer file truncated
         * here should still say "newer". */
        if (len >= OFF_VERSION + 4 && mio_get_u32(bytes + OFF_VERSION) > MIO_FORMAT_VERSION) {
            st = err_set(err, SLANT_EVERSION, name, -1, OFF_VERSION,
                         "model format version %u, this build reads %u: upgrade slant or retrain",
                         mio_get_u32(bytes + OFF_VERSION), MIO_FORMAT_VERSION);
            goto fail;
        }
        st = err_set(err, SLANT_EFORMAT, name, -1, (long long)len,
                     "truncated: file has %zu bytes, a model header needs %u", len, MIO_HEADER_MIN);
        goto fail;
    }

    uint32_t version = mio_get_u32(bytes + OFF_VERSION);
    if (version == 0) {
        st = err_set(err, SLANT_EFORMAT, name, -1, OFF_VERSION, "model format version 0 is invalid");
        goto fail;
    }
    if (version > MIO_FORMAT_VERSION) {
        st = err_set(err, SLANT_EVERSION, name, -1, OFF_VERSION,
                     "model format version %u, this build reads %u: upgrade slant or retrain",
                     version, MIO_FORMAT_VERSION);
        goto fail;
    }

    uint64_t file_size = mio_get_u64(bytes + OFF_FILE_SIZE);
    if (file_size > len) {
        st = err_set(err, SLANT_EFORMAT, name, -1, (long long)len,
                     "truncated: header says %llu bytes, file has %zu",
                     (unsigned long long)file_size, len);
        goto fail;
    }
    if (file_size < len) {
        st = err_set(err, SLANT_EFORMAT, name, -1, (long long)file_size,
                     "trailing data: header says %llu bytes, file has %zu",
                     (unsigned long long)file_size, len);
        goto fail;
    }

    /* From here len == file_size >= MIO_HEADER_MIN > MIO_CRC_SIZE. */
    uint64_t area_end = (uint64_t)len - MIO_CRC_SIZE; /* sections end before the CRC */
    uint32_t header_size = mio_get_u32(bytes + OFF_HEADER_SIZE);
    if (header_size < MIO_HEADER_MIN) {
        st = err_set(err, SLANT_EFORMAT, name, -1, OFF_HEADER_SIZE,
                     "header_size %u is below the minimum %u", header_size, MIO_HEADER_MIN);
        goto fail;
    }
    if (header_size > area_end) {
        st = err_set(err, SLANT_EFORMAT, name, -1, OFF_HEADER_SIZE,
                     "header_size %u runs past the end of the file (%zu bytes)", header_size, len);
        goto fail;
    }

    /* Bounded by the file before anything is allocated, so a corrupt count
     * cannot ask for gigabytes. No overflow: both terms are below 2^37. */
    uint32_t n = mio_get_u32(bytes + OFF_N_SECTIONS);
    uint64_t table_end = (uint64_t)header_size + (uint64_t)n * MIO_ENTRY_SIZE;
    if (table_end > area_end) {
        st = err_set(err, SLANT_EFORMAT, name, -1, OFF_N_SECTIONS,
                     "n_sections %u needs a %llu-byte table, but only %llu bytes follow the header",
                     n, (unsigned long long)n * MIO_ENTRY_SIZE,
                     (unsigned long long)(area_end - header_size));
        goto fail;
    }

    if (!(secs = calloc(n ? n : 1, sizeof *secs)) || !(spans = calloc(n ? n : 1, sizeof *spans))) {
        st = err_set(err, SLANT_ENOMEM, name, -1, -1, "out of memory reading the section table");
        goto fail;
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = bytes + header_size + (size_t)i * MIO_ENTRY_SIZE;
        long long e_off = (long long)(header_size + (uint64_t)i * MIO_ENTRY_SIZE);
        if (!tag_ok(e)) {
            st = err_set(err, SLANT_EFORMAT, name, -1, e_off,
                         "section %u has a tag that is not 4 printable ASCII characters", i);
            goto fail;
        }
        memcpy(secs[i].tag, e, 4);
        secs[i].tag[4] = '\0';
        uint64_t off = mio_get_u64(e + 4), slen = mio_get_u64(e + 12);
        /* Written so that nothing can overflow: off <= area_end first. */
        if (off < table_end || off > area_end || slen > area_end - off) {
            st = err_set(err, SLANT_EFORMAT, name, -1, e_off,
                         "section '%s' [%llu,+%llu) lies outside the file "
                         "(sections must lie within [%llu,%llu))",
                         secs[i].tag, (unsigned long long)off, (unsigned long long)slen,
                         (unsigned long long)table_end, (unsigned long long)area_end);
            goto fail;
        }
        for (uint32_t j = 0; j < i; j++) {
            /* Quadratic, but n <= len / 20 and real models have ~6 sections;
             * the fuzzer's worst case (a few thousand) is still milliseconds. */
            if (memcmp(secs[j].tag, secs[i].tag, 4) == 0) {
                st = err_set(err, SLANT_EFORMAT, name, -1, e_off,
                             "section '%s' appears twice (entries %u and %u)", secs[i].tag, j, i);
                goto fail;
            }
        }
        secs[i].data = bytes + off;
        secs[i].len = slen;
        spans[i] = (span_ref){ off, slen, i };
    }

    /* Overlapping sections would let one payload silently alias another. */
    qsort(spans, n, sizeof *spans, cmp_span_by_offset);
    for (uint32_t i = 1; i < n; i++) {
        if (spans[i - 1].off + spans[i - 1].len > spans[i].off) {
            const mio_section *a = &secs[spans[i - 1].entry], *b = &secs[spans[i].entry];
            st = err_set(err, SLANT_EFORMAT, name, -1, (long long)spans[i].off,
                         "sections '%s' and '%s' overlap at byte %llu", a->tag, b->tag,
                         (unsigned long long)spans[i].off);
            goto fail;
        }
    }

    uint32_t stored = mio_get_u32(bytes + area_end);
    uint32_t computed = crc32_update(0, bytes, (size_t)area_end);
    if (stored != computed) {
        st = err_set(err, SLANT_ECHECKSUM, name, -1, (long long)area_end,
                     "checksum mismatch: the file is corrupted (stored %08x, computed %08x)",
                     (unsigned)stored, (unsigned)computed);
        goto fail;
    }

    free(spans);
    f->bytes = bytes;
    f->len = len;
    f->version = version;
    f->sections = secs;
    f->n_sections = n;
    return SLANT_OK;

fail:
    free(spans);
    free(secs);
    free(bytes);
    memset(f, 0, sizeof *f);
    return st;
}

slant_status mio_parse(const uint8_t *buf, size_t len, mio_file *f, slant_error *err) {
    memset(f, 0, sizeof *f);
    if (!buf && len > 0) return err_set(err, SLANT_EINVAL, NULL, -1, -1, "NULL buffer");
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory copying %zu bytes", len);
    if (len) memcpy(copy, buf, len);
    return parse_owned(copy, len, f, NULL, err);
}

slant_status mio_read(const char *path, mio_file *f, slant_error *err) {
    slant_status st;
    uint8_t *buf = NULL;
    memset(f, 0, sizeof *f);

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, SLANT_EIO, path, -1, -1, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot stat: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "not a regular file");
        goto fail;
    }
    if ((uintmax_t)sb.st_size > (uintmax_t)SIZE_MAX) {
        st = err_set(err, SLANT_ENOMEM, path, -1, -1, "file too large for this machine");
        goto fail;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    /* Huge pages where the kernel gives them: a model is megabytes, and
     * faulting it in 4 KiB pages was a tenth of a model's load. */
    if (!(buf = big_calloc(size, 64))) {
        st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory reading %zu bytes", size);
        goto fail;
    }
    /* One read normally; the loop only covers short reads and signals. If
     * the file shrinks meanwhile, what was read is judged as it stands. */
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            st = err_set(err, SLANT_EIO, path, -1, (long long)got, "cannot read: %s", strerror(errno));
            goto fail;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    close(fd);
    return parse_owned(buf, got, f, path, err);

fail:
    free(buf);
    close(fd);
    return st;
}

void mio_fini(mio_file *f) {
    if (!f) return;
    free(f->bytes);
    free(f->sections);
    memset(f, 0, sizeof *f);
}

const mio_section *mio_find(const mio_file *f, const char *tag) {
    if (!f || !tag || strlen(tag) != 4) return NULL;
    for (uint32_t i = 0; i < f->n_sections; i++)
        if (memcmp(f->sections[i].tag, tag, 4) == 0) return &f->sections[i];
    return NULL;
}

/* ---- writing ---- */

void mio_writer_init(mio_writer *w) {
    memset(w, 0, sizeof *w);
}

void mio_writer_fini(mio_writer *w) {
    if (!w) return;
    for (uint32_t i = 0; i < w->n; i++) free(w->data[i]);
    free(w->tags);
    free(w->data);
    free(w->lens);
    memset(w, 0, sizeof *w);
}

slant_status mio_writer_add(mio_writer *w, const char *tag, const void *data, size_t len) {
    if (!tag || strlen(tag) != 4 || !tag_ok((const uint8_t *)tag) || (!data && len > 0))
        return SLANT_EINVAL;
    for (uint32_t i = 0; i < w->n; i++)
        if (memcmp(w->tags[i], tag, 4) == 0) return SLANT_EINVAL;
    if (w->n == w->cap) {
        if (w->cap > UINT32_MAX / 2) return SLANT_ENOMEM;
        uint32_t cap = w->cap ? w->cap * 2 : 8;
        /* Each array is committed as soon as it grows, so a later failure
         * leaves the writer valid: arrays larger than cap are harmless. */
        char (*tags)[5] = realloc(w->tags, cap * sizeof *tags);
        if (!tags) return SLANT_ENOMEM;
        w->tags = tags;
        uint8_t **dp = realloc(w->data, cap * sizeof *dp);
        if (!dp) return SLANT_ENOMEM;
        w->data = dp;
        uint64_t *lens = realloc(w->lens, cap * sizeof *lens);
        if (!lens) return SLANT_ENOMEM;
        w->lens = lens;
        w->cap = cap;
    }
    uint8_t *copy = NULL;
    if (len > 0) {
        if (!(copy = malloc(len))) return SLANT_ENOMEM;
        memcpy(copy, data, len);
    }
    memcpy(w->tags[w->n], tag, 5);
    w->data[w->n] = copy;
    w->lens[w->n] = len;
    w->n++;
    return SLANT_OK;
}

static uint64_t align_up(uint64_t x) {
    return (x + (MIO_ALIGN - 1)) & ~(uint64_t)(MIO_ALIGN - 1);
}

slant_status mio_serialize(const mio_writer *w, uint8_t **out, size_t *len) {
    *out = NULL;
    *len = 0;
    /* Sections start 8-aligned (zero padding, covered by the CRC) so that a
     * later mmap-based reader could view f64 arrays in place. */
    uint64_t table_end = MIO_HEADER_MIN + (uint64_t)w->n * MIO_ENTRY_SIZE;
    uint64_t end = table_end;
    for (uint32_t i = 0; i < w->n; i++) {
        end = align_up(end);
        if (w->lens[i] > UINT64_MAX / 2 - end) return SLANT_ENOMEM;
        end += w->lens[i];
    }
    uint64_t total = end + MIO_CRC_SIZE;
    if (total > SIZE_MAX) return SLANT_ENOMEM;

    uint8_t *b = calloc((size_t)total, 1); /* calloc: padding bytes are zero */
    if (!b) return SLANT_ENOMEM;
    memcpy(b + OFF_MAGIC, MIO_MAGIC, 8);
    mio_put_u32(b + OFF_VERSION, MIO_FORMAT_VERSION);
    mio_put_u32(b + OFF_HEADER_SIZE, MIO_HEADER_MIN);
    mio_put_u64(b + OFF_FILE_SIZE, total);
    mio_put_u32(b + OFF_N_SECTIONS, w->n);
    uint64_t pos = table_end;
    for (uint32_t i = 0; i < w->n; i++) {
        uint8_t *e = b + MIO_HEADER_MIN + (size_t)i * MIO_ENTRY_SIZE;
        pos = align_up(pos);
        memcpy(e, w->tags[i], 4);
        mio_put_u64(e + 4, pos);
        mio_put_u64(e + 12, w->lens[i]);
        if (w->lens[i]) memcpy(b + pos, w->data[i], (size_t)w->lens[i]);
        pos += w->lens[i];
    }
    mio_put_u32(b + end, crc32_update(0, b, (size_t)end));
    *out = b;
    *len = (size_t)total;
    return SLANT_OK;
}

/* Writes all of buf, retrying short writes and signals. 0 or -1 (errno set). */
static int write_all(int fd, const uint8_t *buf, size_t len) {
    while (len > 0) {
        ssize_t r = write(fd, buf, len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        buf += r;
        len -= (size_t)r;
    }
    return 0;
}

slant_status mio_write(const mio_writer *w, const char *path, slant_error *err) {
    slant_status st;
    uint8_t *bytes = NULL;
    char *tmp = NULL;
    size_t len;
    int fd = -1, created = 0; /* created: tmp is ours to remove on failure */

    if ((st = mio_serialize(w, &bytes, &len)) != SLANT_OK)
        return err_set(err, st, path, -1, -1, "out of memory building the model file");
    size_t plen = strlen(path);
    if (!(tmp = malloc(plen + sizeof ".tmp"))) {
        st = err_set(err, SLANT_ENOMEM, path, -1, -1, "out of memory");
        goto done;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", sizeof ".tmp");

    /* The new file is complete and on disk before it takes path's name, so
     * a crash leaves either the old model or the new one, never half of
     * one. fsync before rename: without it, ext4 and others may commit the
     * rename first and show an empty file after a power cut. */
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot create '%s': %s", tmp, strerror(errno));
        goto done;
    }
    created = 1;
    if (write_all(fd, bytes, len) != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot write '%s': %s", tmp, strerror(errno));
        goto done;
    }
    if (fsync(fd) != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot sync '%s': %s", tmp, strerror(errno));
        goto done;
    }
    int rc = close(fd);
    fd = -1;
    if (rc != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot write '%s': %s", tmp, strerror(errno));
        goto done;
    }
    if (rename(tmp, path) != 0) {
        st = err_set(err, SLANT_EIO, path, -1, -1, "cannot rename '%s' to '%s': %s", tmp, path,
                     strerror(errno));
        goto done;
    }
    st = SLANT_OK;

done:
    if (fd >= 0) close(fd);
    if (st != SLANT_OK && created) unlink(tmp); /* never leave path.tmp behind */
    free(tmp);
    free(bytes);
    return st;
}
