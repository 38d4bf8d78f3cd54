/*
 * libFuzzer target for the whole model loader: model_parse (slant_model_load
 * on bytes in memory) on arbitrary input must never crash, hang, leak or
 * read out of bounds (ASan/UBSan watch); every failure must carry a status
 * and a message, and every model it accepts must analyse a short text
 * cleanly, with fragments and sentences inside the text. A model that
 * loads but makes analysis crash is as bad as a loader crash.
 *
 * The container's CRC rejects almost every mutation before the section
 * parsers (TAGR, FEAT, SENT, CLUS, TECH, META) see it, so each input is also
 * tried with its last 4 bytes set to the right CRC; the loader itself is
 * unchanged. Seeds: fuzz/corpus/model_full/, small valid models written by
 * fuzz/gen_model_seeds.c through model_save, and damaged copies. Run through
 * `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_io.h"
#include "util/crc32.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

static const char sample[] =
    "The corrupt elite will destroy our great nation!\n"
    "Everyone knows they lie. \xE2\x80\x9C" "Stop them now,\xE2\x80\x9D he said.\n";

static void analyze_and_check(const slant_model *m) {
    size_t len = sizeof sample - 1;
    slant_result *r = NULL;
    slant_error err;
    slant_status st = slant_analyze(m, sample, len, NULL, &r, &err);
    if (st != SLANT_OK) {
        REQUIRE(r == NULL && err.message[0] != '\0');
        return;
    }
    REQUIRE(r->score >= 0 && r->score <= 1);
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        REQUIRE(f->start < f->end && f->end <= len);
        REQUIRE(f->cp_start < f->cp_end && f->cp_end <= r->n_codepoints);
        REQUIRE(f->technique >= -1 && f->technique < SLANT_N_TECHNIQUES);
        REQUIRE(f->confidence >= 0 && f->confidence <= 1);
    }
    for (size_t i = 0; i < r->n_spans; i++) {
        const slant_span *s = &r->spans[i];
        REQUIRE(s->start < s->end && s->end <= len && s->cp_end <= r->n_codepoints);
        REQUIRE(i == 0 || s->start >= r->spans[i - 1].end);
        REQUIRE(s->confidence >= 0 && s->confidence <= 1);
    }
    for (size_t i = 0; i < r->n_fragments; i++) {
        int inside = 0;
        for (size_t k = 0; k < r->n_spans; k++)
            inside |= r->spans[k].start <= r->fragments[i].start && r->fragments[i].end <= r->spans[k].end;
        REQUIRE(inside);
    }
    for (size_t i = 0; i < r->n_sentences; i++) {
        const slant_sentence *s = &r->sentences[i];
        REQUIRE(s->start < s->end && s->end <= len);
        REQUIRE(i == 0 || s->start >= r->sentences[i - 1].end);
        REQUIRE(s->score >= 0 && s->score <= 1);
    }
    slant_result_free(r);
}

static void check_one(const uint8_t *data, size_t size) {
    slant_model *m = NULL;
    slant_error err;
    slant_status st = model_parse(data, size, &m, &err);
    if (st != SLANT_OK) {
        REQUIRE(m == NULL);
        REQUIRE(err.status == st && err.message[0] != '\0');
        return;
    }
    REQUIRE(m != NULL && m->meta_json != NULL);
    REQUIRE(memchr(m->name, '\0', sizeof m->name) && memchr(m->version, '\0', sizeof m->version));
    analyze_and_check(m);
    slant_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_one(data, size);
    if (size >= 4) {
        uint8_t *fixed = malloc(size);
        if (!fixed) return 0;
        memcpy(fixed, data, size);
        mio_put_u32(fixed + size - 4, crc32_update(0, fixed, size - 4));
        if (memcmp(fixed + size - 4, data + size - 4, 4) != 0) check_one(fixed, size);
        free(fixed);
    }
    return 0;
}
