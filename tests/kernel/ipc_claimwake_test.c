/*
 * ipc_claimwake_test.c - the lost wake-up on a claimed word, forced, in
 * both modes: a sender claims the receiver while it still spins (so it
 * reads nobody asleep), and is held in the middle of copying the string
 * (its source runs into a page it cannot read: the SIGSEGV handler waits)
 * until the receiver has ended its spin and counted itself a sleeper.
 * The receiver must see the claim and stay awake (ipc_wait.c, ipc_claimed):
 * asleep, it would miss the sender's wake-up for good (the sender read
 * nobody asleep) and only the supervisor's stop, every domain blocked,
 * would hand it the message. A receiver about to sleep (the seam
 * ipc_hook_sleep, defined here) lets the sender go at once; one that stays
 * awake, as it must, does so after a bound on the handler's wait. Both
 * modes, then again with every domain pinned to one CPU.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"	/* the receiver's state and sleeper count */
#include "ipc_testlib.h"
#include "tap.h"

#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define CW_PAGE 4096
#define CW_LEN 64
#define CW_HOLD_NS 1000000000	/* the handler's bound when nobody sleeps */

/* Set before the kernel runs (processes get a copy), and by the sender. */
static unsigned cw_rcv = IPC_NO_DOMAIN;
static uint8_t *cw_pages;			/* the sender's string, over two pages */
static const struct ipc_dom *cw_target;	/* the receiver, as the sender sees it */

enum { CW_HELD = 1, CW_HOOKED, CW_RC, CW_CODE, CW_LEN_GOT, CW_AFTER, CW_SEND_RC };

void ipc_hook_sleep(unsigned id, unsigned on)
{
	if (id == cw_rcv && on == cw_rcv)
		kt_val[CW_HOOKED] = 1;
}

/* The sender's copy hit the second page: hold it until the receiver has
 * counted itself a sleeper, and then until it is about to sleep (or the
 * bound), then let the copy go on. */
static void cw_fault(int sig)
{
	(void)sig;
	kt_val[CW_HELD] = 1;
	while (atomic_load(&cw_target->nsleep) == 0)
		sched_yield();
	for (int64_t end = ipc_now_ns() + CW_HOLD_NS; !kt_val[CW_HOOKED] && ipc_now_ns() < end;)
		sched_yield();
	mprotect(cw_pages + CW_PAGE, CW_PAGE, PROT_READ | PROT_WRITE);
}

static long cw_stopped(ipc_domain_t *self)
{
	struct ipc_rcv r = { 0 };

	return ipc_receive(self, &r, 0) == -IPC_EDEAD;
}

static int cw_receiver(ipc_domain_t *self, void *arg)
{
	char buf[CW_LEN];
	struct ipc_rcv r = { .buf = buf, .cap = sizeof buf };

	(void)arg;
	kt_val[CW_RC] = ipc_receive(self, &r, -1);
	kt_val[CW_CODE] = r.code;
	kt_val[CW_LEN_GOT] = (long)r.len;
	kt_val[CW_AFTER] = cw_stopped(self);
	return 0;
}

/* Sends once the receiver is OPEN (spinning), then stays alive and
 * blocked: its exit would wake every sleeper and hide a lost wake-up. */
static int cw_sender(ipc_domain_t *self, void *arg)
{
	struct ipc_rcv r = { 0 };

	(void)arg;
	cw_target = ipc_dom_at(self->sh, cw_rcv);
	cw_pages = mmap(NULL, 2 * CW_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (cw_pages == MAP_FAILED || mprotect(cw_pages + CW_PAGE, CW_PAGE, PROT_NONE) < 0)
		return 1;
	const struct ipc_msg m = { .code = 7, .data = cw_pages + CW_PAGE - CW_LEN / 2, .len = CW_LEN };
	while (ipc_dom_state(cw_target) != IPC_S_OPEN)
		sched_yield();
	kt_val[CW_SEND_RC] = ipc_send(self, 0, &m, 0);
	ipc_receive(self, &r, -1);
	return 0;
}

#define CW_TESTS 4
static void cw_run(enum ipc_mode mode, const char *where)
{
	char mn[32];
	/* A long spin: the sender claims while the receiver spins. */
	const struct ipc_config cfg = { .spin_ns = 200000000 };
	struct kt t;

	snprintf(mn, sizeof mn, "%s%s", kt_mode_name(mode), where);
	kt_begin(&t, mode, &cfg);
	cw_rcv = kt_domain(&t, "receiver", cw_receiver, NULL);
	unsigned s = kt_domain(&t, "sender", cw_sender, NULL);
	kt_grant(&t, s, 0, kt_port(&t, cw_rcv, 0));
	tap_is_int(kt_end(&t), 0, "%s: kernel ran", mn);
	tap_ok(kt_val[CW_HELD] == 1 && kt_val[CW_SEND_RC] == 0,
	       "%s: the sender was held in its copy, then sent", mn);
	tap_ok(kt_val[CW_RC] == 0 && kt_val[CW_CODE] == 7 && kt_val[CW_LEN_GOT] == CW_LEN,
	       "%s: the receiver got it (%ld, code %ld, %ld bytes)", mn, kt_val[CW_RC],
	       kt_val[CW_CODE], kt_val[CW_LEN_GOT]);
	tap_is_int(kt_val[CW_AFTER], 0, "%s: woken by the sender, not by the kernel's stop (asleep on a claimed word: %ld)",
		   mn, kt_val[CW_HOOKED]);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = cw_fault };

	alarm(120);	/* a hang is a failure */
	if (sigaction(SIGSEGV, &sa, NULL) < 0)
		tap_bail("sigaction failed");
	tap_plan(2 * 2 * CW_TESTS);
	kt_modes_then_one_core(cw_run);
	return tap_done();
}
