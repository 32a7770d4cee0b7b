/*
 * tcp_tcb.h - TCP's private state (inside libxk): the protocol object's
 * tables and the connection block (TCB) of each session, shared by
 * tcp.c (the operations), tcp_input.c, tcp_output.c and tcp_timer.c.
 */
#ifndef TCP_TCB_H
#define TCP_TCB_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "ip.h"
#include "map.h"
#include "tcp.h"
#include "tcp_buf.h"
#include "tcp_fsm.h"
#include "tcp_hdr.h"
#include "tcp_rtt.h"
#include "xk.h"

#define TCP_BUF_SIZE	65536		/* send and receive rings */
#define TCP_WIN_MAX	65535		/* no window scaling */
#define TCP_MSS_DEFAULT	536		/* when the peer sends no MSS option (RFC 1122) */
#define TCP_DELACK_NS	40000000ull	/* delayed ACK: 40 ms, as Linux */
#define TCP_MSL_NS	30000000000ull	/* maximum segment lifetime: 30 s */
#define TCP_INIT_CWND	10		/* segments (RFC 6928) */
#define TCP_CWND_MAX	(4u * TCP_BUF_SIZE)	/* no use growing past what the window allows */
#define TCP_DUPACK_THRESH 3
#define TCP_SACKED_MAX	16	/* SACKed ranges the sender keeps (more: the newest is forgotten) */
/*
 * Loss recovery's entry points, called from the segment paths: kept out of
 * line and off their hot code (GCC would inline a function called once into
 * the path, and a build without a profile, such as the PIN variant, would
 * lay the recovery code out between the path's hot blocks).
 */
#define TCP_LOSS __attribute__((cold, noinline))
/* tcb.tlp: no probe (no SACK, or one went since the last new ACK: the next is the timeout); one may go; one waits out the peer's delayed ACK of a lone segment first */
enum { TCP_TLP_OFF, TCP_TLP_ON, TCP_TLP_WAITED };
#define TCP_EPHEMERAL	49152
#define TCP_BACKLOG	64	/* half-open (SYN_RCVD) connections per listened port */
#define TCP_SYNACK_RETRIES 3	/* SYN-ACK retransmissions before a half-open connection goes */
#define TCP_CHALLENGE_LIMIT 1000	/* challenge ACKs per second per host, as Linux 4.7-5.19 */

/* Demultiplexing key of a connection; no padding holes. */
struct tcp_key {
	uint32_t lip, rip;
	uint16_t lport, rport;
};

struct tcb;

struct tcp_proto {
	xk_proto_t *self;
	xk_map_t *conns;	/* struct tcp_key -> xk_sess_t (connections not CLOSED) */
	xk_map_t *listen;	/* uint16_t port -> xk_proto_t hlp */
	struct tcb *all;	/* every TCB, for destroy */
	uint16_t next_port;
	uint32_t iss_count;
	uint64_t time_wait_ns;
	bool sack;		/* new connections offer SACK (XK_TCP_CTL_SET_SACK) */
	uint32_t challenge_limit;	/* per second; 0: no limit */
	uint32_t challenge_left;	/* still allowed until challenge_end */
	uint64_t challenge_end;
	bool syn_cookies;		/* a full backlog answers with a cookie, else evicts */
	uint64_t cookie_secret;
	struct xk_tcp_stats st;
};

struct tcb {
	xk_sess_t *s;
	struct tcp_proto *tp;
	struct tcb *next, *prev;	/* tp->all */
	enum tcp_state state;
	struct tcp_key key;
	struct xk_ip_pseudohdr ph;	/* for checksums */
	bool in_map;
	bool passive;		/* made from a listen; open_done not yet called */
	bool user_closed;	/* the last reference went: free at CLOSED */
	bool busy;		/* inside input processing: do not free yet */
	bool auto_close;	/* passive, for a user without open_done: close on the peer's FIN */

	/* send side */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, snd_wl1, snd_wl2;
	uint32_t cwnd, ssthresh, recover;
	bool in_recovery;
	uint16_t mss;		/* segment size we send */
	uint16_t my_mss;	/* what we announce */
	bool fin_queued;	/* FIN follows the queued data */
	bool nodelay;
	unsigned dupacks;
	struct tcp_sbuf sb;	/* data from sb.una (first unacknowledged byte) on */
	struct tcp_rtt rtt;
	bool rtt_timing;
	uint32_t rtt_seq;
	uint64_t rtt_start;

	/* receive side */
	uint32_t irs;
	bool fin_rcvd;
	struct tcp_rbuf rb;	/* rb.nxt is RCV.NXT */
	bool ack_now;		/* send an ACK at the next output */
	bool not_reading;	/* XK_TCP_CTL_SET_READING 0: the window ends at rcv_edge */
	uint32_t rcv_edge;
	unsigned acks_pending;	/* in-order segments not yet acknowledged */

	struct xk_event rexmt_ev;	/* retransmission and persist */
	struct xk_event delack_ev;
	struct xk_event timewait_ev;

	/* SACK (RFC 2018): off the no-loss path, so last */
	bool sack_ok;		/* both ends offered it */
	unsigned nsacked;
	struct tcp_ivl sacked[TCP_SACKED_MAX];	/* sender: SACKed ranges above snd_una, sorted */
	uint32_t rexmt_hi;	/* sender, in recovery: the holes below it were retransmitted */
	uint32_t rexmt_round;	/* sender: snd_max when that round of retransmissions began */
	bool tlp_armed;		/* the retransmission timer is a tail loss probe's (RFC 8985 7) */
	uint8_t tlp;		/* TCP_TLP_*: may a probe go before the timeout */
	uint32_t sack_last;	/* receiver: where the last out-of-order segment began */
	struct tcp_ivl dsack;	/* receiver: a duplicate to report in the next ACK (RFC 2883) */
	bool dsack_pending;
	/* sender: the last recovery's undo (RFC 3708): its start, cwnd and ssthresh before,
	 * retransmissions not yet shown needless; undo_ok false once it cannot be undone */
	bool undo_ok;
	uint32_t undo_marker, prior_cwnd, prior_ssthresh;
	unsigned undo_retrans;
};

/* The MSS we announce on lls: its packet size less the header. */
static inline uint16_t tcp_my_mss(xk_sess_t *lls)
{
	uint32_t opt = 0;

	xk_sess_control(lls, XK_CTL_GET_OPT_PACKET, &opt, sizeof opt);
	return opt > TCP_HDR_MIN + TCP_MSS_DEFAULT ? (uint16_t)(opt - TCP_HDR_MIN) : TCP_MSS_DEFAULT;
}

static inline struct tcb *tcp_tcb(xk_sess_t *s)
{
	return s->state;
}

static inline xk_events_t *tcp_events(const struct tcb *t)
{
	return xk_host_events(t->tp->self->host);
}

static inline uint64_t tcp_now(const struct tcb *t)
{
	return xk_now(t->tp->self->host);
}

/* First sequence number after the queued data (where FIN goes). */
static inline uint32_t tcp_data_end(const struct tcb *t)
{
	return t->sb.una + t->sb.len;
}

/* States in which data (new or retransmitted) may go out. */
static inline bool tcp_sends_data(enum tcp_state s)
{
	return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT || s == TCP_FIN_WAIT_1 ||
	       s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/* tcp.c */
void tcp_set_state(struct tcb *t, enum tcp_state next);
int tcp_event(struct tcb *t, enum tcp_event ev);	/* -EPROTO if invalid in the state */
void tcp_maybe_free(struct tcb *t);
void tcp_deliver(struct tcb *t, msg_t *m);		/* to the user, consumes m */
void tcp_passive_established(struct tcb *t);	/* hand a passive connection to its user */
int tcp_tcb_new(struct tcp_proto *tp, xk_proto_t *hlp, xk_sess_t *lls,
		const struct tcp_key *key, struct tcb **out);

/* tcp_input.c */
int tcp_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m);
int tcp_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr);
TCP_LOSS void tcp_enter_recovery(struct tcb *t);	/* fast retransmit and fast recovery */

/* tcp_challenge.c */
void tcp_challenge_ack(struct tcb *t);

/* tcp_cookie.c */
void tcp_cookie_init(struct tcp_proto *tp);
int tcp_cookie_synack(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
		      const struct tcp_key *key, const struct tcp_hdr *syn);
/* The MSS the cookie in ack - 1 carries for this connection and seq - 1, or 0 if it is not ours. */
uint16_t tcp_cookie_check(const struct tcp_proto *tp, const struct tcp_key *key,
			  const struct tcp_hdr *ack, uint64_t now);

/* tcp_output.c */
int tcp_output(struct tcb *t);
int tcp_send_segment(struct tcb *t, uint32_t seq, uint32_t len, uint8_t flags);
int tcp_send_rst(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
		 const struct tcp_hdr *in, uint32_t seglen);
/* A segment of header h alone, without a connection (RSTs, cookie SYN-ACKs). */
int tcp_send_bare(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
		  const struct tcp_hdr *h);
uint16_t tcp_rcv_window(const struct tcb *t);

/* tcp_sack.c (TCP_LOSS: each runs only when something was lost or reordered) */
TCP_LOSS bool tcp_sack_input(struct tcb *t, const struct tcp_hdr *h);	/* true: more bytes SACKed (false without SACK) */
TCP_LOSS bool tcp_sack_lost(const struct tcb *t);	/* enough SACKed above snd_una to call it lost */
TCP_LOSS void tcp_sack_acked(struct tcb *t);		/* forget the ranges snd_una passed */
uint32_t tcp_sack_bytes(const struct tcb *t);
uint32_t tcp_sack_skip(const struct tcb *t, uint32_t seq);	/* seq, or the end of its SACKed range */
TCP_LOSS void tcp_sack_fill(struct tcb *t, struct tcp_hdr *h);	/* receiver: blocks for an ACK */
TCP_LOSS void tcp_dsack_note(struct tcb *t, uint32_t seq, uint32_t end);	/* receiver: [seq, end) came twice */
void tcp_sack_rexmit(struct tcb *t);		/* recovery: retransmit the next hole */
TCP_LOSS void tcp_sack_output(struct tcb *t);		/* recovery: holes, then new data, while the pipe allows */
TCP_LOSS bool tcp_send_new(struct tcb *t);	/* one new segment if the peer's window takes it, whatever cwnd */

/* tcp_timer.c */
void tcp_timers_init(struct tcb *t);
void tcp_timers_cancel(struct tcb *t);
void tcp_rexmt_arm(struct tcb *t);
void tcp_delack_arm(struct tcb *t);
void tcp_timewait_start(struct tcb *t);

#endif
