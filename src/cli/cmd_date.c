/* cmd_date.c — `sitrep date`: placeholder until the places-and-dates work lands. */
#include "cli.h"

int cmd_date(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("date: not implemented yet");
    return EXIT_USAGE;
}
