# bench/olayout: `make bench-olayout` measures olayout rewrite time and peak
# memory on generated programs of 1 to 8 MiB of text and on the sqlite3 shell
# built from Debian's source package (fetched into cache/ by debsrc.sh),
# prints a table and writes bench/results/olayout.{md,csv}. Not part of
# `make test` or `make demo`.
PKGS += dpkg-dev tcl
.PHONY: bench-olayout
bench-olayout: $(BUILD)/bin/olayout
	BUILD=$(BUILD) bench/olayout/bench.py
