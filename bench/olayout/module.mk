# bench/olayout: `make bench-olayout` measures olayout rewrite time and peak
# memory on generated programs of 1 to 8 MiB of text, prints a table and
# writes bench/results/olayout.md. Not part of `make test` or `make demo`.
.PHONY: bench-olayout
bench-olayout: $(BUILD)/bin/olayout
	BUILD=$(BUILD) bench/olayout/bench.py
