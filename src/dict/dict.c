/* dict.c — sr_dict_open and the pieces every dictionary loader shares:
 * the interned word table, the dictionary line reader (comments, columns,
 * file:line for errors), the phrase index (first word -> phrases, longest
 * first). Each kind's own grammar lives in
 * its loader file (dict.h lists them); this file only sequences them. */
#include "dict.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- string table ---- */

static void strtab_rehash(sr_strtab *t, size_t nslots)
{
    sr_strtab_slot *slots = sr_xcalloc(nslots, sizeof *slots);
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i].id)
            continue;
        size_t j = t->slots[i].hash & (nslots - 1);
        while (slots[j].id)
            j = (j + 1) & (nslots - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
}

static uint32_t strtab_probe(const sr_strtab *t, const char *s, size_t n, uint32_t h, size_t *slot)
{
    size_t j = h & (t->nslots - 1);
    for (; t->slots[j].id; j = (j + 1) & (t->nslots - 1)) {
        uint32_t id = t->slots[j].id;
        if (t->slots[j].hash == h && t->lens[id - 1] == n && !memcmp(t->strs[id - 1], s, n))
            return id;
    }
    *slot = j;
    return 0;
}

uint32_t sr_strtab_find(const sr_strtab *t, const char *s, size_t n)
{
    if (!t->nslots)
        return 0;
    size_t slot;
    return strtab_probe(t, s, n, sr_hash(s, n), &slot);
}

/* Copies a string into the arena; blocks never move. */
static char *strtab_store(sr_strtab *t, const char *s, size_t n)
{
    if (!t->nblocks || t->block_used + n + 1 > t->block_size) {
        size_t size = n + 1 > 65536 ? n + 1 : 65536;
        SR_GROW(t->blocks, t->capblocks, t->nblocks + 1);
        t->blocks[t->nblocks++] = sr_xmalloc(size);
        t->block_used = 0;
        t->block_size = size;
    }
    char *p = t->blocks[t->nblocks - 1] + t->block_used;
    memcpy(p, s, n);
    p[n] = 0;
    t->block_used += n + 1;
    return p;
}

uint32_t sr_strtab_intern(sr_strtab *t, const char *s, size_t n)
{
    if ((t->n + 1) * 2 > t->nslots)
        strtab_rehash(t, t->nslots ? t->nslots * 2 : 1024);
    uint32_t h = sr_hash(s, n);
    size_t slot;
    uint32_t id = strtab_probe(t, s, n, h, &slot);
    if (id)
        return id;
    SR_GROW(t->strs, t->cap, t->n + 1);
    t->lens = sr_xrealloc(t->lens, t->cap * sizeof *t->lens);
    t->strs[t->n] = strtab_store(t, s, n);
    t->lens[t->n] = (uint32_t)n;
    id = (uint32_t)++t->n;
    t->slots[slot] = (sr_strtab_slot){h, id};
    return id;
}

const char *sr_strtab_str(const sr_strtab *t, uint32_t id)
{
    return id && id <= t->n ? t->strs[id - 1] : "";
}

void sr_strtab_free(sr_strtab *t)
{
    for (size_t i = 0; i < t->nblocks; i++)
        free(t->blocks[i]);
    free(t->blocks);
    free(t->strs);
    free(t->lens);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

size_t sr_dict_lower(const char *s, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii || n > 256) {
        for (size_t i = 0; i < n && o + 1 < size; i++)
            buf[o++] = (char)sr_lower((unsigned char)s[i]);
        buf[o] = 0;
        return o;
    }
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m,
                                      UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (r < 0) {
        for (size_t i = 0; i < n && o + 1 < size; i++)
            buf[o++] = (char)sr_lower((unsigned char)s[i]);
    } else {
        for (utf8proc_ssize_t i = 0; i < r && o + 1 < size; i++)
            buf[o++] = (char)m[i];
    }
    free(m);
    buf[o] = 0;
    return o;
}

/* ---- line reader ---- */

int sr_dict_read_lines(const char *path, int fixed, sr_dict_line_fn fn,
                       void *ud, sr_err *err)
{
    char *data;
    size_t len;
    int rc = sr_read_file(path, &data, &len, err);
    if (rc)
        return sr_err_set(err, SR_DICT, path, 0, "%s", err ? err->msg : "cannot read");
    if (memchr(data, 0, len)) {
        free(data);
        return sr_err_set(err, SR_DICT, path, 0, "binary data (NUL byte) in dictionary");
    }
    sr_dict_line L = {.path = path};
    char *p = data, *end = data + len;
    rc = SR_OK;
    while (p < end && rc == SR_OK) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        L.lineno++;
        *eol = 0;
        if (eol > p && eol[-1] == '\r')
            eol[-1] = 0;
        char *s = p;
        p = nl ? nl + 1 : end;
        for (char *q = s; *q; ) { /* validate UTF-8 so errors name the line */
            int32_t cp;
            size_t k = sr_utf8_decode(q, strlen(q), &cp);
            if (!k) {
                rc = sr_err_set(err, SR_DICT, path, L.lineno, "invalid UTF-8");
                break;
            }
            q += k;
        }
        if (rc)
            break;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        L.ncols = 0;
        while (L.ncols < fixed && *s) {
            L.cols[L.ncols++] = s;
            while (*s && *s != ' ' && *s != '\t')
                s++;
            if (*s)
                *s++ = 0;
            while (*s == ' ' || *s == '\t')
                s++;
        }
        char *e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = 0;
        L.rest = s;
        rc = fn(ud, &L, err);
    }
    free(data);
    return rc;
}

/* ---- phrase index ---- */

/* A run: the phrases that start with one word (ph[first, first + len),
 * the one-word phrases last). A pair group: the phrases of two words or
 * more that start with words a b (pidx[first, first + len)). Slots of
 * both hash tables keep key and value together: one cache line a probe. */
typedef struct runslot {
    uint32_t key;         /* first word id, 0 = empty slot */
    uint32_t first, len;
    uint32_t nsingle;     /* one-word phrases at the run's end */
} runslot;

typedef struct pairslot {
    uint32_t a, b;        /* first two word ids; a == 0: empty slot */
    uint32_t first, len;
} pairslot;

struct sr_phrase_index {
    sr_phrase *ph;        /* all phrases; sorted by first word, then longest first */
    size_t n, cap;
    runslot *runs;        /* open addressing by first word */
    size_t nslots;
    /* Phrases of two words or more by their first two words: a token like
     * "the" starts dozens of phrases, and its next word picks the few that
     * can match. pidx lists them grouped by pair, each group in ph's order. */
    uint32_t *pidx;       /* indexes into ph */
    pairslot *pairs;      /* open addressing by the two words */
    size_t npslots;
    uint8_t *starts;      /* bit per word id: some phrase starts with it */
    uint32_t maxkey;      /* largest first word id */
    uint8_t *seconds;     /* bit per word id: the second word of some phrase; a small
                             table, so most next words skip the pair probe's cache miss */
    uint32_t maxsecond;   /* largest second word id */
};

sr_phrase_index *sr_phrase_index_new(void) { return sr_xcalloc(1, sizeof(sr_phrase_index)); }

void sr_phrase_index_add(sr_phrase_index *ix, const uint32_t *words, size_t n,
                         int exact_case, const char *text, uint32_t value)
{
    SR_GROW(ix->ph, ix->cap, ix->n + 1);
    uint32_t *w = sr_xmalloc(n * sizeof *w);
    memcpy(w, words, n * sizeof *w);
    ix->ph[ix->n++] = (sr_phrase){.words = w, .n = (uint32_t)n, .second = n > 1 ? w[1] : 0,
                                  .exact_case = (uint32_t)exact_case, .text = text,
                                  .value = value};
}

static size_t run_slot(uint32_t key, size_t nslots)
{
    return (key * 2654435761u) & (nslots - 1);
}

static size_t pair_slot(uint32_t a, uint32_t b, size_t nslots)
{
    return ((a * 2654435761u) ^ (b * 2246822519u)) & (nslots - 1);
}

/* A phrase of the pair index while sealing: its first two words and its
 * position in ph, the order within a pair. */
typedef struct pairent {
    uint32_t a, b, idx;
} pairent;

static int cmp_pair(const void *x, const void *y)
{
    const pairent *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

static int cmp_phrase(const void *a, const void *b)
{
    const sr_phrase *x = a, *y = b;
    if (x->words[0] != y->words[0])
        return x->words[0] < y->words[0] ? -1 : 1;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

void sr_phrase_index_seal(sr_phrase_index *ix)
{
    if (!ix->n)
        return;
    qsort(ix->ph, ix->n, sizeof *ix->ph, cmp_phrase);
    /* slots for twice the distinct first words: a dense table, since every
     * probe of a sparse one was a cache miss */
    size_t nruns = 0;
    for (size_t i = 0; i < ix->n; i++)
        nruns += !i || ix->ph[i].words[0] != ix->ph[i - 1].words[0];
    size_t ns = 64;
    while (ns < nruns * 2)
        ns *= 2;
    ix->nslots = ns;
    /* most tokens start no phrase: one bit test rejects them before hashing */
    for (size_t i = 0; i < ix->n; i++)
        if (ix->ph[i].words[0] > ix->maxkey)
            ix->maxkey = ix->ph[i].words[0];
    ix->starts = sr_xcalloc(ix->maxkey / 8 + 1, 1);
    for (size_t i = 0; i < ix->n; i++)
        ix->starts[ix->ph[i].words[0] >> 3] |= (uint8_t)(1u << (ix->ph[i].words[0] & 7));
    ix->runs = sr_xcalloc(ns, sizeof *ix->runs);
    size_t npairs = 0;
    for (size_t i = 0, e; i < ix->n; i = e) {
        uint32_t key = ix->ph[i].words[0], single = 0;
        for (e = i + 1; e < ix->n && ix->ph[e].words[0] == key; e++)
            ;
        for (size_t k = i; k < e; k++)
            single += ix->ph[k].n == 1;
        npairs += e - i - single;
        size_t j = run_slot(key, ns);
        while (ix->runs[j].key)
            j = (j + 1) & (ns - 1);
        ix->runs[j] = (runslot){key, (uint32_t)i, (uint32_t)(e - i), single};
    }
    for (size_t i = 0; i < ix->n; i++)
        if (ix->ph[i].second > ix->maxsecond)
            ix->maxsecond = ix->ph[i].second;
    ix->seconds = sr_xcalloc(ix->maxsecond / 8 + 1, 1);
    for (size_t i = 0; i < ix->n; i++)
        if (ix->ph[i].second)
            ix->seconds[ix->ph[i].second >> 3] |= (uint8_t)(1u << (ix->ph[i].second & 7));
    /* the pair index */
    pairent *pe = sr_xmalloc((npairs ? npairs : 1) * sizeof *pe);
    size_t np = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (ix->ph[i].n > 1)
            pe[np++] = (pairent){ix->ph[i].words[0], ix->ph[i].second, (uint32_t)i};
    qsort(pe, np, sizeof *pe, cmp_pair);
    ix->pidx = sr_xmalloc((npairs ? npairs : 1) * sizeof *ix->pidx);
    for (size_t i = 0; i < np; i++)
        ix->pidx[i] = pe[i].idx;
    size_t ngroups = 0; /* distinct pairs: twice as many slots, as above */
    for (size_t i = 0; i < np; i++)
        ngroups += !i || pe[i].a != pe[i - 1].a || pe[i].b != pe[i - 1].b;
    size_t nps = 64;
    while (nps < ngroups * 2)
        nps *= 2;
    ix->npslots = nps;
    ix->pairs = sr_xcalloc(nps, sizeof *ix->pairs);
    for (size_t i = 0, e; i < np; i = e) {
        for (e = i + 1; e < np && pe[e].a == pe[i].a && pe[e].b == pe[i].b; e++)
            ;
        size_t j = pair_slot(pe[i].a, pe[i].b, nps);
        while (ix->pairs[j].a)
            j = (j + 1) & (nps - 1);
        ix->pairs[j] = (pairslot){pe[i].a, pe[i].b, (uint32_t)i, (uint32_t)(e - i)};
    }
    free(pe);
}

size_t sr_phrase_index_count(const sr_phrase_index *ix) { return ix ? ix->n : 0; }

int sr_phrase_starts(const sr_phrase_index *ix, uint32_t key)
{
    return ix && ix->starts && key && key <= ix->maxkey &&
           (ix->starts[key >> 3] & (1u << (key & 7)));
}

uint32_t sr_phrase_run(const sr_phrase_index *ix, uint32_t key)
{
    if (!sr_phrase_starts(ix, key) || !ix->nslots)
        return 0;
    size_t j = run_slot(key, ix->nslots);
    while (ix->runs[j].key && ix->runs[j].key != key)
        j = (j + 1) & (ix->nslots - 1);
    return ix->runs[j].key ? (uint32_t)j + 1 : 0;
}

void sr_phrase_index_free(sr_phrase_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n; i++)
        free((void *)ix->ph[i].words);
    free(ix->ph);
    free(ix->runs);
    free(ix->pidx);
    free(ix->pairs);
    free(ix->starts);
    free(ix->seconds);
    free(ix);
}

/* Case-exact phrases (US, UN, EU) must match the token's own spelling so
 * that "us" the pronoun or "un-" prefixes never become actors. */
static int case_ok(const sr_phrase *p, size_t i, const char *text, const sr_token *toks)
{
    if (!p->exact_case || !text)
        return 1;
    for (uint32_t k = 0; k < p->n; k++) {
        const sr_token *t = &toks[i + k];
        for (uint32_t b = t->start; b < t->end; b++) {
            unsigned char c = (unsigned char)text[b];
            if (c >= 'a' && c <= 'z')
                return 0;
        }
    }
    return 1;
}

size_t sr_phrase_match_run(const sr_phrase_index *ix, uint32_t run, const uint32_t *words,
                           size_t nwords, size_t i, const char *text, const sr_token *toks,
                           const sr_phrase **out, size_t max)
{
    if (!run || i >= nwords)
        return 0;
    const runslot *r = &ix->runs[run - 1];
    if (words[i] != r->key)
        return 0;
    size_t found = 0;
    uint32_t best = 0;
    /* Longest first: the phrases of two words or more that begin with this
     * token and the next (in ph's order, longest first), then, if none
     * matched, the one-word phrases, which end the run. */
    uint32_t b = i + 1 < nwords ? words[i + 1] : 0;
    if (b && b <= ix->maxsecond && (ix->seconds[b >> 3] >> (b & 7) & 1) && ix->npslots) {
        uint32_t key = r->key;
        size_t q = pair_slot(key, b, ix->npslots);
        while (ix->pairs[q].a && (ix->pairs[q].a != key || ix->pairs[q].b != b))
            q = (q + 1) & (ix->npslots - 1);
        const pairslot *ps = &ix->pairs[q];
        for (size_t k = ps->first, end = ps->a ? k + ps->len : 0; k < end; k++) {
            const sr_phrase *p = &ix->ph[ix->pidx[k]];
            if (p->n < best)
                break;
            if (i + p->n > nwords)
                continue;
            uint32_t m = 2;
            while (m < p->n && words[i + m] == p->words[m])
                m++;
            if (m < p->n || !case_ok(p, i, text, toks))
                continue;
            best = p->n;
            if (found < max)
                out[found++] = p;
        }
    }
    if (best)
        return found;
    for (size_t k = r->first + r->len - r->nsingle, end = r->first + r->len; k < end; k++) {
        const sr_phrase *p = &ix->ph[k];
        if (!case_ok(p, i, text, toks))
            continue;
        if (found < max)
            out[found++] = p;
    }
    return found;
}

size_t sr_phrase_match(const sr_phrase_index *ix, const uint32_t *words,
                       size_t nwords, size_t i, const char *text,
                       const sr_token *toks, const sr_phrase **out, size_t max)
{
    if (!ix || !ix->nslots || i >= nwords || !words[i])
        return 0;
    return sr_phrase_match_run(ix, sr_phrase_run(ix, words[i]), words, nwords, i, text, toks,
                               out, max);
}

/* ---- phrase tokenization ---- */

size_t sr_dict_phrase_ids(sr_dict *d, const char *phrase, uint32_t *ids,
                          size_t max, int *all_caps)
{
    sr_split *sp = &d->scratch; /* reused: thousands of phrases are tokenized at load */
    sr_text_split(phrase, strlen(phrase), sp);
    size_t n = 0;
    int caps = 1;
    char low[256];
    for (size_t i = 0; i < sp->ntoks && n < max; i++) {
        const sr_token *t = &sp->toks[i];
        int letters = 0;
        for (uint32_t b = t->start; b < t->end; b++) {
            unsigned char c = (unsigned char)phrase[b];
            if (c >= 'a' && c <= 'z')
                caps = 0;
            if (sr_is_ascii_alpha(c))
                letters++;
        }
        if (!letters)
            caps = caps && (t->flags & SR_TOK_PUNCT);
        size_t l = sr_dict_lower(phrase + t->start, t->end - t->start, low, sizeof low);
        ids[n++] = sr_strtab_intern(&d->words, low, l);
    }
    if (all_caps)
        *all_caps = caps && n > 0;
    return n;
}

int sr_dict_each_phrase(sr_dict *d, sr_dict_line *L, const char *list, sr_dict_phrase_fn fn,
                        void *ud, sr_err *err)
{
    if (!*list)
        return sr_err_set(err, SR_DICT, L->path, L->lineno, "no phrases");
    const char *p = list;
    for (;;) {
        const char *bar = strchr(p, '|');
        const char *e = bar ? bar : p + strlen(p);
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        const char *q = e;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        if (q == p)
            return sr_err_set(err, SR_DICT, L->path, L->lineno, "empty phrase in list");
        if (q - p > 200)
            return sr_err_set(err, SR_DICT, L->path, L->lineno, "phrase too long (max 200 bytes)");
        char *phrase = sr_xstrndup(p, (size_t)(q - p));
        uint32_t ids[32];
        int caps;
        size_t n = sr_dict_phrase_ids(d, phrase, ids, SR_ARRAY_LEN(ids), &caps);
        int rc = n >= 1 && n <= 16
                     ? fn(ud, L, ids, n, caps, phrase, err)
                     : sr_err_set(err, SR_DICT, L->path, L->lineno,
                                  "phrase '%s' has %zu words (1-16)", phrase, n);
        free(phrase);
        if (rc || !bar)
            return rc;
        p = bar + 1;
    }
}

/* ---- sr_dict_open ---- */

const sr_boiler *sr_dict_boiler(const sr_dict *d) { return d ? d->boiler : NULL; }

int sr_dict_load_places(sr_dict *d, const char *path, sr_err *err)
{
    sr_gazetteer *g = NULL;
    int rc = sr_geo_open(path, &g, err);
    if (rc)
        return rc;
    sr_geo_free(d->geo);
    d->geo = g;
    return SR_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every *.txt in dir/sub (sorted) with load(). */
static int load_dir(sr_dict *d, const char *sub, int (*load)(sr_dict *, const char *, sr_err *),
                    sr_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d->dir, sub);
    DIR *dp = opendir(path);
    if (!dp)
        return sr_err_set(err, SR_DICT, path, 0, "cannot open dictionary directory: %s",
                          strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) {
            SR_GROW(names, cap, n + 1);
            names[n++] = sr_xstrdup(e->d_name);
        }
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    int rc = SR_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == SR_OK) {
            snprintf(path, sizeof path, "%s/%s/%s", d->dir, sub, names[i]);
            rc = load(d, path, err);
        }
        free(names[i]);
    }
    free(names);
    if (rc == SR_OK && n == 0)
        rc = sr_err_set(err, SR_DICT, path, 0, "no *.txt dictionary files");
    return rc;
}

static int load_actor_file(sr_dict *d, const char *path, sr_err *err)
{
    return sr_actors_load(d, path, 0, err);
}

int sr_dict_open(const char *dir, sr_dict **out, sr_err *err)
{
    sr_dict *d = sr_xcalloc(1, sizeof *d);
    d->serial = sr_serial_next();
    d->dir = sr_xstrdup(dir);
    d->actor_ix = sr_phrase_index_new();
    d->lex_ix = sr_phrase_index_new();
    d->issue_ix = sr_phrase_index_new();
    char path[4096];
#define PATH(name) (snprintf(path, sizeof path, "%s/%s", dir, name), path)
    /* order matters: lexicon classes are sealed before patterns read them,
     * countries and organisations are declared before codes use them */
    if (sr_cameo_load(d, PATH("cameo.tsv"), err) || sr_lexicon_load(d, PATH("lexicon.txt"), err) ||
        load_dir(d, "actors", load_actor_file, err) ||
        sr_actors_load(d, PATH("agents.txt"), 1, err) || load_dir(d, "verbs", sr_verbs_load, err) ||
        sr_issues_load(d, PATH("issues.txt"), err) ||
        sr_conflicts_load(d, PATH("conflicts.txt"), err) ||
        sr_boiler_load(PATH("boilerplate.txt"), &d->boiler, err)) {
        if (err && err->code != SR_DICT)
            err->code = SR_DICT;
        sr_dict_free(d);
        return SR_DICT;
    }
#undef PATH
    sr_phrase_index_seal(d->actor_ix);
    sr_phrase_index_seal(d->lex_ix);
    sr_phrase_index_seal(d->issue_ix);
    sr_verbs_seal(d);
    sr_split_free(&d->scratch);
    *out = d;
    return SR_OK;
}

void sr_dict_free(sr_dict *d)
{
    if (!d)
        return;
    sr_boiler_free(d->boiler);
    sr_geo_free(d->geo);
    sr_split_free(&d->scratch);
    for (size_t i = 0; i < d->ncameo; i++) {
        free(d->cameo[i].plover);
        free(d->cameo[i].plover_mode);
        free(d->cameo[i].name);
    }
    free(d->cameo);
    for (size_t i = 0; i < d->nactors; i++)
        free((void *)d->actors[i].phrase);
    free(d->actors);
    sr_phrase_index_free(d->actor_ix);
    for (size_t i = 0; i < d->npats; i++) {
        for (size_t k = 0; k < d->pats[i].nel; k++)
            free(d->pats[i].el[k].alt);
        free(d->pats[i].el);
        free((void *)d->pats[i].text);
    }
    free(d->pats);
    for (size_t i = 0; i < d->npat_by_lemma; i++)
        free(d->pat_by_lemma[i]);
    free(d->pat_by_lemma);
    free(d->lemma_of);
    for (size_t i = 0; i < d->npat_by_word; i++)
        free(d->pat_by_word[i]);
    free(d->pat_by_word);
    free(d->lex);
    free(d->lexpairs);
    sr_phrase_index_free(d->lex_ix);
    for (size_t i = 0; i < d->nissues; i++)
        free(d->issues[i].tag);
    free(d->issues);
    free(d->conflicts);
    sr_phrase_index_free(d->issue_ix);
    sr_strtab_free(&d->words);
    sr_strtab_free(&d->lemmas);
    sr_strtab_free(&d->paths);
    sr_strtab_free(&d->countries);
    sr_strtab_free(&d->orgs);
    free(d->dir);
    free(d);
}

size_t sr_dict_count(const sr_dict *d, const char *kind)
{
    if (!strcmp(kind, "boilerplate"))
        return sr_boiler_count(d->boiler);
    if (!strcmp(kind, "cameo"))
        return d->ncameo;
    if (!strcmp(kind, "verbs"))
        return d->npats;
    if (!strcmp(kind, "issues"))
        return sr_phrase_index_count(d->issue_ix);
    size_t n = 0;
    for (size_t i = 0; i < d->nactors; i++) {
        int agent = d->actors[i].kind == SR_ACT_AGENT;
        if (!strcmp(kind, "agents") ? agent : !strcmp(kind, "actors") && !agent)
            n++;
    }
    return n;
}
