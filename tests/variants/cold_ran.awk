# cold_ran.awk - instructions run inside .cold symbols, by address. Input:
# lines "sym ADDR SIZE NAME" (nm -S, hex), then a callgrind output with
# per-instruction counts (--dump-instr=yes). exe: the executable's name as
# callgrind's ob= names it (its last component). Prints "NAME INSTRUCTIONS"
# for each symbol that ran. Callgrind itself files these instructions under
# the parent function's name: only their addresses tell.

# hex("0x1f") = 31 (mawk has no strtonum)
function hex(s,    i, v) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
# pos(TOKEN): an absolute (0xHEX), relative (+N, -N: decimal) or
# repeated (*) position
function pos(t) {
	if (t == "*") return cur
	if (t ~ /^[-+]/) return cur + t
	return t ~ /^0x/ ? hex(t) : t + 0
}
$1 == "sym" { lo[++n] = hex($2); hi[n] = lo[n] + hex($3); name[n] = $4; next }
/^c?ob=\(/ {
	id = $1; sub(/^c?ob=/, "", id)
	if (NF > 1) { f = $NF; sub(/.*\//, "", f); own[id] = (f == exe) }
	if ($1 ~ /^ob=/) mine = own[id]
	next
}
/^calls=/ { skip = 1; next }	# the next line is the call's inclusive cost
/^(jump|jcnd)=/ { next }
/^(0x|[-+*])/ {
	cur = pos($1)
	if (skip) { skip = 0; next }
	if (!mine || NF < 3) next
	for (i = 1; i <= n; i++)
		if (cur >= lo[i] && cur < hi[i]) ran[name[i]] += $3
}
END { for (s in ran) if (ran[s]) print s, ran[s] }
