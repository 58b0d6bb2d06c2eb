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
    cli_read_opts_init(&o, argc);
    for (int i = 1; i < argc; i++) {
        int r = cli_read_opt("code", argc, argv, &i, &o);
        if (r > 0)
            continue;
        cli_read_opts_free(&o);
        if (r < 0)
            return EXIT_USAGE;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(HELP, stdout);
            return EXIT_OK;
        }
        return cli_usage_error("code", "unknown option '%s'", argv[i]);
    }
    sr_dict *dict;
    sr_input *in;
    int rc = cli_read_open("code", &o, &dict, &in);
    if (rc) {
        cli_read_opts_free(&o);
        return rc;
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
    cli_read_opts_free(&o);
    if (out.write_failed)
        return EXIT_USAGE;
    return p.bad_input ? EXIT_INPUT : EXIT_OK;
}
