/* db_impl.h — what the two SQL backends share with the dispatcher (db.c):
 * a table of operations and the headers every backend's connection and
 * statement begin with. Only db.c, db_sqlite.c and db_pg.c include this. */
#ifndef SR_DB_IMPL_H
#define SR_DB_IMPL_H

#include "db.h"

typedef struct sr_db_ops {
    void (*close)(sr_db *);
    int (*exec)(sr_db *, const char *sql, sr_err *);
    int (*begin)(sr_db *, sr_err *);
    int (*commit)(sr_db *, sr_err *);
    int (*rollback)(sr_db *);
    int (*prepare)(sr_db *, const char *sql, sr_stmt **, sr_err *);
    void (*bind_textn)(sr_stmt *, int, const char *, size_t); /* s NULL = SQL NULL */
    void (*bind_ref)(sr_stmt *, int, const char *, size_t);   /* not copied */
    void (*bind_int)(sr_stmt *, int, int64_t);
    void (*bind_double)(sr_stmt *, int, double);
    void (*bind_null)(sr_stmt *, int);
    int (*step)(sr_stmt *, sr_err *);
    void (*reset)(sr_stmt *);
    void (*free_stmt)(sr_stmt *);
    int (*ncols)(const sr_stmt *);
    int (*isnull)(const sr_stmt *, int);
    const char *(*text)(const sr_stmt *, int);
    int64_t (*get_int)(const sr_stmt *, int);
    double (*get_double)(const sr_stmt *, int);
    int64_t (*inserted_id)(sr_db *);
} sr_db_ops;

/* Every backend's sr_db and sr_stmt begin with these headers. */
struct sr_db {
    const sr_db_ops *ops;
    int kind;        /* SR_DB_SQLITE or SR_DB_PG */
    char name[512];  /* target for messages, password masked */
};
struct sr_stmt {
    const sr_db_ops *ops;
    sr_db *db;
};

int sr_sqlite_open(const char *path, unsigned flags, sr_db **out, sr_err *err);
int sr_pg_open(const char *url, unsigned flags, sr_db **out, sr_err *err);

#endif
