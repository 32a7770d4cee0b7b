/*
 * tcp_fsm.c - the state transition table; see tcp_fsm.h.
 */
#include "tcp_fsm.h"

#define X TCP_FSM_INVALID

/* next[state][event]; a row lists the events in enum tcp_event order. */
static const unsigned char next[TCP_NSTATES][TCP_NEVENTS] = {
	/*                 AOPEN         POPEN       RCV_SYN       SYNACK           SYN_ACKED        CLOSE           RCV_FIN         FIN_ACKED      RCV_RST     TIMEOUT */
	[TCP_CLOSED]      = { TCP_SYN_SENT, TCP_LISTEN, X,            X,               X,               X,              X,              X,             X,          X },
	[TCP_LISTEN]      = { X,            X,          TCP_SYN_RCVD, X,               X,               TCP_CLOSED,     X,              X,             X,          X },
	[TCP_SYN_SENT]    = { X,            X,          TCP_SYN_RCVD, TCP_ESTABLISHED, X,               TCP_CLOSED,     X,              X,             TCP_CLOSED, TCP_CLOSED },
	[TCP_SYN_RCVD]    = { X,            X,          X,            X,               TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_CLOSE_WAIT, X,             TCP_CLOSED, TCP_CLOSED },
	[TCP_ESTABLISHED] = { X,            X,          X,            X,               X,               TCP_FIN_WAIT_1, TCP_CLOSE_WAIT, X,             TCP_CLOSED, TCP_CLOSED },
	[TCP_FIN_WAIT_1]  = { X,            X,          X,            X,               X,               X,              TCP_CLOSING,    TCP_FIN_WAIT_2, TCP_CLOSED, TCP_CLOSED },
	[TCP_FIN_WAIT_2]  = { X,            X,          X,            X,               X,               X,              TCP_TIME_WAIT,  X,             TCP_CLOSED, TCP_CLOSED },
	[TCP_CLOSE_WAIT]  = { X,            X,          X,            X,               X,               TCP_LAST_ACK,   X,              X,             TCP_CLOSED, TCP_CLOSED },
	[TCP_CLOSING]     = { X,            X,          X,            X,               X,               X,              X,              TCP_TIME_WAIT, TCP_CLOSED, TCP_CLOSED },
	[TCP_LAST_ACK]    = { X,            X,          X,            X,               X,               X,              X,              TCP_CLOSED,    TCP_CLOSED, TCP_CLOSED },
	[TCP_TIME_WAIT]   = { X,            X,          X,            X,               X,               X,              X,              X,             TCP_CLOSED, TCP_CLOSED },
};

enum tcp_state tcp_fsm_next(enum tcp_state s, enum tcp_event e)
{
	if ((unsigned)s >= TCP_NSTATES || (unsigned)e >= TCP_NEVENTS)
		return TCP_FSM_INVALID;
	return (enum tcp_state)next[s][e];
}

const char *tcp_state_name(enum tcp_state s)
{
	static const char *const names[TCP_NSTATES] = {
		"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
		"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
	};

	return (unsigned)s < TCP_NSTATES ? names[s] : "?";
}
