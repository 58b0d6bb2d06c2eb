/* cmd_place.c — `sitrep place NAME [--prefer ISO3,...]`: the gazetteer's
 * candidate places for a name, best first, one per line, tab-separated:
 * name, lat, lon, country, admin1, GeoNames id (0 for supplement rows),
 * population, score, precision and the dict/places.txt id when there is
 * one. The index comes from --gazetteer, $SITREP_GAZETTEER or the build
 * tree (src/geo/geo.h, sr_geo_default_path).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "geo/geo.h"

#define MAX_PREFER 16
#define MAX_SHOWN 1000

static void help(void)
{
    printf("usage: sitrep place [options] NAME...\n"
           "\n"
           "Shows the gazetteer's candidate places for NAME (the words are joined with\n"
           "spaces), best first, one per line, tab-separated: name, lat, lon, country,\n"
           "admin1, GeoNames id, population, score, precision, supplement id.\n"
           "\n"
           "options:\n"
           "  -p, --prefer ISO3,...   countries to prefer (an event's actors, the\n"
           "                          document's focus), most relevant first\n"
           "  -n, --max N             show at most N candidates (default 10)\n"
           "  -g, --gazetteer FILE    the index (default $SITREP_GAZETTEER or the build's)\n"
           "  -h, --help              this text\n"
           "\n"
           "Exit status: 0 found, 1 no such place, 2 usage error, 3 bad gazetteer.\n");
}

static const char *precision_name(int p)
{
    switch (p) {
    case SR_PLACE_SETTLEMENT: return "settlement";
    case SR_PLACE_NEAR: return "near";
    case SR_PLACE_ADMIN1: return "admin1";
    case SR_PLACE_COUNTRY: return "country";
    default: return "?";
    }
}

/* Splits "UKR,RUS" in place into prefer[]; returns the count or -1. */
static int parse_prefer(char *list, const char **prefer, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", ")) {
        if (strlen(tok) < 3 || n == max)
            return -1;
        for (char *p = tok; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        prefer[n++] = tok;
    }
    return (int)n;
}

int cmd_place(int argc, char **argv)
{
    const char *prefer[MAX_PREFER];
    int nprefer = 0;
    char *preferbuf = NULL;
    const char *path = NULL;
    long max = 10;
    sr_buf name = {0};
    int rc = EXIT_OK, opts = 1;

    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const char *a = argv[i];
        if (opts && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            help();
            goto out;
        } else if (opts && !strcmp(a, "--")) {
            opts = 0;
        } else if (opts && cli_opt_value(argc, argv, &i, "--prefer", "-p", &v)) {
            if (!v) {
                rc = cli_usage_error("place", "--prefer needs a list of ISO alpha-3 codes");
                goto out;
            }
            free(preferbuf);
            preferbuf = sr_xstrdup(v);
            nprefer = parse_prefer(preferbuf, prefer, MAX_PREFER);
            if (nprefer < 0) {
                rc = cli_usage_error("place", "bad --prefer list '%s' (expected ISO3,ISO3,...)",
                                     v);
                goto out;
            }
        } else if (opts && cli_opt_value(argc, argv, &i, "--max", "-n", &v)) {
            char *end;
            max = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || max < 1 || max > MAX_SHOWN) {
                rc = cli_usage_error("place", "--max needs a number from 1 to %d", MAX_SHOWN);
                goto out;
            }
        } else if (opts && cli_opt_value(argc, argv, &i, "--gazetteer", "-g", &v)) {
            if (!v) {
                rc = cli_usage_error("place", "--gazetteer needs a file");
                goto out;
            }
            path = v;
        } else if (opts && a[0] == '-' && a[1]) {
            rc = cli_usage_error("place", "unknown option '%s'", a);
            goto out;
        } else {
            if (name.n)
                sr_buf_putc(&name, ' ');
            sr_buf_puts(&name, a);
        }
    }
    if (!name.n) {
        rc = cli_usage_error("place", "no place name given");
        goto out;
    }

    sr_gazetteer *g;
    sr_err err;
    if (sr_geo_open(path, &g, &err) != SR_OK) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        rc = EXIT_DICT;
        goto out;
    }
    sr_place_candidate *c = sr_xmalloc((size_t)max * sizeof *c);
    size_t n = sr_geo_lookup(g, name.p, prefer, (size_t)nprefer, c, (size_t)max);
    for (size_t i = 0; i < n; i++) {
        const sr_place *p = &c[i].place;
        printf("%s\t%.4f\t%.4f\t%s\t%s\t%ld\t%ld\t%.2f\t%s\t%s\n", p->name, p->lat, p->lon,
               p->country, p->admin1[0] ? p->admin1 : "-", p->geonames_id, p->population,
               c[i].score, precision_name(p->precision),
               p->supplement_id[0] ? p->supplement_id : "-");
    }
    if (n == 0) {
        cli_error("place: no place named '%s' in %s", name.p, path ? path : sr_geo_default_path());
        rc = EXIT_INPUT;
    }
    free(c);
    sr_geo_free(g);
out:
    free(preferbuf);
    sr_buf_free(&name);
    return rc;
}
