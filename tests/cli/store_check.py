#!/usr/bin/env python3
"""The store's checks (tests/cli/store.sh runs this once per backend).

    store_check.py BIN SRC SHARED TMP sqlite
    store_check.py BIN SRC SHARED TMP postgresql BASE_URL DB_PREFIX

Every check prints "PASS name" or "FAIL name: why" (with the command and its
stderr when a command misbehaved); the exit status is 1 when any failed.
SQLite stores are files in TMP; PostgreSQL stores are databases
DB_PREFIX_<name> created on the server of BASE_URL (with psql) and dropped
at the end (store.sh drops leftovers too). Standard library only.
"""
import collections
import csv
import io
import json
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse

BIN, SRC, SHARED, TMP, BACKEND = sys.argv[1:6]
PG_BASE = sys.argv[6] if BACKEND == "postgresql" else None
PG_PREFIX = sys.argv[7] if BACKEND == "postgresql" else None
EXAMPLES = os.path.join(SRC, "examples")
TAG = "sqlite" if BACKEND == "sqlite" else "pg"

npass = 0
nfail = 0


def say(msg):
    print(msg, flush=True)


def check(name, ok, why=""):
    global npass, nfail
    name = f"[{TAG}] {name}"
    if ok:
        npass += 1
        say(f"PASS {name}")
    else:
        nfail += 1
        say(f"FAIL {name}: {why}")
    return ok


class Run:
    def __init__(self, args, rc, out, err, secs):
        self.args, self.rc, self.out, self.err, self.secs = args, rc, out, err, secs

    def show(self):
        cmd = " ".join(_quote(a) for a in self.args)
        err = self.err.strip()
        if len(err) > 1500:
            err = err[:1500] + " ..."
        return f"\n    command: {cmd}\n    exit {self.rc}; stderr: {err or '(empty)'}"


def _quote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"


def run(args, env=None, stdin=None, timeout=120):
    e = {k: v for k, v in os.environ.items()
         if k not in ("SITREP_DB", "SITREP_SCHEMA_VERSION", "SITREP_LOCK_TIMEOUT_MS")}
    if env:
        e.update(env)
    t0 = time.time()
    try:
        p = subprocess.run(args, input=stdin, capture_output=True, env=e, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as x:
        rc, out, err = "timeout", x.stdout or b"", (x.stderr or b"") + b"\n(timed out)"
    r = Run(args, rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.time() - t0)
    if SANITIZER.search(r.err):
        check("no sanitizer report", False, "sitrep under ASan/UBSan reported an error" + r.show())
    return r


SANITIZER = re.compile(r"(Address|Leak|UndefinedBehavior|Thread)Sanitizer|runtime error: ")


def sr(*args, **kw):
    return run([BIN] + [str(a) for a in args], **kw)


# ---- stores -----------------------------------------------------------------

PG_DBS = []


def psql(url, sql, check_errors=True):
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                        "-d", url, "-c", sql], capture_output=True, text=True)
    if check_errors and p.returncode != 0:
        raise RuntimeError(f"psql failed: {sql}: {p.stderr.strip()}")
    return p


def pg_url(dbname):
    u = urllib.parse.urlsplit(PG_BASE)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + dbname, u.query, u.fragment))


class Store:
    """One store: a SQLite file in TMP or a fresh PostgreSQL database."""

    def __init__(self, name):
        self.name = name
        if BACKEND == "sqlite":
            self.target = os.path.join(TMP, f"{name}.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.target + suffix):
                    os.unlink(self.target + suffix)
        else:
            self.dbname = f"{PG_PREFIX}_{name}"
            psql(PG_BASE, f"DROP DATABASE IF EXISTS {self.dbname}")
            psql(PG_BASE, f"CREATE DATABASE {self.dbname}")
            PG_DBS.append(self.dbname)
            self.target = pg_url(self.dbname)

    def rows(self, sql):
        """Rows of a query, every value a string (NULL: None)."""
        if BACKEND == "sqlite":
            c = sqlite3.connect(self.target, timeout=30)
            try:
                out = [tuple(None if v is None else str(v) for v in r) for r in c.execute(sql)]
            finally:
                c.close()
            return out
        p = psql(self.target, sql)
        return [tuple(line.split("\x1f")) for line in p.stdout.splitlines() if line != ""]

    def one(self, sql):
        r = self.rows(sql)
        return r[0][0] if r else None

    def count(self, sql):
        return int(self.one(sql))

    def exec(self, sql):
        if BACKEND == "sqlite":
            c = sqlite3.connect(self.target, timeout=30)
            try:
                c.executescript(sql)
                c.commit()
            finally:
                c.close()
        else:
            psql(self.target, sql)

    def events(self, *args):
        r = sr("events", "--db", self.target, "--format", "jsonl", *args)
        rows = []
        if r.rc == 0:
            for line in r.out.splitlines():
                rows.append(json.loads(line))
        return r, rows

    def show(self, event_id):
        r = sr("show", "--db", self.target, "--format", "json", event_id)
        if r.rc != 0:
            return r, None
        return r, json.loads(r.out)

    def consistency(self, label):
        """Invariants of a stored cluster: every event has mentions, and its
        counters are the counts of its mention rows."""
        zero = self.count("SELECT count(*) FROM events e WHERE NOT EXISTS"
                          " (SELECT 1 FROM mentions m WHERE m.event = e.id)")
        check(f"{label}: no event without mentions", zero == 0, f"{zero} events have no mention row")
        bad = self.rows("SELECT e.event_id, e.num_mentions, e.num_articles,"
                        " (SELECT count(*) FROM mentions m WHERE m.event = e.id),"
                        " (SELECT count(DISTINCT m.doc_id) FROM mentions m WHERE m.event = e.id)"
                        " FROM events e")
        wrong_m = [r for r in bad if r[1] != r[3]]
        check(f"{label}: num_mentions = mention rows of each event", not wrong_m,
              f"{len(wrong_m)} events differ, e.g. (event, num_mentions, _, rows) {wrong_m[:3]}")
        wrong_a = [r for r in bad if r[2] != r[4]]
        check(f"{label}: num_articles = documents of each event's mentions", not wrong_a,
              f"{len(wrong_a)} events differ, e.g. (event, _, num_articles, _, docs) {wrong_a[:3]}")
        srcs = self.rows("SELECT e.event_id, e.num_sources,"
                         " (SELECT count(DISTINCT m.source_key) FROM mentions m WHERE m.event = e.id)"
                         " FROM events e")
        wrong_s = [r for r in srcs if r[1] != r[2]]
        check(f"{label}: num_sources = outlets (source keys) of each event's mentions", not wrong_s,
              f"{len(wrong_s)} events differ, e.g. (event, num_sources, source keys) {wrong_s[:3]}")
        # a mention joins the event of its cluster key within the date
        # window, so two events never share key and date: two would mean
        # concurrent writers both created the cluster
        dup = self.rows("SELECT cluster_key, date, count(*) FROM events"
                        " GROUP BY cluster_key, date HAVING count(*) > 1")
        check(f"{label}: no two events with the same cluster key and date", not dup,
              f"{len(dup)} split clusters, e.g. {dup[:3]}")
        total = self.one("SELECT COALESCE(SUM(num_mentions), 0) FROM events")
        rows = self.one("SELECT count(*) FROM mentions")
        check(f"{label}: SUM(num_mentions) = count(mentions)", int(total) == int(rows),
              f"sum {total}, rows {rows}")
        orphan = self.count("SELECT count(*) FROM mentions m WHERE NOT EXISTS"
                            " (SELECT 1 FROM events e WHERE e.id = m.event)"
                            " OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = m.doc_id)")
        check(f"{label}: every mention has its event and document", orphan == 0,
              f"{orphan} orphan mention rows")


def summary(r):
    """(new, changed, unchanged) of an ingest summary line, or None."""
    m = re.search(r"\((\d+) new, (\d+) changed, (\d+) unchanged\)", r.err)
    return tuple(int(x) for x in m.groups()) if m else None


def code_counts(paths, extra=()):
    """Events per document id as `sitrep code` produces them."""
    r = sr("code", "-q", *extra, *paths)
    if r.rc != 0:
        raise RuntimeError("sitrep code failed" + r.show())
    c = collections.Counter()
    for line in r.out.splitlines():
        c[json.loads(line)["doc"]] += 1
    return c


def mention_counts(st):
    return collections.Counter({d: int(n) for d, n in
                                st.rows("SELECT doc_id, count(*) FROM mentions GROUP BY doc_id")})


def compare_counts(label, want, got):
    diff = sorted(d for d in set(want) | set(got) if want.get(d, 0) != got.get(d, 0))
    check(label, not diff,
          f"{len(diff)} documents differ, e.g. " +
          ", ".join(f"{d}: code {want.get(d, 0)} stored {got.get(d, 0)}" for d in diff[:5]))


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def cursor_of(row):
    return row.get("cursor") or f"{row['date'] or ''}|{row['event_id']}"


# ---- a generated feed -----------------------------------------------------

def make_feed(path, n, seed=11, prefix="gen"):
    """n JSONL documents of 3-6 sentences from templates (our own wording)."""
    r = random.Random(seed)
    forces = ["Russian forces", "Ukrainian troops", "Russian drones", "Ukrainian drones",
              "Israeli aircraft", "RSF fighters", "M23 rebels", "Sudanese army units"]
    places = ["Kharkiv", "Pokrovsk", "Kupiansk", "Lyman", "Odesa", "Zaporizhzhia", "Kherson",
              "Sumy", "Toretsk", "Khan Younis", "El Fasher", "Goma", "Kramatorsk", "Nikopol"]
    months = ["March", "April", "May", "June", "July"]
    meetings = [("Ukraine's foreign minister", "his Turkish counterpart", "Ankara"),
                ("Russia's foreign minister", "his Chinese counterpart", "Beijing"),
                ("The US envoy", "Ukrainian officials", "Riyadh"),
                ("Qatar's prime minister", "Egyptian mediators", "Cairo")]
    templates = [
        lambda: f"{r.choice(forces)} shelled {r.choice(places)} on {r.choice(months)} {r.randint(1, 28)}.",
        lambda: f"{r.choice(forces)} attacked positions near {r.choice(places)} overnight, the military said.",
        lambda: "{} met {} in {} on Tuesday.".format(*r.choice(meetings)),
        lambda: f"Russia and Ukraine exchanged {r.randint(10, 300)} prisoners of war on "
                f"{r.choice(months)} {r.randint(1, 28)}.",
        lambda: f"The Kremlin rejected a proposal for a ceasefire around {r.choice(places)}, officials said.",
        lambda: f"Ukraine accused Russia of violating the truce near {r.choice(places)}.",
        lambda: f"The European Union imposed new sanctions on Russia on {r.choice(months)} {r.randint(1, 28)}.",
        lambda: f"Local officials said {r.randint(2, 40)} civilians were wounded when missiles hit "
                f"{r.choice(places)}.",
        lambda: f"Two officials who asked not to be named said {r.choice(forces)} had pulled back "
                f"from {r.choice(places)}.",
    ]
    outlets = ["Gen Wire", "Sample Daily", "Test Herald", "Mock Courier"]
    with open(path, "w") as f:
        for i in range(n):
            text = " ".join(r.choice(templates)() for _ in range(r.randint(3, 6)))
            f.write(json.dumps({"id": f"{prefix}-{i:05d}",
                                "published": f"2025-{r.randint(3, 7):02d}-{r.randint(1, 28):02d}",
                                "url": f"https://gen.example/{prefix}/{i}", "source": r.choice(outlets),
                                "title": f"Generated report {i}", "text": text}) + "\n")
    return path


# ---- 1. ingest and idempotence ------------------------------------------------

def t_ingest():
    st = Store("main")
    r = sr("ingest", "--db", st.target, EXAMPLES)
    check("ingest examples: exit 0", r.rc == 0, r.show())
    s = summary(r)
    ndocs = st.count("SELECT count(*) FROM documents") if r.rc == 0 else -1
    check("ingest examples: summary says N new (N = documents stored > 0)",
          s is not None and s[0] > 0 and s[0] == ndocs and s[1] == 0 and s[2] == 0,
          f"summary {s}, documents table {ndocs}" + r.show())
    _, evs = st.events()
    nev = len(evs)
    check("ingest examples: events > 0", nev > 0, "no events")
    nment = st.count("SELECT count(*) FROM mentions")
    nsent = st.count("SELECT count(*) FROM sentences")
    want = code_counts([EXAMPLES])
    compare_counts("ingest examples: mentions per document = events of `sitrep code`",
                   want, mention_counts(st))

    r2 = sr("ingest", "--db", st.target, EXAMPLES)
    s2 = summary(r2)
    check("ingest again: exit 0, summary says 0 new, 0 changed, all unchanged",
          r2.rc == 0 and s2 is not None and s2[0] == 0 and s2[1] == 0 and s2[2] == ndocs,
          f"summary {s2}" + r2.show())
    _, evs2 = st.events()
    check("ingest again: events unchanged", [e["event_id"] for e in evs2] == [e["event_id"] for e in evs],
          f"{nev} events before, {len(evs2)} after")
    n2 = st.count("SELECT count(*) FROM mentions")
    s2n = st.count("SELECT count(*) FROM sentences")
    d2 = st.count("SELECT count(*) FROM documents")
    check("ingest again: mentions, sentences, documents unchanged",
          (n2, s2n, d2) == (nment, nsent, ndocs),
          f"mentions {nment}->{n2}, sentences {nsent}->{s2n}, documents {ndocs}->{d2}")
    st.consistency("examples store")
    with open(os.path.join(TMP, f"{TAG}.events.jsonl"), "w") as f:
        for e in evs:
            f.write(json.dumps(e, sort_keys=True) + "\n")
    return st, evs


# ---- 2. a changed document ----------------------------------------------------

V1 = ("Russian forces shelled Vovchansk on Monday, the regional governor said.\n"
      "Ukraine's foreign minister met his Turkish counterpart in Ankara on Tuesday.\n"
      "Russia and Ukraine exchanged 84 prisoners of war on Wednesday.\n")
SHARED_SENTENCE = "Russia and Ukraine exchanged 84 prisoners of war on Wednesday.\n"
V2 = ("Ukrainian drones struck an oil depot in Novorossiysk on Thursday, officials said.\n"
      "Israeli aircraft bombed targets in Khan Younis on Friday.\n"
      "The European Union imposed new sanctions on Belarus on Friday.\n")


def sentence_set(text):
    return {s.strip() for s in text.splitlines() if s.strip()}


def t_changed():
    st = Store("changed")
    d = os.path.join(TMP, f"changed-{TAG}")
    os.makedirs(d, exist_ok=True)
    a, b = os.path.join(d, "story.txt"), os.path.join(d, "other.txt")
    with open(a, "w") as f:
        f.write(V1)
    with open(b, "w") as f:
        f.write(SHARED_SENTENCE)
    r = sr("ingest", "--db", st.target, "--published", "2025-03-05", a, b)
    check("changed doc: first ingest exit 0, 2 new", r.rc == 0 and summary(r) == (2, 0, 0),
          f"summary {summary(r)}" + r.show())
    docs = [x[0] for x in st.rows("SELECT doc_id FROM documents ORDER BY doc_id")]
    check("changed doc: .txt documents get ids (story, other)", docs == ["other", "story"],
          f"documents {docs}")
    doc = "story" if "story" in docs else (docs[-1] if docs else "story")
    _, before = st.events("--doc", doc)
    check("changed doc: version 1 has events", len(before) > 0, "no events from version 1")
    _, txt1 = st.events("--text", "Vovchansk")
    check("changed doc: --text finds version-1 words before the change", len(txt1) > 0,
          "no row for --text Vovchansk")
    shared_ev = [e for e in before if e["sentence"] and e["sentence"].strip() == SHARED_SENTENCE.strip()]
    check("changed doc: the same sentence in two documents is one event with 2 articles",
          shared_ev and all(e["num_articles"] == 2 for e in shared_ev),
          f"events of the shared sentence: {[(e['event_id'], e['num_articles']) for e in shared_ev]}"
          if shared_ev else "no event row carries the shared sentence")

    with open(a, "w") as f:
        f.write(V2)
    r = sr("ingest", "--db", st.target, "--published", "2025-03-05", a, b)
    check("changed doc: re-ingest says 1 changed, 1 unchanged", r.rc == 0 and summary(r) == (0, 1, 1),
          f"summary {summary(r)}" + r.show())
    _, after = st.events("--doc", doc)
    new = sentence_set(V2)
    old_only = sentence_set(V1) - new
    check("changed doc: --doc shows events of the new version", len(after) > 0, "no events")
    bad = []
    for e in after:
        _, js = st.show(e["event_id"])
        sents = [m.get("sentence", "").strip() for m in (js or {}).get("mentions", []) if m.get("doc") == doc]
        if not sents or any(s not in new for s in sents):
            bad.append((e["event_id"], sents))
    check("changed doc: every mention of the document is a new-version sentence", not bad, f"{bad[:3]}")
    stale = st.rows("SELECT s.text FROM sentences s WHERE s.doc_id = 'story'")
    stale = [t for (t,) in stale if t.strip() in old_only]
    check("changed doc: no sentence row left of the old version", not stale, f"{stale}")
    stale_m = st.count("SELECT count(*) FROM mentions m JOIN sentences s ON s.doc_id = m.doc_id"
                       " AND s.sent_no = m.sent_no WHERE m.doc_id = 'story' AND s.text LIKE '%Vovchansk%'")
    nomatch = st.count("SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM sentences s"
                       " WHERE s.doc_id = m.doc_id AND s.sent_no = m.sent_no)")
    check("changed doc: no mention row of the old content, none without its sentence",
          stale_m == 0 and nomatch == 0, f"{stale_m} old mentions, {nomatch} without sentence")
    ids_before = {e["event_id"] for e in before} - {e["event_id"] for e in shared_ev}
    _, all_ev = st.events()
    gone = ids_before & {e["event_id"] for e in all_ev}
    check("changed doc: events only the old version reported are gone", not gone, f"still there: {gone}")
    _, txt2 = st.events("--text", "Vovchansk")
    check("changed doc: --text no longer finds old words (full-text index updated)", len(txt2) == 0,
          f"{len(txt2)} rows for --text Vovchansk")
    _, txt3 = st.events("--text", "Novorossiysk")
    check("changed doc: --text finds the new words", len(txt3) > 0, "no rows for --text Novorossiysk")
    _, other = st.events("--doc", "other")
    check("changed doc: the other document's event survives with 1 article",
          other and all(e["num_articles"] == 1 and e["num_mentions"] == 1 for e in other),
          f"{[(e['event_id'], e['num_mentions'], e['num_articles']) for e in other]}")
    nev = st.count("SELECT num_events FROM documents WHERE doc_id = 'story'")
    nm = st.count("SELECT count(*) FROM mentions WHERE doc_id = 'story'")
    want = code_counts([a], ["--published", "2025-03-05"]).get("story", 0)
    check("changed doc: mentions of the document = events `sitrep code` finds in the new version",
          nm == want and nev == want, f"mentions {nm}, documents.num_events {nev}, code {want}")
    st.consistency("changed-document store")
    # and back: the original content again is a change, not a new document
    with open(a, "w") as f:
        f.write(V1)
    r = sr("ingest", "--db", st.target, "--published", "2025-03-05", a)
    _, back = st.events("--doc", doc)
    check("changed doc: changing back restores version-1 events",
          summary(r) == (0, 1, 0) and {e["event_id"] for e in back} == {e["event_id"] for e in before},
          f"summary {summary(r)}; events {sorted(e['event_id'] for e in back)} vs "
          f"{sorted(e['event_id'] for e in before)}" + r.show())
    st.consistency("changed-back store")
    # A mention whose id is an existing event's (its own event from an
    # earlier version, kept alive by the other document) but whose cluster
    # look-up misses (here: a cluster key changed behind sitrep's back, as
    # new dictionaries could) joins that event instead of making a second
    # event with the same id.
    if shared_ev:
        sid = shared_ev[0]["event_id"]
        st.exec(f"UPDATE events SET cluster_key = 'changed-by-test' WHERE event_id = '{sid}'")
        for text in (V2, V1):
            with open(a, "w") as f:
                f.write(text)
            r = sr("ingest", "--db", st.target, "--published", "2025-03-05", a)
            check("changed doc: re-ingest with a changed cluster key exits 0", r.rc == 0, r.show())
        rows = st.rows(f"SELECT num_mentions, num_articles FROM events WHERE event_id = '{sid}'")
        check("changed doc: a mention whose id is taken joins the event with that id (no second one)",
              rows == [("2", "2")], f"rows with id {sid}: {rows}")
        st.consistency("id-taken store")


# ---- 3. duplicate clustering --------------------------------------------------

def t_duplicates(st, evs):
    multi = [e for e in evs if e["num_articles"] >= 2 and e["num_sources"] >= 2]
    check("duplicates: an event with num_articles >= 2 and num_sources >= 2", len(multi) > 0,
          "none in the examples store (feed.jsonl carries a republished story)")
    pair = {"kyiv-sample-0419-prisoners", "danube-herald-0419-swap"}
    found = None
    for e in multi:
        _, js = st.show(e["event_id"])
        docs = {m.get("doc") for m in (js or {}).get("mentions", [])}
        if len(docs) >= 2 and found is None:
            found = (e["event_id"], docs)
        if pair <= docs:
            found = (e["event_id"], docs)
            break
    check("duplicates: show lists mentions from >= 2 documents", found is not None,
          f"no event among {len(multi)} lists mentions of two documents")
    check("duplicates: the republished feed story clusters with its original",
          found is not None and pair <= found[1], f"found {found}")
    # every event of the republished copy that the original also reports is one event
    both = st.count("SELECT count(*) FROM events e WHERE"
                    " EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id"
                    "  AND m.doc_id = 'kyiv-sample-0419-prisoners') AND"
                    " EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id"
                    "  AND m.doc_id = 'danube-herald-0419-swap')")
    check("duplicates: events shared by the two copies have num_sources >= 2",
          both > 0 and st.count("SELECT count(*) FROM events e WHERE num_sources < 2 AND"
                                " EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id"
                                "  AND m.doc_id = 'kyiv-sample-0419-prisoners') AND"
                                " EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id"
                                "  AND m.doc_id = 'danube-herald-0419-swap')") == 0,
          f"{both} shared events")
    seeds = os.path.join(SHARED, "corpus", "seeds")
    if not os.path.isdir(seeds):
        say(f"skip duplicates in shared seeds: {seeds} absent")
        return
    s2 = Store("seeds")
    r = sr("ingest", "--db", s2.target, seeds)
    check("seeds: ingest exit 0", r.rc == 0, r.show())
    hits = s2.rows("SELECT e.event_id FROM events e WHERE e.root = '12' AND"
                   " EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id AND m.doc_id LIKE '002\\_%' ESCAPE '\\')"
                   " AND EXISTS (SELECT 1 FROM mentions m WHERE m.event = e.id"
                   " AND m.doc_id LIKE '004\\_%' ESCAPE '\\')")
    ok = False
    for (eid,) in hits:
        _, js = s2.show(eid)
        docs = {m.get("doc", "")[:4] for m in (js or {}).get("mentions", [])}
        if js and js.get("root") == "12" and {"002_", "004_"} <= docs:
            ok = True
            break
    check("seeds: a reject event (root 12) has mentions from both 002_* and 004_*", ok,
          f"{len(hits)} candidate events in SQL; " +
          str(s2.rows("SELECT e.event_id, e.cameo, e.src_code, e.tgt_code, e.date, m.doc_id FROM events e"
                      " JOIN mentions m ON m.event = e.id WHERE e.root = '12'"
                      " AND (m.doc_id LIKE '002%' OR m.doc_id LIKE '004%')")))
    s2.consistency("seeds store")


# ---- 4. filters ---------------------------------------------------------------

def side_matches(side, x):
    if not side:
        return False
    return ((side.get("code") or "").startswith(x) or side.get("country") == x or side.get("org") == x)


def t_filters(st, evs):
    total = len(evs)
    ids_all = [e["event_id"] for e in evs]

    def filt(name, args, pred, smaller=True, need=True):
        r, rows = st.events(*args)
        if not check(f"filter {name}: exit 0", r.rc == 0, r.show()):
            return []
        if need:
            check(f"filter {name}: non-empty", len(rows) > 0, "no rows" + r.show())
        bad = [e["event_id"] for e in rows if not pred(e)]
        check(f"filter {name}: every row satisfies it", not bad, f"{len(bad)} rows do not, e.g. {bad[:3]}")
        if smaller:
            check(f"filter {name}: fewer rows than unfiltered", len(rows) < total, f"{len(rows)} of {total}")
        # the filter keeps the store's order
        pos = [ids_all.index(e["event_id"]) if e["event_id"] in ids_all else -1 for e in rows]
        check(f"filter {name}: rows are a subsequence of all events, in order",
              -1 not in pos and pos == sorted(pos), f"positions {pos[:10]}")
        return rows

    def mentions_of(e):
        _, js = st.show(e["event_id"])
        return (js or {}).get("mentions", [])

    dates = sorted({e["date"] for e in evs if e["date"]})
    since, until = "2025-04-01", "2025-05-31"
    filt("--since", ["--since", since], lambda e: e["date"] is not None and e["date"] >= since)
    filt("--until", ["--until", until], lambda e: e["date"] is not None and e["date"] <= until)
    rng = filt("--since --until", ["--since", since, "--until", until],
               lambda e: e["date"] is not None and since <= e["date"] <= until)
    filt("--since = --until (one day)", ["--since", dates[-1], "--until", dates[-1]],
         lambda e: e["date"] == dates[-1]) if dates else None
    rus = filt("--actor RUS", ["--actor", "RUS"],
               lambda e: side_matches(e["source"], "RUS") or side_matches(e["target"], "RUS"))
    filt("--actor RUSMIL", ["--actor", "RUSMIL"],
         lambda e: (e["source"]["code"] or "").startswith("RUSMIL")
         or ((e["target"] or {}).get("code") or "").startswith("RUSMIL"))
    filt("--actor Zelensky (name words)", ["--actor", "Zelensky"],
         lambda e: "zelensky" in ((e["source"] or {}).get("name") or "").lower()
         or "zelensky" in ((e["target"] or {}).get("name") or "").lower())
    src = filt("--source UKR", ["--source", "UKR"], lambda e: side_matches(e["source"], "UKR"))
    tgt = filt("--target RUS", ["--target", "RUS"], lambda e: side_matches(e["target"], "RUS"))
    _, ukr = st.events("--actor", "UKR")
    check("filter --source UKR: a subset of --actor UKR",
          {e["event_id"] for e in src} <= {e["event_id"] for e in ukr} and len(src) < len(ukr),
          f"source {len(src)}, actor {len(ukr)}")
    check("filter --target RUS: a subset of --actor RUS",
          {e["event_id"] for e in tgt} <= {e["event_id"] for e in rus}, f"target {len(tgt)}, actor {len(rus)}")
    filt("--cameo 19", ["--cameo", "19"], lambda e: e["cameo"].startswith("19"))
    filt("--cameo 190", ["--cameo", "190"], lambda e: e["cameo"].startswith("190"), need=False)
    filt("--root 08", ["--root", "08"], lambda e: e["root"] == "08")
    filt("--quad 4", ["--quad", "4"], lambda e: e["quad_class"] == 4)
    filt("--quad 1", ["--quad", "1"], lambda e: e["quad_class"] == 1)
    assault = filt("--plover ASSAULT", ["--plover", "ASSAULT"], lambda e: e["plover"] == "ASSAULT")
    _, lower = st.events("--plover", "assault")
    check("filter --plover assault (lower case) = ASSAULT", [e["event_id"] for e in lower] ==
          [e["event_id"] for e in assault], f"{len(lower)} vs {len(assault)}")
    filt("--modality reported", ["--modality", "reported"], lambda e: e["modality"] == "reported")
    filt("--modality hypothetical", ["--modality", "hypothetical"], lambda e: e["modality"] == "hypothetical")
    any_neg = any(e["negated"] for e in evs)
    if any_neg:
        neg = filt("--negated", ["--negated"], lambda e: e["negated"] is True)
    else:
        r, neg = st.events("--negated")
        check("filter --negated: empty (no negated events in the store)", r.rc == 0 and not neg, r.show())
    notneg = filt("--not-negated", ["--not-negated"], lambda e: e["negated"] is False, smaller=any_neg)
    check("filter --negated + --not-negated = all", len(neg) + len(notneg) == total,
          f"{len(neg)} + {len(notneg)} != {total}")
    # attribution: take a value from the data
    attrs = collections.Counter(e["attribution"] for e in evs if e["attribution"])
    if check("filter --attributed-by: the store has attributed events", bool(attrs), "no attribution"):
        who = attrs.most_common(1)[0][0]
        word = max(re.findall(r"[A-Za-z]+", who), key=len)
        filt(f"--attributed-by '{who}'", ["--attributed-by", who],
             lambda e: any(who.lower() in ((m.get("attribution") or {}).get("by") or "").lower()
                           for m in mentions_of(e)))
        filt(f"--attributed-by {word.lower()} (a word, other case)", ["--attributed-by", word.lower()],
             lambda e: any(word.lower() in ((m.get("attribution") or {}).get("by") or "").lower()
                           for m in mentions_of(e)))
    filt("--anonymous", ["--anonymous"],
         lambda e: any((m.get("attribution") or {}).get("anonymous") is True for m in mentions_of(e)))
    filt("--place Kharkiv", ["--place", "Kharkiv"],
         lambda e: e["location"] is not None and (
             (e["location"]["name"] or "").lower() == "kharkiv"
             or (e["location"].get("admin1") or "").lower().startswith("kharkiv")))
    filt("--place 'Donetsk Oblast'", ["--place", "Donetsk Oblast"],
         lambda e: e["location"] is not None and "Donetsk Oblast" in
         ((e["location"]["name"] or ""), (e["location"].get("admin1") or "")))
    filt("--place UKR (country)", ["--place", "UKR"],
         lambda e: e["location"] is not None and e["location"]["country"] == "UKR")

    def near(lat, lon, km):
        return lambda e: (e["location"] is not None and e["location"]["lat"] is not None and
                          haversine(lat, lon, e["location"]["lat"], e["location"]["lon"]) <= km + 0.05)
    n100 = filt("--near 48.0,37.8 --radius 100", ["--near", "48.0,37.8", "--radius", "100"],
                near(48.0, 37.8, 100))
    n30 = filt("--near 48.0,37.8 --radius 30", ["--near", "48.0,37.8", "--radius", "30"],
               near(48.0, 37.8, 30), need=False)
    check("filter --near: a smaller radius gives a subset",
          {e["event_id"] for e in n30} <= {e["event_id"] for e in n100}, "")
    # every event within 100 km by our own haversine is returned
    inside = {e["event_id"] for e in evs if near(48.0, 37.8, 99.9)(e)}
    check("filter --near 48.0,37.8 --radius 100: no event within range is missing",
          inside <= {e["event_id"] for e in n100}, f"missing {inside - {e['event_id'] for e in n100}}")
    # the radius filter reads the half-degree cells around the point: the
    # same events as our own haversine over every event, for small and
    # large circles and near cell corners
    located = [e for e in evs if e["location"] is not None and e["location"]["lat"] is not None]
    for lat, lon, km in ((48.0, 37.8, 100), (48.0, 37.5, 20), (47.5, 38.0, 55), (50.45, 30.52, 400),
                         (31.5, 34.45, 30), (48.0, 37.8, 2600)):
        r, rows = st.events("--near", f"{lat},{lon}", "--radius", str(km), "--limit", "0")
        got = {e["event_id"] for e in rows}
        want = {e["event_id"] for e in located if near(lat, lon, km - 0.05)(e)}
        extra = [e["event_id"] for e in rows if not near(lat, lon, km)(e)]
        check(f"filter --near {lat},{lon} --radius {km}: every event within it, no other",
              r.rc == 0 and want <= got and not extra,
              f"missing {sorted(want - got)[:3]}, outside {extra[:3]}" + r.show())
    # and across the antimeridian: Labasa (Fiji, 179.36 E) is 89 km from 179.8 W
    fiji = Store("antimeridian")
    one = os.path.join(TMP, f"labasa-{TAG}.txt")
    with open(one, "w") as f:
        f.write("Russian forces shelled Labasa on Monday.\n")
    r = sr("ingest", "--db", fiji.target, "--published", "2025-04-07", one)
    _, all_fiji = fiji.events()
    if r.rc == 0 and any((e["location"] or {}).get("name") == "Labasa" for e in all_fiji):
        r, rows = fiji.events("--near", "-16.43,-179.8", "--radius", "100")
        check("filter --near -16.43,-179.8 --radius 100 finds Labasa across the antimeridian",
              r.rc == 0 and [(e["location"] or {}).get("name") for e in rows] == ["Labasa"], r.show())
        r, rows = fiji.events("--near", "-16.43,-179.8", "--radius", "80")
        check("filter --near -16.43,-179.8 --radius 80 does not (89 km)", r.rc == 0 and not rows, r.show())
    else:
        say("skip antimeridian radius: the coder put no event at Labasa" + r.show())
    p = sr("place", "Pokrovsk")
    try:
        plat, plon = (float(x) for x in p.out.splitlines()[0].split("\t")[1:3])
    except (IndexError, ValueError):
        plat, plon = 48.282, 37.1758
    filt("--near Pokrovsk (default radius 25 km)", ["--near", "Pokrovsk"], near(plat, plon, 25))
    filt("--issue ceasefire", ["--issue", "ceasefire"], lambda e: "ceasefire" in e["issues"])
    _, cf = st.events("--issue", "cease")
    check("filter --issue cease: a tag is matched whole, not as a prefix", len(cf) == 0,
          f"{len(cf)} rows")

    def says(e, pattern):
        return any(re.search(pattern, m.get("sentence") or "", re.I) for m in mentions_of(e))
    filt("--text prisoners", ["--text", "prisoners"], lambda e: says(e, r"\bprisoner"))
    _, pr = st.events("--text", "prisoners")
    want = {x for (x,) in st.rows("SELECT DISTINCT e.event_id FROM mentions m JOIN events e ON e.id = m.event"
                                  " JOIN sentences s"
                                  " ON s.doc_id = m.doc_id AND s.sent_no = m.sent_no"
                                  " WHERE lower(s.text) LIKE '%prisoners%'")}
    missing = want - {e["event_id"] for e in pr}
    check("filter --text prisoners: every event with 'prisoners' in a sentence is found", not missing,
          f"{len(missing)} missing, e.g. {sorted(missing)[:3]}")
    filt("--text '\"prisoners of war\"' (phrase)", ["--text", '"prisoners of war"'],
         lambda e: says(e, r"\bprisoners?\W+of\W+wars?\b"))
    filt("--text 'ceasefire Putin' (all words)", ["--text", "ceasefire Putin"],
         lambda e: says(e, r"(?=.*ceasefire)(?=.*Putin)"))
    doc = "2025-04-12-donetsk-front"
    drows = filt(f"--doc {doc}", ["--doc", doc], lambda e: any(m.get("doc") == doc for m in mentions_of(e)))
    n = st.count(f"SELECT count(DISTINCT event) FROM mentions WHERE doc_id = '{doc}'")
    check(f"filter --doc {doc}: as many rows as the document's distinct events", len(drows) == n,
          f"{len(drows)} rows, {n} events in SQL")
    r, none = st.events("--doc", "no-such-document")
    check("filter --doc unknown: exit 0, empty", r.rc == 0 and not none, r.show())
    # combinations: the AND of two filters is the intersection of their results
    for a, b in ((["--since", since, "--until", until], ["--actor", "RUS"]),
                 (["--quad", "4"], ["--place", "UKR"]),
                 (["--issue", "ceasefire"], ["--modality", "asserted"])):
        _, ra = st.events(*a)
        _, rb = st.events(*b)
        r, rab = st.events(*a, *b)
        want = [e["event_id"] for e in ra if e["event_id"] in {x["event_id"] for x in rb}]
        check(f"filter {' '.join(a + b)}: the intersection of each filter's rows",
              r.rc == 0 and [e["event_id"] for e in rab] == want and len(want) > 0,
              f"{len(rab)} rows, want {len(want)}" + r.show())
    # limit and pages
    r, lim = st.events("--limit", "7")
    check("--limit 7: the first 7 rows", r.rc == 0 and [e["event_id"] for e in lim] == ids_all[:7],
          f"{len(lim)} rows" + r.show())
    r, lim0 = st.events("--limit", "0")
    check("--limit 0: all rows", r.rc == 0 and len(lim0) == total, f"{len(lim0)} of {total}")
    for label, extra in (("all", []), ("--actor RUS", ["--actor", "RUS"])):
        _, full = st.events(*extra)
        seq, after, pages = [], None, 0
        while pages < 1000:
            args = list(extra) + ["--limit", "5"] + (["--after", after] if after else [])
            r, page = st.events(*args)
            if r.rc != 0:
                check(f"pages of 5 ({label}): every page exits 0", False, r.show())
                break
            if not page:
                break
            if len(page) > 5:
                check(f"pages of 5 ({label}): at most 5 rows a page", False, f"{len(page)} rows")
                break
            seq += [e["event_id"] for e in page]
            after = cursor_of(page[-1])
            pages += 1
        check(f"pages of 5 ({label}): concatenated = one query ({len(full)} rows, {pages} pages)",
              seq == [e["event_id"] for e in full],
              f"{len(seq)} paged rows vs {len(full)}; first difference at "
              f"{next((i for i, (x, y) in enumerate(zip(seq, [e['event_id'] for e in full])) if x != y), min(len(seq), len(full)))}")
    undated = [e for e in evs if e["date"] is None]
    if undated:
        r, tail = st.events("--after", cursor_of(undated[0]))
        want = ids_all[ids_all.index(undated[0]["event_id"]) + 1:]
        check("--after the cursor of an undated event", r.rc == 0 and [e["event_id"] for e in tail] == want,
              f"{len(tail)} rows, want {len(want)}" + r.show())
    # bad values
    for args, pat in ((["--since", "2025-13"], r"since|date"),
                      (["--since", "2025-13-45"], r"since|date"),
                      (["--until", "2025-02-30"], r"until|date"),
                      (["--until", "yesterday"], r"until|date"),
                      (["--quad", "9"], r"quad"),
                      (["--cameo", "abc"], r"cameo"),
                      (["--modality", "maybe"], r"modality"),
                      (["--bogus"], r"unknown option '--bogus'"),
                      (["--limit", "-1"], r"limit"),
                      (["--after", "not-a-cursor"], r"after|cursor"),
                      (["--near", "95,10"], r"near|latitude"),
                      (["--near", "48,37", "--radius", "-5"], r"radius"),
                      (["--near", "Nowhereville Qzx"], r"Nowhereville"),
                      (["--format"], r"format")):
        r = sr("events", "--db", st.target, *args)
        check(f"events {' '.join(args)}: exit 2 with a message",
              r.rc == 2 and re.search(pat, r.err) is not None and r.out == "", r.show())


# ---- 5. formats -----------------------------------------------------------------

def t_formats(st, evs):
    ids = [e["event_id"] for e in evs]
    r = sr("events", "--db", st.target, "--format", "table", "--limit", "20")
    lines = r.out.splitlines()
    ok = r.rc == 0 and lines and "DATE" in lines[0] and "EVENT" in lines[0]
    check("table: header with DATE and EVENT", ok, r.show())
    if ok:
        body = [l for l in lines[1:] if not re.fullmatch(r"\(\d+ events?\)", l.strip())]
        col = {h: lines[0].index(h) for h in ("EVENT", "SOURCE", "CAMEO", "QUAD", "SENTENCE")}
        got = [l[col["EVENT"]:col["EVENT"] + 16] for l in body]
        check("table: 20 rows, event ids in the EVENT column, as jsonl", got == ids[:20],
              f"{got[:3]} vs {ids[:3]}")
        mis = [l for l in body if any(l[c - 2:c] != "  " for c in (col["SOURCE"], col["CAMEO"], col["QUAD"]))
               or not re.match(r"(\d{4}-\d\d-\d\d|-)\s", l)]
        check("table: rows aligned under the header (two spaces before each column)", not mis, f"{mis[:2]}")
        check("table: footer (20 events)", lines[-1].strip() == "(20 events)", lines[-1])
    r = sr("events", "--db", st.target, "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.out, newline="")))
    check("csv: parses, header, one record per jsonl row",
          r.rc == 0 and rows and rows[0][0] == "event_id" and len(rows) - 1 == len(evs), 
          f"{len(rows)} records for {len(evs)} events" + r.show())
    if r.rc == 0 and rows:
        h = rows[0]
        check("csv: records end with CRLF", r.out.endswith("\r\n") and r.out.count("\r\n") >= len(rows),
              repr(r.out[-20:]))
        same = all(len(x) == len(h) for x in rows)
        check("csv: every record has as many fields as the header", same, "")
        if same and "date" in h and "cameo" in h:
            di, ci = h.index("date"), h.index("cameo")
            bad = [x[0] for x, e in zip(rows[1:], evs)
                   if x[0] != e["event_id"] or x[di] != (e["date"] or "") or x[ci] != e["cameo"]]
            check("csv: event_id, date and cameo as in jsonl", not bad, f"{bad[:3]}")
    r = sr("events", "--db", st.target, "--format", "gdelt")
    glines = r.out.split("\n")
    if glines and glines[-1] == "":
        glines.pop()
    check("gdelt: one line per event", r.rc == 0 and len(glines) == len(evs), f"{len(glines)} lines" + r.show())
    bad = [i for i, l in enumerate(glines) if len(l.split("\t")) != 61]
    check("gdelt: 61 tab-separated fields on every line", not bad,
          f"lines {bad[:5]} have {[len(glines[i].split(chr(9))) for i in bad[:5]]} fields")
    bad = [(f[0], f[1]) for f, e in ((l.split("\t"), e) for l, e in zip(glines, evs))
           if len(f) < 2 or f[0] != e["event_id"] or f[1] != (e["date"] or "").replace("-", "")]
    check("gdelt: field 1 the event id, field 2 YYYYMMDD of the date", not bad, f"{bad[:3]}")
    bad = [f[1] for f in (l.split("\t") for l in glines) if f[1] and not re.fullmatch(r"\d{8}", f[1])]
    check("gdelt: field 2 is 8 digits when set", not bad, f"{bad[:3]}")
    bad = [(f[0], f[26], f[28]) for f, e in ((l.split("\t"), e) for l, e in zip(glines, evs))
           if len(f) == 61 and (f[26] != e["cameo"] or f[28] != e["root"])]
    check("gdelt: EventCode (27) and EventRootCode (29) as in jsonl", not bad, f"{bad[:3]}")
    r = sr("events", "--db", st.target, "--format", "hxl")
    rows = list(csv.reader(io.StringIO(r.out, newline="")))
    check("hxl: row 2 is the hashtag row starting with #date",
          r.rc == 0 and len(rows) >= 2 and rows[1][0].startswith("#date"), f"{rows[:2]}" + r.show())
    check("hxl: rows = events + 2", len(rows) == len(evs) + 2, f"{len(rows)} rows, {len(evs)} events")
    check("hxl: every hashtag starts with #", len(rows) >= 2 and all(t.startswith("#") for t in rows[1]),
          f"{rows[1] if len(rows) > 1 else None}")
    for fmt in ("csv", "gdelt", "hxl", "table"):
        r = sr("events", "--db", st.target, "--format", fmt, "--doc", "no-such-document")
        check(f"{fmt}: no rows, exit 0", r.rc == 0 and (fmt == "gdelt") == (r.out == ""),
              repr(r.out[:200]) + r.show())
    r = sr("events", "--db", st.target, "--format", "xml")
    check("unknown format: exit 2 with a message", r.rc == 2 and "xml" in r.err and r.out == "", r.show())
    if os.access("/dev/full", os.W_OK):
        with open("/dev/full", "w") as full:
            p = subprocess.run([BIN, "events", "--db", st.target, "--format", "csv"], stdout=full,
                               stderr=subprocess.PIPE, text=True)
        check("events > /dev/full: exit 2, write error", p.returncode == 2 and "write error" in p.stderr,
              f"exit {p.returncode}: {p.stderr.strip()}")


# ---- 6. show, 7. stats --------------------------------------------------------------

def t_show_stats(st, evs):
    e = next((x for x in evs if x["num_mentions"] >= 2), evs[0])
    r = sr("show", "--db", st.target, e["event_id"])
    check("show: text has the event id, its sentence and why",
          r.rc == 0 and e["event_id"] in r.out and e["sentence"] in r.out and "why" in r.out, r.show())
    r, js = st.show(e["event_id"])
    ms = (js or {}).get("mentions")
    check("show --format json: parses, mentions each with why",
          r.rc == 0 and isinstance(ms, list) and ms and all(isinstance(m.get("why"), list) and m["why"]
                                                            for m in ms), r.show())
    check("show --format json: as many mentions as num_mentions, sentence among them",
          ms is not None and len(ms) == e["num_mentions"] and
          any(m.get("sentence") == e["sentence"] for m in ms), f"{len(ms or [])} vs {e['num_mentions']}")
    check("show --format json: the event's fields as in events jsonl",
          js is not None and all(js.get(k) == e[k] for k in ("event_id", "date", "cameo", "source", "target",
                                                             "num_mentions", "num_sources", "location")), "")
    r = sr("show", "--db", st.target, "0123456789abcdef")
    check("show unknown id: exit 1, message names the id", r.rc == 1 and "0123456789abcdef" in r.err, r.show())
    r = sr("show", "--db", st.target)
    check("show without id: exit 2", r.rc == 2, r.show())
    r = sr("show", "--db", st.target, "--format", "yaml", e["event_id"])
    check("show --format yaml: exit 2", r.rc == 2, r.show())

    def stats(*args):
        r = sr("stats", "--db", st.target, *args)
        out = {}
        for line in r.out.splitlines():
            if line.startswith("  "):
                k, n = line.strip().rsplit(None, 1)
                out[k] = int(n)
        return r, out
    for by in ("root", "day", "quad", "pair", "place"):
        r, s = stats("--by", by)
        check(f"stats --by {by}: counts sum to the number of events",
              r.rc == 0 and sum(s.values()) == len(evs), f"sum {sum(s.values())}, events {len(evs)}" + r.show())
    r, s = stats("--by", "root")
    want = collections.Counter(x["root"] for x in evs)
    check("stats --by root: each count = events with that root", s == dict(want), f"{s} vs {dict(want)}")
    r, s = stats("--by", "day")
    keys = [k for k in s if k != "(undated)"]
    check("stats --by day: days in date order", keys == sorted(keys), f"{keys[:5]}")
    _, rus = st.events("--actor", "RUS")
    r, s = stats("--by", "root", "--actor", "RUS")
    check("stats --actor RUS --by root: sums to the filtered events", sum(s.values()) == len(rus),
          f"{sum(s.values())} vs {len(rus)}")
    r = sr("stats", "--db", st.target, "--by", "weekday")
    check("stats --by weekday: exit 2 with a message", r.rc == 2 and "weekday" in r.err, r.show())


# ---- 8. crash safety ------------------------------------------------------------

def t_crash():
    for attempt, n in enumerate((3000, 12000)):
        feed = make_feed(os.path.join(TMP, f"crash-{TAG}-{n}.jsonl"), n, seed=5 + attempt)
        st = Store(f"crash{attempt}")
        p = subprocess.Popen([BIN, "ingest", "--db", st.target, "--batch", "50", "-j2", "-q", feed],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # kill -9 once a few batches are committed (or after 4 s)
        t0 = time.time()
        stored = 0
        while time.time() - t0 < 4.0 and p.poll() is None:
            time.sleep(0.05)
            try:
                stored = st.count("SELECT count(*) FROM documents")
            except Exception:
                stored = 0
            if stored >= 100:
                break
        p.kill()
        p.wait()
        if BACKEND == "postgresql":
            # the server may still finish a COMMIT the client sent: wait
            # until the killed client's session is gone
            for _ in range(100):
                if st.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND pid <> pg_backend_pid()") == 0:
                    break
                time.sleep(0.05)
        stored = st.count("SELECT count(*) FROM documents")
        if stored < n:
            break
        say(f"note: ingest of {n} documents finished within the kill window; trying a bigger feed")
    check(f"crash: killed mid-way ({stored} of {n} documents stored)", 0 <= stored < n,
          "ingest finished before kill -9")
    want = code_counts([feed])
    got = mention_counts(st)
    half = [d for (d,) in st.rows("SELECT doc_id FROM documents") if got.get(d, 0) != want.get(d, 0)]
    check("crash: every document stored before the kill is whole", not half,
          f"{len(half)} half-stored documents, e.g. {half[:3]}")
    r = sr("ingest", "--db", st.target, "--batch", "50", "-j2", feed, timeout=300)
    s = summary(r)
    check("crash: ingest again completes, new = the rest, unchanged = those stored",
          r.rc == 0 and s == (n - stored, 0, stored), f"summary {s}, stored before {stored}" + r.show())
    nd = st.count("SELECT count(*) FROM documents")
    check(f"crash: documents = {n} feed documents", nd == n, f"{nd}")
    dup = st.count("SELECT count(*) FROM (SELECT mention_id FROM mentions GROUP BY mention_id"
                   " HAVING count(*) > 1) x")
    check("crash: no duplicate mention ids", dup == 0, f"{dup}")
    compare_counts("crash: mentions per document = events per document of `sitrep code`",
                   want, mention_counts(st))
    st.consistency("crash store")
    if BACKEND == "sqlite":
        c = sqlite3.connect(st.target)
        ic = c.execute("PRAGMA integrity_check").fetchall()
        try:
            c.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
            fts = "ok"
        except sqlite3.Error as x:
            fts = str(x)
        c.close()
        check("crash: PRAGMA integrity_check ok", ic == [("ok",)], f"{ic[:5]}")
        check("crash: full-text index integrity-check ok", fts == "ok", fts)
    return feed, want


# ---- 9. migrations --------------------------------------------------------------

def strip_ingested(rows):
    return [{k: v for k, v in e.items() if k != "ingested_at"} for e in rows]


def t_migration_v3(main_store, main_evs, main_ceasefire):
    """A store the previous sitrep (schema 3) wrote upgrades to 4 with its
    rows intact; it can be read before, and written after."""
    st = Store("v3")
    r = sr("ingest", "--db", st.target, EXAMPLES, env={"SITREP_SCHEMA_VERSION": "3"})
    v = st.one("SELECT value FROM sitrep_meta WHERE key = 'schema_version'")
    check("migration 3->4: a version-3 store with data", r.rc == 0 and v == "3", f"schema_version {v}" + r.show())
    r, before = st.events()
    check("migration 3->4: version 3 read as it is (events = a new store's)",
          r.rc == 0 and strip_ingested(before) == strip_ingested(main_evs),
          f"{len(before)} vs {len(main_evs)} events" + r.show())
    # a version-4 store keeps why lists compactly (words as offsets into
    # the document, rules once in a table); show gives them back whole
    sample = [e["event_id"] for e in before][::4]
    differ = []
    for eid in sample:
        _, js3 = st.show(eid)
        _, js4 = Store.show(main_store, eid)
        for js in (js3, js4):
            if js:
                js.pop("ingested_at", None)
        if js3 is None or js3 != js4:
            differ.append(eid)
    check(f"migration 3->4: show of {len(sample)} events: version 3 and 4 alike, why lists included",
          sample and not differ, f"differ: {differ[:3]}")
    _, cf3 = st.events("--text", "ceasefire", "--limit", "5")
    check("migration 3->4: version 3 answers --text", [e["event_id"] for e in cf3] == main_ceasefire[:5],
          f"{[e['event_id'] for e in cf3]}")
    nm = st.count("SELECT count(*) FROM mentions")
    r = sr("ingest", "--db", st.target, EXAMPLES)
    v = st.one("SELECT value FROM sitrep_meta WHERE key = 'schema_version'")
    check("migration 3->4: ingest upgrades to 4, nothing new",
          r.rc == 0 and v == "4" and summary(r) is not None and summary(r)[0] == 0,
          f"schema_version {v}, summary {summary(r)}" + r.show())
    _, after = st.events()
    check("migration 3->4: every event kept, ids, counts and order as before",
          strip_ingested(after) == strip_ingested(before), f"{len(after)} vs {len(before)} events")
    check("migration 3->4: every mention kept", st.count("SELECT count(*) FROM mentions") == nm,
          f"{st.count('SELECT count(*) FROM mentions')} vs {nm}")
    _, cf = st.events("--text", "ceasefire")
    check("migration 3->4: --text finds what a new store finds",
          [e["event_id"] for e in cf] == main_ceasefire, f"{len(cf)} vs {len(main_ceasefire)} rows")
    for args in (["--text", "ceasefire", "--limit", "3"], ["--near", "48.0,37.8", "--radius", "100"],
                 ["--doc", "2025-04-12-donetsk-front"], ["--actor", "RUS", "--limit", "4"]):
        want = [e["event_id"] for e in main_evs]
        r, got = st.events(*args)
        check(f"migration 3->4: events {' '.join(args)} exit 0, rows in the store's order",
              r.rc == 0 and got and [want.index(e["event_id"]) for e in got]
              == sorted(want.index(e["event_id"]) for e in got), r.show())
    e = next((x for x in after if x["num_mentions"] >= 2), after[0])
    r, js = st.show(e["event_id"])
    check("migration 3->4: show lists every mention", js is not None and len(js["mentions"]) == e["num_mentions"],
          r.show())
    st.consistency("upgraded store")
    if BACKEND == "sqlite":
        c = sqlite3.connect(st.target)
        ic = c.execute("PRAGMA integrity_check").fetchall()
        c.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')")
        c.close()
        check("migration 3->4: PRAGMA integrity_check ok", ic == [("ok",)], f"{ic[:5]}")
    # written after the upgrade: a changed document in the upgraded store
    d = os.path.join(TMP, f"v3-{TAG}")
    os.makedirs(d, exist_ok=True)
    one = os.path.join(d, "2025-04-12-donetsk-front.txt")
    with open(one, "w") as f:
        f.write(V2)
    r = sr("ingest", "--db", st.target, "--published", "2025-04-12", one)
    check("migration 3->4: the upgraded store takes a changed document",
          r.rc == 0 and summary(r) == (0, 1, 0), f"summary {summary(r)}" + r.show())
    st.consistency("upgraded store after a change")


def t_migrations(main_ceasefire):
    st = Store("v1")
    r = sr("ingest", "--db", st.target, EXAMPLES, env={"SITREP_SCHEMA_VERSION": "1"})
    check("migration: SITREP_SCHEMA_VERSION=1 ingest exit 0", r.rc == 0, r.show())
    v = st.one("SELECT value FROM sitrep_meta WHERE key = 'schema_version'")
    check("migration: a version-1 store (schema_version 1)", v == "1", f"schema_version {v}")
    r, rows = st.events()
    check("migration: a version-1 store can still be queried", r.rc == 0 and len(rows) > 0, r.show())
    r = sr("events", "--db", st.target, "--text", "ceasefire")
    check("migration: --text on version 1 exits 2, names schema/upgrade",
          r.rc == 2 and re.search(r"schema|upgrade", r.err) is not None, r.show())
    r = sr("ingest", "--db", st.target, EXAMPLES)
    check("migration: ingest upgrades, nothing new", r.rc == 0 and summary(r) is not None and summary(r)[0] == 0,
          f"summary {summary(r)}" + r.show())
    v = st.one("SELECT value FROM sitrep_meta WHERE key = 'schema_version'")
    check("migration: schema_version becomes 4", v == "4", f"schema_version {v}")
    r, rows = st.events("--text", "ceasefire")
    check("migration: --text ceasefire returns rows after the upgrade", r.rc == 0 and len(rows) > 0, r.show())
    check("migration: the upgraded index finds what a new store finds",
          sorted(e["event_id"] for e in rows) == sorted(main_ceasefire),
          f"{len(rows)} rows vs {len(main_ceasefire)} in a store made at version 4")
    q = st.count("SELECT count(*) FROM queue")
    check("migration: version 3 has the queue table", q == 0, f"{q}")
    st.exec("UPDATE sitrep_meta SET value = '99' WHERE key = 'schema_version'")
    r = sr("events", "--db", st.target)
    check("migration: schema 99: events exits 2, 'newer'", r.rc == 2 and "newer" in r.err, r.show())
    r = sr("ingest", "--db", st.target, EXAMPLES)
    v = st.one("SELECT value FROM sitrep_meta WHERE key = 'schema_version'")
    check("migration: schema 99: ingest exits 2, 'newer', leaves the store alone",
          r.rc == 2 and "newer" in r.err and v == "99", f"schema_version {v}" + r.show())
    r = sr("stats", "--db", st.target)
    check("migration: schema 99: stats exits 2", r.rc == 2 and "newer" in r.err, r.show())


# ---- 10. bad input ----------------------------------------------------------------

def t_bad_sqlite():
    junk = os.path.join(TMP, "junk.db")
    with open(junk, "wb") as f:
        f.write(random.Random(3).randbytes(8192))
    for cmd in (["ingest", "--db", junk, EXAMPLES], ["events", "--db", junk]):
        r = sr(*cmd)
        check(f"{cmd[0]} --db <random bytes>: exit 2, names the file, 'not a SQLite database'",
              r.rc == 2 and junk in r.err and "not a SQLite database" in r.err, r.show())
    with open(junk, "rb") as f:
        check("random-bytes file left as it was", f.read() == random.Random(3).randbytes(8192), "modified")
    d = os.path.join(TMP, "adir")
    os.makedirs(d, exist_ok=True)
    for cmd in (["ingest", "--db", d, EXAMPLES], ["events", "--db", d]):
        r = sr(*cmd)
        check(f"{cmd[0]} --db <directory>: exit 2 with a message naming it", r.rc == 2 and d in r.err, r.show())
    foreign = os.path.join(TMP, "foreign.db")
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE customers(id INTEGER, name TEXT)")
    c.commit()
    c.close()
    r = sr("ingest", "--db", foreign, EXAMPLES)
    tables = [x[0] for x in sqlite3.connect(foreign).execute("SELECT name FROM sqlite_master WHERE type='table'")]
    check("ingest --db <another application's database>: exit 2, 'not a sitrep store', untouched",
          r.rc == 2 and "not a sitrep store" in r.err and tables == ["customers"], f"tables {tables}" + r.show())
    missing = os.path.join(TMP, "missing.db")
    for cmd in ("events", "stats"):
        r = sr(cmd, "--db", missing)
        check(f"{cmd} --db <missing file>: exit 2, 'no such database', no file created",
              r.rc == 2 and "no such database" in r.err and not os.path.exists(missing), r.show())
    r = sr("show", "--db", missing, "0123456789abcdef")
    check("show --db <missing file>: exit 2, no file created", r.rc == 2 and not os.path.exists(missing),
          r.show())
    # read-only: root's 0644 database in a world-readable directory, as nobody
    if os.geteuid() != 0 or not shutil.which("runuser"):
        say("skip read-only database: needs root and runuser to act as an unprivileged user")
    else:
        ro = os.path.join(TMP, "ro")
        os.makedirs(ro, exist_ok=True)
        os.chmod(TMP, 0o755)
        os.chmod(ro, 0o755)
        db = os.path.join(ro, "ro.db")
        one = os.path.join(TMP, "one.txt")
        with open(one, "w") as f:
            f.write("Russian forces shelled Kharkiv on Monday.\n")
        r = sr("ingest", "--db", db, "--published", "2025-04-07", one)
        sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        for suffix in ("-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        os.chmod(db, 0o644)
        nobody = ["runuser", "-u", "nobody", "--"]
        probe = run(nobody + [BIN, "--help"])
        if probe.rc not in (0, 2):
            say(f"skip read-only database: nobody cannot run {BIN}" + probe.show())
        else:
            before = os.stat(db).st_mtime_ns
            r = run(nobody + [BIN, "ingest", "--db", db, EXAMPLES])
            check("ingest into a read-only database (as nobody): exit 2, 'read-only'",
                  r.rc == 2 and re.search(r"read-?only", r.err, re.I) is not None and db in r.err, r.show())
            check("read-only database unchanged", os.stat(db).st_mtime_ns == before, "modified")
            r = run(nobody + [BIN, "events", "--db", db, "--format", "jsonl"])
            check("events on a read-only database (as nobody): exit 0, rows", r.rc == 0 and r.out.strip(),
                  r.show())
    # locked: another process holds the write lock
    db = os.path.join(TMP, "locked.db")
    one = os.path.join(TMP, "one-lock.txt")
    with open(one, "w") as f:
        f.write("Ukrainian drones struck a refinery in Saratov on Sunday.\n")
    sr("ingest", "--db", db, "--published", "2025-04-06", one)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3,sys,time\n"
         "c=sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "time.sleep(float(sys.argv[2]))\n"
         "c.execute('ROLLBACK')\n", db, "6"], stdout=subprocess.PIPE, text=True)
    holder.stdout.readline()
    r = sr("ingest", "--db", db, EXAMPLES, env={"SITREP_LOCK_TIMEOUT_MS": "500"})
    holder.wait()
    check("ingest while another process holds the write lock: exit 2, 'locked'",
          r.rc == 2 and "locked" in r.err, r.show())
    check("SITREP_LOCK_TIMEOUT_MS=500 is honoured (gave up in < 4 s)", r.secs < 4, f"took {r.secs:.1f} s")
    n = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    check("locked ingest stored nothing", n == 1, f"{n} documents")


def t_bad_pg():
    url = "postgresql://postgres@127.0.0.1:1/x"
    for cmd in (["ingest", "--db", url, EXAMPLES], ["events", "--db", url]):
        r = sr(*cmd, timeout=60)
        check(f"{cmd[0]} --db <unreachable server>: exit 2, 'cannot connect', names the URL",
              r.rc == 2 and "cannot connect" in r.err and url in r.err, r.show())
    st = Store("foreign")
    st.exec("CREATE TABLE customers(id INTEGER, name TEXT)")
    r = sr("ingest", "--db", st.target, EXAMPLES)
    check("ingest --db <another application's database>: exit 2, 'not a sitrep store'",
          r.rc == 2 and "not a sitrep store" in r.err, r.show())
    url = pg_url(f"{PG_PREFIX}_nonexistent")
    r = sr("events", "--db", url)
    check("events --db <database that does not exist>: exit 2 naming it", r.rc == 2 and url in r.err, r.show())


def t_partial():
    """Unreadable input: exit 1, the rest is stored."""
    st = Store("partial")
    feed = os.path.join(TMP, f"partial-{TAG}.jsonl")
    with open(feed, "w") as f:
        f.write('{"id":"p1","published":"2025-05-02","text":"Russian forces shelled Kherson on Friday."}\n'
                '{not json\n'
                '{"id":"p2","published":"2025-05-03","text":"Ukrainian drones hit an airfield in Crimea on Saturday."}\n')
    missing = os.path.join(TMP, "no-such-file.txt")
    r = sr("ingest", "--db", st.target, feed, missing)
    docs = sorted(x[0] for x in st.rows("SELECT doc_id FROM documents"))
    check("ingest with a bad JSONL line and a missing file: exit 1, names them, the rest stored",
          r.rc == 1 and "no-such-file.txt" in r.err and f"{os.path.basename(feed)}:2" in r.err
          and docs == ["p1", "p2"], f"documents {docs}" + r.show())
    r2 = sr("events", "--format", "jsonl", env={"SITREP_DB": st.target})
    _, rows = st.events()
    check("SITREP_DB is the default --db", r2.rc == 0 and r2.out.count("\n") == len(rows) > 0, r2.show())
    r = sr("ingest", "--db", st.target, "--batch", "0", feed)
    check("ingest --batch 0: exit 2", r.rc == 2, r.show())
    r = sr("ingest", "--db", st.target)
    check("ingest without a path: exit 2", r.rc == 2, r.show())


# ---- 11. worker queue ------------------------------------------------------------------

def t_worker(feed):
    n = 600
    sub = os.path.join(TMP, f"queue-{TAG}.jsonl")
    with open(feed) as f, open(sub, "w") as g:
        for i, line in enumerate(f):
            if i < n:
                g.write(line.replace('"id": "gen-', '"id": "q-'))
    st = Store("queue")
    r = sr("ingest", "--db", st.target, "--queue", sub)
    q = st.count("SELECT count(*) FROM queue")
    d = st.count("SELECT count(*) FROM documents")
    check(f"queue: ingest --queue exit 0, {n} queued, nothing coded yet",
          r.rc == 0 and q == n and d == 0 and str(n) in r.err, f"queue {q}, documents {d}" + r.show())
    workers = 2 if BACKEND == "postgresql" else 1
    procs = [subprocess.Popen([BIN, "worker", "--db", st.target, "--batch", "20"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(workers)]
    outs = [p.communicate(timeout=300) for p in procs]
    rcs = [p.returncode for p in procs]
    for _, e in outs:
        if SANITIZER.search(e):
            check("no sanitizer report (worker)", False, e[:3000])
    check(f"queue: {workers} worker(s) exit 0 when the queue is empty", rcs == [0] * workers,
          f"exits {rcs}; stderr: {[e.strip()[:500] for _, e in outs]}")
    coded = [int(m.group(1)) for m in (re.search(r"coded (\d+) documents", e) for _, e in outs) if m]
    check(f"queue: the workers' counts add up to {n} documents (each coded once)",
          len(coded) == workers and sum(coded) == n, f"workers report {coded}")
    q = st.count("SELECT count(*) FROM queue")
    d = st.count("SELECT count(*) FROM documents")
    check("queue: empty afterwards", q == 0, f"{q} left")
    check(f"queue: documents = {n}", d == n, f"{d}")
    want = code_counts([sub])
    compare_counts("queue: mentions per document = `sitrep code` events (no document coded twice)",
                   want, mention_counts(st))
    st.consistency("worker store")
    r = sr("worker", "--db", st.target)
    check("queue: a worker on an empty queue exits 0 at once", r.rc == 0 and r.secs < 10, r.show())


def step(name, fn, *args):
    """Runs one group of checks; an exception is a failed check, not the end."""
    try:
        return fn(*args)
    except Exception:
        import traceback
        check(f"{name}: ran to the end", False, traceback.format_exc())
        return None


def main():
    try:
        res = step("ingest", t_ingest)
        if not res or not res[1]:
            check("examples store has events", False, "the remaining checks need them")
            return 1
        st, evs = res
        step("changed document", t_changed)
        step("duplicates", t_duplicates, st, evs)
        step("filters", t_filters, st, evs)
        step("formats", t_formats, st, evs)
        step("show and stats", t_show_stats, st, evs)
        _, cf = st.events("--text", "ceasefire")
        crash = step("crash", t_crash)
        step("migrations", t_migrations, [e["event_id"] for e in cf])
        step("migration 3->4", t_migration_v3, st, evs, [e["event_id"] for e in cf])
        step("bad input", t_bad_sqlite if BACKEND == "sqlite" else t_bad_pg)
        step("partial input", t_partial)
        feed = crash[0] if crash else make_feed(os.path.join(TMP, f"queue-src-{TAG}.jsonl"), 600)
        step("worker queue", t_worker, feed)
    finally:
        for db in PG_DBS:
            psql(PG_BASE, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", check_errors=False)
    say(f"[{TAG}] {npass} passed, {nfail} failed")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
