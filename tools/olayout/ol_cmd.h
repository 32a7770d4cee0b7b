/* ol_cmd.h - the subcommands of olayout (ol_main.c parses the command line). */
#ifndef OL_CMD_H
#define OL_CMD_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <unistd.h>

#include "ol_err.h"

int ol_cmd_verify(const char *path, struct ol_err *err);
int ol_cmd_info(const char *path, bool json, struct ol_err *err);

/* ol_json_str: print s as a JSON string (ol_info.c). */
void ol_json_str(const char *s);

#endif
