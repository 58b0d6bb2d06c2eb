/* stamp.c — sr_store_stamp: a cheap "has anything changed?" token for
 * caches of query results (the HTTP server's response cache, src/api/).
 *
 * Why not a counter in a table: a counter must be bumped by every writer,
 * including older sitrep builds and other tools writing the store, and
 * reading it is a query per request. What the database engine already
 * maintains is enough and costs no table read:
 *
 *   SQLite in WAL mode appends every commit to DB-wal (its size or
 *   modification time changes), and a checkpoint rewrites DB itself; so
 *   (size, mtime in ns, inode) of both files changes with every commit.
 *   A checkpoint that truncates the WAL changes DB's mtime too.
 *
 *   PostgreSQL advances its WAL insert position with every write to the
 *   cluster, also to other databases and by vacuum: the stamp changes more
 *   often than needed, never less. (The insert position, not the written
 *   one: with asynchronous commit the WAL is written after the commit.)
 *
 * The stamp may change when the data did not (a cache miss, harmless);
 * it must never stay the same when the data changed. One race remains: a
 * commit's last write lands (the stamp changes) a moment before readers
 * can see it (SQLite updates its shared-memory index after the write;
 * PostgreSQL removes the transaction from its snapshot list after the WAL
 * insert). A result read in that moment is old data under the new stamp.
 * So reuse_ms: SQLite results are not reused while either file changed in
 * the last SETTLE_MS; PostgreSQL results only for REUSE_PG_MS. */
#include "store.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <time.h>

#define SETTLE_MS 1000L
#define REUSE_PG_MS 2000L

/* "size.mtime_ns.ino" of path, or "-" when it does not exist; *newest is
 * raised to its modification time (ms since the epoch). */
static void file_stamp(sr_buf *b, const char *path, long long *newest)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        sr_buf_puts(b, "-");
        return;
    }
    long long ms = (long long)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    if (ms > *newest)
        *newest = ms;
    sr_buf_printf(b, "%lld.%lld.%09ld.%llu", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                  (long)st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
}

int sr_store_stamp(sr_store *st, char *buf, size_t size, long *reuse_ms, sr_err *err)
{
    if (!st || !buf || size < 2 || !reuse_ms)
        return sr_err_set(err, SR_USAGE, NULL, 0, "sr_store_stamp: bad arguments");
    *reuse_ms = 0;
    sr_buf b = {0};
    int rc = SR_OK;
    if (sr_db_kind(st->db) == SR_DB_PG) {
        sr_stmt *s;
        rc = sr_db_prepare(st->db, "SELECT pg_current_wal_insert_lsn()::text", &s, err);
        if (rc == SR_OK) {
            rc = sr_stmt_step(s, err);
            if (rc == SR_OK) {
                sr_buf_puts(&b, sr_stmt_text(s, 0) ? sr_stmt_text(s, 0) : "?");
                *reuse_ms = REUSE_PG_MS;
            }
            else if (rc == SR_DONE)
                rc = sr_err_set(err, SR_IO, sr_db_name(st->db), 0, "no WAL position");
            sr_stmt_free(s);
        }
    } else {
        const char *path = sr_db_name(st->db);
        sr_buf wal = {0};
        sr_buf_printf(&wal, "%s-wal", path);
        long long newest = 0;
        file_stamp(&b, path, &newest);
        sr_buf_putc(&b, '/');
        file_stamp(&b, wal.p, &newest);
        sr_buf_free(&wal);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        long long now_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
        /* a clock set back makes now < newest: not settled, no reuse */
        *reuse_ms = now_ms - newest >= SETTLE_MS ? -1 : 0;
    }
    if (rc == SR_OK) {
        if (b.n >= size)
            rc = sr_err_set(err, SR_USAGE, NULL, 0, "sr_store_stamp: buffer too small");
        else
            memcpy(buf, b.p, b.n + 1);
    }
    sr_buf_free(&b);
    return rc;
}
