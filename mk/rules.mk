# mk/rules.mk (read after every module.mk: it uses their outputs).
# Installing, as toolchain tools install (DESTDIR-aware):
#   make install PREFIX=/usr/local [DESTDIR=DIR]    make uninstall (same variables)
# puts olayout and olayout-cc in PREFIX/bin, the plugin in PREFIX/lib/olayout
# (where olayout-cc looks for it, ../lib/olayout from its own directory), the
# runtime header olayout_clone.h in PREFIX/include and a man page per command,
# made from its --help by help2man, in PREFIX/share/man/man1.
PREFIX ?= /usr/local
OL_VERSION := 0.1
MAN_PAGES := $(BUILD)/man/olayout.1 $(BUILD)/man/olayout-cc.1
ALL += $(MAN_PAGES)

$(BUILD)/man/olayout.1: $(OLAYOUT) mk/manpage.sh
	@mkdir -p $(@D)
	mk/manpage.sh $(OLAYOUT) $(OL_VERSION) "link-time code layout: profile, plan, rewrite, verify, compare" $@
$(BUILD)/man/olayout-cc.1: $(OLCC) mk/manpage.sh
	@mkdir -p $(@D)
	mk/manpage.sh $(OLCC) $(OL_VERSION) "gcc for code olayout rewrites, with the olayout plugin" $@

# dest, what is installed where: PREFIX-relative path, then the build's file.
INSTALL_FILES := bin/olayout:$(OLAYOUT) bin/olayout-cc:$(OLCC) \
	lib/olayout/olayout.so:$(PLUGIN_SO) include/olayout_clone.h:tools/olayout/olayout_clone.h \
	share/man/man1/olayout.1:$(BUILD)/man/olayout.1 share/man/man1/olayout-cc.1:$(BUILD)/man/olayout-cc.1
# mode(PATH): executables 755, the rest 644.
install_mode = $(if $(filter bin/% %.so,$(1)),755,644)

.PHONY: install uninstall
install: $(foreach f,$(INSTALL_FILES),$(lastword $(subst :, ,$(f))))
	$(foreach f,$(INSTALL_FILES),install -D -m $(call install_mode,$(firstword $(subst :, ,$(f)))) \
		$(lastword $(subst :, ,$(f))) $(DESTDIR)$(PREFIX)/$(firstword $(subst :, ,$(f))) &&) true

uninstall:
	rm -f $(foreach f,$(INSTALL_FILES),$(DESTDIR)$(PREFIX)/$(firstword $(subst :, ,$(f))))
	[ ! -d $(DESTDIR)$(PREFIX)/lib/olayout ] || rmdir --ignore-fail-on-non-empty $(DESTDIR)$(PREFIX)/lib/olayout
