/*
 * ipc_stress_test.c - many domains, a seeded random mix of calls, returns,
 * sends, nested calls, tail calls, coroutines and capability passing,
 * about a million messages, in process mode and in thread mode.
 *
 * Clients call servers and send to a sink; a server only calls or forwards
 * to servers of a higher index, so no cycle can deadlock. Every message
 * carries its id, length and a check word over both, and a string derived
 * from its id: each receiver checks it arrived intact and is the one it
 * expects. At the end, the messages received by all domains must equal
 * the messages the clients' operations produced: each arrived exactly once.
 *
 *   IPC_STRESS_SEED=N  replays a run (the seed is printed).
 */
#define _GNU_SOURCE
#include "ipc_testlib.h"
#include "tap.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS 4			/* servers, domains 0..NS-1 */
#define SINK NS			/* the sink's domain id and its slot in clients */
#define NC 4			/* clients, domains NS+1.. */
#define ND (NS + 1 + NC)

#define ST_TARGET 1000000L	/* messages per mode, under ASan/UBSan too */

enum st_op {
	OP_ECHO = 1, OP_NESTED, OP_TAIL, OP_TAIL2, OP_CORO, OP_SEND,
	OP_REPLY = 0x100,	/* or-ed into a reply's code */
	OP_CHALLENGE = 0x200, OP_ANSWER = 0x300,
};

/* kt_val[] layout: per domain. */
#define V_RECV(d) (100 + (d))
#define V_ERRS(d) (200 + (d))
#define V_MSGS(d) (300 + (d))
#define V_SENDS(d) (400 + (d))

struct st_dom {
	ipc_domain_t *self;
	uint64_t rng;
	unsigned id;
	long recv, errs;
	unsigned char *out, *priv;
};

static uint64_t st_seed;

static uint64_t st_rand(struct st_dom *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

static size_t st_len(struct st_dom *s)
{
	unsigned p = st_rand(s) % 100;

	if (p < 75)
		return st_rand(s) % 257;
	if (p < 98)
		return st_rand(s) % 4097;
	return st_rand(s) % (IPC_MAX_STRING + 1);
}

static uint64_t st_hash(uint32_t code, const uint64_t *w)
{
	uint64_t h = code * 0xff51afd7ed558ccdull;

	for (int i = 0; i < 3; i++)
		h = (h ^ w[i]) * 0xc4ceb9fe1a85ec53ull, h ^= h >> 29;
	return h;
}

static void st_make(struct st_dom *s, struct ipc_msg *m, uint32_t code, uint64_t id,
		    size_t len, uint64_t aux)
{
	memset(m, 0, sizeof *m);
	m->code = code;
	m->w[0] = id;
	m->w[1] = len;
	m->w[2] = aux;
	m->w[3] = st_hash(code, m->w);
	kt_fill(s->out, len, id);
	m->data = s->out;
	m->len = len;
}

/* Count a received message and check it is intact and the expected one. */
static bool st_got(struct st_dom *s, int rc, const struct ipc_rcv *r, uint32_t code, uint64_t id)
{
	bool ok = rc == 0 && r->code == code && r->w[3] == st_hash(r->code, r->w) &&
		  r->len == r->w[1] && kt_check(r->buf, r->len, r->w[0]) &&
		  (id == 0 || r->w[0] == id);

	s->recv += rc == 0;
	s->errs += !ok;
	return ok;
}

static void st_init(struct st_dom *s, ipc_domain_t *self)
{
	s->self = self;
	s->id = ipc_self_id(self);
	s->rng = (st_seed ^ (s->id + 1) * 0x9e3779b97f4a7c15ull) | 1;
	s->recv = s->errs = 0;
	s->out = malloc(IPC_MAX_STRING);
	s->priv = malloc(IPC_MAX_STRING);
}

static int st_finish(struct st_dom *s)
{
	kt_val[V_RECV(s->id)] = s->recv;
	kt_val[V_ERRS(s->id)] = s->errs;
	free(s->out);
	free(s->priv);
	return s->errs ? 1 : 0;
}

/* Receive buffers: sometimes in place in the kernel's inbox. */
static void st_rbuf(struct st_dom *s, struct ipc_rcv *r)
{
	r->buf = st_rand(s) & 1 ? ipc_buffer(s->self) : s->priv;
	r->cap = IPC_MAX_STRING;
}

/* Server j: echo, nested call, tail call, coroutine; replies carry j. */
static int st_server(ipc_domain_t *self, void *arg)
{
	struct st_dom s;
	struct ipc_rcv r, r2;
	struct ipc_msg m;
	unsigned char *buf2 = malloc(IPC_MAX_STRING);
	int rc;

	(void)arg;
	st_init(&s, self);
	st_rbuf(&s, &r);
	rc = ipc_receive(self, &r, -1);
	while (rc == 0) {
		uint64_t id = r.w[0], aux = r.w[2];
		uint16_t reply = r.reply;
		uint32_t code = r.code, rcode = code | OP_REPLY;
		if (!st_got(&s, rc, &r, code, 0) || r.badge != 0x100 + s.id || reply == IPC_NO_SLOT)
			s.errs++;
		r2.buf = buf2;
		r2.cap = IPC_MAX_STRING;
		switch (code) {
		case OP_ECHO:
			id += 1;
			break;
		case OP_NESTED:		/* call server aux (slot aux), then answer */
			st_make(&s, &m, OP_ECHO, id + 2, st_len(&s), 0);
			rc = ipc_call(self, (uint16_t)aux, &m, &r2);
			st_got(&s, rc, &r2, OP_ECHO | OP_REPLY, id + 3);
			id += 4;
			break;
		case OP_TAIL:		/* return to server aux's entry with the reply cap */
			st_make(&s, &m, OP_TAIL2, id + 2, st_len(&s), aux);
			m.ncaps = 1;
			m.caps[0] = reply;
			if (r.ncaps != 1 || ipc_send(self, r.caps[0], &m, 0) < 0 ||
			    ipc_cap_drop(self, r.caps[0]) < 0)
				s.errs++;
			st_rbuf(&s, &r);
			rc = ipc_receive(self, &r, -1);
			continue;
		case OP_TAIL2:		/* the end of a tail call: answer the client */
			rcode = OP_TAIL | OP_REPLY;
			id += 1;
			break;
		case OP_CORO:		/* call the caller back, then answer */
			st_make(&s, &m, OP_CHALLENGE, id + 2, st_len(&s), aux);
			rc = ipc_call(self, reply, &m, &r2);
			if (!st_got(&s, rc, &r2, OP_ANSWER, id + 3) || r2.w[2] != aux * 3 + 1)
				s.errs++;
			reply = r2.reply;
			id += 4;
			break;
		default:
			s.errs++;
		}
		st_make(&s, &m, rcode, id, st_len(&s), s.id);
		st_rbuf(&s, &r);
		rc = ipc_return_receive(self, reply, &m, &r);
	}
	if (rc != -IPC_EDEAD)	/* only the kernel stopping ends a server */
		s.errs++;
	free(buf2);
	return st_finish(&s);
}

/* The sink: sends from each client arrive in order, once each. */
static int st_sink(ipc_domain_t *self, void *arg)
{
	struct st_dom s;
	struct ipc_rcv r;
	long next[ND] = { 0 };
	int rc;

	(void)arg;
	st_init(&s, self);
	for (;;) {
		st_rbuf(&s, &r);
		if ((rc = ipc_receive(self, &r, -1)) < 0)
			break;
		unsigned from = (unsigned)(r.w[0] >> 48);
		if (!st_got(&s, rc, &r, OP_SEND, 0) || r.reply != IPC_NO_SLOT || from >= ND ||
		    (long)r.w[2] != next[from]++)
			s.errs++;
	}
	if (rc != -IPC_EDEAD)
		s.errs++;
	return st_finish(&s);
}

/* A client: a random operation at a time until its share of messages. */
static int st_client(ipc_domain_t *self, void *arg)
{
	struct st_dom s;
	struct ipc_rcv r;
	struct ipc_msg m;
	long msgs = 0, sends = 0;
	uint64_t seq = 0;
	int rc;

	(void)arg;
	st_init(&s, self);
	while (msgs < ST_TARGET / NC) {
		uint64_t id = (uint64_t)s.id << 48 | ++seq << 8;
		unsigned p = st_rand(&s) % 100;
		unsigned j = st_rand(&s) % NS, k = j + 1 + st_rand(&s) % NS;
		st_rbuf(&s, &r);
		if (p < 25) {			/* one-way send to the sink */
			st_make(&s, &m, OP_SEND, id, st_len(&s), sends);
			unsigned flags = st_rand(&s) & 1 ? IPC_NONBLOCK : 0;
			while ((rc = ipc_send(self, SINK, &m, flags)) == -IPC_EAGAIN)
				sched_yield();
			s.errs += rc < 0;
			sends++;
			msgs += 1;
			continue;
		}
		if (p < 60 || j == NS - 1) {	/* echo */
			st_make(&s, &m, OP_ECHO, id, st_len(&s), 0);
			rc = ipc_call(self, (uint16_t)j, &m, &r);
			if (!st_got(&s, rc, &r, OP_ECHO | OP_REPLY, id + 1) || r.w[2] != j)
				s.errs++;
			msgs += 2;
		} else if (p < 73) {		/* nested: j calls k */
			k = k >= NS ? NS - 1 : k;
			st_make(&s, &m, OP_NESTED, id, st_len(&s), k);
			rc = ipc_call(self, (uint16_t)j, &m, &r);
			if (!st_got(&s, rc, &r, OP_NESTED | OP_REPLY, id + 4) || r.w[2] != j)
				s.errs++;
			msgs += 4;
		} else if (p < 87) {		/* tail: j returns to k, k answers */
			k = k >= NS ? NS - 1 : k;
			st_make(&s, &m, OP_TAIL, id, st_len(&s), k);
			m.ncaps = 1;
			m.caps[0] = (uint16_t)k;
			rc = ipc_call(self, (uint16_t)j, &m, &r);
			if (!st_got(&s, rc, &r, OP_TAIL | OP_REPLY, id + 3) || r.w[2] != k)
				s.errs++;
			msgs += 3;
		} else {			/* coroutine: j calls us back */
			uint64_t x = st_rand(&s) >> 4;
			st_make(&s, &m, OP_CORO, id, st_len(&s), x);
			rc = ipc_call(self, (uint16_t)j, &m, &r);
			if (!st_got(&s, rc, &r, OP_CHALLENGE, id + 2) || r.w[2] != x)
				s.errs++;
			st_make(&s, &m, OP_ANSWER, id + 3, st_len(&s), x * 3 + 1);
			uint16_t back = r.reply;
			st_rbuf(&s, &r);
			rc = ipc_call(self, back, &m, &r);
			if (!st_got(&s, rc, &r, OP_CORO | OP_REPLY, id + 4) || r.w[2] != j)
				s.errs++;
			msgs += 4;
		}
	}
	kt_val[V_MSGS(s.id)] = msgs;
	kt_val[V_SENDS(s.id)] = sends;
	return st_finish(&s);
}

#define ST_TESTS 6
static void test_stress(enum ipc_mode mode)
{
	const char *mn = kt_mode_name(mode);
	struct kt t;
	unsigned srv[NS], sink, cli[NC];

	kt_begin(&t, mode, NULL);
	for (unsigned j = 0; j < NS; j++)
		srv[j] = kt_domain(&t, "server", st_server, NULL);
	sink = kt_domain(&t, "sink", st_sink, NULL);
	for (unsigned c = 0; c < NC; c++)
		cli[c] = kt_domain(&t, "client", st_client, NULL);
	for (unsigned j = 0; j < NS; j++) {
		unsigned p = kt_port(&t, srv[j], 0x100 + j);
		for (unsigned c = 0; c < NC; c++)
			kt_grant(&t, cli[c], (uint16_t)j, p);
		for (unsigned i = 0; i < j; i++)	/* only lower servers reach up */
			kt_grant(&t, srv[i], (uint16_t)j, p);
	}
	unsigned ps = kt_port(&t, sink, 0);
	for (unsigned c = 0; c < NC; c++)
		kt_grant(&t, cli[c], SINK, ps);

	tap_is_int(kt_end(&t), 0, "%s: stress: kernel ran to the end, no deadlock", mn);
	long errs = 0, recv = 0, msgs = 0, sends = 0, done = 0;
	for (unsigned d = 0; d < ND; d++) {
		errs += kt_val[V_ERRS(d)];
		recv += kt_val[V_RECV(d)];
		msgs += kt_val[V_MSGS(d)];
		sends += kt_val[V_SENDS(d)];
	}
	for (unsigned c = 0; c < NC; c++)
		done += kt_val[V_MSGS(cli[c])] >= ST_TARGET / NC;
	tap_is_int(done, NC, "%s: stress: every client did its share", mn);
	tap_is_int(errs, 0, "%s: stress: every message intact and the expected one", mn);
	tap_ok(msgs >= ST_TARGET, "%s: stress: %ld messages (at least %ld)", mn, msgs, ST_TARGET);
	tap_is_int(recv, msgs, "%s: stress: messages received = messages sent: each once", mn);
	tap_is_int(kt_val[V_RECV(sink)], sends, "%s: stress: the sink got every send", mn);
}

int main(void)
{
	const char *env = getenv("IPC_STRESS_SEED");

	alarm(600);
	st_seed = env ? strtoull(env, NULL, 0) : 20261123;
	tap_plan(2 * ST_TESTS);
	tap_diag("seed %llu (IPC_STRESS_SEED=%llu replays it)", (unsigned long long)st_seed,
		 (unsigned long long)st_seed);
	for (int i = 0; i < 2; i++)
		test_stress(kt_modes[1 - i]);
	return tap_done();
}
