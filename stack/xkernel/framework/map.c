/* map.c - chained hash tables on fixed-length byte keys, with a last-hit cache. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

struct map_ent {
	struct map_ent *next;
	void *val;
	unsigned char key[];
};

struct xk_map {
	size_t keylen;
	unsigned mask;		/* nbuckets - 1 */
	unsigned count;
	struct map_ent *last;	/* last hit */
	struct map_ent **bucket;
};

int xk_map_create(xk_map_t **mp, size_t keylen, unsigned nbuckets)
{
	unsigned n = 1;
	xk_map_t *m;

	if (keylen == 0 || nbuckets == 0 || nbuckets > (1u << 20))
		return -EINVAL;
	while (n < nbuckets)
		n <<= 1;
	m = calloc(1, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->bucket = calloc(n, sizeof *m->bucket);
	if (!m->bucket) {
		free(m);
		return -ENOMEM;
	}
	m->keylen = keylen;
	m->mask = n - 1;
	*mp = m;
	return 0;
}

void xk_map_destroy(xk_map_t *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i <= m->mask; i++) {
		for (struct map_ent *e = m->bucket[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(m->bucket);
	free(m);
}

/* FNV-1a: short keys, cheap, spreads ports and addresses well enough. */
static unsigned map_hash(const xk_map_t *m, const void *key)
{
	const unsigned char *k = key;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < m->keylen; i++)
		h = (h ^ k[i]) * 16777619u;
	return h & m->mask;
}

static struct map_ent **map_find(xk_map_t *m, const void *key)
{
	struct map_ent **pp = &m->bucket[map_hash(m, key)];

	while (*pp && memcmp((*pp)->key, key, m->keylen) != 0)
		pp = &(*pp)->next;
	return pp;
}

int xk_map_bind(xk_map_t *m, const void *key, void *val)
{
	struct map_ent **pp = map_find(m, key), *e;

	if (*pp)
		return -EEXIST;
	e = malloc(sizeof *e + m->keylen);
	if (!e)
		return -ENOMEM;
	memcpy(e->key, key, m->keylen);
	e->val = val;
	e->next = NULL;
	*pp = e;
	m->count++;
	return 0;
}

int xk_map_resolve(xk_map_t *m, const void *key, void **val)
{
	struct map_ent *e = m->last;

	if (!e || memcmp(e->key, key, m->keylen) != 0) {
		e = *map_find(m, key);
		if (!e)
			return -ENOENT;
		m->last = e;
	}
	*val = e->val;
	return 0;
}

int xk_map_unbind(xk_map_t *m, const void *key)
{
	struct map_ent **pp = map_find(m, key), *e = *pp;

	if (!e)
		return -ENOENT;
	*pp = e->next;
	if (m->last == e)
		m->last = NULL;
	free(e);
	m->count--;
	return 0;
}

unsigned xk_map_count(const xk_map_t *m)
{
	return m->count;
}

int xk_map_foreach(xk_map_t *m, xk_map_fn fn, void *arg)
{
	for (unsigned i = 0; i <= m->mask; i++) {
		for (struct map_ent *e = m->bucket[i], *next; e; e = next) {
			int r;

			next = e->next;
			r = fn(e->key, e->val, arg);
			if (r)
				return r;
		}
	}
	return 0;
}
