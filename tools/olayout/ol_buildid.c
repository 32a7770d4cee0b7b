/*
 * ol_buildid.c - a rewritten program's own GNU build-id. The output is
 * another program than its input; with the input's build-id, perf's
 * build-id cache, debuginfod and gdb take one for the other (perf named
 * the samples of a program's hot function after the rewritten copy it had
 * cached: bench/results/external.md, 4 Dec 2026), and a -dbgsym package
 * would describe code that moved. As ld's --build-id=sha1 does, the new id
 * is a hash of the whole file with the id's own bytes zeroed (SHA-256 from
 * nettle, cut to the id's length): the same input and layout give the same
 * id. An id longer than the digest cannot be filled and is refused.
 */
#include "ol_buildid.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int ol_buildid_find(Elf *e, struct ol_buildid *id)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	id->size = 0;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, name, desc;

		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		if (sh.sh_type != SHT_NOTE || !(d = elf_rawdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name, &desc)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
			    memcmp((const char *)d->d_buf + name, "GNU", 4) == 0) {
				*id = (struct ol_buildid){ (const uint8_t *)d->d_buf + desc,
							   (off_t)(sh.sh_offset + desc), nh.n_descsz };
				return 0;
			}
		}
	}
	return 0;
}

/* The SHA-256 of the file's bytes (n of them, mapped at p) with
 * [at, at + size) read as zeros. */
static void digest(const uint8_t *p, size_t n, off_t at, size_t size, uint8_t out[SHA256_DIGEST_SIZE])
{
	static const uint8_t zeros[64];
	struct sha256_ctx c;
	size_t left = size;

	sha256_init(&c);
	sha256_update(&c, (size_t)at, p);
	while (left) {
		size_t k = left < sizeof zeros ? left : sizeof zeros;

		sha256_update(&c, k, zeros);
		left -= k;
	}
	sha256_update(&c, n - (size_t)at - size, p + at + size);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

int ol_buildid_renew(int fd, const char *name, struct ol_err *err)
{
	uint8_t id[SHA256_DIGEST_SIZE];
	struct ol_buildid old;
	struct stat st;
	Elf *e;
	void *p;
	int rc;

	if (elf_version(EV_CURRENT) == EV_NONE || !(e = elf_begin(fd, ELF_C_READ, NULL)))
		return ol_fail(err, -EINVAL, "%s: cannot read it back for its build-id: %s", name,
			       elf_errmsg(-1));
	rc = ol_buildid_find(e, &old);
	elf_end(e);
	if (rc)
		return ol_fail(err, rc, "%s: cannot read its section headers back", name);
	if (old.size == 0)
		return 0;
	if (old.size > sizeof id)
		return ol_fail(err, -EINVAL, "%s: a build-id of %zu bytes: olayout makes new ones of up "
			       "to %zu (the program would keep its input's)", name, old.size, sizeof id);
	if (fstat(fd, &st) != 0)
		return ol_fail(err, -errno, "%s: %s", name, strerror(errno));
	if (old.at < 0 || (uint64_t)old.at + old.size > (uint64_t)st.st_size)
		return ol_fail(err, -EINVAL, "%s: its build-id note lies past the file's end", name);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return ol_fail(err, -errno, "%s: %s", name, strerror(errno));
	digest(p, (size_t)st.st_size, old.at, old.size, id);
	munmap(p, (size_t)st.st_size);
	if (pwrite(fd, id, old.size, old.at) != (ssize_t)old.size)
		return ol_fail(err, -EIO, "%s: write error (its build-id)", name);
	return 0;
}
