#!/bin/sh
# debsrc.sh CACHE: the sqlite3 shell built from Debian's sqlite3 source
# package, -O2 -ffunction-sections -Wl,--emit-relocs, as CACHE/src/sqlite3-build/sqlite3
# (printed on stdout; built once). The source comes from mk/debsrc.sh (apt
# with a deb-src list of our own, the system's apt setup left alone). Needs
# dpkg-dev (dpkg-source) and tcl.
set -eu
case ${1:-} in -h | --help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
[ $# = 1 ] || { echo "usage: debsrc.sh CACHE (debsrc.sh --help)" >&2; exit 2; }
cache=$(realpath -- "$1")
src="$cache/src"
exe="$src/sqlite3-build/sqlite3"
log="$src/sqlite3-build.log"
if [ -x "$exe" ]; then
	echo "$exe"
	exit 0
fi
"$(dirname "$0")/../../mk/debsrc.sh" "$cache" sqlite3 > /dev/null
echo "debsrc: building the sqlite3 shell (a few minutes)" >&2
rm -rf "$src/sqlite3-build" && mkdir -p "$src/sqlite3-build"
cd "$src/sqlite3-build"
features="-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY
	-DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_COLUMN_METADATA"
../sqlite3/configure --disable-shared --disable-tcl --disable-readline --disable-editline \
	CFLAGS="-O2 -ffunction-sections $(echo $features)" LDFLAGS="-Wl,--emit-relocs" >> "$log" 2>&1
make sqlite3 >> "$log" 2>&1
echo "$exe"
