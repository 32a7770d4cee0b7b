# stack/rpc: the RPC suite (BLAST, BID, CHAN, SELECT) on the x-kernel
# framework (build/lib/librpc.a), its harness piece (librpcharness.a) and
# rpcping. Rules that use stack/xkernel's variables are in rules.mk (read
# after every module.mk).
RPC_DIR := stack/rpc
RPC_SRCS := $(wildcard $(RPC_DIR)/*.c)
RPC_HARNESS_SRCS := $(wildcard $(RPC_DIR)/harness/*.c)
RPC_LIB := $(BUILD)/lib/librpc.a
RPC_HARNESS_LIB := $(BUILD)/lib/librpcharness.a
RPC_APP_SRCS := $(wildcard $(RPC_DIR)/apps/*.c)
RPC_APPS := $(patsubst $(RPC_DIR)/apps/%.c,$(BUILD)/bin/%,$(RPC_APP_SRCS))

ALL += $(RPC_LIB) $(RPC_HARNESS_LIB) $(RPC_APPS)
