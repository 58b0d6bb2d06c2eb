/* rows.c — writes stored events (sr_event_row, from sr_store_query) as an
 * aligned terminal table, JSON Lines, CSV, GDELT 2.0 event columns or
 * HXL-tagged CSV. The columns and every deviation from GDELT and HXL are
 * in docs/FORMATS.md; keep the two in step.
 *
 * Rows stream: a writer holds nothing between rows but its output buffer,
 * handed to fwrite in blocks of FLUSH_AT bytes, so an export of millions
 * of rows runs in constant memory. Stored text came from articles and is
 * untrusted: every format repairs invalid UTF-8 (U+FFFD), JSON escapes
 * through jsonl.c's escaper, CSV quotes, and the table and the GDELT
 * columns turn control characters (newlines and tabs too) into spaces. A
 * failed write is remembered: from then on output is dropped, every call
 * returns SR_IO and finish says why. */
#include "out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

enum { F_TABLE, F_JSONL, F_CSV, F_GDELT, F_HXL, F_GEOJSON };

static const char *const FORMATS[] = {"table", "jsonl", "csv", "gdelt", "hxl", "geojson"};

#define FLUSH_AT (256u * 1024u) /* bytes buffered before an fwrite */

struct sr_rows_writer {
    int format;       /* F_* */
    FILE *f;          /* the caller's stream, not closed here */
    sr_buf b;         /* output not yet handed to fwrite */
    long rows;        /* rows written, for the table's footer */
    long features;    /* GeoJSON features written (rows with coordinates) */
    int failed;       /* a write failed: output is dropped from then on */
    int failed_errno; /* errno of that failure */
};

/* Hands the buffer to fwrite; remembers the first failure. */
static void flush_buf(sr_rows_writer *w)
{
    if (!w->failed && w->b.n) {
        errno = 0;
        if (fwrite(w->b.p, 1, w->b.n, w->f) != w->b.n) {
            w->failed = 1;
            w->failed_errno = errno ? errno : EIO;
        }
    }
    sr_buf_reset(&w->b);
}

/* ---- text ------------------------------------------------------------- */

/* Reads the code point at s[0..n) as the table and the TSV columns print
 * it: control characters (C0, DEL, C1, line and paragraph separators) and
 * the bidirectional embeddings, overrides and isolates, which would reorder
 * a terminal line, read as a space; invalid UTF-8 as one U+FFFD per
 * maximal ill-formed subpart. Returns the bytes consumed (>= 1); *same is
 * 1 when the bytes can be copied as they are. */
static size_t next_cp(const char *s, size_t n, int32_t *cp, int *same)
{
    unsigned char c = (unsigned char)s[0];
    *same = 1;
    if (c < 0x80) {
        *cp = c;
        if (c < 0x20 || c == 0x7F) {
            *cp = ' ';
            *same = 0;
        }
        return 1;
    }
    size_t k = sr_utf8_decode(s, n, cp);
    if (!k) {
        *cp = 0xFFFD;
        *same = 0;
        return sr_utf8_bad_len((const unsigned char *)s, n);
    }
    int32_t v = *cp;
    if (v < 0xA0 || v == 0x2028 || v == 0x2029 || (v >= 0x202A && v <= 0x202E) ||
        (v >= 0x2066 && v <= 0x2069)) {
        *cp = ' ';
        *same = 0;
    }
    return k;
}

static void put_cp(sr_buf *b, const char *s, size_t k, int32_t cp, int same)
{
    if (same) {
        sr_buf_put(b, s, k);
    } else {
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t m = utf8proc_encode_char(cp, tmp);
        sr_buf_put(b, (const char *)tmp, (size_t)m);
    }
}

/* s as one line of plain text (controls to spaces, invalid UTF-8 repaired);
 * upper-cased when `upper` (GDELT's actor names). */
static void put_flat(sr_buf *b, const char *s, int upper)
{
    if (!s)
        return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t run = i; /* plain printable ASCII is copied in runs */
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F &&
               !(upper && s[run] >= 'a' && s[run] <= 'z'))
            run++;
        sr_buf_put(b, s + i, run - i);
        if ((i = run) >= n)
            break;
        int32_t cp;
        int same;
        size_t k = next_cp(s + i, n - i, &cp, &same);
        if (upper && cp != ' ' && cp != 0xFFFD) {
            int32_t u = utf8proc_toupper(cp);
            if (u != cp) {
                cp = u;
                same = 0;
            }
        }
        put_cp(b, s + i, k, cp, same);
        i += k;
    }
}

/* Display columns of code point cp in a terminal (0 for combining marks,
 * 2 for East Asian wide characters). */
static int cols_of(int32_t cp)
{
    if (cp < 0x300) /* Latin, before the combining marks: skip the lookup */
        return 1;
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 0 : w;
}

/* s (NULL or "" print `none`) as a table cell of `width` display columns:
 * one line (put_flat), cut on a character boundary with "…" when longer,
 * padded with spaces unless `last`. */
static void put_cell(sr_buf *b, const char *s, const char *none, int width, int last)
{
    if (!s || !*s)
        s = none;
    size_t n = strlen(s);
    /* Does it fit? Measure, stopping as soon as it does not. */
    int total = 0;
    for (size_t i = 0; i < n && total <= width;) {
        int32_t cp;
        int same;
        i += next_cp(s + i, n - i, &cp, &same);
        total += cols_of(cp);
    }
    int limit = total <= width ? width : width - 1; /* room left for "…" */
    int used = 0;
    size_t i = 0, run = 0; /* bytes before i copied as they are, not yet put */
    while (i < n) {
        int32_t cp;
        int same;
        size_t k = next_cp(s + i, n - i, &cp, &same);
        int cw = cols_of(cp);
        if (used + cw > limit)
            break;
        if (same) {
            run += k;
        } else {
            sr_buf_put(b, s + i - run, run);
            run = 0;
            put_cp(b, s + i, k, cp, same);
        }
        used += cw;
        i += k;
    }
    sr_buf_put(b, s + i - run, run);
    if (total > width) {
        sr_buf_puts(b, "\xE2\x80\xA6"); /* … */
        used++;
    }
    if (!last)
        for (; used < width; used++)
            sr_buf_putc(b, ' ');
}

/* ---- numbers and dates -------------------------------------------------- */

static void put_long(sr_buf *b, long v)
{
    if (v < 0) {
        sr_buf_putc(b, '-');
        sr_out_u64(b, (uint64_t)(-(v + 1)) + 1);
    } else {
        sr_out_u64(b, (uint64_t)v);
    }
}

static int quad_known(const sr_event_row *r) { return r->quad_class >= 1 && r->quad_class <= 4; }

/* Goldstein is known with the quad class (both come from the CAMEO table). */
static int goldstein_known(const sr_event_row *r)
{
    return quad_known(r) && r->goldstein == r->goldstein && r->goldstein >= -1e12 &&
           r->goldstein <= 1e12;
}

static int coords_known(const sr_event_row *r)
{
    return r->has_coords && r->lat == r->lat && r->lon == r->lon && r->lat >= -1e12 &&
           r->lat <= 1e12 && r->lon >= -1e12 && r->lon <= 1e12;
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!sr_is_digit(s[i]))
            return 0;
    return 1;
}

/* Splits "YYYY-MM-DD..." into y, m, d; 0 if s does not start with a date. */
static int parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        s[7] != '-' || !digits(s + 8, 2))
        return 0;
    *y = atoi(s);
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

/* GDELT's FractionDate: the year plus ((month - 1) * 30 + day) / 365, as
 * its published records compute it (20200218 -> 2020.1315, 20200330 ->
 * 2020.2466), not the exact day of the year; it stays below year + 1. */
static double fraction_date(int y, int m, int d) { return y + ((m - 1) * 30 + d) / 365.0; }

/* ---- table ---------------------------------------------------------------- */

/* Column widths in display columns; two spaces between columns. The
 * sentence is last and cut at SENT_W. */
enum { DATE_W = 10, EVENT_W = 16, ACTOR_W = 10, CAMEO_W = 5, QUAD_W = 4, PLACE_W = 16,
       SRC_W = 4, SENT_W = 60 };

static void table_header(sr_buf *b)
{
    put_cell(b, "DATE", "", DATE_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "EVENT", "", EVENT_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "SOURCE", "", ACTOR_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "TARGET", "", ACTOR_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "CAMEO", "", CAMEO_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "QUAD", "", QUAD_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, "PLACE", "", PLACE_W, 0);
    sr_buf_puts(b, "   SRC  SENTENCE\n"); /* SRC is right-aligned in SRC_W */
}

static void table_row(sr_buf *b, const sr_event_row *r)
{
    put_cell(b, r->date, "-", DATE_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, r->event_id, "-", EVENT_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, r->src_code, "-", ACTOR_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, r->tgt_code, "-", ACTOR_W, 0);
    sr_buf_puts(b, "  ");
    char cameo[16];
    snprintf(cameo, sizeof cameo, "%s%.8s", r->negated ? "!" : "",
             r->cameo && *r->cameo ? r->cameo : "-");
    put_cell(b, cameo, "-", CAMEO_W, 0);
    sr_buf_puts(b, "  ");
    char quad[4] = {quad_known(r) ? (char)('0' + r->quad_class) : '-', 0};
    put_cell(b, quad, "-", QUAD_W, 0);
    sr_buf_puts(b, "  ");
    put_cell(b, r->place_name, "-", PLACE_W, 0);
    char src[32];
    snprintf(src, sizeof src, "  %*ld  ", SRC_W, r->num_sources);
    sr_buf_puts(b, src);
    put_cell(b, r->sentence, "", SENT_W, 1);
    sr_buf_putc(b, '\n');
}

/* ---- JSON Lines ------------------------------------------------------------- */

static void json_str(sr_buf *b, const char *s)
{
    if (!s) {
        sr_buf_puts(b, "null");
        return;
    }
    sr_buf_putc(b, '"');
    sr_json_escape(b, s, strlen(s));
    sr_buf_putc(b, '"');
}

static void json_actor(sr_buf *b, const char *code, const char *country, const char *org,
                       const char *name)
{
    sr_buf_puts(b, "{\"code\":");
    json_str(b, code);
    sr_buf_puts(b, ",\"country\":");
    json_str(b, country);
    sr_buf_puts(b, ",\"org\":");
    json_str(b, org);
    sr_buf_puts(b, ",\"name\":");
    json_str(b, name);
    sr_buf_putc(b, '}');
}

/* "ceasefire,prisoners" as ["ceasefire","prisoners"]; empty pieces and the
 * spaces around a tag are dropped. */
static void json_issues(sr_buf *b, const char *s)
{
    sr_buf_putc(b, '[');
    int first = 1;
    while (s && *s) {
        const char *e = strchr(s, ',');
        if (!e)
            e = s + strlen(s);
        const char *a = s, *z = e;
        while (a < z && *a == ' ')
            a++;
        while (z > a && z[-1] == ' ')
            z--;
        if (z > a) {
            if (!first)
                sr_buf_putc(b, ',');
            first = 0;
            sr_buf_putc(b, '"');
            sr_json_escape(b, a, (size_t)(z - a));
            sr_buf_putc(b, '"');
        }
        s = *e ? e + 1 : e;
    }
    sr_buf_putc(b, ']');
}

static void json_row(sr_buf *b, const sr_event_row *r)
{
    sr_buf_puts(b, "{\"event_id\":");
    json_str(b, r->event_id);
    sr_buf_puts(b, ",\"date\":");
    json_str(b, r->date);
    sr_buf_puts(b, ",\"date_precision\":");
    json_str(b, r->date_precision);
    sr_buf_puts(b, ",\"source\":");
    json_actor(b, r->src_code, r->src_country, r->src_org, r->src_name);
    sr_buf_puts(b, ",\"target\":");
    if (r->tgt_code || r->tgt_name)
        json_actor(b, r->tgt_code, r->tgt_country, r->tgt_org, r->tgt_name);
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"cameo\":");
    json_str(b, r->cameo);
    sr_buf_puts(b, ",\"root\":");
    json_str(b, r->root);
    sr_buf_puts(b, ",\"quad_class\":");
    if (quad_known(r))
        sr_out_u64(b, (uint64_t)r->quad_class);
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"goldstein\":");
    if (goldstein_known(r))
        sr_out_fixed(b, r->goldstein, 1);
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"plover\":");
    json_str(b, r->plover);
    sr_buf_puts(b, ",\"plover_mode\":");
    json_str(b, r->plover_mode);
    sr_buf_puts(b, r->negated ? ",\"negated\":true" : ",\"negated\":false");
    sr_buf_puts(b, ",\"modality\":");
    json_str(b, r->modality);
    sr_buf_puts(b, ",\"issues\":");
    json_issues(b, r->issues);
    sr_buf_puts(b, ",\"location\":");
    if (r->place_id) {
        sr_buf_puts(b, "{\"id\":");
        json_str(b, r->place_id);
        sr_buf_puts(b, ",\"name\":");
        json_str(b, r->place_name);
        if (coords_known(r)) {
            sr_buf_puts(b, ",\"lat\":");
            sr_out_fixed(b, r->lat, 4);
            sr_buf_puts(b, ",\"lon\":");
            sr_out_fixed(b, r->lon, 4);
        } else {
            sr_buf_puts(b, ",\"lat\":null,\"lon\":null");
        }
        sr_buf_puts(b, ",\"country\":");
        json_str(b, r->place_country);
        sr_buf_puts(b, ",\"admin1\":");
        json_str(b, r->admin1);
        sr_buf_puts(b, ",\"precision\":");
        json_str(b, r->place_precision);
        sr_buf_putc(b, '}');
    } else {
        sr_buf_puts(b, "null");
    }
    sr_buf_puts(b, ",\"num_mentions\":");
    put_long(b, r->num_mentions);
    sr_buf_puts(b, ",\"num_articles\":");
    put_long(b, r->num_articles);
    sr_buf_puts(b, ",\"num_sources\":");
    put_long(b, r->num_sources);
    sr_buf_puts(b, ",\"doc\":");
    json_str(b, r->doc_id);
    sr_buf_puts(b, ",\"sentence\":");
    json_str(b, r->sentence);
    sr_buf_puts(b, ",\"outlet\":");
    json_str(b, r->outlet);
    sr_buf_puts(b, ",\"url\":");
    json_str(b, r->url);
    sr_buf_puts(b, ",\"attribution\":");
    json_str(b, r->attr_by);
    sr_buf_puts(b, ",\"ingested_at\":");
    json_str(b, r->ingested_at);
    /* pass to --after (sr_query.after) for the page after this row */
    sr_buf_puts(b, ",\"cursor\":");
    json_str(b, r->cursor);
    sr_buf_puts(b, "}\n");
}

/* ---- GeoJSON ------------------------------------------------------------------ */

/* One event as a Point feature whose properties are the JSON Lines object;
 * events without coordinates have no geometry to draw and are left out. */
static void geojson_row(sr_buf *b, const sr_event_row *r, long *features)
{
    if (!coords_known(r))
        return;
    sr_buf_puts(b, *features ? ",\n{\"type\":\"Feature\",\"id\":" : "{\"type\":\"Feature\",\"id\":");
    json_str(b, r->event_id);
    sr_buf_puts(b, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[");
    sr_out_fixed(b, r->lon, 4);
    sr_buf_putc(b, ',');
    sr_out_fixed(b, r->lat, 4);
    sr_buf_puts(b, "]},\"properties\":");
    json_row(b, r);
    b->p[b->n - 1] = '}'; /* json_row's closing newline becomes the feature's brace */
    (*features)++;
}

/* ---- CSV and HXL ---------------------------------------------------------------- */

/* One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, the
 * quotes doubled; invalid UTF-8 repaired; NULL is an empty field. Other
 * characters are kept as they are. */
static void csv_field(sr_buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    int quote = 0, plain = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            quote = 1;
        else if (c >= 0x80)
            plain = 0;
    }
    if (quote)
        sr_buf_putc(b, '"');
    if (plain && !quote) {
        sr_buf_put(b, s, n);
        return;
    }
    size_t run = 0; /* bytes since the last one that needed attention */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 1;
        int32_t cp;
        if (c >= 0x80)
            k = sr_utf8_decode(s + i, n - i, &cp);
        if (c != '"' && k) { /* ASCII or valid UTF-8: copied in runs */
            i += k;
            run += k;
            continue;
        }
        sr_buf_put(b, s + i - run, run);
        run = 0;
        if (c == '"') {
            sr_buf_puts(b, "\"\"");
            i++;
        } else {
            i += sr_utf8_bad_len((const unsigned char *)s + i, n - i);
            sr_buf_puts(b, "\xEF\xBF\xBD");
        }
    }
    sr_buf_put(b, s + n - run, run);
    if (quote)
        sr_buf_putc(b, '"');
}

static void csv_sep(sr_buf *b) { sr_buf_putc(b, ','); }

static void csv_long(sr_buf *b, long v)
{
    csv_sep(b);
    put_long(b, v);
}

static const char CSV_HEADER[] =
    "event_id,date,date_precision,source_code,source_country,source_name,target_code,"
    "target_country,target_name,cameo,root,quad_class,goldstein,plover,negated,modality,"
    "issues,place_name,lat,lon,place_country,admin1,place_precision,num_mentions,"
    "num_articles,num_sources,doc,outlet,url,attribution,sentence\r\n";

static void csv_row(sr_buf *b, const sr_event_row *r)
{
    const char *const head[] = {r->event_id, r->date, r->date_precision, r->src_code,
                                r->src_country, r->src_name, r->tgt_code, r->tgt_country,
                                r->tgt_name, r->cameo, r->root};
    for (size_t i = 0; i < SR_ARRAY_LEN(head); i++) {
        if (i)
            csv_sep(b);
        csv_field(b, head[i]);
    }
    csv_sep(b);
    if (quad_known(r))
        sr_out_u64(b, (uint64_t)r->quad_class);
    csv_sep(b);
    if (goldstein_known(r))
        sr_out_fixed(b, r->goldstein, 1);
    csv_sep(b);
    csv_field(b, r->plover);
    sr_buf_puts(b, r->negated ? ",true," : ",false,");
    csv_field(b, r->modality);
    csv_sep(b);
    csv_field(b, r->issues);
    csv_sep(b);
    csv_field(b, r->place_name);
    csv_sep(b);
    if (coords_known(r)) {
        sr_out_fixed(b, r->lat, 4);
        csv_sep(b);
        sr_out_fixed(b, r->lon, 4);
    } else {
        csv_sep(b);
    }
    csv_sep(b);
    csv_field(b, r->place_country);
    csv_sep(b);
    csv_field(b, r->admin1);
    csv_sep(b);
    csv_field(b, r->place_precision);
    csv_long(b, r->num_mentions);
    csv_long(b, r->num_articles);
    csv_long(b, r->num_sources);
    const char *const tail[] = {r->doc_id, r->outlet, r->url, r->attr_by, r->sentence};
    for (size_t i = 0; i < SR_ARRAY_LEN(tail); i++) {
        csv_sep(b);
        csv_field(b, tail[i]);
    }
    sr_buf_puts(b, "\r\n");
}

/* HXL: a human header row, then the hashtag row (HXL 1.1 core hashtags;
 * docs/FORMATS.md says why each). */
static const char HXL_HEADER[] =
    "Date,Event ID,CAMEO code,Event type (PLOVER),Quad class,Goldstein,Negated,Modality,"
    "Source actor,Source actor name,Target actor,Target actor name,Place,Admin1,Country,"
    "Latitude,Longitude,Sources,Outlet,URL,Sentence\r\n"
    "#date+occurred,#event+id,#event+code,#event+type,#event+quad,#indicator+goldstein+num,"
    "#event+negated,#event+modality,#group+code+source,#group+name+source,"
    "#group+code+target,#group+name+target,#loc+name,#adm1+name,#country+code+v_iso3,"
    "#geo+lat,#geo+lon,#meta+sources+num,#meta+source,#meta+url,#description\r\n";

static void hxl_row(sr_buf *b, const sr_event_row *r)
{
    csv_field(b, r->date);
    csv_sep(b);
    csv_field(b, r->event_id);
    csv_sep(b);
    csv_field(b, r->cameo);
    csv_sep(b);
    csv_field(b, r->plover);
    csv_sep(b);
    if (quad_known(r))
        sr_out_u64(b, (uint64_t)r->quad_class);
    csv_sep(b);
    if (goldstein_known(r))
        sr_out_fixed(b, r->goldstein, 1);
    sr_buf_puts(b, r->negated ? ",true," : ",false,");
    csv_field(b, r->modality);
    const char *const mid[] = {r->src_code, r->src_name, r->tgt_code, r->tgt_name,
                               r->place_name, r->admin1, r->place_country};
    for (size_t i = 0; i < SR_ARRAY_LEN(mid); i++) {
        csv_sep(b);
        csv_field(b, mid[i]);
    }
    csv_sep(b);
    if (coords_known(r)) {
        sr_out_fixed(b, r->lat, 4);
        csv_sep(b);
        sr_out_fixed(b, r->lon, 4);
    } else {
        csv_sep(b);
    }
    csv_long(b, r->num_sources);
    const char *const tail[] = {r->outlet, r->url, r->sentence};
    for (size_t i = 0; i < SR_ARRAY_LEN(tail); i++) {
        csv_sep(b);
        csv_field(b, tail[i]);
    }
    sr_buf_puts(b, "\r\n");
}

/* ---- GDELT 2.0 event table ------------------------------------------------------ */

static void tab(sr_buf *b) { sr_buf_putc(b, '\t'); }

/* Empty fields: n tabs. */
static void tabs(sr_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        tab(b);
}

/* The ten actor columns (Code, Name, CountryCode, KnownGroupCode,
 * EthnicCode, Religion1Code, Religion2Code, Type1-3Code), each but the
 * last followed by a tab. The type codes are what follows the country
 * (or organisation) prefix of the code, three letters each:
 * RUSMIL -> MIL. */
static void gdelt_actor(sr_buf *b, const char *code, const char *name, const char *country,
                        const char *org)
{
    put_flat(b, code, 0);
    tab(b);
    put_flat(b, name, 1);
    tab(b);
    put_flat(b, country, 0);
    tab(b);
    put_flat(b, org, 0);
    tabs(b, 4); /* ethnic, religion 1 and 2: sitrep codes none */
    const char *agent = NULL;
    if (code) {
        size_t nc = country ? strlen(country) : 0, no = org ? strlen(org) : 0;
        if (nc && !strncmp(code, country, nc))
            agent = code + nc;
        else if (no && !strncmp(code, org, no))
            agent = code + no;
    }
    for (int i = 0; i < 3; i++) {
        if (i)
            tab(b);
        if (agent && strlen(agent) >= 3) {
            char t[4] = {agent[0], agent[1], agent[2], 0};
            put_flat(b, t, 0);
            agent += 3;
        }
    }
}

/* GDELT's geographic resolution: 1 country, 2 US state, 3 US city,
 * 4 world city, 5 world state (an ADM1 outside the US); 0 unknown. */
static int gdelt_geo_type(const sr_event_row *r)
{
    const char *p = r->place_precision;
    int usa = r->place_country && !strcmp(r->place_country, "USA");
    if (!p)
        return 0;
    if (!strcmp(p, "country"))
        return 1;
    if (!strcmp(p, "admin1"))
        return usa ? 2 : 5;
    if (!strcmp(p, "settlement") || !strcmp(p, "near"))
        return usa ? 3 : 4;
    return 0;
}

/* "Name, Admin1, Country", leaving out parts that are missing or repeat
 * the one before (an admin1 named as itself). */
static void gdelt_fullname(sr_buf *b, const sr_event_row *r)
{
    const char *parts[3] = {r->place_name, r->admin1, r->place_country};
    const char *prev = NULL;
    int any = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i] || (prev && !strcmp(prev, parts[i])))
            continue;
        if (any)
            sr_buf_puts(b, ", ");
        put_flat(b, parts[i], 0);
        prev = parts[i];
        any = 1;
    }
}

static void gdelt_row(sr_buf *b, const sr_event_row *r)
{
    char tmp[64];
    int y, m, d;
    put_flat(b, r->event_id, 0); /* GlobalEventID: a hex string, not GDELT's integer */
    tab(b);
    if (parse_date(r->date, &y, &m, &d)) {
        snprintf(tmp, sizeof tmp, "%04d%02d%02d\t%04d%02d\t%04d\t", y, m, d, y, m, y);
        sr_buf_puts(b, tmp);
        sr_out_fixed(b, fraction_date(y, m, d), 4);
    } else {
        tabs(b, 3);
    }
    tab(b);
    gdelt_actor(b, r->src_code, r->src_name, r->src_country, r->src_org);
    tab(b);
    gdelt_actor(b, r->tgt_code, r->tgt_name, r->tgt_country, r->tgt_org);
    sr_buf_puts(b, "\t1\t"); /* IsRootEvent */
    put_flat(b, r->cameo, 0);
    tab(b);
    if (r->cameo && strlen(r->cameo) > 3) {
        char base[4] = {r->cameo[0], r->cameo[1], r->cameo[2], 0};
        put_flat(b, base, 0);
    } else {
        put_flat(b, r->cameo, 0);
    }
    tab(b);
    put_flat(b, r->root, 0);
    tab(b);
    if (quad_known(r))
        sr_out_u64(b, (uint64_t)r->quad_class);
    tab(b);
    if (goldstein_known(r))
        sr_out_fixed(b, r->goldstein, 1);
    tab(b);
    put_long(b, r->num_mentions);
    tab(b);
    put_long(b, r->num_sources);
    tab(b);
    put_long(b, r->num_articles);
    tab(b);     /* AvgTone: sitrep has none */
    tabs(b, 17); /* Actor1Geo_* and Actor2Geo_*: sitrep places the action only */
    if (r->place_id) {
        int t = gdelt_geo_type(r);
        if (t)
            sr_out_u64(b, (uint64_t)t);
        tab(b);
        gdelt_fullname(b, r);
        tab(b);
        put_flat(b, r->place_country, 0);
        tabs(b, 3); /* ADM1Code, ADM2Code: sitrep has names, not codes */
        if (coords_known(r)) {
            sr_out_fixed(b, r->lat, 4);
            tab(b);
            sr_out_fixed(b, r->lon, 4);
        } else {
            tab(b);
        }
        tab(b);
        put_flat(b, r->place_id, 0);
    } else {
        tabs(b, 7);
    }
    tab(b);
    /* DATEADDED: the first 14 digits of ingested_at, YYYYMMDDHHMMSS */
    const char *s = r->ingested_at;
    int nd = 0;
    for (; s && *s && nd < 14; s++)
        if (sr_is_digit(*s))
            tmp[nd++] = *s;
    if (nd == 14)
        sr_buf_put(b, tmp, 14);
    tab(b);
    put_flat(b, r->url, 0);
    sr_buf_putc(b, '\n');
}

/* ---- the writer ------------------------------------------------------------------- */

int sr_rows_writer_new(const char *format, FILE *f, sr_rows_writer **out, sr_err *err)
{
    *out = NULL;
    int fmt = -1;
    for (size_t i = 0; format && i < SR_ARRAY_LEN(FORMATS); i++)
        if (!strcmp(format, FORMATS[i]))
            fmt = (int)i;
    if (fmt < 0)
        return sr_err_set(err, SR_USAGE, NULL, 0,
                          "unknown format '%s' (expected table, jsonl, csv, gdelt, hxl or geojson)",
                          format ? format : "(null)");
    if (!f)
        return sr_err_set(err, SR_USAGE, NULL, 0, "no output stream");
    sr_rows_writer *w = sr_xcalloc(1, sizeof *w);
    w->format = fmt;
    w->f = f;
    if (fmt == F_TABLE)
        table_header(&w->b);
    else if (fmt == F_CSV)
        sr_buf_puts(&w->b, CSV_HEADER);
    else if (fmt == F_HXL)
        sr_buf_puts(&w->b, HXL_HEADER);
    else if (fmt == F_GEOJSON)
        sr_buf_puts(&w->b, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    *out = w;
    return SR_OK;
}

int sr_rows_write(sr_rows_writer *w, const sr_event_row *row)
{
    if (w->failed)
        return SR_IO;
    switch (w->format) {
    case F_TABLE: table_row(&w->b, row); break;
    case F_JSONL: json_row(&w->b, row); break;
    case F_CSV: csv_row(&w->b, row); break;
    case F_GDELT: gdelt_row(&w->b, row); break;
    case F_HXL: hxl_row(&w->b, row); break;
    case F_GEOJSON: geojson_row(&w->b, row, &w->features); break;
    }
    w->rows++;
    if (w->b.n >= FLUSH_AT)
        flush_buf(w);
    return w->failed ? SR_IO : SR_OK;
}

int sr_rows_writer_finish(sr_rows_writer *w, sr_err *err)
{
    if (!w)
        return SR_OK;
    if (w->format == F_TABLE && !w->failed) {
        char foot[48];
        snprintf(foot, sizeof foot, "(%ld event%s)\n", w->rows, w->rows == 1 ? "" : "s");
        sr_buf_puts(&w->b, foot);
    } else if (w->format == F_GEOJSON) {
        sr_buf_puts(&w->b, "]}\n");
    }
    flush_buf(w);
    if (!w->failed) {
        errno = 0;
        if (fflush(w->f) != 0) {
            w->failed = 1;
            w->failed_errno = errno ? errno : EIO;
        }
    }
    int rc = SR_OK;
    if (w->failed)
        rc = sr_err_set(err, SR_IO, "<output>", 0, "write error: %s", strerror(w->failed_errno));
    sr_buf_free(&w->b);
    free(w);
    return rc;
}
