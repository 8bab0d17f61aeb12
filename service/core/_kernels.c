/*
 * The hot loops of feature extraction, compiled: tokenize, look up n-grams, walk cue phrases,
 * classify attributions and count tf-idf cells.
 *
 * service/core/feature_index.py holds the same algorithm in NumPy; that path stays the
 * reference, and tests/unit/test_kernels.py checks that both give identical arrays. Everything
 * here works on plain int64/float32 buffers handed over by that module, so this file knows
 * nothing of the vocabulary's strings and needs no NumPy headers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* -- growable int64 arrays ------------------------------------------------------------- */

/* Items live in a bytearray from the start, so a finished array goes to Python uncopied. */
typedef struct {
    PyObject *bytes; /* NULL until the first reserve */
    int64_t *data;
    Py_ssize_t len;
    Py_ssize_t cap;
} Vec;

static int vec_reserve(Vec *v, Py_ssize_t wanted)
{
    if (wanted <= v->cap)
        return 0;
    Py_ssize_t cap = v->cap ? v->cap : 256;
    while (cap < wanted)
        cap *= 2;
    const Py_ssize_t size = cap * (Py_ssize_t)sizeof(int64_t);
    if (v->bytes == NULL)
        v->bytes = PyByteArray_FromStringAndSize(NULL, size);
    else if (PyByteArray_Resize(v->bytes, size) < 0)
        return -1;
    if (v->bytes == NULL)
        return -1;
    v->data = (int64_t *)PyByteArray_AS_STRING(v->bytes);
    v->cap = cap;
    return 0;
}

static inline int vec_push(Vec *v, int64_t x)
{
    if (v->len == v->cap && vec_reserve(v, v->len + 1) < 0)
        return -1;
    v->data[v->len++] = x;
    return 0;
}

static void vec_free(Vec *v)
{
    Py_CLEAR(v->bytes);
    v->data = NULL;
    v->len = v->cap = 0;
}

/* Return the items as a bytearray of exactly their size (NumPy reads it with frombuffer,
 * writable), and leave the Vec empty. */
static PyObject *vec_take(Vec *v)
{
    PyObject *bytes = v->bytes;
    if (bytes == NULL)
        return PyByteArray_FromStringAndSize(NULL, 0);
    if (PyByteArray_Resize(bytes, v->len * (Py_ssize_t)sizeof(int64_t)) < 0)
        return NULL;
    v->bytes = NULL;
    vec_free(v);
    return bytes;
}

/* -- read-only views of the index's arrays --------------------------------------------- */

typedef struct {
    Py_buffer view;
    Py_ssize_t len;
} Array;

/* Borrow a C-contiguous buffer of items of `itemsize` bytes; -1 with an exception if not. */
static int array_get(PyObject *obj, Array *a, Py_ssize_t itemsize, const char *what)
{
    if (PyObject_GetBuffer(obj, &a->view, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (a->view.len % itemsize != 0 || (a->view.itemsize != itemsize && a->view.itemsize != 1)) {
        PyBuffer_Release(&a->view);
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes", what, itemsize);
        return -1;
    }
    a->len = a->view.len / itemsize;
    return 0;
}

static void array_release(Array *a)
{
    if (a->view.obj != NULL)
        PyBuffer_Release(&a->view);
    a->view.obj = NULL;
}

#define I64(a) ((const int64_t *)(a).view.buf)
#define F32(a) ((const float *)(a).view.buf)

/* -- tokens ---------------------------------------------------------------------------- */

/* What `\w` matches in a str pattern of Python's re module: alphanumeric or "_". ASCII, nearly
 * all of news text, is answered from the range tests; Py_UNICODE_ISALNUM makes up to four
 * database calls per character. */
static inline int is_word(Py_UCS4 ch)
{
    if (ch < 128)
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_';
    return Py_UNICODE_ISALNUM(ch);
}

static inline int is_apostrophe(Py_UCS4 ch)
{
    return ch == '\'' || ch == 0x2019;
}

/*
 * A cache from token text to packed code, looked up without building a str per token: the
 * hash is taken over the code points in place, and a str is made only for a new token. An
 * entry fills one cache line; short ASCII tokens are compared in it, others through their str.
 */
#define INLINE_CHARS 32
typedef struct {
    uint64_t hash;
    int64_t code;
    PyObject *token;   /* owned; NULL marks an empty slot */
    Py_ssize_t length; /* in code points; the token is in `ascii` when it is ASCII and fits */
    char ascii[INLINE_CHARS];
} Entry;

typedef struct {
    Entry *entries;
    Py_ssize_t size; /* a power of two */
    Py_ssize_t used;
} TokenCache;

#define CACHE_CAPSULE "service.core._kernels.TokenCache"

static void cache_clear(TokenCache *cache)
{
    for (Py_ssize_t k = 0; k < cache->size; k++)
        Py_CLEAR(cache->entries[k].token);
    cache->used = 0;
}

static void cache_destroy(PyObject *capsule)
{
    TokenCache *cache = PyCapsule_GetPointer(capsule, CACHE_CAPSULE);
    if (cache == NULL)
        return;
    cache_clear(cache);
    PyMem_Free(cache->entries);
    PyMem_Free(cache);
}

PyDoc_STRVAR(token_cache_doc, "token_cache() -> capsule\n\nReturn a new, empty token cache.");

static PyObject *token_cache(PyObject *self, PyObject *unused)
{
    TokenCache *cache = PyMem_Calloc(1, sizeof(TokenCache));
    if (cache == NULL)
        return PyErr_NoMemory();
    cache->size = 1 << 12;
    cache->entries = PyMem_Calloc((size_t)cache->size, sizeof(Entry));
    if (cache->entries == NULL) {
        PyMem_Free(cache);
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(cache, CACHE_CAPSULE, cache_destroy);
    if (capsule == NULL) {
        PyMem_Free(cache->entries);
        PyMem_Free(cache);
    }
    return capsule;
}

PyDoc_STRVAR(token_cache_size_doc, "token_cache_size(cache) -> int\n\nReturn how many tokens the cache holds.");

static PyObject *token_cache_size(PyObject *self, PyObject *capsule)
{
    TokenCache *cache = PyCapsule_GetPointer(capsule, CACHE_CAPSULE);
    return cache ? PyLong_FromSsize_t(cache->used) : NULL;
}

/* Return whether the entry holds the code points text[start:end]. */
static inline int same_token(const Entry *e, int kind, const void *data, Py_ssize_t start,
                             Py_ssize_t end)
{
    const Py_ssize_t length = end - start;
    if (e->length != length)
        return 0;
    if (kind == PyUnicode_1BYTE_KIND && length <= INLINE_CHARS && e->ascii[0] != 0)
        return memcmp(e->ascii, (const char *)data + start, (size_t)length) == 0;
    const int token_kind = PyUnicode_KIND(e->token);
    const void *token_data = PyUnicode_DATA(e->token);
    if (token_kind == kind)
        return memcmp(token_data, (const char *)data + start * kind, (size_t)(length * kind)) == 0;
    for (Py_ssize_t k = start; k < end; k++)
        if (PyUnicode_READ(token_kind, token_data, k - start) != PyUnicode_READ(kind, data, k))
            return 0;
    return 1;
}

static int cache_grow(TokenCache *cache)
{
    const Py_ssize_t size = cache->size * 2;
    Entry *entries = PyMem_Calloc((size_t)size, sizeof(Entry));
    if (entries == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < cache->size; k++) {
        const Entry *e = &cache->entries[k];
        if (e->token == NULL)
            continue;
        uint64_t slot = e->hash & (uint64_t)(size - 1);
        while (entries[slot].token != NULL)
            slot = (slot + 1) & (uint64_t)(size - 1);
        entries[slot] = *e;
    }
    PyMem_Free(cache->entries);
    cache->entries = entries;
    cache->size = size;
    return 0;
}

/* Return the code of text[start:end], asking code_of for a token not seen before. */
static int cache_code(TokenCache *cache, PyObject *text, int kind, const void *data,
                      Py_ssize_t start, Py_ssize_t end, PyObject *code_of, Py_ssize_t limit,
                      int64_t *code)
{
    uint64_t hash = UINT64_C(0xcbf29ce484222325); /* FNV-1a over the code points */
    for (Py_ssize_t k = start; k < end; k++)
        hash = (hash ^ PyUnicode_READ(kind, data, k)) * UINT64_C(0x100000001b3);
    hash *= UINT64_C(0x9E3779B97F4A7C15); /* spread the low bits the slot is taken from */
    hash ^= hash >> 32;
    uint64_t mask = (uint64_t)(cache->size - 1);
    uint64_t slot = hash & mask;
    for (;; slot = (slot + 1) & mask) {
        const Entry *e = &cache->entries[slot];
        if (e->token == NULL)
            break;
        if (e->hash == hash && same_token(e, kind, data, start, end)) {
            *code = e->code;
            return 0;
        }
    }
    PyObject *token = PyUnicode_Substring(text, start, end);
    if (token == NULL)
        return -1;
    PyObject *value = PyObject_CallOneArg(code_of, token);
    const long long found = value ? PyLong_AsLongLong(value) : -1;
    Py_XDECREF(value);
    if (value == NULL || (found == -1 && PyErr_Occurred())) {
        Py_DECREF(token);
        return -1;
    }
    /* A worker sees an open-ended stream of new words: past the limit, start again. */
    if (cache->used >= limit)
        cache_clear(cache);
    if (2 * (cache->used + 1) > cache->size && cache_grow(cache) < 0) {
        Py_DECREF(token);
        return -1;
    }
    mask = (uint64_t)(cache->size - 1);
    slot = hash & mask;
    while (cache->entries[slot].token != NULL)
        slot = (slot + 1) & mask;
    Entry *e = &cache->entries[slot];
    *e = (Entry){.hash = hash, .code = found, .token = token, .length = end - start};
    /* An ASCII token that fits is kept in place too (a non-empty first byte marks it). */
    if (PyUnicode_IS_ASCII(token) && end - start <= INLINE_CHARS && end > start)
        memcpy(e->ascii, PyUnicode_DATA(token), (size_t)(end - start));
    cache->used++;
    *code = found;
    return 0;
}

/* Append the packed code of every token of one text; return its token count, or -1. */
static Py_ssize_t codes_of_text(PyObject *text, TokenCache *cache, PyObject *code_of,
                                Py_ssize_t limit, Vec *codes, int64_t *joined)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0, count = 0;
    while (i < n) {
        if (!is_word(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        /* The token pattern \w+(?:['’]\w+)*: words joined by single apostrophes. */
        const Py_ssize_t start = i++;
        while (i < n && is_word(PyUnicode_READ(kind, data, i)))
            i++;
        while (i + 1 < n && is_apostrophe(PyUnicode_READ(kind, data, i)) &&
               is_word(PyUnicode_READ(kind, data, i + 1))) {
            i += 2;
            while (i < n && is_word(PyUnicode_READ(kind, data, i)))
                i++;
        }
        int64_t code;
        if (cache_code(cache, text, kind, data, start, i, code_of, limit, &code) < 0 ||
            vec_push(codes, code) < 0)
            return -1;
        *joined |= code;
        count++;
    }
    return count;
}

PyDoc_STRVAR(token_codes_doc,
             "token_codes(texts, cache, code_of, limit, mask) -> (codes, counts, joined)\n\n"
             "Tokenize every text and return each token's packed code, each text's token count\n"
             "and, per text, the OR of its codes & mask, as int64 bytearrays. A new token gets\n"
             "code_of(token), remembered in the cache (from token_cache()), which starts again\n"
             "once it holds limit tokens.");

static PyObject *token_codes(PyObject *self, PyObject *args)
{
    PyObject *texts, *capsule, *code_of;
    Py_ssize_t limit;
    long long mask;
    if (!PyArg_ParseTuple(args, "OOOnL:token_codes", &texts, &capsule, &code_of, &limit, &mask))
        return NULL;
    TokenCache *cache = PyCapsule_GetPointer(capsule, CACHE_CAPSULE);
    if (cache == NULL)
        return NULL;
    if (limit < 1) {
        PyErr_SetString(PyExc_ValueError, "limit must be positive");
        return NULL;
    }
    if (PyUnicode_Check(texts)) {
        PyErr_SetString(PyExc_TypeError, "texts must be a sequence of str, not one str");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(texts, "texts must be a sequence of str");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    Vec codes = {0}, counts = {0}, joined = {0};
    PyObject *result = NULL;
    if (vec_reserve(&counts, n) < 0 || vec_reserve(&joined, n) < 0)
        goto done;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (!PyUnicode_Check(items[k])) {
            PyErr_SetString(PyExc_TypeError, "texts must be a sequence of str");
            goto done;
        }
        int64_t all = 0;
        const Py_ssize_t count = codes_of_text(items[k], cache, code_of, limit, &codes, &all);
        if (count < 0)
            goto done;
        counts.data[counts.len++] = count;
        joined.data[joined.len++] = all & mask;
    }
    PyObject *out[3] = {vec_take(&codes), vec_take(&counts), vec_take(&joined)};
    if (out[0] && out[1] && out[2])
        result = PyTuple_Pack(3, out[0], out[1], out[2]);
    for (int k = 0; k < 3; k++)
        Py_XDECREF(out[k]);
done:
    vec_free(&codes);
    vec_free(&counts);
    vec_free(&joined);
    Py_DECREF(seq);
    return result;
}

/* -- n-gram tables --------------------------------------------------------------------- */

/* One int64 per slot: the key above the low column_bits bits, the column in them; -1 where
 * the slot is empty. Half the memory of a (key, column) pair, so more of the tables stays
 * in cache, and every probe reads one word. */
typedef struct {
    Py_ssize_t n;
    Array slots; /* 2**bits packed slots */
    int bits;
    int column_bits;
} Table;

/* Fibonacci hashing, as feature_index._hash: multiply by 2**64 / golden ratio, keep the top. */
static inline uint64_t home_slot(int64_t key, int bits)
{
    return ((uint64_t)key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits);
}

static inline int64_t table_find(const Table *t, int64_t key)
{
    const uint64_t mask = ((uint64_t)1 << t->bits) - 1;
    const int64_t *slots = I64(t->slots);
    for (uint64_t slot = home_slot(key, t->bits);; slot = (slot + 1) & mask) {
        const int64_t held = slots[slot];
        if (held == -1)
            return -1;
        if ((held >> t->column_bits) == key)
            return held & (((int64_t)1 << t->column_bits) - 1);
    }
}

static int table_get(PyObject *spec, Table *t)
{
    PyObject *slots;
    memset(t, 0, sizeof(*t));
    if (!PyArg_ParseTuple(spec, "nOii:table", &t->n, &slots, &t->bits, &t->column_bits))
        return -1;
    if (t->bits < 1 || t->bits > 40 || t->column_bits < 1 || t->column_bits > 40) {
        PyErr_SetString(PyExc_ValueError, "table bits out of range");
        return -1;
    }
    if (array_get(slots, &t->slots, 8, "table slots") < 0)
        return -1;
    if (t->slots.len != ((Py_ssize_t)1 << t->bits)) {
        array_release(&t->slots);
        PyErr_SetString(PyExc_ValueError, "table slots do not match its size");
        return -1;
    }
    return 0;
}

static void table_release(Table *t)
{
    array_release(&t->slots);
}

/* -- hit collection -------------------------------------------------------------------- */

typedef struct {
    Vec first, stop, column;
} Hits;

static inline int hits_add(Hits *h, int64_t first, int64_t stop, int64_t column)
{
    return vec_push(&h->first, first) | vec_push(&h->stop, stop) | vec_push(&h->column, column);
}

typedef struct {
    const int64_t *ids;         /* per token: form or shape id (0: unknown) */
    const int64_t *sentence_of; /* per token: its sentence */
    Py_ssize_t total;           /* token count */
} Tokens;

/*
 * Add the table's n-grams found among the candidate start positions (every position when
 * candidates is NULL); put where they start in `found`, for the next length.
 */
static int ngram_hits(const Tokens *tok, const Table *t, int64_t base, const Vec *candidates,
                      Hits *hits, Vec *found)
{
    const Py_ssize_t n = t->n;
    const Py_ssize_t count = tok->total - n + 1;
    const int64_t *ids = tok->ids;
    found->len = 0;
    if (count <= 0)
        return 0;
    const Py_ssize_t m = candidates ? candidates->len : count;
    /* The tables are larger than the CPU's near caches and nearly every probe misses them:
     * compute a block of keys first and prefetch their slots, so the misses overlap. */
    enum { BLOCK = 32 };
    int64_t block_pos[BLOCK], block_key[BLOCK];
    uint64_t block_slot[BLOCK];
    const int64_t *slots = I64(t->slots);
    const int64_t column_mask = ((int64_t)1 << t->column_bits) - 1;
    const uint64_t mask = ((uint64_t)1 << t->bits) - 1;
    for (Py_ssize_t c0 = 0; c0 < m; c0 += BLOCK) {
        int filled = 0;
        for (Py_ssize_t c = c0; c < m && c < c0 + BLOCK; c++) {
            const Py_ssize_t p = candidates ? (Py_ssize_t)candidates->data[c] : c;
            if (p >= count)
                continue;
            /* Unknown words (id 0) are in no kept n-gram; a candidate's prefix is known. */
            int known = ids[p + n - 1] > 0;
            for (Py_ssize_t k = 0; known && !candidates && k < n - 1; k++)
                known = ids[p + k] > 0;
            if (!known || tok->sentence_of[p] != tok->sentence_of[p + n - 1])
                continue;
            int64_t key = ids[p];
            for (Py_ssize_t k = 1; k < n; k++)
                key = key * base + ids[p + k];
            const uint64_t slot = home_slot(key, t->bits);
            __builtin_prefetch(&slots[slot]);
            block_pos[filled] = p;
            block_key[filled] = key;
            block_slot[filled++] = slot;
        }
        for (int b = 0; b < filled; b++) {
            uint64_t slot = block_slot[b];
            while (slots[slot] != -1 && (slots[slot] >> t->column_bits) != block_key[b])
                slot = (slot + 1) & mask;
            if (slots[slot] == -1)
                continue;
            const int64_t p = block_pos[b];
            if (hits_add(hits, p, p + n, slots[slot] & column_mask) < 0 || vec_push(found, p) < 0)
                return -1;
        }
    }
    return 0;
}

/*
 * Look up one family of n-gram tables (word or shape) in rising length. When the vocabulary is
 * prefix-closed, each length is only looked up where the one before was found; `prefixes`
 * holds those start positions on entry (have_prefixes) and the last length's on return.
 */
static int family_hits(const Tokens *tok, PyObject *specs, int64_t base, int prefix_closed,
                       Vec *prefixes, int have_prefixes, Hits *hits)
{
    Vec found = {0};
    int status = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(specs) && status == 0; k++) {
        Table t;
        if (table_get(PyList_GET_ITEM(specs, k), &t) < 0) {
            status = -1;
            break;
        }
        if (t.n < 1) {
            table_release(&t);
            PyErr_SetString(PyExc_ValueError, "n-gram tables need a length of at least 1");
            status = -1;
            break;
        }
        const Vec *candidates = (prefix_closed && have_prefixes) ? prefixes : NULL;
        status = ngram_hits(tok, &t, base, candidates, hits, &found);
        table_release(&t);
        const Vec swap = *prefixes;
        *prefixes = found;
        found = swap;
        have_prefixes = 1;
    }
    vec_free(&found);
    return status;
}

/* -- cue phrases ----------------------------------------------------------------------- */

typedef struct {
    Table edges;       /* key parent * base + form id -> child node */
    int64_t base;
    Array node_starts; /* node k's columns are columns[node_starts[k]:node_starts[k + 1]] */
    Array columns;
} Trie;

/*
 * Walk the cue trie from every token flagged as a phrase start, all walkers one step at a
 * time, adding a hit for every phrase end reached (step by step, walkers in start order,
 * as the NumPy path adds them).
 */
static int cue_hits(const Tokens *tok, const int64_t *forms, const int64_t *flags,
                    int64_t cue_start, const int64_t *sentence_end, const Trie *trie, Hits *hits)
{
    Vec start = {0}, node = {0}, pos = {0};
    int status = 0;
    for (Py_ssize_t p = 0; p < tok->total && status == 0; p++)
        if (flags[p] & cue_start)
            status = vec_push(&start, p) | vec_push(&node, 0) | vec_push(&pos, p);
    const int64_t *node_starts = I64(trie->node_starts);
    const int64_t *columns = I64(trie->columns);
    Py_ssize_t alive = start.len;
    while (alive > 0 && status == 0) {
        Py_ssize_t kept = 0;
        for (Py_ssize_t w = 0; w < alive; w++) {
            const int64_t p = pos.data[w];
            if (p >= sentence_end[start.data[w]])
                continue;
            const int64_t child = table_find(&trie->edges, node.data[w] * trie->base + forms[p]);
            if (child < 0)
                continue;
            start.data[kept] = start.data[w];
            node.data[kept] = child;
            pos.data[kept] = p + 1;
            kept++;
        }
        alive = kept;
        for (Py_ssize_t w = 0; w < alive && status == 0; w++)
            for (int64_t c = node_starts[node.data[w]]; c < node_starts[node.data[w] + 1]; c++)
                if (hits_add(hits, start.data[w], pos.data[w], columns[c]) < 0) {
                    status = -1;
                    break;
                }
    }
    vec_free(&start);
    vec_free(&node);
    vec_free(&pos);
    return status;
}

/* -- attribution ----------------------------------------------------------------------- */

typedef struct {
    int64_t reporting, generic, pronoun, upper;
    int64_t columns[4]; /* feature_index.ATTRIBUTION_KINDS order; -1 when the vocabulary lacks it */
} Attribution;

/* Return who the reporting verb at `verb` credits (0 vague, 1 named, 2 pronoun, 3 none)
 * and set *source to where that subject stands: the rules of feature_index. */
static int attribution_subject(const int64_t *flags, const Attribution *a, int64_t verb,
                               int64_t start, int64_t end, int64_t *source)
{
    int64_t window[8];
    int size = 0;
    for (int64_t j = (verb - 4 > start ? verb - 4 : start); j < verb; j++)
        window[size++] = j;
    for (int64_t j = verb + 1; j < (end < verb + 4 ? end : verb + 4); j++)
        window[size++] = j;
    for (int k = 0; k < size; k++)
        if (flags[window[k]] & a->generic) {
            *source = window[k];
            return 0;
        }
    for (int k = 0; k < size; k++) {
        const int64_t j = window[k];
        if ((flags[j] & a->upper) && j > start && !(flags[j] & a->reporting)) {
            *source = j;
            return 1;
        }
    }
    for (int k = 0; k < size; k++)
        if (flags[window[k]] & a->pronoun) {
            *source = window[k];
            return 2;
        }
    *source = verb;
    return 3;
}

static int attribution_hits(const Tokens *tok, const int64_t *flags, const int64_t *offsets,
                            const Attribution *a, Hits *hits)
{
    for (Py_ssize_t verb = 0; verb < tok->total; verb++) {
        if (!(flags[verb] & a->reporting))
            continue;
        const int64_t sentence = tok->sentence_of[verb];
        int64_t source;
        const int kind =
            attribution_subject(flags, a, verb, offsets[sentence], offsets[sentence + 1], &source);
        const int64_t column = a->columns[kind];
        if (column >= 0 && hits_add(hits, verb < source ? verb : source,
                                    (verb > source ? verb : source) + 1, column) < 0)
            return -1;
    }
    return 0;
}

/* -- tf-idf ---------------------------------------------------------------------------- */

typedef struct {
    const float *idf;
    Py_ssize_t n_columns;
    const float *one_plus_log; /* entry k: 1 + log(k) in float32, as NumPy computes it */
    Py_ssize_t log_len;
} Weights;

/*
 * Count hits per (row, column) into CSR arrays of the sublinear tf-idf matrix with unit-length
 * rows. Return 1 with the three bytearrays set, 0 when a count reaches the log table's length
 * (the caller grows it), -1 with an exception.
 */
static int build_tfidf(const int64_t *first, const int64_t *columns, Py_ssize_t n_hits,
                       const int64_t *sentence_of, const int64_t *span_rows,
                       const int64_t *span_columns, Py_ssize_t n_spans, Py_ssize_t n_rows,
                       const Weights *w, PyObject **data_out, PyObject **indices_out,
                       PyObject **indptr_out)
{
    int status = -1;
    int64_t *items = NULL, *scratch = NULL, *row_fill = NULL;
    PyObject *data_obj = NULL, *indices_obj = NULL, *indptr_obj = NULL;
    const Py_ssize_t n = n_hits + n_spans;
    if (n_rows >= INT32_MAX || w->n_columns <= 0 || w->n_columns > INT32_MAX || n >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "tf-idf: too many rows, columns or hits");
        return -1;
    }
    /* Each hit as one key, row in the high half and column in the low: token hits by the
     * sentence of their first token, then the regex hits by their given row. */
    items = PyMem_Malloc((size_t)(n + 1) * sizeof(int64_t));
    scratch = PyMem_Malloc((size_t)(n + 1) * sizeof(int64_t));
    row_fill = PyMem_Calloc((size_t)n_rows + 1, sizeof(int64_t));
    if (!items || !scratch || !row_fill) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t h = 0; h < n; h++) {
        const int64_t r = h < n_hits ? sentence_of[first[h]] : span_rows[h - n_hits];
        const int64_t c = h < n_hits ? columns[h] : span_columns[h - n_hits];
        if (r < 0 || r >= n_rows || c < 0 || c >= w->n_columns) {
            PyErr_SetString(PyExc_ValueError, "tf-idf: row or column out of range");
            goto done;
        }
        items[h] = (r << 32) | c;
        row_fill[r + 1]++;
    }
    /* Stable radix passes over the column (as few as digits of at most 11 bits allow), then
     * a stable counting pass over the row: keys end up in (row, column) order, as CSR with
     * sorted indices wants. */
    int column_bits = 1;
    while (column_bits < 32 && ((int64_t)(w->n_columns - 1) >> column_bits) > 0)
        column_bits++;
    const int passes = (column_bits + 10) / 11;
    const int digit = (column_bits + passes - 1) / passes;
    const int64_t digit_mask = ((int64_t)1 << digit) - 1;
    for (int shift = 0; shift < column_bits; shift += digit) {
        Py_ssize_t bucket[(1 << 11) + 1];
        memset(bucket, 0, (size_t)(digit_mask + 2) * sizeof(Py_ssize_t));
        for (Py_ssize_t h = 0; h < n; h++)
            bucket[((items[h] >> shift) & digit_mask) + 1]++;
        for (int64_t b = 0; b < digit_mask + 1; b++)
            bucket[b + 1] += bucket[b];
        for (Py_ssize_t h = 0; h < n; h++)
            scratch[bucket[(items[h] >> shift) & digit_mask]++] = items[h];
        int64_t *swap = items;
        items = scratch;
        scratch = swap;
    }
    for (Py_ssize_t r = 0; r < n_rows; r++)
        row_fill[r + 1] += row_fill[r];
    for (Py_ssize_t h = 0; h < n; h++)
        scratch[row_fill[items[h] >> 32]++] = items[h];

    /* Count runs of equal keys: one cell each, with its count (in `items`, now free). */
    Py_ssize_t cells = 0;
    for (Py_ssize_t h = 0; h < n; h++) {
        if (h > 0 && scratch[h] == scratch[h - 1]) {
            items[cells - 1]++;
            continue;
        }
        scratch[cells] = scratch[h];
        items[cells++] = 1;
    }
    data_obj = PyByteArray_FromStringAndSize(NULL, cells * (Py_ssize_t)sizeof(float));
    indices_obj = PyByteArray_FromStringAndSize(NULL, cells * (Py_ssize_t)sizeof(int32_t));
    indptr_obj = PyByteArray_FromStringAndSize(NULL, (n_rows + 1) * (Py_ssize_t)sizeof(int32_t));
    if (!data_obj || !indices_obj || !indptr_obj)
        goto done;
    float *data = (float *)PyByteArray_AS_STRING(data_obj);
    int32_t *indices = (int32_t *)PyByteArray_AS_STRING(indices_obj);
    int32_t *indptr = (int32_t *)PyByteArray_AS_STRING(indptr_obj);
    const float *idf_of = w->idf, *one_plus_log = w->one_plus_log;
    Py_ssize_t cell = 0;
    indptr[0] = 0;
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        const Py_ssize_t first = cell;
        double sum = 0.0;
        for (; cell < cells && (scratch[cell] >> 32) == r; cell++) {
            const int64_t column = scratch[cell] & 0xFFFFFFFF;
            if (items[cell] >= w->log_len) {
                status = 0; /* the caller grows the table and asks again */
                goto done;
            }
            /* float32 arithmetic as NumPy does it; the sum of squares in float64. */
            const float value = one_plus_log[items[cell]] * idf_of[column];
            const float square = value * value;
            sum += (double)square;
            data[cell] = value;
            indices[cell] = (int32_t)column;
        }
        double norm = sqrt(sum);
        if (norm == 0.0)
            norm = 1.0;
        for (Py_ssize_t c = first; c < cell; c++)
            data[c] = (float)((double)data[c] / norm);
        indptr[r + 1] = (int32_t)cell;
    }
        *data_out = Py_NewRef(data_obj);
    *indices_out = Py_NewRef(indices_obj);
    *indptr_out = Py_NewRef(indptr_obj);
    status = 1;
done:
    Py_XDECREF(data_obj);
    Py_XDECREF(indices_obj);
    Py_XDECREF(indptr_obj);
    PyMem_Free(items);
    PyMem_Free(scratch);
    PyMem_Free(row_fill);
    return status;
}

/* -- extract --------------------------------------------------------------------------- */

PyDoc_STRVAR(extract_doc,
             "extract(codes, counts, spec, span_rows, span_columns, idf, log_table)\n"
             "    -> (first, stop, columns, data, indices, indptr) or None\n\n"
             "Find every feature hit of the tokenized batch (token range and column, int64, in\n"
             "the order the NumPy path adds them) and count them, with the regex hits given by\n"
             "row, into the CSR arrays of the tf-idf matrix (float32, int32, int32). None when a\n"
             "count reaches len(log_table): grow it and call again. spec comes from\n"
             "FeatureIndex._build_kernel_spec().");

static PyObject *extract(PyObject *self, PyObject *args)
{
    PyObject *codes_obj, *counts_obj, *spec, *span_rows_obj, *span_columns_obj, *idf_obj,
        *log_obj;
    if (!PyArg_ParseTuple(args, "OOO!OOOO:extract", &codes_obj, &counts_obj, &PyTuple_Type, &spec,
                          &span_rows_obj, &span_columns_obj, &idf_obj, &log_obj))
        return NULL;
    Py_ssize_t form_shift, shape_shift;
    long long shape_mask, form_base, shape_base, cue_base, bit[5], attr_columns[4];
    int prefix_closed;
    PyObject *unigram_obj, *word_specs, *shape_specs, *edges_spec, *node_starts_obj,
        *cue_columns_obj;
    if (!PyArg_ParseTuple(spec, "nnLLLpOO!O!(LLLLL)(LLLL)O!LOO:spec", &form_shift, &shape_shift,
                          &shape_mask, &form_base, &shape_base, &prefix_closed, &unigram_obj,
                          &PyList_Type, &word_specs, &PyList_Type, &shape_specs, &bit[0], &bit[1],
                          &bit[2], &bit[3], &bit[4], &attr_columns[0], &attr_columns[1],
                          &attr_columns[2], &attr_columns[3], &PyTuple_Type, &edges_spec,
                          &cue_base, &node_starts_obj, &cue_columns_obj))
        return NULL;
    if (form_shift <= 0 || form_shift >= 63 || shape_shift <= 0 || shape_shift >= form_shift) {
        PyErr_SetString(PyExc_ValueError, "bad code layout");
        return NULL;
    }
    Attribution attr = {bit[0], bit[1], bit[2], bit[3], {0}};
    for (int k = 0; k < 4; k++)
        attr.columns[k] = attr_columns[k];
    const int64_t cue_start = bit[4];

    Array codes = {0}, counts = {0}, unigrams = {0}, span_rows = {0}, span_columns = {0},
          idf = {0}, logs = {0};
    Trie trie = {0};
    int64_t *forms = NULL, *shapes = NULL, *flags = NULL, *sentence_of = NULL, *offsets = NULL,
            *sentence_end = NULL;
    Hits hits = {0};
    Vec prefixes = {0};
    PyObject *result = NULL;
    if (array_get(codes_obj, &codes, 8, "codes") < 0 ||
        array_get(counts_obj, &counts, 8, "counts") < 0 ||
        array_get(unigram_obj, &unigrams, 8, "unigram columns") < 0 ||
        table_get(edges_spec, &trie.edges) < 0 ||
        array_get(node_starts_obj, &trie.node_starts, 8, "trie node starts") < 0 ||
        array_get(cue_columns_obj, &trie.columns, 8, "trie columns") < 0 ||
        array_get(span_rows_obj, &span_rows, 8, "span rows") < 0 ||
        array_get(span_columns_obj, &span_columns, 8, "span columns") < 0 ||
        array_get(idf_obj, &idf, 4, "idf") < 0 || array_get(log_obj, &logs, 4, "log table") < 0)
        goto done;
    if (span_rows.len != span_columns.len) {
        PyErr_SetString(PyExc_ValueError, "span rows and columns differ in length");
        goto done;
    }
    trie.base = cue_base;

    /* Unpack the codes and lay out the sentences (every array has a slot, even when empty). */
    const Py_ssize_t total = codes.len, n_texts = counts.len;
    forms = PyMem_Malloc((size_t)(total + 1) * sizeof(int64_t));
    shapes = PyMem_Malloc((size_t)(total + 1) * sizeof(int64_t));
    flags = PyMem_Malloc((size_t)(total + 1) * sizeof(int64_t));
    sentence_of = PyMem_Malloc((size_t)(total + 1) * sizeof(int64_t));
    sentence_end = PyMem_Malloc((size_t)(total + 1) * sizeof(int64_t));
    offsets = PyMem_Malloc((size_t)(n_texts + 1) * sizeof(int64_t));
    if (!forms || !shapes || !flags || !sentence_of || !sentence_end || !offsets) {
        PyErr_NoMemory();
        goto done;
    }
    offsets[0] = 0;
    for (Py_ssize_t k = 0; k < n_texts; k++) {
        offsets[k + 1] = offsets[k] + I64(counts)[k];
        if (I64(counts)[k] < 0 || offsets[k + 1] > total) {
            PyErr_SetString(PyExc_ValueError, "token counts do not match the codes");
            goto done;
        }
        for (int64_t p = offsets[k]; p < offsets[k + 1]; p++) {
            sentence_of[p] = k;
            sentence_end[p] = offsets[k + 1];
        }
    }
    if (offsets[n_texts] != total) {
        PyErr_SetString(PyExc_ValueError, "token counts do not match the codes");
        goto done;
    }
    const int64_t flag_mask = ((int64_t)1 << shape_shift) - 1;
    for (Py_ssize_t p = 0; p < total; p++) {
        const int64_t code = I64(codes)[p];
        forms[p] = code >> form_shift;
        shapes[p] = (code >> shape_shift) & shape_mask;
        flags[p] = code & flag_mask;
        if (forms[p] < 0 || forms[p] >= unigrams.len) {
            PyErr_SetString(PyExc_ValueError, "form id outside the index");
            goto done;
        }
    }

    /* Words: unigrams straight from their array, then longer n-grams by table. */
    Tokens words = {forms, sentence_of, total};
    const int64_t *unigram_columns = I64(unigrams);
    for (Py_ssize_t p = 0; p < total; p++) {
        const int64_t column = unigram_columns[forms[p]];
        if (column >= 0 && (hits_add(&hits, p, p + 1, column) < 0 || vec_push(&prefixes, p) < 0))
            goto done;
    }
    if (family_hits(&words, word_specs, form_base, prefix_closed, &prefixes, 1, &hits) < 0)
        goto done;
    Tokens shape_tokens = {shapes, sentence_of, total};
    prefixes.len = 0;
    if (family_hits(&shape_tokens, shape_specs, shape_base, prefix_closed, &prefixes, 0, &hits) <
        0)
        goto done;
    if (cue_hits(&words, forms, flags, cue_start, sentence_end, &trie, &hits) < 0)
        goto done;
    if (attribution_hits(&words, flags, offsets, &attr, &hits) < 0)
        goto done;

    const Weights weights = {F32(idf), idf.len, F32(logs), logs.len};
    PyObject *matrix[3] = {NULL, NULL, NULL};
    const int built = build_tfidf(hits.first.data, hits.column.data, hits.first.len, sentence_of,
                                  I64(span_rows), I64(span_columns), span_rows.len, n_texts,
                                  &weights, &matrix[0], &matrix[1], &matrix[2]);
    if (built == 0)
        result = Py_NewRef(Py_None);
    if (built == 1) {
        PyObject *out[3] = {vec_take(&hits.first), vec_take(&hits.stop), vec_take(&hits.column)};
        if (out[0] && out[1] && out[2])
            result = PyTuple_Pack(6, out[0], out[1], out[2], matrix[0], matrix[1], matrix[2]);
        for (int k = 0; k < 3; k++)
            Py_XDECREF(out[k]);
    }
    for (int k = 0; k < 3; k++)
        Py_XDECREF(matrix[k]);
done:
    array_release(&codes);
    array_release(&counts);
    array_release(&unigrams);
    table_release(&trie.edges);
    array_release(&trie.node_starts);
    array_release(&trie.columns);
    array_release(&span_rows);
    array_release(&span_columns);
    array_release(&idf);
    array_release(&logs);
    PyMem_Free(forms);
    PyMem_Free(shapes);
    PyMem_Free(flags);
    PyMem_Free(sentence_of);
    PyMem_Free(sentence_end);
    PyMem_Free(offsets);
    vec_free(&hits.first);
    vec_free(&hits.stop);
    vec_free(&hits.column);
    vec_free(&prefixes);
    return result;
}

/* -- module ---------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"token_cache", token_cache, METH_NOARGS, token_cache_doc},
    {"token_cache_size", token_cache_size, METH_O, token_cache_size_doc},
    {"token_codes", token_codes, METH_VARARGS, token_codes_doc},
    {"extract", extract, METH_VARARGS, extract_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "service.core._kernels",
    .m_doc = "Compiled hot loops of feature extraction (feature_index's NumPy path is the reference).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__kernels(void)
{
    return PyModule_Create(&module);
}
