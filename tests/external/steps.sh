# steps.sh: sourced by ext.sh and bench/external/bench.sh (bash). Their
# start (the tools, the cache, a package's steps), the default steps of a
# package (a recipe redefines any of them), the training wrappers and the
# profiles made of their runs. Needs ROOT; PKG and W (the package's work
# folder) when the functions run.

# ext_setup NAME CACHE: BUILD (default build, under ROOT), OL and OLCC
# (exported; NAME fails with one line when one is not built), CACHE made
# absolute.
ext_setup() {
	local f
	BUILD=$(cd "$ROOT/${BUILD:-build}" && pwd)
	OL=$BUILD/bin/olayout
	OLCC=$BUILD/bin/olayout-cc
	for f in "$OL" "$OLCC"; do
		[ -x "$f" ] || { echo "$1: $f is not built (make all)" >&2; exit 1; }
	done
	CACHE=$(mkdir -p "$2" && cd "$2" && pwd)
	export OL OLCC
}

# pkg_steps PKG DIR: PKG with its work folder W=DIR: the default steps, then
# its recipe (EXT_RECIPES/PKG.sh, default tests/external/recipes), and its
# source fetched (SRC: the folder).
pkg_steps() {
	local recipe=${EXT_RECIPES:-$ROOT/tests/external/recipes}/$1.sh
	PKG=$1
	W=$2
	defaults
	[ ! -f "$recipe" ] || . "$recipe"
	SRC=$(fetch)
}

# The defaults: an autotools package whose `make check` runs the programs
# it builds. A recipe redefines any of these.
defaults() {
	# the source directory on stdout (Debian's source package)
	fetch() { "$ROOT/mk/debsrc.sh" "$CACHE" "$PKG"; }
	prepare() { [ -x configure ] || autoreconf -fi; }
	configure() { ./configure --disable-shared CC="$OLCC"; }
	build() { make -j2; }
	# the programs to optimize: every ELF executable the build made whose
	# relocations were kept (the driver linked it)
	progs() {
		find . -type f -perm -u+x ! -name 'conftest*' -print | sort | while read -r f; do
			# grep reads to the end: with -q it would stop at the match, and
			# readelf, killed by SIGPIPE, fail the test under pipefail
			readelf -S "$f" 2>/dev/null | grep '\.rela\.text' >/dev/null &&
				readelf -h "$f" | grep 'Type: *\(EXEC\|DYN\)' >/dev/null &&
				readelf -l "$f" | grep 'INTERP' >/dev/null && echo "${f#./}"
		done
	}
	check() { make check; }
	# the passes in check's output (stdin): automake's "# PASS: N" summed,
	# else one per "PASS:" line
	passed() {
		awk '/^# PASS: *[0-9]+/ { s += $3; a = 1 } /^PASS:/ { p++ }
			END { print a ? s : p + 0 }'
	}
	train() { check; }
	# the program bench/external measures (sed reads on: head would leave
	# progs to die of SIGPIPE at its second program, a failure under pipefail)
	bench_prog() { progs | sed -n 1p; }
}

# workload_output FN EXE DIR: what the recipe's workload FN (workload,
# heldout) prints with EXE as the program, from the current folder (the
# build's top), and the checksums of the files it writes in DIR (emptied
# first); its status is FN's. Without pipefail: `cat | head` is no failure.
workload_output() {
	(set +o pipefail && rm -rf "$3" && "$1" "$2" "$3" &&
		cd "$3" && find . -type f | sort | xargs -r md5sum)
}

# wrap DIR PROG...: each PROG replaced by a script running its saved copy
# (DIR/orig) under callgrind, one output per run in DIR/cg. With TRAIN_CPU
# set, a run gets that many CPU seconds (a soft ulimit -t): SIGXCPU then
# stops it and callgrind writes what it counted so far (a suite's stress
# test, e.g. gzip's 4 GiB list-big, would take an hour under callgrind).
wrap() {
	local dir=$1 p limit=
	shift
	[ -z "${TRAIN_CPU:-}" ] || limit="ulimit -St $TRAIN_CPU"
	for p in "$@"; do
		cat > "$p" <<-EOF
		#!/bin/sh
		$limit
		exec valgrind -v -v --tool=callgrind --dump-instr=yes --collect-jumps=yes \\
			--log-file=$dir/cg/$(basename "$p").%p.log \\
			--callgrind-out-file=$dir/cg/$(basename "$p").%p "$dir/orig/$(basename "$p")" "\$@"
		EOF
		chmod +x "$p"
	done
}

# install_progs FROM PROG...: FROM/basename(PROG) copied over each PROG.
install_progs() {
	local from=$1 p; shift
	for p in "$@"; do
		cp -f "$from/$(basename "$p")" "$p"
	done
}

# profile_prog PROG: the runs of PROG in $W/cg converted and merged into
# $W/prof/PROG.prof; the number of runs on stdout. Paths are proposed from
# the largest run only (merged profiles must agree on their paths).
# PROF_ARGS: more olayout profile options (e.g. --blocks).
profile_prog() {
	local b n=0 big parts=() paths
	b=$(basename "$1")
	big=$(ls -S "$W/cg/$b".* 2>/dev/null | grep -v '\.log$' | head -n 1) || true
	for cg in "$W/cg/$b".*; do
		case $cg in *.log | *.prof) continue ;; esac
		paths=()
		[ "$cg" = "$big" ] && paths=(--paths "${EXT_PATHS:-2}")
		"$OL" profile -o "$cg.prof" "${paths[@]}" ${PROF_ARGS:-} --from-callgrind "$cg" \
			--valgrind-log "$cg.log" "$W/orig/$b" >> "$W/logs/profile.log" 2>&1 || continue
		parts+=("$cg.prof")
		n=$((n + 1))
	done
	[ $n -gt 0 ] || return 1
	if [ $n = 1 ]; then
		cp "${parts[0]}" "$W/prof/$b.prof"
	else
		"$OL" profile -o "$W/prof/$b.prof" --merge "${parts[@]}" >> "$W/logs/profile.log" 2>&1
	fi
	echo $n
}
