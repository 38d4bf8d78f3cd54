/*
 * HTML report pages (report_html.h). The template's @@NAME@@ tokens are
 * replaced once each: TITLE (escaped text), CSS, JS (the assets as they
 * are) and DATA, the page's JSON in a <script type="application/json">
 * element. In DATA every '<' is written as \u003c, so no string in the
 * document can close the script element (a JSON string may hold "</script>";
 * outside strings JSON has no '<').
 */
#include <stdio.h>
#include <string.h>
#include "report_html.h"
#include "report_assets.h"
#include "report_json.h"

static void put_json_for_script(rbuf *b, const char *json) {
    for (const char *p = json; *p;) {
        const char *lt = strchr(p, '<');
        size_t n = lt ? (size_t)(lt - p) : strlen(p);
        rbuf_put(b, p, n);
        if (!lt) break;
        rbuf_puts(b, "\\u003c");
        p = lt + 1;
    }
}

/* Fills the template with title and page (a JSON object, borrowed). */
static slant_status fill(rbuf *b, const char *title, const cJSON *page) {
    const report_asset *html = report_asset_get("report.html"), *css = report_asset_get("report.css"),
                       *js = report_asset_get("report.js");
    if (!html || !css || !js) return SLANT_EINVAL;   /* a build without the assets */
    char *json = cJSON_PrintUnformatted(page);
    if (!json) return SLANT_ENOMEM;
    const char *t = (const char *)html->data, *end = t + html->len;
    while (t < end) {
        const char *at = strstr(t, "@@");
        const char *close = at ? strstr(at + 2, "@@") : NULL;
        if (!at || !close) { rbuf_put(b, t, (size_t)(end - t)); break; }
        rbuf_put(b, t, (size_t)(at - t));
        size_t n = (size_t)(close - at - 2);
        const char *name = at + 2;
        if (n == 5 && !memcmp(name, "TITLE", 5)) rbuf_put_html(b, title, strlen(title));
        else if (n == 3 && !memcmp(name, "CSS", 3)) rbuf_put(b, (const char *)css->data, css->len);
        else if (n == 2 && !memcmp(name, "JS", 2)) rbuf_put(b, (const char *)js->data, js->len);
        else if (n == 4 && !memcmp(name, "DATA", 4)) put_json_for_script(b, json);
        else rbuf_put(b, at, n + 4);   /* not a token: keep it */
        t = close + 2;
    }
    cJSON_free(json);
    return b->failed ? SLANT_ENOMEM : SLANT_OK;
}

/* A page object {kind, techniques} whose other members the caller adds
 * as references (so nothing is copied); NULL when out of memory. */
static cJSON *page_new(const char *kind) {
    cJSON *page = cJSON_CreateObject(), *legend = report_json_techniques();
    if (!page || !legend || !cJSON_AddStringToObject(page, "kind", kind)) {
        cJSON_Delete(page);
        cJSON_Delete(legend);
        return NULL;
    }
    cJSON_AddItemToObject(page, "techniques", legend);
    return page;
}

slant_status report_html_article(rbuf *b, const cJSON *doc) {
    cJSON *page = page_new("article");
    if (!page || !cJSON_AddItemReferenceToObject(page, "document", (cJSON *)doc)) {
        cJSON_Delete(page);
        return SLANT_ENOMEM;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(doc, "id");
    char title[300];
    snprintf(title, sizeof title, "slant: %s", cJSON_IsString(id) ? id->valuestring : "article");
    slant_status st = fill(b, title, page);
    cJSON_Delete(page);   /* deletes the reference, not doc */
    return st;
}

slant_status report_html_index(rbuf *b, const cJSON *articles, const cJSON *model) {
    cJSON *page = page_new("index");
    if (!page || !cJSON_AddItemReferenceToObject(page, "articles", (cJSON *)articles) ||
        (model && !cJSON_AddItemReferenceToObject(page, "model", (cJSON *)model))) {
        cJSON_Delete(page);
        return SLANT_ENOMEM;
    }
    slant_status st = fill(b, "slant report", page);
    cJSON_Delete(page);
    return st;
}
