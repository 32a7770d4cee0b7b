# olayout: the ELF rewriter (libelf + Capstone), built to $(BUILD)/bin/olayout.
PKGS += libelf-dev libdw-dev libcapstone-dev nettle-dev gdb librsvg2-bin linux-perf
OLAYOUT_SRCS := $(sort $(wildcard tools/olayout/ol_*.c))
ALL += $(OLAYOUT)
TEST_DEPS += $(OLAYOUT)

$(call objs,$(OLAYOUT_SRCS)): CPPFLAGS += -D_DEFAULT_SOURCE
$(call objs,tools/olayout/ol_paths.c $(wildcard tools/olayout/ol_prof*.c tools/olayout/ol_plan*.c) tools/olayout/ol_map.c tools/olayout/ol_compare.c tools/olayout/ol_tune.c tools/olayout/ol_main.c): CPPFLAGS += $(OL_PROFILE_INC)

$(OLAYOUT): $(call objs,$(OLAYOUT_SRCS)) $(OL_PROFILE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -ldw -lelf -lcapstone -lnettle -lm
