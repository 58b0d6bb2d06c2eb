/* store_bench.c — the store's write path alone, for bench/store.sh.
 *
 *   store_bench --db TARGET [--dict DIR] [--batch N] [--chunk N] [-j N]
 *               [--total DOCS] FILE.jsonl
 *
 * Reads the feed in chunks of --chunk documents (default: one batch). Each
 * chunk is first coded on -j threads (untimed: this is the work of `sitrep
 * code`), then stored with sr_store_put, --batch documents per transaction
 * (default 5000, 500 on PostgreSQL, as `sitrep ingest`), and only that
 * part is timed: begin, put, commit, and the final close (the last
 * checkpoint). So the figures are the store's own cost, the same calls
 * `sitrep ingest` makes, without the coding. A chunk is a whole number of
 * batches, so the transactions are those of ingest.
 *
 * Prints progress on stderr (with --total, the share done) and, at the end,
 * key=value lines on stdout:
 *   docs, mentions (events coded and stored as mentions), new, unchanged,
 *   store_s (wall seconds in the store calls, closing the store included:
 *   it checkpoints the write-ahead log), store_cpu_s (this process's
 *   CPU seconds in them: with PostgreSQL the server's work is not in it),
 *   code_s (wall seconds coding, untimed for the rate), bytes (of the
 *   documents' text), and curve=the mentions/s of each tenth of the run, to
 *   show whether writes slow down as the store grows.
 *
 * Built by bench/store.sh against build/libsitrep.a; not part of the
 * project's build. */
#define _POSIX_C_SOURCE 200809L
#include "sitrep.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

typedef struct {
    const sr_dict *dict;
    sr_doc **docs;
    sr_events **ev;
    size_t n, next;
    pthread_mutex_t mu;
} code_job;

static void *coder(void *arg)
{
    code_job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t i = j->next++;
        pthread_mutex_unlock(&j->mu);
        if (i >= j->n)
            return NULL;
        sr_err err = {0};
        if (sr_code_doc(j->dict, j->docs[i], 0, &j->ev[i], &err) != SR_OK) {
            sr_events_free(j->ev[i]);
            j->ev[i] = NULL;
        }
    }
}

static void die(const char *what, const sr_err *err)
{
    char msg[1200];
    fprintf(stderr, "store_bench: %s: %s\n", what, err ? sr_err_format(err, msg, sizeof msg) : "");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *db = NULL, *dictdir = "dict", *file = NULL;
    long batch = 0, chunk = 0, jobs = 2, total = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--db") && v)
            db = argv[++i];
        else if (!strcmp(a, "--dict") && v)
            dictdir = argv[++i];
        else if (!strcmp(a, "--batch") && v)
            batch = atol(argv[++i]);
        else if (!strcmp(a, "--chunk") && v)
            chunk = atol(argv[++i]);
        else if (!strcmp(a, "-j") && v)
            jobs = atol(argv[++i]);
        else if (!strcmp(a, "--total") && v)
            total = atol(argv[++i]);
        else if (a[0] != '-' && !file)
            file = a;
        else {
            fprintf(stderr, "usage: store_bench --db TARGET [--dict DIR] [--batch N] [--chunk N]"
                            " [-j N] [--total DOCS] FILE.jsonl\n");
            return 2;
        }
    }
    if (batch == 0) /* as `sitrep ingest` */
        batch = db && !strncmp(db, "postgres", 8) ? 500 : 5000;
    if (chunk == 0)
        chunk = batch;
    if (!db || !file || batch < 1 || chunk < 1 || jobs < 1) {
        fprintf(stderr, "store_bench: --db TARGET and a FILE are needed\n");
        return 2;
    }
    chunk = (chunk + batch - 1) / batch * batch; /* whole transactions */

    sr_err err = {0};
    sr_dict *dict;
    if (sr_dict_open(dictdir, &dict, &err) || sr_dict_load_places(dict, NULL, &err))
        die("dictionaries", &err);
    sr_store *st;
    if (sr_store_open(db, 0, &st, &err))
        die("store", &err);
    const char *paths[] = {file};
    sr_input *in;
    if (sr_input_open(paths, 1, dict, &in, &err))
        die("input", &err);

    sr_doc **docs = calloc((size_t)chunk, sizeof *docs);
    sr_events **ev = calloc((size_t)chunk, sizeof *ev);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    size_t ndocs = 0, nment = 0, nnew = 0, nunch = 0, bytes = 0;
    double store_s = 0, store_cpu = 0, code_s = 0, t_start = now(), last_report = now();
    /* cumulative (mentions, store seconds) after each chunk, for the curve */
    size_t cap = 1024, npts = 0;
    double *pt_m = malloc(cap * sizeof *pt_m), *pt_s = malloc(cap * sizeof *pt_s);
    int eof = 0;
    while (!eof) {
        size_t n = 0;
        while (n < (size_t)chunk) {
            int rc = sr_input_next(in, &docs[n], &err);
            if (rc == SR_DONE) {
                eof = 1;
                break;
            }
            if (rc != SR_OK) {
                char msg[1200];
                fprintf(stderr, "store_bench: skipped: %s\n", sr_err_format(&err, msg, sizeof msg));
                continue;
            }
            n++;
        }
        if (!n)
            break;
        double t0 = now();
        code_job job = {.dict = dict, .docs = docs, .ev = ev, .n = n};
        pthread_mutex_init(&job.mu, NULL);
        for (long k = 0; k < jobs; k++)
            pthread_create(&th[k], NULL, coder, &job);
        for (long k = 0; k < jobs; k++)
            pthread_join(th[k], NULL);
        pthread_mutex_destroy(&job.mu);
        double t1 = now(), c1 = cpu_now();
        for (size_t i = 0; i < n; i++) {
            if (!ev[i])
                continue;
            if (sr_store_begin(st, &err)) /* a no-op inside a batch */
                die("begin", &err);
            int outcome = 0;
            if (sr_store_put(st, docs[i], ev[i], &outcome, &err))
                die("put", &err);
            nment += sr_events_count(ev[i]);
            nnew += outcome == SR_PUT_NEW;
            nunch += outcome == SR_PUT_UNCHANGED;
            if ((i + 1) % (size_t)batch == 0 && sr_store_commit(st, &err))
                die("commit", &err);
        }
        if (sr_store_commit(st, &err))
            die("commit", &err);
        double t2 = now();
        store_cpu += cpu_now() - c1;
        code_s += t1 - t0;
        store_s += t2 - t1;
        for (size_t i = 0; i < n; i++) {
            size_t len;
            sr_doc_text(docs[i], &len);
            bytes += len;
            sr_events_free(ev[i]);
            sr_doc_free(docs[i]);
            ev[i] = NULL;
        }
        ndocs += n;
        if (npts == cap) {
            cap *= 2;
            pt_m = realloc(pt_m, cap * sizeof *pt_m);
            pt_s = realloc(pt_s, cap * sizeof *pt_s);
        }
        pt_m[npts] = (double)nment;
        pt_s[npts++] = store_s;
        if (t2 - last_report >= 10 || eof) {
            last_report = t2;
            if (total > 0)
                fprintf(stderr, "  store_bench: %zu/%ld documents (%.0f%%), %zu mentions, store %.1f s"
                                " = %.0f mentions/s, elapsed %.0f s\n",
                        ndocs, total, 100.0 * (double)ndocs / (double)total, nment, store_s,
                        (double)nment / store_s, t2 - t_start);
            else
                fprintf(stderr, "  store_bench: %zu documents, %zu mentions, store %.1f s = %.0f mentions/s\n",
                        ndocs, nment, store_s, (double)nment / store_s);
        }
    }
    sr_input_free(in);
    /* closing the last connection checkpoints the write-ahead log into the
     * database: that is part of the store's work */
    double tc = now(), cc = cpu_now();
    sr_store_close(st);
    store_s += now() - tc;
    store_cpu += cpu_now() - cc;
    if (npts)
        pt_s[npts - 1] = store_s;
    sr_dict_free(dict);

    printf("docs=%zu\nmentions=%zu\nnew=%zu\nunchanged=%zu\nstore_s=%.3f\nstore_cpu_s=%.3f\n"
           "code_s=%.3f\nbytes=%zu\n",
           ndocs, nment, nnew, nunch, store_s, store_cpu, code_s, bytes);
    /* mentions/s in each tenth of the run (by mentions stored), measured
     * over the chunks that end in it; "-" if none does (short runs) */
    printf("curve=");
    double pm = 0, ps = 0;
    size_t k = 0;
    for (int d = 1; d <= 10; d++) {
        double goal = (double)nment * d / 10.0;
        while (k < npts && pt_m[k] < goal)
            k++;
        double dm = k < npts ? pt_m[k] - pm : 0, ds = k < npts ? pt_s[k] - ps : 0;
        if (dm > 0 && ds > 0) {
            printf("%s%.0f", d > 1 ? "," : "", dm / ds);
            pm = pt_m[k];
            ps = pt_s[k];
        } else {
            printf("%s-", d > 1 ? "," : "");
        }
    }
    printf("\n");
    free(docs);
    free(ev);
    free(th);
    free(pt_m);
    free(pt_s);
    return 0;
}
