#!/bin/sh
# debsrc.sh CACHE: the sqlite3 shell built from Debian's sqlite3 source
# package, -O2 -ffunction-sections -Wl,--emit-relocs, as CACHE/src/sqlite3-build/sqlite3
# (printed on stdout; built once). The source comes through apt with a
# deb-src list of our own (CACHE/apt, made from the system's deb lines), so
# the system's apt setup is left alone. Needs dpkg-dev (dpkg-source) and tcl.
set -eu
cache=$(realpath "$1")
apt="$cache/apt"
src="$cache/src"
exe="$src/sqlite3-build/sqlite3"
log="$src/sqlite3-build.log"
if [ -x "$exe" ]; then
	echo "$exe"
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
echo "debsrc: fetching the sqlite3 source package into $src (log: $log)" >&2
apt-get "$@" -q update > "$log" 2>&1
(cd "$src" && rm -rf sqlite3 && apt-get "$@" -q source --download-only sqlite3 >> "$log" 2>&1 &&
	dpkg-source -x --skip-patches sqlite3_*.dsc sqlite3 >> "$log" 2>&1)
echo "debsrc: building the sqlite3 shell (a few minutes)" >&2
rm -rf "$src/sqlite3-build" && mkdir -p "$src/sqlite3-build"
cd "$src/sqlite3-build"
features="-DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY
	-DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_COLUMN_METADATA"
../sqlite3/configure --disable-shared --disable-tcl --disable-readline --disable-editline \
	CFLAGS="-O2 -ffunction-sections $(echo $features)" LDFLAGS="-Wl,--emit-relocs" >> "$log" 2>&1
make sqlite3 >> "$log" 2>&1
echo "$exe"
