/* ol_buildid.h - a rewritten program's own GNU build-id (ol_buildid.c). */
#ifndef OL_BUILDID_H
#define OL_BUILDID_H

#include <gelf.h>
#include <stdint.h>
#include <sys/types.h>

#include "ol_err.h"

/* A GNU build-id note's descriptor: its bytes (in the section's data), its
 * offset in the file and its size. */
struct ol_buildid {
	const uint8_t *bytes;
	off_t at;
	size_t size;
};

/* e's GNU build-id (size 0 when it has none); -EINVAL when a section
 * header cannot be read. */
int ol_buildid_find(Elf *e, struct ol_buildid *id);

/* Gives the ELF file open on fd (read-write) a build-id of its own: the
 * SHA-256 of the file with the id's bytes zeroed, cut to the id's length.
 * A file without one is left alone; name is the file's name in messages. */
int ol_buildid_renew(int fd, const char *name, struct ol_err *err);

#endif
