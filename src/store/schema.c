/* schema.c — the store's tables, and the migrations that build them.
 *
 * The schema version lives in sitrep_meta('schema_version'). Opening a
 * store applies, in one transaction each, every migration above the stored
 * version, so an older database is upgraded in place; a database whose
 * version is above SR_SCHEMA_VERSION was written by a newer sitrep and is
 * refused (this build would misread it). Each migration has one text per
 * backend where the dialects differ; most DDL is shared, using types both
 * accept (TEXT, INTEGER, BIGINT, DOUBLE PRECISION).
 *
 * Tables (docs/STORE.md has the full description):
 *   documents  one row per document id: metadata, text, content hash
 *   sentences  the sentences that carry events, with byte offsets
 *   events     one row per deduplicated event (cluster of mentions)
 *   mentions   one row per coded event occurrence in a sentence: the
 *              stable mention id, what was coded there, attribution, why
 *   actors     actor codes with every name seen for them
 *   places     the places events were put at
 *   queue      documents waiting for `sitrep worker` (version 3)
 *
 * Version 4 reshaped the tables for ingest speed (docs/STORE.md, "Write
 * path"): events, and on SQLite sentences, have integer keys in insertion
 * order, and mentions point at events by that key, so new rows land at the
 * end of their B-trees instead of at random places in indexes keyed by
 * hashes; the one index left that is keyed by a hash is events(event_id).
 * Its migration rebuilds the tables with their rows intact. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

static const char V1_COMMON[] =
    "CREATE TABLE documents("
    " doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL,"
    " published TEXT, doc_date TEXT, date_source TEXT,"
    " url TEXT, outlet TEXT, source_key TEXT NOT NULL, title TEXT, text TEXT NOT NULL,"
    " num_sentences INTEGER NOT NULL, num_events INTEGER NOT NULL,"
    " ingested_at TEXT NOT NULL);"
    "CREATE TABLE sentences("
    " doc_id TEXT NOT NULL, sent_no INTEGER NOT NULL,"
    " start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT NOT NULL,"
    " PRIMARY KEY(doc_id, sent_no));"
    "CREATE TABLE events("
    " event_id TEXT PRIMARY KEY, cluster_key TEXT NOT NULL, topic_key TEXT,"
    " date TEXT, date_precision TEXT,"
    " src_code TEXT, src_country TEXT, src_org TEXT, src_name TEXT,"
    " tgt_code TEXT, tgt_country TEXT, tgt_org TEXT, tgt_name TEXT,"
    " cameo TEXT NOT NULL, root TEXT NOT NULL, quad_class INTEGER,"
    " goldstein DOUBLE PRECISION, plover TEXT, plover_mode TEXT,"
    " negated INTEGER NOT NULL, modality TEXT NOT NULL, issues TEXT NOT NULL,"
    " place_id TEXT, place_name TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,"
    " place_country TEXT, admin1 TEXT, place_precision TEXT,"
    " num_mentions INTEGER NOT NULL, num_articles INTEGER NOT NULL,"
    " num_sources INTEGER NOT NULL,"
    " first_doc TEXT NOT NULL, first_sent INTEGER NOT NULL);"
    "CREATE INDEX events_date ON events(date, event_id);"
    "CREATE INDEX events_cluster ON events(cluster_key, date);"
    "CREATE INDEX events_topic ON events(topic_key, date);"
    "CREATE INDEX events_lat ON events(lat, lon);"
    "CREATE TABLE mentions("
    " mention_id TEXT PRIMARY KEY, event_id TEXT NOT NULL,"
    " doc_id TEXT NOT NULL, source_key TEXT NOT NULL, sent_no INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, src_name TEXT, tgt_name TEXT, modality TEXT NOT NULL,"
    " negated INTEGER NOT NULL,"
    " attr_by TEXT, attr_anonymous INTEGER, attr_verb TEXT,"
    " cameo TEXT NOT NULL, src_code TEXT, tgt_code TEXT,"
    " date TEXT, date_precision TEXT, why TEXT NOT NULL);"
    "CREATE INDEX mentions_event ON mentions(event_id, source_key, doc_id);"
    "CREATE INDEX mentions_doc ON mentions(doc_id);"
    "CREATE TABLE actors("
    " code TEXT NOT NULL, name TEXT NOT NULL, country TEXT, org TEXT,"
    " PRIMARY KEY(code, name));"
    "CREATE TABLE places("
    " place_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " lat DOUBLE PRECISION, lon DOUBLE PRECISION, country TEXT, admin1 TEXT);";

/* Version 2: full-text search over the sentences that carry events.
 * SQLite: an FTS5 index that reads its text from sentences (external
 * content). Rows are indexed in bulk when a batch commits (store.c,
 * fts_sync), not by an insert trigger: FTS5 flushes its pending terms at
 * the start of every statement that writes to it, and one flush per
 * sentence made ingest four times slower. sitrep_meta('fts_rowid') is the
 * highest sentences rowid indexed; a deleted sentence leaves the index
 * through the trigger. PostgreSQL: a GIN index over the English text
 * search vector, which the query repeats verbatim so the planner uses it. */
static const char V2_SQLITE[] =
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',"
    " content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');"
    "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');"
    "INSERT INTO sitrep_meta VALUES ('fts_rowid',"
    " CAST((SELECT COALESCE(max(rowid), 0) FROM sentences) AS TEXT));"
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences"
    " WHEN old.rowid <= (SELECT CAST(value AS INTEGER) FROM sitrep_meta WHERE key = 'fts_rowid')"
    " BEGIN INSERT INTO sentences_fts(sentences_fts, rowid, text)"
    " VALUES ('delete', old.rowid, old.text); END;";
static const char V2_PG[] =
    "CREATE INDEX sentences_fts ON sentences USING gin (to_tsvector('english', text));";

/* Version 3: the work queue of `sitrep ingest --queue` / `sitrep worker`. */
static const char V3_COMMON[] =
    "CREATE TABLE queue("
    " doc_id TEXT PRIMARY KEY, text TEXT NOT NULL, published TEXT, url TEXT,"
    " outlet TEXT, title TEXT, enqueued_at TEXT NOT NULL);";

/* Version 4. Events get an integer key (SQLite: the old rowid, so the
 * order of insertion is kept); mentions refer to events by that key and
 * lose the unique index on mention_id (unique by construction: a
 * document's mentions are replaced whole); mentions(doc_id, sent_no)
 * resolves a sentence to its events. The 16-hex event_id keeps a unique
 * index on PostgreSQL only. On SQLite that index, keyed by a hash, had a
 * page of its own rewritten by nearly every new event: a batch of 5,000
 * documents wrote all of its 30 MB again. There an event is found by its
 * id through events_date instead, one probe per distinct date (query.c,
 * find_event_id), and ingest checks that a new event's id is free only
 * when a changed document could have made it before (store.c).
 * Clustering needs no index on cluster_key on SQLite (store.c keeps the
 * events of the dates being ingested in memory) but an undated mention
 * still looks its cluster up (events_undated), and PostgreSQL workers
 * keep looking keys up in events_cluster.
 *
 * sentences.fts_day is the date of the newest event the sentence reports
 * (a day number plus SR_FTS_DAY0; 0 when undated): events never change
 * date, so it is fixed when the sentence is stored. On SQLite the
 * full-text index is keyed by fts_key = fts_day << 40 | id, so a query
 * for the newest matches reads a short range of the index instead of
 * every match (query.c, text_window).
 *
 * events.geo_cell is the half-degree cell of the event's place
 * (SR_GEO_CELL in store.h), and events_geo covers what the radius filter
 * needs to choose a page of results: the cells around the point, and in
 * each the coordinates and the order. Ordered by cell, a new event lands
 * at the end of its cell's run, one of some 750 places in the index; an
 * index ordered by coordinates took new events at twice as many places
 * (every town's run), and read every event of the circle's latitudes. */
/* rules: the dictionary rules and entries that mentions' why lists name,
 * each stored once. A mention's why was three quarters of its row, and
 * most of that was these strings and the words of the sentence, which the
 * document keeps (store.c, put_why; query.c, why_expand). */
#define V4_RULES(ID) \
    "CREATE TABLE rules(id " ID ", rule TEXT NOT NULL, entry TEXT NOT NULL," \
    " text TEXT NOT NULL, UNIQUE(rule, entry, text));"

/* columnsize=0: the per-sentence sizes FTS5 keeps only for ranking (bm25),
 * which the store never asks for, cost a row write per sentence. */
static const char V4_SQLITE[] =
    "DROP TRIGGER IF EXISTS sentences_ad;"
    "DROP TABLE IF EXISTS sentences_fts;"
    "CREATE TABLE events_v4("
    " id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, cluster_key TEXT NOT NULL, topic_key TEXT,"
    " date TEXT, date_precision TEXT,"
    " src_code TEXT, src_country TEXT, src_org TEXT, src_name TEXT,"
    " tgt_code TEXT, tgt_country TEXT, tgt_org TEXT, tgt_name TEXT,"
    " cameo TEXT NOT NULL, root TEXT NOT NULL, quad_class INTEGER,"
    " goldstein DOUBLE PRECISION, plover TEXT, plover_mode TEXT,"
    " negated INTEGER NOT NULL, modality TEXT NOT NULL, issues TEXT NOT NULL,"
    " place_id TEXT, place_name TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,"
    " place_country TEXT, admin1 TEXT, place_precision TEXT,"
    " num_mentions INTEGER NOT NULL, num_articles INTEGER NOT NULL,"
    " num_sources INTEGER NOT NULL,"
    " first_doc TEXT NOT NULL, first_sent INTEGER NOT NULL, geo_cell INTEGER);"
    "INSERT INTO events_v4 SELECT rowid, *,"
    " (CAST(floor(lat * 2) AS INTEGER) + 180) * 1000 + CAST(floor(lon * 2) AS INTEGER) + 360"
    " FROM events ORDER BY rowid;"
    "DROP TABLE events;"
    "ALTER TABLE events_v4 RENAME TO events;"
    "CREATE INDEX events_mig ON events(event_id);" /* for the join below only */
    "CREATE TABLE mentions_v4("
    " mention_id TEXT NOT NULL, event INTEGER NOT NULL,"
    " doc_id TEXT NOT NULL, source_key TEXT NOT NULL, sent_no INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, src_name TEXT, tgt_name TEXT, modality TEXT NOT NULL,"
    " negated INTEGER NOT NULL,"
    " attr_by TEXT, attr_anonymous INTEGER, attr_verb TEXT,"
    " cameo TEXT NOT NULL, src_code TEXT, tgt_code TEXT,"
    " date TEXT, date_precision TEXT, why TEXT NOT NULL);"
    "INSERT INTO mentions_v4 SELECT m.mention_id, e.id, m.doc_id, m.source_key, m.sent_no, m.ord,"
    " m.src_name, m.tgt_name, m.modality, m.negated, m.attr_by, m.attr_anonymous, m.attr_verb,"
    " m.cameo, m.src_code, m.tgt_code, m.date, m.date_precision, m.why"
    " FROM mentions m JOIN events e ON e.event_id = m.event_id ORDER BY m.rowid;"
    "DROP TABLE mentions;"
    "ALTER TABLE mentions_v4 RENAME TO mentions;"
    "CREATE INDEX mentions_event ON mentions(event, source_key, doc_id);"
    "CREATE INDEX mentions_doc ON mentions(doc_id, sent_no);"
    /* fts_key is computed, not stored: the FTS5 index takes it as its
     * rowid (content_rowid) */
    "CREATE TABLE sentences_v4("
    " id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, sent_no INTEGER NOT NULL,"
    " start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT NOT NULL,"
    " fts_day INTEGER NOT NULL,"
    " fts_key INTEGER GENERATED ALWAYS AS ((fts_day << 40) | id) VIRTUAL,"
    " UNIQUE(doc_id, sent_no));"
    "INSERT INTO sentences_v4(id, doc_id, sent_no, start_off, end_off, text, fts_day)"
    " SELECT s.rowid, s.doc_id, s.sent_no, s.start_off, s.end_off, s.text,"
    " COALESCE((SELECT CAST(julianday(max(e.date)) - 2440587.5 AS INTEGER) + 1048576"
    "  FROM mentions m JOIN events e ON e.id = m.event"
    "  WHERE m.doc_id = s.doc_id AND m.sent_no = s.sent_no), 0)"
    " FROM sentences s ORDER BY s.rowid;"
    "DROP TABLE sentences;"
    "ALTER TABLE sentences_v4 RENAME TO sentences;"
    "DROP INDEX events_mig;"
    "CREATE INDEX events_date ON events(date, event_id);"
    "DROP INDEX IF EXISTS events_lat;"
    "CREATE INDEX events_geo ON events(geo_cell, date, event_id, lat, lon)"
    " WHERE geo_cell IS NOT NULL;"
    "CREATE INDEX events_topic ON events(topic_key, date) WHERE topic_key IS NOT NULL;"
    "CREATE INDEX events_undated ON events(cluster_key) WHERE date IS NULL;"
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',"
    " content_rowid='fts_key', columnsize=0,"
    " tokenize='porter unicode61 remove_diacritics 2');"
    "INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('hashsize', 16777216);"
    "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');"
    "UPDATE sitrep_meta SET value = CAST((SELECT COALESCE(max(id), 0) FROM sentences) AS TEXT)"
    " WHERE key = 'fts_rowid';"
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences"
    " WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM sitrep_meta WHERE key = 'fts_rowid')"
    " BEGIN INSERT INTO sentences_fts(sentences_fts, rowid, text)"
    " VALUES ('delete', old.fts_key, old.text); END;"
    V4_RULES("INTEGER PRIMARY KEY");

/* PostgreSQL's version 4 changes the tables in place. Its date index
 * follows the order of every query (date DESC NULLS LAST, event_id DESC):
 * the old ascending one could not serve NULLS LAST and left each newest-
 * first page to a sort of every matching event. */
static const char V4_PG[] =
    "ALTER TABLE events ADD COLUMN id BIGINT GENERATED BY DEFAULT AS IDENTITY;"
    "ALTER TABLE events DROP CONSTRAINT events_pkey;"
    "ALTER TABLE events ADD PRIMARY KEY (id);"
    "CREATE UNIQUE INDEX events_id ON events(event_id);"
    "ALTER TABLE mentions ADD COLUMN event BIGINT;"
    "UPDATE mentions m SET event = e.id FROM events e WHERE e.event_id = m.event_id;"
    "DELETE FROM mentions WHERE event IS NULL;"
    "ALTER TABLE mentions ALTER COLUMN event SET NOT NULL;"
    "ALTER TABLE mentions DROP COLUMN event_id;"
    "ALTER TABLE mentions DROP CONSTRAINT mentions_pkey;"
    "CREATE INDEX mentions_event ON mentions(event, source_key, doc_id);"
    "DROP INDEX mentions_doc;"
    "CREATE INDEX mentions_doc ON mentions(doc_id, sent_no);"
    "ALTER TABLE sentences ADD COLUMN fts_day INTEGER NOT NULL DEFAULT 0;"
    "UPDATE sentences s SET fts_day = x.d FROM ("
    " SELECT m.doc_id, m.sent_no, (max(e.date)::date - DATE '1970-01-01') + 1048576 AS d"
    " FROM mentions m JOIN events e ON e.id = m.event WHERE e.date IS NOT NULL"
    " GROUP BY m.doc_id, m.sent_no) x"
    " WHERE s.doc_id = x.doc_id AND s.sent_no = x.sent_no;"
    "ALTER TABLE sentences ALTER COLUMN fts_day DROP DEFAULT;"
    "CREATE INDEX sentences_day ON sentences(fts_day);"
    /* the text search vector stored: a window of recent sentences is
     * matched against it without computing each sentence's vector again
     * (the expression index could not serve a query limited by date) */
    "ALTER TABLE sentences ADD COLUMN tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('english', text)) STORED;"
    "DROP INDEX sentences_fts;"
    "CREATE INDEX sentences_fts ON sentences USING gin (tsv);"
    "DROP INDEX events_date;"
    "CREATE INDEX events_date ON events(date DESC NULLS LAST, event_id DESC);"
    "ALTER TABLE events ADD COLUMN geo_cell INTEGER;"
    "UPDATE events SET geo_cell = (floor(lat * 2)::integer + 180) * 1000"
    " + floor(lon * 2)::integer + 360 WHERE lat IS NOT NULL AND lon IS NOT NULL;"
    "DROP INDEX events_lat;"
    "CREATE INDEX events_geo ON events(geo_cell, date, event_id, lat, lon) INCLUDE (id)"
    " WHERE geo_cell IS NOT NULL;"
    "DROP INDEX events_topic;"
    "CREATE INDEX events_topic ON events(topic_key, date) WHERE topic_key IS NOT NULL;"
    V4_RULES("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");

static const struct {
    int version;
    const char *sqlite, *pg; /* NULL: use the other one */
    const char *what;
} MIGRATIONS[] = {
    {1, V1_COMMON, NULL, "documents, sentences, events, mentions, actors, places"},
    {2, V2_SQLITE, V2_PG, "full-text search over sentences"},
    {3, V3_COMMON, NULL, "work queue"},
    {4, V4_SQLITE, V4_PG, "integer event keys, date-keyed full-text index, covering indexes"},
};

static int read_version(sr_db *db, int *version, int *has_meta, sr_err *err)
{
    *version = 0;
    *has_meta = 0;
    /* PostgreSQL: to_regclass, not information_schema, whose views took
     * several milliseconds of every command's start */
    const char *probe = sr_db_kind(db) == SR_DB_PG
        ? "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          " WHERE c.relname = 'sitrep_meta' AND n.nspname = current_schema() AND c.relkind = 'r'"
        : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sitrep_meta'";
    sr_stmt *st;
    int rc = sr_db_prepare(db, probe, &st, err);
    if (rc)
        return rc;
    rc = sr_stmt_step(st, err);
    if (rc == SR_OK)
        *has_meta = sr_stmt_int(st, 0) > 0;
    sr_stmt_free(st);
    if (rc != SR_OK)
        return rc;
    if (!*has_meta)
        return SR_OK;
    rc = sr_db_prepare(db, "SELECT value FROM sitrep_meta WHERE key = 'schema_version'", &st, err);
    if (rc)
        return rc;
    rc = sr_stmt_step(st, err);
    if (rc == SR_OK)
        *version = atoi(sr_stmt_text(st, 0) ? sr_stmt_text(st, 0) : "0");
    sr_stmt_free(st);
    return rc == SR_DONE || rc == SR_OK ? SR_OK : rc;
}

/* An existing database with tables but no sitrep_meta is someone else's. */
static int foreign_tables(sr_db *db, sr_err *err, int *n)
{
    const char *sql = sr_db_kind(db) == SR_DB_PG
        ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        : "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
    sr_stmt *st;
    int rc = sr_db_prepare(db, sql, &st, err);
    if (rc)
        return rc;
    rc = sr_stmt_step(st, err);
    *n = rc == SR_OK ? (int)sr_stmt_int(st, 0) : 0;
    sr_stmt_free(st);
    return rc == SR_OK ? SR_OK : rc;
}

int sr_schema_migrate(sr_db *db, int readonly, int *version, sr_err *err)
{
    int have, has_meta;
    int rc = read_version(db, &have, &has_meta, err);
    if (rc)
        return rc;
    if (!has_meta) {
        int n;
        if ((rc = foreign_tables(db, err, &n)))
            return rc;
        if (n > 0)
            return sr_err_set(err, SR_IO, sr_db_name(db), 0,
                              "holds %d tables but is not a sitrep store (no sitrep_meta table)", n);
    }
    int want = SR_SCHEMA_VERSION;
    const char *env = getenv("SITREP_SCHEMA_VERSION");
    if (env && atoi(env) >= 1 && atoi(env) < want)
        want = atoi(env);
    if (have > SR_SCHEMA_VERSION)
        return sr_err_set(err, SR_IO, sr_db_name(db), 0,
                          "store has schema version %d, newer than this sitrep understands (%d): "
                          "upgrade sitrep (%s) to read it", have, SR_SCHEMA_VERSION, SR_VERSION);
    *version = have;
    if (have >= want)
        return SR_OK;
    if (readonly) {
        if (have == 0)
            return sr_err_set(err, SR_IO, sr_db_name(db), 0, "not a sitrep store (empty database)");
        /* an older store can still be read: queries check the version */
        return SR_OK;
    }
    if ((rc = sr_db_begin(db, err)))
        return rc;
    /* re-read under the write lock: another process may have migrated */
    if ((rc = read_version(db, &have, &has_meta, err)))
        goto fail;
    if (!has_meta &&
        (rc = sr_db_exec(db, "CREATE TABLE sitrep_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                             "INSERT INTO sitrep_meta VALUES ('schema_version', '0');", err)))
        goto fail;
    for (size_t i = 0; i < SR_ARRAY_LEN(MIGRATIONS); i++) {
        int v = MIGRATIONS[i].version;
        if (v <= have || v > want)
            continue;
        const char *sql = sr_db_kind(db) == SR_DB_PG && MIGRATIONS[i].pg ? MIGRATIONS[i].pg
                                                                          : MIGRATIONS[i].sqlite;
        if ((rc = sr_db_exec(db, sql, err))) {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            sr_err_set(err, rc, sr_db_name(db), 0, "migration to schema version %d (%s) failed: %s",
                       v, MIGRATIONS[i].what, why);
            goto fail;
        }
        char set[96];
        snprintf(set, sizeof set, "UPDATE sitrep_meta SET value = '%d' WHERE key = 'schema_version'", v);
        if ((rc = sr_db_exec(db, set, err)))
            goto fail;
        have = v;
    }
    if ((rc = sr_db_commit(db, err)))
        goto fail;
    *version = have;
    return SR_OK;
fail:
    sr_db_rollback(db);
    return rc;
}
