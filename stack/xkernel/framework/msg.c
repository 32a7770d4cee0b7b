/* msg.c - the message tool: segments over shared, reference-counted buffers. */
#include <errno.h>
#include <string.h>

#include "msg.h"

#define MSG_TAILROOM	512	/* smallest buffer msg_append makes */

struct msg_buf {
	msg_pool_t *pool;	/* where it goes back */
	uint32_t refs;
	uint32_t size;		/* bytes of data: at least what was asked, all the pool's block gives */
	uint8_t data[];
};

static struct msg_buf *buf_new(msg_pool_t *pool, size_t size)
{
	struct msg_buf *b;
	size_t cap;

	if (size > UINT32_MAX - 2 * sizeof *b)
		return NULL;
	b = msg_pool_get(pool, sizeof *b + size, &cap);
	if (b) {
		b->pool = pool;
		b->refs = 1;
		b->size = (uint32_t)(cap - sizeof *b);
	}
	return b;
}

static void buf_put(struct msg_buf *b)
{
	if (--b->refs == 0)
		msg_pool_put(b->pool, b, sizeof *b + b->size);
}

static uint8_t *seg_data(const struct msg_seg *s)
{
	return s->buf->data + s->off;
}

static const struct msg_seg *msg_csegs(const msg_t *m)
{
	return m->seg ? m->seg : m->inl;
}

/* Make room for n more segments: past the inline ones, an array from the pool. */
static int msg_reserve(msg_t *m, unsigned n)
{
	size_t have = m->seg ? m->cap : MSG_INLINE_SEGS, cap = 2 * have, bytes;
	struct msg_seg *seg;

	if (m->nseg + n <= have)
		return 0;
	while (cap < m->nseg + n)
		cap *= 2;
	seg = msg_pool_get(m->pool, cap * sizeof *seg, &bytes);
	if (!seg)
		return -ENOMEM;
	memcpy(seg, msg_segs(m), m->nseg * sizeof *seg);
	if (m->seg)
		msg_pool_put(m->pool, m->seg, m->cap * sizeof *seg);
	m->seg = seg;
	m->cap = (unsigned)(bytes / sizeof *seg);
	return 0;
}

/* Back to empty, keeping the pool; the buffers are someone else's now or released. */
static void msg_reset(msg_t *m)
{
	if (m->seg)
		msg_pool_put(m->pool, m->seg, m->cap * sizeof *m->seg);
	*m = (msg_t){ .pool = m->pool };
}

void msg_init(msg_t *m)
{
	*m = (msg_t){ 0 };
}

/* A one-segment message from pool over a fresh buffer: headroom, then len bytes. */
static int msg_new(msg_pool_t *pool, msg_t *m, size_t headroom, size_t len, size_t size)
{
	struct msg_buf *b = buf_new(pool, size);

	*m = (msg_t){ .pool = pool };
	if (!b)
		return -ENOMEM;
	m->inl[0] = (struct msg_seg){ b, (uint32_t)headroom, (uint32_t)len };
	m->nseg = 1;
	m->len = len;
	return 0;
}

int msg_alloc(msg_pool_t *pool, msg_t *m, size_t len, void **data)
{
	int err = msg_new(pool, m, MSG_HEADROOM, len, MSG_HEADROOM + len);

	if (!err)
		*data = seg_data(&m->inl[0]);
	return err;
}

int msg_from(msg_pool_t *pool, msg_t *m, const void *data, size_t len)
{
	void *p;
	int err = msg_alloc(pool, m, len, &p);

	if (!err && len)
		memcpy(p, data, len);
	return err;
}

void msg_free(msg_t *m)
{
	struct msg_seg *seg = msg_segs(m);

	for (unsigned i = 0; i < m->nseg; i++)
		buf_put(seg[i].buf);
	msg_reset(m);
}

void msg_move(msg_t *dst, msg_t *src)
{
	*dst = *src;
	*src = (msg_t){ .pool = dst->pool };
}

int msg_dup(msg_t *dst, const msg_t *src)
{
	struct msg_seg *seg;

	*dst = (msg_t){ .pool = src->pool };
	if (msg_reserve(dst, src->nseg))
		return -ENOMEM;
	seg = msg_segs(dst);
	memcpy(seg, msg_csegs(src), src->nseg * sizeof *seg);
	dst->nseg = src->nseg;
	dst->len = src->len;
	for (unsigned i = 0; i < dst->nseg; i++)
		seg[i].buf->refs++;
	return 0;
}

/* Put seg in front of the others. */
static int msg_prepend_seg(msg_t *m, struct msg_seg seg)
{
	struct msg_seg *s;

	if (msg_reserve(m, 1))
		return -ENOMEM;
	s = msg_segs(m);
	if (m->nseg == 1)	/* a header in front of one segment: no call to libc's memmove */
		s[1] = s[0];
	else
		memmove(s + 1, s, m->nseg * sizeof *s);
	s[0] = seg;
	m->nseg++;
	m->len += seg.len;
	return 0;
}
void *msg_push(msg_t *m, size_t n)
{
	struct msg_seg *s = m->nseg ? msg_segs(m) : NULL;
	struct msg_buf *b;
	size_t size;

	/* Unshared headroom: just move the start back. */
	if (s && s->buf->refs == 1 && s->off >= n) {
		s->off -= (uint32_t)n;
		s->len += (uint32_t)n;
		m->len += n;
		return seg_data(s);
	}
	size = n > MSG_HEADROOM ? n : MSG_HEADROOM;
	b = buf_new(m->pool, size);
	if (!b)
		return NULL;
	if (msg_prepend_seg(m, (struct msg_seg){ b, (uint32_t)(size - n), (uint32_t)n })) {
		buf_put(b);
		return NULL;
	}
	return seg_data(msg_segs(m));
}

/* Remove the first n bytes (n <= m->len). An emptied last segment stays, for its headroom. */
static void msg_strip(msg_t *m, size_t n)
{
	struct msg_seg *seg = msg_segs(m);
	unsigned drop = 0;

	m->len -= n;
	while (n) {
		struct msg_seg *s = &seg[drop];

		if (s->len > n || drop + 1 == m->nseg) {
			s->off += (uint32_t)n;
			s->len -= (uint32_t)n;
			break;
		}
		n -= s->len;
		buf_put(s->buf);
		drop++;
	}
	if (drop) {
		m->nseg -= drop;
		memmove(seg, seg + drop, m->nseg * sizeof *seg);
	}
}

int msg_pop(msg_t *m, void *hdr, size_t n)
{
	if (n > m->len)
		return -EINVAL;
	if (hdr)
		msg_copyout(m, 0, hdr, n);
	msg_strip(m, n);
	return 0;
}

const void *msg_span(const msg_t *m, size_t off, size_t n)
{
	const struct msg_seg *s = msg_csegs(m);

	return m->nseg && off + n <= s->len ? seg_data(s) + off : NULL;
}

void *msg_peek(msg_t *m, size_t n)
{
	struct msg_buf *b;

	if (n > m->len)
		return NULL;
	if (m->nseg && msg_segs(m)->len >= n)
		return seg_data(msg_segs(m));
	/* Gather the first n bytes into a fresh buffer with headroom. */
	b = buf_new(m->pool, MSG_HEADROOM + n);
	if (!b)
		return NULL;
	msg_copyout(m, 0, b->data + MSG_HEADROOM, n);
	if (msg_reserve(m, 1)) {
		buf_put(b);
		return NULL;
	}
	msg_strip(m, n);
	msg_prepend_seg(m, (struct msg_seg){ b, MSG_HEADROOM, (uint32_t)n });
	return b->data + MSG_HEADROOM;
}

int msg_append(msg_t *m, const void *data, size_t n)
{
	struct msg_seg *s = m->nseg ? &msg_segs(m)[m->nseg - 1] : NULL;
	struct msg_buf *b;

	if (n == 0)
		return 0;
	if (s && s->buf->refs == 1 && s->buf->size - s->off - s->len >= n) {
		memcpy(seg_data(s) + s->len, data, n);
		s->len += (uint32_t)n;
		m->len += n;
		return 0;
	}
	if (msg_reserve(m, 1))
		return -ENOMEM;
	b = buf_new(m->pool, n > MSG_TAILROOM ? n : MSG_TAILROOM);
	if (!b)
		return -ENOMEM;
	memcpy(b->data, data, n);
	msg_segs(m)[m->nseg++] = (struct msg_seg){ b, 0, (uint32_t)n };
	m->len += n;
	return 0;
}

void msg_truncate(msg_t *m, size_t len)
{
	struct msg_seg *seg = msg_segs(m);
	size_t at = 0;
	unsigned keep = 0;

	if (len >= m->len)
		return;
	while (keep < m->nseg && at + seg[keep].len <= len)
		at += seg[keep++].len;
	if (keep < m->nseg && at < len) {
		seg[keep].len = (uint32_t)(len - at);
		keep++;
	}
	if (keep == 0 && m->nseg) {
		seg[0].len = 0;	/* keep the first buffer for its headroom */
		keep = 1;
	}
	for (unsigned i = keep; i < m->nseg; i++)
		buf_put(seg[i].buf);
	m->nseg = keep;
	m->len = len;
}

int msg_join(msg_t *m, msg_t *tail)
{
	if (!m->pool && !m->seg)
		m->pool = tail->pool;	/* a message from msg_init takes its first pool */
	if (msg_reserve(m, tail->nseg))
		return -ENOMEM;
	memcpy(msg_segs(m) + m->nseg, msg_segs(tail), tail->nseg * sizeof *tail->inl);
	m->nseg += tail->nseg;
	m->len += tail->len;
	msg_reset(tail);
	return 0;
}

int msg_break(msg_t *m, msg_t *head, size_t n)
{
	int err;

	if (n > m->len)
		return -EINVAL;
	err = msg_dup(head, m);
	if (err)
		return err;
	msg_truncate(head, n);
	msg_strip(m, n);
	return 0;
}

int msg_walk(const msg_t *m, size_t off, size_t len, msg_walk_fn fn, void *arg)
{
	const struct msg_seg *seg = msg_csegs(m);

	if (off > m->len || len > m->len - off)
		return -EINVAL;
	for (unsigned i = 0; i < m->nseg && len; i++) {
		const struct msg_seg *s = &seg[i];
		size_t n;
		int r;

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = s->len - off < len ? s->len - off : len;
		r = fn(seg_data(s) + off, n, arg);
		if (r)
			return r;
		len -= n;
		off = 0;
	}
	return 0;
}

static int copy_piece(const uint8_t *p, size_t n, void *arg)
{
	uint8_t **dst = arg;

	memcpy(*dst, p, n);
	*dst += n;
	return 0;
}

int msg_copyout(const msg_t *m, size_t off, void *dst, size_t n)
{
	uint8_t *d = dst;

	return msg_walk(m, off, n, copy_piece, &d);
}

void *msg_flatten(msg_t *m)
{
	msg_t flat;
	void *p;

	if (m->nseg == 1)
		return seg_data(msg_segs(m));
	if (msg_alloc(m->pool, &flat, m->len, &p))
		return NULL;
	msg_copyout(m, 0, p, m->len);
	msg_free(m);
	msg_move(m, &flat);
	return p;
}
