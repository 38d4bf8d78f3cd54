/*
 * The model container: a versioned, checksummed file of tagged sections
 * (docs/FORMAT.md is the source of truth). Knows nothing of what the
 * sections mean (model.c does). Validation order on read: magic, version,
 * file_size, section bounds, CRC.
 */
#ifndef SLANT_MODEL_IO_H
#define SLANT_MODEL_IO_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"

#define MIO_MAGIC "SLANTMDL"
#define MIO_FORMAT_VERSION 1u

typedef struct {
    char tag[5];            /* 4 ASCII letters + NUL */
    const uint8_t *data;    /* view into the file's bytes */
    uint64_t len;
} mio_section;

typedef struct {
    uint8_t *bytes; size_t len;  /* owned: the whole file */
    uint32_t version;
    mio_section *sections; uint32_t n_sections;
} mio_file;

/* Validates buf[0..len) and fills f with views into a private copy.
 * SLANT_EFORMAT (bad magic, truncated, section out of bounds),
 * SLANT_EVERSION (newer version), SLANT_ECHECKSUM. err->offset says where. */
slant_status mio_parse(const uint8_t *buf, size_t len, mio_file *f, slant_error *err);
slant_status mio_read(const char *path, mio_file *f, slant_error *err);
void mio_fini(mio_file *f);
const mio_section *mio_find(const mio_file *f, const char *tag);

/* Writer: sections are copied in; mio_write writes path.tmp then renames. */
typedef struct {
    char (*tags)[5]; uint8_t **data; uint64_t *lens; uint32_t n, cap;
} mio_writer;

void mio_writer_init(mio_writer *w);
void mio_writer_fini(mio_writer *w);
slant_status mio_writer_add(mio_writer *w, const char *tag, const void *data, size_t len);
slant_status mio_write(const mio_writer *w, const char *path, slant_error *err);

/* Little-endian field helpers for section payloads. */
void mio_put_u32(uint8_t *p, uint32_t v);
void mio_put_u64(uint8_t *p, uint64_t v);
void mio_put_f64(uint8_t *p, double v);
uint32_t mio_get_u32(const uint8_t *p);
uint64_t mio_get_u64(const uint8_t *p);
double mio_get_f64(const uint8_t *p);

#endif
