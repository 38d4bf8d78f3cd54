/*
 * Tests for `slant serve` through real sockets: the server (http_server.h)
 * runs in this process on a free loopback port (port 0) with the bundled
 * model; a small HTTP/1.1 client here sends requests and checks statuses,
 * JSON error bodies, that the server keeps serving after each error, and
 * that concurrent requests from several threads get exactly the document
 * report_json_article builds (the one `slant analyze --format json` prints).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "http_server.h"
#include "report_json.h"
#include "test.h"
#include "text.h"

#define MODEL "models/default.slant"
#define EXAMPLE "examples/harbor-bill.txt"

static slant_model *model;
static http_server *server;
static unsigned port;
static char *example;          /* examples/harbor-bill.txt */
static size_t example_len;

/* ---- client ---- */

typedef struct {
    int status;                /* 0: no answer */
    char *head;                /* status line and headers */
    char *body;                /* NUL-terminated */
    size_t len;
} reply;

static void reply_fini(reply *r) {
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}

static int connect_server(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); fd = -1; }
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reads the whole answer (the request said Connection: close). */
static void read_reply(int fd, reply *r) {
    memset(r, 0, sizeof *r);
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap + 1);
    ssize_t k;
    while ((k = recv(fd, buf + len, cap - len, 0)) > 0) {
        len += (size_t)k;
        if (len == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (sep && sscanf(buf, "HTTP/1.1 %d", &r->status) == 1) {
        *sep = '\0';
        r->head = strdup(buf);
        r->len = len - (size_t)(sep + 4 - buf);
        r->body = malloc(r->len + 1);
        memcpy(r->body, sep + 4, r->len + 1);
    }
    free(buf);
}

static void call_raw(const char *raw, size_t n, reply *r) {
    int fd = connect_server();
    memset(r, 0, sizeof *r);
    if (fd < 0) return;
    if (send_all(fd, raw, n) == 0) read_reply(fd, r);
    close(fd);
}

static void call(const char *method, const char *path, const char *body, size_t len, reply *r) {
    char head[512];
    int h = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", method, path, len);
    char *raw = malloc((size_t)h + len);
    memcpy(raw, head, (size_t)h);
    if (len) memcpy(raw + h, body, len);
    call_raw(raw, (size_t)h + len, r);
    free(raw);
}

/* The error code of an error body, or "" (static buffer: one use at a time). */
static const char *error_code(const reply *r) {
    static char code[64];
    code[0] = '\0';
    cJSON *o = r->body ? cJSON_Parse(r->body) : NULL;
    cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
    cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code"), *m = cJSON_GetObjectItemCaseSensitive(e, "message");
    if (cJSON_IsString(c) && cJSON_IsString(m) && m->valuestring[0])
        snprintf(code, sizeof code, "%s", c->valuestring);
    cJSON_Delete(o);
    return code;
}

static int still_serving(void) {
    reply r;
    call("GET", "/healthz", "", 0, &r);
    int ok = r.status == 200 && r.body && strcmp(r.body, "{\"status\":\"ok\"}") == 0;
    reply_fini(&r);
    return ok;
}

/* {"text": T, "id": id} as a JSON body (new string). */
static char *analyze_body(const char *text, size_t len, const char *id) {
    cJSON *o = cJSON_CreateObject();
    char *t = strndup(text, len);
    cJSON_AddStringToObject(o, "text", t);
    if (id) cJSON_AddStringToObject(o, "id", id);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    free(t);
    return s;
}

/* What the API must answer for text: the report document of slant_analyze. */
static char *expected_doc(const char *text, size_t len, const char *id) {
    slant_result *res = NULL;
    if (slant_analyze(model, text, len, NULL, &res, NULL) != SLANT_OK) return NULL;
    cJSON *doc = report_json_article(model, id, NULL, text, len, res);
    slant_result_free(res);
    char *s = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return s;
}

/* ---- tests ---- */

static void server_should_answer_health_techniques_model_and_page(void) {
    reply r;
    call("GET", "/healthz", "", 0, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(r.head && strstr(r.head, "Content-Type: application/json"));
    reply_fini(&r);
    call("GET", "/v1/techniques", "", 0, &r);
    CHECK_EQ_INT(r.status, 200);
    cJSON *o = cJSON_Parse(r.body ? r.body : "");
    CHECK_EQ_INT(cJSON_GetArraySize(o), SLANT_N_TECHNIQUES);
    cJSON_Delete(o);
    reply_fini(&r);
    call("GET", "/v1/model", "", 0, &r);
    CHECK_EQ_INT(r.status, 200);
    o = cJSON_Parse(r.body ? r.body : "");
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "name")));
    CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "version")));
    CHECK(cJSON_GetObjectItemCaseSensitive(o, "dev") != NULL);
    /* every name it lists is a technique */
    const cJSON *un = cJSON_GetObjectItemCaseSensitive(o, "unreported"), *u;
    CHECK(cJSON_IsArray(un));
    cJSON_ArrayForEach(u, un)
        CHECK(cJSON_IsString(u) && slant_technique_find(u->valuestring, strlen(u->valuestring)) >= 0);
    cJSON_Delete(o);
    reply_fini(&r);
    call("GET", "/", "", 0, &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(r.head && strstr(r.head, "text/html"));
    CHECK(r.body && strstr(r.body, "/serve.js") && strstr(r.body, "/report.js"));
    reply_fini(&r);
    const char *files[] = {"/serve.js", "/report.js", "/report.css"};
    for (size_t i = 0; i < 3; i++) {
        call("GET", files[i], "", 0, &r);
        CHECK_EQ_INT(r.status, 200);
        CHECK(r.len > 100);
        reply_fini(&r);
    }
}

static void analyze_should_return_the_report_document(void) {
    char *body = analyze_body(example, example_len, "harbor-bill");
    char *want = expected_doc(example, example_len, "harbor-bill");
    reply r;
    call("POST", "/v1/analyze", body, strlen(body), &r);
    CHECK_EQ_INT(r.status, 200);
    CHECK(want && r.body && strcmp(r.body, want) == 0);
    reply_fini(&r);
    free(body);
    free(want);
}

/* The same document `slant analyze --format json` prints, path aside. */
static void analyze_should_match_the_cli_json(void) {
    const char *b = getenv("BUILD");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/slant analyze --format json " EXAMPLE " 2>/dev/null", b ? b : "build");
    FILE *p = popen(cmd, "r");
    char *out = NULL;
    size_t n = 0;
    if (p) {
        FILE *m = open_memstream(&out, &n);
        int c;
        while ((c = fgetc(p)) != EOF) fputc(c, m);
        fclose(m);
        if (pclose(p) != 0) { free(out); out = NULL; }
    }
    cJSON *cli = out ? cJSON_Parse(out) : NULL;
    free(out);
    if (cJSON_IsArray(cli)) { cJSON *first = cJSON_DetachItemFromArray(cli, 0); cJSON_Delete(cli); cli = first; }
    if (!cJSON_IsObject(cli)) { cJSON_Delete(cli); SKIP("slant analyze --format json is not available"); }
    cJSON_DeleteItemFromObjectCaseSensitive(cli, "path");
    char *body = analyze_body(example, example_len, "harbor-bill");
    reply r;
    call("POST", "/v1/analyze", body, strlen(body), &r);
    cJSON *api = cJSON_Parse(r.body ? r.body : "");
    cJSON_DeleteItemFromObjectCaseSensitive(api, "path");
    CHECK_EQ_INT(r.status, 200);
    CHECK(cJSON_Compare(cli, api, 1));
    cJSON_Delete(api);
    cJSON_Delete(cli);
    reply_fini(&r);
    free(body);
}

static void analyze_should_apply_threshold_and_techniques(void) {
    const char *body = "{\"text\": \"These traitors lie and lie, a disaster for everyone.\", \"threshold\": 0,"
                       " \"techniques\": [\"Loaded_Language\"]}";
    reply r;
    call("POST", "/v1/analyze", body, strlen(body), &r);
    CHECK_EQ_INT(r.status, 200);
    cJSON *o = cJSON_Parse(r.body ? r.body : ""), *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "fragments")) {
        cJSON *t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(f, "technique"), "name");
        CHECK(cJSON_IsString(t) && strcmp(t->valuestring, "Loaded_Language") == 0);
    }
    cJSON_Delete(o);
    reply_fini(&r);
}

static void batch_should_equal_single_requests(void) {
    const char *body = "{\"documents\": [{\"text\": \"Only a fool would trust them.\", \"id\": \"a\"},"
                       " {\"text\": \"The harbor bill passed on Tuesday.\"}]}";
    reply r;
    call("POST", "/v1/analyze/batch", body, strlen(body), &r);
    CHECK_EQ_INT(r.status, 200);
    cJSON *o = cJSON_Parse(r.body ? r.body : "");
    cJSON *docs = cJSON_GetObjectItemCaseSensitive(o, "documents");
    CHECK_EQ_INT(cJSON_GetArraySize(docs), 2);
    const char *texts[] = {"Only a fool would trust them.", "The harbor bill passed on Tuesday."};
    const char *ids[] = {"a", "1"};
    for (int i = 0; i < 2 && cJSON_GetArraySize(docs) == 2; i++) {
        char *want = expected_doc(texts[i], strlen(texts[i]), ids[i]);
        char *got = cJSON_PrintUnformatted(cJSON_GetArrayItem(docs, i));
        CHECK(want && got && strcmp(want, got) == 0);
        free(want);
        free(got);
    }
    cJSON_Delete(o);
    reply_fini(&r);
    /* the server was started with --max-batch 3 */
    const char *four = "{\"documents\": [{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}, {\"text\": \"d\"}]}";
    call("POST", "/v1/analyze/batch", four, strlen(four), &r);
    CHECK_EQ_INT(r.status, 400);
    CHECK_STR(error_code(&r), "too_many_documents");
    reply_fini(&r);
}

static void bad_requests_should_get_json_errors_and_the_server_keeps_serving(void) {
    static const struct { const char *method, *path, *body; int status; const char *code; } cases[] = {
        {"POST", "/v1/analyze", "{\"text\": ", 400, "invalid_json"},
        {"POST", "/v1/analyze", "", 400, "invalid_json"},
        {"POST", "/v1/analyze", "{\"title\": \"x\"}", 400, "missing_text"},
        {"POST", "/v1/analyze", "{\"text\": [1]}", 400, "missing_text"},
        {"POST", "/v1/analyze", "{\"text\": \"bad \xff byte\"}", 400, "invalid_utf8"},
        {"POST", "/v1/analyze", "{\"text\": \"a\", \"threshold\": 7}", 400, "invalid_field"},
        {"POST", "/v1/analyze/batch", "{\"text\": \"a\"}", 400, "invalid_field"},
        {"GET", "/v1/analyze", "", 405, "method_not_allowed"},
        {"DELETE", "/v1/techniques", "", 405, "method_not_allowed"},
        {"POST", "/healthz", "", 405, "method_not_allowed"},
        {"PUT", "/", "", 405, "method_not_allowed"},
        {"GET", "/v2/analyze", "", 404, "not_found"},
        {"GET", "/../etc/passwd", "", 404, "not_found"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reply r;
        call(cases[i].method, cases[i].path, cases[i].body, strlen(cases[i].body), &r);
        if (r.status != cases[i].status || strcmp(error_code(&r), cases[i].code) != 0) {
            fprintf(stderr, "  case %zu: %s %s -> %d %s\n", i, cases[i].method, cases[i].path, r.status,
                    r.body ? r.body : "(none)");
            CHECK(0);
        }
        if (cases[i].status == 405) CHECK(r.head && strstr(r.head, "Allow: "));
        reply_fini(&r);
        CHECK(still_serving());
    }
}

static void oversized_bodies_should_get_413(void) {
    size_t n = 5000; /* the server was started with --max-body 4096 */
    char *big = malloc(n);
    memset(big, 'a', n);
    reply r;
    call("POST", "/v1/analyze", big, n, &r); /* Content-Length says so: refused up front */
    CHECK_EQ_INT(r.status, 413);
    CHECK_STR(error_code(&r), "body_too_large");
    reply_fini(&r);
    /* chunked: no length up front, refused once the limit is passed */
    const char *head = "POST /v1/analyze HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
    char *raw = malloc(strlen(head) + n + 64);
    size_t k = (size_t)sprintf(raw, "%s%zx\r\n", head, n);
    memcpy(raw + k, big, n);
    k += n;
    k += (size_t)sprintf(raw + k, "\r\n0\r\n\r\n");
    call_raw(raw, k, &r);
    CHECK_EQ_INT(r.status, 413);
    CHECK_STR(error_code(&r), "body_too_large");
    reply_fini(&r);
    free(raw);
    free(big);
    CHECK(still_serving());
}

static void slow_requests_should_get_408(void) {
    /* A trickle (slowloris): no pause reaches the idle limit, but the whole
     * request takes longer than --timeout 1. (A connection that goes silent
     * for the whole limit is simply closed by libmicrohttpd.) */
    const char *parts[] = {"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           "Content-Length: 15\r\n\r\n{\"text\":", " \"a", "bc\"}"};
    int fd = connect_server();
    CHECK(fd >= 0);
    if (fd < 0) return;
    struct timespec nap = {0, 650 * 1000 * 1000};
    for (int i = 0; i < 3; i++) {
        if (i) nanosleep(&nap, NULL);
        send_all(fd, parts[i], strlen(parts[i]));
    }
    reply r;
    read_reply(fd, &r);
    close(fd);
    CHECK_EQ_INT(r.status, 408);
    CHECK_STR(error_code(&r), "request_timeout");
    reply_fini(&r);
    CHECK(still_serving());
}

/* ---- concurrency ---- */

#define N_CLIENTS 4
#define N_ROUNDS 6

typedef struct {
    const char *bodies[2];
    const char *wants[2];
    int mismatches;
} client_job;

static void *client(void *p) {
    client_job *j = p;
    for (int i = 0; i < N_ROUNDS; i++) {
        int k = i % 2;
        reply r;
        call("POST", "/v1/analyze", j->bodies[k], strlen(j->bodies[k]), &r);
        if (r.status != 200 || !r.body || strcmp(r.body, j->wants[k]) != 0) j->mismatches++;
        reply_fini(&r);
    }
    return NULL;
}

static void concurrent_requests_should_get_the_same_documents(void) {
    const char *short_text = "Only a fool, a traitor or a coward would vote against this bill.";
    char *bodies[2] = {analyze_body(example, example_len, "harbor-bill"),
                       analyze_body(short_text, strlen(short_text), NULL)};
    char *wants[2] = {expected_doc(example, example_len, "harbor-bill"),
                      expected_doc(short_text, strlen(short_text), "article")};
    CHECK(wants[0] && wants[1]);
    client_job jobs[N_CLIENTS];
    pthread_t th[N_CLIENTS];
    for (int i = 0; i < N_CLIENTS; i++) {
        jobs[i] = (client_job){{bodies[i % 2], bodies[(i + 1) % 2]}, {wants[i % 2], wants[(i + 1) % 2]}, 0};
        pthread_create(&th[i], NULL, client, &jobs[i]);
    }
    for (int i = 0; i < N_CLIENTS; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(jobs[i].mismatches, 0);
    }
    for (int i = 0; i < 2; i++) { free(bodies[i]); free(wants[i]); }
}

int main(void) {
    text_buf t;
    text_init(&t);
    if (slant_model_load(MODEL, &model, NULL) != SLANT_OK || text_read_file(&t, EXAMPLE, 0, NULL) != SLANT_OK) {
        TEST(server_should_answer_health_techniques_model_and_page); /* reported as skipped below */
        text_fini(&t);
        printf("http_server: 0 passed, 0 failed, 1 skipped\n");
        fprintf(stderr, "  skipped: " MODEL " or " EXAMPLE " is missing\n");
        return 0;
    }
    example = t.data;
    example_len = t.len;
    http_server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = 3;
    cfg.max_body = 4096;
    cfg.timeout_s = 1;
    cfg.max_batch = 3;
    slant_error err;
    if (http_server_start(model, &cfg, &server, &err) != SLANT_OK) {
        fprintf(stderr, "cannot start the server: %s\n", err.message);
        return 1;
    }
    port = http_server_port(server);
    CHECK(port > 0);
    TEST(server_should_answer_health_techniques_model_and_page);
    TEST(bad_requests_should_get_json_errors_and_the_server_keeps_serving);
    TEST(oversized_bodies_should_get_413);
    TEST(slow_requests_should_get_408);
    http_server_stop(server);

    /* a second server with room for the article */
    cfg.max_body = 1 << 20;
    cfg.timeout_s = 10;
    if (http_server_start(model, &cfg, &server, &err) != SLANT_OK) {
        fprintf(stderr, "cannot start the server: %s\n", err.message);
        return 1;
    }
    port = http_server_port(server);
    TEST(analyze_should_return_the_report_document);
    TEST(analyze_should_match_the_cli_json);
    TEST(analyze_should_apply_threshold_and_techniques);
    TEST(batch_should_equal_single_requests);
    TEST(concurrent_requests_should_get_the_same_documents);
    http_server_stop(server);
    slant_model_free(model);
    text_fini(&t);
    return test_summary("http_server");
}
