#!/bin/sh
# manpage.sh PROG VERSION DESCRIPTION OUT: PROG's man page (section 1) made by
# help2man from `PROG --help`; when that help lists subcommands ("PROG COMMAND
# --help" in its last line) each one's --help goes to a COMMANDS section.
# OUT is written whole or not at all.
set -eu
case ${1:-} in -h | --help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
[ $# = 4 ] || { echo "usage: manpage.sh PROG VERSION DESCRIPTION OUT (manpage.sh --help)" >&2; exit 2; }
prog=$1 version=$2 desc=$3 out=$4
inc=$out.h2m
trap 'rm -f "$inc" "$out.tmp"' EXIT
set --
if "$prog" --help | tail -n 1 | grep -q 'COMMAND --help'; then
	printf '[COMMANDS]\n' > "$inc"
	for cmd in $("$prog" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p; s/^  \([a-z][a-z-]*\)$/\1/p'); do
		printf '.SS %s\n.nf\n' "$cmd" >> "$inc"
		"$prog" "$cmd" --help | sed 's/\\/\\e/g; s/^\./\\\&./' >> "$inc"
		printf '.fi\n' >> "$inc"
	done
	set -- --include="$inc"
fi
help2man --no-info --no-discard-stderr --version-string="$version" -n "$desc" \
	"$@" -o "$out.tmp" "$prog"
mv "$out.tmp" "$out"
