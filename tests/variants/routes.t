#!/usr/bin/env bash
# routes.t - issue #11: every variant of each bundled stack (make variants;
# $BUILD/variants/STACK/variants.list) still works on the routes its
# profile's paths do not take, where the plugin's guards must fall back to
# the general call and olayout's bound clones to the originals: besides the
# in-process round trip make variants checks, tcpping between two host
# processes and two threads on the IPC kernel (the IPC wire's transmit is
# not the path's wire_send), rpcping the same, and with BLAST straight over
# ETH (-e: blast's push goes to eth, not to the path's ip_push) and with
# 4000 bytes (three fragments each way). Each run: exit 0 and its one
# report line. A row the list calls `extra` (ALL+BOLT) is left out: make
# test does not build it, only make variants does (bench/variants/module.mk,
# VARIANTS_EXTRA); a row still pending fails (lists.sh).
. tests/tap/tap.sh
BUILD=${BUILD:-build}

# runs STACK: the other routes of STACK's program, one set of options a line
routes() {
	echo "-w process"
	echo "-w thread"
	[ "$1" != rpc ] || printf '%s\n' "-e -w inproc" "-b 4000 -w inproc" "-e -b 4000 -w process"
}

. tests/variants/lists.sh
variant_lists
for list in "${LISTS[@]}"; do
	read -r _ stack prog _ < <(awk '$1 == "stack"' "$list")
	while read -r _ v state exe; do
		[ "$state" = built ] || continue	# extra (not in make test), or pending: variant_lists failed it
		need "$exe"
		while read -r args; do
			# shellcheck disable=SC2086 # the options split into words
			out=$(timeout 120 "$exe" $args -n 100 -s 1 2>&1)
			rc=$?
			ok "$stack $v: $prog $args -n 100 works (exit 0, one report line)" eval \
				'[ $rc = 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "^$prog.* round trip"' ||
				diag "exit $rc: $(echo "$out" | head -3)"
		done < <(routes "$stack")
	done < <(awk '$1 == "variant"' "$list")
done
echo "1..$tap_n"
done_testing
