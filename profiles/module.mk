# profiles: checked-in profiles of the bundled stacks and the scripts that make them.
# tcpping.sh and rpcping.sh, the training runs that write tcpping.prof and
# rpcping.prof (both through xk_profile.sh), need valgrind and olayout (built
# by tools/olayout).
