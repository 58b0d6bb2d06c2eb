/* cmd_place.c — `sitrep place`: placeholder until the places-and-dates work lands. */
#include "cli.h"

int cmd_place(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("place: not implemented yet");
    return EXIT_USAGE;
}
