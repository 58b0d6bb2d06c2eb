/* geo.h — places: the gazetteer (GeoNames cities500 + Debian iso-codes
 * subdivisions + dict/places.txt supplement, compiled at build time into a
 * compact index) and place-name matching in tokenized sentences.
 *
 *   gazetteer.c  sr_geo_open/free: loads the compiled index (mmap), lookups
 *   match.c      sr_geo_match: place names in a sentence, with relative
 *                phrases ("near X", "10 km east of X") and disambiguation
 *
 * Thread-safe after sr_geo_open: one sr_gazetteer serves all coder threads.
 */
#ifndef SR_GEO_H
#define SR_GEO_H

#include "../base/base.h"
#include "../text/text.h"

typedef struct sr_gazetteer sr_gazetteer;

enum {
    SR_PLACE_SETTLEMENT = 1,  /* a named town or village, as written */
    SR_PLACE_NEAR,            /* "near X", "10 km east of X": place = X */
    SR_PLACE_ADMIN1,          /* an oblast, province, region */
    SR_PLACE_COUNTRY,         /* a country */
};

typedef struct sr_place {
    char name[96];        /* canonical name (GeoNames or supplement) */
    double lat, lon;
    char country[4];      /* ISO 3166-1 alpha-3 */
    char admin1[96];      /* first-level subdivision name, "" if unknown */
    long geonames_id;     /* GeoNames id, 0 for supplement-only rows */
    char supplement_id[24]; /* id in dict/places.txt when geonames_id is 0, else "" */
    int precision;        /* SR_PLACE_* */
    long population;
    uint32_t tok0, tok1;  /* the tokens of the sentence that named it (relative phrase included) */
} sr_place;

/* Opens the compiled gazetteer at path. A missing or corrupt file is an
 * SR_IO / SR_PARSE error naming it; never a crash. Caller frees. */
int sr_geo_open(const char *path, sr_gazetteer **out, sr_err *err);
void sr_geo_free(sr_gazetteer *g);
size_t sr_geo_count(const sr_gazetteer *g);

/* Finds every place named in the sentence tokens toks[0..ntok) of text, in
 * order, at most max. prefer[] lists ISO alpha-3 countries of the event's
 * actors and the document's focus, most relevant first, to disambiguate.
 * skip[k] != 0 marks tokens that are actors, never places ("Moscow said"). */
size_t sr_geo_match(const sr_gazetteer *g, const char *text, const sr_token *toks, size_t ntok,
                    const uint8_t *skip, const char *const *prefer, size_t nprefer,
                    sr_place *out, size_t max);

/* Candidates for a free-text name, best first, with scores (sitrep place). */
typedef struct sr_place_candidate {
    sr_place place;
    double score;
} sr_place_candidate;
size_t sr_geo_lookup(const sr_gazetteer *g, const char *name, const char *const *prefer,
                     size_t nprefer, sr_place_candidate *out, size_t max);

/* ---- additions: locating, opening from memory, folding ----
 *
 *   fold.c       sr_geo_fold: the key form names are matched in
 *   tools/gazetteer_build.c  compiles the sources into the index (below)
 *
 * Conventions: a subdivision (SR_PLACE_ADMIN1: "Kursk Oblast", "Donetsk
 * region", "North Kivu") and a named region ("Gaza Strip", "Darfur") are
 * placed at their administrative centre city; a country at its capital.
 * "Sumy region" with no entry of its own reads as the subdivision whose seat
 * is Sumy; "Pokrovsk district" as SR_PLACE_NEAR Pokrovsk. */

/* The index the library opens when given no path: $SITREP_GAZETTEER if set
 * and non-empty, else the compile-time default SR_GAZETTEER_PATH (the build
 * tree's gazetteer.idx). Never NULL. */
const char *sr_geo_default_path(void);
/* sr_geo_open(NULL, ...) opens sr_geo_default_path(). */

/* Opens an index image held in memory (borrowed: data must outlive the
 * gazetteer). Same validation as sr_geo_open; errors name label. */
int sr_geo_open_mem(const void *data, size_t len, const char *label, sr_gazetteer **out,
                    sr_err *err);

/* 1 if the index was built with the GeoNames data (the npm package), 0 if
 * from iso-codes and dict/places.txt only. */
int sr_geo_has_geonames(const sr_gazetteer *g);

/* Folds a name into the gazetteer's key form, written NUL-terminated to
 * out[0..cap): Unicode case folding, marks stripped (ö -> o, й -> и),
 * apostrophes and dots removed (Elektrostal' -> elektrostal, U.S. -> us),
 * hyphens, slashes, commas and white space runs -> one space, trimmed.
 * Latin and Cyrillic stay in their script. Returns the key's length, or 0
 * if it is empty or needs cap bytes or more. */
size_t sr_geo_fold(const char *s, size_t n, char *out, size_t cap);
#define SR_GEO_MAX_KEY 128

/* sr_geo_match: skip may be NULL, else it has ntok entries aligned with
 * toks. sr_place.tok0/tok1 are the half-open token range [tok0, tok1) in
 * toks, the relative phrase ("10 km east of") and suffix ("Oblast",
 * "direction") included. Returns the number of places written. */

/* ---- the index file (gazetteer.c reads it, tools/gazetteer_build.c writes it) ----
 *
 * One little-endian file: header, then the sections at the offsets it gives
 * (each 8-byte aligned). header.checksum is sr_geo_checksum(the header with
 * checksum 0) XOR sr_geo_checksum(the bytes after the header). Strings are
 * offsets into the string pool, whose first and last bytes are NUL (offset
 * 0 is ""). */
#define SR_GEO_MAGIC "SRGAZIDX"
#define SR_GEO_FORMAT 2
#define SR_GEO_ENDIAN 0x01020304u

enum { SR_GEO_HAS_GEONAMES = 1 }; /* header flags */

typedef struct sr_geo_header {
    char magic[8];          /* SR_GEO_MAGIC, no NUL */
    uint32_t format;        /* SR_GEO_FORMAT */
    uint32_t endian;        /* SR_GEO_ENDIAN as written by the builder */
    uint32_t flags;         /* SR_GEO_HAS_GEONAMES */
    uint32_t nplaces;       /* sr_geo_rec records */
    uint32_t nkeys;         /* sr_geo_key records, sorted by key string then place */
    uint32_t nstop;         /* sr_geo_key records of stop/title words, sorted */
    uint32_t ntheatres;     /* sr_geo_theatre records */
    uint32_t reserved;
    uint64_t file_size;     /* bytes in the file */
    uint64_t off_places, off_keys, off_stop, off_theatres, off_strings;
    uint64_t strings_size;  /* bytes in the string pool */
    uint64_t off_hash;      /* nhash uint32 slots: 1 + first index in keys of each distinct
                               key, at sr_geo_key_hash(key) & (nhash - 1), linear probing */
    uint64_t nhash;         /* a power of two, at least twice the distinct keys */
    uint64_t checksum;
} sr_geo_header;

/* The index's key hash (FNV-1a): the builder fills the hash section with it
 * and lookups probe with it, so a name costs one or two cache misses rather
 * than a binary search's twenty. */
static inline uint32_t sr_geo_key_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

enum { /* sr_geo_rec.kind */
    SR_GEO_SETTLEMENT = 1,
    SR_GEO_ADMIN1,          /* a first-level subdivision, placed at its centre */
    SR_GEO_REGION,          /* a named area that is no subdivision (Gaza Strip, Donbas) */
    SR_GEO_COUNTRY,         /* a country, placed at its capital */
};
enum { /* sr_geo_rec.flags */
    SR_GEO_CURATED = 1,     /* listed in dict/places.txt */
    SR_GEO_CAPITAL = 2,     /* a national capital (PPLC) */
    SR_GEO_SEAT = 4,        /* the seat of a first-level subdivision (PPLA) */
};

typedef struct sr_geo_rec {
    float lat, lon;
    uint32_t geonames_id;   /* 0 for supplement and iso-codes rows */
    uint32_t population;
    uint32_t name;          /* string: canonical name */
    uint32_t admin1;        /* string: subdivision name, 0 if unknown */
    uint32_t supp;          /* string: dict/places.txt id, 0 if none */
    char country[3];        /* ISO 3166-1 alpha-3, no NUL */
    uint8_t kind;           /* SR_GEO_SETTLEMENT.. */
    char fcode[6];          /* GeoNames feature code, NUL-padded ("PPLA2") */
    uint8_t flags;          /* SR_GEO_CURATED.. */
    uint8_t pad;
} sr_geo_rec;

enum { /* sr_geo_key.info high byte */
    SR_GEO_KEY_PRIMARY = 1, /* the place's own name (GeoNames name, first of a row) */
    SR_GEO_KEY_CURATED = 2, /* a name given in dict/places.txt */
    SR_GEO_KEY_STOP = 4,    /* stop words: a capitalised word alone is no place */
    SR_GEO_KEY_TITLE = 8,   /* stop words: the capitalised words after it are a person */
};
typedef struct sr_geo_key {
    uint32_t str;           /* string: folded key */
    uint32_t info;          /* place index (low 24 bits) | SR_GEO_KEY_* << 24 */
} sr_geo_key;
#define SR_GEO_MAX_PLACES (1u << 24)

typedef struct sr_geo_theatre {
    char codes[8][4];       /* ISO alpha-3 codes, NUL-terminated, "" when unused */
} sr_geo_theatre;

/* The checksum of the index format (a 64-bit multiply-rotate hash). */
uint64_t sr_geo_checksum(const void *data, size_t len);

/* Read access for match.c (gazetteer.c owns the layout). Strings are
 * NUL-terminated inside the pool; out-of-range offsets give "". */
const sr_geo_rec *sr_geo_places(const sr_gazetteer *g, size_t *n);
const char *sr_geo_str(const sr_gazetteer *g, uint32_t off);
/* The run of keys equal to key (already folded): returns how many, with
 * *first set to the first of them (NULL when none). */
size_t sr_geo_find(const sr_gazetteer *g, const char *key, const sr_geo_key **first);
/* SR_GEO_KEY_STOP / SR_GEO_KEY_TITLE bits of a folded word, 0 if neither. */
unsigned sr_geo_stopword(const sr_gazetteer *g, const char *key);
const sr_geo_theatre *sr_geo_theatres(const sr_gazetteer *g, size_t *n);

#endif
