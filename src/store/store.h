/* store.h — the store's internal interface, shared by its files:
 *
 *   db.c, db_sqlite.c, db_pg.c   the SQL driver (db.h)
 *   schema.c    versioned schema, migrations applied on open
 *   store.c     sr_store_open/close, ingest (sr_store_put), duplicate
 *               clustering, the work queue (enqueue/claim)
 *   query.c     filters -> parameterised SQL, event rows, show, stats
 *
 * The public API is in include/sitrep.h (sr_store_*). */
#ifndef SR_STORE_H
#define SR_STORE_H

#include "db.h"

/* The newest schema this build knows (schema.c). */
#define SR_SCHEMA_VERSION 4

/* Brings db to the newest schema version (or to $SITREP_SCHEMA_VERSION, a
 * testing aid to create older stores). Creates the schema in an empty
 * database; refuses a database written by a newer sitrep. */
int sr_schema_migrate(sr_db *db, int readonly, int *version, sr_err *err);

/* sentences.fts_day of a sentence whose newest event is dated `days`
 * (days since 1970-01-01); undated sentences have 0, so they sort last.
 * Full-text keys are fts_day << 40 | sentence id (schema.c, version 4). */
#define SR_FTS_DAY0 1048576
#define SR_FTS_ID_BITS 40

/* events.geo_cell: the half-degree cell of a point, row (latitude) times
 * 1000 plus column (longitude); schema.c computes the same in SQL. */
#define SR_GEO_ROW(lat) ((int)floor((lat) * 2) + 180)
#define SR_GEO_COL(lon) ((int)floor((lon) * 2) + 360)
#define SR_GEO_CELL(row, col) ((int64_t)(row) * 1000 + (col))

struct sr_store {
    sr_db *db;
    int version;           /* schema version after migration */
    int readonly;
    int in_batch;          /* inside sr_store_begin .. commit */
    int fts_dirty;         /* sentences stored but not yet in the FTS index */
    /* prepared statements for ingest, made on first use */
    sr_stmt *st[48];
    /* actor names and places already stored by this connection */
    struct sr_seen *seen;
    /* SQLite: the events of the dates being ingested, for clustering
     * without index look-ups (store.c) */
    struct sr_ccache *cache;
    /* count increments of the open batch, written as it commits (store.c) */
    struct sr_pending *pending;
    /* ids of the rules of why lists this connection stored (store.c) */
    struct sr_rulemap *rules;
};

#endif
