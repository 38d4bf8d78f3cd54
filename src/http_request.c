/*
 * API request bodies -> validated documents (see http_request.h). The order
 * of checks is the order a client fixes things in: encoding, then syntax,
 * then the shape of each member. Every message names the member or byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http_request.h"
#include "status.h"
#include "text.h"

void http_request_init(http_request *r) {
    memset(r, 0, sizeof *r);
}

void http_request_fini(http_request *r) {
    if (!r) return;
    cJSON_Delete(r->root);
    free(r->docs);
    memset(r, 0, sizeof *r);
}

/* ---- encoding ---- */

/* Byte offset of the first "\u0000" escape in body, or -1. cJSON would
 * decode it into a C string and silently cut the text there. Only a
 * backslash that is not itself escaped starts an escape. */
static long long find_nul_escape(const char *body, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (body[i] != '\\') continue;
        if (i + 1 < len && body[i + 1] == 'u' && i + 6 <= len &&
            memcmp(body + i + 2, "0000", 4) == 0)
            return (long long)i;
        i++; /* skip the escaped character, a backslash included */
    }
    return -1;
}

/* ---- members ---- */

static slant_status field_error(slant_error *err, const char **code, const char *c,
                                slant_status st, const char *where, const char *what) {
    *code = c;
    return err_set(err, st, NULL, -1, -1, "%s%s", where, what);
}

/* Fills d from the object o. where is "" or "documents[3]: " for messages. */
static slant_status parse_doc(const cJSON *o, const char *where, hreq_doc *d,
                              const char **code, slant_error *err) {
    slant_options_init(&d->opt);
    if (!cJSON_IsObject(o))
        return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where,
                           where[0] ? "must be an object" : "the body must be a JSON object");

    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
    if (!text)
        return field_error(err, code, HREQ_MISSING_TEXT, SLANT_EINVAL, where,
                           "text is missing: send {\"text\": \"the article\"}");
    if (!cJSON_IsString(text) || !text->valuestring)
        return field_error(err, code, HREQ_MISSING_TEXT, SLANT_EINVAL, where, "text must be a string");
    d->text = text->valuestring;
    d->text_len = strlen(text->valuestring);

    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (id && !cJSON_IsNull(id)) {
        if (!cJSON_IsString(id) || !id->valuestring)
            return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where, "id must be a string");
        if (strlen(id->valuestring) >= HREQ_ID_MAX)
            return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where, "id is longer than 255 bytes");
        d->id = id->valuestring;
    }

    const cJSON *th = cJSON_GetObjectItemCaseSensitive(o, "threshold");
    if (th && !cJSON_IsNull(th)) {
        if (!cJSON_IsNumber(th) || !(th->valuedouble >= 0.0 && th->valuedouble <= 1.0))
            return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where,
                               "threshold must be a number in [0,1]");
        d->opt.threshold = th->valuedouble;
    }

    const cJSON *tq = cJSON_GetObjectItemCaseSensitive(o, "techniques");
    if (tq && !cJSON_IsNull(tq)) {
        if (!cJSON_IsArray(tq))
            return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where,
                               "techniques must be an array of technique names");
        uint32_t mask = 0;
        const cJSON *name;
        cJSON_ArrayForEach(name, tq) {
            if (!cJSON_IsString(name) || !name->valuestring)
                return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where,
                                   "techniques must hold strings");
            int k = slant_technique_find(name->valuestring, strlen(name->valuestring));
            if (k < 0) {
                *code = HREQ_INVALID_FIELD;
                return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                               "%sunknown technique \"%.64s\" (GET /v1/techniques lists them)",
                               where, name->valuestring);
            }
            mask |= (uint32_t)1 << k;
        }
        if (mask == 0)
            return field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, where,
                               "techniques is empty: leave it out for the techniques the model reports");
        d->opt.technique_mask = mask;
    }
    return SLANT_OK;
}

/* ---- request ---- */

slant_status http_request_parse(const char *body, size_t len, int batch, size_t max_docs,
                                http_request *out, const char **code, slant_error *err) {
    const char *code_local = NULL;
    if (!code) code = &code_local;
    *code = NULL;
    slant_status st = SLANT_OK;
    text_buf check;
    text_init(&check);

    /* Strict UTF-8 and no NUL, with the byte offset text_load reports. */
    if (len == 0) {
        *code = HREQ_INVALID_JSON;
        st = err_set(err, SLANT_EFORMAT, NULL, -1, 0, "the body is empty: send a JSON object");
        goto fail;
    }
    if ((st = text_load(&check, body, len, 0, err)) != SLANT_OK) {
        *code = st == SLANT_ENOMEM ? HREQ_NO_MEMORY : HREQ_INVALID_UTF8;
        if (st == SLANT_ETOOBIG) st = SLANT_EINVAL;
        goto fail;
    }
    long long nul = find_nul_escape(body, len);
    if (nul >= 0) {
        *code = HREQ_INVALID_UTF8;
        st = err_set(err, SLANT_EENCODING, NULL, -1, nul, "a \\u0000 escape: text may not hold NUL characters");
        goto fail;
    }

    /* check.data is NUL-terminated, so cJSON cannot read past the body. */
    const char *end = NULL;
    out->root = cJSON_ParseWithLengthOpts(check.data, check.len, &end, 0);
    if (!out->root) {
        /* end is where the parse stopped (cJSON's per-call error position;
         * cJSON_GetErrorPtr is a global, unsafe across server threads). */
        long long at = end ? (long long)(end - check.data) : -1;
        *code = HREQ_INVALID_JSON;
        st = err_set(err, SLANT_EFORMAT, NULL, -1, at, "invalid JSON near byte %lld", at);
        goto fail;
    }
    /* Trailing bytes other than white space are a syntax error too. */
    for (const char *p = end; p && p < check.data + check.len; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') continue;
        long long at = (long long)(p - check.data);
        *code = HREQ_INVALID_JSON;
        st = err_set(err, SLANT_EFORMAT, NULL, -1, at, "invalid JSON: extra data at byte %lld", at);
        goto fail;
    }

    if (!batch) {
        if (!(out->docs = calloc(1, sizeof *out->docs))) { st = SLANT_ENOMEM; *code = HREQ_NO_MEMORY; goto fail; }
        out->n_docs = 1;
        if ((st = parse_doc(out->root, "", &out->docs[0], code, err)) != SLANT_OK) goto fail;
        goto done;
    }

    if (!cJSON_IsObject(out->root)) {
        st = field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, "", "the body must be a JSON object");
        goto fail;
    }
    const cJSON *docs = cJSON_GetObjectItemCaseSensitive(out->root, "documents");
    if (!docs || !cJSON_IsArray(docs)) {
        st = field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, "",
                         "documents must be an array: send {\"documents\": [{\"text\": \"...\"}]}");
        goto fail;
    }
    size_t n = (size_t)cJSON_GetArraySize(docs);
    if (n == 0) {
        st = field_error(err, code, HREQ_INVALID_FIELD, SLANT_EINVAL, "", "documents is empty");
        goto fail;
    }
    if (n > max_docs) {
        *code = HREQ_TOO_MANY_DOCS;
        st = err_set(err, SLANT_EINVAL, NULL, -1, -1, "%zu documents, at most %zu per batch", n, max_docs);
        goto fail;
    }
    if (!(out->docs = calloc(n, sizeof *out->docs))) { st = SLANT_ENOMEM; *code = HREQ_NO_MEMORY; goto fail; }
    out->n_docs = n;
    size_t i = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, docs) {
        char where[40];
        snprintf(where, sizeof where, "documents[%zu]: ", i);
        if ((st = parse_doc(d, where, &out->docs[i], code, err)) != SLANT_OK) goto fail;
        i++;
    }

done:
    text_fini(&check);
    return SLANT_OK;
fail:
    if (st == SLANT_ENOMEM) { *code = HREQ_NO_MEMORY; err_set(err, st, NULL, -1, -1, "out of memory"); }
    text_fini(&check);
    http_request_fini(out);
    return st;
}
