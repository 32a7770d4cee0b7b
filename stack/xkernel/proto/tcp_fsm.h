/*
 * tcp_fsm.h - the TCP connection state machine (RFC 793 figure 6) as a table.
 *
 * Input and output processing decide which event a segment or a user call
 * is; the table says where it leads. An event that is not valid in a state
 * leads nowhere (TCP_FSM_INVALID) and the caller ignores or refuses it.
 */
#ifndef TCP_FSM_H
#define TCP_FSM_H

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_NSTATES
};

enum tcp_event {
	TCP_EV_ACTIVE_OPEN,	/* user open: send SYN */
	TCP_EV_PASSIVE_OPEN,	/* user open_enable */
	TCP_EV_RCV_SYN,		/* a SYN without ACK */
	TCP_EV_RCV_SYNACK,	/* a SYN that acknowledges ours */
	TCP_EV_SYN_ACKED,	/* an ACK covering our SYN */
	TCP_EV_CLOSE,		/* user close: send FIN when the data is out */
	TCP_EV_RCV_FIN,		/* the peer's FIN, in sequence */
	TCP_EV_FIN_ACKED,	/* an ACK covering our FIN */
	TCP_EV_RCV_RST,		/* an acceptable RST */
	TCP_EV_TIMEOUT,		/* 2 MSL ended (TIME_WAIT) or retransmissions gave up */
	TCP_NEVENTS
};

#define TCP_FSM_INVALID	TCP_NSTATES

/* The next state, or TCP_FSM_INVALID. */
enum tcp_state tcp_fsm_next(enum tcp_state s, enum tcp_event e);
const char *tcp_state_name(enum tcp_state s);

#endif
