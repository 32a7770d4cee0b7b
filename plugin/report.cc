/*
 * report.cc - the size pass and the report=FILE writer.
 *
 * An RTL pass right after final reads where GCC put each instruction
 * (INSN_ADDRESSES, set by branch shortening from the i386 length
 * attributes, alignment included; rel32 for jumps between the parts) and
 * records, per function, its bytes and instructions in all (= the hot size
 * it would have with its cold blocks in line) and those of its hot part. At the end of the compilation the lines go to
 * FILE through a temporary file and a rename, so FILE is never half
 * written (under LTO, each partition appends under a lock). The figures are GCC's own estimate; nm on the object gives the
 * exact sizes of fn and fn.cold.
 */
#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "memmodel.h"
#include "rtl.h"
#include "emit-rtl.h"
#include "insn-addr.h"
#include "insn-attr.h"
#include "output.h"
#include "diagnostic-core.h"
#include "olayout.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace {

vec<char *> report_lines; /* one line per function, filled by the pass */

/* GCC sizes a jump between the hot and the cold part as if it were short;
   the assembler must use rel32 (x86-64: 6 bytes for jcc, 5 for jmp). */
int insn_bytes(rtx_insn *insn)
{
	int len = get_attr_length(insn);
	if (JUMP_P(insn) && CROSSING_JUMP_P(insn))
		len = MAX(len, any_condjump_p(insn) ? 6 : 5);
	return len;
}

const pass_data size_pass_data = {
	RTL_PASS, "olayout_size", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,
};

class size_pass : public rtl_opt_pass {
public:
	explicit size_pass(gcc::context *ctxt) : rtl_opt_pass(size_pass_data, ctxt) {}
	unsigned int execute(function *fun) final override;
};

unsigned int size_pass::execute(function *fun)
{
	const char *name = ol_asm_name(fun->decl);
	if (!INSN_ADDRESSES_SET_P()) {
		ol_note("%s: no instruction addresses: not in the report", name);
		return 0;
	}
	/* Per part (0: before the section switch, 1: after): its first address,
	   its end, the bytes the rel32 jumps add to GCC's estimate, and its
	   instructions (those with a length: not notes, USEs or CLOBBERs). */
	int first[2] = {-1, -1}, end[2] = {0, 0}, extra[2] = {0, 0}, insns[2] = {0, 0}, part = 0;
	for (rtx_insn *insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
		unsigned uid = INSN_UID(insn);
		if (NOTE_P(insn) && NOTE_KIND(insn) == NOTE_INSN_SWITCH_TEXT_SECTIONS)
			part = 1;
		if (!INSN_P(insn) || uid >= INSN_ADDRESSES_SIZE() || INSN_ADDRESSES(uid) < 0)
			continue;
		int addr = INSN_ADDRESSES(uid), len = get_attr_length(insn);
		if (first[part] < 0)
			first[part] = addr;
		extra[part] += insn_bytes(insn) - len;
		end[part] = addr + len;
		insns[part] += len > 0;
	}
	int size[2];
	for (int p = 0; p < 2; p++)
		size[p] = first[p] < 0 ? 0 : end[p] - first[p];
	int hot = first_function_block_is_cold ? 1 : 0;
	int before = size[0] + size[1];
	int after = size[hot] + extra[hot];
	int cold = size[!hot] + extra[!hot];
	report_lines.safe_push(xasprintf("%s %d %d %d %d %d\n", name, before, after, cold,
					 insns[0] + insns[1], insns[hot]));
	return 0;
}

/* The report's lines in one buffer, header first if asked. */
char *report_text(bool header)
{
	size_t len = 1;
	for (char *line : report_lines)
		len += strlen(line);
	static const char head[] =
		"# olayout report 2: function bytes_before bytes_after cold_bytes insns_before insns_after\n"
		"# and per path decision: path NAME ACTION CALLER CALLEE: WHY\n";
	char *text = XNEWVEC(char, len + sizeof head);
	char *p = text;
	if (header)
		p = stpcpy(p, head);
	for (char *line : report_lines)
		p = stpcpy(p, line);
	return text;
}

/* Writes text to a new file and renames it to file: never half written. */
bool write_whole(const char *file, const char *text)
{
	char *tmp = xasprintf("%s.tmp.%ld", file, (long)getpid());
	FILE *fp = fopen(tmp, "w");
	bool ok = fp && fputs(text, fp) >= 0;
	ok = fp && fclose(fp) == 0 && ok;
	ok = ok && rename(tmp, file) == 0;
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}

/* An LTO partition's lines go to the end of the file WPA created, in one
   write under a lock: the partitions run in parallel. */
bool append_locked(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_APPEND);
	if (fd < 0)
		return false;
	size_t len = strlen(text);
	bool ok = flock(fd, LOCK_EX) == 0 && write(fd, text, len) == (ssize_t)len;
	return close(fd) == 0 && ok; /* close drops the lock */
}

} // namespace

void ol_report_add(char *line)
{
	report_lines.safe_push(line);
}

opt_pass *ol_make_size_pass(gcc::context *ctxt)
{
	return new size_pass(ctxt);
}

/* Without -flto, and with -flto-partition=none, one process writes the
   report. With LTO partitions, WPA writes the header and each partition
   (ltrans) appends its functions. */
void ol_write_report(void *, void *)
{
	const char *file = ol_cfg.report_file;
	char *text = report_text(!flag_ltrans);
	bool ok = flag_ltrans ? append_locked(file, text) : write_whole(file, text);
	if (!ok)
		error_at(UNKNOWN_LOCATION, "olayout: cannot write report %qs: %m", file);
	for (char *line : report_lines)
		free(line);
	report_lines.release();
	free(text);
}
