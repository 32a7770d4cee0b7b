# guards.awk - the path's guards in a root's disassembly (lib.sh's disasm).
# For each target of -v targets ("F G ..."): "F ok" when F's address is
# loaded into a register (lea ... <F>), the next compare with that register
# is followed at once by a jne, and the jne jumps forward, to the general
# call beyond the inlined copy: the guard compares one pointer and falls
# through to the inlined F. Else "F missing".
function hex(s,    i, v) {	# mawk has no strtonum
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
BEGIN { n = split(targets, t, " ") }
{
	addr = $1
	sub(/:$/, "", addr)
	if (cmp != "") {
		if ($2 == "jne" && hex($3) > hex(cmp_at))
			good[cmp] = 1
		cmp = ""
	}
	if ($2 == "lea")
		for (i = 1; i <= n; i++)
			if (index($0, "<" t[i] ">")) {
				split($3, a, ",")
				reg[a[2]] = t[i]
			}
	if ($2 == "cmp") {
		split($3, a, ",")
		for (r in reg)
			if (a[1] == r || a[2] == r) {
				cmp = reg[r]
				cmp_at = addr
				delete reg[r]
			}
	}
}
END { for (i = 1; i <= n; i++) print t[i], (t[i] in good) ? "ok" : "missing" }
