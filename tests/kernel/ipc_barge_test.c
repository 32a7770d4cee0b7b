/*
 * ipc_barge_test.c - an entry port serves its senders in FIFO order even
 * when a newcomer finds the receiver OPEN: sender A is queued on receiver
 * R (R was busy) and, woken by nothing yet, is about to sleep on R's word
 * when R opens (receives) and newcomer B sends. B must queue behind A, not
 * take R: R's first message is A's. The kernel's seam ipc_hook_sleep,
 * defined here, holds A at that very point until B has queued (or, a
 * barging kernel, sent), so the interleaving is the same at every run, in
 * both modes, then again with every domain pinned to one CPU.
 */
#define _GNU_SOURCE
#include "ipc_testlib.h"
#include "tap.h"

#include <unistd.h>

/* The domains' ids: set before the kernel runs (processes get a copy). */
static unsigned bg_a = IPC_NO_DOMAIN, bg_b = IPC_NO_DOMAIN, bg_r = IPC_NO_DOMAIN;

enum { BG_A_HELD = 1, BG_R_OPEN, BG_B_PAST, BG_FIRST, BG_SECOND, BG_RC, BG_A_RC, BG_B_RC };

/* The seam (ipc_wait.c): A about to sleep on R's word waits for B; R
 * about to sleep for a message (OPEN, A held) lets B go; B about to sleep
 * for its turn in R's queue lets A go. */
void ipc_hook_sleep(unsigned id, unsigned on)
{
	if (id == bg_a && on == bg_r && !kt_val[BG_A_HELD]) {
		kt_val[BG_A_HELD] = 1;
		kt_wait_val(BG_B_PAST, 1);
	} else if (id == bg_r && on == bg_r && kt_val[BG_A_HELD]) {
		kt_val[BG_R_OPEN] = 1;
	} else if (id == bg_b && on == bg_b) {
		kt_val[BG_B_PAST] = 1;
	}
}

/* R: busy until A is held queued, then two receives. */
static int bg_receiver(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };
	int rc;

	(void)arg;
	kt_wait_val(BG_A_HELD, 1);
	rc = ipc_receive(self, &r, -1);
	kt_val[BG_FIRST] = r.code;
	if (rc == 0)
		rc = ipc_receive(self, &r, -1);
	kt_val[BG_SECOND] = r.code;
	kt_val[BG_RC] = rc;
	return 0;
}

static int bg_first(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 1 };

	(void)arg;
	kt_val[BG_A_RC] = ipc_send(self, 0, &m, 0);
	return 0;
}

/* B: the newcomer, once R is OPEN with A queued. */
static int bg_newcomer(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 2 };

	(void)arg;
	kt_wait_val(BG_R_OPEN, 1);
	kt_val[BG_B_RC] = ipc_send(self, 0, &m, 0);
	kt_val[BG_B_PAST] = 1;
	return 0;
}

#define BG_TESTS 3
static void bg_run(enum ipc_mode mode, const char *where)
{
	const char *mn = kt_mode_name(mode);
	/* A short spin: each waiter goes to sleep at once. */
	const struct ipc_config cfg = { .spin_ns = 1000 };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	bg_r = kt_domain(&t, "receiver", bg_receiver, NULL);
	bg_a = kt_domain(&t, "first", bg_first, NULL);
	bg_b = kt_domain(&t, "newcomer", bg_newcomer, NULL);
	unsigned port = kt_port(&t, bg_r, 0);
	kt_grant(&t, bg_a, 0, port);
	kt_grant(&t, bg_b, 0, port);
	tap_is_int(kt_end(&t), 0, "%s%s: kernel ran", mn, where);
	tap_ok(kt_val[BG_RC] == 0 && kt_val[BG_A_RC] == 0 && kt_val[BG_B_RC] == 0,
	       "%s%s: both sent, both received (%ld %ld %ld)", mn, where, kt_val[BG_A_RC],
	       kt_val[BG_B_RC], kt_val[BG_RC]);
	tap_ok(kt_val[BG_FIRST] == 1 && kt_val[BG_SECOND] == 2,
	       "%s%s: the queued sender first, the newcomer after it (codes %ld, %ld)", mn, where,
	       kt_val[BG_FIRST], kt_val[BG_SECOND]);
}

int main(void)
{
	alarm(120);	/* a hang is a failure */
	tap_plan(2 * 2 * BG_TESTS);
	kt_modes_then_one_core(bg_run);
	return tap_done();
}
