/* cmd_date.c — `sitrep date EXPR [--published YYYY-MM-DD]`: resolves one
 * date expression (src/time/dates.h) and prints "YYYY-MM-DD PRECISION";
 * prints "none" and exits 1 when it does not resolve. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "time/dates.h"

static const char HELP[] =
    "usage: sitrep date EXPR... [--published YYYY-MM-DD]\n\n"
    "Resolves a date expression as the coder does and prints the date and its\n"
    "precision (day, week, month, year); weeks, months and years print their\n"
    "first day. Prints 'none' and exits with status 1 when the expression does\n"
    "not resolve. Several arguments are joined with spaces.\n\n"
    "  --published DATE   the document's date; without it only dates that\n"
    "                     carry a year resolve\n\n"
    "examples:\n"
    "  sitrep date 'on Tuesday' --published 2025-03-20     2025-03-18 day\n"
    "  sitrep date 'last week' --published 2025-03-20      2025-03-10 week\n"
    "  sitrep date 'in December 2023'                      2023-12-01 month\n";

int cmd_date(int argc, char **argv)
{
    const char *published = NULL;
    sr_buf expr = {0};
    int nexpr = 0, dashdash = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!dashdash && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
            fputs(HELP, stdout);
            sr_buf_free(&expr);
            return EXIT_OK;
        } else if (!dashdash && !strcmp(argv[i], "--")) {
            dashdash = 1;
        } else if (!dashdash && cli_opt_value(argc, argv, &i, "--published", NULL, &v)) {
            if (!v) {
                sr_buf_free(&expr);
                return cli_usage_error("date", "--published needs a date (YYYY-MM-DD)");
            }
            published = v;
        } else if (!dashdash && argv[i][0] == '-' && argv[i][1]) {
            sr_buf_free(&expr);
            return cli_usage_error("date", "unknown option '%s'", argv[i]);
        } else {
            if (nexpr++)
                sr_buf_putc(&expr, ' ');
            sr_buf_puts(&expr, argv[i]);
        }
    }
    if (!nexpr) {
        sr_buf_free(&expr);
        return cli_usage_error("date", "expected a date expression");
    }
    sr_ymd doc = 0;
    if (published) {
        doc = sr_date_parse_iso(published);
        if (!doc || published[10]) {
            sr_buf_free(&expr);
            return cli_usage_error("date", "bad --published '%s' (expected YYYY-MM-DD)",
                                   published);
        }
    }
    sr_date_match m;
    int ok = sr_date_resolve(expr.p, doc, &m);
    sr_buf_free(&expr);
    if (!ok) {
        printf("none\n");
        return EXIT_INPUT;
    }
    char buf[11];
    sr_ymd_format(m.date, buf);
    printf("%s %s\n", buf, sr_date_precision_name(m.precision));
    return EXIT_OK;
}
