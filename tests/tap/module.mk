# The TAP helper used by every C test: tests/tap/tap.{h,c}. Only the tests'
# objects see its header (the libraries and tools never include it).
$(BUILD)/obj/tests/%.o: CPPFLAGS += -Itests/tap
