# bench/variants: every variant of every bundled stack program, built from
# the same sources and the same checked-in profile, and the paper's tables
# over them (bench/variants/README.md says what each variant is).
#
#   make variants          $(BUILD)/variants/STACK/VARIANT/PROG, each checked
#   make tables            quick run: $(RESULTS)/tables.{md,csv} and PNG charts
#   make tables FULL=1     the full run (more round trips per sample)
#
# A stack joins by adding its name to VARIANT_STACKS and defining NAME_PROG (the
# program), NAME_MAIN (its main file), NAME_SRCS (the stack's sources: -flto,
# plugin), NAME_OTHER (sources built plainly, never seen by the plugin: the IPC
# kernel), NAME_INC, NAME_LDLIBS, NAME_PROFILE, NAME_TRAIN (the training
# workload of PGO and BOLT, the same the profile was made from) and
# NAME_CHECK (the round trip every variant must pass before it is measured).
# The source lists come from the stack's own module.mk, never a copy here
# (hence `=`: they are read in rules.mk, after every module.mk).

PKGS += bolt-19 binutils valgrind gnuplot-nox python3

VARIANT_STACKS := tcpip rpc
tcpip_PROG := tcpping
tcpip_MAIN = $(filter %/tcpping.c,$(XK_APP_SRCS))
tcpip_SRCS = $(XK_SRCS) $(XK_HARNESS_SRCS)
tcpip_OTHER = $(IPC_SRCS)
tcpip_INC = $(XK_CPPFLAGS)
tcpip_LDLIBS := -lm -lpthread
tcpip_PROFILE := profiles/tcpping.prof
tcpip_TRAIN := -w inproc -n 1000 -s 1
tcpip_CHECK := -w inproc -n 100 -s 1
rpc_PROG := rpcping
rpc_MAIN = $(filter %/rpcping.c,$(RPC_APP_SRCS))
rpc_SRCS = $(XK_SRCS) $(XK_HARNESS_SRCS) $(RPC_SRCS) $(RPC_HARNESS_SRCS)
rpc_OTHER = $(IPC_SRCS)
rpc_INC = $(RPC_CPPFLAGS)
rpc_LDLIBS := -lm -lpthread
rpc_PROFILE := profiles/rpcping.prof
rpc_TRAIN := -w inproc -n 1000 -s 1
rpc_CHECK := -w inproc -n 100 -s 1

# The table's rows, in the paper's order, then the peers, then BOLT's
# layout of ALL's code (the plugin's gain beside a layout tool's).
VARIANTS := BAD STD OUT CLO COL PIN ALL PGO BOLT PGO+BOLT ALL+BOLT
# Rows that wait for a tool still being built: `make variants` does not
# build them and the tables say "not yet available" with the reason.
VARIANTS_PENDING :=
VARIANTS_PENDING_WHY :=
VARIANTS_BUILT := $(filter-out $(VARIANTS_PENDING),$(VARIANTS))
# Rows `make variants` builds but `make all` (so `make test`) does not: no
# test reads them (their list line says `extra`, not `built`).
VARIANTS_EXTRA := ALL+BOLT


DEMO_DEPS += variants
DEMOS += tables
