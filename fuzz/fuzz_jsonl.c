/* fuzz_jsonl.c — libFuzzer target for the JSONL reader of sr_input
 * (input.c): the bytes are written to a temporary file named *.jsonl and
 * read back with sr_input_open/sr_input_next until SR_DONE.
 *
 * Every item must be a document or an error naming the file and a line
 * within the input; documents must carry an id and NUL-free valid UTF-8
 * text. The reader must always reach SR_DONE. Violations abort.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "fuzz_jsonl: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                \
            abort();                                                       \
        }                                                                  \
    } while (0)

static char path[64];

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/sr_fuzz_jsonl_XXXXXX.jsonl");
        int fd = mkstemps(path, 6);
        if (fd < 0)
            abort();
        close(fd);
        atexit(remove_file);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';

    const char *paths[] = {path};
    sr_input *in = NULL;
    sr_err err = {0};
    CHECK(sr_input_open(paths, 1, NULL, &in, &err) == SR_OK);
    size_t items = 0;
    for (;;) {
        sr_doc *doc = NULL;
        memset(&err, 0, sizeof err);
        int rc = sr_input_next(in, &doc, &err);
        if (rc == SR_DONE) {
            CHECK(doc == NULL);
            break;
        }
        CHECK(++items <= lines);
        if (rc != SR_OK) {
            CHECK(doc == NULL);
            CHECK(rc == SR_PARSE || rc == SR_TOOBIG);
            CHECK(!strcmp(err.path, path));
            CHECK(err.line >= 1 && (size_t)err.line <= lines);
            CHECK(err.msg[0] != 0);
            continue;
        }
        CHECK(doc != NULL);
        CHECK(sr_doc_id(doc)[0] != 0);
        size_t len;
        const char *text = sr_doc_text(doc, &len);
        CHECK(strlen(text) == len);
        for (size_t i = 0; i < len;) {
            int32_t cp;
            size_t k = sr_utf8_decode(text + i, len - i, &cp);
            CHECK(k > 0);
            i += k;
        }
        CHECK(!strncmp(doc->origin, path, strlen(path)));
        sr_doc_free(doc);
    }
    sr_input_free(in);
    return 0;
}
