/*
 * The model container: a versioned, checksummed file of tagged sections
 * (docs/FORMAT.md is the source of truth). Knows nothing of what the
 * sections mean (model.c does). Validation order on read: magic, version,
 * file_size, header/table bounds, section bounds, duplicates and overlaps,
 * CRC. All integers in the file are little-endian.
 */
#ifndef SLANT_MODEL_IO_H
#define SLANT_MODEL_IO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "slant.h"

#define MIO_MAGIC "SLANTMDL"     /* 8 bytes, no NUL in the file */
#define MIO_FORMAT_VERSION 1u    /* bump on any incompatible change */
#define MIO_HEADER_MIN 28u       /* magic..n_sections: the fields version 1 knows */
#define MIO_ENTRY_SIZE 20u       /* one table entry: tag[4], offset u64, length u64 */
#define MIO_CRC_SIZE 4u          /* trailing crc32 */
#define MIO_ALIGN 8u             /* the writer starts each section at a multiple of 8 */

typedef struct {
    char tag[5];            /* 4 printable ASCII characters + NUL */
    const uint8_t *data;    /* view into mio_file.bytes; len bytes */
    uint64_t len;           /* payload length in bytes */
} mio_section;

typedef struct {
    uint8_t *bytes; size_t len;  /* owned: the whole file */
    uint32_t version;            /* format_version read from the file */
    mio_section *sections;       /* owned: n_sections entries, in table order */
    uint32_t n_sections;
} mio_file;

/* Validates buf[0..len) and fills f with views into a private copy; free
 * with mio_fini. On failure f is left empty (mio_fini is still safe) and:
 * SLANT_EFORMAT (bad magic, truncated, bad header_size, absurd n_sections,
 * section out of bounds, duplicate or overlapping sections),
 * SLANT_EVERSION (newer version), SLANT_ECHECKSUM, SLANT_ENOMEM.
 * err->offset is the byte where the problem was found. */
slant_status mio_parse(const uint8_t *buf, size_t len, mio_file *f, slant_error *err);
/* Reads the whole file in one go and validates it as mio_parse does;
 * err->file names path. Also SLANT_EIO when it cannot be opened or read. */
slant_status mio_read(const char *path, mio_file *f, slant_error *err);
/* Frees what f owns and empties it; a zeroed or already-finished f is fine. */
void mio_fini(mio_file *f);
/* The section named tag (4 characters), or NULL: a view into f. */
const mio_section *mio_find(const mio_file *f, const char *tag);

/* Writer: sections are copied in, in the order they are added; a tag may
 * appear once. mio_write writes path.tmp then renames it over path. */
typedef struct {
    char (*tags)[5];        /* n tags, NUL-terminated */
    uint8_t **data;         /* n owned copies (NULL when the length is 0) */
    uint64_t *lens;         /* n payload lengths in bytes */
    uint32_t n, cap;        /* used and allocated entries */
} mio_writer;

void mio_writer_init(mio_writer *w);
void mio_writer_fini(mio_writer *w);
/* Copies data[0..len). SLANT_EINVAL for a tag that is not 4 printable
 * ASCII characters or is already present, SLANT_ENOMEM. */
slant_status mio_writer_add(mio_writer *w, const char *tag, const void *data, size_t len);
/* The whole file as bytes: *out is a new buffer of *len bytes; free with
 * free(). The same writer always gives the same bytes. */
slant_status mio_serialize(const mio_writer *w, uint8_t **out, size_t *len);
/* Atomic save: path is either untouched or the complete new file, and
 * path.tmp never outlives the call. SLANT_EIO naming the path, SLANT_ENOMEM. */
slant_status mio_write(const mio_writer *w, const char *path, slant_error *err);

/* Little-endian field helpers for section payloads; p need not be aligned.
 * Doubles travel as their IEEE-754 bits, so -0.0, inf, NaN payloads and
 * subnormals round-trip exactly. Inline: loading a model reads a million
 * fields, and compilers turn these byte shuffles into single loads. */
static inline void mio_put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void mio_put_u64(uint8_t *p, uint64_t v) {
    mio_put_u32(p, (uint32_t)v);
    mio_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline void mio_put_f64(uint8_t *p, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);   /* the defined way to see a double's bits */
    mio_put_u64(p, bits);
}

static inline uint32_t mio_get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mio_get_u64(const uint8_t *p) {
    return (uint64_t)mio_get_u32(p) | (uint64_t)mio_get_u32(p + 4) << 32;
}

static inline double mio_get_f64(const uint8_t *p) {
    uint64_t bits = mio_get_u64(p);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

#endif
