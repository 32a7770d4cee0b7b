#!/usr/bin/env bash
# train.t - bench/variants/train.sh takes the checked-in profile's path and
# library marks as the profile's parser reads them, whatever their spacing:
# a base profile whose marks are indented and carry comments (as
# profiles/README.md allows) gives a trained profile with the same paths
# and library marks as profiles/tcpping.prof (olayout paths, no
# executable). The training run is the STD variant of tcpping, short (-n 10).
. tests/tap/tap.sh
: "${BUILD:=build}"
OL=$BUILD/bin/olayout
EXE=$BUILD/variants/tcpip/STD/tcpping	# linked with --emit-relocs, as olayout profile wants
need "$OL" "$EXE"
need_tool valgrind
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
awk '$1 == "path" || $1 == "library" { $0 = "\t " $0 " # a mark" } 1' profiles/tcpping.prof >"$T/base.prof"

plan 3
ok "the base's marks are indented and commented" grep -q '^	 path .* # a mark$' "$T/base.prof"
ok "train.sh trains tcpping with that base" \
	bench/variants/train.sh "$OL" "$T/base.prof" "$EXE" "$T/out.prof" -w inproc -n 10 -s 1
is "$("$OL" paths --profile "$T/out.prof" 2>&1 | sed 1d)" "$("$OL" paths --profile profiles/tcpping.prof | sed 1d)" \
	"the trained profile has the checked-in profile's paths and library marks"
done_testing
