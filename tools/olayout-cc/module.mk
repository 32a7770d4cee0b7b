# olayout-cc: the compiler driver, built to $(BUILD)/bin/olayout-cc. It finds
# the plugin at ../lib/olayout/olayout.so beside its own directory, as
# installed; in the build tree that is a symlink to $(PLUGIN_SO).
OLCC := $(BUILD)/bin/olayout-cc
OLCC_PLUGIN_LINK := $(BUILD)/lib/olayout/olayout.so
OLCC_SRCS := $(sort $(wildcard tools/olayout-cc/olcc_*.c))

$(OLCC): $(call objs,$(OLCC_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

$(OLCC_PLUGIN_LINK): | $(PLUGIN_SO)
	@mkdir -p $(@D)
	ln -sfn ../../plugin/olayout.so $@

ALL += $(OLCC) $(OLCC_PLUGIN_LINK)
TEST_DEPS += $(OLCC) $(OLCC_PLUGIN_LINK)
