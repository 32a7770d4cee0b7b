# mk: the Debian package mk/manpage.sh needs; mk/rules.mk installs.
PKGS += help2man
