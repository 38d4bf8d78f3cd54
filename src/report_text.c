/*
 * Terminal rendering of an analysed article (report_text.h). Fragments with
 * identical offsets form one group (one marker listing their techniques);
 * groups are opened and closed as properly nested as their offsets allow:
 * at one position closes come before opens, and an outer group opens
 * before an inner one. The text between markers takes the colour of the
 * innermost open group.
 */
#include <stdlib.h>
#include <string.h>
#include "report_text.h"

/* xterm-256 colours closest to report_technique_colour's hex colours. */
static const int ansi_colours[SLANT_N_TECHNIQUES] = {
    33, 160, 98, 130, 170, 245, 142, 37, 208, 34, 111, 215, 114, 183,
};
#define ANSI_UNLABELLED 250
#define SENTENCE_SHOWN_BYTES 200

static int ansi_of(int technique) {
    return technique >= 0 && technique < SLANT_N_TECHNIQUES ? ansi_colours[technique] : ANSI_UNLABELLED;
}

typedef struct {
    size_t first, n;   /* fragments [first, first+n) of the result share offsets */
} group;

typedef struct {
    size_t pos;        /* byte offset */
    int open;          /* 1 opens, 0 closes */
    size_t g;          /* group index */
    size_t other_end;  /* the group's other offset, for nesting order */
} event;

static int cmp_event(const void *pa, const void *pb) {
    const event *a = pa, *b = pb;
    if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
    if (a->open != b->open) return a->open - b->open;           /* closes first */
    /* opens: the longest (latest end) first; closes: the latest opened
     * (latest start) first. Both: the larger other offset first. */
    if (a->other_end != b->other_end) return a->other_end > b->other_end ? -1 : 1;
    return a->g < b->g ? -1 : a->g > b->g;
}

static void colour_on(rbuf *b, int colour, int technique, int bold) {
    if (colour) rbuf_printf(b, "\033[%s38;5;%dm", bold ? "1;" : "", ansi_of(technique));
}

static void colour_off(rbuf *b, int colour) {
    if (colour) rbuf_puts(b, "\033[0m");
}

/* Text between markers, coloured by the innermost open group (or plain). */
static void put_run(rbuf *b, const char *s, size_t n, int colour, int technique) {
    if (!n) return;
    if (technique == -2 || !colour) { rbuf_put(b, s, n); return; }
    /* colour each line separately so a pager never carries it across lines */
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        if (end > i) {
            colour_on(b, colour, technique, 0);
            rbuf_put(b, s + i, end - i);
            colour_off(b, colour);
        }
        if (nl) rbuf_put(b, "\n", 1);
        i = nl ? end + 1 : n;
    }
}

static void put_marker_close(rbuf *b, const slant_result *r, const group *g, int colour) {
    colour_on(b, colour, r->fragments[g->first].technique, 1);
    rbuf_puts(b, "]{");
    for (size_t k = 0; k < g->n; k++) {
        const slant_technique *t = slant_technique_get(r->fragments[g->first + k].technique);
        rbuf_printf(b, "%s%s", k ? "," : "", t ? t->short_name : "SPAN");
    }
    rbuf_puts(b, "}");
    colour_off(b, colour);
}

/* One sentence on one line: whitespace runs become one space, cut at a
 * UTF-8 boundary after SENTENCE_SHOWN_BYTES. */
static void put_sentence(rbuf *b, const char *s, size_t n) {
    size_t shown = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') { space = shown > 0; continue; }
        if (shown >= SENTENCE_SHOWN_BYTES && (c & 0xC0) != 0x80) { rbuf_puts(b, "..."); return; }
        if (space) { rbuf_put(b, " ", 1); shown++; space = 0; }
        rbuf_put(b, s + i, 1);
        shown++;
    }
}

static void summary(rbuf *b, const char *text, const slant_result *r, int colour) {
    if (colour) rbuf_puts(b, "\033[1m");
    rbuf_puts(b, "\n-- summary --");
    colour_off(b, colour);
    rbuf_printf(b, "\narticle score %.3f (the expected share of the text inside a propaganda fragment)\n",
                r->score);
    size_t counts[SLANT_N_TECHNIQUES + 1] = {0};   /* last: unlabelled */
    for (size_t i = 0; i < r->n_fragments; i++) {
        int t = r->fragments[i].technique;
        counts[t >= 0 && t < SLANT_N_TECHNIQUES ? t : SLANT_N_TECHNIQUES]++;
    }
    rbuf_printf(b, "techniques (%zu fragment%s):\n", r->n_fragments, r->n_fragments == 1 ? "" : "s");
    if (!r->n_fragments) rbuf_puts(b, "  none found\n");
    for (;;) {
        int best = -1;
        for (int k = 0; k <= SLANT_N_TECHNIQUES; k++)
            if (counts[k] && (best < 0 || counts[k] > counts[best])) best = k;
        if (best < 0) break;
        const slant_technique *t = slant_technique_get(best);
        rbuf_puts(b, "  ");
        colour_on(b, colour, best < SLANT_N_TECHNIQUES ? best : -1, 1);
        rbuf_printf(b, "%-6s", t ? t->short_name : "SPAN");
        colour_off(b, colour);
        rbuf_printf(b, " %-40s %zu\n", t ? t->display : "propaganda (technique unknown)", counts[best]);
        counts[best] = 0;
    }
    /* top sentences: a partial selection sort over indices */
    size_t top[REPORT_TEXT_TOP_SENTENCES], n_top = 0;
    for (size_t i = 0; i < r->n_sentences; i++) {
        size_t j = n_top < REPORT_TEXT_TOP_SENTENCES ? n_top++ : REPORT_TEXT_TOP_SENTENCES;
        if (j == REPORT_TEXT_TOP_SENTENCES) {
            if (r->sentences[i].score <= r->sentences[top[j - 1]].score) continue;
            j--;
        }
        while (j > 0 && r->sentences[i].score > r->sentences[top[j - 1]].score) { top[j] = top[j - 1]; j--; }
        top[j] = i;
    }
    rbuf_puts(b, "most propagandistic sentences:\n");
    if (!n_top) rbuf_puts(b, "  none\n");
    for (size_t k = 0; k < n_top; k++) {
        const slant_sentence *s = &r->sentences[top[k]];
        rbuf_printf(b, "  %.3f  [%zu,%zu) ", s->score, s->cp_start, s->cp_end);
        put_sentence(b, text + s->start, s->end - s->start);
        rbuf_put(b, "\n", 1);
    }
}

slant_status report_text_article(rbuf *b, const char *id, const char *text, size_t len,
                                 const slant_result *r, int colour) {
    group *groups = NULL;
    event *ev = NULL;
    size_t *open = NULL, n_groups = 0, n_open = 0;
    slant_status st = SLANT_OK;
    size_t nf = r->n_fragments;
    if (nf && (!(groups = malloc(nf * sizeof *groups)) || !(ev = malloc(2 * nf * sizeof *ev)) ||
               !(open = malloc(nf * sizeof *open)))) { st = SLANT_ENOMEM; goto done; }
    for (size_t i = 0; i < nf; i++) {
        const slant_fragment *f = &r->fragments[i];
        if (f->start > f->end || f->end > len) { st = SLANT_EINVAL; goto done; }
        if (n_groups && r->fragments[groups[n_groups - 1].first].start == f->start &&
            r->fragments[groups[n_groups - 1].first].end == f->end) groups[n_groups - 1].n++;
        else groups[n_groups++] = (group){i, 1};
    }
    for (size_t g = 0; g < n_groups; g++) {
        const slant_fragment *f = &r->fragments[groups[g].first];
        ev[2 * g] = (event){f->start, 1, g, f->end};
        ev[2 * g + 1] = (event){f->end, 0, g, f->start};
    }
    if (n_groups) qsort(ev, 2 * n_groups, sizeof *ev, cmp_event);

    if (colour) rbuf_puts(b, "\033[1m");
    rbuf_printf(b, "== %s: %zu fragment%s, score %.3f ==", id, nf, nf == 1 ? "" : "s", r->score);
    colour_off(b, colour);
    rbuf_put(b, "\n", 1);
    size_t pos = 0;
    for (size_t e = 0; e <= 2 * n_groups; e++) {
        size_t next = e < 2 * n_groups ? ev[e].pos : len;
        int tech = n_open ? r->fragments[groups[open[n_open - 1]].first].technique : -2;
        put_run(b, text + pos, next - pos, colour, tech);
        pos = next;
        if (e == 2 * n_groups) break;
        const group *g = &groups[ev[e].g];
        if (ev[e].open) {
            colour_on(b, colour, r->fragments[g->first].technique, 1);
            rbuf_put(b, "[", 1);
            colour_off(b, colour);
            open[n_open++] = ev[e].g;
        } else {
            put_marker_close(b, r, g, colour);
            for (size_t k = n_open; k-- > 0;)
                if (open[k] == ev[e].g) { memmove(open + k, open + k + 1, (n_open - k - 1) * sizeof *open); n_open--; break; }
        }
    }
    if (len && text[len - 1] != '\n') rbuf_put(b, "\n", 1);
    summary(b, text, r, colour);
    if (b->failed) st = SLANT_ENOMEM;
done:
    free(groups);
    free(ev);
    free(open);
    return st;
}
