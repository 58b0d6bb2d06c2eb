#!/usr/bin/env python3
"""check_actors.py - validate sitrep's actor and agent dictionaries.

Usage: python3 tools/check_actors.py [REPO_ROOT]

Reads dict/actors/{countries,orgs,groups,people,sources}.txt and
dict/agents.txt (grammar: docs/DICTIONARIES.md and the comment block at the
top of each file) and reports every problem as `FILE:LINE: reason`:

  * wrong column count, unknown kind, kind not allowed in that file;
  * bad CODE: not an ISO 3166-1 alpha-3 code (plus XKX Kosovo) optionally
    followed by one agent code, and not an organisation key declared by an
    `org` line in orgs.txt; unknown agent code; IGO on a country;
  * bad date, FROM after TO (person lines);
  * empty phrase, malformed " | " separators, a phrase listed twice on a line,
    a lower- or mixed-case phrase that is a common English word (the loader
    matches such phrases case-insensitively), upper-case letters in agents;
  * one actor phrase mapped to different codes (both lines are named);
    person phrases may change code only between non-overlapping tenures
    (TO is the day a tenure ended; the next one may start that same day);
  * a country or territory without a `country` line, or without `adj` /
    `seat` lines unless it is listed in a `# noadj:` / `# noseat:` comment
    of countries.txt (deliberate omissions, reviewed like data).

Phrases are compared after Unicode case folding, as the loader does for all
but all-capital phrases; phrases that differ only in accents are reported
as warnings. Exit status 1 on any error; on success prints counts per file
and kind. Standard library only.
"""

import datetime
import os
import re
import sys
import unicodedata

ACTOR_FILES = ["countries.txt", "orgs.txt", "groups.txt", "people.txt", "sources.txt"]

KINDS_BY_FILE = {
    "countries.txt": {"country", "adj", "people", "seat"},
    "orgs.txt": {"org", "seat"},
    "groups.txt": {"group"},
    "people.txt": {"person"},
    "sources.txt": {"source"},
}
ALL_KINDS = {"country", "adj", "people", "seat", "org", "group", "person", "source"}

AGENTS = {
    "GOV", "MIL", "REB", "CVL", "COP", "SPY", "LEG", "JUD", "MED", "BUS", "OPP",
    "NGO", "ELI", "REF", "HLH", "EDU", "REL", "LAB", "IGO", "DIP",
}

# ISO 3166-1 alpha-3 (all 249 assigned codes) plus XKX, the user-assigned
# code commonly used for Kosovo.
ISO3 = set("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL
BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA
CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM
CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA
FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM
GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY
JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU
LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ
MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL
OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS
RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK
SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV
TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF
ZMB ZWE XKX
""".split())

# Lower- or mixed-case phrases are matched case-insensitively, so these
# words must never be phrases (write them in capitals if an acronym is meant).
STOPWORDS = set("""
a an and are as at be but by can do for from go had has have he her his i if
in is it its let man may me my no not of on or our over said says she so than
that the their them then there they this to up us was we were who will with
you male dawn trend reunion hindu amnesty economist guardian times post
independent atlantic
""".split())

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ORGKEY_RE = re.compile(r"^[A-Z]{2,7}$")


class Checker:
    def __init__(self, root):
        self.root = root
        self.errors = []
        self.warnings = []
        self.counts = {}          # file -> kind -> entries
        self.entries = []         # dicts for actor lines
        self.org_keys = set()
        self.nphrases = {}        # (file, kind) -> phrases
        self.decl = {}            # ("org"|"country", key) -> (file order, line)
        self.where = (0, 0)       # load position of the line being checked
        self.noadj = set()
        self.noseat = set()

    def err(self, path, line, msg):
        self.errors.append("%s:%d: %s" % (path, line, msg))

    def warn(self, path, line, msg):
        self.warnings.append("%s:%d: warning: %s" % (path, line, msg))

    # ---- reading ----

    def lines(self, rel):
        path = os.path.join(self.root, rel)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.err(rel, 0, "cannot read: %s" % e.strerror)
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(rel, raw[: e.start].count(b"\n") + 1, "not valid UTF-8")
            return []
        if text.startswith("\ufeff"):
            self.err(rel, 1, "byte-order mark at start of file")
            text = text[1:]
        out = []
        first_data = None
        for n, line in enumerate(text.split("\n"), 1):
            line = line.rstrip("\r")
            s = line.strip()
            if not s:
                continue
            if s.startswith("#"):
                out.append((n, None, s))
                continue
            if first_data is None:
                first_data = n
            out.append((n, line, None))
        if first_data is not None and not any(c for (n, l, c) in out if c is not None and n < first_data):
            self.err(rel, first_data, "file must start with a comment block explaining its format")
        return out

    def split_phrases(self, rel, n, text):
        """Splits the last column on ' | ' and checks every phrase."""
        if "\t" in text:
            self.err(rel, n, "TAB inside the phrase column (extra column?)")
            return []
        parts = text.split(" | ")
        phrases = []
        seen = set()
        for p in parts:
            if p == "" or p.strip() == "":
                self.err(rel, n, "empty phrase")
                continue
            if p != p.strip():
                self.err(rel, n, "phrase %r has stray spaces around it (separator must be ' | ')" % p)
                p = p.strip()
            if "|" in p:
                self.err(rel, n, "phrase %r contains '|' (separator must be ' | ')" % p)
                continue
            if "  " in p:
                self.err(rel, n, "phrase %r contains a run of spaces (extra column?)" % p)
            if "#" in p:
                self.err(rel, n, "phrase %r contains '#' (comments are whole lines only)" % p)
            if any(c in p for c in "\u2018\u2019\u201c\u201d"):
                self.err(rel, n, "phrase %r has curly quotes (text is normalised to straight quotes)" % p)
            key = fold(p)
            # an all-capital phrase matches case-exactly, so "NATO" and
            # "Nato" are two different phrases; "Nato" and "nato" are not.
            mkey = ("exact", p) if all_caps(p) else ("fold", key)
            if mkey in seen:
                self.err(rel, n, "phrase %r listed twice on this line" % p)
                continue
            seen.add(mkey)
            if not all_caps(p) and key in STOPWORDS:
                self.err(rel, n, "phrase %r is a common English word and would match case-insensitively" % p)
            phrases.append(p)
        return phrases

    # ---- codes ----

    def check_code(self, rel, n, kind, code):
        if kind in ("country", "adj", "people"):
            if code not in ISO3:
                self.err(rel, n, "bad CODE %r: kind %s takes a bare ISO 3166-1 alpha-3 code" % (code, kind))
                return False
            return True
        if kind == "org" or (kind == "seat" and rel.endswith("orgs.txt")):
            if not ORGKEY_RE.match(code):
                self.err(rel, n, "bad organisation key %r (2-7 capital letters A-Z)" % code)
                return False
            if code in ISO3 or (len(code) == 6 and code[:3] in ISO3 and code[3:] in AGENTS):
                self.err(rel, n, "organisation key %r looks like a country code" % code)
                return False
            if kind == "seat" and not self.declared("org", code, rel, n):
                return False
            return True
        if code in self.org_keys:
            return self.declared("org", code, rel, n)
        if re.match(r"^[A-Z]{3}$", code):
            if code in ISO3:
                return self.declared("country", code, rel, n)
            self.err(rel, n, "bad CODE %r: not an ISO 3166-1 alpha-3 code or organisation key" % code)
            return False
        if re.match(r"^[A-Z]{6}$", code):
            c, a = code[:3], code[3:]
            if c not in ISO3:
                self.err(rel, n, "bad CODE %r: %s is not an ISO 3166-1 alpha-3 code" % (code, c))
                return False
            if a not in AGENTS:
                self.err(rel, n, "bad CODE %r: unknown agent code %s" % (code, a))
                return False
            if a == "IGO":
                self.err(rel, n, "bad CODE %r: agent IGO is not for countries" % code)
                return False
            return self.declared("country", c, rel, n)
        self.err(rel, n, "bad CODE %r: not ISO3, ISO3+agent or a key declared in orgs.txt" % code)
        return False

    def declared(self, what, key, rel, n):
        """The loader reads the files in sorted name order and only knows the
        countries and organisation keys declared (by `country` / `org`
        lines) before the line that uses them."""
        d = self.decl.get((what, key))
        if d is None:
            self.err(rel, n, "bad CODE: %s %r is never declared by %s line" % (what, key, "an org" if what == "org" else "a country"))
            return False
        if d >= self.where:
            self.err(rel, n, "%s %r is used before the loader has read its declaration (%s:%d); "
                     "files load in sorted order: %s" % (what, key, d[2], d[1], ", ".join(sorted(ACTOR_FILES))))
            return False
        return True

    # ---- files ----

    def load_actor_file(self, name):
        rel = "dict/actors/" + name
        allowed = KINDS_BY_FILE[name]
        rows = []
        for n, line, comment in self.lines(rel):
            if line is None:
                if name == "countries.txt":
                    m = re.match(r"^#\s*(noadj|noseat)\s*:(.*)$", comment)
                    if m:
                        for c in m.group(2).split():
                            if c not in ISO3:
                                self.err(rel, n, "%s: %r is not a country code" % (m.group(1), c))
                            (self.noadj if m.group(1) == "noadj" else self.noseat).add(c)
                continue
            m = re.match(r"^(\S+)\s+(\S+)(?:\s+(.*))?$", line.strip())
            if not m or not m.group(3):
                self.err(rel, n, "wrong column count: expected CODE KIND PHRASES")
                continue
            code, kind, rest = m.group(1), m.group(2), m.group(3)
            if kind not in ALL_KINDS:
                self.err(rel, n, "unknown kind %r" % kind)
                continue
            if kind not in allowed:
                self.err(rel, n, "kind %r does not belong in %s (allowed: %s)" % (kind, name, ", ".join(sorted(allowed))))
                continue
            frm = to = None
            if kind == "person":
                pm = re.match(r"^(\S+)\s+(\S+)\s+(.*)$", rest)
                if not pm:
                    self.err(rel, n, "wrong column count: expected CODE person FROM TO PHRASES")
                    continue
                f, t, rest = pm.group(1), pm.group(2), pm.group(3)
                frm = parse_date(f)
                if frm is None:
                    self.err(rel, n, "bad FROM date %r (YYYY-MM-DD)" % f)
                    continue
                if t == "-":
                    to = datetime.date.max
                else:
                    to = parse_date(t)
                    if to is None:
                        self.err(rel, n, "bad TO date %r (YYYY-MM-DD or -)" % t)
                        continue
                    if frm > to:
                        self.err(rel, n, "FROM %s is after TO %s" % (f, t))
                        continue
            elif DATE_RE.match(rest.split(" ", 1)[0]):
                self.err(rel, n, "wrong column count: dates are only for kind person")
                continue
            if kind == "org":
                self.org_keys.add(code)
            if kind in ("org", "country"):
                pos = (sorted(ACTOR_FILES).index(name), n, rel)
                self.decl.setdefault((kind, code), pos)
            rows.append((rel, n, code, kind, frm, to, rest))
        return rows

    def run(self):
        rows_by_file = {}
        # orgs.txt first: it declares the organisation keys.
        for name in ["orgs.txt"] + [f for f in ACTOR_FILES if f != "orgs.txt"]:
            rows_by_file[name] = self.load_actor_file(name)
        for name in ACTOR_FILES:
            per_kind = self.counts.setdefault("dict/actors/" + name, {})
            for rel, n, code, kind, frm, to, rest in rows_by_file[name]:
                self.where = (sorted(ACTOR_FILES).index(name), n, "")
                ok = self.check_code(rel, n, kind, code)
                phrases = self.split_phrases(rel, n, rest)
                if not phrases:
                    self.err(rel, n, "no phrases")
                    continue
                if not ok:
                    continue
                per_kind[kind] = per_kind.get(kind, 0) + 1
                self.nphrases[(rel, kind)] = self.nphrases.get((rel, kind), 0) + len(phrases)
                # the loader gives a seat without an agent the agent GOV
                eff = code + "GOV" if kind == "seat" and not code[3:] else code
                for p in phrases:
                    self.entries.append(dict(file=rel, line=n, code=eff, kind=kind,
                                             frm=frm, to=to, phrase=p))
        self.check_agents()
        self.check_duplicates()
        self.check_coverage()

    def check_agents(self):
        rel = "dict/agents.txt"
        seen = {}
        per_kind = self.counts.setdefault(rel, {})
        for n, line, comment in self.lines(rel):
            if line is None:
                continue
            m = re.match(r"^(\S+)\s+(.*)$", line.strip())
            if not m or not m.group(2).strip():
                self.err(rel, n, "wrong column count: expected AGENT PHRASES")
                continue
            agent, rest = m.group(1), m.group(2)
            if agent not in AGENTS:
                self.err(rel, n, "unknown agent code %r" % agent)
                continue
            if agent == "IGO":
                self.err(rel, n, "agent IGO has no generic nouns (it is not for countries)")
                continue
            phrases = self.split_phrases(rel, n, rest)
            per_kind[agent] = per_kind.get(agent, 0) + 1
            self.nphrases[(rel, agent)] = self.nphrases.get((rel, agent), 0) + len(phrases)
            for p in phrases:
                if p != p.lower():
                    self.err(rel, n, "agent phrase %r must be lower-case" % p)
                key = fold(p)
                if key in seen and seen[key][0] != agent:
                    self.err(rel, n, "phrase %r mapped to %s here and to %s at %s:%d"
                             % (p, agent, seen[key][0], rel, seen[key][1]))
                    self.err(rel, seen[key][1], "phrase %r mapped to %s here and to %s at %s:%d"
                             % (p, seen[key][0], agent, rel, n))
                elif key in seen:
                    self.warn(rel, n, "phrase %r already listed at line %d" % (p, seen[key][1]))
                else:
                    seen[key] = (agent, n)

    def check_duplicates(self):
        by_key = {}
        for e in self.entries:
            by_key.setdefault(fold(e["phrase"]), []).append(e)
        reported = set()
        for key, es in by_key.items():
            for i in range(len(es)):
                for j in range(i + 1, len(es)):
                    a, b = es[i], es[j]
                    if a["code"] == b["code"]:
                        if (a["kind"] == b["kind"] and a["kind"] != "person"
                                and (a["file"], a["line"]) != (b["file"], b["line"])):
                            self.warn(b["file"], b["line"], "phrase %r already listed for %s at %s:%d"
                                      % (b["phrase"], a["code"], a["file"], a["line"]))
                        continue
                    if a["kind"] == "person" and b["kind"] == "person":
                        if not (a["frm"] < b["to"] and b["frm"] < a["to"]):
                            continue
                        why = "overlapping tenures of person phrase %r with different codes"
                    else:
                        why = "phrase %r mapped to different codes"
                    for x, y in ((a, b), (b, a)):
                        tag = (x["file"], x["line"], y["file"], y["line"], key)
                        if tag in reported:
                            continue
                        reported.add(tag)
                        self.err(x["file"], x["line"], (why + ": %s here, %s at %s:%d")
                                 % (x["phrase"], x["code"], y["code"], y["file"], y["line"]))
        # accent-only differences: the loader does not strip accents, so two
        # spellings may both be wanted, but not for different actors.
        by_bare = {}
        for key, es in by_key.items():
            by_bare.setdefault(strip_accents(key), []).append(es[0])
        for bare, es in by_bare.items():
            codes = {e["code"] for e in es}
            if len(es) > 1 and len(codes) > 1:
                e = es[1]
                self.warn(e["file"], e["line"], "phrase %r differs only in accents from %r (%s)"
                          % (e["phrase"], es[0]["phrase"], es[0]["code"]))

    def check_coverage(self):
        rel = "dict/actors/countries.txt"
        have = {}
        for e in self.entries:
            if e["file"] == rel:
                have.setdefault(e["kind"], set()).add(e["code"][:3])
        for c in sorted(ISO3):
            if c not in have.get("country", set()):
                self.err(rel, 0, "%s has no country line" % c)
            if c not in have.get("adj", set()) and c not in self.noadj:
                self.err(rel, 0, "%s has no adj line (add one or list it in '# noadj:')" % c)
            if c not in have.get("seat", set()) and c not in self.noseat:
                self.err(rel, 0, "%s has no seat line (add one or list it in '# noseat:')" % c)
        for c in sorted(self.noadj & have.get("adj", set())):
            self.err(rel, 0, "%s is listed in '# noadj:' but has an adj line" % c)
        for c in sorted(self.noseat & have.get("seat", set())):
            self.err(rel, 0, "%s is listed in '# noseat:' but has a seat line" % c)


def fold(s):
    return unicodedata.normalize("NFC", s).casefold()


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def all_caps(s):
    """True for phrases the loader matches case-exactly: letters, none lower-case."""
    return any(c.isalpha() for c in s) and not any(c.islower() for c in s)


def parse_date(s):
    if not DATE_RE.match(s):
        return None
    try:
        return datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        return None


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ck = Checker(root)
    ck.run()
    for w in ck.warnings:
        print(w)
    if ck.errors:
        for e in ck.errors:
            print(e)
        print("%d error(s)" % len(ck.errors), file=sys.stderr)
        return 1
    print("%-28s %-8s %6s %8s" % ("file", "kind", "lines", "phrases"))
    tl = tp = 0
    for rel in sorted(ck.counts):
        kinds = ck.counts[rel]
        for k in sorted(kinds):
            np = ck.nphrases.get((rel, k), 0)
            tl += kinds[k]
            tp += np
            print("%-28s %-8s %6d %8d" % (rel, k, kinds[k], np))
    print("%-28s %-8s %6d %8d" % ("total", "", tl, tp))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
