/*
 * ipc_rearm_test.c - where a server's reply capabilities land, in both
 * modes: a reply capability the server has used up leaves its slot to the
 * next one it receives (rearmed, no slot search), so a server answering
 * each call before the next keeps one slot for ever; a reply capability
 * not yet used is never overwritten, and a used one stays void until its
 * slot is rearmed; nor is one whose reply was refused (ipc_unclaim: it
 * stays valid, so its slot is not spent).
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

#define RU_SLOTS 4	/* the first caller's table: full from the start */

/* The first caller: its table has no room for a passed capability. */
static int ru_one(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_call_record(self, 1, 31);
	return 0;
}

/* The second caller: calls once the server's first reply was refused. */
static int ru_two(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_wait_val(30, 1);
	kt_call_record(self, 2, 33);
	return 0;
}

static int ru_server(ipc_domain_t *self, void *arg)
{
	struct ipc_msg m = { .code = 5, .ncaps = 1, .caps = { 0 } };
	struct ipc_rcv r = { 0 };

	(void)arg;
	int rc = ipc_receive(self, &r, -1);		/* the first call */
	uint16_t a = r.reply;
	kt_val[35] = rc < 0 ? rc : ipc_send(self, a, &m, 0);	/* a cap: refused */
	kt_val[30] = 1;
	rc = ipc_receive(self, &r, -1);			/* the second call */
	uint16_t b = r.reply;
	kt_val[36] = rc == 0 && r.code == 2 && a != IPC_NO_SLOT && b != IPC_NO_SLOT && a != b;
	m = (struct ipc_msg){ .code = 7 };
	kt_val[37] = ipc_send(self, a, &m, 0);
	m.code = 8;
	kt_val[38] = ipc_send(self, b, &m, 0);
	return 0;
}

#define RU_TESTS 5
static void test_refused_not_spent(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	const struct ipc_config cfg = { .slots = RU_SLOTS };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	unsigned s = kt_domain(&t, "server", ru_server, NULL);
	unsigned p = kt_port(&t, s, 0);
	unsigned one = kt_domain(&t, "one", ru_one, NULL);
	for (uint16_t i = 0; i < RU_SLOTS; i++)
		kt_grant(&t, one, i, p);
	kt_grant(&t, kt_domain(&t, "two", ru_two, NULL), 0, p);
	kt_grant(&t, s, 0, p);
	tap_is_int(kt_end(&t), 0, "%s: refused reply: kernel ran", mn);
	tap_is_int(kt_val[35], -IPC_ENOMEM, "%s: a reply passing a cap to a full table: refused", mn);
	tap_ok(kt_val[36], "%s: ... its reply capability, valid again, keeps its slot from the next", mn);
	tap_ok(kt_val[37] == 0 && kt_val[31] == 0 && kt_val[32] == 7,
	       "%s: ... and still answers the first call (%ld: %ld, code %ld)", mn, kt_val[37],
	       kt_val[31], kt_val[32]);
	tap_ok(kt_val[38] == 0 && kt_val[33] == 0 && kt_val[34] == 8,
	       "%s: the second call answered through its own (%ld: %ld, code %ld)", mn, kt_val[38],
	       kt_val[33], kt_val[34]);
}

int main(void)
{
	alarm(120);
	tap_plan(2 * (RA_TESTS + RU_TESTS));
	for (int i = 0; i < 2; i++) {
		test_rearm(kt_modes[i]);
		test_refused_not_spent(kt_modes[i]);
	}
	return tap_done();
}
