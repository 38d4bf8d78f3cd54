/*
 * Word clusters inside a model: the copy a model owns of the clusters its
 * features were trained with (model.h), so a model file is self-contained.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

slant_status model_set_clusters(slant_model *m, const feat_clusters *fc) {
    size_t n = fc->n;
    uint64_t *w = malloc((n ? n : 1) * sizeof *w);
    uint32_t *p = malloc((n ? n : 1) * sizeof *p);
    uint8_t *d = malloc(n ? n : 1);
    if (!w || !p || !d) { free(w); free(p); free(d); return SLANT_ENOMEM; }
    memcpy(w, fc->word_hash, n * sizeof *w);
    memcpy(p, fc->cluster, n * sizeof *p);
    memcpy(d, fc->depth, n);
    if (feat_table_build(&m->cluster_index, w, n) != SLANT_OK) { free(w); free(p); free(d); return SLANT_ENOMEM; }
    free(m->cluster_words); free(m->cluster_paths); free(m->cluster_depths);
    m->cluster_words = w; m->cluster_paths = p; m->cluster_depths = d;
    m->clusters = (feat_clusters){w, p, d, n, &m->cluster_index};
    m->resources.clusters = &m->clusters;
    tagger_model_changed(&m->tagger);
    return SLANT_OK;
}
