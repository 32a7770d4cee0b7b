/*
 * ipc_queue.c - the FIFO of senders waiting for one receiver.
 *
 * A ring of domain ids per receiver, guarded by a lock whose word names
 * its holder, so the supervisor can take it back from a dead holder. Every
 * change is committed by one store of head << 16 | length, so a holder
 * that dies in the middle leaves the ring as it was. Removal from the
 * middle leaves a tombstone, skipped when it reaches the front; each id is
 * in at most one place, so the ring (max_domains entries) never overflows.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"

#include <sched.h>
#include <time.h>

/* May the lock held by word value v be taken from its holder? */
static bool ipc_qlock_stale(const struct ipc_shared *sh, uint32_t v, unsigned who)
{
	return who == IPC_KERNEL_ID && v - 1 < sh->ndomains &&
	       ipc_dom_state(ipc_dom_at(sh, v - 1)) == IPC_S_DEAD;
}

static void ipc_qlock(const struct ipc_shared *sh, struct ipc_dom *t, unsigned who)
{
	for (unsigned i = 0;; i++) {
		uint32_t v = atomic_load(&t->qlock);
		if ((v == 0 || ipc_qlock_stale(sh, v, who)) &&
		    atomic_compare_exchange_weak(&t->qlock, &v, who + 1))
			return;
		if (i > 100000) {	/* the holder is dead and not yet reaped */
			struct timespec ts = { 0, 50000 };
			nanosleep(&ts, NULL);
		} else if (i > 100) {
			sched_yield();
		}
	}
}

static void ipc_qunlock(struct ipc_dom *t)
{
	atomic_store(&t->qlock, 0);
}

int ipc_queue_add(const struct ipc_shared *sh, unsigned target, unsigned who)
{
	struct ipc_dom *t = ipc_dom_at(sh, target);
	_Atomic uint16_t *q = ipc_queue_of(sh, target);
	unsigned n = sh->max_domains;

	ipc_qlock(sh, t, who);
	uint32_t hl = atomic_load(&t->qhl);
	unsigned head = hl >> 16, len = hl & 0xffffu;
	if (len >= n) {
		ipc_qunlock(t);
		return -IPC_ENOMEM;
	}
	atomic_store(&q[(head + len) % n], (uint16_t)who);
	atomic_store(&t->qhl, head << 16 | (len + 1));
	ipc_qunlock(t);
	return 0;
}

unsigned ipc_queue_front(const struct ipc_shared *sh, unsigned target)
{
	uint32_t hl = atomic_load(&ipc_dom_at(sh, target)->qhl);

	if ((hl & 0xffffu) == 0)
		return IPC_QNONE;
	return atomic_load(&ipc_queue_of(sh, target)[hl >> 16]);
}

/* Remove who from target's queue (if there); wake the new front. */
void ipc_queue_remove(const struct ipc_shared *sh, unsigned target, unsigned who)
{
	struct ipc_dom *t = ipc_dom_at(sh, target);
	_Atomic uint16_t *q = ipc_queue_of(sh, target);
	unsigned n = sh->max_domains, locker = who;

	if (ipc_dom_state(ipc_dom_at(sh, who)) == IPC_S_DEAD)
		locker = IPC_KERNEL_ID;		/* the supervisor reaping who */
	ipc_qlock(sh, t, locker);
	uint32_t hl = atomic_load(&t->qhl);
	unsigned head = hl >> 16, len = hl & 0xffffu, front = IPC_QNONE;
	for (unsigned i = 0; i < len; i++) {
		if (atomic_load(&q[(head + i) % n]) == who) {
			atomic_store(&q[(head + i) % n], IPC_QTOMB);
			break;
		}
	}
	while (len > 0 && atomic_load(&q[head]) == IPC_QTOMB) {
		head = (head + 1) % n;
		len--;
	}
	if (len > 0)
		front = atomic_load(&q[head]);
	atomic_store(&t->qhl, head << 16 | len);
	ipc_qunlock(t);
	if (front != IPC_QNONE)
		ipc_wake(ipc_dom_at(sh, front));
}
