# make test-external [PKGS="zlib jq ..."]: Debian 12 source packages built with
# olayout-cc, trained on their own test suites, optimized four ways, each
# output verified and the suites run again (tests/external/README.md). The
# sources and builds go to the git-ignored cache/. PKGS given on the command
# line names the source packages (it then no longer holds the Debian packages
# this build needs, so `all` is made again without it).
EXT_DEFAULT := zlib xz-utils jq gawk
EXT_LIST := $(if $(filter command line,$(origin PKGS)),$(PKGS),$(EXT_DEFAULT))
# dpkg-dev: dpkg-source; autotools: packages shipped without configure (jq);
# libonig-dev: jq's regular expressions.
PKGS += dpkg-dev autoconf automake libtool libonig-dev

.PHONY: test-external
test-external:
	MAKEFLAGS= $(MAKE) --no-print-directory all SAN=$(SAN)
	BUILD=$(BUILD) tests/external/ext.sh cache $(EXT_LIST)
