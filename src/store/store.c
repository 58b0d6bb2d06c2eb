/* store.c — keeps coded documents: sr_store_open/close, ingest
 * (sr_store_put), duplicate clustering and the work queue.
 *
 * Ingest stores, per document, in one transaction: the document (text,
 * metadata, content hash), the sentences that carry events, one mention per
 * coded event (what was coded there and the coder's why, so every stored
 * event keeps its explanation), and the event each mention belongs to.
 *
 * Duplicate reporting. The same event is told by several outlets, in other
 * words, and an article repeats its own sentences in a summary. Mentions
 * are therefore clustered into events by a key: the principal of each actor
 * (country, else organisation, else code), the CAMEO code cut to three
 * digits (so "rejected" and "rejected the proposal" meet), the place, the
 * negation and the kind of modality (a fact, reported or asserted, never
 * merges with a threat or a plan), and a date window: ±1 day between two
 * explicitly dated mentions, ±3 days when one only has its article's date;
 * undated mentions merge only within their document.
 * This is how GDELT groups mentions under one event and ACLED merges
 * reports; the key is deliberately coarse on words and strict on who, what,
 * where. An event's id is the id of its first mention; a mention's id is a
 * hash of its document, sentence offsets and coded content, so ids are
 * stable across re-ingests and exports can be synced incrementally. */
#include "store.h"

#include "../code/code.h"
#include "../out/out.h"
#include "../text/text.h"
#include "../time/dates.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers ---- */

/* Hashes one field of a composite key (sr_hash64 with a separator, so
 * "ab","c" != "a","bc"). */
static uint64_t fnv64s(uint64_t h, const char *s)
{
    h = sr_hash64(h, s ? s : "", s ? strlen(s) : 0);
    return sr_hash64(h, "\x1f", 1);
}

static void hex64(uint64_t h, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = 0;
}

static void now_utc(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A set of strings already written by this connection (actor names,
 * places), so ingest does not repeat an INSERT it knows is a no-op. */
typedef struct sr_seen {
    uint64_t *slot;
    size_t cap, n;
} sr_seen;

static int seen_add(sr_seen *s, uint64_t h)
{
    if (!h)
        h = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 4096;
        uint64_t *ns = sr_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) {
                size_t j = s->slot[i] & (ncap - 1);
                while (ns[j])
                    j = (j + 1) & (ncap - 1);
                ns[j] = s->slot[i];
            }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t j = h & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == h)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = h;
    s->n++;
    return 1;
}

/* ---- open / close ---- */

int sr_store_open(const char *target, unsigned flags, sr_store **out, sr_err *err)
{
    *out = NULL;
    sr_db *db;
    int ro = (flags & SR_STORE_READONLY) != 0;
    int rc = sr_db_open(target, ro ? SR_DB_READONLY : 0, &db, err);
    if (rc)
        return rc;
    sr_store *st = sr_xcalloc(1, sizeof *st);
    st->db = db;
    st->readonly = ro;
    st->seen = sr_xcalloc(1, sizeof *st->seen);
    if ((rc = sr_schema_migrate(db, ro, &st->version, err))) {
        sr_store_close(st);
        return rc;
    }
    *out = st;
    return SR_OK;
}

void sr_store_close(sr_store *st)
{
    if (!st)
        return;
    if (st->in_batch)
        sr_db_rollback(st->db);
    for (size_t i = 0; i < SR_ARRAY_LEN(st->st); i++)
        sr_stmt_free(st->st[i]);
    if (st->seen)
        free(st->seen->slot);
    free(st->seen);
    sr_db_close(st->db);
    free(st);
}

const char *sr_store_backend(const sr_store *st)
{
    return sr_db_kind(st->db) == SR_DB_PG ? "postgresql" : "sqlite";
}

int sr_store_begin(sr_store *st, sr_err *err)
{
    if (st->readonly)
        return sr_err_set(err, SR_USAGE, sr_db_name(st->db), 0, "store opened read-only");
    if (st->in_batch)
        return SR_OK;
    int rc = sr_db_begin(st->db, err);
    if (rc == SR_OK)
        st->in_batch = 1;
    return rc;
}

/* SQLite: indexes the sentences stored since the last sync for full-text
 * search, in one statement (schema.c says why not per row). */
static int fts_sync(sr_store *st, sr_err *err)
{
    if (sr_db_kind(st->db) != SR_DB_SQLITE || st->version < 2 || !st->fts_dirty)
        return SR_OK;
    st->fts_dirty = 0;
    return sr_db_exec(st->db,
                      "INSERT INTO sentences_fts(rowid, text) SELECT rowid, text FROM sentences"
                      " WHERE rowid > (SELECT CAST(value AS INTEGER) FROM sitrep_meta"
                      " WHERE key = 'fts_rowid');"
                      "UPDATE sitrep_meta SET value ="
                      " CAST((SELECT COALESCE(max(rowid), 0) FROM sentences) AS TEXT)"
                      " WHERE key = 'fts_rowid';",
                      err);
}

int sr_store_commit(sr_store *st, sr_err *err)
{
    if (!st->in_batch)
        return SR_OK;
    int rc = fts_sync(st, err);
    if (rc) {
        sr_store_rollback(st);
        return rc;
    }
    st->in_batch = 0;
    rc = sr_db_commit(st->db, err);
    if (rc)
        sr_db_rollback(st->db);
    return rc;
}

void sr_store_rollback(sr_store *st)
{
    if (st->in_batch)
        sr_db_rollback(st->db);
    st->in_batch = 0;
    st->fts_dirty = 0;
}

/* ---- prepared statements ---- */

enum {
    Q_DOC_HASH, Q_DOC_EVENTS, Q_DEL_MENTIONS, Q_DEL_SENTENCES, Q_DEL_DOC, Q_INS_DOC,
    Q_INS_SENT, Q_FIND_EVENT, Q_FIND_EVENT_NULL, Q_INS_EVENT, Q_INS_MENTION,
    Q_FIND_TOPIC, Q_FIND_TOPIC_ANY, Q_RECOUNT, Q_SEEN_IN, Q_BUMP, Q_LOCK, Q_DEL_EMPTY, Q_INS_ACTOR, Q_INS_PLACE, Q_ENQUEUE, Q_COUNT
};

static const char *const SQL[Q_COUNT] = {
    [Q_DOC_HASH] = "SELECT content_hash FROM documents WHERE doc_id = ?",
    [Q_DOC_EVENTS] = "SELECT DISTINCT event_id FROM mentions WHERE doc_id = ?",
    [Q_DEL_MENTIONS] = "DELETE FROM mentions WHERE doc_id = ?",
    [Q_DEL_SENTENCES] = "DELETE FROM sentences WHERE doc_id = ?",
    [Q_DEL_DOC] = "DELETE FROM documents WHERE doc_id = ?",
    [Q_INS_DOC] = "INSERT INTO documents(doc_id, content_hash, published, doc_date, date_source,"
                  " url, outlet, title, text, num_sentences, num_events, ingested_at, source_key)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [Q_INS_SENT] = "INSERT INTO sentences(doc_id, sent_no, start_off, end_off, text) VALUES (?,?,?,?,?)",
    [Q_FIND_EVENT] = "SELECT event_id, date, date_precision FROM events"
                     " WHERE cluster_key = ? AND date >= ? AND date <= ? ORDER BY event_id",
    [Q_FIND_EVENT_NULL] = "SELECT event_id, date, date_precision FROM events"
                          " WHERE cluster_key = ? AND date IS NULL ORDER BY event_id",
    [Q_FIND_TOPIC] = "SELECT event_id, date, date_precision,"
                     " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                     " WHERE topic_key = ? AND date >= ? AND date <= ?"
                     " ORDER BY event_id LIMIT 500",
    [Q_FIND_TOPIC_ANY] = "SELECT event_id, date, date_precision,"
                         " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                         " WHERE topic_key = ? ORDER BY event_id LIMIT 500",
    [Q_INS_EVENT] =
        "INSERT INTO events(event_id, cluster_key, topic_key, date, date_precision,"
        " src_code, src_country, src_org, src_name, tgt_code, tgt_country, tgt_org, tgt_name,"
        " cameo, root, quad_class, goldstein, plover, plover_mode, negated, modality, issues,"
        " place_id, place_name, lat, lon, place_country, admin1, place_precision,"
        " num_mentions, num_articles, num_sources, first_doc, first_sent)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,1,1,?,?)"
        " ON CONFLICT (event_id) DO NOTHING",
    [Q_INS_MENTION] =
        "INSERT INTO mentions(mention_id, event_id, doc_id, source_key, sent_no, ord, src_name,"
        " tgt_name, modality, negated, attr_by, attr_anonymous, attr_verb, cameo, src_code,"
        " tgt_code, date, date_precision, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [Q_RECOUNT] =
        "UPDATE events SET"
        " num_mentions = (SELECT count(*) FROM mentions m WHERE m.event_id = events.event_id),"
        " num_articles = (SELECT count(DISTINCT m.doc_id) FROM mentions m"
        "   WHERE m.event_id = events.event_id),"
        " num_sources = (SELECT count(DISTINCT m.source_key) FROM mentions m"
        "   WHERE m.event_id = events.event_id),"
        " first_doc = COALESCE((SELECT m.doc_id FROM mentions m WHERE m.event_id = events.event_id"
        "   ORDER BY m.doc_id, m.sent_no LIMIT 1), first_doc),"
        " first_sent = COALESCE((SELECT m.sent_no FROM mentions m WHERE m.event_id = events.event_id"
        "   ORDER BY m.doc_id, m.sent_no LIMIT 1), first_sent)"
        " WHERE event_id = ?",
    [Q_SEEN_IN] = "SELECT EXISTS (SELECT 1 FROM mentions WHERE event_id = ? AND source_key = ?),"
                  " EXISTS (SELECT 1 FROM mentions WHERE event_id = ? AND source_key = ?"
                  " AND doc_id = ?)",
    [Q_BUMP] = "UPDATE events SET num_mentions = num_mentions + 1,"
               " num_articles = num_articles + ?, num_sources = num_sources + ? WHERE event_id = ?",
    [Q_LOCK] = "SELECT pg_advisory_xact_lock(?)",
    [Q_DEL_EMPTY] = "DELETE FROM events WHERE event_id = ? AND num_mentions = 0",
    [Q_INS_ACTOR] = "INSERT INTO actors(code, name, country, org) VALUES (?,?,?,?)"
                    " ON CONFLICT (code, name) DO NOTHING",
    [Q_INS_PLACE] = "INSERT INTO places(place_id, name, lat, lon, country, admin1)"
                    " VALUES (?,?,?,?,?,?) ON CONFLICT (place_id) DO NOTHING",
    [Q_ENQUEUE] = "INSERT INTO queue(doc_id, text, published, url, outlet, title, enqueued_at)"
                  " VALUES (?,?,?,?,?,?,?) ON CONFLICT (doc_id) DO UPDATE SET"
                  " text = excluded.text, published = excluded.published, url = excluded.url,"
                  " outlet = excluded.outlet, title = excluded.title,"
                  " enqueued_at = excluded.enqueued_at",
};

static int stmt(sr_store *st, int q, sr_stmt **out, sr_err *err)
{
    if (!st->st[q]) {
        int rc = sr_db_prepare(st->db, SQL[q], &st->st[q], err);
        if (rc)
            return rc;
    } else {
        sr_stmt_reset(st->st[q]);
    }
    *out = st->st[q];
    return SR_OK;
}

/* Runs a statement that returns no rows. */
static int run(sr_stmt *s, sr_err *err)
{
    int rc = sr_stmt_step(s, err);
    sr_stmt_reset(s);
    return rc == SR_DONE || rc == SR_OK ? SR_OK : rc;
}

/* ---- ingest ---- */

/* A list of event ids whose counts must be recomputed. */
typedef struct {
    char (*id)[17];
    size_t n, cap;
} idlist;

static void idlist_add(idlist *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->id[i], id))
            return;
    SR_GROW(l->id, l->cap, l->n + 1);
    snprintf(l->id[l->n++], 17, "%s", id);
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

/* Country, else organisation, else code: who acts, for clustering. */
static const char *principal(const sr_actor_ref *a)
{
    if (a->country[0])
        return a->country;
    if (a->org[0])
        return a->org;
    return a->code;
}

static const char *mod_class(int modality)
{
    switch (modality) {
    case SR_MOD_ASSERTED:
    case SR_MOD_REPORTED: return "fact";
    case SR_MOD_ASSESSED: return "assessed";
    case SR_MOD_INTENDED: return "intended";
    default: return "hypothetical";
    }
}

static void place_id(const sr_event *e, char out[32])
{
    out[0] = 0;
    if (!e->has_loc)
        return;
    if (e->loc.geonames_id > 0)
        snprintf(out, 32, "%ld", e->loc.geonames_id);
    else
        snprintf(out, 32, "%s", e->loc.supplement_id);
}

/* The "principal" of an outlet: the outlet name, else the host of the URL,
 * else the document itself (num_sources counts these). */
static void source_key(const sr_doc *doc, char *out, size_t size)
{
    if (doc->source && *doc->source) {
        snprintf(out, size, "%s", doc->source);
        return;
    }
    const char *u = doc->url;
    if (u && *u) {
        const char *h = strstr(u, "://");
        h = h ? h + 3 : u;
        if (!strncmp(h, "www.", 4))
            h += 4;
        size_t n = strcspn(h, "/?#:");
        if (n) {
            snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), h);
            return;
        }
    }
    snprintf(out, size, "doc:%s", doc->id);
}

static void span(sr_stmt *s, int i, const sr_events *ev, uint32_t a, uint32_t b)
{
    if (b > a)
        sr_stmt_bind_textn(s, i, ev->text + a, b - a);
    else
        sr_stmt_bind_null(s, i);
}

/* The mention's day number, and the widest window of dates a matching
 * event may have (±3 days). */
static int32_t date_window(const sr_event *e, char lo[11], char hi[11])
{
    int32_t day = sr_ymd_days(sr_date_parse_iso(e->date));
    sr_ymd_format(sr_ymd_from_days(day - 3), lo);
    sr_ymd_format(sr_ymd_from_days(day + 3), hi);
    return day;
}

static int is_doc_date(const char *precision) { return !precision || !strcmp(precision, "document"); }

/* Days between a mention (day) and a candidate event dated d with
 * precision p, or -1 outside the window: ±1 day between two explicit
 * dates, ±3 when either is only its article's date. */
static int date_distance(const sr_event *e, int32_t day, const char *d, const char *p)
{
    int dist = abs(sr_ymd_days(sr_date_parse_iso(d)) - day);
    int window = is_doc_date(e->date_precision) || is_doc_date(p) ? 3 : 1;
    return dist <= window ? dist : -1;
}

/* Finds the event a mention belongs to; id[0] = 0 if none. */
static int find_cluster(sr_store *st, const char *key, const sr_event *e, char id[17], sr_err *err)
{
    id[0] = 0;
    sr_stmt *s;
    int rc;
    if (!e->date[0]) {
        if ((rc = stmt(st, Q_FIND_EVENT_NULL, &s, err)))
            return rc;
        sr_stmt_bind_text(s, 1, key);
        rc = sr_stmt_step(s, err);
        if (rc == SR_OK)
            snprintf(id, 17, "%s", sr_stmt_text(s, 0));
        sr_stmt_reset(s);
        return rc == SR_OK || rc == SR_DONE ? SR_OK : rc;
    }
    char lo[11], hi[11];
    int32_t day = date_window(e, lo, hi);
    if ((rc = stmt(st, Q_FIND_EVENT, &s, err)))
        return rc;
    sr_stmt_bind_text(s, 1, key);
    sr_stmt_bind_text(s, 2, lo);
    sr_stmt_bind_text(s, 3, hi);
    int best = 99;
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        int dist = date_distance(e, day, sr_stmt_text(s, 1), sr_stmt_text(s, 2));
        if (dist >= 0 && dist < best) {
            best = dist;
            snprintf(id, 17, "%s", sr_stmt_text(s, 0));
        }
    }
    sr_stmt_reset(s);
    return rc == SR_DONE ? SR_OK : rc;
}

/* PostgreSQL: a transaction-scoped advisory lock on a key (a no-op on
 * SQLite, where the batch already holds the database's write lock). */
static int pg_lock(sr_store *st, const char *key, sr_err *err)
{
    if (sr_db_kind(st->db) != SR_DB_PG)
        return SR_OK;
    sr_stmt *s;
    int rc = stmt(st, Q_LOCK, &s, err);
    if (rc)
        return rc;
    sr_stmt_bind_int(s, 1, (int64_t)fnv64s(SR_HASH64_INIT, key));
    rc = sr_stmt_step(s, err);
    sr_stmt_reset(s);
    return rc == SR_OK || rc == SR_DONE ? SR_OK : rc;
}

/* Do two comma-separated issue lists share a tag? */
static int issues_overlap(const char *a, const char *b)
{
    for (const char *p = a; *p;) {
        size_t n = strcspn(p, ",");
        for (const char *q = b; *q;) {
            size_t m = strcspn(q, ",");
            if (m == n && !strncmp(p, q, n))
                return 1;
            q += m + (q[m] == ',');
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

/* The second tier: the same party saying the same kind of thing about the
 * same negotiation issue ("Putin rejected the proposal for a temporary
 * ceasefire" / "the Kremlin has rejected proposals for a ceasefire"), to
 * the same or an unnamed target, within the date window; an undated
 * mention (its article carries no date) joins the first such event; a
 * dated one never joins an undated event, which would chain unrelated days. */
static int find_topic(sr_store *st, const char *topic, const sr_event *e, const char *tgt,
                      const char *issues, char id[17], sr_err *err)
{
    id[0] = 0;
    sr_stmt *s;
    int rc;
    int32_t day = 0;
    if (e->date[0]) {
        char lo[11], hi[11];
        day = date_window(e, lo, hi);
        if ((rc = stmt(st, Q_FIND_TOPIC, &s, err)))
            return rc;
        sr_stmt_bind_text(s, 2, lo);
        sr_stmt_bind_text(s, 3, hi);
    } else if ((rc = stmt(st, Q_FIND_TOPIC_ANY, &s, err))) {
        return rc;
    }
    sr_stmt_bind_text(s, 1, topic);
    int best = 99;
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        const char *d = sr_stmt_text(s, 1), *p = sr_stmt_text(s, 2);
        const char *t = sr_stmt_text(s, 3), *is = sr_stmt_text(s, 4);
        if (*tgt && t && *t && strcmp(t, tgt))
            continue;
        if (!is || !issues_overlap(issues, is))
            continue;
        int dist = d && e->date[0] ? date_distance(e, day, d, p) : 0;
        if (dist < 0)
            continue;
        if (dist < best) {
            best = dist;
            snprintf(id, 17, "%s", sr_stmt_text(s, 0));
        }
    }
    sr_stmt_reset(s);
    return rc == SR_DONE ? SR_OK : rc;
}

static int put_actor_name(sr_store *st, const sr_events *ev, const sr_actor_ref *a, sr_err *err)
{
    if (!a->code[0] || a->end <= a->start)
        return SR_OK;
    uint64_t h = fnv64s(fnv64s(SR_HASH64_INIT, a->code), "");
    h = sr_hash64(h, ev->text + a->start, a->end - a->start);
    if (!seen_add(st->seen, h))
        return SR_OK;
    sr_stmt *s;
    int rc = stmt(st, Q_INS_ACTOR, &s, err);
    if (rc)
        return rc;
    sr_stmt_bind_text(s, 1, a->code);
    span(s, 2, ev, a->start, a->end);
    sr_stmt_bind_text(s, 3, nz(a->country));
    sr_stmt_bind_text(s, 4, nz(a->org));
    return run(s, err);
}

static int put_place(sr_store *st, const sr_event *e, const char *pid, sr_err *err)
{
    if (!pid[0])
        return SR_OK;
    if (!seen_add(st->seen, fnv64s(fnv64s(SR_HASH64_INIT, "place"), pid)))
        return SR_OK;
    sr_stmt *s;
    int rc = stmt(st, Q_INS_PLACE, &s, err);
    if (rc)
        return rc;
    sr_stmt_bind_text(s, 1, pid);
    sr_stmt_bind_text(s, 2, e->loc.name);
    sr_stmt_bind_double(s, 3, e->loc.lat);
    sr_stmt_bind_double(s, 4, e->loc.lon);
    sr_stmt_bind_text(s, 5, nz(e->loc.country));
    sr_stmt_bind_text(s, 6, nz(e->loc.admin1));
    return run(s, err);
}

static const char *const PRECISION[] = {"", "settlement", "near", "admin1", "country"};

static int insert_event(sr_store *st, const sr_events *ev, const sr_event *e, const char *id,
                        const char *key, const char *topic, const char *pid, const char *issues,
                        const char *doc_id, sr_err *err)
{
    sr_stmt *s;
    int rc = stmt(st, Q_INS_EVENT, &s, err);
    if (rc)
        return rc;
    int i = 1;
    sr_stmt_bind_text(s, i++, id);
    sr_stmt_bind_text(s, i++, key);
    sr_stmt_bind_text(s, i++, topic);
    sr_stmt_bind_text(s, i++, nz(e->date));
    sr_stmt_bind_text(s, i++, e->date_precision);
    const sr_actor_ref *a[2] = {&e->src, e->has_tgt ? &e->tgt : NULL};
    for (int k = 0; k < 2; k++) {
        if (a[k]) {
            sr_stmt_bind_text(s, i++, nz(a[k]->code));
            sr_stmt_bind_text(s, i++, nz(a[k]->country));
            sr_stmt_bind_text(s, i++, nz(a[k]->org));
            span(s, i++, ev, a[k]->start, a[k]->end);
        } else {
            for (int j = 0; j < 4; j++)
                sr_stmt_bind_null(s, i++);
        }
    }
    sr_stmt_bind_text(s, i++, e->code);
    sr_stmt_bind_textn(s, i++, e->code, 2);
    if (e->cameo) {
        sr_stmt_bind_int(s, i++, e->cameo->quad);
        sr_stmt_bind_double(s, i++, (double)e->cameo->goldstein);
        sr_stmt_bind_text(s, i++, e->cameo->plover);
        sr_stmt_bind_text(s, i++, e->cameo->plover_mode);
    } else {
        for (int j = 0; j < 4; j++)
            sr_stmt_bind_null(s, i++);
    }
    sr_stmt_bind_int(s, i++, e->negated);
    sr_stmt_bind_text(s, i++, sr_modality_name(e->modality));
    sr_stmt_bind_text(s, i++, issues);
    if (e->has_loc) {
        sr_stmt_bind_text(s, i++, pid);
        sr_stmt_bind_text(s, i++, e->loc.name);
        sr_stmt_bind_double(s, i++, e->loc.lat);
        sr_stmt_bind_double(s, i++, e->loc.lon);
        sr_stmt_bind_text(s, i++, nz(e->loc.country));
        sr_stmt_bind_text(s, i++, nz(e->loc.admin1));
        sr_stmt_bind_text(s, i++, e->loc.precision > 0 && e->loc.precision < 5
                                      ? PRECISION[e->loc.precision] : NULL);
    } else {
        for (int j = 0; j < 7; j++)
            sr_stmt_bind_null(s, i++);
    }
    sr_stmt_bind_text(s, i++, doc_id);
    sr_stmt_bind_int(s, i++, e->sent);
    return run(s, err);
}

static int store_doc(sr_store *st, const sr_doc *doc, const sr_events *ev, const char *hash,
                     sr_err *err)
{
    sr_stmt *s;
    int rc;
    sr_buf why = {0};
    char now[21], skey[256];
    now_utc(now);
    source_key(doc, skey, sizeof skey);
    if ((rc = stmt(st, Q_INS_DOC, &s, err)))
        goto out;
    sr_stmt_bind_text(s, 1, doc->id);
    sr_stmt_bind_text(s, 2, hash);
    sr_stmt_bind_text(s, 3, doc->published);
    {
        /* the document's own date, as the coder resolved it */
        const char *dd = NULL;
        for (size_t i = 0; i < ev->n && !dd; i++)
            if (ev->ev[i].date_precision && !strcmp(ev->ev[i].date_precision, "document"))
                dd = ev->ev[i].date;
        sr_stmt_bind_text(s, 4, nz(dd) ? dd : doc->published);
    }
    sr_stmt_bind_text(s, 5, ev->docdate_source);
    sr_stmt_bind_text(s, 6, nz(doc->url));
    sr_stmt_bind_text(s, 7, nz(doc->source));
    sr_stmt_bind_text(s, 8, nz(doc->title));
    sr_stmt_bind_textn(s, 9, doc->text, doc->len);
    sr_stmt_bind_int(s, 10, (int64_t)ev->nsents);
    sr_stmt_bind_int(s, 11, (int64_t)ev->n);
    sr_stmt_bind_text(s, 12, now);
    sr_stmt_bind_text(s, 13, skey);
    if ((rc = run(s, err)))
        goto out;

    long last_sent = -1;
    for (size_t i = 0; i < ev->n; i++) {
        const sr_event *e = &ev->ev[i];
        if ((long)e->sent != last_sent) {
            /* events come in sentence order: one row per sentence */
            last_sent = e->sent;
            if ((rc = stmt(st, Q_INS_SENT, &s, err)))
                goto out;
            sr_stmt_bind_text(s, 1, doc->id);
            sr_stmt_bind_int(s, 2, e->sent);
            sr_stmt_bind_int(s, 3, e->sstart);
            sr_stmt_bind_int(s, 4, e->send);
            span(s, 5, ev, e->sstart, e->send);
            if ((rc = run(s, err)))
                goto out;
            st->fts_dirty = 1;
        }
        char pid[32];
        place_id(e, pid);
        char issues[512];
        size_t in = 0;
        issues[0] = 0;
        for (size_t k = 0; k < ev->dict->nissues && k < 64; k++)
            if (e->issues & (1ull << k))
                in += (size_t)snprintf(issues + in, in < sizeof issues ? sizeof issues - in : 0,
                                       "%s%s", in ? "," : "", ev->dict->issues[k].tag);
        if (in >= sizeof issues)
            issues[sizeof issues - 1] = 0;

        /* the mention id: document, sentence, and what was coded */
        uint64_t h = SR_HASH64_INIT;
        h = fnv64s(h, doc->id);
        char num[64];
        snprintf(num, sizeof num, "%u:%u:%zu", e->sstart, e->send, i);
        h = fnv64s(h, num);
        h = fnv64s(h, e->code);
        h = fnv64s(h, e->src.code);
        h = fnv64s(h, e->has_tgt ? e->tgt.code : "");
        h = fnv64s(h, pid);
        h = fnv64s(h, e->date);
        h = fnv64s(h, e->negated ? "neg" : "");
        h = fnv64s(h, sr_modality_name(e->modality));
        char mid[17];
        hex64(h, mid);

        char key[512];
        int kn = snprintf(key, sizeof key, "%s|%s|%.3s|%s|%d|%s", principal(&e->src),
                          e->has_tgt ? principal(&e->tgt) : "", e->code, pid, e->negated,
                          mod_class(e->modality));
        if (!e->date[0] && kn > 0 && (size_t)kn < sizeof key)
            /* undated: nothing says two articles speak of the same day, so
             * such mentions merge only within their own document */
            snprintf(key + kn, sizeof key - (size_t)kn, "|%s", doc->id);
        /* the topic key of talk about negotiation issues (roots 01-14 with
         * an issue tag): who, what kind of act, negated, modality */
        char topic[96] = "";
        if (issues[0] && strncmp(e->code, "15", 2) < 0)
            snprintf(topic, sizeof topic, "%s|%.2s|%d|%s", principal(&e->src), e->code, e->negated,
                     mod_class(e->modality));
        char eid[17];
        /* PostgreSQL workers run side by side: whoever looks for an event
         * by a key holds that key until commit, so two workers never both
         * miss and create the same event twice */
        if ((rc = pg_lock(st, key, err)) || (topic[0] && (rc = pg_lock(st, topic, err))))
            goto out;
        if ((rc = find_cluster(st, key, e, eid, err)))
            goto out;
        if (!eid[0] && topic[0] &&
            (rc = find_topic(st, topic, e, e->has_tgt ? principal(&e->tgt) : "", issues, eid, err)))
            goto out;
        if (eid[0]) {
            /* counts are kept up to date as mentions arrive: recounting a
             * large cluster for every new mention would be quadratic. The
             * event's lock makes the check below see other workers'
             * committed mentions of it. */
            if ((rc = pg_lock(st, eid, err)))
                goto out;
            if ((rc = stmt(st, Q_SEEN_IN, &s, err)))
                goto out;
            sr_stmt_bind_text(s, 1, eid);
            sr_stmt_bind_text(s, 2, skey);
            sr_stmt_bind_text(s, 3, eid);
            sr_stmt_bind_text(s, 4, skey);
            sr_stmt_bind_text(s, 5, doc->id);
            if ((rc = sr_stmt_step(s, err)) != SR_OK) {
                sr_stmt_reset(s);
                goto out;
            }
            int64_t new_source = !sr_stmt_int(s, 0), new_article = !sr_stmt_int(s, 1);
            sr_stmt_reset(s);
            if ((rc = stmt(st, Q_BUMP, &s, err)))
                goto out;
            sr_stmt_bind_int(s, 1, new_article);
            sr_stmt_bind_int(s, 2, new_source);
            sr_stmt_bind_text(s, 3, eid);
            if ((rc = run(s, err)))
                goto out;
        } else {
            snprintf(eid, sizeof eid, "%s", mid);
            if ((rc = insert_event(st, ev, e, eid, key, topic[0] ? topic : NULL, pid, issues,
                                   doc->id, err)))
                goto out;
        }
        if ((rc = stmt(st, Q_INS_MENTION, &s, err)))
            goto out;
        int k = 1;
        sr_stmt_bind_text(s, k++, mid);
        sr_stmt_bind_text(s, k++, eid);
        sr_stmt_bind_text(s, k++, doc->id);
        sr_stmt_bind_text(s, k++, skey);
        sr_stmt_bind_int(s, k++, e->sent);
        sr_stmt_bind_int(s, k++, (int64_t)i);
        span(s, k++, ev, e->src.start, e->src.end);
        if (e->has_tgt)
            span(s, k++, ev, e->tgt.start, e->tgt.end);
        else
            sr_stmt_bind_null(s, k++);
        sr_stmt_bind_text(s, k++, sr_modality_name(e->modality));
        sr_stmt_bind_int(s, k++, e->negated);
        if (e->has_attr) {
            span(s, k++, ev, e->attr_start, e->attr_end);
            sr_stmt_bind_int(s, k++, e->attr_anon);
            span(s, k++, ev, e->attr_verb_start, e->attr_verb_end);
        } else {
            sr_stmt_bind_null(s, k++);
            sr_stmt_bind_null(s, k++);
            sr_stmt_bind_null(s, k++);
        }
        sr_stmt_bind_text(s, k++, e->code);
        sr_stmt_bind_text(s, k++, nz(e->src.code));
        sr_stmt_bind_text(s, k++, e->has_tgt ? nz(e->tgt.code) : NULL);
        sr_stmt_bind_text(s, k++, nz(e->date));
        sr_stmt_bind_text(s, k++, e->date_precision);
        sr_buf_reset(&why);
        sr_out_event_why(&why, ev, e);
        sr_stmt_bind_textn(s, k++, why.p, why.n);
        if ((rc = run(s, err)))
            goto out;
        if ((rc = put_actor_name(st, ev, &e->src, err)) ||
            (e->has_tgt && (rc = put_actor_name(st, ev, &e->tgt, err))) ||
            (rc = put_place(st, e, pid, err)))
            goto out;
    }
out:
    sr_buf_free(&why);
    return rc;
}

static int recount(sr_store *st, const idlist *touched, sr_err *err)
{
    for (size_t i = 0; i < touched->n; i++) {
        sr_stmt *s;
        int rc = stmt(st, Q_RECOUNT, &s, err);
        if (rc)
            return rc;
        sr_stmt_bind_text(s, 1, touched->id[i]);
        if ((rc = run(s, err)))
            return rc;
        if ((rc = stmt(st, Q_DEL_EMPTY, &s, err)))
            return rc;
        sr_stmt_bind_text(s, 1, touched->id[i]);
        if ((rc = run(s, err)))
            return rc;
    }
    return SR_OK;
}

/* Content hash: the text and every metadata field, so a corrected title or
 * date is a change too. */
static void content_hash(const sr_doc *doc, char out[40])
{
    uint64_t h = SR_HASH64_INIT;
    h = sr_hash64(h, doc->text, doc->len);
    h = fnv64s(h, "");
    h = fnv64s(h, doc->published);
    h = fnv64s(h, doc->url);
    h = fnv64s(h, doc->source);
    h = fnv64s(h, doc->title);
    char hex[17];
    hex64(h, hex);
    snprintf(out, 40, "%s:%zu", hex, doc->len);
}

int sr_store_put(sr_store *st, const sr_doc *doc, const sr_events *ev, int *outcome, sr_err *err)
{
    if (outcome)
        *outcome = 0;
    if (st->readonly)
        return sr_err_set(err, SR_USAGE, sr_db_name(st->db), 0, "store opened read-only");
    int own = !st->in_batch;
    int rc;
    if (own && (rc = sr_store_begin(st, err)))
        return rc;
    char hash[40];
    content_hash(doc, hash);
    idlist touched = {0};
    int result = SR_PUT_NEW;
    sr_stmt *s;
    if ((rc = stmt(st, Q_DOC_HASH, &s, err)))
        goto fail;
    sr_stmt_bind_text(s, 1, doc->id);
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK) {
        int same = !strcmp(sr_stmt_text(s, 0), hash);
        sr_stmt_reset(s);
        if (same) {
            if (own && (rc = sr_store_commit(st, err)))
                goto fail;
            if (outcome)
                *outcome = SR_PUT_UNCHANGED;
            return SR_OK;
        }
        result = SR_PUT_CHANGED;
        /* the old version's events are recounted after the new one is in */
        if ((rc = stmt(st, Q_DOC_EVENTS, &s, err)))
            goto fail;
        sr_stmt_bind_text(s, 1, doc->id);
        while ((rc = sr_stmt_step(s, err)) == SR_OK)
            idlist_add(&touched, sr_stmt_text(s, 0));
        sr_stmt_reset(s);
        if (rc != SR_DONE)
            goto fail;
        static const int DEL[] = {Q_DEL_MENTIONS, Q_DEL_SENTENCES, Q_DEL_DOC};
        for (size_t i = 0; i < SR_ARRAY_LEN(DEL); i++) {
            if ((rc = stmt(st, DEL[i], &s, err)))
                goto fail;
            sr_stmt_bind_text(s, 1, doc->id);
            if ((rc = run(s, err)))
                goto fail;
        }
        /* deleting the newest sentences frees their rowids for reuse: keep
         * the full-text mark below them so the reused rowids get indexed */
        if (sr_db_kind(st->db) == SR_DB_SQLITE && st->version >= 2 &&
            (rc = sr_db_exec(st->db,
                             "UPDATE sitrep_meta SET value = CAST(min(CAST(value AS INTEGER),"
                             " (SELECT COALESCE(max(rowid), 0) FROM sentences)) AS TEXT)"
                             " WHERE key = 'fts_rowid'",
                             err)))
            goto fail;
    } else if (rc != SR_DONE) {
        sr_stmt_reset(s);
        goto fail;
    } else {
        sr_stmt_reset(s);
    }
    if ((rc = store_doc(st, doc, ev, hash, err)) || (rc = recount(st, &touched, err)))
        goto fail;
    free(touched.id);
    if (own && (rc = sr_store_commit(st, err)))
        return rc;
    if (outcome)
        *outcome = result;
    return SR_OK;
fail:
    free(touched.id);
    if (own)
        sr_store_rollback(st);
    return rc;
}

/* ---- the work queue ---- */

int sr_store_enqueue(sr_store *st, const sr_doc *doc, sr_err *err)
{
    if (st->version < 3)
        return sr_err_set(err, SR_USAGE, sr_db_name(st->db), 0, "store has no queue (schema %d)",
                          st->version);
    sr_stmt *s;
    int rc = stmt(st, Q_ENQUEUE, &s, err);
    if (rc)
        return rc;
    char now[21];
    now_utc(now);
    sr_stmt_bind_text(s, 1, doc->id);
    sr_stmt_bind_textn(s, 2, doc->text, doc->len);
    sr_stmt_bind_text(s, 3, doc->published);
    sr_stmt_bind_text(s, 4, nz(doc->url));
    sr_stmt_bind_text(s, 5, nz(doc->source));
    sr_stmt_bind_text(s, 6, nz(doc->title));
    sr_stmt_bind_text(s, 7, now);
    return run(s, err);
}

int sr_store_claim(sr_store *st, size_t max, const sr_dict *dict, sr_doc ***docs, size_t *n,
                   sr_err *err)
{
    *docs = NULL;
    *n = 0;
    if (!st->in_batch)
        return sr_err_set(err, SR_USAGE, sr_db_name(st->db), 0, "claim outside a batch");
    /* PostgreSQL: rows locked by another worker's open transaction are
     * skipped, so many workers share one queue. SQLite: the batch holds the
     * database's write lock, so workers take turns. */
    const char *sql = sr_db_kind(st->db) == SR_DB_PG
        ? "SELECT doc_id, text, published, url, outlet, title FROM queue"
          " ORDER BY enqueued_at, doc_id LIMIT ? FOR UPDATE SKIP LOCKED"
        : "SELECT doc_id, text, published, url, outlet, title FROM queue"
          " ORDER BY enqueued_at, doc_id LIMIT ?";
    sr_stmt *s, *del;
    int rc = sr_db_prepare(st->db, sql, &s, err);
    if (rc)
        return rc;
    if ((rc = sr_db_prepare(st->db, "DELETE FROM queue WHERE doc_id = ?", &del, err))) {
        sr_stmt_free(s);
        return rc;
    }
    sr_stmt_bind_int(s, 1, (int64_t)max);
    size_t cap = 0;
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        sr_doc_meta meta = {
            .id = sr_stmt_text(s, 0), .published = sr_stmt_text(s, 2), .url = sr_stmt_text(s, 3),
            .source = sr_stmt_text(s, 4), .title = sr_stmt_text(s, 5), .origin = "queue",
        };
        const char *text = sr_stmt_text(s, 1);
        sr_doc *doc;
        sr_err derr = {0};
        if (sr_doc_new(&meta, text ? text : "", text ? strlen(text) : 0, 0, dict, &doc, &derr))
            continue; /* cannot happen for text that was a document once */
        SR_GROW(*docs, cap, *n + 1);
        (*docs)[(*n)++] = doc;
    }
    sr_stmt_free(s);
    if (rc != SR_DONE) {
        sr_stmt_free(del);
        return rc;
    }
    rc = SR_OK;
    for (size_t i = 0; i < *n; i++) {
        sr_stmt_reset(del);
        sr_stmt_bind_text(del, 1, (*docs)[i]->id);
        if ((rc = run(del, err)))
            break;
    }
    sr_stmt_free(del);
    return rc;
}
