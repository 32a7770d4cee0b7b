/*
 * tcp_rtt.h - round-trip time estimation and the retransmission timeout:
 * Jacobson/Karels smoothing (RFC 6298) with exponential backoff.
 *
 * Times are nanoseconds on the host clock. Karn's rule (never sample a
 * retransmitted segment) is the caller's: it only calls tcp_rtt_sample for
 * a segment sent once.
 */
#ifndef TCP_RTT_H
#define TCP_RTT_H

#include <stdbool.h>
#include <stdint.h>

#define TCP_RTO_INIT	1000000000ull	/* 1 s before the first sample (RFC 6298 2.1) */
#define TCP_RTO_MIN	200000000ull	/* 200 ms, as Linux */
#define TCP_RTO_MAX	60000000000ull	/* 60 s */
#define TCP_RTO_GRAN	1000000ull	/* clock granularity G: 1 ms */
#define TCP_PTO_MIN	2000000ull	/* tail loss probe: at least 2 ms (as Linux) */
#define TCP_BACKOFF_MAX	12		/* retransmissions before giving up */

struct tcp_rtt {
	int64_t srtt;		/* smoothed round trip */
	int64_t rttvar;		/* its mean deviation */
	uint64_t rto;		/* timeout before backoff */
	uint64_t pto;		/* tail loss probe's: 2 srtt, at least TCP_PTO_MIN (the first RTO before a sample) */
	unsigned backoff;	/* retransmissions of the oldest segment: rto << backoff */
	bool sampled;
};

void tcp_rtt_init(struct tcp_rtt *r);
/* A measured round trip; also ends any backoff (a new ACK arrived). */
void tcp_rtt_sample(struct tcp_rtt *r, uint64_t rtt);
/* The timeout to arm now: rto doubled per backoff, at most TCP_RTO_MAX. */
uint64_t tcp_rtt_timeout(const struct tcp_rtt *r);
/* The timer fired: double. Returns false once TCP_BACKOFF_MAX is passed (give up). */
bool tcp_rtt_backoff(struct tcp_rtt *r);

#endif
