# plots.gp - the bar charts of the variant tables (make tables runs it).
#
#   gnuplot -e "dir='bench/results'" -e "stacks='tcpip'" bench/variants/plots.gp
#
# Reads DIR/tables_STACK.csv (bench/variants/tables.py writes it: one line per
# variant; a variant not yet available keeps its place on the axis, named
# "V (not yet)", without a bar; `every ::1` skips its header line, which
# shifted the error bars one slot left) and writes, per stack:
#   tables_STACK_rt.png      Table 2: round-trip time, median and interquartile range, both wires
#   tables_STACK_i1.png      Table 4: simulated I1 misses per round trip
#   tables_STACK_unused.png  Table 5: i-cache unused

if (!exists("dir")) dir = "bench/results"
if (!exists("stacks")) stacks = "tcpip"
set terminal pngcairo size 1000,500 font ",10" noenhanced
set datafile separator ","
set datafile missing ""
set key inside right top opaque
set grid ytics
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]

do for [s in stacks] {
	f = dir . "/tables_" . s . ".csv"

	set output dir . "/tables_" . s . "_rt.png"
	set terminal pngcairo size 1000,700
	set style histogram errorbars gap 2 lw 1
	set multiplot layout 2,1 title "Table 2, " . s . ": round-trip time (µs), median and interquartile range of interleaved rounds"
	set title "in-process wire"
	plot f every ::1 using 2:3:4:xtic(1) title "in-process" lc rgb "#4477aa"
	set title "IPC kernel, two host processes"
	plot f every ::1 using 5:6:7:xtic(1) title "two processes" lc rgb "#cc6677"
	unset multiplot

	set terminal pngcairo size 1000,500
	set output dir . "/tables_" . s . "_i1.png"
	set style histogram clustered gap 2
	set title "Table 4, " . s . ": simulated I1 misses per round trip (callgrind)"
	plot f every ::1 using 8:xtic(1) title "alpha21064 (8 KiB direct-mapped, 32-B lines)" lc rgb "#4477aa", \
		'' every ::1 using 9 title "modern (32 KiB 8-way, 64-B lines)" lc rgb "#cc6677"

	set output dir . "/tables_" . s . "_unused.png"
	set title "Table 5, " . s . ": bytes of the touched i-cache lines never executed (%)"
	plot f every ::1 using 12:xtic(1) title "32-B lines" lc rgb "#4477aa", \
		'' every ::1 using 13 title "64-B lines" lc rgb "#cc6677"
}
