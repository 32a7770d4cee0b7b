# The GCC plugin (C++: GCC's plugin API is C++). Never sanitized, even with
# SAN=1: it runs inside cc1/lto1, which are not. -fno-rtti: cc1 has no RTTI.
PLUGIN_SRCS := plugin/olayout.cc plugin/blockids.cc plugin/blockorder.cc plugin/blockprofile.cc plugin/blocksplit.cc plugin/copies.cc plugin/fdo.cc plugin/flow.cc plugin/icp.cc plugin/loops.cc plugin/outline.cc plugin/path_inline.cc plugin/report.cc
PLUGIN_OBJS := $(patsubst %.cc,$(BUILD)/obj/%.o,$(PLUGIN_SRCS))
PLUGIN_INC := $(shell $(CXX) -print-file-name=plugin)/include
# lib/profile/module.mk (read before this file) builds the reader's PIC object.
PLUGIN_PROFILE_OBJ := $(OL_PROFILE_PIC_OBJ)
PLUGIN_CXXFLAGS := -fPIC -fno-rtti -O2 -g -Wall -Wextra -Werror $(OL_PROFILE_INC) -I$(PLUGIN_INC)

$(BUILD)/obj/plugin/%.o: plugin/%.cc | deps
	@mkdir -p $(@D)
	$(CXX) -MMD -MP $(PLUGIN_CXXFLAGS) -c -o $@ $<

$(PLUGIN_SO): $(PLUGIN_OBJS) $(PLUGIN_PROFILE_OBJ)
	@mkdir -p $(@D)
	$(CXX) -shared -o $@ $^

ALL += $(PLUGIN_SO)
TEST_DEPS += $(PLUGIN_SO)
