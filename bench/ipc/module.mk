# bench/ipc: the IPC benchmark (the EROS paper's experiments on this machine).
#
#   make bench-ipc           quick run (about a minute): $(RESULTS)/ipc.md
#                            (RESULTS: bench/results; build/results in make demo),
#                            ipc_*.csv, ipc_*.png (9 samples of 5 ms)
#   make bench-ipc FULL=1    the long run: more sizes, 10 samples of 40 ms
#   make bench-ipc SHORT=1   128 samples of 0.1 ms (with FULL=1: all sizes), for a
#                            loaded machine: most samples escape preemption

PKGS += gnuplot-nox
DEMOS += bench-ipc

IPCB_SRCS := $(wildcard bench/ipc/*.c)
IPCB_BIN := $(BUILD)/bin/ipcbench
IPCB_OUT = $(RESULTS)
ALL += $(IPCB_BIN)

$(call objs,$(IPCB_SRCS)): CPPFLAGS += -Istack/kernel
$(IPCB_BIN): $(call objs,$(IPCB_SRCS)) $(BUILD)/lib/libipc.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lm

# The run is bounded: a hung domain must not hang `make demo`.
.PHONY: bench-ipc
bench-ipc: $(IPCB_BIN)
	@mkdir -p $(IPCB_OUT)
	timeout 1200 $(IPCB_BIN) $(if $(FULL),--full) $(if $(SHORT),--short) --out $(IPCB_OUT)
	gnuplot -e "dir='$(IPCB_OUT)'" bench/ipc/plots.gp
	@cat $(IPCB_OUT)/ipc.md | sed -n '/^## Goals/,$$p'

# ipclines: the cost of each line and fence of the handoff (bench/ipc/lines/).
IPCLINES_BIN := $(BUILD)/bin/ipclines
ALL += $(IPCLINES_BIN)
$(call objs,bench/ipc/lines/ipclines.c): CPPFLAGS += -Istack/kernel
$(IPCLINES_BIN): $(call objs,bench/ipc/lines/ipclines.c) $(BUILD)/lib/libipc.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
