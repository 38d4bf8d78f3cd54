/*
 * libFuzzer target for the API request parser: http_request_parse on
 * arbitrary bytes, single and batch, must never crash or read past the body
 * (ASan/UBSan watch; the body is an exact-size copy, not NUL-terminated).
 * A failure must come with an error code and a message and leave the
 * request empty; an accepted request must hold NUL-free valid UTF-8 texts,
 * thresholds in [0,1] and technique masks within the 14 techniques.
 * Seeds: fuzz/corpus/http_request/. Run through `make fuzz` (fuzz/run.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_request.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_doc(const hreq_doc *d) {
    if (!d->text || strlen(d->text) != d->text_len) abort();
    text_buf t;
    text_init(&t);
    if (text_load(&t, d->text, d->text_len, 0, NULL) != SLANT_OK) abort();
    text_fini(&t);
    if (d->id && strlen(d->id) >= HREQ_ID_MAX) abort();
    if (d->opt.threshold >= 0 && d->opt.threshold > 1) abort();
    if (d->opt.technique_mask >> SLANT_N_TECHNIQUES) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *body = malloc(size ? size : 1);
    if (!body) return 0;
    if (size) memcpy(body, data, size);
    for (int batch = 0; batch < 2; batch++) {
        http_request r;
        slant_error err;
        const char *code = NULL;
        http_request_init(&r);
        slant_error_clear(&err);
        slant_status st = http_request_parse(body, size, batch, 4, &r, &code, &err);
        if (st != SLANT_OK) {
            if (!code || err.message[0] == '\0' || r.root || r.docs || r.n_docs) abort();
        } else {
            if (code || r.n_docs < 1 || (!batch && r.n_docs != 1) || r.n_docs > 4) abort();
            for (size_t i = 0; i < r.n_docs; i++) check_doc(&r.docs[i]);
        }
        http_request_fini(&r);
    }
    free(body);
    return 0;
}
