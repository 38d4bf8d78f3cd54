/*
 * Sentence scorer: P(a sentence holds propaganda) from a logistic regression
 * over the sentence's bag of stems, bigrams and cues (feat_sentence). Its
 * score, in bins, is a feature of every token of the sentence, so the span
 * tagger sees the whole sentence, which its +-2 token window cannot.
 * Stored in the model's SENT section (docs/FORMAT.md).
 */
#ifndef SLANT_SENTENCE_MODEL_H
#define SLANT_SENTENCE_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "feat_table.h"

typedef struct {
    feat_table table;   /* feature hash -> index into w */
    float *w;           /* n_feat log-odds weights */
    size_t n_feat;
    double bias;        /* log-odds of a sentence with no known feature */
} sentence_model;

void sentence_model_fini(sentence_model *s);

/* P(propaganda) of a sentence with feature hashes h[0..n). */
double sentence_model_score(const sentence_model *s, const uint64_t *h, size_t n);

#endif
