/* query.c — reads the store: filters to parameterised SQL (sr_store_query),
 * one event with its mentions (sr_store_event_json), counts (sr_store_stats).
 *
 * Every value a user gives is bound as a parameter, never pasted into SQL;
 * LIKE patterns escape their wildcards. The SQL is shared by both backends
 * except full-text search (FTS5 MATCH on SQLite, a text search vector on
 * PostgreSQL) and is shaped for the indexes of schema.c: results come
 * newest first from events(date), so a page of a typical filter reads a few
 * hundred index entries, not the table.
 *
 * A page (a query with a limit) is read in two steps: the ids of its
 * events first, from the indexes alone where they cover the filters, then
 * the columns, joins and subqueries of those rows only, not of every
 * candidate the sort looked at. A full-text page starts with the newest
 * dates (text_window). Stores older than schema version 4, which
 * read-only commands do not migrate, are read with the SQL of their own
 * schema (the mention-event join of mjoin) in one step. */
#include "store.h"

#include "../time/dates.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A WHERE clause under construction, with its parameters (all text or
 * doubles, bound in order). */
typedef struct {
    sr_buf sql;
    struct {
        int is_num;        /* 1: num, 2: inum, 0: text */
        double num;
        int64_t inum;
        char *text;
    } p[64];
    int n;
    sr_err *err;
    int bad;
} where;

static void w_and(where *w, const char *cond)
{
    sr_buf_puts(&w->sql, w->sql.n ? " AND " : " WHERE ");
    sr_buf_puts(&w->sql, cond);
}

static void w_text(where *w, const char *s)
{
    if (w->n < 64)
        w->p[w->n++].text = sr_xstrdup(s);
    else
        w->bad = 1;
}

static void w_num(where *w, double v)
{
    if (w->n < 64) {
        w->p[w->n].is_num = 1;
        w->p[w->n++].num = v;
    } else {
        w->bad = 1;
    }
}

static void w_int(where *w, int64_t v)
{
    if (w->n < 64) {
        w->p[w->n].is_num = 2;
        w->p[w->n++].inum = v;
    } else {
        w->bad = 1;
    }
}

static void w_free(where *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->p[i].text);
    sr_buf_free(&w->sql);
}

static void bind_all(const where *w, sr_stmt *s, int first)
{
    for (int i = 0; i < w->n; i++) {
        if (w->p[i].is_num == 2)
            sr_stmt_bind_int(s, first + i, w->p[i].inum);
        else if (w->p[i].is_num)
            sr_stmt_bind_double(s, first + i, w->p[i].num);
        else
            sr_stmt_bind_text(s, first + i, w->p[i].text);
    }
}

/* A LIKE pattern matching s anywhere, lower-cased, wildcards escaped. */
static char *like_any(const char *s)
{
    sr_buf b = {0};
    sr_buf_putc(&b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            sr_buf_putc(&b, '\\');
        sr_buf_putc(&b, (char)tolower((unsigned char)*s));
    }
    sr_buf_putc(&b, '%');
    return sr_buf_take(&b, NULL);
}

static int is_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* One side's actor filter: an upper-case code matches a code prefix, the
 * country or the organisation; anything else matches words of the name. */
static void actor_cond(where *w, const char *side, const char *x)
{
    char cond[320];
    if (is_code(x)) {
        snprintf(cond, sizeof cond, "(e.%s_code LIKE ? OR e.%s_country = ? OR e.%s_org = ?)", side,
                 side, side);
        char prefix[24];
        snprintf(prefix, sizeof prefix, "%s%%", x);
        sr_buf_puts(&w->sql, cond);
        w_text(w, prefix);
        w_text(w, x);
        w_text(w, x);
    } else {
        snprintf(cond, sizeof cond, "lower(e.%s_name) LIKE ? ESCAPE '\\'", side);
        sr_buf_puts(&w->sql, cond);
        char *pat = like_any(x);
        w_text(w, pat);
        free(pat);
    }
}

static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    return sr_date_parse_iso(s) != 0; /* a real calendar date: no February 30 */
}

/* Turns a user's words into an FTS5 query: each word or "quoted phrase"
 * becomes a quoted FTS5 string (so punctuation such as "30-day" is never
 * query syntax), all of them required. */
static char *fts5_query(const char *q)
{
    sr_buf b = {0};
    const char *p = q;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *start, *end;
        if (*p == '"') {
            start = ++p;
            while (*p && *p != '"')
                p++;
            end = p;
            if (*p)
                p++;
        } else {
            start = p;
            while (*p && !isspace((unsigned char)*p))
                p++;
            end = p;
        }
        if (end == start)
            continue;
        if (b.n)
            sr_buf_putc(&b, ' ');
        sr_buf_putc(&b, '"');
        for (const char *c = start; c < end; c++) {
            if (*c == '"')
                sr_buf_putc(&b, '"');
            sr_buf_putc(&b, *c);
        }
        sr_buf_putc(&b, '"');
    }
    return sr_buf_take(&b, NULL);
}

/* Adds "the event lies in one of the half-degree cells (SR_GEO_CELL) of
 * this box", which events_geo answers with one short range per cell. The
 * box may cross the antimeridian (longitudes below -180 or above 180). A
 * box of more than 256 cells adds nothing: a radius that large is better
 * served by reading the events in date order. The cells are integers this
 * function computes, written into the SQL as numbers. */
static void geo_cells(where *w, double lat_lo, double lat_hi, double lon_lo, double lon_hi)
{
    int r0 = SR_GEO_ROW(lat_lo < -90 ? -90 : lat_lo), r1 = SR_GEO_ROW(lat_hi > 90 ? 90 : lat_hi);
    int k0 = (int)floor(lon_lo * 2), k1 = (int)floor(lon_hi * 2);
    if ((long)(r1 - r0 + 1) * (k1 - k0 + 1) > 256)
        return;
    sr_buf in = {0};
    for (int r = r0; r <= r1; r++)
        for (int k = k0; k <= k1; k++) {
            int col = ((k + 360) % 720 + 720) % 720; /* wrapped into 0..719 */
            sr_buf_printf(&in, "%s%lld", in.n ? "," : "", (long long)SR_GEO_CELL(r, col));
            if (col == 0) /* longitude 180 is column 720 */
                sr_buf_printf(&in, ",%lld", (long long)SR_GEO_CELL(r, 720));
        }
    sr_buf cond = {0};
    sr_buf_printf(&cond, "e.geo_cell IN (%s)", in.p);
    w_and(w, cond.p);
    sr_buf_free(&cond);
    sr_buf_free(&in);
}

/* The condition that a mention m belongs to the event e, in the store's
 * schema (version 4 links them by events.id). */
static const char *mjoin(const sr_store *st)
{
    return st->version >= 4 ? "m.event = e.id" : "m.event_id = e.event_id";
}

/* Builds the WHERE clause of q. from_day, if not NO_WINDOW, adds "dated
 * from_day or later" (a day number), which text_window uses. */
#define NO_WINDOW INT32_MIN

static int build_where(sr_store *st, const sr_query *q, int32_t from_day, where *w)
{
    sr_err *err = w->err;
    const char *name = sr_db_name(st->db);
    char cond[512];
    int v4 = st->version >= 4;
    if (from_day != NO_WINDOW) {
        char d[11];
        sr_ymd_format(sr_ymd_from_days(from_day), d);
        w_and(w, "e.date >= ?");
        w_text(w, d);
    }
    if (q->since) {
        if (!valid_date(q->since))
            return sr_err_set(err, SR_USAGE, "", 0, "since: not a date YYYY-MM-DD: '%s'", q->since);
        w_and(w, "e.date >= ?");
        w_text(w, q->since);
    }
    if (q->until) {
        if (!valid_date(q->until))
            return sr_err_set(err, SR_USAGE, "", 0, "until: not a date YYYY-MM-DD: '%s'", q->until);
        w_and(w, "e.date <= ?");
        w_text(w, q->until);
    }
    if (q->actor && *q->actor) {
        w_and(w, "(");
        actor_cond(w, "src", q->actor);
        sr_buf_puts(&w->sql, " OR ");
        actor_cond(w, "tgt", q->actor);
        sr_buf_putc(&w->sql, ')');
    }
    if (q->source_actor && *q->source_actor) {
        w_and(w, "");
        actor_cond(w, "src", q->source_actor);
    }
    if (q->target_actor && *q->target_actor) {
        w_and(w, "");
        actor_cond(w, "tgt", q->target_actor);
    }
    if (q->cameo && *q->cameo) {
        size_t n = strlen(q->cameo);
        if (n < 2 || n > 4 || strspn(q->cameo, "0123456789") != n)
            return sr_err_set(err, SR_USAGE, "", 0,
                              "cameo: a CAMEO code or prefix of 2-4 digits (\"19\", \"190\"), not '%s'",
                              q->cameo);
        char prefix[8];
        snprintf(prefix, sizeof prefix, "%s%%", q->cameo);
        w_and(w, "e.cameo LIKE ?");
        w_text(w, prefix);
    }
    if (q->quad) {
        if (q->quad < 1 || q->quad > 4)
            return sr_err_set(err, SR_USAGE, "", 0, "quad: a quad class 1-4, not %d", q->quad);
        w_and(w, "e.quad_class = ?");
        w_num(w, q->quad);
    }
    if (q->plover && *q->plover) {
        char up[32];
        size_t i = 0;
        for (; i < sizeof up - 1 && q->plover[i]; i++)
            up[i] = (char)toupper((unsigned char)q->plover[i]);
        up[i] = 0;
        w_and(w, "e.plover = ?");
        w_text(w, up);
    }
    if (q->modality && *q->modality) {
        static const char *const M[] = {"asserted", "reported", "assessed", "intended", "hypothetical"};
        int ok = 0;
        for (size_t i = 0; i < SR_ARRAY_LEN(M); i++)
            ok |= !strcmp(q->modality, M[i]);
        if (!ok)
            return sr_err_set(err, SR_USAGE, "", 0,
                              "modality: one of asserted, reported, assessed, intended, hypothetical,"
                              " not '%s'", q->modality);
        w_and(w, "e.modality = ?");
        w_text(w, q->modality);
    }
    if (q->negated == 0 || q->negated == 1) {
        w_and(w, "e.negated = ?");
        w_num(w, q->negated);
    }
    if (q->attributed && *q->attributed) {
        if (!strcmp(q->attributed, "anonymous")) {
            snprintf(cond, sizeof cond, "EXISTS (SELECT 1 FROM mentions m WHERE %s"
                     " AND m.attr_anonymous = 1)", mjoin(st));
            w_and(w, cond);
        } else {
            snprintf(cond, sizeof cond, "EXISTS (SELECT 1 FROM mentions m WHERE %s"
                     " AND lower(m.attr_by) LIKE ? ESCAPE '\\')", mjoin(st));
            w_and(w, cond);
            char *pat = like_any(q->attributed);
            w_text(w, pat);
            free(pat);
        }
    }
    if (q->place && *q->place) {
        w_and(w, "(lower(e.place_name) = lower(?) OR lower(e.admin1) = lower(?)"
                 " OR e.place_country = upper(?))");
        w_text(w, q->place);
        w_text(w, q->place);
        w_text(w, q->place);
    }
    if (q->near) {
        if (!(q->lat >= -90 && q->lat <= 90 && q->lon >= -180 && q->lon <= 180))
            return sr_err_set(err, SR_USAGE, "", 0, "near: latitude -90..90, longitude -180..180");
        if (!(q->radius_km > 0 && q->radius_km <= 20000))
            return sr_err_set(err, SR_USAGE, "", 0, "radius: kilometres, more than 0");
        /* the half-degree cells of the bounding box (events_geo reads
         * them), the box, then the exact great-circle distance
         * (haversine, mean Earth radius) */
        double dlat = q->radius_km / 111.195;
        double c = cos(q->lat * M_PI / 180);
        double dlon = c > 1e-6 ? q->radius_km / (111.195 * c) : 360;
        int wraps = q->lon - dlon < -180 || q->lon + dlon > 180;
        if (v4 && dlon < 180)
            geo_cells(w, q->lat - dlat, q->lat + dlat, q->lon - dlon, q->lon + dlon);
        w_and(w, "e.lat BETWEEN ? AND ?");
        w_num(w, q->lat - dlat);
        w_num(w, q->lat + dlat);
        if (dlon < 180 && !wraps) {
            w_and(w, "e.lon BETWEEN ? AND ?");
            w_num(w, q->lon - dlon);
            w_num(w, q->lon + dlon);
        }
        w_and(w, "2 * 6371.0088 * asin(sqrt("
                 "sin(radians(e.lat - ?) / 2) * sin(radians(e.lat - ?) / 2) +"
                 " cos(radians(?)) * cos(radians(e.lat)) *"
                 " sin(radians(e.lon - ?) / 2) * sin(radians(e.lon - ?) / 2))) <= ?");
        w_num(w, q->lat);
        w_num(w, q->lat);
        w_num(w, q->lat);
        w_num(w, q->lon);
        w_num(w, q->lon);
        w_num(w, q->radius_km);
    }
    if (q->issue && *q->issue) {
        w_and(w, "(',' || e.issues || ',') LIKE ? ESCAPE '\\'");
        char *pat = like_any(q->issue);
        /* "%tag%" -> "%,tag,%" */
        sr_buf b = {0};
        sr_buf_puts(&b, "%,");
        sr_buf_put(&b, pat + 1, strlen(pat) - 2);
        sr_buf_puts(&b, ",%");
        free(pat);
        w_text(w, b.p);
        sr_buf_free(&b);
    }
    if (q->text && *q->text) {
        if (st->version < 2)
            return sr_err_set(err, SR_USAGE, name, 0,
                              "store has no full-text index (schema %d): open it once with"
                              " `sitrep ingest` to upgrade", st->version);
        /* Matching sentences, their mentions, their events. In a window
         * (text_window) only the sentences dated from its first day on
         * can report events of those days: a sentence is dated by its
         * newest event (sentences.fts_day), and the SQLite index is
         * keyed by that date (fts_key), so it reads those matches only. */
        int64_t fts_from = from_day != NO_WINDOW ? (int64_t)from_day + SR_FTS_DAY0 : 0;
        if (sr_db_kind(st->db) == SR_DB_PG) {
            /* version 4 stores the vector (schema.c) */
            snprintf(cond, sizeof cond, "%s IN (SELECT %s FROM sentences s JOIN mentions m"
                     " ON m.doc_id = s.doc_id AND m.sent_no = s.sent_no"
                     " WHERE %s @@ websearch_to_tsquery('english', ?)%s)",
                     v4 ? "e.id" : "e.event_id", v4 ? "m.event" : "m.event_id",
                     v4 ? "s.tsv" : "to_tsvector('english', s.text)",
                     fts_from ? " AND s.fts_day >= ?" : "");
            w_and(w, cond);
            w_text(w, q->text);
            if (fts_from)
                w_int(w, fts_from);
        } else {
            char *fq = fts5_query(q->text);
            if (!*fq) {
                free(fq);
                return sr_err_set(err, SR_USAGE, "", 0, "text: no words to search for");
            }
            if (v4)
                snprintf(cond, sizeof cond, "e.id IN (SELECT m.event FROM sentences_fts f"
                         " JOIN sentences s ON s.id = (f.rowid & %lld) JOIN mentions m"
                         " ON m.doc_id = s.doc_id AND m.sent_no = s.sent_no"
                         " WHERE sentences_fts MATCH ?%s)",
                         (long long)((1ll << SR_FTS_ID_BITS) - 1), fts_from ? " AND f.rowid >= ?" : "");
            else
                snprintf(cond, sizeof cond, "e.event_id IN (SELECT m.event_id FROM sentences_fts f"
                         " JOIN sentences s ON s.rowid = f.rowid JOIN mentions m"
                         " ON m.doc_id = s.doc_id AND m.sent_no = s.sent_no"
                         " WHERE sentences_fts MATCH ?)");
            w_and(w, cond);
            w_text(w, fq);
            free(fq);
            if (v4 && fts_from)
                w_int(w, fts_from << SR_FTS_ID_BITS);
        }
    }
    if (q->doc && *q->doc) {
        w_and(w, v4 ? "e.id IN (SELECT m.event FROM mentions m WHERE m.doc_id = ?)"
                    : "EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.event_id"
                      " AND m.doc_id = ?)");
        w_text(w, q->doc);
    }
    if (w->bad)
        return sr_err_set(err, SR_USAGE, "", 0, "too many filters");
    return SR_OK;
}

/* "SELECT" and the columns read_row reads, from events e and its joins. */
static void select_row(const sr_store *st, sr_buf *sql)
{
    sr_buf_printf(sql,
        "SELECT e.event_id, e.date, e.date_precision, e.src_code, e.src_country, e.src_org,"
        " e.src_name, e.tgt_code, e.tgt_country, e.tgt_org, e.tgt_name, e.cameo, e.root,"
        " e.quad_class, e.goldstein, e.plover, e.plover_mode, e.negated, e.modality, e.issues,"
        " e.place_id, e.place_name, e.place_country, e.admin1, e.place_precision, e.lat, e.lon,"
        " e.num_mentions, e.num_articles, e.num_sources, e.first_doc, s.text, d.outlet, d.url,"
        " (SELECT m.attr_by FROM mentions m WHERE m.doc_id = e.first_doc"
        "  AND m.sent_no = e.first_sent AND %s AND m.attr_by IS NOT NULL LIMIT 1), d.ingested_at"
        " FROM events e"
        " LEFT JOIN sentences s ON s.doc_id = e.first_doc AND s.sent_no = e.first_sent"
        " LEFT JOIN documents d ON d.doc_id = e.first_doc", mjoin(st));
}

static const char ORDER[] = " ORDER BY e.date DESC NULLS LAST, e.event_id DESC";

static void read_row(sr_stmt *s, sr_event_row *r, char *cursor, size_t csize)
{
    int c = 0;
    memset(r, 0, sizeof *r);
    r->event_id = sr_stmt_text(s, c++);
    r->date = sr_stmt_text(s, c++);
    r->date_precision = sr_stmt_text(s, c++);
    r->src_code = sr_stmt_text(s, c++);
    r->src_country = sr_stmt_text(s, c++);
    r->src_org = sr_stmt_text(s, c++);
    r->src_name = sr_stmt_text(s, c++);
    r->tgt_code = sr_stmt_text(s, c++);
    r->tgt_country = sr_stmt_text(s, c++);
    r->tgt_org = sr_stmt_text(s, c++);
    r->tgt_name = sr_stmt_text(s, c++);
    r->cameo = sr_stmt_text(s, c++);
    r->root = sr_stmt_text(s, c++);
    r->quad_class = (int)sr_stmt_int(s, c++);
    r->goldstein = sr_stmt_double(s, c++);
    r->plover = sr_stmt_text(s, c++);
    r->plover_mode = sr_stmt_text(s, c++);
    r->negated = (int)sr_stmt_int(s, c++);
    r->modality = sr_stmt_text(s, c++);
    r->issues = sr_stmt_text(s, c++);
    r->place_id = sr_stmt_text(s, c++);
    r->place_name = sr_stmt_text(s, c++);
    r->place_country = sr_stmt_text(s, c++);
    r->admin1 = sr_stmt_text(s, c++);
    r->place_precision = sr_stmt_text(s, c++);
    r->has_coords = !sr_stmt_isnull(s, c);
    r->lat = sr_stmt_double(s, c++);
    r->lon = sr_stmt_double(s, c++);
    r->num_mentions = (long)sr_stmt_int(s, c++);
    r->num_articles = (long)sr_stmt_int(s, c++);
    r->num_sources = (long)sr_stmt_int(s, c++);
    r->doc_id = sr_stmt_text(s, c++);
    r->sentence = sr_stmt_text(s, c++);
    r->outlet = sr_stmt_text(s, c++);
    r->url = sr_stmt_text(s, c++);
    r->attr_by = sr_stmt_text(s, c++);
    r->ingested_at = sr_stmt_text(s, c++);
    if (!r->issues)
        r->issues = "";
    snprintf(cursor, csize, "%s|%s", r->date ? r->date : "", r->event_id ? r->event_id : "");
    r->cursor = cursor;
}

/* Adds the keyset condition of an --after cursor: rows after (date, id)
 * in the order of ORDER. *date gets the cursor's date ("" if undated). */
static int after_cond(const sr_query *q, where *w, char date[16], sr_err *err)
{
    date[0] = 0;
    if (!q->after || !*q->after)
        return SR_OK;
    const char *bar = strchr(q->after, '|');
    if (!bar || strlen(bar + 1) != 16)
        return sr_err_set(err, SR_USAGE, "", 0, "after: not a cursor from a previous page");
    snprintf(date, 16, "%.*s", (int)(bar - q->after), q->after);
    if (!*date) {
        w_and(w, "(e.date IS NULL AND e.event_id < ?)");
        w_text(w, bar + 1);
    } else {
        w_and(w, "(e.date < ? OR (e.date = ? AND e.event_id < ?) OR e.date IS NULL)");
        w_text(w, date);
        w_text(w, date);
        w_text(w, bar + 1);
    }
    return SR_OK;
}

/* Prepares sql, binds w's parameters from the first on, and calls fn for
 * each row until it returns non-zero. */
static int emit_rows(sr_store *st, const char *sql, const where *w,
                     int (*fn)(void *ud, const sr_event_row *row), void *ud, sr_err *err)
{
    sr_stmt *s;
    int rc = sr_db_prepare(st->db, sql, &s, err);
    if (rc)
        return rc;
    bind_all(w, s, 1);
    char cursor[64];
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        sr_event_row r;
        read_row(s, &r, cursor, sizeof cursor);
        if (fn(ud, &r)) {
            rc = SR_DONE;
            break;
        }
    }
    sr_stmt_free(s);
    return rc == SR_DONE ? SR_OK : rc;
}

/* A query in one step: every row with its columns, in order (unlimited
 * exports, and stores older than version 4). */
static int query_whole(sr_store *st, const sr_query *q,
                       int (*fn)(void *ud, const sr_event_row *row), void *ud, sr_err *err)
{
    where w = {.err = err};
    char date[16];
    int rc = build_where(st, q, NO_WINDOW, &w);
    if (rc == SR_OK && (rc = after_cond(q, &w, date, err)) == SR_OK) {
        sr_buf sql = {0};
        select_row(st, &sql);
        sr_buf_put(&sql, w.sql.p, w.sql.n);
        sr_buf_puts(&sql, ORDER);
        if (q->limit > 0)
            sr_buf_printf(&sql, " LIMIT %ld", q->limit);
        rc = emit_rows(st, sql.p, &w, fn, ud, err);
        sr_buf_free(&sql);
    }
    w_free(&w);
    return rc;
}

/* The ids of the first q->limit events matching q, dated from_day or later
 * (NO_WINDOW: any date), in order. */
static int page_ids(sr_store *st, const sr_query *q, int32_t from_day, int64_t *ids, size_t *n,
                    sr_err *err)
{
    *n = 0;
    where w = {.err = err};
    char date[16];
    int rc = build_where(st, q, from_day, &w);
    if (rc == SR_OK && (rc = after_cond(q, &w, date, err)) == SR_OK) {
        sr_buf sql = {0};
        sr_buf_puts(&sql, "SELECT e.id FROM events e");
        sr_buf_put(&sql, w.sql.p, w.sql.n);
        sr_buf_puts(&sql, ORDER);
        sr_buf_printf(&sql, " LIMIT %ld", q->limit);
        sr_stmt *s;
        rc = sr_db_prepare(st->db, sql.p, &s, err);
        sr_buf_free(&sql);
        if (rc == SR_OK) {
            bind_all(&w, s, 1);
            while ((rc = sr_stmt_step(s, err)) == SR_OK && *n < (size_t)q->limit)
                ids[(*n)++] = sr_stmt_int(s, 0);
            sr_stmt_free(s);
            if (rc == SR_OK || rc == SR_DONE)
                rc = SR_OK;
        }
    }
    w_free(&w);
    return rc;
}

/* The day a full-text page starts from: the cursor's date, else the newest
 * event's; NO_WINDOW when there is none (an undated cursor, no dates). */
static int top_day(sr_store *st, const char *after_date, int32_t *day, sr_err *err)
{
    *day = NO_WINDOW;
    if (after_date && *after_date) {
        *day = sr_ymd_days(sr_date_parse_iso(after_date));
        return SR_OK;
    }
    sr_stmt *s;
    int rc = sr_db_prepare(st->db, "SELECT max(date) FROM events", &s, err);
    if (rc)
        return rc;
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK && sr_stmt_text(s, 0))
        *day = sr_ymd_days(sr_date_parse_iso(sr_stmt_text(s, 0)));
    sr_stmt_free(s);
    return rc == SR_OK || rc == SR_DONE ? SR_OK : rc;
}

/* Pages of at most this many rows are read in two steps. */
#define PAGE_MAX 1000

/* A full-text query matches tens of thousands of sentences in a large
 * store; the page wants the newest hundred events. So it is first asked of
 * the last WINDOW_DAYS[0] days before the newest date (or the cursor's):
 * if that fills the page, no older event can come before those rows and
 * the page is exact; if not, of a wider window, and at last of all dates.
 * Each window costs about what its matches cost, so a rare word pays for
 * a few extra rounds, a common one reads a week of matches. */
static const int WINDOW_DAYS[] = {8, 64, 512};

int sr_store_query(sr_store *st, const sr_query *q, int (*fn)(void *ud, const sr_event_row *row),
                   void *ud, sr_err *err)
{
    if (st->version < 4 || q->limit <= 0 || q->limit > PAGE_MAX)
        return query_whole(st, q, fn, ud, err);
    /* both steps read one snapshot of the store */
    int pg = sr_db_kind(st->db) == SR_DB_PG;
    int txn = !st->in_batch &&
              sr_db_exec(st->db, pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN", NULL) == SR_OK;
    int64_t *ids = sr_xcalloc((size_t)q->limit, sizeof *ids);
    size_t n = 0;
    int32_t top = NO_WINDOW;
    int rc = SR_OK;
    if (q->text && *q->text) {
        where w = {.err = err};
        char date[16];
        rc = after_cond(q, &w, date, err);
        w_free(&w);
        /* after an undated cursor only undated events are left: no window */
        if (rc == SR_OK && (date[0] || !q->after || !*q->after))
            rc = top_day(st, date, &top, err);
    }
    for (size_t round = 0; rc == SR_OK; round++) {
        int32_t from = top != NO_WINDOW && round < SR_ARRAY_LEN(WINDOW_DAYS)
                           ? top - WINDOW_DAYS[round] : NO_WINDOW;
        rc = page_ids(st, q, from, ids, &n, err);
        if (rc || n == (size_t)q->limit || from == NO_WINDOW)
            break;
    }
    if (rc == SR_OK && n > 0) {
        sr_buf sql = {0};
        select_row(st, &sql);
        sr_buf_puts(&sql, " WHERE e.id IN (");
        for (size_t i = 0; i < n; i++)
            sr_buf_puts(&sql, i ? ",?" : "?");
        sr_buf_putc(&sql, ')');
        sr_buf_puts(&sql, ORDER);
        sr_stmt *s;
        rc = sr_db_prepare(st->db, sql.p, &s, err);
        sr_buf_free(&sql);
        if (rc == SR_OK) {
            for (size_t i = 0; i < n; i++)
                sr_stmt_bind_int(s, (int)i + 1, ids[i]);
            char cursor[64];
            while ((rc = sr_stmt_step(s, err)) == SR_OK) {
                sr_event_row r;
                read_row(s, &r, cursor, sizeof cursor);
                if (fn(ud, &r)) {
                    rc = SR_DONE;
                    break;
                }
            }
            sr_stmt_free(s);
            if (rc == SR_DONE)
                rc = SR_OK;
        }
    }
    free(ids);
    if (txn)
        sr_db_exec(st->db, "COMMIT", NULL);
    return rc;
}

/* ---- one event ---- */

static json_t *jstr(const sr_stmt *s, int col)
{
    const char *v = sr_stmt_text(s, col);
    return v ? json_string(v) : json_null();
}

typedef struct {
    char *json;
    size_t len;
} one_row;

static int capture_row(void *ud, const sr_event_row *r)
{
    one_row *o = ud;
    FILE *f = open_memstream(&o->json, &o->len);
    sr_rows_writer *w;
    if (!f)
        return 1;
    if (sr_rows_writer_new("jsonl", f, &w, NULL) == SR_OK) {
        sr_rows_write(w, r);
        sr_rows_writer_finish(w, NULL);
    }
    fclose(f);
    return 1;
}

/* The key (events.id) of the event with this id; 0 if there is none. A
 * SQLite store of version 4 has no index on event_id (schema.c says why):
 * the id is looked for under each distinct date in events_date, which a
 * recursive query walks from date to date (a few milliseconds for two
 * years of news) rather than reading the whole index. */
static int find_event_id(sr_store *st, const char *event_id, int64_t *id, sr_err *err)
{
    *id = 0;
    const char *sql =
        sr_db_kind(st->db) == SR_DB_PG
            ? "SELECT id FROM events WHERE event_id = ?"
            : "WITH RECURSIVE d(x) AS (SELECT (SELECT min(date) FROM events)"
              " UNION ALL SELECT (SELECT min(date) FROM events WHERE date > d.x) FROM d"
              " WHERE d.x IS NOT NULL)"
              " SELECT e.id FROM d JOIN events e ON e.date = d.x AND e.event_id = ?1"
              " UNION ALL SELECT id FROM events WHERE date IS NULL AND event_id = ?1 LIMIT 1";
    sr_stmt *s;
    int rc = sr_db_prepare(st->db, sql, &s, err);
    if (rc)
        return rc;
    sr_stmt_bind_text(s, 1, event_id);
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK)
        *id = sr_stmt_int(s, 0);
    sr_stmt_free(s);
    return rc == SR_OK || rc == SR_DONE ? SR_OK : rc;
}

/* A JSON string of n bytes of s; invalid UTF-8 (which the coder's why
 * never holds: the document text is repaired on input) becomes U+FFFD, as
 * the coder writes it. */
static json_t *jstrn(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j)
        return j;
    sr_buf b = {0};
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = sr_utf8_decode(s + i, n - i, &cp);
        if (k && cp) {
            sr_buf_put(&b, s + i, k);
            i += k;
        } else {
            sr_buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    j = json_stringn(b.p ? b.p : "", b.n);
    sr_buf_free(&b);
    return j ? j : json_string("");
}

/* The rule, entry and text of rules row id, read once per event shown. */
static json_t *rule_row(sr_store *st, json_int_t id, json_t *rules, sr_err *err)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    json_t *r = json_object_get(rules, key);
    if (r)
        return r;
    sr_stmt *s;
    if (sr_db_prepare(st->db, "SELECT rule, entry, text FROM rules WHERE id = ?", &s, err))
        return NULL;
    sr_stmt_bind_int(s, 1, id);
    if (sr_stmt_step(s, err) == SR_OK)
        r = json_pack("[sss]", sr_stmt_text(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2));
    sr_stmt_free(s);
    if (r)
        json_object_set_new(rules, key, r);
    return r;
}

/* A string or, if empty, null: the coder writes absent entries as null. */
static json_t *jstr_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

/* Turns a why list stored compactly (store.c, put_why) back into the
 * coder's list of {role, text, offset, rule, entry}; the words come from
 * the document's text. Lists of older stores (objects) stay as they are.
 * Takes why; returns the list. */
static json_t *why_expand(sr_store *st, json_t *why, const char *text, json_t *rules, sr_err *err)
{
    if (!json_is_array(why))
        return why;
    size_t tlen = strlen(text);
    json_t *out = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(why, i, it) {
        if (!json_is_array(it)) {
            json_array_append(out, it);
            continue;
        }
        json_int_t a = json_integer_value(json_array_get(it, 1));
        json_int_t b = json_integer_value(json_array_get(it, 2));
        json_t *rid = json_array_get(it, 3);
        json_t *rule = json_is_integer(rid) ? rule_row(st, json_integer_value(rid), rules, err) : NULL;
        int actor = json_array_size(it) >= 5;
        json_t *o = json_object();
        json_object_set(o, "role", json_array_get(it, 0));
        if (actor)
            json_object_set_new(o, "text", jstr_or_null(rule ? json_string_value(json_array_get(rule, 2))
                                                             : NULL));
        else if (a >= 0 && a <= b && (size_t)b <= tlen)
            json_object_set_new(o, "text", jstrn(text + a, (size_t)(b - a)));
        else
            json_object_set_new(o, "text", json_string(""));
        if (!actor || b > a)
            json_object_set_new(o, "offset", json_pack("[II]", a, b));
        if (rule) {
            json_object_set(o, "rule", json_array_get(rule, 0));
            json_object_set_new(o, "entry", jstr_or_null(json_string_value(json_array_get(rule, 1))));
        }
        json_array_append_new(out, o);
    }
    json_decref(why);
    return out;
}

int sr_store_event_json(sr_store *st, const char *event_id, char **json, sr_err *err)
{
    *json = NULL;
    int v4 = st->version >= 4;
    int64_t key = 0;
    int rc = v4 ? find_event_id(st, event_id, &key, err) : SR_OK;
    if (rc)
        return rc;
    if (v4 && !key)
        return SR_DONE;
    sr_buf sql = {0};
    select_row(st, &sql);
    sr_buf_puts(&sql, v4 ? " WHERE e.id = ?" : " WHERE e.event_id = ?");
    sr_stmt *s;
    rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc)
        return rc;
    if (v4)
        sr_stmt_bind_int(s, 1, key);
    else
        sr_stmt_bind_text(s, 1, event_id);
    one_row o = {0};
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK) {
        sr_event_row r;
        char cursor[64];
        read_row(s, &r, cursor, sizeof cursor);
        capture_row(&o, &r);
    }
    sr_stmt_free(s);
    if (rc != SR_OK) {
        free(o.json);
        return rc;
    }
    json_t *ev = o.json ? json_loads(o.json, 0, NULL) : NULL;
    free(o.json);
    if (!ev)
        return sr_err_set(err, SR_PARSE, sr_db_name(st->db), 0, "event %s: cannot format", event_id);
    json_t *mentions = json_array();
    json_t *rules = json_object(); /* rules read so far, by id */
    sr_buf_printf(&sql,
                  "SELECT m.mention_id, m.doc_id, d.outlet, d.url, d.title, d.published,"
                  " s.text, s.start_off, s.end_off, m.cameo, m.src_code, m.src_name,"
                  " m.tgt_code, m.tgt_name, m.modality, m.negated, m.attr_by,"
                  " m.attr_anonymous, m.attr_verb, m.date, m.date_precision, m.why, d.text"
                  " FROM mentions m JOIN documents d ON d.doc_id = m.doc_id"
                  " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.sent_no = m.sent_no"
                  " WHERE %s ORDER BY m.doc_id, m.ord", v4 ? "m.event = ?" : "m.event_id = ?");
    rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc == SR_OK) {
        if (v4)
            sr_stmt_bind_int(s, 1, key);
        else
            sr_stmt_bind_text(s, 1, event_id);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            json_t *m = json_object();
            static const char *const K[] = {"mention_id", "doc", "outlet", "url", "title",
                                            "published", "sentence"};
            for (int k = 0; k < 7; k++)
                json_object_set_new(m, K[k], jstr(s, k));
            json_object_set_new(m, "offset", json_pack("[II]", (json_int_t)sr_stmt_int(s, 7),
                                                       (json_int_t)sr_stmt_int(s, 8)));
            json_object_set_new(m, "cameo", jstr(s, 9));
            json_object_set_new(m, "source", json_pack("{s:o,s:o}", "code", jstr(s, 10), "name",
                                                       jstr(s, 11)));
            json_object_set_new(m, "target",
                                sr_stmt_isnull(s, 12) && sr_stmt_isnull(s, 13)
                                    ? json_null()
                                    : json_pack("{s:o,s:o}", "code", jstr(s, 12), "name",
                                                jstr(s, 13)));
            json_object_set_new(m, "modality", jstr(s, 14));
            json_object_set_new(m, "negated", json_boolean(sr_stmt_int(s, 15)));
            json_object_set_new(m, "attribution",
                                sr_stmt_isnull(s, 16)
                                    ? json_null()
                                    : json_pack("{s:o,s:b,s:o}", "by", jstr(s, 16), "anonymous",
                                                (int)sr_stmt_int(s, 17), "verb", jstr(s, 18)));
            json_object_set_new(m, "date", jstr(s, 19));
            json_object_set_new(m, "date_precision", jstr(s, 20));
            const char *why = sr_stmt_text(s, 21), *text = sr_stmt_text(s, 22);
            json_t *wj = why ? json_loads(why, 0, NULL) : NULL;
            if (wj && v4)
                wj = why_expand(st, wj, text ? text : "", rules, err);
            json_object_set_new(m, "why", wj ? wj : json_array());
            json_array_append_new(mentions, m);
        }
        sr_stmt_free(s);
        if (rc == SR_DONE)
            rc = SR_OK;
    }
    json_decref(rules);
    json_object_set_new(ev, "mentions", mentions);
    if (rc == SR_OK)
        *json = json_dumps(ev, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(ev);
    return rc;
}

/* ---- counts ---- */

int sr_store_stats(sr_store *st, const sr_query *q, const char *by,
                   int (*fn)(void *ud, const char *key, long count), void *ud, sr_err *err)
{
    const char *key, *order = " ORDER BY 2 DESC, 1";
    if (!strcmp(by, "day")) {
        key = "COALESCE(e.date, '(undated)')";
        order = " ORDER BY 1";
    } else if (!strcmp(by, "root")) {
        key = "e.root";
    } else if (!strcmp(by, "quad")) {
        key = "CAST(e.quad_class AS TEXT)";
        order = " ORDER BY 1";
    } else if (!strcmp(by, "pair")) {
        key = "COALESCE(e.src_country, e.src_org, e.src_code, '?') || ' -> ' ||"
              " COALESCE(e.tgt_country, e.tgt_org, e.tgt_code, '-')";
    } else if (!strcmp(by, "place")) {
        key = "COALESCE(e.place_name, '(no place)')";
    } else {
        return sr_err_set(err, SR_USAGE, "", 0, "stats by: day, root, quad, pair or place, not '%s'", by);
    }
    where w = {.err = err};
    int rc = build_where(st, q, NO_WINDOW, &w);
    if (rc) {
        w_free(&w);
        return rc;
    }
    sr_buf sql = {0};
    sr_buf_printf(&sql, "SELECT %s AS k, count(*) FROM events e", key);
    if (w.sql.n)
        sr_buf_put(&sql, w.sql.p, w.sql.n);
    sr_buf_puts(&sql, " GROUP BY k");
    sr_buf_puts(&sql, order);
    if (q->limit > 0)
        sr_buf_printf(&sql, " LIMIT %ld", q->limit);
    sr_stmt *s;
    rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc == SR_OK) {
        bind_all(&w, s, 1);
        while ((rc = sr_stmt_step(s, err)) == SR_OK)
            if (fn(ud, sr_stmt_text(s, 0), (long)sr_stmt_int(s, 1))) {
                rc = SR_DONE;
                break;
            }
        sr_stmt_free(s);
        if (rc == SR_DONE)
            rc = SR_OK;
    }
    w_free(&w);
    return rc;
}

/* ---- the timeline: counts per date bucket and key ---- */

int sr_store_timeline(sr_store *st, const sr_query *q, const char *bucket, const char *by,
                      int (*fn)(void *ud, const char *bucket, const char *key, long count),
                      void *ud, sr_err *err)
{
    int pg = sr_db_kind(st->db) == SR_DB_PG;
    const char *bexpr, *kexpr;
    if (!bucket || !strcmp(bucket, "day"))
        bexpr = "e.date";
    else if (!strcmp(bucket, "week")) /* named by its Monday */
        bexpr = pg ? "to_char(date_trunc('week', e.date::date), 'YYYY-MM-DD')"
                   : "date(e.date, '-6 days', 'weekday 1')";
    else
        return sr_err_set(err, SR_USAGE, "", 0, "bucket: day or week, not '%s'", bucket);
    if (!by || !strcmp(by, "quad"))
        kexpr = "CAST(e.quad_class AS TEXT)";
    else if (!strcmp(by, "root"))
        kexpr = "e.root";
    else
        return sr_err_set(err, SR_USAGE, "", 0, "by: quad or root, not '%s'", by);
    where w = {.err = err};
    int rc = build_where(st, q, NO_WINDOW, &w);
    if (rc) {
        w_free(&w);
        return rc;
    }
    w_and(&w, "e.date IS NOT NULL");
    sr_buf sql = {0};
    sr_buf_printf(&sql, "SELECT %s AS b, %s AS k, count(*) FROM events e", bexpr, kexpr);
    sr_buf_put(&sql, w.sql.p, w.sql.n);
    sr_buf_puts(&sql, " GROUP BY b, k ORDER BY b, k");
    sr_stmt *s;
    rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc == SR_OK) {
        bind_all(&w, s, 1);
        while ((rc = sr_stmt_step(s, err)) == SR_OK)
            if (fn(ud, sr_stmt_text(s, 0), sr_stmt_text(s, 1), (long)sr_stmt_int(s, 2))) {
                rc = SR_DONE;
                break;
            }
        sr_stmt_free(s);
        if (rc == SR_DONE)
            rc = SR_OK;
    }
    w_free(&w);
    return rc;
}

/* ---- suggestions: actors and places whose names start with a prefix ---- */

/* LIKE patterns for "a word of the name starts with prefix": 'p%' and
 * '% p%', lower-cased, wildcards escaped. */
static void word_prefix_patterns(const char *prefix, char **start, char **inner)
{
    sr_buf a = {0}, b = {0};
    sr_buf_puts(&b, "% ");
    for (const char *s = prefix; *s; s++) {
        char c = (char)tolower((unsigned char)*s);
        if (c == '%' || c == '_' || c == '\\') {
            sr_buf_putc(&a, '\\');
            sr_buf_putc(&b, '\\');
        }
        sr_buf_putc(&a, c);
        sr_buf_putc(&b, c);
    }
    sr_buf_putc(&a, '%');
    sr_buf_putc(&b, '%');
    *start = sr_buf_take(&a, NULL);
    *inner = sr_buf_take(&b, NULL);
}

int sr_store_actors(sr_store *st, const char *prefix, long limit,
                    int (*fn)(void *ud, const sr_actor_row *a), void *ud, sr_err *err)
{
    char *start, *inner;
    word_prefix_patterns(prefix ? prefix : "", &start, &inner);
    char up[24], code_prefix[26];
    size_t i = 0;
    for (; prefix && prefix[i] && i < sizeof up - 1; i++)
        up[i] = (char)toupper((unsigned char)prefix[i]);
    up[i] = 0;
    snprintf(code_prefix, sizeof code_prefix, "%s%%", up);
    sr_buf sql = {0};
    /* one row per code, named by its shortest surface name */
    sr_buf_puts(&sql, "SELECT code, min(name), min(country), min(org) FROM actors"
                      " WHERE code LIKE ? OR lower(name) LIKE ? ESCAPE '\\'"
                      " OR lower(name) LIKE ? ESCAPE '\\' OR country = ?"
                      " GROUP BY code ORDER BY length(code), code");
    sr_buf_printf(&sql, " LIMIT %ld", limit > 0 && limit <= 1000 ? limit : 20);
    sr_stmt *s;
    int rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc == SR_OK) {
        sr_stmt_bind_text(s, 1, code_prefix);
        sr_stmt_bind_text(s, 2, start);
        sr_stmt_bind_text(s, 3, inner);
        sr_stmt_bind_text(s, 4, up);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            sr_actor_row a = {sr_stmt_text(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2),
                              sr_stmt_text(s, 3)};
            if (fn(ud, &a)) {
                rc = SR_DONE;
                break;
            }
        }
        sr_stmt_free(s);
        if (rc == SR_DONE)
            rc = SR_OK;
    }
    free(start);
    free(inner);
    return rc;
}

int sr_store_places(sr_store *st, const char *prefix, long limit,
                    int (*fn)(void *ud, const sr_place_row *p), void *ud, sr_err *err)
{
    char *start, *inner;
    word_prefix_patterns(prefix ? prefix : "", &start, &inner);
    sr_buf sql = {0};
    sr_buf_puts(&sql, "SELECT place_id, name, country, admin1, lat, lon FROM places"
                      " WHERE lower(name) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\'"
                      " ORDER BY CASE WHEN lower(name) LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END,"
                      " name, place_id");
    sr_buf_printf(&sql, " LIMIT %ld", limit > 0 && limit <= 1000 ? limit : 20);
    sr_stmt *s;
    int rc = sr_db_prepare(st->db, sql.p, &s, err);
    sr_buf_free(&sql);
    if (rc == SR_OK) {
        sr_stmt_bind_text(s, 1, start);
        sr_stmt_bind_text(s, 2, inner);
        sr_stmt_bind_text(s, 3, start);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            sr_place_row p = {sr_stmt_text(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2),
                              sr_stmt_text(s, 3), !sr_stmt_isnull(s, 4) && !sr_stmt_isnull(s, 5),
                              sr_stmt_double(s, 4), sr_stmt_double(s, 5)};
            if (fn(ud, &p)) {
                rc = SR_DONE;
                break;
            }
        }
        sr_stmt_free(s);
        if (rc == SR_DONE)
            rc = SR_OK;
    }
    free(start);
    free(inner);
    return rc;
}
