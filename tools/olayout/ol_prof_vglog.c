/*
 * ol_prof_vglog.c - where valgrind loaded each object: with -v -v its log
 * says "Reading syms from PATH" and, on the next line, "svma 0x..., avma
 * 0x..." (the address of the text in the file and in the run); callgrind's
 * output gives object-relative addresses, so run-time = callgrind's + bias,
 * bias = avma - svma.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ol_util.h"

void ol_prof_bias_free(struct ol_prof_bias *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(b[i].path);
	free(b);
}

int ol_prof_vglog(const char *log, struct ol_prof_bias **out, size_t *n, struct ol_err *err)
{
	FILE *fp = fopen(log, "r");
	char *line = NULL, *path = NULL;
	size_t cap = 0, bcap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!fp)
		return ol_fail(err, -errno, "%s: %s", log, strerror(errno));
	while (rc == 0 && getline(&line, &cap, fp) >= 0) {
		char *s = strstr(line, "Reading syms from ");
		uint64_t svma, avma;
		if (s) {
			free(path);
			path = strndup(s + 18, strcspn(s + 18, "\n"));
			if (!path)
				rc = ol_fail(err, -ENOMEM, "%s: out of memory", log);
		} else if (path && (s = strstr(line, "svma 0x")) &&
			   sscanf(s, "svma %" SCNx64 ", avma %" SCNx64, &svma, &avma) == 2) {
			if (ol_grow((void **)out, &bcap, *n + 1, sizeof **out) < 0) {
				rc = ol_fail(err, -ENOMEM, "%s: out of memory", log);
				break;
			}
			(*out)[(*n)++] = (struct ol_prof_bias){path, avma - svma};
			path = NULL;
		}
	}
	free(path);
	free(line);
	fclose(fp);
	if (rc < 0) {
		ol_prof_bias_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
