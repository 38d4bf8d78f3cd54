/*
 * The `slant serve` HTTP server: libmicrohttpd with a pool of worker
 * threads sharing one read-only model, each thread with its own
 * analyze_work. Feeds requests to http_route (http_routes.h) and enforces
 * the body size limit (413) and the request time limit (408, and idle
 * connections are closed after the same time). Does not print: access log
 * lines go to a callback. Does not handle signals: the caller stops it.
 */
#ifndef SLANT_HTTP_SERVER_H
#define SLANT_HTTP_SERVER_H

#include <stddef.h>
#include "http_routes.h"
#include "slant.h"

typedef struct {
    const char *host;          /* IPv4 or IPv6 literal to bind, "127.0.0.1" */
    unsigned port;             /* 0: any free port (http_server_port says which) */
    unsigned threads;          /* worker threads, >= 1 */
    size_t max_body;           /* request body limit, bytes */
    unsigned timeout_s;        /* whole-request and idle limit, seconds, >= 1 */
    size_t max_batch;          /* documents per batch request */
    /* Access log: one line per request ("127.0.0.1 GET /v1/analyze 200
     * 5321 B 12.3 ms"), no newline; called from worker threads, may be NULL. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} http_server_config;

typedef struct http_server http_server;

/* Binds and starts serving m (borrowed: keep it until http_server_stop).
 * On success *out is a new server; stop and free it with http_server_stop.
 * Errors: SLANT_EINVAL (bad host or config), SLANT_EIO (cannot bind, e.g.
 * the port is in use), SLANT_ENOMEM. */
slant_status http_server_start(const slant_model *m, const http_server_config *cfg,
                               http_server **out, slant_error *err);

/* The port the server listens on (the chosen one when cfg->port was 0). */
unsigned http_server_port(const http_server *s);

/* Stops accepting, lets the requests in progress finish, joins the workers
 * and frees s. NULL is a no-op. */
void http_server_stop(http_server *s);

#endif
