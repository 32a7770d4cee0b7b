/*
 * rpc.h - the x-kernel's RPC suite on the framework of stack/xkernel:
 *
 *   select  dispatches a request to a server procedure by number
 *   chan    request/reply channels, at most once (sequence numbers, saved
 *           replies, retransmission with backoff, implicit acknowledgement)
 *   vchan   several calls at once from one client over a bounded pool of
 *           chan channels per server (optional, between select and chan)
 *   bid     boot ids: a restarted peer is detected, stale messages dropped
 *   blast   fragmentation and reassembly of requests and replies up to
 *           RPC_MAX_MSG bytes (and the headers above blast), missing
 *           fragments resent selectively (NACK bitmap)
 *
 * Register them (rpc_register) and name them in the graph text, over IP or
 * over any protocol that gives sessions per peer:
 *
 *   rpc_register(h, &cfg);
 *   xk_graph_build(h, XK_GRAPH_SUITE("wire") RPC_GRAPH("ip/253") "app select\n", ...);
 *
 * A server enables a procedure number: parts.local = { procedure }
 * (rpc_part_push_proc), xk_open_enable(select, hlp, hlp, &parts). Each
 * request comes up as xk_demux(hlp, s, m); the server answers with
 * xk_push(s, reply) (now, or later from a timer).
 *
 * A client opens a session per server and procedure: parts.remote =
 * { server IP, procedure } (over ETH: { server MAC, procedure }),
 * xk_open(select, hlp, hlp, &parts, &s). xk_push(s,
 * m) is a call of up to RPC_MAX_MSG bytes (-EMSGSIZE); one call at a time per
 * session (-EBUSY otherwise). The call's
 * end comes up as xk_demux(hlp, s, m): the reply, or an empty message when
 * the call failed. xk_sess_control(s, RPC_CTL_STATUS, &status, sizeof(int))
 * tells which: 0, or -ETIMEDOUT (no answer after the retries), -ECONNRESET
 * (the server rebooted during the call), -ENOSYS (no such procedure there).
 *
 * Every malformed message is dropped and counted by reason
 * (XK_CTL_GET_DROPS on each protocol). Every layer crossing goes through the
 * operation pointers (xk_push, xk_demux, xk_pop), as in the TCP/IP suite.
 */
#ifndef RPC_H
#define RPC_H

#include <stdint.h>

#include "xk.h"

#define RPC_MAX_MSG	65536	/* bytes in one request or reply */
#define RPC_IP_PROTO	253	/* blast's IP protocol number (RFC 3692 experimental) */
/* RPC_GRAPH's lower protocol for BLAST straight over ETH: IEEE 802's local experimental EtherType 1. */
#define RPC_ETH_LOWER	"eth/0x88b5"


/* The suite's graph over lower protocol LOWER (e.g. "ip/253"). */
#define RPC_GRAPH(lower)		\
	"blast  " lower "\n"		\
	"bid    blast\n"		\
	"chan   bid\n"			\
	"select chan\n"
/* The same with vchan between select and chan. */
#define RPC_GRAPH_VCHAN(lower)		\
	"blast  " lower "\n"		\
	"bid    blast\n"		\
	"chan   bid\n"			\
	"vchan  chan\n"			\
	"select vchan\n"

struct rpc_config {
	uint32_t boot_id;	/* this incarnation's boot id; 0: from the real-time clock */
};

/* Register select, vchan, chan, bid and blast on h; cfg (or NULL) is read when the graph is built. */
int rpc_register(xk_host_t *h, const struct rpc_config *cfg);

/* Procedure numbers as participant components. */
int rpc_part_push_proc(struct xk_part *p, uint16_t proc);
int rpc_part_pop_proc(struct xk_part *p, uint16_t *proc);

enum rpc_ctl {
	RPC_CTL_STATUS = XK_CTL_PROTO_BASE + 0x40,	/* select/chan sess: int, the last call's end */
	RPC_CTL_PEER_REBOOTED,		/* bid -> its hlp: xk_sess_t * (the bid session) */
	RPC_CTL_BLAST_STATS,		/* blast proto: struct rpc_blast_stats */
	RPC_CTL_CHAN_STATS,		/* chan proto: struct rpc_chan_stats */
	RPC_CTL_BID_STATS,		/* bid proto: struct rpc_bid_stats */
	RPC_CTL_BOOT_ID,		/* bid proto: uint32_t, this incarnation's */
};

struct rpc_blast_stats {
	uint64_t msgs_sent, frags_sent;		/* messages pushed, their fragments (first sending) */
	uint64_t frags_resent, nacks_sent, nacks_received;
	uint64_t msgs_delivered;
};

struct rpc_chan_stats {
	uint64_t calls, replies;		/* client: calls pushed, replies delivered */
	uint64_t retransmits, failures;		/* client: requests sent again, calls failed */
	uint64_t served;			/* server: requests delivered up (procedure runs) */
	uint64_t dup_replies, acks_sent;	/* server: duplicates answered from the saved reply, or acked */
	uint64_t long_acks;			/* server: ACKs sent unasked, calls running past CHAN_ACK_NS */
	uint64_t saved_expired;			/* server: saved replies no next call acknowledged in time */
	uint64_t opened;			/* channel ends made: client opens, servers' new channels */
};

struct rpc_bid_stats {
	uint64_t reboots_seen;			/* peers found with a newer boot id */
	uint64_t stale_dropped;			/* messages of or for an old incarnation */
	uint64_t notices_sent;			/* "I rebooted" answers to stale messages */
};

#endif
