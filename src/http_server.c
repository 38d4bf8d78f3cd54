/*
 * libmicrohttpd glue for `slant serve` (see http_server.h). MHD calls
 * on_request several times per request: once with the headers (we set up
 * a conn_state and refuse an announced oversized body at once), once per
 * body chunk (we append, or drop the bytes once over a limit), and once
 * with no data (we route and queue the response). on_completed writes the
 * access log line and frees the state.
 *
 * Threads: MHD's pool of cfg->threads threads, each polling its own
 * connections and running the analysis itself; the model is shared
 * read-only, each thread's analyze_work lives in a pthread key and is
 * freed when MHD joins the thread.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include "http_server.h"
#include "status.h"

struct http_server {
    struct MHD_Daemon *daemon;
    http_app app;
    http_server_config cfg;
    unsigned port;
    pthread_key_t work_key;    /* per-thread analyze_work */
    int has_key;
    atomic_int in_flight;      /* requests between first call and completion */
};

typedef struct {
    struct timespec start;     /* first call: headers received */
    char *body;                /* len bytes received so far, cap allocated */
    size_t len, cap;
    int too_big;               /* body over max_body: drop the rest, answer 413 */
    int timed_out;             /* over timeout_s: drop the rest, answer 408 */
    int no_memory;
    int status;                /* status of the queued response, for the log */
    size_t bytes;              /* body bytes of the queued response */
    char method[16];           /* for the access log */
    char path[256];            /* for the access log, cut if longer */
} conn_state;

static double ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- per-thread work ---- */

static void work_free(void *p) {
    analyze_work *w = p;
    analyze_work_fini(w);
    free(w);
}

static analyze_work *thread_work(http_server *s) {
    analyze_work *w = pthread_getspecific(s->work_key);
    if (w) return w;
    if (!(w = malloc(sizeof *w))) return NULL;
    if (analyze_work_init(w) != SLANT_OK || pthread_setspecific(s->work_key, w) != 0) {
        work_free(w);
        return NULL;
    }
    return w;
}

/* ---- responses ---- */

static enum MHD_Result send_response(struct MHD_Connection *c, conn_state *cs, http_response *r) {
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->len, r->body,
                                        r->is_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) { http_response_fini(r); return MHD_NO; }
    r->body = NULL; /* MHD owns it now (or it is static) */
    r->is_static = 1;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (r->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    cs->status = r->status;
    cs->bytes = r->len;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, conn_state *cs, int status,
                                  const char *code, const char *message) {
    http_response r;
    memset(&r, 0, sizeof r);
    http_response_error(&r, status, code, -1, "%s", message);
    return send_response(c, cs, &r);
}

/* ---- request handler ---- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
    http_server *s = cls;
    conn_state *cs = *con_cls;
    (void)version;
    char msg[160];

    if (!cs) { /* headers only */
        if (!(cs = calloc(1, sizeof *cs))) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &cs->start);
        *con_cls = cs;
        snprintf(cs->method, sizeof cs->method, "%s", method);
        snprintf(cs->path, sizeof cs->path, "%s", url);
        atomic_fetch_add(&s->in_flight, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            unsigned long long n = strtoull(cl, &end, 10);
            if (*end == '\0' && n > s->cfg.max_body) {
                /* Answer before the body is sent: MHD then closes the connection. */
                snprintf(msg, sizeof msg, "the body is %llu bytes, the limit is %zu (--max-body)",
                         n, s->cfg.max_body);
                return send_error(c, cs, 413, "body_too_large", msg);
            }
        }
        return MHD_YES;
    }

    if (*upload_data_size) { /* a body chunk */
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (!cs->timed_out && ms_since(&cs->start) > 1e3 * s->cfg.timeout_s) cs->timed_out = 1;
        if (cs->too_big || cs->timed_out || cs->no_memory) return MHD_YES;
        if (n > s->cfg.max_body - cs->len) { cs->too_big = 1; return MHD_YES; }
        if (cs->len + n > cs->cap) {
            size_t cap = cs->cap ? cs->cap : 4096;
            while (cap < cs->len + n) cap *= 2;
            if (cap > s->cfg.max_body) cap = s->cfg.max_body;
            char *b = realloc(cs->body, cap);
            if (!b) { cs->no_memory = 1; return MHD_YES; }
            cs->body = b;
            cs->cap = cap;
        }
        memcpy(cs->body + cs->len, upload_data, n);
        cs->len += n;
        return MHD_YES;
    }

    /* the whole request is in */
    if (cs->too_big) {
        snprintf(msg, sizeof msg, "the body is over the limit of %zu bytes (--max-body)", s->cfg.max_body);
        return send_error(c, cs, 413, "body_too_large", msg);
    }
    if (cs->timed_out || ms_since(&cs->start) > 1e3 * s->cfg.timeout_s) {
        snprintf(msg, sizeof msg, "the request took over %u s to arrive (--timeout)", s->cfg.timeout_s);
        return send_error(c, cs, 408, "request_timeout", msg);
    }
    analyze_work *w = thread_work(s);
    if (cs->no_memory || !w) return send_error(c, cs, 503, "out_of_memory", "out of memory");
    http_response r;
    http_route(&s->app, w, method, url, cs->body ? cs->body : "", cs->len, &r);
    return send_response(c, cs, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
    http_server *s = cls;
    conn_state *cs = *con_cls;
    if (!cs) return;
    *con_cls = NULL;
    if (s->cfg.log) {
        char addr[INET6_ADDRSTRLEN] = "-";
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof addr);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof addr);
        }
        char line[768];
        snprintf(line, sizeof line, "%s %s %s %d %zu B %.1f ms%s", addr,
                 cs->method, cs->path, cs->status, cs->bytes,
                 ms_since(&cs->start),
                 why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" :
                 why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? " (timed out)" : " (aborted)");
        s->cfg.log(s->cfg.log_ctx, line);
    }
    free(cs->body);
    free(cs);
    atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- start and stop ---- */

static slant_status bind_address(const char *host, unsigned port, struct sockaddr_storage *ss,
                                 int *ipv6, slant_error *err) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)(void *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *ipv6 = 0;
        return SLANT_OK;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *ipv6 = 1;
        return SLANT_OK;
    }
    return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                   "host '%s' is not an IPv4 or IPv6 address (e.g. 127.0.0.1, ::1, 0.0.0.0)", host);
}

slant_status http_server_start(const slant_model *m, const http_server_config *cfg,
                               http_server **out, slant_error *err) {
    slant_status st = SLANT_OK;
    *out = NULL;
    if (!m || !cfg || cfg->threads < 1 || cfg->timeout_s < 1 || cfg->max_body < 1 ||
        cfg->max_batch < 1 || cfg->port > 65535)
        return err_set(err, SLANT_EINVAL, NULL, -1, -1,
                       "threads, timeout, max-body and max-batch must be >= 1, port <= 65535");
    struct sockaddr_storage ss;
    int ipv6 = 0;
    if ((st = bind_address(cfg->host ? cfg->host : "127.0.0.1", cfg->port, &ss, &ipv6, err)) != SLANT_OK)
        return st;

    http_server *s = calloc(1, sizeof *s);
    if (!s) return err_set(err, SLANT_ENOMEM, NULL, -1, -1, "out of memory");
    s->cfg = *cfg;
    atomic_init(&s->in_flight, 0);
    if ((st = http_app_init(&s->app, m, cfg->max_batch, cfg->max_body)) != SLANT_OK) {
        err_set(err, st, NULL, -1, -1, "out of memory");
        goto fail;
    }
    if (pthread_key_create(&s->work_key, work_free) != 0) {
        st = err_set(err, SLANT_ENOMEM, NULL, -1, -1, "cannot create a thread key");
        goto fail;
    }
    s->has_key = 1;

    /* ITC lets MHD_quiesce_daemon stop the pool's listening; no
     * MHD_USE_ERROR_LOG, so MHD stays silent (the library never prints). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;
    if (ipv6) flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
                                 MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        st = err_set(err, SLANT_EIO, NULL, -1, -1,
                     "cannot listen on %s port %u (in use, or not an address of this machine?)",
                     cfg->host ? cfg->host : "127.0.0.1", cfg->port);
        goto fail;
    }
    s->port = cfg->port;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (di && di->port) s->port = di->port;
    *out = s;
    return SLANT_OK;
fail:
    http_server_stop(s);
    return st;
}

unsigned http_server_port(const http_server *s) {
    return s ? s->port : 0;
}

void http_server_stop(http_server *s) {
    if (!s) return;
    if (s->daemon) {
        /* Stop accepting, give the requests in progress up to the request
         * time limit to finish, then close every connection. */
        MHD_socket ls = MHD_quiesce_daemon(s->daemon);
        if (ls != MHD_INVALID_SOCKET) close(ls);
        struct timespec t0, nap = {0, 20 * 1000 * 1000};
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (atomic_load(&s->in_flight) > 0 && ms_since(&t0) < 1e3 * s->cfg.timeout_s)
            nanosleep(&nap, NULL);
        MHD_stop_daemon(s->daemon);
    }
    if (s->has_key) pthread_key_delete(s->work_key);
    http_app_fini(&s->app);
    free(s);
}
