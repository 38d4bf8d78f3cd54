/*
 * slant serve: loads the model once and serves the analysis page and the
 * JSON API (src/http_routes.h) until SIGINT or SIGTERM, then stops cleanly:
 * no new connections, requests in progress finish, workers joined, model
 * freed. Access log lines go to stderr. The signals are blocked before the
 * workers start (they inherit the mask) and taken with sigwait here, so no
 * handler runs inside a worker.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "http_server.h"
#include "model_path.h"
#include "options.h"

typedef struct {
    const char *host, *model;
    int port, threads, max_body, timeout, max_batch;
} serve_args;

#define OFF(f) offsetof(serve_args, f)
static const cli_option serve_options[] = {
    {"host", 0, OPT_STRING, "127.0.0.1", "address to listen on (IPv4 or IPv6; 0.0.0.0 for every interface)", OFF(host)},
    {"port", 'p', OPT_INT, "8080", "TCP port (0: any free port, printed at start)", OFF(port)},
    {"model", 'm', OPT_STRING, NULL, "model file (default: the bundled model)", OFF(model)},
    {"threads", 'j', OPT_INT, "4", "worker threads, each analysing one request at a time", OFF(threads)},
    {"max-body", 0, OPT_INT, "1048576", "largest request body in bytes (larger: 413)", OFF(max_body)},
    {"timeout", 0, OPT_INT, "30", "seconds a request may take to arrive, and an idle connection may stay open", OFF(timeout)},
    {"max-batch", 0, OPT_INT, "32", "documents per POST /v1/analyze/batch", OFF(max_batch)},
};
#define N_OPTS (sizeof serve_options / sizeof serve_options[0])
static const char *usage_text =
    "usage: slant serve [--host 127.0.0.1] [--port 8080] [--model MODEL] [--threads N]\n"
    "                   [--max-body BYTES] [--timeout SEC] [--max-batch N]\n"
    "  GET / (page), POST /v1/analyze, POST /v1/analyze/batch, GET /v1/techniques,\n"
    "  GET /v1/model, GET /healthz; stops on SIGINT or SIGTERM";

static void log_line(void *ctx, const char *line) {
    (void)ctx;
    fprintf(stderr, "%s\n", line); /* one fprintf per line: stdio locks the stream */
}

int cmd_serve(int argc, char **argv) {
    serve_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0;
    int pr = opts_parse(serve_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "serve");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    if (n_pos != 0) { fprintf(stderr, "%s\n", usage_text); return EXIT_INPUT; }
    if (a.port < 0 || a.port > 65535) { fprintf(stderr, "slant serve: --port must be in [0,65535]\n"); return EXIT_INPUT; }
    if (a.threads < 1 || a.threads > 1024) { fprintf(stderr, "slant serve: --threads must be in [1,1024]\n"); return EXIT_INPUT; }
    if (a.max_body < 1) { fprintf(stderr, "slant serve: --max-body must be at least 1 byte\n"); return EXIT_INPUT; }
    if (a.timeout < 1) { fprintf(stderr, "slant serve: --timeout must be at least 1 second\n"); return EXIT_INPUT; }
    if (a.max_batch < 1) { fprintf(stderr, "slant serve: --max-batch must be at least 1\n"); return EXIT_INPUT; }

    char path_buf[4096];
    const char *model_path = a.model ? a.model : cli_default_model(path_buf, sizeof path_buf);
    slant_model *m = NULL;
    slant_error err;
    slant_error_clear(&err);
    slant_status st = slant_model_load(model_path, &m, &err);
    if (st != SLANT_OK) return cli_report("cannot load the model", st, &err);

    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_set, NULL);

    http_server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = a.host;
    cfg.port = (unsigned)a.port;
    cfg.threads = (unsigned)a.threads;
    cfg.max_body = (size_t)a.max_body;
    cfg.timeout_s = (unsigned)a.timeout;
    cfg.max_batch = (size_t)a.max_batch;
    cfg.log = log_line;
    http_server *srv = NULL;
    int rc = EXIT_OK;
    if ((st = http_server_start(m, &cfg, &srv, &err)) != SLANT_OK) {
        rc = cli_report("cannot start the server", st, &err);
        goto done;
    }
    int v6 = strchr(a.host, ':') != NULL;
    fprintf(stderr, "slant serve: model %s, %d thread%s, listening on http://%s%s%s:%u/ (Ctrl-C stops)\n",
            model_path, a.threads, a.threads == 1 ? "" : "s", v6 ? "[" : "", a.host, v6 ? "]" : "",
            http_server_port(srv));

    int sig = 0;
    while (sigwait(&stop_set, &sig) != 0) {}
    fprintf(stderr, "slant serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_server_stop(srv);
    fprintf(stderr, "slant serve: stopped\n");
done:
    slant_model_free(m);
    return rc;
}
