/* main.c — the sitrep command: dispatches to one file per subcommand and
 * holds the small helpers they share (option values, errors, dictionary
 * location). Library calls do the work; this layer only talks to people. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SR_DICT_DIR
#define SR_DICT_DIR "dict"
#endif

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} COMMANDS[] = {
    {"code", cmd_code, "code documents into events (JSON Lines on stdout)"},
    {"dict", cmd_dict, "check the dictionaries (sitrep dict check)"},
    {"place", cmd_place, "show the gazetteer's candidate places for a name"},
    {"date", cmd_date, "resolve a date expression against a publication date"},
    {"ingest", cmd_ingest, "code documents and keep them in a store (SQLite or PostgreSQL)"},
    {"worker", cmd_worker, "code the documents queued in a store (ingest --queue)"},
    {"events", cmd_events, "query stored events (table, jsonl, csv, gdelt, hxl, geojson)"},
    {"show", cmd_show, "one stored event with its sentence, mentions and why"},
    {"stats", cmd_stats, "counts of stored events by day, root code, actor pair, place"},
    {"serve", cmd_serve, "the HTTP API and the dashboard (map, timeline, events)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sitrep <command> [options] [PATH...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\nsitrep <command> --help describes each command. Exit status: 0 ok,\n"
               "1 some input was rejected, 2 usage or system error, 3 bad dictionary.\n");
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sitrep: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sitrep %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'sitrep %s --help'.\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alias,
                  const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (!strcmp(a, name) || (alias && !strcmp(a, alias))) {
        if (*i + 1 >= argc) {
            *value = NULL;
            return 1;
        }
        *value = argv[++*i];
        return 1;
    }
    if (alias && !strncmp(a, alias, strlen(alias)) && a[1] != '-' && a[strlen(alias)]) {
        *value = a + strlen(alias); /* -j4 */
        return 1;
    }
    return 0;
}

int cli_open_dict(const char *dir, sr_dict **out)
{
    if (!dir)
        dir = getenv("SITREP_DICT");
    if (!dir || !*dir)
        dir = SR_DICT_DIR;
    sr_err err = {0};
    if (sr_dict_open(dir, out, &err)) {
        char buf[1200];
        cli_error("%s", sr_err_format(&err, buf, sizeof buf));
        return EXIT_DICT;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        printf("sitrep %s\n", SR_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (!strcmp(cmd, COMMANDS[i].name))
            return COMMANDS[i].fn(argc - 1, argv + 1);
    cli_error("unknown command '%s'", cmd);
    fprintf(stderr, "Try 'sitrep --help'.\n");
    return EXIT_USAGE;
}
