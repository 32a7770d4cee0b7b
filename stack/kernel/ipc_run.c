/*
 * ipc_run.c - the supervisor at run time: start the domains, notice when
 * one is gone, stop the kernel when nothing can move any more.
 *
 * The supervisor is not on the message path. It sleeps on the events word
 * (a domain whose function returns wakes it) with a short timeout, because
 * a killed process says nothing: the timeout bounds how long a domain
 * blocked on a dead one waits for its -IPC_EDEAD.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define IPC_POLL_NS	10000000	/* check for killed domains every 10 ms */
#define IPC_QUIET_NS	50000000	/* all blocked this long: stop the kernel */
#define IPC_GRACE_NS	2000000000	/* then kill processes still running */

static int ipc_domain_main(struct ipc_slot *s)
{
	struct ipc_shared *sh = s->k->sh;
	struct ipc_domain self = ipc_domain_of(sh, s->id);
	int rc = s->fn(&self, s->arg);

	self.d->result = rc;
	atomic_store(&self.d->exited, 1);
	atomic_fetch_add(&sh->events, 1);
	ipc_futex_wake(&sh->events);
	return rc;
}

static void *ipc_thread_main(void *arg)
{
	ipc_domain_main(arg);
	return NULL;
}

static int ipc_start(ipc_kernel_t *k, struct ipc_slot *s, pid_t parent)
{
	if (k->mode == IPC_MODE_THREAD) {
		if (pthread_create(&s->thread, NULL, ipc_thread_main, s) != 0)
			return -IPC_ESYS;
	} else {
		pid_t pid = fork();
		if (pid < 0)
			return -IPC_ESYS;
		if (pid == 0) {
			/* Die with the supervisor, never outlive it. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(127);
			ipc_populate(k->sh, k->sh->size);
			int rc = ipc_domain_main(s);
			fflush(NULL);
			_exit(rc == 0 ? 0 : 1);
		}
		s->pid = pid;
	}
	s->started = true;
	return 0;
}

/* Reap the domains that are gone; returns how many. */
static unsigned ipc_collect(ipc_kernel_t *k)
{
	unsigned n = 0;

	for (unsigned i = 0; i < k->sh->ndomains; i++) {
		struct ipc_slot *s = &k->slots[i];
		struct ipc_dom *d = ipc_dom_at(k->sh, i);
		bool exited;
		int st = 0;
		if (!s->started || s->done)
			continue;
		if (k->mode == IPC_MODE_THREAD) {
			if (!atomic_load(&d->exited))
				continue;
			pthread_join(s->thread, NULL);
			exited = true;
		} else {
			pid_t r = waitpid(s->pid, &st, WNOHANG);
			if (r == 0 || (r < 0 && errno != ECHILD))
				continue;
			exited = r == s->pid && WIFEXITED(st) && atomic_load(&d->exited);
		}
		s->status = exited ? d->result : -IPC_EDEAD;
		s->done = true;
		s->unmarked = !ipc_reap(k->sh, i);
		n++;
	}
	return n;
}

/* Mark DEAD the domains gone while a live domain was delivering to them. */
static void ipc_mark_late(ipc_kernel_t *k)
{
	for (unsigned i = 0; i < k->sh->ndomains; i++)
		if (k->slots[i].unmarked)
			k->slots[i].unmarked = !ipc_mark_dead(k->sh, i);
}

/* Is domain i asleep with no deadline, and no wake-up since it fell asleep? */
static bool ipc_blocked(const ipc_kernel_t *k, unsigned i)
{
	uint64_t w = atomic_load(&ipc_dom_at(k->sh, i)->waiting);
	unsigned on = (unsigned)(w >> 32);

	return on != 0 && on - 1 < k->sh->ndomains &&
	       atomic_load(&ipc_dom_at(k->sh, on - 1)->seq) == (uint32_t)w;
}

static bool ipc_all_waiting(const ipc_kernel_t *k)
{
	for (unsigned i = 0; i < k->sh->ndomains; i++)
		if (k->slots[i].started && !k->slots[i].done && !ipc_blocked(k, i))
			return false;
	return true;
}

static void ipc_stop(ipc_kernel_t *k, bool kill_processes)
{
	atomic_store(&k->sh->shutdown, 1);
	ipc_wake_all(k->sh);
	for (unsigned i = 0; kill_processes && i < k->sh->ndomains; i++)
		if (k->slots[i].started && !k->slots[i].done)
			kill(k->slots[i].pid, SIGKILL);
}

/* Until every started domain is gone. */
static void ipc_supervise(ipc_kernel_t *k)
{
	struct ipc_shared *sh = k->sh;
	unsigned live = 0;
	int64_t quiet_since = ipc_now_ns(), stop_at = -1;
	uint64_t last = 0;

	for (unsigned i = 0; i < sh->ndomains; i++)
		live += k->slots[i].started;
	for (;;) {
		uint32_t ev = atomic_load(&sh->events);
		live -= ipc_collect(k);
		ipc_mark_late(k);
		if (live == 0)
			return;
		ipc_fail_orphans(sh);
		int64_t now = ipc_now_ns();
		if (!atomic_load(&sh->shutdown)) {
			/* All blocked and no capability or message moved: deadlock. */
			uint64_t e = ipc_epoch_sum(sh);
			if (!ipc_all_waiting(k) || e != last)
				quiet_since = now;
			last = e;
			if (now - quiet_since >= IPC_QUIET_NS)
				ipc_stop(k, false);
		} else if (stop_at < 0) {
			stop_at = now;
		} else if (k->mode == IPC_MODE_PROCESS && now - stop_at >= IPC_GRACE_NS) {
			ipc_stop(k, true);
		}
		ipc_futex_wait(&sh->events, ev, IPC_POLL_NS);
	}
}

int ipc_kernel_run(ipc_kernel_t *k)
{
	int rc = 0;

	if (!k || k->ran)
		return -IPC_EINVAL;
	k->ran = true;
	pid_t parent = getpid();
	if (k->mode == IPC_MODE_PROCESS)
		fflush(NULL);	/* children must not print the parent's buffers */
	for (unsigned i = 0; rc == 0 && i < k->sh->ndomains; i++)
		rc = ipc_start(k, &k->slots[i], parent);
	if (rc < 0)
		ipc_stop(k, k->mode == IPC_MODE_PROCESS);
	ipc_supervise(k);
	for (unsigned i = 0; rc == 0 && i < k->sh->ndomains; i++)
		if (k->slots[i].status != 0)
			rc = -IPC_EDEAD;
	return rc;
}
