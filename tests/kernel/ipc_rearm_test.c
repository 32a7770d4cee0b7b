/*
 * ipc_rearm_test.c - where a server's reply capabilities land, in both
 * modes: a reply capability the server has used up leaves its slot to the
 * next one it receives (rearmed, no slot search), so a server answering
 * each call before the next keeps one slot for ever; a reply capability
 * not yet used is never overwritten, and a used one stays void until its
 * slot is rearmed.
 */
#include "ipc_testlib.h"
#include "tap.h"

#include <unistd.h>

#define RA_LOOP 300	/* calls in the loop: more than the table's slots */

/* The first client: call A, then after it is answered the loop's calls. */
static int ra_one(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 1 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_call(self, 0, &m, &r);

	(void)arg;
	m.code = 3;
	for (int i = 0; rc == 0 && i < RA_LOOP; i++)
		rc = ipc_call(self, 0, &m, &r);
	kt_val[1] = rc;
	return 0;
}

/* The second client: call B once the server holds A's reply capability. */
static int ra_two(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 2 };
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_wait_val(10, 1);
	kt_val[2] = ipc_call(self, 0, &m, &r);
	return 0;
}

static int ra_server(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 9 };
	struct ipc_rcv r = { 0 };
	long same = 1;

	(void)arg;
	int rc = ipc_receive(self, &r, -1);		/* A, from the first client */
	uint16_t a = r.reply;
	kt_val[10] = 1;
	if (rc == 0)
		rc = ipc_receive(self, &r, -1);		/* B: A's capability is live */
	uint16_t b = r.reply;
	kt_val[20] = rc == 0 && r.code == 2 && a != IPC_NO_SLOT && b != IPC_NO_SLOT && a != b;
	kt_val[21] = ipc_send(self, a, &m, 0);		/* answer A */
	kt_val[22] = ipc_send(self, a, &m, 0);		/* used up: void */
	rc = ipc_return_receive(self, b, &m, &r);	/* answer B, take the loop's first */
	kt_val[23] = rc == 0 && r.code == 3 && r.reply == b;
	kt_val[24] = ipc_send(self, a, &m, 0);		/* used up, not rearmed: still void */
	for (int i = 1; rc == 0 && i < RA_LOOP; i++) {
		rc = ipc_return_receive(self, r.reply, &m, &r);
		same &= rc == 0 && r.reply == b;
	}
	kt_val[25] = same;
	kt_val[26] = rc == 0 ? ipc_send(self, r.reply, &m, 0) : rc;
	return 0;
}

#define RA_TESTS 9
static void test_rearm(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;

	kt_begin(&t, mode, NULL);
	unsigned s = kt_domain(&t, "server", ra_server, NULL);
	unsigned p = kt_port(&t, s, 0);
	kt_grant(&t, kt_domain(&t, "one", ra_one, NULL), 0, p);
	kt_grant(&t, kt_domain(&t, "two", ra_two, NULL), 0, p);
	tap_is_int(kt_end(&t), 0, "%s: rearm: kernel ran", mn);
	tap_ok(kt_val[20], "%s: a second call's reply capability does not take a live one's slot", mn);
	tap_is_int(kt_val[21], 0, "%s: the first call answered", mn);
	tap_is_int(kt_val[22], -IPC_ECONSUMED, "%s: its reply capability then void", mn);
	tap_ok(kt_val[23], "%s: the next call's reply capability rearms the slot used last", mn);
	tap_is_int(kt_val[24], -IPC_ECONSUMED, "%s: the slot used before it stays void", mn);
	tap_ok(kt_val[25], "%s: %d calls answered one by one: one slot for all", mn, RA_LOOP);
	tap_is_int(kt_val[26], 0, "%s: the last call answered", mn);
	tap_ok(kt_val[1] == 0 && kt_val[2] == 0, "%s: both clients' calls returned", mn);
}

int main(void)
{
	alarm(120);
	tap_plan(2 * RA_TESTS);
	for (int i = 0; i < 2; i++)
		test_rearm(kt_modes[i]);
	return tap_done();
}
