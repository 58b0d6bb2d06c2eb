/* cache.c — finished responses kept while the store is unchanged.
 *
 * A dashboard asks the same few questions over and over (every viewer of a
 * shared URL, every reload, the timeline and map of one view), and a query
 * over a million events costs milliseconds while sending a kept answer
 * costs microseconds. So GET responses are kept under their URL together
 * with the store's stamp (sr_store_stamp) at the time they were read; a
 * request whose stamp differs misses, and the entry is replaced.
 *
 * One lock guards the table; responses are shared by reference count, so
 * the lock is held only to find or insert, never while sending. Memory is
 * bounded: past max_bytes the oldest entries go first (a FIFO list: the
 * cheapest policy that bounds memory; hot URLs come straight back). */
#include "api.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NBUCKETS 4096u

typedef struct entry {
    struct entry *next_in_bucket;
    struct entry *older, *newer;  /* FIFO by insertion */
    char *key, *stamp;
    long long expires_ms;         /* 0: while the stamp holds */
    api_response *r;
    size_t bytes;
} entry;

struct api_cache {
    pthread_mutex_t lock;
    entry *bucket[NBUCKETS];
    entry *oldest, *newest;
    size_t bytes, max_bytes;
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

api_cache *api_cache_new(size_t max_bytes)
{
    api_cache *c = sr_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    return c;
}

/* Drops the cache's reference; frees r when nobody else holds it. Called
 * with the lock held. */
static void unref_locked(api_response *r)
{
    if (--r->refs == 0)
        api_response_free(r);
}

static void unlink_entry(api_cache *c, entry *e)
{
    entry **pp = &c->bucket[sr_hash(e->key, strlen(e->key)) % NBUCKETS];
    while (*pp != e)
        pp = &(*pp)->next_in_bucket;
    *pp = e->next_in_bucket;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    c->bytes -= e->bytes;
    unref_locked(e->r);
    free(e->key);
    free(e->stamp);
    free(e);
}

void api_cache_free(api_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        unlink_entry(c, c->oldest);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static entry *find(api_cache *c, const char *key)
{
    for (entry *e = c->bucket[sr_hash(key, strlen(key)) % NBUCKETS]; e; e = e->next_in_bucket)
        if (!strcmp(e->key, key))
            return e;
    return NULL;
}

api_response *api_cache_get(api_cache *c, const char *key, const char *stamp)
{
    if (!c)
        return NULL;
    api_response *r = NULL;
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, key);
    if (e) {
        if (!strcmp(e->stamp, stamp) && (!e->expires_ms || now_ms() < e->expires_ms)) {
            r = e->r;
            r->refs++;
        } else {
            unlink_entry(c, e); /* stale: the store moved on */
        }
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

void api_cache_put(api_cache *c, const char *key, const char *stamp, long reuse_ms,
                   api_response *r)
{
    if (!c || reuse_ms == 0)
        return;
    size_t bytes = r->len + strlen(key) + strlen(stamp) + sizeof(entry) + sizeof *r;
    if (bytes > c->max_bytes / 8) /* one huge export must not flush everything */
        return;
    pthread_mutex_lock(&c->lock);
    entry *old = find(c, key);
    if (old)
        unlink_entry(c, old);
    while (c->oldest && c->bytes + bytes > c->max_bytes)
        unlink_entry(c, c->oldest);
    entry *e = sr_xcalloc(1, sizeof *e);
    e->key = sr_xstrdup(key);
    e->stamp = sr_xstrdup(stamp);
    e->expires_ms = reuse_ms > 0 ? now_ms() + reuse_ms : 0;
    e->r = r;
    e->bytes = bytes;
    r->refs++;
    unsigned h = sr_hash(key, strlen(key)) % NBUCKETS;
    e->next_in_bucket = c->bucket[h];
    c->bucket[h] = e;
    e->older = c->newest;
    if (c->newest)
        c->newest->newer = e;
    else
        c->oldest = e;
    c->newest = e;
    c->bytes += bytes;
    pthread_mutex_unlock(&c->lock);
}

void api_cache_release(api_cache *c, api_response *r)
{
    if (!r)
        return;
    if (!c) {
        if (--r->refs == 0)
            api_response_free(r);
        return;
    }
    pthread_mutex_lock(&c->lock);
    unref_locked(r);
    pthread_mutex_unlock(&c->lock);
}
