#!/usr/bin/env bash
# deps.sh PKG...: make sure each Debian package is installed.
# As root it installs the missing ones (one apt-get update first); otherwise
# it prints the exact apt-get line and fails. Silent when nothing is missing.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;; esac
for pkg in "$@"; do
	[[ $pkg != -* ]] || { echo "deps: '$pkg': want Debian package names (deps.sh --help)" >&2; exit 2; }
done

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$pkg")
done
(( ${#missing[@]} == 0 )) && exit 0

if (( EUID != 0 )); then
	echo "deps: missing Debian packages; as root run:" >&2
	echo "  apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
