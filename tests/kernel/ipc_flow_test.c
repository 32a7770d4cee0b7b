/*
 * ipc_flow_test.c - control flow through the kernel, in both modes:
 * coroutines (call on a reply capability), the tail call (return on an
 * entry port forwarding the reply capability), and many senders on one
 * entry port served in FIFO order with none lost.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"	/* the FIFO test watches a queue's length */
#include "ipc_testlib.h"
#include "tap.h"

#include <sched.h>
#include <unistd.h>

/* Coroutines: A and B hand control back and forth through reply caps. */

#define CO_ROUNDS 10

static int co_a(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 1 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_call(self, 0, &m, &r);
	long ok = 1;

	(void)arg;
	for (unsigned i = 0; i < CO_ROUNDS; i++) {
		ok &= rc == 0 && r.code == i && r.reply != IPC_NO_SLOT;
		m.code = 100 + i;
		rc = ipc_call(self, r.reply, &m, &r);
	}
	kt_val[0] = ok;
	kt_val[1] = rc == 0 && r.code == 999 && r.reply == IPC_NO_SLOT;
	return 0;
}

static int co_b(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { 0 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);
	long ok = rc == 0 && r.code == 1;

	(void)arg;
	for (unsigned i = 0; i < CO_ROUNDS; i++) {
		m.code = i;
		rc = ipc_call(self, r.reply, &m, &r);
		ok &= rc == 0 && r.code == 100 + i;
	}
	m.code = 999;
	kt_val[3] = ipc_send(self, r.reply, &m, 0);
	kt_val[2] = ok;
	return 0;
}

#define CO_TESTS 5
static void test_coroutine(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned a = kt_domain(&t, "a", co_a, NULL);
	unsigned b = kt_domain(&t, "b", co_b, NULL);
	kt_grant(&t, a, 0, kt_port(&t, b, 0));
	tap_is_int(kt_end(&t), 0, "%s: coroutine: kernel ran", mn);
	tap_ok(kt_val[0], "%s: A resumed by B %d times through reply caps", mn, CO_ROUNDS);
	tap_ok(kt_val[2], "%s: B resumed by A %d times through reply caps", mn, CO_ROUNDS);
	tap_is_int(kt_val[3], 0, "%s: B's final return", mn);
	tap_ok(kt_val[1], "%s: A got the final return, with no reply cap", mn);
}

/* Tail call: A calls B; B returns to C's entry port with A's reply cap. */

static int tc_a(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 1, .w = { 42 } };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[10] = ipc_call(self, 0, &m, &r);
	kt_val[11] = r.code;
	kt_val[12] = (long)r.w[0];
	return 0;
}

static int tc_b(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 }, r2 = { 0 };
	int rc = ipc_receive(self, &r, -1);
	struct ipc_msg m = { .code = 2, .w = { r.w[0] + 1 }, .ncaps = 1, .caps = { r.reply } };

	(void)arg;
	if (rc == 0)
		rc = ipc_return_receive(self, 1, &m, &r2);	/* the tail call */
	kt_val[13] = rc == 0 && r2.code == 4;
	kt_val[14] = ipc_send(self, r.reply, &m, 0);		/* its copy is void */
	return 0;
}

static int tc_c(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);
	struct ipc_msg m = { .code = 3, .w = { r.w[0] + 1 } };

	(void)arg;
	kt_val[15] = rc == 0 && r.code == 2 && r.badge == 0xcc && r.ncaps == 1;
	kt_val[16] = r.reply != IPC_NO_SLOT && r.reply == r.caps[0];
	kt_val[17] = ipc_send(self, r.reply, &m, 0);
	m.code = 4;
	kt_val[18] = ipc_send(self, 0, &m, 0);		/* wake B up */
	return 0;
}

#define TC_TESTS 10
static void test_tail_call(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned a = kt_domain(&t, "a", tc_a, NULL);
	unsigned b = kt_domain(&t, "b", tc_b, NULL);
	unsigned c = kt_domain(&t, "c", tc_c, NULL);
	kt_grant(&t, a, 0, kt_port(&t, b, 0xbb));
	kt_grant(&t, b, 1, kt_port(&t, c, 0xcc));
	kt_grant(&t, c, 0, kt_port(&t, b, 0xbc));
	tap_is_int(kt_end(&t), 0, "%s: tail call: kernel ran", mn);
	tap_ok(kt_val[15], "%s: C received B's return on its entry port", mn);
	tap_ok(kt_val[16], "%s: ... with A's reply cap as its reply slot", mn);
	tap_is_int(kt_val[17], 0, "%s: C returned through it", mn);
	tap_is_int(kt_val[10], 0, "%s: A's call returned", mn);
	tap_is_int(kt_val[11], 3, "%s: ... with C's result code", mn);
	tap_is_int(kt_val[12], 44, "%s: ... and the words through A, B, C", mn);
	tap_is_int(kt_val[18], 0, "%s: C sent to B", mn);
	tap_ok(kt_val[13], "%s: B's return-and-receive got it", mn);
	tap_is_int(kt_val[14], -IPC_ECONSUMED, "%s: B's copy of A's reply cap is void", mn);
}

/* FIFO: senders queue in a known order; then all send at once. */

#define FF_SENDERS 6
#define FF_EACH 3000

static int ff_sender(ipc_domain_t *self, void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;
	struct ipc_dom *srv = ipc_dom_at(self->sh, (unsigned)kt_val[99]);
	struct ipc_msg m = { .code = 1, .w = { i } };
	long ok = 1;

	while (ipc_queue_len(srv) != i)		/* join the queue i-th */
		sched_yield();
	ok &= ipc_send(self, 0, &m, 0) == 0;
	m.code = 2;
	for (unsigned s = 0; s < FF_EACH; s++) {
		m.w[1] = s;
		ok &= ipc_send(self, 0, &m, 0) == 0;
	}
	kt_val[10 + i] = ok;
	return 0;
}

static int ff_server(ipc_domain_t *self, void *arg)
{
	struct ipc_dom *d = ipc_dom_at(self->sh, self->id);
	struct ipc_rcv r = { 0 };
	long order = 1, seq_ok = 1, n = 0;
	long next[FF_SENDERS] = { 0 };

	(void)arg;
	while (ipc_queue_len(d) != FF_SENDERS)
		sched_yield();
	for (unsigned i = 0; i < FF_SENDERS; i++)
		order &= ipc_receive(self, &r, -1) == 0 && r.code == 1 && r.w[0] == i;
	for (; n < FF_SENDERS * FF_EACH; n++) {
		if (ipc_receive(self, &r, -1) < 0 || r.code != 2 || r.w[0] >= FF_SENDERS)
			break;
		seq_ok &= (long)r.w[1] == next[r.w[0]]++;
	}
	kt_val[0] = order;
	kt_val[1] = seq_ok;
	kt_val[2] = n;
	kt_val[3] = ipc_receive(self, &r, -1);	/* nothing more: the kernel stops */
	return 0;
}

#define FF_TESTS (5 + FF_SENDERS)
static void test_fifo(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned s = kt_domain(&t, "server", ff_server, NULL);
	unsigned p = kt_port(&t, s, 0);
	kt_val[99] = s;
	for (unsigned i = 0; i < FF_SENDERS; i++)
		kt_grant(&t, kt_domain(&t, "sender", ff_sender, (void *)(uintptr_t)i), 0, p);
	tap_is_int(kt_end(&t), 0, "%s: fifo: kernel ran", mn);
	tap_ok(kt_val[0], "%s: %d queued senders served in the order they queued", mn, FF_SENDERS);
	tap_is_int(kt_val[2], FF_SENDERS * FF_EACH, "%s: every message of the crowd arrived", mn);
	tap_ok(kt_val[1], "%s: ... each sender's in order, none twice", mn);
	tap_is_int(kt_val[3], -IPC_EDEAD, "%s: ... and no more", mn);
	for (unsigned i = 0; i < FF_SENDERS; i++)
		tap_ok(kt_val[10 + i], "%s: sender %u: every send returned 0", mn, i);
}

int main(void)
{
	alarm(120);
	tap_plan(2 * (CO_TESTS + TC_TESTS + FF_TESTS));
	for (int i = 0; i < 2; i++) {
		test_coroutine(kt_modes[i]);
		test_tail_call(kt_modes[i]);
		test_fifo(kt_modes[i]);
	}
	return tap_done();
}
