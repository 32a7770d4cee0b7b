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

static uint8_t kt_byte(size_t i, uint64_t seed)
{
	uint64_t x = (seed + i / 8) * 0x9e3779b97f4a7c15ull;

	x ^= x >> 29;
	return (uint8_t)(x >> (8 * (i % 8)));
}

void kt_fill(void *buf, size_t n, uint64_t seed)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < n; i++)
		p[i] = kt_byte(i, seed);
}

bool kt_check(const void *buf, size_t n, uint64_t seed)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < n; i++)
		if (p[i] != kt_byte(i, seed))
			return false;
	return true;
}

void kt_wait_val(int i, long v)
{
	while (__atomic_load_n(&kt_val[i], __ATOMIC_SEQ_CST) < v)
		sched_yield();
}
