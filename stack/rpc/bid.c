/*
 * bid.c - BID: every message carries the sender's boot id and the boot id it
 * believes the receiver has (0: not known yet). A message for an older
 * incarnation of this host is dropped and answered with an empty message (a
 * notice) that tells the sender who is here now; a message from an older
 * incarnation of the peer is dropped; a newer peer boot id means the peer
 * restarted, which BID tells the protocol above (RPC_CTL_PEER_REBOOTED) before
 * delivering anything from the new incarnation. One session per peer.
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "bytes.h"
#include "rpc_impl.h"

#define BID_HDR_LEN	8

struct bid_state {
	struct rpc_peers peers;		/* first: the rpc_peers operations take the state as theirs */
	uint32_t boot_id;
	struct rpc_bid_stats stats;
};

struct bid_sess {
	uint32_t peer_id;	/* the peer's boot id, 0 while unknown */
};

static int bid_send(xk_sess_t *s, msg_t *m, uint32_t dst)
{
	struct bid_state *st = s->proto->state;
	uint8_t *p = msg_push(m, BID_HDR_LEN);

	if (!p) {
		msg_free(m);
		return -ENOMEM;
	}
	xk_put32(p, st->boot_id);
	xk_put32(p + 4, dst);
	return xk_push(s->down, m);
}

static int bid_push(xk_sess_t *s, msg_t *m)
{
	struct bid_sess *bs = s->state;

	return bid_send(s, m, bs->peer_id);
}

/* Tell the sender of a message for our older incarnation who is here now. */
static void bid_notice(xk_sess_t *s, uint32_t dst)
{
	struct bid_state *st = s->proto->state;
	void *none;
	msg_t m;

	if (msg_alloc(xk_host_pool(s->proto->host), &m, 0, &none) == 0 && bid_send(s, &m, dst) == 0)
		st->stats.notices_sent++;
}

static int bid_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct bid_state *st = s->proto->state;
	struct bid_sess *bs = s->state;
	const uint32_t *ids = hdr;	/* sender's, receiver's */

	(void)lls;
	if (ids[1] && ids[1] != st->boot_id) {
		st->stats.stale_dropped++;
		if (msg_len(m))
			bid_notice(s, ids[0]);
		return xk_drop(s->proto, XK_DROP_STATE, m);
	}
	if (bs->peer_id && rpc_after(bs->peer_id, ids[0])) {
		st->stats.stale_dropped++;
		return xk_drop(s->proto, XK_DROP_STATE, m);
	}
	if (bs->peer_id != ids[0]) {
		uint32_t old = bs->peer_id;
		xk_sess_t *self = s;

		bs->peer_id = ids[0];
		if (old) {
			st->stats.reboots_seen++;
			xk_control(s->up, RPC_CTL_PEER_REBOOTED, &self, sizeof self);
		}
	}
	if (!msg_len(m)) {	/* a notice: it has done its work */
		msg_free(m);
		return 0;
	}
	return xk_up(s, m);
}

static int bid_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	return xk_sess_control(s->down, op, buf, len);
}

static const struct xk_sess_ops bid_sess_ops = {
	.push = bid_push,
	.pop = bid_pop,
	.control = bid_sess_control,
	.close = rpc_peers_close,
};

static int bid_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	const uint8_t *p = msg_peek(m, BID_HDR_LEN);
	uint32_t ids[2];
	xk_sess_t *s;

	if (!p)
		return xk_drop(self, XK_DROP_SHORT, m);
	ids[0] = xk_get32(p);
	ids[1] = xk_get32(p + 4);
	if (!ids[0])
		return xk_drop(self, XK_DROP_VERSION, m);
	s = rpc_peers_find(self, lls);
	if (!s)
		return xk_drop(self, XK_DROP_NOSESS, m);
	msg_pop(m, NULL, BID_HDR_LEN);
	return xk_pop(s, lls, m, ids);
}

static int bid_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct bid_state *st = self->state;

	switch (op) {
	case RPC_CTL_BID_STATS:
		return rpc_ctl_out(buf, len, &st->stats, sizeof st->stats);
	case RPC_CTL_BOOT_ID:
		return rpc_ctl_out(buf, len, &st->boot_id, sizeof st->boot_id);
	default:
		return xk_control(self->down[0], op, buf, len);
	}
}

static const struct xk_proto_ops bid_ops = {
	.open = rpc_peers_open,
	.open_enable = rpc_open_enable,
	.demux = bid_demux,
	.control = bid_control,
};

/* A boot id from the real-time clock: later incarnations get larger ones (ms, 49-day wrap). */
static uint32_t bid_clock_id(void)
{
	struct timespec ts;
	uint32_t id;

	clock_gettime(CLOCK_REALTIME, &ts);
	id = (uint32_t)((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
	return id ? id : 1;
}

static void bid_fill(xk_proto_t *p, void *arg)
{
	const struct rpc_config *cfg = arg;
	struct bid_state *st = p->state;

	rpc_peers_init(&st->peers, &bid_sess_ops, sizeof(struct bid_sess), NULL, NULL);
	st->boot_id = cfg && cfg->boot_id ? cfg->boot_id : bid_clock_id();
}

static const struct xk_proto_spec bid_spec = {
	.ops = &bid_ops, .size = sizeof(struct bid_state), .min_down = 1, .max_down = 1,
	.fill = bid_fill, .maps = rpc_peers_map, .nmaps = 1, .below = XK_BELOW_ENABLE,
};

int rpc_bid_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &bid_spec, arg);
}
