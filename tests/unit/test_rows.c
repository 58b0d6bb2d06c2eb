/* test_rows.c — the writers of stored events (src/out/rows.c): each format
 * is written to memory and read back. The table's columns line up and its
 * cells are cut on character boundaries; JSON Lines parse with jansson,
 * keys in the documented order; CSV and HXL parse as RFC 4180 with CRLF;
 * GDELT lines have the 61 columns of the GDELT 2.0 event table. Hostile
 * text (quotes, commas, newlines, tabs, escapes, markup, invalid UTF-8)
 * goes through every format. Write errors (/dev/full) reach finish. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <math.h>
#include <utf8proc.h>

#include "sitrep.h"

/* An event with every field set, ASCII only. */
static sr_event_row plain_row(void)
{
    sr_event_row r;
    memset(&r, 0, sizeof r);
    r.event_id = "3f9a0c1d2e4b5a69";
    r.date = "2025-04-12";
    r.date_precision = "day";
    r.src_code = "RUSMIL";
    r.src_country = "RUS";
    r.src_name = "Russian forces";
    r.tgt_code = "UKR";
    r.tgt_country = "UKR";
    r.cameo = "190";
    r.root = "19";
    r.quad_class = 4;
    r.goldstein = -10.0;
    r.plover = "ASSAULT";
    r.modality = "asserted";
    r.issues = "ceasefire,prisoners";
    r.place_id = "704204";
    r.place_name = "Lyman";
    r.place_country = "UKR";
    r.admin1 = "Donetsk Oblast";
    r.place_precision = "near";
    r.has_coords = 1;
    r.lat = 48.9862;
    r.lon = 37.8031;
    r.num_mentions = 3;
    r.num_articles = 2;
    r.num_sources = 2;
    r.doc_id = "kyiv-0412";
    r.sentence = "Russian forces advanced near Lyman.";
    r.outlet = "Kyiv Independent";
    r.url = "https://example.org/a";
    r.ingested_at = "2026-11-25T18:32:56Z";
    r.cursor = "c1";
    return r;
}

/* Article text at its worst: no target, no place, no date. */
#define HOSTILE_SENTENCE                                                       \
    "He said \"no\",\nthen\t\x1b[0m<script>x</script> \xff Обстріл українських "   \
    "позицій тривав усю ніч, заявили в штабі."
#define HOSTILE_SENTENCE_FIXED                                                 \
    "He said \"no\",\nthen\t\x1b[0m<script>x</script> \xEF\xBF\xBD Обстріл "        \
    "українських позицій тривав усю ніч, заявили в штабі."

static sr_event_row hostile_row(void)
{
    sr_event_row r;
    memset(&r, 0, sizeof r);
    r.event_id = "00000000000000ff";
    r.src_code = "UKRMIL";
    r.src_country = "UKR";
    r.src_name = "українські\nсили";
    r.cameo = "0871";
    r.root = "08";
    r.quad_class = 2;
    r.goldstein = 5.0;
    r.plover = "CONCEDE";
    r.plover_mode = "ceasefire";
    r.negated = 1;
    r.modality = "reported";
    r.issues = "";
    r.num_mentions = 1;
    r.num_articles = 1;
    r.num_sources = 1;
    r.doc_id = "doc,\"2\"";
    r.sentence = HOSTILE_SENTENCE;
    r.attr_by = "sources in Moscow";
    r.ingested_at = "2026-01-02 03:04:05+00";
    return r;
}

/* A target known by name only, a place without coordinates, a wide name. */
static sr_event_row odd_row(void)
{
    sr_event_row r = plain_row();
    r.event_id = "0123456789abcdef";
    r.date = "2024-12-31";
    r.tgt_code = NULL;
    r.tgt_country = NULL;
    r.tgt_name = "the mayor";
    r.place_id = "iso:JP-13";
    r.place_name = "東京東京東京東京東京";
    r.place_country = "JPN";
    r.admin1 = "東京東京東京東京東京";
    r.place_precision = "admin1";
    r.has_coords = 0;
    r.quad_class = 0; /* unknown code */
    r.goldstein = 0;
    r.url = NULL;
    return r;
}

/* Writes rows in format; returns the output (malloc'd, NUL-terminated).
 * out and len are static: GCC's -Wdangling-pointer cannot tell that the
 * stream holding their addresses is closed before the return. */
static char *write_rows(const char *format, const sr_event_row *rows, size_t n)
{
    static char *out;
    static size_t len;
    out = NULL;
    len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    sr_rows_writer *w = NULL;
    sr_err err = {0};
    assert_int_equal(sr_rows_writer_new(format, f, &w, &err), SR_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sr_rows_write(w, &rows[i]), SR_OK);
    assert_int_equal(sr_rows_writer_finish(w, &err), SR_OK);
    fclose(f);
    return out;
}

/* The lines of s (split on '\n', which is removed); *n set. */
static char **split_lines(char *s, size_t *n)
{
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    *n = 0;
    while (*s) {
        char *e = strchr(s, '\n');
        assert_non_null(e); /* every line ends with a newline */
        *e = 0;
        if (*n == cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            assert_non_null(nv);
            v = nv;
        }
        v[(*n)++] = s;
        s = e + 1;
    }
    return v;
}

/* Display columns of s, or -1 if s is not valid UTF-8. */
static int display_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    int w = 0;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k <= 0)
            return -1;
        w += utf8proc_charwidth(cp);
        p += k;
        n -= k;
    }
    return w;
}

/* ---- geojson ---- */

/* A FeatureCollection of the located rows: [lon, lat] geometry, the event
 * id as the feature id, the jsonl object as properties; rows without
 * coordinates are left out; no rows is an empty, valid collection. */
static void test_geojson(void **state)
{
    (void)state;
    sr_event_row rows[3] = {plain_row(), odd_row(), plain_row()};
    rows[2].event_id = "fedcba9876543210";
    rows[2].sentence = "Quotes \" and <script>alert(1)</script>\n";
    char *out = write_rows("geojson", rows, 3);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    if (!doc)
        fail_msg("geojson does not parse: %s at %d: %s", jerr.text, jerr.line, out);
    assert_string_equal(json_string_value(json_object_get(doc, "type")), "FeatureCollection");
    json_t *fs = json_object_get(doc, "features");
    assert_int_equal(json_array_size(fs), 2); /* odd_row has no coordinates */
    for (size_t i = 0; i < 2; i++) {
        json_t *f = json_array_get(fs, i);
        const sr_event_row *r = &rows[i == 0 ? 0 : 2];
        assert_string_equal(json_string_value(json_object_get(f, "type")), "Feature");
        assert_string_equal(json_string_value(json_object_get(f, "id")), r->event_id);
        json_t *c = json_object_get(json_object_get(f, "geometry"), "coordinates");
        assert_true(fabs(json_number_value(json_array_get(c, 0)) - r->lon) < 1e-4);
        assert_true(fabs(json_number_value(json_array_get(c, 1)) - r->lat) < 1e-4);
        json_t *p = json_object_get(f, "properties");
        assert_string_equal(json_string_value(json_object_get(p, "event_id")), r->event_id);
        assert_string_equal(json_string_value(json_object_get(p, "sentence")), r->sentence);
    }
    json_decref(doc);
    free(out);
    out = write_rows("geojson", rows, 0);
    doc = json_loads(out, 0, &jerr);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "features")), 0);
    json_decref(doc);
    free(out);
}

/* ---- table ---- */

static void test_table(void **state)
{
    (void)state;
    sr_event_row rows[3] = {plain_row(), hostile_row(), odd_row()};
    char *out = write_rows("table", rows, 3);
    size_t n;
    char **lines = split_lines(out, &n);
    assert_int_equal(n, 5);
    assert_string_equal(lines[0],
                        "DATE        EVENT             SOURCE      TARGET      CAMEO  QUAD  "
                        "PLACE              SRC  SENTENCE");
    assert_string_equal(lines[1],
                        "2025-04-12  3f9a0c1d2e4b5a69  RUSMIL      UKR         190    4     "
                        "Lyman                2  Russian forces advanced near Lyman.");
    /* Columns start where the header's do. */
    const char *h = lines[0], *r = lines[1];
    assert_int_equal(strstr(h, "EVENT") - h, strstr(r, "3f9a") - r);
    assert_int_equal(strstr(h, "SOURCE") - h, strstr(r, "RUSMIL") - r);
    assert_int_equal(strstr(h, "PLACE") - h, strstr(r, "Lyman") - r);
    assert_int_equal(strstr(h, "SENTENCE") - h, strstr(r, "Russian forces adv") - r);

    /* The hostile row: one line, no control characters, negation marked,
     * missing values "-", the sentence cut to 60 columns on a character
     * boundary and ended with an ellipsis. */
    const char *x = lines[2];
    for (const char *p = x; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_non_null(strstr(x, "!0871"));
    assert_memory_equal(x, "-           00000000000000ff  UKRMIL      -           !0871  2     -",
                        strlen("-           00000000000000ff  UKRMIL      -           !0871  2     -"));
    assert_int_equal(display_width(x), 91 + 60);
    assert_string_equal(x + strlen(x) - 3, "\xE2\x80\xA6");
    const char *sent = x + 91;
    const char *want = "He said \"no\", then  [0m<script>x</script> \xEF\xBF\xBD Обстр";
    assert_memory_equal(sent, want, strlen(want)); /* the cut falls in the Cyrillic */

    /* Wide characters: the place is cut to 16 columns, the rest still lines
     * up (the sentence starts at column 91). */
    const char *o = lines[3];
    assert_int_equal(display_width(o), 91 + display_width("Russian forces advanced near Lyman."));
    assert_non_null(strstr(o, "東京東京東京東\xE2\x80\xA6 "));
    assert_non_null(strstr(o, "  -     "));  /* unknown quad class */
    assert_string_equal(lines[4], "(3 events)");
    free(lines);
    free(out);

    out = write_rows("table", rows, 0);
    assert_string_equal(strstr(out, "\n") + 1, "(0 events)\n");
    free(out);
    out = write_rows("table", rows, 1);
    assert_non_null(strstr(out, "\n(1 event)\n"));
    free(out);
}

/* ---- JSON Lines ---- */

static const char *const JSON_KEYS[] = {
    "event_id", "date", "date_precision", "source", "target", "cameo", "root", "quad_class",
    "goldstein", "plover", "plover_mode", "negated", "modality", "issues", "location",
    "num_mentions", "num_articles", "num_sources", "doc", "sentence", "outlet", "url",
    "attribution", "ingested_at", "cursor"};

static void assert_key_order(const char *line, json_t *obj)
{
    size_t nkeys = sizeof JSON_KEYS / sizeof JSON_KEYS[0];
    assert_int_equal(json_object_size(obj), nkeys);
    const char *at = line;
    for (size_t i = 0; i < nkeys; i++) {
        char pat[64];
        snprintf(pat, sizeof pat, "\"%s\":", JSON_KEYS[i]);
        const char *p = strstr(at, pat);
        if (!p)
            fail_msg("key %s missing or out of order in %s", JSON_KEYS[i], line);
        at = p + strlen(pat);
    }
}

static const char *jstr(json_t *o, const char *path0, const char *path1)
{
    json_t *v = json_object_get(o, path0);
    if (path1)
        v = json_object_get(v, path1);
    return json_string_value(v);
}

static void test_jsonl(void **state)
{
    (void)state;
    sr_event_row rows[3] = {plain_row(), hostile_row(), odd_row()};
    char *out = write_rows("jsonl", rows, 3);
    size_t n;
    char **lines = split_lines(out, &n);
    assert_int_equal(n, 3);
    json_t *o[3];
    for (size_t i = 0; i < n; i++) {
        json_error_t je;
        o[i] = json_loads(lines[i], 0, &je);
        if (!o[i])
            fail_msg("line %zu: %s: %s", i + 1, je.text, lines[i]);
        assert_true(json_is_object(o[i]));
        assert_key_order(lines[i], o[i]);
    }
    /* plain */
    assert_string_equal(jstr(o[0], "event_id", NULL), "3f9a0c1d2e4b5a69");
    assert_string_equal(jstr(o[0], "source", "code"), "RUSMIL");
    assert_true(json_is_null(json_object_get(json_object_get(o[0], "source"), "org")));
    assert_string_equal(jstr(o[0], "target", "code"), "UKR");
    assert_int_equal(json_integer_value(json_object_get(o[0], "quad_class")), 4);
    assert_non_null(strstr(lines[0], "\"goldstein\":-10.0,"));
    assert_true(json_is_false(json_object_get(o[0], "negated")));
    json_t *iss = json_object_get(o[0], "issues");
    assert_int_equal(json_array_size(iss), 2);
    assert_string_equal(json_string_value(json_array_get(iss, 1)), "prisoners");
    assert_non_null(strstr(lines[0], "\"location\":{\"id\":\"704204\",\"name\":\"Lyman\","
                                     "\"lat\":48.9862,\"lon\":37.8031,\"country\":\"UKR\","
                                     "\"admin1\":\"Donetsk Oblast\",\"precision\":\"near\"}"));
    assert_int_equal(json_integer_value(json_object_get(o[0], "num_mentions")), 3);
    assert_true(json_is_null(json_object_get(o[0], "attribution")));
    assert_string_equal(jstr(o[0], "ingested_at", NULL), "2026-11-25T18:32:56Z");
    assert_string_equal(jstr(o[0], "cursor", NULL), "c1");
    /* hostile: escaped, repaired, nothing lost */
    assert_string_equal(jstr(o[1], "sentence", NULL), HOSTILE_SENTENCE_FIXED);
    assert_string_equal(jstr(o[1], "source", "name"), "українські\nсили");
    assert_string_equal(jstr(o[1], "doc", NULL), "doc,\"2\"");
    assert_true(json_is_null(json_object_get(o[1], "target")));
    assert_true(json_is_null(json_object_get(o[1], "location")));
    assert_true(json_is_null(json_object_get(o[1], "date")));
    assert_true(json_is_true(json_object_get(o[1], "negated")));
    assert_int_equal(json_array_size(json_object_get(o[1], "issues")), 0);
    assert_string_equal(jstr(o[1], "attribution", NULL), "sources in Moscow");
    assert_string_equal(jstr(o[1], "plover_mode", NULL), "ceasefire");
    assert_non_null(strstr(lines[1], "\\n"));
    assert_non_null(strstr(lines[1], "\\u001b"));
    /* odd: target by name only, a place without coordinates, no quad */
    assert_true(json_is_null(json_object_get(json_object_get(o[2], "target"), "code")));
    assert_string_equal(jstr(o[2], "target", "name"), "the mayor");
    json_t *loc = json_object_get(o[2], "location");
    assert_true(json_is_null(json_object_get(loc, "lat")));
    assert_true(json_is_null(json_object_get(loc, "lon")));
    assert_string_equal(jstr(o[2], "location", "id"), "iso:JP-13");
    assert_true(json_is_null(json_object_get(o[2], "quad_class")));
    assert_true(json_is_null(json_object_get(o[2], "goldstein")));
    assert_true(json_is_null(json_object_get(o[2], "url")));
    for (size_t i = 0; i < n; i++)
        json_decref(o[i]);
    free(lines);
    free(out);

    /* issues: empty pieces and spaces dropped */
    sr_event_row r = plain_row();
    r.issues = " ceasefire, ,territory,";
    out = write_rows("jsonl", &r, 1);
    assert_non_null(strstr(out, "\"issues\":[\"ceasefire\",\"territory\"],"));
    free(out);
}

/* ---- CSV and HXL ---- */

/* Parses RFC 4180 text with CRLF records into fields; returns the number of
 * records, fields in rec[r][f] (malloc'd), nf[r] the field count. Fails
 * the test on a bare LF outside quotes or a stray quote. */
enum { MAXREC = 8, MAXF = 40 };
static size_t parse_csv(const char *s, char *rec[MAXREC][MAXF], size_t nf[MAXREC])
{
    size_t r = 0;
    while (*s) {
        assert_true(r < MAXREC);
        nf[r] = 0;
        for (;;) {
            assert_true(nf[r] < MAXF);
            char *fld = malloc(strlen(s) + 1);
            assert_non_null(fld);
            size_t k = 0;
            if (*s == '"') {
                s++;
                for (;;) {
                    assert_true(*s != 0);
                    if (*s == '"' && s[1] == '"') {
                        fld[k++] = '"';
                        s += 2;
                    } else if (*s == '"') {
                        s++;
                        break;
                    } else {
                        fld[k++] = *s++;
                    }
                }
            } else {
                while (*s && *s != ',' && *s != '\r' && *s != '\n') {
                    assert_true(*s != '"');
                    fld[k++] = *s++;
                }
            }
            fld[k] = 0;
            rec[r][nf[r]++] = fld;
            if (*s == ',') {
                s++;
                continue;
            }
            assert_true(s[0] == '\r' && s[1] == '\n');
            s += 2;
            break;
        }
        r++;
    }
    return r;
}

static void free_csv(char *rec[MAXREC][MAXF], const size_t nf[MAXREC], size_t nr)
{
    for (size_t r = 0; r < nr; r++)
        for (size_t f = 0; f < nf[r]; f++)
            free(rec[r][f]);
}

static void test_csv(void **state)
{
    (void)state;
    sr_event_row rows[3] = {plain_row(), hostile_row(), odd_row()};
    char *out = write_rows("csv", rows, 3);
    const char *header =
        "event_id,date,date_precision,source_code,source_country,source_name,target_code,"
        "target_country,target_name,cameo,root,quad_class,goldstein,plover,negated,modality,"
        "issues,place_name,lat,lon,place_country,admin1,place_precision,num_mentions,"
        "num_articles,num_sources,doc,outlet,url,attribution,sentence\r\n";
    assert_memory_equal(out, header, strlen(header));
    assert_non_null(strstr(out, "\r\n3f9a0c1d2e4b5a69,2025-04-12,day,RUSMIL,RUS,Russian forces,"
                                "UKR,UKR,,190,19,4,-10.0,ASSAULT,false,asserted,"
                                "\"ceasefire,prisoners\",Lyman,48.9862,37.8031,UKR,"
                                "Donetsk Oblast,near,3,2,2,kyiv-0412,Kyiv Independent,"
                                "https://example.org/a,,Russian forces advanced near Lyman.\r\n"));
    char *rec[MAXREC][MAXF];
    size_t nf[MAXREC];
    size_t nr = parse_csv(out, rec, nf);
    assert_int_equal(nr, 4);
    for (size_t r = 0; r < nr; r++)
        assert_int_equal(nf[r], 31);
    assert_string_equal(rec[0][30], "sentence");
    assert_string_equal(rec[2][30], HOSTILE_SENTENCE_FIXED);
    assert_string_equal(rec[2][5], "українські\nсили");
    assert_string_equal(rec[2][26], "doc,\"2\"");
    assert_string_equal(rec[2][14], "true");
    assert_string_equal(rec[2][16], "");  /* issues */
    assert_string_equal(rec[2][1], "");   /* date */
    assert_string_equal(rec[2][18], "");  /* lat */
    assert_string_equal(rec[2][29], "sources in Moscow");
    assert_string_equal(rec[3][11], "");  /* unknown quad */
    assert_string_equal(rec[3][12], "");  /* and goldstein */
    assert_string_equal(rec[3][18], "");  /* no coordinates */
    assert_string_equal(rec[3][17], "東京東京東京東京東京");
    free_csv(rec, nf, nr);
    free(out);
}

static void test_hxl(void **state)
{
    (void)state;
    sr_event_row rows[2] = {plain_row(), hostile_row()};
    char *out = write_rows("hxl", rows, 2);
    char *rec[MAXREC][MAXF];
    size_t nf[MAXREC];
    size_t nr = parse_csv(out, rec, nf);
    assert_int_equal(nr, 4);
    assert_string_equal(rec[0][0], "Date");
    assert_string_equal(rec[1][0], "#date+occurred");
    for (size_t r = 0; r < nr; r++)
        assert_int_equal(nf[r], nf[0]);
    /* every hashtag row cell is a hashtag with lowercase attributes */
    for (size_t f = 0; f < nf[1]; f++) {
        const char *t = rec[1][f];
        assert_true(t[0] == '#');
        for (const char *p = t + 1; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                        *p == '+');
    }
    /* the columns hold what their tags say */
    for (size_t f = 0; f < nf[1]; f++) {
        const char *t = rec[1][f], *v = rec[2][f];
        if (!strcmp(t, "#event+id"))
            assert_string_equal(v, "3f9a0c1d2e4b5a69");
        else if (!strcmp(t, "#event+code"))
            assert_string_equal(v, "190");
        else if (!strcmp(t, "#geo+lat"))
            assert_string_equal(v, "48.9862");
        else if (!strcmp(t, "#country+code+v_iso3"))
            assert_string_equal(v, "UKR");
        else if (!strcmp(t, "#description"))
            assert_string_equal(rec[3][f], HOSTILE_SENTENCE_FIXED);
    }
    assert_string_equal(rec[2][0], "2025-04-12");
    free_csv(rec, nf, nr);
    free(out);
}

/* ---- GDELT ---- */

/* Splits a TSV line into fields (in place); returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    for (;;) {
        assert_true(n < max);
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            return n;
        *t = 0;
        line = t + 1;
    }
}

static void test_gdelt(void **state)
{
    (void)state;
    sr_event_row rows[3] = {plain_row(), hostile_row(), odd_row()};
    char *out = write_rows("gdelt", rows, 3);
    assert_null(strchr(out, '\r'));
    size_t n;
    char **lines = split_lines(out, &n);
    assert_int_equal(n, 3);
    char *f[3][70];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(split_tabs(lines[i], f[i], 70), 61);
    char **a = f[0];
    assert_string_equal(a[0], "3f9a0c1d2e4b5a69");
    assert_string_equal(a[1], "20250412");
    assert_string_equal(a[2], "202504");
    assert_string_equal(a[3], "2025");
    assert_string_equal(a[4], "2025.2795"); /* day 102 of 365 */
    assert_string_equal(a[5], "RUSMIL");
    assert_string_equal(a[6], "RUSSIAN FORCES");
    assert_string_equal(a[7], "RUS");
    assert_string_equal(a[8], "");
    assert_string_equal(a[12], "MIL");
    assert_string_equal(a[13], "");
    assert_string_equal(a[15], "UKR");
    assert_string_equal(a[17], "UKR");
    assert_string_equal(a[22], "");
    assert_string_equal(a[25], "1");
    assert_string_equal(a[26], "190");
    assert_string_equal(a[27], "190");
    assert_string_equal(a[28], "19");
    assert_string_equal(a[29], "4");
    assert_string_equal(a[30], "-10.0");
    assert_string_equal(a[31], "3"); /* NumMentions */
    assert_string_equal(a[32], "2"); /* NumSources */
    assert_string_equal(a[33], "2"); /* NumArticles */
    assert_string_equal(a[34], "");  /* AvgTone */
    for (int i = 35; i < 51; i++)
        assert_string_equal(a[i], ""); /* Actor1Geo, Actor2Geo */
    assert_string_equal(a[51], "4");   /* a town outside the US */
    assert_string_equal(a[52], "Lyman, Donetsk Oblast, UKR");
    assert_string_equal(a[53], "UKR");
    assert_string_equal(a[54], "");
    assert_string_equal(a[55], "");
    assert_string_equal(a[56], "48.9862");
    assert_string_equal(a[57], "37.8031");
    assert_string_equal(a[58], "704204");
    assert_string_equal(a[59], "20261125183256");
    assert_string_equal(a[60], "https://example.org/a");

    char **b = f[1];
    for (int i = 1; i <= 4; i++)
        assert_string_equal(b[i], ""); /* no date */
    assert_string_equal(b[6], "УКРАЇНСЬКІ СИЛИ");
    assert_string_equal(b[12], "MIL");
    for (int i = 15; i < 25; i++)
        assert_string_equal(b[i], ""); /* no target */
    assert_string_equal(b[26], "0871");
    assert_string_equal(b[27], "087");
    assert_string_equal(b[28], "08");
    for (int i = 51; i < 59; i++)
        assert_string_equal(b[i], ""); /* no place */
    assert_string_equal(b[59], "20260102030405");
    assert_string_equal(b[60], "");

    char **c = f[2];
    assert_string_equal(c[1], "20241231");
    assert_string_equal(c[4], "2024.9890"); /* (11 * 30 + 31) / 365 */
    assert_string_equal(c[16], "THE MAYOR");
    assert_string_equal(c[29], "");
    assert_string_equal(c[30], "");
    assert_string_equal(c[51], "5");  /* an ADM1 outside the US */
    assert_string_equal(c[52], "東京東京東京東京東京, JPN");
    assert_string_equal(c[56], "");
    assert_string_equal(c[57], "");
    assert_string_equal(c[58], "iso:JP-13");
    free(lines);
    free(out);

    /* A US town and state. */
    sr_event_row r = plain_row();
    r.place_country = "USA";
    out = write_rows("gdelt", &r, 1);
    char *g[70];
    assert_int_equal(split_tabs(out, g, 70), 61);
    assert_string_equal(g[51], "3");
    free(out);

    /* FractionDate as GDELT's own records have it. */
    r.date = "2020-02-18";
    out = write_rows("gdelt", &r, 1);
    assert_int_equal(split_tabs(out, g, 70), 61);
    assert_string_equal(g[4], "2020.1315");
    free(out);
}

/* ---- any bytes at all ---- */

/* A fixed-seed generator: the same strings on every run. */
static uint32_t rnd(uint32_t *st)
{
    *st = *st * 1664525u + 1013904223u;
    return *st >> 8;
}

/* A NUL-terminated string of up to 40 bytes biased to what breaks
 * writers: controls, quotes, commas, tabs, bytes >= 0x80, UTF-8 pieces. */
static void random_text(uint32_t *st, char *buf)
{
    static const char *const bits[] = {"\"", ",", "\t", "\n", "\r", "\\", "\x1b", "\x7f",
                                       "\xc3\xa9", "\xe2\x80", "\xe6\x9d\xb1", "\xf0\x9f\x92\xa3",
                                       "\xc2\x9b", "\xe2\x80\xae", "\xed\xa0\x80", "\xff", "a", " "};
    size_t n = rnd(st) % 12, k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = bits[rnd(st) % (sizeof bits / sizeof bits[0])];
        size_t m = strlen(p);
        memcpy(buf + k, p, m);
        k += m;
    }
    buf[k] = 0;
}

static int valid_utf8(const char *s, size_t n)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
        if (k <= 0)
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

static void test_random_bytes(void **state)
{
    (void)state;
    enum { N = 300 };
    static char text[N][12][64];
    sr_event_row *rows = calloc(N, sizeof *rows);
    assert_non_null(rows);
    uint32_t st = 12345;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 12; j++)
            random_text(&st, text[i][j]);
        sr_event_row *r = &rows[i];
        *r = plain_row();
        r->src_name = text[i][0];
        r->tgt_name = text[i][1];
        r->src_code = text[i][2];
        r->place_name = text[i][3];
        r->admin1 = text[i][4];
        r->sentence = text[i][5];
        r->url = text[i][6];
        r->attr_by = text[i][7];
        r->issues = text[i][8];
        r->doc_id = text[i][9];
        r->event_id = text[i][10];
        r->outlet = text[i][11];
        r->tgt_code = (i % 3) ? NULL : "UKR";
    }
    static const char *const formats[] = {"table", "jsonl", "csv", "gdelt", "hxl"};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        char *out = write_rows(formats[k], rows, N);
        size_t len = strlen(out);
        if (!valid_utf8(out, len))
            fail_msg("%s: invalid UTF-8 in the output", formats[k]);
        if (!strcmp(formats[k], "csv") || !strcmp(formats[k], "hxl")) {
            /* every record parses with the header's field count */
            const char *p = out;
            size_t want = 0, recs = 0;
            while (*p) {
                char *rec[MAXREC][MAXF];
                size_t nf[MAXREC];
                /* parse one record: cut the text after its CRLF */
                const char *q = p;
                int inq = 0;
                while (*q && (inq || !(q[0] == '\r' && q[1] == '\n'))) {
                    if (*q == '"')
                        inq = !inq;
                    q++;
                }
                assert_true(*q == '\r');
                size_t m = (size_t)(q - p) + 2;
                char *one = malloc(m + 1);
                assert_non_null(one);
                memcpy(one, p, m);
                one[m] = 0;
                assert_int_equal(parse_csv(one, rec, nf), 1);
                size_t got = nf[0];
                if (!want)
                    want = got;
                assert_int_equal(got, want);
                free_csv(rec, nf, 1);
                free(one);
                p += m;
                recs++;
            }
            assert_int_equal(recs, N + (formats[k][0] == 'h' ? 2 : 1));
        } else {
            size_t n;
            char **lines = split_lines(out, &n);
            assert_int_equal(n, N + (formats[k][0] == 't' ? 2 : 0));
            for (size_t i = 0; i < n; i++) {
                if (formats[k][0] == 'j') {
                    json_error_t je;
                    json_t *o = json_loads(lines[i], 0, &je);
                    if (!o)
                        fail_msg("line %zu: %s", i + 1, je.text);
                    assert_int_equal(json_object_size(o), 25);
                    json_decref(o);
                } else if (formats[k][0] == 'g') {
                    char *f[70];
                    assert_int_equal(split_tabs(lines[i], f, 70), 61);
                } else {
                    for (const char *p = lines[i]; *p; p++)
                        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
                    if (i > 0 && i + 1 < n) /* rows: the sentence starts at column 91 */
                        assert_true(display_width(lines[i]) >= 91);
                }
            }
            free(lines);
        }
        free(out);
    }
    free(rows);
}

/* ---- errors and streaming ---- */

static void test_unknown_format(void **state)
{
    (void)state;
    sr_rows_writer *w = (sr_rows_writer *)&w;
    sr_err err = {0};
    assert_int_equal(sr_rows_writer_new("xml", stdout, &w, &err), SR_USAGE);
    assert_null(w);
    assert_int_equal(err.code, SR_USAGE);
    assert_non_null(strstr(err.msg, "'xml'"));
    assert_non_null(strstr(err.msg, "table, jsonl, csv, gdelt, hxl or geojson"));
    assert_int_equal(sr_rows_writer_new(NULL, stdout, &w, &err), SR_USAGE);
    assert_int_equal(sr_rows_writer_new("JSONL", stdout, &w, &err), SR_USAGE);
    assert_int_equal(sr_rows_writer_finish(NULL, &err), SR_OK);
}

static void test_write_error(void **state)
{
    (void)state;
    static const char *const formats[] = {"table", "jsonl", "csv", "gdelt", "hxl"};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        FILE *f = fopen("/dev/full", "w");
        if (!f)
            skip();
        sr_rows_writer *w;
        sr_err err = {0};
        assert_int_equal(sr_rows_writer_new(formats[k], f, &w, &err), SR_OK);
        sr_event_row r = plain_row();
        assert_int_equal(sr_rows_write(w, &r), SR_OK); /* buffered */
        assert_int_equal(sr_rows_writer_finish(w, &err), SR_IO);
        assert_int_equal(err.code, SR_IO);
        assert_string_equal(err.path, "<output>");
        char want[256];
        snprintf(want, sizeof want, "write error: %s", strerror(ENOSPC));
        assert_string_equal(err.msg, want);
        fclose(f);
    }

    /* Enough rows to flush mid-stream: the failing write says so, and so
     * does every write after it. */
    FILE *f = fopen("/dev/full", "w");
    sr_rows_writer *w;
    sr_err err = {0};
    assert_int_equal(sr_rows_writer_new("jsonl", f, &w, &err), SR_OK);
    sr_event_row r = hostile_row();
    int first_fail = -1;
    for (int i = 0; i < 5000; i++) {
        int rc = sr_rows_write(w, &r);
        if (rc != SR_OK && first_fail < 0)
            first_fail = i;
        if (first_fail >= 0)
            assert_int_equal(rc, SR_IO);
    }
    assert_true(first_fail > 0);
    assert_int_equal(sr_rows_writer_finish(w, &err), SR_IO);
    fclose(f);
}

static void test_streams_many_rows(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    sr_rows_writer *w;
    sr_err err = {0};
    assert_int_equal(sr_rows_writer_new("table", f, &w, &err), SR_OK);
    sr_event_row r = plain_row();
    enum { N = 20000 };
    for (int i = 0; i < N; i++)
        assert_int_equal(sr_rows_write(w, &r), SR_OK);
    assert_int_equal(sr_rows_writer_finish(w, &err), SR_OK);
    fclose(f);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, N + 2);
    assert_string_equal(out + len - strlen("(20000 events)\n"), "(20000 events)\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_hxl),
        cmocka_unit_test(test_gdelt),
        cmocka_unit_test(test_geojson),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_unknown_format),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_streams_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
