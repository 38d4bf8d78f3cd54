/*
 * libFuzzer target for the model container loader: mio_parse on arbitrary
 * bytes must never crash, leak or read out of bounds (ASan/UBSan watch),
 * and whatever it accepts must survive a write/parse round trip with the
 * same sections. Seeds: fuzz/corpus/model_load/ (valid files and damaged
 * copies). Run through `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model_io.h"
#include "util/crc32.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses one input and, when accepted, checks the views and the round trip. */
static void check_one(const uint8_t *data, size_t size) {
    mio_file f;
    slant_error err;
    if (mio_parse(data, size, &f, &err) != SLANT_OK) {
        if (err.message[0] == '\0') abort(); /* every failure explains itself */
        return;
    }

    /* Touch every accepted byte so ASan checks the views, and check that
     * mio_find agrees with the table. */
    volatile uint8_t sink = 0;
    for (uint32_t i = 0; i < f.n_sections; i++) {
        const mio_section *s = &f.sections[i];
        for (uint64_t k = 0; k < s->len; k++) sink ^= s->data[k];
        if (mio_find(&f, s->tag) != s) abort();
    }
    (void)sink;

    /* Accepted files round-trip: the writer's layout may differ (padding,
     * header_size), the sections may not. */
    mio_writer w;
    mio_writer_init(&w);
    for (uint32_t i = 0; i < f.n_sections; i++)
        if (mio_writer_add(&w, f.sections[i].tag, f.sections[i].data, (size_t)f.sections[i].len) != SLANT_OK)
            abort();
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (mio_serialize(&w, &bytes, &len) != SLANT_OK) abort();
    mio_file g;
    if (mio_parse(bytes, len, &g, NULL) != SLANT_OK) abort();
    if (g.n_sections != f.n_sections) abort();
    for (uint32_t i = 0; i < g.n_sections; i++) {
        const mio_section *a = &f.sections[i], *b = &g.sections[i];
        if (strcmp(a->tag, b->tag) != 0 || a->len != b->len) abort();
        if (a->len && memcmp(a->data, b->data, (size_t)a->len) != 0) abort();
    }
    mio_fini(&g);
    free(bytes);
    mio_writer_fini(&w);
    mio_fini(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_one(data, size);
    /* A mutated file almost never has a matching CRC, which would leave the
     * accept path to the seeds alone. So also try the input with its last 4
     * bytes set to the right CRC: the loader itself stays unchanged. */
    if (size >= 4) {
        uint8_t *fixed = malloc(size);
        if (!fixed) return 0;
        memcpy(fixed, data, size);
        mio_put_u32(fixed + size - 4, crc32_update(0, fixed, size - 4));
        check_one(fixed, size);
        free(fixed);
    }
    return 0;
}
