#!/usr/bin/env bash
# tcpping.sh - trains on the x-kernel's tcpping and prints its profile
# (profiles/tcpping.prof is this script's output):
#   profiles/tcpping.sh >profiles/tcpping.prof      (after make: uses olayout)
# How the training run is made and measured: profiles/xk_profile.sh. The path
# and library marks below are written by hand, from reading stack/xkernel.
. "$(dirname "$0")/xk_profile.sh"
xk_profile tcpping stack/xkernel/apps/tcpping.c print-xk-srcs print-xk-cppflags <<EOF
olayout-profile 2
exe tcpping

# The client's send path: TCP's push operation, then every layer crossing
# down to the driver (push_segment, ip_output and eth_push cross through
# session pointers; drv_push is every driver's push, and wire_send the
# in-process wire's transmit behind it: the guard falls back to the general
# call for the IPC wire's ipcwire_send_frame).
path tcp_send tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push drv_push wire_send

# The receive path: the frame's way up from the driver (xk_drv_deliver,
# every driver's receive) through every layer's demux/pop to the
# application (each layer hands the message up through xk_demux, which
# calls the next layer's demux through the protocol's operations; xk_pop
# calls a session's pop the same way).
path tcp_recv xk_drv_deliver xk_demux eth_demux eth_pop xk_demux ip_demux ip_deliver ip_pop xk_demux tcp_demux tcp_pop input_sync input_data tcp_deliver xk_demux app_demux

# Shared by every path: the message tool, the checksum, the event manager.
library msg_alloc
library msg_append
library msg_flatten
library msg_free
library msg_push
library msg_walk
library xk_csum_add
library xk_ip_pseudo_csum
library xk_event_cancel
library xk_event_schedule

EOF
