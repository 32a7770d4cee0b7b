/* tcp_fsm_test - the state table walks the RFC 793 paths and refuses the rest. */
#include "tap.h"
#include "tcp_fsm.h"

/* Run events from s; returns the final state or TCP_FSM_INVALID at the first refusal. */
static enum tcp_state walk(enum tcp_state s, const enum tcp_event *ev, int n)
{
	for (int i = 0; i < n && s != TCP_FSM_INVALID; i++)
		s = tcp_fsm_next(s, ev[i]);
	return s;
}

#define WALK(s, ...) walk(s, (const enum tcp_event[]){ __VA_ARGS__ }, \
			  sizeof (enum tcp_event[]){ __VA_ARGS__ } / sizeof(enum tcp_event))

int main(void)
{
	tap_plan(11);
	tap_is_str(tcp_state_name(WALK(TCP_CLOSED, TCP_EV_ACTIVE_OPEN, TCP_EV_RCV_SYNACK,
				       TCP_EV_CLOSE, TCP_EV_FIN_ACKED, TCP_EV_RCV_FIN)),
		   "TIME_WAIT", "active open, active close: TIME_WAIT");
	tap_is_str(tcp_state_name(WALK(TCP_CLOSED, TCP_EV_PASSIVE_OPEN, TCP_EV_RCV_SYN,
				       TCP_EV_SYN_ACKED, TCP_EV_RCV_FIN, TCP_EV_CLOSE, TCP_EV_FIN_ACKED)),
		   "CLOSED", "passive open, passive close: CLOSED");
	tap_is_str(tcp_state_name(WALK(TCP_ESTABLISHED, TCP_EV_CLOSE, TCP_EV_RCV_FIN, TCP_EV_FIN_ACKED)),
		   "TIME_WAIT", "simultaneous close through CLOSING");
	tap_is_str(tcp_state_name(WALK(TCP_SYN_SENT, TCP_EV_RCV_SYN, TCP_EV_SYN_ACKED)),
		   "ESTABLISHED", "simultaneous open");
	tap_is_str(tcp_state_name(WALK(TCP_TIME_WAIT, TCP_EV_TIMEOUT)), "CLOSED", "2 MSL ends TIME_WAIT");
	tap_is_str(tcp_state_name(WALK(TCP_ESTABLISHED, TCP_EV_RCV_RST)), "CLOSED", "RST closes");
	tap_is_str(tcp_state_name(WALK(TCP_FIN_WAIT_2, TCP_EV_RCV_RST)), "CLOSED", "RST closes FIN_WAIT_2");
	tap_ok(tcp_fsm_next(TCP_CLOSED, TCP_EV_RCV_FIN) == TCP_FSM_INVALID, "FIN in CLOSED refused");
	tap_ok(tcp_fsm_next(TCP_ESTABLISHED, TCP_EV_ACTIVE_OPEN) == TCP_FSM_INVALID, "open twice refused");
	tap_ok(tcp_fsm_next(TCP_LAST_ACK, TCP_EV_CLOSE) == TCP_FSM_INVALID, "close twice refused");
	tap_ok(tcp_fsm_next(TCP_NSTATES, TCP_EV_CLOSE) == TCP_FSM_INVALID &&
	       tcp_fsm_next(TCP_CLOSED, TCP_NEVENTS) == TCP_FSM_INVALID, "out of range refused");
	return tap_done();
}
