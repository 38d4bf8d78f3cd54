/*
 * Word vectors from unlabelled text (issue 9): skip-gram with negative
 * sampling (Mikolov et al. 2013, "Distributed Representations of Words and
 * Phrases and their Compositionality"), trained on the same lower-cased
 * tokens the tagger sees (tok_tokenize + feat_lower, keyed by
 * feat_word_hash). Does not read files (news_reader.h) nor cluster
 * (wordclust.h).
 *
 * Notation: V = vocabulary size (words seen >= min_count times, sorted by
 * count, most frequent first: word 0 is the commonest), D = vector
 * dimension, N = tokens kept in the stream, T = threads.
 *
 * Determinism: for a given corpus, options, seed and thread count the
 * vectors are bit-identical from run to run. T threads do not share
 * parameters while they work (no hogwild races): each round, thread t
 * trains its own copy on its own chunk of the stream, then the copies'
 * changes are summed into the shared vectors in thread order
 * (delayed-update data parallelism, as in parameter averaging, but summing
 * deltas so that no update is scaled down). A different T cuts the stream
 * differently and so gives different (equally good) vectors; T = 1 is
 * plain sequential SGD.
 */
#ifndef SLANT_EMBED_H
#define SLANT_EMBED_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tokenize.h"

/* Marks a sentence end in emb_corpus.stream: windows never cross it. */
#define EMB_BREAK UINT32_MAX

/* ---- vocabulary and token stream ---- */

typedef struct {
    /* word table: ids in first-seen order until emb_corpus_finish, then by
     * descending count (ties: first seen first) */
    uint64_t *hash;        /* V: feat_word_hash of the lower-cased word */
    uint64_t *count;       /* V: occurrences */
    uint32_t *str_off;     /* V: offset of the word (NUL-terminated) in chars */
    size_t V, cap;         /* words, allocated */
    char *chars;           /* all words, each NUL-terminated */
    size_t chars_len, chars_cap;
    uint32_t *slots;       /* n_slots: id + 1, 0 = empty (open addressing on hash) */
    size_t n_slots;
    uint32_t *stream;      /* n_stream: word ids, EMB_BREAK after each sentence */
    size_t n_stream, cap_stream;
    uint64_t n_tokens;     /* word occurrences in stream (breaks excluded) */
    uint64_t n_articles;   /* texts added */
    int finished;          /* emb_corpus_finish done */
    tok_doc doc;           /* scratch for tokenizing */
} emb_corpus;

void emb_corpus_init(emb_corpus *c);
void emb_corpus_fini(emb_corpus *c);

/* Tokenizes text[0..len) (UTF-8; invalid bytes are read as U+FFFD) and
 * appends its lower-cased tokens, every kind (words, numbers, punctuation),
 * sentence by sentence. Only before emb_corpus_finish. */
slant_status emb_corpus_add_text(emb_corpus *c, const char *text, size_t len);

/* Drops words seen fewer than min_count times (from the vocabulary and the
 * stream), sorts the rest by descending count and renumbers the stream.
 * SLANT_EINVAL if no word is left. */
slant_status emb_corpus_finish(emb_corpus *c, uint64_t min_count, slant_error *err);

/* The lower-cased word with id i (NUL-terminated, owned by c). */
const char *emb_corpus_word(const emb_corpus *c, size_t i);

/* ---- training ---- */

typedef struct {
    int dim;              /* D, vector size */
    int window;           /* largest distance to a context word (sampled 1..window) */
    int negative;         /* negative samples per (word, context) pair */
    int epochs;           /* passes over the stream */
    int threads;          /* T; the result depends on T (see above) */
    double alpha;         /* initial learning rate, decays linearly to alpha * 1e-4 */
    double sample;        /* subsampling threshold t: keep a word of frequency f with
                             probability (sqrt(f/t) + 1) t/f; 0 keeps all */
    size_t round_tokens;  /* stream positions per thread between merges (T > 1) */
    uint64_t seed;
    /* Called by the coordinating thread after each round; may be NULL.
     * done/total count stream positions over all epochs. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total, double alpha);
    void *progress_ctx;
} emb_opts;

/* dim 100, window 5, negative 5, epochs 3, threads 1, alpha 0.025,
 * sample 1e-4, round_tokens 65536, seed 1. */
void emb_opts_init(emb_opts *o);

/* Trains vectors for c's words (after emb_corpus_finish). Returns in *vecs a
 * new V x D array, row i = input vector of word i (free with free()).
 * SLANT_EINVAL for bad options, SLANT_ENOMEM. */
slant_status emb_train(const emb_corpus *c, const emb_opts *o, float **vecs,
                       slant_error *err);

#endif
