/* coder.c — sr_code_doc: turns one document into CAMEO events.
 *
 * Per sentence (src/text/split.c gives sentences and tokens):
 *  1. look every token up once: word id, pattern lemmas, lexicon classes;
 *  2. actor mentions: longest dictionary phrases chained into one actor
 *     ("Russian" + "Foreign Minister" + "Sergei Lavrov" = RUSGOV), marked
 *     as modifiers ("Russian oil"), possessives, in a prepositional phrase,
 *     and grouped when coordinated ("the US and Ukraine");
 *  3. verb patterns (dict/verbs/) matched at each token, the most specific
 *     (most literal words, then longest) winning;
 *  4. for each match: source (pattern slot, passive "by", else the nearest
 *     subject to the left in the clause, else the previous sentence's actor
 *     for he/she/they), target (slot, else the first actor to the right in
 *     the clause, else the source's single declared adversary for fighting),
 *     negation, modality and attribution from the words around the verb;
 *  5. one event per source x target, deduplicated within the sentence;
 *  6. dates (src/time) and places (src/geo): one event per place named in
 *     the verb's clause; an attacked place's country becomes the target.
 * Everything is explained in the event's `why` (docs/OUTPUT.md). Token
 * lookups go through a per-thread cache (see "the per-thread token cache").
 */
#include "code.h"

#include "../time/dates.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MENTIONS 256
#define GAP_MAX 6        /* tokens a '*' may skip */
#define TARGET_REACH 16  /* tokens after the verb searched for a target */
#define SIG_BITS 1024    /* the sentence signature (coder.sig) */
#define SIG_WORDS (SIG_BITS / 64)

typedef struct {
    uint32_t word;       /* lower-case word id, 0 if not in any dictionary */
    uint32_t lemma[2];   /* lemmas of pattern words this form inflects, 0 = none */
    uint32_t starts;     /* STARTS_*: phrases of the actor / issue indexes begin here */
    uint32_t arun;       /* sr_phrase_run of the actor index for word (0: none) */
    uint32_t lex;        /* SR_LEX_* bits */
    int mention;         /* index into coder.m, -1 if none */
    int used;            /* part of an earlier verb pattern's match */
} tinfo;

typedef struct {
    uint32_t t0, t1;     /* tokens [t0, t1) */
    sr_actor_ref ref;
    int kind;            /* SR_ACT_* of the head entry */
    int modifier;        /* adjective with no agent: "Russian oil" */
    int possessive;      /* followed by 's */
    int source_only;     /* an outlet or think tank: attributes, never acts */
    int unresolved;      /* agent without a country: "officials" */
    int in_pp;           /* preceded by a preposition */
    int by_agent;        /* preceded by "by" */
    int group;           /* first mention of its coordination group */
} mention;

typedef struct {
    uint32_t end;        /* token after the match */
    int target, source;  /* mention index from a slot, -1 if none */
} pmatch;

typedef struct coder {
    const sr_dict *d;
    const sr_doc *doc;
    const char *text;
    sr_split split;
    tinfo *ti;
    size_t capti;
    uint32_t *words;         /* the sentence's word ids (ti[k].word), for phrase matching */
    size_t capwords;
    int nm;                  /* mentions in m[] */
    int32_t docdate;         /* yyyymmdd or 0 */
    int docdate_source;      /* SR_DOCDATE_* */
    /* coreference: the last sentence's first source */
    sr_actor_ref prev;
    int has_prev;
    /* names learned from this document: "Russian businessman Boris
     * Rotenberg" makes "Rotenberg" a Russian actor for later sentences */
    struct learned {
        char surname[48];
        size_t len;
        sr_actor_ref ref;
    } learned[32];
    int nlearned;
    unsigned flags;          /* SR_CODE_* */
    struct tcache *tc;       /* this thread's token cache */
    int sent_dates;          /* the sentence has a date expression: -1 not scanned yet */
    sr_date_cache *dates;    /* the sentence's date expressions, for all its verbs */
    uint64_t sig[SIG_WORDS]; /* bit (id % SIG_BITS) of every word and lemma id in the
                                sentence: which pattern words it may hold */
    /* the document's focus: countries of its actors, by mentions so far */
    struct focus {
        char country[4];
        int count;
    } focus[16];
    int nfocus;
    /* last, and not zeroed per document (26 KB): entries are written
     * before they are read, up to nm */
    mention m[MAX_MENTIONS];
} coder;

const char *sr_modality_name(int m)
{
    static const char *const names[] = {"asserted", "reported", "assessed", "intended",
                                        "hypothetical"};
    return m >= 0 && m < (int)SR_ARRAY_LEN(names) ? names[m] : "asserted";
}

/* ---- token lookup ---- */

/* Pure ASCII without capitals: the text is its own lower-case form. */
static int ascii_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80 || (ch >= 'A' && ch <= 'Z'))
            return 0;
    }
    return 1;
}

/* ---- the per-thread token cache ----
 *
 * Every token is looked up in the dictionary's word table and then in its
 * lexicon and lemma arrays: three random reads in tables of megabytes, the
 * coder's costliest step on long feeds. The words of news repeat, so each
 * thread keeps a small direct-mapped cache of the token spellings it has
 * seen with their word id, classes and lemmas. It caches an immutable
 * sr_dict (and is reset when another one is used), so it is a cache, not
 * shared state; a thread's cache is freed when the thread ends. */
enum { TC_SIZE = 32768, TC_WORD = 19 };
enum { STARTS_ACTOR = 1, STARTS_ISSUE = 2, STARTS_PATTERN = 4 };

typedef struct tc_entry {
    uint32_t hash;
    uint8_t len;             /* 0 = empty */
    char s[TC_WORD];         /* the token as written */
    uint32_t word, lex, lemma[2], starts, arun;
} tc_entry;

typedef struct tcache {
    uint64_t dict;           /* serial of the dictionary the entries come from */
    tc_entry e[TC_SIZE];
} tcache;

static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;

static void tc_make_key(void) { pthread_key_create(&tc_key, free); }

static tcache *thread_cache(const sr_dict *d)
{
    return sr_thread_cache(&tc_key, &tc_once, tc_make_key, sizeof(tcache), d->serial);
}

/* The slow path: lower-case, word table, lexicon, lemmas. */
static void lookup_word(const sr_dict *d, const char *w, size_t n, int cap, tinfo *ti)
{
    if (!cap && n < 120 && ascii_lower(w, n)) {
        ti->word = sr_strtab_find(&d->words, w, n); /* already lower case */
    } else {
        char low[128];
        size_t l = sr_dict_lower(w, n < 120 ? n : 120, low, sizeof low);
        ti->word = sr_strtab_find(&d->words, low, l);
    }
    ti->lex = ti->word && ti->word < d->nlex ? d->lex[ti->word] : 0;
    sr_dict_word_lemmas(d, ti->word, ti->lemma);
    size_t np0, np1, npw;
    sr_dict_patterns_for_lemma(d, ti->lemma[0], &np0);
    sr_dict_patterns_for_lemma(d, ti->lemma[1], &np1);
    sr_dict_patterns_for_word(d, ti->word, &npw);
    ti->arun = sr_phrase_run(d->actor_ix, ti->word);
    ti->starts = (ti->arun ? STARTS_ACTOR : 0) |
                 (sr_phrase_starts(d->issue_ix, ti->word) ? STARTS_ISSUE : 0) |
                 ((np0 + np1 + npw) ? STARTS_PATTERN : 0);
}

/* memcmp(a, b, n) == 0 for the short spellings of the cache, without a
 * library call per token: words of up to 8 bytes in two overlapping loads
 * each, longer ones 8 bytes at a time (never reading outside [0, n)). */
static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline int same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (load64(a + i) != load64(b + i))
                return 0;
        return load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4)
        return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/* The token cache's hash: a few multiplies on 8-byte loads instead of
 * FNV's one dependent multiply per byte (whose latency chain was a tenth
 * of the coder's time). Reads only w[0..n); any spread will do, since
 * entries compare the spelling. */
static inline uint32_t tc_hash(const char *w, size_t n)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = (uint64_t)n * k, v;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            h = (h ^ load64(w + i)) * k;
        v = load64(w + n - 8);
    } else if (n >= 4) {
        v = (uint64_t)load32(w) | (uint64_t)load32(w + n - 4) << 32;
    } else {
        v = n ? (uint64_t)(unsigned char)w[0] | (uint64_t)(unsigned char)w[n / 2] << 8 |
                    (uint64_t)(unsigned char)w[n - 1] << 16
              : 0;
    }
    h = (h ^ v) * k;
    h ^= h >> 32; /* the low bits, the index, from all of them */
    h *= 0xD6E8FEB86659FD93ull;
    return (uint32_t)(h >> 32);
}

/* Fills c->ti for the sentence's tokens. Hashes first, prefetching each
 * token's cache entry, then reads the entries: an entry is a likely cache
 * miss, and this way the misses of a sentence overlap instead of queueing.
 * c->words holds the hashes meanwhile (code_sentence fills it after). */
static void lookup_tokens(coder *c, const sr_sentence *s)
{
    tcache *tc = c->tc;
    uint32_t *hs = c->words;
    for (uint32_t k = 0; k < s->ntok; k++) {
        const sr_token *t = &c->split.toks[s->tok0 + k];
        size_t n = t->end - t->start;
        if (n > TC_WORD)
            continue;
        hs[k] = tc_hash(c->text + t->start, n);
        __builtin_prefetch(&tc->e[hs[k] & (TC_SIZE - 1)]);
    }
    for (uint32_t k = 0; k < s->ntok; k++) {
        const sr_token *t = &c->split.toks[s->tok0 + k];
        tinfo *ti = &c->ti[k];
        const char *w = c->text + t->start;
        size_t n = t->end - t->start;
        ti->mention = -1;
        ti->used = 0;
        if (n > TC_WORD) {
            lookup_word(c->d, w, n, (t->flags & SR_TOK_CAP) != 0, ti);
            continue;
        }
        uint32_t h = hs[k];
        tc_entry *e = &tc->e[h & (TC_SIZE - 1)];
        if (e->hash == h && e->len == n && same_bytes(e->s, w, n)) {
            ti->word = e->word;
            ti->lex = e->lex;
            ti->lemma[0] = e->lemma[0];
            ti->lemma[1] = e->lemma[1];
            ti->starts = e->starts;
            ti->arun = e->arun;
            continue;
        }
        lookup_word(c->d, w, n, (t->flags & SR_TOK_CAP) != 0, ti);
        e->hash = h;
        e->len = (uint8_t)n;
        memcpy(e->s, w, n);
        e->word = ti->word;
        e->lex = ti->lex;
        e->lemma[0] = ti->lemma[0];
        e->lemma[1] = ti->lemma[1];
        e->starts = ti->starts;
        e->arun = ti->arun;
    }
}

#define LEX(ti, cls) (((ti).lex >> (cls)) & 1u)

/* Is token k the word w (lower case)? Called with literals from hot loops:
 * inlined, so strlen(w) folds to a constant and most calls end at the
 * length or first-byte test. */
static inline __attribute__((always_inline)) int tok_is(const coder *c, const sr_sentence *s,
                                                        uint32_t k, const char *w)
{
    const sr_token *t = &c->split.toks[s->tok0 + k];
    size_t n = strlen(w);
    if (t->end - t->start != n || sr_lower((unsigned char)c->text[t->start]) != w[0])
        return 0;
    for (size_t i = 1; i < n; i++)
        if (sr_lower((unsigned char)c->text[t->start + i]) != w[i])
            return 0;
    return 1;
}

static uint32_t tflags(const coder *c, const sr_sentence *s, uint32_t k)
{
    return c->split.toks[s->tok0 + k].flags;
}

static int is_gerund(const coder *c, const sr_sentence *s, uint32_t k)
{
    const sr_token *t = &c->split.toks[s->tok0 + k];
    const char *e = c->text + t->end;
    return t->end - t->start > 4 && e[-3] == 'i' && e[-2] == 'n' && e[-1] == 'g';
}

/* Clause boundaries for subject and target search. */
static int is_boundary(const coder *c, const sr_sentence *s, uint32_t k)
{
    if (!(tflags(c, s, k) & SR_TOK_PUNCT))
        return 0;
    const sr_token *t = &c->split.toks[s->tok0 + k];
    unsigned char ch = (unsigned char)c->text[t->start];
    return ch == ';' || ch == ':' || ch == '(' || ch == ')' || ch == '.' || ch == '?' ||
           ch == '!' || ch == 0xE2 /* em dash */ || (t->end - t->start == 2 && ch == '-');
}

/* ---- actor mentions ---- */

static int in_tenure(const sr_actor_entry *a, int32_t date)
{
    if (a->kind != SR_ACT_PERSON || !date)
        return 1;
    return date >= a->from && (!a->to || date <= a->to);
}

/* The best entry among phrases matched at one position: persons in office
 * at the document date first, then the most recent tenure. */
static const sr_actor_entry *pick_entry(coder *c, const sr_phrase **ph, size_t n)
{
    const sr_actor_entry *best = NULL;
    int best_in = 0;
    for (size_t i = 0; i < n; i++) {
        const sr_actor_entry *a = &c->d->actors[ph[i]->value];
        int in = in_tenure(a, c->docdate);
        if (!best || (in && !best_in) ||
            (in == best_in && a->kind == SR_ACT_PERSON && (!a->to || (best->to && a->to > best->to)))) {
            best = a;
            best_in = in;
        }
    }
    return best;
}

static size_t match_actor(coder *c, const sr_sentence *s, uint32_t k, const uint32_t *words,
                          const sr_actor_entry **out)
{
    if (k >= s->ntok || !(c->ti[k].starts & STARTS_ACTOR))
        return 0; /* most words start no actor phrase */
    const sr_phrase *ph[8];
    size_t n = sr_phrase_match_run(c->d->actor_ix, c->ti[k].arun, words, s->ntok, k, c->text,
                                   c->split.toks + s->tok0, ph, 8);
    if (!n)
        return 0;
    *out = pick_entry(c, ph, n);
    return ph[0]->n;
}

/* dst = a followed by b, cut to cap - 1 bytes (snprintf's "%s%s", which
 * cost more than the rest of building a mention). */
static void join_code(char *dst, size_t cap, const char *a, const char *b)
{
    size_t n = 0;
    for (; *a && n + 1 < cap; a++)
        dst[n++] = *a;
    for (; *b && n + 1 < cap; b++)
        dst[n++] = *b;
    dst[n] = '\0';
}

static void set_ref_from(sr_actor_ref *r, const sr_actor_entry *a, int32_t date)
{
    if (a->kind == SR_ACT_AGENT)
        return;
    memcpy(r->country, a->country, sizeof r->country);
    memcpy(r->org, a->org, sizeof r->org);
    if (a->kind == SR_ACT_PERSON && !in_tenure(a, date) && a->country[0])
        join_code(r->code, sizeof r->code, a->country, "ELI");
    else
        memcpy(r->code, a->code, sizeof r->code);
}

/* Possessive ("Russia's") and prepositional context ("sanctions on X",
 * "shelled by X") of a mention. */
static void mark_context(const coder *c, const sr_sentence *s, mention *m)
{
    if (m->t1 < s->ntok && tok_is(c, s, m->t1, "'s"))
        m->possessive = 1;
    uint32_t b = m->t0;
    while (b > 0 && LEX(c->ti[b - 1], SR_LEX_DET))
        b--;
    if (b > 0 && LEX(c->ti[b - 1], SR_LEX_PREP)) {
        m->in_pp = 1;
        m->by_agent = tok_is(c, s, b - 1, "by");
    }
}

static void learn_name(coder *c, const sr_sentence *s, uint32_t k, const sr_actor_ref *r)
{
    const sr_token *t = &c->split.toks[s->tok0 + k];
    size_t n = t->end - t->start;
    if (n >= sizeof c->learned[0].surname || n < 2)
        return;
    for (int i = 0; i < c->nlearned; i++)
        if (c->learned[i].len == n && !memcmp(c->learned[i].surname, c->text + t->start, n))
            return;
    if (c->nlearned == (int)SR_ARRAY_LEN(c->learned))
        return;
    struct learned *l = &c->learned[c->nlearned++];
    memcpy(l->surname, c->text + t->start, n);
    l->surname[n] = 0;
    l->len = n;
    l->ref = *r;
    memset(l->ref.entry, 0, sizeof l->ref.entry);
}

/* A mention for a learned name at k ("Boris Rotenberg", "Rotenberg");
 * returns the token after it (k + 1 when there is none). */
static uint32_t learned_mention(coder *c, const sr_sentence *s, uint32_t k)
{
    if (!c->nlearned || c->nm >= MAX_MENTIONS || !(tflags(c, s, k) & SR_TOK_CAP))
        return k + 1;
    for (uint32_t span = 2; span >= 1; span--) {
        uint32_t last = k + span - 1;
        if (last >= s->ntok || (span == 2 && !(tflags(c, s, last) & SR_TOK_CAP)))
            continue;
        const sr_token *t = &c->split.toks[s->tok0 + last];
        size_t n = t->end - t->start;
        for (int i = 0; i < c->nlearned; i++) {
            if (c->learned[i].len != n || c->learned[i].surname[0] != c->text[t->start] ||
                memcmp(c->learned[i].surname, c->text + t->start, n))
                continue;
            mention m;
            memset(&m, 0, sizeof m);
            m.t0 = k;
            m.t1 = k + span;
            m.kind = SR_ACT_PERSON;
            m.ref = c->learned[i].ref;
            m.ref.start = c->split.toks[s->tok0 + k].start;
            m.ref.end = t->end;
            m.group = c->nm;
            mark_context(c, s, &m);
            for (uint32_t x = m.t0; x < m.t1; x++)
                c->ti[x].mention = c->nm;
            c->m[c->nm++] = m;
            return m.t1;
        }
    }
    return k + 1;
}

static void find_mentions(coder *c, const sr_sentence *s)
{
    const uint32_t *words = c->words;
    uint32_t n = s->ntok;
    c->nm = 0;
    for (uint32_t k = 0; k < n && c->nm < MAX_MENTIONS;) {
        if (!(c->ti[k].starts & STARTS_ACTOR) &&
            (!c->nlearned || !(tflags(c, s, k) & SR_TOK_CAP))) {
            k++; /* most tokens: no actor phrase, no learned name starts here */
            continue;
        }
        const sr_actor_entry *a;
        size_t len = match_actor(c, s, k, words, &a);
        if (!len) {
            k = learned_mention(c, s, k);
            continue;
        }
        mention m;
        memset(&m, 0, sizeof m);
        m.t0 = k;
        m.kind = a->kind;
        const sr_actor_entry *country_e = a->kind != SR_ACT_AGENT ? a : NULL;
        const sr_actor_entry *agent_e = a->kind == SR_ACT_AGENT ? a : NULL;
        int nent = 0;
        m.ref.entry[nent++] = a;
        uint32_t pos = k + (uint32_t)len;
        int chained = 0;
        /* chain: [country|adj|seat] ['s] [agent]* [person|group] */
        while (pos < n) {
            uint32_t p2 = pos;
            if (p2 + 1 < n && (tok_is(c, s, p2, "'s") || tok_is(c, s, p2, "'")))
                p2++;
            else if (agent_e && p2 + 1 < n && tok_is(c, s, p2, "and"))
                p2++; /* "businessman and oligarch" */
            const sr_actor_entry *b;
            size_t l2 = match_actor(c, s, p2, words, &b);
            if (!l2 || !(b->kind == SR_ACT_AGENT || b->kind == SR_ACT_PERSON ||
                         (b->kind == SR_ACT_GROUP && country_e && country_e->kind != SR_ACT_GROUP)))
                break;
            if (p2 != pos && (b->kind == SR_ACT_PERSON || (tok_is(c, s, pos, "and") && b->kind != SR_ACT_AGENT)))
                break; /* "Russia's Putin" is rare; "and" only joins agent nouns */
            if (b->kind == SR_ACT_AGENT)
                agent_e = b;
            else
                country_e = b; /* a person or group is the most specific */
            if (nent < 3)
                m.ref.entry[nent++] = b;
            chained = 1;
            pos = p2 + (uint32_t)l2;
        }
        /* "Russian businessman Boris Rotenberg": an unknown capitalised name
         * right after a nationality and a role is that nationality's actor */
        if (agent_e && country_e && country_e->kind != SR_ACT_PERSON &&
            country_e->kind != SR_ACT_GROUP && m.ref.entry[nent - 1] == agent_e) {
            uint32_t e = pos;
            const sr_actor_entry *x;
            while (e < n && e < pos + 3 && (tflags(c, s, e) & SR_TOK_CAP) &&
                   (tflags(c, s, e) & SR_TOK_WORD) && !match_actor(c, s, e, words, &x))
                e++;
            if (e > pos) {
                sr_actor_ref r;
                memset(&r, 0, sizeof r);
                set_ref_from(&r, country_e, c->docdate);
                join_code(r.code, sizeof r.code, r.country, agent_e->agent);
                learn_name(c, s, e - 1, &r);
                pos = e;
            }
        }
        m.t1 = pos;
        if (country_e) {
            set_ref_from(&m.ref, country_e, c->docdate);
            m.kind = country_e->kind;
            if (agent_e && strlen(m.ref.code) <= 3 && m.ref.country[0] &&
                country_e->kind != SR_ACT_PERSON)
                join_code(m.ref.code, sizeof m.ref.code, m.ref.country, agent_e->agent);
        } else {
            m.unresolved = 1;
            memcpy(m.ref.code, "", 1);
        }
        m.source_only = m.kind == SR_ACT_SOURCE;
        m.modifier = !chained && (a->kind == SR_ACT_ADJ);
        /* "Rwanda-backed", "Ukrainian-controlled", "pro-Russian": not actors */
        int compound = 0;
        if (m.t1 + 1 < n && tok_is(c, s, m.t1, "-") && (tflags(c, s, m.t1) & SR_TOK_GLUED) &&
            (tflags(c, s, m.t1 + 1) & SR_TOK_GLUED) && !(tflags(c, s, m.t1 + 1) & SR_TOK_CAP))
            compound = 1;
        if (m.t0 >= 2 && tok_is(c, s, m.t0 - 1, "-") && (tflags(c, s, m.t0) & SR_TOK_GLUED) &&
            (tok_is(c, s, m.t0 - 2, "pro") || tok_is(c, s, m.t0 - 2, "anti")))
            compound = 1;
        /* "met in Doha", "signed in Washington": a capital after a locative
         * preposition is where it happened, not who acted */
        if (!compound && m.kind == SR_ACT_SEAT && !chained && m.t0 > 0) {
            uint32_t b = m.t0;
            while (b > 0 && LEX(c->ti[b - 1], SR_LEX_DET))
                b--;
            static const char *const loc[] = {"in",     "at",     "near",   "outside", "inside",
                                              "around", "from",   "through", "across"};
            for (size_t i = 0; b > 0 && i < SR_ARRAY_LEN(loc); i++)
                if (tok_is(c, s, b - 1, loc[i]))
                    compound = 1;
        }
        if (!compound) {
            mark_context(c, s, &m);
            m.ref.start = c->split.toks[s->tok0 + m.t0].start;
            m.ref.end = c->split.toks[s->tok0 + m.t1 - 1].end;
            m.group = c->nm;
            for (uint32_t t = m.t0; t < m.t1; t++)
                c->ti[t].mention = c->nm;
            c->m[c->nm++] = m;
        }
        k = m.t1;
    }
    /* coordination: "the US and Ukraine", "US-Ukrainian", "A, B and C" */
    for (int i = 1; i < c->nm; i++) {
        mention *a = &c->m[i - 1], *b = &c->m[i];
        if (a->source_only || b->source_only || a->unresolved || b->unresolved)
            continue;
        int ok = b->t0 > a->t1 || b->t0 == a->t1;
        for (uint32_t t = a->t1; ok && t < b->t0; t++)
            ok = LEX(c->ti[t], SR_LEX_COORD) || LEX(c->ti[t], SR_LEX_DET) || tok_is(c, s, t, ",") ||
                 tok_is(c, s, t, "-") || tok_is(c, s, t, "&");
        if (ok && b->t0 > a->t1 && a->modifier == b->modifier)
            b->group = a->group;
        else if (ok && b->t0 > a->t1 && tok_is(c, s, a->t1, "-"))
            b->group = a->group;
    }
}

/* ---- pattern matching ---- */

static int id_matches(uint32_t id, const tinfo *ti)
{
    if (id & SR_ALT_EXACT)
        return ti->word && ti->word == (id & ~SR_ALT_EXACT);
    return id && (ti->lemma[0] == id || ti->lemma[1] == id);
}

/* Tokens matched by the longest alternative of e at k (0 = no match). */
static uint32_t elem_matches(const sr_pat_elem *e, const tinfo *ti, uint32_t avail)
{
    /* lemmas against the lemma alternatives, the form against the exact
     * ones; an id of 0 (none) sets no bit */
    uint64_t lbits = ((uint64_t)(ti->lemma[0] != 0) << (ti->lemma[0] & 63)) |
                     ((uint64_t)(ti->lemma[1] != 0) << (ti->lemma[1] & 63));
    uint64_t wbit = (uint64_t)(ti->word != 0) << (ti->word & 63);
    if (!((e->mask & lbits) | (e->xmask & wbit)))
        return 0; /* no alternative can start with this token */
    uint32_t best = 0;
    for (size_t i = 0, off = 0; i < e->nalt; i++, off += 1 + e->alt[off]) {
        uint32_t n = e->alt[off];
        if (n > avail || n <= best)
            continue;
        uint32_t m = 0;
        while (m < n && id_matches(e->alt[off + 1 + m], &ti[m]))
            m++;
        if (m == n)
            best = n;
    }
    return best;
}

/* The mention that starts within a few determiners/adjectives of k; a
 * passive's "by X" agent only when by_ok. */
static int slot_mention_by(const coder *c, const sr_sentence *s, uint32_t k, int by_ok)
{
    for (uint32_t t = k; t < s->ntok && t < k + 4; t++) {
        int mi = c->ti[t].mention;
        if (mi >= 0)
            return c->m[mi].t0 == t && !c->m[mi].source_only && !c->m[mi].unresolved &&
                           (by_ok || !c->m[mi].by_agent)
                       ? mi
                       : -1;
        if (tflags(c, s, t) & SR_TOK_PUNCT)
            return -1;
    }
    return -1;
}

static int slot_mention(const coder *c, const sr_sentence *s, uint32_t k)
{
    return slot_mention_by(c, s, k, 0);
}

static int match_el(const coder *c, const sr_sentence *s, const sr_pattern *p, uint32_t ei,
                    uint32_t k, pmatch *out)
{
    if (ei == p->nel) {
        out->end = k;
        return 1;
    }
    const sr_pat_elem *e = &p->el[ei];
    switch (e->type) {
    case SR_PAT_WORD: {
        uint32_t n = k < s->ntok ? elem_matches(e, &c->ti[k], s->ntok - k) : 0;
        if (n && match_el(c, s, p, ei + 1, k + n, out))
            return 1;
        return e->optional && match_el(c, s, p, ei + 1, k, out);
    }
    case SR_PAT_GAP: {
        uint32_t words = 0;
        for (uint32_t t = k; t <= s->ntok && words <= GAP_MAX; t++) {
            if (match_el(c, s, p, ei + 1, t, out))
                return 1;
            if (t >= s->ntok || is_boundary(c, s, t) || tok_is(c, s, t, "by"))
                break; /* a passive's "by X" is never skipped over */
            if (!(tflags(c, s, t) & SR_TOK_PUNCT))
                words++;
        }
        return 0;
    }
    case SR_PAT_NAME: {
        /* capitalised words that are no actor: "captured Toretsk", "withdrew
         * from Kryvyi Rih" (the place matcher then places the event and
         * gives an attack its target) */
        uint32_t t = k;
        while (t < s->ntok && c->ti[t].mention < 0 &&
               (tflags(c, s, t) & (SR_TOK_WORD | SR_TOK_CAP)) == (SR_TOK_WORD | SR_TOK_CAP))
            t++;
        if (t > k && match_el(c, s, p, ei + 1, t, out))
            return 1;
        return e->optional && match_el(c, s, p, ei + 1, k, out);
    }
    case SR_PAT_TARGET:
    case SR_PAT_SOURCE: {
        int mi = slot_mention(c, s, k);
        if (mi < 0) /* "was struck by X": a passive has no object; "by" names the actor */
            return (e->optional || (e->type == SR_PAT_TARGET && k < s->ntok && tok_is(c, s, k, "by"))) &&
                   match_el(c, s, p, ei + 1, k, out);
        int *slot = e->type == SR_PAT_TARGET ? &out->target : &out->source;
        int save = *slot;
        *slot = mi;
        if (match_el(c, s, p, ei + 1, c->m[mi].t1, out))
            return 1;
        *slot = save;
        return 0;
    }
    }
    return 0;
}

/* A word right after a determiner, a possessive or a nationality adjective
 * is a noun ("the attack", "Russia's demands", "Russian advances"): only
 * {nominal} patterns may anchor there. */
static int noun_context(const coder *c, const sr_sentence *s, uint32_t k)
{
    if (k == 0)
        return 0;
    const tinfo *p = &c->ti[k - 1];
    if ((LEX(*p, SR_LEX_DET) && !tok_is(c, s, k - 1, "that")) || tok_is(c, s, k - 1, "'s") ||
        tok_is(c, s, k - 1, "'"))
        return 1;
    if (LEX(*p, SR_LEX_PREP) && !tok_is(c, s, k - 1, "to"))
        return 1; /* "for lifting sanctions", "a ban on strikes": no finite verb follows a preposition */
    if (p->used && !LEX(*p, SR_LEX_PREP) && !LEX(*p, SR_LEX_COMPLEMENT))
        return 1; /* the object of the verb just matched: "drop demands" */
    return p->mention >= 0 && c->m[p->mention].modifier;
}

static void sig_add(uint64_t *sig, uint32_t id)
{
    id = (id & ~SR_ALT_EXACT) % SIG_BITS;
    sig[id / 64] |= 1ull << (id % 64);
}

static int sig_has(const uint64_t *sig, uint32_t id)
{
    id = (id & ~SR_ALT_EXACT) % SIG_BITS;
    return (sig[id / 64] >> (id % 64)) & 1;
}

/* Whether every required word element of p can match somewhere in the
 * sentence: an alternative matches only at a token whose word or lemma is
 * its first id, so an element none of whose first ids is in the sentence
 * signature rules the pattern out before any matching. Most patterns
 * tried fail this way ("attacked" without any of the nouns its pattern
 * needs later). */
static int pattern_possible(const coder *c, const sr_pattern *p)
{
    for (uint32_t ei = 1; ei < p->nel; ei++) {
        const sr_pat_elem *e = &p->el[ei];
        if (e->type != SR_PAT_WORD || e->optional)
            continue;
        int any = 0;
        for (size_t i = 0, off = 0; i < e->nalt && !any; i++, off += 1 + e->alt[off])
            any = e->alt[off] > 0 && sig_has(c->sig, e->alt[off + 1]);
        if (!any)
            return 0;
    }
    return 1;
}

/* Best pattern anchored at token k: most literal words, then longest,
 * then earliest in the dictionary. */
static const sr_pattern *best_pattern(const coder *c, const sr_sentence *s, uint32_t k,
                                      pmatch *best)
{
    const sr_pattern *bp = NULL;
    const tinfo *ti = &c->ti[k];
    int noun = noun_context(c, s, k);
    for (int pass = 0; pass < 3; pass++) {
        size_t n;
        uint32_t key = pass < 2 ? ti->lemma[pass] : ti->word;
        if (!key)
            continue;
        const uint32_t *l = pass < 2 ? sr_dict_patterns_for_lemma(c->d, key, &n)
                                     : sr_dict_patterns_for_word(c->d, key, &n);
        for (size_t i = 0; i < n; i++) {
            const sr_pattern *p = &c->d->pats[l[i]];
            if ((noun && !(p->flags & SR_PATF_NOMINAL)) || !pattern_possible(c, p))
                continue;
            pmatch m = {.target = -1, .source = -1};
            if (!match_el(c, s, p, 0, k, &m))
                continue;
            if (!bp || p->nlit > bp->nlit || (p->nlit == bp->nlit && m.end > best->end)) {
                bp = p;
                *best = m;
            }
        }
    }
    return bp;
}

/* ---- roles around the verb ---- */


/* Nearest mention to the left of the verb that can be its subject; stops at
 * clause boundaries. *pron is set when a pronoun comes first. */
static int find_subject(const coder *c, const sr_sentence *s, uint32_t v, int *pron)
{
    *pron = 0;
    for (uint32_t t = v; t-- > 0;) {
        if (tok_is(c, s, t, ")")) {
            /* a parenthesis is an aside: the subject is before it */
            uint32_t open = t;
            while (open > 0 && !tok_is(c, s, open, "("))
                open--;
            if (tok_is(c, s, open, "(")) {
                t = open;
                continue;
            }
        }
        if (is_boundary(c, s, t))
            return -1;
        int mi = c->ti[t].mention;
        if (mi >= 0) {
            const mention *m = &c->m[mi];
            t = m->t0;
            /* "despite the US's commitment to resume ...": a possessor is
             * the agent of its noun even inside a prepositional phrase */
            if (m->source_only || (m->in_pp && !m->possessive) || (m->modifier && !m->possessive))
                continue;
            if (m->unresolved && m->t0 > 0 &&
                (tok_is(c, s, m->t0 - 1, "its") || tok_is(c, s, m->t0 - 1, "their"))) {
                *pron = 1; /* "its troops": the previous sentence's actor */
                return -1;
            }
            return mi;
        }
        if (LEX(c->ti[t], SR_LEX_PRONOUN) && !LEX(c->ti[t], SR_LEX_DET)) {
            *pron = 1;
            return -1;
        }
        if (LEX(c->ti[t], SR_LEX_COMPLEMENT) && t + 1 < s->ntok && t + 1 <= v &&
            is_gerund(c, s, t + 1) && !tok_is(c, s, t, "that") && !tok_is(c, s, t, "which") &&
            !tok_is(c, s, t, "who"))
            continue; /* "while stepping up ...": no subject of its own */
        if (LEX(c->ti[t], SR_LEX_COMPLEMENT)) {
            /* "forces that advanced": the relative pronoun's head is the subject */
            uint32_t b = t;
            while (b > 0 && tok_is(c, s, b - 1, ","))
                b--;
            if (b > 0 && c->ti[b - 1].mention >= 0) {
                const mention *m = &c->m[c->ti[b - 1].mention];
                if (!m->source_only && !m->modifier)
                    return c->ti[b - 1].mention;
            }
            return -1;
        }
    }
    return -1;
}

/* A dash or em dash does not end the object: "rejected proposals -- including
 * a US-Ukrainian one". */
static int is_dash(const coder *c, const sr_sentence *s, uint32_t k)
{
    const sr_token *t = &c->split.toks[s->tok0 + k];
    return (unsigned char)c->text[t->start] == 0xE2 || c->text[t->start] == '-';
}

/* "Karina Rotenberg, the wife of Russian businessman ...": an unknown name
 * followed by an apposition naming a nationality. Returns that mention. */
static int apposition_nationality(const coder *c, const sr_sentence *s, uint32_t t)
{
    if (t + 2 >= s->ntok || !tok_is(c, s, t + 1, ",") || !LEX(c->ti[t + 2], SR_LEX_DET))
        return -1; /* an apposition opens with "the"/"a": not ", Congolese officials said" */
    for (uint32_t k = t + 2; k < s->ntok && k < t + 8; k++) {
        if (is_boundary(c, s, k) || tok_is(c, s, k, ","))
            return -1;
        int mi = c->ti[k].mention;
        if (mi >= 0 && c->m[mi].ref.country[0] && !c->m[mi].source_only &&
            !(c->m[mi].t1 < s->ntok && LEX(c->ti[c->m[mi].t1], SR_LEX_REPORT)))
            return mi;
    }
    return -1;
}

static int find_target(const coder *c, const sr_sentence *s, uint32_t from, int src)
{
    for (uint32_t t = from; t < s->ntok && t < from + TARGET_REACH; t++) {
        if ((is_boundary(c, s, t) && !is_dash(c, s, t)) || LEX(c->ti[t], SR_LEX_COMPLEMENT) ||
            LEX(c->ti[t], SR_LEX_CONTRAST))
            return -1;
        /* a comma ends the object unless a list goes on ("..., including X") */
        if (tok_is(c, s, t, ",") && t + 1 < s->ntok && !tok_is(c, s, t + 1, "including") &&
            !tok_is(c, s, t + 1, "and") && !tok_is(c, s, t + 1, "or") && c->ti[t + 1].mention < 0)
            return -1;
        int mi = c->ti[t].mention;
        if (mi < 0) {
            if ((tflags(c, s, t) & SR_TOK_CAP) && t > from && (tflags(c, s, t) & SR_TOK_WORD)) {
                int ap = apposition_nationality(c, s, t);
                if (ap >= 0)
                    return ap;
            }
            continue;
        }
        const mention *m = &c->m[mi];
        t = m->t1 - 1;
        if (m->source_only || m->unresolved || m->by_agent)
            continue;
        if (src >= 0 && c->m[src].group == m->group)
            continue;
        if (t + 1 < s->ntok && LEX(c->ti[t + 1], SR_LEX_REPORT))
            return -1; /* "..., Peskov said": a speaker, not a target */
        return mi;
    }
    return -1;
}

static int is_participle(const coder *c, const sr_sentence *s, uint32_t k)
{
    const sr_token *t = &c->split.toks[s->tok0 + k];
    size_t n = t->end - t->start;
    const char *w = c->text + t->start;
    if (n > 3 && w[n - 2] == 'e' && (w[n - 1] == 'd' || w[n - 1] == 'n'))
        return 1; /* "-ed", "-en" */
    static const char *const irr[] = {"struck", "hit", "shot", "seized", "held", "taken", "met",
                                      "fought", "caught", "beaten", "thrown", "led", "sent"};
    for (size_t i = 0; i < SR_ARRAY_LEN(irr); i++)
        if (tok_is(c, s, k, irr[i]))
            return 1;
    return 0;
}

typedef struct {
    int negated, modality;
    uint32_t neg_tok, mod_tok;  /* +1; 0 = none */
} verbgroup;

/* Reads negation and modality from the words between the subject (or the
 * clause start) and the verb, and conditionals earlier in the segment. */
static verbgroup read_verb_group(const coder *c, const sr_sentence *s, uint32_t from, uint32_t v,
                                 const sr_pattern *p)
{
    verbgroup g = {0};
    /* the verb group starts after the subject and after any "but", comma
     * or clause boundary; words of an earlier pattern are not re-read.
     * A negation also stops at "and" right before the verb ("denied any
     * role and called for": the call is not denied), a modal does not
     * ("will need to contest X and launch Y": both are plans). */
    uint32_t neg_from = from;
    for (uint32_t t = from; t < v; t++) {
        if (LEX(c->ti[t], SR_LEX_CONTRAST) || is_boundary(c, s, t) || tok_is(c, s, t, ","))
            from = neg_from = t + 1;
        else if (tok_is(c, s, t, "and") &&
                 (t + 1 == v || (t + 2 == v && (LEX(c->ti[t + 1], SR_LEX_HAVE) ||
                                                tok_is(c, s, t + 1, "also")))))
            neg_from = t + 1;
    }
    for (uint32_t t = from; t < v; t++) {
        const tinfo *ti = &c->ti[t];
        if (ti->used)
            continue;
        if (LEX(*ti, SR_LEX_NEGATION) && !(p->flags & SR_PATF_NEGATIVE) && t >= neg_from) {
            g.negated = 1;
            g.neg_tok = t + 1;
        }
        int m = -1;
        if (LEX(*ti, SR_LEX_MODAL) && !(p->flags & SR_PATF_MODAL))
            m = SR_MOD_HYPOTHETICAL;
        else if (LEX(*ti, SR_LEX_HEDGE))
            m = SR_MOD_ASSESSED;
        else if (((LEX(*ti, SR_LEX_INTENT) &&
                   ((t + 1 < v && tok_is(c, s, t + 1, "to")) || (t + 2 < v && tok_is(c, s, t + 2, "to")))) ||
                  LEX(*ti, SR_LEX_FUTURE)) &&
                 !(p->flags & (SR_PATF_MODAL | SR_PATF_NOMINAL)))
            m = SR_MOD_INTENDED; /* "plans to", "ready to", "will": not "a ceasefire offer";
                                    a noun event ("sought to cause damage in strikes") happened */
        /* precedence: hypothetical > assessed > intended (the enum order) */
        if (m > g.modality) {
            g.modality = m;
            g.mod_tok = t + 1;
        }
    }
    /* a conditional or modal earlier in the same comma-delimited segment:
     * "if Putin does not ...", "a ceasefire would allow Russia to mobilise";
     * habitual or feigned acts ("routinely feigns interest") are not events */
    for (uint32_t t = v; t-- > 0;) {
        if (is_boundary(c, s, t) || tok_is(c, s, t, ","))
            break;
        const tinfo *ti = &c->ti[t];
        if (LEX(*ti, SR_LEX_CONDITIONAL) || LEX(*ti, SR_LEX_UNREAL) ||
            (t < from && LEX(*ti, SR_LEX_MODAL) && !LEX(*ti, SR_LEX_COMPLEMENT))) {
            g.modality = SR_MOD_HYPOTHETICAL;
            g.mod_tok = t + 1;
            break;
        }
        if (LEX(*ti, SR_LEX_COMPLEMENT) || LEX(*ti, SR_LEX_REPORT))
            break;
    }
    return g;
}

/* No relative or subordinate clause opens between tokens a and b: "aid that
 * Ukrainian forces will need to ... and launch" is another clause's verb. */
static int no_clause_between(const coder *c, const sr_sentence *s, uint32_t a, uint32_t b)
{
    for (uint32_t t = a; t < b; t++)
        if (LEX(c->ti[t], SR_LEX_COMPLEMENT))
            return 0;
    return 1;
}

/* "... and called for": a verb right after "and" (auxiliaries and adverbs
 * aside) shares the subject of the sentence's previous event. */
static int coordinated_predicate(const coder *c, const sr_sentence *s, uint32_t v)
{
    uint32_t t = v;
    while (t > 0 && (LEX(c->ti[t - 1], SR_LEX_HAVE) || tok_is(c, s, t - 1, "also") ||
                     tok_is(c, s, t - 1, "then") || tok_is(c, s, t - 1, "later")))
        t--;
    return t > 0 && tok_is(c, s, t - 1, "and") && c->ti[t - 1].mention < 0 &&
           !(t >= 2 && c->ti[t - 2].mention >= 0 && c->m[c->ti[t - 2].mention].t1 == t - 1 &&
             t < v); /* "the US and Ukraine agreed": a coordinated subject, not a predicate */
}

/* "At a meeting with X on April 11, Putin said ...": an event in a
 * sentence-initial phrase takes the main clause's subject after the comma. */
static int preposed_subject(const coder *c, const sr_sentence *s, uint32_t from)
{
    for (uint32_t t = from; t < s->ntok && t < from + 12; t++) {
        if (is_boundary(c, s, t))
            return -1;
        if (!tok_is(c, s, t, ","))
            continue;
        uint32_t k = t + 1;
        while (k < s->ntok && LEX(c->ti[k], SR_LEX_DET))
            k++;
        int mi = k < s->ntok ? c->ti[k].mention : -1;
        if (mi >= 0 && c->m[mi].t0 == k && !c->m[mi].source_only && !c->m[mi].unresolved &&
            !c->m[mi].modifier)
            return mi;
        return -1;
    }
    return -1;
}

/* A resolved actor inside the words a pattern matched, other than src. */
static int mention_in_span(const coder *c, uint32_t from, uint32_t to, int src)
{
    for (uint32_t t = from; t < to; t++) {
        int mi = c->ti[t].mention;
        if (mi >= 0 && mi != src && !c->m[mi].unresolved && !c->m[mi].source_only &&
            (src < 0 || c->m[mi].group != c->m[src].group))
            return mi;
    }
    return -1;
}

/* The addressee of a reporting verb: "signaled to senior US officials". */
static int recipient(const coder *c, const sr_sentence *s, uint32_t r)
{
    if (r + 2 >= s->ntok || !tok_is(c, s, r + 1, "to"))
        return -1;
    for (uint32_t t = r + 2; t < s->ntok && t < r + 6; t++) {
        int mi = c->ti[t].mention;
        if (mi >= 0)
            return c->m[mi].source_only ? -1 : mi;
        if (is_boundary(c, s, t) || LEX(c->ti[t], SR_LEX_COMPLEMENT))
            return -1;
    }
    return -1;
}

/* ---- attribution ---- */

typedef struct {
    int found;
    uint32_t by0, by1;       /* tokens of the attributor */
    uint32_t verb;           /* the reporting word */
    int anon;
    int assess;              /* an analyst's verb: assessed */
    int mention;             /* the attributor's mention, -1 if none */
} attribution;

/* The attributor before reporting word r: a mention (incl. outlets), or a
 * noun phrase headed by an anonymous-source noun ("sources in Moscow"). */
static attribution attributor_before(const coder *c, const sr_sentence *s, uint32_t r)
{
    attribution a = {.mention = -1};
    uint32_t t = r;
    while (t > 0 && (LEX(c->ti[t - 1], SR_LEX_HAVE) || LEX(c->ti[t - 1], SR_LEX_BE) ||
                     tok_is(c, s, t - 1, "also") || tok_is(c, s, t - 1, "further") ||
                     tok_is(c, s, t - 1, "previously") || tok_is(c, s, t - 1, "reportedly")))
        t--;
    if (t == 0)
        return a;
    uint32_t e = t; /* attributor ends before e */
    for (uint32_t k = e; k-- > 0 && e - k <= 12;) {
        if (is_boundary(c, s, k) || LEX(c->ti[k], SR_LEX_COMPLEMENT))
            break;
        int mi = c->ti[k].mention;
        if (LEX(c->ti[k], SR_LEX_ANON)) {
            uint32_t b = k;
            while (b > 0 && !is_boundary(c, s, b - 1) && !(tflags(c, s, b - 1) & SR_TOK_PUNCT) &&
                   !LEX(c->ti[b - 1], SR_LEX_COMPLEMENT) && !LEX(c->ti[b - 1], SR_LEX_REPORT) &&
                   !LEX(c->ti[b - 1], SR_LEX_PREP) && e - b < 8)
                b--;
            a.found = 1;
            a.anon = 1;
            a.by0 = b;
            a.by1 = k + 1;
            break;
        }
        if (mi >= 0 && k == c->m[mi].t1 - 1) {
            const mention *m = &c->m[mi];
            if (m->in_pp && !m->source_only) {
                k = m->t0;
                continue;
            }
            a.found = 1;
            a.by0 = m->t0;
            a.by1 = m->t1;
            a.mention = mi;
            a.anon = 0; /* a named actor or an office ("the regional governor") */
            while (a.by0 > 0 && (tflags(c, s, a.by0 - 1) & SR_TOK_WORD) &&
                   !(tflags(c, s, a.by0 - 1) & SR_TOK_CAP) && !LEX(c->ti[a.by0 - 1], SR_LEX_DET) &&
                   !LEX(c->ti[a.by0 - 1], SR_LEX_PREP) && !LEX(c->ti[a.by0 - 1], SR_LEX_COMPLEMENT) &&
                   !LEX(c->ti[a.by0 - 1], SR_LEX_REPORT) && c->ti[a.by0 - 1].mention < 0 && m->unresolved)
                a.by0--; /* "regional governor" */
            break;
        }
    }
    a.verb = r;
    a.assess = LEX(c->ti[r], SR_LEX_ASSESS);
    return a;
}

/* The reporting frame that covers token v: the closest reporting or
 * assessing word before v with an attributor, or "according to X". */
static attribution find_attribution(const coder *c, const sr_sentence *s, uint32_t v)
{
    attribution best = {.mention = -1};
    for (uint32_t r = 0; r < v; r++) {
        if (!(LEX(c->ti[r], SR_LEX_REPORT) || LEX(c->ti[r], SR_LEX_ASSESS)))
            continue;
        attribution a = attributor_before(c, s, r);
        if (a.found)
            best = a;
    }
    if (best.found)
        return best;
    /* "according to X" anywhere in the sentence */
    for (uint32_t r = 0; r + 2 < s->ntok; r++) {
        if (!LEX(c->ti[r], SR_LEX_ACCORDING))
            continue;
        uint32_t b = r + 1;
        if (tok_is(c, s, b, "to"))
            b++;
        while (b < s->ntok && LEX(c->ti[b], SR_LEX_DET))
            b++;
        uint32_t e = b;
        int anon = 0, mi = -1;
        while (e < s->ntok && e < b + 8 && !(tflags(c, s, e) & SR_TOK_PUNCT) &&
               !LEX(c->ti[e], SR_LEX_COMPLEMENT)) {
            if (LEX(c->ti[e], SR_LEX_ANON))
                anon = 1;
            if (c->ti[e].mention >= 0 && mi < 0)
                mi = c->ti[e].mention;
            e++;
        }
        if (e > b) {
            best = (attribution){.found = 1, .by0 = b, .by1 = e, .verb = r, .anon = anon && mi < 0,
                                 .mention = mi};
            return best;
        }
    }
    /* "..., X said." or "..., X reported, citing ..." after the event */
    for (uint32_t r = v + 1; r < s->ntok; r++) {
        if (!LEX(c->ti[r], SR_LEX_REPORT))
            continue;
        attribution a = attributor_before(c, s, r);
        if (a.found && a.by0 > v + 1 && (r + 2 >= s->ntok || tok_is(c, s, a.by0 - 1, ",")))
            return a;
    }
    return best;
}

/* "Reuters reported, citing two sources familiar with the matter": a
 * named reporter relaying unnamed sources is an anonymous attribution. */
static int cites_anonymous(const coder *c, const sr_sentence *s, uint32_t r)
{
    uint32_t t = r + 1;
    if (t < s->ntok && tok_is(c, s, t, ","))
        t++;
    if (t >= s->ntok || !(tok_is(c, s, t, "citing") || tok_is(c, s, t, "quoting")))
        return 0;
    for (uint32_t k = t + 1; k < s->ntok && k < t + 7; k++) {
        if (is_boundary(c, s, k) || c->ti[k].mention >= 0)
            return 0;
        if (LEX(c->ti[k], SR_LEX_ANON))
            return 1;
    }
    return 0;
}

/* ---- events ---- */

static int group_size(const coder *c, int mi)
{
    int n = 0;
    for (int i = 0; i < c->nm; i++)
        n += c->m[i].group == c->m[mi].group && !c->m[i].unresolved && !c->m[i].source_only;
    return n;
}

static void add_why(sr_event *e, const coder *c, const sr_sentence *s, uint32_t t0, uint32_t t1,
                    const char *role, const char *file, long line, const char *entry)
{
    if (e->nwhy >= (int)SR_ARRAY_LEN(e->why) || t1 <= t0)
        return;
    const sr_token *a = &c->split.toks[s->tok0 + t0], *b = &c->split.toks[s->tok0 + t1 - 1];
    e->why[e->nwhy++] = (sr_why_tok){a->start, b->end, role, file, line, entry};
}

/* Expressed intent turns cooperation into CAMEO 03x ("ready to negotiate"). */
static const char *intent_code(const char *root)
{
    static const struct {
        const char *root, *code;
    } map[] = {{"04", "036"}, {"05", "032"}, {"06", "031"}, {"07", "033"}, {"08", "035"}, {"09", "030"}};
    for (size_t i = 0; i < SR_ARRAY_LEN(map); i++)
        if (sr_streq(root, map[i].root))
            return map[i].code;
    return NULL;
}

/* One event per verb match, source, target: "Lavrov and Naryshkin insist"
 * is one RUS event; two verbs are two events even with the same keys. */
static int same_event(const sr_event *a, const sr_event *b)
{
    return a->why[0].start == b->why[0].start && sr_streq(a->code, b->code) &&
           sr_streq(a->src.country, b->src.country) && sr_streq(a->src.org, b->src.org) &&
           a->has_tgt == b->has_tgt &&
           sr_streq(a->tgt.country, b->tgt.country) && sr_streq(a->tgt.org, b->tgt.org) &&
           a->negated == b->negated && a->sent == b->sent;
}

static void emit(sr_events *out, const sr_event *e, size_t first_of_sentence)
{
    for (size_t i = first_of_sentence; i < out->n; i++)
        if (same_event(&out->ev[i], e))
            return;
    SR_GROW(out->ev, out->cap, out->n + 1);
    out->ev[out->n++] = *e;
}

/* The event's date: an expression in the sentence nearest the verb, else
 * the document's date (precision "document") unless that date is only
 * inferred from the text; an expression the gold leaves undated
 * ("overnight on April 2 to 3") gives none. */
static void set_date(coder *c, const sr_sentence *s, uint32_t v, sr_event *e)
{
    sr_date_match dm;
    memset(&dm, 0, sizeof dm);
    int prec = SR_DATE_NONE;
    sr_ymd date = 0;
    /* a sentence is scanned once for all its verbs (the cache keeps its
     * expressions); one without any is not asked again */
    if (c->sent_dates < 0)
        sr_date_cache_reset(c->dates, c->text, c->split.toks + s->tok0, s->ntok);
    if (c->sent_dates != 0 &&
        sr_date_find_cached(c->dates, v, c->docdate, c->docdate_source, &dm)) {
        date = dm.date;
        prec = dm.precision;
        if (e->nwhy < (int)SR_ARRAY_LEN(e->why) && dm.tok1 > dm.tok0)
            e->why[e->nwhy++] = (sr_why_tok){c->split.toks[s->tok0 + dm.tok0].start,
                                             c->split.toks[s->tok0 + dm.tok1 - 1].end, "date",
                                             NULL, 0, NULL};
    } else if (dm.tok1 <= dm.tok0 && c->docdate && c->docdate_source != SR_DOCDATE_INFERRED) {
        date = c->docdate;
        prec = SR_DATE_DOCUMENT;
    }
    if (c->sent_dates < 0)
        c->sent_dates = date && prec != SR_DATE_DOCUMENT ? 1 : dm.tok1 > dm.tok0;
    if (date) {
        sr_ymd_format(date, e->date);
        e->date_precision = sr_date_precision_name(prec);
    }
}

/* ---- places ---- */

static void count_focus(coder *c)
{
    for (int i = 0; i < c->nm; i++) {
        const char *cc = c->m[i].ref.country;
        if (!cc[0] || c->m[i].source_only)
            continue;
        int k = 0;
        while (k < c->nfocus && !sr_streq(c->focus[k].country, cc))
            k++;
        if (k == c->nfocus) {
            if (c->nfocus == (int)SR_ARRAY_LEN(c->focus))
                continue;
            memcpy(c->focus[c->nfocus++].country, cc, 4);
        }
        c->focus[k].count++;
    }
}

static void add_prefer(const char **prefer, size_t *n, size_t max, const char *cc)
{
    if (!cc || !cc[0] || *n >= max)
        return;
    for (size_t i = 0; i < *n; i++)
        if (sr_streq(prefer[i], cc))
            return;
    prefer[(*n)++] = cc;
}

/* No ";", ":", "." or parenthesis between tokens a and b (commas are fine:
 * "advanced in Kursk and Belgorod and near Lyman, Toretsk, ..."). */
static int same_clause(const coder *c, const sr_sentence *s, uint32_t a, uint32_t b)
{
    for (uint32_t t = a; t < b; t++)
        if (is_boundary(c, s, t))
            return 0;
    return 1;
}

/* One event per place (GUIDELINES): the places of the sentence are matched
 * in the gazetteer, each given to the verb before it in its clause (else the
 * verb after it), and that verb's events are repeated once per place. A
 * fighting event whose target was only the default gets the attacked
 * place's country when it differs from the attacker's. */
static void place_events(coder *c, const sr_sentence *s, sr_events *out, size_t first)
{
    const sr_gazetteer *g = c->d->geo;
    if (!g || out->n == first)
        return;
    uint32_t n = s->ntok;
    if (n > 512)
        n = 512;
    uint8_t skip[512];
    int candidates = 0; /* a place name is a capitalised word that is no actor */
    for (uint32_t k = 0; k < n; k++) {
        skip[k] = c->ti[k].mention >= 0;
        candidates |= !skip[k] && (tflags(c, s, k) & SR_TOK_CAP);
    }
    if (!candidates)
        return;
    /* a short list: the gazetteer expands each country to its theatre */
    enum { MAX_PREFER = 8 };
    const char *prefer[MAX_PREFER];
    size_t np = 0;
    char adv[8][4];
    int nadv = 0;
    for (size_t i = first; i < out->n; i++) {
        add_prefer(prefer, &np, MAX_PREFER, out->ev[i].src.country);
        add_prefer(prefer, &np, MAX_PREFER, out->ev[i].tgt.country);
        if (nadv < 8 && sr_dict_adversary(c->d, out->ev[i].src.country, adv[nadv]))
            add_prefer(prefer, &np, MAX_PREFER, adv[nadv++]);
    }
    /* then the document's focus, most mentioned first */
    int order[SR_ARRAY_LEN(c->focus)];
    for (int k = 0; k < c->nfocus; k++) {
        int j = k;
        while (j > 0 && c->focus[order[j - 1]].count < c->focus[k].count) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    for (int k = 0; k < c->nfocus; k++)
        add_prefer(prefer, &np, MAX_PREFER, c->focus[order[k]].country);
    sr_place pl[16];
    size_t npl = sr_geo_match(g, c->text, c->split.toks + s->tok0, n, skip, prefer, np, pl, 16);
    if (!npl)
        return;
    /* each place's verb: the nearest event anchor before it in its clause */
    uint32_t owner[16];
    for (size_t i = 0; i < npl; i++) {
        owner[i] = UINT32_MAX;
        for (size_t k = first; k < out->n; k++) {
            uint32_t v = out->ev[k].vtok;
            if (v <= pl[i].tok0 && same_clause(c, s, v, pl[i].tok0) &&
                (owner[i] == UINT32_MAX || v > owner[i]))
                owner[i] = v;
        }
        if (owner[i] != UINT32_MAX)
            continue;
        for (size_t k = first; k < out->n; k++) { /* "In Kharkiv, drones struck ..." */
            uint32_t v = out->ev[k].vtok;
            if (v >= pl[i].tok1 && same_clause(c, s, pl[i].tok1, v) && v < owner[i])
                owner[i] = v;
        }
    }
    size_t nold = out->n - first;
    sr_event *old = sr_xmalloc(nold * sizeof *old);
    memcpy(old, out->ev + first, nold * sizeof *old);
    out->n = first;
    for (size_t k = 0; k < nold; k++) {
        sr_event e = old[k];
        int placed = 0;
        for (size_t i = 0; i < npl; i++) {
            if (owner[i] != e.vtok)
                continue;
            sr_event f = e;
            f.loc = pl[i];
            f.has_loc = 1;
            if (f.src_by_place) {
                if (!pl[i].country[0])
                    continue;
                const sr_actor_entry *agent = f.src.entry[0];
                memcpy(f.src.country, pl[i].country, 4);
                join_code(f.src.code, sizeof f.src.code, pl[i].country, agent->agent);
                f.src_by_place = 0;
            }
            if (f.tgt_default && strcmp(f.code, "15") >= 0 && pl[i].country[0] &&
                !sr_streq(pl[i].country, f.src.country)) {
                memset(&f.tgt, 0, sizeof f.tgt);
                memcpy(f.tgt.country, pl[i].country, 4);
                memcpy(f.tgt.code, pl[i].country, 4);
                f.has_tgt = 1;
            }
            if (f.nwhy < (int)SR_ARRAY_LEN(f.why) && pl[i].tok1 > pl[i].tok0)
                f.why[f.nwhy++] = (sr_why_tok){c->split.toks[s->tok0 + pl[i].tok0].start,
                                               c->split.toks[s->tok0 + pl[i].tok1 - 1].end,
                                               "place", NULL, 0, NULL};
            SR_GROW(out->ev, out->cap, out->n + 1);
            out->ev[out->n++] = f;
            placed = 1;
        }
        if (!placed) {
            SR_GROW(out->ev, out->cap, out->n + 1);
            out->ev[out->n++] = e;
        }
    }
    free(old);
}

static void code_sentence(coder *c, const sr_sentence *s, uint32_t si, sr_events *out)
{
    SR_GROW(c->ti, c->capti, s->ntok + 1);
    SR_GROW(c->words, c->capwords, s->ntok + 1);
    c->sent_dates = -1;
    lookup_tokens(c, s);
    memset(c->sig, 0, sizeof c->sig);
    for (uint32_t k = 0; k < s->ntok; k++) {
        const tinfo *ti = &c->ti[k];
        c->words[k] = ti->word;
        sig_add(c->sig, ti->word);
        sig_add(c->sig, ti->lemma[0]);
        sig_add(c->sig, ti->lemma[1]);
    }
    find_mentions(c, s);

    uint64_t issues = 0;
    {
        const uint32_t *words = c->words;
        uint32_t n = s->ntok;
        for (uint32_t k = 0; k < n; k++) {
            if (!(c->ti[k].starts & STARTS_ISSUE))
                continue;
            const sr_phrase *ph[4];
            size_t m = sr_phrase_match(c->d->issue_ix, words, n, k, NULL, NULL, ph, 4);
            for (size_t i = 0; i < m; i++)
                if (ph[i]->value < 64)
                    issues |= 1ull << ph[i]->value;
        }
    }

    size_t first = out->n;
    int first_src_set = 0;
    int last_subj = -1;      /* the subject of the sentence's previous event */
    uint32_t last_v = 0;     /* and its verb */
    /* the words after an appeal, a demand or a proposal ("demanded that any
     * ceasefire include a halt to Western aid") say what is wanted, not what
     * happened: events there are hypothetical, until the clause ends */
    uint32_t wish_from = UINT32_MAX;
    for (uint32_t k = 0; k < s->ntok;) {
        /* inside an actor only its agent words may anchor a pattern:
         * "Russian missile strikes" (agent "missile"), never "Kremlin" */
        int inside = c->ti[k].mention;
        if ((inside >= 0 && c->m[inside].t0 == k && !c->m[inside].unresolved) ||
            !(c->ti[k].starts & STARTS_PATTERN)) {
            k++;
            continue;
        }
        pmatch pm = {.end = 0, .target = -1, .source = -1};
        const sr_pattern *p = best_pattern(c, s, k, &pm);
        if (!p) {
            k++;
            continue;
        }
        uint32_t v = k;
        k = pm.end > k ? pm.end : k + 1;
        for (uint32_t t = v; t < k; t++)
            c->ti[t].used = 1;

        /* source */
        int pron = 0, src = pm.source, tgt = pm.target;
        int passive = 0;
        if (src < 0 && v > 0) {
            /* passive: "[was] struck by Russian drones" */
            uint32_t b = v;
            while (b > 0 && (tok_is(c, s, b - 1, "also") || tok_is(c, s, b - 1, "reportedly")))
                b--;
            if (b > 0 && LEX(c->ti[b - 1], SR_LEX_BE) && is_participle(c, s, v)) {
                passive = 1;
                for (uint32_t t = pm.end; t < s->ntok && t < pm.end + 3; t++)
                    if (tok_is(c, s, t, "by") && t + 1 < s->ntok) {
                        int mi = slot_mention_by(c, s, t + 1, 1);
                        if (mi >= 0)
                            src = mi;
                        break;
                    }
            }
        }
        int subj = find_subject(c, s, v, &pron);
        if (inside >= 0 && !c->m[inside].unresolved && c->m[inside].t0 < v)
            subj = inside; /* "Russian missile strikes": the nationality acts */
        if (subj < 0 && !pron)
            subj = preposed_subject(c, s, pm.end);
        if (subj < 0 && !pron && last_subj >= 0 && !passive)
            subj = last_subj; /* "X have conducted A, have opened B and ... strikes" */
        if (last_subj >= 0 && !passive && pm.source < 0 && no_clause_between(c, s, last_v, v) &&
            (coordinated_predicate(c, s, v) ||
             (v > 0 && tok_is(c, s, v - 1, ",") && is_gerund(c, s, v))))
            subj = last_subj; /* "Zelensky accused Russia ... and called for": not Russia;
                                 "..., killing five people": the strike's actor */
        attribution at = find_attribution(c, s, v);
        if (at.found && !at.anon)
            at.anon = cites_anonymous(c, s, at.verb);
        const char *root = p->cameo->root;
        int hostile = strcmp(root, "15") >= 0;
        /* fighting, offers to negotiate or settle, and concessions are
         * aimed at the adversary when the sentence names nobody */
        int default_adversary = hostile || sr_streq(root, "03") || sr_streq(root, "08");
        if (passive && (src >= 0 || hostile)) {
            if (tgt < 0)
                tgt = subj;
        } else if (src < 0) {
            src = subj;
        }
        /* "Putin signaled ... that he may be willing": the pronoun of a
         * reported clause is its speaker */
        if (src < 0 && pron && at.found && at.mention >= 0 && at.verb < v &&
            !c->m[at.mention].source_only && !c->m[at.mention].unresolved) {
            src = at.mention;
            pron = 0;
        }
        sr_actor_ref sref;
        memset(&sref, 0, sizeof sref);
        int have_src = 0;
        if (src >= 0 && !c->m[src].unresolved) {
            have_src = 1;
            last_subj = src; /* the actor, also of a passive ("struck by X, killing ...") */
            last_v = v;
        } else if (src < 0 && pron && c->has_prev && !passive) {
            sref = c->prev;
            uint32_t t = v;
            while (t > 0 && !LEX(c->ti[t - 1], SR_LEX_PRONOUN))
                t--;
            if (t > 0) {
                sref.start = c->split.toks[s->tok0 + t - 1].start;
                sref.end = c->split.toks[s->tok0 + t - 1].end;
            }
            have_src = 2;
        }
        else if (src >= 0 && c->m[src].unresolved && sr_streq(p->cameo->root, "14") &&
                 c->m[src].ref.entry[0] && c->m[src].ref.entry[0]->agent[0])
            have_src = 3; /* "protesters rallied in Belgrade": they are where they
                             protest, so the place names their country (place_events) */
        if (!have_src)
            continue;

        /* "Tshisekedi and Kagame met in Doha": the partners are each other */
        int paired = (p->flags & SR_PATF_JOINT) && src >= 0 && group_size(c, src) > 1;
        if (tgt < 0 && !(p->flags & SR_PATF_NOTARGET) && !paired) {
            /* "X signaled to US officials that X is willing to ...": the
             * addressee of the speaker's own offer is its target */
            int rec = at.found && at.mention >= 0 && src >= 0 &&
                              c->m[at.mention].group == c->m[src].group
                          ? recipient(c, s, at.verb)
                          : -1;
            if (rec >= 0)
                tgt = rec;
            else if ((tgt = mention_in_span(c, v + 1, pm.end, src)) >= 0)
                ; /* "attacked Congolese troops" inside the pattern's own words */
            else if (!LEX(c->ti[pm.end - 1], SR_LEX_COMPLEMENT)) /* "insist that X ...": X is no target */
                tgt = find_target(c, s, pm.end, src);
        }

        /* modality, negation, attribution */
        uint32_t from = src >= 0 && c->m[src].t1 <= v ? c->m[src].t1 : 0;
        verbgroup g = read_verb_group(c, s, from, v, p);
        if (wish_from != UINT32_MAX && v >= wish_from) {
            for (uint32_t t = wish_from; t < v; t++)
                if ((is_boundary(c, s, t) && !is_dash(c, s, t)) || LEX(c->ti[t], SR_LEX_CONTRAST))
                    wish_from = UINT32_MAX;
            if (wish_from != UINT32_MAX) {
                g.modality = SR_MOD_HYPOTHETICAL;
                g.mod_tok = wish_from; /* the appeal's last word */
            }
        }
        if (sr_streq(p->cameo->root, "02") || sr_streq(p->cameo->root, "10") ||
            sr_streq(p->code, "037") || sr_streq(p->code, "036"))
            wish_from = pm.end;
        if (at.found && at.assess && g.modality < SR_MOD_ASSESSED)
            g.modality = SR_MOD_ASSESSED;
        if (g.modality == SR_MOD_ASSESSED && !(c->flags & SR_CODE_SPECULATION))
            continue; /* an analyst's judgement is not a fact (GUIDELINES) */

        sr_event e;
        memset(&e, 0, sizeof e);
        e.sent = si;
        e.vtok = v;
        e.sstart = s->start;
        e.send = s->end;
        e.pat = p;
        e.cameo = p->cameo;
        memcpy(e.code, p->code, sizeof e.code);
        e.negated = g.negated;
        e.modality = g.modality;
        if (sr_streq(root, "03") && e.modality < SR_MOD_INTENDED)
            e.modality = SR_MOD_INTENDED; /* CAMEO 03 is itself an expressed intent */
        if (g.modality == SR_MOD_INTENDED) {
            const char *ic = intent_code(root);
            if (ic) {
                memcpy(e.code, ic, strlen(ic) + 1);
                e.cameo = sr_dict_cameo(c->d, ic);
            } else if (hostile) {
                continue; /* plans to attack are not attacks (GUIDELINES: speculation) */
            }
        }
        if (at.found) {
            e.has_attr = 1;
            e.attr_start = c->split.toks[s->tok0 + at.by0].start;
            e.attr_end = c->split.toks[s->tok0 + at.by1 - 1].end;
            e.attr_anon = at.anon;
            e.attr_verb_start = c->split.toks[s->tok0 + at.verb].start;
            e.attr_verb_end = c->split.toks[s->tok0 + at.verb].end;
        }
        e.issues = issues;
        set_date(c, s, v, &e);
        add_why(&e, c, s, v, pm.end, "verb", p->file, p->line, p->text);
        if (g.neg_tok)
            add_why(&e, c, s, g.neg_tok - 1, g.neg_tok, "negation", NULL, 0, NULL);
        if (g.mod_tok)
            add_why(&e, c, s, g.mod_tok - 1, g.mod_tok, "modality", NULL, 0, NULL);
        if (at.found)
            add_why(&e, c, s, at.verb, at.verb + 1, "attribution", NULL, 0, NULL);

        /* one event per source x target of the coordinated groups */
        for (int si2 = 0; si2 < (have_src >= 2 ? 1 : c->nm); si2++) {
            if (have_src == 3) {
                e.src = c->m[src].ref;
                e.src_by_place = 1;
            } else if (have_src == 1) {
                if (c->m[si2].group != c->m[src].group || c->m[si2].unresolved ||
                    c->m[si2].source_only)
                    continue;
                e.src = c->m[si2].ref;
            } else {
                e.src = sref;
            }
            if (at.found && at.mention >= 0 && !at.anon) {
                const mention *am = &c->m[at.mention];
                int self = sr_streq(am->ref.country, e.src.country) && sr_streq(am->ref.org, e.src.org);
                if (!self && e.modality == SR_MOD_ASSERTED)
                    e.modality = SR_MOD_REPORTED;
            } else if (at.found && e.modality == SR_MOD_ASSERTED) {
                e.modality = SR_MOD_REPORTED;
            }
            int ntg = 0;
            for (int ti2 = 0; tgt >= 0 && ti2 < c->nm; ti2++) {
                if (c->m[ti2].group != c->m[tgt].group || c->m[ti2].unresolved ||
                    c->m[ti2].source_only)
                    continue;
                if (sr_streq(c->m[ti2].ref.code, e.src.code))
                    continue;
                sr_event f = e;
                f.tgt = c->m[ti2].ref;
                f.has_tgt = 1;
                emit(out, &f, first);
                ntg++;
                if (p->flags & SR_PATF_JOINT) {
                    sr_event r = f;
                    r.src = f.tgt;
                    r.tgt = f.src;
                    emit(out, &r, first);
                }
            }
            int joint_pairs = (p->flags & SR_PATF_JOINT) && tgt < 0 && have_src == 1 &&
                              group_size(c, src) > 1;
            if (!ntg && !joint_pairs) {
                sr_event f = e;
                f.tgt_default = default_adversary;
                char adv[4];
                if (default_adversary && f.src.country[0] && sr_dict_adversary(c->d, f.src.country, adv)) {
                    memcpy(f.tgt.country, adv, 4);
                    memcpy(f.tgt.code, adv, 4);
                    f.has_tgt = 1;
                }
                emit(out, &f, first);
            }
            /* joint verbs with a coordinated subject and no object: both ways */
            if ((p->flags & SR_PATF_JOINT) && tgt < 0 && have_src == 1) {
                for (int o = 0; o < c->nm; o++) {
                    if (o == si2 || c->m[o].group != c->m[src].group || c->m[o].unresolved ||
                        c->m[o].source_only || sr_streq(c->m[o].ref.code, e.src.code))
                        continue;
                    sr_event f = e;
                    f.tgt = c->m[o].ref;
                    f.has_tgt = 1;
                    emit(out, &f, first);
                }
            }
            if (!first_src_set && have_src != 3) {
                c->prev = e.src;
                first_src_set = 1;
            }
        }
    }
    place_events(c, s, out, first);
    /* a source the place was to give, with no place: no event */
    size_t w = first;
    for (size_t i = first; i < out->n; i++)
        if (!out->ev[i].src_by_place)
            out->ev[w++] = out->ev[i];
    out->n = w;
    count_focus(c);
    if (first_src_set) {
        c->has_prev = 1;
    } else {
        /* no event: the sentence's first plain actor is the antecedent of a
         * following "he" ("Putin arrived in Minsk. He rejected ...") */
        c->has_prev = 0;
        for (int i = 0; i < c->nm; i++) {
            const mention *m = &c->m[i];
            if (!m->in_pp && !m->modifier && !m->source_only && !m->unresolved) {
                c->prev = m->ref;
                c->has_prev = 1;
                break;
            }
        }
    }
}


int sr_code_doc(const sr_dict *dict, const sr_doc *doc, unsigned flags, sr_events **out,
                sr_err *err)
{
    coder c;
    memset(&c, 0, offsetof(coder, m));
    c.d = dict;
    c.doc = doc;
    c.text = doc->text;
    c.flags = flags;
    c.tc = thread_cache(dict);
    c.dates = sr_date_cache_new();
    sr_text_split(doc->text, doc->len, &c.split);
    c.docdate = sr_date_of_document_split(doc->published, doc->text, doc->len, &c.split,
                                          &c.docdate_source);

    sr_events *ev = sr_xcalloc(1, sizeof *ev);
    ev->dict = dict;
    ev->doc_id = doc->id;
    ev->text = doc->text;
    ev->len = doc->len;
    ev->nsents = c.split.nsents;
    ev->docdate_source = c.docdate_source ? sr_docdate_source_name(c.docdate_source) : NULL;
    for (size_t i = 0; i < c.split.nsents; i++)
        code_sentence(&c, &c.split.sents[i], (uint32_t)i, ev);

    sr_split_free(&c.split);
    sr_date_cache_free(c.dates);
    free(c.ti);
    free(c.words);
    *out = ev;
    (void)err;
    return SR_OK;
}

size_t sr_events_count(const sr_events *ev) { return ev ? ev->n : 0; }
size_t sr_events_sentence_count(const sr_events *ev) { return ev ? ev->nsents : 0; }

void sr_events_free(sr_events *ev)
{
    if (!ev)
        return;
    free(ev->ev);
    free(ev);
}
