/*
 * ipc_reap.c - fault handling, run by the supervisor only.
 *
 * When a domain is gone (its process exited or was killed, or its thread
 * returned), the supervisor undoes what it left half done (claims it held
 * on other domains, its place in sender queues, a queue lock it held) and
 * marks it DEAD, once no live domain is delivering to it. Then it fails every caller whose reply capability no
 * live domain holds any more (an orphan). Every waiter re-checks after the
 * wake-up, so each domain blocked on the dead one gets -IPC_EDEAD.
 */
#include "ipc_impl.h"

void ipc_wake_all(struct ipc_shared *sh)
{
	for (unsigned i = 0; i < sh->ndomains; i++)
		ipc_wake(ipc_dom_at(sh, i));
}

uint64_t ipc_epoch_sum(const struct ipc_shared *sh)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < sh->ndomains; i++)
		sum += atomic_load(&ipc_dom_at(sh, i)->epoch);
	return sum;
}

/* Domain t, claimed in BUSY_REPLY (by the kernel, or by a receiver
 * refusing its call, ipc_msg.c), ends its call with err. */
void ipc_fail_wait(const struct ipc_shared *sh, unsigned t, uint64_t claimed, int err)
{
	struct ipc_dom *d = ipc_dom_at(sh, t);

	d->h.code = (uint32_t)err;
	atomic_store_explicit(&d->h.meta, 0, memory_order_relaxed);
	atomic_store_explicit(&d->h.reply, 0, memory_order_relaxed);
	atomic_store(&d->h.rword, ipc_rw(IPC_S_FULL, IPC_KERNEL_ID, ipc_rw_gen(claimed)));
	ipc_wake(d);
}

/* Does live domain h hold capability c, in its table or in a message? */
static bool ipc_holds(const struct ipc_shared *sh, unsigned h, uint64_t c)
{
	struct ipc_dom *d = ipc_dom_at(sh, h);
	unsigned st = ipc_dom_state(d);
	_Atomic uint64_t *tab = ipc_caps_of(sh, h);

	if (st == IPC_S_DEAD)
		return false;
	/* Header before table: the receiver fills its table before leaving FULL. */
	if (st == IPC_S_BUSY_OPEN || st == IPC_S_BUSY_REPLY || st == IPC_S_FULL) {
		if (atomic_load(&d->h.reply) == c)
			return true;
		unsigned n = ipc_meta_ncaps(atomic_load(&d->h.meta));
		for (unsigned i = 0; i < n && i < IPC_MAX_CAPS; i++)
			if (atomic_load(&d->caps[i]) == c)
				return true;
	}
	for (unsigned s = 0; s < sh->slots; s++)
		if (atomic_load(&tab[s]) == c)
			return true;
	return false;
}

/* Is c held by any live domain but t? Unsure (caps moved meanwhile): yes. */
static bool ipc_held(const struct ipc_shared *sh, unsigned t, uint64_t c)
{
	for (int tries = 0; tries < 4; tries++) {
		uint64_t before = ipc_epoch_sum(sh);
		bool held = false;
		for (unsigned h = 0; h < sh->ndomains && !held; h++)
			held = h != t && ipc_holds(sh, h, c);
		if (held || ipc_epoch_sum(sh) == before)
			return held;
	}
	return true;
}

static bool ipc_is_dead(const struct ipc_shared *sh, unsigned id)
{
	return id < sh->ndomains && ipc_dom_state(ipc_dom_at(sh, id)) == IPC_S_DEAD;
}

/*
 * A caller whose reply capability is delegated to a dead callee's line
 * gets -IPC_EDEAD: that line held the only copy, and a dead callee is
 * marked DEAD only once its line holds no reply still to be taken
 * (ipc_mark_dead).
 */
static void ipc_fail_delegated(struct ipc_shared *sh, unsigned t, uint64_t rw)
{
	if (ipc_rw_state(rw) != IPC_S_WAIT_AT || !ipc_is_dead(sh, ipc_rw_claimer(rw)))
		return;
	uint64_t claimed = ipc_rw(IPC_S_BUSY_REPLY, IPC_KERNEL_ID, ipc_rw_gen(rw) + 1);
	if (atomic_compare_exchange_strong(&ipc_dom_at(sh, t)->h.rword, &rw, claimed))
		ipc_fail_wait(sh, t, claimed, IPC_EDEAD);
}

void ipc_fail_orphans(struct ipc_shared *sh)
{
	for (unsigned t = 0; t < sh->ndomains; t++) {
		struct ipc_dom *d = ipc_dom_at(sh, t);
		uint64_t rw = atomic_load(&d->h.rword);
		ipc_fail_delegated(sh, t, rw);
		if (ipc_rw_state(rw) != IPC_S_WAIT_REPLY)
			continue;
		uint32_t g = ipc_rw_gen(rw);
		if (ipc_held(sh, t, ipc_cap(IPC_CAP_REPLY, t, g)))
			continue;
		uint64_t claimed = ipc_rw(IPC_S_BUSY_REPLY, IPC_KERNEL_ID, g + 1);
		if (atomic_compare_exchange_strong(&d->h.rword, &rw, claimed))
			ipc_fail_wait(sh, t, claimed, IPC_EDEAD);
	}
}

/*
 * Mark domain dead DEAD, unless another domain is delivering to it: that
 * one publishes FULL with a plain store (ipc_msg.c), which would overwrite
 * DEAD. Then false: the supervisor tries again at its next turn (the
 * claimer finishes, or dies and its own reaping undoes the claim). Nor
 * while its line holds a reply its caller, waiting, has not taken: the
 * caller gets it, as if the reply had gone to the caller's line.
 */
static bool ipc_reply_untaken(const struct ipc_shared *sh, unsigned id, uint64_t rw)
{
	if (ipc_rw_state(rw) != IPC_S_OPEN_REPLIED)
		return false;
	uint64_t c = atomic_load(&ipc_dom_at(sh, id)->h.reply);
	return ipc_cap_obj(c) < sh->ndomains &&
	       atomic_load(&ipc_dom_at(sh, ipc_cap_obj(c))->h.rword) ==
		       ipc_rw(IPC_S_WAIT_AT, id, ipc_cap_gen(c));
}

bool ipc_mark_dead(struct ipc_shared *sh, unsigned dead)
{
	struct ipc_dom *x = ipc_dom_at(sh, dead);
	uint64_t rw = atomic_load(&x->h.rword);

	do {
		unsigned st = ipc_rw_state(rw);
		if (st == IPC_S_BUSY_OPEN || st == IPC_S_BUSY_REPLY ||
		    ipc_reply_untaken(sh, dead, rw))
			return false;
	} while (!atomic_compare_exchange_weak(&x->h.rword, &rw,
					       ipc_rw(IPC_S_DEAD, 0, ipc_rw_gen(rw))));
	ipc_wake_all(sh);
	ipc_fail_orphans(sh);
	return true;
}

bool ipc_reap(struct ipc_shared *sh, unsigned dead)
{
	for (unsigned t = 0; t < sh->ndomains; t++) {
		struct ipc_dom *d = ipc_dom_at(sh, t);
		if (t == dead)
			continue;
		ipc_queue_remove(sh, t, dead);
		uint64_t rw = atomic_load(&d->h.rword);
		if (ipc_rw_claimer(rw) != dead)
			continue;
		if (ipc_rw_state(rw) == IPC_S_BUSY_OPEN) {
			/* Died while filling t: t never saw it and waits on. */
			atomic_store(&d->h.rword, ipc_rw(IPC_S_OPEN, 0, ipc_rw_gen(rw)));
		} else if (ipc_rw_state(rw) == IPC_S_BUSY_REPLY) {
			ipc_fail_wait(sh, t, rw, IPC_EDEAD);
		}
	}
	ipc_wake_all(sh);
	return ipc_mark_dead(sh, dead);
}
