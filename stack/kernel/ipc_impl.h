/*
 * ipc_impl.h - the kernel's shared state, private to stack/kernel.
 *
 * One memfd mapping, made by the supervisor before any domain starts, holds
 * everything: a header, one struct ipc_dom per domain, the port table, the
 * capability tables, the sender queues and one receive buffer (inbox) per
 * domain. Processes inherit the mapping across fork; threads share it.
 *
 * Each domain's handoff word (rword) packs state, claimer and reply
 * generation, so a claim is one compare-and-swap:
 *
 *   RUNNING --receive--> OPEN --sender claims--> BUSY_OPEN --copy--> FULL
 *   RUNNING --call to t--> WAIT_AT(t) (the reply capability delegated to t's line)
 *   CALLING/WAIT_REPLY (gen g) --reply cap g claims--> BUSY_REPLY (gen g+1) --> FULL
 *   FULL --receiver took it--> FULL (taken: the line is not written; the
 *        supervisor failing a wait (claimer IPC_KERNEL_ID) --> RUNNING)
 *   FULL taken with a call's reply cap --reply and receive--> OPEN_REPLIED(caller)
 *   OPEN_REPLIED --a sender claims, the caller took it or not--> BUSY_OPEN
 *   anything --reaped--> DEAD
 *
 * Only the claimer writes a claimed (BUSY) word: it publishes FULL with a
 * plain store, and the supervisor marks a dead domain DEAD only once no
 * live domain is delivering to it (ipc_reap.c).
 *
 * A reply capability is (domain, gen); it is valid while that domain is in
 * CALLING or WAIT_REPLY with the same gen. Claiming it bumps the gen, which
 * voids every copy at once (the Coyotos scheme).
 *
 * The same line both ways (ipc_msg.c): a caller delegates its reply
 * capability to the line its call goes into: WAIT_AT names that domain
 * (claimer field), from before the claim (nobody holds the capability
 * until the callee takes the call, so CALLING is not needed). The callee
 * takes the call and leaves its line FULL: the capability, its only copy
 * (also in the callee's table), stays in the header (h.reply). Answering
 * it from there writes the reply into the same line and receives again,
 * in one store (OPEN_REPLIED, claimer: the caller), where the caller
 * polls. The caller takes the reply by a compare-and-swap on its own line
 * (WAIT_AT -> RUNNING, gen + 1). The line is open at once: a sender that
 * claims it first hands a reply not yet taken to the caller's line by the
 * same compare-and-swap (one of the two wins), before writing its own
 * header. Nothing writes the caller's line on the way, so a null round
 * trip moves that one line each way. Any other use of the held
 * capability (passed on, dropped, a call or receive of the callee, a
 * reply by ipc_send) first hands it back to the caller's line
 * (WAIT_REPLY, ipc_release_hold): the general path above.
 */
#ifndef IPC_IMPL_H
#define IPC_IMPL_H

#include "ipc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#define IPC_LINE	64
#define IPC_KERNEL_ID	0xffffu		/* claimer id of the supervisor */
#define IPC_QTOMB	0xffffu		/* a removed entry in a sender queue */
#define IPC_QNONE	0xfffeu		/* "nobody" from ipc_queue_front */
#define IPC_DOMAINS_MAX	0xfff0u		/* ids must fit the 16-bit claimer field */

enum ipc_state {
	IPC_S_RUNNING,
	IPC_S_OPEN,		/* receiving: any entry invocation */
	IPC_S_CALLING,		/* delivering a call; the reply may already come */
	IPC_S_WAIT_REPLY,	/* waiting for the reply capability of gen */
	IPC_S_BUSY_OPEN,	/* claimed from OPEN by claimer, being filled */
	IPC_S_BUSY_REPLY,	/* claimed by a reply capability, being filled */
	IPC_S_FULL,		/* a whole message waits in the inbox */
	IPC_S_DEAD,
	IPC_S_WAIT_AT,		/* calling, the reply capability delegated to claimer's line */
	IPC_S_OPEN_REPLIED,	/* receiving; the line holds the reply to claimer (h.reply) */
};

static inline uint64_t ipc_rw(unsigned state, unsigned claimer, uint32_t gen)
{
	return (uint64_t)state | (uint64_t)(claimer & 0xffffu) << 8 | (uint64_t)gen << 32;
}
static inline unsigned ipc_rw_state(uint64_t rw) { return rw & 0xffu; }
static inline unsigned ipc_rw_claimer(uint64_t rw) { return (rw >> 8) & 0xffffu; }
static inline uint32_t ipc_rw_gen(uint64_t rw) { return (uint32_t)(rw >> 32); }

/* A capability is one 64-bit word: type, object (port or domain), gen. */
enum ipc_cap_type { IPC_CAP_EMPTY, IPC_CAP_ENTRY, IPC_CAP_REPLY };

static inline uint64_t ipc_cap(unsigned type, unsigned obj, uint32_t gen)
{
	return (uint64_t)type | (uint64_t)(obj & 0xffffffu) << 8 | (uint64_t)gen << 32;
}
static inline unsigned ipc_cap_type(uint64_t c) { return c & 0xffu; }
static inline unsigned ipc_cap_obj(uint64_t c) { return (c >> 8) & 0xffffffu; }
static inline uint32_t ipc_cap_gen(uint64_t c) { return (uint32_t)(c >> 32); }

/*
 * The handoff line: a domain's state word and the header of the message a
 * deliverer writes to it, in one cache line. A deliverer claims the
 * receiver, fills the line and publishes FULL, all in the line it owns
 * from the claim on; the receiver reads that one line. A message without
 * capabilities or string moves this line and nothing else. When the
 * supervisor fails a wait (claimer IPC_KERNEL_ID), code holds the error.
 */
struct ipc_hand {
	_Atomic uint64_t rword;		/* state, claimer, gen (ipc_rw) */
	uint32_t code;
	_Atomic uint32_t meta;		/* ipc_meta(len, ncaps); atomic: the supervisor reads it */
	uint64_t badge;
	_Atomic uint64_t reply;		/* fabricated reply capability (its gen), or 0 */
	uint64_t w[IPC_NWORDS];
};
_Static_assert(sizeof(struct ipc_hand) == IPC_LINE, "ipc_hand: exactly one line");

static inline uint32_t ipc_meta(uint32_t len, unsigned ncaps)
{
	return len | (uint32_t)ncaps << 24;
}
static inline uint32_t ipc_meta_len(uint32_t m) { return m & 0xffffffu; }
static inline unsigned ipc_meta_ncaps(uint32_t m) { return m >> 24; }
_Static_assert(IPC_MAX_STRING <= 0xffffff, "len fits ipc_meta");

struct ipc_dom {
	_Alignas(IPC_LINE) struct ipc_hand h;

	/* Capabilities passed with the message: written only up to ncaps. */
	_Alignas(IPC_LINE) _Atomic uint64_t caps[IPC_MAX_CAPS];	/* atomic: the supervisor scans them */

	/* Where and how the receiver wants the string: written only when
	 * they change, read only by a deliverer with a string. A receiver
	 * that moves its buffer at each receive (a ring) writes this line
	 * each time: a null message does not read it. */
	_Alignas(IPC_LINE) uint32_t rcap;	/* receive capacity, set before OPEN/CALLING */
	uint32_t roff;			/* where in its area the string goes, likewise */
	uint32_t rflags;		/* IPC_RCV_* (ipc_rcv_mode) */

	/* Its futex and its CPU: written rarely (a sleeper, a move to
	 * another CPU), so the line stays clean in every waker's cache; every
	 * delivery reads nsleep. */
	_Alignas(IPC_LINE) _Atomic uint32_t seq;	/* futex word: bumped at each change */
	_Atomic uint32_t nsleep;	/* sleepers on seq */
	/* Spin or yield (ipc_wait.c): the CPU this domain last waited on (+1, 0 unknown). */
	_Atomic uint32_t cpu;

	/* Sender queue: lock (holder id + 1) and head << 16 | length. */
	_Alignas(IPC_LINE) _Atomic uint32_t qlock;
	_Atomic uint32_t qhl;

	/* Written by the domain itself, read by the supervisor. */
	_Alignas(IPC_LINE) _Atomic uint32_t epoch;	/* bumped when its caps move */
	/* The domain it last invoked and the one it last heard from: either
	 * may be the next to act (ipc_wait.c). */
	_Atomic uint32_t peer, from;
	_Atomic uint64_t waiting;	/* asleep with no deadline: ipc_waiting() */
	_Atomic uint32_t exited;	/* its function returned */
	int32_t result;			/* what it returned */
	uint32_t slot_hint;		/* where its next free slot search starts */
	/* The reply capability this domain last used up from its own table,
	 * and that slot: void for good (its gen moved on), so the next reply
	 * capability it receives goes there, with no search (ipc_msg.c). */
	uint32_t spent_slot;
	uint64_t spent_cap;		/* 0: none */
	char name[32];
};
_Static_assert(offsetof(struct ipc_dom, h) == 0, "the handoff line starts the domain");
_Static_assert(offsetof(struct ipc_dom, caps) == IPC_LINE, "caps: the second line");
_Static_assert(offsetof(struct ipc_dom, rcap) == 2 * IPC_LINE, "receive line: the third");
_Static_assert(offsetof(struct ipc_dom, seq) == 3 * IPC_LINE, "wake line: the fourth");

struct ipc_port {
	uint32_t owner;
	uint32_t used;
	uint64_t badge;
};

struct ipc_shared {
	uint32_t max_domains, max_ports, slots, spin_ns;
	size_t inbox_bytes;		/* each domain's receive area */
	uint32_t ndomains, nports;
	_Atomic uint32_t shutdown;	/* the kernel is stopping: waits fail */
	_Atomic uint32_t events;	/* futex word: a domain exited */
	_Atomic uint32_t dropped;	/* replies left in a line for a caller that died */
	size_t off_ports, off_caps, off_queues, off_inbox, size;
};

/* The domains start at the first line after the header: a constant, so
 * finding one is no load (ipc_dom_at is on every message's path). */
#define IPC_OFF_DOMS	((sizeof(struct ipc_shared) + IPC_LINE - 1) / IPC_LINE * IPC_LINE)

/* The supervisor's private record of one domain. */
struct ipc_slot {
	ipc_kernel_t *k;
	unsigned id;
	ipc_main_fn fn;
	void *arg;
	pid_t pid;		/* IPC_MODE_PROCESS */
	pthread_t thread;	/* IPC_MODE_THREAD */
	bool started, done;
	bool unmarked;		/* done, but not yet DEAD (ipc_mark_dead) */
	int status;		/* ipc_domain_status */
};

struct ipc_kernel {
	struct ipc_shared *sh;
	enum ipc_mode mode;
	bool ran;
	struct ipc_slot *slots;		/* max_domains */
};

/* The handle a running domain holds (private to it). */
struct ipc_domain {
	struct ipc_shared *sh;
	struct ipc_dom *d;
	unsigned id;
	_Atomic uint64_t *tab;		/* its capability table (ipc_caps_of) */
};

static inline struct ipc_dom *ipc_dom_at(const struct ipc_shared *sh, unsigned id)
{
	return (struct ipc_dom *)((char *)sh + IPC_OFF_DOMS) + id;
}
static inline struct ipc_port *ipc_port_at(const struct ipc_shared *sh, unsigned id)
{
	return (struct ipc_port *)((char *)sh + sh->off_ports) + id;
}
static inline _Atomic uint64_t *ipc_caps_of(const struct ipc_shared *sh, unsigned id)
{
	return (_Atomic uint64_t *)((char *)sh + sh->off_caps) + (size_t)id * sh->slots;
}
/* The handle domain id runs with. */
static inline struct ipc_domain ipc_domain_of(struct ipc_shared *sh, unsigned id)
{
	return (struct ipc_domain){ sh, ipc_dom_at(sh, id), id, ipc_caps_of(sh, id) };
}
static inline _Atomic uint16_t *ipc_queue_of(const struct ipc_shared *sh, unsigned id)
{
	return (_Atomic uint16_t *)((char *)sh + sh->off_queues) + (size_t)id * sh->max_domains;
}
static inline unsigned char *ipc_inbox_of(const struct ipc_shared *sh, unsigned id)
{
	return (unsigned char *)sh + sh->off_inbox + (size_t)id * sh->inbox_bytes;
}
/*
 * A domain asleep with no deadline records which seq word it sleeps on and
 * the value it saw, so the supervisor can tell a blocked domain from one
 * already woken but not yet scheduled (on a loaded machine that can take
 * longer than the deadlock timeout).
 */
static inline uint64_t ipc_waiting(unsigned on, uint32_t seq)
{
	return (uint64_t)(on + 1) << 32 | seq;
}

static inline unsigned ipc_dom_state(const struct ipc_dom *d)
{
	return ipc_rw_state(atomic_load(&d->h.rword));
}

/* Store v in a word other domains read, only if it changes: a store, even
 * of the same value, takes the line from every reader's cache. */
static inline void ipc_set_quiet(_Atomic uint32_t *word, uint32_t v)
{
	if (atomic_load_explicit(word, memory_order_relaxed) != v)
		atomic_store_explicit(word, v, memory_order_relaxed);
}

/* Fetch a line for writing (x86 PREFETCHW; a no-op where unsupported). */
static inline void ipc_prefetch_write(const volatile void *p)
{
#if defined(__x86_64__)
	__asm__ volatile("prefetchw %0" : : "m"(*(const volatile char *)p));
#else
	__builtin_prefetch((const void *)p, 1);
#endif
}

/* ipc_kernel.c: map the whole shared mapping in this process's page tables. */
void ipc_populate(void *p, size_t size);

/* Is reply capability c still invocable? */
bool ipc_reply_valid(const struct ipc_shared *sh, uint64_t c);

/* Did domain id's line take a call whose reply capability c is delegated
 * there and not yet answered (ipc_reply_valid for WAIT_AT)? */
bool ipc_holds_delegated(const struct ipc_shared *sh, unsigned id, uint64_t c);

/* What a caller waits for: the reply in the line of srv (the callee), or
 * its own line FULL (the general path, a refusal, the supervisor). */
struct ipc_rwatch {
	const struct ipc_hand *srv;
	const struct ipc_dom *me;
	uint64_t cap;			/* the reply capability it delegated */
	unsigned id;
};
static inline bool ipc_ready_reply(const void *ctx)
{
	const struct ipc_rwatch *w = ctx;
	uint64_t rw = atomic_load(&w->srv->rword);	/* seq_cst: ipc_msg.c's reply */

	return (ipc_rw_state(rw) == IPC_S_OPEN_REPLIED && ipc_rw_claimer(rw) == w->id &&
		atomic_load_explicit(&w->srv->reply, memory_order_relaxed) == w->cap) ||
	       ipc_dom_state(w->me) == IPC_S_FULL;
}

/* ipc_wait.c: spin, then sleep on a futex. */
typedef bool (*ipc_ready_fn)(const void *ctx);
#define IPC_WAIT_ABORTABLE 1u	/* shutdown and deadline end the wait */
int64_t ipc_now_ns(void);
int ipc_wait(const struct ipc_shared *sh, struct ipc_dom *on, struct ipc_dom *me,
	     ipc_ready_fn ready, const void *ctx, int64_t deadline, unsigned flags);
int ipc_wait_full(const struct ipc_shared *sh, struct ipc_dom *me, int64_t deadline);
int ipc_wait_reply(const struct ipc_shared *sh, struct ipc_dom *me, const struct ipc_rwatch *w);
/* The ready test of ipc_wait_full: a message waits (ctx: the domain). */
static inline bool ipc_ready_full(const void *ctx)
{
	return ipc_dom_state(ctx) == IPC_S_FULL;
}
void ipc_wake_sleepers(struct ipc_dom *d);
void ipc_hook_sleep(unsigned id, unsigned on);	/* a test seam: a waiter about to sleep */
/* After the change is stored (seq_cst): a sleeper counted in nsleep before
 * it read seq and re-checked, so with nsleep == 0 nobody can miss it and
 * no system call is needed (inline: every delivery asks). */
static inline void ipc_wake(struct ipc_dom *d)
{
	if (atomic_load(&d->nsleep))
		ipc_wake_sleepers(d);
}
void ipc_futex_wake(_Atomic uint32_t *word);
int ipc_futex_wait(_Atomic uint32_t *word, uint32_t val, int64_t timeout_ns);

/* ipc_queue.c: the FIFO of senders waiting for one receiver. */
int ipc_queue_add(const struct ipc_shared *sh, unsigned target, unsigned who);
void ipc_queue_remove(const struct ipc_shared *sh, unsigned target, unsigned who);
unsigned ipc_queue_front(const struct ipc_shared *sh, unsigned target);
static inline unsigned ipc_queue_len(const struct ipc_dom *t)
{
	return atomic_load(&t->qhl) & 0xffffu;
}

/* ipc_reap.c: supervisor-side fault handling. */
bool ipc_reap(struct ipc_shared *sh, unsigned dead);	/* false: not yet DEAD */
bool ipc_mark_dead(struct ipc_shared *sh, unsigned dead);
void ipc_fail_orphans(struct ipc_shared *sh);
void ipc_fail_wait(const struct ipc_shared *sh, unsigned t, uint64_t claimed, int err);
uint64_t ipc_epoch_sum(const struct ipc_shared *sh);
void ipc_wake_all(struct ipc_shared *sh);

#endif
