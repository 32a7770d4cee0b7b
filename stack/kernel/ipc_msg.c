/*
 * ipc_msg.c - the domain side: Send, CallAndWait, ReturnAndReceive, Receive.
 *
 * The fast path runs in the invoking domain and touches only the shared
 * mapping: claim the receiver with one compare-and-swap on its handoff
 * line, copy the string straight into the receiver's inbox (ipc_copy),
 * write the header into the same line, publish FULL. The reply to a call
 * goes back in that same line (ipc_reply_here), where the caller polls:
 * a null round trip moves one line, the callee's handoff line, one way
 * and back; the caps line and the string's lines only when there are
 * some. The receiver sees nothing before FULL (the caller nothing before
 * OPEN_REPLIED), so never a torn message; a deliverer that dies before
 * FULL has its claim undone by the supervisor (ipc_reap.c).
 */
#include "ipc_impl.h"
#include "ipc_copy.h"

#include <string.h>

/* The steps of a message, each inlined into the four calls of the API: a
 * null call's path is then straight code, not a chain of calls spilling
 * and reloading the same registers. */
#define IPC_FAST inline __attribute__((always_inline))

/* A message checked and ready to deliver to a target. */
struct ipc_out {
	const struct ipc_msg *m;
	uint64_t caps[IPC_MAX_CAPS];
	uint64_t reply;			/* fabricated reply capability, or 0 */
	uint64_t badge;
	uint64_t cap;			/* the capability invoked */
	uint16_t slot;			/* where the invoker holds it */
	unsigned tid;			/* the domain it names */
};

/* What a waiter on another domain watches. */
struct ipc_watch {
	const struct ipc_shared *sh;
	unsigned target, me;
};

bool ipc_holds_delegated(const struct ipc_shared *sh, unsigned id, uint64_t c)
{
	if (id >= sh->ndomains)
		return false;
	const struct ipc_hand *h = &ipc_dom_at(sh, id)->h;
	uint64_t rw = atomic_load(&h->rword);

	return ipc_rw_state(rw) == IPC_S_FULL && ipc_rw_claimer(rw) == ipc_cap_obj(c) &&
	       atomic_load(&h->reply) == c;
}

bool ipc_reply_valid(const struct ipc_shared *sh, uint64_t c)
{
	if (ipc_cap_obj(c) >= sh->ndomains)
		return false;
	uint64_t rw = atomic_load(&ipc_dom_at(sh, ipc_cap_obj(c))->h.rword);
	unsigned st = ipc_rw_state(rw);
	if (ipc_rw_gen(rw) != ipc_cap_gen(c))
		return false;
	if (st == IPC_S_WAIT_AT)
		return ipc_holds_delegated(sh, ipc_rw_claimer(rw), c);
	return st == IPC_S_CALLING || st == IPC_S_WAIT_REPLY;
}

/*
 * Give reply capability c, delegated to domain me's line, back to its
 * caller's line (WAIT_AT -> WAIT_REPLY): from then on
 * it is claimed there, as any reply capability. Nothing to do if the
 * caller is no longer waiting for it (dead, or its wait given up).
 */
static void ipc_undelegate(const struct ipc_shared *sh, uint64_t c, unsigned me)
{
	struct ipc_dom *cd = ipc_dom_at(sh, ipc_cap_obj(c));
	uint64_t rw = atomic_load(&cd->h.rword);

	if (rw == ipc_rw(IPC_S_WAIT_AT, me, ipc_cap_gen(c)))	/* fails only if the caller gave up or died meanwhile */
		atomic_compare_exchange_strong(&cd->h.rword, &rw,
					       ipc_rw(IPC_S_WAIT_REPLY, 0, ipc_cap_gen(c)));
}

/*
 * Does the domain (its line rw, h) hold the reply capability of the call
 * it took, delegated to this line? Taking a message leaves the line FULL
 * (ipc_take), so the reply capability stays in the header.
 */
static inline uint64_t ipc_held_reply(uint64_t rw, const struct ipc_hand *h)
{
	if (ipc_rw_state(rw) != IPC_S_FULL || ipc_rw_claimer(rw) == IPC_KERNEL_ID)
		return 0;
	return atomic_load_explicit(&h->reply, memory_order_relaxed);
}

/*
 * Leave the hold: the reply capability held in our line goes back to its
 * caller's line (ipc_impl.h), before this domain passes it on, drops it,
 * or uses its own line for anything but the reply. Only the domain
 * writes its line now, so RUNNING is a plain store.
 */
static __attribute__((noinline, cold)) void ipc_give_back(const struct ipc_domain *self,
							    uint64_t rw, uint64_t c)
{
	ipc_undelegate(self->sh, c, self->id);
	atomic_store_explicit(&self->d->h.rword, ipc_rw(IPC_S_RUNNING, 0, ipc_rw_gen(rw)),
			      memory_order_release);
}

/* The test inline, the rare work out of line: a send or a receive that
 * holds nothing (the IPC wire's) pays two loads and a branch. */
static inline void ipc_release_hold(const struct ipc_domain *self)
{
	const struct ipc_hand *h = &self->d->h;
	uint64_t rw = atomic_load_explicit(&h->rword, memory_order_relaxed);
	uint64_t c = ipc_held_reply(rw, h);

	if (c)
		ipc_give_back(self, rw, c);
}

/*
 * Tell the supervisor a message or capability moved. Only the domain
 * writes its epoch, so a plain store does: no locked instruction on the
 * fast path. What it did before is visible first (release).
 */
static void ipc_bump_epoch(struct ipc_dom *d)
{
	atomic_store_explicit(&d->epoch, atomic_load_explicit(&d->epoch, memory_order_relaxed) + 1,
			      memory_order_release);
}

static IPC_FAST int ipc_lookup(const struct ipc_domain *self, uint16_t slot, uint64_t *cap)
{
	if (slot >= self->sh->slots)
		return -IPC_EBADSLOT;
	*cap = atomic_load(&self->tab[slot]);
	return ipc_cap_type(*cap) == IPC_CAP_EMPTY ? -IPC_EBADSLOT : 0;
}

static IPC_FAST int ipc_prepare(const struct ipc_domain *self, const struct ipc_msg *m,
		       struct ipc_out *o)
{
	if (!m || m->ncaps > IPC_MAX_CAPS || (m->len && !m->data))
		return -IPC_EINVAL;
	if (m->len > IPC_MAX_STRING)
		return -IPC_ETOOBIG;
	o->m = m;
	for (unsigned i = 0; i < m->ncaps; i++) {	/* deliver reads no further */
		int rc = ipc_lookup(self, m->caps[i], &o->caps[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Claimed t's line from OPEN_REPLIED: its reply to another caller is
 * still there. If that caller has not taken it (it waits, with the
 * capability's gen, on t's line), it goes to the caller's own line, as a
 * reply through the general path would; the caller takes it from there
 * (its own take, a compare-and-swap on its line, and this one's decide
 * who has it). A caller dead meanwhile: the reply is dropped, counted.
 */
static __attribute__((noinline)) void ipc_forward_reply(struct ipc_shared *sh, unsigned tid,
							 unsigned me)
{
	const struct ipc_hand *h = &ipc_dom_at(sh, tid)->h;
	uint64_t c = atomic_load_explicit(&h->reply, memory_order_relaxed);
	struct ipc_dom *cd = ipc_dom_at(sh, ipc_cap_obj(c));
	uint64_t rw = ipc_rw(IPC_S_WAIT_AT, tid, ipc_cap_gen(c));

	if (!atomic_compare_exchange_strong(&cd->h.rword, &rw,
					    ipc_rw(IPC_S_BUSY_REPLY, me, ipc_cap_gen(c) + 1))) {
		if (rw == ipc_rw(IPC_S_DEAD, 0, ipc_cap_gen(c)))
			atomic_fetch_add(&sh->dropped, 1);
		return;
	}
	cd->h.code = h->code;
	memcpy(cd->h.w, h->w, sizeof h->w);
	cd->h.badge = h->badge;
	atomic_store_explicit(&cd->h.meta, atomic_load_explicit(&h->meta, memory_order_relaxed),
			      memory_order_relaxed);
	atomic_store_explicit(&cd->h.reply, 0, memory_order_relaxed);
	atomic_store(&cd->h.rword, ipc_rw(IPC_S_FULL, me, ipc_cap_gen(c) + 1));
	ipc_wake(cd);
}

/* Claim t, receiving: OPEN, or OPEN_REPLIED (receiving again, its reply
 * to the last caller still in the line: ipc_forward_reply). That caller,
 * calling again, took its reply before. */
static IPC_FAST bool ipc_claim_open(struct ipc_shared *sh, unsigned tid, unsigned me)
{
	struct ipc_dom *t = ipc_dom_at(sh, tid);
	uint64_t rw = atomic_load(&t->h.rword);
	unsigned st = ipc_rw_state(rw);

	if ((st != IPC_S_OPEN && st != IPC_S_OPEN_REPLIED) ||
	    !atomic_compare_exchange_strong(&t->h.rword, &rw,
					    ipc_rw(IPC_S_BUSY_OPEN, me, ipc_rw_gen(rw))))
		return false;
	if (st == IPC_S_OPEN_REPLIED && ipc_rw_claimer(rw) != me)
		ipc_forward_reply(sh, tid, me);
	return true;
}

static bool ipc_ready_front(const void *ctx)
{
	const struct ipc_watch *w = ctx;

	return ipc_queue_front(w->sh, w->target) == w->me ||
	       ipc_dom_state(ipc_dom_at(w->sh, w->target)) == IPC_S_DEAD;
}

static bool ipc_ready_open(const void *ctx)
{
	const struct ipc_watch *w = ctx;
	unsigned st = ipc_dom_state(ipc_dom_at(w->sh, w->target));

	return st == IPC_S_OPEN || st == IPC_S_OPEN_REPLIED || st == IPC_S_DEAD;
}

/* Claim domain tid, not OPEN at once or with senders queued: join its queue. */
static __attribute__((noinline)) int ipc_claim_queued(const struct ipc_domain *self,
						      unsigned tid, unsigned flags)
{
	const struct ipc_shared *sh = self->sh;
	struct ipc_dom *t = ipc_dom_at(sh, tid);
	int rc;

	if (ipc_dom_state(t) == IPC_S_DEAD)
		return -IPC_EDEAD;
	if (flags & IPC_NONBLOCK)
		return -IPC_EAGAIN;
	if ((rc = ipc_queue_add(sh, tid, self->id)) < 0)
		return rc;
	struct ipc_watch w = { sh, tid, self->id };
	rc = ipc_wait(sh, self->d, self->d, ipc_ready_front, &w, -1, IPC_WAIT_ABORTABLE);
	while (rc == 0) {
		if (ipc_dom_state(t) == IPC_S_DEAD) {
			rc = -IPC_EDEAD;
		} else if (ipc_claim_open(self->sh, tid, self->id)) {
			ipc_queue_remove(sh, tid, self->id);
			return 0;
		} else {
			rc = ipc_wait(sh, t, self->d, ipc_ready_open, &w, -1, IPC_WAIT_ABORTABLE);
		}
	}
	ipc_queue_remove(sh, tid, self->id);
	return rc;
}

/* Claim domain tid through an entry port: senders are served in FIFO order. */
static IPC_FAST int ipc_claim_entry(const struct ipc_domain *self, unsigned tid, unsigned flags)
{
	struct ipc_dom *t = ipc_dom_at(self->sh, tid);

	if (tid == self->id)	/* would wait for itself forever */
		return (flags & IPC_NONBLOCK) ? -IPC_EAGAIN : -IPC_EINVAL;
	if (atomic_load(&self->sh->shutdown))
		return -IPC_EDEAD;
	if (ipc_queue_len(t) == 0 && ipc_claim_open(self->sh, tid, self->id))
		return 0;
	return ipc_claim_queued(self, tid, flags);
}

/* Claim the domain a reply capability names; this voids every copy. */
static IPC_FAST int ipc_claim_reply(const struct ipc_domain *self, uint64_t c)
{
	struct ipc_dom *t = ipc_dom_at(self->sh, ipc_cap_obj(c));
	uint32_t g = ipc_cap_gen(c);
	uint64_t rw = atomic_load(&t->h.rword);

	for (;;) {
		unsigned st = ipc_rw_state(rw);
		if (ipc_rw_gen(rw) != g)
			return -IPC_ECONSUMED;
		if (st == IPC_S_DEAD)
			return -IPC_EDEAD;
		if (st != IPC_S_CALLING && st != IPC_S_WAIT_REPLY)
			return -IPC_ECONSUMED;
		if (atomic_compare_exchange_weak(&t->h.rword, &rw,
						 ipc_rw(IPC_S_BUSY_REPLY, self->id, g + 1)))
			return 0;
	}
}

/*
 * Has claimed domain tid room for need capabilities? Its empty slots and
 * void reply caps stay so while it is claimed (only it fills its table,
 * on taking a message), and its install takes no other. Scalars, not the
 * ipc_out: its address taken would keep it in memory on every path.
 */
static __attribute__((noinline, cold)) bool ipc_has_room(const struct ipc_shared *sh, unsigned tid,
						   unsigned need)
{
	const _Atomic uint64_t *tab = ipc_caps_of(sh, tid);

	for (unsigned s = 0; s < sh->slots && need; s++) {
		uint64_t c = atomic_load_explicit(&tab[s], memory_order_relaxed);
		if (c == 0 || (ipc_cap_type(c) == IPC_CAP_REPLY && !ipc_reply_valid(sh, c)))
			need--;
	}
	return need == 0;
}

/*
 * No room: give the claim back, so that the message is refused whole and
 * the sender is told. A reply capability is valid again, as if this
 * sender had not invoked it (so its slot is not spent); a caller claimed
 * in CALLING goes on to WAIT_REPLY anyway. Fails only if the target was
 * reaped meanwhile.
 */
static __attribute__((noinline, cold)) int ipc_unclaim(const struct ipc_domain *self, unsigned tid)
{
	const struct ipc_shared *sh = self->sh;
	struct ipc_dom *t = ipc_dom_at(sh, tid);
	uint64_t rw = atomic_load(&t->h.rword);
	uint64_t back = ipc_rw_state(rw) == IPC_S_BUSY_OPEN ? ipc_rw(IPC_S_OPEN, 0, ipc_rw_gen(rw))
				: ipc_rw(IPC_S_WAIT_REPLY, 0, ipc_rw_gen(rw) - 1);

	if (ipc_rw_state(rw) == IPC_S_BUSY_REPLY)
		self->d->spent_cap = 0;

	if (!atomic_compare_exchange_strong(&t->h.rword, &rw, back))
		return -IPC_EDEAD;
	ipc_wake(t);	/* queued senders wait for OPEN */
	return -IPC_ENOMEM;
}

/*
 * Fill the claimed domain o->tid and publish FULL. Nobody else writes a
 * claimed word (the supervisor waits for a live claimer, ipc_reap.c), so
 * FULL is a plain release store, not a second locked instruction. Whom
 * to wake is read once, after the claim (a full barrier): a waiter that
 * comes later sees the claim and does not sleep (ipc_wait.c).
 */
static IPC_FAST int ipc_deliver(const struct ipc_domain *self, const struct ipc_out *o)
{
	struct ipc_dom *t = ipc_dom_at(self->sh, o->tid);
	struct ipc_hand *h = &t->h;
	const struct ipc_msg *m = o->m;
	uint32_t sleepers = atomic_load(&t->nsleep);
	size_t n = 0;

	if (m->ncaps) {	/* all or nothing: the sender is told */
		if (!ipc_has_room(self->sh, o->tid, m->ncaps + (o->reply != 0)))
			return ipc_unclaim(self, o->tid);
		for (unsigned i = 0; i < m->ncaps; i++)
			atomic_store_explicit(&t->caps[i], o->caps[i], memory_order_relaxed);
	}
	if (m->len)	/* a null message leaves the receive line alone (ipc_impl.h) */
		n = m->len < t->rcap ? m->len : t->rcap;
	if (n)
		ipc_copy_for(ipc_inbox_of(self->sh, o->tid) + t->roff, m->data, n,
			     t->rflags & IPC_RCV_SINK);
	h->code = m->code;
	memcpy(h->w, m->w, sizeof h->w);
	h->badge = o->badge;
	atomic_store_explicit(&h->meta, ipc_meta((uint32_t)n, m->ncaps), memory_order_relaxed);
	atomic_store_explicit(&h->reply, o->reply, memory_order_relaxed);

	uint64_t rw = atomic_load_explicit(&h->rword, memory_order_relaxed);
	atomic_store_explicit(&h->rword, ipc_rw(IPC_S_FULL, self->id, ipc_rw_gen(rw)),
			      memory_order_release);
	if (sleepers)
		ipc_wake_sleepers(t);
	ipc_bump_epoch(self->d);
	return 0;
}

/*
 * Check m and the capability in slot, and ask for the target's handoff
 * line for writing, so that its transfer overlaps what the caller does
 * before the claim. A message passing capabilities, or invoking the
 * reply capability held in our line, first gives that one back to its
 * caller's line.
 */
static IPC_FAST int ipc_aim(const struct ipc_domain *self, uint16_t slot, const struct ipc_msg *m,
		   struct ipc_out *o)
{
	int rc;

	if ((rc = ipc_lookup(self, slot, &o->cap)) < 0 || (rc = ipc_prepare(self, m, o)) < 0)
		return rc;
	o->slot = slot;
	o->reply = 0;
	if (ipc_cap_type(o->cap) == IPC_CAP_ENTRY) {
		const struct ipc_port *p = ipc_port_at(self->sh, ipc_cap_obj(o->cap));
		o->tid = p->owner;
		o->badge = p->badge;
	} else {
		o->tid = ipc_cap_obj(o->cap);
		o->badge = 0;
	}
	ipc_set_quiet(&self->d->peer, o->tid);
	if (m->ncaps || o->cap == atomic_load_explicit(&self->d->h.reply, memory_order_relaxed))
		ipc_release_hold(self);
	ipc_prefetch_write(&ipc_dom_at(self->sh, o->tid)->h);
	return 0;
}

/*
 * Claim the target of an aimed message and deliver it. A reply capability
 * claimed is void from then on: its slot takes the next one received.
 */
static IPC_FAST int ipc_fire(const struct ipc_domain *self, const struct ipc_out *o, unsigned flags)
{
	int rc;

	if (ipc_cap_type(o->cap) == IPC_CAP_ENTRY) {
		rc = ipc_claim_entry(self, o->tid, flags);
	} else if ((rc = ipc_claim_reply(self, o->cap)) == 0) {
		self->d->spent_slot = o->slot;
		self->d->spent_cap = o->cap;
	}
	return rc < 0 ? rc : ipc_deliver(self, o);
}

static IPC_FAST int ipc_invoke(const struct ipc_domain *self, uint16_t slot, const struct ipc_msg *m,
		      unsigned flags)
{
	struct ipc_out o;
	int rc = ipc_aim(self, slot, m, &o);

	return rc < 0 ? rc : ipc_fire(self, &o, flags);
}

/*
 * A free slot of the domain's table, reclaiming void reply caps if full.
 * The search goes on from the last slot found: a server that takes a reply
 * capability with each call finds the next slot free at once, and reclaims
 * the used ones in one sweep when the table is full.
 */
static int ipc_find_free(const struct ipc_domain *self, _Atomic uint64_t *tab, unsigned n)
{
	unsigned s = self->d->slot_hint;

	if (s >= n)
		s = 0;
	for (unsigned i = 0; i < n; i++, s = s + 1 == n ? 0 : s + 1)
		if (atomic_load_explicit(&tab[s], memory_order_relaxed) == 0) {
			self->d->slot_hint = s + 1;
			return (int)s;
		}
	return -IPC_ENOMEM;
}

static int ipc_free_slot(const struct ipc_domain *self)
{
	_Atomic uint64_t *tab = self->tab;
	unsigned n = self->sh->slots;
	int s = ipc_find_free(self, tab, n);

	if (s >= 0)
		return s;
	for (unsigned j = 0; j < n; j++) {
		uint64_t c = atomic_load(&tab[j]);
		if (ipc_cap_type(c) == IPC_CAP_REPLY && !ipc_reply_valid(self->sh, c))
			atomic_store(&tab[j], 0);
	}
	return ipc_find_free(self, tab, n);
}

static int ipc_install_one(const struct ipc_domain *self, uint64_t c, uint16_t *slot)
{
	int s = ipc_free_slot(self);

	if (s < 0)
		return s;
	/* Relaxed: the epoch bump and the release of FULL that follow publish
	 * it to the supervisor (ipc_reap.c); a seq_cst store would be a locked
	 * instruction on the server's side of every call. */
	atomic_store_explicit(&self->tab[s], c, memory_order_relaxed);
	*slot = (uint16_t)s;
	return 0;
}

/*
 * Install a received reply capability: in the slot of the one this domain
 * used up last, if that slot still holds it (void for good, so nobody
 * loses anything), else in a free slot. A server that answers each call
 * before taking the next gets every reply capability in one slot, rearmed
 * with the new generation, with no search.
 */
static IPC_FAST int ipc_install_reply(const struct ipc_domain *self, uint64_t c, uint16_t *slot)
{
	struct ipc_dom *d = self->d;
	_Atomic uint64_t *spent = &self->tab[d->spent_slot];

	if (d->spent_cap == 0 || atomic_load_explicit(spent, memory_order_relaxed) != d->spent_cap)
		return ipc_install_one(self, c, slot);
	atomic_store_explicit(spent, c, memory_order_relaxed);	/* as ipc_install_one */
	d->spent_cap = 0;
	*slot = (uint16_t)d->spent_slot;
	return 0;
}

/* ipc_install: the reply capability found no slot (ipc_refuse). */
#define IPC_NO_ROOM 1

/*
 * Move the capabilities of the received message into the domain's table.
 * The sender checked there is room for passed ones (ipc_has_room), the
 * reply capability included; a reply capability alone is checked here, by
 * the receiver, to keep that off a null call: with no slot for it, the
 * message is refused (IPC_NO_ROOM). Passed capabilities imply room for
 * it, so then there are none.
 */
static IPC_FAST int ipc_install(const struct ipc_domain *self, unsigned ncaps, struct ipc_rcv *r)
{
	const struct ipc_dom *d = self->d;
	uint64_t rep = atomic_load_explicit(&d->h.reply, memory_order_relaxed);
	int rc = 0;

	r->ncaps = 0;
	r->reply = IPC_NO_SLOT;
	if (rep && ipc_install_reply(self, rep, &r->reply) < 0)
		return IPC_NO_ROOM;
	for (unsigned i = 0; i < ncaps; i++) {
		uint64_t c = atomic_load_explicit(&d->caps[i], memory_order_relaxed);
		if ((rc = ipc_install_one(self, c, &r->caps[i])) < 0)
			break;
		r->ncaps++;
		if (r->reply == IPC_NO_SLOT && !rep && ipc_cap_type(c) == IPC_CAP_REPLY)
			r->reply = r->caps[i];	/* a forwarded reply cap: tail call */
	}
	if (rep || ncaps)
		ipc_bump_epoch(self->d);
	return rc;
}

/* The header of the message in line h (meta: its meta word, read first)
 * into r: code, words, badge and the string's length. */
static IPC_FAST void ipc_read_header(const struct ipc_hand *h, uint32_t meta, struct ipc_rcv *r)
{
	r->code = h->code;
	memcpy(r->w, h->w, sizeof r->w);
	r->badge = h->badge;
	r->len = ipc_meta_len(meta);
}

/* The string of r->len bytes the sender copied into our receive area (d:
 * our domain, self->d, passed in: a store to r might alias self, and a
 * reload of it changes the fast path's code) to r->buf; nothing to do when
 * r->buf is where it landed (one copy). */
static IPC_FAST void ipc_read_string(const struct ipc_domain *self, const struct ipc_dom *d,
				     struct ipc_rcv *r)
{
	if (r->len) {
		unsigned char *inbox = ipc_inbox_of(self->sh, self->id) + d->roff;
		if (r->buf != inbox)
			ipc_copy_for(r->buf, inbox, r->len, d->rflags & IPC_RCV_SINK);
	}
}

static int ipc_refuse(const struct ipc_domain *self, uint64_t rw, int64_t deadline, bool open,
		      struct ipc_rcv *r);

/*
 * The domain is FULL: hand the message to r, then run again. It waited
 * in OPEN (open) or WAIT_REPLY, until deadline (ipc_refuse waits on).
 */
static IPC_FAST int ipc_take(const struct ipc_domain *self, struct ipc_rcv *r, int64_t deadline,
			     bool open)
{
	struct ipc_dom *d = self->d;
	struct ipc_hand *h = &d->h;
	uint64_t rw = atomic_load(&h->rword);
	unsigned from = ipc_rw_claimer(rw);
	int rc;

	if (from == IPC_KERNEL_ID) {	/* the supervisor or a refusing receiver failed the wait */
		rc = -(int)h->code;
		if (rc == -IPC_ENOMEM)	/* refused: a reply cap it invoked is valid again */
			d->spent_cap = 0;
	} else {
		uint32_t meta = atomic_load_explicit(&h->meta, memory_order_relaxed);
		ipc_set_quiet(&d->from, from);
		ipc_read_header(h, meta, r);
		ipc_read_string(self, d, r);
		rc = ipc_install(self, ipc_meta_ncaps(meta), r);
		if (rc == IPC_NO_ROOM)
			return ipc_refuse(self, rw, deadline, open, r);
	}
	/* Taken, and the line left FULL: a call's reply capability came
	 * delegated to it, and stays in the header until answered or given
	 * back (ipc_held_reply). Not a store to a line the caller now polls:
	 * the reply is the next. The table is filled before the line leaves
	 * FULL (the next state's store is a release; ipc_reap.c). */
	if (from == IPC_KERNEL_ID)
		atomic_store_explicit(&h->rword, ipc_rw(IPC_S_RUNNING, 0, ipc_rw_gen(rw)),
				      memory_order_release);
	return rc;
}

static bool ipc_ready_settled(const void *ctx)
{
	unsigned st = ipc_dom_state(ctx);

	return st == IPC_S_FULL || st == IPC_S_OPEN || st == IPC_S_WAIT_REPLY || st == IPC_S_WAIT_AT;
}

/*
 * Wait in OPEN or WAIT_REPLY for a message. On timeout or shutdown, leave
 * the wait, unless a deliverer has claimed us: then its message (or the
 * supervisor's undoing of its claim) comes first.
 */
static IPC_FAST int ipc_await(const struct ipc_domain *self, int64_t deadline, bool open,
			      struct ipc_rcv *r)
{
	struct ipc_dom *d = self->d;
	int rc = ipc_wait_full(self->sh, d, deadline);

	while (rc < 0) {
		uint64_t rw = atomic_load(&d->h.rword), to = 0;
		switch (ipc_rw_state(rw)) {
		case IPC_S_FULL:	/* taken below */
			rc = 0;
			continue;
		case IPC_S_OPEN:
		case IPC_S_OPEN_REPLIED:	/* the header stays: a caller may still take it */
			to = ipc_rw(IPC_S_RUNNING, 0, ipc_rw_gen(rw));
			break;
		case IPC_S_WAIT_REPLY:	/* the new gen voids our reply cap */
		case IPC_S_WAIT_AT:
			to = ipc_rw(IPC_S_RUNNING, 0, ipc_rw_gen(rw) + 1);
			break;
		default:
			ipc_wait(self->sh, d, d, ipc_ready_settled, d, -1, 0);
			continue;
		}
		if (atomic_compare_exchange_strong(&d->h.rword, &rw, to))
			return rc;
	}
	return ipc_take(self, r, deadline, open);
}

/*
 * The message in the domain's line (rw: FULL) brought a reply capability
 * and the domain's table has no slot for it: refused whole, as a sender
 * refuses capabilities to a full table (ipc_has_room), but by the
 * receiver, so that a null call checks nothing. The caller's wait fails
 * with -IPC_ENOMEM, which uses up its reply capability, and this domain
 * waits on as before: OPEN, or WAIT_REPLY with its own reply capability
 * valid again (the message's sender took it up: ipc_take lets that sender
 * keep it). Only a string sent straight into its receive buffer is there.
 */
static __attribute__((noinline, cold)) int ipc_refuse(const struct ipc_domain *self, uint64_t rw,
						      int64_t deadline, bool open,
						      struct ipc_rcv *r)
{
	struct ipc_dom *d = self->d;
	uint64_t rep = atomic_load_explicit(&d->h.reply, memory_order_relaxed);
	uint32_t g = ipc_rw_gen(rw);
	/* The caller claimed first (the supervisor leaves a claimed word to its
	 * claimer), so that it is told only once this domain waits again; a
	 * call's reply capability came delegated to this line: back first. */
	ipc_undelegate(self->sh, rep, self->id);
	bool caller = ipc_claim_reply(self, rep) == 0;

	atomic_store(&d->h.rword, open ? ipc_rw(IPC_S_OPEN, 0, g) : ipc_rw(IPC_S_WAIT_REPLY, 0, g - 1));
	ipc_wake(d);
	if (caller)
		ipc_fail_wait(self->sh, ipc_cap_obj(rep),
			      ipc_rw(IPC_S_BUSY_REPLY, self->id, ipc_cap_gen(rep) + 1), IPC_ENOMEM);
	ipc_bump_epoch(d);
	return ipc_await(self, deadline, open, r);
}

static IPC_FAST int ipc_check_rcv(const struct ipc_domain *self, struct ipc_rcv *r)
{
	if (!self || !r || (r->cap && !r->buf))
		return -IPC_EINVAL;
	size_t cap = 0, off = 0;	/* no buffer (a null call's answer): nothing to place */
	if (r->buf) {
		uintptr_t area = (uintptr_t)ipc_inbox_of(self->sh, self->id);
		uintptr_t buf = (uintptr_t)r->buf;
		cap = r->cap < IPC_MAX_STRING ? r->cap : IPC_MAX_STRING;
		/* A buffer running into the area from below would be copied
		 * onto itself (ipc_take): refused. */
		if (buf < area && area - buf < cap)
			return -IPC_EINVAL;
		/* A buffer inside the area: the sender copies straight into
		 * it, no further than the area's end. */
		if (buf >= area && buf - area < self->sh->inbox_bytes) {
			off = buf - area;
			if (cap > self->sh->inbox_bytes - off)
				cap = self->sh->inbox_bytes - off;
		}
	}
	/* Only what changes: every sender reads this line. */
	struct ipc_dom *d = self->d;
	if (d->roff != off)
		d->roff = (uint32_t)off;
	if (d->rcap != cap)
		d->rcap = (uint32_t)cap;
	return 0;
}

/* Receive into r, already checked by ipc_check_rcv. */
static IPC_FAST int ipc_receive_checked(ipc_domain_t *self, struct ipc_rcv *r, int64_t timeout_ns)
{
	if (atomic_load(&self->sh->shutdown))
		return -IPC_EDEAD;
	struct ipc_dom *d = self->d;
	int64_t deadline = timeout_ns < 0 ? -1 : ipc_now_ns() + timeout_ns;
	ipc_release_hold(self);	/* the reply capability not answered here */
	/* Sequentially consistent: senders asleep until OPEN count in nsleep. */
	atomic_store(&d->h.rword, ipc_rw(IPC_S_OPEN, 0, ipc_rw_gen(atomic_load(&d->h.rword))));
	ipc_wake(d);		/* the front sender may be waiting for OPEN */
	return ipc_await(self, deadline, true, r);
}

int ipc_receive(ipc_domain_t *self, struct ipc_rcv *r, int64_t timeout_ns)
{
	int rc = ipc_check_rcv(self, r);

	return rc < 0 ? rc : ipc_receive_checked(self, r, timeout_ns);
}

/*
 * The reply waits in the callee's line (w->srv, rw: OPEN_REPLIED for us):
 * copy it out, then void our reply capability with a compare-and-swap on
 * our own line. A sender claiming that line meanwhile (it is open) hands
 * an untaken reply to our line instead, by the same compare-and-swap
 * (ipc_forward_reply), before it writes its own header there: whoever
 * wins has the reply, and if we won, what we copied was whole. False: it
 * is on its way to our line.
 */
static IPC_FAST bool ipc_take_reply(const struct ipc_domain *self, const struct ipc_rwatch *w,
				    unsigned tid, struct ipc_rcv *r)
{
	const struct ipc_hand *h = w->srv;
	struct ipc_dom *d = self->d;
	uint32_t meta = atomic_load_explicit(&h->meta, memory_order_relaxed);
	uint32_t g = ipc_cap_gen(w->cap);
	uint64_t mine = ipc_rw(IPC_S_WAIT_AT, tid, g);

	ipc_read_header(h, meta, r);
	if (!atomic_compare_exchange_strong(&d->h.rword, &mine, ipc_rw(IPC_S_RUNNING, 0, g + 1)))
		return false;
	ipc_read_string(self, d, r);	/* only a reply to us writes our inbox */
	r->ncaps = 0;
	r->reply = IPC_NO_SLOT;
	ipc_set_quiet(&d->from, tid);
	return true;
}

/*
 * Wait for the reply to our call: in the callee's line (where the call
 * went), or a message in our own (the general path, a refusal, the
 * supervisor's error). On shutdown, void the reply capability and leave.
 */
static IPC_FAST int ipc_await_reply(const struct ipc_domain *self, const struct ipc_rwatch *w,
				    unsigned tid, struct ipc_rcv *r)
{
	struct ipc_dom *d = self->d;

	for (;;) {
		if (ipc_wait_reply(self->sh, d, w) < 0)
			return ipc_await(self, -1, false, r);	/* aborted: as any wait */
		if (ipc_dom_state(d) == IPC_S_FULL)
			return ipc_take(self, r, -1, false);
		if (ipc_ready_reply(w) && ipc_take_reply(self, w, tid, r))
			return 0;
	}
}

int ipc_call(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m, struct ipc_rcv *r)
{
	struct ipc_out o;
	int rc = ipc_check_rcv(self, r);

	if (rc < 0 || (rc = ipc_aim(self, slot, m, &o)) < 0)
		return rc;
	struct ipc_dom *d = self->d;
	ipc_release_hold(self);	/* our own line is about to change */
	uint32_t g = ipc_rw_gen(atomic_load_explicit(&d->h.rword, memory_order_relaxed));
	/* The reply capability is delegated to the target's line (ipc_impl.h);
	 * waiting already: nobody holds it before the callee takes the call,
	 * and the supervisor fails us only if the callee is DEAD, when our
	 * claim fails too. Published by the claim that follows (a full
	 * barrier). */
	uint64_t calling = ipc_rw(IPC_S_WAIT_AT, o.tid, g);
	atomic_store_explicit(&d->h.rword, calling, memory_order_relaxed);
	o.reply = ipc_cap(IPC_CAP_REPLY, self->id, g);
	rc = ipc_fire(self, &o, 0);
	if (rc < 0) {
		/* Not delivered: void the reply cap and run on. */
		uint64_t rw = calling;
		if (atomic_compare_exchange_strong(&d->h.rword, &rw, ipc_rw(IPC_S_RUNNING, 0, g + 1)))
			return rc;
		return ipc_await(self, -1, false, r);
	}
	const struct ipc_rwatch w = { &ipc_dom_at(self->sh, o.tid)->h, d, o.reply, self->id };
	return ipc_await_reply(self, &w, o.tid, r);
}

int ipc_send(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m, unsigned flags)
{
	if (!self || (flags & ~IPC_NONBLOCK))
		return -IPC_EINVAL;
	return ipc_invoke(self, slot, m, flags);
}

/*
 * Answer the call held in our line, with m invoking slot, in that line: the
 * one the call came in on, where its caller polls (ipc_impl.h), and
 * receive again in the same store (OPEN_REPLIED). 1: not that case (m
 * passes capabilities, slot is not the held reply capability, m is bad):
 * the general path. The string goes to the caller's inbox, as any.
 */
static IPC_FAST int ipc_reply_here(const struct ipc_domain *self, uint16_t slot,
				   const struct ipc_msg *m)
{
	struct ipc_dom *d = self->d;
	struct ipc_hand *h = &d->h;
	uint64_t rw = atomic_load_explicit(&h->rword, memory_order_relaxed);
	uint64_t c = ipc_held_reply(rw, h);

	if (!c || slot >= self->sh->slots || !m || m->ncaps ||
	    m->len > IPC_MAX_STRING || (m->len && !m->data) ||
	    atomic_load_explicit(&self->tab[slot], memory_order_relaxed) != c)
		return 1;
	unsigned tid = ipc_cap_obj(c);
	struct ipc_dom *t = ipc_dom_at(self->sh, tid);
	size_t n = 0;
	if (m->len)
		n = m->len < t->rcap ? m->len : t->rcap;
	if (n)
		ipc_copy_for(ipc_inbox_of(self->sh, tid) + t->roff, m->data, n,
			     t->rflags & IPC_RCV_SINK);
	h->code = m->code;
	memcpy(h->w, m->w, sizeof h->w);
	h->badge = 0;
	atomic_store_explicit(&h->meta, ipc_meta((uint32_t)n, 0), memory_order_relaxed);
	/* Sequentially consistent, then the caller's nsleep and ours: a caller
	 * that counted itself there before sees the reply, a queued sender
	 * the line open (ipc_wait.c). */
	atomic_store(&h->rword, ipc_rw(IPC_S_OPEN_REPLIED, tid, ipc_rw_gen(rw)));
	ipc_wake(t);
	ipc_wake(d);
	d->spent_slot = slot;
	d->spent_cap = c;
	ipc_set_quiet(&d->peer, tid);
	ipc_bump_epoch(d);
	return 0;
}

int ipc_return_receive(ipc_domain_t *self, uint16_t slot, const struct ipc_msg *m,
		       struct ipc_rcv *r)
{
	int rc = ipc_check_rcv(self, r);

	if (rc == 0 && slot != IPC_NO_SLOT) {
		if (ipc_reply_here(self, slot, m) == 0)
			return ipc_await(self, -1, true, r);
		rc = ipc_invoke(self, slot, m, 0);
	}
	return rc < 0 ? rc : ipc_receive_checked(self, r, -1);
}

int ipc_cap_drop(ipc_domain_t *self, uint16_t slot)
{
	uint64_t c;
	int rc = self ? ipc_lookup(self, slot, &c) : -IPC_EINVAL;

	if (rc < 0)
		return rc;
	if (c == atomic_load_explicit(&self->d->h.reply, memory_order_relaxed))
		ipc_release_hold(self);	/* its caller then waits on as an orphan */
	atomic_store(&self->tab[slot], 0);
	ipc_bump_epoch(self->d);
	return 0;
}

int ipc_rcv_mode(ipc_domain_t *self, unsigned flags)
{
	if (!self || (flags & ~IPC_RCV_SINK))
		return -IPC_EINVAL;
	self->d->rflags = flags;
	return 0;
}

unsigned ipc_self_id(const ipc_domain_t *self)
{
	return self ? self->id : IPC_NO_DOMAIN;
}

void *ipc_buffer(ipc_domain_t *self)
{
	return self ? ipc_inbox_of(self->sh, self->id) : NULL;
}

size_t ipc_buffer_size(const ipc_domain_t *self)
{
	return self ? self->sh->inbox_bytes : 0;
}
