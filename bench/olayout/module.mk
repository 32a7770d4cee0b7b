# bench/olayout: `make bench-olayout` measures olayout rewrite time and peak
# memory on generated programs of 1 to 8 MiB of text and on the sqlite3 shell
# built from Debian's source package (fetched into cache/ by debsrc.sh),
# prints a table and writes bench/results/olayout.{md,csv}. Not part of
# `make test` or `make demo`.
#
# make bench-plan: bench/olayout/plan.sh, the layout planner's strategies
# against STD and LLVM BOLT on tcpping, and its time on the 8 MiB program.
#
# make demo-olayout (part of `make demo`): bench/olayout/demo.sh, olayout
# profiling, planning (bipartite) and rewriting tcpping's outlined build,
# its counts and its i-cache map ($(RESULTS)/olayout-map.svg); a minute or so.
PKGS += dpkg-dev tcl bolt-19 bc
.PHONY: bench-plan
bench-plan: $(OLAYOUT) $(PLUGIN_SO)
	BUILD=$(BUILD) bench/olayout/plan.sh

.PHONY: bench-olayout
bench-olayout: $(OLAYOUT)
	BUILD=$(BUILD) bench/olayout/bench.py

DEMOS += demo-olayout
.PHONY: demo-olayout
demo-olayout: $(OLAYOUT) $(PLUGIN_SO) $(BUILD)/bin/tcpping
	BUILD=$(BUILD) RESULTS=$(RESULTS) bench/olayout/demo.sh
