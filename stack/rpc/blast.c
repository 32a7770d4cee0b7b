/*
 * blast.c - BLAST: messages up to RPC_WIRE_MAX bytes over a lower protocol
 * with a smaller packet. A message that fits goes as one fragment and is not
 * kept; a larger one is broken into fragments that are kept for
 * BLAST_HOLD_NS, so a NACK naming the missing ones has only those resent.
 * Receiving is in blast_recv.c.
 */

#include "blast.h"
#include "bytes.h"
#include "csum.h"

static const struct xk_sess_ops blast_sess_ops;

int blast_send_frag(xk_sess_t *s, const struct blast_hdr *h, msg_t *m)
{
	uint8_t *p = msg_push(m, BLAST_HDR_LEN);

	if (!p) {
		msg_free(m);
		return -ENOMEM;
	}
	p[0] = h->type;
	p[1] = h->nfrags;
	p[2] = h->frag;
	p[3] = 0;
	xk_put32(p + 4, h->id);
	xk_put32(p + 8, h->len);
	xk_put16(p + 12, 0);
	xk_put16(p + 14, h->fsz);
	xk_put16(p + 12, xk_csum_fold(xk_csum_msg(0, m, 0, msg_len(m))));
	return xk_push(s->down, m);
}

void blast_slot_release(xk_sess_t *s, struct blast_slot *sl)
{
	xk_event_cancel(xk_host_events(s->proto->host), &sl->ev);
	for (unsigned i = 0; i < BLAST_MAX_FRAGS; i++)
		if (sl->have >> i & 1)
			msg_free(&sl->frag[i]);
	sl->have = 0;
	sl->nacks = 0;
}

static void blast_hold_ends(void *arg)
{
	struct blast_slot *sl = arg;

	blast_slot_release(sl->s, sl);
}

/* Send fragment i of a held message again (or for the first time). */
static int blast_send_held(xk_sess_t *s, struct blast_slot *sl, unsigned i)
{
	struct blast_hdr h = sl->h;
	msg_t copy;

	h.frag = (uint8_t)i;
	if (msg_dup(&copy, &sl->frag[i]))
		return -ENOMEM;
	return blast_send_frag(s, &h, &copy);
}

/* A message of several fragments: held in the next send slot, then sent. */
static int blast_push_frags(xk_sess_t *s, struct blast_hdr *h, msg_t *m)
{
	struct blast_state *st = s->proto->state;
	struct blast_sess *bs = s->state;
	struct blast_slot *sl = &bs->send[bs->next_send++ % BLAST_SLOTS];
	int err = 0;

	blast_slot_release(s, sl);
	sl->h = *h;
	for (unsigned i = 0; i < h->nfrags && !err; i++) {
		if (i + 1 < h->nfrags)
			err = msg_break(m, &sl->frag[i], h->fsz);
		else
			msg_move(&sl->frag[i], m);
		sl->have |= err ? 0 : 1ull << i;
	}
	msg_free(m);
	if (err) {
		blast_slot_release(s, sl);
		return err;
	}
	/* A fragment the lower layer refused is one a NACK will ask for again: send the rest. */
	for (unsigned i = 0; i < h->nfrags; i++) {
		int rc = blast_send_held(s, sl, i);

		err = err ? err : rc;
	}
	st->stats.frags_sent += h->nfrags;
	xk_event_schedule(xk_host_events(s->proto->host), &sl->ev, BLAST_HOLD_NS);
	return err;
}

static int blast_push(xk_sess_t *s, msg_t *m)
{
	struct blast_state *st = s->proto->state;
	struct blast_sess *bs = s->state;
	size_t len = msg_len(m);
	struct blast_hdr h = { .type = BLAST_DATA, .nfrags = 1, .id = ++bs->next_id,
			       .len = (uint32_t)len, .fsz = (uint16_t)len };
	uint32_t fsz = bs->fsz;

	if (len > RPC_WIRE_MAX) {
		msg_free(m);
		return -EMSGSIZE;
	}
	st->stats.msgs_sent++;
	if (len <= fsz) {
		st->stats.frags_sent++;
		return blast_send_frag(s, &h, m);
	}
	if ((len + fsz - 1) / fsz > BLAST_MAX_FRAGS)
		fsz = (uint32_t)((len + BLAST_MAX_FRAGS - 1) / BLAST_MAX_FRAGS);
	h.fsz = (uint16_t)fsz;
	h.nfrags = (uint8_t)((len + fsz - 1) / fsz);
	return blast_push_frags(s, &h, m);
}

/* A NACK for one of our held messages: resend exactly the fragments it names. */
static int blast_recv_nack(xk_sess_t *s, const struct blast_hdr *h, msg_t *m)
{
	struct blast_state *st = s->proto->state;
	struct blast_sess *bs = s->state;
	uint8_t map[8];
	uint64_t missing;

	if (msg_len(m) != sizeof map)
		return xk_drop(s->proto, XK_DROP_LEN, m);
	msg_copyout(m, 0, map, sizeof map);
	msg_free(m);
	missing = (uint64_t)xk_get32(map) << 32 | xk_get32(map + 4);
	st->stats.nacks_received++;
	for (unsigned k = 0; k < BLAST_SLOTS; k++) {
		struct blast_slot *sl = &bs->send[k];

		if (!sl->have || sl->h.id != h->id)
			continue;
		for (unsigned i = 0; i < sl->h.nfrags; i++) {
			if (!(missing >> i & 1))
				continue;
			st->stats.frags_resent++;
			if (blast_send_held(s, sl, i))
				return -ENOMEM;
		}
		return 0;
	}
	return xk_drop(s->proto, XK_DROP_NOSESS, NULL);
}

/*
 * The bytes h says m (header popped) carries: a NACK's bitmap, or its
 * fragment's share of the message (what blast_geometry then checks).
 */
static size_t blast_body_len(const struct blast_hdr *h)
{
	uint32_t before = h->nfrags > 1 ? (uint32_t)(h->nfrags - 1) * h->fsz : 0;

	if (h->type == BLAST_NACK)
		return 8;	/* the bitmap */
	if (h->frag + 1u < h->nfrags)
		return h->fsz;
	return h->len > before ? h->len - before : 0;
}

static int blast_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	const struct blast_hdr *h = hdr;
	const struct blast_sess *bs = s->state;
	size_t want = blast_body_len(h);

	(void)lls;
	/* A short frame the link padded (the checksum ignores zeros): the rest is not ours. */
	if (msg_len(m) + BLAST_HDR_LEN <= bs->padded && msg_len(m) > want)
		msg_truncate(m, want);
	return h->type == BLAST_NACK ? blast_recv_nack(s, h, m) : blast_recv_data(s, h, m);
}

static int blast_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	return xk_sess_control(s->down, op, buf, len);
}

static const struct xk_sess_ops blast_sess_ops = {
	.push = blast_push,
	.pop = blast_pop,
	.control = blast_sess_control,
	.close = rpc_peers_close,
};

static int blast_setup(xk_sess_t *s)
{
	struct blast_sess *bs = s->state;
	uint32_t opt;

	if (xk_sess_control(s->down, XK_CTL_GET_OPT_PACKET, &opt, sizeof opt) != sizeof opt ||
	    opt <= BLAST_HDR_LEN)
		return -EINVAL;
	bs->fsz = opt - BLAST_HDR_LEN > 0xffff ? 0xffff : opt - BLAST_HDR_LEN;
	if (xk_sess_control(s->down, XK_CTL_GET_MIN_PACKET, &bs->padded, sizeof bs->padded) !=
	    sizeof bs->padded)
		bs->padded = 0;
	for (unsigned k = 0; k < BLAST_SLOTS; k++) {
		struct blast_slot *sl[2] = { &bs->send[k], &bs->recv[k] };

		xk_event_init(&sl[0]->ev, blast_hold_ends, sl[0]);
		xk_event_init(&sl[1]->ev, blast_nack_due, sl[1]);
		for (unsigned j = 0; j < 2; j++) {
			sl[j]->s = s;
			for (unsigned i = 0; i < BLAST_MAX_FRAGS; i++)
				msg_init(&sl[j]->frag[i]);
		}
	}
	return 0;
}

static void blast_release(xk_sess_t *s)
{
	struct blast_sess *bs = s->state;

	for (unsigned k = 0; k < BLAST_SLOTS; k++) {
		blast_slot_release(s, &bs->send[k]);
		blast_slot_release(s, &bs->recv[k]);
	}
}

static int blast_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	const uint8_t *p = msg_peek(m, BLAST_HDR_LEN);
	struct blast_hdr h;
	xk_sess_t *s;

	if (!p)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (p[3] != 0)
		return xk_drop(self, XK_DROP_VERSION, m);
	if (p[0] != BLAST_DATA && p[0] != BLAST_NACK)
		return xk_drop(self, XK_DROP_TYPE, m);
	h = (struct blast_hdr){ .type = p[0], .nfrags = p[1], .frag = p[2], .id = xk_get32(p + 4),
				.len = xk_get32(p + 8), .fsz = xk_get16(p + 14) };
	if (xk_csum_fold(xk_csum_msg(0, m, 0, msg_len(m))) != 0)
		return xk_drop(self, XK_DROP_CSUM, m);
	s = rpc_peers_find(self, lls);
	if (!s)
		return xk_drop(self, XK_DROP_NOSESS, m);
	msg_pop(m, NULL, BLAST_HDR_LEN);
	return xk_pop(s, lls, m, &h);
}

static int blast_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct blast_state *st = self->state;

	if (op == RPC_CTL_BLAST_STATS)
		return rpc_ctl_out(buf, len, &st->stats, sizeof st->stats);
	return xk_control(self->down[0], op, buf, len);
}

static const struct xk_proto_ops blast_ops = {
	.open = rpc_peers_open,
	.open_enable = rpc_open_enable,
	.open_done = rpc_peers_open_done,	/* over ETH: a session per peer, as over IP */
	.demux = blast_demux,
	.control = blast_control,
};

static void blast_fill(xk_proto_t *p, void *arg)
{
	struct blast_state *st = p->state;

	(void)arg;
	rpc_peers_init(&st->peers, &blast_sess_ops, sizeof(struct blast_sess), blast_setup,
		       blast_release);
}

static const struct xk_proto_spec blast_spec = {
	.ops = &blast_ops, .size = sizeof(struct blast_state), .min_down = 1, .max_down = 1,
	.fill = blast_fill, .maps = rpc_peers_map, .nmaps = 1, .below = XK_BELOW_ENABLE,
};

int rpc_blast_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &blast_spec, arg);
}
