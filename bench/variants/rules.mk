# bench/variants/rules.mk: the rules of the variants and the tables (read
# after every module.mk: they use the stacks' source lists). module.mk
# names the stacks and the variants.

VARIANT_DIR := $(BUILD)/variants
# The same warnings as the rest (never the sanitizers: these are measured),
# and one section per function so that olayout can move each.
VARIANT_CFLAGS := $(filter-out $(SANFLAGS),$(CFLAGS)) -ffunction-sections
# LTRANS in one job: make's jobs already fill the machine (plain -flto warns
# at every link that it runs serially). PGO's instrumented build is linked as
# one partition, as it warns even with -flto=1.
VARIANT_LTO := -flto=1
VARIANT_GEOMETRY := alpha21064
BOLT := llvm-bolt-19
BOLT_FLAGS := -reorder-blocks=ext-tsp -reorder-functions=cdsort -split-functions -split-all-cold
# Debian's bolt-19 looks for its instrumentation runtime here (TOOLCHAIN-NOTES).
BOLT_RT := /usr/lib/libbolt_rt_instr.a
BOLT_RT_SRC := /usr/lib/llvm-19/lib/libbolt_rt_instr.a

# variant_exe(STACK,VARIANT): the executable of one variant.
variant_exe = $(VARIANT_DIR)/$(1)/$(2)/$($(1)_PROG)
# The plugin's options for a stack and a mode (outline-only, inline-only, or
# none: both), as profiles/xk_build.sh gives them.
variant_plugin = -fplugin=$(PLUGIN_SO) -fplugin-arg-olayout-profile=$($(1)_PROFILE) \
	$(addprefix -fplugin-arg-olayout-,$(2))
# variant_accept(STACK,EXE): the round-trip check of EXE.tmp, then EXE.tmp
# becomes EXE. A variant that does not echo fails the build and leaves nothing.
variant_accept = $(2).tmp $($(1)_CHECK) >/dev/null || { rm -f $(2).tmp; \
	echo "variants: $(2) fails its round trip ($($(1)_CHECK))" >&2; exit 1; }; \
	mv -f $(2).tmp $(2)

# variant_build(STACK,DIR,CFLAGS,XFLAGS,OBJ-PREREQS): one compiled build in DIR:
# DIR/obj/ holds the stack's objects and the main file's (CFLAGS and XFLAGS:
# -flto, the plugin), DIR/other/ the plain ones (CFLAGS only), DIR/PROG the
# executable, linked with --emit-relocs. The flags live in this file: a
# change to it rebuilds. DIR/prof (PGO/gen's profile) goes before the link:
# the check run of a new instrumented build must not merge into the old one's.
define variant_build
$(2)/obj/%.o: %.c $(5) bench/variants/rules.mk | deps
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $$($(1)_INC) $$(VARIANT_CFLAGS) $(3) $(4) -c -o $$@ $$<
$(2)/other/%.o: %.c $(5) bench/variants/rules.mk | deps
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $$($(1)_INC) $$(VARIANT_CFLAGS) $(3) -c -o $$@ $$<
$(2)/$$($(1)_PROG): $$(patsubst %.c,$(2)/obj/%.o,$$($(1)_SRCS) $$($(1)_MAIN)) \
		$$(patsubst %.c,$(2)/other/%.o,$$($(1)_OTHER))
	rm -rf $$(@D)/prof
	$$(CC) $$(VARIANT_CFLAGS) $(3) $(4) -Wl,--emit-relocs -o $$@.tmp $$^ $$($(1)_LDLIBS)
	$$(call variant_accept,$(1),$$@)
endef

# variant_copies(STACK,VARIANT,MODE): VARIANT/PROG is VARIANT/in's objects
# linked again, with the plugin in MODE reading the copy entries of
# VARIANT/in trained (VARIANT/in/PROG.copies: the stack's training workload,
# train.sh --copies): an inlined copy of a line that never ran in that build
# goes to .cold, although the line ran in other copies (plugin/copies.cc).
# Only the link: path-inlining and the pass that reads them run there.
define variant_copies
$(VARIANT_DIR)/$(1)/$(2)/in/$$($(1)_PROG).copies: $(VARIANT_DIR)/$(1)/$(2)/in/$$($(1)_PROG) $$(OLAYOUT) \
		$$($(1)_PROFILE) bench/variants/train.sh
	bench/variants/train.sh --copies $$(OLAYOUT) $$($(1)_PROFILE) $$< $$@ $$($(1)_TRAIN)
$(call variant_exe,$(1),$(2)): $(VARIANT_DIR)/$(1)/$(2)/in/$$($(1)_PROG).copies \
		$$(patsubst %.c,$(VARIANT_DIR)/$(1)/$(2)/in/obj/%.o,$$($(1)_SRCS) $$($(1)_MAIN)) \
		$$(patsubst %.c,$(VARIANT_DIR)/$(1)/$(2)/in/other/%.o,$$($(1)_OTHER))
	$$(CC) $$(VARIANT_CFLAGS) $$(VARIANT_LTO) $$(call variant_plugin,$(1),$(3) copies=$$<) \
		-Wl,--emit-relocs -o $$@.tmp $$(filter %.o,$$^) $$($(1)_LDLIBS)
	$$(call variant_accept,$(1),$$@)
endef

# variant_olayout(STACK,VARIANT,INPUT,STRATEGY): olayout lays INPUT out, with
# a profile of INPUT itself (as BOLT trains on its own input): the stack's
# training workload under `olayout profile`, plus the checked-in profile's
# path and library marks.
define variant_olayout
$(call variant_exe,$(1),$(2)).prof: $(3) $$(OLAYOUT) $$($(1)_PROFILE) bench/variants/train.sh
	@mkdir -p $$(@D)
	bench/variants/train.sh $$(OLAYOUT) $$($(1)_PROFILE) $$< $$@ $$($(1)_TRAIN)
$(call variant_exe,$(1),$(2)): $(3) $$(OLAYOUT) $(call variant_exe,$(1),$(2)).prof
	@mkdir -p $$(@D)
	$$(OLAYOUT) optimize --strategy $(4) --profile $$@.prof --cache $$(VARIANT_GEOMETRY) \
		--save-layout $$(@D)/layout -o $$@.tmp $$<
	$$(OLAYOUT) verify $$@.tmp || { rm -f $$@.tmp; exit 1; }
	$$(call variant_accept,$(1),$$@)
endef

# variant_bolt(STACK,VARIANT): BOLT on VARIANT/in/PROG, trained by its own
# instrumentation on the stack's training workload.
define variant_bolt
$(call variant_exe,$(1),$(2)): $(VARIANT_DIR)/$(1)/$(2)/in/$$($(1)_PROG) | $$(BOLT_RT)
	rm -f $$(@D)/in/bolt.fdata
	$$(BOLT) $$< -instrument -o $$<.instr -instrumentation-file=$$(abspath $$(@D)/in/bolt.fdata) \
		>$$(@D)/bolt.log 2>&1 || { cat $$(@D)/bolt.log >&2; exit 1; }
	$$<.instr $$($(1)_TRAIN) >/dev/null
	$$(BOLT) $$< -o $$@.tmp -data=$$(@D)/in/bolt.fdata $$(BOLT_FLAGS) \
		>>$$(@D)/bolt.log 2>&1 || { cat $$(@D)/bolt.log >&2; exit 1; }
	$$(call variant_accept,$(1),$$@)
endef

# variant_pgo(STACK): the options every PGO build compiles with besides its
# -fprofile-generate/-use. GCC names a static function's profile after the
# object's dump name (-dumpdir, by default the object's folder): the builds
# that write and that read the profile must share it, so it is one folder,
# PGO/aux, for all of them (nothing is written there). Compiles only.
variant_pgo = $(if $(filter %.c,$<),-dumpdir $(abspath $(VARIANT_DIR))/$(1)/PGO/aux/$(dir $<))
variant_pgo_use = -fprofile-use=$(abspath $(VARIANT_DIR))/$(1)/PGO/gen/prof -Wno-missing-profile

# variant_stack(STACK): every variant of one stack.
# OUT and PIN build without the plugin's fdo pass (trained branch
# probabilities, from the profile's branch entries) and its loops pass (hot
# loops unrolled by their trained trips): each shows one of the paper's
# techniques alone (and OUT with fdo beat PIN on rpc's misses, 348 against
# 378); ALL, all the techniques, has them.
define variant_stack
$(1)_V := $(VARIANT_DIR)/$(1)
$(call variant_build,$(1),$$($(1)_V)/STD,,$$(VARIANT_LTO))
$(call variant_build,$(1),$$($(1)_V)/OUT,,$$(VARIANT_LTO) $$(call variant_plugin,$(1),outline-only fdo=off loops=off),$$(PLUGIN_SO) $$($(1)_PROFILE))
$(call variant_build,$(1),$$($(1)_V)/PIN/in,,$$(VARIANT_LTO) $$(call variant_plugin,$(1),inline-only fdo=off loops=off),$$(PLUGIN_SO) $$($(1)_PROFILE))
$(call variant_copies,$(1),PIN,inline-only fdo=off loops=off)
$(call variant_build,$(1),$$($(1)_V)/ALL/in,,$$(VARIANT_LTO) $$(call variant_plugin,$(1)),$$(PLUGIN_SO) $$($(1)_PROFILE))
$(call variant_build,$(1),$$($(1)_V)/PGO/gen,-fprofile-generate=$$(abspath $$($(1)_V))/PGO/gen/prof $$(call variant_pgo,$(1)),$$(VARIANT_LTO) -flto-partition=one)
$(call variant_build,$(1),$$($(1)_V)/PGO,$$(call variant_pgo_use,$(1)) $$(call variant_pgo,$(1)),$$(VARIANT_LTO),$$($(1)_V)/PGO/gen/trained)
$(call variant_build,$(1),$$($(1)_V)/BOLT/in,-fno-reorder-blocks-and-partition,$$(VARIANT_LTO))
$(call variant_build,$(1),$$($(1)_V)/PGO+BOLT/in,$$(call variant_pgo_use,$(1)) $$(call variant_pgo,$(1)) \
	-fno-reorder-blocks-and-partition,$$(VARIANT_LTO),$$($(1)_V)/PGO/gen/trained)
$(call variant_build,$(1),$$($(1)_V)/ALL+BOLT/in,-fno-reorder-blocks-and-partition,$$(VARIANT_LTO) \
	$$(call variant_plugin,$(1)),$$(PLUGIN_SO) $$($(1)_PROFILE))
$(call variant_olayout,$(1),BAD,$(call variant_exe,$(1),STD),bad)
$(call variant_olayout,$(1),CLO,$(call variant_exe,$(1),OUT),bipartite)
$(call variant_olayout,$(1),COL,$(call variant_exe,$(1),OUT),color)
$(call variant_olayout,$(1),ALL,$$($(1)_V)/ALL/in/$$($(1)_PROG),bipartite)
$(call variant_bolt,$(1),BOLT)
$(call variant_bolt,$(1),PGO+BOLT)
$(call variant_bolt,$(1),ALL+BOLT)

# The training run writes the .gcda files both PGO builds read.
$$($(1)_V)/PGO/gen/trained: $$($(1)_V)/PGO/gen/$$($(1)_PROG)
	rm -rf $$(@D)/prof
	$$< $$($(1)_TRAIN) >/dev/null
	touch $$@

# What was built and what waits, for the tables and the test: built (by
# make all), extra (by make variants only) or pending.
$$($(1)_V)/variants.list: bench/variants/module.mk
	@mkdir -p $$(@D)
	@{ echo "stack $(1) $$($(1)_PROG) $$($(1)_PROFILE)"; \
	  $$(foreach v,$$(VARIANTS),echo "variant $$v $$(if $$(filter $$v,$$(VARIANTS_PENDING)),pending $$(VARIANTS_PENDING_WHY),$$(if $$(filter $$v,$$(VARIANTS_EXTRA)),extra,built) $$(call variant_exe,$(1),$$v))";) \
	} >$$@
endef
$(foreach s,$(VARIANT_STACKS),$(eval $(call variant_stack,$(s))))

VARIANT_LISTS := $(foreach s,$(VARIANT_STACKS),$(VARIANT_DIR)/$(s)/variants.list)
VARIANT_EXES := $(foreach s,$(VARIANT_STACKS),$(foreach v,$(VARIANTS_BUILT),$(call variant_exe,$(s),$(v))))

$(BOLT_RT): | deps
	@if [ "$$(id -u)" != 0 ]; then echo "variants: $(BOLT) needs $@; as root run:" >&2; \
	  echo "  ln -s $(BOLT_RT_SRC) $@" >&2; exit 1; fi
	ln -sf $(BOLT_RT_SRC) $@

.PHONY: variants tables
variants: $(VARIANT_EXES) $(VARIANT_LISTS)
	@echo "variants: built and checked: $(VARIANTS_BUILT)"
	@$(if $(VARIANTS_PENDING),echo "variants: not yet available: $(VARIANTS_PENDING) ($(VARIANTS_PENDING_WHY))")

# The tables measure the variants as `make variants` left them.
tables: variants $(OLAYOUT)
	@mkdir -p $(RESULTS)
	bench/variants/tables.py --build $(BUILD) --results $(RESULTS) $(if $(FULL),--full) $(VARIANT_LISTS)
	gnuplot -e "dir='$(RESULTS)'" -e "stacks='$(VARIANT_STACKS)'" bench/variants/plots.gp

# tests/variants: the orderings of the I1 misses among the rows (order.t,
# ALL against the peers too), the rewritten rows entering their clones
# (bind.t), every row on its other routes (routes.t): every row but the
# extra ones.
TEST_DEPS += $(VARIANT_LISTS) $(foreach s,$(VARIANT_STACKS),$(foreach v,$(filter-out $(VARIANTS_EXTRA),$(VARIANTS_BUILT)),$(call variant_exe,$(s),$(v))))
