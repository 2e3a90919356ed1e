# lines.gp - contend report template: one line per series against x, with error bars.
#
# `contend report` fills in every @FIELD@ and writes the result beside its CSV in the
# report directory, so `gnuplot NAME.gp` there redraws NAME.png and NAME.svg by hand.
# The CSV: x position, x label, then three columns per series: value, low, high (the ends
# of its error bar). A blank line breaks the lines (oversubscribed points stand apart).
set encoding utf8
set datafile separator comma
data = '@DATA@'
nseries = @NSERIES@

set title "@TITLE@" noenhanced
set xlabel "@XLABEL@" noenhanced
set ylabel "@YLABEL@" noenhanced
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.1
set grid ytics xtics lc rgb "#dddddd"
set offsets graph 0.04, graph 0.04, 0, 0
set bmargin 5
set label 1 "@NOTE@" at screen 0.01, screen 0.02 left font ",9" noenhanced
@SETTINGS@

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1100,650 font "sans,11" noenhanced
} else {
	set terminal png size 1100,650 noenhanced
}
set output '@OUT@.png'
plot for [i=1:nseries] data using 1:(column(3*i)):(column(3*i+1)):(column(3*i+2)):xtic(2) \
	with yerrorlines lw 2 ps 1.1 title columnhead(3*i)@MARKS@
set terminal svg size 1100,650 dynamic mouse standalone font "sans,11" noenhanced
set output '@OUT@.svg'
replot
unset output
