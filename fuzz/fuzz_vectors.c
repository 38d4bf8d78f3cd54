/*
 * libFuzzer target for the word-vectors reader (word_vectors_read, a
 * word2vec text file) and the two trainers' tables built from it: the span
 * tagger's (tagger_dense_read) and the technique classifier's
 * (spf_vectors_from_words, one vector per word). Arbitrary bytes, written
 * to a temporary file, must never crash or read out of bounds; what is
 * accepted must hold vectors of finite components of unit length (or
 * zero), and both tables strictly ascending word hashes; a failure must
 * say why, with the file, and be a format, I/O or memory error.
 * Seeds: fuzz/corpus/vectors/. Run through `make fuzz` (fuzz/run.sh).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "span_classifier_train.h"
#include "tagger_dense.h"
#include "word_vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "/tmp/slant-fuzz-vectors-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    int ok = size == 0 || write(fd, data, size) == (ssize_t)size;
    close(fd);
    if (!ok) { unlink(path); return 0; }
    slant_error err;
    slant_error_clear(&err);
    word_vectors *wv = word_vectors_read(path, 0, &err);
    if (wv) {
        for (size_t i = 0; i < wv->n * (size_t)wv->D; i++)
            if (!isfinite(wv->unit[i])) abort();
        spf_vectors sv;
        spf_vectors_init(&sv);
        if (spf_vectors_from_words(wv, 1.0, NULL, 0, &sv) == SLANT_OK) {
            if (sv.n > wv->n || sv.dim != (uint32_t)wv->D) abort();
            for (size_t i = 1; i < sv.n; i++)
                if (sv.hash[i - 1] >= sv.hash[i]) abort();
        }
        spf_vectors_fini(&sv);
        word_vectors_free(wv);
    } else if (err.message[0] == '\0' || strcmp(err.file, path) != 0) {
        abort();
    }
    slant_error_clear(&err);
    tagger_dense *d = tagger_dense_read(path, 0, 1, 1.0, &err);
    if (d) {
        for (size_t i = 0; i < d->n; i++) {
            if (i > 0 && d->hash[i - 1] >= d->hash[i]) abort();
            double norm = 0;
            for (int k = 0; k < d->D; k++) {
                float v = d->vec[i * (size_t)d->D + (size_t)k];
                if (!isfinite(v)) abort();
                norm += (double)v * v;
            }
            if (norm != 0 && fabs(norm - 1) > 1e-3) abort();
        }
        tagger_dense_free(d);
    } else {
        if (err.status != SLANT_EFORMAT && err.status != SLANT_EIO && err.status != SLANT_ENOMEM) abort();
        if (err.message[0] == '\0' || strcmp(err.file, path) != 0) abort();
    }
    unlink(path);
    return 0;
}
