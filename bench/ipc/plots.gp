# plots.gp - the PNG plots of ipcbench's CSV files.
#
#   gnuplot -e "dir='bench/results'" bench/ipc/plots.gp
#
# Reads DIR/ipc_copy.csv, ipc_rt_{cross,same}.csv, ipc_twohop_{cross,same}.csv
# (columns: size, then NAME_ns and NAME_sd per series, then the load average)
# and writes one PNG beside each. A regime whose CSV is missing (one CPU) is skipped.

if (!exists("dir")) dir = "bench/results"
set terminal pngcairo size 1000,600 font ",10" noenhanced
set datafile separator ","
set key outside right top
set grid
set logscale x 2
set logscale y
set xlabel "payload (bytes)"

# A size of 0 has no place on a log axis.
pos(x) = x > 0 ? x : 1/0
exists_file(f) = system("test -r '" . f . "' && echo 1 || echo 0") + 0

# ---- the block-move study ----
set output dir . "/ipc_copy.png"
set title "Block move, warm source, cold destination (ns per copy)"
set ylabel "ns"
plot for [s in "memcpy movsb unrolled nt hybrid cached"] dir . "/ipc_copy.csv" \
	using (pos($1)):(column(s . "_ns")) with linespoints title s

do for [rg in "cross same"] {
	rt = dir . "/ipc_rt_" . rg . ".csv"
	hop = dir . "/ipc_twohop_" . rg . ".csv"
	if (exists_file(rt)) {
		set output dir . "/ipc_rt_" . rg . ".png"
		set title "Round trip, " . rg . "-core (µs)"
		set ylabel "µs"
		plot for [s in "ipc_null ipc_oneway ipc_echo pipe socketpair udp tcp tcp_nodelay spin memcpy"] \
			rt using (pos($1)):(column(s . "_ns") / 1000) with linespoints title s

		set output dir . "/ipc_throughput_" . rg . ".png"
		set title "Throughput, " . rg . "-core: payload per round trip (MB/s)"
		set ylabel "MB/s"
		plot for [s in "ipc_echo pipe socketpair udp tcp tcp_nodelay"] \
			rt using (pos($1)):($1 * 1000 / column(s . "_ns")) with linespoints title s
	}
	if (exists_file(hop)) {
		set output dir . "/ipc_twohop_" . rg . ".png"
		set title "Two hops, " . rg . "-core: tail call vs nested call (µs)"
		set ylabel "µs"
		unset logscale y
		plot for [s in "tail nested"] \
			hop using (pos($1)):(column(s . "_ns") / 1000) with linespoints title s
		set logscale y
	}
}
unset output
