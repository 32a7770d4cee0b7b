/*
 * slowpeer_test - null calls over the process wire (rpcping -w process) to
 * a server that holds its first call for 1.5 s, as a host descheduled that
 * long on a loaded machine does. CHAN retransmits meanwhile; the call then
 * succeeds and the run reports. The harness's wait for a reply used to end
 * after 1 s of real time ("no report: Connection timed out"); now CHAN
 * alone decides that a call failed (ipcpair.h: XK_IPCPAIR_WAIT_NS).
 */
#define _DEFAULT_SOURCE

#include <sys/mman.h>
#include <time.h>

#include "ipcpair.h"
#include "rpc_app.h"
#include "tap.h"
#include "testbed.h"

#define HOLD_NS	(1500ull * 1000 * 1000)	/* longer than the old 1 s wait */

struct shared {
	unsigned held;		/* calls the server held */
	unsigned received;	/* replies the client counted */
	unsigned failed;	/* calls whose status was not 0 */
};

static struct shared *shared;	/* MAP_SHARED: the hosts run in processes of their own */

static void hold_first(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	if (!shared->held++) {
		struct timespec ts = { HOLD_NS / 1000000000ull, HOLD_NS % 1000000000ull };

		nanosleep(&ts, NULL);
	}
	rpc_app_serve_null(app, lls, m);
}

static int host_main(struct xk_ipcpair_host *h, void *arg)
{
	const struct xk_bench_opts o = { .n = 5, .samples = 1, .wire = "process", .bytes = 0 };
	struct xk_ping p = { 0 };
	int err;

	(void)arg;
	if (h->index == 1) {
		h->app.on_recv = hold_first;
		err = rpc_app_open(&h->app, NULL, 0, NULL);
		return err ? err : xk_ipcwire_serve(h->drv);
	}
	err = rpc_app_open(NULL, &h->app, XK_TESTBED_IP(1), &p.sess);
	if (err)
		return err;
	xk_ipcpair_ping_setup(h, &p);
	err = xk_bench_run("# held null calls", &o, &p);
	shared->received = h->app.received;
	shared->failed = h->app.failed;
	xk_close(p.sess);
	return err;
}

int main(void)
{
	int rc;

	shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		tap_bail("mmap: cannot share results with the domains");
	tap_plan(3);
	rc = xk_ipcpair_run("process", NULL, RPC_APP_TOP, rpc_app_reg, host_main, NULL);
	tap_is_int(rc, 0, "the run reports although the server held its first call 1.5 s (was -ETIMEDOUT)");
	tap_ok(shared->held > 0, "the server did hold a call (%u calls served)", shared->held);
	tap_ok(shared->received == 5 + 5 / 10 + 1 && shared->failed == 0,
	       "every call, warm-up included, ended with a reply and status 0 (%u replies, %u failed)",
	       shared->received, shared->failed);
	munmap(shared, sizeof *shared);
	return tap_done();
}
