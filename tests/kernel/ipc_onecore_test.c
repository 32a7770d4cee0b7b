/*
 * ipc_onecore_test.c - every domain pinned to one CPU, in both modes: the
 * handoff (spin, then futex) stays correct and fair when the peer cannot
 * run while a domain waits. Senders mix calls and sends to one server;
 * every message arrives once, in each sender's order, intact, and no
 * sender is starved: when the first finishes, each other is well along.
 */
#define _GNU_SOURCE
#include "ipc_testlib.h"
#include "tap.h"

#include <sched.h>
#include <string.h>

#define OC_SENDERS 4
#define OC_EACH 4000	/* operations per sender: calls and sends alternate */

/* kt_val layout */
#define V_SERVED(i) (i)			/* messages of sender i the server took */
#define V_AT_FIRST(i) (10 + (i))	/* ... when some sender's last one came */
#define V_BAD 20			/* server: out of order, torn or unknown */
#define V_FIRST 21			/* set when a sender's last message came */
#define V_SRV_RC 22
#define V_OK(i) (30 + (i))		/* sender i: every call and send right */

static int oc_server(ipc_domain_t *self, void *arg)
{
	static unsigned char buf[512];
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };
	long next[OC_SENDERS] = { 0 };
	int rc;

	(void)arg;
	for (rc = ipc_receive(self, &r, -1); rc == 0;) {
		unsigned from = (unsigned)r.w[0];
		struct ipc_msg m = { .code = r.code + 1, .w = { r.w[1] } };
		if (from >= OC_SENDERS || (long)r.w[1] != next[from] ||
		    !kt_check(buf, r.len, r.w[1] * 8 + from) || (r.reply != IPC_NO_SLOT) != (r.code == 1))
			kt_val[V_BAD]++;
		if (from < OC_SENDERS) {
			next[from]++;
			kt_val[V_SERVED(from)]++;
			if (next[from] == OC_EACH && !kt_val[V_FIRST]) {
				kt_val[V_FIRST] = 1;
				for (unsigned i = 0; i < OC_SENDERS; i++)
					kt_val[V_AT_FIRST(i)] = next[i];
			}
		}
		uint16_t reply = r.code == 1 ? r.reply : IPC_NO_SLOT;	/* sends get none */
		r = (struct ipc_rcv){ .buf = buf, .cap = sizeof buf };
		rc = ipc_return_receive(self, reply, &m, &r);
	}
	kt_val[V_SRV_RC] = rc;
	return 0;
}

static int oc_sender(ipc_domain_t *self, void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	unsigned char out[512];
	long ok = 1;

	for (long i = 0; i < OC_EACH; i++) {
		size_t len = (size_t)(i * 37 + me) % sizeof out;
		struct ipc_msg m = { .code = i & 1 ? 10 : 1, .w = { me, (uint64_t)i },
				     .data = out, .len = len };
		struct ipc_rcv r = { 0 };
		kt_fill(out, len, (uint64_t)i * 8 + me);
		if (i & 1) {
			ok &= ipc_send(self, 0, &m, 0) == 0;
		} else {
			int rc = ipc_call(self, 0, &m, &r);
			ok &= rc == 0 && r.code == 2 && r.w[0] == (uint64_t)i;
		}
	}
	kt_val[V_OK(me)] = ok;
	return 0;
}

#define OC_TESTS 7
static void test_onecore(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned srv = kt_domain(&t, "server", oc_server, NULL);
	unsigned port = kt_port(&t, srv, 0);
	for (uintptr_t i = 0; i < OC_SENDERS; i++)
		kt_grant(&t, kt_domain(&t, "sender", oc_sender, (void *)i), 0, port);
	tap_is_int(kt_end(&t), 0, "%s: one core: kernel ran to the end", mn);
	tap_is_int(kt_val[V_SRV_RC], -IPC_EDEAD, "%s: one core: the server was stopped at the end", mn);
	long served = 0, ok = 1, least = OC_EACH;
	for (unsigned i = 0; i < OC_SENDERS; i++) {
		served += kt_val[V_SERVED(i)];
		ok &= kt_val[V_OK(i)] == 1;
		if (kt_val[V_AT_FIRST(i)] < least)
			least = kt_val[V_AT_FIRST(i)];
	}
	tap_ok(ok, "%s: one core: every call answered right, every send accepted", mn);
	tap_is_int(served, OC_SENDERS * OC_EACH, "%s: one core: every message arrived once", mn);
	tap_is_int(kt_val[V_BAD], 0, "%s: one core: in each sender's order, intact", mn);
	tap_ok(kt_val[V_FIRST], "%s: one core: a sender finished", mn);
	tap_diag("%s: when the first sender finished, the slowest had %ld of %d", mn, least,
		 OC_EACH);
	tap_ok(least >= OC_EACH / 2, "%s: one core: fair: every sender past half then", mn);
}

int main(void)
{
	int cpu = kt_pin_one_cpu();

	tap_plan(2 * OC_TESTS);
	tap_diag("every domain pinned to CPU %d", cpu);
	for (int i = 0; i < 2; i++)
		test_onecore(kt_modes[i]);
	return tap_done();
}
