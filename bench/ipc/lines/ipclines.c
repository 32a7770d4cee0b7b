/*
 * ipclines.c - where a cross-core IPC round trip goes beyond the spin floor.
 *
 * A ladder of handoff models, each adding one thing the kernel's fast path
 * does (stack/kernel/ipc_msg.c, ipc_wait.c) to the one before, measured
 * interleaved round by round beside the kernel's own null call and the
 * spin floor of bench/ipc (two processes taking turns on one line with
 * plain release stores and acquire loads). Client on CPU 0, each model's
 * peer and the kernel's server on CPU 1. A benchmark: it asserts nothing.
 *
 * Each model is a pair of lines, one per side; a side sends by writing the
 * other's line and waits on its own, as the kernel does (the word holds a
 * message count and a state). The rungs:
 *
 *   word      the sender writes only the word, with a release store: the
 *             floor of any design with one line per direction, against
 *             the spin's one line for both
 *   mailbox   the sender writes the header (4 words) and the word with a
 *             release store; the receiver only reads its line
 *   +ack      the receiver writes its own word after taking (RUNNING)
 *   +claim    the sender claims the receiver's word with a CAS first
 *   +fullcas  ... and publishes FULL with a second CAS
 *   +openx    the server reopens with a seq_cst store (xchg) after replying
 *   +callwait the client stores CALLING before, CASes to WAIT_REPLY after
 *   +install  the server writes the reply capability into its table, seq_cst
 *   +clock    each side reads the clock when it starts to wait
 *
 * Beside the spin floor (PAUSE between polls, as the kernel waits), the same
 * spin polling with LFENCE instead: how much of the floor is the PAUSE.
 * And, off the ladder, one line for both directions, with PAUSE and with
 * LFENCE: the caller claims the callee's line (CAS from OPEN), writes the
 * header and FULL there; the callee answers in the same line, header then
 * OPEN(count + 1), reply and reopen at once, and the caller polls that
 * line. What a handoff costs when it moves as the spin's line does.
 *
 * Prints, per series: best, 10th percentile, median and 90th percentile ns
 * per round trip, the median of the per-round ratios to the spin floor, and
 * the series' own sample in the round where the spin had its best one (is
 * a best spin sample a state of the machine every series saw in its round,
 * or a moment shorter than a round?); then how many rounds had the spin
 * within 1.5 times its best.
 */
#define _GNU_SOURCE
#include "ipc.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { F_ACK = 1, F_CLAIM = 2, F_FULLCAS = 4, F_OPENX = 8, F_CALLWAIT = 16,
       F_INSTALL = 32, F_CLOCK = 64, F_SPIN = 128, F_WORD = 256,
       F_LFENCE = 512, F_ONELINE = 1024 };
enum { S_OPEN = 1, S_BUSY, S_FULL, S_RUNNING, S_CALLING, S_WAIT };

#define MAX_SERIES	14
#define MAX_ROUNDS	400

struct line {
	_Alignas(64) _Atomic uint64_t w;	/* count << 8 | state */
	uint64_t hdr[7];
};

struct pairmem {
	struct line l[2];			/* 0: the client's, 1: the peer's */
	struct line table[2];			/* each side's capability table */
	_Atomic unsigned iters;			/* turns the peer is to take; 0: none */
	_Atomic unsigned quit;
};

struct series {
	const char *name;
	unsigned flags;
	struct pairmem *m;
	pid_t pid;
	double ns[MAX_ROUNDS];
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) ? -errno : 0;
}

/* Between two polls: PAUSE, or with F_LFENCE only wait for the load. */
static inline void relax(unsigned flags)
{
	if (flags & F_LFENCE)
		__asm__ volatile("lfence" ::: "memory");
	else
		__builtin_ia32_pause();
}

static inline uint64_t word(uint64_t count, unsigned st)
{
	return count << 8 | st;
}

/* F_ONELINE: wait on line l for word want; take its header. */
static uint64_t line_wait(struct line *l, uint64_t want, unsigned flags)
{
	while (atomic_load_explicit(&l->w, memory_order_acquire) != want)
		relax(flags);
	return l->hdr[0] + l->hdr[1] + l->hdr[2] + l->hdr[3];
}

static void line_fill(struct line *l, uint64_t count)
{
	l->hdr[0] = count;
	l->hdr[1] = 1;
	l->hdr[2] = 2;
	l->hdr[3] = 3;
}

/* Wait on my own line for message number want; take its header. */
static uint64_t take(struct line *me, uint64_t want, unsigned flags)
{
	uint64_t w;
	if (flags & F_CLOCK)
		(void)now_ns();
	while ((w = atomic_load_explicit(&me->w, memory_order_acquire)) != word(want, S_FULL))
		relax(flags);
	uint64_t sum = (flags & F_WORD) ? 0 : me->hdr[0] + me->hdr[1] + me->hdr[2] + me->hdr[3];
	if (flags & F_ACK)
		atomic_store_explicit(&me->w, word(want, S_RUNNING), memory_order_release);
	return sum;
}

/* Deliver message number count + 1 into the peer's line; with a claim,
 * wait for the state open_only says may be claimed (the server's OPEN, or
 * anything but BUSY for the client, which reopens by calling). */
static void give(struct line *to, uint64_t count, unsigned flags, int open_only)
{
	if (flags & F_CLAIM) {
		uint64_t w = atomic_load_explicit(&to->w, memory_order_relaxed);
		for (;;) {
			unsigned st = w & 0xff;
			if ((w >> 8) == count && (open_only ? st == S_OPEN : st != S_BUSY) &&
			    atomic_compare_exchange_weak(&to->w, &w, word(count, S_BUSY)))
				break;
			__builtin_ia32_pause();
			w = atomic_load_explicit(&to->w, memory_order_relaxed);
		}
	}
	if (!(flags & F_WORD)) {
		to->hdr[0] = count;
		to->hdr[1] = 1;
		to->hdr[2] = 2;
		to->hdr[3] = 3;
	}
	if (flags & F_FULLCAS) {
		uint64_t w = word(count, S_BUSY);
		atomic_compare_exchange_strong(&to->w, &w, word(count + 1, S_FULL));
	} else {
		atomic_store_explicit(&to->w, word(count + 1, S_FULL), memory_order_release);
	}
}

/* The peer's side of n round trips, messages counted from c. */
static void peer_turns(struct pairmem *m, unsigned flags, uint64_t *c, unsigned n)
{
	struct line *me = &m->l[1], *cli = &m->l[0];
	for (unsigned i = 0; i < n; i++) {
		if (flags & F_SPIN) {
			while (atomic_load_explicit(&me->w, memory_order_acquire) != *c + 1)
				relax(flags);
			atomic_store_explicit(&me->w, *c + 2, memory_order_release);
			*c += 2;
			continue;
		}
		if (flags & F_ONELINE) {	/* the answer reopens the line */
			(void)line_wait(me, word(*c + 1, S_FULL), flags);
			line_fill(me, *c);
			atomic_store_explicit(&me->w, word(*c + 1, S_OPEN), memory_order_release);
			*c += 1;
			continue;
		}
		take(me, *c + 1, flags);
		if (flags & F_INSTALL)
			atomic_store(&m->table[1].w, *c);
		give(cli, *c, flags, 0);
		*c += 1;
		/* Reopen for the next claim (without one, a late OPEN could
		 * overwrite the next FULL). */
		if (flags & F_OPENX)
			atomic_store(&me->w, word(*c, S_OPEN));
		else if (flags & F_CLAIM)
			atomic_store_explicit(&me->w, word(*c, S_OPEN), memory_order_release);
	}
}

static void client_turns(struct pairmem *m, unsigned flags, uint64_t *c, unsigned n)
{
	struct line *me = &m->l[0], *srv = &m->l[1];
	for (unsigned i = 0; i < n; i++) {
		if (flags & F_SPIN) {
			atomic_store_explicit(&srv->w, *c + 1, memory_order_release);
			while (atomic_load_explicit(&srv->w, memory_order_acquire) != *c + 2)
				relax(flags);
			*c += 2;
			continue;
		}
		if (flags & F_ONELINE) {	/* claim, fill, FULL; the answer comes there */
			uint64_t w = word(*c, S_OPEN);
			while (!atomic_compare_exchange_weak(&srv->w, &w, word(*c, S_BUSY))) {
				relax(flags);
				w = word(*c, S_OPEN);
			}
			line_fill(srv, *c);
			atomic_store_explicit(&srv->w, word(*c + 1, S_FULL), memory_order_release);
			(void)line_wait(srv, word(*c + 1, S_OPEN), flags);
			*c += 1;
			continue;
		}
		if (flags & F_CALLWAIT)
			atomic_store_explicit(&me->w, word(*c, S_CALLING), memory_order_relaxed);
		give(srv, *c, flags, (flags & F_ACK) != 0);
		if (flags & F_CALLWAIT) {
			uint64_t w = word(*c, S_CALLING);
			atomic_compare_exchange_strong(&me->w, &w, word(*c, S_WAIT));
		}
		take(me, *c + 1, flags);
		*c += 1;
	}
}

static void futex_wait(_Atomic unsigned *word, unsigned val)
{
	syscall(SYS_futex, word, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic unsigned *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* The peer process: takes m->iters turns whenever asked, until quit. It
 * sleeps in between, so that the idle peers take no CPU from the one
 * being measured. */
static void peer_main(struct pairmem *m, unsigned flags)
{
	uint64_t c = 0;
	for (;;) {
		unsigned n;
		while ((n = atomic_load(&m->iters)) == 0) {
			if (atomic_load(&m->quit))
				_exit(0);
			futex_wait(&m->iters, 0);
		}
		peer_turns(m, flags, &c, n);
		atomic_store(&m->iters, 0);
	}
}

struct run {
	struct series s[MAX_SERIES];
	unsigned n, rounds, iters;
	uint64_t count[MAX_SERIES];
	ipc_domain_t *self;		/* the kernel's client */
};

/* n round trips of series k. */
static int turns(struct run *r, unsigned k, unsigned n)
{
	struct series *s = &r->s[k];
	if (s->m) {
		client_turns(s->m, s->flags, &r->count[k], n);
		return 0;
	}
	struct ipc_msg msg = { .code = 1 };	/* the kernel's null call */
	for (unsigned i = 0; i < n; i++) {
		struct ipc_rcv rcv = { .buf = ipc_buffer(r->self), .cap = 0 };
		int err = ipc_call(r->self, 0, &msg, &rcv);
		if (err < 0) {
			fprintf(stderr, "ipclines: ipc_call: %s\n", ipc_strerror(err));
			return -1;
		}
	}
	return 0;
}

/* One sample of series k: iters round trips, ns per round trip. The first
 * round trip wakes the peer (it sleeps between samples) and is not timed. */
static int sample(struct run *r, unsigned k, double *ns)
{
	struct series *s = &r->s[k];
	if (s->m) {
		atomic_store(&s->m->iters, r->iters + 1);
		futex_wake(&s->m->iters);
	}
	int err = turns(r, k, 1);
	uint64_t t0 = now_ns();
	if (!err)
		err = turns(r, k, r->iters);
	*ns = (double)(now_ns() - t0) / r->iters;
	while (s->m && atomic_load(&s->m->iters))
		__builtin_ia32_pause();
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile of v (nearest rank). */
static double quantile(const double *v, unsigned n, double q)
{
	double t[MAX_ROUNDS];
	memcpy(t, v, n * sizeof *v);
	qsort(t, n, sizeof *t, cmp_double);
	return t[(unsigned)(q * (n - 1) + 0.5)];
}

static void report(const struct run *r)
{
	double ratio[MAX_ROUNDS];
	const struct series *spin = &r->s[0];
	unsigned at = 0, near = 0;
	for (unsigned i = 1; i < r->rounds; i++)
		if (spin->ns[i] < spin->ns[at])
			at = i;
	double spin_best = spin->ns[at];
	for (unsigned i = 0; i < r->rounds; i++)
		near += spin->ns[i] <= 1.5 * spin_best;
	printf("| series | best ns | p10 ns | median ns | p90 ns | best / spin best | median of round ratios to spin | in the spin's best round |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (unsigned k = 0; k < r->n; k++) {
		const struct series *s = &r->s[k];
		double best = s->ns[0];
		for (unsigned i = 0; i < r->rounds; i++) {
			ratio[i] = s->ns[i] / spin->ns[i];
			if (s->ns[i] < best)
				best = s->ns[i];
		}
		printf("| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f |\n", s->name, best,
		       quantile(s->ns, r->rounds, 0.1), quantile(s->ns, r->rounds, 0.5),
		       quantile(s->ns, r->rounds, 0.9), best / spin_best,
		       quantile(ratio, r->rounds, 0.5), s->ns[at]);
	}
	printf("\nRounds with the spin within 1.5x its best: %u of %u.\n", near, r->rounds);
}

static int client_main(ipc_domain_t *self, void *arg)
{
	struct run *r = arg;
	r->self = self;
	if (pin(0) < 0)
		return 1;
	for (unsigned k = 0; k < r->n; k++) {
		struct series *s = &r->s[k];
		if (!s->m)
			continue;
		s->pid = fork();
		if (s->pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (pin(1) < 0)
				_exit(2);
			peer_main(s->m, s->flags);
		}
	}
	int err = 0;
	double warm;
	for (unsigned k = 0; k < r->n && !err; k++)	/* a discarded warm-up round */
		err = sample(r, k, &warm);
	for (unsigned i = 0; i < r->rounds && !err; i++)
		for (unsigned k = 0; k < r->n && !err; k++)
			err = sample(r, k, &r->s[k].ns[i]);
	for (unsigned k = 0; k < r->n; k++)
		if (r->s[k].m) {
			atomic_store(&r->s[k].m->quit, 1);
			futex_wake(&r->s[k].m->iters);
			waitpid(r->s[k].pid, NULL, 0);
		}
	const struct ipc_msg quit = { .code = 2 };
	ipc_send(self, 0, &quit, 0);
	if (!err)
		report(r);
	fflush(stdout);
	return err ? 1 : 0;
}

static int server_main(ipc_domain_t *self, void *arg)
{
	(void)arg;
	if (pin(1) < 0)
		return 1;
	struct ipc_rcv r = { .buf = ipc_buffer(self), .cap = 0 };
	int err = ipc_receive(self, &r, -1);
	while (err == 0 && r.code != 2) {
		const struct ipc_msg m = { .code = 0 };
		uint16_t reply = r.reply;
		r = (struct ipc_rcv){ .buf = ipc_buffer(self), .cap = 0 };
		err = ipc_return_receive(self, reply, &m, &r);
	}
	return err < 0 ? 1 : 0;
}

static int usage(FILE *f, int rc)
{
	fprintf(f, "usage: ipclines [-r ROUNDS] [-n ITERS]\n"
		   "  the cost of each line and fence of the IPC handoff, cross-core:\n"
		   "  ROUNDS interleaved rounds (default 200, at most %d) of ITERS round\n"
		   "  trips per series (default 1000); needs 2 CPUs\n", MAX_ROUNDS);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; unsigned flags; } ladder[] = {
		{ "spin (floor)", F_SPIN },
		{ "spin, LFENCE poll", F_SPIN | F_LFENCE },
		{ "word", F_WORD },
		{ "mailbox", 0 },
		{ "+ack", F_ACK },
		{ "+claim", F_ACK | F_CLAIM },
		{ "+fullcas", F_ACK | F_CLAIM | F_FULLCAS },
		{ "+openx", F_ACK | F_CLAIM | F_FULLCAS | F_OPENX },
		{ "+callwait", F_ACK | F_CLAIM | F_FULLCAS | F_OPENX | F_CALLWAIT },
		{ "+install", F_ACK | F_CLAIM | F_FULLCAS | F_OPENX | F_CALLWAIT | F_INSTALL },
		{ "+clock", F_ACK | F_CLAIM | F_FULLCAS | F_OPENX | F_CALLWAIT | F_INSTALL | F_CLOCK },
		{ "one line (claim, header)", F_ONELINE },
		{ "one line, LFENCE poll", F_ONELINE | F_LFENCE },
	};
	static struct run r = { .rounds = 200, .iters = 1000 };
	_Static_assert(sizeof ladder / sizeof *ladder < MAX_SERIES, "room for the kernel's series");
	int opt;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, 0);
	opterr = 0; /* one line of our own for a bad command line, not getopt's and the usage */
	while ((opt = getopt(argc, argv, "r:n:h")) != -1) {
		char *end = NULL;
		long v = optarg ? strtol(optarg, &end, 10) : 0;
		long max = opt == 'r' ? MAX_ROUNDS : 10000000;
		if (opt == 'h')
			return usage(stdout, 0);
		if (opt == '?') {
			fprintf(stderr, "ipclines: unknown option or missing value (ipclines --help)\n");
			return 2;
		}
		if (*end || v < 1 || v > max) {
			fprintf(stderr, "ipclines: -%c '%s': want 1 to %ld\n", opt, optarg, max);
			return 2;
		}
		*(opt == 'r' ? &r.rounds : &r.iters) = (unsigned)v;
	}
	if (optind < argc) {
		fprintf(stderr, "ipclines: unexpected argument '%s' (ipclines --help)\n", argv[optind]);
		return 2;
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fputs("ipclines: needs 2 CPUs\n", stderr);
		return 1;
	}
	size_t nl = sizeof ladder / sizeof *ladder;
	struct pairmem *mem = mmap(NULL, nl * sizeof *mem, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("ipclines: mmap");
		return 1;
	}
	memset(mem, 0, nl * sizeof *mem);
	for (size_t i = 0; i < nl; i++) {
		if (!(ladder[i].flags & F_SPIN))
			mem[i].l[0].w = mem[i].l[1].w = word(0, S_OPEN);
		r.s[r.n++] = (struct series){ ladder[i].name, ladder[i].flags, &mem[i], -1, { 0 } };
	}
	r.s[r.n++] = (struct series){ "ipc_null (the kernel)", 0, NULL, -1, { 0 } };

	struct ipc_config cfg = { .mode = IPC_MODE_PROCESS, .max_domains = 2 };
	ipc_kernel_t *k = NULL;
	unsigned cli, srv, port;
	int err = ipc_kernel_create(&k, &cfg);
	if (!err)
		err = ipc_domain_create(k, "client", client_main, &r, &cli);
	if (!err)
		err = ipc_domain_create(k, "server", server_main, NULL, &srv);
	if (!err)
		err = ipc_port_create(k, srv, 1, &port);
	if (!err)
		err = ipc_grant(k, cli, 0, port);
	if (!err)
		err = ipc_kernel_run(k);
	if (err)
		fprintf(stderr, "ipclines: %s\n", ipc_strerror(err));
	if (k)
		ipc_kernel_destroy(k);
	munmap(mem, nl * sizeof *mem);
	return err ? 1 : 0;
}
