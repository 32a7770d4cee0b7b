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

# The receive path: the frame's way up from ETH's demux, where the
# classifier (xk_deliver, stack/xkernel/framework/classify.c) hands the
# frames of tcpping's connection (bound to this path: xk_sess_bind_path),
# through every layer's demux and pop to the application: each pop hands
# the message up (xk_up) straight to the next layer's demux through its
# session's pointer, and xk_pop calls a session's pop through its
# operations.
path tcp_recv eth_demux eth_pop ip_demux ip_deliver ip_pop tcp_demux tcp_pop input_sync input_data tcp_deliver app_demux

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
