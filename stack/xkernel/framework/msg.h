/*
 * msg.h - the message tool: headers pushed and popped without copying the payload.
 *
 * A message is a chain of segments, each a window onto a reference-counted
 * buffer. Buffers are made with headroom, so each layer's msg_push usually
 * just moves the first segment's start back; when the first buffer is shared
 * (another message refers to it) or full, a fresh header buffer is chained in
 * front. msg_dup, msg_break and msg_join share buffers instead of copying.
 *
 * A msg_t is owned by whoever holds it; it may live on the stack. msg_move
 * hands its contents to another msg_t. Functions return 0 or -ENOMEM/-EINVAL;
 * on failure the message is unchanged.
 *
 * Buffers and segment arrays come from the pool a message was made with
 * (msg_pool.h; a protocol uses its host's, xk_host_pool), and each buffer goes
 * back to its own pool. A message made by msg_init has no pool until it takes
 * one from another (msg_join); what it allocates without one comes from malloc.
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdint.h>

#include "msg_pool.h"

#define MSG_HEADROOM	160	/* room for ETH + IP + TCP headers with options */

struct msg_buf;

struct msg_seg {
	struct msg_buf *buf;
	uint32_t off;		/* start of this segment's bytes in buf */
	uint32_t len;
};

#define MSG_INLINE_SEGS	2	/* segments a msg_t holds itself: most messages need no array */

typedef struct msg {
	size_t len;		/* total bytes */
	unsigned nseg, cap;	/* cap: room in seg */
	struct msg_seg *seg;	/* nseg segments, in order; NULL: they are in inl (msg_segs) */
	struct msg_seg inl[MSG_INLINE_SEGS];
	msg_pool_t *pool;	/* where a larger segment array and new buffers come from */
} msg_t;

/* The segments, wherever they are (a msg_t may be copied: no pointer into itself). */
static inline struct msg_seg *msg_segs(msg_t *m)
{
	return m->seg ? m->seg : m->inl;
}

/* An empty message without a pool (no allocation). */
void msg_init(msg_t *m);
/* A message from pool holding a copy of data[0..len), with MSG_HEADROOM in front. */
int msg_from(msg_pool_t *pool, msg_t *m, const void *data, size_t len);
/* A message from pool of len bytes of uninitialised space; *data points at them. */
int msg_alloc(msg_pool_t *pool, msg_t *m, size_t len, void **data);
void msg_free(msg_t *m);			/* back to empty (keeping its pool); releases the buffers */
void msg_move(msg_t *dst, msg_t *src);		/* dst (empty) takes src's contents; src becomes empty */
int msg_dup(msg_t *dst, const msg_t *src);	/* dst (empty) shares src's bytes, and its pool */

static inline size_t msg_len(const msg_t *m)
{
	return m->len;
}

/* Room for an n-byte header in front; returns where to write it, or NULL (-ENOMEM). */
void *msg_push(msg_t *m, size_t n);
/*
 * The first n bytes, contiguous, or NULL if the message is shorter. When they
 * span segments they are first gathered into one (copying only those n bytes).
 * The pointer is valid until the next change to m.
 */
void *msg_peek(msg_t *m, size_t n);
/* Bytes [off, off + n) where they lie in the first segment, or NULL when they do not all lie there. */
const void *msg_span(const msg_t *m, size_t off, size_t n);
/* Copy the first n bytes into hdr (if not NULL) and remove them; -EINVAL if shorter. */
int msg_pop(msg_t *m, void *hdr, size_t n);
/* Add a copy of data at the end. */
int msg_append(msg_t *m, const void *data, size_t n);
/* Keep only the first len bytes (no-op if already shorter). */
void msg_truncate(msg_t *m, size_t len);
/* Append all of tail to m, sharing buffers; tail becomes empty. */
int msg_join(msg_t *m, msg_t *tail);
/* head (empty) gets m's first n bytes, m keeps the rest; -EINVAL if m is shorter. */
int msg_break(msg_t *m, msg_t *head, size_t n);
/* Copy n bytes from offset off into dst; -EINVAL if out of range. */
int msg_copyout(const msg_t *m, size_t off, void *dst, size_t n);
/* Make m one contiguous segment with headroom; returns its bytes or NULL. */
void *msg_flatten(msg_t *m);

/* Walk the bytes segment by segment: fn returns non-zero to stop (that value is returned). */
typedef int (*msg_walk_fn)(const uint8_t *p, size_t n, void *arg);
int msg_walk(const msg_t *m, size_t off, size_t len, msg_walk_fn fn, void *arg);

#endif
