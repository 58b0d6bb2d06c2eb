/* cmd_code.c — `sitrep code`: codes documents and writes their events as
 * JSON Lines on stdout, in input order (pipeline.c does the reading and the
 * threads). */
#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: sitrep code [OPTIONS] PATH...\n\n"
    "Codes news documents into CAMEO/PLOVER events, one JSON object per line\n"
    "on stdout (docs/OUTPUT.md). PATH is a .txt or .html/.htm file, a .jsonl\n"
    "feed (one document per line: id, text or html, published, url, source,\n"
    "title), a directory (its supported files, sorted) or - (JSONL on stdin).\n\n"
    "  --published DATE  date (YYYY-MM-DD) for documents that carry none\n"
    "  -j, --jobs N      worker threads (default: all cores)\n"
    "  --dict DIR        dictionary directory (default: $SITREP_DICT or built in)\n"
    "  --gazetteer FILE  place index (default: $SITREP_GAZETTEER or the one built)\n"
    "  --speculation     also emit events an analyst only assesses (modality\n"
    "                    \"assessed\": \"ISW assesses that\", \"likely\"); left out by default\n"
    "  -q, --quiet       no warnings, no progress\n"
    "  -h, --help        this text\n\n"
    "Exit status: 0 ok, 1 some input was unreadable (the rest is coded),\n"
    "2 usage or output error, 3 bad dictionary or gazetteer.\n";

typedef struct {
    int write_failed;
} code_out;

static int write_events(void *ud, sr_doc *doc, sr_events *ev, const char *jsonl, size_t len)
{
    code_out *o = ud;
    (void)doc;
    (void)ev;
    if (len && fwrite(jsonl, 1, len, stdout) != len && !o->write_failed) {
        cli_error("<stdout>: write error: %s", strerror(errno));
        o->write_failed = 1;
    }
    return 0;
}

int cmd_code(int argc, char **argv)
{
    cli_read_opts o;
    cli_read_opts_init(&o);
    int only_paths = 0;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
            paths[npaths++] = a;
        } else if (!strcmp(a, "--")) {
            only_paths = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(HELP, stdout);
            free(paths);
            return EXIT_OK;
        } else {
            int r = cli_read_opt("code", argc, argv, &i, &o);
            if (r <= 0) {
                free(paths);
                return r < 0 ? EXIT_USAGE : cli_usage_error("code", "unknown option '%s'", a);
            }
        }
    }
    if (!npaths) {
        free(paths);
        return cli_usage_error("code", "no input (give a PATH, or - for JSONL on stdin)");
    }
    sr_dict *dict;
    int rc = cli_read_open_dict(&o, &dict);
    if (rc) {
        free(paths);
        return rc;
    }
    sr_input *in;
    sr_err err = {0};
    if (sr_input_open(paths, npaths, dict, &in, &err)) {
        char msg[1200];
        cli_error("%s", sr_err_format(&err, msg, sizeof msg));
        sr_dict_free(dict);
        free(paths);
        return EXIT_USAGE;
    }
    /* events are written in large blocks: JSON Lines output is several
     * times the input's size, and stdio's default buffer costs a system
     * call every few kilobytes */
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    code_out out = {0};
    cli_pipeline p = {.dict = dict, .flags = o.flags, .published = o.published, .jobs = o.jobs,
                      .quiet = o.quiet, .want_jsonl = 1, .verb = "coded",
                      .consume = write_events, .ud = &out};
    cli_pipeline_run(&p, in);
    if (fflush(stdout) != 0 && !out.write_failed) {
        cli_error("<stdout>: write error: %s", strerror(errno));
        out.write_failed = 1;
    }
    sr_input_free(in);
    sr_dict_free(dict);
    free(paths);
    if (out.write_failed)
        return EXIT_USAGE;
    return p.bad_input ? EXIT_INPUT : EXIT_OK;
}
