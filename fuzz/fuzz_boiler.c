/* fuzz_boiler.c — libFuzzer target for boilerplate rules (boiler.c): the
 * input is a rule file, a NUL byte, then the text to clean.
 *
 * The rule file goes through sr_boiler_load (which must either load it or
 * fail with SR_DICT and a line number inside the file); the text is then
 * cleaned with those rules and with the shipped dict/boilerplate.txt.
 * sr_boiler_apply may only shorten the text and must keep it
 * NUL-terminated. Violations abort.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "fuzz_boiler: %s:%d: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
            abort();                                                        \
        }                                                                   \
    } while (0)

static char path[64];
static sr_boiler *shipped;

static void cleanup(void)
{
    unlink(path);
    sr_boiler_free(shipped);
}

static void apply(const sr_boiler *b, const uint8_t *text, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, text, n);
    s[n] = 0;
    size_t m = sr_boiler_apply(b, s, n);
    CHECK(m <= n);
    CHECK(s[m] == 0);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/sr_fuzz_boiler_XXXXXX");
        int fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
        sr_err err = {0};
        if (sr_boiler_load(SR_DICT_DIR "/boilerplate.txt", &shipped, &err)) {
            fprintf(stderr, "fuzz_boiler: %s:%ld: %s\n", err.path, err.line, err.msg);
            abort();
        }
        atexit(cleanup);
    }
    const uint8_t *sep = memchr(data, 0, size);
    size_t nrules = sep ? (size_t)(sep - data) : size;
    const uint8_t *text = sep ? sep + 1 : data + size;
    size_t ntext = sep ? size - nrules - 1 : 0;

    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (nrules && fwrite(data, 1, nrules, f) != nrules)
        abort();
    fclose(f);
    size_t lines = 1; /* an error can name no line past the file's last */
    for (size_t i = 0; i < nrules; i++)
        lines += data[i] == '\n' || data[i] == '\r';

    sr_boiler *b = NULL;
    sr_err err = {0};
    int rc = sr_boiler_load(path, &b, &err);
    if (rc == SR_OK) {
        CHECK(b != NULL);
        apply(b, text, ntext);
        sr_boiler_free(b);
    } else {
        CHECK(rc == SR_DICT && b == NULL);
        CHECK(err.line >= 1 && (size_t)err.line <= lines);
    }
    apply(shipped, text, ntext);
    return 0;
}
