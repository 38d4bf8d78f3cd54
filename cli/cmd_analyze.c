/*
 * slant analyze: runs the model over files, folders (*.txt, recursively),
 * stdin ("-") or a stream of JSON Lines articles (--input jsonl) and writes
 * one report per article: a highlighted listing with a summary (text, the
 * default), SemEval SI or FLC lines, the JSON document (json, jsonl; schema
 * in docs/JSON.md) or self-contained HTML pages (html).
 *
 * Threads: the main thread lists or parses inputs into a ring of W slots
 * (W = 4 x jobs) and writes finished slots in input order; --jobs workers
 * read, analyse and render the slots. A slot is reused only after it is
 * written, so memory is bounded by W articles and their reports, never by
 * the batch. One bad input is reported (which, why) in its place in the
 * order and skipped; the exit code is 1 if any input failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "analyze.h"
#include "commands.h"
#include "corpus.h"
#include "input_jsonl.h"
#include "model.h"
#include "model_path.h"
#include "options.h"
#include "report_html.h"
#include "report_json.h"
#include "report_text.h"

typedef struct {
    const char *model, *format, *input, *output, *techniques;
    double threshold;
    int jobs, replace, force, no_color, color;
} analyze_args;

#define OFF(f) offsetof(analyze_args, f)
static const cli_option analyze_options[] = {
    {"model", 'm', OPT_STRING, NULL, "model file (default: the bundled model)", OFF(model)},
    {"format", 'F', OPT_STRING, "text", "output: text, si, flc, json, jsonl or html", OFF(format)},
    {"input", 'I', OPT_STRING, "text", "input: text (files, folders, '-') or jsonl ({\"id\",\"text\"} a line; stdin when no PATH)", OFF(input)},
    {"output", 'o', OPT_STRING, NULL, "write to this file (html with several inputs: this folder, with index.html)", OFF(output)},
    {"force", 'f', OPT_FLAG, NULL, "overwrite existing output files", OFF(force)},
    {"threshold", 't', OPT_DOUBLE, "-1", "span threshold in [0,1]; lower finds more (default: the model's tuned value)", OFF(threshold)},
    {"techniques", 'T', OPT_STRING, NULL, "keep only these techniques: names or short names, comma-separated (e.g. LOAD,NAME), or 'all' (by default those the model reports: 'slant model info' lists any it leaves out)", OFF(techniques)},
    {"jobs", 'j', OPT_INT, "0", "threads (0: all cores)", OFF(jobs)},
    {"no-color", 0, OPT_FLAG, NULL, "no colours in the text report (also: NO_COLOR set, or not a terminal)", OFF(no_color)},
    {"color", 0, OPT_FLAG, NULL, "colours in the text report even when not writing to a terminal", OFF(color)},
    {"replace-invalid", 0, OPT_FLAG, NULL, "replace invalid UTF-8 by U+FFFD instead of failing", OFF(replace)},
};
#define N_OPTS (sizeof analyze_options / sizeof analyze_options[0])
static const char *usage_text =
    "usage: slant analyze [options] PATH...      files, folders (*.txt), '-' for stdin\n"
    "       slant analyze --input jsonl [options] [FILE.jsonl...]   (stdin when no FILE)";

enum { FMT_TEXT, FMT_SI, FMT_FLC, FMT_JSON, FMT_JSONL, FMT_HTML };
static const char *const format_names[] = {"text", "si", "flc", "json", "jsonl", "html"};

/* Inputs with more than this many articles get a progress bar on a terminal. */
#define PROGRESS_MIN_INPUTS 4

/* ---- slots and the work queue ---- */

enum { SLOT_EMPTY, SLOT_QUEUED, SLOT_DONE };

typedef struct {
    int state;                  /* SLOT_*; guarded by the context's lock */
    char id[LAB_ID_MAX];        /* article id */
    char *path;                 /* owned: file to read, or NULL when text is given */
    char *text;                 /* owned: the article (jsonl input), len bytes */
    size_t len;
    const char *source;         /* the jsonl file, for messages and the "path" field */
    long line;                  /* its line in the jsonl file, else -1 */
    slant_status st;            /* SLANT_OK, or why the input failed */
    slant_error err;
    rbuf out;                   /* the rendered report */
    double score;               /* article score, for the HTML index */
    size_t n_fragments;
} slot;

typedef struct {
    const slant_model *m;
    const slant_options *opt;
    int fmt, colour, replace;
    slot *slots;                /* W */
    size_t n_slots;             /* W */
    size_t n_produced;          /* slots handed to workers so far */
    size_t next_work;           /* next slot a worker takes */
    int stop;                   /* no more input: workers exit when idle */
    pthread_mutex_t lock;
    pthread_cond_t work, done;  /* work queued / a slot finished */
} queue;

static void slot_reset(slot *s) {
    free(s->path);
    free(s->text);
    rbuf out = s->out;
    rbuf_clear(&out);
    memset(s, 0, sizeof *s);
    s->out = out;
    s->line = -1;
    slant_error_clear(&s->err);
}

/* ---- rendering (worker threads) ---- */

static slant_status render(const queue *q, slot *s, const text_buf *t, const slant_result *r) {
    rbuf *b = &s->out;
    slant_status st = SLANT_OK;
    cJSON *doc = NULL;
    switch (q->fmt) {
    case FMT_TEXT:
        return report_text_article(b, s->id, t->data, t->len, r, q->colour);
    case FMT_SI:
        for (size_t k = 0; k < r->n_spans; k++)
            rbuf_printf(b, "%s\t%zu\t%zu\n", s->id, r->spans[k].cp_start, r->spans[k].cp_end);
        break;
    case FMT_FLC:
        for (size_t k = 0; k < r->n_fragments; k++) {
            const slant_fragment *f = &r->fragments[k];
            const slant_technique *tq = slant_technique_get(f->technique);
            rbuf_printf(b, "%s\t%s\t%zu\t%zu\n", s->id, tq ? tq->name : "?", f->cp_start, f->cp_end);
        }
        break;
    case FMT_JSONL: {
        /* written straight into the buffer: no tree (report_json.c) */
        const char *path = s->path ? (strcmp(s->path, "-") == 0 ? NULL : s->path) : s->source;
        st = report_json_write_article(b, q->m, s->id, path, t->data, t->len, r);
        rbuf_put(b, "\n", 1);
        break;
    }
    default: {
        const char *path = s->path ? (strcmp(s->path, "-") == 0 ? NULL : s->path) : s->source;
        if (!(doc = report_json_article(q->m, s->id, path, t->data, t->len, r))) return SLANT_ENOMEM;
        if (q->fmt == FMT_HTML) st = report_html_article(b, doc);
        else {
            char *js = q->fmt == FMT_JSON ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
            if (!js) st = SLANT_ENOMEM;
            else { rbuf_puts(b, js); rbuf_puts(b, q->fmt == FMT_JSONL ? "\n" : ""); cJSON_free(js); }
        }
        cJSON_Delete(doc);
    }
    }
    return b->failed ? SLANT_ENOMEM : st;
}

static void process(const queue *q, analyze_work *w, slot *s) {
    slant_result *r = NULL;
    slant_status st;
    if (s->st != SLANT_OK) return;          /* failed while it was read */
    if (s->path) st = text_read_file(&w->text, s->path, q->replace, &s->err);
    else st = text_load(&w->text, s->text, s->len, q->replace, &s->err);
    free(s->text);
    s->text = NULL;
    if (st == SLANT_OK) st = analyze_loaded(q->m, w, &w->text, q->opt, &r, &s->err);
    if (st == SLANT_OK) {
        s->score = r->score;
        s->n_fragments = r->n_fragments;
        if ((st = render(q, s, &w->text, r)) != SLANT_OK) {
            slant_error_clear(&s->err);
            s->err.status = st;
            snprintf(s->err.message, sizeof s->err.message, "cannot render the report: %s", slant_strerror(st));
        }
    }
    slant_result_free(r);
    s->st = st;
    if (st == SLANT_OK) return;
    /* name the input: its file, or the jsonl file and line with the id */
    if (s->source) {
        char msg[sizeof s->err.message];
        snprintf(msg, sizeof msg, "article \"%s\": %.180s", s->id, s->err.message);
        memcpy(s->err.message, msg, sizeof msg);
        snprintf(s->err.file, sizeof s->err.file, "%s", s->source);
        s->err.line = s->line;
    } else if (!s->err.file[0]) {
        snprintf(s->err.file, sizeof s->err.file, "%s", s->path);
    }
}

static void *worker(void *arg) {
    queue *q = arg;
    analyze_work w;
    int ok = analyze_work_init(&w) == SLANT_OK;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->stop && q->next_work == q->n_produced) pthread_cond_wait(&q->work, &q->lock);
        if (q->next_work == q->n_produced) break;
        slot *s = &q->slots[q->next_work++ % q->n_slots];
        pthread_mutex_unlock(&q->lock);
        if (ok) process(q, &w, s);
        else if (s->st == SLANT_OK) {
            s->st = SLANT_ENOMEM;
            snprintf(s->err.message, sizeof s->err.message, "out of memory");
        }
        pthread_mutex_lock(&q->lock);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&q->done);
    }
    pthread_mutex_unlock(&q->lock);
    analyze_work_fini(&w);
    return NULL;
}

/* ---- inputs (main thread) ---- */

typedef struct {
    int jsonl;
    corpus_paths paths;         /* text input: every file, listed up front */
    size_t next_path;
    char **files;               /* jsonl input: the files ("-" for stdin) */
    int n_files, next_file;
    input_jsonl *reader;        /* the open jsonl file */
    const char *reader_name;
    input_jsonl_item item;
} inputs;

/* Fills s with the next input; 0 when there is none. A jsonl line that
 * does not parse still fills s, as a failed input in its place. */
static int next_input(inputs *in, slot *s) {
    if (!in->jsonl) {
        if (in->next_path == in->paths.len) return 0;
        const char *p = in->paths.paths[in->next_path++];
        corpus_id_from_path(p, s->id);
        if (!(s->path = strdup(p))) { s->st = SLANT_ENOMEM; snprintf(s->err.file, sizeof s->err.file, "%s", p); }
        return 1;
    }
    for (;;) {
        if (!in->reader) {
            if (in->next_file == in->n_files) return 0;
            const char *f = in->files[in->next_file++];
            in->reader_name = strcmp(f, "-") == 0 ? "stdin" : f;
            slant_status st = input_jsonl_open(f, &in->reader, &s->err);
            if (st != SLANT_OK) { s->st = st; snprintf(s->id, sizeof s->id, "%s", in->reader_name); return 1; }
        }
        int got = 0;
        slant_status st = input_jsonl_next(in->reader, &in->item, &got, &s->err);
        if (st != SLANT_OK) {
            s->st = st;
            snprintf(s->id, sizeof s->id, "%s", in->reader_name);
            if (st == SLANT_EIO) { input_jsonl_close(in->reader); in->reader = NULL; }
            return 1;
        }
        if (!got) { input_jsonl_close(in->reader); in->reader = NULL; continue; }
        snprintf(s->id, sizeof s->id, "%s", in->item.id);
        s->text = in->item.text;    /* the slot takes the text */
        s->len = in->item.len;
        s->line = in->item.line;
        s->source = in->reader_name;
        in->item.text = NULL;
        return 1;
    }
}

/* ---- output (main thread) ---- */

/* Opens path for writing, refusing to replace a file unless force. */
static FILE *create_file(const char *path, int force, slant_error *err) {
    int fd = open(path, O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL), 0644);
    if (fd < 0) {
        if (errno == EEXIST) snprintf(err->message, sizeof err->message, "exists; use --force to overwrite it");
        else snprintf(err->message, sizeof err->message, "cannot create: %s", strerror(errno));
        snprintf(err->file, sizeof err->file, "%s", path);
        return NULL;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) { close(fd); snprintf(err->file, sizeof err->file, "%s", path); snprintf(err->message, sizeof err->message, "cannot open"); }
    return f;
}

/* An article id as a file name: [A-Za-z0-9._-] kept, others '_', never
 * starting with '.'. */
static void file_name_of(const char *id, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = id; *p && n + 6 < cap; p++) {
        char c = *p;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = keep ? c : '_';
    }
    if (!n) out[n++] = '_';
    memcpy(out + n, ".html", 6);
}

typedef struct {
    FILE *out;                  /* reports go here (not html folders) */
    const char *html_dir;       /* html: one page per article in this folder */
    int force, fmt;
    int json_array;             /* -1 undecided, 0 bare document, 1 array */
    size_t n_written;           /* reports written */
    size_t n_done;              /* inputs handled, written or failed */
    cJSON *index;               /* html folder: the index page's article list */
    int progress;               /* draw a bar on stderr */
    size_t total;               /* inputs, 0 when unknown (a stream) */
} writer;

static void progress_clear(const writer *wr) {
    if (wr->progress) fputs("\r\033[K", stderr);
}

static void progress_draw(const writer *wr) {
    if (!wr->progress) return;
    if (wr->total) {
        int width = 30, done = (int)((size_t)width * wr->n_done / wr->total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu", done, "##############################", width - done, "",
                wr->n_done, wr->total);
    } else {
        fprintf(stderr, "\r%zu articles", wr->n_done);
    }
    fflush(stderr);
}

/* Writes one finished slot; returns the exit code it deserves. */
static int write_slot(writer *wr, slot *s, int more) {
    int rc = EXIT_OK;
    progress_clear(wr);
    wr->n_done++;
    if (s->st != SLANT_OK) {
        rc = cli_report(NULL, s->st, &s->err);
        if (wr->index) {
            cJSON *o = cJSON_CreateObject();
            if (o) {
                cJSON_AddItemToArray(wr->index, o);
                cJSON_AddStringToObject(o, "id", s->id);
                cJSON_AddNullToObject(o, "href");
                cJSON_AddStringToObject(o, "error", s->err.message[0] ? s->err.message : slant_strerror(s->st));
            }
        }
    } else if (wr->html_dir) {
        char name[LAB_ID_MAX + 8], path[4096];
        file_name_of(s->id, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s", wr->html_dir, name);
        slant_error err;
        slant_error_clear(&err);
        FILE *f = create_file(path, wr->force, &err);
        int bad = !f || fwrite(s->out.p, 1, s->out.len, f) != s->out.len;
        if (f && fclose(f) != 0) bad = 1;
        if (bad) {
            if (!err.message[0]) { snprintf(err.file, sizeof err.file, "%.255s", path); snprintf(err.message, sizeof err.message, "cannot write"); }
            rc = cli_report(NULL, SLANT_EIO, &err);
        } else if (wr->index) {
            wr->n_written++;
            cJSON *o = cJSON_CreateObject();
            if (o) {
                cJSON_AddItemToArray(wr->index, o);
                cJSON_AddStringToObject(o, "id", s->id);
                cJSON_AddStringToObject(o, "href", name);
                cJSON_AddNumberToObject(o, "score", s->score);
                cJSON_AddNumberToObject(o, "fragments", (double)s->n_fragments);
            }
        }
    } else {
        if (wr->fmt == FMT_JSON) {
            if (wr->json_array < 0) wr->json_array = more;
            if (wr->json_array) fputs(wr->n_written ? ",\n" : "[\n", wr->out);
        } else if (wr->fmt == FMT_TEXT && wr->n_written) {
            fputc('\n', wr->out);
        }
        fwrite(s->out.p ? s->out.p : "", 1, s->out.len, wr->out);
        if (wr->fmt == FMT_JSON && !wr->json_array) fputc('\n', wr->out);
        wr->n_written++;
    }
    if (wr->json_array < 0) wr->json_array = more;   /* decided by the first input */
    return rc;
}

/* ---- options ---- */

/* Parses "LOAD,Name_Calling,Labeling"-style lists: each item is a corpus
 * name, a short name or a display name (case-insensitive for the last
 * two), or "all". Corpus names hold commas, so the longest name that
 * matches at a position wins. Returns 0 and the mask, or -1 after printing
 * the problem. */
static int parse_techniques(const char *s, uint32_t *mask) {
    *mask = 0;
    if (strcasecmp(s, "all") == 0) { *mask = SLANT_ALL_TECHNIQUES; return 0; }
    while (*s) {
        while (*s == ',' || *s == ' ') s++;
        if (!*s) break;
        size_t best_len = 0;
        int best = -1;
        for (int k = 0; k < SLANT_N_TECHNIQUES; k++) {
            const slant_technique *t = slant_technique_get(k);
            const char *names[3] = {t->name, t->short_name, t->display};
            for (int j = 0; j < 3; j++) {
                size_t n = strlen(names[j]);
                int eq = j == 0 ? strncmp(s, names[j], n) == 0 : strncasecmp(s, names[j], n) == 0;
                if (eq && (s[n] == ',' || s[n] == '\0') && n > best_len) { best_len = n; best = k; }
            }
        }
        if (best < 0) {
            const char *end = strchr(s, ',');
            int n = end ? (int)(end - s) : (int)strlen(s);
            fprintf(stderr, "slant analyze: unknown technique '%.*s'; known:", n, s);
            for (int k = 0; k < SLANT_N_TECHNIQUES; k++) fprintf(stderr, " %s", slant_technique_get(k)->short_name);
            fputc('\n', stderr);
            return -1;
        }
        *mask |= 1u << best;
        s += best_len;
    }
    if (!*mask) { fprintf(stderr, "slant analyze: --techniques names no technique\n"); return -1; }
    return 0;
}

static int is_dir(const char *p) {
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* ---- the command ---- */

int cmd_analyze(int argc, char **argv) {
    analyze_args a;
    memset(&a, 0, sizeof a);
    int n_pos = 0;
    int pr = opts_parse(analyze_options, N_OPTS, &a, argc, argv, &n_pos, usage_text, "analyze");
    if (pr) return pr < 0 ? EXIT_OK : EXIT_INPUT;
    int fmt = -1;
    for (int k = 0; k < (int)(sizeof format_names / sizeof format_names[0]); k++)
        if (strcmp(a.format, format_names[k]) == 0) fmt = k;
    if (fmt < 0) { fprintf(stderr, "slant analyze: unknown format '%s' (text, si, flc, json, jsonl, html)\n", a.format); return EXIT_INPUT; }
    int jsonl = strcmp(a.input, "jsonl") == 0;
    if (!jsonl && strcmp(a.input, "text") != 0) { fprintf(stderr, "slant analyze: unknown input '%s' (text, jsonl)\n", a.input); return EXIT_INPUT; }
    if (a.threshold > 1.0 || (a.threshold < 0 && a.threshold != -1.0)) { fprintf(stderr, "slant analyze: --threshold must be in [0,1]\n"); return EXIT_INPUT; }
    if (a.jobs < 0 || a.jobs > 1024) { fprintf(stderr, "slant analyze: --jobs must be in [0,1024]\n"); return EXIT_INPUT; }
    if (n_pos == 0 && !jsonl) { fprintf(stderr, "%s\n", usage_text); return EXIT_INPUT; }
    slant_options opt;
    slant_options_init(&opt);
    opt.threshold = a.threshold;
    opt.replace_invalid_utf8 = a.replace;
    if (a.techniques && parse_techniques(a.techniques, &opt.technique_mask) != 0) return EXIT_INPUT;

    int rc = EXIT_OK, threads_started = 0;
    slant_model *m = NULL;
    slant_error err;
    slant_status st;
    inputs in;
    memset(&in, 0, sizeof in);
    in.jsonl = jsonl;
    corpus_paths_init(&in.paths);
    input_jsonl_item_init(&in.item);
    static char *stdin_only[] = {"-"};
    queue q;
    memset(&q, 0, sizeof q);
    pthread_t *threads = NULL;
    writer wr;
    memset(&wr, 0, sizeof wr);
    wr.out = stdout;
    wr.fmt = fmt;
    wr.force = a.force;
    wr.json_array = -1;

    if (jsonl) {
        in.files = n_pos ? argv + 1 : stdin_only;
        in.n_files = n_pos ? n_pos : 1;
    } else {
        for (int i = 1; i <= n_pos; i++) {
            slant_error_clear(&err);
            if ((st = corpus_paths_add(&in.paths, argv[i], &err)) != SLANT_OK) rc = cli_report(NULL, st, &err);
        }
        if (rc == EXIT_INTERNAL) goto done;
    }
    /* where the reports go */
    size_t known = jsonl ? 0 : in.paths.len;
    if (fmt == FMT_HTML && a.output && (jsonl || known > 1 || is_dir(a.output))) {
        wr.html_dir = a.output;
        if (mkdir(a.output, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "slant analyze: cannot create the folder %s: %s\n", a.output, strerror(errno));
            rc = EXIT_INPUT;
            goto done;
        }
        char ipath[4096];
        snprintf(ipath, sizeof ipath, "%s/index.html", a.output);
        if (!a.force && access(ipath, F_OK) == 0) {
            fprintf(stderr, "slant analyze: %s exists; use --force to overwrite it\n", ipath);
            rc = EXIT_INPUT;
            goto done;
        }
        if (!(wr.index = cJSON_CreateArray())) { rc = EXIT_INTERNAL; goto done; }
    } else if (fmt == FMT_HTML && (jsonl || known > 1)) {
        fprintf(stderr, "slant analyze: several inputs make several HTML pages: give a folder with -o DIR\n");
        rc = EXIT_INPUT;
        goto done;
    } else if (a.output) {
        slant_error_clear(&err);
        if (!(wr.out = create_file(a.output, a.force, &err))) { wr.out = stdout; rc = cli_report(NULL, SLANT_EIO, &err); goto done; }
    }
    const char *no_color = getenv("NO_COLOR");
    int colour = fmt == FMT_TEXT && !a.no_color && !(no_color && *no_color) &&
                 (a.color || (wr.out == stdout && isatty(STDOUT_FILENO)));
    wr.total = known;
    wr.progress = isatty(STDERR_FILENO) && (jsonl || known >= PROGRESS_MIN_INPUTS);

    char path_buf[4096];
    const char *model_path = a.model ? a.model : cli_default_model(path_buf, sizeof path_buf);
    slant_error_clear(&err);
    if ((st = slant_model_load(model_path, &m, &err)) != SLANT_OK) { rc = cli_report("cannot load the model", st, &err); goto done; }

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = a.jobs ? a.jobs : (cores > 0 && cores < 256 ? (int)cores : 1);
    if (!jsonl && known && (size_t)jobs > known) jobs = (int)known;
    q.m = m;
    q.opt = &opt;
    q.fmt = fmt;
    q.colour = colour;
    q.replace = a.replace;
    q.n_slots = 4 * (size_t)jobs;
    if (!(q.slots = calloc(q.n_slots, sizeof *q.slots)) || !(threads = calloc((size_t)jobs, sizeof *threads))) {
        rc = EXIT_INTERNAL;
        goto done;
    }
    for (size_t i = 0; i < q.n_slots; i++) { rbuf_init(&q.slots[i].out); slot_reset(&q.slots[i]); }
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.work, NULL);
    pthread_cond_init(&q.done, NULL);
    for (; threads_started < jobs; threads_started++)
        if (pthread_create(&threads[threads_started], NULL, worker, &q) != 0) break;
    if (!threads_started) { fprintf(stderr, "slant analyze: cannot start a thread\n"); rc = EXIT_INTERNAL; goto stop; }

    int input_done = 0;
    for (size_t n_out = 0;;) {
        /* fill the window, then write the oldest slot when it is done */
        while (!input_done && q.n_produced - n_out < q.n_slots) {
            slot *s = &q.slots[q.n_produced % q.n_slots];
            if (!next_input(&in, s)) { input_done = 1; break; }
            pthread_mutex_lock(&q.lock);
            s->state = SLOT_QUEUED;
            q.n_produced++;
            pthread_cond_signal(&q.work);
            pthread_mutex_unlock(&q.lock);
        }
        if (n_out == q.n_produced) break;
        slot *s = &q.slots[n_out % q.n_slots];
        pthread_mutex_lock(&q.lock);
        while (s->state != SLOT_DONE) pthread_cond_wait(&q.done, &q.lock);
        pthread_mutex_unlock(&q.lock);
        int more = q.n_produced > n_out + 1 || !input_done;
        int e = write_slot(&wr, s, more);
        if (e > rc) rc = e;
        slot_reset(s);
        n_out++;
        if (wr.out == stdout && fmt != FMT_HTML) fflush(stdout);   /* results as they are ready */
        progress_draw(&wr);
    }
    progress_clear(&wr);
    if (fmt == FMT_JSON && wr.json_array == 1) fputs(wr.n_written ? "\n]\n" : "[]\n", wr.out);
    if (wr.index) {
        rbuf page;
        rbuf_init(&page);
        cJSON *model = report_json_model(m);
        char ipath[4096];
        snprintf(ipath, sizeof ipath, "%s/index.html", wr.html_dir);
        slant_error_clear(&err);
        FILE *f = NULL;
        if (report_html_index(&page, wr.index, model) != SLANT_OK) rc = EXIT_INTERNAL;
        else if (!(f = create_file(ipath, a.force, &err))) rc = cli_report(NULL, SLANT_EIO, &err);
        else if (fwrite(page.p, 1, page.len, f) != page.len || fclose(f) != 0) {
            f = NULL;
            fprintf(stderr, "slant analyze: cannot write %s\n", ipath);
            rc = EXIT_INPUT;
        } else f = NULL;
        if (f) fclose(f);
        cJSON_Delete(model);
        rbuf_fini(&page);
    }
stop:
    pthread_mutex_lock(&q.lock);
    q.stop = 1;
    pthread_cond_broadcast(&q.work);
    pthread_mutex_unlock(&q.lock);
    for (int i = 0; i < threads_started; i++) pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.work);
    pthread_cond_destroy(&q.done);
done:
    if (q.slots)
        for (size_t i = 0; i < q.n_slots; i++) { slot_reset(&q.slots[i]); rbuf_fini(&q.slots[i].out); }
    free(q.slots);
    free(threads);
    cJSON_Delete(wr.index);
    input_jsonl_close(in.reader);
    input_jsonl_item_fini(&in.item);
    corpus_paths_fini(&in.paths);
    slant_model_free(m);
    if (wr.out != stdout && fclose(wr.out) != 0) { fprintf(stderr, "slant analyze: cannot write %s\n", a.output); rc = EXIT_INPUT; }
    if (fflush(stdout) != 0) { fprintf(stderr, "slant analyze: cannot write the output\n"); rc = EXIT_INPUT; }
    return rc;
}
