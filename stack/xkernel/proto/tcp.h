/*
 * tcp.h - TCP (RFC 793, 1122, 5681, 6298; SACK, RFC 2018 and 6675; NewReno,
 * RFC 6582) as an x-kernel protocol.
 *
 * Graph line: "tcp ip/6". xk_register_suite (suite.h) registers it as "tcp".
 *
 * Participants: the opener pushes the peer's IP address, then its port, on
 * parts.remote (xk_part_push_ip, xk_part_push_port); parts.local may hold a
 * local port (none: an ephemeral one). xk_open_enable(tcp, hlp, hlp, parts)
 * with a local port listens on it.
 *
 * The user (hlp) sees:
 *   - active open: xk_open returns the session at once, in SYN_SENT; data
 *     pushed before the handshake ends waits in the send buffer.
 *   - passive open: when a handshake on a listened port completes, TCP calls
 *     xk_open_done(hlp, tcp, s, parts); hlp takes a reference to keep s.
 *   - data: xk_demux(hlp, s, m) with the bytes in order; an empty m means the
 *     peer sent FIN (end of stream) or reset the connection (see the state).
 *   - push: appends m to the send buffer, which sends it when the window,
 *     Nagle and the congestion window allow. -ENOBUFS (m freed) when it does
 *     not fit: ask XK_TCP_CTL_GET_SNDSPACE and push less.
 *   - XK_TCP_CTL_SHUTDOWN ends the user's sending (FIN after the queued
 *     data) and keeps receiving: a half close.
 *   - xk_close dropping the last reference is the user's close: TCP sends
 *     what is queued, then FIN, drops data arriving after it, and frees the
 *     session when the connection reaches CLOSED (after TIME_WAIT on the
 *     side that closed first).
 *   - a passive user without an open_done operation never sees its
 *     sessions but gets their data: TCP closes each when the peer does.
 *
 * Drops are counted by reason (XK_CTL_GET_DROPS on the protocol): SHORT
 * (shorter than 20 bytes), LEN (data offset below 5 or past the end),
 * OPTION, CSUM, NOSESS (no connection: answered with RST), STATE (not
 * acceptable in the connection's state, e.g. outside the window).
 */
#ifndef XK_TCP_H
#define XK_TCP_H

#include <stdint.h>

#include "tcp_fsm.h"
#include "xk.h"

int xk_tcp_init(xk_proto_t *p, void *arg);

enum xk_tcp_ctl {
	XK_TCP_CTL_GET_STATE = XK_CTL_PROTO_BASE + 0x60,	/* sess: int (enum tcp_state) */
	XK_TCP_CTL_GET_SNDSPACE,	/* sess: uint32_t, bytes push takes now */
	XK_TCP_CTL_GET_UNSENT,		/* sess: uint32_t, bytes queued and not yet acknowledged */
	XK_TCP_CTL_GET_STATS,		/* proto: struct xk_tcp_stats */
	XK_TCP_CTL_SET_TIME_WAIT,	/* proto: uint64_t, TIME_WAIT length in ns (default 2 MSL = 60 s) */
	XK_TCP_CTL_SHUTDOWN,		/* sess, no buffer: send FIN after the queued data, keep receiving */
	/* sess: int; 0: the user reads no more, the window's right edge stays put (it closes as
	 * data arrives); 1: reading again, the window reopens at once (a slow reader, for tests) */
	XK_TCP_CTL_SET_READING,
	XK_TCP_CTL_GET_RCV_NXT,		/* sess: uint32_t, the next sequence number expected (RCV.NXT) */
	XK_TCP_CTL_SET_SACK,		/* proto: int; 0: new connections neither offer nor use SACK (default 1) */
	/* proto: uint32_t, challenge ACKs per second for the host (RFC 5961 section 7; default
	 * 1000; each second's budget is drawn between half and 1.5 times it; 0: no limit) */
	XK_TCP_CTL_SET_CHALLENGE_LIMIT,
	/* proto: int; 1 (default): a SYN to a port whose backlog of half-open connections is
	 * full gets a SYN cookie (RFC 4987), no state; 0: it evicts the oldest half-open one */
	XK_TCP_CTL_SET_SYN_COOKIES,
};

struct xk_tcp_stats {
	uint64_t segs_in, segs_out;	/* segments received (valid) and sent */
	uint64_t data_segs_out;		/* sent segments that carried data */
	uint64_t bytes_out;		/* data bytes sent, retransmissions included */
	uint64_t rexmit_timeouts;	/* retransmission timer expiries */
	uint64_t fast_rexmits;		/* fast recoveries entered (three duplicate ACKs, or SACKs) */
	uint64_t sack_rexmits;		/* segments retransmitted into holes the peer's SACKs showed */
	uint64_t tail_probes;		/* tail loss probes: no ACK for two round trips (RFC 8985) */
	uint64_t dup_acks;		/* duplicate ACKs received */
	uint64_t pure_acks_out;		/* ACKs sent without data */
	uint64_t delayed_acks;		/* ACKs sent by the delayed-ACK timer */
	uint64_t rsts_out, rsts_in;
	uint64_t conns_opened;		/* reached ESTABLISHED */
	uint64_t ooo_segs;		/* data segments stored out of order */
	uint64_t half_open_evicted;	/* SYN_RCVD connections dropped for a new SYN (backlog full, no cookies) */
	uint64_t challenge_acks;	/* ACKs answering an in-window RST or SYN, or an ACK of unsent data (RFC 5961) */
	uint64_t beyond_window;		/* received past the window's right edge (a zero window's 1-byte probe aside) */
	uint64_t persist_probes;	/* 1-byte probes sent into a zero window */
	uint64_t challenge_acks_limited;	/* challenge ACKs not sent: over the host's limit per second */
	uint64_t syn_cookies_sent;	/* SYN-ACKs carrying a cookie (backlog full) */
	uint64_t syn_cookies_ok;	/* connections made from a returned cookie */
	uint64_t syn_cookies_bad;	/* ACKs to a listened port, no connection, no valid cookie (RST) */
	uint64_t dsacks_in;		/* D-SACKs received (RFC 2883): the peer got something twice */
	uint64_t dsacks_out;		/* D-SACKs sent: a segment came that we had already */
	uint64_t spurious_undos;	/* fast recoveries undone: D-SACKs showed every retransmission needless */
	unsigned nstate[TCP_NSTATES];	/* live connections per state */
};

#endif
