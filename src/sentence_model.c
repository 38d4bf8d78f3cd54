/* Sentence scorer inference (sentence_model.h). */
#include <math.h>
#include <stdlib.h>
#include "sentence_model.h"

void sentence_model_fini(sentence_model *s) {
    feat_table_fini(&s->table);
    free(s->w);
    s->w = NULL;
    s->n_feat = 0;
    s->bias = 0;
}

double sentence_model_score(const sentence_model *s, const uint64_t *h, size_t n) {
    double z = s->bias;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = feat_table_find(&s->table, h[i]);
        if (r != UINT32_MAX) z += (double)s->w[r];
    }
    return 1.0 / (1.0 + exp(-z));
}
