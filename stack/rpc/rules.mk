# stack/rpc's rules on stack/xkernel's variables. The suite sees the
# framework and the TCP/IP suite's headers (csum.h); its harness, apps and
# tests also the x-kernel harness.
RPC_CPPFLAGS := $(XK_CPPFLAGS) -I$(RPC_DIR) -I$(RPC_DIR)/harness
# The tests also share the crossing check of tests/xkernel.
$(BUILD)/obj/tests/rpc/%.o: CPPFLAGS += -Itests/xkernel
# Link inputs of a program on the suite, in link order.
RPC_LIBS := $(RPC_HARNESS_LIB) $(RPC_LIB) $(XK_LIBS)

$(RPC_LIB): $(call objs,$(RPC_SRCS))
$(RPC_HARNESS_LIB): $(call objs,$(RPC_HARNESS_SRCS))
$(BUILD)/obj/$(RPC_DIR)/%.o: CPPFLAGS += $(XK_INC_proto)
$(BUILD)/obj/$(RPC_DIR)/harness/%.o $(BUILD)/obj/$(RPC_DIR)/apps/%.o $(BUILD)/obj/tests/rpc/%.o: \
  CPPFLAGS += $(RPC_CPPFLAGS)
$(call test_bins,rpc): $(RPC_LIBS)
$(call test_bins,rpc): LDLIBS += -lm -lpthread

# make bench-xkernel (stack/xkernel/module.mk) runs rpcping beside the TCP/IP pings.
BENCH_PING_APPS += rpcping
bench-xkernel: $(RPC_APPS)

$(RPC_APPS): $(BUILD)/bin/%: $(BUILD)/obj/$(RPC_DIR)/apps/%.o $(RPC_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lm -lpthread

# For scripts that compile the suite themselves (profiles/rpcping.sh): the
# sources of the stack, its harness and the suite, one a line, and the
# include flags.
.PHONY: print-rpc-srcs print-rpc-cppflags
print-rpc-srcs:
	@printf '%s\n' $(XK_SRCS) $(XK_HARNESS_SRCS) $(RPC_SRCS) $(RPC_HARNESS_SRCS)
print-rpc-cppflags:
	@echo $(RPC_CPPFLAGS)
