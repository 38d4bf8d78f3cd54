/*
 * Training the sentence scorer (sentence_model.h) and the stacked scores
 * the span tagger trains on. A sentence is positive when it overlaps a gold
 * span. Scores for the training articles come from k-fold cross-fitting
 * (each fold scored by a model that never saw it), so the tagger learns how
 * far to trust the scorer on unseen text rather than on its own training set.
 */
#ifndef SLANT_SENTENCE_TRAIN_H
#define SLANT_SENTENCE_TRAIN_H

#include "corpus.h"
#include "labels.h"
#include "sentence_model.h"

#define SENTENCE_FOLDS 5

/* Trains *out on every article of train and fills train_scores[a] (one
 * float per sentence of article a, cross-fitted) and, when dev is non-NULL,
 * dev_scores[a] from the final model. The float arrays are new: free each
 * and the outer arrays with free(). threads: for the optimizer. */
slant_status sentence_train(const corpus *train, const lab_list *gold, const corpus *dev,
                            double c2, int threads, sentence_model *out,
                            float ***train_scores, float ***dev_scores);

/* Scores of every sentence of every article of c with model s (new arrays,
 * as above). */
slant_status sentence_score_corpus(const sentence_model *s, const corpus *c, float ***scores);

void sentence_scores_free(float **scores, size_t n);

#endif
