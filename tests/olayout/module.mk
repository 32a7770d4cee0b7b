# tests/olayout: the olayout test corpus (tests/olayout/corpus/PROG/*.c), each
# program built in every configuration below as
# $(BUILD)/tests/olayout/corpus/PROG.CONFIG, plus PROG.funcs (the program's own
# function names, from a relocatable link of its sources) and i386.elf (a
# 32-bit x86 executable). The corpus is never built with the sanitizers: it is
# the rewriter's input, not code under test.

# zlib.t fetches Debian's zlib source (mk/debsrc.sh needs dpkg-source).
PKGS += dpkg-dev

OL_CORPUS_SRC := tests/olayout/corpus
OL_CORPUS_OUT := $(BUILD)/tests/olayout/corpus
OL_CORPUS_PROGS := $(patsubst $(OL_CORPUS_SRC)/%/main.c,%,$(wildcard $(OL_CORPUS_SRC)/*/main.c))
OL_CORPUS_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffunction-sections -Itools/olayout
OL_RELOCS := -Wl,--emit-relocs

# CONFIG -> its flags. Every one but norelocs keeps the relocations.
OL_CFG_nopie := -fno-pie -no-pie $(OL_RELOCS)
OL_CFG_nopie-g := -fno-pie -no-pie -g $(OL_RELOCS)
OL_CFG_pie := -fpie -pie $(OL_RELOCS)
OL_CFG_pie-g := -fpie -pie -g $(OL_RELOCS)
OL_CFG_static := -fno-pie -static $(OL_RELOCS)
OL_CFG_static-g := -fno-pie -static -g $(OL_RELOCS)
OL_CFG_pie-cet := -fpie -pie -fcf-protection $(OL_RELOCS)
OL_CFG_static-cet := -fno-pie -static -fcf-protection -g $(OL_RELOCS)
OL_CFG_pie-gz := -fpie -pie -g -gz $(OL_RELOCS)
OL_CFG_norelocs := -fpie -pie
OL_CORPUS_CONFIGS := $(patsubst OL_CFG_%,%,$(filter OL_CFG_%,$(.VARIABLES)))

# ol_corpus_rule(PROG,CONFIG)
define ol_corpus_rule
$(OL_CORPUS_OUT)/$(1).$(2): $(wildcard $(OL_CORPUS_SRC)/$(1)/*.[ch]) tests/olayout/module.mk
	@mkdir -p $$(@D)
	$$(CC) $(OL_CORPUS_CFLAGS) $(OL_CFG_$(2)) -o $$@ $(wildcard $(OL_CORPUS_SRC)/$(1)/*.c)
endef

# ol_funcs_rule(PROG): PROG.funcs, the text symbols its own sources define.
define ol_funcs_rule
$(OL_CORPUS_OUT)/$(1).funcs: $(wildcard $(OL_CORPUS_SRC)/$(1)/*.[ch]) tests/olayout/module.mk
	@mkdir -p $$(@D)
	$$(CC) $(OL_CORPUS_CFLAGS) -fpie -nostdlib -r -o $$@.o $(wildcard $(OL_CORPUS_SRC)/$(1)/*.c)
	nm --defined-only -f posix $$@.o | awk '$$$$2 ~ /^[tT]$$$$/ { print $$$$1 }' | sort > $$@.tmp
	rm -f $$@.o && mv $$@.tmp $$@
endef

$(foreach p,$(OL_CORPUS_PROGS),$(eval $(call ol_funcs_rule,$(p)))\
	$(foreach c,$(OL_CORPUS_CONFIGS),$(eval $(call ol_corpus_rule,$(p),$(c)))))

$(OL_CORPUS_OUT)/i386.elf: $(OL_CORPUS_SRC)/i386/start.c
	@mkdir -p $(@D)
	$(CC) -m32 -O2 -ffreestanding -c -o $@.o $<
	ld -m elf_i386 --emit-relocs -o $@ $@.o && rm -f $@.o

TEST_DEPS += $(foreach p,$(OL_CORPUS_PROGS),$(foreach c,$(OL_CORPUS_CONFIGS),$(OL_CORPUS_OUT)/$(p).$(c)) $(OL_CORPUS_OUT)/$(p).funcs) \
	$(OL_CORPUS_OUT)/i386.elf

# ol_memo_test: tools/olayout's decoder memo against Capstone (its objects, not the tool).
$(BUILD)/obj/tests/olayout/%.o: CPPFLAGS += -Itools/olayout -D_DEFAULT_SOURCE
$(call test_bins,olayout): $(call objs,tools/olayout/ol_code.c tools/olayout/ol_memo.c tools/olayout/ol_xlen.c tools/olayout/ol_elf.c tools/olayout/ol_err.c tools/olayout/ol_util.c)
$(call test_bins,olayout): LDLIBS += -lelf -lcapstone
