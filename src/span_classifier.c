/*
 * Technique classifier (span_classifier.h). Until the classifier lands the
 * model holds no TECH section and loading one is refused as unsupported.
 */
#include <stdlib.h>
#include "span_classifier.h"

struct span_classifier { int unused; };

void span_classifier_free(span_classifier *c) { free(c); }

slant_status span_classifier_serialize(const span_classifier *c, uint8_t **out, size_t *len) {
    (void)c; *out = NULL; *len = 0;
    return SLANT_EINVAL;
}

slant_status span_classifier_parse(const uint8_t *p, size_t len, span_classifier **out) {
    (void)p; (void)len; *out = NULL;
    return SLANT_EFORMAT;
}
