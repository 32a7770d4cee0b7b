/* msg.c - the message tool: segments over shared, reference-counted buffers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define MSG_TAILROOM	512	/* smallest buffer msg_append makes */

struct msg_buf {
	unsigned refs;
	uint32_t size;
	uint8_t data[];
};

static struct msg_buf *buf_new(size_t size)
{
	struct msg_buf *b;

	if (size > UINT32_MAX - sizeof *b)
		return NULL;
	b = malloc(sizeof *b + size);
	if (b) {
		b->refs = 1;
		b->size = (uint32_t)size;
	}
	return b;
}

static void buf_put(struct msg_buf *b)
{
	if (--b->refs == 0)
		free(b);
}

static uint8_t *seg_data(const struct msg_seg *s)
{
	return s->buf->data + s->off;
}

/* Make room for n more segments. */
static int msg_reserve(msg_t *m, unsigned n)
{
	unsigned cap = m->cap ? m->cap : 2;
	struct msg_seg *seg;

	if (m->nseg + n <= m->cap)
		return 0;
	while (cap < m->nseg + n)
		cap *= 2;
	seg = realloc(m->seg, cap * sizeof *seg);
	if (!seg)
		return -ENOMEM;
	m->seg = seg;
	m->cap = cap;
	return 0;
}

void msg_init(msg_t *m)
{
	*m = (msg_t){ 0 };
}

/* A one-segment message over a fresh buffer: headroom, then len bytes. */
static int msg_new(msg_t *m, size_t headroom, size_t len, size_t size)
{
	struct msg_buf *b;

	msg_init(m);
	if (msg_reserve(m, 1))
		return -ENOMEM;
	b = buf_new(size);
	if (!b) {
		msg_free(m);
		return -ENOMEM;
	}
	m->seg[0] = (struct msg_seg){ b, (uint32_t)headroom, (uint32_t)len };
	m->nseg = 1;
	m->len = len;
	return 0;
}

int msg_alloc(msg_t *m, size_t len, void **data)
{
	int err = msg_new(m, MSG_HEADROOM, len, MSG_HEADROOM + len);

	if (!err)
		*data = seg_data(&m->seg[0]);
	return err;
}

int msg_from(msg_t *m, const void *data, size_t len)
{
	void *p;
	int err = msg_alloc(m, len, &p);

	if (!err && len)
		memcpy(p, data, len);
	return err;
}

void msg_free(msg_t *m)
{
	for (unsigned i = 0; i < m->nseg; i++)
		buf_put(m->seg[i].buf);
	free(m->seg);
	msg_init(m);
}

void msg_move(msg_t *dst, msg_t *src)
{
	*dst = *src;
	msg_init(src);
}

int msg_dup(msg_t *dst, const msg_t *src)
{
	msg_init(dst);
	if (msg_reserve(dst, src->nseg))
		return -ENOMEM;
	memcpy(dst->seg, src->seg, src->nseg * sizeof *src->seg);
	dst->nseg = src->nseg;
	dst->len = src->len;
	for (unsigned i = 0; i < dst->nseg; i++)
		dst->seg[i].buf->refs++;
	return 0;
}

/* Put seg in front of the others. */
static int msg_prepend_seg(msg_t *m, struct msg_seg seg)
{
	if (msg_reserve(m, 1))
		return -ENOMEM;
	memmove(m->seg + 1, m->seg, m->nseg * sizeof *m->seg);
	m->seg[0] = seg;
	m->nseg++;
	m->len += seg.len;
	return 0;
}

void *msg_push(msg_t *m, size_t n)
{
	struct msg_seg *s = m->nseg ? &m->seg[0] : NULL;
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
	b = buf_new(size);
	if (!b)
		return NULL;
	if (msg_prepend_seg(m, (struct msg_seg){ b, (uint32_t)(size - n), (uint32_t)n })) {
		buf_put(b);
		return NULL;
	}
	return seg_data(&m->seg[0]);
}

/* Remove the first n bytes (n <= m->len). An emptied last segment stays, for its headroom. */
static void msg_strip(msg_t *m, size_t n)
{
	unsigned drop = 0;

	m->len -= n;
	while (n) {
		struct msg_seg *s = &m->seg[drop];

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
		memmove(m->seg, m->seg + drop, m->nseg * sizeof *m->seg);
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

void *msg_peek(msg_t *m, size_t n)
{
	struct msg_buf *b;

	if (n > m->len)
		return NULL;
	if (m->nseg && m->seg[0].len >= n)
		return seg_data(&m->seg[0]);
	/* Gather the first n bytes into a fresh buffer with headroom. */
	b = buf_new(MSG_HEADROOM + n);
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
	struct msg_seg *s = m->nseg ? &m->seg[m->nseg - 1] : NULL;
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
	b = buf_new(n > MSG_TAILROOM ? n : MSG_TAILROOM);
	if (!b)
		return -ENOMEM;
	memcpy(b->data, data, n);
	m->seg[m->nseg++] = (struct msg_seg){ b, 0, (uint32_t)n };
	m->len += n;
	return 0;
}

void msg_truncate(msg_t *m, size_t len)
{
	size_t at = 0;
	unsigned keep = 0;

	if (len >= m->len)
		return;
	while (keep < m->nseg && at + m->seg[keep].len <= len)
		at += m->seg[keep++].len;
	if (keep < m->nseg && at < len) {
		m->seg[keep].len = (uint32_t)(len - at);
		keep++;
	}
	if (keep == 0 && m->nseg) {
		m->seg[0].len = 0;	/* keep the first buffer for its headroom */
		keep = 1;
	}
	for (unsigned i = keep; i < m->nseg; i++)
		buf_put(m->seg[i].buf);
	m->nseg = keep;
	m->len = len;
}

int msg_join(msg_t *m, msg_t *tail)
{
	if (msg_reserve(m, tail->nseg))
		return -ENOMEM;
	memcpy(m->seg + m->nseg, tail->seg, tail->nseg * sizeof *tail->seg);
	m->nseg += tail->nseg;
	m->len += tail->len;
	free(tail->seg);
	msg_init(tail);
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
	if (off > m->len || len > m->len - off)
		return -EINVAL;
	for (unsigned i = 0; i < m->nseg && len; i++) {
		const struct msg_seg *s = &m->seg[i];
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
		return seg_data(&m->seg[0]);
	if (msg_alloc(&flat, m->len, &p))
		return NULL;
	msg_copyout(m, 0, p, m->len);
	msg_free(m);
	msg_move(m, &flat);
	return p;
}
