/* ol_buildid.h - a rewritten program's own GNU build-id (ol_buildid.c). */
#ifndef OL_BUILDID_H
#define OL_BUILDID_H

#include "ol_err.h"

/* Gives the ELF file open on fd (read-write) a build-id of its own: the
 * SHA-256 of the file with the id's bytes zeroed, cut to the id's length.
 * A file without one is left alone; name is the file's name in messages. */
int ol_buildid_renew(int fd, const char *name, struct ol_err *err);

#endif
