/* db.c — dispatches the driver interface of db.h to a backend: a
 * postgresql:// URL goes to db_pg.c, anything else to db_sqlite.c. */
#include "db_impl.h"

#include <string.h>

int sr_db_open(const char *target, unsigned flags, sr_db **out, sr_err *err)
{
    *out = NULL;
    if (!target || !*target)
        return sr_err_set(err, SR_USAGE, "", 0, "no database given");
    if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11))
        return sr_pg_open(target, flags, out, err);
    return sr_sqlite_open(target, flags, out, err);
}

void sr_db_close(sr_db *db)
{
    if (db)
        db->ops->close(db);
}

int sr_db_kind(const sr_db *db) { return db->kind; }
const char *sr_db_name(const sr_db *db) { return db->name; }
int sr_db_exec(sr_db *db, const char *sql, sr_err *err) { return db->ops->exec(db, sql, err); }
int sr_db_begin(sr_db *db, sr_err *err) { return db->ops->begin(db, err); }
int sr_db_commit(sr_db *db, sr_err *err) { return db->ops->commit(db, err); }
int sr_db_rollback(sr_db *db) { return db->ops->rollback(db); }

int sr_db_prepare(sr_db *db, const char *sql, sr_stmt **out, sr_err *err)
{
    return db->ops->prepare(db, sql, out, err);
}

void sr_stmt_bind_text(sr_stmt *st, int i, const char *s)
{
    st->ops->bind_textn(st, i, s, s ? strlen(s) : 0);
}
void sr_stmt_bind_textn(sr_stmt *st, int i, const char *s, size_t n) { st->ops->bind_textn(st, i, s, n); }
void sr_stmt_bind_ref(sr_stmt *st, int i, const char *s, size_t n) { st->ops->bind_ref(st, i, s, n); }
void sr_stmt_bind_int(sr_stmt *st, int i, int64_t v) { st->ops->bind_int(st, i, v); }
void sr_stmt_bind_double(sr_stmt *st, int i, double v) { st->ops->bind_double(st, i, v); }
void sr_stmt_bind_null(sr_stmt *st, int i) { st->ops->bind_null(st, i); }
int sr_stmt_step(sr_stmt *st, sr_err *err) { return st->ops->step(st, err); }
void sr_stmt_reset(sr_stmt *st) { st->ops->reset(st); }

void sr_stmt_free(sr_stmt *st)
{
    if (st)
        st->ops->free_stmt(st);
}

int sr_stmt_ncols(const sr_stmt *st) { return st->ops->ncols(st); }
int sr_stmt_isnull(const sr_stmt *st, int col) { return st->ops->isnull(st, col); }
const char *sr_stmt_text(const sr_stmt *st, int col) { return st->ops->text(st, col); }
int64_t sr_stmt_int(const sr_stmt *st, int col) { return st->ops->get_int(st, col); }
double sr_stmt_double(const sr_stmt *st, int col) { return st->ops->get_double(st, col); }
int64_t sr_db_inserted_id(sr_db *db) { return db->ops->inserted_id(db); }
