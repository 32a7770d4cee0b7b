/*
 * ipc_kernel.c - the supervisor's set-up: the shared mapping, domains,
 * ports and grants, and tearing it all down.
 *
 * The mapping comes from a memfd that is closed right after mmap, so
 * nothing is left in /dev/shm or in the fd table; it disappears with the
 * last process that maps it. It is populated at once (ipc_populate), so
 * the fast path takes no page fault.
 */
#define _GNU_SOURCE
#include "ipc_impl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define IPC_DEF_DOMAINS	64
#define IPC_DEF_PORTS	256
#define IPC_DEF_SLOTS	64
#define IPC_DEF_SPIN_NS	20000

static size_t ipc_align(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

static void *ipc_map_shared(size_t size)
{
	int fd = memfd_create("ipc_kernel", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	ipc_populate(p, size);
	return p;
}

/*
 * Fill this process's page tables for the whole mapping (fork does not
 * copy them for a shared mapping), so no copy into another domain's
 * receive area faults. Only an optimization: an old kernel may refuse,
 * and a mapping over IPC_POPULATE_MAX is left to fault in as used.
 */
#define IPC_POPULATE_MAX ((size_t)1 << 30)

void ipc_populate(void *p, size_t size)
{
#ifdef MADV_POPULATE_WRITE
	if (size <= IPC_POPULATE_MAX)
		madvise(p, size, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)size;
#endif
}

int ipc_kernel_create(ipc_kernel_t **kp, const struct ipc_config *cfg)
{
	if (!kp || !cfg || (cfg->mode != IPC_MODE_PROCESS && cfg->mode != IPC_MODE_THREAD))
		return -IPC_EINVAL;
	unsigned nd = cfg->max_domains ? cfg->max_domains : IPC_DEF_DOMAINS;
	unsigned np = cfg->max_ports ? cfg->max_ports : IPC_DEF_PORTS;
	unsigned ns = cfg->slots ? cfg->slots : IPC_DEF_SLOTS;
	if (cfg->inbox_bytes > UINT32_MAX)	/* before ipc_align, which would wrap */
		return -IPC_EINVAL;
	size_t ib = ipc_align(cfg->inbox_bytes > IPC_MAX_STRING ? cfg->inbox_bytes : IPC_MAX_STRING,
			      4096);
	if (nd > IPC_DOMAINS_MAX || np > 0xffffffu || ns >= IPC_NO_SLOT || ib > UINT32_MAX)
		return -IPC_EINVAL;

	struct ipc_shared lay = {
		.max_domains = nd, .max_ports = np, .slots = ns,
		.spin_ns = cfg->spin_ns ? cfg->spin_ns : IPC_DEF_SPIN_NS,
		.inbox_bytes = ib,
	};
	size_t off = ipc_align(IPC_OFF_DOMS + nd * sizeof(struct ipc_dom), IPC_LINE);
	lay.off_ports = off;
	off = ipc_align(off + np * sizeof(struct ipc_port), IPC_LINE);
	lay.off_caps = off;
	off = ipc_align(off + (size_t)nd * ns * sizeof(uint64_t), IPC_LINE);
	lay.off_queues = off;
	off = ipc_align(off + (size_t)nd * nd * sizeof(uint16_t), 4096);
	lay.off_inbox = off;
	lay.size = off + (size_t)nd * ib;

	ipc_kernel_t *k = calloc(1, sizeof *k);
	if (!k)
		return -IPC_ENOMEM;
	k->mode = cfg->mode;
	k->slots = calloc(nd, sizeof *k->slots);
	k->sh = ipc_map_shared(lay.size);
	if (!k->slots || !k->sh) {
		int rc = k->slots ? -IPC_ESYS : -IPC_ENOMEM;
		if (k->sh)
			munmap(k->sh, lay.size);
		free(k->slots);
		free(k);
		return rc;
	}
	memcpy(k->sh, &lay, sizeof lay);	/* the fresh mapping is zero: all RUNNING, EMPTY */
	*kp = k;
	return 0;
}

int ipc_domain_create(ipc_kernel_t *k, const char *name, ipc_main_fn fn, void *arg,
		      unsigned *domain_id)
{
	if (!k || !fn || k->ran)
		return -IPC_EINVAL;
	struct ipc_shared *sh = k->sh;
	if (sh->ndomains >= sh->max_domains)
		return -IPC_ENOMEM;
	unsigned id = sh->ndomains++;
	struct ipc_slot *s = &k->slots[id];
	s->k = k;
	s->id = id;
	s->fn = fn;
	s->arg = arg;
	s->status = -IPC_EDEAD;
	snprintf(ipc_dom_at(sh, id)->name, sizeof ipc_dom_at(sh, id)->name, "%s",
		 name ? name : "");
	if (domain_id)
		*domain_id = id;
	return 0;
}

int ipc_port_create(ipc_kernel_t *k, unsigned owner_domain, uint64_t badge, unsigned *port_id)
{
	if (!k || k->ran || owner_domain >= k->sh->ndomains)
		return -IPC_EINVAL;
	struct ipc_shared *sh = k->sh;
	if (sh->nports >= sh->max_ports)
		return -IPC_ENOMEM;
	unsigned id = sh->nports++;
	struct ipc_port *p = ipc_port_at(sh, id);
	p->owner = owner_domain;
	p->badge = badge;
	p->used = 1;
	if (port_id)
		*port_id = id;
	return 0;
}

int ipc_grant(ipc_kernel_t *k, unsigned domain_id, uint16_t slot, unsigned port_id)
{
	if (!k || k->ran || domain_id >= k->sh->ndomains || port_id >= k->sh->nports)
		return -IPC_EINVAL;
	if (slot >= k->sh->slots)
		return -IPC_EBADSLOT;
	atomic_store(&ipc_caps_of(k->sh, domain_id)[slot], ipc_cap(IPC_CAP_ENTRY, port_id, 0));
	return 0;
}

int ipc_domain_status(const ipc_kernel_t *k, unsigned domain_id)
{
	if (!k || domain_id >= k->sh->ndomains)
		return -IPC_EINVAL;
	return k->slots[domain_id].status;
}

void ipc_kernel_destroy(ipc_kernel_t *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < k->sh->ndomains; i++) {
		struct ipc_slot *s = &k->slots[i];
		if (s->started && !s->done && k->mode == IPC_MODE_PROCESS) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
	}
	munmap(k->sh, k->sh->size);
	free(k->slots);
	free(k);
}

const char *ipc_strerror(int err)
{
	static const char *const names[] = {
		[IPC_OK] = "success",
		[IPC_EBADSLOT] = "capability slot empty or out of range",
		[IPC_ETOOBIG] = "string longer than IPC_MAX_STRING",
		[IPC_ECONSUMED] = "reply capability already used",
		[IPC_EDEAD] = "the other domain is dead or the kernel is stopping",
		[IPC_ETIMEDOUT] = "receive timed out",
		[IPC_EAGAIN] = "the receiver cannot take it now",
		[IPC_ENOMEM] = "out of domains, ports, slots or memory",
		[IPC_EINVAL] = "invalid argument",
		[IPC_ESYS] = "a Linux system call failed",
	};
	unsigned e = err < 0 ? (unsigned)-err : (unsigned)err;

	return e < sizeof names / sizeof names[0] ? names[e] : "unknown IPC error";
}
