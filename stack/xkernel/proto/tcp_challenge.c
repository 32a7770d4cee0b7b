/*
 * tcp_challenge.c - challenge ACKs (RFC 5961) under a host-wide limit per
 * second (section 7), so that forged segments cannot make the host send ACKs
 * without bound. As Linux 4.7-5.19 (after CVE-2016-5696), each second's budget
 * is drawn between half and 1.5 times the limit: an off-path attacker who
 * counts our challenge ACKs against a known budget would learn whether a
 * connection exists. Rare by nature, so out of line and cold.
 */
#include "tcp_tcb.h"

#define NS_PER_SEC 1000000000ull

/* A budget in [ceil(limit / 2), ceil(limit / 2) + limit): the clock mixed (deterministic on a virtual one). */
static uint32_t challenge_budget(uint32_t limit, uint64_t now)
{
	uint64_t x = (now ^ (now >> 29)) * 0x9e3779b97f4a7c15ull;

	return (limit + 1) / 2 + (uint32_t)((x >> 32) % limit);
}

__attribute__((cold, noinline)) void tcp_challenge_ack(struct tcb *t)
{
	struct tcp_proto *tp = t->tp;
	uint64_t now = tcp_now(t);

	if (tp->challenge_limit) {
		if (now >= tp->challenge_end) {
			tp->challenge_end = now + NS_PER_SEC;
			tp->challenge_left = challenge_budget(tp->challenge_limit, now);
		}
		if (tp->challenge_left == 0) {
			tp->st.challenge_acks_limited++;
			return;
		}
		tp->challenge_left--;
	}
	tp->st.challenge_acks++;
	t->ack_now = true;
}
