/*
 * chan.h - CHAN's private state, shared by chan.c (protocol, channels,
 * demux) and chan_call.c (the client's and the server's halves of a call).
 *
 * Header (12 bytes, big-endian): type, 0, channel, sequence number, payload
 * length. A channel is (bid session, channel number, role): the client's
 * end and the server's end of one channel never share a key.
 */
#ifndef RPC_CHAN_H
#define RPC_CHAN_H

#include <stdbool.h>

#include "rpc_impl.h"

#define CHAN_HDR_LEN	12
#define CHAN_MAX	1024			/* channels per host */
#define CHAN_RTO_NS	(10ull * 1000 * 1000)	/* first retransmission of a request */
#define CHAN_RTO_MAX_NS	(1000ull * 1000 * 1000)	/* backoff stops doubling here */
#define CHAN_TRIES	8			/* retransmissions without an answer, then -ETIMEDOUT */
#define CHAN_PROBE_NS	(200ull * 1000 * 1000)	/* a busy server's ACK: probe again after */

enum { CHAN_REQ = 1, CHAN_REP = 2, CHAN_ACK = 3 };
enum { CHAN_CLIENT = 1, CHAN_SERVER = 2 };

struct chan_hdr {
	uint8_t type;
	uint16_t chan;
	uint32_t seq;
};

struct chan_state {
	xk_proto_t *hlp;		/* first (rpc_open_enable): enabled for requests on new channels */
	xk_map_t *chans;		/* struct rpc_key (bid sess, channel, role) -> xk_sess_t */
	uint16_t next_chan;
	struct rpc_chan_stats stats;
};

struct chan_sess {
	struct rpc_key key;
	uint32_t seq;			/* the current call's */
	bool busy;			/* client: a call is out; server: the procedure runs */
	bool have_seq;			/* server: seq is a call's (not a fresh channel's) */
	int status;			/* client: how the last call ended */
	unsigned tries;
	uint64_t rto;
	msg_t saved;			/* client: the request; server: the last reply */
	struct xk_event timer;
};

int chan_send(xk_sess_t *s, const struct chan_hdr *h, msg_t *m);
int chan_client_push(xk_sess_t *s, msg_t *m);
int chan_client_pop(xk_sess_t *s, const struct chan_hdr *h, msg_t *m);
void chan_client_fail(xk_sess_t *s, int err);
void chan_client_timeout(void *arg);
int chan_server_push(xk_sess_t *s, msg_t *m);
int chan_server_pop(xk_sess_t *s, const struct chan_hdr *h, msg_t *m);

#endif
