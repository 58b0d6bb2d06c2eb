/* cmd_code.c — `sitrep code`: reads documents, codes them on N worker
 * threads and writes events as JSON Lines in input order, so the output of
 * -j N is byte-identical to -j 1. The main thread reads raw items (files,
 * JSONL lines) and writes results, warnings and errors in input order;
 * workers parse, normalise and code. A bounded ring of slots keeps memory
 * flat on huge feeds. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char HELP[] =
    "usage: sitrep code [OPTIONS] PATH...\n\n"
    "Codes news documents into CAMEO/PLOVER events, one JSON object per line\n"
    "on stdout (docs/OUTPUT.md). PATH is a .txt or .html/.htm file, a .jsonl\n"
    "feed (one document per line: id, text or html, published, url, source,\n"
    "title), a directory (its supported files, sorted) or - (JSONL on stdin).\n\n"
    "  --published DATE  date (YYYY-MM-DD) for documents that carry none\n"
    "  -j, --jobs N      worker threads (default: all cores)\n"
    "  --dict DIR        dictionary directory (default: $SITREP_DICT or built in)\n"
    "  --gazetteer FILE  place index (default: $SITREP_GAZETTEER or the one built)\n"
    "  --speculation     also emit events an analyst only assesses (modality\n"
    "                    \"assessed\": \"ISW assesses that\", \"likely\"); left out by default\n"
    "  -q, --quiet       no warnings, no progress\n"
    "  -h, --help        this text\n\n"
    "Exit status: 0 ok, 1 some input was unreadable (the rest is coded),\n"
    "2 usage or output error, 3 bad dictionary or gazetteer.\n";

typedef struct {
    sr_item *item;      /* raw input, owned */
    sr_doc *doc;        /* parsed document, or NULL after an error */
    char *err;          /* "FILE:LINE: reason" when the item was unreadable */
    char *out;          /* JSON Lines of the document's events */
    size_t len;
    size_t nevents;     /* lines in out */
    int state;          /* 0 empty, 1 ready to code, 2 coded */
} slot;

typedef struct {
    const sr_dict *dict;
    unsigned flags;     /* SR_CODE_* */
    const char *published; /* --published, or NULL */
    slot *slots;
    size_t cap;
    size_t next_read, next_code, next_write;
    int eof;
    pthread_mutex_t mu;
    pthread_cond_t ready, done;
} pipeline;

static void code_one(const sr_dict *dict, unsigned flags, const char *published, slot *s)
{
    sr_events *ev = NULL;
    sr_err err = {0};
    s->out = NULL;
    s->len = 0;
    if (sr_item_doc(s->item, &s->doc, &err) != SR_OK) {
        char msg[1200];
        s->err = strdup(sr_err_format(&err, msg, sizeof msg));
        return;
    }
    if (published)
        sr_doc_set_default_date(s->doc, published);
    if (sr_code_doc(dict, s->doc, flags, &ev, &err) == SR_OK &&
        sr_events_to_jsonl(ev, &s->out, &s->len, &err) == SR_OK)
        s->nevents = sr_events_count(ev);
    sr_events_free(ev);
}

static void *worker(void *arg)
{
    pipeline *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_code == p->next_read && !p->eof)
            pthread_cond_wait(&p->ready, &p->mu);
        if (p->next_code == p->next_read && p->eof)
            break;
        slot *s = &p->slots[p->next_code++ % p->cap];
        if (s->state == 2)
            continue; /* an unreadable item: nothing to code */
        pthread_mutex_unlock(&p->mu);
        code_one(p->dict, p->flags, p->published, s);
        pthread_mutex_lock(&p->mu);
        s->state = 2;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

typedef struct {
    int quiet, tty;
    size_t docs, events, bytes;
    struct timespec last;
    int write_failed;
    int bad_input;      /* some item could not be read */
} progress;

static void show_progress(progress *pr, int final)
{
    if (pr->quiet || !pr->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - pr->last.tv_sec) + (double)(now.tv_nsec - pr->last.tv_nsec) / 1e9;
    if (!final && dt < 0.25)
        return;
    pr->last = now;
    fprintf(stderr, "\rsitrep: %zu documents, %.1f MB, %zu events%s", pr->docs,
            (double)pr->bytes / 1e6, pr->events, final ? "\n" : "");
}

static void print_warnings(const sr_doc *doc, int quiet)
{
    if (quiet)
        return;
    for (size_t i = 0; i < sr_doc_warning_count(doc); i++)
        cli_error("%s: %s", sr_doc_id(doc), sr_doc_warning(doc, i));
}

/* Writes one coded slot (called by the main thread only, in order). */
static void flush_slot(slot *s, progress *pr)
{
    sr_item_free(s->item);
    if (s->err) {
        cli_error("%s", s->err);
        free(s->err);
        pr->bad_input = 1;
        memset(s, 0, sizeof *s);
        return;
    }
    print_warnings(s->doc, pr->quiet);
    if (s->len && fwrite(s->out, 1, s->len, stdout) != s->len && !pr->write_failed) {
        cli_error("<stdout>: write error: %s", strerror(errno));
        pr->write_failed = 1;
    }
    pr->events += s->nevents;
    pr->docs++;
    size_t len;
    sr_doc_text(s->doc, &len);
    pr->bytes += len;
    free(s->out);
    sr_doc_free(s->doc);
    memset(s, 0, sizeof *s);
    show_progress(pr, 0);
}

/* Writes the next slot in input order (coded: the caller checked), with
 * the lock held on entry and exit but released while writing. */
static void flush_next(pipeline *p, progress *pr)
{
    slot s = p->slots[p->next_write % p->cap];
    memset(&p->slots[p->next_write % p->cap], 0, sizeof(slot));
    p->next_write++;
    pthread_mutex_unlock(&p->mu);
    flush_slot(&s, pr);
    pthread_mutex_lock(&p->mu);
}

int cmd_code(int argc, char **argv)
{
    const char *published = NULL, *dictdir = NULL, *gazetteer = NULL;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int quiet = 0, only_paths = 0;
    unsigned flags = 0;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *v, *a = argv[i];
        if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
            paths[npaths++] = a;
        } else if (!strcmp(a, "--")) {
            only_paths = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            free(paths);
            return EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--speculation")) {
            flags |= SR_CODE_SPECULATION;
        } else if (cli_opt_value(argc, argv, &i, "--published", NULL, &v)) {
            int y, m, d;
            char tail;
            if (!v || strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
                m < 1 || m > 12 || d < 1 || d > 31) {
                free(paths);
                return cli_usage_error("code", "--published needs a date YYYY-MM-DD");
            }
            published = v;
        } else if (cli_opt_value(argc, argv, &i, "--jobs", "-j", &v)) {
            char *end;
            jobs = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || jobs < 1 || jobs > 256) {
                free(paths);
                return cli_usage_error("code", "-j needs a number of threads (1-256)");
            }
        } else if (cli_opt_value(argc, argv, &i, "--dict", NULL, &v)) {
            if (!v) {
                free(paths);
                return cli_usage_error("code", "--dict needs a directory");
            }
            dictdir = v;
        } else if (cli_opt_value(argc, argv, &i, "--gazetteer", NULL, &v)) {
            if (!v) {
                free(paths);
                return cli_usage_error("code", "--gazetteer needs an index file");
            }
            gazetteer = v;
        } else {
            free(paths);
            return cli_usage_error("code", "unknown option '%s'", a);
        }
    }
    if (!npaths) {
        free(paths);
        return cli_usage_error("code", "no input (give a PATH, or - for JSONL on stdin)");
    }
    if (jobs < 1)
        jobs = 1;

    sr_dict *dict;
    int rc = cli_open_dict(dictdir, &dict);
    if (rc) {
        free(paths);
        return rc;
    }
    sr_err gerr = {0};
    if (sr_dict_load_places(dict, gazetteer, &gerr)) {
        char gmsg[1200];
        cli_error("%s", sr_err_format(&gerr, gmsg, sizeof gmsg));
        cli_error("the gazetteer is built with sitrep (README: set-up); --gazetteer names another");
        sr_dict_free(dict);
        free(paths);
        return EXIT_DICT;
    }
    sr_input *in;
    sr_err err = {0};
    char msg[1200];
    if (sr_input_open(paths, npaths, dict, &in, &err)) {
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        sr_dict_free(dict);
        free(paths);
        return EXIT_USAGE;
    }
    /* events are written in large blocks: JSON Lines output is several
     * times the input's size, and stdio's default buffer costs a system
     * call every few kilobytes */
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    progress pr = {.quiet = quiet, .tty = isatty(2)};
    clock_gettime(CLOCK_MONOTONIC, &pr.last);

    pipeline p = {.dict = dict, .flags = flags, .published = published, .cap = (size_t)jobs * 8};
    p.slots = calloc(p.cap, sizeof *p.slots);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.done, NULL);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    int threaded = jobs > 1;
    for (long t = 0; threaded && t < jobs; t++)
        pthread_create(&th[t], NULL, worker, &p);

    for (;;) {
        sr_item *item = NULL;
        rc = sr_input_next_item(in, &item, &err);
        if (rc == SR_DONE)
            break;
        if (rc != SR_OK) {
            /* a missing file: report it after what was read before it */
            slot s = {.err = strdup(sr_err_format(&err, msg, sizeof msg)), .state = 2};
            memset(&err, 0, sizeof err);
            if (!threaded) {
                flush_slot(&s, &pr);
                continue;
            }
            pthread_mutex_lock(&p.mu);
            while (p.next_read - p.next_write >= p.cap)
                pthread_cond_wait(&p.done, &p.mu);
            p.slots[p.next_read % p.cap] = s;
            p.next_read++;
            pthread_mutex_unlock(&p.mu);
            continue;
        }
        if (!threaded) {
            slot s = {.item = item};
            code_one(dict, flags, published, &s);
            flush_slot(&s, &pr);
            continue;
        }
        pthread_mutex_lock(&p.mu);
        for (;;) {
            /* write everything that is done, in order, before waiting */
            while (p.next_write < p.next_read && p.slots[p.next_write % p.cap].state == 2)
                flush_next(&p, &pr);
            if (p.next_read - p.next_write < p.cap)
                break;
            pthread_cond_wait(&p.done, &p.mu);
        }
        p.slots[p.next_read % p.cap] = (slot){.item = item, .state = 1};
        p.next_read++;
        pthread_cond_signal(&p.ready);
        pthread_mutex_unlock(&p.mu);
    }
    if (threaded) {
        pthread_mutex_lock(&p.mu);
        p.eof = 1;
        pthread_cond_broadcast(&p.ready);
        while (p.next_write < p.next_read) {
            while (p.slots[p.next_write % p.cap].state != 2)
                pthread_cond_wait(&p.done, &p.mu);
            flush_next(&p, &pr);
        }
        pthread_mutex_unlock(&p.mu);
        for (long t = 0; t < jobs; t++)
            pthread_join(th[t], NULL);
    }
    show_progress(&pr, 1);
    if (fflush(stdout) != 0 && !pr.write_failed) {
        cli_error("<stdout>: write error: %s", strerror(errno));
        pr.write_failed = 1;
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.done);
    free(th);
    free(p.slots);
    sr_input_free(in);
    sr_dict_free(dict);
    free(paths);
    if (pr.write_failed)
        return EXIT_USAGE;
    return pr.bad_input ? EXIT_INPUT : EXIT_OK;
}
