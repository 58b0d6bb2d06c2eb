/* cmd_serve.c — `sitrep serve`: options and signals for the HTTP API and
 * dashboard server (src/api/). */
#include "cli.h"
#include "pipeline.h"

#include "api/api.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SR_WEB_DIR
#define SR_WEB_DIR "web"
#endif

static const char HELP[] =
    "usage: sitrep serve [--db TARGET] [--listen ADDR:PORT] [OPTIONS]\n\n"
    "Serves the store as a JSON API under /api/ (docs/API.md) and the dashboard\n"
    "(map, timeline, event list) under /, until SIGINT or SIGTERM, which finish\n"
    "the requests in flight and close the store cleanly.\n\n"
    "  --db TARGET        SQLite file or postgresql:// URL (default: $SITREP_DB\n"
    "                     or ./sitrep.db; created if missing)\n"
    "  --listen ADDR:PORT where to listen (default 127.0.0.1:8080, loopback only;\n"
    "                     port 0 picks a free port, printed on start)\n"
    "  --web DIR          the dashboard's files (default: the build's web/)\n"
    "  --token T          lets POST /api/documents store documents when sent as\n"
    "                     'Authorization: Bearer T' (default: $SITREP_TOKEN;\n"
    "                     without a token writes are off)\n"
    "  --token-read T     reads under /api/ need this token (or the write token)\n"
    "                     too (default: $SITREP_TOKEN_READ; unset: reads are open)\n"
    "  --threads N        request threads, each with its own store connection\n"
    "                     (default 8)\n"
    "  --max-body BYTES   largest POST body (default 8388608)\n"
    "  --cache MB         memory for cached answers, kept until the store changes\n"
    "                     (default 64; 0 turns the cache off)\n"
    "  --access-log FILE  log each request to FILE\n"
    "  --dict DIR, --gazetteer FILE   for coding posted documents\n"
    "  -q, --quiet        no messages but errors\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int parse_size(const char *cmd, const char *opt, const char *v, long long lo, long long hi,
                      long long *out)
{
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || errno || x < lo || x > hi)
        return cli_usage_error(cmd, "%s needs a whole number from %lld to %lld", opt, lo, hi);
    *out = x;
    return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    const char *cmd = "serve";
    sr_api_config cfg = {.listen = "127.0.0.1:8080", .web_dir = SR_WEB_DIR, .threads = 8,
                         .max_body = 8u << 20, .cache_bytes = 64u << 20};
    const char *db = NULL, *dictdir = NULL, *gazetteer = NULL;
    cfg.token = getenv("SITREP_TOKEN");
    cfg.token_read = getenv("SITREP_TOKEN_READ");
    for (int i = 1; i < argc; i++) {
        const char *v, *a = argv[i];
        long long n = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(HELP, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            cfg.quiet = 1;
        } else if (cli_opt_value(argc, argv, &i, "--db", NULL, &v)) {
            if (!v)
                return cli_usage_error(cmd, "--db needs a target");
            db = v;
        } else if (cli_opt_value(argc, argv, &i, "--listen", NULL, &v)) {
            if (!v || !strchr(v, ':'))
                return cli_usage_error(cmd, "--listen needs ADDRESS:PORT (e.g. 127.0.0.1:8080)");
            cfg.listen = v;
        } else if (cli_opt_value(argc, argv, &i, "--web", NULL, &v)) {
            if (!v)
                return cli_usage_error(cmd, "--web needs a directory");
            cfg.web_dir = v;
        } else if (cli_opt_value(argc, argv, &i, "--token", NULL, &v)) {
            if (!v || !*v)
                return cli_usage_error(cmd, "--token needs a value");
            cfg.token = v;
        } else if (cli_opt_value(argc, argv, &i, "--token-read", NULL, &v)) {
            if (!v || !*v)
                return cli_usage_error(cmd, "--token-read needs a value");
            cfg.token_read = v;
        } else if (cli_opt_value(argc, argv, &i, "--threads", NULL, &v)) {
            if (parse_size(cmd, "--threads", v, 1, 256, &n))
                return EXIT_USAGE;
            cfg.threads = (int)n;
        } else if (cli_opt_value(argc, argv, &i, "--max-body", NULL, &v)) {
            if (parse_size(cmd, "--max-body", v, 1024, 1LL << 30, &n))
                return EXIT_USAGE;
            cfg.max_body = (size_t)n;
        } else if (cli_opt_value(argc, argv, &i, "--cache", NULL, &v)) {
            if (parse_size(cmd, "--cache", v, 0, 65536, &n))
                return EXIT_USAGE;
            cfg.cache_bytes = (size_t)n << 20;
        } else if (cli_opt_value(argc, argv, &i, "--access-log", NULL, &v)) {
            if (!v)
                return cli_usage_error(cmd, "--access-log needs a file");
            cfg.access_log = v;
        } else if (cli_opt_value(argc, argv, &i, "--dict", NULL, &v)) {
            if (!v)
                return cli_usage_error(cmd, "--dict needs a directory");
            dictdir = v;
        } else if (cli_opt_value(argc, argv, &i, "--gazetteer", NULL, &v)) {
            if (!v)
                return cli_usage_error(cmd, "--gazetteer needs a file");
            gazetteer = v;
        } else {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        }
    }
    if (cfg.token && !*cfg.token)
        cfg.token = NULL;
    if (cfg.token_read && !*cfg.token_read)
        cfg.token_read = NULL;
    cfg.db = cli_db_target(db);

    /* The dictionaries code posted documents: only needed with writes on. */
    sr_dict *dict = NULL;
    if (cfg.token) {
        cli_read_opts o;
        cli_read_opts_init(&o, 0);
        o.dictdir = dictdir;
        o.gazetteer = gazetteer;
        int rc = cli_read_open_dict(&o, &dict);
        cli_read_opts_free(&o);
        if (rc)
            return rc;
        cfg.dict = dict;
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    sr_err err = {0};
    int rc = sr_api_serve(&cfg, &stop_flag, &err);
    sr_dict_free(dict);
    if (rc) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        return EXIT_USAGE;
    }
    if (!cfg.quiet)
        fprintf(stderr, "sitrep serve: stopped\n");
    return EXIT_OK;
}
