/* db_sqlite.c — the SQLite backend of db.h: the default store, one file.
 *
 * The file runs in WAL mode with synchronous=NORMAL: a killed process never
 * leaves a half-written transaction (the write-ahead log is replayed or
 * discarded on the next open), and readers never block the writer, which
 * `sitrep serve` will need. Two writers queue on the lock for up to the
 * busy timeout instead of failing at once.
 *
 * A writing connection checkpoints in the background (sq_ckpt): copying
 * the log into the database ends with two waits for the disk, which
 * SQLite's automatic checkpoint makes inside a commit, stalling ingest for
 * about a third of its time. */
#include "db_impl.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* $SITREP_SQL_PROFILE=1: time spent in each statement, printed on close
 * (a developer's aid for tuning ingest and queries). */
typedef struct {
    char *sql;
    uint64_t ns, runs;
} sq_prof;

/* The checkpointer of a writing connection: a thread with a connection of
 * its own that copies the log into the database (a PASSIVE checkpoint,
 * which runs beside the writer) when a commit has made the log longer
 * than CKPT_FRAMES pages. Copying 64 MB at a time, not SQLite's 4 MB,
 * copies once the pages that several commits rewrote (index pages, the
 * ends of tables). If it falls behind and the log passes CKPT_LIMIT
 * pages, commits wait for it: the log starts over only once all of it is
 * copied, and in a long log every page look-up is slower. */
#define CKPT_FRAMES 16384  /* 64 MB of 4 KB pages */
#define CKPT_LIMIT 131072  /* 512 MB */

typedef struct {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    sqlite3 *h;  /* its connection, used by the thread only */
    int running; /* the thread was started */
    int failed;  /* it could not be: commits checkpoint themselves */
    int work;    /* a commit asked for a checkpoint */
    int busy;    /* one is running */
    int stop;    /* the connection is closing */
    int frames;  /* the log's length after the last commit, in pages */
} sq_ckpt;

typedef struct {
    struct sr_db base;
    sqlite3 *h;
    sq_prof *prof;
    size_t nprof, capprof;
    sq_ckpt ck;
} sq_db;

static int sq_trace(unsigned type, void *ud, void *p, void *x)
{
    sq_db *db = ud;
    if (type != SQLITE_TRACE_PROFILE)
        return 0;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (!sql)
        return 0;
    size_t i = 0;
    while (i < db->nprof && strcmp(db->prof[i].sql, sql))
        i++;
    if (i == db->nprof) {
        SR_GROW(db->prof, db->capprof, db->nprof + 1);
        db->prof[db->nprof++] = (sq_prof){sr_xstrdup(sql), 0, 0};
    }
    db->prof[i].ns += *(sqlite3_int64 *)x;
    db->prof[i].runs++;
    return 0;
}

typedef struct {
    struct sr_stmt base;
    sqlite3_stmt *h;
    /* cppcheck-suppress unusedStructMember ; used through SQS() */
    int used; /* bound or stepped since the last reset */
} sq_stmt;

#define SQ(db) ((sq_db *)(db))
#define SQS(st) ((sq_stmt *)(st))

/* Fills err from the connection's last error, in words a user can act on. */
static int sq_fail(sr_db *db, int rc, sr_err *err)
{
    sqlite3 *h = SQ(db)->h;
    int code = rc & 0xff;
    const char *why = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
    switch (code) {
    case SQLITE_NOTADB:
        return sr_err_set(err, SR_IO, db->name, 0,
                          "not a SQLite database (give another --db, or remove the file)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return sr_err_set(err, SR_IO, db->name, 0,
                          "database is locked by another process (%s); try again when it is done", why);
    case SQLITE_READONLY:
        return sr_err_set(err, SR_IO, db->name, 0, "database is read-only: %s", why);
    case SQLITE_FULL:
        return sr_err_set(err, SR_IO, db->name, 0, "disk full: %s", why);
    case SQLITE_CANTOPEN:
        return sr_err_set(err, SR_IO, db->name, 0, "cannot open database: %s", why);
    case SQLITE_CORRUPT:
        return sr_err_set(err, SR_IO, db->name, 0, "database is corrupt: %s", why);
    default:
        return sr_err_set(err, SR_IO, db->name, 0, "%s", why);
    }
}

static void *ckpt_main(void *arg)
{
    sq_ckpt *ck = arg;
    pthread_mutex_lock(&ck->mu);
    for (;;) {
        while (!ck->work && !ck->stop)
            pthread_cond_wait(&ck->cv, &ck->mu);
        if (ck->stop)
            break;
        ck->work = 0;
        ck->busy = 1;
        pthread_mutex_unlock(&ck->mu);
        /* an error (a busy lock, a full disk) leaves the log to the next
         * checkpoint, or to the one the last connection makes on close */
        sqlite3_wal_checkpoint_v2(ck->h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&ck->mu);
        ck->busy = 0;
        pthread_cond_broadcast(&ck->cv);
    }
    pthread_mutex_unlock(&ck->mu);
    return NULL;
}

static int ckpt_start(sq_db *db)
{
    sq_ckpt *ck = &db->ck;
    int rc = sqlite3_open_v2(db->base.name, &ck->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    /* a connection uses the log only once it has read the database: until
     * then a checkpoint does nothing (and says so only by a log of -1) */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(ck->h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(ck->h, 1000);
        pthread_mutex_init(&ck->mu, NULL);
        pthread_cond_init(&ck->cv, NULL);
        if (pthread_create(&ck->th, NULL, ckpt_main, ck) == 0) {
            ck->running = 1;
            return 1;
        }
        pthread_cond_destroy(&ck->cv);
        pthread_mutex_destroy(&ck->mu);
    }
    sqlite3_close_v2(ck->h);
    ck->h = NULL;
    ck->failed = 1;
    return 0;
}

/* Called by SQLite after each commit with the log's length in pages. */
static int sq_wal_hook(void *ud, sqlite3 *h, const char *name, int frames)
{
    sq_db *db = ud;
    sq_ckpt *ck = &db->ck;
    if (frames < CKPT_FRAMES)
        return SQLITE_OK;
    if (!ck->running && (ck->failed || !ckpt_start(db))) {
        /* no thread: checkpoint here, as SQLite would have */
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    pthread_mutex_lock(&ck->mu);
    ck->work = 1;
    ck->frames = frames;
    pthread_cond_broadcast(&ck->cv);
    pthread_mutex_unlock(&ck->mu);
    return SQLITE_OK;
}

/* Before a write transaction: if the log is over its limit, waits until
 * the checkpointer has copied all of it. The log starts over at a commit
 * only if the transaction began with nothing left to copy, and the writer
 * begins its next batch as soon as the last one committed, while the
 * checkpoint of that one still runs: the log would grow for ever. The
 * writer's own checkpoint then finds nothing to copy, but without it the
 * log did not start over (SQLite 3.40). */
static void ckpt_wait(sq_db *db)
{
    sq_ckpt *ck = &db->ck;
    if (!ck->running)
        return;
    pthread_mutex_lock(&ck->mu);
    int full = ck->frames >= CKPT_LIMIT;
    if (full) {
        while (ck->work || ck->busy)
            pthread_cond_wait(&ck->cv, &ck->mu);
        ck->frames = 0;
    }
    pthread_mutex_unlock(&ck->mu);
    if (full)
        sqlite3_wal_checkpoint_v2(db->h, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static void ckpt_stop(sq_ckpt *ck)
{
    if (!ck->running)
        return;
    pthread_mutex_lock(&ck->mu);
    ck->stop = 1;
    pthread_cond_broadcast(&ck->cv);
    pthread_mutex_unlock(&ck->mu);
    pthread_join(ck->th, NULL);
    pthread_cond_destroy(&ck->cv);
    pthread_mutex_destroy(&ck->mu);
    sqlite3_close_v2(ck->h);
    ck->running = 0;
}

static void sq_close(sr_db *db)
{
    sq_db *q = SQ(db);
    /* the checkpointer's connection closes first: closing the last one
     * checkpoints what is left and removes the log */
    ckpt_stop(&q->ck);
    for (size_t i = 0; i < q->nprof; i++) {
        fprintf(stderr, "sql-profile %8.3f s %9llu runs  %.100s\n", (double)q->prof[i].ns / 1e9,
                (unsigned long long)q->prof[i].runs, q->prof[i].sql);
        free(q->prof[i].sql);
    }
    free(q->prof);
    sqlite3_close_v2(q->h);
    free(db);
}

static int sq_exec(sr_db *db, const char *sql, sr_err *err)
{
    int rc = sqlite3_exec(SQ(db)->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SR_OK : sq_fail(db, rc, err);
}

static void ckpt_wait(sq_db *db);

static int sq_begin(sr_db *db, sr_err *err)
{
    ckpt_wait(SQ(db));
    return sq_exec(db, "BEGIN IMMEDIATE", err);
}
static int sq_commit(sr_db *db, sr_err *err) { return sq_exec(db, "COMMIT", err); }

static int sq_rollback(sr_db *db)
{
    if (!sqlite3_get_autocommit(SQ(db)->h))
        sqlite3_exec(SQ(db)->h, "ROLLBACK", NULL, NULL, NULL);
    return SR_OK;
}

static const sr_db_ops SQ_OPS;

static int sq_prepare(sr_db *db, const char *sql, sr_stmt **out, sr_err *err)
{
    sqlite3_stmt *h;
    int rc = sqlite3_prepare_v3(SQ(db)->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return sq_fail(db, rc, err);
    }
    sq_stmt *st = sr_xcalloc(1, sizeof *st);
    st->base.ops = &SQ_OPS;
    st->base.db = db;
    st->h = h;
    *out = &st->base;
    return SR_OK;
}

static void sq_bind_textn(sr_stmt *st, int i, const char *s, size_t n)
{
    SQS(st)->used = 1;
    if (s)
        sqlite3_bind_text(SQS(st)->h, i, s, (int)n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(SQS(st)->h, i);
}
static void sq_bind_ref(sr_stmt *st, int i, const char *s, size_t n)
{
    SQS(st)->used = 1;
    if (s)
        sqlite3_bind_text(SQS(st)->h, i, s, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_null(SQS(st)->h, i);
}
static void sq_bind_int(sr_stmt *st, int i, int64_t v)
{
    SQS(st)->used = 1;
    sqlite3_bind_int64(SQS(st)->h, i, v);
}
static void sq_bind_double(sr_stmt *st, int i, double v)
{
    SQS(st)->used = 1;
    sqlite3_bind_double(SQS(st)->h, i, v);
}
static void sq_bind_null(sr_stmt *st, int i)
{
    SQS(st)->used = 1;
    sqlite3_bind_null(SQS(st)->h, i);
}

static int sq_step(sr_stmt *st, sr_err *err)
{
    SQS(st)->used = 1;
    int rc = sqlite3_step(SQS(st)->h);
    if (rc == SQLITE_ROW)
        return SR_OK;
    if (rc == SQLITE_DONE)
        return SR_DONE;
    return sq_fail(st->db, rc, err);
}

/* Statements are reset after each use and again before the next (the
 * callers do both); the second costs nothing. */
static void sq_reset(sr_stmt *st)
{
    if (!SQS(st)->used)
        return;
    sqlite3_reset(SQS(st)->h);
    sqlite3_clear_bindings(SQS(st)->h);
    SQS(st)->used = 0;
}

static void sq_free_stmt(sr_stmt *st)
{
    sqlite3_finalize(SQS(st)->h);
    free(st);
}

static int sq_ncols(const sr_stmt *st) { return sqlite3_column_count(SQS(st)->h); }
static int sq_isnull(const sr_stmt *st, int c) { return sqlite3_column_type(SQS(st)->h, c) == SQLITE_NULL; }
static const char *sq_text(const sr_stmt *st, int c) { return (const char *)sqlite3_column_text(SQS(st)->h, c); }
static int64_t sq_int(const sr_stmt *st, int c) { return sqlite3_column_int64(SQS(st)->h, c); }
static double sq_double(const sr_stmt *st, int c) { return sqlite3_column_double(SQS(st)->h, c); }

static int64_t sq_inserted_id(sr_db *db)
{
    return sqlite3_changes(SQ(db)->h) > 0 ? (int64_t)sqlite3_last_insert_rowid(SQ(db)->h) : -1;
}

static const sr_db_ops SQ_OPS = {
    sq_close, sq_exec, sq_begin, sq_commit, sq_rollback, sq_prepare,
    sq_bind_textn, sq_bind_ref, sq_bind_int, sq_bind_double, sq_bind_null, sq_step, sq_reset,
    sq_free_stmt, sq_ncols, sq_isnull, sq_text, sq_int, sq_double, sq_inserted_id,
};

int sr_sqlite_open(const char *path, unsigned flags, sr_db **out, sr_err *err)
{
    *out = NULL;
    sq_db *db = sr_xcalloc(1, sizeof *db);
    db->base.ops = &SQ_OPS;
    db->base.kind = SR_DB_SQLITE;
    snprintf(db->base.name, sizeof db->base.name, "%s", path);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        free(db);
        return sr_err_set(err, SR_IO, path, 0, "is a directory, not a database file");
    }
    int ro = (flags & SR_DB_READONLY) != 0;
    if (ro && stat(path, &sb) != 0) {
        free(db);
        return sr_err_set(err, SR_IO, path, 0, "no such database (run `sitrep ingest --db %s` first)", path);
    }
    /* a connection is used by one thread at a time: no per-call mutex */
    int oflags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                 SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db->h, oflags, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(&db->base, rc, err);
        sq_close(&db->base);
        return err ? err->code : SR_IO;
    }
    sqlite3_extended_result_codes(db->h, 1);
    const char *prof = getenv("SITREP_SQL_PROFILE");
    if (prof && *prof && *prof != '0')
        sqlite3_trace_v2(db->h, SQLITE_TRACE_PROFILE, sq_trace, db);
    /* how long to wait for another writer: $SITREP_LOCK_TIMEOUT_MS, 10 s */
    const char *lt = getenv("SITREP_LOCK_TIMEOUT_MS");
    sqlite3_busy_timeout(db->h, lt && atoi(lt) >= 0 ? atoi(lt) : 10000);
    /* Reading the header here turns "not a database" into an error now
     * rather than at the first query. */
    rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc == SQLITE_OK && !ro)
        rc = sqlite3_exec(db->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db->h, "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;", NULL, NULL,
                          NULL);
    if (ro && ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_CANTOPEN)) {
        /* A WAL database needs its -shm file, which a reader without write
         * access to the directory cannot create: read it as an immutable
         * snapshot instead (such a reader could not see new writes anyway
         * without that file). */
        sqlite3_close_v2(db->h);
        db->h = NULL;
        sr_buf uri = {0};
        sr_buf_puts(&uri, "file:");
        for (const char *p = path; *p; p++) {
            if (*p == '?' || *p == '#' || *p == '%')
                sr_buf_printf(&uri, "%%%02X", (unsigned char)*p);
            else
                sr_buf_putc(&uri, *p);
        }
        sr_buf_puts(&uri, "?immutable=1");
        rc = sqlite3_open_v2(uri.p, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             NULL);
        sr_buf_free(&uri);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        sq_fail(&db->base, rc, err);
        sq_close(&db->base);
        return err ? err->code : SR_IO;
    }
    if (!ro && sqlite3_db_readonly(db->h, "main") == 1) {
        sq_close(&db->base);
        return sr_err_set(err, SR_IO, path, 0, "database is read-only (no write permission)");
    }
    /* replaces SQLite's own checkpoints after commits (sq_ckpt) */
    if (!ro)
        sqlite3_wal_hook(db->h, sq_wal_hook, db);
    *out = &db->base;
    return SR_OK;
}
