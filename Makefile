# Top-level GNU Makefile: one non-recursive build of every part.
#
#   make / make all    build every part into build/
#   make deps          install the Debian packages the parts need (idempotent)
#   make test          build, then run every test under tests/ with prove
#   make test SAN=1    the same, built with ASan + UBSan into build/san/
#   make demo          the main job: build, then run every part's demo
#   make install       olayout, olayout-cc, the plugin, olayout_clone.h, man pages
#                      into PREFIX (default /usr/local; DESTDIR-aware); make uninstall
#   make clean
#
# Each part adds itself through a fragment, DIR/module.mk, included below in
# path order. A fragment appends to these lists and adds rules for its own
# outputs (rules whose prerequisites use another part's variables, such as
# its source list, go to DIR/rules.mk, read after every module.mk):
#   PKGS        Debian packages the part needs (make deps installs them)
#   ALL         files `make all` builds
#   DEMOS       phony targets `make demo` runs (each placed in DEMO_ORDER)
#   DEMO_DEPS   targets `make demo` builds (with make's -j) before it runs DEMOS
#   TEST_DEPS   files the test run needs besides the test programs
# C tests are found without a fragment: tests/PART/NAME_test.c is linked with
# the TAP helper into build/tests/PART/NAME_test; tests/PART/*.t are scripts.
# A fragment adds link inputs to its tests with a recipe-less rule, e.g.
#   $(call test_bins,kernel): $(BUILD)/lib/libipc.a

.DEFAULT_GOAL := all
SHELL := /bin/bash

SAN ?=
BUILD := build$(if $(SAN),/san)
# Where benchmarks write their tables and plots. `make demo` sends them to
# $(BUILD)/results, so a demo run never replaces the recorded bench/results.
RESULTS ?= bench/results

CC := gcc
CXX := g++
CPPFLAGS := -MMD -MP
CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror
LDFLAGS :=
LDLIBS :=
ifneq ($(SAN),)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS += $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
export ASAN_OPTIONS := abort_on_error=1:detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1
endif

PKGS := build-essential gcc-12-plugin-dev libelf-dev libcapstone-dev valgrind gnuplot-nox
ALL :=
DEMOS :=
DEMO_DEPS :=
TEST_DEPS :=
# The order `make demo` runs the demos in, the order a reader should meet the
# parts: the IPC kernel, the x-kernel stack on it, the plugin on that stack,
# then olayout on the plugin's build. A fragment's new demo goes in here.
DEMO_ORDER := bench-ipc demo-xkernel bench-plugin demo-olayout tables

# objs(SRCS): the object files of C sources.
objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
# test_bins(PART): the C test programs of tests/PART/.
test_bins = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/$(1)/*_test.c))

TAP_OBJ := $(BUILD)/obj/tests/tap/tap.o
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/*/*_test.c)))
TEST_SCRIPTS := $(sort $(wildcard tests/*/*.t))

# Outputs that fragments use before the fragment that builds them is read
# (fragments are read in path order).
PLUGIN_SO := $(BUILD)/plugin/olayout.so
OLAYOUT := $(BUILD)/bin/olayout

include $(sort $(wildcard */module.mk */*/module.mk))
include $(sort $(wildcard */rules.mk */*/rules.mk))

ifneq ($(filter-out $(DEMO_ORDER),$(DEMOS)),)
$(error Makefile: place $(filter-out $(DEMO_ORDER),$(DEMOS)) in DEMO_ORDER)
endif

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%_test: $(BUILD)/obj/tests/%_test.o $(TAP_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/lib/%.a:
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

.PHONY: all deps test demo clean
.SECONDARY:
all: $(ALL) $(TEST_BINS) $(TEST_DEPS)

deps:
	@mk/deps.sh $(sort $(PKGS))

# prove runs the C tests as programs and the .t files by their #! line.
# BUILD tells a script where the build's outputs are.
test: all
	BUILD=$(BUILD) prove --exec '' --timer $(TEST_BINS) $(TEST_SCRIPTS)

demo: all $(DEMO_DEPS)
ifneq ($(DEMOS),)
	$(MAKE) -j1 --no-print-directory RESULTS=$(BUILD)/results $(filter $(DEMOS),$(DEMO_ORDER))
	@echo "demo: tables and plots are in $(BUILD)/results"
else
	@echo "demo: built every part; no part has a demo yet"
endif

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
