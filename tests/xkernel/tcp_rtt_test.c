/* tcp_rtt_test - Jacobson/Karels RTO estimation, clamping and backoff. */
#include "tap.h"
#include "tcp_rtt.h"

#define MS 1000000ull

int main(void)
{
	struct tcp_rtt r;
	uint64_t t;
	int n;

	tap_plan(9);
	tcp_rtt_init(&r);
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)TCP_RTO_INIT, "1 s before any sample");

	tcp_rtt_sample(&r, 400 * MS);
	/* first sample: srtt = R, rttvar = R/2, rto = R + 4 * R/2 = 3R */
	tap_is_int((long long)tcp_rtt_timeout(&r), 1200 * MS, "first sample 400 ms: RTO 1200 ms");

	tcp_rtt_sample(&r, 800 * MS);
	/* err = 400: rttvar = 200 + (400 - 200)/4 = 250, srtt = 400 + 50 = 450; rto = 450 + 1000 */
	tap_is_int((long long)tcp_rtt_timeout(&r), 1450 * MS, "second sample 800 ms: RTO 1450 ms");

	for (n = 0; n < 100; n++)
		tcp_rtt_sample(&r, 10 * MS);
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)TCP_RTO_MIN, "steady 10 ms: clamped to the minimum");

	t = tcp_rtt_timeout(&r);
	tcp_rtt_backoff(&r);
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)(2 * t), "one backoff doubles");
	tcp_rtt_backoff(&r);
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)(4 * t), "two double again");
	for (n = 2; tcp_rtt_backoff(&r); n++)
		;
	tap_is_int(n, TCP_BACKOFF_MAX, "gives up after TCP_BACKOFF_MAX backoffs");
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)TCP_RTO_MAX, "backed-off RTO capped");
	tcp_rtt_sample(&r, 10 * MS);
	tap_is_int((long long)tcp_rtt_timeout(&r), (long long)TCP_RTO_MIN, "a new sample ends the backoff");
	return tap_done();
}
