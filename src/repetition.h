/*
 * Repeated fragments. The corpus marks a phrase that an article says again
 * as Repetition where it recurs: 131 of the 145 Repetition spans of the dev
 * split have a copy elsewhere in their article, 115 of them an earlier one,
 * and half are 9 characters or shorter. The span tagger reads a few words
 * around each token, so it seldom finds a copy by itself; analysis makes
 * every other occurrence of a fragment's words a Repetition fragment
 * (bench/RESULTS.md, "Repeated fragments").
 */
#ifndef SLANT_REPETITION_H
#define SLANT_REPETITION_H

#include <stddef.h>
#include <stdint.h>
#include "slant.h"
#include "tagger.h"

/* For each span of frags (tokens [first,last) of an article of T tokens
 * whose lower-cased hashes are lower[0..T)), every other run of tokens
 * with the same lower-cased hashes that does not overlap it, each range
 * once, in order of first token, with the highest confidence of the spans
 * it copies. out is cleared first. */
slant_status repetition_copies(const uint64_t *lower, size_t T, const tagger_spans *frags,
                               tagger_spans *out);

#endif
