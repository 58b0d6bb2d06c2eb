/* pipeline.h — the reading and coding pipeline that `sitrep code`,
 * `sitrep ingest` and `sitrep worker` share (pipeline.c). */
#ifndef SR_CLI_PIPELINE_H
#define SR_CLI_PIPELINE_H

#include "cli.h"

/* Called on the main thread for each document, in input order. doc and ev
 * are freed after the call (ev is NULL when the pipeline does not code).
 * jsonl holds the events as JSON Lines when want_jsonl was set. Returning
 * non-zero stops the pipeline (an output or database error). */
typedef int (*cli_consume_fn)(void *ud, sr_doc *doc, sr_events *ev, const char *jsonl, size_t len);

typedef struct cli_pipeline {
    const sr_dict *dict;
    unsigned flags;          /* SR_CODE_* */
    const char *published;   /* --published, or NULL */
    long jobs;               /* worker threads */
    int quiet;               /* no warnings, no progress */
    int no_code;             /* only read and parse (ingest --queue) */
    int want_jsonl;          /* workers also write the events as JSON Lines */
    const char *verb;        /* progress: "coded", "stored", ... */
    cli_consume_fn consume;
    void *ud;
    /* results */
    size_t docs, events, bytes;
    int bad_input;           /* some item could not be read */
    int stopped;             /* consume returned non-zero */
} cli_pipeline;

/* Runs in over the pipeline; returns when every item has been consumed or
 * consume stopped it. */
void cli_pipeline_run(cli_pipeline *p, sr_input *in);

/* Shared argument parsing for commands that read documents: PATH
 * arguments ("-" is stdin; everything after "--" is a path), --published,
 * -j, --dict, --gazetteer, --speculation, -q. cli_read_opt returns 1 if
 * argv[*i] was one of them (0 if not, -1 on a bad value, with the usage
 * error printed). */
typedef struct cli_read_opts {
    const char *published, *dictdir, *gazetteer;
    long jobs;
    int quiet;
    unsigned flags;
    const char **paths;      /* the PATH arguments, in order */
    size_t npaths;
    int only_paths;          /* after "--" */
} cli_read_opts;
void cli_read_opts_init(cli_read_opts *o, int argc);
void cli_read_opts_free(cli_read_opts *o);
int cli_read_opt(const char *cmd, int argc, char **argv, int *i, cli_read_opts *o);
/* Opens the dictionaries and the gazetteer named by o; prints errors. */
int cli_read_open_dict(const cli_read_opts *o, sr_dict **dict);
/* The same, then the inputs named by o's paths (a usage error if none);
 * on failure nothing is left open. */
int cli_read_open(const char *cmd, const cli_read_opts *o, sr_dict **dict, sr_input **in);

#endif
