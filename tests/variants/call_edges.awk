# call_edges.awk - calls between functions in a callgrind output file, one
# "CALLER CALLEE CALLS" line per pair (the instrumented part only, as
# callgrind records it; bench/xkernel/calls.awk sums them per callee).
# Names are compressed: "fn=(ID) NAME" / "cfn=(ID) NAME" the first time,
# "fn=(ID)" / "cfn=(ID)" after; the IDs are shared. A "calls=COUNT ..."
# line follows each callee of the current fn.
/^c?fn=\(/ { id = $1; sub(/^c?fn=/, "", id); if (NF > 1) name[id] = $2 }
/^fn=/ { caller = name[id] }
/^cfn=/ { callee = name[id] }
/^calls=/ { split($1, c, "="); calls[caller " " callee] += c[2] }
END { for (e in calls) print e, calls[e] }
