# lib/profile: the profile reader, shared by the plugin and olayout (profiles/README.md).
#   $(OL_PROFILE_LIB)      static library for C tools (built like all C code)
#   $(OL_PROFILE_PIC_OBJ)  -fPIC objects for the plugin's .so, never sanitized
#                          (the plugin runs inside cc1, which is not)
#   $(OL_PROFILE_INC)      the include flag for its header
OL_PROFILE_SRCS := $(sort $(wildcard lib/profile/ol_profile*.c))
OL_PROFILE_LIB := $(BUILD)/lib/libol_profile.a
OL_PROFILE_PIC_OBJ := $(patsubst %.c,$(BUILD)/obj/%.pic.o,$(OL_PROFILE_SRCS))
OL_PROFILE_INC := -Ilib/profile

$(OL_PROFILE_LIB): $(call objs,$(OL_PROFILE_SRCS))

$(BUILD)/obj/lib/profile/%.pic.o: lib/profile/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(filter-out $(SANFLAGS),$(CFLAGS)) -fPIC -c -o $@ $<

$(BUILD)/obj/tests/profile/%.o: CPPFLAGS += $(OL_PROFILE_INC)
$(call test_bins,profile): $(OL_PROFILE_LIB)

ALL += $(OL_PROFILE_LIB)
