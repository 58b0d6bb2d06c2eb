#!/usr/bin/env python3
"""make_corpus.py: build a large, varied JSONL news corpus for benchmarks.

Uses only the Python 3 standard library. The output is deterministic: the
same inputs and --seed give the same bytes.

Sources:
  * the project's own examples/ (*.txt, *.html, *.htm, *.jsonl);
  * ../shared/corpus/seeds/*.txt beside the repository, if it exists. These
    are read at run time and never copied into the repository. If the folder
    is missing, a message says so and the corpus is built without it.

Each document mixes material from every source:
  * whole paragraphs, and new paragraphs made of shuffled sentences taken
    from any document;
  * place names, people, weekdays, month-day dates and numbers swapped from
    small lists, with one mapping per document so that a document stays
    consistent with itself;
  * 1 to 40 paragraphs per document (skewed: most documents are short);
  * an optional dateline, headline and boilerplate line ("Share this
    article", "Read more: ...") for the coder to strip;
  * about one document in eight is given as an HTML page ("html" field)
    instead of "text".

Every document has a unique id and a "published" date spread over 2025.

usage: make_corpus.py [-o OUT] [--size-mb N] [--seed N] [--seeds-dir DIR]
       make_corpus.py --count-sentences FILE
"""
import argparse
import datetime
import html
import html.parser
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# ---- small lists for substitutions -----------------------------------------

# Names in one group are swapped with each other only.
PLACE_GROUPS = [
    ["Pokrovsk", "Toretsk", "Chasiv Yar", "Kupiansk", "Lyman", "Velyka Novosilka",
     "Kostiantynivka", "Kramatorsk", "Sloviansk", "Siversk", "Huliaipole",
     "Orikhiv", "Vovchansk", "Borova", "Kurakhove", "Myrnohrad", "Druzhkivka",
     "Bakhmut", "Avdiivka", "Vuhledar"],
    ["Kharkiv", "Odesa", "Zaporizhzhia", "Dnipro", "Sumy", "Kherson", "Mykolaiv",
     "Kryvyi Rih", "Poltava", "Chernihiv", "Uzhhorod"],
    ["Kursk", "Belgorod", "Bryansk", "Voronezh", "Rostov", "Krasnodar",
     "Saratov", "Ryazan"],
    ["Khan Younis", "Rafah", "Gaza City", "Deir al-Balah", "Jabalia",
     "Beit Lahia", "Nuseirat", "Beit Hanoun"],
    ["Goma", "Bukavu", "Uvira", "Walikale", "Masisi", "Rutshuru", "Sake"],
    ["El Fasher", "Nyala", "Omdurman", "Khartoum", "Kadugli", "El Obeid",
     "Tawila", "Port Sudan"],
    ["Jeddah", "Riyadh", "Istanbul", "Doha", "Geneva", "Abu Dhabi", "Ankara",
     "Vienna"],
]

# (first name, surname); full names and bare surnames are both swapped.
PEOPLE_GROUPS = [
    [("Dmitry", "Peskov"), ("Sergei", "Lavrov"), ("Yuri", "Ushakov"),
     ("Maria", "Zakharova"), ("Kirill", "Dmitriev"), ("Vladimir", "Medinsky"),
     ("Sergei", "Shoigu")],
    [("Andrii", "Sybiha"), ("Andriy", "Yermak"), ("Rustem", "Umerov"),
     ("Oleksandr", "Syrskyi"), ("Denys", "Shmyhal"), ("Heorhii", "Tykhyi")],
    [("Marco", "Rubio"), ("Steve", "Witkoff"), ("Mike", "Waltz"),
     ("Keith", "Kellogg"), ("JD", "Vance"), ("Pete", "Hegseth")],
    [("Hakan", "Fidan"), ("Faisal", "bin Farhan"), ("Badr", "Abdelatty"),
     ("Ibrahim", "Kalin")],
    [("Ivan", "Fedorov"), ("Oleh", "Syniehubov"), ("Oleh", "Kiper"),
     ("Ihor", "Terekhov"), ("Vadym", "Filashkin"), ("Serhiy", "Lysak")],
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday"]

DATELINE_CITIES = ["KYIV", "MOSCOW", "WASHINGTON", "ISTANBUL", "KHARKIV",
                   "ODESA", "ZAPORIZHZHIA", "DOHA", "CAIRO", "JERUSALEM",
                   "GOMA", "PORT SUDAN", "NEW DELHI", "ISLAMABAD", "BRUSSELS",
                   "RIYADH", "BAKU", "YEREVAN"]
AGENCIES = ["sitrep wire", "bench wire", "Example News Agency"]
OUTLETS = ["Sitrep Daily", "Kyiv Sample Post", "Danube Herald",
           "Example Monitor", "Caucasus Sample Review", "Benchmark Gazette"]

BOILERPLATE = [
    "Share this article", "Share this story", "Subscribe to our newsletter",
    "Follow us on Telegram", "Read more: Ukraine's air defence explained",
    "Related: What is on the table in the peace talks",
    "We use cookies to improve your experience on our site.",
    "Advertisement", "(Photo: AFP)", "Facebook Twitter Telegram",
]

# ---- reading the sources -----------------------------------------------------


class _TextOut(html.parser.HTMLParser):
    """Readable text of an HTML page: block elements become paragraphs;
    scripts, styles and page furniture are skipped."""
    SKIP = {"script", "style", "head", "nav", "footer", "aside", "form",
            "noscript", "button", "title", "template", "svg"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "div", "figcaption", "br",
             "section", "article", "header", "tr", "td", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.cur = []
        self.paras = []

    def _flush(self):
        t = " ".join("".join(self.cur).split())
        if t:
            self.paras.append(t)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self._flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)

    def close(self):
        super().close()
        self._flush()


def html_paragraphs(markup):
    p = _TextOut()
    p.feed(markup)
    p.close()
    return p.paras


def text_paragraphs(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def read_sources(seeds_dir):
    """Returns a list of documents, each a list of paragraphs."""
    docs = []
    ex = os.path.join(REPO, "examples")
    if os.path.isdir(ex):
        for name in sorted(os.listdir(ex)):
            path = os.path.join(ex, name)
            low = name.lower()
            if low.endswith(".txt"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    docs.append(text_paragraphs(f.read()))
            elif low.endswith((".html", ".htm")):
                with open(path, encoding="utf-8", errors="replace") as f:
                    docs.append(html_paragraphs(f.read()))
            elif low.endswith(".jsonl"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        if not line.strip():
                            continue
                        d = json.loads(line)
                        if d.get("text"):
                            docs.append(text_paragraphs(d["text"]))
                        elif d.get("html"):
                            docs.append(html_paragraphs(d["html"]))
        print(f"make_corpus: {len(docs)} documents from {ex}", file=sys.stderr)
    else:
        print(f"make_corpus: {ex} is missing", file=sys.stderr)
    n0 = len(docs)
    if seeds_dir and os.path.isdir(seeds_dir):
        for name in sorted(os.listdir(seeds_dir)):
            if name.endswith(".txt"):
                with open(os.path.join(seeds_dir, name), encoding="utf-8",
                          errors="replace") as f:
                    docs.append(text_paragraphs(f.read()))
        print(f"make_corpus: {len(docs) - n0} documents from {seeds_dir}",
              file=sys.stderr)
    else:
        print(f"make_corpus: no seed corpus at {seeds_dir}; skipping it "
              "(using examples/ only)", file=sys.stderr)
    docs = [d for d in docs if d]
    if not docs:
        sys.exit("make_corpus: no source texts found")
    return docs


SENT_SPLIT = re.compile(r'(?<=[.!?])(?:["\u201d\u2019)\]]|\[\d+\])*\s+(?=["\u201c(]?[A-Z])')


def is_prose(p):
    return len(p) >= 80 and p.rstrip()[-1:] in '.!?"\u201d)]0123456789'


# ---- substitutions -------------------------------------------------------------

def build_subst_regex():
    words = []
    for g in PLACE_GROUPS:
        words += g
    for g in PEOPLE_GROUPS:
        for first, last in g:
            words += [f"{first} {last}", last]
    words += MONTHS + WEEKDAYS
    words = sorted(set(words), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    # A month followed by a day is a date; otherwise the names; else a number
    # of 1-3 digits (with thousands groups) not glued to other digits, so that
    # years such as 2025 are left alone.
    return re.compile(
        r"\b(?P<date>(?:%s) \d{1,2})\b|\b(?P<name>%s)\b|(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})*)(?![\d])"
        % ("|".join(MONTHS), alt))


SUBST = build_subst_regex()


def make_mapping(rng):
    m = {}
    for g in PLACE_GROUPS:
        perm = g[:]
        rng.shuffle(perm)
        m.update(zip(g, perm))
    for g in PEOPLE_GROUPS:
        perm = g[:]
        rng.shuffle(perm)
        for (f1, l1), (f2, l2) in zip(g, perm):
            m[f"{f1} {l1}"] = f"{f2} {l2}"
            m[l1] = l2
    perm = WEEKDAYS[:]
    rng.shuffle(perm)
    m.update(zip(WEEKDAYS, perm))
    shift = rng.randrange(12)
    for i, mo in enumerate(MONTHS):
        m[mo] = MONTHS[(i + shift) % 12]
    return m


def substitute(text, mapping, rng):
    def repl(mo):
        if mo.group("date"):
            month = mo.group("date").rsplit(" ", 1)[0]
            return f"{mapping[month]} {rng.randint(1, 28)}"
        if mo.group("name"):
            return mapping.get(mo.group("name"), mo.group("name"))
        num = mo.group("num")
        if rng.random() < 0.5:
            return num
        digits = num.replace(",", "")
        n = len(digits)
        lo = 1 if n == 1 else 10 ** (n - 1)
        v = rng.randint(lo, 10 ** n - 1)
        return f"{v:,}" if "," in num else str(v)
    return SUBST.sub(repl, text)


# ---- documents -------------------------------------------------------------------

def n_paragraphs(rng):
    # Skewed towards short documents (median about 8), capped at 1..40.
    return max(1, min(40, int(rng.lognormvariate(2.1, 0.75))))


def as_html(title, paras, rng):
    body = "\n".join(
        f"<li>{html.escape(p[2:])}</li>" if p.startswith("- ") else f"<p>{html.escape(p)}</p>"
        for p in paras)
    return ("<!DOCTYPE html><html><head><title>%s</title>"
            "<script>var x = 'Russian forces attacked';</script>"
            "<style>p{margin:0}</style></head><body>"
            "<nav><a href='/'>Home</a> <a href='/war'>War</a></nav>"
            "<article><h1>%s</h1>\n%s\n</article>"
            "<footer><p>Privacy policy</p></footer></body></html>"
            % (html.escape(title), html.escape(title), body))


def generate(out, size_mb, seed, seeds_dir):
    rng = random.Random(seed)
    sources = read_sources(seeds_dir)
    paragraphs = [p for d in sources for p in d if is_prose(p)]
    short_lines = [p for d in sources for p in d if not is_prose(p) and 20 <= len(p) <= 140]
    sentences = [s for p in paragraphs for s in SENT_SPLIT.split(re.sub(r"^[-*\u2022] ", "", p))
                 if len(s) >= 30]
    if not paragraphs or not sentences:
        sys.exit("make_corpus: the sources hold no prose paragraphs")
    print(f"make_corpus: {len(paragraphs)} paragraphs, {len(sentences)} sentences, "
          f"{len(short_lines)} short lines in the pool", file=sys.stderr)

    target = int(size_mb * 1024 * 1024)
    start = datetime.date(2025, 1, 1)
    written = 0
    i = 0
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        while written < target:
            mapping = make_mapping(rng)
            paras = []
            for _ in range(n_paragraphs(rng)):
                r = rng.random()
                if r < 0.65:
                    paras.append(rng.choice(paragraphs))
                elif r < 0.95:
                    k = rng.randint(2, 6)
                    paras.append(" ".join(rng.choice(sentences) for _ in range(k)))
                elif r < 0.98:
                    paras.append("- " + rng.choice(sentences))
                else:
                    paras.append(rng.choice(short_lines) if short_lines else rng.choice(sentences))
            text = "\n\n".join(paras)
            text = substitute(text, mapping, rng)
            paras = text.split("\n\n")
            pub = start + datetime.timedelta(days=rng.randrange(365))
            if rng.random() < 0.6:
                paras[0] = "%s, %s %d (%s) - %s" % (
                    rng.choice(DATELINE_CITIES), MONTHS[pub.month - 1], pub.day,
                    rng.choice(AGENCIES), paras[0])
            if rng.random() < 0.3:
                paras.insert(rng.randrange(len(paras) + 1), rng.choice(BOILERPLATE))
            if rng.random() < 0.4:
                paras.append(rng.choice(BOILERPLATE))
            if short_lines and rng.random() < 0.7:
                title = substitute(rng.choice(short_lines), mapping, rng)
            else:
                title = paras[0][:90].rsplit(" ", 1)[0]
            doc = {"id": f"bench-{seed}-{i:07d}", "published": pub.isoformat()}
            if rng.random() < 0.8:
                doc["title"] = title
                doc["source"] = rng.choice(OUTLETS)
                doc["url"] = f"https://bench.example/{pub.isoformat()}/{i}"
            if rng.random() < 0.125:
                doc["html"] = as_html(title, paras, rng)
            else:
                if rng.random() < 0.5:
                    paras.insert(0, title)
                doc["text"] = "\n\n".join(paras) + "\n"
            line = json.dumps(doc, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    os.replace(tmp, out)
    print(f"make_corpus: wrote {out}: {i} documents, {written / 1e6:.1f} MB",
          file=sys.stderr)


# ---- sentence probe ------------------------------------------------------------------

END_RE = re.compile(r'[.!?]["\u201d\u2019)\]]*(?=\s|$)')
TAG_RE = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]*>", re.S | re.I)


def count_sentences(path):
    """Estimated sentences: '.', '!' or '?' (maybe followed by closing quotes
    or brackets) before white space or the end, counted in each document's
    text ("html" with its tags and scripts removed). An estimate: it counts
    "U.S. " and "Gen. " as ends, and misses headlines and list items that
    end without punctuation."""
    n = docs = nbytes = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            t = d.get("text")
            if t is None:
                t = html.unescape(TAG_RE.sub(" ", d.get("html", "")))
            n += len(END_RE.findall(t))
            docs += 1
            nbytes += len(t.encode("utf-8"))
    return n, docs, nbytes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", default=os.path.join(HERE, "corpus.jsonl"))
    ap.add_argument("--size-mb", type=float, default=110.0,
                    help="size of the corpus in MiB (default 110)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--seeds-dir",
                    default=os.path.join(os.path.dirname(REPO), "shared", "corpus", "seeds"),
                    help="extra .txt sources (default ../shared/corpus/seeds)")
    ap.add_argument("--count-sentences", metavar="FILE",
                    help="print 'SENTENCES DOCS TEXT_BYTES' for a JSONL corpus and exit")
    a = ap.parse_args()
    if a.count_sentences:
        n, docs, nbytes = count_sentences(a.count_sentences)
        print(n, docs, nbytes)
        return
    generate(a.out, a.size_mb, a.seed, a.seeds_dir)


if __name__ == "__main__":
    main()
