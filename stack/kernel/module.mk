# The EROS-style IPC kernel: build/lib/libipc.a, its example and tests.
IPC_SRCS := $(wildcard stack/kernel/*.c)
IPC_LIB := $(BUILD)/lib/libipc.a
IPC_PINGPONG := $(BUILD)/bin/ipc_pingpong

ALL += $(IPC_LIB) $(IPC_PINGPONG)

$(IPC_LIB): $(call objs,$(IPC_SRCS))
$(BUILD)/obj/stack/kernel/%.o $(BUILD)/obj/tests/kernel/%.o: CPPFLAGS += -Istack/kernel

$(IPC_PINGPONG): $(call objs,stack/kernel/examples/ipc_pingpong.c) $(IPC_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lpthread

# The tests' helper goes before the library that it calls.
$(call test_bins,kernel): $(BUILD)/obj/tests/kernel/ipc_testlib.o $(IPC_LIB)
$(call test_bins,kernel): LDLIBS += -lpthread
