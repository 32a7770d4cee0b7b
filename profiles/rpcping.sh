#!/usr/bin/env bash
# rpcping.sh - trains on the x-kernel's RPC suite with rpcping and prints
# its profile (profiles/rpcping.prof is this script's output):
#   profiles/rpcping.sh >profiles/rpcping.prof      (after make: uses olayout)
# How the training run is made and measured: profiles/xk_profile.sh. The path
# and library marks below are written by hand, from reading stack/rpc.
. "$(dirname "$0")/xk_profile.sh"
xk_profile rpcping stack/rpc/apps/rpcping.c print-rpc-srcs print-rpc-cppflags <<EOF
olayout-profile 2
exe rpcping

# Every request and every reply down: SELECT's push operation, then every
# layer crossing down to the driver (each through a session pointer: CHAN
# crosses to BID at one call site for both its halves, so this path is the
# client's request and the server's reply alike; bid_send and
# blast_send_frag put their headers on; the IP, ETH and driver layers are
# tcpping's).
path rpc_call select_push chan_push bid_push bid_send blast_push blast_send_frag ip_push ip_send_one ip_output eth_push drv_push wire_send

# The reply's way up: from ETH's pop through every layer's demux and pop to
# CHAN's client end of the call: each pop hands the message up (xk_up)
# straight to the next layer's demux through its session's pointer, and
# xk_pop calls a session's pop through its operations (the bound sessions':
# their clones). It starts at eth_pop, not eth_demux: RPC's connection has
# no classifier flow (no ports), so every frame enters the original
# eth_demux through xk_demux and the first bound code it runs is ETH
# session's pop. It stops at CHAN: the server's requests reach SELECT from
# chan_server_pop, not through the path's guarded crossing, so
# select_demux and select_pop run once a round trip outside the path;
# olayout would clone them for the path, the client's bound CHAN session
# would enter the clone and miss the plugin's guard (ALL ran 40
# instructions per round trip more than its input). With CHAN's crossing
# up at one call site for both halves (as the push's) the plugin did not
# promote select_demux -> select_pop (training counted it 0.08 per run of
# the root, not 0.5; not understood).
path rpc_reply eth_pop ip_demux ip_deliver ip_pop blast_demux blast_pop blast_recv_data blast_deliver bid_demux bid_pop chan_demux chan_pop chan_client_pop

# Shared by every path: the message tool, the checksum, the event manager.
# Not msg_peek, msg_pop, msg_dup nor the maps' xk_map_resolve (as in
# tcpping.sh): every layer's demux peeks and pops its header and looks its
# session up, and as library functions (one shared copy, never a path's
# helper) their calls cost PIN 6707 instructions per round trip instead of
# 6597 (bench/xkernel/callgrind.sh; STD 7368).
library msg_alloc
library msg_free
library msg_push
library msg_walk
library xk_csum_add
library xk_csum_msg
library xk_event_cancel
library xk_event_schedule

EOF
