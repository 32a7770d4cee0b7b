/* ipc_testlib.c - see ipc_testlib.h. */
#define _GNU_SOURCE
#include "ipc_testlib.h"
#include "tap.h"

#include <sched.h>
#include <string.h>
#include <sys/mman.h>

volatile long *kt_val;
const enum ipc_mode kt_modes[2] = { IPC_MODE_THREAD, IPC_MODE_PROCESS };

const char *kt_mode_name(enum ipc_mode mode)
{
	return mode == IPC_MODE_THREAD ? "thread" : "process";
}

void kt_begin(struct kt *t, enum ipc_mode mode, const struct ipc_config *cfg)
{
	struct ipc_config c = cfg ? *cfg : (struct ipc_config){ 0 };
	int rc;

	if (!kt_val) {
		void *p = mmap(NULL, KT_NVALS * sizeof(long), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			tap_bail("mmap of the shared test values failed");
		kt_val = p;
	}
	memset((void *)kt_val, 0, KT_NVALS * sizeof(long));
	c.mode = mode;
	t->mode = mode;
	if ((rc = ipc_kernel_create(&t->k, &c)) < 0)
		tap_bail("ipc_kernel_create: %s", ipc_strerror(rc));
}

unsigned kt_domain(struct kt *t, const char *name, ipc_main_fn fn, void *arg)
{
	unsigned id;
	int rc = ipc_domain_create(t->k, name, fn, arg, &id);

	if (rc < 0)
		tap_bail("ipc_domain_create %s: %s", name, ipc_strerror(rc));
	return id;
}

unsigned kt_port(struct kt *t, unsigned owner, uint64_t badge)
{
	unsigned id;
	int rc = ipc_port_create(t->k, owner, badge, &id);

	if (rc < 0)
		tap_bail("ipc_port_create: %s", ipc_strerror(rc));
	return id;
}

void kt_grant(struct kt *t, unsigned domain, uint16_t slot, unsigned port)
{
	int rc = ipc_grant(t->k, domain, slot, port);

	if (rc < 0)
		tap_bail("ipc_grant: %s", ipc_strerror(rc));
}

int kt_end(struct kt *t)
{
	int rc = ipc_kernel_run(t->k);

	ipc_kernel_destroy(t->k);
	t->k = NULL;
	return rc;
}

/* Word i of the pattern: cheap enough for a million messages. */
static uint64_t kt_word(size_t i, uint64_t seed)
{
	uint64_t x = (seed ^ (i + 1) * 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;

	return x ^ x >> 31;
}

void kt_fill(void *buf, size_t n, uint64_t seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w = kt_word(i / 8, seed);
		memcpy(p + i, &w, 8);
	}
	if (i < n) {
		uint64_t w = kt_word(i / 8, seed);
		memcpy(p + i, &w, n - i);
	}
}

bool kt_check(const void *buf, size_t n, uint64_t seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w = kt_word(i / 8, seed);
		if (memcmp(p + i, &w, 8))
			return false;
	}
	if (i < n) {
		uint64_t w = kt_word(i / 8, seed);
		return memcmp(p + i, &w, n - i) == 0;
	}
	return true;
}

int kt_pin_one_cpu(void)
{
	cpu_set_t all, one;
	int cpu = -1;

	if (sched_getaffinity(0, sizeof all, &all) < 0)
		tap_bail("sched_getaffinity failed");
	for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
		if (CPU_ISSET(c, &all))
			cpu = c;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof one, &one) < 0)	/* domains inherit it */
		tap_bail("sched_setaffinity to CPU %d failed", cpu);
	return cpu;
}

void kt_modes_then_one_core(void (*run)(enum ipc_mode mode, const char *where))
{
	for (int i = 0; i < 2; i++)
		run(kt_modes[i], "");
	tap_diag("every domain pinned to CPU %d", kt_pin_one_cpu());
	for (int i = 0; i < 2; i++)
		run(kt_modes[i], ", one core");
}

void kt_wait_val(int i, long v)
{
	while (__atomic_load_n(&kt_val[i], __ATOMIC_SEQ_CST) < v)
		sched_yield();
}

void kt_call_record(ipc_domain_t *self, uint32_t code, int at)
{
	const struct ipc_msg m = { .code = code };
	struct ipc_rcv r = { 0 };

	kt_val[at] = ipc_call(self, 0, &m, &r);
	kt_val[at + 1] = r.code;
}
