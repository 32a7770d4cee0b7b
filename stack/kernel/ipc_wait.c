/*
 * ipc_wait.c - the handoff: spin for spin_ns (yielding, when the peer is on
 * this CPU), then sleep on a futex.
 *
 * Every change a waiter may care about is followed by ipc_wake on the
 * domain whose seq the waiter sleeps on. A sleeper announces itself in
 * nsleep before reading seq, so a waker that sees nsleep == 0 knows the
 * sleeper will see the new seq and not sleep: no lost wake-up, and no
 * system call when nobody sleeps (the cross-core fast path).
 */
#define _GNU_SOURCE
#include "ipc_impl.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int64_t ipc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Not FUTEX_PRIVATE: in process mode the word is in a MAP_SHARED mapping. */
int ipc_futex_wait(_Atomic uint32_t *word, uint32_t val, int64_t timeout_ns)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	if (syscall(SYS_futex, word, FUTEX_WAIT, val, tsp, NULL, 0) < 0 && errno == ETIMEDOUT)
		return -IPC_ETIMEDOUT;
	return 0;
}

void ipc_futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* ipc_wake found a sleeper on d. */
void ipc_wake_sleepers(struct ipc_dom *d)
{
	atomic_fetch_add(&d->seq, 1);
	ipc_futex_wake(&d->seq);
}

/*
 * The test seam of the lost wake-up (tests/kernel/ipc_wake_test.c): a
 * waiter that counted itself in nsleep, read seq and found nothing calls
 * it (its id, the domain whose word it sleeps on) just before it sleeps. Here it does nothing; a test defines its own
 * (this one is weak) to publish a message at that very moment.
 */
__attribute__((weak, noinline)) void ipc_hook_sleep(unsigned id, unsigned on)
{
	(void)id;
	(void)on;
}

/* The wait's body is inlined into each entry point below: with ready known
 * there, the spin tests the word itself, with no call per turn, and the
 * message is taken as soon as the line arrives. */
#define IPC_WAIT_INLINE inline __attribute__((always_inline))

/*
 * A deliverer reads nsleep once, right after its claim (ipc_msg.c), and
 * publishes FULL with a plain store: a waiter that counted itself in
 * nsleep after the claim would miss its wake-up. It sees the claim, so it
 * does not sleep on a claimed word: the message is on its way.
 */
static inline bool ipc_claimed(const struct ipc_dom *d)
{
	unsigned st = ipc_dom_state(d);

	return st == IPC_S_BUSY_OPEN || st == IPC_S_BUSY_REPLY;
}

static inline void ipc_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Why an abortable wait must stop now, or 0. */
static int ipc_wait_abort(const struct ipc_shared *sh, int64_t now, int64_t deadline,
			  unsigned flags)
{
	if (!(flags & IPC_WAIT_ABORTABLE))
		return 0;
	if (atomic_load(&sh->shutdown))
		return -IPC_EDEAD;
	if (deadline >= 0 && now >= deadline)
		return -IPC_ETIMEDOUT;
	return 0;
}

static bool ipc_ran_on(const struct ipc_shared *sh, unsigned id, uint32_t cpu1)
{
	return id < sh->ndomains &&
	       atomic_load_explicit(&ipc_dom_at(sh, id)->cpu, memory_order_relaxed) == cpu1;
}

/*
 * Did a domain likely to act next (the one we last invoked, the one we
 * last heard from) last run on this CPU? Then it cannot run while we
 * spin: yield to it instead (one core).
 */
static bool ipc_peer_here(const struct ipc_shared *sh, struct ipc_dom *me)
{
	int cpu = sched_getcpu();

	if (cpu < 0)
		return false;
	uint32_t cpu1 = (uint32_t)cpu + 1;
	ipc_set_quiet(&me->cpu, cpu1);
	return ipc_ran_on(sh, atomic_load_explicit(&me->peer, memory_order_relaxed), cpu1) ||
	       ipc_ran_on(sh, atomic_load_explicit(&me->from, memory_order_relaxed), cpu1);
}

/*
 * Spin up to spin_ns: 0 once ready, 1 when the time is up, or an abort.
 * With yield, give the CPU to the peer at each turn instead of pausing: on
 * one CPU it then runs at once, and nobody needs a futex to wake us.
 * Pausing, the clock is first read after 64 turns, not before the first:
 * a cross-core reply often comes within them, and a clock read (tens of
 * ns under a hypervisor) would stand between it and its taker.
 */
static IPC_WAIT_INLINE int ipc_spin(const struct ipc_shared *sh, ipc_ready_fn ready,
				    const void *ctx, int64_t deadline, unsigned flags, bool yield)
{
	int64_t start = -1;
	int rc;

	for (unsigned i = 0;; i++) {
		if (ready(ctx))
			return 0;
		if (yield || (i & 63) == 63) {
			int64_t now = ipc_now_ns();
			if (start < 0)
				start = now;
			if ((rc = ipc_wait_abort(sh, now, deadline, flags)) < 0)
				return rc;
			if (now - start >= (int64_t)sh->spin_ns)
				return 1;
		}
		if (yield)
			sched_yield();
		else
			ipc_cpu_relax();
	}
}

/*
 * Wait until ready(ctx), sleeping on on->seq; me is the waiting domain (its
 * "waiting" word tells the supervisor it is blocked). deadline is absolute
 * (ipc_now_ns), or < 0. Returns 0, or with IPC_WAIT_ABORTABLE -IPC_EDEAD on
 * shutdown and -IPC_ETIMEDOUT past the deadline.
 */
static IPC_WAIT_INLINE int ipc_wait_on(const struct ipc_shared *sh, struct ipc_dom *on,
				       struct ipc_dom *me, ipc_ready_fn ready, const void *ctx,
				       int64_t deadline, unsigned flags)
{
	int64_t now;
	int rc;

	if (ready(ctx))
		return 0;
	if ((rc = ipc_spin(sh, ready, ctx, deadline, flags, ipc_peer_here(sh, me))) <= 0)
		return rc;
	for (;;) {
		atomic_fetch_add(&on->nsleep, 1);
		uint32_t s = atomic_load(&on->seq);
		now = ipc_now_ns();
		rc = ready(ctx) ? 1 : ipc_wait_abort(sh, now, deadline, flags);
		/* Claimed: its deliverer may not wake us. Not claimed but ready
		 * now: FULL came between the two reads, from a claim that may
		 * have seen nobody asleep. Either way, look again, awake. */
		if (rc == 0 && on == me && (ipc_claimed(me) || ready(ctx))) {
			sched_yield();
		} else if (rc == 0) {
			bool forever = deadline < 0 || !(flags & IPC_WAIT_ABORTABLE);
			if (forever)
				atomic_store(&me->waiting,
					     ipc_waiting((unsigned)(on - ipc_dom_at(sh, 0)), s));
			ipc_hook_sleep((unsigned)(me - ipc_dom_at(sh, 0)),
				       (unsigned)(on - ipc_dom_at(sh, 0)));
			ipc_futex_wait(&on->seq, s, forever ? -1 : deadline - now);
			if (forever)
				atomic_store(&me->waiting, 0);
		}
		atomic_fetch_sub(&on->nsleep, 1);
		if (rc)
			return rc > 0 ? 0 : rc;
	}
}

int ipc_wait(const struct ipc_shared *sh, struct ipc_dom *on, struct ipc_dom *me,
	     ipc_ready_fn ready, const void *ctx, int64_t deadline, unsigned flags)
{
	return ipc_wait_on(sh, on, me, ready, ctx, deadline, flags);
}

/* Wait in OPEN or WAIT_REPLY until me is FULL (ipc_await): the hot wait. */
int ipc_wait_full(const struct ipc_shared *sh, struct ipc_dom *me, int64_t deadline)
{
	return ipc_wait_on(sh, me, me, ipc_ready_full, me, deadline, IPC_WAIT_ABORTABLE);
}

/* Wait in ipc_call for the reply in the callee's line or a message in our
 * own (ipc_ready_reply): the caller's hot wait. Sleeping on our own seq:
 * the callee reads our nsleep after its reply's seq_cst store. */
int ipc_wait_reply(const struct ipc_shared *sh, struct ipc_dom *me, const struct ipc_rwatch *w)
{
	return ipc_wait_on(sh, me, me, ipc_ready_reply, w, -1, IPC_WAIT_ABORTABLE);
}
