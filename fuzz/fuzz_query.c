/* fuzz_query.c — libFuzzer target for the store's query layer
 * (src/store/query.c: filters to SQL, the full-text query translation,
 * cursors, counts, one event) and the row writers (src/out/rows.c).
 *
 * Set-up, once: a SQLite store in a temporary directory with a few coded
 * documents. Each input is split at newlines into the text filters of an
 * sr_query (since, until, actor, source, target, cameo, plover, modality,
 * attributed, place, issue, text, doc, after); its first bytes also pick
 * the numeric ones. The query must either fail with SR_USAGE (a bad value)
 * or succeed, every row it returns must be well-formed and must write in
 * every format; nothing may crash or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_query: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                \
            abort();                                                       \
        }                                                                  \
    } while (0)

static sr_store *store;
static FILE *devnull;

static const char *const DOCS[][2] = {
    {"a", "Russian forces shelled Kharkiv on March 3, the regional governor said."},
    {"b", "Putin rejected the proposal for a 30-day ceasefire, Reuters reported."},
    {"c", "Ukraine and Russia exchanged 246 prisoners in Istanbul on Tuesday."},
};

static void setup(void)
{
    char dir[] = "/tmp/fuzz_query.XXXXXX";
    CHECK(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/store.db", dir);
    sr_err err;
    sr_dict *dict;
    CHECK(sr_dict_open(SR_DICT_DIR, &dict, &err) == SR_OK);
    CHECK(sr_store_open(path, 0, &store, &err) == SR_OK);
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        sr_doc_meta meta = {.id = DOCS[i][0], .published = "2025-03-05", .source = "wire"};
        sr_doc *doc;
        sr_events *ev;
        CHECK(sr_doc_new(&meta, DOCS[i][1], strlen(DOCS[i][1]), 0, dict, &doc, &err) == SR_OK);
        CHECK(sr_code_doc(dict, doc, 0, &ev, &err) == SR_OK);
        CHECK(sr_store_put(store, doc, ev, NULL, &err) == SR_OK);
        sr_events_free(ev);
        sr_doc_free(doc);
    }
    sr_dict_free(dict);
    devnull = fopen("/dev/null", "w");
    CHECK(devnull);
}

typedef struct {
    long rows;
} seen;

static int on_row(void *ud, const sr_event_row *r)
{
    seen *s = ud;
    CHECK(r->event_id && strlen(r->event_id) == 16);
    CHECK(r->cameo && r->root && !strncmp(r->cameo, r->root, 2));
    CHECK(r->num_mentions >= r->num_articles && r->num_articles >= 1);
    CHECK(r->cursor && strchr(r->cursor, '|'));
    static const char *const F[] = {"table", "jsonl", "csv", "gdelt", "hxl"};
    for (size_t i = 0; i < 5; i++) {
        sr_rows_writer *w;
        CHECK(sr_rows_writer_new(F[i], devnull, &w, NULL) == SR_OK);
        CHECK(sr_rows_write(w, r) == SR_OK);
        CHECK(sr_rows_writer_finish(w, NULL) == SR_OK);
    }
    s->rows++;
    return 0;
}

static int on_count(void *ud, const char *key, long n)
{
    (void)ud;
    (void)key;
    CHECK(n > 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    if (size < 4 || size > 4096)
        return 0;
    sr_query q = {0};
    q.quad = data[0] % 6;               /* 5 is out of range */
    q.negated = (int)(data[1] % 3) - 1;
    q.near = data[2] & 1;
    q.lat = (double)(int8_t)data[2] * 0.8;
    q.lon = (double)(int8_t)data[3] * 1.5;
    q.radius_km = (double)data[3] * 10.0 - 5.0; /* some are invalid */
    q.limit = data[1] & 7;
    char *text = malloc(size - 3);
    memcpy(text, data + 4, size - 4);
    text[size - 4] = 0;
    const char **fields[] = {&q.since, &q.until, &q.actor, &q.source_actor, &q.target_actor,
                             &q.cameo, &q.plover, &q.modality, &q.attributed, &q.place,
                             &q.issue, &q.text, &q.doc, &q.after};
    char *p = text;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && p; i++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        *fields[i] = *p ? p : NULL;
        p = nl ? nl + 1 : NULL;
    }
    sr_err err;
    seen s = {0};
    int rc = sr_store_query(store, &q, on_row, &s, &err);
    CHECK(rc == SR_OK || rc == SR_USAGE || rc == SR_IO);
    if (rc == SR_OK && q.limit > 0)
        CHECK(s.rows <= q.limit);
    rc = sr_store_stats(store, &q, "day", on_count, NULL, &err);
    CHECK(rc == SR_OK || rc == SR_USAGE || rc == SR_IO);
    char *json = NULL;
    rc = sr_store_event_json(store, q.actor ? q.actor : "", &json, &err);
    CHECK(rc == SR_OK || rc == SR_DONE || rc == SR_IO);
    free(json);
    free(text);
    return 0;
}
