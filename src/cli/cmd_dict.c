/* cmd_dict.c — `sitrep dict check`: loads and validates every dictionary
 * and prints what was loaded; errors name file:line (exit 3). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: sitrep dict check [--dict DIR]\n\n"
    "Loads and validates every dictionary file (docs/DICTIONARIES.md) and\n"
    "prints the number of entries of each kind. An error names FILE:LINE and\n"
    "exits with status 3.\n\n"
    "  --dict DIR   dictionary directory (default: $SITREP_DICT or the built-in path)\n";

int cmd_dict(int argc, char **argv)
{
    const char *dir = NULL, *sub = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(HELP, stdout);
            return EXIT_OK;
        } else if (cli_opt_value(argc, argv, &i, "--dict", NULL, &v)) {
            if (!v)
                return cli_usage_error("dict", "--dict needs a directory");
            dir = v;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("dict", "unknown option '%s'", argv[i]);
        } else if (!sub) {
            sub = argv[i];
        } else {
            return cli_usage_error("dict", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!sub || strcmp(sub, "check"))
        return cli_usage_error("dict", "expected 'check'");
    sr_dict *d;
    int rc = cli_open_dict(dir, &d);
    if (rc)
        return rc;
    static const char *const kinds[] = {"actors", "agents", "verbs", "issues", "boilerplate", "cameo"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        printf("%-12s %zu\n", kinds[i], sr_dict_count(d, kinds[i]));
    printf("ok\n");
    sr_dict_free(d);
    return EXIT_OK;
}
