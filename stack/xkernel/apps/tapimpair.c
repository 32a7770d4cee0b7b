/*
 * tapimpair - an impaired link between two TAP devices: every Ethernet
 * frame read from one is written to the other, unless the seeded dice drop
 * it; some go twice (duplicated), some wait DELAY first (so later frames
 * overtake them: reordered). This kernel has no netem; the lossy-link tests
 * and bench/xkernel/lossy.sh put this between Linux and our stack.
 *
 *   tapimpair [-d DROP] [-u DUP] [-r REORDER] [-D DELAY_US] [-S SEED] [-T SECONDS] A B
 *
 * DROP, DUP, REORDER are percentages of frames (default 0); DELAY_US the
 * hold-back of a reordered frame (default 1000). A and B are [NETNS/]IFNAME:
 * an existing TAP device (ip tuntap add dev IFNAME mode tap), opened inside
 * network namespace NETNS (ip netns) when given. Each direction has its own
 * generator, seeded from SEED. It runs until SIGINT/SIGTERM or SECONDS,
 * then prints what it did per direction.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define IMP_FRAME_MAX	2048	/* an Ethernet frame of MTU 1500 and more */
#define IMP_HELD_MAX	1024	/* frames held back per direction */

#define IMP_USAGE \
	"usage: tapimpair [-d DROP] [-u DUP] [-r REORDER] [-D DELAY_US] [-S SEED] [-T SECONDS] A B\n" \
	"  forward frames between TAP devices A and B ([NETNS/]IFNAME, existing), dropping\n" \
	"  DROP%, duplicating DUP%, holding REORDER% back DELAY_US (default 1000) us;\n" \
	"  seeded by SEED; until SIGINT/SIGTERM or SECONDS, then a summary per direction\n"

struct imp_held {
	uint64_t due;
	uint16_t len;
	uint8_t frame[IMP_FRAME_MAX];
};

/* One direction: frames read from `in` go to `out`. */
struct imp_dir {
	int in, out;
	const char *name;
	uint64_t rng;
	struct imp_held *held;	/* a FIFO: every frame waits the same delay */
	unsigned head, count;
	uint64_t frames, dropped, duplicated, delayed, lost;
};

struct imp_opts {
	unsigned drop, dup, reorder;
	unsigned long delay_us, seed, seconds;
};

static uint64_t imp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* True with probability pct percent (xorshift64*). */
static bool imp_dice(struct imp_dir *d, unsigned pct)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return pct && (d->rng * 0x2545f4914f6cdd1dull >> 33) % 100 < pct;
}

static void imp_write(struct imp_dir *d, const uint8_t *frame, size_t len)
{
	if (write(d->out, frame, len) != (ssize_t)len)
		d->lost++;	/* the other side's queue is full or it is down: a loss too */
}

/* One frame read: drop it, hold it back, or send it (maybe twice). */
static void imp_frame(struct imp_dir *d, const struct imp_opts *o, const uint8_t *frame, size_t len)
{
	bool dup;

	d->frames++;
	if (imp_dice(d, o->drop)) {
		d->dropped++;
		return;
	}
	dup = imp_dice(d, o->dup);
	d->duplicated += dup;
	if (imp_dice(d, o->reorder) && len <= IMP_FRAME_MAX && d->count < IMP_HELD_MAX) {
		struct imp_held *h = &d->held[(d->head + d->count++) % IMP_HELD_MAX];

		h->due = imp_now() + o->delay_us * 1000;
		h->len = (uint16_t)len;
		memcpy(h->frame, frame, len);
		d->delayed++;
		if (!dup)
			return;
	} else {
		imp_write(d, frame, len);
	}
	if (dup)
		imp_write(d, frame, len);
}

/* Send the held frames that are due; returns ns until the next is (or -1: none). */
static int64_t imp_release(struct imp_dir *d, uint64_t now)
{
	while (d->count && d->held[d->head].due <= now) {
		imp_write(d, d->held[d->head].frame, d->held[d->head].len);
		d->head = (d->head + 1) % IMP_HELD_MAX;
		d->count--;
	}
	return d->count ? (int64_t)(d->held[d->head].due - now) : -1;
}

static void imp_drain(struct imp_dir *d, const struct imp_opts *o)
{
	static uint8_t buf[65536];
	ssize_t n;

	while ((n = read(d->in, buf, sizeof buf)) > 0)
		imp_frame(d, o, buf, (size_t)n);
}

/* Open TAP device spec ([NETNS/]IFNAME), which must exist; -1 after one line on stderr. */
static int imp_open(const char *spec)
{
	const char *slash = strchr(spec, '/'), *ifname = slash ? slash + 1 : spec;
	char path[300];
	struct ifreq ifr = { 0 };
	int home = -1, ns = -1, fd = -1;

	if (slash) {
		snprintf(path, sizeof path, "/var/run/netns/%.*s", (int)(slash - spec), spec);
		home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		ns = open(path, O_RDONLY | O_CLOEXEC);
		if (home < 0 || ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
			fprintf(stderr, "tapimpair: %s: cannot enter namespace %s: %s\n", spec, path, strerror(errno));
			goto out;
		}
	}
	if (strlen(ifname) >= IFNAMSIZ || if_nametoindex(ifname) == 0)
		fprintf(stderr, "tapimpair: %s: no such device (make it: ip tuntap add dev %s mode tap)\n", spec, ifname);
	else if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		fprintf(stderr, "tapimpair: /dev/net/tun: %s\n", strerror(errno));
	else {
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		memcpy(ifr.ifr_name, ifname, strlen(ifname));
		if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
			fprintf(stderr, "tapimpair: %s: not a free TAP device: %s\n", spec, strerror(errno));
			close(fd);
			fd = -1;
		}
	}
out:
	if (home >= 0 && setns(home, CLONE_NEWNET) < 0 && fd >= 0) {
		fprintf(stderr, "tapimpair: cannot return to the first namespace: %s\n", strerror(errno));
		close(fd);
		fd = -1;
	}
	if (home >= 0)
		close(home);
	if (ns >= 0)
		close(ns);
	return fd;
}

/* 0, 1 when the usage was asked for (printed), or -1. */
static int imp_parse(int argc, char **argv, struct imp_opts *o)
{
	unsigned long v;
	int c;

	*o = (struct imp_opts){ .delay_us = 1000, .seed = 1 };
	if (xk_bench_help(argc, argv))
		return fputs(IMP_USAGE, stdout), 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "hd:u:r:D:S:T:")) != -1) {
		switch (c) {
		case 'h':
			return fputs(IMP_USAGE, stdout), 1;
		case 'd': case 'u': case 'r':
			if (xk_bench_ulong("tapimpair", c == 'd' ? "-d" : c == 'u' ? "-u" : "-r", optarg, 100, &v))
				return -1;
			*(c == 'd' ? &o->drop : c == 'u' ? &o->dup : &o->reorder) = (unsigned)v;
			break;
		case 'D':
			if (xk_bench_ulong("tapimpair", "-D", optarg, 10000000, &o->delay_us))
				return -1;
			break;
		case 'S':
			if (xk_bench_ulong("tapimpair", "-S", optarg, ~0ul, &o->seed))
				return -1;
			break;
		case 'T':
			if (xk_bench_ulong("tapimpair", "-T", optarg, 31ul * 24 * 3600, &o->seconds))
				return -1;
			break;
		default:
			fprintf(stderr, "tapimpair: %s option '-%c' (tapimpair --help)\n",
				optopt && strchr("durDST", optopt) ? "a value is missing for" : "unknown", optopt);
			return -1;
		}
	}
	if (argc - optind != 2) {
		fputs("tapimpair: want two TAP devices, A and B (tapimpair --help)\n", stderr);
		return -1;
	}
	return 0;
}

static void imp_report(const struct imp_dir *d)
{
	printf("tapimpair: %s: %llu frames, %llu dropped, %llu duplicated, %llu delayed, %llu lost writing\n",
	       d->name, (unsigned long long)d->frames, (unsigned long long)d->dropped,
	       (unsigned long long)d->duplicated, (unsigned long long)d->delayed, (unsigned long long)d->lost);
}

/* Forward both ways until stopped or the deadline (0: none). */
static void imp_run(struct imp_dir d[2], const struct imp_opts *o)
{
	uint64_t deadline = o->seconds ? imp_now() + o->seconds * 1000000000ull : 0;

	while (!xk_bench_stopped(NULL)) {
		struct pollfd p[2] = { { .fd = d[0].in, .events = POLLIN }, { .fd = d[1].in, .events = POLLIN } };
		uint64_t now = imp_now();
		int64_t wait = 100000000, w;	/* at most 100 ms: look at the deadline and signals */

		if (deadline && now >= deadline)
			break;
		for (int i = 0; i < 2; i++)
			if ((w = imp_release(&d[i], now)) >= 0 && w < wait)
				wait = w;
		if (poll(p, 2, (int)((wait + 999999) / 1000000)) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++)
			imp_drain(&d[i], o);
	}
}

int main(int argc, char **argv)
{
	struct imp_dir d[2] = { 0 };
	struct imp_opts o;
	int err = imp_parse(argc, argv, &o), fd[2];

	if (err)
		return err > 0 ? 0 : 2;
	fd[0] = imp_open(argv[optind]);
	fd[1] = fd[0] < 0 ? -1 : imp_open(argv[optind + 1]);
	if (fd[1] < 0) {
		if (fd[0] >= 0)
			close(fd[0]);
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		d[i] = (struct imp_dir){ .in = fd[i], .out = fd[1 - i], .name = i ? "B->A" : "A->B",
					 .rng = (o.seed + 1) * 0x9e3779b97f4a7c15ull + (uint64_t)i,
					 .held = calloc(IMP_HELD_MAX, sizeof(struct imp_held)) };
		err |= !d[i].held;
	}
	if (err) {
		fputs("tapimpair: out of memory\n", stderr);
	} else {
		xk_bench_catch_stop();
		imp_run(d, &o);
		imp_report(&d[0]);
		imp_report(&d[1]);
	}
	for (int i = 0; i < 2; i++) {
		free(d[i].held);
		close(fd[i]);
	}
	return err ? 1 : 0;
}
