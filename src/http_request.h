/*
 * The bodies of `slant serve` API requests: bytes in, validated documents
 * out. A pure function over (body, len): no sockets, no model, no globals,
 * so the fuzzer (fuzz/fuzz_http_request.c) can drive it directly.
 *
 *   POST /v1/analyze        {"text": "...", "id"?: "...", "threshold"?: 0.4,
 *                            "techniques"?: ["Loaded_Language", ...]}
 *   POST /v1/analyze/batch  {"documents": [ <the object above>, ... ]}
 *
 * Checked here: UTF-8 of the whole body (JSON text is UTF-8, RFC 8259 s8.1),
 * no NUL byte (raw or \u0000: the text must be what the offsets refer to),
 * JSON syntax, field types and ranges, technique names, the batch size.
 * Unknown members are ignored, so clients may send more. Not checked here:
 * the body size limit (the server refuses a large body before it arrives).
 */
#ifndef SLANT_HTTP_REQUEST_H
#define SLANT_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "slant.h"

#define HREQ_ID_MAX 256 /* longest "id", bytes */

/* One document to analyse. text and id point into the request's parsed
 * JSON and live as long as the http_request. */
typedef struct {
    const char *text;        /* UTF-8, no NUL, text_len bytes */
    size_t text_len;
    const char *id;          /* "id" member, or NULL when absent */
    slant_options opt;       /* threshold and technique mask from the body */
} hreq_doc;

typedef struct {
    cJSON *root;             /* owns every string the docs point to */
    hreq_doc *docs;          /* n_docs documents, in request order */
    size_t n_docs;
} http_request;

/* Machine-readable error codes, the "code" of an API error body. */
#define HREQ_INVALID_UTF8   "invalid_utf8"
#define HREQ_INVALID_JSON   "invalid_json"
#define HREQ_INVALID_FIELD  "invalid_field"
#define HREQ_MISSING_TEXT   "missing_text"
#define HREQ_TOO_MANY_DOCS  "too_many_documents"
#define HREQ_NO_MEMORY      "out_of_memory"

void http_request_init(http_request *r);
void http_request_fini(http_request *r);

/* Parses body[0..len) (not NUL-terminated) as a single request (batch == 0)
 * or a batch of at most max_docs documents (batch == 1) into out, which must
 * be freshly initialised. On failure out is left empty, *code (when non-NULL)
 * is one of the HREQ_* codes and err says what is wrong and where: a byte
 * offset into the body for encoding and syntax errors, the member path
 * ("documents[2].text") in the message for field errors. Returns SLANT_OK,
 * SLANT_EENCODING, SLANT_EFORMAT (syntax), SLANT_EINVAL (fields, batch size)
 * or SLANT_ENOMEM. */
slant_status http_request_parse(const char *body, size_t len, int batch, size_t max_docs,
                                http_request *out, const char **code, slant_error *err);

#endif
