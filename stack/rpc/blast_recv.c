/*
 * blast_recv.c - BLAST's receiving side: a fragment is checked against its
 * header's geometry, a single fragment goes straight up, the others wait in
 * a reassembly slot until all are in. A slot that goes quiet, or whose last
 * fragment came with gaps before it, sends a NACK naming the missing ones;
 * after BLAST_MAX_NACKS it stops asking (CHAN sends the whole message again)
 * but keeps what it has: a late fragment still completes it. Only a newer
 * message needing the slot frees it (blast_slot_for), never the clock: on a
 * loaded host a sender descheduled between fragments for longer than the
 * NACKs took had every message, CHAN's retransmissions included, given up
 * half in, until the call failed (-ETIMEDOUT).
 */
#include "blast.h"
#include "bytes.h"

/* Whether the header's geometry is possible and m's length fits fragment h->frag. */
static int blast_geometry(const struct blast_hdr *h, size_t plen)
{
	uint32_t last;

	if (h->nfrags == 0 || h->nfrags > BLAST_MAX_FRAGS || h->frag >= h->nfrags ||
	    h->len > RPC_WIRE_MAX)
		return -EINVAL;
	if (h->nfrags == 1)
		return h->fsz == h->len && plen == h->len ? 0 : -EINVAL;
	if (h->fsz == 0 || (uint32_t)(h->nfrags - 1) * h->fsz >= h->len ||
	    h->len > (uint32_t)h->nfrags * h->fsz)
		return -EINVAL;
	last = h->len - (uint32_t)(h->nfrags - 1) * h->fsz;
	return plen == (h->frag + 1u == h->nfrags ? last : h->fsz) ? 0 : -EINVAL;
}

static uint64_t blast_all(unsigned nfrags)
{
	return nfrags == 64 ? ~0ull : (1ull << nfrags) - 1;
}

static int blast_send_nack(struct blast_slot *sl)
{
	struct blast_hdr h = sl->h;
	uint64_t missing = blast_all(h.nfrags) & ~sl->have;
	struct blast_state *st = sl->s->proto->state;
	uint8_t *p;
	msg_t m;

	h.type = BLAST_NACK;
	h.frag = 0;
	if (msg_alloc(xk_host_pool(sl->s->proto->host), &m, 8, (void **)&p))
		return -ENOMEM;
	xk_put32(p, (uint32_t)(missing >> 32));
	xk_put32(p + 4, (uint32_t)missing);
	sl->nacks++;
	st->stats.nacks_sent++;
	return blast_send_frag(sl->s, &h, &m);
}

void blast_nack_due(void *arg)
{
	struct blast_slot *sl = arg;

	if (sl->nacks >= BLAST_MAX_NACKS)
		return;
	blast_send_nack(sl);
	xk_event_schedule(xk_host_events(sl->s->proto->host), &sl->ev, BLAST_NACK_NS);
}

/* The slot reassembling h->id; a free one, or the one with the fewest fragments in. */
static struct blast_slot *blast_slot_for(xk_sess_t *s, const struct blast_hdr *h)
{
	struct blast_sess *bs = s->state;
	struct blast_slot *victim = NULL;

	for (unsigned k = 0; k < BLAST_SLOTS; k++) {
		struct blast_slot *sl = &bs->recv[k];

		if (sl->have && sl->h.id == h->id)
			return sl;
		if (!victim || __builtin_popcountll(sl->have) < __builtin_popcountll(victim->have))
			victim = sl;
	}
	if (victim->have) {
		xk_drop(s->proto, XK_DROP_FRAG, NULL);
		blast_slot_release(s, victim);
	}
	victim->h = *h;
	return victim;
}

static int blast_deliver(xk_sess_t *s, msg_t *m)
{
	struct blast_state *st = s->proto->state;

	st->stats.msgs_delivered++;
	return xk_up(s, m);
}

int blast_recv_data(xk_sess_t *s, const struct blast_hdr *h, msg_t *m)
{
	struct blast_sess *bs = s->state;
	struct blast_slot *sl;
	msg_t whole;

	if (blast_geometry(h, msg_len(m)))
		return xk_drop(s->proto, XK_DROP_LEN, m);
	if (h->nfrags == 1)
		return blast_deliver(s, m);
	if (h->id == bs->last_done)
		return xk_drop(s->proto, XK_DROP_STATE, m);
	sl = blast_slot_for(s, h);
	if (sl->h.nfrags != h->nfrags || sl->h.len != h->len || sl->h.fsz != h->fsz)
		return xk_drop(s->proto, XK_DROP_FRAG, m);
	if (sl->have >> h->frag & 1)
		return xk_drop(s->proto, XK_DROP_STATE, m);
	msg_move(&sl->frag[h->frag], m);
	sl->have |= 1ull << h->frag;
	if (sl->have != blast_all(h->nfrags)) {
		if (h->frag + 1u == h->nfrags)
			blast_nack_due(sl);
		else
			xk_event_schedule(xk_host_events(s->proto->host), &sl->ev, BLAST_NACK_NS);
		return 0;
	}
	msg_move(&whole, &sl->frag[0]);
	for (unsigned i = 1; i < h->nfrags; i++) {
		if (msg_join(&whole, &sl->frag[i])) {
			msg_free(&whole);
			blast_slot_release(s, sl);
			return xk_drop(s->proto, XK_DROP_NOMEM, NULL);
		}
	}
	sl->have = 0;
	blast_slot_release(s, sl);
	bs->last_done = h->id;
	return blast_deliver(s, &whole);
}
