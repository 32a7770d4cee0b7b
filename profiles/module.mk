# The profile reader, shared by the plugin and olayout (profiles/README.md).
#   $(OL_PROFILE_LIB)      static library for C tools (built like all C code)
#   $(OL_PROFILE_PIC_OBJ)  -fPIC object for the plugin's .so, never sanitized
#                          (the plugin runs inside cc1, which is not)
OL_PROFILE_SRCS := profiles/ol_profile.c
OL_PROFILE_LIB := $(BUILD)/lib/libol_profile.a
OL_PROFILE_PIC_OBJ := $(BUILD)/obj/profiles/ol_profile.pic.o

$(OL_PROFILE_LIB): $(call objs,$(OL_PROFILE_SRCS))

$(OL_PROFILE_PIC_OBJ): profiles/ol_profile.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(filter-out $(SANFLAGS),$(CFLAGS)) -fPIC -c -o $@ $<

$(BUILD)/obj/tests/profiles/%.o: CPPFLAGS += -Iprofiles
$(call test_bins,profiles): $(OL_PROFILE_LIB)

ALL += $(OL_PROFILE_LIB)
# tcpping.sh, the training run that writes tcpping.prof, needs jq (and gcov, valgrind).
PKGS += jq
