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
