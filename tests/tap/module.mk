# The TAP helper used by every C test: tests/tap/tap.{h,c}.
CPPFLAGS += -Itests/tap
