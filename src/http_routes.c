/*
 * The routes of `slant serve` (see http_routes.h): request in, response
 * out, no sockets. JSON bodies are built with report_json.h, the schema
 * `slant analyze --format json` prints, so the API and the CLI agree byte
 * for byte on what a document looks like.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http_request.h"
#include "http_routes.h"
#include "report_assets.h"
#include "report_json.h"

#define JSON_TYPE "application/json"

static const char oom_body[] =
    "{\"error\":{\"status\":500,\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";

/* ---- responses ---- */

void http_response_fini(http_response *r) {
    if (!r) return;
    if (!r->is_static) free(r->body);
    memset(r, 0, sizeof *r);
}

static void set_oom(http_response *out) {
    http_response_fini(out);
    out->status = 500;
    out->content_type = JSON_TYPE;
    out->body = (char *)oom_body; /* is_static: never written or freed */
    out->len = sizeof oom_body - 1;
    out->is_static = 1;
}

/* Takes o (deleted here) and makes it the body of a response. */
static void set_json(http_response *out, int status, cJSON *o) {
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!s) { set_oom(out); return; }
    http_response_fini(out);
    out->status = status;
    out->content_type = JSON_TYPE;
    out->body = s;
    out->len = strlen(s);
}

void http_response_error(http_response *out, int status, const char *code, long long offset,
                         const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cJSON *root = cJSON_CreateObject(), *e = root ? cJSON_AddObjectToObject(root, "error") : NULL;
    if (!e || !cJSON_AddNumberToObject(e, "status", status) || !cJSON_AddStringToObject(e, "code", code) ||
        !cJSON_AddStringToObject(e, "message", msg) ||
        (offset >= 0 && !cJSON_AddNumberToObject(e, "offset", (double)offset))) {
        cJSON_Delete(root);
        set_oom(out);
        return;
    }
    set_json(out, status, root);
}

/* A copy of a fixed document (so every response body is freed the same way). */
static void set_copy(http_response *out, const char *s, size_t len) {
    char *b = malloc(len + 1);
    if (!b) { set_oom(out); return; }
    memcpy(b, s, len);
    b[len] = '\0';
    http_response_fini(out);
    out->status = 200;
    out->content_type = JSON_TYPE;
    out->body = b;
    out->len = len;
}

/* ---- app ---- */

static char *print_and_delete(cJSON *o, size_t *len) {
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    *len = s ? strlen(s) : 0;
    return s;
}

slant_status http_app_init(http_app *app, const slant_model *m, size_t max_batch, size_t max_body) {
    memset(app, 0, sizeof *app);
    app->model = m;
    app->max_batch = max_batch;
    app->max_body = max_body;
    app->techniques_json = print_and_delete(report_json_techniques(), &app->techniques_len);
    app->model_json = print_and_delete(report_json_model(m), &app->model_len);
    if (!app->techniques_json || !app->model_json) {
        http_app_fini(app);
        return SLANT_ENOMEM;
    }
    return SLANT_OK;
}

void http_app_fini(http_app *app) {
    if (!app) return;
    free(app->techniques_json);
    free(app->model_json);
    memset(app, 0, sizeof *app);
}

/* ---- analysis ---- */

/* The HTTP status and error code for a failed analysis. */
static int analysis_status(slant_status st, const char **code) {
    switch (st) {
    case SLANT_EENCODING: *code = HREQ_INVALID_UTF8; return 400;
    case SLANT_ETOOBIG: *code = "body_too_large"; return 413;
    case SLANT_EINVAL: *code = HREQ_INVALID_FIELD; return 400;
    case SLANT_ENOMEM: *code = HREQ_NO_MEMORY; return 503;
    default: *code = "internal_error"; return 500;
    }
}

/* Takes b's bytes (a JSON document) as the body of a response. */
static void set_body(http_response *out, int status, rbuf *b) {
    if (b->failed || !b->p) { rbuf_fini(b); set_oom(out); return; }
    http_response_fini(out);
    out->status = status;
    out->content_type = JSON_TYPE;
    out->body = b->p;
    out->len = b->len;
    b->p = NULL;
    rbuf_fini(b);
}

/* Analyses one document and appends its report document to b (written
 * straight out, as `slant analyze -F jsonl` does), or fills out with the
 * error and returns 0. */
static int analyze_doc(const http_app *app, analyze_work *w, const hreq_doc *d,
                       const char *default_id, const char *where, rbuf *b, http_response *out) {
    slant_error err;
    slant_error_clear(&err);
    slant_result *r = NULL;
    slant_status st = analyze_text(app->model, w, d->text, d->text_len, &d->opt, &r, &err);
    if (st != SLANT_OK) {
        const char *code;
        int status = analysis_status(st, &code);
        http_response_error(out, status, code, -1, "%s%s", where,
                            err.message[0] ? err.message : slant_strerror(st));
        return 0;
    }
    st = report_json_write_article(b, app->model, d->id ? d->id : default_id, NULL, d->text,
                                   d->text_len, r);
    slant_result_free(r);
    if (st != SLANT_OK) { set_oom(out); return 0; }
    return 1;
}

static void post_analyze(const http_app *app, analyze_work *w, const char *body, size_t len,
                         int batch, http_response *out) {
    http_request req;
    http_request_init(&req);
    slant_error err;
    slant_error_clear(&err);
    const char *code = NULL;
    slant_status st = http_request_parse(body, len, batch, app->max_batch, &req, &code, &err);
    if (st != SLANT_OK) {
        http_response_error(out, st == SLANT_ENOMEM ? 503 : 400, code ? code : "bad_request",
                            err.offset, "%s", err.message[0] ? err.message : slant_strerror(st));
        return;
    }
    rbuf b;
    rbuf_init(&b);
    if (!batch) {
        if (analyze_doc(app, w, &req.docs[0], "article", "", &b, out)) set_body(out, 200, &b);
        else rbuf_fini(&b);
        goto done;
    }
    rbuf_puts(&b, "{\"documents\":[");
    for (size_t i = 0; i < req.n_docs; i++) {
        char id[32], where[40];
        snprintf(id, sizeof id, "%zu", i);
        snprintf(where, sizeof where, "documents[%zu]: ", i);
        if (i) rbuf_put(&b, ",", 1);
        if (!analyze_doc(app, w, &req.docs[i], id, where, &b, out)) { rbuf_fini(&b); goto done; }
    }
    rbuf_puts(&b, "]}");
    set_body(out, 200, &b);
done:
    http_request_fini(&req);
}

/* ---- routing ---- */

/* The page and what it loads, compiled into the library from web/
 * (report_assets.h): nothing is read from disk at run time. */
static const struct { const char *path, *file, *type; } page_files[] = {
    {"/", "serve.html", "text/html; charset=utf-8"},
    {"/serve.js", "serve.js", "text/javascript; charset=utf-8"},
    {"/report.js", "report.js", "text/javascript; charset=utf-8"},
    {"/report.css", "report.css", "text/css; charset=utf-8"},
};

typedef enum { R_GET, R_POST } route_method;

/* The API routes; assets are looked up separately. */
typedef enum { API_ANALYZE, API_BATCH, API_TECHNIQUES, API_MODEL, API_HEALTH, API_NONE } api_route;

static const struct {
    const char *path;
    route_method method;
    api_route route;
} api_routes[] = {
    {"/v1/analyze", R_POST, API_ANALYZE},
    {"/v1/analyze/batch", R_POST, API_BATCH},
    {"/v1/techniques", R_GET, API_TECHNIQUES},
    {"/v1/model", R_GET, API_MODEL},
    {"/healthz", R_GET, API_HEALTH},
};

void http_route(const http_app *app, analyze_work *w, const char *method, const char *path,
                const char *body, size_t len, http_response *out) {
    memset(out, 0, sizeof *out);
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int is_post = strcmp(method, "POST") == 0;

    for (size_t i = 0; i < sizeof api_routes / sizeof api_routes[0]; i++) {
        if (strcmp(path, api_routes[i].path) != 0) continue;
        if (api_routes[i].method == R_POST && !is_post) {
            http_response_error(out, 405, "method_not_allowed", -1,
                                "%s %s: use POST with a JSON body", method, path);
            out->allow = "POST";
            return;
        }
        if (api_routes[i].method == R_GET && !is_get) {
            http_response_error(out, 405, "method_not_allowed", -1, "%s %s: use GET", method, path);
            out->allow = "GET, HEAD";
            return;
        }
        switch (api_routes[i].route) {
        case API_ANALYZE: post_analyze(app, w, body, len, 0, out); return;
        case API_BATCH: post_analyze(app, w, body, len, 1, out); return;
        case API_TECHNIQUES: set_copy(out, app->techniques_json, app->techniques_len); return;
        case API_MODEL: set_copy(out, app->model_json, app->model_len); return;
        case API_HEALTH: set_copy(out, "{\"status\":\"ok\"}", 15); return;
        case API_NONE: break;
        }
    }
    for (size_t i = 0; i < sizeof page_files / sizeof page_files[0]; i++) {
        const report_asset *a = report_asset_get(page_files[i].file);
        if (!a || strcmp(path, page_files[i].path) != 0) continue;
        if (!is_get) {
            http_response_error(out, 405, "method_not_allowed", -1, "%s %s: use GET", method, path);
            out->allow = "GET, HEAD";
            return;
        }
        out->status = 200;
        out->content_type = page_files[i].type;
        out->body = (char *)a->data; /* is_static: never written or freed */
        out->len = a->len;
        out->is_static = 1;
        return;
    }
    http_response_error(out, 404, "not_found", -1,
                        "no such path: %.200s (try GET /, POST /v1/analyze, GET /v1/techniques)", path);
}
