/* db.h — the SQL driver the store talks to: one small interface, two
 * backends. db_sqlite.c speaks to an embedded SQLite file (the default),
 * db_pg.c to a PostgreSQL server through libpq. Everything above this file
 * (schema.c, store.c, query.c) writes plain SQL once, with '?' placeholders;
 * the PostgreSQL backend renumbers them to $1, $2, ... Where the dialects
 * differ (full-text search, identity columns, row locking) callers ask
 * sr_db_kind and pick the text.
 *
 * Values cross the interface as text, 64-bit integers, doubles or NULL;
 * statements are prepared once and reset between executions. Errors fill
 * sr_err with the target (database file or URL without password) as path.
 */
#ifndef SR_DB_H
#define SR_DB_H

#include "../base/base.h"

#include <stdint.h>

typedef struct sr_db sr_db;
typedef struct sr_stmt sr_stmt;

enum { SR_DB_SQLITE = 1, SR_DB_PG = 2 };

#define SR_DB_READONLY 1u /* open for queries only (no schema changes) */

/* Opens target: "postgresql://..." / "postgres://..." is a PostgreSQL
 * server, anything else a SQLite file path (created unless READONLY). */
int sr_db_open(const char *target, unsigned flags, sr_db **out, sr_err *err);
void sr_db_close(sr_db *db);
int sr_db_kind(const sr_db *db);
/* The target as shown in messages (a URL's password is masked). */
const char *sr_db_name(const sr_db *db);

/* Runs one or more statements without parameters or results. */
int sr_db_exec(sr_db *db, const char *sql, sr_err *err);
/* Transactions. begin takes the write lock up front on SQLite
 * (BEGIN IMMEDIATE), so two writers queue rather than deadlock. */
int sr_db_begin(sr_db *db, sr_err *err);
int sr_db_commit(sr_db *db, sr_err *err);
int sr_db_rollback(sr_db *db); /* best effort; never fails the caller */

int sr_db_prepare(sr_db *db, const char *sql, sr_stmt **out, sr_err *err);
/* Parameters are numbered from 1. A NULL text binds SQL NULL. The text is
 * copied (callers may free it before stepping). */
void sr_stmt_bind_text(sr_stmt *st, int i, const char *s);
void sr_stmt_bind_textn(sr_stmt *st, int i, const char *s, size_t n);
/* The same without a copy on SQLite: s must stay valid and unchanged until
 * the statement is reset (ingest binds some forty values per mention; the
 * copies were a tenth of its time in SQLite). */
void sr_stmt_bind_ref(sr_stmt *st, int i, const char *s, size_t n);
void sr_stmt_bind_int(sr_stmt *st, int i, int64_t v);
void sr_stmt_bind_double(sr_stmt *st, int i, double v);
void sr_stmt_bind_null(sr_stmt *st, int i);
/* Executes (on the first call after binding) and moves to the next row:
 * SR_OK with a row to read, SR_DONE when there are no more rows, or an
 * error status with err filled. */
int sr_stmt_step(sr_stmt *st, sr_err *err);
/* Ends the current execution and clears the bindings for the next one. */
void sr_stmt_reset(sr_stmt *st);
void sr_stmt_free(sr_stmt *st);

/* SQLite: the rowid of the row the last INSERT added, or -1 if the last
 * INSERT, UPDATE or DELETE changed no row (ON CONFLICT DO NOTHING). SQLite
 * runs RETURNING through a temporary table, which made each insert of an
 * event three times as slow. PostgreSQL: always -1 (use RETURNING). */
int64_t sr_db_inserted_id(sr_db *db);

/* Columns of the current row, numbered from 0. text returns NULL for SQL
 * NULL; the pointer is valid until the next step or reset. */
int sr_stmt_ncols(const sr_stmt *st);
int sr_stmt_isnull(const sr_stmt *st, int col);
const char *sr_stmt_text(const sr_stmt *st, int col);
int64_t sr_stmt_int(const sr_stmt *st, int col);
double sr_stmt_double(const sr_stmt *st, int col);

#endif
