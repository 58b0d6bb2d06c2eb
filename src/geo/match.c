/* match.c — place names in tokenized sentences (sr_geo_match) and free-text
 * candidate lookup (sr_geo_lookup), over the index gazetteer.c serves.
 *
 * Matching runs in three passes over the sentence:
 *  1. spans: at each capitalised word not marked skip, the longest run of
 *     words (joined by spaces, glued hyphens or apostrophes) whose folded
 *     form is a key of the index, subject to the accident filters below;
 *     then the words around it: a relative phrase before ("near", "10 km
 *     east of", "outskirts of"), a suffix after ("Oblast", "regions",
 *     "district", "direction"), and whether only list separators (",",
 *     "and", "or") stand between it and the previous span;
 *  2. lists: a relative phrase carries forward through its list ("near
 *     Lyman, Toretsk and Kurakhove"), a plural suffix carries backward
 *     ("Kursk and Belgorod regions");
 *  3. each span takes its best-scoring candidate (see score()).
 * Accident filters: stop words and phrases (dict/place_stopwords.txt,
 * compiled into the index); a title before the name ("President"); a
 * capitalised neighbour that makes it part of a person's or organisation's
 * name ("Vladimir Putin", "Washington Post", "New York Times"); a capital
 * that only starts the sentence; a river, sea or strait named like a town
 * ("the Dnipro River", "the Sea of Azov"); small places (population < 1000)
 * neither curated nor in a preferred country; one-word alternate names
 * (not a place's own name) abroad ("Africa" is an alternate of Mahdia);
 * keys of two letters unless curated ("In"). Curated places, countries,
 * subdivisions and national capitals ("strong" candidates) pass the
 * neighbour and sentence-start tests.
 */
#include "geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8      /* words in one place name */
#define MAX_PREFER 16    /* preferred countries, theatre partners included */
#define NO_RANK (-1)

/* ---- preferred countries ---- */

/* Countries are compared as words: prefs_rank runs for every candidate
 * place and prefs_init once per coded sentence. */
typedef struct prefs {
    char cc[MAX_PREFER][4];  /* ISO alpha-3, most relevant first */
    uint32_t w[MAX_PREFER];  /* the same as cc_word()s */
    size_t n;
} prefs;

/* The first three bytes of cc and a NUL as one word (cc needs no NUL). */
static uint32_t cc_word(const char *cc)
{
    char b[4] = {cc[0], cc[1], cc[2], 0};
    uint32_t w;
    memcpy(&w, b, 4);
    return w;
}

static int valid_cc(const char *s)
{
    for (int k = 0; k < 3; k++)
        if (s[k] < 'A' || s[k] > 'Z')
            return 0;
    return 1;
}

static int prefs_rank_w(const prefs *p, uint32_t w)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->w[i] == w)
            return (int)i;
    return NO_RANK;
}

static int prefs_rank(const prefs *p, const char cc[3]) { return prefs_rank_w(p, cc_word(cc)); }

static void prefs_add(prefs *p, const char *cc)
{
    if (p->n < MAX_PREFER && valid_cc(cc) && prefs_rank(p, cc) == NO_RANK) {
        memcpy(p->cc[p->n], cc, 3);
        p->cc[p->n][3] = '\0';
        p->w[p->n] = cc_word(cc);
        p->n++;
    }
}

/* The explicit countries of a prefs as a little hash set, so that each
 * theatre code costs one probe (prefs_init runs once per coded sentence,
 * against every code of every theatre). Slot: 1 + index in p->cc, 0 empty. */
typedef struct ccset {
    uint8_t slot[64];
} ccset;

static unsigned cc_hash(uint32_t w) { return (w * 2654435761u) >> 26; } /* 6 bits */

static void ccset_init(ccset *h, const prefs *p, size_t nexplicit)
{
    memset(h->slot, 0, sizeof h->slot);
    for (size_t i = 0; i < nexplicit; i++) {
        unsigned j = cc_hash(p->w[i]);
        while (h->slot[j])
            j = (j + 1) & 63;
        h->slot[j] = (uint8_t)(i + 1);
    }
}

/* Bit i set when theatre t holds p->cc[i], for i < nexplicit (<= 16). */
static uint32_t theatre_mask(const sr_geo_theatre *t, const prefs *p, const ccset *h)
{
    uint32_t m = 0;
    for (int k = 0; k < 8; k++) {
        uint32_t have;
        memcpy(&have, t->codes[k], 4); /* NUL-terminated in the index */
        if (!have)
            continue;
        for (unsigned j = cc_hash(have); h->slot[j]; j = (j + 1) & 63)
            if (p->w[h->slot[j] - 1] == have)
                m |= 1u << (h->slot[j] - 1);
    }
    return m;
}

/* The caller's countries in order (only the first three letters count, so
 * CAMEO actor codes such as "UKRMIL" work), then the theatre partners of
 * each (dict/places.txt "@theatre" lines: RUS brings UKR, ISR brings PSE). */
static void prefs_init(prefs *p, const sr_gazetteer *g, const char *const *prefer, size_t n)
{
    p->n = 0;
    for (size_t i = 0; i < n && prefer; i++)
        if (prefer[i] && prefer[i][0] && prefer[i][1] && prefer[i][2]) /* 3 letters or more */
            prefs_add(p, prefer[i]);
    size_t nexplicit = p->n, nth;
    if (!nexplicit)
        return;
    const sr_geo_theatre *th = sr_geo_theatres(g, &nth);
    ccset h;
    ccset_init(&h, p, nexplicit);
    /* which explicit countries each theatre holds (bit i: p->cc[i]); the
     * partners are then added per explicit country, theatres in order */
    uint32_t member[64], any = 0;
    for (size_t t = 0; t < nth && t < SR_ARRAY_LEN(member); t++)
        any |= member[t] = theatre_mask(&th[t], p, &h);
    if (nth > SR_ARRAY_LEN(member))
        any = 1;
    for (size_t i = 0; any && i < nexplicit; i++)
        for (size_t t = 0; t < nth; t++) {
            uint32_t m = t < SR_ARRAY_LEN(member) ? member[t] : theatre_mask(&th[t], p, &h);
            for (int k = 0; (m >> i & 1u) && k < 8; k++)
                if (th[t].codes[k][0])
                    prefs_add(p, th[t].codes[k]);
        }
}

/* The preferences of one sr_geo_match call, made when first needed: most
 * sentences name nothing the index knows, and need none. */
typedef struct lazyprefs {
    prefs p;
    int ready;
    const sr_gazetteer *g;
    const char *const *prefer;
    size_t n;
} lazyprefs;

static const prefs *get_prefs(lazyprefs *lp)
{
    if (!lp->ready) {
        prefs_init(&lp->p, lp->g, lp->prefer, lp->n);
        lp->ready = 1;
    }
    return &lp->p;
}

/* ---- scoring ---- */

/* Higher is better. The terms, roughly in order of weight: a preferred
 * country (4, less 0.3 per rank), what the place is (country 4, capital
 * 1.5, subdivision seat 1, district seat 0.4, named region 0.5; with admin
 * set, "Kursk region", a subdivision gains 6, a region 3 and a seat 4), a
 * name curated in dict/places.txt (2), the place's own name rather than an
 * alternate (1), and half the decimal log of the population. A subdivision
 * named like its seat city ("Idlib") thus loses to the city unless the
 * words around ask for the subdivision: its summed population outweighs the
 * city's by less than the seat's and own-name terms. */
static double score(const sr_geo_rec *r, unsigned keyflags, const prefs *p, int admin)
{
    double s = 0.0;
    int rank = prefs_rank(p, r->country);
    if (rank != NO_RANK)
        s += 4.0 - 0.3 * (rank < 5 ? rank : 5);
    switch (r->kind) {
    case SR_GEO_COUNTRY: s += 4.0; break;
    case SR_GEO_ADMIN1: s += admin ? 6.0 : 0.0; break;
    case SR_GEO_REGION: s += admin ? 3.0 : 0.5; break;
    default:
        if (r->flags & SR_GEO_CAPITAL)
            s += 1.5;
        else if (r->flags & SR_GEO_SEAT)
            s += 1.0;
        else if (strncmp(r->fcode, "PPLA2", 5) == 0)
            s += 0.4;
        if (admin && (r->flags & (SR_GEO_CAPITAL | SR_GEO_SEAT)))
            s += 4.0;
        break;
    }
    if (keyflags & SR_GEO_KEY_CURATED)
        s += 2.0;
    if (keyflags & (SR_GEO_KEY_PRIMARY | SR_GEO_KEY_CURATED))
        s += 1.0;
    s += 0.5 * log10((double)r->population + 1.0);
    return s;
}

typedef struct pick {
    const sr_geo_rec *rec;
    unsigned keyflags;
    double score;
} pick;

static pick best_of(const sr_gazetteer *g, const sr_geo_key *run, size_t nrun, const prefs *p,
                    int admin, int curated_only)
{
    size_t np;
    const sr_geo_rec *places = sr_geo_places(g, &np);
    pick b = {NULL, 0, -1e9};
    for (size_t i = 0; i < nrun; i++) {
        unsigned kf = run[i].info >> 24;
        const sr_geo_rec *r = &places[run[i].info & 0xFFFFFFu];
        if (curated_only && !(kf & SR_GEO_KEY_CURATED))
            continue;
        double s = score(r, kf, p, admin);
        if (s > b.score) {
            b.rec = r;
            b.keyflags = kf;
            b.score = s;
        }
    }
    return b;
}

static int strong(const sr_geo_rec *r, unsigned keyflags)
{
    return (r->flags & (SR_GEO_CURATED | SR_GEO_CAPITAL)) || (keyflags & SR_GEO_KEY_CURATED) ||
           r->kind != SR_GEO_SETTLEMENT;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--; /* never cut a UTF-8 sequence */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

enum { WANT_NONE = 0, WANT_ADMIN = 1, WANT_NEAR = 2 };

/* Fills out from r; want is what the words around the name asked for. */
static void fill(const sr_gazetteer *g, const sr_geo_rec *r, int want, sr_place *out)
{
    memset(out, 0, sizeof *out);
    copy_str(out->name, sizeof out->name, sr_geo_str(g, r->name));
    out->lat = r->lat;
    out->lon = r->lon;
    memcpy(out->country, r->country, 3);
    out->country[3] = '\0';
    copy_str(out->admin1, sizeof out->admin1, sr_geo_str(g, r->admin1));
    out->geonames_id = (long)r->geonames_id;
    if (r->geonames_id == 0)
        copy_str(out->supplement_id, sizeof out->supplement_id, sr_geo_str(g, r->supp));
    out->population = (long)r->population;
    if (r->kind == SR_GEO_COUNTRY) {
        out->precision = SR_PLACE_COUNTRY;
    } else if (r->kind == SR_GEO_ADMIN1 || r->kind == SR_GEO_REGION) {
        out->precision = SR_PLACE_ADMIN1;
    } else if ((want & WANT_ADMIN) && (r->flags & (SR_GEO_SEAT | SR_GEO_CAPITAL))) {
        /* "Sumy region" read as the subdivision whose seat is Sumy */
        out->precision = SR_PLACE_ADMIN1;
        if (out->admin1[0])
            copy_str(out->name, sizeof out->name, out->admin1);
    } else if (want) {
        out->precision = SR_PLACE_NEAR;
    } else {
        out->precision = SR_PLACE_SETTLEMENT;
    }
}

/* ---- words around names ---- */

static const char *const NEAR_BEFORE[] = {"near", "outside", "around", "towards", "toward",
                                          "nearby", "approaching", "between", "beyond", NULL};
static const char *const OF_HEADS[] = {"outskirts", "suburbs", "vicinity", "environs", "edge",
                                       "outside", "direction", "area", "approaches", "west",
                                       "east", "north", "south", "northeast", "northwest",
                                       "southeast", "southwest", NULL};
static const char *const TO_HEADS[] = {"close", "closer", "next", "approaches", "adjacent", NULL};
static const char *const UNITS[] = {"km", "kilometres", "kilometers", "kilometre", "kilometer",
                                    "miles", "mile", "mi", "metres", "meters", "m", NULL};
static const char *const COMPASS2[] = {"east", "west", NULL};
static const char *const COMPASS1[] = {"north", "south", NULL};
static const char *const AFTER[] = {"direction", "axis", "sector", "front", "frontline",
                                    "outskirts", "area", "suburbs", "environs", NULL};
static const char *const ADMIN_ONE[] = {"oblast", "region", "province", "governorate", "krai",
                                        "kray", "state", NULL};
static const char *const ADMIN_MANY[] = {"oblasts", "regions", "provinces", "governorates",
                                         "states", NULL};
static const char *const AREA_SUFFIX[] = {"raion", "rayon", "district", "districts", "county",
                                          "municipality", "hromada", NULL};
static const char *const LIST_SEP[] = {",", "and", "or", "&", NULL};
/* "the Dnipro River", "the Sea of Azov": a water body or landform named
 * like a town is not the town. */
static const char *const FEATURE_AFTER[] = {"river", "sea", "lake", "gulf", "bay", "strait",
                                            "reservoir", "canal", "island", "islands",
                                            "peninsula", "mountains", "spit", "estuary",
                                            "lagoon", NULL};
static const char *const FEATURE_OF[] = {"sea", "gulf", "strait", "bay", "lake", "isle",
                                         "straits", NULL};
static const char *const OPENERS[] = {"\"", "(", "[", "'", "-", "--", "\xe2\x80\x94", ":", NULL};
/* Words that may stand capitalised before a place without making it part
 * of a name (headlines capitalise every word). */
static const char *const PREPS[] = {"in", "at", "near", "from", "to", "of", "outside", "around",
                                    "toward", "towards", "into", "across", "over", "inside", "by",
                                    "on", "and", "or", "for", "with", "between", "under",
                                    "beyond", "through", "after", "before", "via", "the",
                                    "northern", "southern", "eastern", "western", "central",
                                    "occupied", "liberated", "besieged", "embattled", NULL};

typedef struct sent {
    const char *text;
    const sr_token *toks;
    size_t ntok;
    const uint8_t *skip;
} sent;

static int tok_is(const sent *s, size_t i, const char *w)
{
    const sr_token *t = &s->toks[i];
    size_t n = t->end - t->start;
    if (strlen(w) != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (sr_lower((unsigned char)s->text[t->start + k]) != (unsigned char)w[k])
            return 0;
    return 1;
}

static int tok_in(const sent *s, size_t i, const char *const *list)
{
    for (; *list; list++)
        if (tok_is(s, i, *list))
            return 1;
    return 0;
}

static int is_word(const sent *s, size_t i) { return (s->toks[i].flags & SR_TOK_WORD) != 0; }
static int is_cap(const sent *s, size_t i)
{
    return (s->toks[i].flags & (SR_TOK_WORD | SR_TOK_CAP)) == (SR_TOK_WORD | SR_TOK_CAP);
}
static int glued(const sent *s, size_t i) { return (s->toks[i].flags & SR_TOK_GLUED) != 0; }
static int skipped(const sent *s, size_t i) { return s->skip && s->skip[i]; }

static int sentence_initial(const sent *s, size_t i)
{
    while (i > 0 && !is_word(s, i - 1) && tok_in(s, i - 1, OPENERS))
        i--;
    return i == 0;
}

static const char *const SETTLEMENT_WORDS[] = {"village", "town", "city", "settlement",
                                                "hamlet", "villages", "towns", "cities", NULL};

/* A relative phrase ending just before token i ("near", "10 km east of",
 * "on the outskirts of" -> from "outskirts", "near the village of");
 * returns its first token or i. */
static size_t near_before(const sent *s, size_t i)
{
    if (i == 0)
        return i;
    size_t p = i - 1;
    /* "near the village of X": look past "the village of" */
    if (p >= 2 && tok_is(s, p, "of") && tok_in(s, p - 1, SETTLEMENT_WORDS)) {
        size_t q = p - 1;
        if (tok_is(s, q - 1, "the"))
            q--;
        size_t t0 = near_before(s, q);
        return t0 < q ? t0 : i;
    }
    if (tok_in(s, p, NEAR_BEFORE))
        return p;
    if (p == 0)
        return i;
    size_t h = p - 1; /* the head word before of/from/to */
    size_t start;
    if (tok_is(s, p, "of") && tok_in(s, h, OF_HEADS)) {
        start = h;
        /* "north-east of": north, -, east */
        if (tok_in(s, h, COMPASS2) && h >= 2 && glued(s, h) && tok_is(s, h - 1, "-") &&
            tok_in(s, h - 2, COMPASS1))
            start = h - 2;
    } else if (tok_is(s, p, "to") && tok_in(s, h, TO_HEADS)) {
        start = h;
    } else if (tok_is(s, p, "from") && (tok_in(s, h, UNITS) || tok_is(s, h, "away"))) {
        start = h;
        if (tok_is(s, h, "away") && h > 0 && tok_in(s, h - 1, UNITS))
            start = h - 1;
    } else {
        return i;
    }
    /* "10 km east of": the distance belongs to the phrase */
    if (start > 0 && tok_in(s, start - 1, UNITS) && !tok_in(s, start, UNITS))
        start--;
    if (start > 0 && tok_in(s, start, UNITS) && (s->toks[start - 1].flags & SR_TOK_NUM))
        start--;
    return start;
}

/* The name ends that a span starting at word i may have, shortest first:
 * words joined by single spaces, or glued hyphens / apostrophes. */
static size_t span_ends(const sent *s, size_t i, size_t *ends, size_t cap)
{
    size_t n = 0, words = 1, j = i;
    ends[n++] = i + 1;
    while (n < cap && words < MAX_WORDS) {
        size_t k = j + 1;
        if (k >= s->ntok || skipped(s, k))
            break;
        if (glued(s, k) && (tok_is(s, k, "-") || tok_is(s, k, "'"))) {
            if (k + 1 < s->ntok && glued(s, k + 1) && is_word(s, k + 1) && !skipped(s, k + 1)) {
                j = k + 1;
                words++;
                ends[n++] = j + 1;
                continue;
            }
            if (tok_is(s, k, "'")) /* Elektrostal' */
                ends[n - 1] = k + 1;
            break;
        }
        if (!is_word(s, k) || glued(s, k))
            break;
        /* only plain spaces between the words */
        for (uint32_t b = s->toks[j].end; b < s->toks[k].start; b++)
            if (s->text[b] != ' ')
                return n;
        j = k;
        words++;
        ends[n++] = j + 1;
    }
    return n;
}

/* Folds tokens [a, e) into key (the tokenizer has split off any 's). */
static size_t span_key(const sent *s, size_t a, size_t e, char *key)
{
    uint32_t from = s->toks[a].start, to = s->toks[e - 1].end;
    return sr_geo_fold(s->text + from, to - from, key, SR_GEO_MAX_KEY);
}

static int is_upper_short(const sent *s, size_t i)
{
    const sr_token *t = &s->toks[i];
    return (t->flags & SR_TOK_UPPER) && t->end - t->start <= 4;
}

typedef struct span {
    uint32_t a, b;            /* name tokens [a, b) */
    uint32_t t0, t1;          /* phrase tokens [t0, t1) */
    const sr_geo_key *run;    /* the index keys equal to the name */
    size_t nrun;
    int curated_only;         /* short all-capitals word: curated names only */
    int want;                 /* WANT_* */
    int own_near;             /* a relative phrase before this very name */
    int plural;               /* "regions" after it */
    int linked;               /* joined to the previous span by list separators only */
} span;

/* Is the candidate named by tokens [i, e) an accident? one_word: a single
 * word; klen: the length of its key. */
static int accidental(const sent *s, size_t i, size_t e, int one_word, size_t klen,
                      const pick *b, const prefs *p)
{
    const sr_geo_rec *r = b->rec;
    int curated = (b->keyflags & SR_GEO_KEY_CURATED) != 0;
    int preferred = prefs_rank(p, r->country) != NO_RANK;
    if (r->kind == SR_GEO_SETTLEMENT && !curated && !preferred && r->population < 1000)
        return 1; /* small and far away: "Red Cross", North Carolina */
    if (one_word && !curated && klen <= 2)
        return 1; /* "In" (Smidovich), "Ob" */
    if (one_word && !curated && !(b->keyflags & SR_GEO_KEY_PRIMARY) && !preferred &&
        r->kind != SR_GEO_COUNTRY)
        return 1; /* an alternate name abroad: "Africa" (Mahdia), "Rotenberg" */
    if (strong(r, b->keyflags))
        return 0;
    if (one_word && sentence_initial(s, i) && !(preferred && r->population >= 1000) &&
        r->population < 100000)
        return 1;
    size_t k = e;
    if (k < s->ntok && is_cap(s, k) && !glued(s, k) && !tok_in(s, k, ADMIN_ONE) &&
        !tok_in(s, k, ADMIN_MANY) && !tok_in(s, k, AREA_SUFFIX) && !tok_in(s, k, AFTER) &&
        !tok_in(s, k, PREPS))
        return 1; /* "Vladimir Putin", "Washington Post", "New York Times" */
    if (i > 1 && is_cap(s, i - 1) && !tok_in(s, i - 1, PREPS) &&
        !tok_in(s, i - 1, NEAR_BEFORE))
        return 1; /* "Donald Trump" */
    return 0;
}

/* The word before i is a title ("President", "Gen."): the capitalised
 * words from i on are a person's name. */
static int after_title(const sr_gazetteer *g, const sent *s, size_t i)
{
    if (i == 0)
        return 0;
    size_t p = i - 1;
    if (tok_is(s, p, ".") && p > 0)
        p--;
    if (!is_word(s, p))
        return 0;
    char key[SR_GEO_MAX_KEY];
    const sr_token *t = &s->toks[p];
    if (!sr_geo_fold(s->text + t->start, t->end - t->start, key, sizeof key))
        return 0;
    return (sr_geo_stopword(g, key) & SR_GEO_KEY_TITLE) != 0;
}

/* The keys of all the spans [i, ends[k]) at once: sr_geo_fold works one
 * code point at a time and only ever holds back a separator, so the key of
 * a span is a prefix of the key of any longer span, and each word can be
 * folded once. Writes the key of the longest span that fits to key and
 * the length of each span's key to klen[k] (0: empty, or SR_GEO_MAX_KEY
 * bytes or more, as sr_geo_fold would say). Returns 0 when a word's fold
 * is ambiguous (empty or too long on its own): the caller then folds each
 * span with span_key. */
static int span_keys(const sent *s, size_t i, const size_t *ends, size_t nends, char *key,
                     size_t *klen)
{
    size_t o = 0, last = ends[nends - 1], k = 0;
    int sep = 0, full = 0;
    for (size_t t = i; t < last; t++) {
        const sr_token *tk = &s->toks[t];
        if (t > i && tk->start > s->toks[t - 1].end)
            sep = 1; /* the plain spaces between words */
        if (!is_word(s, t)) {
            /* the glued joiners span_ends allows: '-' separates, '\'' is dropped */
            if (tok_is(s, t, "-"))
                sep = 1;
            else if (!tok_is(s, t, "'"))
                return 0;
        } else if (!full) {
            char w[SR_GEO_MAX_KEY];
            size_t n = sr_geo_fold(s->text + tk->start, tk->end - tk->start, w, sizeof w);
            if (n == 0)
                return 0;
            size_t need = o + (size_t)(sep && o > 0) + n;
            if (need >= SR_GEO_MAX_KEY) {
                full = 1; /* this span and all longer ones: too long */
            } else {
                if (sep && o > 0)
                    key[o++] = ' ';
                memcpy(key + o, w, n);
                o += n;
                sep = 0;
            }
        }
        for (; k < nends && ends[k] == t + 1; k++)
            klen[k] = full ? 0 : o;
    }
    key[o] = '\0';
    return 1;
}

/* Finds the place name starting at word i, if any, into *sp. */
static int find_span(const sr_gazetteer *g, const sent *s, size_t i, lazyprefs *lp, span *sp)
{
    size_t ends[MAX_WORDS], klens[MAX_WORDS];
    size_t nends = span_ends(s, i, ends, MAX_WORDS);
    char key[SR_GEO_MAX_KEY];
    int prefixed = span_keys(s, i, ends, nends, key, klens);
    for (size_t k = nends; k-- > 0;) {
        size_t e = ends[k];
        int one_word = k == 0;
        size_t klen;
        if (prefixed) {
            klen = klens[k];
            key[klen] = '\0'; /* shorter spans come later: cutting is safe */
        } else {
            klen = span_key(s, i, e, key);
        }
#ifdef SR_GEO_CHECK_KEYS
        {
            char ref[SR_GEO_MAX_KEY];
            size_t rl = span_key(s, i, e, ref);
            if (rl != klen || (rl && strcmp(ref, key)))
                abort();
        }
#endif
        if (!klen)
            continue;
        /* the (cached) index lookup first: most spans name nothing, and
         * the stop words are a binary search */
        const sr_geo_key *run;
        size_t nrun = sr_geo_find(g, key, &run);
        if (nrun == 0 || (sr_geo_stopword(g, key) & SR_GEO_KEY_STOP))
            continue;
        int curated_only = one_word && is_upper_short(s, i);
        const prefs *p = get_prefs(lp);
        pick b = best_of(g, run, nrun, p, 0, curated_only);
        if (!b.rec)
            continue;
        size_t last = e - 1;
        while (last > i && !is_word(s, last))
            last--;
        if (!one_word && !is_cap(s, last) && !(b.keyflags & SR_GEO_KEY_CURATED))
            continue; /* "Kursk oblast" only where curated; else the suffix rule reads it */
        if (accidental(s, i, e, one_word, klen, &b, p))
            continue;
        if ((e < s->ntok && is_word(s, e) && tok_in(s, e, FEATURE_AFTER)) ||
            (i >= 2 && tok_is(s, i - 1, "of") && tok_in(s, i - 2, FEATURE_OF)))
            continue;
        memset(sp, 0, sizeof *sp);
        sp->a = sp->t0 = (uint32_t)i;
        sp->b = sp->t1 = (uint32_t)e;
        sp->run = run;
        sp->nrun = nrun;
        sp->curated_only = curated_only;
        return 1;
    }
    return 0;
}

/* A relative phrase before a list that leads to the name at a through
 * capitalised words the gazetteer may not know: "near Kotlyne, Udachne and
 * Shevchenko". At least one list separator must stand in between. */
static int list_marker(const sent *s, size_t a)
{
    size_t k = a;
    int seen_sep = 0;
    for (int steps = 0; k > 0 && steps < 24; steps++) {
        size_t p = k - 1;
        if (tok_in(s, p, LIST_SEP)) {
            seen_sep = 1;
        } else if (is_cap(s, p) || (tok_is(s, p, "-") && glued(s, p))) {
            if (seen_sep && is_cap(s, p) && near_before(s, p) < p)
                return 1;
        } else {
            return 0;
        }
        k = p;
    }
    return 0;
}

/* The words after and before the name: suffixes, relative phrases. */
static void surroundings(const sent *s, span *sp)
{
    size_t b = sp->b;
    if (b < s->ntok && !skipped(s, b) && is_word(s, b)) {
        if (tok_in(s, b, ADMIN_ONE)) {
            sp->want |= WANT_ADMIN;
            sp->t1 = (uint32_t)b + 1;
        } else if (tok_in(s, b, ADMIN_MANY)) {
            sp->want |= WANT_ADMIN;
            sp->plural = 1;
            sp->t1 = (uint32_t)b + 1;
        } else if (tok_in(s, b, AREA_SUFFIX) || tok_in(s, b, AFTER)) {
            sp->want |= WANT_NEAR;
            sp->t1 = (uint32_t)b + 1;
        }
    }
    size_t t0 = near_before(s, sp->a);
    if (t0 < sp->a) {
        sp->t0 = (uint32_t)t0;
        sp->own_near = 1;
        sp->want |= WANT_NEAR;
    } else if (list_marker(s, sp->a)) {
        sp->own_near = 1;
        sp->want |= WANT_NEAR;
    }
}

/* Only list separators between the previous span and this one. */
static int list_linked(const sent *s, const span *prev, const span *cur)
{
    if (prev->t1 >= cur->t0)
        return 0;
    for (size_t k = prev->t1; k < cur->t0; k++)
        if (!tok_in(s, k, LIST_SEP))
            return 0;
    return 1;
}

size_t sr_geo_match(const sr_gazetteer *g, const char *text, const sr_token *toks, size_t ntok,
                    const uint8_t *skip, const char *const *prefer, size_t nprefer,
                    sr_place *out, size_t max)
{
    if (!g || !text || !toks || ntok == 0 || max == 0)
        return 0;
    sent s = {text, toks, ntok, skip};
    lazyprefs lp = {.g = g, .prefer = prefer, .n = nprefer};
    size_t cap = max < ntok ? max : ntok;
    span *spans = sr_xmalloc(cap * sizeof *spans);
    size_t n = 0;

    for (size_t i = 0; i < ntok && n < cap; i++) {
        if (!is_cap(&s, i) || skipped(&s, i))
            continue;
        if (after_title(g, &s, i)) {
            while (i + 1 < ntok && is_cap(&s, i + 1))
                i++;
            continue;
        }
        span *sp = &spans[n];
        if (!find_span(g, &s, i, &lp, sp))
            continue;
        surroundings(&s, sp);
        if (n > 0 && spans[n - 1].t1 > sp->t0)
            sp->t0 = spans[n - 1].t1; /* a phrase never reaches into the previous place */
        sp->linked = n > 0 && list_linked(&s, &spans[n - 1], sp);
        i = sp->t1 - 1;
        n++;
    }

    for (size_t k = 1; k < n; k++) { /* "near Lyman, Toretsk and Kurakhove" */
        if (spans[k].linked && !spans[k].own_near && spans[k - 1].own_near) {
            spans[k].want |= WANT_NEAR;
            spans[k].own_near = 1;
        }
    }
    for (size_t k = n; k-- > 1;) /* "Kursk and Belgorod regions" */
        if (spans[k].plural && spans[k].linked) {
            spans[k - 1].want |= WANT_ADMIN;
            spans[k - 1].plural = 1;
        }

    size_t nout = 0;
    for (size_t k = 0; k < n; k++) {
        const span *sp = &spans[k];
        pick b = best_of(g, sp->run, sp->nrun, get_prefs(&lp), (sp->want & WANT_ADMIN) != 0,
                         sp->curated_only);
        if (!b.rec)
            continue;
        fill(g, b.rec, sp->want, &out[nout]);
        out[nout].tok0 = sp->t0;
        out[nout].tok1 = sp->t1;
        nout++;
    }
    free(spans);
    return nout;
}

/* ---- sr_geo_lookup ---- */

typedef struct cand {
    const sr_geo_rec *rec;
    double score;
} cand;

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

static int word_in(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

size_t sr_geo_lookup(const sr_gazetteer *g, const char *name, const char *const *prefer,
                     size_t nprefer, sr_place_candidate *out, size_t max)
{
    if (!g || !name || max == 0)
        return 0;
    char key[SR_GEO_MAX_KEY];
    if (!sr_geo_fold(name, strlen(name), key, sizeof key))
        return 0;
    prefs p;
    prefs_init(&p, g, prefer, nprefer);
    int want = WANT_NONE;
    const sr_geo_key *run;
    size_t nrun = sr_geo_find(g, key, &run);
    if (nrun == 0) { /* "Sumy region", "Pokrovsk district": the town, read as asked */
        char *sp = strrchr(key, ' ');
        if (sp && word_in(sp + 1, ADMIN_ONE))
            want = WANT_ADMIN;
        else if (sp && (word_in(sp + 1, AREA_SUFFIX) || word_in(sp + 1, AFTER)))
            want = WANT_NEAR;
        if (want) {
            *sp = '\0';
            nrun = sr_geo_find(g, key, &run);
        }
    }
    if (nrun == 0)
        return 0;
    size_t np;
    const sr_geo_rec *places = sr_geo_places(g, &np);
    cand *c = sr_xmalloc(nrun * sizeof *c);
    for (size_t i = 0; i < nrun; i++) {
        c[i].rec = &places[run[i].info & 0xFFFFFFu];
        c[i].score = score(c[i].rec, run[i].info >> 24, &p, want == WANT_ADMIN);
    }
    qsort(c, nrun, sizeof *c, by_score);
    size_t n = nrun < max ? nrun : max;
    for (size_t i = 0; i < n; i++) {
        fill(g, c[i].rec, want, &out[i].place);
        out[i].score = c[i].score;
    }
    free(c);
    return n;
}
