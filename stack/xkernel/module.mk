# stack/xkernel: the x-kernel framework, its TCP/IP suite and drivers
# (libxk.a), the harness the apps and tests share (libxkharness.a), the apps.
# Each layer sees only the headers of the layers below it:
#   framework <- proto <- drivers (+ the IPC kernel) <- harness <- apps, tests
XK_DIR := stack/xkernel
XK_INC_framework := -I$(XK_DIR)/framework -Itools/olayout
XK_INC_proto := $(XK_INC_framework) -I$(XK_DIR)/proto
XK_INC_drivers := $(XK_INC_proto) -I$(XK_DIR)/drivers -Istack/kernel
XK_INC_harness := $(XK_INC_drivers) -I$(XK_DIR)/harness
XK_CPPFLAGS := $(XK_INC_harness)

XK_SRCS := $(foreach d,framework proto drivers,$(wildcard $(XK_DIR)/$(d)/*.c))
XK_HARNESS_SRCS := $(wildcard $(XK_DIR)/harness/*.c)
XK_LIB := $(BUILD)/lib/libxk.a
XK_HARNESS_LIB := $(BUILD)/lib/libxkharness.a
# Link inputs of a program on the stack, in link order.
XK_LIBS := $(XK_HARNESS_LIB) $(XK_LIB) $(IPC_LIB)
XK_APP_SRCS := $(wildcard $(XK_DIR)/apps/*.c)
XK_APPS := $(patsubst $(XK_DIR)/apps/%.c,$(BUILD)/bin/%,$(XK_APP_SRCS))

PKGS += iproute2 iputils-ping
ALL += $(XK_LIB) $(XK_HARNESS_LIB) $(XK_APPS)

$(XK_LIB): $(call objs,$(XK_SRCS))
$(XK_HARNESS_LIB): $(call objs,$(XK_HARNESS_SRCS))
$(foreach d,framework proto drivers harness,\
  $(eval $(BUILD)/obj/$(XK_DIR)/$(d)/%.o: CPPFLAGS += $(XK_INC_$(d))))
$(BUILD)/obj/$(XK_DIR)/apps/%.o $(BUILD)/obj/tests/xkernel/%.o: CPPFLAGS += $(XK_CPPFLAGS)
$(call test_bins,xkernel): $(XK_LIBS)
$(call test_bins,xkernel): LDLIBS += -lm -lpthread

$(XK_APPS): $(BUILD)/bin/%: $(BUILD)/obj/$(XK_DIR)/apps/%.o $(XK_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lm -lpthread

# For scripts that compile the stack themselves (profiles/xk_build.sh):
# the library's and harness's sources, one a line, and the include flags.
.PHONY: print-xk-srcs print-xk-cppflags
print-xk-srcs:
	@printf '%s\n' $(XK_SRCS) $(XK_HARNESS_SRCS)
print-xk-cppflags:
	@echo $(XK_CPPFLAGS)

# The packet classifier's own cost per frame (bench/xkernel/classify.sh).
XK_CLASSIFY_BIN := $(BUILD)/bin/xkclassify
ALL += $(XK_CLASSIFY_BIN)
$(BUILD)/obj/bench/xkernel/%.o: CPPFLAGS += $(XK_INC_framework)
$(XK_CLASSIFY_BIN): $(BUILD)/obj/bench/xkernel/classify.o $(XK_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make demo-xkernel: short ping runs between two host processes on the IPC
# kernel, and the loop's instructions per round trip (seconds in all).
# make bench-xkernel: the full ping runs (100,000 round trips x 10 samples)
# and the callgrind counts of every ping app of BENCH_PING_APPS (stack/rpc
# adds rpcping; bench/xkernel/callgrind.sh: instructions and allocator calls,
# then I1 misses in docs/DESIGN.md's two cache geometries), also written to
# bench/results/xkernel.txt with the date, the commit, the build and the load
# before and after; a run that fails leaves the file as it was.
BENCH_PING_APPS += tcpping udpping icmpping
DEMOS += demo-xkernel
.PHONY: demo-xkernel bench-xkernel
demo-xkernel: $(XK_APPS)
	for app in tcpping udpping icmpping; do timeout 120 $(BUILD)/bin/$$app -w process -n 10000 -s 3 || exit 1; done
	BUILD=$(BUILD) bench/xkernel/callgrind.sh -n 1000 tcpping

bench-xkernel: $(XK_APPS)
	@mkdir -p bench/results
	set -o pipefail; { echo "make bench-xkernel at $$(date -u '+%F %H:%M UTC') on $$(nproc) CPUs, load $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	  echo "sources: commit $$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$$(git diff --quiet HEAD -- . ':!bench/results' 2>/dev/null || echo ', with changes not committed'); programs: $(BUILD)/bin, the plain build ($(CC) $(filter-out -W% -M%,$(CFLAGS)))"; \
	  for app in $(BENCH_PING_APPS); do timeout 1200 $(BUILD)/bin/$$app -w process || exit 1; done; \
	  BUILD=$(BUILD) bench/xkernel/callgrind.sh -m $(BENCH_PING_APPS); \
	  for g in alpha21064 modern; do echo "I1 $$g:"; BUILD=$(BUILD) bench/xkernel/callgrind.sh -q -g $$g $(BENCH_PING_APPS); done; \
	  echo "load at the end $$(cut -d' ' -f1-3 /proc/loadavg)"; } \
	| tee bench/results/xkernel.txt.tmp && mv -f bench/results/xkernel.txt.tmp bench/results/xkernel.txt || \
	{ rm -f bench/results/xkernel.txt.tmp; echo "bench-xkernel: failed, bench/results/xkernel.txt left as it was" >&2; exit 1; }
