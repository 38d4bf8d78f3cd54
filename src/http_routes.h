/*
 * What `slant serve` answers, without the sockets: (method, path, body) in,
 * (status, content type, body) out. http_server.c feeds it from
 * libmicrohttpd; tests can call it directly. Routes:
 *
 *   GET  /                    the analysis page (web/serve.html, embedded)
 *   GET  /serve.js, /report.js, /report.css   what the page loads (embedded)
 *   POST /v1/analyze          one document -> the report JSON document
 *   POST /v1/analyze/batch    {"documents": [...]} -> {"documents": [...]}
 *   GET  /v1/techniques       the technique legend
 *   GET  /v1/model            model name, version, dev scores
 *   GET  /healthz             {"status": "ok"}
 *
 * HEAD is answered as GET (the server drops the body). Every error is
 * {"error": {"status": 400, "code": "invalid_json", "message": "...",
 * "offset"?: byte}}.
 */
#ifndef SLANT_HTTP_ROUTES_H
#define SLANT_HTTP_ROUTES_H

#include <stddef.h>
#include "analyze.h"
#include "slant.h"

typedef struct {
    const slant_model *model;  /* shared, read-only */
    size_t max_batch;          /* documents per batch request */
    size_t max_body;           /* bytes, for the 413 message */
    char *techniques_json;     /* GET /v1/techniques, built once */
    size_t techniques_len;
    char *model_json;          /* GET /v1/model, built once */
    size_t model_len;
} http_app;

typedef struct {
    int status;                /* HTTP status code */
    const char *content_type;  /* static string */
    const char *allow;         /* Allow header of a 405, else NULL */
    char *body;                /* len bytes; malloc'd unless is_static */
    size_t len;
    int is_static;             /* body points at embedded data: do not free */
} http_response;

/* Builds the fixed documents. Errors: SLANT_ENOMEM. */
slant_status http_app_init(http_app *app, const slant_model *m, size_t max_batch, size_t max_body);
void http_app_fini(http_app *app);

/* Answers one request. w is the calling thread's analysis scratch. out is
 * always filled (an error response when something fails, a 500 with a
 * static body when even that cannot be allocated); free with
 * http_response_fini. */
void http_route(const http_app *app, analyze_work *w, const char *method, const char *path,
                const char *body, size_t len, http_response *out);

/* Fills out with an error document. code is machine-readable ("not_found");
 * offset is a byte offset into the body, or -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
void http_response_error(http_response *out, int status, const char *code, long long offset,
                         const char *fmt, ...);

void http_response_fini(http_response *r);

#endif
