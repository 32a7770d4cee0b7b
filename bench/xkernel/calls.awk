# calls.awk - calls to each function in a callgrind output file, one
# "NAME CALLS" line per function called (in the instrumented part only, as
# callgrind records it). Names are compressed in the file: "cfn=(ID) NAME"
# the first time, "cfn=(ID)" after; a "calls=COUNT ..." line follows each
# callee.  awk -f bench/xkernel/calls.awk callgrind.out.N
/^c?fn=\(/ { id = $1; sub(/^c?fn=/, "", id); if (NF > 1) name[id] = $2 }
/^cfn=/ { callee = name[id] }
/^calls=/ { split($1, c, "="); calls[callee] += c[2] }
END { for (f in calls) print f, calls[f] }
