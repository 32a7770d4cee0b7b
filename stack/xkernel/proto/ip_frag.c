/*
 * ip_frag.c - IPv4 reassembly: fragments kept in offset order per datagram
 * (source, destination, id, protocol); overlaps are refused; an incomplete
 * datagram is dropped when its timer fires, or when newer ones need its
 * memory (IP_REASM_BYTES): a burst of incomplete datagrams cannot block
 * reassembly for the timer's 5 s.
 */
#include <stdlib.h>
#include <string.h>

#include "ip_sess.h"

#define IP_REASM_NS	(5ull * 1000 * 1000 * 1000)
#define IP_MAX_FRAGS	64	/* per datagram */
#define IP_MAX_PAYLOAD	(65535 - XK_IP_HDR_LEN)

struct ip_frag {
	struct ip_frag *next;
	uint32_t off;
	msg_t m;
};

struct ip_reasm {
	struct ip_reasm *next;
	xk_proto_t *ip;
	struct ip_info info;
	struct ip_frag *frags;	/* by offset */
	unsigned nfrags;
	uint32_t total;		/* payload length once the last fragment came; 0 before */
	size_t bytes;		/* counted in ip_state.reasm_bytes */
	struct xk_event timer;
};

static void reasm_free(struct ip_reasm *r)
{
	struct ip_state *st = r->ip->state;

	for (struct ip_reasm **pp = &st->reasm; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	}
	st->reasm_bytes -= r->bytes;
	xk_event_cancel(xk_host_events(r->ip->host), &r->timer);
	for (struct ip_frag *f = r->frags, *next; f; f = next) {
		next = f->next;
		msg_free(&f->m);
		free(f);
	}
	free(r);
}

static void reasm_expire(void *arg)
{
	struct ip_reasm *r = arg;

	r->ip->drops.n[XK_DROP_FRAG]++;
	reasm_free(r);
}

/* Drop the oldest datagrams but keep until need more bytes fit; false if they cannot. */
static bool reasm_make_room(xk_proto_t *self, const struct ip_reasm *keep, size_t need)
{
	struct ip_state *st = self->state;

	while (st->reasm_bytes + need > IP_REASM_BYTES) {
		struct ip_reasm *oldest = NULL;

		for (struct ip_reasm *r = st->reasm; r; r = r->next)	/* newest first */
			if (r != keep)
				oldest = r;
		if (!oldest)
			return false;
		reasm_expire(oldest);
	}
	return true;
}

static void reasm_charge(struct ip_reasm *r, size_t n)
{
	struct ip_state *st = r->ip->state;

	r->bytes += n;
	st->reasm_bytes += n;
}

static struct ip_reasm *reasm_find(xk_proto_t *self, const struct ip_info *info)
{
	struct ip_state *st = self->state;
	struct ip_reasm *r;

	for (r = st->reasm; r; r = r->next)
		if (r->info.src == info->src && r->info.dst == info->dst &&
		    r->info.id == info->id && r->info.proto == info->proto)
			return r;
	if (!reasm_make_room(self, NULL, sizeof *r))
		return NULL;
	r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->ip = self;
	r->info = *info;
	xk_event_init(&r->timer, reasm_expire, r);
	xk_event_schedule(xk_host_events(self->host), &r->timer, IP_REASM_NS);
	r->next = st->reasm;
	st->reasm = r;
	reasm_charge(r, sizeof *r);
	return r;
}

/* True when the fragments cover 0..total without a hole. */
static int reasm_complete(const struct ip_reasm *r)
{
	uint32_t at = 0;

	if (!r->total)
		return 0;
	for (const struct ip_frag *f = r->frags; f; f = f->next) {
		if (f->off != at)
			return 0;
		at += (uint32_t)msg_len(&f->m);
	}
	return at == r->total;
}

int ip_reassemble(xk_proto_t *self, const struct ip_info *info, uint32_t off, int more, msg_t *m)
{
	uint32_t len = (uint32_t)msg_len(m), end = off + len;
	struct ip_frag **pp, *f;
	struct ip_reasm *r;
	struct ip_info whole;
	msg_t dgram;

	if (len == 0 || end > IP_MAX_PAYLOAD || (more && len % 8))
		return xk_drop(self, XK_DROP_LEN, m);
	r = reasm_find(self, info);
	if (!r)
		return xk_drop(self, XK_DROP_NOMEM, m);
	if ((!more && r->total && r->total != end) || (r->total && end > r->total) ||
	    (more && r->total && end == r->total) || r->nfrags == IP_MAX_FRAGS)
		return xk_drop(self, XK_DROP_FRAG, m);
	for (pp = &r->frags; *pp && (*pp)->off < off; pp = &(*pp)->next)
		;
	/* Refuse any overlap with what we have, duplicates included. */
	if (*pp && (*pp)->off < end)
		return xk_drop(self, XK_DROP_FRAG, m);
	for (f = r->frags; f != *pp; f = f->next)
		if (f->off + msg_len(&f->m) > off)
			return xk_drop(self, XK_DROP_FRAG, m);
	if (!reasm_make_room(self, r, sizeof *f + len) || !(f = malloc(sizeof *f)))
		return xk_drop(self, XK_DROP_NOMEM, m);
	reasm_charge(r, sizeof *f + len);
	f->off = off;
	msg_move(&f->m, m);
	f->next = *pp;
	*pp = f;
	r->nfrags++;
	if (!more)
		r->total = end;
	if (!reasm_complete(r))
		return 0;
	msg_init(&dgram);
	for (f = r->frags; f; f = f->next) {
		if (msg_join(&dgram, &f->m)) {
			msg_free(&dgram);
			reasm_free(r);
			return xk_drop(self, XK_DROP_NOMEM, NULL);
		}
	}
	whole = r->info;
	reasm_free(r);
	return ip_deliver(self, &whole, &dgram);
}

void ip_reasm_destroy(xk_proto_t *self)
{
	struct ip_state *st = self->state;

	while (st->reasm)
		reasm_free(st->reasm);
}
