/*
 * msg_pool.h - a pool of message memory: blocks in power-of-two size classes
 * (32 bytes to 128 KiB), kept on one free list per class once returned, so a
 * steady stream of messages reuses the same blocks and never calls malloc.
 * Each host has its own (xk_host_pool): a host is one domain, and a pool is
 * not locked. Larger blocks come from malloc and go straight back.
 *
 * The pool counts the blocks handed out and not yet returned; a host checks
 * that count is zero at teardown, so a pool never hides a leak. Built with
 * ASan (make SAN=1), returned blocks go back to malloc at once, so ASan still
 * sees every use after free and every leak.
 */
#ifndef MSG_POOL_H
#define MSG_POOL_H

#include <stddef.h>
#include <stdint.h>

/* Whether returned memory is kept for reuse: not under ASan, which must see every free. */
#if defined(__SANITIZE_ADDRESS__)
#define MSG_POOL_CACHE	0
#else
#define MSG_POOL_CACHE	1
#endif

typedef struct msg_pool msg_pool_t;

struct msg_pool_stats {
	uint64_t outstanding;	/* blocks handed out, not yet returned */
	uint64_t high_water;	/* most blocks outstanding at once */
	uint64_t cached;	/* blocks on the free lists */
	uint64_t mallocs;	/* blocks the pool had to get from malloc */
};

int msg_pool_create(msg_pool_t **pp);		/* 0 or -ENOMEM */
/*
 * Frees the cached blocks and returns how many are still outstanding (0 when
 * everything came back). With some outstanding, the pool lives on until the
 * last of them is returned, then goes away by itself.
 */
size_t msg_pool_destroy(msg_pool_t *p);
void msg_pool_stats(const msg_pool_t *p, struct msg_pool_stats *st);

/*
 * A block of at least size bytes; *cap gets its real size (the class's), to
 * be given back with it. p NULL: plain malloc (a message without a pool).
 */
void *msg_pool_get(msg_pool_t *p, size_t size, size_t *cap);
void msg_pool_put(msg_pool_t *p, void *blk, size_t cap);

#endif
