/*
 * benchproc_test - the ping harness's client protocol-processing figure
 * (xk_bench_measure, on udpping's flow over the in-process wire) takes off
 * each push the wire time of the sends made inside that push, and only
 * those. A counting driver charges CHARGE cycles of wire time (drv.h's
 * tx_wire) to chosen sends of the client's driver, as a blocking IPC send
 * to a descheduled server costs milliseconds:
 * - sends from a timer of the client host, between the pushes (CHAN's
 *   retransmissions on a loaded host): the figure stays above 0 and no
 *   sample is refused; the old figure took every send off and clamped the
 *   sample to 0 (rpcping -w process printed 0.000 us);
 * - the pushes' own sends: each sample comes out below 0 (they are taken
 *   off the pushes that made them), and is counted and refused (-ERANGE),
 *   never clamped.
 */
#include "bench.h"
#include "drv.h"
#include "eth.h"
#include "tap.h"
#include "testbed.h"

#define CHARGE		(1ull << 40)	/* cycles: minutes of any counter */
#define TICK_NS		15000u		/* the timer's period: under a round trip (20 us) */
#define PORT		7

static int (*wire_send)(struct xk_drv *d, const uint8_t *frame, size_t len);
static bool charge_timer, charge_push, in_timer;
static unsigned charged;

/* The client driver's send: charges CHARGE cycles to the chosen sends. */
static int counting_send(struct xk_drv *d, const uint8_t *frame, size_t len)
{
	if (in_timer ? charge_timer : charge_push) {
		d->cyc.tx_wire += CHARGE;
		charged++;
	}
	return wire_send(d, frame, len);
}

struct ticker {
	struct xk_event ev;
	struct xk_drv *drv;
	unsigned sent;
};

/* Every TICK_NS: one frame to a MAC nobody has, straight through the driver. */
static void tick(void *arg)
{
	struct ticker *t = arg;
	xk_host_t *h = t->drv->proto->host;
	uint8_t frame[XK_ETH_HDR_LEN + 46] = { 0x02, 0, 0, 0, 0, 0x99 };
	msg_t m;

	in_timer = true;
	if (msg_from(xk_host_pool(h), &m, frame, sizeof frame) == 0 && xk_push(t->drv->sess, &m) == 0)
		t->sent++;
	in_timer = false;
	xk_event_schedule(xk_host_events(h), &t->ev, TICK_NS);
}

/* udpping's flow: host 1 echoes on PORT, host 0's session to it. */
static int open_flow(struct xk_testbed *tb, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int err;

	xk_part_push_port(&parts.local, PORT);
	err = xk_app_listen(&tb->app[1], "udp", &parts);
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, PORT);
	return err ? err : xk_app_open(&tb->app[0], "udp", &parts, s);
}

int main(void)
{
	const struct xk_bench_opts o = { .n = 200, .samples = 3, .wire = "inproc", .bytes = 1 };
	struct xk_bench_figures f;
	struct xk_testbed tb;
	struct xk_bench_inproc in;
	struct xk_ping p = { .wait = xk_bench_inproc_wait, .drv = &in };
	struct ticker t = { 0 };
	int rc;

	tap_plan(7);
	if (xk_testbed_create(&tb, NULL, NULL, NULL) || open_flow(&tb, &p.sess))
		tap_bail("a testbed with udpping's flow");
	in = (struct xk_bench_inproc){ tb.wire, tb.host[0] };
	p.app = &tb.app[0];
	p.cyc = xk_wire_cycles(tb.wire, tb.host[0]);
	t.drv = xk_testbed_proto(&tb, 0, "wire")->state;
	wire_send = t.drv->send;
	t.drv->send = counting_send;

	charge_timer = true;
	xk_event_init(&t.ev, tick, &t);
	xk_event_schedule(xk_host_events(tb.host[0]), &t.ev, TICK_NS);
	rc = xk_bench_measure(&o, &p, &f);
	xk_event_cancel(xk_host_events(tb.host[0]), &t.ev);
	tap_diag("timer's sends charged: processing %.3f ± %.3f us (%.0f cycles) per round trip, "
		 "%u timer sends, %u charged", f.proc_mean, f.proc_std, f.proc_mean * f.cycles_per_us,
		 t.sent, charged);
	tap_ok(t.sent >= o.samples * o.n / 2 && charged == t.sent,
	       "the timer sent between the pushes, each send charged (%u sends)", t.sent);
	tap_is_int(rc, 0, "the samples are measured (none below 0)");
	tap_is_int(f.negative, 0, "no sample counted below 0");
	tap_ok(f.proc_mean > 0 && f.proc_mean * f.cycles_per_us < (double)CHARGE / (double)o.n,
	       "the figure is above 0 and holds no charge: the timer's sends are no push's "
	       "(%.0f cycles per round trip)", f.proc_mean * f.cycles_per_us);

	charge_timer = false;
	charge_push = true;
	charged = 0;
	rc = xk_bench_measure(&o, &p, &f);
	tap_diag("pushes' sends charged: processing %.3f us per round trip, %u sends charged",
		 f.proc_mean, charged);
	tap_is_int(rc, -ERANGE, "the pushes' own charged sends are taken off them: refused, -ERANGE");
	tap_is_int(f.negative, o.samples, "every sample counted below 0, none clamped (%.3f us)",
		   f.proc_mean);
	xk_close(p.sess);
	tap_is_int(xk_testbed_leaks("benchproc", xk_testbed_destroy(&tb), 0), 0,
		   "no message block outstanding at teardown");
	return tap_done();
}
