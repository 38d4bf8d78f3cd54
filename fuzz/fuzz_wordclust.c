/*
 * libFuzzer target for the clusters file parser: wc_parse on arbitrary
 * bytes (copied to exactly size bytes, no NUL after them) must never crash
 * or read out of bounds; what it accepts must hold distinct ascending
 * hashes and paths with no bits past their depth (the contract of
 * feat_clusters); a failure must leave the table empty and name a line.
 * Seeds: fuzz/corpus/wordclust/. Run through `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wordclust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    wc_table t;
    slant_error err;
    wc_table_init(&t);
    slant_error_clear(&err);
    slant_status st = wc_parse(buf, size, "fuzz", &t, &err);
    if (st == SLANT_OK) {
        for (size_t i = 0; i < t.n; i++) {
            if (t.depth[i] > WC_MAX_DEPTH) abort();
            if (t.depth[i] < 32 && (t.cluster[i] & (UINT32_MAX >> t.depth[i])) != 0) abort();
            if (i > 0 && t.word_hash[i - 1] >= t.word_hash[i]) abort();
        }
    } else {
        if (st != SLANT_EFORMAT && st != SLANT_EVERSION && st != SLANT_ENOMEM) abort();
        if (t.n != 0 || t.word_hash != NULL) abort();
        if (st != SLANT_ENOMEM && (err.message[0] == '\0' || err.line < 1)) abort();
    }
    wc_table_fini(&t);
    free(buf);
    return 0;
}
