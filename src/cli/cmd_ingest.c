/* cmd_ingest.c — `sitrep ingest` (code documents and keep them in a store,
 * or only queue them) and `sitrep worker` (code queued documents). Both
 * write in batches: each batch is one transaction, so a killed run leaves
 * every document either stored whole or not at all, and running it again
 * completes the store without duplicates. */
#include "pipeline.h"

#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char INGEST_HELP[] =
    "usage: sitrep ingest [OPTIONS] PATH...\n\n"
    "Codes documents (the inputs of `sitrep code`) and stores documents,\n"
    "sentences, events, mentions, actors and places (docs/STORE.md). The same\n"
    "document again stores nothing; a changed one replaces its old events.\n\n"
    "  --db TARGET       SQLite file or postgresql:// URL (default: $SITREP_DB\n"
    "                    or ./sitrep.db)\n"
    "  --queue           only queue the documents for `sitrep worker`\n"
    "  --batch N         documents per transaction (default 5000; 500 on\n"
    "                    PostgreSQL)\n"
    "  --published DATE  date (YYYY-MM-DD) for documents that carry none\n"
    "  -j, --jobs N      coding threads (default: all cores)\n"
    "  --dict DIR, --gazetteer FILE, --speculation   as for `sitrep code`\n"
    "  -q, --quiet       no warnings, no progress, no summary\n\n"
    "Exit status: 0 ok, 1 some input was unreadable (the rest is stored),\n"
    "2 usage or database error, 3 bad dictionary or gazetteer.\n";

static const char WORKER_HELP[] =
    "usage: sitrep worker [OPTIONS]\n\n"
    "Codes the documents queued by `sitrep ingest --queue` and stores them.\n"
    "Many workers may share one PostgreSQL queue (each claims documents no\n"
    "other holds); on SQLite they take turns. Exits when the queue is empty.\n\n"
    "  --db TARGET       SQLite file or postgresql:// URL (default: $SITREP_DB\n"
    "                    or ./sitrep.db)\n"
    "  --batch N         documents claimed per transaction (default 50)\n"
    "  --follow          keep polling the queue instead of exiting\n"
    "  --poll SECONDS    wait between polls with --follow (default 2)\n"
    "  --dict DIR, --gazetteer FILE, --speculation, -q   as for `sitrep code`\n";

const char *cli_db_target(const char *db)
{
    if (db && *db)
        return db;
    const char *env = getenv("SITREP_DB");
    return env && *env ? env : "sitrep.db";
}

int cli_store_open(const char *target, unsigned flags, sr_store **st)
{
    sr_err err = {0};
    if (sr_store_open(target, flags, st, &err)) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

typedef struct {
    sr_store *st;
    int queue;
    long batch, in_batch;
    size_t added, changed, unchanged;
    int failed;
} ingest_ctx;

static int store_fail(ingest_ctx *c, const sr_err *err)
{
    char msg[1200];
    cli_error("%s", sr_err_format(err, msg, sizeof msg));
    sr_store_rollback(c->st);
    c->failed = 1;
    return 1;
}

static int store_one(void *ud, sr_doc *doc, sr_events *ev, const char *jsonl, size_t len)
{
    ingest_ctx *c = ud;
    (void)jsonl;
    (void)len;
    sr_err err = {0};
    if (c->in_batch == 0 && sr_store_begin(c->st, &err))
        return store_fail(c, &err);
    int outcome = SR_PUT_NEW;
    if (c->queue ? sr_store_enqueue(c->st, doc, &err)
                 : ev ? sr_store_put(c->st, doc, ev, &outcome, &err)
                      : sr_err_set(&err, SR_NOMEM, sr_doc_id(doc), 0, "could not code the document"))
        return store_fail(c, &err);
    c->added += outcome == SR_PUT_NEW;
    c->changed += outcome == SR_PUT_CHANGED;
    c->unchanged += outcome == SR_PUT_UNCHANGED;
    if (++c->in_batch >= c->batch) {
        c->in_batch = 0;
        if (sr_store_commit(c->st, &err))
            return store_fail(c, &err);
    }
    return 0;
}

static int parse_batch(const char *cmd, const char *v, long *batch)
{
    char *end;
    *batch = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || *batch < 1 || *batch > 1000000)
        return cli_usage_error(cmd, "--batch needs a number of documents (1-1000000)");
    return EXIT_OK;
}

int cmd_ingest(int argc, char **argv)
{
    cli_read_opts o;
    cli_read_opts_init(&o, argc);
    const char *db = NULL;
    /* The default batch (0 until the store is open): 5000 documents a
     * transaction on SQLite, where each commit rewrites the index pages its
     * batch touched, so bigger batches write less per document (500 ingested
     * 1.6 times slower; docs/STORE.md); 500 on PostgreSQL, where a
     * transaction holds a lock per cluster key it looked up and the
     * server's lock table has room for a few thousand. A killed run redoes
     * at most one batch. */
    ingest_ctx c = {.batch = 0};
    int rc = EXIT_OK;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *v, *a = argv[i];
        int r = cli_read_opt("ingest", argc, argv, &i, &o);
        if (r > 0)
            continue;
        if (r < 0) {
            rc = EXIT_USAGE;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(INGEST_HELP, stdout);
            cli_read_opts_free(&o);
            return EXIT_OK;
        } else if (!strcmp(a, "--queue")) {
            c.queue = 1;
        } else if (cli_opt_value(argc, argv, &i, "--db", NULL, &v)) {
            if (!v)
                rc = cli_usage_error("ingest", "--db needs a file or a postgresql:// URL");
            db = v;
        } else if (cli_opt_value(argc, argv, &i, "--batch", NULL, &v)) {
            rc = parse_batch("ingest", v, &c.batch);
        } else {
            rc = cli_usage_error("ingest", "unknown option '%s'", a);
        }
    }
    sr_dict *dict = NULL;
    sr_input *in = NULL;
    const char *target = cli_db_target(db);
    if (rc || (rc = cli_read_open("ingest", &o, &dict, &in)) ||
        (rc = cli_store_open(target, 0, &c.st))) {
        sr_input_free(in);
        sr_dict_free(dict);
        cli_read_opts_free(&o);
        return rc;
    }
    if (!c.batch)
        c.batch = strcmp(sr_store_backend(c.st), "postgresql") ? 5000 : 500;
    sr_err err = {0};
    cli_pipeline p = {.dict = dict, .flags = o.flags, .published = o.published, .jobs = o.jobs,
                      .quiet = o.quiet, .no_code = c.queue, .verb = c.queue ? "queued" : "stored",
                      .consume = store_one, .ud = &c};
    cli_pipeline_run(&p, in);
    if (!c.failed && c.in_batch && sr_store_commit(c.st, &err))
        store_fail(&c, &err);
    if (!o.quiet && !c.failed) {
        if (c.queue)
            fprintf(stderr, "sitrep: queued %zu documents in %s\n", p.docs, target);
        else
            fprintf(stderr,
                    "sitrep: %zu documents (%zu new, %zu changed, %zu unchanged), %zu events coded,"
                    " stored in %s\n",
                    p.docs, c.added, c.changed, c.unchanged, p.events, target);
    }
    sr_input_free(in);
    sr_store_close(c.st);
    sr_dict_free(dict);
    cli_read_opts_free(&o);
    if (c.failed)
        return EXIT_USAGE;
    return p.bad_input ? EXIT_INPUT : EXIT_OK;
}

/* A deadlock or serialisation failure (PostgreSQL SQLSTATE 40P01, 40001):
 * the transaction was aborted by the server and is worth trying again. */
static int transient(const sr_err *err)
{
    return strstr(err->msg, "SQLSTATE 40P01") || strstr(err->msg, "SQLSTATE 40001");
}

static void backoff(int attempt)
{
    struct timespec ts = {0, (long)(10 + (rand() % 40) * attempt) * 1000000L};
    if (ts.tv_nsec > 999999999L)
        ts.tv_nsec = 999999999L;
    nanosleep(&ts, NULL);
}

int cmd_worker(int argc, char **argv)
{
    cli_read_opts o;
    cli_read_opts_init(&o, argc);
    const char *db = NULL;
    long batch = 50, poll = 2;
    int follow = 0, rc = EXIT_OK;
    for (int i = 1; i < argc && rc == EXIT_OK; i++) {
        const char *v, *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(WORKER_HELP, stdout);
            cli_read_opts_free(&o);
            return EXIT_OK;
        } else if (!strcmp(a, "--follow")) {
            follow = 1;
        } else if (cli_opt_value(argc, argv, &i, "--db", NULL, &v)) {
            if (!v)
                rc = cli_usage_error("worker", "--db needs a file or a postgresql:// URL");
            db = v;
        } else if (cli_opt_value(argc, argv, &i, "--batch", NULL, &v)) {
            rc = parse_batch("worker", v, &batch);
        } else if (cli_opt_value(argc, argv, &i, "--poll", NULL, &v)) {
            char *end;
            poll = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || poll < 1 || poll > 3600)
                rc = cli_usage_error("worker", "--poll needs seconds (1-3600)");
        } else {
            int r = cli_read_opt("worker", argc, argv, &i, &o);
            if (r < 0)
                rc = EXIT_USAGE;
            else if (r == 0 || o.npaths)
                rc = cli_usage_error("worker", "unknown option or argument '%s'", a);
        }
    }
    cli_read_opts_free(&o);
    if (rc)
        return rc;
    const char *target = cli_db_target(db);
    sr_dict *dict;
    if ((rc = cli_read_open_dict(&o, &dict)))
        return rc;
    sr_store *st;
    if ((rc = cli_store_open(target, 0, &st))) {
        sr_dict_free(dict);
        return rc;
    }
    size_t docs = 0, events = 0;
    sr_err err = {0};
    rc = EXIT_OK;
    int retries = 0;
    srand((unsigned)getpid()); /* workers back off by different amounts */
    for (;;) {
        sr_doc **claimed = NULL;
        size_t n = 0, batch_events = 0;
        int ok = sr_store_begin(st, &err) == SR_OK &&
                 sr_store_claim(st, (size_t)batch, dict, &claimed, &n, &err) == SR_OK;
        for (size_t i = 0; ok && i < n; i++) {
            sr_events *ev = NULL;
            ok = sr_code_doc(dict, claimed[i], o.flags, &ev, &err) == SR_OK &&
                 sr_store_put(st, claimed[i], ev, NULL, &err) == SR_OK;
            batch_events += ok ? sr_events_count(ev) : 0;
            sr_events_free(ev);
        }
        for (size_t k = 0; k < n; k++)
            sr_doc_free(claimed[k]);
        free(claimed);
        if (ok && sr_store_commit(st, &err))
            ok = 0;
        if (!ok) {
            /* two workers' batches touched the same rows in different
             * orders and the server chose this one to abort: the batch
             * rolls back whole, its documents return to the queue */
            if (transient(&err) && retries++ < 20) {
                sr_store_rollback(st);
                backoff(retries);
                continue;
            }
            goto fail;
        }
        retries = 0;
        docs += n;
        events += batch_events;
        if (n == 0) {
            if (!follow)
                break;
            sleep((unsigned)poll);
        }
    }
    if (!o.quiet)
        fprintf(stderr, "sitrep: worker coded %zu documents, %zu events, into %s\n", docs, events,
                target);
    goto out;
fail: {
    char msg[1200];
    cli_error("%s", sr_err_format(&err, msg, sizeof msg));
    sr_store_rollback(st);
    rc = EXIT_USAGE;
}
out:
    sr_store_close(st);
    sr_dict_free(dict);
    return rc;
}
