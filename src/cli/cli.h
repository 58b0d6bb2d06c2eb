/* cli.h — what the subcommand files share: option parsing helpers, the
 * dictionary location, and message printing ("sitrep: ..." on stderr).
 * Exit codes (docs/CLI.md): 0 ok, 1 some input rejected, 2 usage or system
 * error, 3 bad dictionary. */
#ifndef SR_CLI_H
#define SR_CLI_H

#include "sitrep.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_DICT = 3 };

int cmd_code(int argc, char **argv);
int cmd_dict(int argc, char **argv);
int cmd_place(int argc, char **argv);
int cmd_date(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The store named by --db, else $SITREP_DB, else ./sitrep.db. */
const char *cli_db_target(const char *db);
/* Opens a store, printing the error; EXIT_OK or EXIT_USAGE. */
int cli_store_open(const char *target, unsigned flags, sr_store **st);

/* Matches "--name VALUE" or "--name=VALUE" (and the short alias, if any) at
 * argv[*i]; advances *i over a separate value. Returns 1 if matched, with
 * *value set (NULL and an error printed when the value is missing). */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alias,
                  const char **value);
void cli_error(const char *fmt, ...);
int cli_usage_error(const char *cmd, const char *fmt, ...);
/* Opens the dictionaries from --dict, $SITREP_DICT or the built-in path. */
int cli_open_dict(const char *dir, sr_dict **out);

#endif
