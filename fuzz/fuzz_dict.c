/* fuzz_dict.c — libFuzzer target for the dictionary loaders. A minimal
 * dictionary directory is built once in /tmp; each input replaces one of
 * its files (the first byte picks which) and sr_dict_open must either load
 * it or fail with SR_DICT naming the file — never crash or leak. */
#include "sitrep.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const char *data, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, n, f);
    fclose(f);
}

static const char *const FILES[] = {"lexicon.txt", "agents.txt", "actors/countries.txt",
                                    "verbs/19.txt", "issues.txt", "conflicts.txt",
                                    "boilerplate.txt", "cameo.tsv"};

static const char *const DEFAULTS[] = {
    "negation not | never\nreport said | reported\nprep of | in\ndet the | a\n",
    "MIL forces | troops\nGOV government\n",
    "RUS country Russia\nRUS adj Russian\nUKR country Ukraine\nUKR adj Ukrainian\n",
    "190 [advance|advanced] in? +?\n195 [strike|struck] + {nominal}\n",
    "ceasefire ceasefire | truce\n",
    "RUS UKR\n",
    "line share this*\ninline (photo: ... )\n",
    NULL, /* cameo.tsv: copied from the real dictionary */
};

static void init(void)
{
    strcpy(dir, "/tmp/sitrep-fuzz-dict-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char path[256];
    snprintf(path, sizeof path, "%s/actors", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/verbs", dir);
    mkdir(path, 0700);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp '%s/cameo.tsv' '%s/cameo.tsv'", SR_DICT_DIR, dir);
    if (system(cmd) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        init();
    if (size < 1)
        return 0;
    size_t which = data[0] % (sizeof FILES / sizeof FILES[0] - 1); /* keep cameo.tsv valid */
    for (size_t i = 0; i + 1 < sizeof FILES / sizeof FILES[0]; i++)
        if (i != which)
            put(FILES[i], DEFAULTS[i], strlen(DEFAULTS[i]));
    put(FILES[which], (const char *)data + 1, size - 1);
    sr_dict *d = NULL;
    sr_err err = {0};
    int rc = sr_dict_open(dir, &d, &err);
    if (rc == SR_OK) {
        sr_doc_meta meta = {.id = "f"};
        sr_doc *doc = NULL;
        const char *text = "Russian forces advanced in Ukraine, not a truce.";
        if (sr_doc_new(&meta, text, strlen(text), 0, d, &doc, &err) == SR_OK) {
            sr_events *ev = NULL;
            if (sr_code_doc(d, doc, 0, &ev, &err) == SR_OK) {
                char *buf;
                size_t len;
                if (sr_events_to_jsonl(ev, &buf, &len, &err) == SR_OK)
                    free(buf);
            }
            sr_events_free(ev);
        }
        sr_doc_free(doc);
        sr_dict_free(d);
    } else if (rc != SR_DICT) {
        abort();
    }
    return 0;
}
