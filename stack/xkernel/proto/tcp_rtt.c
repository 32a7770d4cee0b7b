/*
 * tcp_rtt.c - RFC 6298 retransmission timer; see tcp_rtt.h.
 */
#include "tcp_rtt.h"

void tcp_rtt_init(struct tcp_rtt *r)
{
	*r = (struct tcp_rtt){ .rto = TCP_RTO_INIT, .pto = TCP_RTO_INIT };	/* no probe before a sample */
}

static uint64_t clamp_rto(uint64_t t)
{
	if (t < TCP_RTO_MIN)
		return TCP_RTO_MIN;
	return t > TCP_RTO_MAX ? TCP_RTO_MAX : t;
}

void tcp_rtt_sample(struct tcp_rtt *r, uint64_t rtt)
{
	int64_t m = rtt > INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)rtt;
	int64_t var;

	if (!r->sampled) {
		r->srtt = m;
		r->rttvar = m / 2;
		r->sampled = true;
	} else {
		int64_t err = m - r->srtt;

		/* rttvar = 3/4 rttvar + 1/4 |err|, srtt = 7/8 srtt + 1/8 m */
		r->rttvar += ((err < 0 ? -err : err) - r->rttvar) / 4;
		r->srtt += err / 8;
	}
	var = 4 * r->rttvar;
	r->rto = clamp_rto((uint64_t)r->srtt + (uint64_t)(var > (int64_t)TCP_RTO_GRAN ? var : (int64_t)TCP_RTO_GRAN));
	r->pto = 2 * (uint64_t)r->srtt > TCP_PTO_MIN ? 2 * (uint64_t)r->srtt : TCP_PTO_MIN;
	r->backoff = 0;
}

uint64_t tcp_rtt_timeout(const struct tcp_rtt *r)
{
	uint64_t t = r->rto;

	for (unsigned i = 0; i < r->backoff && t < TCP_RTO_MAX; i++)
		t *= 2;
	return clamp_rto(t);
}

bool tcp_rtt_backoff(struct tcp_rtt *r)
{
	if (r->backoff >= TCP_BACKOFF_MAX)
		return false;
	r->backoff++;
	return true;
}
