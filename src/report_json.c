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
 * The document is written straight into a buffer (report_json_write_article),
 * not built as a cJSON tree and printed: the tree's allocations and its
 * printing were most of the time of `analyze -F jsonl` beyond the analysis.
 * Callers that need a tree parse those bytes (report_json_article).
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

/* ---- the writer ---- */

/* s[0..n) as a JSON string, escaped as cJSON escapes (", \, \b \f \n \r \t,
 * other bytes under 0x20 as \u00xx; UTF-8 as it is), so a document parsed
 * and printed again by cJSON keeps its bytes. */
static void put_string(rbuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    rbuf_put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        rbuf_put(b, s + run, i - run);
        run = i + 1;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t k = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default:
            e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15];
            k = 6;
        }
        rbuf_put(b, e, k);
    }
    rbuf_put(b, s + run, n - run);
    rbuf_put(b, "\"", 1);
}

static void put_cstring(rbuf *b, const char *s) { put_string(b, s, strlen(s)); }

/* "key": (keys are plain ASCII) */
static void put_key(rbuf *b, const char *key) {
    rbuf_put(b, "\"", 1);
    rbuf_puts(b, key);
    rbuf_put(b, "\":", 2);
}

static void put_uint(rbuf *b, size_t v) {
    char d[24];
    size_t k = sizeof d;
    do { d[--k] = (char)('0' + v % 10); v /= 10; } while (v);
    rbuf_put(b, d + k, sizeof d - k);
}

static void put_real(rbuf *b, double x) {
    char buf[REPORT_JSON_REAL_MAX];
    rbuf_put(b, buf, (size_t)report_json_real(x, buf));
}

/* "start":..,"end":..,"byte_start":..,"byte_end":.. */
static void put_offsets(rbuf *b, size_t cp_start, size_t cp_end, size_t start, size_t end) {
    put_key(b, "start"); put_uint(b, cp_start);
    rbuf_put(b, ",", 1); put_key(b, "end"); put_uint(b, cp_end);
    rbuf_put(b, ",", 1); put_key(b, "byte_start"); put_uint(b, start);
    rbuf_put(b, ",", 1); put_key(b, "byte_end"); put_uint(b, end);
}

/* Array item i (a comma before all but the first) of a range with one
 * real: {offsets, "key": x}, as spans and sentences are. */
static void put_range(rbuf *b, size_t i, size_t cp_start, size_t cp_end, size_t start, size_t end,
                      const char *key, double x) {
    rbuf_puts(b, i ? ",{" : "{");
    put_offsets(b, cp_start, cp_end, start, end);
    rbuf_put(b, ",", 1); put_key(b, key); put_real(b, x);
    rbuf_put(b, "}", 1);
}

static void put_technique_ref(rbuf *b, int i) {
    const slant_technique *t = slant_technique_get(i);
    if (!t) { rbuf_put(b, "null", 4); return; }
    rbuf_put(b, "{", 1);
    put_key(b, "index"); put_uint(b, (size_t)i);
    rbuf_put(b, ",", 1); put_key(b, "name"); put_cstring(b, t->name);
    rbuf_put(b, ",", 1); put_key(b, "display"); put_cstring(b, t->display);
    rbuf_put(b, ",", 1); put_key(b, "short"); put_cstring(b, t->short_name);
    rbuf_put(b, "}", 1);
}

/* ---- fragments ---- */

static void put_explanation(rbuf *b, const char *text, const slant_fragment *f) {
    rbuf_put(b, "{", 1);
    put_key(b, "span_confidence"); put_real(b, f->span_confidence);
    /* The words whose own features weighed most for the span (slant_cue). */
    rbuf_put(b, ",", 1); put_key(b, "cues"); rbuf_put(b, "[", 1);
    for (size_t i = 0; i < f->n_cues; i++) {
        const slant_cue *c = &f->cues[i];
        rbuf_puts(b, i ? ",{" : "{");
        put_key(b, "text"); put_string(b, text + c->start, c->end - c->start);
        rbuf_put(b, ",", 1); put_offsets(b, c->cp_start, c->cp_end, c->start, c->end);
        rbuf_put(b, ",", 1); put_key(b, "weight"); put_real(b, c->weight);
        rbuf_put(b, "}", 1);
    }
    rbuf_put(b, "]", 1);
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
    rbuf_put(b, ",", 1); put_key(b, "probabilities"); rbuf_put(b, "[", 1);
    for (int i = 0; i < n; i++) {
        const slant_technique *t = slant_technique_get(order[i]);
        rbuf_puts(b, i ? ",{" : "{");
        put_key(b, "technique"); put_cstring(b, t->name);
        rbuf_put(b, ",", 1); put_key(b, "display"); put_cstring(b, t->display);
        rbuf_put(b, ",", 1); put_key(b, "p"); put_real(b, f->technique_probs[order[i]]);
        rbuf_put(b, "}", 1);
        if (w > 0 && (size_t)w < sizeof summary)
            w += snprintf(summary + w, sizeof summary - (size_t)w, "%s %s %.2f",
                          i == 0 ? "; classifier: " : ",", t->display, f->technique_probs[order[i]]);
    }
    rbuf_put(b, "]", 1);
    /* snprintf stops at the buffer's end: the summary is what fitted. */
    rbuf_put(b, ",", 1); put_key(b, "summary"); put_cstring(b, summary);
    rbuf_put(b, "}", 1);
}

static void put_fragment(rbuf *b, const char *text, const slant_fragment *f) {
    rbuf_put(b, "{", 1);
    put_offsets(b, f->cp_start, f->cp_end, f->start, f->end);
    rbuf_put(b, ",", 1); put_key(b, "text"); put_string(b, text + f->start, f->end - f->start);
    rbuf_put(b, ",", 1); put_key(b, "technique"); put_technique_ref(b, f->technique);
    rbuf_put(b, ",", 1); put_key(b, "confidence"); put_real(b, f->confidence);
    rbuf_put(b, ",", 1); put_key(b, "explanation"); put_explanation(b, text, f);
    rbuf_put(b, "}", 1);
}

/* ---- documents ---- */

slant_status report_json_write_article(rbuf *b, const slant_model *m, const char *id, const char *path,
                                       const char *text, size_t len, const slant_result *r) {
    for (size_t i = 0; i < r->n_fragments; i++)
        if (r->fragments[i].end > len || r->fragments[i].start > r->fragments[i].end) return SLANT_EINVAL;
    for (size_t i = 0; i < r->n_spans; i++)
        if (r->spans[i].end > len || r->spans[i].start > r->spans[i].end) return SLANT_EINVAL;
    if (!text && r->n_fragments) return SLANT_EINVAL;
    size_t mark = b->len;
    rbuf_put(b, "{", 1);
    put_key(b, "schema_version"); put_uint(b, REPORT_SCHEMA_VERSION);
    rbuf_put(b, ",", 1); put_key(b, "id"); put_cstring(b, id ? id : "");
    rbuf_put(b, ",", 1); put_key(b, "path");
    if (path) put_cstring(b, path); else rbuf_put(b, "null", 4);
    rbuf_put(b, ",", 1); put_key(b, "length");
    rbuf_put(b, "{", 1); put_key(b, "bytes"); put_uint(b, len);
    rbuf_put(b, ",", 1); put_key(b, "codepoints"); put_uint(b, r->n_codepoints); rbuf_put(b, "}", 1);
    rbuf_put(b, ",", 1); put_key(b, "model");
    rbuf_put(b, "{", 1); put_key(b, "name"); put_cstring(b, m ? m->name : "");
    rbuf_put(b, ",", 1); put_key(b, "version"); put_cstring(b, m ? m->version : ""); rbuf_put(b, "}", 1);
    rbuf_put(b, ",", 1); put_key(b, "score"); put_real(b, r->score);

    size_t counts[SLANT_N_TECHNIQUES] = {0}, n_unlabelled = 0;
    rbuf_put(b, ",", 1); put_key(b, "fragments"); rbuf_put(b, "[", 1);
    for (size_t i = 0; i < r->n_fragments; i++) {
        const slant_fragment *f = &r->fragments[i];
        if (i) rbuf_put(b, ",", 1);
        put_fragment(b, text, f);
        if (f->technique >= 0 && f->technique < SLANT_N_TECHNIQUES) counts[f->technique]++;
        else n_unlabelled++;
    }
    rbuf_put(b, "]", 1);
    /* the summary the chart draws: techniques found, most frequent first */
    rbuf_put(b, ",", 1); put_key(b, "technique_counts"); rbuf_put(b, "[", 1);
    for (int first = 1;; first = 0) {
        int best = -1;
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++)
            if (counts[k] && (best < 0 || counts[k] > counts[best])) best = k;
        if (best < 0) break;
        const slant_technique *t = slant_technique_get(best);
        rbuf_puts(b, first ? "{" : ",{");
        put_key(b, "technique"); put_cstring(b, t->name);
        rbuf_put(b, ",", 1); put_key(b, "short"); put_cstring(b, t->short_name);
        rbuf_put(b, ",", 1); put_key(b, "count"); put_uint(b, counts[best]);
        rbuf_put(b, "}", 1);
        counts[best] = 0;
    }
    rbuf_put(b, "]", 1);
    rbuf_put(b, ",", 1); put_key(b, "unlabelled_fragments"); put_uint(b, n_unlabelled);

    rbuf_put(b, ",", 1); put_key(b, "spans"); rbuf_put(b, "[", 1);
    for (size_t i = 0; i < r->n_spans; i++) {
        const slant_span *s = &r->spans[i];
        put_range(b, i, s->cp_start, s->cp_end, s->start, s->end, "confidence", s->confidence);
    }
    rbuf_put(b, "]", 1);
    rbuf_put(b, ",", 1); put_key(b, "sentences"); rbuf_put(b, "[", 1);
    for (size_t i = 0; i < r->n_sentences; i++) {
        const slant_sentence *s = &r->sentences[i];
        put_range(b, i, s->cp_start, s->cp_end, s->start, s->end, "score", s->score);
    }
    rbuf_put(b, "]", 1);
    rbuf_put(b, ",", 1); put_key(b, "text"); put_string(b, text ? text : "", text ? len : 0);
    rbuf_put(b, "}", 1);
    if (b->failed) { b->len = mark; return SLANT_ENOMEM; }
    return SLANT_OK;
}

/* Turns the parsed reals of item's subtree back into the text the writer
 * gave them (cJSON would print 0.000058 as 5.8e-05): raw items. Counts and
 * offsets are integers and stay numbers. 0 when out of memory. */
static int reals_as_written(cJSON *item) {
    for (cJSON *c = item ? item->child : NULL; c; c = c->next) {
        if (cJSON_IsNumber(c) && c->valuedouble != floor(c->valuedouble)) {
            char buf[REPORT_JSON_REAL_MAX];
            report_json_real(c->valuedouble, buf);
            cJSON *raw = cJSON_CreateRaw(buf);
            /* the replacement takes the key along (ReplaceItemViaPointer does not) */
            if (raw && c->string && !(raw->string = cJSON_malloc(strlen(c->string) + 1))) { cJSON_Delete(raw); return 0; }
            if (raw && c->string) strcpy(raw->string, c->string);
            if (!raw || !cJSON_ReplaceItemViaPointer(item, c, raw)) { cJSON_Delete(raw); return 0; }
            c = raw;
        } else if (!reals_as_written(c)) return 0;
    }
    return 1;
}

cJSON *report_json_article(const slant_model *m, const char *id, const char *path,
                           const char *text, size_t len, const slant_result *r) {
    rbuf b;
    rbuf_init(&b);
    cJSON *doc = NULL;
    if (report_json_write_article(&b, m, id, path, text, len, r) == SLANT_OK)
        doc = cJSON_ParseWithLength(b.p, b.len);
    rbuf_fini(&b);
    if (doc && !reals_as_written(doc)) { cJSON_Delete(doc); doc = NULL; }
    return doc;
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
    uint32_t reported = slant_model_reported_techniques(m);
    for (int k = 0; m && m->classifier && k < SLANT_N_TECHNIQUES; k++) {
        if (reported >> k & 1u) continue;
        cJSON *name = cJSON_CreateString(slant_technique_get(k)->name);
        if (!name || !cJSON_AddItemToArray(un, name)) { cJSON_Delete(name); goto fail; }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}
