/*
 * ipcb_linux.c - what Linux offers for a local round trip, as echo peers:
 * pipe, UNIX socketpair, UDP, TCP and TCP_NODELAY over 127.0.0.1, each a
 * process pinned to the server CPU that writes back what it reads; and the
 * floor for any handoff, two processes taking turns on one cache line.
 * A payload of 0 is sent as 1 byte (a pipe cannot carry an empty message).
 */
#define _GNU_SOURCE
#include "ipcb.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { T_PIPE, T_SOCKETPAIR, T_UDP, T_TCP, T_TCP_NODELAY, T_SPIN, T_COUNT };
static const char *const transport_name[T_COUNT] = {
	"pipe", "socketpair", "udp", "tcp", "tcp_nodelay", "spin",
};

struct spin_line {
	_Atomic uint64_t seq;		/* odd: the client's turn is over; even: the server's */
	char pad[56];
};

struct peer {
	struct ipcb_linux *owner;
	int kind;
	int rfd, wfd;			/* the client's ends */
	pid_t pid;
};

struct ipcb_linux {
	struct peer peer[T_COUNT];
	struct spin_line *line;		/* shared with the spin peer */
	int same_cpu;
	unsigned char buf[IPCB_MAX_PAYLOAD], payload[IPCB_MAX_PAYLOAD];
};

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EPIPE;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_full(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The echo peer: whatever arrives goes back, until the end. */
static void echo_serve(int rfd, int wfd)
{
	static unsigned char buf[IPCB_MAX_PAYLOAD];
	for (;;) {
		ssize_t r = read(rfd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || write_all(wfd, buf, (size_t)r) < 0)
			return;
	}
}

static inline void spin_wait(const struct spin_line *l, uint64_t want, int yield)
{
	while (atomic_load_explicit(&l->seq, memory_order_acquire) != want) {
		if (yield)
			sched_yield();
		else
			__builtin_ia32_pause();
	}
}

/* The spin peer: told how many turns by its control pipe, then takes them. */
static void spin_serve(struct spin_line *l, int ctl, int yield)
{
	uint64_t seq = atomic_load(&l->seq);
	unsigned iters;
	while (read_full(ctl, (unsigned char *)&iters, sizeof iters) == 0)
		for (unsigned i = 0; i < iters; i++) {
			spin_wait(l, seq + 1, yield);
			seq += 2;
			atomic_store_explicit(&l->seq, seq, memory_order_release);
		}
}

/* Fork a peer pinned to cpu running serve(rfd, wfd) or the spin loop. */
static int fork_peer(struct ipcb_linux *l, struct peer *p, int cpu, int srfd, int swfd)
{
	pid_t pid = fork();
	int err = pid < 0 ? -errno : 0;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (ipcb_pin(cpu) < 0)
			_exit(2);
		if (p->kind == T_SPIN)
			spin_serve(l->line, srfd, l->same_cpu);
		else
			echo_serve(srfd, swfd);
		_exit(0);
	}
	p->pid = pid;
	close(srfd);		/* the peer's ends are the peer's alone */
	if (swfd != srfd)
		close(swfd);
	return err;
}

/* Two connected loopback sockets of type (SOCK_DGRAM or SOCK_STREAM). */
static int inet_pair(int type, int nodelay, int fds[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	int one = 1, err = 0;
	int s0 = socket(AF_INET, type | SOCK_CLOEXEC, 0), s1 = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	int lst = -1;

	if (s0 < 0 || s1 < 0)
		goto fail;
	if (type == SOCK_DGRAM) {
		struct sockaddr_in b = a;
		socklen_t blen = sizeof b;
		if (bind(s0, (struct sockaddr *)&a, sizeof a) || bind(s1, (struct sockaddr *)&b, sizeof b) ||
		    getsockname(s0, (struct sockaddr *)&a, &alen) ||
		    getsockname(s1, (struct sockaddr *)&b, &blen) ||
		    connect(s0, (struct sockaddr *)&b, blen) || connect(s1, (struct sockaddr *)&a, alen))
			goto fail;
	} else {
		lst = s1;
		if (bind(lst, (struct sockaddr *)&a, sizeof a) || listen(lst, 1) ||
		    getsockname(lst, (struct sockaddr *)&a, &alen) ||
		    connect(s0, (struct sockaddr *)&a, alen))
			goto fail;
		s1 = accept4(lst, NULL, NULL, SOCK_CLOEXEC);
		close(lst);
		if (s1 < 0)
			goto fail;
		if (nodelay && (setsockopt(s0, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) ||
				setsockopt(s1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)))
			goto fail;
	}
	fds[0] = s0;
	fds[1] = s1;
	return 0;
fail:
	err = -errno;
	if (s0 >= 0)
		close(s0);
	if (s1 >= 0)
		close(s1);
	return err ? err : -EIO;
}

/* Make the client's and the peer's ends of one transport. */
static int open_transport(int kind, int cli[2], int srv[2])
{
	int a[2], b[2], err = 0;
	switch (kind) {
	case T_PIPE:
	case T_SPIN:		/* the spin peer's control pipe */
		if (pipe2(a, O_CLOEXEC))
			return -errno;
		if (kind == T_SPIN) {
			cli[0] = cli[1] = a[1];
			srv[0] = srv[1] = a[0];
			return 0;
		}
		if (pipe2(b, O_CLOEXEC)) {
			err = -errno;
			close(a[0]);
			close(a[1]);
			return err;
		}
		cli[0] = b[0], cli[1] = a[1];	/* client writes a, reads b */
		srv[0] = a[0], srv[1] = b[1];
		return 0;
	case T_SOCKETPAIR:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a))
			return -errno;
		break;
	case T_UDP:
		err = inet_pair(SOCK_DGRAM, 0, a);
		break;
	default:
		err = inet_pair(SOCK_STREAM, kind == T_TCP_NODELAY, a);
		break;
	}
	if (err < 0)
		return err;
	cli[0] = cli[1] = a[0];
	srv[0] = srv[1] = a[1];
	return 0;
}

static int echo_run(void *ctx, size_t n, unsigned iters)
{
	struct peer *p = ctx;
	struct ipcb_linux *l = p->owner;
	size_t m = n ? n : 1;
	for (unsigned i = 0; i < iters; i++) {
		int err = write_all(p->wfd, l->payload, m);
		if (err == 0)
			err = read_full(p->rfd, l->buf, m);
		if (err < 0)
			return err;
	}
	return 0;
}

static int spin_run(void *ctx, size_t n, unsigned iters)
{
	struct peer *p = ctx;
	struct spin_line *line = p->owner->line;
	int err = write_all(p->wfd, (const unsigned char *)&iters, sizeof iters);
	(void)n;
	if (err < 0)
		return err;
	uint64_t seq = atomic_load(&line->seq);
	for (unsigned i = 0; i < iters; i++) {
		atomic_store_explicit(&line->seq, seq + 1, memory_order_release);
		seq += 2;
		spin_wait(line, seq, p->owner->same_cpu);
	}
	return 0;
}

int ipcb_linux_start(struct ipcb_linux **lp, int server_cpu, int same_cpu)
{
	struct ipcb_linux *l = calloc(1, sizeof *l);
	if (!l)
		return -ENOMEM;
	l->same_cpu = same_cpu;
	for (int k = 0; k < T_COUNT; k++)
		l->peer[k] = (struct peer){ .owner = l, .kind = k, .rfd = -1, .wfd = -1, .pid = -1 };
	l->line = ipcb_shared_alloc(sizeof *l->line);
	int err = l->line ? 0 : -ENOMEM;
	for (int k = 0; k < T_COUNT && err == 0; k++) {
		int cli[2] = { -1, -1 }, srv[2] = { -1, -1 };
		err = open_transport(k, cli, srv);
		if (err < 0)
			break;
		l->peer[k].rfd = cli[0];
		l->peer[k].wfd = cli[1];
		err = fork_peer(l, &l->peer[k], server_cpu, srv[0], srv[1]);
	}
	if (err < 0) {
		ipcb_linux_stop(l);
		return err;
	}
	*lp = l;
	return 0;
}

void ipcb_linux_stop(struct ipcb_linux *l)
{
	if (!l)
		return;
	for (int k = 0; k < T_COUNT; k++) {
		struct peer *p = &l->peer[k];
		if (p->pid > 0) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, NULL, 0);
		}
		if (p->rfd >= 0)
			close(p->rfd);
		if (p->wfd >= 0 && p->wfd != p->rfd)
			close(p->wfd);
	}
	ipcb_shared_free(l->line, sizeof *l->line);
	free(l);
}

unsigned ipcb_linux_series(struct ipcb_linux *l, struct ipcb_series *out, unsigned max)
{
	unsigned k = 0;
	for (; k < T_COUNT && k < max; k++)
		out[k] = (struct ipcb_series){ transport_name[k], k == T_SPIN ? spin_run : echo_run,
					       &l->peer[k] };
	return k;
}
