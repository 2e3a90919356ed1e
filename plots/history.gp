# history.gp - contend history template: each benchmark's median over time, a line per
# benchmark of one workload, the runs evenly spaced along x (oldest first).
#
# `contend history` fills in every @FIELD@ and writes the result beside its CSV, so
# `gnuplot NAME.gp` in the history directory redraws NAME.png and NAME.svg by hand.
# The CSV: run number, tic label, then one column per benchmark (NaN: not in that run).
# NAME-marks.csv: run number, value, kind (flagged / improved), text (the change).
set encoding utf8
set datafile separator comma
data = '@DATA@'
nseries = @NSERIES@

set title "@TITLE@" noenhanced
set xlabel "@XLABEL@" noenhanced
set ylabel "@YLABEL@" noenhanced
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.1
set grid ytics xtics lc rgb "#dddddd"
set offsets graph 0.05, graph 0.05, 0, 0
set bmargin 6
set label 1 "@NOTE@" at screen 0.01, screen 0.02 left font ",9" noenhanced
@SETTINGS@

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1100,650 font "sans,11" noenhanced
} else {
	set terminal png size 1100,650 noenhanced
}
set output '@OUT@.png'
plot for [i=1:nseries] data using 1:(column(2+i)):xtic(2) \
	with linespoints lw 2 pt 7 ps 1.1 title columnhead(2+i)@MARKS@
set terminal svg size 1100,650 dynamic font "sans,11" noenhanced
set output '@OUT@.svg'
replot
unset output
