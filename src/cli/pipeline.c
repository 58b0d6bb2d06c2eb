/* pipeline.c — reads documents, codes them on N worker threads and hands
 * the results to a consumer in input order, so the output of -j N is
 * byte-identical to -j 1. The main thread reads raw items (files, JSONL
 * lines) and consumes results, warnings and errors in input order; workers
 * parse, normalise and code. A bounded ring of slots keeps memory flat on
 * huge feeds. Used by `sitrep code` (consumer: stdout), `sitrep ingest`
 * (consumer: the store) and `sitrep worker`. */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    sr_item *item;      /* raw input, owned */
    sr_doc *doc;        /* parsed document, or NULL after an error */
    sr_events *ev;      /* its events, or NULL */
    char *err;          /* "FILE:LINE: reason" when the item was unreadable */
    char *out;          /* JSON Lines of the document's events (want_jsonl) */
    size_t len;
    int state;          /* 0 empty, 1 ready to code, 2 coded */
} slot;

typedef struct {
    cli_pipeline *p;
    slot *slots;
    size_t cap;
    size_t next_read, next_code, next_write;
    int eof;
    pthread_mutex_t mu;
    pthread_cond_t ready, done;
    struct timespec last;
    int tty;
} ring;

static void code_one(const cli_pipeline *p, slot *s)
{
    sr_err err = {0};
    if (sr_item_doc(s->item, &s->doc, &err) != SR_OK) {
        char msg[1200];
        s->err = strdup(sr_err_format(&err, msg, sizeof msg));
        return;
    }
    if (p->published)
        sr_doc_set_default_date(s->doc, p->published);
    if (p->no_code)
        return;
    if (sr_code_doc(p->dict, s->doc, p->flags, &s->ev, &err) != SR_OK) {
        sr_events_free(s->ev);
        s->ev = NULL;
        return;
    }
    if (p->want_jsonl && sr_events_to_jsonl(s->ev, &s->out, &s->len, &err) != SR_OK) {
        s->out = NULL;
        s->len = 0;
    }
}

static void *worker(void *arg)
{
    ring *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->next_code == r->next_read && !r->eof)
            pthread_cond_wait(&r->ready, &r->mu);
        if (r->next_code == r->next_read && r->eof)
            break;
        slot *s = &r->slots[r->next_code++ % r->cap];
        if (s->state == 2)
            continue; /* an unreadable item: nothing to code */
        pthread_mutex_unlock(&r->mu);
        code_one(r->p, s);
        pthread_mutex_lock(&r->mu);
        s->state = 2;
        pthread_cond_broadcast(&r->done);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void show_progress(ring *r, int final)
{
    cli_pipeline *p = r->p;
    if (p->quiet || !r->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - r->last.tv_sec) + (double)(now.tv_nsec - r->last.tv_nsec) / 1e9;
    if (!final && dt < 0.25)
        return;
    r->last = now;
    fprintf(stderr, "\rsitrep: %zu documents, %.1f MB, %zu events %s%s", p->docs,
            (double)p->bytes / 1e6, p->events, p->verb ? p->verb : "", final ? "\n" : "");
}

/* Consumes one coded slot (main thread only, in order). */
static void flush_slot(ring *r, slot *s)
{
    cli_pipeline *p = r->p;
    sr_item_free(s->item);
    if (s->err) {
        cli_error("%s", s->err);
        free(s->err);
        p->bad_input = 1;
        memset(s, 0, sizeof *s);
        return;
    }
    if (!p->quiet)
        for (size_t i = 0; i < sr_doc_warning_count(s->doc); i++)
            cli_error("%s: %s", sr_doc_id(s->doc), sr_doc_warning(s->doc, i));
    if (!p->stopped && p->consume(p->ud, s->doc, s->ev, s->out, s->len))
        p->stopped = 1;
    if (!p->stopped) {
        p->events += s->ev ? sr_events_count(s->ev) : 0;
        p->docs++;
        size_t len;
        sr_doc_text(s->doc, &len);
        p->bytes += len;
    }
    free(s->out);
    sr_events_free(s->ev);
    sr_doc_free(s->doc);
    memset(s, 0, sizeof *s);
    show_progress(r, 0);
}

/* Consumes the next slot in input order (the caller checked it is coded),
 * with the lock held on entry and exit but released while consuming. */
static void flush_next(ring *r)
{
    slot s = r->slots[r->next_write % r->cap];
    memset(&r->slots[r->next_write % r->cap], 0, sizeof(slot));
    r->next_write++;
    pthread_mutex_unlock(&r->mu);
    flush_slot(r, &s);
    pthread_mutex_lock(&r->mu);
}

void cli_pipeline_run(cli_pipeline *p, sr_input *in)
{
    long jobs = p->jobs < 1 ? 1 : p->jobs;
    ring r = {.p = p, .cap = (size_t)jobs * 8, .tty = isatty(2)};
    clock_gettime(CLOCK_MONOTONIC, &r.last);
    r.slots = calloc(r.cap, sizeof *r.slots);
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.ready, NULL);
    pthread_cond_init(&r.done, NULL);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    int threaded = jobs > 1;
    for (long t = 0; threaded && t < jobs; t++)
        pthread_create(&th[t], NULL, worker, &r);

    sr_err err = {0};
    char msg[1200];
    while (!p->stopped) {
        sr_item *item = NULL;
        int rc = sr_input_next_item(in, &item, &err);
        if (rc == SR_DONE)
            break;
        slot s = {0};
        if (rc != SR_OK) {
            /* a missing file: report it after what was read before it */
            s.err = strdup(sr_err_format(&err, msg, sizeof msg));
            s.state = 2;
            memset(&err, 0, sizeof err);
        } else {
            s.item = item;
            s.state = 1;
        }
        if (!threaded) {
            if (s.state == 1)
                code_one(p, &s);
            flush_slot(&r, &s);
            continue;
        }
        pthread_mutex_lock(&r.mu);
        for (;;) {
            /* consume everything that is done, in order, before waiting */
            while (r.next_write < r.next_read && r.slots[r.next_write % r.cap].state == 2)
                flush_next(&r);
            if (r.next_read - r.next_write < r.cap)
                break;
            pthread_cond_wait(&r.done, &r.mu);
        }
        r.slots[r.next_read % r.cap] = s;
        r.next_read++;
        if (s.state == 1)
            pthread_cond_signal(&r.ready);
        pthread_mutex_unlock(&r.mu);
    }
    if (threaded) {
        pthread_mutex_lock(&r.mu);
        r.eof = 1;
        pthread_cond_broadcast(&r.ready);
        while (r.next_write < r.next_read) {
            while (r.slots[r.next_write % r.cap].state != 2)
                pthread_cond_wait(&r.done, &r.mu);
            flush_next(&r);
        }
        pthread_mutex_unlock(&r.mu);
        for (long t = 0; t < jobs; t++)
            pthread_join(th[t], NULL);
    }
    show_progress(&r, 1);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.ready);
    pthread_cond_destroy(&r.done);
    free(th);
    free(r.slots);
}

void cli_read_opts_init(cli_read_opts *o, int argc)
{
    memset(o, 0, sizeof *o);
    o->jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs < 1)
        o->jobs = 1;
    o->paths = calloc((size_t)argc + 1, sizeof *o->paths);
}

void cli_read_opts_free(cli_read_opts *o)
{
    free(o->paths);
    o->paths = NULL;
}

int cli_read_opt(const char *cmd, int argc, char **argv, int *i, cli_read_opts *o)
{
    const char *v, *a = argv[*i];
    if (o->only_paths || a[0] != '-' || !strcmp(a, "-")) {
        o->paths[o->npaths++] = a;
    } else if (!strcmp(a, "--")) {
        o->only_paths = 1;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        o->quiet = 1;
    } else if (!strcmp(a, "--speculation")) {
        o->flags |= SR_CODE_SPECULATION;
    } else if (cli_opt_value(argc, argv, i, "--published", NULL, &v)) {
        int y, m, d;
        char tail;
        if (!v || strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
            m > 12 || d < 1 || d > 31) {
            cli_usage_error(cmd, "--published needs a date YYYY-MM-DD");
            return -1;
        }
        o->published = v;
    } else if (cli_opt_value(argc, argv, i, "--jobs", "-j", &v)) {
        char *end;
        o->jobs = v ? strtol(v, &end, 10) : 0;
        if (!v || *end || o->jobs < 1 || o->jobs > 256) {
            cli_usage_error(cmd, "-j needs a number of threads (1-256)");
            return -1;
        }
    } else if (cli_opt_value(argc, argv, i, "--dict", NULL, &v)) {
        if (!v) {
            cli_usage_error(cmd, "--dict needs a directory");
            return -1;
        }
        o->dictdir = v;
    } else if (cli_opt_value(argc, argv, i, "--gazetteer", NULL, &v)) {
        if (!v) {
            cli_usage_error(cmd, "--gazetteer needs an index file");
            return -1;
        }
        o->gazetteer = v;
    } else {
        return 0;
    }
    return 1;
}

int cli_read_open_dict(const cli_read_opts *o, sr_dict **dict)
{
    int rc = cli_open_dict(o->dictdir, dict);
    if (rc)
        return rc;
    sr_err gerr = {0};
    if (sr_dict_load_places(*dict, o->gazetteer, &gerr)) {
        char gmsg[1200];
        cli_error("%s", sr_err_format(&gerr, gmsg, sizeof gmsg));
        cli_error("the gazetteer is built with sitrep (README: set-up); --gazetteer names another");
        sr_dict_free(*dict);
        *dict = NULL;
        return EXIT_DICT;
    }
    return EXIT_OK;
}

int cli_read_open(const char *cmd, const cli_read_opts *o, sr_dict **dict, sr_input **in)
{
    *dict = NULL;
    *in = NULL;
    if (!o->npaths)
        return cli_usage_error(cmd, "no input (give a PATH, or - for JSONL on stdin)");
    int rc = cli_read_open_dict(o, dict);
    if (rc)
        return rc;
    sr_err err = {0};
    if (sr_input_open(o->paths, o->npaths, *dict, in, &err)) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        sr_dict_free(*dict);
        *dict = NULL;
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
