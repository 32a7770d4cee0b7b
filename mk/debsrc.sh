#!/bin/sh
# debsrc.sh CACHE PKG: Debian's source package PKG unpacked (Debian patches
# not applied) into CACHE/src/PKG; prints that directory (fetched once).
# apt runs with a deb-src list of our own (CACHE/apt, made from the
# system's deb lines), so the system's apt setup is left alone. Needs
# dpkg-dev (dpkg-source). The security archive's sources may answer 404:
# then the other versions apt knows are tried. On failure: exit 1, the reason on stderr, the log
# in CACHE/src/PKG.log.
set -eu
case ${1:-} in -h | --help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
[ $# = 2 ] || { echo "usage: debsrc.sh CACHE PKG (debsrc.sh --help)" >&2; exit 2; }
cache=$(mkdir -p -- "$1" && realpath -- "$1")
pkg=$2
apt="$cache/apt"
src="$cache/src"
dir="$src/$pkg"
log="$src/$pkg.log"
if [ -f "$dir/.fetched" ]; then
	echo "$dir"
	exit 0
fi
mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$src"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -e "$f" ] && sed 's/^Types: deb$/Types: deb-src/' "$f" > "$apt/sources.list.d/src-$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
	sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$apt/sources.list.d/src.list"
fi
set -- -o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$apt/sources.list.d" \
	-o "Dir::State::Lists=$apt/lists"
echo "debsrc: fetching the $pkg source package into $src (log: $log)" >&2
: > "$log"
fail() {
	echo "debsrc: $1 (see $log)" >&2
	exit 1
}
if ! ls "$apt/lists/"*Sources* > /dev/null 2>&1; then
	apt-get "$@" -q update >> "$log" 2>&1 || fail "apt-get update failed"
fi
rm -rf "$src/$pkg-dl" && mkdir -p "$src/$pkg-dl"
# the security archive may answer 404 for its version: then each other one
got=
for v in "" $(apt-cache "$@" showsrc "$pkg" 2>> "$log" | sed -n 's/^Version: //p'); do
	rm -f "$src/$pkg-dl/"*
	if (cd "$src/$pkg-dl" && apt-get "$@" -q source --download-only "$pkg${v:+=$v}" \
		>> "$log" 2>&1); then
		got=1
		break
	fi
done
[ -n "$got" ] || fail "apt-get source $pkg failed (no network or no deb-src?)"
rm -rf "$dir"
(cd "$src/$pkg-dl" && dpkg-source -x --skip-patches ./*.dsc "$dir" >> "$log" 2>&1) ||
	fail "dpkg-source -x failed"
rm -rf "$src/$pkg-dl"
touch "$dir/.fetched"
echo "$dir"
