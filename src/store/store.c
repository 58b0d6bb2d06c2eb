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

#include <math.h>
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

static int seen_has(const sr_seen *s, uint64_t h)
{
    if (!s->cap)
        return 0;
    if (!h)
        h = 1;
    for (size_t j = h & (s->cap - 1); s->slot[j]; j = (j + 1) & (s->cap - 1))
        if (s->slot[j] == h)
            return 1;
    return 0;
}

/* ---- the clustering cache (SQLite) ---- */

/* Clustering compares a mention with the events of its cluster key (and,
 * for the second tier, of its topic key) dated within three days of it.
 * On SQLite the store keeps those events in memory: the first mention of
 * a date loads every event of the dates around it (one range of
 * events_date, whose pages a feed in date order has just written), and
 * the events it creates are added. A look-up is then a hash probe rather
 * than a search of an index keyed by a hash of the cluster key, whose
 * inserts at random places were a large share of ingest's page writes.
 *
 * The cache holds only what the database says, for whole dates: it is
 * emptied when a batch rolls back, when an event is deleted, when it grows
 * past CACHE_MAX events, and when another connection has written to the
 * file since this one last looked (PRAGMA data_version, checked as each
 * batch begins). PostgreSQL workers run side by side and cannot trust
 * such a cache: there every look-up goes to the database under a lock.
 * Undated mentions, rare, also go to the database (events_undated). */

#define CACHE_MAX 500000

typedef struct {
    int64_t id;          /* events.id */
    uint64_t key;        /* hash of cluster_key */
    uint64_t topic;      /* hash of topic_key, 0 if none */
    uint64_t tgt;        /* hash of the target's principal, 0 if none */
    char *issues;        /* topic events: their issue tags (owned), else NULL */
    int32_t day;         /* the event's date, as a day number */
    uint8_t docdate;     /* dated only by its article (date precision "document") */
    char eid[17];        /* events.event_id */
} cev;

/* A slot of the hash tables that find entries by (key, day) or (topic,
 * day): the key and day are kept in the slot, so a probe that misses reads
 * one cache line, not an entry. Open addressing, linear probing. */
typedef struct {
    uint64_t key;
    int32_t day;
    uint32_t idx; /* entry index + 1; 0: empty */
} cslot;

typedef struct sr_ccache {
    cev *ev;              /* entries, in the order added */
    size_t n, cap;
    cslot *ks, *ts;       /* by cluster key, by topic key */
    size_t nslots;        /* slots of each, a power of 2 (0 before the first add) */
    sr_seen days;         /* day numbers whose events are all here */
    int64_t data_version; /* PRAGMA data_version when last checked, -1 unknown */
} sr_ccache;

static uint64_t str_hash(const char *s)
{
    uint64_t h = s && *s ? sr_hash64(SR_HASH64_INIT, s, strlen(s)) : 0;
    return h || !(s && *s) ? h : 1;
}

static size_t slot_of(const sr_ccache *c, uint64_t key, int32_t day)
{
    uint64_t h = key ^ ((uint64_t)(uint32_t)day * 0x9E3779B97F4A7C15ull);
    h ^= h >> 29;
    return (size_t)(h & (c->nslots - 1));
}

static uint64_t day_token(int32_t day) { return (uint64_t)(uint32_t)day | (1ull << 32); }

static void cache_clear(sr_ccache *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->ev[i].issues);
    c->n = 0;
    if (c->nslots) {
        memset(c->ks, 0, c->nslots * sizeof *c->ks);
        memset(c->ts, 0, c->nslots * sizeof *c->ts);
    }
    free(c->days.slot);
    c->days = (sr_seen){0};
}

static void cache_free(sr_ccache *c)
{
    if (!c)
        return;
    cache_clear(c);
    free(c->ev);
    free(c->ks);
    free(c->ts);
    free(c);
}

static void slot_put(const sr_ccache *c, cslot *t, uint64_t key, int32_t day, uint32_t i)
{
    size_t j = slot_of(c, key, day);
    while (t[j].idx)
        j = (j + 1) & (c->nslots - 1);
    t[j] = (cslot){key, day, i + 1};
}

static void link_entry(const sr_ccache *c, uint32_t i)
{
    const cev *x = &c->ev[i];
    slot_put(c, c->ks, x->key, x->day, i);
    if (x->topic)
        slot_put(c, c->ts, x->topic, x->day, i);
}

/* Adds an event, if its date is one the cache holds whole (else the
 * database will bring it when that date is loaded). Takes issues. */
static void cache_add(sr_ccache *c, const cev *x)
{
    if (seen_has(&c->days, day_token(x->day)) == 0) {
        free(x->issues);
        return;
    }
    SR_GROW(c->ev, c->cap, c->n + 1);
    if ((c->n + 1) * 2 > c->nslots) {
        size_t ns = c->nslots ? c->nslots * 2 : 8192;
        free(c->ks);
        free(c->ts);
        c->ks = sr_xcalloc(ns, sizeof *c->ks);
        c->ts = sr_xcalloc(ns, sizeof *c->ts);
        c->nslots = ns;
        for (size_t i = 0; i < c->n; i++)
            link_entry(c, (uint32_t)i);
    }
    c->ev[c->n] = *x;
    link_entry(c, (uint32_t)c->n);
    c->n++;
}

static int32_t iso_day(const char *d) { return sr_ymd_days(sr_date_parse_iso(d)); }

static int is_doc_date(const char *precision) { return !precision || !strcmp(precision, "document"); }

/* Loads the events dated lo_day..hi_day that the cache lacks, one range
 * query per run of missing dates. */
static int cache_load(sr_store *st, int32_t lo_day, int32_t hi_day, sr_err *err);

/* ---- events, and their counts ---- */

/* An event, as ingest refers to it: by id (events.id, schema version 4;
 * 0 before) and event_id (empty: no event). fts_day is what
 * sentences.fts_day counts it as (SR_FTS_DAY0 + its day, 0 if undated). */
typedef struct {
    int64_t id;
    char eid[17];
    int64_t fts_day;
} evref;

/* Events a document touches: the old version's (to recount) or the ones
 * its mentions went to (to count each article and outlet once). */
typedef struct {
    evref *ev;
    size_t n, cap;
} evlist;

static int evlist_has(const evlist *l, const evref *r)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->ev[i].eid, r->eid))
            return 1;
    return 0;
}

static void evlist_add(evlist *l, const evref *r)
{
    if (evlist_has(l, r))
        return;
    SR_GROW(l->ev, l->cap, l->n + 1);
    l->ev[l->n++] = *r;
}

/* Binds the event the way the schema refers to events from mentions. */
static void bind_event(const sr_store *st, sr_stmt *s, int i, const evref *r)
{
    if (st->version >= 4)
        sr_stmt_bind_int(s, i, r->id);
    else
        sr_stmt_bind_ref(s, i, r->eid, strlen(r->eid));
}

/* A mention that joins an event adds one to its num_mentions, and maybe to
 * num_articles and num_sources. An event is often joined by several
 * documents of a batch (one story from several outlets), so the additions
 * are summed per event and each event's row is written once, as the batch
 * commits (flush_counts), not at every mention. Until then the rows'
 * counts lag; only a recount reads them, and it flushes first. */
typedef struct {
    evref ev;
    int64_t m, a, s; /* to add to num_mentions, num_articles, num_sources */
} pend;

typedef struct sr_pending {
    pend *p;
    size_t n, cap;
    uint32_t *slot; /* index + 1 by hash of event_id; 0: empty */
    size_t nslots;  /* a power of 2 */
} sr_pending;

static void pending_clear(sr_pending *q)
{
    q->n = 0;
    if (q->nslots)
        memset(q->slot, 0, q->nslots * sizeof *q->slot);
}

static void pending_add(sr_pending *q, const evref *r, int64_t m, int64_t a, int64_t s)
{
    if ((q->n + 1) * 2 > q->nslots) {
        size_t ns = q->nslots ? q->nslots * 2 : 4096;
        free(q->slot);
        q->slot = sr_xcalloc(ns, sizeof *q->slot);
        q->nslots = ns;
        for (size_t i = 0; i < q->n; i++) {
            size_t j = (size_t)str_hash(q->p[i].ev.eid) & (ns - 1);
            while (q->slot[j])
                j = (j + 1) & (ns - 1);
            q->slot[j] = (uint32_t)i + 1;
        }
    }
    size_t j = (size_t)str_hash(r->eid) & (q->nslots - 1);
    for (; q->slot[j]; j = (j + 1) & (q->nslots - 1)) {
        pend *x = &q->p[q->slot[j] - 1];
        if (!strcmp(x->ev.eid, r->eid)) {
            x->m += m;
            x->a += a;
            x->s += s;
            return;
        }
    }
    SR_GROW(q->p, q->cap, q->n + 1);
    q->p[q->n] = (pend){*r, m, a, s};
    q->slot[j] = (uint32_t)++q->n;
}

static int flush_counts(sr_store *st, sr_err *err);

/* The ids of rules (schema.c) this connection has stored or looked up, by
 * a hash of where the dictionary keeps them (file, line, entry, phrase:
 * strings the dictionary owns), so that the six or so steps of a mention's
 * why cost a probe each. Emptied when a batch rolls back (its rules are
 * gone with it) and when another dictionary comes. */
typedef struct {
    uint64_t h; /* 0: empty */
    int64_t id;
} ruleslot;

typedef struct sr_rulemap {
    ruleslot *slot;
    size_t n, cap;       /* cap a power of 2 */
    const void *dict;    /* the dictionary of the pointers hashed */
} sr_rulemap;

static int64_t *rulemap_at(sr_rulemap *m, uint64_t h, int add)
{
    if (!h)
        h = 1;
    if (add && (m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        ruleslot *ns = sr_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].h) {
                size_t j = m->slot[i].h & (ncap - 1);
                while (ns[j].h)
                    j = (j + 1) & (ncap - 1);
                ns[j] = m->slot[i];
            }
        free(m->slot);
        m->slot = ns;
        m->cap = ncap;
    }
    if (!m->cap)
        return NULL;
    size_t j = h & (m->cap - 1);
    for (; m->slot[j].h; j = (j + 1) & (m->cap - 1))
        if (m->slot[j].h == h)
            return &m->slot[j].id;
    if (!add)
        return NULL;
    m->slot[j].h = h;
    m->n++;
    return &m->slot[j].id;
}

static void rulemap_clear(sr_rulemap *m)
{
    if (m->cap)
        memset(m->slot, 0, m->cap * sizeof *m->slot);
    m->n = 0;
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
    st->pending = sr_xcalloc(1, sizeof *st->pending);
    st->rules = sr_xcalloc(1, sizeof *st->rules);
    if ((rc = sr_schema_migrate(db, ro, &st->version, err))) {
        sr_store_close(st);
        return rc;
    }
    if (!ro && sr_db_kind(db) == SR_DB_SQLITE && st->version >= 4) {
        st->cache = sr_xcalloc(1, sizeof *st->cache);
        st->cache->data_version = -1;
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
    if (st->pending) {
        free(st->pending->p);
        free(st->pending->slot);
    }
    free(st->pending);
    if (st->rules)
        free(st->rules->slot);
    free(st->rules);
    cache_free(st->cache);
    sr_db_close(st->db);
    free(st);
}

const char *sr_store_backend(const sr_store *st)
{
    return sr_db_kind(st->db) == SR_DB_PG ? "postgresql" : "sqlite";
}

/* ---- prepared statements ---- */

enum {
    Q_DOC_HASH, Q_DOC_EVENTS, Q_DEL_MENTIONS, Q_DEL_SENTENCES, Q_DEL_DOC, Q_INS_DOC,
    Q_INS_SENT, Q_FIND_EVENT, Q_FIND_EVENT_NULL, Q_INS_EVENT, Q_EVENT_BY_ID, Q_INS_MENTION,
    Q_FIND_TOPIC, Q_FIND_TOPIC_ANY, Q_RECOUNT, Q_HAS_SOURCE, Q_BUMP, Q_LOCK, Q_DEL_EMPTY,
    Q_INS_ACTOR, Q_INS_PLACE, Q_ENQUEUE, Q_LOAD_DAYS, Q_DATA_VERSION, Q_EVENT_AT, Q_INS_RULE,
    Q_RULE_ID, Q_PG_MENTIONS, Q_PG_SENTENCES, Q_PG_BUMP, Q_PG_LOCKS, Q_PG_CANDS, Q_PG_TCANDS,
    Q_PG_EVENTS, Q_PG_BYIDS, Q_PG_SOURCES, Q_COUNT
};

static const char *const SQL[Q_COUNT] = {
    [Q_DOC_HASH] = "SELECT content_hash FROM documents WHERE doc_id = ?",
    [Q_DOC_EVENTS] = "SELECT DISTINCT m.event, e.event_id FROM mentions m"
                     " JOIN events e ON e.id = m.event WHERE m.doc_id = ?",
    [Q_DEL_MENTIONS] = "DELETE FROM mentions WHERE doc_id = ?",
    [Q_DEL_SENTENCES] = "DELETE FROM sentences WHERE doc_id = ?",
    [Q_DEL_DOC] = "DELETE FROM documents WHERE doc_id = ?",
    [Q_INS_DOC] = "INSERT INTO documents(doc_id, content_hash, published, doc_date, date_source,"
                  " url, outlet, title, text, num_sentences, num_events, ingested_at, source_key)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [Q_INS_SENT] = "INSERT INTO sentences(doc_id, sent_no, start_off, end_off, text, fts_day)"
                   " VALUES (?,?,?,?,?,?)",
    /* key = ? and (key, date) between (key, lo) and (key, hi): the
     * rows of key = ? AND date BETWEEN lo AND hi, in a form only
     * events_cluster serves (PostgreSQL chose events_date for that one and
     * read a week of events for each mention), with the equality that
     * gives the planner its selectivity (for the row range alone it
     * guessed a tenth of the table, and chose to scan it) */
    [Q_FIND_EVENT] = "SELECT id, event_id, date, date_precision FROM events WHERE cluster_key = ?"
                     " AND (cluster_key, date) >= (?, ?) AND (cluster_key, date) <= (?, ?)",
    [Q_FIND_EVENT_NULL] = "SELECT id, event_id, date, date_precision FROM events"
                          " WHERE cluster_key = ? AND date IS NULL",
    [Q_FIND_TOPIC] = "SELECT id, event_id, date, date_precision,"
                     " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                     " WHERE topic_key = ? AND (topic_key, date) >= (?, ?)"
                     " AND (topic_key, date) <= (?, ?)",
    [Q_FIND_TOPIC_ANY] = "SELECT id, event_id, date, date_precision,"
                         " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                         " WHERE topic_key = ?",
    /* Q_INS_EVENT: see stmt() for its ending */
    [Q_INS_EVENT] =
        "INSERT INTO events(event_id, cluster_key, topic_key, date, date_precision,"
        " src_code, src_country, src_org, src_name, tgt_code, tgt_country, tgt_org, tgt_name,"
        " cameo, root, quad_class, goldstein, plover, plover_mode, negated, modality, issues,"
        " place_id, place_name, lat, lon, place_country, admin1, place_precision,"
        " num_mentions, num_articles, num_sources, first_doc, first_sent, geo_cell)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,1,1,?,?,?)",
    [Q_EVENT_BY_ID] = "SELECT id, event_id, date FROM events WHERE event_id = ?",
    /* SQLite: the event a changed document's mention made before has the
     * mention's date, which the id hashes (events_date finds it) */
    [Q_EVENT_AT] = "SELECT id, event_id, date FROM events WHERE date IS ? AND event_id = ?",
    [Q_INS_MENTION] =
        "INSERT INTO mentions(mention_id, event, doc_id, source_key, sent_no, ord, src_name,"
        " tgt_name, modality, negated, attr_by, attr_anonymous, attr_verb, cameo, src_code,"
        " tgt_code, date, date_precision, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [Q_RECOUNT] =
        "UPDATE events SET"
        " num_mentions = (SELECT count(*) FROM mentions m WHERE m.event = events.id),"
        " num_articles = (SELECT count(DISTINCT m.doc_id) FROM mentions m"
        "   WHERE m.event = events.id),"
        " num_sources = (SELECT count(DISTINCT m.source_key) FROM mentions m"
        "   WHERE m.event = events.id),"
        " first_doc = COALESCE((SELECT m.doc_id FROM mentions m WHERE m.event = events.id"
        "   ORDER BY m.doc_id, m.sent_no LIMIT 1), first_doc),"
        " first_sent = COALESCE((SELECT m.sent_no FROM mentions m WHERE m.event = events.id"
        "   ORDER BY m.doc_id, m.sent_no LIMIT 1), first_sent)"
        " WHERE id = ?",
    [Q_HAS_SOURCE] = "SELECT EXISTS (SELECT 1 FROM mentions WHERE event = ? AND source_key = ?)",
    [Q_BUMP] = "UPDATE events SET num_mentions = num_mentions + ?,"
               " num_articles = num_articles + ?, num_sources = num_sources + ? WHERE id = ?",
    [Q_LOCK] = "SELECT pg_advisory_xact_lock(?)",
    [Q_DEL_EMPTY] = "DELETE FROM events WHERE id = ? AND num_mentions = 0",
    [Q_INS_ACTOR] = "INSERT INTO actors(code, name, country, org) VALUES (?,?,?,?)"
                    " ON CONFLICT (code, name) DO NOTHING",
    [Q_INS_PLACE] = "INSERT INTO places(place_id, name, lat, lon, country, admin1)"
                    " VALUES (?,?,?,?,?,?) ON CONFLICT (place_id) DO NOTHING",
    [Q_ENQUEUE] = "INSERT INTO queue(doc_id, text, published, url, outlet, title, enqueued_at)"
                  " VALUES (?,?,?,?,?,?,?) ON CONFLICT (doc_id) DO UPDATE SET"
                  " text = excluded.text, published = excluded.published, url = excluded.url,"
                  " outlet = excluded.outlet, title = excluded.title,"
                  " enqueued_at = excluded.enqueued_at",
    [Q_LOAD_DAYS] = "SELECT id, event_id, date, date_precision, cluster_key, topic_key,"
                    " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                    " WHERE date >= ? AND date <= ?",
    [Q_DATA_VERSION] = "PRAGMA data_version",
    [Q_INS_RULE] = "INSERT INTO rules(rule, entry, text) VALUES (?,?,?)"
                   " ON CONFLICT (rule, entry, text) DO NOTHING",
    [Q_RULE_ID] = "SELECT id FROM rules WHERE rule = ? AND entry = ? AND text = ?",
    /* PostgreSQL, version 4: a document's rows in one statement each, its
     * keys locked in one (rowset) */
    [Q_PG_MENTIONS] =
        "INSERT INTO mentions(mention_id, event, doc_id, source_key, sent_no, ord, src_name,"
        " tgt_name, modality, negated, attr_by, attr_anonymous, attr_verb, cameo, src_code,"
        " tgt_code, date, date_precision, why) SELECT * FROM unnest(?::text[], ?::bigint[],"
        " ?::text[], ?::text[], ?::integer[], ?::integer[], ?::text[], ?::text[], ?::text[],"
        " ?::integer[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[],"
        " ?::text[], ?::text[], ?::text[])",
    [Q_PG_SENTENCES] =
        "INSERT INTO sentences(doc_id, sent_no, start_off, end_off, text, fts_day)"
        " SELECT * FROM unnest(?::text[], ?::integer[], ?::integer[], ?::integer[], ?::text[],"
        " ?::integer[])",
    [Q_PG_BUMP] =
        "UPDATE events e SET num_mentions = e.num_mentions + u.m,"
        " num_articles = e.num_articles + u.a, num_sources = e.num_sources + u.s"
        " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(id, m, a, s)"
        " WHERE e.id = u.id",
    [Q_PG_LOCKS] = "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(?::bigint[]) AS u(k)",
    /* the events a document's dated mentions may join, by their cluster
     * keys and by their topic keys, in the dates around theirs
     * (mentions_pg); each key's range as a row range that only its own
     * index serves (Q_FIND_EVENT says why) */
    [Q_PG_CANDS] = "SELECT e.id, e.event_id, e.date, e.date_precision, e.cluster_key, e.topic_key,"
                   " COALESCE(e.tgt_country, e.tgt_org, e.tgt_code), e.issues"
                   " FROM unnest(?::text[]) AS u(k) JOIN events e ON e.cluster_key = u.k"
                   " AND (e.cluster_key, e.date) >= (u.k, ?) AND (e.cluster_key, e.date) <= (u.k, ?)",
    [Q_PG_TCANDS] = "SELECT e.id, e.event_id, e.date, e.date_precision, e.cluster_key, e.topic_key,"
                    " COALESCE(e.tgt_country, e.tgt_org, e.tgt_code), e.issues"
                    " FROM unnest(?::text[]) AS u(k) JOIN events e ON e.topic_key = u.k"
                    " AND (e.topic_key, e.date) >= (u.k, ?) AND (e.topic_key, e.date) <= (u.k, ?)",
    [Q_PG_EVENTS] =
        "INSERT INTO events(event_id, cluster_key, topic_key, date, date_precision,"
        " src_code, src_country, src_org, src_name, tgt_code, tgt_country, tgt_org, tgt_name,"
        " cameo, root, quad_class, goldstein, plover, plover_mode, negated, modality, issues,"
        " place_id, place_name, lat, lon, place_country, admin1, place_precision,"
        " first_doc, first_sent, geo_cell, num_mentions, num_articles, num_sources)"
        " SELECT *, 1, 1, 1 FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
        " ?::text[], ?::text[], ?::integer[], ?::double precision[], ?::text[], ?::text[],"
        " ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[], ?::double precision[],"
        " ?::double precision[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[],"
        " ?::integer[]) ON CONFLICT (event_id) DO NOTHING RETURNING id, event_id",
    [Q_PG_BYIDS] = "SELECT id, event_id, date FROM events WHERE event_id = ANY (?::text[])",
    [Q_PG_SOURCES] = "SELECT DISTINCT event FROM mentions"
                     " WHERE source_key = ? AND event = ANY (?::bigint[])",
};

/* The same statements for stores of schema versions 1-3, which sitrep
 * still writes when $SITREP_SCHEMA_VERSION asks for one (a testing aid):
 * there mentions name their event by event_id, sentences have no date. */
static const char *const SQL_OLD[Q_COUNT] = {
    [Q_INS_EVENT] =
        "INSERT INTO events(event_id, cluster_key, topic_key, date, date_precision,"
        " src_code, src_country, src_org, src_name, tgt_code, tgt_country, tgt_org, tgt_name,"
        " cameo, root, quad_class, goldstein, plover, plover_mode, negated, modality, issues,"
        " place_id, place_name, lat, lon, place_country, admin1, place_precision,"
        " num_mentions, num_articles, num_sources, first_doc, first_sent)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,1,1,?,?)",
    [Q_DOC_EVENTS] = "SELECT DISTINCT 0, event_id FROM mentions WHERE doc_id = ?",
    [Q_INS_SENT] = "INSERT INTO sentences(doc_id, sent_no, start_off, end_off, text)"
                   " VALUES (?,?,?,?,?)",
    [Q_FIND_EVENT] = "SELECT 0, event_id, date, date_precision FROM events WHERE cluster_key = ?"
                     " AND (cluster_key, date) >= (?, ?) AND (cluster_key, date) <= (?, ?)",
    [Q_FIND_EVENT_NULL] = "SELECT 0, event_id, date, date_precision FROM events"
                          " WHERE cluster_key = ? AND date IS NULL",
    [Q_FIND_TOPIC] = "SELECT 0, event_id, date, date_precision,"
                     " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                     " WHERE topic_key = ? AND (topic_key, date) >= (?, ?)"
                     " AND (topic_key, date) <= (?, ?)",
    [Q_FIND_TOPIC_ANY] = "SELECT 0, event_id, date, date_precision,"
                         " COALESCE(tgt_country, tgt_org, tgt_code), issues FROM events"
                         " WHERE topic_key = ?",
    [Q_EVENT_BY_ID] = "SELECT 0, event_id, date FROM events WHERE event_id = ?",
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
    [Q_HAS_SOURCE] = "SELECT EXISTS (SELECT 1 FROM mentions WHERE event_id = ? AND source_key = ?)",
    [Q_BUMP] = "UPDATE events SET num_mentions = num_mentions + ?,"
               " num_articles = num_articles + ?, num_sources = num_sources + ? WHERE event_id = ?",
    [Q_DEL_EMPTY] = "DELETE FROM events WHERE event_id = ? AND num_mentions = 0",
};

_Static_assert(Q_COUNT <= sizeof ((sr_store *)0)->st / sizeof(sr_stmt *), "sr_store.st too small");

static int stmt(sr_store *st, int q, sr_stmt **out, sr_err *err)
{
    if (!st->st[q]) {
        int old = st->version < 4;
        const char *sql = old && SQL_OLD[q] ? SQL_OLD[q] : SQL[q];
        char buf[1200];
        if (q == Q_INS_EVENT && (old || sr_db_kind(st->db) == SR_DB_PG)) {
            /* An event whose id (its first mention's) is taken is that
             * mention's own event from an earlier version of its document,
             * kept by other mentions: where event_id is unique, the insert
             * does nothing and the mention joins that event. Was the event
             * inserted? RETURNING says on PostgreSQL, where it costs
             * nothing (sr_db_inserted_id says why not on SQLite). SQLite
             * stores of version 4 have no unique index on event_id; ingest
             * looks first (Q_EVENT_AT). */
            snprintf(buf, sizeof buf, "%s ON CONFLICT (event_id) DO NOTHING%s", sql,
                     sr_db_kind(st->db) != SR_DB_PG ? "" : old ? " RETURNING 0" : " RETURNING id");
            sql = buf;
        }
        int rc = sr_db_prepare(st->db, sql, &st->st[q], err);
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

/* ---- rows written per document ---- */

/* The rows of one table a document adds. On SQLite each is an INSERT of
 * its own, bound and run as it is given (a statement costs microseconds).
 * On PostgreSQL a statement is a round trip to the server, and a document
 * has some eight mentions and six sentences: their values gather in one
 * array literal per column, and one INSERT ... SELECT FROM unnest(...)
 * writes them when the document is done (rowset_flush). */
typedef struct {
    sr_store *st;
    int q;         /* the INSERT of one row */
    int q_pg;      /* the INSERT of arrays, or -1 to use q on PostgreSQL too */
    int ncols;
    sr_stmt *s;    /* one row at a time: the statement of the current row */
    int col;       /* the next column, from 1 */
    sr_buf arr[40];/* arrays: one literal per column, without its braces */
    size_t rows;   /* arrays: rows gathered */
} rowset;

static void rowset_init(rowset *r, sr_store *st, int q, int q_pg, int ncols)
{
    memset(r, 0, sizeof *r);
    r->st = st;
    r->q = q;
    r->q_pg = sr_db_kind(st->db) == SR_DB_PG && st->version >= 4 ? q_pg : -1;
    r->ncols = ncols;
}

static void rowset_free(rowset *r)
{
    for (int i = 0; i < r->ncols; i++)
        sr_buf_free(&r->arr[i]);
}

static int row_begin(rowset *r, sr_err *err)
{
    r->col = 1;
    return r->q_pg >= 0 ? SR_OK : stmt(r->st, r->q, &r->s, err);
}

/* An array element: NULL, or the text in double quotes with '"' and '\'
 * escaped, as PostgreSQL reads array literals. */
static void row_text(rowset *r, const char *t, size_t n)
{
    if (r->q_pg < 0) {
        sr_stmt_bind_ref(r->s, r->col++, t, n);
        return;
    }
    sr_buf *a = &r->arr[r->col++ - 1];
    if (r->rows)
        sr_buf_putc(a, ',');
    if (!t) {
        sr_buf_puts(a, "NULL");
        return;
    }
    sr_buf_putc(a, '"');
    for (size_t i = 0, run = 0; i <= n; i++) {
        if (i == n || t[i] == '"' || t[i] == '\\') {
            sr_buf_put(a, t + i - run, run);
            run = 0;
            if (i < n) {
                sr_buf_putc(a, '\\');
                sr_buf_putc(a, t[i]);
            }
        } else {
            run++;
        }
    }
    sr_buf_putc(a, '"');
}

static void row_str(rowset *r, const char *t) { row_text(r, t, t ? strlen(t) : 0); }

static void row_span(rowset *r, const sr_events *ev, uint32_t a, uint32_t b)
{
    row_text(r, b > a ? ev->text + a : NULL, b > a ? b - a : 0);
}

static void row_int(rowset *r, int64_t v)
{
    if (r->q_pg < 0) {
        sr_stmt_bind_int(r->s, r->col++, v);
        return;
    }
    sr_buf *a = &r->arr[r->col++ - 1];
    sr_buf_printf(a, "%s%lld", r->rows ? "," : "", (long long)v);
}

static void row_double(rowset *r, double v)
{
    if (r->q_pg < 0) {
        sr_stmt_bind_double(r->s, r->col++, v);
        return;
    }
    sr_buf *a = &r->arr[r->col++ - 1];
    if (r->rows)
        sr_buf_putc(a, ',');
    if (isnan(v))
        sr_buf_puts(a, "NaN");
    else if (isinf(v))
        sr_buf_puts(a, v < 0 ? "-Infinity" : "Infinity");
    else
        sr_buf_printf(a, "%.17g", v);
}

static void row_null(rowset *r) { row_text(r, NULL, 0); }

static void row_event(rowset *r, const evref *ev)
{
    if (r->st->version >= 4)
        row_int(r, ev->id);
    else
        row_str(r, ev->eid);
}

static int row_end(rowset *r, sr_err *err)
{
    if (r->q_pg < 0)
        return run(r->s, err);
    r->rows++;
    return SR_OK;
}

static int rowset_flush(rowset *r, sr_err *err)
{
    if (r->q_pg < 0 || !r->rows)
        return SR_OK;
    sr_stmt *s;
    int rc = stmt(r->st, r->q_pg, &s, err);
    sr_buf lit = {0};
    for (int i = 0; rc == SR_OK && i < r->ncols; i++) {
        sr_buf_reset(&lit);
        sr_buf_putc(&lit, '{');
        sr_buf_put(&lit, r->arr[i].p, r->arr[i].n);
        sr_buf_putc(&lit, '}');
        sr_stmt_bind_textn(s, i + 1, lit.p, lit.n);
        sr_buf_reset(&r->arr[i]);
    }
    sr_buf_free(&lit);
    r->rows = 0;
    return rc ? rc : run(s, err);
}

static int flush_counts(sr_store *st, sr_err *err)
{
    sr_pending *q = st->pending;
    int rc = SR_OK;
    if (q->n && sr_db_kind(st->db) == SR_DB_PG && st->version >= 4) {
        /* one statement (rowset says why) */
        rowset r;
        rowset_init(&r, st, Q_BUMP, Q_PG_BUMP, 4);
        for (size_t i = 0; i < q->n; i++) {
            row_begin(&r, err);
            row_int(&r, q->p[i].ev.id);
            row_int(&r, q->p[i].m);
            row_int(&r, q->p[i].a);
            row_int(&r, q->p[i].s);
            row_end(&r, err);
        }
        rc = rowset_flush(&r, err);
        rowset_free(&r);
        pending_clear(q);
        return rc;
    }
    for (size_t i = 0; i < q->n && rc == SR_OK; i++) {
        sr_stmt *s;
        if ((rc = stmt(st, Q_BUMP, &s, err)))
            break;
        sr_stmt_bind_int(s, 1, q->p[i].m);
        sr_stmt_bind_int(s, 2, q->p[i].a);
        sr_stmt_bind_int(s, 3, q->p[i].s);
        bind_event(st, s, 4, &q->p[i].ev);
        rc = run(s, err);
    }
    pending_clear(q);
    return rc;
}

/* ---- batches ---- */

/* The cache is only as good as the database it was read from: another
 * connection that wrote since our last batch may have added or removed
 * events, so the cache starts over. */
static int cache_check(sr_store *st, sr_err *err)
{
    if (!st->cache)
        return SR_OK;
    sr_stmt *s;
    int rc = stmt(st, Q_DATA_VERSION, &s, err);
    if (rc)
        return rc;
    rc = sr_stmt_step(s, err);
    if (rc != SR_OK) {
        sr_stmt_reset(s);
        return rc;
    }
    int64_t v = sr_stmt_int(s, 0);
    sr_stmt_reset(s);
    if (v != st->cache->data_version)
        cache_clear(st->cache);
    st->cache->data_version = v;
    return SR_OK;
}

int sr_store_begin(sr_store *st, sr_err *err)
{
    if (st->readonly)
        return sr_err_set(err, SR_USAGE, sr_db_name(st->db), 0, "store opened read-only");
    if (st->in_batch)
        return SR_OK;
    int rc = sr_db_begin(st->db, err);
    if (rc)
        return rc;
    st->in_batch = 1;
    if ((rc = cache_check(st, err)))
        sr_store_rollback(st);
    return rc;
}

/* SQLite: indexes the sentences stored since the last sync for full-text
 * search, in one statement (schema.c says why not per row), in key order:
 * FTS5 writes its pending terms out whenever a rowid is not above the one
 * before, so unordered keys would make a segment per sentence. */
static int fts_sync(sr_store *st, sr_err *err)
{
    if (sr_db_kind(st->db) != SR_DB_SQLITE || st->version < 2 || !st->fts_dirty)
        return SR_OK;
    st->fts_dirty = 0;
    if (st->version < 4)
        return sr_db_exec(st->db,
                          "INSERT INTO sentences_fts(rowid, text) SELECT rowid, text FROM sentences"
                          " WHERE rowid > (SELECT CAST(value AS INTEGER) FROM sitrep_meta"
                          " WHERE key = 'fts_rowid');"
                          "UPDATE sitrep_meta SET value ="
                          " CAST((SELECT COALESCE(max(rowid), 0) FROM sentences) AS TEXT)"
                          " WHERE key = 'fts_rowid';",
                          err);
    return sr_db_exec(st->db,
                      "INSERT INTO sentences_fts(rowid, text) SELECT fts_key, text FROM sentences"
                      " WHERE id > (SELECT CAST(value AS INTEGER) FROM sitrep_meta"
                      " WHERE key = 'fts_rowid') ORDER BY fts_key;"
                      "UPDATE sitrep_meta SET value ="
                      " CAST((SELECT COALESCE(max(id), 0) FROM sentences) AS TEXT)"
                      " WHERE key = 'fts_rowid';",
                      err);
}

int sr_store_commit(sr_store *st, sr_err *err)
{
    if (!st->in_batch)
        return SR_OK;
    int rc = flush_counts(st, err);
    if (rc == SR_OK)
        rc = fts_sync(st, err);
    if (rc) {
        sr_store_rollback(st);
        return rc;
    }
    st->in_batch = 0;
    rc = sr_db_commit(st->db, err);
    if (rc) {
        sr_db_rollback(st->db);
        if (st->cache)
            cache_clear(st->cache);
    }
    return rc;
}

void sr_store_rollback(sr_store *st)
{
    if (st->in_batch)
        sr_db_rollback(st->db);
    st->in_batch = 0;
    st->fts_dirty = 0;
    pending_clear(st->pending);
    rulemap_clear(st->rules);
    /* the cache may hold events of the lost batch */
    if (st->cache)
        cache_clear(st->cache);
}

/* ---- ingest ---- */


static const char *nz(const char *s) { return s && *s ? s : NULL; }

/* Binds text the statement may borrow: everything bound below outlives
 * the statement's execution (sr_stmt_bind_ref). */
static void bind_str(sr_stmt *s, int i, const char *t) { sr_stmt_bind_ref(s, i, t, t ? strlen(t) : 0); }

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
        sr_stmt_bind_ref(s, i, ev->text + a, b - a);
    else
        sr_stmt_bind_null(s, i);
}

/* The widest window of dates a matching event may have (±3 days). */
static void date_window(int32_t day, char lo[11], char hi[11])
{
    sr_ymd_format(sr_ymd_from_days(day - 3), lo);
    sr_ymd_format(sr_ymd_from_days(day + 3), hi);
}

/* Whether an event dist days away is within the window: ±1 day between
 * two explicit dates, ±3 when either is only its article's date. */
static int in_window(int dist, int mention_docdate, int event_docdate)
{
    return dist <= (mention_docdate || event_docdate ? 3 : 1);
}

static void ref_set(evref *r, int64_t id, const char *eid, const char *date)
{
    r->id = id;
    snprintf(r->eid, sizeof r->eid, "%s", eid ? eid : "");
    r->fts_day = date && *date ? (int64_t)iso_day(date) + SR_FTS_DAY0 : 0;
}

/* What clustering knows of a mention. */
typedef struct {
    const sr_event *e;
    const char *key, *topic; /* cluster and topic keys (topic "" if none) */
    const char *tgt;         /* the target's principal, "" if none */
    const char *issues;      /* its issue tags, comma-separated */
    uint64_t kh, th, tgh;    /* str_hash of key, topic and tgt */
    int32_t day;             /* its date as a day number (if dated) */
    int docdate;             /* dated only by its article */
} mkey;

static int cache_load(sr_store *st, int32_t lo_day, int32_t hi_day, sr_err *err)
{
    sr_ccache *c = st->cache;
    if (c->n >= CACHE_MAX)
        cache_clear(c);
    for (int32_t d = lo_day; d <= hi_day;) {
        if (!seen_add(&c->days, day_token(d))) {
            d++;
            continue;
        }
        int32_t end = d;
        while (end < hi_day && seen_add(&c->days, day_token(end + 1)))
            end++;
        char lo[11], hi[11];
        sr_ymd_format(sr_ymd_from_days(d), lo);
        sr_ymd_format(sr_ymd_from_days(end), hi);
        sr_stmt *s;
        int rc = stmt(st, Q_LOAD_DAYS, &s, err);
        if (rc)
            return rc;
        bind_str(s, 1, lo);
        bind_str(s, 2, hi);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            cev x = {.id = sr_stmt_int(s, 0)};
            snprintf(x.eid, sizeof x.eid, "%s", sr_stmt_text(s, 1));
            x.day = iso_day(sr_stmt_text(s, 2));
            x.docdate = (uint8_t)is_doc_date(sr_stmt_text(s, 3));
            x.key = str_hash(sr_stmt_text(s, 4));
            x.topic = str_hash(sr_stmt_text(s, 5));
            x.tgt = str_hash(sr_stmt_text(s, 6));
            if (x.topic)
                x.issues = sr_xstrdup(sr_stmt_text(s, 7) ? sr_stmt_text(s, 7) : "");
            cache_add(c, &x);
        }
        sr_stmt_reset(s);
        if (rc != SR_DONE) {
            cache_clear(c);
            return rc;
        }
        d = end + 1;
    }
    return SR_OK;
}

/* The first tier from the cache: the event of the same key nearest in
 * date within the window; of two as near, the lower event id (as the
 * database look-up's ORDER BY event_id gives). */
static const cev *cache_find(const sr_ccache *c, const mkey *m)
{
    if (!c->nslots)
        return NULL;
    uint64_t key = m->kh;
    const cev *best = NULL;
    int best_dist = 99;
    for (int dd = -3; dd <= 3; dd++) {
        int32_t day = m->day + dd;
        int dist = abs(dd);
        for (size_t j = slot_of(c, key, day); c->ks[j].idx; j = (j + 1) & (c->nslots - 1)) {
            if (c->ks[j].key != key || c->ks[j].day != day)
                continue;
            const cev *x = &c->ev[c->ks[j].idx - 1];
            if (!in_window(dist, m->docdate, x->docdate))
                continue;
            if (!best || dist < best_dist || (dist == best_dist && strcmp(x->eid, best->eid) < 0)) {
                best = x;
                best_dist = dist;
            }
        }
    }
    return best;
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

static int by_eid(const void *a, const void *b)
{
    return strcmp((*(const cev *const *)a)->eid, (*(const cev *const *)b)->eid);
}

/* The second tier from the cache, as find_topic does it in SQL: the first
 * 500 events of the topic in the window by event id, of which the nearest
 * in date with a compatible target and a shared issue. */
static const cev *cache_topic(const sr_ccache *c, const mkey *m)
{
    if (!c->nslots)
        return NULL;
    uint64_t topic = m->th, tgt = m->tgh;
    const cev **cand = NULL;
    size_t n = 0, cap = 0;
    for (int dd = -3; dd <= 3; dd++) {
        int32_t day = m->day + dd;
        for (size_t j = slot_of(c, topic, day); c->ts[j].idx; j = (j + 1) & (c->nslots - 1)) {
            if (c->ts[j].key != topic || c->ts[j].day != day)
                continue;
            SR_GROW(cand, cap, n + 1);
            cand[n++] = &c->ev[c->ts[j].idx - 1];
        }
    }
    if (n > 1)
        qsort(cand, n, sizeof *cand, by_eid);
    const cev *best = NULL;
    int best_dist = 99;
    for (size_t i = 0; i < n && i < 500; i++) {
        const cev *x = cand[i];
        if (tgt && x->tgt && x->tgt != tgt)
            continue;
        if (!x->issues || !issues_overlap(m->issues, x->issues))
            continue;
        int dist = abs(x->day - m->day);
        if (!in_window(dist, m->docdate, x->docdate))
            continue;
        if (dist < best_dist) {
            best_dist = dist;
            best = x;
        }
    }
    free(cand);
    return best;
}

/* The first tier in the database (PostgreSQL, and undated mentions): the
 * event of the key nearest in date within the window, of two as near the
 * lower event id. The look-ups have no ORDER BY event_id: given one,
 * PostgreSQL, before it had statistics, planned a walk of the whole
 * event_id index (2 ms a mention, growing with the store). */
static int find_cluster(sr_store *st, const mkey *m, evref *out, sr_err *err)
{
    sr_stmt *s;
    int rc;
    const sr_event *e = m->e;
    /* bound by reference (bind_str): they must outlive the steps below */
    /* cppcheck-suppress variableScope */
    char lo[11], hi[11];
    if (!e->date[0]) {
        if ((rc = stmt(st, Q_FIND_EVENT_NULL, &s, err)))
            return rc;
        bind_str(s, 1, m->key);
    } else {
        date_window(m->day, lo, hi);
        if ((rc = stmt(st, Q_FIND_EVENT, &s, err)))
            return rc;
        bind_str(s, 1, m->key);
        bind_str(s, 2, m->key);
        bind_str(s, 3, lo);
        bind_str(s, 4, m->key);
        bind_str(s, 5, hi);
    }
    int best = 99;
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        const char *d = sr_stmt_text(s, 2), *eid = sr_stmt_text(s, 1);
        int dist = 0;
        if (e->date[0]) {
            dist = abs(iso_day(d) - m->day);
            if (!in_window(dist, m->docdate, is_doc_date(sr_stmt_text(s, 3))))
                continue;
        }
        if (dist < best || (dist == best && strcmp(eid, out->eid) < 0)) {
            best = dist;
            ref_set(out, sr_stmt_int(s, 0), eid, d);
        }
    }
    sr_stmt_reset(s);
    return rc == SR_DONE ? SR_OK : rc;
}

/* A candidate of the second tier, copied out of its row. */
typedef struct {
    int64_t id;
    char eid[17];
    char date[11];     /* "" if undated */
    int docdate;
    char *tgt, *issues; /* owned */
} tcand;

static int by_tcand_eid(const void *a, const void *b)
{
    return strcmp(((const tcand *)a)->eid, ((const tcand *)b)->eid);
}

/* The second tier in the database. The same party saying the same kind of
 * thing about the same negotiation issue ("Putin rejected the proposal for
 * a temporary ceasefire" / "the Kremlin has rejected proposals for a
 * ceasefire"), to the same or an unnamed target, within the date window;
 * an undated mention (its article carries no date) joins the first such
 * event; a dated one never joins an undated event, which would chain
 * unrelated days. Of the topic's events, by event id, only the first 500
 * are looked at (cache_topic does the same). */
static int find_topic(sr_store *st, const mkey *m, evref *out, sr_err *err)
{
    sr_stmt *s;
    int rc;
    int dated = m->e->date[0] != 0;
    /* bound by reference (bind_str): they must outlive the steps below */
    /* cppcheck-suppress variableScope */
    char lo[11], hi[11];
    if (dated) {
        date_window(m->day, lo, hi);
        if ((rc = stmt(st, Q_FIND_TOPIC, &s, err)))
            return rc;
        bind_str(s, 2, m->topic);
        bind_str(s, 3, lo);
        bind_str(s, 4, m->topic);
        bind_str(s, 5, hi);
    } else if ((rc = stmt(st, Q_FIND_TOPIC_ANY, &s, err))) {
        return rc;
    }
    bind_str(s, 1, m->topic);
    tcand *c = NULL;
    size_t n = 0, cap = 0;
    while ((rc = sr_stmt_step(s, err)) == SR_OK) {
        SR_GROW(c, cap, n + 1);
        tcand *x = &c[n++];
        const char *d = sr_stmt_text(s, 2), *t = sr_stmt_text(s, 4), *is = sr_stmt_text(s, 5);
        x->id = sr_stmt_int(s, 0);
        snprintf(x->eid, sizeof x->eid, "%s", sr_stmt_text(s, 1));
        snprintf(x->date, sizeof x->date, "%s", d ? d : "");
        x->docdate = is_doc_date(sr_stmt_text(s, 3));
        x->tgt = t ? sr_xstrdup(t) : NULL;
        x->issues = is ? sr_xstrdup(is) : NULL;
    }
    sr_stmt_reset(s);
    if (n > 1)
        qsort(c, n, sizeof *c, by_tcand_eid);
    int best = 99;
    for (size_t i = 0; rc == SR_DONE && i < n && i < 500; i++) {
        const tcand *x = &c[i];
        if (*m->tgt && x->tgt && *x->tgt && strcmp(x->tgt, m->tgt))
            continue;
        if (!x->issues || !issues_overlap(m->issues, x->issues))
            continue;
        int dist = 0;
        if (x->date[0] && dated) {
            dist = abs(iso_day(x->date) - m->day);
            if (!in_window(dist, m->docdate, x->docdate))
                continue;
        }
        if (dist < best) {
            best = dist;
            ref_set(out, x->id, x->eid, x->date[0] ? x->date : NULL);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(c[i].tgt);
        free(c[i].issues);
    }
    free(c);
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

/* Finds the event a mention belongs to, by the first tier, else the
 * second; out->eid is empty if none. locked: PostgreSQL, the document's
 * keys are locked already (store_doc). */
static int cluster(sr_store *st, const mkey *m, int locked, evref *out, sr_err *err)
{
    memset(out, 0, sizeof *out);
    int rc;
    if (st->cache && m->e->date[0]) {
        if ((rc = cache_load(st, m->day - 3, m->day + 3, err)))
            return rc;
        const cev *x = cache_find(st->cache, m);
        if (!x && *m->topic)
            x = cache_topic(st->cache, m);
        if (x) {
            out->id = x->id;
            memcpy(out->eid, x->eid, sizeof out->eid);
            out->fts_day = (int64_t)x->day + SR_FTS_DAY0;
        }
        return SR_OK;
    }
    /* PostgreSQL workers run side by side: whoever looks for an event by
     * a key holds that key until commit, so two workers never both miss
     * and create the same event twice */
    if (!locked &&
        ((rc = pg_lock(st, m->key, err)) || (*m->topic && (rc = pg_lock(st, m->topic, err)))))
        return rc;
    if ((rc = find_cluster(st, m, out, err)))
        return rc;
    if (!out->eid[0] && *m->topic && (rc = find_topic(st, m, out, err)))
        return rc;
    return SR_OK;
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
    bind_str(s, 1, a->code);
    span(s, 2, ev, a->start, a->end);
    bind_str(s, 3, nz(a->country));
    bind_str(s, 4, nz(a->org));
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
    bind_str(s, 1, pid);
    bind_str(s, 2, e->loc.name);
    sr_stmt_bind_double(s, 3, e->loc.lat);
    sr_stmt_bind_double(s, 4, e->loc.lon);
    bind_str(s, 5, nz(e->loc.country));
    bind_str(s, 6, nz(e->loc.admin1));
    return run(s, err);
}

static const char *const PRECISION[] = {"", "settlement", "near", "admin1", "country"};

/* The columns of Q_INS_EVENT (and Q_PG_EVENTS) for a new event of mention
 * e, whose id it takes. */
static void event_cols(rowset *r, const sr_events *ev, const sr_event *e, const char *id,
                       const mkey *m, const char *pid, const char *doc_id)
{
    row_str(r, id);
    row_str(r, m->key);
    row_str(r, nz(m->topic));
    row_str(r, nz(e->date));
    row_str(r, e->date_precision);
    const sr_actor_ref *a[2] = {&e->src, e->has_tgt ? &e->tgt : NULL};
    for (int k = 0; k < 2; k++) {
        if (a[k]) {
            row_str(r, nz(a[k]->code));
            row_str(r, nz(a[k]->country));
            row_str(r, nz(a[k]->org));
            row_span(r, ev, a[k]->start, a[k]->end);
        } else {
            for (int j = 0; j < 4; j++)
                row_null(r);
        }
    }
    row_str(r, e->code);
    row_text(r, e->code, 2);
    if (e->cameo) {
        row_int(r, e->cameo->quad);
        row_double(r, (double)e->cameo->goldstein);
        row_str(r, e->cameo->plover);
        row_str(r, e->cameo->plover_mode);
    } else {
        for (int j = 0; j < 4; j++)
            row_null(r);
    }
    row_int(r, e->negated);
    row_str(r, sr_modality_name(e->modality));
    row_str(r, m->issues);
    if (e->has_loc) {
        row_str(r, pid);
        row_str(r, e->loc.name);
        row_double(r, e->loc.lat);
        row_double(r, e->loc.lon);
        row_str(r, nz(e->loc.country));
        row_str(r, nz(e->loc.admin1));
        row_str(r, e->loc.precision > 0 && e->loc.precision < 5 ? PRECISION[e->loc.precision]
                                                                 : NULL);
    } else {
        for (int j = 0; j < 7; j++)
            row_null(r);
    }
    row_str(r, doc_id);
    row_int(r, e->sent);
    if (r->st->version >= 4) {
        if (e->has_loc)
            row_int(r, SR_GEO_CELL(SR_GEO_ROW(e->loc.lat), SR_GEO_COL(e->loc.lon)));
        else
            row_null(r);
    }
}

/* Inserts a new event for mention e; out gets its key, or, if its id was
 * taken (Q_INS_EVENT says when), the event that has it. */
static int insert_event(sr_store *st, const sr_events *ev, const sr_event *e, const char *id,
                        const mkey *m, const char *pid, const char *doc_id, evref *out,
                        sr_err *err)
{
    rowset r;
    rowset_init(&r, st, Q_INS_EVENT, -1, 0);
    int rc = row_begin(&r, err);
    if (rc)
        return rc;
    sr_stmt *s = r.s;
    event_cols(&r, ev, e, id, m, pid, doc_id);
    rc = sr_stmt_step(s, err);
    int64_t new_id = -1;
    if (rc == SR_OK)
        new_id = sr_stmt_int(s, 0); /* PostgreSQL: RETURNING */
    else if (rc == SR_DONE && sr_db_kind(st->db) == SR_DB_SQLITE)
        new_id = sr_db_inserted_id(st->db);
    sr_stmt_reset(s);
    if (rc != SR_OK && rc != SR_DONE)
        return rc;
    if (new_id >= 0) {
        ref_set(out, st->version >= 4 ? new_id : 0, id, e->date);
        return SR_OK;
    }
    memset(out, 0, sizeof *out);
    if ((rc = stmt(st, Q_EVENT_BY_ID, &s, err)))
        return rc;
    bind_str(s, 1, id);
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK)
        ref_set(out, sr_stmt_int(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2));
    sr_stmt_reset(s);
    if (rc == SR_DONE)
        return sr_err_set(err, SR_IO, sr_db_name(st->db), 0, "event %s: neither new nor stored", id);
    return rc == SR_OK ? SR_OK : rc;
}

/* A mention joins an existing event: its counts go up by the mention, and
 * by an article and an outlet if they are new to it. This document's
 * other mentions of the event are known (mine); its old version's are
 * gone, so a first mention from it is a new article; an outlet may have
 * reported the event in another document. */
static int join_event(sr_store *st, const evref *r, const char *skey, evlist *mine, sr_err *err)
{
    int64_t new_article = 0, new_source = 0;
    if (!evlist_has(mine, r)) {
        sr_stmt *s;
        int rc;
        /* the event's lock makes the look-up below see other workers'
         * committed mentions of it */
        if ((rc = pg_lock(st, r->eid, err)))
            return rc;
        new_article = 1;
        if ((rc = stmt(st, Q_HAS_SOURCE, &s, err)))
            return rc;
        bind_event(st, s, 1, r);
        bind_str(s, 2, skey);
        if ((rc = sr_stmt_step(s, err)) != SR_OK) {
            sr_stmt_reset(s);
            return rc;
        }
        new_source = !sr_stmt_int(s, 0);
        sr_stmt_reset(s);
        evlist_add(mine, r);
    }
    pending_add(st->pending, r, 1, new_article, new_source);
    return SR_OK;
}

/* The id of a rule (the dictionary file and line, relative to the
 * dictionary directory as the coder's why names it), its entry and, for
 * actors, the phrase; each stored once (Q_INS_RULE). */
static int rule_id(sr_store *st, const sr_events *ev, const char *file, long line, const char *entry,
                   const char *text, int64_t *id, sr_err *err)
{
    if (st->rules->dict != ev->dict) {
        rulemap_clear(st->rules);
        st->rules->dict = ev->dict;
    }
    const void *key[4] = {file, (const void *)(intptr_t)line, entry, text};
    uint64_t h = sr_hash64(SR_HASH64_INIT, (const char *)key, sizeof key);
    int64_t *slot = rulemap_at(st->rules, h, 0);
    if (slot) {
        *id = *slot;
        return SR_OK;
    }
    size_t n = strlen(ev->dict->dir);
    if (!strncmp(file, ev->dict->dir, n) && file[n] == '/')
        file += n + 1;
    char rule[600];
    snprintf(rule, sizeof rule, "%s:%ld", file, line);
    entry = entry ? entry : "";
    text = text ? text : "";
    sr_stmt *s;
    int rc = stmt(st, Q_INS_RULE, &s, err);
    if (rc)
        return rc;
    bind_str(s, 1, rule);
    bind_str(s, 2, entry);
    bind_str(s, 3, text);
    if ((rc = run(s, err)) || (rc = stmt(st, Q_RULE_ID, &s, err)))
        return rc;
    bind_str(s, 1, rule);
    bind_str(s, 2, entry);
    bind_str(s, 3, text);
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK)
        *id = sr_stmt_int(s, 0);
    sr_stmt_reset(s);
    if (rc == SR_DONE)
        return sr_err_set(err, SR_IO, sr_db_name(st->db), 0, "rule %s: stored but not found", rule);
    if (rc != SR_OK)
        return rc;
    *rulemap_at(st->rules, h, 1) = *id;
    return SR_OK;
}

/* A mention's why, as the coder gives it (sr_out_event_why: role, words,
 * offsets, rule and entry of each step), in the compact form of schema
 * version 4 that query.c (why_expand) turns back into the same list:
 *
 *   [role, start, end]                the words of the document at start..end
 *   [role, start, end, rule]          the same and a rule (id in rules)
 *   [role, start, end, rule, 0]       an actor: its text is the rule's phrase,
 *                                     start..end its words (none if end <= start)
 *
 * Stores older than version 4 get the coder's list itself. */
/* Appends ",n" (a why list is written for every mention: no printf). */
static void put_num(sr_buf *b, uint64_t v)
{
    char d[24];
    int i = (int)sizeof d;
    d[--i] = 0;
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i > 1);
    d[--i] = ',';
    sr_buf_puts(b, d + i);
}

/* Appends [" role ", start, end (the role is one of the coder's words). */
static void put_step(sr_buf *b, const char *role, uint32_t start, uint32_t end)
{
    sr_buf_puts(b, b->n > 1 ? ",[\"" : "[\"");
    sr_buf_puts(b, role);
    sr_buf_putc(b, '"');
    put_num(b, start);
    put_num(b, end);
}

static int put_why(sr_store *st, sr_buf *b, const sr_events *ev, const sr_event *e, sr_err *err)
{
    if (st->version < 4) {
        sr_out_event_why(b, ev, e);
        return SR_OK;
    }
    int64_t id;
    int rc;
    sr_buf_putc(b, '[');
    for (int i = 0; i < e->nwhy; i++) {
        const sr_why_tok *w = &e->why[i];
        put_step(b, w->role, w->start, w->end);
        if (w->file) {
            if ((rc = rule_id(st, ev, w->file, w->line, w->entry, NULL, &id, err)))
                return rc;
            put_num(b, (uint64_t)id);
        }
        sr_buf_putc(b, ']');
    }
    const sr_actor_ref *refs[2] = {&e->src, e->has_tgt ? &e->tgt : NULL};
    static const char *const roles[2] = {"source", "target"};
    for (int r = 0; r < 2; r++)
        for (int k = 0; refs[r] && k < 3 && refs[r]->entry[k]; k++) {
            const sr_actor_entry *a = refs[r]->entry[k];
            if ((rc = rule_id(st, ev, a->file, a->line, a->code, a->phrase, &id, err)))
                return rc;
            put_step(b, roles[r], refs[r]->start, refs[r]->end);
            put_num(b, (uint64_t)id);
            sr_buf_puts(b, ",0]");
        }
    sr_buf_putc(b, ']');
    return SR_OK;
}

/* Stores one sentence of the document, dated by the newest of its events
 * (fts_day, schema.c). */
static int put_sentence(sr_store *st, rowset *r, const sr_doc *doc, const sr_events *ev,
                        const sr_event *e, int64_t fts_day, sr_err *err)
{
    int rc = row_begin(r, err);
    if (rc)
        return rc;
    row_str(r, doc->id);
    row_int(r, e->sent);
    row_int(r, e->sstart);
    row_int(r, e->send);
    row_span(r, ev, e->sstart, e->send);
    if (st->version >= 4)
        row_int(r, fts_day);
    st->fts_dirty = 1;
    return row_end(r, err);
}

/* What a mention is known by: its place, issue tags, id, cluster key and
 * topic key (store_doc computes them for all of a document's mentions
 * first, so that PostgreSQL can lock the keys in one statement). */
typedef struct {
    char pid[32], issues[512], mid[17], key[512], topic[96];
} mkeys;

/* Appends at most max bytes of s at *p, keeping one byte of room before
 * end for the terminating NUL (the keys are built for every mention:
 * snprintf was a tenth of store_doc's time). */
static void cat(char **p, const char *end, const char *s, size_t max)
{
    for (; max && *s && *p < end - 1; max--)
        *(*p)++ = *s++;
    **p = 0;
}

static void cat_u(char **p, const char *end, uint64_t v)
{
    char d[24];
    int i = (int)sizeof d;
    d[--i] = 0;
    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i > 0);
    cat(p, end, d + i, sizeof d);
}

static void mention_keys(const sr_doc *doc, const sr_events *ev, size_t i, mkeys *k)
{
    const sr_event *e = &ev->ev[i];
    place_id(e, k->pid);
    size_t in = 0;
    k->issues[0] = 0;
    for (size_t t = 0; t < ev->dict->nissues && t < 64; t++)
        if (e->issues & (1ull << t))
            in += (size_t)snprintf(k->issues + in, in < sizeof k->issues ? sizeof k->issues - in : 0,
                                   "%s%s", in ? "," : "", ev->dict->issues[t].tag);
    if (in >= sizeof k->issues)
        k->issues[sizeof k->issues - 1] = 0;

    /* the mention id: document, sentence, and what was coded */
    uint64_t h = SR_HASH64_INIT;
    h = fnv64s(h, doc->id);
    char num[64], *p = num;
    cat_u(&p, num + sizeof num, e->sstart);
    cat(&p, num + sizeof num, ":", 1);
    cat_u(&p, num + sizeof num, e->send);
    cat(&p, num + sizeof num, ":", 1);
    cat_u(&p, num + sizeof num, i);
    h = fnv64s(h, num);
    h = fnv64s(h, e->code);
    h = fnv64s(h, e->src.code);
    h = fnv64s(h, e->has_tgt ? e->tgt.code : "");
    h = fnv64s(h, k->pid);
    h = fnv64s(h, e->date);
    h = fnv64s(h, e->negated ? "neg" : "");
    h = fnv64s(h, sr_modality_name(e->modality));
    hex64(h, k->mid);

    /* principal(src)|principal(tgt)|CAMEO cut to 3|place|negated|modality */
    char *end = k->key + sizeof k->key;
    p = k->key;
    cat(&p, end, principal(&e->src), SIZE_MAX);
    cat(&p, end, "|", 1);
    cat(&p, end, e->has_tgt ? principal(&e->tgt) : "", SIZE_MAX);
    cat(&p, end, "|", 1);
    cat(&p, end, e->code, 3);
    cat(&p, end, "|", 1);
    cat(&p, end, k->pid, SIZE_MAX);
    if (e->negated == 0 || e->negated == 1) {
        cat(&p, end, e->negated ? "|1|" : "|0|", 3);
    } else {
        char neg[16];
        snprintf(neg, sizeof neg, "|%d|", e->negated);
        cat(&p, end, neg, sizeof neg);
    }
    cat(&p, end, mod_class(e->modality), SIZE_MAX);
    if (!e->date[0]) {
        /* undated: nothing says two articles speak of the same day, so
         * such mentions merge only within their own document */
        cat(&p, end, "|", 1);
        cat(&p, end, doc->id, SIZE_MAX);
    }
    /* the topic key of talk about negotiation issues (roots 01-14 with
     * an issue tag): who, what kind of act, negated, modality */
    k->topic[0] = 0;
    if (k->issues[0] && strncmp(e->code, "15", 2) < 0)
        snprintf(k->topic, sizeof k->topic, "%s|%.2s|%d|%s", principal(&e->src), e->code, e->negated,
                 mod_class(e->modality));
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* PostgreSQL: locks the cluster and topic keys of a document's mentions in
 * one statement, in key order (pg_lock says why they are locked). */
static int lock_keys(sr_store *st, const mkeys *k, size_t n, sr_err *err)
{
    uint64_t *h = sr_xcalloc(2 * n + 1, sizeof *h);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        h[m++] = fnv64s(SR_HASH64_INIT, k[i].key);
        if (k[i].topic[0])
            h[m++] = fnv64s(SR_HASH64_INIT, k[i].topic);
    }
    qsort(h, m, sizeof *h, by_u64);
    sr_buf lit = {0};
    sr_buf_putc(&lit, '{');
    for (size_t i = 0; i < m; i++)
        if (!i || h[i] != h[i - 1])
            sr_buf_printf(&lit, "%s%lld", i ? "," : "", (long long)(int64_t)h[i]);
    sr_buf_putc(&lit, '}');
    free(h);
    sr_stmt *s;
    int rc = stmt(st, Q_PG_LOCKS, &s, err);
    if (rc == SR_OK) {
        sr_stmt_bind_textn(s, 1, lit.p, lit.n);
        rc = run(s, err);
    }
    sr_buf_free(&lit);
    return rc;
}

/* Appends a mention's row: its id and event, its document and sentence,
 * what was coded there, and its why (why: the compact list put_why made,
 * which a SQLite row borrows until it is written). */
static int mention_row(rowset *r, const sr_doc *doc, const char *skey, const sr_events *ev,
                       size_t i, const char *mid, const evref *ref, const sr_buf *why, sr_err *err)
{
    const sr_event *e = &ev->ev[i];
    int rc = row_begin(r, err);
    if (rc)
        return rc;
    row_str(r, mid);
    row_event(r, ref);
    row_str(r, doc->id);
    row_str(r, skey);
    row_int(r, e->sent);
    row_int(r, (int64_t)i);
    row_span(r, ev, e->src.start, e->src.end);
    if (e->has_tgt)
        row_span(r, ev, e->tgt.start, e->tgt.end);
    else
        row_null(r);
    row_str(r, sr_modality_name(e->modality));
    row_int(r, e->negated);
    if (e->has_attr) {
        row_span(r, ev, e->attr_start, e->attr_end);
        row_int(r, e->attr_anon);
        row_span(r, ev, e->attr_verb_start, e->attr_verb_end);
    } else {
        row_null(r);
        row_null(r);
        row_null(r);
    }
    row_str(r, e->code);
    row_str(r, nz(e->src.code));
    row_str(r, e->has_tgt ? nz(e->tgt.code) : NULL);
    row_str(r, nz(e->date));
    row_str(r, e->date_precision);
    row_text(r, why->p, why->n);
    return row_end(r, err);
}

/* ---- PostgreSQL: a document in a few statements ---- */

/* Each statement is a round trip to the server: a document of eight
 * mentions took some forty of them one mention at a time. Here the
 * document's keys are locked (store_doc), the events its mentions may join
 * are read in one or two statements into a cache of its own, the mentions
 * are clustered against it in memory (the events the document makes are
 * added to it as they are made, so that a later mention joins them), the
 * new events are inserted in one statement, the outlets of the events
 * joined are checked in one, and the mentions and sentences written in one
 * each. Documents with an undated mention go the way of SQLite (rare). */

/* A text[] literal of n strings (each quoted, '"' and '\\' escaped). */
static void text_array(sr_buf *b, const char *const *v, size_t n)
{
    rowset r = {.q_pg = 0, .ncols = 1};
    for (size_t i = 0; i < n; i++) {
        r.col = 1;
        row_str(&r, v[i]);
        r.rows++;
    }
    sr_buf_reset(b);
    sr_buf_putc(b, '{');
    sr_buf_put(b, r.arr[0].p, r.arr[0].n);
    sr_buf_putc(b, '}');
    sr_buf_free(&r.arr[0]);
}

/* Loads the events of q (Q_PG_CANDS, Q_PG_TCANDS) for keys, dated lo..hi,
 * into c; ids already there are skipped. */
static int pg_candidates(sr_store *st, int q, const char *const *keys, size_t n, const char *lo,
                         const char *hi, sr_ccache *c, sr_seen *have, sr_err *err)
{
    sr_buf lit = {0};
    text_array(&lit, keys, n);
    sr_stmt *s;
    int rc = stmt(st, q, &s, err);
    if (rc == SR_OK) {
        sr_stmt_bind_textn(s, 1, lit.p, lit.n);
        sr_stmt_bind_text(s, 2, lo);
        sr_stmt_bind_text(s, 3, hi);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            int64_t id = sr_stmt_int(s, 0);
            if (!seen_add(have, (uint64_t)id))
                continue;
            cev x = {.id = id};
            snprintf(x.eid, sizeof x.eid, "%s", sr_stmt_text(s, 1));
            x.day = iso_day(sr_stmt_text(s, 2));
            x.docdate = (uint8_t)is_doc_date(sr_stmt_text(s, 3));
            x.key = str_hash(sr_stmt_text(s, 4));
            x.topic = str_hash(sr_stmt_text(s, 5));
            x.tgt = str_hash(sr_stmt_text(s, 6));
            if (x.topic)
                x.issues = sr_xstrdup(sr_stmt_text(s, 7) ? sr_stmt_text(s, 7) : "");
            cache_add(c, &x);
        }
        sr_stmt_reset(s);
        rc = rc == SR_DONE ? SR_OK : rc;
    }
    sr_buf_free(&lit);
    return rc;
}

/* The event each mention of the document goes to, and how it counts. */
typedef struct {
    evref ev;     /* the event */
    int fresh;    /* a new event: index + 1 in the document's new events */
} pgref;

static int mentions_pg(sr_store *st, const sr_doc *doc, const sr_events *ev, const mkeys *k,
                       const char *skey, evlist *mine, rowset *ments, rowset *sents, sr_err *err)
{
    size_t n = ev->n;
    int rc = SR_OK;
    pgref *ref = sr_xcalloc(n, sizeof *ref);
    size_t *made = sr_xcalloc(n, sizeof *made); /* new events: their mentions */
    size_t nmade = 0;
    const char **keys = sr_xcalloc(2 * n, sizeof *keys), **topics = keys + n;
    size_t nkeys = 0, ntopics = 0;
    int32_t lo_day = INT32_MAX, hi_day = INT32_MIN;
    for (size_t i = 0; i < n; i++) {
        int32_t d = iso_day(ev->ev[i].date);
        lo_day = d < lo_day ? d : lo_day;
        hi_day = d > hi_day ? d : hi_day;
        keys[nkeys++] = k[i].key;
        if (k[i].topic[0])
            topics[ntopics++] = k[i].topic;
    }
    char lo[11], hi[11];
    sr_ymd_format(sr_ymd_from_days(lo_day - 3), lo);
    sr_ymd_format(sr_ymd_from_days(hi_day + 3), hi);
    sr_ccache *c = sr_xcalloc(1, sizeof *c);
    c->nslots = 64;
    c->ks = sr_xcalloc(c->nslots, sizeof *c->ks);
    c->ts = sr_xcalloc(c->nslots, sizeof *c->ts);
    for (int32_t d = lo_day - 3; d <= hi_day + 3; d++)
        seen_add(&c->days, day_token(d));
    sr_seen have = {0};
    if ((rc = pg_candidates(st, Q_PG_CANDS, keys, nkeys, lo, hi, c, &have, err)) ||
        (ntopics && (rc = pg_candidates(st, Q_PG_TCANDS, topics, ntopics, lo, hi, c, &have, err))))
        goto out;

    /* cluster in memory; a new event is known by -(its index + 1) */
    rowset evs;
    rowset_init(&evs, st, Q_INS_EVENT, Q_PG_EVENTS, 32);
    for (size_t i = 0; i < n; i++) {
        const sr_event *e = &ev->ev[i];
        mkey m = {.e = e, .key = k[i].key, .topic = k[i].topic,
                  .tgt = e->has_tgt ? principal(&e->tgt) : "", .issues = k[i].issues,
                  .day = iso_day(e->date), .docdate = is_doc_date(e->date_precision)};
        m.kh = str_hash(m.key);
        m.th = str_hash(m.topic);
        m.tgh = str_hash(m.tgt);
        const cev *x = cache_find(c, &m);
        if (!x && *m.topic)
            x = cache_topic(c, &m);
        if (x && x->id > 0) {
            ref[i].ev.id = x->id;
            memcpy(ref[i].ev.eid, x->eid, sizeof ref[i].ev.eid);
            ref[i].ev.fts_day = (int64_t)x->day + SR_FTS_DAY0;
        } else if (x) {
            ref[i].fresh = (int)-x->id;
        } else {
            made[nmade++] = i;
            ref[i].fresh = (int)nmade;
            cev nx = {.id = -(int64_t)nmade, .key = m.kh, .topic = m.th, .tgt = m.tgh, .day = m.day,
                      .docdate = (uint8_t)m.docdate};
            memcpy(nx.eid, k[i].mid, sizeof nx.eid);
            if (nx.topic)
                nx.issues = sr_xstrdup(k[i].issues);
            cache_add(c, &nx);
            row_begin(&evs, err);
            event_cols(&evs, ev, e, k[i].mid, &m, k[i].pid, doc->id);
            row_end(&evs, err);
        }
    }

    /* the new events in one statement; an id that is taken (an earlier
     * version's event, kept by other mentions) is that event's, joined */
    evref *fresh = sr_xcalloc(nmade + 1, sizeof *fresh);
    int *taken = sr_xcalloc(nmade + 1, sizeof *taken);
    if (nmade) {
        sr_stmt *s;
        if ((rc = stmt(st, Q_PG_EVENTS, &s, err)) == SR_OK) {
            sr_buf lit = {0};
            for (int col = 0; col < evs.ncols; col++) {
                sr_buf_reset(&lit);
                sr_buf_putc(&lit, '{');
                sr_buf_put(&lit, evs.arr[col].p, evs.arr[col].n);
                sr_buf_putc(&lit, '}');
                sr_stmt_bind_textn(s, col + 1, lit.p, lit.n);
            }
            sr_buf_free(&lit);
            for (size_t j = 0; j < nmade; j++) {
                taken[j] = 1;
                ref_set(&fresh[j], 0, k[made[j]].mid, ev->ev[made[j]].date);
            }
            while ((rc = sr_stmt_step(s, err)) == SR_OK)
                for (size_t j = 0; j < nmade; j++)
                    if (!strcmp(fresh[j].eid, sr_stmt_text(s, 1))) {
                        fresh[j].id = sr_stmt_int(s, 0);
                        taken[j] = 0;
                    }
            sr_stmt_reset(s);
            rc = rc == SR_DONE ? SR_OK : rc;
        }
        for (size_t j = 0; rc == SR_OK && j < nmade; j++) {
            if (!taken[j])
                continue;
            if ((rc = stmt(st, Q_EVENT_BY_ID, &s, err)))
                break;
            bind_str(s, 1, fresh[j].eid);
            rc = sr_stmt_step(s, err);
            if (rc == SR_OK)
                ref_set(&fresh[j], sr_stmt_int(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2));
            sr_stmt_reset(s);
            rc = rc == SR_OK ? SR_OK
                 : rc == SR_DONE ? sr_err_set(err, SR_IO, sr_db_name(st->db), 0,
                                              "event %s: neither new nor stored", fresh[j].eid)
                 : rc;
        }
    }
    rowset_free(&evs);
    if (rc)
        goto out2;

    /* every mention's event; the first mention of an event made here is
     * its first (counted when inserted), the first mention of an event
     * stored before is a new article, and a new outlet unless the event
     * has a mention from it already (one statement for all, under the
     * events' locks, as join_event does one at a time) */
    evlist first = {0};
    for (size_t i = 0; i < n; i++) {
        pgref *r = &ref[i];
        if (r->fresh) {
            int j = r->fresh - 1;
            r->ev = fresh[j];
            if (!taken[j] && made[j] == i) {
                evlist_add(mine, &r->ev);
                continue;
            }
        }
        if (evlist_has(mine, &r->ev)) {
            pending_add(st->pending, &r->ev, 1, 0, 0);
        } else {
            evlist_add(mine, &r->ev);
            evlist_add(&first, &r->ev);
        }
    }
    if (first.n) {
        mkeys *lk = sr_xcalloc(first.n, sizeof *lk);
        for (size_t j = 0; j < first.n; j++)
            snprintf(lk[j].key, sizeof lk[j].key, "%s", first.ev[j].eid);
        rc = lock_keys(st, lk, first.n, err);
        free(lk);
        sr_buf lit = {0};
        sr_buf_putc(&lit, '{');
        for (size_t j = 0; j < first.n; j++)
            sr_buf_printf(&lit, "%s%lld", j ? "," : "", (long long)first.ev[j].id);
        sr_buf_putc(&lit, '}');
        sr_seen known = {0};
        sr_stmt *s;
        if (rc == SR_OK && (rc = stmt(st, Q_PG_SOURCES, &s, err)) == SR_OK) {
            sr_stmt_bind_text(s, 1, skey);
            sr_stmt_bind_textn(s, 2, lit.p, lit.n);
            while ((rc = sr_stmt_step(s, err)) == SR_OK)
                seen_add(&known, (uint64_t)sr_stmt_int(s, 0));
            sr_stmt_reset(s);
            rc = rc == SR_DONE ? SR_OK : rc;
        }
        for (size_t j = 0; rc == SR_OK && j < first.n; j++)
            pending_add(st->pending, &first.ev[j], 1, 1,
                        !seen_has(&known, (uint64_t)first.ev[j].id));
        free(known.slot);
        sr_buf_free(&lit);
    }
    free(first.ev);
    if (rc)
        goto out2;

    /* the rows: sentences dated by their newest event, mentions */
    sr_buf why = {0};
    const sr_event *sent = NULL;
    int64_t sent_day = 0;
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        const sr_event *e = &ev->ev[i];
        if (sent && e->sent != sent->sent) {
            if ((rc = put_sentence(st, sents, doc, ev, sent, sent_day, err)))
                break;
            sent = NULL;
        }
        if (!sent) {
            sent = e;
            sent_day = 0;
        }
        if (ref[i].ev.fts_day > sent_day)
            sent_day = ref[i].ev.fts_day;
        sr_buf_reset(&why);
        if ((rc = put_why(st, &why, ev, e, err)) ||
            (rc = mention_row(ments, doc, skey, ev, i, k[i].mid, &ref[i].ev, &why, err)) ||
            (rc = put_actor_name(st, ev, &e->src, err)) ||
            (e->has_tgt && (rc = put_actor_name(st, ev, &e->tgt, err))) ||
            (rc = put_place(st, e, k[i].pid, err)))
            break;
    }
    if (rc == SR_OK && sent)
        rc = put_sentence(st, sents, doc, ev, sent, sent_day, err);
    sr_buf_free(&why);
out2:
    free(fresh);
    free(taken);
out:
    cache_free(c);
    free(have.slot);
    free(keys);
    free(made);
    free(ref);
    return rc;
}

/* SQLite, version 4: is the id of a new event taken (Q_EVENT_AT says why
 * it is enough to look at the mention's date)? out gets that event. */
static int id_taken(sr_store *st, const char *id, const char *date, evref *out, sr_err *err)
{
    sr_stmt *s;
    int rc = stmt(st, Q_EVENT_AT, &s, err);
    if (rc)
        return rc;
    bind_str(s, 1, nz(date));
    bind_str(s, 2, id);
    rc = sr_stmt_step(s, err);
    if (rc == SR_OK)
        ref_set(out, sr_stmt_int(s, 0), sr_stmt_text(s, 1), sr_stmt_text(s, 2));
    sr_stmt_reset(s);
    return rc == SR_OK || rc == SR_DONE ? SR_OK : rc;
}

/* Stores a document and its mentions; changed: it replaces an earlier
 * version, whose mentions may have made events with the ids of its new
 * mentions. */
static int store_doc(sr_store *st, const sr_doc *doc, const sr_events *ev, const char *hash,
                     int changed, sr_err *err)
{
    sr_stmt *s;
    int rc;
    sr_buf why = {0};
    evlist mine = {0};
    rowset ments, sents;
    rowset_init(&ments, st, Q_INS_MENTION, Q_PG_MENTIONS, 19);
    rowset_init(&sents, st, Q_INS_SENT, Q_PG_SENTENCES, 6);
    char now[21], skey[256];
    now_utc(now);
    source_key(doc, skey, sizeof skey);
    if ((rc = stmt(st, Q_INS_DOC, &s, err)))
        goto out;
    bind_str(s, 1, doc->id);
    bind_str(s, 2, hash);
    bind_str(s, 3, doc->published);
    {
        /* the document's own date, as the coder resolved it */
        const char *dd = NULL;
        for (size_t i = 0; i < ev->n && !dd; i++)
            if (ev->ev[i].date_precision && !strcmp(ev->ev[i].date_precision, "document"))
                dd = ev->ev[i].date;
        bind_str(s, 4, nz(dd) ? dd : doc->published);
    }
    bind_str(s, 5, ev->docdate_source);
    bind_str(s, 6, nz(doc->url));
    bind_str(s, 7, nz(doc->source));
    bind_str(s, 8, nz(doc->title));
    sr_stmt_bind_ref(s, 9, doc->text, doc->len);
    sr_stmt_bind_int(s, 10, (int64_t)ev->nsents);
    sr_stmt_bind_int(s, 11, (int64_t)ev->n);
    bind_str(s, 12, now);
    bind_str(s, 13, skey);
    if ((rc = run(s, err)))
        goto out;

    /* every mention's keys first: PostgreSQL locks them all at once */
    mkeys *keys = sr_xcalloc(ev->n ? ev->n : 1, sizeof *keys);
    for (size_t i = 0; i < ev->n; i++)
        mention_keys(doc, ev, i, &keys[i]);
    int locked = sr_db_kind(st->db) == SR_DB_PG && ev->n;
    if (locked && (rc = lock_keys(st, keys, ev->n, err)))
        goto done;

    int dated = 1;
    for (size_t i = 0; i < ev->n && dated; i++)
        dated = ev->ev[i].date[0] != 0;
    if (locked && dated && st->version >= 4) {
        if ((rc = mentions_pg(st, doc, ev, keys, skey, &mine, &ments, &sents, err)) == SR_OK &&
            (rc = rowset_flush(&ments, err)) == SR_OK)
            rc = rowset_flush(&sents, err);
        goto done;
    }

    /* events come in sentence order: a sentence is stored once its
     * mentions have found their events, whose dates date it */
    const sr_event *sent = NULL;
    int64_t sent_day = 0;
    for (size_t i = 0; i < ev->n; i++) {
        const sr_event *e = &ev->ev[i];
        const mkeys *k = &keys[i];
        if (sent && e->sent != sent->sent) {
            if ((rc = put_sentence(st, &sents, doc, ev, sent, sent_day, err)))
                goto done;
            sent = NULL;
        }
        if (!sent) {
            sent = e;
            sent_day = 0;
        }
        mkey m = {.e = e, .key = k->key, .topic = k->topic,
                  .tgt = e->has_tgt ? principal(&e->tgt) : "", .issues = k->issues,
                  .day = e->date[0] ? iso_day(e->date) : 0, .docdate = is_doc_date(e->date_precision)};
        m.kh = str_hash(m.key);
        m.th = str_hash(m.topic);
        m.tgh = str_hash(m.tgt);
        evref ref;
        if ((rc = cluster(st, &m, locked, &ref, err)))
            goto done;
        if (!ref.eid[0] && changed && st->version >= 4 && sr_db_kind(st->db) == SR_DB_SQLITE &&
            (rc = id_taken(st, k->mid, e->date, &ref, err)))
            goto done;
        if (ref.eid[0]) {
            /* counts are kept up to date as mentions arrive: recounting a
             * large cluster for every new mention would be quadratic */
            if ((rc = join_event(st, &ref, skey, &mine, err)))
                goto done;
        } else {
            if ((rc = insert_event(st, ev, e, k->mid, &m, k->pid, doc->id, &ref, err)))
                goto done;
            if (strcmp(ref.eid, k->mid)) {
                if ((rc = join_event(st, &ref, skey, &mine, err)))
                    goto done;
            } else {
                evlist_add(&mine, &ref);
                if (st->cache && e->date[0]) {
                    cev x = {.id = ref.id, .key = m.kh, .topic = m.th, .tgt = m.tgh, .day = m.day,
                             .docdate = (uint8_t)m.docdate};
                    memcpy(x.eid, k->mid, sizeof x.eid);
                    if (x.topic)
                        x.issues = sr_xstrdup(k->issues);
                    cache_add(st->cache, &x);
                }
            }
        }
        if (ref.fts_day > sent_day)
            sent_day = ref.fts_day;
        sr_buf_reset(&why);
        if ((rc = put_why(st, &why, ev, e, err)) ||
            (rc = mention_row(&ments, doc, skey, ev, i, k->mid, &ref, &why, err)))
            goto done;
        if ((rc = put_actor_name(st, ev, &e->src, err)) ||
            (e->has_tgt && (rc = put_actor_name(st, ev, &e->tgt, err))) ||
            (rc = put_place(st, e, k->pid, err)))
            goto done;
    }
    if (sent && (rc = put_sentence(st, &sents, doc, ev, sent, sent_day, err)))
        goto done;
    if ((rc = rowset_flush(&ments, err)) == SR_OK)
        rc = rowset_flush(&sents, err);
done:
    free(keys);
out:
    sr_buf_free(&why);
    free(mine.ev);
    rowset_free(&ments);
    rowset_free(&sents);
    return rc;
}

static int recount(sr_store *st, const evlist *touched, sr_err *err)
{
    if (!touched->n)
        return SR_OK;
    /* an event may be deleted below: the cache forgets them all */
    if (st->cache)
        cache_clear(st->cache);
    int frc = flush_counts(st, err);
    if (frc)
        return frc;
    for (size_t i = 0; i < touched->n; i++) {
        sr_stmt *s;
        int rc = stmt(st, Q_RECOUNT, &s, err);
        if (rc)
            return rc;
        bind_event(st, s, 1, &touched->ev[i]);
        if ((rc = run(s, err)))
            return rc;
        if ((rc = stmt(st, Q_DEL_EMPTY, &s, err)))
            return rc;
        bind_event(st, s, 1, &touched->ev[i]);
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
    evlist touched = {0};
    int result = SR_PUT_NEW;
    sr_stmt *s;
    if ((rc = stmt(st, Q_DOC_HASH, &s, err)))
        goto fail;
    bind_str(s, 1, doc->id);
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
        bind_str(s, 1, doc->id);
        while ((rc = sr_stmt_step(s, err)) == SR_OK) {
            evref r = {.id = sr_stmt_int(s, 0)};
            snprintf(r.eid, sizeof r.eid, "%s", sr_stmt_text(s, 1));
            evlist_add(&touched, &r);
        }
        sr_stmt_reset(s);
        if (rc != SR_DONE)
            goto fail;
        static const int DEL[] = {Q_DEL_MENTIONS, Q_DEL_SENTENCES, Q_DEL_DOC};
        for (size_t i = 0; i < SR_ARRAY_LEN(DEL); i++) {
            if ((rc = stmt(st, DEL[i], &s, err)))
                goto fail;
            bind_str(s, 1, doc->id);
            if ((rc = run(s, err)))
                goto fail;
        }
        /* deleting the newest sentences frees their ids for reuse: keep
         * the full-text mark below them so the reused ids get indexed */
        if (sr_db_kind(st->db) == SR_DB_SQLITE && st->version >= 2 &&
            (rc = sr_db_exec(st->db,
                             st->version >= 4
                                 ? "UPDATE sitrep_meta SET value = CAST(min(CAST(value AS INTEGER),"
                                   " (SELECT COALESCE(max(id), 0) FROM sentences)) AS TEXT)"
                                   " WHERE key = 'fts_rowid'"
                                 : "UPDATE sitrep_meta SET value = CAST(min(CAST(value AS INTEGER),"
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
    if ((rc = store_doc(st, doc, ev, hash, result == SR_PUT_CHANGED, err)) ||
        (rc = recount(st, &touched, err)))
        goto fail;
    free(touched.ev);
    if (own && (rc = sr_store_commit(st, err)))
        return rc;
    if (outcome)
        *outcome = result;
    return SR_OK;
fail:
    free(touched.ev);
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
