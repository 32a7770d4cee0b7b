/* ol_exe.c - opening an executable and its model (see ol_exe.h). */
#include "ol_exe.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_file(int from, int to)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof buf)) > 0)
		if (write(to, buf, (size_t)n) != n)
			return -EIO;
	return n < 0 ? -EIO : 0;
}

/* exe_open: path opened, checked to be a regular file, read (or first
 * copied to copy_fd and that read for writing), modelled. */
static int exe_open(struct ol_exe *x, const char *path, int copy_fd, struct ol_err *err)
{
	struct stat st;
	int in, rc;

	memset(x, 0, sizeof *x);
	x->fd = -1;
	in = open(path, O_RDONLY);
	if (in < 0)
		return ol_fail(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return ol_fail(err, -EINVAL, "%s: not a regular file", path);
	}
	x->mode = st.st_mode & 07777;
	if (copy_fd >= 0) {
		rc = copy_file(in, copy_fd);
		close(in);
		if (rc)
			return ol_fail(err, rc, "%s: cannot copy it to the output", path);
		x->fd = copy_fd;
	} else {
		x->fd = in;
		x->own_fd = true;
	}
	rc = ol_elf_open(&x->elf, path, x->fd, copy_fd >= 0, err);
	if (rc == 0)
		rc = ol_model_build(&x->m, &x->elf, err);
	return rc;
}

int ol_exe_open(struct ol_exe *x, const char *path, struct ol_err *err)
{
	return exe_open(x, path, -1, err);
}

int ol_exe_open_copy(struct ol_exe *x, const char *path, int fd, struct ol_err *err)
{
	return exe_open(x, path, fd, err);
}

void ol_exe_close(struct ol_exe *x)
{
	ol_model_free(&x->m);
	ol_elf_close(&x->elf);
	if (x->own_fd)
		close(x->fd);
	x->fd = -1;
	x->own_fd = false;
}
