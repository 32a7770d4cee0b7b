/* ol_info.c - `olayout info`: functions, fragments, clones (text or JSON). */
#include "ol_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ol_exe.h"
#include "ol_output.h"

void ol_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_text(const struct ol_model *m, const struct ol_clone_ent *c, size_t nc)
{
	for (size_t f = 0; f < m->nunit; f++) {
		if (m->unit[f].func != f)
			continue;
		printf("fn %s 0x%llx %llu", m->unit[f].name, (unsigned long long)m->unit[f].addr,
		       (unsigned long long)m->unit[f].size);
		for (size_t u = 0; u < m->nunit; u++)
			if (u != f && m->unit[u].func == f)
				printf(" fragment %s 0x%llx %llu", m->unit[u].name,
				       (unsigned long long)m->unit[u].addr,
				       (unsigned long long)m->unit[u].size);
		putchar('\n');
	}
	for (size_t i = 0; i < nc; i++)
		printf("clone 0x%llx 0x%llx %s\n", (unsigned long long)c[i].orig,
		       (unsigned long long)c[i].clone, c[i].name);
	for (size_t u = 0; u < m->nunit; u++)
		if (m->unit[u].why[0])
			printf("movable: no %s (%s)\n", m->unit[u].name, m->unit[u].why);
}

static void print_json(const struct ol_model *m, const char *path, const struct ol_clone_ent *c,
		       size_t nc)
{
	bool first = true;

	printf("{\"file\":");
	ol_json_str(path);
	printf(",\"pie\":%s,\"static\":%s,\"functions\":[", m->elf->pie ? "true" : "false",
	       m->elf->dynamic ? "false" : "true");
	for (size_t f = 0; f < m->nunit; f++) {
		bool ff = true;

		if (m->unit[f].func != f)
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		first = false;
		ol_json_str(m->unit[f].name);
		printf(",\"file\":");
		if (m->unit[f].file)
			ol_json_str(m->unit[f].file);
		else
			printf("null");
		printf(",\"addr\":%llu,\"size\":%llu,\"movable\":%s,\"reason\":",
		       (unsigned long long)m->unit[f].addr, (unsigned long long)m->unit[f].size,
		       m->unit[f].why[0] ? "false" : "true");
		ol_json_str(m->unit[f].why);
		printf(",\"fragments\":[");
		for (size_t u = 0; u < m->nunit; u++) {
			if (u == f || m->unit[u].func != f)
				continue;
			printf("%s{\"name\":", ff ? "" : ",");
			ff = false;
			ol_json_str(m->unit[u].name);
			printf(",\"addr\":%llu,\"size\":%llu}", (unsigned long long)m->unit[u].addr,
			       (unsigned long long)m->unit[u].size);
		}
		printf("]}");
	}
	printf("],\"clones\":[");
	for (size_t i = 0; i < nc; i++) {
		printf("%s{\"orig\":%llu,\"clone\":%llu,\"name\":", i ? "," : "",
		       (unsigned long long)c[i].orig, (unsigned long long)c[i].clone);
		ol_json_str(c[i].name);
		printf(",\"path\":");
		ol_json_str(c[i].path);
		putchar('}');
	}
	printf("]}\n");
}

int ol_cmd_info(const char *path, bool json, struct ol_err *err)
{
	struct ol_exe x;
	struct ol_clone_ent *c = NULL;
	size_t nc = 0;
	int rc = ol_exe_open(&x, path, err);

	if (rc == 0)
		rc = ol_clone_table(&x.elf, &c, &nc, err);
	if (rc == 0 && json)
		print_json(&x.m, path, c, nc);
	else if (rc == 0)
		print_text(&x.m, c, nc);
	free(c);
	ol_exe_close(&x);
	return rc;
}
