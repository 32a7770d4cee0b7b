# stack/xkernel: the x-kernel framework and TCP/IP suite (libxk.a), its apps.
XK_SRCS := $(wildcard stack/xkernel/*.c)
XK_LIB := $(BUILD)/lib/libxk.a
XK_APP_SRCS := $(wildcard stack/xkernel/apps/*.c)
XK_APPS := $(patsubst stack/xkernel/apps/%.c,$(BUILD)/bin/%,$(XK_APP_SRCS))

PKGS += iproute2 iputils-ping
ALL += $(XK_LIB) $(XK_APPS)

$(XK_LIB): $(call objs,$(XK_SRCS))
$(BUILD)/obj/stack/xkernel/%.o: CPPFLAGS += -Istack/xkernel
$(BUILD)/obj/tests/xkernel/%.o: CPPFLAGS += -Istack/xkernel
$(call test_bins,xkernel): $(XK_LIB) $(IPC_LIB)
$(call test_bins,xkernel): LDLIBS += -lm -lpthread

$(XK_APPS): $(BUILD)/bin/%: $(BUILD)/obj/stack/xkernel/apps/%.o $(XK_LIB) $(IPC_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lm -lpthread

# make demo-xkernel: short ping runs between two host processes on the IPC
# kernel, and the loop's instructions per round trip (seconds in all).
# make bench-xkernel: the full ping runs (100,000 round trips x 10 samples)
# and the callgrind counts of every ping app (bench/xkernel/callgrind.sh:
# instructions, then I1 misses in DESIGN.md's two cache geometries), also
# written to bench/results/xkernel.txt.
DEMOS += demo-xkernel
.PHONY: demo-xkernel bench-xkernel
demo-xkernel: $(XK_APPS)
	for app in tcpping udpping icmpping; do timeout 120 $(BUILD)/bin/$$app -w process -n 10000 -s 3 || exit 1; done
	BUILD=$(BUILD) bench/xkernel/callgrind.sh -n 1000 tcpping

bench-xkernel: $(XK_APPS)
	@mkdir -p bench/results
	set -o pipefail; { for app in tcpping udpping icmpping; do timeout 1200 $(BUILD)/bin/$$app -w process || exit 1; done; \
	  BUILD=$(BUILD) bench/xkernel/callgrind.sh; \
	  for g in alpha21064 modern; do echo "I1 $$g:"; BUILD=$(BUILD) bench/xkernel/callgrind.sh -q -g $$g; done; } \
	| tee bench/results/xkernel.txt
