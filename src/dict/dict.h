/* dict.h — loaded dictionaries (struct sr_dict) and their compiled lookup
 * structures. One file per dictionary kind:
 *
 *   dict.c      sr_dict_open: finds the files under dict/, loads each kind
 *   cameo.c     dict/cameo.tsv: code -> name, Goldstein, quad class, PLOVER
 *   actors.c    dict/actors/ *.txt: countries, organisations, people
 *   agents.c    dict/agents.txt: forces, troops, ministry ... -> MIL, GOV
 *   verbs.c     dict/verbs/ *.txt: phrase patterns -> CAMEO codes
 *   issues.c    dict/issues.txt: negotiation topics
 *   lexicon.c   dict/lexicon.txt: function words (reporting verbs, modals...)
 *
 * Format of every file: docs/DICTIONARIES.md.
 */
#ifndef SR_DICT_H
#define SR_DICT_H

#include "../base/base.h"
#include "../text/text.h"

const sr_boiler *sr_dict_boiler(const sr_dict *d);

#endif
