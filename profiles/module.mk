# profiles: checked-in profiles of the bundled stacks and the scripts that make them.
# tcpping.sh, the training run that writes tcpping.prof, needs valgrind and
# olayout (built by tools/olayout).
