/*
 * Word vectors from a word2vec text file ("V D", then a word and D numbers
 * a line, as 'slant learn clusters --vectors' writes, most frequent words
 * first), for the two trainers that use them: the span tagger's
 * real-valued features (tagger_dense.h) and the technique classifier's
 * span mean vectors (spf_vectors_from_words). One parser, so that both read
 * a file the same way and reject the same malformed ones.
 */
#ifndef SLANT_WORD_VECTORS_H
#define SLANT_WORD_VECTORS_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef struct {
    size_t n;          /* words read */
    int D;             /* dimensions, 1..4096 */
    uint64_t *hash;    /* n: feat_word_hash of each word as written, in file order */
    float *unit;       /* n x D: each vector scaled to unit length (all-zero stays zero) */
} word_vectors;

/* Reads the file's first max_words words (0: all). The header's word count
 * is not trusted with memory. NULL with err set (SLANT_EIO, SLANT_EFORMAT
 * naming the file and line, SLANT_ENOMEM): a bad header, fewer words than
 * the header promises, a missing or non-finite number. */
word_vectors *word_vectors_read(const char *path, size_t max_words, slant_error *err);
void word_vectors_free(word_vectors *v);

#endif
