/*
 * The JSON document of an analysed article (report_json.h); docs/JSON.md
 * is the schema. Builds cJSON trees only: serialising and writing them is
 * the caller's job, so the CLI, the HTML report and `slant serve` share one
 * document.
 *
 * Offsets: "start"/"end" are code points (the PTC unit, and what a
 * browser's Array.from(text) indexes); "byte_start"/"byte_end" are bytes of
 * the UTF-8 text.
 *
 * Explanations: the technique classifier works on hashed features
 * (span_features.h), so the names of the features that weighed most cannot
 * be recovered from a model; a fragment's explanation is the evidence the
 * model does keep: the span tagger's confidence and the classifier's
 * probabilities, most likely first.
 *
 * Reals (confidences, scores, probabilities, cue weights) are written with
 * at most six decimals (report_json_real): cJSON prints a double with
 * sprintf("%1.15g"), reads it back with sscanf and, as for most of these,
 * prints it again with "%1.17g" when that does not round-trip; that was
 * about 40% of rendering a document, which is a third of `analyze -F
 * jsonl` (perf); writing them this way saves 8% of that command's time, for
 * digits below any score's meaning.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_json.h"
#include "model.h"
#include "span_classifier.h"

/* One colour per technique, in technique order; chosen to stay apart on a
 * white page (Tableau 20 hues). */
static const char *const colours[SLANT_N_TECHNIQUES] = {
    "#1f77b4", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#ff7f0e", "#2ca02c", "#aec7e8", "#ffbb78",
    "#98df8a", "#c5b0d5",
};

const char *report_technique_colour(int i) {
    return i >= 0 && i < SLANT_N_TECHNIQUES ? colours[i] : "#999999";
}

/* Probabilities shown in an explanation: every technique at least this
 * likely, and never fewer than three. */
#define EXPLAIN_MIN_P 0.05
#define EXPLAIN_MIN_N 3

/* ---- helpers ---- */

int report_json_real(double x, char out[REPORT_JSON_REAL_MAX]) {
    if (!isfinite(x)) return snprintf(out, REPORT_JSON_REAL_MAX, "null");
    if (fabs(x) >= 1e12) return snprintf(out, REPORT_JSON_REAL_MAX, "%.6f", x);
    uint64_t v = (uint64_t)llround(fabs(x) * 1e6), ip = v / 1000000, fp = v % 1000000;
    char digits[24];
    int n = 0, k = 0;
    if (x < 0 && v) out[n++] = '-';
    do { digits[k++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    while (k) out[n++] = digits[--k];
    if (fp) {
        out[n++] = '.';
        int width = 6;
        while (fp % 10 == 0) { fp /= 10; width--; }
        for (int i = width - 1; i >= 0; i--, fp /= 10) out[n + i] = (char)('0' + fp % 10);
        n += width;
    }
    out[n] = '\0';
    return n;
}

/* obj[key] = x as report_json_real writes it. Returns NULL when out of memory. */
static cJSON *add_real(cJSON *obj, const char *key, double x) {
    char buf[REPORT_JSON_REAL_MAX];
    report_json_real(x, buf);
    return cJSON_AddRawToObject(obj, key, buf);
}

/* cJSON_AddStringToObject with a length: text[0..len) need not be
 * NUL-terminated. Returns NULL when out of memory. */
static cJSON *add_string_n(cJSON *obj, const char *key, const char *text, size_t len) {
    char *s = malloc(len + 1);
    if (!s) return NULL;
    memcpy(s, text, len);
    s[len] = '\0';
    cJSON *v = cJSON_AddStringToObject(obj, key, s);
    free(s);
    return v;
}

static cJSON *technique_ref(int i) {
    const slant_technique *t = slant_technique_get(i);
    if (!t) return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    if (!cJSON_AddNumberToObject(o, "index", i) || !cJSON_AddStringToObject(o, "name", t->name) ||
        !cJSON_AddStringToObject(o, "display", t->display) ||
        !cJSON_AddStringToObject(o, "short", t->short_name)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int add_offsets(cJSON *o, size_t cp_start, size_t cp_end, size_t start, size_t end) {
    return cJSON_AddNumberToObject(o, "start", (double)cp_start) &&
           cJSON_AddNumberToObject(o, "end", (double)cp_end) &&
           cJSON_AddNumberToObject(o, "byte_start", (double)start) &&
           cJSON_AddNumberToObject(o, "byte_end", (double)end);
}

/* ---- fragments ---- */

static cJSON *explanation(const char *text, const slant_fragment *f) {
    cJSON *e = cJSON_CreateObject(), *probs = NULL, *cues = NULL;
    if (!e) return NULL;
    if (!add_real(e, "span_confidence", f->span_confidence)) goto fail;
    /* The words whose own features weighed most for the span (slant_cue). */
    if (!(cues = cJSON_AddArrayToObject(e, "cues"))) goto fail;
    for (size_t i = 0; i < f->n_cues; i++) {
        const slant_cue *c = &f->cues[i];
        cJSON *o = cJSON_CreateObject();
        if (!o) goto fail;
        cJSON_AddItemToArray(cues, o);
        if (!add_string_n(o, "text", text + c->start, c->end - c->start) ||
            !add_offsets(o, c->cp_start, c->cp_end, c->start, c->end) ||
            !add_real(o, "weight", c->weight))
            goto fail;
    }
    if (!(probs = cJSON_AddArrayToObject(e, "probabilities"))) goto fail;
    int order[SLANT_N_TECHNIQUES], n = 0;
    double sum = 0;
    for (int k = 0; k < SLANT_N_TECHNIQUES; k++) { order[k] = k; sum += f->technique_probs[k]; }
    if (sum > 0) {
        /* insertion sort: 14 items, most likely first, ties by index */
        for (int i = 1; i < SLANT_N_TECHNIQUES; i++)
            for (int j = i; j > 0 && f->technique_probs[order[j]] > f->technique_probs[order[j - 1]]; j--) {
                int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
            }
        while (n < SLANT_N_TECHNIQUES && (n < EXPLAIN_MIN_N || f->technique_probs[order[n]] >= EXPLAIN_MIN_P)) n++;
    }
    char summary[512];
    int w = snprintf(summary, sizeof summary, "span confidence %.2f", f->span_confidence);
    for (size_t i = 0; i < f->n_cues && w > 0 && (size_t)w < sizeof summary; i++)
        w += snprintf(summary + w, sizeof summary - (size_t)w, "%s\"%.*s\"", i == 0 ? "; cue words: " : ", ",
                      (int)(f->cues[i].end - f->cues[i].start), text + f->cues[i].start);
    for (int i = 0; i < n; i++) {
        const slant_technique *t = slant_technique_get(order[i]);
        cJSON *p = cJSON_CreateObject();
        if (!p) goto fail;
        cJSON_AddItemToArray(probs, p);
        if (!cJSON_AddStringToObject(p, "technique", t->name) ||
            !cJSON_AddStringToObject(p, "display", t->display) ||
            !add_real(p, "p", f->technique_probs[order[i]]))
            goto fail;
        if (w > 0 && (size_t)w < sizeof summary)
            w += snprintf(summary + w, sizeof summary - (size_t)w, "%s %s %.2f",
                          i == 0 ? "; classifier: " : ",", t->display, f->technique_probs[order[i]]);
    }
    if (!cJSON_AddStringToObject(e, "summary", summary)) goto fail;
    return e;
fail:
    cJSON_Delete(e);
    return NULL;
}

static cJSON *fragment(const char *text, const slant_fragment *f) {
    cJSON *o = cJSON_CreateObject(), *t = NULL, *e = NULL;
    if (!o) return NULL;
    if (!add_offsets(o, f->cp_start, f->cp_end, f->start, f->end)) goto fail;
    if (!add_string_n(o, "text", text + f->start, f->end - f->start)) goto fail;
    if (!(t = technique_ref(f->technique))) goto fail;
    cJSON_AddItemToObject(o, "technique", t);
    if (!add_real(o, "confidence", f->confidence)) goto fail;
    if (!(e = explanation(text, f))) goto fail;
    cJSON_AddItemToObject(o, "explanation", e);
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

/* ---- documents ---- */

cJSON *report_json_article(const slant_model *m, const char *id, const char *path,
                           const char *text, size_t len, const slant_result *r) {
    cJSON *doc = cJSON_CreateObject(), *a, *o;
    if (!doc) return NULL;
    if (!cJSON_AddNumberToObject(doc, "schema_version", REPORT_SCHEMA_VERSION)) goto fail;
    if (!cJSON_AddStringToObject(doc, "id", id ? id : "")) goto fail;
    if (!(path ? cJSON_AddStringToObject(doc, "path", path) : cJSON_AddNullToObject(doc, "path"))) goto fail;
    if (!(o = cJSON_AddObjectToObject(doc, "length"))) goto fail;
    if (!cJSON_AddNumberToObject(o, "bytes", (double)len) ||
        !cJSON_AddNumberToObject(o, "codepoints", (double)r->n_codepoints)) goto fail;
    if (!(o = cJSON_AddObjectToObject(doc, "model"))) goto fail;
    if (!cJSON_AddStringToObject(o, "name", m ? m->name : "") ||
        !cJSON_AddStringToObject(o, "version", m ? m->version : "")) goto fail;
    if (!add_real(doc, "score", r->score)) goto fail;

    size_t counts[SLANT_N_TECHNIQUES] = {0}, n_unlabelled = 0;
    if (!(a = cJSON_AddArrayToObject(doc, "fragments"))) goto fail;
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        if (f->end > len || f->start > f->end) goto fail;   /* not this text's result */
        if (!(o = fragment(text, f))) goto fail;
        cJSON_AddItemToArray(a, o);
        if (f->technique >= 0 && f->technique < SLANT_N_TECHNIQUES) counts[f->technique]++;
        else n_unlabelled++;
    }
    /* the summary the chart draws: techniques found, most frequent first */
    if (!(a = cJSON_AddArrayToObject(doc, "technique_counts"))) goto fail;
    for (;;) {
        int best = -1;
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
            if (counts[k] && (best < 0 || counts[k] > counts[best])) best = k;
        if (best < 0) break;
        const slant_technique *t = slant_technique_get(best);
        if (!(o = cJSON_CreateObject())) goto fail;
        cJSON_AddItemToArray(a, o);
        if (!cJSON_AddStringToObject(o, "technique", t->name) ||
            !cJSON_AddStringToObject(o, "short", t->short_name) ||
            !cJSON_AddNumberToObject(o, "count", (double)counts[best])) goto fail;
        counts[best] = 0;
    }
    if (!cJSON_AddNumberToObject(doc, "unlabelled_fragments", (double)n_unlabelled)) goto fail;

    if (!(a = cJSON_AddArrayToObject(doc, "spans"))) goto fail;
    for (size_t i = 0; i < r->n_spans; i++) {
        const slant_span *s = &r->spans[i];
        if (s->end > len || s->start > s->end) goto fail;
        if (!(o = cJSON_CreateObject())) goto fail;
        cJSON_AddItemToArray(a, o);
        if (!add_offsets(o, s->cp_start, s->cp_end, s->start, s->end) ||
            !add_real(o, "confidence", s->confidence)) goto fail;
    }

    if (!(a = cJSON_AddArrayToObject(doc, "sentences"))) goto fail;
    for (size_t i = 0; i < r->n_sentences; i++) {
        const slant_sentence *s = &r->sentences[i];
        if (!(o = cJSON_CreateObject())) goto fail;
        cJSON_AddItemToArray(a, o);
        if (!add_offsets(o, s->cp_start, s->cp_end, s->start, s->end) ||
            !add_real(o, "score", s->score)) goto fail;
    }
    if (!add_string_n(doc, "text", text ? text : "", text ? len : 0)) goto fail;
    return doc;
fail:
    cJSON_Delete(doc);
    return NULL;
}

cJSON *report_json_techniques(void) {
    cJSON *a = cJSON_CreateArray();
    if (!a) return NULL;
    for (int i = 0; i < SLANT_N_TECHNIQUES; i++) {
        const slant_technique *t = slant_technique_get(i);
        cJSON *o = cJSON_CreateObject();
        if (!o) goto fail;
        cJSON_AddItemToArray(a, o);
        if (!cJSON_AddNumberToObject(o, "index", i) || !cJSON_AddStringToObject(o, "name", t->name) ||
            !cJSON_AddStringToObject(o, "display", t->display) ||
            !cJSON_AddStringToObject(o, "short", t->short_name) ||
            !cJSON_AddStringToObject(o, "colour", colours[i]) ||
            !cJSON_AddStringToObject(o, "definition", t->definition))
            goto fail;
    }
    return a;
fail:
    cJSON_Delete(a);
    return NULL;
}

cJSON *report_json_model(const slant_model *m) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    if (!cJSON_AddStringToObject(o, "name", m ? m->name : "") ||
        !cJSON_AddStringToObject(o, "version", m ? m->version : "")) goto fail;
    /* dev scores as recorded by `slant train` in META; null when absent */
    cJSON *meta = m && m->meta_json ? cJSON_Parse(m->meta_json) : NULL;
    cJSON *dev = meta ? cJSON_DetachItemFromObjectCaseSensitive(meta, "dev") : NULL;
    cJSON_Delete(meta);
    if (dev && cJSON_IsObject(dev)) cJSON_AddItemToObject(o, "dev", dev);
    else {
        cJSON_Delete(dev);
        if (!cJSON_AddNullToObject(o, "dev")) goto fail;
    }
    /* the techniques analysis leaves out unless a request names them */
    cJSON *un = cJSON_AddArrayToObject(o, "unreported");
    if (!un) goto fail;
    for (int k = 0; m && m->classifier && k < SLANT_N_TECHNIQUES; k++) {
        if (m->classifier->reported >> k & 1u) continue;
        cJSON *name = cJSON_CreateString(slant_technique_get(k)->name);
        if (!name || !cJSON_AddItemToArray(un, name)) { cJSON_Delete(name); goto fail; }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}
