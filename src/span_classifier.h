/*
 * Technique classifier for a span of an article (SemEval-2020 Task 11 TC):
 * features of the span and its context -> calibrated probabilities over the
 * SLANT_N_TECHNIQUES techniques. Stored in the model's TECH section.
 */
#ifndef SLANT_SPAN_CLASSIFIER_H
#define SLANT_SPAN_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tokenize.h"

typedef struct span_classifier span_classifier;

void span_classifier_free(span_classifier *c);

/* Serializes c into a new buffer (*out, free with free()). */
slant_status span_classifier_serialize(const span_classifier *c, uint8_t **out, size_t *len);

/* Parses a TECH payload; *out is new, free with span_classifier_free. */
slant_status span_classifier_parse(const uint8_t *p, size_t len, span_classifier **out);

#endif
