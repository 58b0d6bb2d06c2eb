/* gazetteer.c — opens the compiled gazetteer index (format in geo.h),
 * validates every offset and count in it once, and serves read-only
 * lookups to match.c.
 *
 * The file is memory-mapped read-only; nothing is copied except when an
 * in-memory image is misaligned. Validation is complete (checksum, section
 * bounds, every string offset and place index, finite coordinates), so that
 * after sr_geo_open succeeds no later access can leave the mapping: a
 * corrupt or truncated file is an error naming it, never a crash.
 */
#include "geo.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SR_GAZETTEER_PATH
#define SR_GAZETTEER_PATH "gazetteer.idx"
#endif

_Static_assert(sizeof(sr_geo_header) == 120, "index header layout");
_Static_assert(sizeof(sr_geo_rec) == 40, "index place layout");
_Static_assert(sizeof(sr_geo_key) == 8, "index key layout");
_Static_assert(sizeof(sr_geo_theatre) == 32, "index theatre layout");

struct sr_gazetteer {
    const unsigned char *base;  /* the image: mapped, borrowed or owned */
    size_t size;                /* bytes in the image */
    int how;                    /* IMG_* */
    sr_geo_header h;            /* a copy of the header */
    const sr_geo_rec *places;   /* h.nplaces records */
    const sr_geo_key *keys;     /* h.nkeys, sorted */
    const sr_geo_key *stop;     /* h.nstop, sorted */
    const sr_geo_theatre *theatres;
    const char *strings;        /* h.strings_size bytes, NUL first and last */
    const uint32_t *hash;       /* h.nhash slots (geo.h: sr_geo_header.off_hash) */
    uint64_t serial;            /* sr_serial_next(): names it to per-thread caches */
};

enum { IMG_MAPPED, IMG_BORROWED, IMG_OWNED };

const char *sr_geo_default_path(void)
{
    const char *env = getenv("SITREP_GAZETTEER");
    return env && *env ? env : SR_GAZETTEER_PATH;
}

/* ---- checksum ---- */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t round64(uint64_t acc, uint64_t w) { return rotl(acc + w * P2, 31) * P1; }

uint64_t sr_geo_checksum(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t v[4] = {P1 + P2, P2, 0, (uint64_t)0 - P1};
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * (size_t)k, 8);
            v[k] = round64(v[k], w);
        }
    }
    uint64_t h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
    h += (uint64_t)len;
    for (; i < len; i++)
        h = rotl(h ^ (p[i] * P3), 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* ---- validation ---- */

/* Section [off, off + count * elem) lies inside the file after the header
 * and is 8-byte aligned. */
static int section_ok(const sr_geo_header *h, uint64_t off, uint64_t count, size_t elem)
{
    if (off % 8 || off < sizeof(sr_geo_header) || off > h->file_size)
        return 0;
    if (count > (h->file_size - off) / elem)
        return 0;
    return 1;
}

static int corrupt(sr_err *err, const char *label, const char *what)
{
    return sr_err_set(err, SR_PARSE, label, 0,
                      "corrupt gazetteer index: %s (rebuild it: cmake --build <build dir> "
                      "--target gazetteer)", what);
}

static int validate(sr_gazetteer *g, const char *label, sr_err *err)
{
    const sr_geo_header *h = &g->h;
    if (g->size < sizeof(sr_geo_header))
        return corrupt(err, label, "file too small for a header");
    memcpy(&g->h, g->base, sizeof g->h);
    if (memcmp(h->magic, SR_GEO_MAGIC, 8) != 0)
        return sr_err_set(err, SR_PARSE, label, 0, "not a sitrep gazetteer index (bad magic)");
    if (h->endian != SR_GEO_ENDIAN)
        return corrupt(err, label, "written on a machine of the other byte order");
    if (h->format != SR_GEO_FORMAT)
        return sr_err_set(err, SR_PARSE, label, 0,
                          "gazetteer index format %u, this sitrep reads format %u "
                          "(rebuild it: cmake --build <build dir> --target gazetteer)",
                          (unsigned)h->format, (unsigned)SR_GEO_FORMAT);
    if (h->file_size != g->size)
        return corrupt(err, label, "size differs from the header's (truncated?)");
    if (h->nplaces > SR_GEO_MAX_PLACES)
        return corrupt(err, label, "too many places");
    if (!section_ok(h, h->off_places, h->nplaces, sizeof(sr_geo_rec)) ||
        !section_ok(h, h->off_keys, h->nkeys, sizeof(sr_geo_key)) ||
        !section_ok(h, h->off_stop, h->nstop, sizeof(sr_geo_key)) ||
        !section_ok(h, h->off_theatres, h->ntheatres, sizeof(sr_geo_theatre)) ||
        !section_ok(h, h->off_strings, h->strings_size, 1) || h->strings_size == 0 ||
        !section_ok(h, h->off_hash, h->nhash, sizeof(uint32_t)))
        return corrupt(err, label, "section outside the file");
    if (h->nhash < 2 || (h->nhash & (h->nhash - 1)) || h->nhash < (uint64_t)h->nkeys)
        return corrupt(err, label, "bad hash table size");

    sr_geo_header hc = *h;
    hc.checksum = 0;
    uint64_t sum = sr_geo_checksum(&hc, sizeof hc) ^
                   sr_geo_checksum(g->base + sizeof hc, g->size - sizeof hc);
    if (sum != h->checksum)
        return corrupt(err, label, "checksum mismatch");

    g->places = (const sr_geo_rec *)(const void *)(g->base + h->off_places);
    g->keys = (const sr_geo_key *)(const void *)(g->base + h->off_keys);
    g->stop = (const sr_geo_key *)(const void *)(g->base + h->off_stop);
    g->theatres = (const sr_geo_theatre *)(const void *)(g->base + h->off_theatres);
    g->strings = (const char *)(g->base + h->off_strings);
    g->hash = (const uint32_t *)(const void *)(g->base + h->off_hash);
    for (uint64_t i = 0; i < h->nhash; i++)
        if (g->hash[i] > h->nkeys)
            return corrupt(err, label, "hash slot outside the keys");
    uint64_t ns = h->strings_size;
    if (g->strings[0] != '\0' || g->strings[ns - 1] != '\0')
        return corrupt(err, label, "string pool not NUL-delimited");

    for (uint32_t i = 0; i < h->nplaces; i++) {
        const sr_geo_rec *r = &g->places[i];
        if (r->name >= ns || r->admin1 >= ns || r->supp >= ns)
            return corrupt(err, label, "place name outside the string pool");
        if (!isfinite(r->lat) || !isfinite(r->lon) || fabsf(r->lat) > 90.0f ||
            fabsf(r->lon) > 180.0f)
            return corrupt(err, label, "place coordinates out of range");
        if (r->kind < SR_GEO_SETTLEMENT || r->kind > SR_GEO_COUNTRY)
            return corrupt(err, label, "unknown place kind");
        for (int k = 0; k < 3; k++)
            if (r->country[k] < 'A' || r->country[k] > 'Z')
                return corrupt(err, label, "bad country code");
    }
    for (uint32_t i = 0; i < h->nkeys; i++)
        if (g->keys[i].str >= ns || (g->keys[i].info & 0xFFFFFFu) >= h->nplaces)
            return corrupt(err, label, "key outside the string pool or place table");
    for (uint32_t i = 0; i < h->nstop; i++)
        if (g->stop[i].str >= ns)
            return corrupt(err, label, "stop word outside the string pool");
    for (uint32_t i = 0; i < h->ntheatres; i++)
        for (int k = 0; k < 8; k++)
            if (g->theatres[i].codes[k][3] != '\0')
                return corrupt(err, label, "theatre code not terminated");
    return SR_OK;
}

static int open_image(sr_gazetteer *g, const char *label, sr_gazetteer **out, sr_err *err)
{
    int rc = validate(g, label, err);
    if (rc != SR_OK) {
        sr_geo_free(g);
        return rc;
    }
    g->serial = sr_serial_next();
    *out = g;
    return SR_OK;
}

int sr_geo_open_mem(const void *data, size_t len, const char *label, sr_gazetteer **out,
                    sr_err *err)
{
    *out = NULL;
    if (!label)
        label = "(memory)";
    sr_gazetteer *g = sr_xcalloc(1, sizeof *g);
    g->size = len;
    if (((uintptr_t)data % 8) != 0 || len == 0) {
        unsigned char *copy = sr_xmalloc(len ? len : 1);
        if (len)
            memcpy(copy, data, len);
        g->base = copy;
        g->how = IMG_OWNED;
    } else {
        g->base = data;
        g->how = IMG_BORROWED;
    }
    return open_image(g, label, out, err);
}

int sr_geo_open(const char *path, sr_gazetteer **out, sr_err *err)
{
    *out = NULL;
    if (!path)
        path = sr_geo_default_path();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sr_err_set(err, SR_IO, path, 0,
                          "cannot open the gazetteer index: %s (build it with cmake, "
                          "or set SITREP_GAZETTEER)", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sr_err_set(err, SR_IO, path, 0, "the gazetteer index is not a regular file");
    }
    if ((uint64_t)st.st_size < sizeof(sr_geo_header)) {
        close(fd);
        return corrupt(err, path, "file too small for a header");
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2) {
        close(fd);
        return sr_err_set(err, SR_TOOBIG, path, 0, "the gazetteer index is too large");
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (m == MAP_FAILED)
        return sr_err_set(err, SR_IO, path, 0, "cannot map the gazetteer index: %s",
                          strerror(e));
    sr_gazetteer *g = sr_xcalloc(1, sizeof *g);
    g->base = m;
    g->size = (size_t)st.st_size;
    g->how = IMG_MAPPED;
    return open_image(g, path, out, err);
}

void sr_geo_free(sr_gazetteer *g)
{
    if (!g)
        return;
    if (g->how == IMG_MAPPED)
        munmap((void *)(uintptr_t)g->base, g->size);
    else if (g->how == IMG_OWNED)
        free((void *)(uintptr_t)g->base);
    free(g);
}

size_t sr_geo_count(const sr_gazetteer *g) { return g ? g->h.nplaces : 0; }

int sr_geo_has_geonames(const sr_gazetteer *g)
{
    return g && (g->h.flags & SR_GEO_HAS_GEONAMES) != 0;
}

const sr_geo_rec *sr_geo_places(const sr_gazetteer *g, size_t *n)
{
    *n = g->h.nplaces;
    return g->places;
}

const char *sr_geo_str(const sr_gazetteer *g, uint32_t off)
{
    return off < g->h.strings_size ? g->strings + off : "";
}

const sr_geo_theatre *sr_geo_theatres(const sr_gazetteer *g, size_t *n)
{
    *n = g->h.ntheatres;
    return g->theatres;
}

/* First index in keys[0..n) whose string is >= key. */
static size_t lower_bound(const sr_gazetteer *g, const sr_geo_key *keys, size_t n,
                          const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->strings + keys[mid].str, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A per-thread cache of recent lookups: the same names come back sentence
 * after sentence, and each probe of the mapped index is a cache miss or
 * three. Caches an immutable index; reset when another is used; freed with
 * its thread. */
enum { GC_SIZE = 8192, GC_KEY = 27 };

typedef struct gc_entry {
    uint32_t hash;
    uint8_t len;            /* 0 = empty */
    char key[GC_KEY];
    uint32_t first;         /* index in keys, or nkeys for none */
    uint32_t count;
} gc_entry;

typedef struct gcache {
    uint64_t g;             /* serial of the gazetteer the entries come from */
    gc_entry e[GC_SIZE];
} gcache;

static pthread_key_t gc_key;
static pthread_once_t gc_once = PTHREAD_ONCE_INIT;

static void gc_make_key(void) { pthread_key_create(&gc_key, free); }

static gcache *geo_cache(const sr_gazetteer *g)
{
    return sr_thread_cache(&gc_key, &gc_once, gc_make_key, sizeof(gcache), g->serial);
}

static size_t geo_find_uncached(const sr_gazetteer *g, const char *key, uint32_t hash,
                                size_t *start);

size_t sr_geo_find(const sr_gazetteer *g, const char *key, const sr_geo_key **first)
{
    *first = NULL;
    uint32_t h = sr_geo_key_hash(key);
    size_t len = strlen(key), start;
    if (len == 0 || len > GC_KEY) {
        size_t n = geo_find_uncached(g, key, h, &start);
        if (n)
            *first = &g->keys[start];
        return n;
    }
    gc_entry *e = &geo_cache(g)->e[h & (GC_SIZE - 1)];
    if (!(e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)) {
        size_t n = geo_find_uncached(g, key, h, &start);
        e->hash = h;
        e->len = (uint8_t)len;
        memcpy(e->key, key, len);
        e->first = n ? (uint32_t)start : g->h.nkeys;
        e->count = (uint32_t)n;
    }
    if (e->count)
        *first = &g->keys[e->first];
    return e->count;
}

/* The keys equal to key: their number, the first at *start. */
static size_t geo_find_uncached(const sr_gazetteer *g, const char *key, uint32_t hash,
                                size_t *start)
{
    size_t n = g->h.nkeys, i = n, mask = (size_t)g->h.nhash - 1;
    /* a full table cannot happen (nhash >= 2 x keys), but a corrupt one must not loop */
    for (size_t h = hash & mask, probes = 0; g->hash[h] && probes <= mask;
         h = (h + 1) & mask, probes++)
        if (strcmp(g->strings + g->keys[g->hash[h] - 1].str, key) == 0) {
            i = g->hash[h] - 1;
            break;
        }
    size_t j = i;
    while (j < n && strcmp(g->strings + g->keys[j].str, key) == 0)
        j++;
    *start = i;
    return j - i;
}

unsigned sr_geo_stopword(const sr_gazetteer *g, const char *key)
{
    size_t n = g->h.nstop;
    unsigned bits = 0;
    for (size_t i = lower_bound(g, g->stop, n, key);
         i < n && strcmp(g->strings + g->stop[i].str, key) == 0; i++)
        bits |= (g->stop[i].info >> 24) & (SR_GEO_KEY_STOP | SR_GEO_KEY_TITLE);
    return bits;
}
