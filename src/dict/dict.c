/* dict.c — sr_dict_open: loads every dictionary kind from one directory
 * and owns the resulting struct sr_dict. Each kind's parser lives in its
 * own file (see dict.h); this file only sequences them. */
#include "dict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sr_dict {
    sr_boiler *boiler;  /* boilerplate.txt rules, owned */
};

const sr_boiler *sr_dict_boiler(const sr_dict *d) { return d ? d->boiler : NULL; }

int sr_dict_open(const char *dir, sr_dict **out, sr_err *err)
{
    sr_dict *d = sr_xcalloc(1, sizeof *d);
    char path[4096];
    snprintf(path, sizeof path, "%s/boilerplate.txt", dir);
    int rc = sr_boiler_load(path, &d->boiler, err);
    if (rc) {
        sr_dict_free(d);
        return rc;
    }
    *out = d;
    return SR_OK;
}

void sr_dict_free(sr_dict *d)
{
    if (!d)
        return;
    sr_boiler_free(d->boiler);
    free(d);
}

size_t sr_dict_count(const sr_dict *d, const char *kind)
{
    if (!strcmp(kind, "boilerplate"))
        return sr_boiler_count(d->boiler);
    return 0;
}
