#!/usr/bin/env python3
"""Reads sitrep JSON Lines on stdin and writes them with each "sentence"
replaced by the SHA-1 of its text, keeping every other field: golden tests
on others' articles without storing their sentences. Keeps the first 12
sentences that have events (the golden set) and all their events."""
import hashlib, json, sys

seen = []
for line in sys.stdin:
    e = json.loads(line)
    key = (e["doc"], tuple(e["offset"]))
    if key not in seen:
        if len(seen) >= 12:
            continue
        seen.append(key)
    e["sentence"] = "sha1:" + hashlib.sha1(e["sentence"].encode("utf-8")).hexdigest()
    sys.stdout.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
