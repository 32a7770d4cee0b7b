/*
 * tcp_ipcwire_test - TCP between two hosts that are processes (domains) on
 * the IPC kernel, their Ethernet frames crossing it with 5% loss, 5%
 * duplication, 5% reordering and 100 us of delay (seeded): 1 MiB each way
 * arrives byte-identical and in order, and both sides close cleanly (the
 * side that closed first through TIME_WAIT, the other through LAST_ACK,
 * both to CLOSED). Each domain checks what it received and writes its results into
 * memory shared with this supervisor, which asserts them.
 */
#define _DEFAULT_SOURCE

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cycles.h"
#include "ipcpair.h"
#include "tap.h"
#include "tcp.h"
#include "tcp_app.h"
#include "testbed.h"

#define SIZE		(1u << 20)
#define PORT		5003
#define SEC		1000000000ull
#define TIME_WAIT_NS	(2 * SEC)	/* long enough for the peer's FIN retransmits */
#define DATA_SEED	4243u

/* One host's results, in memory shared with the supervisor. */
struct side {
	pid_t pid;		/* the host's process */
	int run_rc;		/* 0: both ways ended and the connection is CLOSED or in TIME_WAIT */
	int drain_rc;		/* 0: then it reached CLOSED (client) */
	bool data_ok;
	size_t rx_len;
	uint64_t run_ms, drain_ms;	/* how long each phase took (real time) */
	struct xk_tcp_stats st;
	struct xk_wire_stats ws;
};

static struct tcp_app apps[2];	/* each domain uses its own (process) copy */
static struct side *shared;

/* Host i's bytes: a seeded xorshift stream, made again by the receiver to compare. */
static void fill(uint8_t *buf, unsigned i)
{
	uint32_t x = DATA_SEED + i * 7919;

	for (size_t k = 0; k < SIZE; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[k] = (uint8_t)x;
	}
}

/* The suite has TCP; each host adds its byte-stream user. */
static int reg(xk_host_t *h)
{
	return xk_register(h, "tcpapp", xk_tcp_app_init, &apps[xk_host_config(h)->ip == XK_TESTBED_IP(1)]);
}

struct run {
	struct tcp_app *app;
	xk_proto_t *tcp;
};

static void stats(const struct run *r, struct xk_tcp_stats *st)
{
	memset(st, 0, sizeof *st);
	xk_control(r->tcp, XK_TCP_CTL_GET_STATS, st, sizeof *st);
}

static unsigned live(const struct xk_tcp_stats *st)
{
	unsigned n = 0;

	for (int s = 0; s < TCP_NSTATES; s++)
		n += st->nstate[s];
	return n;
}

/* Pump the app; true once both ways ended, it closed, and no connection is short of TIME_WAIT. */
static bool closed_cleanly(void *arg)
{
	struct run *r = arg;
	struct xk_tcp_stats st;

	tcp_app_pump(r->app);
	stats(r, &st);
	return r->app->closed && r->app->eof && live(&st) == st.nstate[TCP_TIME_WAIT];
}

static bool all_closed(void *arg)
{
	struct xk_tcp_stats st;

	stats(arg, &st);
	return live(&st) == 0;
}

static int side_run(struct xk_ipcpair_host *h, struct run *r, struct side *out, const uint8_t *want)
{
	uint64_t tw = TIME_WAIT_NS, t0 = xk_clock_ns();
	int err = xk_control(r->tcp, XK_TCP_CTL_SET_TIME_WAIT, &tw, sizeof tw);

	if (!err)
		err = h->index ? tcp_app_listen(r->app, PORT) : tcp_app_connect(r->app, XK_TESTBED_IP(1), PORT);
	out->run_rc = err ? err : xk_ipcwire_run(h->drv, 300 * SEC, closed_cleanly, r);
	out->run_ms = (xk_clock_ns() - t0) / 1000000;
	out->rx_len = r->app->rx_len;
	out->data_ok = r->app->rx_len == SIZE && memcmp(r->app->rx, want, SIZE) == 0;
	/* The client stays until its connection is CLOSED: its TIME_WAIT answers a lost last ACK. */
	out->drain_rc = h->index ? 0 : xk_ipcwire_run(h->drv, 30 * SEC, all_closed, r);
	out->drain_ms = (xk_clock_ns() - t0) / 1000000 - out->run_ms;
	stats(r, &out->st);
	xk_ipcwire_stats(h->drv, &out->ws);
	if (h->index)
		xk_ipcwire_serve(h->drv);	/* until the client's domain is done */
	return out->run_rc || out->drain_rc || !out->data_ok;
}

static int host_main(struct xk_ipcpair_host *h, void *arg)
{
	struct run r = { &apps[h->index], xk_proto_find(h->host, "tcp") };
	uint8_t *tx = malloc(SIZE), *rx = malloc(SIZE), *want = malloc(SIZE);
	int rc = 1;

	(void)arg;
	shared[h->index].pid = getpid();
	if (tx && rx && want && r.tcp) {
		fill(tx, h->index);
		fill(want, !h->index);
		*r.app = (struct tcp_app){ .proto = r.app->proto, .tx = tx, .tx_len = SIZE, .rx = rx, .rx_cap = SIZE };
		rc = side_run(h, &r, &shared[h->index], want);
	}
	free(tx);
	free(rx);
	free(want);
	return rc;
}

static void report(const char *who, const struct side *s)
{
	tap_diag("%s: wire sent %llu dropped %llu duplicated %llu reordered %llu; segments out %llu, "
		 "timeouts %llu, fast rexmits %llu, out of order %llu; %llu ms, then %llu ms to CLOSED", who,
		 (unsigned long long)s->ws.sent, (unsigned long long)s->ws.dropped,
		 (unsigned long long)s->ws.duplicated, (unsigned long long)s->ws.reordered,
		 (unsigned long long)s->st.segs_out, (unsigned long long)s->st.rexmit_timeouts,
		 (unsigned long long)s->st.fast_rexmits, (unsigned long long)s->st.ooo_segs,
		 (unsigned long long)s->run_ms, (unsigned long long)s->drain_ms);
}

int main(void)
{
	struct xk_wire_impair lossy = { .seed = 20261129, .drop_pct = 5, .dup_pct = 5, .reorder_pct = 5,
				       .latency_ns = 100000 };
	const struct side *c, *s;
	int rc;

	shared = mmap(NULL, 2 * sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		tap_bail("mmap: cannot share results with the domains");
	memset(shared, 0, 2 * sizeof *shared);
	c = &shared[0];
	s = &shared[1];
	tap_plan(9);
	tap_diag("wire seed %llu, data seed %u, %u bytes each way", (unsigned long long)lossy.seed, DATA_SEED, SIZE);
	rc = xk_ipcpair_run("process", &lossy, "tcp ip/6\ntcpapp tcp\n", reg, host_main, NULL);
	tap_is_int(rc, 0, "both host processes ran and returned success");
	tap_ok(c->pid && s->pid && c->pid != s->pid && c->pid != getpid() && s->pid != getpid(),
	       "each host ran in a process of its own (%d, %d; supervisor %d)", (int)c->pid, (int)s->pid, (int)getpid());
	report("client", c);
	report("server", s);
	tap_ok(s->data_ok, "client to server: %u bytes arrive identical and in order (got %zu)", SIZE, s->rx_len);
	tap_ok(c->data_ok, "server to client: %u bytes arrive identical and in order (got %zu)", SIZE, c->rx_len);
	tap_is_int(c->run_rc, 0, "client: both ways ended, closed, connection CLOSED or in TIME_WAIT");
	tap_is_int(s->run_rc, 0, "server: both ways ended, closed, connection CLOSED or in TIME_WAIT");
	tap_is_int(c->drain_rc, 0, "client: its connection then reached CLOSED");
	tap_ok(c->ws.dropped + s->ws.dropped > 0 && c->ws.duplicated + s->ws.duplicated > 0 &&
	       c->ws.reordered + s->ws.reordered > 0, "the wire did drop, duplicate and reorder frames");
	tap_ok(c->st.rexmit_timeouts + c->st.fast_rexmits + s->st.rexmit_timeouts + s->st.fast_rexmits > 0,
	       "losses were repaired by retransmission");
	munmap(shared, 2 * sizeof *shared);
	return tap_done();
}
