/* cmd_events.c — the store's read commands: `sitrep events` (filtered
 * events in a chosen format), `sitrep show` (one event, every mention) and
 * `sitrep stats` (counts). They share one set of filter options, parsed
 * here into an sr_query. */
#include "cli.h"

#include "base/base.h"
#include "geo/geo.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char FILTER_HELP[] =
    "Filters (all optional, combined with AND):\n"
    "  --since DATE, --until DATE   event dates, YYYY-MM-DD, inclusive\n"
    "  --actor X          either side: a code or prefix (RUS, RUSMIL, NATO) or\n"
    "                     words of the actor's name (\"Zelensky\")\n"
    "  --source X, --target X       the same, one side only\n"
    "  --cameo CODE       CAMEO code or prefix (\"19\", \"190\", \"0871\"); --root RR\n"
    "  --quad N           quad class: 1 verbal cooperation, 2 material cooperation,\n"
    "                     3 verbal conflict, 4 material conflict\n"
    "  --plover TYPE      PLOVER event type (ASSAULT, AGREE, ...)\n"
    "  --modality M       asserted, reported, assessed, intended, hypothetical\n"
    "  --negated, --not-negated\n"
    "  --attributed-by X  reported by a source whose name contains X;\n"
    "                     --anonymous: attributed to unnamed sources\n"
    "  --place NAME       place name, oblast/province, or country code\n"
    "  --near LAT,LON|NAME  within --radius KM (default 25) of a point or place\n"
    "  --issue TAG        negotiation issue (ceasefire, territory, prisoners, ...)\n"
    "  --text QUERY       full-text search over the sentences (\"quoted phrase\")\n"
    "  --doc ID           events mentioned in one document\n"
    "  --db TARGET        SQLite file or postgresql:// URL (default: $SITREP_DB\n"
    "                     or ./sitrep.db)\n";

typedef struct {
    sr_query q;
    const char *db;
    const char *format;
    const char *by;
    const char *near_name;
    double radius;
    int near_given;
} filter_opts;

static int parse_number(const char *cmd, const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = v ? strtod(v, &end) : 0;
    if (!v || *end || errno || !(d >= lo && d <= hi))
        return cli_usage_error(cmd, "%s needs a number from %g to %g", opt, lo, hi);
    *out = d;
    return EXIT_OK;
}

/* Returns 1 if argv[*i] is a filter option (consumed), 0 if not, or -1
 * after printing a usage error. */
static int filter_opt(const char *cmd, int argc, char **argv, int *i, filter_opts *f)
{
    const char *v, *a = argv[*i];
    double d = 0;
    static const struct {
        const char *name;
        size_t off;
    } TEXT[] = {
        {"--since", offsetof(sr_query, since)},       {"--until", offsetof(sr_query, until)},
        {"--actor", offsetof(sr_query, actor)},       {"--source", offsetof(sr_query, source_actor)},
        {"--target", offsetof(sr_query, target_actor)}, {"--cameo", offsetof(sr_query, cameo)},
        {"--root", offsetof(sr_query, cameo)},        {"--plover", offsetof(sr_query, plover)},
        {"--modality", offsetof(sr_query, modality)}, {"--attributed-by", offsetof(sr_query, attributed)},
        {"--place", offsetof(sr_query, place)},       {"--issue", offsetof(sr_query, issue)},
        {"--text", offsetof(sr_query, text)},         {"--doc", offsetof(sr_query, doc)},
        {"--after", offsetof(sr_query, after)},
    };
    for (size_t k = 0; k < SR_ARRAY_LEN(TEXT); k++)
        if (cli_opt_value(argc, argv, i, TEXT[k].name, NULL, &v)) {
            if (!v || !*v) {
                cli_usage_error(cmd, "%s needs a value", TEXT[k].name);
                return -1;
            }
            if (!strcmp(TEXT[k].name, "--root") && (strlen(v) != 2 || strspn(v, "0123456789") != 2)) {
                cli_usage_error(cmd, "--root needs a two-digit CAMEO root (01-20)");
                return -1;
            }
            *(const char **)((char *)&f->q + TEXT[k].off) = v;
            return 1;
        }
    if (!strcmp(a, "--negated")) {
        f->q.negated = 1;
    } else if (!strcmp(a, "--not-negated")) {
        f->q.negated = 0;
    } else if (!strcmp(a, "--anonymous")) {
        f->q.attributed = "anonymous";
    } else if (cli_opt_value(argc, argv, i, "--quad", NULL, &v)) {
        if (parse_number(cmd, "--quad", v, 1, 4, &d) || d != floor(d))
            return -1;
        f->q.quad = (int)d;
    } else if (cli_opt_value(argc, argv, i, "--radius", NULL, &v)) {
        if (parse_number(cmd, "--radius", v, 0.001, 20000, &f->radius))
            return -1;
    } else if (cli_opt_value(argc, argv, i, "--limit", "-n", &v)) {
        if (parse_number(cmd, "--limit", v, 0, 1e12, &d) || d != floor(d))
            return -1;
        f->q.limit = (long)d;
    } else if (cli_opt_value(argc, argv, i, "--near", NULL, &v)) {
        if (!v || !*v) {
            cli_usage_error(cmd, "--near needs LAT,LON or a place name");
            return -1;
        }
        f->near_given = 1;
        double lat, lon;
        char tail;
        if (sscanf(v, "%lf,%lf%c", &lat, &lon, &tail) == 2) {
            if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
                cli_usage_error(cmd, "--near: latitude -90..90, longitude -180..180");
                return -1;
            }
            f->q.lat = lat;
            f->q.lon = lon;
        } else {
            f->near_name = v;
        }
    } else if (cli_opt_value(argc, argv, i, "--db", NULL, &v)) {
        if (!v) {
            cli_usage_error(cmd, "--db needs a file or a postgresql:// URL");
            return -1;
        }
        f->db = v;
    } else if (cli_opt_value(argc, argv, i, "--format", "-f", &v)) {
        if (!v) {
            cli_usage_error(cmd, "--format needs a format");
            return -1;
        }
        f->format = v;
    } else if (cli_opt_value(argc, argv, i, "--by", NULL, &v)) {
        if (!v) {
            cli_usage_error(cmd, "--by needs day, root, quad, pair or place");
            return -1;
        }
        f->by = v;
    } else {
        return 0;
    }
    return 1;
}

/* --near NAME: the gazetteer's best candidate. */
static int resolve_near(filter_opts *f)
{
    f->q.radius_km = f->radius > 0 ? f->radius : 25;
    if (!f->near_given)
        return EXIT_OK;
    f->q.near = 1;
    if (!f->near_name)
        return EXIT_OK;
    sr_gazetteer *g;
    sr_err err;
    if (sr_geo_open(NULL, &g, &err) != SR_OK) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        return EXIT_DICT;
    }
    sr_place_candidate c;
    size_t n = sr_geo_lookup(g, f->near_name, NULL, 0, &c, 1);
    sr_geo_free(g);
    if (!n) {
        cli_error("--near: no place named '%s' in the gazetteer (try LAT,LON)", f->near_name);
        return EXIT_USAGE;
    }
    f->q.lat = c.place.lat;
    f->q.lon = c.place.lon;
    return EXIT_OK;
}

static int query_failed(const sr_err *err)
{
    char msg[1200];
    cli_error("%s", sr_err_format(err, msg, sizeof msg));
    return EXIT_USAGE;
}

static int parse_filters(const char *cmd, const char *help, int argc, char **argv, filter_opts *f,
                         const char **positional)
{
    f->q.negated = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            fputs(FILTER_HELP, stdout);
            return -1;
        }
        int r = filter_opt(cmd, argc, argv, &i, f);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            if (positional && !*positional && a[0] != '-') {
                *positional = a;
                continue;
            }
            return cli_usage_error(cmd, a[0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'", a);
        }
    }
    return resolve_near(f);
}

static const char EVENTS_HELP[] =
    "usage: sitrep events [FILTERS] [--format F] [--limit N]\n\n"
    "Lists stored events, newest first, one row per event (duplicate reports\n"
    "merged; num_sources counts outlets, num_articles documents).\n\n"
    "  -f, --format F     table (default on a terminal), jsonl (default otherwise),\n"
    "                     csv, gdelt (GDELT 2.0 event columns), hxl (CSV with HXL tags),\n"
    "                     geojson (a FeatureCollection of the events with coordinates)\n"
    "  -n, --limit N      at most N events (default: all; table: 50)\n"
    "  --after CURSOR     the page after the row with this cursor (jsonl: \"cursor\")\n\n";

static int write_row(void *ud, const sr_event_row *r)
{
    return sr_rows_write(ud, r) != SR_OK;
}

int cmd_events(int argc, char **argv)
{
    filter_opts f = {0};
    int rc = parse_filters("events", EVENTS_HELP, argc, argv, &f, NULL);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    int tty = isatty(1);
    if (!f.format)
        f.format = tty ? "table" : "jsonl";
    if (!strcmp(f.format, "table") && f.q.limit == 0 && tty)
        f.q.limit = 50;
    sr_err err = {0};
    sr_rows_writer *w;
    if (sr_rows_writer_new(f.format, stdout, &w, &err)) {
        char msg[1200];
        return cli_usage_error("events", "%s", sr_err_format(&err, msg, sizeof msg));
    }
    sr_store *st;
    if ((rc = cli_store_open(cli_db_target(f.db), SR_STORE_READONLY, &st))) {
        sr_rows_writer_finish(w, NULL);
        return rc;
    }
    rc = sr_store_query(st, &f.q, write_row, w, &err) ? query_failed(&err) : EXIT_OK;
    sr_err werr = {0};
    if (sr_rows_writer_finish(w, &werr) && rc == EXIT_OK)
        rc = query_failed(&werr);
    sr_store_close(st);
    return rc;
}

static const char SHOW_HELP[] =
    "usage: sitrep show [--db TARGET] [--format text|json] EVENT_ID\n\n"
    "Prints one stored event: what was coded, and every mention of it with its\n"
    "sentence, document, attribution and why (the words and dictionary rules\n"
    "that produced it).\n\n";

static const char *js(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "-";
}

static void print_actor(const char *label, json_t *a)
{
    if (!json_is_object(a)) {
        printf("%-12s -\n", label);
        return;
    }
    printf("%-12s %s (%s)\n", label, js(a, "code"), js(a, "name"));
}

static void print_text(json_t *ev)
{
    printf("event        %s\n", js(ev, "event_id"));
    printf("date         %s (%s)\n", js(ev, "date"), js(ev, "date_precision"));
    print_actor("source", json_object_get(ev, "source"));
    print_actor("target", json_object_get(ev, "target"));
    printf("cameo        %s  quad %lld  goldstein %.1f  plover %s\n", js(ev, "cameo"),
           json_integer_value(json_object_get(ev, "quad_class")),
           json_number_value(json_object_get(ev, "goldstein")), js(ev, "plover"));
    printf("modality     %s%s\n", js(ev, "modality"),
           json_is_true(json_object_get(ev, "negated")) ? ", negated" : "");
    json_t *loc = json_object_get(ev, "location");
    if (json_is_object(loc))
        printf("place        %s, %s, %s (%.4f, %.4f; %s)\n", js(loc, "name"), js(loc, "admin1"),
               js(loc, "country"), json_number_value(json_object_get(loc, "lat")),
               json_number_value(json_object_get(loc, "lon")), js(loc, "precision"));
    printf("reported     %lld mentions, %lld articles, %lld sources\n",
           json_integer_value(json_object_get(ev, "num_mentions")),
           json_integer_value(json_object_get(ev, "num_articles")),
           json_integer_value(json_object_get(ev, "num_sources")));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(ev, "mentions"), i, m) {
        printf("\nmention %zu    %s\n", i + 1, js(m, "mention_id"));
        printf("  document   %s  %s  %s\n", js(m, "doc"), js(m, "outlet"), js(m, "url"));
        printf("  sentence   %s\n", js(m, "sentence"));
        json_t *at = json_object_get(m, "attribution");
        if (json_is_object(at))
            printf("  according  %s (%s)%s\n", js(at, "by"), js(at, "verb"),
                   json_is_true(json_object_get(at, "anonymous")) ? ", anonymous" : "");
        printf("  coded      %s %s -> %s, %s\n", js(m, "cameo"),
               js(json_object_get(m, "source"), "code"), js(json_object_get(m, "target"), "code"),
               js(m, "modality"));
        size_t k;
        json_t *w;
        json_array_foreach(json_object_get(m, "why"), k, w) {
            printf("  why        %-8s \"%s\"", js(w, "role"), js(w, "text"));
            if (json_object_get(w, "rule"))
                printf("  %s  %s", js(w, "rule"), js(w, "entry"));
            putchar('\n');
        }
    }
}

int cmd_show(int argc, char **argv)
{
    filter_opts f = {0};
    const char *id = NULL;
    int rc = parse_filters("show", SHOW_HELP, argc, argv, &f, &id);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (!id)
        return cli_usage_error("show", "no event id given");
    const char *format = f.format ? f.format : "text";
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error("show", "--format is text or json, not '%s'", format);
    sr_store *st;
    if ((rc = cli_store_open(cli_db_target(f.db), SR_STORE_READONLY, &st)))
        return rc;
    sr_err err = {0};
    char *json = NULL;
    int q = sr_store_event_json(st, id, &json, &err);
    sr_store_close(st);
    if (q == SR_DONE) {
        cli_error("no event '%s' in %s", id, cli_db_target(f.db));
        return EXIT_INPUT;
    }
    if (q)
        return query_failed(&err);
    if (!strcmp(format, "json")) {
        puts(json);
    } else {
        json_t *ev = json_loads(json, 0, NULL);
        if (ev)
            print_text(ev);
        json_decref(ev);
    }
    free(json);
    return EXIT_OK;
}

static const char STATS_HELP[] =
    "usage: sitrep stats [FILTERS] [--by day|root|quad|pair|place] [--limit N]\n\n"
    "Counts stored events (merged duplicates count once) by day, CAMEO root,\n"
    "quad class, actor pair (source -> target) and place; all of them unless\n"
    "--by names one. --limit caps the rows of each.\n\n";

static int print_count(void *ud, const char *key, long count)
{
    (void)ud;
    printf("  %-40s %8ld\n", key ? key : "-", count);
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    filter_opts f = {0};
    int rc = parse_filters("stats", STATS_HELP, argc, argv, &f, NULL);
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    static const char *const ALL[] = {"day", "root", "quad", "pair", "place"};
    if (f.by) {
        int ok = 0;
        for (size_t i = 0; i < SR_ARRAY_LEN(ALL); i++)
            ok |= !strcmp(f.by, ALL[i]);
        if (!ok)
            return cli_usage_error("stats", "--by is day, root, quad, pair or place, not '%s'", f.by);
    }
    sr_store *st;
    if ((rc = cli_store_open(cli_db_target(f.db), SR_STORE_READONLY, &st)))
        return rc;
    sr_err err = {0};
    for (size_t i = 0; i < SR_ARRAY_LEN(ALL) && rc == EXIT_OK; i++) {
        if (f.by && strcmp(f.by, ALL[i]))
            continue;
        printf("%sby %s\n", i && !f.by ? "\n" : "", ALL[i]);
        if (sr_store_stats(st, &f.q, ALL[i], print_count, NULL, &err))
            rc = query_failed(&err);
    }
    sr_store_close(st);
    if (fflush(stdout) != 0 && rc == EXIT_OK) {
        cli_error("<stdout>: write error: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
    return rc;
}
