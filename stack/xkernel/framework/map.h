/*
 * map.h - the map manager: hash tables from fixed-length keys to pointers,
 * used to demultiplex on header fields (ports, address pairs, types).
 *
 * Keys are compared bytewise, so build them in a zeroed struct without
 * padding holes. The last hit is cached, as in the x-kernel, because a
 * stream of packets usually goes to the same session.
 */
#ifndef XK_MAP_H
#define XK_MAP_H

#include <stddef.h>

typedef struct xk_map xk_map_t;

/* keylen bytes per key; nbuckets is rounded up to a power of two. */
int xk_map_create(xk_map_t **mp, size_t keylen, unsigned nbuckets);
void xk_map_destroy(xk_map_t *m);		/* frees the table, not the values */
/* -EEXIST if key is bound, -ENOMEM. */
int xk_map_bind(xk_map_t *m, const void *key, void *val);
/* 0 and *val, or -ENOENT. */
int xk_map_resolve(xk_map_t *m, const void *key, void **val);
/* -ENOENT if not bound. */
int xk_map_unbind(xk_map_t *m, const void *key);
unsigned xk_map_count(const xk_map_t *m);
/* Call fn on each binding; fn may unbind the key it is given. Stops on non-zero, returning it. */
typedef int (*xk_map_fn)(const void *key, void *val, void *arg);
int xk_map_foreach(xk_map_t *m, xk_map_fn fn, void *arg);

#endif
