/*
 * Model sections <-> struct slant_model (model.h). The container's checks
 * (magic, version, sizes, CRC) are model_io.c's; this file checks that each
 * payload's counts agree with its length before reading it, so a file that
 * passes the CRC but was written wrongly still fails cleanly.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "model.h"
#include "model_io.h"
#include "span_classifier.h"
#include "status.h"

void tagger_model_changed(tagger_model *t) {
    static atomic_uint_fast64_t next_uid = 1;
    t->uid = (uint64_t)atomic_fetch_add(&next_uid, 1);
}

slant_model *model_new(void) {
    return calloc(1, sizeof(slant_model));
}

void slant_model_free(slant_model *m) {
    if (!m) return;
    feat_table_fini(&m->tagger.table); free(m->tagger.w);
    sentence_model_fini(&m->tagger.sentence);
    span_classifier_free(m->classifier);
    free(m->cluster_words); free(m->cluster_paths); free(m->cluster_depths);
    feat_table_fini(&m->cluster_index);
    free(m->meta_json);
    free(m);
}

/* ---- save ---- */

static slant_status save_tagger(const tagger_model *t, mio_writer *w) {
    int L = t->L;
    size_t tagr_len = 32 + 8 * (size_t)(L * L + L);
    uint8_t *b = malloc(tagr_len);
    if (!b) return SLANT_ENOMEM;
    mio_put_u32(b, (uint32_t)L);
    mio_put_u32(b + 4, t->feat_version);
    mio_put_f64(b + 8, t->decoding.threshold);
    mio_put_u32(b + 16, t->decoding.gap);
    mio_put_u32(b + 20, t->decoding.min_len);
    mio_put_f64(b + 24, t->decoding.low);
    uint8_t *p = b + 32;
    for (int i = 0; i < L * L; i++, p += 8) mio_put_f64(p, t->trans[i]);
    for (int i = 0; i < L; i++, p += 8) mio_put_f64(p, t->start[i]);
    slant_status st = mio_writer_add(w, "TAGR", b, tagr_len);
    free(b);
    if (st != SLANT_OK) return st;

    if (t->n_groups >= 2) {
        /* LABL: u32 L, u32 G, L x u32 group of each label (O: 0xffffffff),
         * G x u32 technique masks. */
        int G = t->n_groups;
        size_t labl_len = 8 + 4 * (size_t)(L + G);
        if (!(b = malloc(labl_len))) return SLANT_ENOMEM;
        mio_put_u32(b, (uint32_t)L);
        mio_put_u32(b + 4, (uint32_t)G);
        for (int y = 0; y < L; y++) mio_put_u32(b + 8 + 4 * (size_t)y, y ? t->label_group[y] : UINT32_MAX);
        for (int g = 0; g < G; g++) mio_put_u32(b + 8 + 4 * (size_t)(L + g), t->group_techniques[g]);
        st = mio_writer_add(w, "LABL", b, labl_len);
        free(b);
        if (st != SLANT_OK) return st;
    }

    /* FEAT: keys in row order, recovered from the table. */
    size_t n = t->n_feat, feat_len = 8 + n * 8 + n * (size_t)L * 4;
    b = calloc(1, feat_len);
    if (!b) return SLANT_ENOMEM;
    mio_put_u64(b, n);
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) { free(b); return SLANT_ENOMEM; }
    feat_table_keys(&t->table, keys);
    for (size_t i = 0; i < n; i++) mio_put_u64(b + 8 + i * 8, keys[i]);
    free(keys);
    p = b + 8 + n * 8;
    for (size_t i = 0; i < n * (size_t)L; i++, p += 4) {
        uint32_t bits;
        memcpy(&bits, &t->w[i], 4);
        mio_put_u32(p, bits);
    }
    st = mio_writer_add(w, "FEAT", b, feat_len);
    free(b);
    if (st != SLANT_OK || !t->has_sentence) return st;

    /* SENT: u64 n, n x u64 keys (row order), n x f32 weights, f64 bias. */
    const sentence_model *sm = &t->sentence;
    n = sm->n_feat;
    size_t sent_len = 8 + n * 12 + 8;
    if (!(b = malloc(sent_len))) return SLANT_ENOMEM;
    uint64_t *keys2 = malloc((n ? n : 1) * sizeof *keys2);
    if (!keys2) { free(b); return SLANT_ENOMEM; }
    feat_table_keys(&sm->table, keys2);
    mio_put_u64(b, n);
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &sm->w[i], 4);
        mio_put_u64(b + 8 + i * 8, keys2[i]);
        mio_put_u32(b + 8 + n * 8 + i * 4, bits);
    }
    mio_put_f64(b + 8 + n * 12, sm->bias);
    free(keys2);
    st = mio_writer_add(w, "SENT", b, sent_len);
    free(b);
    return st;
}

static slant_status save_clusters(const slant_model *m, mio_writer *w) {
    size_t n = m->clusters.n, len = 8 + n * 13;
    uint8_t *b = malloc(len);
    if (!b) return SLANT_ENOMEM;
    mio_put_u64(b, n);
    for (size_t i = 0; i < n; i++) {
        mio_put_u64(b + 8 + i * 8, m->clusters.word_hash[i]);
        mio_put_u32(b + 8 + n * 8 + i * 4, m->clusters.cluster[i]);
        b[8 + n * 12 + i] = m->clusters.depth[i];
    }
    slant_status st = mio_writer_add(w, "CLUS", b, len);
    free(b);
    return st;
}

slant_status model_save(const slant_model *m, const char *path, slant_error *err) {
    mio_writer w;
    mio_writer_init(&w);
    const char *meta = m->meta_json ? m->meta_json : "{}";
    slant_status st = mio_writer_add(&w, "META", meta, strlen(meta));
    if (st == SLANT_OK) st = save_tagger(&m->tagger, &w);
    if (st == SLANT_OK && m->clusters.n) st = save_clusters(m, &w);
    if (st == SLANT_OK && m->classifier) {
        uint8_t *b = NULL; size_t len = 0;
        st = span_classifier_serialize(m->classifier, &b, &len);
        if (st == SLANT_OK) st = mio_writer_add(&w, "TECH", b, len);
        free(b);
    }
    if (st == SLANT_OK) st = mio_write(&w, path, err);
    else err_set(err, st, path, -1, -1, "cannot build the model: %s", slant_strerror(st));
    mio_writer_fini(&w);
    return st;
}

/* ---- load ---- */

static slant_status bad(slant_error *err, const char *path, const char *what) {
    return err_set(err, SLANT_EFORMAT, path, -1, -1, "model section %s", what);
}

/* Trained weights are regularized and stay within +-10 (the bundled model's
 * largest is 8.5); far beyond, sums over a long article lose all precision
 * in the log-space CRF and marginals become NaN. */
#define MODEL_MAX_WEIGHT 1e6
static int weight_ok(double w) { return w >= -MODEL_MAX_WEIGHT && w <= MODEL_MAX_WEIGHT; }

static slant_status load_tagger(tagger_model *t, const mio_file *f, const char *path,
                                slant_error *err) {
    const mio_section *s = mio_find(f, "TAGR");
    if (!s || s->len < 32) return bad(err, path, "TAGR is missing or too short");
    uint32_t L = mio_get_u32(s->data);
    if (L < 2 || L > TAGGER_MAX_LABELS) return bad(err, path, "TAGR has an invalid label count");
    if (s->len != 32 + 8 * (uint64_t)(L * L + L)) return bad(err, path, "TAGR length does not match its label count");
    t->L = (int)L;
    t->feat_version = mio_get_u32(s->data + 4);
    if (t->feat_version != FEAT_VERSION)
        return err_set(err, SLANT_EVERSION, path, -1, -1,
                       "model features version %u, this build computes %u: retrain the model",
                       t->feat_version, FEAT_VERSION);
    t->decoding.threshold = mio_get_f64(s->data + 8);
    t->decoding.gap = mio_get_u32(s->data + 16);
    t->decoding.min_len = mio_get_u32(s->data + 20);
    t->decoding.low = mio_get_f64(s->data + 24);
    if (!(t->decoding.threshold >= 0 && t->decoding.threshold <= 1 && t->decoding.low >= 0 &&
          t->decoding.low <= 1))
        return bad(err, path, "TAGR has a decoding threshold outside [0,1]");
    const uint8_t *p = s->data + 32;
    for (uint32_t i = 0; i < L * L; i++, p += 8) t->trans[i] = mio_get_f64(p);
    for (uint32_t i = 0; i < L; i++, p += 8) t->start[i] = mio_get_f64(p);
    /* A NaN, infinite or absurd weight passes the CRC when the file was
     * written wrongly, and would turn the scores of every article into NaN
     * (found by fuzz/fuzz_model_full.c). */
    for (uint32_t i = 0; i < L * L + L; i++)
        if (!weight_ok(i < L * L ? t->trans[i] : t->start[i - L * L]))
            return bad(err, path, "TAGR has a weight that is not a finite number within +-1e6");

    if ((s = mio_find(f, "LABL"))) {
        if (s->len < 8 || mio_get_u32(s->data) != L) return bad(err, path, "LABL does not match TAGR's label count");
        uint32_t G = mio_get_u32(s->data + 4);
        if (G < 2 || G > TAGGER_MAX_GROUPS || s->len != 8 + 4 * (uint64_t)(L + G))
            return bad(err, path, "LABL has an invalid group count or length");
        uint32_t seen = 0;
        if (mio_get_u32(s->data + 8) != UINT32_MAX) return bad(err, path, "LABL gives label 0 (O) a group");
        for (uint32_t y = 1; y < L; y++) {
            uint32_t g = mio_get_u32(s->data + 8 + 4 * y);
            if (g >= G) return bad(err, path, "LABL has a label outside every group");
            t->label_group[y] = (uint8_t)g;
            seen |= 1u << g;
        }
        if (seen != (1u << G) - 1) return bad(err, path, "LABL has a group without labels");
        for (uint32_t g = 0; g < G; g++) {
            t->group_techniques[g] = mio_get_u32(s->data + 8 + 4 * (L + g));
            if (t->group_techniques[g] >> SLANT_N_TECHNIQUES) return bad(err, path, "LABL names a technique that does not exist");
        }
        t->n_groups = (int)G;
    }

    s = mio_find(f, "FEAT");
    if (!s || s->len < 8) return bad(err, path, "FEAT is missing or too short");
    uint64_t n = mio_get_u64(s->data);
    if (n > (s->len - 8) / (8 + 4 * (uint64_t)L) || s->len != 8 + n * 8 + n * L * 4)
        return bad(err, path, "FEAT length does not match its feature count");
    uint64_t *keys = malloc((size_t)n * sizeof *keys + 1);
    t->w = malloc((size_t)(n * L) * sizeof *t->w + 1);
    if (!keys || !t->w) { free(keys); return SLANT_ENOMEM; }
    for (uint64_t i = 0; i < n; i++) keys[i] = mio_get_u64(s->data + 8 + i * 8);
    p = s->data + 8 + n * 8;
    t->n_feat = (size_t)n;
    for (uint64_t i = 0; i < n * L; i++, p += 4) {
        uint32_t bits = mio_get_u32(p);
        memcpy(&t->w[i], &bits, 4);
        if (!weight_ok(t->w[i])) {
            free(keys);
            return bad(err, path, "FEAT has a weight that is not a finite number within +-1e6");
        }
    }
    slant_status st = feat_table_build(&t->table, keys, (size_t)n);
    free(keys);
    if (st != SLANT_OK) return st;

    s = mio_find(f, "SENT");
    if (!s) return SLANT_OK;
    if (s->len < 16) return bad(err, path, "SENT is too short");
    n = mio_get_u64(s->data);
    if (n > (s->len - 16) / 12 || s->len != 16 + n * 12) return bad(err, path, "SENT length does not match its count");
    sentence_model *sm = &t->sentence;
    keys = malloc((size_t)n * sizeof *keys + 1);
    sm->w = malloc((size_t)n * sizeof *sm->w + 1);
    if (!keys || !sm->w) { free(keys); return SLANT_ENOMEM; }
    for (uint64_t i = 0; i < n; i++) {
        keys[i] = mio_get_u64(s->data + 8 + i * 8);
        uint32_t bits = mio_get_u32(s->data + 8 + n * 8 + i * 4);
        memcpy(&sm->w[i], &bits, 4);
    }
    sm->bias = mio_get_f64(s->data + 8 + n * 12);
    sm->n_feat = (size_t)n;
    for (uint64_t i = 0; i <= n; i++)
        if (!weight_ok(i < n ? (double)sm->w[i] : sm->bias)) {
            free(keys);
            return bad(err, path, "SENT has a weight that is not a finite number within +-1e6");
        }
    st = feat_table_build(&sm->table, keys, (size_t)n);
    free(keys);
    t->has_sentence = st == SLANT_OK;
    return st;
}

static slant_status load_clusters(slant_model *m, const mio_file *f, const char *path,
                                  slant_error *err) {
    const mio_section *s = mio_find(f, "CLUS");
    if (!s) return SLANT_OK;
    if (s->len < 8) return bad(err, path, "CLUS is too short");
    uint64_t n = mio_get_u64(s->data);
    if (n > (s->len - 8) / 13 || s->len != 8 + n * 13) return bad(err, path, "CLUS length does not match its count");
    m->cluster_words = malloc((size_t)n * 8 + 1);
    m->cluster_paths = malloc((size_t)n * 4 + 1);
    m->cluster_depths = malloc((size_t)n + 1);
    if (!m->cluster_words || !m->cluster_paths || !m->cluster_depths) return SLANT_ENOMEM;
    for (uint64_t i = 0; i < n; i++) {
        m->cluster_words[i] = mio_get_u64(s->data + 8 + i * 8);
        if (i && m->cluster_words[i] <= m->cluster_words[i - 1]) return bad(err, path, "CLUS words are not sorted");
        m->cluster_paths[i] = mio_get_u32(s->data + 8 + n * 8 + i * 4);
        m->cluster_depths[i] = s->data[8 + n * 12 + i];
    }
    m->clusters.word_hash = m->cluster_words;
    m->clusters.cluster = m->cluster_paths;
    m->clusters.depth = m->cluster_depths;
    m->clusters.n = (size_t)n;
    if (feat_table_build(&m->cluster_index, m->cluster_words, (size_t)n) != SLANT_OK) return SLANT_ENOMEM;
    m->clusters.index = &m->cluster_index;
    m->resources.clusters = &m->clusters;
    return SLANT_OK;
}

static void load_meta(slant_model *m, const mio_file *f) {
    const mio_section *s = mio_find(f, "META");
    size_t len = s ? (size_t)s->len : 0;
    m->meta_json = malloc(len + 1);
    if (!m->meta_json) return;
    if (len) memcpy(m->meta_json, s->data, len);
    m->meta_json[len] = '\0';
    cJSON *j = cJSON_ParseWithLength(m->meta_json, len);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
    snprintf(m->name, sizeof m->name, "%s", cJSON_IsString(name) ? name->valuestring : "unnamed");
    snprintf(m->version, sizeof m->version, "%s", cJSON_IsString(ver) ? ver->valuestring : "0");
    cJSON_Delete(j);
}

/* The sections of a validated container -> *out; path names the file in
 * errors and may be NULL. Shared by slant_model_load and model_parse. */
static slant_status load_sections(const mio_file *f, const char *path, slant_model **out,
                                  slant_error *err) {
    slant_model *m = NULL;
    slant_status st;
    if (!(m = model_new())) { st = SLANT_ENOMEM; goto fail; }
    load_meta(m, f);
    if (!m->meta_json) { st = SLANT_ENOMEM; goto fail; }
    if ((st = load_tagger(&m->tagger, f, path, err)) != SLANT_OK) goto fail;
    if ((st = load_clusters(m, f, path, err)) != SLANT_OK) goto fail;
    const mio_section *tech = mio_find(f, "TECH");
    if (tech && (st = span_classifier_parse(tech->data, (size_t)tech->len, &m->classifier)) != SLANT_OK) {
        err_set(err, st, path, -1, -1, "model section TECH is malformed");
        goto fail;
    }
    tagger_model_changed(&m->tagger);
    *out = m;
    return SLANT_OK;
fail:
    if (err && err->status == SLANT_OK) err_set(err, st, path, -1, -1, "%s", slant_strerror(st));
    slant_model_free(m);
    return st;
}

uint32_t slant_model_reported_techniques(const slant_model *m) {
    return m && m->classifier ? m->classifier->reported : 0;
}

slant_status slant_model_load(const char *path, slant_model **out, slant_error *err) {
    mio_file f;
    memset(&f, 0, sizeof f);
    *out = NULL;
    slant_error_clear(err);
    slant_status st = mio_read(path, &f, err);
    if (st == SLANT_OK) st = load_sections(&f, path, out, err);
    mio_fini(&f);
    return st;
}

slant_status model_parse(const uint8_t *buf, size_t len, slant_model **out, slant_error *err) {
    mio_file f;
    memset(&f, 0, sizeof f);
    *out = NULL;
    slant_error_clear(err);
    slant_status st = mio_parse(buf, len, &f, err);
    if (st == SLANT_OK) st = load_sections(&f, NULL, out, err);
    mio_fini(&f);
    return st;
}
