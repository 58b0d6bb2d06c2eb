/* db_pg.c — the PostgreSQL backend of db.h, over libpq.
 *
 * Callers' '?' placeholders become $1, $2, ... (outside quotes, comments
 * and dollar quotes; so PostgreSQL's own ?, ?| and ?& operators cannot be
 * written). Statements are prepared server-side under a per-connection
 * counter name; parameters travel as text. A statement streams its result
 * in single-row mode, so a huge SELECT runs in constant memory.
 *
 * libpq carries one command at a time per connection: while statement A
 * is still streaming, nothing else can run. So every other use of the
 * connection (stepping statement B, exec, begin, commit, prepare) first
 * moves A's remaining results off the wire into A's own queue, and A's
 * later steps read from there: interleaving works as it does on SQLite,
 * at the cost of A's unread rows in memory. Reset or free of A discards
 * them instead. Free statements before closing their connection.
 */
#include "db_impl.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

typedef struct pg_stmt pg_stmt;

/* $SITREP_SQL_PROFILE=1: per statement, the time from sending it to its
 * first result (the round trip and the server's work), printed on close. */
typedef struct {
    char *sql;
    uint64_t ns, runs;
} pg_prof;

typedef struct {
    struct sr_db base;
    PGconn *conn;
    unsigned long serial; /* last statement name used: sr1, sr2, ... */
    pg_stmt *active;      /* statement whose results are still on the wire */
    sr_buf dealloc;       /* DEALLOCATEs waiting for an idle connection */
    pg_prof *prof;        /* with $SITREP_SQL_PROFILE; else NULL */
    size_t nprof, capprof;
    int profiling;
} pg_db;

enum {
    READY,   /* the next step executes */
    RUNNING, /* results arrive from the connection (db->active) */
    QUEUED   /* results were moved to queue; steps read them from there */
};

struct pg_stmt {
    struct sr_stmt base;
    char name[32];     /* server-side prepared statement name */
    int nparams;       /* parameters the server expects */
    int ncols;         /* result columns (0 for INSERT etc.) */
    char **vals;       /* bound values as text, owned; NULL is SQL NULL */
    size_t nvals;      /* slots of vals in use (highest bound index) */
    size_t capvals;    /* slots allocated */
    int state;         /* READY, RUNNING or QUEUED */
    long prof;         /* index in db->prof, -1 if not profiled */
    PGresult *row;     /* current row (a one-tuple result) or NULL */
    PGresult **queue;  /* results moved off the connection, owned */
    size_t qhead;      /* next result to read from queue */
    size_t qlen;       /* results in queue */
    size_t qcap;       /* queue slots allocated */
};

#define PG(db) ((pg_db *)(db))
#define PGS(st) ((pg_stmt *)(st))
#define STDB(st) PG((st)->base.db)

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

/* ---- messages ---- */

/* Copies s into out as one line: each line trimmed, lines joined by "; ". */
static void oneline(const char *s, char *out, size_t size)
{
    size_t n = 0;
    out[0] = 0;
    while (*s && n + 1 < size) {
        while (sr_is_space((unsigned char)*s))
            s++;
        const char *e = s;
        while (*e && *e != '\n')
            e++;
        size_t len = (size_t)(e - s);
        while (len && sr_is_space((unsigned char)s[len - 1]))
            len--;
        if (len) {
            int w = snprintf(out + n, size - n, "%s%.*s", n ? "; " : "", (int)len, s);
            if (w < 0)
                break;
            n += (size_t)w;
            if (n >= size)
                n = size - 1;
        }
        s = e;
    }
}

/* The target as shown in messages: a URL's password (user:PASS@ or a
 * password= parameter) becomes ***. */
static void mask_url(const char *url, char *out, size_t size)
{
    sr_buf b = {0};
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme) {
        /* user:pass@ ends at the last '@' before the query: a password
         * wrongly left unescaped is masked whole all the same */
        const char *auth = scheme + 3;
        const char *at = NULL;
        for (const char *q = auth; *q && *q != '?'; q++)
            if (*q == '@')
                at = q;
        if (at) {
            const char *colon = memchr(auth, ':', (size_t)(at - auth));
            if (colon) {
                sr_buf_put(&b, url, (size_t)(colon + 1 - url));
                sr_buf_puts(&b, "***");
                p = at;
            }
        }
    }
    /* password=... in a URL's query or a keyword/value string */
    while (*p) {
        const char *k = strstr(p, "password");
        if (!k)
            break;
        const char *v = k + 8;
        int word = k == url || !(sr_is_ascii_alpha((unsigned char)k[-1]) || k[-1] == '_');
        while (*v == ' ')
            v++;
        if (!word || *v != '=') {
            sr_buf_put(&b, p, (size_t)(k + 8 - p));
            p = k + 8;
            continue;
        }
        v++;
        while (*v == ' ')
            v++;
        sr_buf_put(&b, p, (size_t)(v - p));
        sr_buf_puts(&b, "***");
        if (*v == '\'') {
            for (v++; *v && *v != '\''; v++)
                if (*v == '\\' && v[1])
                    v++;
            if (*v)
                v++;
        } else {
            while (*v && *v != '&' && *v != ' ')
                v++;
        }
        p = v;
    }
    sr_buf_puts(&b, p);
    snprintf(out, size, "%s", b.p);
    sr_buf_free(&b);
}

/* Fills err from a failed result (or, with r NULL or no message, from the
 * connection): the server's message, its detail and the SQLSTATE. */
static int fail(pg_db *db, const PGresult *r, sr_err *err)
{
    char msg[512];
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary) {
        const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        char d[256] = "";
        if (detail)
            oneline(detail, d, sizeof d);
        snprintf(msg, sizeof msg, "%s%s%s%s%s%s", primary, *d ? ": " : "", d,
                 state ? " (SQLSTATE " : "", state ? state : "", state ? ")" : "");
    } else {
        const char *m = r ? PQresultErrorMessage(r) : "";
        if (!*m)
            m = PQerrorMessage(db->conn);
        if (!*m)
            m = r ? PQresStatus(PQresultStatus(r)) : "unknown libpq error";
        oneline(m, msg, sizeof msg);
    }
    return sr_err_set(err, SR_IO, db->base.name, 0, "%s", msg);
}

/* ---- the connection ---- */

/* The next result of the command in progress, or NULL when it is complete.
 * COPY is not supported through this interface: copy mode is left at once
 * (COPY FROM STDIN fails, COPY TO STDOUT's data is dropped), so that
 * PQgetResult always comes to its NULL. */
static PGresult *next_result(PGconn *conn)
{
    for (;;) {
        PGresult *r = PQgetResult(conn);
        if (!r)
            return NULL;
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COPY_IN) {
            PQclear(r);
            if (PQputCopyEnd(conn, "COPY FROM STDIN is not supported by sitrep") < 0)
                return NULL;
        } else if (s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
            PQclear(r);
            char *data;
            int n;
            while ((n = PQgetCopyData(conn, &data, 0)) > 0)
                PQfreemem(data);
            if (n == -2)
                return NULL;
        } else {
            return r;
        }
    }
}

/* Drops every remaining result of the command in progress. */
static void discard(PGconn *conn)
{
    PGresult *r;
    while ((r = next_result(conn)))
        PQclear(r);
}

static void push(pg_stmt *st, PGresult *r)
{
    if (st->qhead == st->qlen)
        st->qhead = st->qlen = 0;
    SR_GROW(st->queue, st->qcap, st->qlen + 1);
    st->queue[st->qlen++] = r;
}

static void clear_queue(pg_stmt *st)
{
    for (size_t i = st->qhead; i < st->qlen; i++)
        PQclear(st->queue[i]);
    st->qhead = st->qlen = 0;
}

/* Sends pending DEALLOCATEs, only outside a transaction, where their
 * failure could not abort the caller's work. */
static void flush_dealloc(pg_db *db)
{
    if (!db->dealloc.n || db->active || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        return;
    PQclear(PQexec(db->conn, db->dealloc.p));
    sr_buf_reset(&db->dealloc);
}

/* Makes the connection free for a new command: the streaming statement's
 * remaining results move to its queue. */
static void claim(pg_db *db)
{
    pg_stmt *a = db->active;
    if (!a)
        return;
    PGresult *r;
    while ((r = next_result(db->conn)))
        push(a, r);
    a->state = QUEUED;
    db->active = NULL;
}

/* Runs sql (one or more statements) and returns SR_OK or the first error;
 * results are dropped, the last command tag goes to tag if given. */
static int run(pg_db *db, const char *sql, char *tag, size_t tagsize, sr_err *err)
{
    claim(db);
    if (!PQsendQuery(db->conn, sql))
        return fail(db, NULL, err);
    int rc = SR_OK;
    PGresult *r;
    while ((r = next_result(db->conn))) {
        ExecStatusType s = PQresultStatus(r);
        if (rc == SR_OK && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
            rc = fail(db, r, err);
        else if (tag)
            snprintf(tag, tagsize, "%s", PQcmdStatus(r));
        PQclear(r);
    }
    flush_dealloc(db);
    return rc;
}

static void pg_close(sr_db *d)
{
    pg_db *db = PG(d);
    for (size_t i = 0; i < db->nprof; i++) {
        fprintf(stderr, "sql-profile %8.3f s %9llu runs  %.100s\n", (double)db->prof[i].ns / 1e9,
                (unsigned long long)db->prof[i].runs, db->prof[i].sql);
        free(db->prof[i].sql);
    }
    free(db->prof);
    PQfinish(db->conn);
    sr_buf_free(&db->dealloc);
    free(db);
}

static int pg_exec(sr_db *d, const char *sql, sr_err *err) { return run(PG(d), sql, NULL, 0, err); }

static int pg_begin(sr_db *d, sr_err *err) { return run(PG(d), "BEGIN", NULL, 0, err); }

static int pg_commit(sr_db *d, sr_err *err)
{
    pg_db *db = PG(d);
    char tag[64] = "";
    int rc = run(db, "COMMIT", tag, sizeof tag, err);
    /* COMMIT of a transaction that an error aborted succeeds as ROLLBACK */
    if (rc == SR_OK && !strcmp(tag, "ROLLBACK"))
        return sr_err_set(err, SR_IO, d->name, 0,
                          "transaction rolled back: an earlier statement in it failed");
    return rc;
}

static int pg_rollback(sr_db *d)
{
    run(PG(d), "ROLLBACK", NULL, 0, NULL);
    return SR_OK;
}

/* ---- statements ---- */

static int is_ident(int c)
{
    return sr_is_ascii_alpha(c) || sr_is_digit(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Copies sql to out with each '?' outside literals, quoted identifiers,
 * comments and dollar quotes replaced by $1, $2, ...; returns the count. */
static int rewrite(const char *sql, sr_buf *out)
{
    int n = 0;
    const char *p = sql;
    while (*p) {
        const char *start = p;
        unsigned char c = (unsigned char)*p;
        if (c == '?') {
            sr_buf_printf(out, "$%d", ++n);
            p++;
            continue;
        }
        if (c == '\'' || c == '"') {
            /* E'...' takes backslash escapes */
            int esc = c == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                      (p - 1 == sql || !is_ident((unsigned char)p[-2]));
            for (p++; *p; p++) {
                if (esc && *p == '\\' && p[1])
                    p++;
                else if (*p == (char)c) {
                    if (p[1] != (char)c)
                        break;
                    p++; /* doubled quote */
                }
            }
            if (*p)
                p++;
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (c == '/' && p[1] == '*') {
            int depth = 1; /* block comments nest in PostgreSQL */
            for (p += 2; *p && depth; p++) {
                if (*p == '/' && p[1] == '*')
                    depth++, p++;
                else if (*p == '*' && p[1] == '/')
                    depth--, p++;
            }
        } else if (c == '$' && (p == sql || !is_ident((unsigned char)p[-1]))) {
            /* $tag$ ... $tag$ (tag empty or an identifier not starting
             * with a digit: $1 is a parameter) */
            const char *t = p + 1;
            if (!sr_is_digit((unsigned char)*t))
                while (*t && *t != '$' && is_ident((unsigned char)*t))
                    t++;
            if (*t == '$') {
                size_t taglen = (size_t)(t + 1 - p);
                const char *end;
                for (end = t + 1; *end; end++)
                    if (*end == '$' && !strncmp(end, p, taglen))
                        break;
                p = *end ? end + taglen : end;
            } else {
                p++;
            }
        } else {
            p++;
        }
        sr_buf_put(out, start, (size_t)(p - start));
    }
    return n;
}

static const sr_db_ops PG_OPS;

static int pg_prepare(sr_db *d, const char *sql, sr_stmt **out, sr_err *err)
{
    pg_db *db = PG(d);
    *out = NULL;
    claim(db);
    sr_buf text = {0};
    sr_buf_puts(&text, "");
    int counted = rewrite(sql, &text);
    char name[32];
    snprintf(name, sizeof name, "sr%lu", ++db->serial);
    PGresult *r = PQprepare(db->conn, name, text.p, 0, NULL);
    sr_buf_free(&text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = fail(db, r, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    /* The server's view of the statement: exact parameter and column
     * counts, so ncols answers before the first step as on SQLite. */
    r = PQdescribePrepared(db->conn, name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = fail(db, r, err);
        PQclear(r);
        sr_buf_printf(&db->dealloc, "DEALLOCATE %s;", name);
        return rc;
    }
    pg_stmt *st = sr_xcalloc(1, sizeof *st);
    st->base.ops = &PG_OPS;
    st->base.db = d;
    memcpy(st->name, name, sizeof name);
    st->nparams = PQnparams(r);
    st->ncols = PQnfields(r);
    PQclear(r);
    st->prof = -1;
    if (db->profiling) {
        size_t i = 0;
        while (i < db->nprof && strcmp(db->prof[i].sql, sql))
            i++;
        if (i == db->nprof) {
            SR_GROW(db->prof, db->capprof, db->nprof + 1);
            db->prof[db->nprof++] = (pg_prof){sr_xstrdup(sql), 0, 0};
        }
        st->prof = (long)i;
    }
    if (st->nparams < counted)
        st->nparams = counted;
    *out = &st->base;
    return SR_OK;
}

/* Stores v (owned) as parameter i (from 1). */
static void bind(sr_stmt *s, int i, char *v)
{
    pg_stmt *st = PGS(s);
    if (i < 1) {
        free(v);
        return;
    }
    size_t k = (size_t)i;
    if (k > st->nvals) {
        SR_GROW(st->vals, st->capvals, k);
        memset(st->vals + st->nvals, 0, (k - st->nvals) * sizeof *st->vals);
        st->nvals = k;
    }
    free(st->vals[k - 1]);
    st->vals[k - 1] = v;
}

static void pg_bind_textn(sr_stmt *st, int i, const char *s, size_t n)
{
    bind(st, i, s ? sr_xstrndup(s, n) : NULL);
}

static void pg_bind_int(sr_stmt *st, int i, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    bind(st, i, sr_xstrdup(b));
}

static void pg_bind_double(sr_stmt *st, int i, double v)
{
    char b[40];
    if (isnan(v))
        snprintf(b, sizeof b, "NaN");
    else if (isinf(v))
        snprintf(b, sizeof b, "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(b, sizeof b, "%.17g", v);
    bind(st, i, sr_xstrdup(b));
}

static void pg_bind_null(sr_stmt *st, int i) { bind(st, i, NULL); }

/* Acts on the next result of st's execution (r owned): SR_OK with a row,
 * SR_DONE at the end, or an error. */
static int take(pg_stmt *st, PGresult *r, sr_err *err)
{
    pg_db *db = STDB(st);
    if (!r)
        return SR_DONE;
    switch (PQresultStatus(r)) {
    case PGRES_SINGLE_TUPLE:
        st->row = r;
        return SR_OK;
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY: {
        PQclear(r);
        return SR_DONE;
    }
    default: {
        int rc = fail(db, r, err);
        PQclear(r);
        return rc;
    }
    }
}

/* Ends st's execution: its results are dropped, from wherever they are. */
static void finish(pg_stmt *st)
{
    pg_db *db = STDB(st);
    if (db->active == st) {
        discard(db->conn);
        db->active = NULL;
    }
    clear_queue(st);
    st->state = READY;
}

static int pg_step(sr_stmt *s, sr_err *err)
{
    pg_stmt *st = PGS(s);
    pg_db *db = STDB(st);
    PQclear(st->row);
    st->row = NULL;
    PGresult *r;
    if (st->state == QUEUED) {
        r = st->qhead < st->qlen ? st->queue[st->qhead++] : NULL;
    } else {
        struct timespec t0 = {0, 0};
        if (st->state == READY && st->prof >= 0)
            clock_gettime(CLOCK_MONOTONIC, &t0);
        if (st->state == READY) {
            claim(db);
            flush_dealloc(db);
            for (size_t i = st->nvals; i < (size_t)st->nparams; i++)
                bind(s, (int)i + 1, NULL); /* unbound parameters are NULL */
            if (!PQsendQueryPrepared(db->conn, st->name, st->nparams,
                                     (const char *const *)st->vals, NULL, NULL, 0))
                return fail(db, NULL, err);
            st->state = RUNNING;
            db->active = st;
            if (!PQsetSingleRowMode(db->conn)) {
                finish(st);
                return sr_err_set(err, SR_IO, db->base.name, 0,
                                  "cannot stream the result (single-row mode refused)");
            }
        }
        r = next_result(db->conn);
        if (t0.tv_sec) {
            struct timespec t1;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            db->prof[st->prof].ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000L +
                                                (t1.tv_nsec - t0.tv_nsec));
            db->prof[st->prof].runs++;
        }
    }
    int rc = take(st, r, err);
    if (rc != SR_OK)
        finish(st);
    return rc;
}

static void pg_reset(sr_stmt *s)
{
    pg_stmt *st = PGS(s);
    PQclear(st->row);
    st->row = NULL;
    finish(st);
    for (size_t i = 0; i < st->nvals; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
    }
}

static void pg_free_stmt(sr_stmt *s)
{
    pg_stmt *st = PGS(s);
    pg_db *db = STDB(st);
    pg_reset(s);
    free(st->vals);
    free(st->queue);
    /* Names are never reused, but a long-lived connection should not
     * collect prepared statements on the server. */
    sr_buf_printf(&db->dealloc, "DEALLOCATE %s;", st->name);
    flush_dealloc(db);
    free(st);
}

static int pg_ncols(const sr_stmt *s)
{
    const pg_stmt *st = PGS(s);
    return st->row ? PQnfields(st->row) : st->ncols;
}

static int pg_isnull(const sr_stmt *s, int c)
{
    const pg_stmt *st = PGS(s);
    return !st->row || c < 0 || c >= PQnfields(st->row) || PQgetisnull(st->row, 0, c);
}

static const char *pg_text(const sr_stmt *s, int c)
{
    return pg_isnull(s, c) ? NULL : PQgetvalue(PGS(s)->row, 0, c);
}

static double pg_double(const sr_stmt *s, int c)
{
    const char *v = pg_text(s, c);
    if (!v)
        return 0;
    if (!strcmp(v, "t") || !strcmp(v, "f")) /* boolean */
        return *v == 't';
    return strtod(v, NULL);
}

static int64_t pg_int(const sr_stmt *s, int c)
{
    const char *v = pg_text(s, c);
    if (!v)
        return 0;
    if (!strcmp(v, "t") || !strcmp(v, "f"))
        return *v == 't';
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E' || end == v) {
        /* numeric or floating point: truncated, as SQLite casts */
        double d = strtod(v, NULL);
        if (isnan(d))
            return 0;
        if (d >= 9223372036854775807.0)
            return INT64_MAX;
        if (d <= -9223372036854775808.0)
            return INT64_MIN;
        return (int64_t)d;
    }
    return n;
}


static int64_t pg_inserted_id(sr_db *d)
{
    (void)d;
    return -1;
}

static const sr_db_ops PG_OPS = {
    pg_close, pg_exec, pg_begin, pg_commit, pg_rollback, pg_prepare,
    pg_bind_textn, pg_bind_textn, pg_bind_int, pg_bind_double, pg_bind_null, pg_step, pg_reset,
    pg_free_stmt, pg_ncols, pg_isnull, pg_text, pg_int, pg_double, pg_inserted_id,
};

int sr_pg_open(const char *url, unsigned flags, sr_db **out, sr_err *err)
{
    *out = NULL;
    pg_db *db = sr_xcalloc(1, sizeof *db);
    db->base.ops = &PG_OPS;
    db->base.kind = SR_DB_PG;
    mask_url(url, db->base.name, sizeof db->base.name);
    /* dbname is expanded as the URL; the keywords after it override it */
    const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
    const char *const vals[] = {url, "sitrep", "UTF8", NULL};
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn) {
        free(db);
        return sr_err_set(err, SR_NOMEM, url, 0, "out of memory connecting to PostgreSQL");
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char why[400];
        oneline(PQerrorMessage(db->conn), why, sizeof why);
        int rc = sr_err_set(err, SR_IO, db->base.name, 0, "cannot connect to PostgreSQL at %s: %s",
                            db->base.name, why);
        pg_close(&db->base);
        return rc;
    }
    PQsetNoticeProcessor(db->conn, quiet, NULL);
    const char *prof = getenv("SITREP_SQL_PROFILE");
    db->profiling = prof && *prof && *prof != '0';
    const char *set = (flags & SR_DB_READONLY)
                          ? "SET client_min_messages = warning; SET default_transaction_read_only = on"
                          : "SET client_min_messages = warning";
    int rc = run(db, set, NULL, 0, err);
    if (rc != SR_OK) {
        pg_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return SR_OK;
}
