# bench/plugin: the plugin's variants of tcpping side by side (STD, OUT, PIN,
# ALL): hot static bytes of the send path, and callgrind's instructions and I1
# misses per round trip. Deterministic counts; a couple of minutes. Part of
# `make demo`; writes $(RESULTS)/plugin-tcpping.md.
DEMOS += bench-plugin
.PHONY: bench-plugin
bench-plugin: $(PLUGIN_SO) $(OLAYOUT)
	BUILD=$(BUILD) RESULTS=$(RESULTS) bench/plugin/tcpping.sh 1000
