#!/usr/bin/env python3
"""The HTTP API of `sitrep serve`, against a real server on loopback.

    python3 serve_check.py BIN SRC TMP sqlite
    python3 serve_check.py BIN SRC TMP postgresql URL PREFIX

Starts `sitrep serve` on a free port over a store of examples/, then checks
every endpoint of docs/API.md: status codes, content types, each filter
against `sitrep events` with the same filter, cursor pages, the formats,
one event, timeline, stats, suggestions, tokens, limits (413, 414), bad
parameters (400 naming them), static files, ETags, the response cache
seeing new documents, and a clean shutdown on SIGTERM. Standard library
only; prints PASS/FAIL lines, exits 1 if any check failed.
"""
import csv
import http.client
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

BIN, SRC, TMP, BACKEND = sys.argv[1:5]
PG_URL = sys.argv[5] if len(sys.argv) > 5 else None
PREFIX = sys.argv[6] if len(sys.argv) > 6 else None
failures = 0
TOKEN = "s3cret-token"


def check(name, ok, detail=""):
    global failures
    print(("PASS " if ok else "FAIL ") + f"[{BACKEND}] {name}" + ("" if ok else f": {detail}"))
    if not ok:
        failures += 1
    return ok


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, **kw)


class Server:
    """A running `sitrep serve`; .port once listening."""

    def __init__(self, db, *extra, env=None):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--web",
             os.path.join(os.path.dirname(BIN), "web"), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})})
        line = self.proc.stdout.readline()
        self.banner = line
        self.port = None
        if "http://127.0.0.1:" in line:
            self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def get_json(self, path):
        s, h, d = self.get(path)
        try:
            return s, h, json.loads(d)
        except ValueError:
            return s, h, None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
        return self.proc.returncode, err


def qs(**params):
    return urllib.parse.urlencode(params)


def cli_ids(db, *filters):
    r = run("events", "--db", db, "--format", "jsonl", *filters)
    if r.returncode != 0:
        return None
    return [json.loads(l)["event_id"] for l in r.stdout.splitlines()]


def api_ids(sv, params):
    """Every event id for params, following the cursor pages."""
    ids, after = [], None
    for _ in range(200):
        p = dict(params, limit=1000)
        if after:
            p["after"] = after
        s, _, d = sv.get_json("/api/events?" + qs(**p))
        if s != 200:
            return None
        ids += [e["event_id"] for e in d["events"]]
        after = d["next"]
        if not after:
            return ids
    return None


def main():
    if BACKEND == "sqlite":
        db = os.path.join(TMP, "serve.db")
    else:
        db = PG_URL.rsplit("/", 1)[0] + f"/{PREFIX}_serve"
        subprocess.run(["psql", "-X", "-q", "-d", PG_URL, "-c", f"CREATE DATABASE {PREFIX}_serve"],
                       check=True, capture_output=True)
    r = run("ingest", "--db", db, "-q", os.path.join(SRC, "examples"))
    if not check("examples ingested", r.returncode == 0, r.stderr):
        return

    sv = Server(db, "--token", TOKEN)
    if not check("server starts on a free port and prints its URL", sv.port, sv.banner):
        sv.stop()
        return
    try:
        checks(sv, db)
    finally:
        rc, err = sv.stop()
        check("SIGTERM stops the server with status 0", rc == 0, f"{rc}: {err[-300:]}")
    if BACKEND == "sqlite":
        con = sqlite3.connect(db)
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        check("the store is clean after shutdown (integrity_check)", ok == "ok", ok)
        check("no WAL left behind after shutdown",
              not os.path.exists(db + "-wal") or os.path.getsize(db + "-wal") == 0)
        others(db)


def checks(sv, db):
    # ---- health, content types, security headers
    s, h, d = sv.get_json("/api/health")
    check("health 200 ok", s == 200 and d and d["status"] == "ok"
          and d["backend"] == ("sqlite" if BACKEND == "sqlite" else "postgresql"), (s, d))
    check("JSON content type", h.get("content-type", "").startswith("application/json"), h)
    check("nosniff and a script-src 'self' CSP on API answers",
          h.get("x-content-type-options") == "nosniff"
          and "script-src 'self'" in h.get("content-security-policy", ""), h)

    # ---- events: the same as `sitrep events`, newest first, paged
    all_cli = cli_ids(db)
    s, h, d = sv.get_json("/api/events")
    check("events: default page of 100 in the CLI's order",
          s == 200 and [e["event_id"] for e in d["events"]] == all_cli[:100], s)
    check("events: next cursor when more rows exist",
          (d["next"] is not None) == (len(all_cli) > 100) and h.get("x-next-cursor") == d["next"])
    ids, after, pages = [], None, 0
    while pages < 500:
        s, h, d = sv.get_json("/api/events?" + qs(limit=7, **({"after": after} if after else {})))
        if s != 200:
            break
        ids += [e["event_id"] for e in d["events"]]
        pages += 1
        after = d["next"]
        if not after:
            break
    check(f"cursor pages of 7 walk all {len(all_cli)} events once, in order", ids == all_cli,
          f"{len(ids)} ids over {pages} pages")
    first = sv.get_json("/api/events?limit=1")[2]["events"][0]
    want_keys = {"event_id", "date", "date_precision", "source", "target", "cameo", "root",
                 "quad_class", "goldstein", "plover", "plover_mode", "negated", "modality",
                 "issues", "location", "num_mentions", "num_articles", "num_sources", "doc",
                 "sentence", "outlet", "url", "attribution", "ingested_at", "cursor"}
    check("event objects have the documented fields", want_keys <= set(first), set(first) ^ want_keys)

    # ---- every filter against the CLI's answer for the same filter
    evs = [json.loads(l) for l in run("events", "--db", db, "--format", "jsonl").stdout.splitlines()]
    located = next(e for e in evs if e["location"] and e["location"]["lat"] is not None)
    attributed = next(e for e in evs if e["attribution"])
    issue = next(t for e in evs for t in e["issues"])
    dates = sorted(e["date"] for e in evs if e["date"])
    mid = dates[len(dates) // 2]
    cases = [
        ({"since": mid}, ["--since", mid]),
        ({"until": mid}, ["--until", mid]),
        ({"since": dates[0], "until": mid}, ["--since", dates[0], "--until", mid]),
        ({"actor": "RUS"}, ["--actor", "RUS"]),
        ({"actor": "Putin"}, ["--actor", "Putin"]),
        ({"source": "UKR"}, ["--source", "UKR"]),
        ({"target": "UKR"}, ["--target", "UKR"]),
        ({"cameo": "19"}, ["--cameo", "19"]),
        ({"cameo": "036"}, ["--cameo", "036"]),
        ({"quad": "4"}, ["--quad", "4"]),
        ({"plover": "ASSAULT"}, ["--plover", "ASSAULT"]),
        ({"modality": "reported"}, ["--modality", "reported"]),
        ({"negated": "true"}, ["--negated"]),
        ({"negated": "false"}, ["--not-negated"]),
        ({"attributed": attributed["attribution"].split()[-1]},
         ["--attributed-by", attributed["attribution"].split()[-1]]),
        ({"place": located["location"]["name"]}, ["--place", located["location"]["name"]]),
        ({"near": f'{located["location"]["lat"]},{located["location"]["lon"]}', "radius": "40"},
         ["--near", f'{located["location"]["lat"]},{located["location"]["lon"]}', "--radius", "40"]),
        ({"issue": issue}, ["--issue", issue]),
        ({"q": "ceasefire"}, ["--text", "ceasefire"]),
        ({"doc": evs[0]["doc"]}, ["--doc", evs[0]["doc"]]),
        ({"actor": "RUS", "quad": "4", "since": dates[0]}, ["--actor", "RUS", "--quad", "4",
                                                            "--since", dates[0]]),
    ]
    for params, flags in cases:
        a, c = api_ids(sv, params), cli_ids(db, *flags)
        check(f"filter {qs(**params)} = sitrep events {' '.join(flags)} ({len(c or [])} events)",
              a is not None and a == c and (c or params.get("negated") == "true"),
              f"api {None if a is None else len(a)} vs cli {None if c is None else len(c)}")

    # ---- formats
    s, h, body = sv.get("/api/events?" + qs(format="csv", limit=5))
    rows = list(csv.reader(io.StringIO(body.decode())))
    check("csv: text/csv, a header and 5 rows", s == 200 and h["content-type"].startswith("text/csv")
          and len(rows) == 6 and "event_id" in rows[0] and h.get("x-next-cursor"), (s, len(rows)))
    s, h, body = sv.get("/api/events?" + qs(format="hxl", limit=5))
    rows = list(csv.reader(io.StringIO(body.decode())))
    check("hxl: a hashtag row under the header", s == 200 and len(rows) == 7
          and any(c.startswith("#date") for c in rows[1]), rows[:2])
    s, h, d = sv.get_json("/api/events?" + qs(format="geojson", limit=1000))
    n_located = sum(1 for e in evs if e["location"] and e["location"]["lat"] is not None)
    feats = d["features"] if d else []
    check("geojson: a FeatureCollection of every located event",
          s == 200 and h["content-type"] == "application/geo+json" and d["type"] == "FeatureCollection"
          and len(feats) == n_located and all(f["geometry"]["type"] == "Point" for f in feats),
          f"{len(feats)} features, {n_located} located")
    f0 = feats[0]
    e0 = next(e for e in evs if e["event_id"] == f0["id"])
    check("geojson: [lon, lat] coordinates and the event as properties",
          abs(f0["geometry"]["coordinates"][0] - e0["location"]["lon"]) < 1e-3
          and abs(f0["geometry"]["coordinates"][1] - e0["location"]["lat"]) < 1e-3
          and f0["properties"]["event_id"] == f0["id"])

    # ---- one event
    eid = all_cli[0]
    s, h, d = sv.get_json(f"/api/events/{eid}")
    cli = json.loads(run("show", "--db", db, "--format", "json", eid).stdout)
    check("events/{id}: the event with its mentions, as sitrep show",
          s == 200 and d["event_id"] == eid and len(d["mentions"]) == cli["num_mentions"]
          and d["mentions"][0]["why"] and d == cli | {"ingested_at": d["ingested_at"]}, s)
    check("events/{id}: why items carry offsets inside their sentence",
          all(m["offset"][0] <= w["offset"][0] and w["offset"][1] <= m["offset"][1]
              for m in d["mentions"] for w in m["why"] if "offset" in w))
    s, _, d = sv.get_json("/api/events/0000000000000000")
    check("events/{id}: 404 for an unknown id", s == 404 and "0000000000000000" in d["error"], s)
    s, _, d = sv.get_json("/api/events/not-an-id")
    check("events/{id}: 400 for a malformed id", s == 400 and d["status"] == 400, s)

    # ---- timeline and stats
    n_dated = sum(1 for e in evs if e["date"])
    s, _, t = sv.get_json("/api/timeline")
    check("timeline: daily totals add up to the dated events",
          s == 200 and sum(t["total"]) == n_dated and t["buckets"] == sorted(t["buckets"])
          and t["keys"] == ["1", "2", "3", "4"]
          and all(len(t["counts"][k]) == len(t["buckets"]) for k in t["keys"]), t and t.get("total"))
    check("timeline: per-bucket counts add up to the totals",
          all(sum(t["counts"][k][i] for k in t["keys"]) == t["total"][i] for i in range(len(t["buckets"]))))
    s, _, w = sv.get_json("/api/timeline?" + qs(bucket="week", by="root", actor="RUS"))
    import datetime
    check("timeline: weeks start on Mondays, roots sorted, filters apply",
          s == 200 and all(datetime.date.fromisoformat(b).weekday() == 0 for b in w["buckets"])
          and w["keys"] == sorted(w["keys"])
          and sum(w["total"]) == sum(1 for e in evs if e["date"] and (
              (e["source"] or {}).get("code", "") or "").startswith("RUS") | (
              (e["target"] or {}).get("code", "") or "").startswith("RUS")) or s != 200, s)
    s, _, d = sv.get_json("/api/timeline?bucket=month")
    check("timeline: 400 for bucket=month", s == 400 and "bucket" in d["error"], s)
    s, _, d = sv.get_json("/api/stats?" + qs(by="root", limit=100))
    cli_stats = run("stats", "--db", db, "--by", "root", "--limit", "100").stdout
    check("stats by root: the counts sitrep stats prints",
          s == 200 and d["counts"] and all(f'{c["key"]}' in cli_stats and str(c["count"]) in cli_stats
                                           for c in d["counts"])
          and sum(c["count"] for c in d["counts"]) == len(evs), s)

    # ---- suggestions
    s, _, d = sv.get_json("/api/actors?q=rus")
    check("actors?q=rus suggests RUS first", s == 200 and d["actors"] and d["actors"][0]["code"] == "RUS", d)
    s, _, d = sv.get_json("/api/actors?q=putin")
    check("actors?q=putin finds the Russian government by a name word",
          s == 200 and any(a["code"].startswith("RUSGOV") for a in d["actors"]), d)
    s, _, d = sv.get_json("/api/places?q=khar")
    check("places?q=khar suggests Kharkiv with coordinates",
          s == 200 and any(p["name"] == "Kharkiv" and abs(p["lat"] - 49.98) < 0.1 for p in d["places"]), d)
    s, _, d = sv.get_json("/api/places?" + qs(q="%_"))
    check("places: LIKE wildcards in q are literal", s == 200 and d["places"] == [], d)

    # ---- bad parameters: 400 naming them
    bad = [("/api/events?sinc=2025-01-01", "sinc"), ("/api/events?quad=9", "quad"),
           ("/api/events?since=2025-02-30", "since"), ("/api/events?until=yesterday", "until"),
           ("/api/events?near=abc", "near"), ("/api/events?near=95,10", "near"),
           ("/api/events?radius=10", "radius"), ("/api/events?near=48,37&radius=-1", "radius"),
           ("/api/events?limit=0", "limit"), ("/api/events?limit=5000", "limit"),
           ("/api/events?format=xml", "format"), ("/api/events?quad=1&quad=2", "quad"),
           ("/api/events?actor=%ZZ", "malformed"), ("/api/events?actor=%FF", "malformed"),
           ("/api/events?cameo=1x", "cameo"), ("/api/events?modality=sure", "modality"),
           ("/api/events?negated=maybe", "negated"), ("/api/events?after=garbage", "after"),
           ("/api/stats?by=colour", "stats by"), ("/api/timeline?by=colour", "by"),
           ("/api/actors?limit=abc", "limit")]
    for path, word in bad:
        s, h, d = sv.get_json(path)
        check(f"400 naming '{word}' for {path}", s == 400 and d and word in d["error"]
              and d["status"] == 400 and h["content-type"].startswith("application/json"), (s, d))
    s, _, d = sv.get_json("/api/nothing")
    check("404 JSON for an unknown endpoint", s == 404 and d and d["status"] == 404, s)
    s, _, _ = sv.request("DELETE", "/api/events")
    check("405 for DELETE", s == 405, s)
    s, _, _ = sv.get("/api/documents")
    check("405 for GET /api/documents", s == 405, s)
    for m in ("PUT", "DELETE", "OPTIONS", "PATCH"):
        s, h, d = sv.request(m, "/index.html")
        check(f"405 JSON for {m} on a static file", s == 405 and json.loads(d)["status"] == 405, s)

    # ---- limits
    s, h, d = sv.get("/api/events?q=" + "a" * 9000)
    check("414 JSON for a URL over 8 KiB", s == 414 and json.loads(d)["status"] == 414, s)

    # ---- ETag and HEAD
    s, h, body = sv.get("/api/events?limit=3")
    etag = h.get("etag")
    s2, _, body2 = sv.get("/api/events?limit=3", headers={"If-None-Match": etag or "x"})
    check("ETag: 304 with no body when unchanged", etag and s2 == 304 and body2 == b"", (etag, s2))
    s, h, body = sv.request("HEAD", "/api/events?limit=3")
    check("HEAD: headers without a body", s == 200 and body == b"" and int(h["content-length"]) > 0, s)

    # ---- openapi
    s, h, d = sv.get_json("/api/openapi.json")
    paths = set((d or {}).get("paths", {}))
    need = {"/api/events", "/api/events/{id}", "/api/timeline", "/api/stats", "/api/actors",
            "/api/places", "/api/health", "/api/documents"}
    check("openapi.json: OpenAPI 3 with every endpoint", s == 200 and str(d.get("openapi", "")).startswith("3")
          and need <= paths, need - paths)

    # ---- writes: token, outcome, the cache sees the new document
    doc = {"id": "api-test-1", "published": "2025-04-07",
           "text": "Russian forces shelled Kharkiv on Monday, the regional governor said."}
    s, _, d = sv.get_json("/api/events?" + qs(doc="api-test-1"))
    check("before the POST the document has no events (and this answer is cached)",
          s == 200 and d["events"] == [], d)
    s, h, _ = sv.request("POST", "/api/documents", json.dumps(doc))
    check("POST without a token: 401 with WWW-Authenticate", s == 401 and "bearer" in h.get("www-authenticate", "").lower(), s)
    s, _, _ = sv.request("POST", "/api/documents", json.dumps(doc), {"Authorization": "Bearer wrong"})
    check("POST with a wrong token: 401", s == 401, s)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    s, _, body = sv.request("POST", "/api/documents", json.dumps(doc, indent=2), auth)
    d = json.loads(body)
    check("POST one (pretty-printed) document: stored as new, its events returned",
          s == 200 and d["documents"][0]["id"] == "api-test-1" and d["documents"][0]["outcome"] == "new"
          and d["documents"][0]["events"] and d["documents"][0]["events"][0]["cameo"].startswith("19"), d)
    s, _, d = sv.get_json("/api/events?" + qs(doc="api-test-1"))
    check("the new document's events are served at once (the cache saw the change)",
          s == 200 and len(d["events"]) >= 1, d)
    s, _, body = sv.request("POST", "/api/documents", json.dumps(doc), auth)
    check("POST the same document again: unchanged", s == 200 and json.loads(body)["documents"][0]["outcome"] == "unchanged")
    batch = json.dumps({"id": "api-test-2", "text": "Ukraine and Russia exchanged 200 prisoners on Friday."}) \
        + "\n{not json}\n" + json.dumps({"text": "no id"}) + "\n"
    s, _, body = sv.request("POST", "/api/documents", batch, {"Authorization": f"Bearer {TOKEN}",
                                                               "Content-Type": "application/x-ndjson"})
    d = json.loads(body)
    check("POST a JSONL batch: good lines stored, bad lines reported by line number",
          s == 200 and [x["id"] for x in d["documents"]] == ["api-test-2"]
          and [e["line"] for e in d["errors"]] == [2, 3], d)
    s, _, body = sv.request("POST", "/api/documents", "garbage", auth)
    check("POST with no valid document: 400", s == 400, body[:200])


def others(db):
    """Servers with other settings, on the SQLite store."""
    # writes off without a token; reads with --token-read
    sv = Server(db, "--token-read", "reader", env={"SITREP_TOKEN": ""})
    try:
        s, _, _ = sv.request("POST", "/api/documents", "{}", {"Authorization": "Bearer x"})
        check("POST with writes off (no token configured): 403", s == 403, s)
        s, _, _ = sv.get("/api/events")
        check("--token-read: reads without the token are 401", s == 401, s)
        s, _, _ = sv.get("/api/events", {"Authorization": "Bearer reader"})
        check("--token-read: reads with it are 200", s == 200, s)
        s, h, body = sv.get("/")
        check("--token-read: the dashboard's page itself stays open", s == 200, s)
    finally:
        sv.stop()

    sv = Server(db, "--token", TOKEN, "--max-body", "4000000")
    try:
        s, h, d = sv.request("POST", "/api/documents", "x" * 4000001, {"Authorization": f"Bearer {TOKEN}"})
        check("413 JSON for a body over --max-body", s == 413 and json.loads(d)["status"] == 413, s)
        # static files
        s, h, body = sv.get("/")
        check("/ serves the dashboard as text/html with the CSP",
              s == 200 and h["content-type"].startswith("text/html")
              and "script-src 'self'" in h.get("content-security-policy", ""), (s, h.get("content-type")))
        s, h, body = sv.get("/app.js")
        check("a script is served as JavaScript", s == 200 and "javascript" in h.get("content-type", ""),
              (s, h.get("content-type")))
        s, h, body = sv.get("/api.js")
        check("a path starting with /api but not /api/ is a static file, not the API's",
              s == 404 and b"no such endpoint" not in body, (s, body[:100]))
        s, h, body = sv.get("/vendor/")
        check("no directory listing", s in (403, 404) and b"<a href" not in body, s)
        s, _, _ = sv.get("/.stamp")
        check("hidden files are not served", s in (403, 404), s)
        s, _, body = sv.get("/../../../../etc/passwd")
        check("no path traversal", b"root:" not in body, s)
        s, _, d = sv.get("/no-such-file.js")
        check("404 JSON for a missing static file", s == 404 and json.loads(d)["status"] == 404, s)
        # another server on the same port fails clearly
        r = subprocess.run([BIN, "serve", "--db", db, "--listen", f"127.0.0.1:{sv.port}"],
                           capture_output=True, text=True, timeout=20)
        check("a second server on a port in use: exit 2 naming the address",
              r.returncode == 2 and f"127.0.0.1:{sv.port}" in r.stderr, (r.returncode, r.stderr))
        # SIGTERM while a request is in flight: a batch big enough to keep
        # the server coding and storing for a while; the answer must arrive
        # whole, and the server exit cleanly afterwards
        lines = [json.dumps({"id": f"drain-{i}", "published": "2025-05-01",
                             "text": f"Russian forces shelled Kharkiv on day {i}. Ukraine and Russia "
                                     f"exchanged {i} prisoners. The ministry said drones struck Odesa."})
                 for i in range(4000)]
        results = {}

        def slow():
            try:
                results["r"] = sv.request("POST", "/api/documents", "\n".join(lines),
                                          {"Authorization": f"Bearer {TOKEN}"})
            except Exception as e:  # noqa: BLE001 - reported as the failure
                results["e"] = repr(e)

        th = threading.Thread(target=slow)
        th.start()
        time.sleep(0.5)
        sv.proc.send_signal(signal.SIGTERM)
        th.join(120)
        r = results.get("r")
        ok = r is not None and r[0] == 200
        if ok:
            d = json.loads(r[2])
            ok = len(d["documents"]) == 4000 and not d["errors"]
        check("a request in flight at SIGTERM completes whole", ok, results.get("e") or (r and r[0]))
    finally:
        rc, err = sv.stop()
        check("and the server exits 0", rc == 0, err[-300:])

    r = run("serve", "--bogus")
    check("unknown option: exit 2 with a message", r.returncode == 2 and "--bogus" in r.stderr, r.stderr)
    r = run("serve", "--db", os.path.join(TMP, "no-dir", "x.db"), "--listen", "127.0.0.1:0")
    check("a store that cannot be opened: exit 2 naming it",
          r.returncode == 2 and "no-dir" in r.stderr, (r.returncode, r.stderr))


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
