/*
 * Tests for the model container (src/model_io.c) and its CRC: round trips
 * through memory and disk, and one test per way a file can be wrong, each
 * checking that the loader names that problem and no other. Damage is
 * applied to a small sample file; where a test wants one specific fault,
 * it recomputes the CRC so that the fault, not the checksum, is what is
 * detected.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "model_io.h"
#include "util/crc32.h"

/* ---- helpers ---- */

static const char labl[] = "O\0B-Loaded_Language\0I-Loaded_Language";
static const uint8_t tran[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
static const char meta[] = "c2=1.0\nmax_iter=100\n";

/* A writer holding three sections of odd lengths (so padding is exercised)
 * and one empty one. */
static void sample_writer(mio_writer *w) {
    mio_writer_init(w);
    CHECK_EQ_INT(mio_writer_add(w, "LABL", labl, sizeof labl), SLANT_OK);
    CHECK_EQ_INT(mio_writer_add(w, "TRAN", tran, sizeof tran), SLANT_OK);
    CHECK_EQ_INT(mio_writer_add(w, "EMPT", NULL, 0), SLANT_OK);
    CHECK_EQ_INT(mio_writer_add(w, "META", meta, sizeof meta - 1), SLANT_OK);
}

/* The sample file as bytes; free with free(). */
static uint8_t *sample_bytes(size_t *len) {
    mio_writer w;
    uint8_t *b = NULL;
    sample_writer(&w);
    CHECK_EQ_INT(mio_serialize(&w, &b, len), SLANT_OK);
    mio_writer_fini(&w);
    return b;
}

static void refresh_crc(uint8_t *b, size_t len) {
    mio_put_u32(b + len - 4, crc32_update(0, b, len - 4));
}

/* Parses b[0..len) and returns the status, keeping the message in err. */
static slant_status parse_status(const uint8_t *b, size_t len, slant_error *err) {
    mio_file f;
    slant_error_clear(err);
    slant_status st = mio_parse(b, len, &f, err);
    mio_fini(&f);
    return st;
}

static int contains(const char *s, const char *needle) {
    return strstr(s, needle) != NULL;
}

static char tmpdir[64];

static void path_in_tmp(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static int file_exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Reads a whole file into a new buffer (test-side, independent of mio_read). */
static uint8_t *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    uint8_t *b = malloc(1 << 16);
    *len = fread(b, 1, 1 << 16, fp);
    fclose(fp);
    return b;
}

/* ---- checksum and byte helpers ---- */

static void crc32_should_match_the_standard_check_value(void) {
    CHECK_EQ_INT(crc32_update(0, "123456789", 9), 0xCBF43926u);
    CHECK_EQ_INT(crc32_update(0, NULL, 0), 0);
    /* Running in two pieces gives the same as one pass. */
    CHECK_EQ_INT(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

static void le_helpers_should_write_little_endian_and_round_trip(void) {
    uint8_t b[8];
    mio_put_u32(b, 0x01020304u);
    CHECK(b[0] == 4 && b[1] == 3 && b[2] == 2 && b[3] == 1);
    CHECK_EQ_INT(mio_get_u32(b), 0x01020304u);
    mio_put_u64(b, 0x0102030405060708ull);
    CHECK(b[0] == 8 && b[7] == 1);
    CHECK(mio_get_u64(b) == 0x0102030405060708ull);
    mio_put_u64(b, UINT64_MAX);
    CHECK(mio_get_u64(b) == UINT64_MAX);
    mio_put_f64(b, 1.0); /* 0x3FF0000000000000 */
    CHECK(b[7] == 0x3F && b[6] == 0xF0 && b[0] == 0);
}

static void f64_helpers_should_round_trip_negative_zero_infinity_and_subnormals(void) {
    const double vals[] = { 0.0, -0.0, 1.0, -2.5, DBL_MAX, DBL_MIN, DBL_MIN / 4.0,
                            5e-324 /* smallest subnormal */, INFINITY, -INFINITY, 0.1 };
    uint8_t b[9];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        mio_put_f64(b + 1, vals[i]); /* unaligned on purpose */
        double v = mio_get_f64(b + 1);
        CHECK(memcmp(&v, &vals[i], sizeof v) == 0); /* bit-exact, so -0.0 keeps its sign */
    }
    mio_put_f64(b, -0.0);
    CHECK(signbit(mio_get_f64(b)));
    CHECK(fpclassify(mio_get_f64((mio_put_f64(b, 5e-324), b))) == FP_SUBNORMAL);
    mio_put_f64(b, NAN);
    CHECK(isnan(mio_get_f64(b)));
}

/* ---- round trips ---- */

static void parse_should_give_back_every_section_byte_for_byte(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    mio_file f;
    slant_error err;
    CHECK_EQ_INT(mio_parse(b, len, &f, &err), SLANT_OK);
    CHECK_EQ_INT(f.version, MIO_FORMAT_VERSION);
    CHECK_EQ_INT(f.n_sections, 4);
    CHECK_STR(f.sections[0].tag, "LABL");
    CHECK_EQ_INT(f.sections[0].len, sizeof labl);
    CHECK(memcmp(f.sections[0].data, labl, sizeof labl) == 0);
    CHECK_EQ_INT(f.sections[1].len, sizeof tran);
    CHECK(memcmp(f.sections[1].data, tran, sizeof tran) == 0);
    CHECK_EQ_INT(f.sections[2].len, 0);
    CHECK_EQ_INT(f.sections[3].len, sizeof meta - 1);
    CHECK(memcmp(f.sections[3].data, meta, sizeof meta - 1) == 0);
    for (uint32_t i = 0; i < f.n_sections; i++) /* the writer aligns sections */
        CHECK_EQ_INT((f.sections[i].data - f.bytes) % MIO_ALIGN, 0);
    mio_fini(&f);
    mio_fini(&f); /* a second fini is harmless */
    free(b);
}

static void save_then_load_should_give_the_same_bytes(void) {
    char path[128];
    path_in_tmp(path, sizeof path, "model.bin");
    mio_writer w;
    sample_writer(&w);
    slant_error err;
    CHECK_EQ_INT(mio_write(&w, path, &err), SLANT_OK);
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(!file_exists(tmp));

    uint8_t *want = NULL;
    size_t want_len, got_len = 0;
    CHECK_EQ_INT(mio_serialize(&w, &want, &want_len), SLANT_OK);
    uint8_t *got = slurp(path, &got_len);
    CHECK(got != NULL);
    CHECK_EQ_INT(got_len, want_len);
    CHECK(got && memcmp(got, want, want_len) == 0);

    mio_file f;
    CHECK_EQ_INT(mio_read(path, &f, &err), SLANT_OK);
    CHECK_EQ_INT(f.len, want_len);
    CHECK(memcmp(f.bytes, want, want_len) == 0);
    const mio_section *s = mio_find(&f, "TRAN");
    CHECK(s && s->len == sizeof tran && memcmp(s->data, tran, sizeof tran) == 0);
    mio_fini(&f);
    mio_writer_fini(&w);
    free(want);
    free(got);
    unlink(path);
}

static void save_load_save_should_be_byte_identical(void) {
    char p1[128], p2[128];
    path_in_tmp(p1, sizeof p1, "first.bin");
    path_in_tmp(p2, sizeof p2, "second.bin");
    mio_writer w;
    sample_writer(&w);
    CHECK_EQ_INT(mio_write(&w, p1, NULL), SLANT_OK);
    mio_writer_fini(&w);

    mio_file f;
    CHECK_EQ_INT(mio_read(p1, &f, NULL), SLANT_OK);
    mio_writer_init(&w);
    for (uint32_t i = 0; i < f.n_sections; i++)
        CHECK_EQ_INT(mio_writer_add(&w, f.sections[i].tag, f.sections[i].data,
                                    (size_t)f.sections[i].len), SLANT_OK);
    CHECK_EQ_INT(mio_write(&w, p2, NULL), SLANT_OK);
    mio_writer_fini(&w);
    mio_fini(&f);

    size_t l1 = 0, l2 = 0;
    uint8_t *b1 = slurp(p1, &l1), *b2 = slurp(p2, &l2);
    CHECK(b1 && b2);
    CHECK_EQ_INT(l1, l2);
    CHECK(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
    unlink(p1);
    unlink(p2);
}

static void zero_sections_should_load(void) {
    mio_writer w;
    mio_writer_init(&w);
    uint8_t *b;
    size_t len;
    CHECK_EQ_INT(mio_serialize(&w, &b, &len), SLANT_OK);
    CHECK_EQ_INT(len, MIO_HEADER_MIN + MIO_CRC_SIZE);
    mio_file f;
    CHECK_EQ_INT(mio_parse(b, len, &f, NULL), SLANT_OK);
    CHECK_EQ_INT(f.n_sections, 0);
    CHECK(mio_find(&f, "LABL") == NULL);
    mio_fini(&f);
    mio_writer_fini(&w);
    free(b);
}

static void find_should_return_the_named_section_or_null(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    mio_file f;
    CHECK_EQ_INT(mio_parse(b, len, &f, NULL), SLANT_OK);
    const mio_section *s = mio_find(&f, "META");
    CHECK(s != NULL);
    CHECK(s && s->len == sizeof meta - 1 && memcmp(s->data, meta, s->len) == 0);
    CHECK(mio_find(&f, "EMPT") != NULL && mio_find(&f, "EMPT")->len == 0);
    CHECK(mio_find(&f, "FEAT") == NULL);
    CHECK(mio_find(&f, "LAB") == NULL);   /* not 4 characters */
    CHECK(mio_find(&f, "LABLX") == NULL);
    CHECK(mio_find(&f, NULL) == NULL);
    CHECK(mio_find(NULL, "LABL") == NULL);
    mio_fini(&f);
    free(b);
}

static void writer_should_refuse_bad_and_repeated_tags(void) {
    mio_writer w;
    mio_writer_init(&w);
    CHECK_EQ_INT(mio_writer_add(&w, "ABC", "x", 1), SLANT_EINVAL);
    CHECK_EQ_INT(mio_writer_add(&w, "AB D", "x", 1), SLANT_EINVAL);
    CHECK_EQ_INT(mio_writer_add(&w, "ABCDE", "x", 1), SLANT_EINVAL);
    CHECK_EQ_INT(mio_writer_add(&w, "ABCD", NULL, 1), SLANT_EINVAL);
    CHECK_EQ_INT(mio_writer_add(&w, "ABCD", "x", 1), SLANT_OK);
    CHECK_EQ_INT(mio_writer_add(&w, "ABCD", "y", 1), SLANT_EINVAL);
    for (unsigned i = 0; i < 40; i++) { /* grows past the first allocation */
        char tag[5] = { 'S', (char)('0' + i / 10), (char)('0' + i % 10), 'x', '\0' };
        CHECK_EQ_INT(mio_writer_add(&w, tag, tag, 4), SLANT_OK);
    }
    CHECK_EQ_INT(w.n, 41);
    mio_writer_fini(&w);
    mio_writer_fini(&w);
}

/* ---- damage ---- */

static void flipping_any_payload_byte_should_give_echecksum(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    uint32_t n = mio_get_u32(b + 24);
    /* Every byte from the end of the table to the end of the file: payloads,
     * the zero padding between them, and the CRC itself. */
    size_t first = MIO_HEADER_MIN + (size_t)n * MIO_ENTRY_SIZE;
    for (size_t i = first; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            b[i] ^= (uint8_t)(1u << bit);
            slant_error err;
            slant_status st = parse_status(b, len, &err);
            if (st != SLANT_ECHECKSUM) fprintf(stderr, "  byte %zu bit %d: status %d\n", i, bit, st);
            CHECK_EQ_INT(st, SLANT_ECHECKSUM);
            CHECK(contains(err.message, "checksum mismatch: the file is corrupted"));
            CHECK_EQ_INT(err.offset, (long long)(len - 4));
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    CHECK_EQ_INT(parse_status(b, len, NULL), SLANT_OK);
    free(b);
}

static void flipping_any_byte_at_all_should_never_load(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            slant_error err;
            slant_status st = parse_status(b, len, &err);
            CHECK(st != SLANT_OK);
            CHECK(err.message[0] != '\0');
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(b);
}

static void truncation_anywhere_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    uint32_t n = mio_get_u32(b + 24);
    size_t table_end = MIO_HEADER_MIN + (size_t)n * MIO_ENTRY_SIZE;
    uint64_t tran_off = mio_get_u64(b + MIO_HEADER_MIN + MIO_ENTRY_SIZE + 4);
    const size_t points[] = { 0, 7, 20, MIO_HEADER_MIN + MIO_ENTRY_SIZE + 7 /* mid-table */,
                              table_end, (size_t)tran_off + 5 /* mid-section */, len - 1 };
    for (size_t k = 0; k < sizeof points / sizeof points[0]; k++) {
        slant_error err;
        CHECK_EQ_INT(parse_status(b, points[k], &err), SLANT_EFORMAT);
        CHECK(contains(err.message, "truncated"));
    }
    /* The message says how much was promised and how much there is. */
    slant_error err;
    char want[96];
    snprintf(want, sizeof want, "truncated: header says %zu bytes, file has %zu", len, len - 1);
    parse_status(b, len - 1, &err);
    CHECK_STR(err.message, want);
    CHECK_EQ_INT(err.offset, (long long)(len - 1));
    /* And every other length too. */
    for (size_t cut = 0; cut < len; cut++)
        CHECK_EQ_INT(parse_status(b, cut, NULL), SLANT_EFORMAT);
    free(b);
}

static void trailing_bytes_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    uint8_t *longer = calloc(len + 3, 1);
    memcpy(longer, b, len);
    slant_error err;
    CHECK_EQ_INT(parse_status(longer, len + 3, &err), SLANT_EFORMAT);
    CHECK(contains(err.message, "trailing data"));
    free(longer);
    free(b);
}

static void newer_version_should_give_eversion_not_echecksum(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    mio_put_u32(b + 8, MIO_FORMAT_VERSION + 1);
    refresh_crc(b, len);
    slant_error err;
    CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EVERSION);
    char want[96];
    snprintf(want, sizeof want, "model format version %u, this build reads %u: upgrade slant or retrain",
             MIO_FORMAT_VERSION + 1, MIO_FORMAT_VERSION);
    CHECK_STR(err.message, want);
    CHECK_EQ_INT(err.offset, 8);
    /* Without the CRC fix the version is still what is reported: it is
     * checked first. */
    b[len - 1] ^= 0xFF;
    CHECK_EQ_INT(parse_status(b, len, NULL), SLANT_EVERSION);
    /* Even a newer file cut short after the version says "newer". */
    CHECK_EQ_INT(parse_status(b, 12, NULL), SLANT_EVERSION);
    /* Version 0 was never written: malformed, not newer. */
    mio_put_u32(b + 8, 0);
    refresh_crc(b, len);
    CHECK_EQ_INT(parse_status(b, len, NULL), SLANT_EFORMAT);
    free(b);
}

static void bad_magic_should_say_not_a_slant_model(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    b[3] = 'x';
    refresh_crc(b, len);
    slant_error err;
    CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
    CHECK_STR(err.message, "not a slant model (bad magic)");
    CHECK_EQ_INT(err.offset, 0);
    const char text[] = "this is a news article, not a model";
    CHECK_EQ_INT(parse_status((const uint8_t *)text, sizeof text - 1, &err), SLANT_EFORMAT);
    CHECK_STR(err.message, "not a slant model (bad magic)");
    CHECK_EQ_INT(parse_status((const uint8_t *)"GIF", 3, &err), SLANT_EFORMAT);
    CHECK_STR(err.message, "not a slant model (bad magic)");
    free(b);
}

/* Rewrites table entry i's offset and length and fixes the CRC. */
static void set_entry(uint8_t *b, size_t len, uint32_t i, uint64_t off, uint64_t slen) {
    uint8_t *e = b + MIO_HEADER_MIN + (size_t)i * MIO_ENTRY_SIZE;
    mio_put_u64(e + 4, off);
    mio_put_u64(e + 12, slen);
    refresh_crc(b, len);
}

static void section_outside_the_file_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, b, len);
    size_t table_end = MIO_HEADER_MIN + 4 * MIO_ENTRY_SIZE;
    const struct { uint64_t off, len; } bad[] = {
        { len, 1 },                 /* starts past the end */
        { len - 4, 1 },             /* covers the CRC */
        { table_end, len },         /* runs past the end */
        { 8, 4 },                   /* inside the header */
        { table_end - 4, 8 },       /* overlaps the table */
        { table_end, UINT64_MAX },  /* offset + length overflows */
        { UINT64_MAX, 2 },
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        memcpy(b, orig, len);
        set_entry(b, len, 1, bad[k].off, bad[k].len);
        slant_error err;
        CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
        CHECK(contains(err.message, "section 'TRAN' ["));
        CHECK(contains(err.message, "lies outside the file"));
        CHECK_EQ_INT(err.offset, MIO_HEADER_MIN + MIO_ENTRY_SIZE);
    }
    /* An empty section right before the CRC is inside. */
    memcpy(b, orig, len);
    set_entry(b, len, 2, len - 4, 0);
    CHECK_EQ_INT(parse_status(b, len, NULL), SLANT_OK);
    free(orig);
    free(b);
}

static void duplicate_and_overlapping_sections_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    uint8_t *orig = malloc(len);
    memcpy(orig, b, len);
    slant_error err;

    memcpy(b + MIO_HEADER_MIN + 3 * MIO_ENTRY_SIZE, "LABL", 4); /* META -> LABL */
    refresh_crc(b, len);
    CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
    CHECK(contains(err.message, "'LABL' appears twice"));

    memcpy(b, orig, len);
    uint64_t labl_off = mio_get_u64(b + MIO_HEADER_MIN + 4);
    set_entry(b, len, 1, labl_off + 2, 4); /* TRAN now inside LABL */
    CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
    CHECK(contains(err.message, "overlap"));

    memcpy(b, orig, len);
    memcpy(b + MIO_HEADER_MIN, "LA\nL", 4); /* unprintable tag */
    refresh_crc(b, len);
    CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
    CHECK(contains(err.message, "tag"));
    free(orig);
    free(b);
}

static void absurd_n_sections_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    /* The first count whose table no longer fits between header and CRC. */
    uint32_t just_too_many = (uint32_t)((len - MIO_CRC_SIZE - MIO_HEADER_MIN) / MIO_ENTRY_SIZE + 1);
    const uint32_t counts[] = { just_too_many, 1000, UINT32_MAX };
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        mio_put_u32(b + 24, counts[k]);
        refresh_crc(b, len);
        slant_error err;
        CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
        CHECK(contains(err.message, "n_sections"));
        CHECK_EQ_INT(err.offset, 24);
    }
    free(b);
}

static void header_size_below_minimum_should_give_eformat(void) {
    size_t len;
    uint8_t *b = sample_bytes(&len);
    const uint32_t sizes[] = { 0, 24, MIO_HEADER_MIN - 1, (uint32_t)len, UINT32_MAX };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        mio_put_u32(b + 12, sizes[k]);
        refresh_crc(b, len);
        slant_error err;
        CHECK_EQ_INT(parse_status(b, len, &err), SLANT_EFORMAT);
        CHECK(contains(err.message, "header_size"));
    }
    free(b);
}

static void larger_header_from_a_newer_writer_should_be_skipped(void) {
    /* A same-version writer that added 12 bytes of header fields this build
     * does not know: the table moves down by 12 and every offset with it. */
    size_t len;
    uint8_t *b = sample_bytes(&len);
    const size_t extra = 12;
    size_t len2 = len + extra;
    uint8_t *c = calloc(len2, 1);
    memcpy(c, b, MIO_HEADER_MIN);
    memset(c + MIO_HEADER_MIN, 0xAB, extra); /* the unknown fields */
    memcpy(c + MIO_HEADER_MIN + extra, b + MIO_HEADER_MIN, len - MIO_HEADER_MIN);
    mio_put_u32(c + 12, (uint32_t)(MIO_HEADER_MIN + extra));
    mio_put_u64(c + 16, len2);
    uint32_t n = mio_get_u32(c + 24);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *e = c + MIO_HEADER_MIN + extra + (size_t)i * MIO_ENTRY_SIZE;
        mio_put_u64(e + 4, mio_get_u64(e + 4) + extra);
    }
    refresh_crc(c, len2);
    mio_file f;
    slant_error err;
    CHECK_EQ_INT(mio_parse(c, len2, &f, &err), SLANT_OK);
    const mio_section *s = mio_find(&f, "LABL");
    CHECK(s && s->len == sizeof labl && memcmp(s->data, labl, sizeof labl) == 0);
    s = mio_find(&f, "META");
    CHECK(s && s->len == sizeof meta - 1 && memcmp(s->data, meta, sizeof meta - 1) == 0);
    mio_fini(&f);
    free(c);
    free(b);
}

/* ---- files ---- */

static void reading_a_missing_file_or_a_folder_should_give_eio(void) {
    char path[128];
    path_in_tmp(path, sizeof path, "does-not-exist.bin");
    mio_file f;
    slant_error err;
    slant_error_clear(&err);
    CHECK_EQ_INT(mio_read(path, &f, &err), SLANT_EIO);
    CHECK_STR(err.file, path);
    CHECK_EQ_INT(mio_read(tmpdir, &f, &err), SLANT_EIO);
    mio_fini(&f);
}

static void read_errors_should_name_the_file(void) {
    char path[128];
    path_in_tmp(path, sizeof path, "short.bin");
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp) return;
    fwrite("SLANTMDL", 1, 8, fp);
    fclose(fp);
    mio_file f;
    slant_error err;
    CHECK_EQ_INT(mio_read(path, &f, &err), SLANT_EFORMAT);
    CHECK_STR(err.file, path);
    CHECK(contains(err.message, "truncated"));
    unlink(path);
}

static void failed_write_should_give_eio_and_leave_no_tmp_file(void) {
    mio_writer w;
    sample_writer(&w);
    slant_error err;
    char path[160], tmp[176];

    /* The folder does not exist: the tmp file cannot even be created. */
    path_in_tmp(path, sizeof path, "no/such/folder/model.bin");
    CHECK_EQ_INT(mio_write(&w, path, &err), SLANT_EIO);
    CHECK_STR(err.file, path);
    CHECK(contains(err.message, "model.bin.tmp"));

    /* The target is a folder: the tmp file is written, the rename fails,
     * and the tmp file must be gone afterwards. */
    path_in_tmp(path, sizeof path, "a-folder");
    CHECK_EQ_INT(mkdir(path, 0755), 0);
    CHECK_EQ_INT(mio_write(&w, path, &err), SLANT_EIO);
    CHECK(contains(err.message, "rename"));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(!file_exists(tmp));
    rmdir(path);

    /* A failed save leaves the previous model untouched. */
    path_in_tmp(path, sizeof path, "keep.bin");
    CHECK_EQ_INT(mio_write(&w, path, NULL), SLANT_OK);
    mio_writer_fini(&w);
    mio_writer_init(&w);
    CHECK_EQ_INT(mio_writer_add(&w, "NEWS", "new", 3), SLANT_OK);
    CHECK_EQ_INT(mio_write(&w, path, NULL), SLANT_OK); /* replaced atomically */
    mio_file f;
    CHECK_EQ_INT(mio_read(path, &f, NULL), SLANT_OK);
    CHECK(mio_find(&f, "NEWS") != NULL && mio_find(&f, "LABL") == NULL);
    mio_fini(&f);
    unlink(path);
    mio_writer_fini(&w);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/slant-test-mio-XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }

    TEST(crc32_should_match_the_standard_check_value);
    TEST(le_helpers_should_write_little_endian_and_round_trip);
    TEST(f64_helpers_should_round_trip_negative_zero_infinity_and_subnormals);
    TEST(parse_should_give_back_every_section_byte_for_byte);
    TEST(save_then_load_should_give_the_same_bytes);
    TEST(save_load_save_should_be_byte_identical);
    TEST(zero_sections_should_load);
    TEST(find_should_return_the_named_section_or_null);
    TEST(writer_should_refuse_bad_and_repeated_tags);
    TEST(flipping_any_payload_byte_should_give_echecksum);
    TEST(flipping_any_byte_at_all_should_never_load);
    TEST(truncation_anywhere_should_give_eformat);
    TEST(trailing_bytes_should_give_eformat);
    TEST(newer_version_should_give_eversion_not_echecksum);
    TEST(bad_magic_should_say_not_a_slant_model);
    TEST(section_outside_the_file_should_give_eformat);
    TEST(duplicate_and_overlapping_sections_should_give_eformat);
    TEST(absurd_n_sections_should_give_eformat);
    TEST(header_size_below_minimum_should_give_eformat);
    TEST(larger_header_from_a_newer_writer_should_be_skipped);
    TEST(reading_a_missing_file_or_a_folder_should_give_eio);
    TEST(read_errors_should_name_the_file);
    TEST(failed_write_should_give_eio_and_leave_no_tmp_file);

    rmdir(tmpdir);
    return test_summary("model_io");
}
