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

#endif
