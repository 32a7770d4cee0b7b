# bench/external: `make bench-external [PKGS="zlib jq"]` runs bench.sh on the
# packages of test-external (sources and builds in the git-ignored cache/):
# STD, olayout's layouts, GCC PGO, LLVM BOLT and PGO+BOLT on each package's
# recipe workload. Results in cache/bench/PKG/results.md; the recorded run is
# in bench/results/external.md. Not part of `make test`.
# tcl: sqlite3 makes its amalgamation with tclsh
PKGS += bolt-19 bc tcl
.PHONY: bench-external
bench-external:
	MAKEFLAGS= $(MAKE) --no-print-directory all SAN=$(SAN)
	BUILD=$(BUILD) bench/external/bench.sh cache $(EXT_LIST)
