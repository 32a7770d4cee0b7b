/*
 * arp_loss_test - ARP's give-up must not lock out a real neighbour whose
 * first replies were lost (tcp_lossy_tap.t's failure: tcpsend's ARP
 * exchanges through tapimpair all lost, the address then failed for 20 s,
 * every SYN retransmit dropped by IP, no connection in 25 s). On the
 * in-process wire every frame is lost for the first 1.5 s (ARP has given
 * up on the peer), then none: the connection opened at the start must get
 * its bytes across by TCP's SYN retransmits within 10 s. An address that
 * never answers stays failed XK_ARP_DOWN_NS after its first failure, twice
 * that after its second, and so on up to XK_ARP_FAILED_NS.
 */
#include <string.h>

#include "eth.h"
#include "tap.h"
#include "tcp_pair.h"

#define PORT 5005
#define SIZE 20000
#define MS 1000000ull
#define SEC 1000000000ull
#define SILENT XK_TESTBED_IP(9)	/* nobody has it */
#define STEP (10 * MS)
#define STRETCHES 7	/* 2, 4, 8, 16 s, then 20 s */

/* Host 0's ARP asked for ip's MAC: -EAGAIN while under way, -EHOSTUNREACH once failed. */
static int arp_ask(struct tcp_pair *p, uint32_t ip)
{
	uint8_t buf[XK_ETH_ALEN] = { 0 };

	memcpy(buf, &ip, sizeof ip);
	return xk_control(xk_testbed_proto(&p->tb, 0, "arp"), XK_CTL_ARP_RESOLVE, buf, sizeof buf);
}

/* Whether a measured stretch is want, to the step it was measured in. */
static bool near(uint64_t got, uint64_t want)
{
	return got + STEP >= want && got <= want + STEP;
}

/* Ask about SILENT every STEP; the lengths of the first max stretches it was failed for. */
static unsigned silent_stretches(struct tcp_pair *p, uint64_t *stretch, unsigned max)
{
	unsigned n = 0;
	uint64_t failed = 0;

	for (uint64_t t = 0; t < 120 * SEC && n < max; t += STEP) {
		xk_wire_wait(p->tb.wire, STEP);	/* time passes with nothing else to do */
		if (arp_ask(p, SILENT) == -EHOSTUNREACH) {
			failed += STEP;
		} else if (failed) {
			stretch[n++] = failed;
			failed = 0;
		}
	}
	return n;
}

static bool got_all(struct tcp_pair *p)
{
	return p->app[1].rx_len >= SIZE;
}

int main(void)
{
	static uint8_t a[SIZE], ra[SIZE];
	struct xk_wire_impair clean = { .seed = 17 }, dead = { .seed = 17, .drop_pct = 100 };
	uint64_t stretch[STRETCHES];
	struct tcp_pair p;
	unsigned n;

	tap_plan(7);
	for (size_t i = 0; i < SIZE; i++)
		a[i] = (uint8_t)(i * 131 + i / 256);	/* a shifted segment would not compare equal */
	if (tcp_pair_create(&p, &dead) < 0)
		tap_bail("cannot make the hosts");
	/* made by tcp_pair_create, which set each app's protocol */
	p.app[0] = (struct tcp_app){ .proto = p.app[0].proto, .tx = a, .tx_len = SIZE };
	p.app[1] = (struct tcp_app){ .proto = p.app[1].proto, .rx = ra, .rx_cap = SIZE };
	if (tcp_app_listen(&p.app[1], PORT) < 0 || tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0)
		tap_bail("cannot listen or connect");
	tcp_pair_run(&p, 1500 * MS, NULL);
	tap_is_int(arp_ask(&p, XK_TESTBED_IP(1)), -EHOSTUNREACH,
		   "every exchange lost for 1.5 s: ARP has given up on the peer");
	xk_wire_set_impair(p.tb.wire, &clean);
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_all), 0,
		   "once frames pass, the connection opened before gets its bytes across within 10 s");
	tap_ok(p.app[1].rx_len == SIZE && memcmp(ra, a, SIZE) == 0, "its %u bytes arrive byte-exact", SIZE);

	/* A caller that keeps asking (as IP does, every 10 ms): how long each failed stretch lasts. */
	tap_is_int(arp_ask(&p, SILENT), -EAGAIN, "a silent address: asked about");
	n = silent_stretches(&p, stretch, STRETCHES);
	tap_ok(n >= 2 && near(stretch[0], XK_ARP_DOWN_NS),
	       "failed for XK_ARP_DOWN_NS after its first failure (%llu ms)", stretch[0] / MS);
	tap_ok(n >= 2 && near(stretch[1], 2 * XK_ARP_DOWN_NS), "twice as long after its second (%llu ms)",
	       stretch[1] / MS);
	tap_ok(n == STRETCHES && near(stretch[n - 1], XK_ARP_FAILED_NS) && near(stretch[n - 2], XK_ARP_FAILED_NS),
	       "never longer than XK_ARP_FAILED_NS (%u stretches, the last %llu ms)", n, stretch[n - 1] / MS);
	tcp_pair_destroy(&p);
	return tap_done();
}
