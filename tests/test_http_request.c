/*
 * Tests for http_request_parse: the API request bodies of `slant serve`,
 * accepted and refused, with the error code and the byte or member named.
 */
#include "http_request.h"
#include "test.h"

static slant_status parse(const char *body, int batch, size_t max_docs, http_request *r,
                          const char **code, slant_error *err) {
    http_request_init(r);
    slant_error_clear(err);
    return http_request_parse(body, strlen(body), batch, max_docs, r, code, err);
}

static void request_should_accept_text_id_threshold_and_techniques(void) {
    http_request r;
    slant_error err;
    const char *code = "unset";
    const char *body = "{\"text\": \"Caf\\u00e9 lies \xe2\x80\x94 always.\", \"id\": \"a1\", \"threshold\": 0.25,"
                       " \"techniques\": [\"Loaded_Language\", \"Doubt\"], \"extra\": [1, 2]}";
    CHECK_EQ_INT(parse(body, 0, 1, &r, &code, &err), SLANT_OK);
    CHECK(code == NULL);
    CHECK_EQ_INT(r.n_docs, 1);
    CHECK_STR(r.docs[0].text, "Caf\xc3\xa9 lies \xe2\x80\x94 always.");
    CHECK_EQ_INT(r.docs[0].text_len, strlen("Caf\xc3\xa9 lies \xe2\x80\x94 always."));
    CHECK_STR(r.docs[0].id, "a1");
    CHECK_NEAR(r.docs[0].opt.threshold, 0.25, 0);
    int ll = slant_technique_find("Loaded_Language", 15), dt = slant_technique_find("Doubt", 5);
    CHECK(ll >= 0 && dt >= 0);
    CHECK_EQ_INT(r.docs[0].opt.technique_mask, (1u << ll) | (1u << dt));
    http_request_fini(&r);
}

static void request_should_default_to_model_threshold_and_all_techniques(void) {
    http_request r;
    slant_error err;
    CHECK_EQ_INT(parse("  {\"text\": \"\"}\r\n", 0, 1, &r, NULL, &err), SLANT_OK);
    CHECK_EQ_INT(r.docs[0].text_len, 0);
    CHECK(r.docs[0].id == NULL);
    CHECK(r.docs[0].opt.threshold < 0);
    CHECK_EQ_INT(r.docs[0].opt.technique_mask, 0);
    http_request_fini(&r);
}

/* body, expected status, code, a substring of the message, offset (-2: any) */
static const struct {
    const char *body;
    slant_status st;
    const char *code, *msg;
    long long offset;
} bad[] = {
    {"", SLANT_EFORMAT, HREQ_INVALID_JSON, "empty", 0},
    {"{\"text\": \"a", SLANT_EFORMAT, HREQ_INVALID_JSON, "invalid JSON", -2},
    {"{\"text\": \"a\"} x", SLANT_EFORMAT, HREQ_INVALID_JSON, "extra data at byte 14", 14},
    {"{\"text\": \"ok\xff\"}", SLANT_EENCODING, HREQ_INVALID_UTF8, "0xFF", 12},
    {"{\"text\": \"\xc0\xaf\"}", SLANT_EENCODING, HREQ_INVALID_UTF8, "", 10},
    {"{\"text\": \"a\\u0000b\"}", SLANT_EENCODING, HREQ_INVALID_UTF8, "NUL", 11},
    {"{\"text\": \"\\ud800\"}", SLANT_EFORMAT, HREQ_INVALID_JSON, "invalid JSON", -2},
    {"[\"text\"]", SLANT_EINVAL, HREQ_INVALID_FIELD, "JSON object", -1},
    {"{\"id\": \"x\"}", SLANT_EINVAL, HREQ_MISSING_TEXT, "text is missing", -1},
    {"{\"text\": 5}", SLANT_EINVAL, HREQ_MISSING_TEXT, "text must be a string", -1},
    {"{\"text\": null}", SLANT_EINVAL, HREQ_MISSING_TEXT, "text must be a string", -1},
    {"{\"text\": \"a\", \"id\": 3}", SLANT_EINVAL, HREQ_INVALID_FIELD, "id must be a string", -1},
    {"{\"text\": \"a\", \"threshold\": 1.5}", SLANT_EINVAL, HREQ_INVALID_FIELD, "threshold", -1},
    {"{\"text\": \"a\", \"threshold\": \"0.5\"}", SLANT_EINVAL, HREQ_INVALID_FIELD, "threshold", -1},
    {"{\"text\": \"a\", \"techniques\": \"Doubt\"}", SLANT_EINVAL, HREQ_INVALID_FIELD, "array", -1},
    {"{\"text\": \"a\", \"techniques\": [\"Nope\"]}", SLANT_EINVAL, HREQ_INVALID_FIELD, "unknown technique \"Nope\"", -1},
    {"{\"text\": \"a\", \"techniques\": []}", SLANT_EINVAL, HREQ_INVALID_FIELD, "empty", -1},
};

static void request_should_refuse_bad_bodies_saying_why(void) {
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_request r;
        slant_error err;
        const char *code = NULL;
        slant_status st = parse(bad[i].body, 0, 1, &r, &code, &err);
        if (st != bad[i].st || !code || strcmp(code, bad[i].code) != 0 || !strstr(err.message, bad[i].msg) ||
            (bad[i].offset != -2 && err.offset != bad[i].offset)) {
            fprintf(stderr, "  case %zu: status %d code %s offset %lld message '%s'\n", i, st,
                    code ? code : "(null)", err.offset, err.message);
            CHECK(0);
        }
        CHECK(r.root == NULL && r.docs == NULL && r.n_docs == 0);
        http_request_fini(&r);
    }
}

static void batch_should_keep_document_order_and_options(void) {
    http_request r;
    slant_error err;
    const char *body = "{\"documents\": [{\"text\": \"one\"}, {\"text\": \"two\", \"id\": \"b\", \"threshold\": 0}]}";
    CHECK_EQ_INT(parse(body, 1, 2, &r, NULL, &err), SLANT_OK);
    CHECK_EQ_INT(r.n_docs, 2);
    CHECK_STR(r.docs[0].text, "one");
    CHECK_STR(r.docs[1].text, "two");
    CHECK_STR(r.docs[1].id, "b");
    CHECK_NEAR(r.docs[1].opt.threshold, 0, 0);
    http_request_fini(&r);
}

static void batch_should_name_the_bad_document_and_the_limit(void) {
    http_request r;
    slant_error err;
    const char *code = NULL;
    CHECK_EQ_INT(parse("{\"documents\": [{\"text\": \"a\"}, {\"txt\": \"b\"}]}", 1, 8, &r, &code, &err), SLANT_EINVAL);
    CHECK_STR(code, HREQ_MISSING_TEXT);
    CHECK(strstr(err.message, "documents[1]: text is missing") != NULL);
    CHECK_EQ_INT(parse("{\"documents\": [{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}]}", 1, 2, &r, &code, &err),
                 SLANT_EINVAL);
    CHECK_STR(code, HREQ_TOO_MANY_DOCS);
    CHECK(strstr(err.message, "3 documents, at most 2") != NULL);
    CHECK_EQ_INT(parse("{\"documents\": []}", 1, 2, &r, &code, &err), SLANT_EINVAL);
    CHECK_EQ_INT(parse("{\"documents\": {\"text\": \"a\"}}", 1, 2, &r, &code, &err), SLANT_EINVAL);
    CHECK(strstr(err.message, "documents must be an array") != NULL);
    CHECK_EQ_INT(parse("{\"documents\": [\"a\"]}", 1, 2, &r, &code, &err), SLANT_EINVAL);
    CHECK(strstr(err.message, "documents[0]: must be an object") != NULL);
    http_request_fini(&r);
}

static void request_should_not_read_past_an_unterminated_body(void) {
    /* exactly len bytes, no NUL after them: ASan sees any overread */
    const char src[] = "{\"text\": \"abc\"}";
    size_t n = sizeof src - 1;
    char *body = malloc(n);
    memcpy(body, src, n);
    http_request r;
    http_request_init(&r);
    slant_error err;
    CHECK_EQ_INT(http_request_parse(body, n, 0, 1, &r, NULL, &err), SLANT_OK);
    CHECK_STR(r.docs[0].text, "abc");
    http_request_fini(&r);
    http_request_init(&r);
    CHECK_EQ_INT(http_request_parse(body, n - 1, 0, 1, &r, NULL, &err), SLANT_EFORMAT);
    http_request_fini(&r);
    free(body);
}

int main(void) {
    TEST(request_should_accept_text_id_threshold_and_techniques);
    TEST(request_should_default_to_model_threshold_and_all_techniques);
    TEST(request_should_refuse_bad_bodies_saying_why);
    TEST(batch_should_keep_document_order_and_options);
    TEST(batch_should_name_the_bad_document_and_the_limit);
    TEST(request_should_not_read_past_an_unterminated_body);
    return test_summary("http_request");
}
