/*
 * ipc_wake_test.c - the lost wake-up, forced, in both modes: a receiver
 * (and, second, a caller waiting for its reply; third, the same with the
 * reply written in the server's own line) has counted itself among
 * the sleepers, read the futex word and found nothing, and is about to
 * sleep; just then a sender publishes its whole message. The kernel's seam
 * ipc_hook_sleep, defined here, stops the waiter at that very point until
 * the message is out, so the interleaving is the same at every run.
 *
 * A sender that missed the sleeper would leave it asleep for good; only
 * the supervisor, finding every domain blocked, would stop the kernel,
 * and its wake-up would hand the waiter the message too late. So the
 * sender stays blocked (its exit would wake every sleeper too) and each
 * waiter checks, after its message, that the kernel was not stopped.
 */
#include "ipc_testlib.h"
#include "tap.h"

#include <unistd.h>

/* Which domain's sleep to interrupt, and which kt_val slots it uses:
 * set before the kernel runs (processes get a copy). */
static unsigned wk_waiter = IPC_NO_DOMAIN;
/* A server that answers and receives in one (ipc_return_receive) cannot
 * say it published: its own sleep, after the reply, says it. */
static unsigned wk_publisher = IPC_NO_DOMAIN;

enum { WK_HOOKED = 1, WK_SENT, WK_RC, WK_CODE, WK_AFTER, WK_SEND_RC };

/* The seam (ipc_wait.c): the first time the waiter is about to sleep
 * for a message (on its own word), let the sender publish, and go on only
 * once it has. */
void ipc_hook_sleep(unsigned id, unsigned on)
{
	if (id == wk_publisher && on == id && kt_val[WK_HOOKED])
		kt_val[WK_SENT] = 1;
	if (id != wk_waiter || on != id || kt_val[WK_HOOKED])
		return;
	kt_val[WK_HOOKED] = 1;
	kt_wait_val(WK_SENT, 1);
}

/* Was the kernel stopped? A receive that would wait says so. */
static long wk_stopped(ipc_domain_t *self)
{
	struct ipc_rcv r = { 0 };

	return ipc_receive(self, &r, 0) == -IPC_EDEAD;
}

/* The sender, once it has published, stays alive and blocked: its exit
 * would wake every sleeper (ipc_reap.c) and hide a lost wake-up. */
static void wk_block(ipc_domain_t *self)
{
	struct ipc_rcv r = { 0 };

	ipc_receive(self, &r, -1);
}

/* The first scenario: a receiver, and a sender with slot 0 to it. */
static int wk_receiver(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	(void)arg;
	kt_val[WK_RC] = ipc_receive(self, &r, -1);
	kt_val[WK_CODE] = r.code;
	kt_val[WK_AFTER] = wk_stopped(self);
	return 0;
}

static int wk_sender(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 42 };

	(void)arg;
	kt_wait_val(WK_HOOKED, 1);
	kt_val[WK_SEND_RC] = ipc_send(self, 0, &m, 0);
	kt_val[WK_SENT] = 1;
	wk_block(self);
	return 0;
}

/* The second: a caller asleep for its reply, and the server answering. */
static int wk_caller(ipc_domain_t *self, void *arg)
{
	(void)arg;
	kt_call_record(self, 1, WK_RC);		/* and WK_CODE */
	kt_val[WK_AFTER] = wk_stopped(self);
	return 0;
}

static int wk_server(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 43 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_wait_val(WK_HOOKED, 1);
	kt_val[WK_SEND_RC] = rc < 0 ? rc : ipc_send(self, r.reply, &m, 0);
	kt_val[WK_SENT] = 1;
	wk_block(self);
	return 0;
}

/* The third: the server answers in its own line, and receives. */
static int wk_replier(ipc_domain_t *self, void *arg)
{
	const struct ipc_msg m = { .code = 44 };
	struct ipc_rcv r = { 0 };
	int rc = ipc_receive(self, &r, -1);

	(void)arg;
	kt_wait_val(WK_HOOKED, 1);
	if (rc < 0)
		kt_val[WK_SEND_RC] = rc;
	else	/* its receive ends with the kernel's stop */
		ipc_return_receive(self, r.reply, &m, &r);
	return 0;
}

#define WK_TESTS 4
static void wk_run(enum ipc_mode mode, const char *what, ipc_main_fn waiter, ipc_main_fn sender,
		   long code)
{
	const char *mn = kt_mode_name(mode);
	/* A short spin: the waiter goes to sleep at once. */
	const struct ipc_config cfg = { .spin_ns = 1000 };
	struct kt t;

	kt_begin(&t, mode, &cfg);
	wk_waiter = kt_domain(&t, "waiter", waiter, NULL);
	unsigned s = kt_domain(&t, "sender", sender, NULL);
	wk_publisher = sender == wk_replier ? s : IPC_NO_DOMAIN;
	kt_grant(&t, waiter == wk_caller ? wk_waiter : s, 0,
		 kt_port(&t, waiter == wk_caller ? s : wk_waiter, 0));
	tap_is_int(kt_end(&t), 0, "%s: %s: kernel ran", mn, what);
	tap_ok(kt_val[WK_HOOKED] == 1 && kt_val[WK_SEND_RC] == 0,
	       "%s: %s: published while the waiter was about to sleep", mn, what);
	tap_ok(kt_val[WK_RC] == 0 && kt_val[WK_CODE] == code, "%s: %s: the waiter got it (%ld, code %ld)",
	       mn, what, kt_val[WK_RC], kt_val[WK_CODE]);
	tap_is_int(kt_val[WK_AFTER], 0, "%s: %s: woken by the sender, not by the kernel's stop", mn,
		   what);
}

int main(void)
{
	alarm(120);	/* a hang is a failure */
	tap_plan(2 * 3 * WK_TESTS);
	for (int i = 0; i < 2; i++) {
		wk_run(kt_modes[i], "receive", wk_receiver, wk_sender, 42);
		wk_run(kt_modes[i], "reply", wk_caller, wk_server, 43);
		wk_run(kt_modes[i], "reply in the server's line", wk_caller, wk_replier, 44);
	}
	return tap_done();
}
