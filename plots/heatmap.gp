# heatmap.gp - contend report template: the core-to-core cache-line round trip matrix.
#
# `contend report` fills in every @FIELD@ and writes the result beside its CSV in the
# report directory, so `gnuplot NAME.gp` there redraws NAME.png and NAME.svg by hand.
# The CSV: row (from), column (to) as positions, PU a, PU b (OS indices), round trip in ns; NaN on the
# diagonal and for pairs that were not measured.
set encoding utf8
set datafile separator comma
data = '@DATA@'

set title "@TITLE@" noenhanced
set xlabel "to PU (OS index)"
set ylabel "from PU (OS index)"
set cblabel "round trip (ns)"
set palette defined (0 "#fff5eb", 0.5 "#fd8d3c", 1 "#7f2704")
set cbrange [0:*]
set size ratio -1
set tics out nomirror
set bmargin 5
set label 1 "@NOTE@" at screen 0.01, screen 0.02 left font ",9" noenhanced
@SETTINGS@

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 800,700 font "sans,11" noenhanced
} else {
	set terminal png size 800,700 noenhanced
}
set output '@OUT@.png'
plot data using 2:1:5 skip 1 with image notitle@LABELS@
set terminal svg size 800,700 dynamic font "sans,11" noenhanced
set output '@OUT@.svg'
replot
unset output
