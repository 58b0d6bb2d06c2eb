/* sitrep.h — the public interface of libsitrep.
 *
 * libsitrep turns news text into sourced, dated CAMEO/PLOVER event records.
 * The pipeline is: input (files, HTML, JSONL) -> normalised document text ->
 * sentences and tokens -> dictionary-driven coding -> JSON Lines.
 *
 * Conventions (see docs/ARCHITECTURE.md):
 *  - every call returns an int status, SR_OK (0) on success; details go into a
 *    caller-provided sr_err, which names the input file and line where known;
 *  - objects are opaque; _new/_open allocate, _free releases and accepts NULL;
 *  - the library never prints and never exits (out-of-memory aside);
 *  - a loaded sr_dict is read-only and may be shared by many threads.
 *
 * Licensed under the MIT License (see LICENSE).
 */
#ifndef SITREP_H
#define SITREP_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SR_API __attribute__((visibility("default")))
#else
#define SR_API
#endif

#define SR_VERSION "0.1.0"

/* Status codes: one list gives the enum and sr_strerror(). */
#define SR_STATUS_MAP(X)                                   \
    X(OK, "ok")                                            \
    X(DONE, "no more items")                               \
    X(NOMEM, "out of memory")                              \
    X(IO, "input/output error")                            \
    X(PARSE, "malformed input")                            \
    X(DICT, "invalid dictionary")                          \
    X(USAGE, "invalid argument")                           \
    X(TOOBIG, "input too large")

typedef enum {
#define SR_STATUS_ENUM(name, text) SR_##name,
    SR_STATUS_MAP(SR_STATUS_ENUM)
#undef SR_STATUS_ENUM
} sr_status;

SR_API const char *sr_strerror(int status);

/* Error detail: filled by the call that failed. path and line name the
 * offending input ("dict/verbs/war.txt", 112); line 0 means unknown. */
typedef struct sr_err {
    int code;           /* an sr_status */
    long line;          /* 1-based line in path, 0 if not applicable */
    char path[512];     /* file (or document id) the error is about, may be "" */
    char msg[512];      /* human-readable reason, no trailing newline */
} sr_err;

/* Formats "path:line: msg" (or the parts that are known) into buf. */
SR_API const char *sr_err_format(const sr_err *err, char *buf, size_t size);

/* ---- Dictionaries ------------------------------------------------------ */

typedef struct sr_dict sr_dict;

/* Loads and validates every dictionary under dir (see docs/DICTIONARIES.md).
 * On failure returns SR_DICT with err naming file:line. Caller frees with
 * sr_dict_free. The result is immutable and thread-safe to share. */
SR_API int sr_dict_open(const char *dir, sr_dict **out, sr_err *err);
SR_API void sr_dict_free(sr_dict *dict);
/* Attaches the gazetteer index (places) to a dictionary, so that coded
 * events get locations. path NULL opens $SITREP_GAZETTEER or the index
 * built with sitrep. A missing or corrupt index is an error naming it. */
SR_API int sr_dict_load_places(sr_dict *dict, const char *path, sr_err *err);
/* Counts of loaded entries, for `sitrep dict check`. kind is one of
 * "actors", "agents", "verbs", "issues", "boilerplate", "cameo". */
SR_API size_t sr_dict_count(const sr_dict *dict, const char *kind);

/* ---- Documents --------------------------------------------------------- */

typedef struct sr_doc sr_doc;

/* Document metadata as given by the input; all optional except id. */
typedef struct sr_doc_meta {
    const char *id;         /* required */
    const char *published;  /* "YYYY-MM-DD" or RFC 3339, or NULL */
    const char *url;
    const char *source;     /* outlet */
    const char *title;
    const char *origin;     /* "FILE" or "FILE:LINE", for messages */
} sr_doc_meta;

/* Builds a document from raw bytes. is_html selects the HTML parser.
 * Invalid UTF-8 is repaired (each repair is recorded as a warning);
 * typography is normalised and boilerplate removed with dict's rules
 * (dict may be NULL: no boilerplate removal). Caller frees with sr_doc_free. */
SR_API int sr_doc_new(const sr_doc_meta *meta, const char *bytes, size_t len,
                      int is_html, const sr_dict *dict, sr_doc **out,
                      sr_err *err);
SR_API void sr_doc_free(sr_doc *doc);
SR_API const char *sr_doc_id(const sr_doc *doc);
SR_API const char *sr_doc_text(const sr_doc *doc, size_t *len);
SR_API const char *sr_doc_published(const sr_doc *doc); /* NULL if none */
/* Sets the date used when the document carries none. */
SR_API int sr_doc_set_default_date(sr_doc *doc, const char *yyyy_mm_dd);
SR_API size_t sr_doc_warning_count(const sr_doc *doc);
SR_API const char *sr_doc_warning(const sr_doc *doc, size_t i);

/* ---- Inputs: paths to documents ---------------------------------------- */

typedef struct sr_input sr_input;

/* Opens paths for reading: .txt, .html/.htm, .jsonl files, directories
 * (every supported file, sorted by name) and "-" (JSONL on stdin).
 * A missing path is reported by sr_input_next, not here. */
SR_API int sr_input_open(const char *const *paths, size_t npaths,
                         const sr_dict *dict, sr_input **out, sr_err *err);
/* The same for a JSONL feed already open as a stream (a request body, a
 * pipe): f is read to its end but not closed; name is used in messages
 * ("NAME:LINE: reason"). */
SR_API int sr_input_open_stream(FILE *f, const char *name, const sr_dict *dict,
                                sr_input **out, sr_err *err);
/* Returns SR_OK with *doc set (caller frees), SR_DONE at the end, or an
 * error status for one unreadable item (err says which FILE:LINE); the
 * caller may call again to continue with the next item. */
SR_API int sr_input_next(sr_input *in, sr_doc **doc, sr_err *err);
SR_API void sr_input_free(sr_input *in);

/* The same in two steps, for parallel readers: sr_input_next_item reads one
 * raw item (a file, or one JSONL line) on the reading thread; sr_item_doc
 * parses it into a document on any thread (its errors name FILE:LINE). */
typedef struct sr_item sr_item;
SR_API int sr_input_next_item(sr_input *in, sr_item **item, sr_err *err);
SR_API int sr_item_doc(const sr_item *item, sr_doc **doc, sr_err *err);
SR_API void sr_item_free(sr_item *item);

/* ---- Coding ------------------------------------------------------------ */

typedef struct sr_events sr_events;

/* Flags for sr_code_doc. */
#define SR_CODE_SPECULATION 1u /* also emit events an analyst only assesses
                                  ("ISW assesses that ...", "likely"); by default
                                  speculation is left out, never coded as fact */

/* Codes one document into events. The events borrow the document's text:
 * write them before sr_doc_free. Caller frees with sr_events_free. */
SR_API int sr_code_doc(const sr_dict *dict, const sr_doc *doc, unsigned flags,
                       sr_events **out, sr_err *err);
SR_API size_t sr_events_count(const sr_events *ev);
SR_API size_t sr_events_sentence_count(const sr_events *ev);
/* Writes the events as JSON Lines (docs/OUTPUT.md) to f. */
SR_API int sr_events_write_jsonl(const sr_events *ev, FILE *f, sr_err *err);
/* The same, appended to a malloc'd buffer (*buf, *len); caller frees *buf. */
SR_API int sr_events_to_jsonl(const sr_events *ev, char **buf, size_t *len,
                              sr_err *err);
SR_API void sr_events_free(sr_events *ev);

/* ---- The store: coded documents kept and queried ---------------------- */

typedef struct sr_store sr_store;

#define SR_STORE_READONLY 1u /* queries only: no migration, no writes */

/* Opens a store: target is a SQLite file path (created if missing unless
 * READONLY) or a postgresql:// URL. Migrates an older schema; refuses a
 * newer one, a file that is not a database and a database that is not a
 * sitrep store, with err naming the target. */
SR_API int sr_store_open(const char *target, unsigned flags, sr_store **out, sr_err *err);
SR_API void sr_store_close(sr_store *st);
/* "sqlite" or "postgresql". */
SR_API const char *sr_store_backend(const sr_store *st);

/* Batches: puts between begin and commit land together or not at all (a
 * killed process leaves no half-stored document). A put outside a batch is
 * its own transaction. On any error, roll back: the batch is lost whole. */
SR_API int sr_store_begin(sr_store *st, sr_err *err);
SR_API int sr_store_commit(sr_store *st, sr_err *err);
SR_API void sr_store_rollback(sr_store *st);

/* What sr_store_put did with a document. */
enum { SR_PUT_NEW = 1, SR_PUT_CHANGED, SR_PUT_UNCHANGED };

/* Stores a coded document: its text and metadata, the sentences that carry
 * events, every event as a mention, clustered with the mentions of the same
 * event already stored (docs/STORE.md). The same document again stores
 * nothing; a changed one (same id, other content) replaces its old
 * mentions. *outcome (may be NULL) says which. */
SR_API int sr_store_put(sr_store *st, const sr_doc *doc, const sr_events *ev, int *outcome,
                        sr_err *err);

/* The work queue: enqueue stores a document to be coded later (replacing
 * a queued one with the same id); claim, inside a batch, takes up to max
 * queued documents that no other worker holds (PostgreSQL: FOR UPDATE SKIP
 * LOCKED) and removes them from the queue when the batch commits. */
SR_API int sr_store_enqueue(sr_store *st, const sr_doc *doc, sr_err *err);
SR_API int sr_store_claim(sr_store *st, size_t max, const sr_dict *dict, sr_doc ***docs,
                          size_t *n, sr_err *err);

/* Filters of a query; zero/NULL fields do not filter. */
typedef struct sr_query {
    const char *since, *until;  /* event dates, YYYY-MM-DD, inclusive */
    const char *actor;          /* either side: actor code prefix ("RUS", "RUSMIL"),
                                   country, organisation, or words of its name */
    const char *source_actor, *target_actor; /* the same, one side only */
    const char *cameo;          /* code or prefix: "19" (root), "190", "0871" */
    int quad;                   /* quad class 1-4, 0 = any */
    const char *plover;         /* PLOVER type, e.g. "ASSAULT" */
    const char *modality;       /* asserted, reported, assessed, intended, hypothetical */
    int negated;                /* -1 any, 0 not negated, 1 negated */
    const char *attributed;     /* a mention attributed to this source (words of it),
                                   or "anonymous" */
    const char *place;          /* place name, admin1 or country code */
    int near;                   /* 1: within radius_km of lat, lon */
    double lat, lon, radius_km;
    const char *issue;          /* issue tag, e.g. "ceasefire" */
    const char *text;           /* full-text query over the sentences */
    const char *doc;            /* document id */
    const char *after;          /* cursor from a previous page (sr_event_row.cursor) */
    long limit;                 /* rows at most; 0 = all */
} sr_query;

/* One stored event, as a query returns it; strings are NULL when unknown
 * and valid only during the callback. */
typedef struct sr_event_row {
    const char *event_id;
    const char *date, *date_precision;
    const char *src_code, *src_country, *src_org, *src_name;
    const char *tgt_code, *tgt_country, *tgt_org, *tgt_name;
    const char *cameo, *root;
    int quad_class;
    double goldstein;
    const char *plover, *plover_mode;
    int negated;
    const char *modality;
    const char *issues;         /* comma-separated tags, "" for none */
    const char *place_id, *place_name, *place_country, *admin1, *place_precision;
    int has_coords;
    double lat, lon;
    long num_mentions, num_articles, num_sources;
    const char *doc_id;         /* the first mention's document, sentence, outlet, url */
    const char *sentence;
    const char *outlet, *url;
    const char *attr_by;        /* the first mention's attribution, NULL if none */
    const char *ingested_at;    /* when the first document was stored (UTC) */
    const char *cursor;         /* pass as sr_query.after for the next page */
} sr_event_row;

/* Calls fn for every event matching q, newest first (date, then id); fn
 * returning non-zero stops the query early (not an error). */
SR_API int sr_store_query(sr_store *st, const sr_query *q,
                          int (*fn)(void *ud, const sr_event_row *row), void *ud, sr_err *err);
/* One event with every mention (sentence, document, attribution, why) as a
 * JSON object (docs/STORE.md); *json is malloc'd. SR_DONE if no such id. */
SR_API int sr_store_event_json(sr_store *st, const char *event_id, char **json, sr_err *err);
/* Counts of events matching q grouped by: "day", "root", "pair" (source and
 * target country), "place", "quad"; fn gets each key and count, most
 * frequent first ("day": in date order). */
SR_API int sr_store_stats(sr_store *st, const sr_query *q, const char *by,
                          int (*fn)(void *ud, const char *key, long count), void *ud,
                          sr_err *err);

/* Counts of events matching q per date bucket ("day", or "week" named by
 * its Monday) and key ("quad": quad class 1-4, or "root": CAMEO root), in
 * bucket then key order; undated events are left out. */
SR_API int sr_store_timeline(sr_store *st, const sr_query *q, const char *bucket,
                             const char *by,
                             int (*fn)(void *ud, const char *bucket, const char *key,
                                       long count),
                             void *ud, sr_err *err);

/* Suggestions for filter boxes: stored actors (one per code) whose code,
 * country or a word of a name starts with prefix, and stored places whose
 * name has a word starting with prefix; at most limit (0: 20). Strings are
 * valid only during the callback; fn returning non-zero stops early. */
typedef struct sr_actor_row {
    const char *code, *name, *country, *org;
} sr_actor_row;
typedef struct sr_place_row {
    const char *place_id, *name, *country, *admin1;
    int has_coords;
    double lat, lon;
} sr_place_row;
SR_API int sr_store_actors(sr_store *st, const char *prefix, long limit,
                           int (*fn)(void *ud, const sr_actor_row *a), void *ud, sr_err *err);
SR_API int sr_store_places(sr_store *st, const char *prefix, long limit,
                           int (*fn)(void *ud, const sr_place_row *p), void *ud, sr_err *err);

/* A short string that changes whenever the stored data may have changed
 * (SQLite: the database and WAL files' sizes and modification times;
 * PostgreSQL: the server's WAL position), for caches of query results.
 * Cheap: no table is read. *reuse_ms says for how long a result read after
 * taking this stamp may be served again while the stamp stays the same:
 * -1 without limit, 0 not at all (a commit may be only half visible yet),
 * else milliseconds (PostgreSQL, where visibility trails the WAL). */
SR_API int sr_store_stamp(sr_store *st, char *buf, size_t size, long *reuse_ms, sr_err *err);

/* Writers of event rows: "table" (aligned, for terminals), "jsonl", "csv"
 * (with a header), "gdelt" (GDELT 2.0 event table columns, tab-separated),
 * "hxl" (CSV with an HXL hashtag row). */
typedef struct sr_rows_writer sr_rows_writer;
SR_API int sr_rows_writer_new(const char *format, FILE *f, sr_rows_writer **out, sr_err *err);
SR_API int sr_rows_write(sr_rows_writer *w, const sr_event_row *row);
/* Writes what is pending (the table's footer), flushes, frees; SR_IO if
 * any write failed. */
SR_API int sr_rows_writer_finish(sr_rows_writer *w, sr_err *err);

#ifdef __cplusplus
}
#endif
#endif
