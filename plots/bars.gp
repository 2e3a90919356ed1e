# bars.gp - contend report template: bars per series, clustered by category, with error
# bars.
#
# `contend report` fills in every @FIELD@ and writes the result beside its CSV in the
# report directory, so `gnuplot NAME.gp` there redraws NAME.png and NAME.svg by hand.
# The CSV: category, then three columns per series: value, low, high (the ends of its
# error bar); an empty value is a combination that was not measured.
set encoding utf8
set datafile separator comma
data = '@DATA@'
nseries = @NSERIES@

set title "@TITLE@" noenhanced
set xlabel "@XLABEL@" noenhanced
set ylabel "@YLABEL@" noenhanced
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.1
set grid ytics lc rgb "#dddddd"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set bmargin 6
set label 1 "@NOTE@" at screen 0.01, screen 0.02 left font ",9" noenhanced
@SETTINGS@

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1100,650 font "sans,11" noenhanced
} else {
	set terminal png size 1100,650 noenhanced
}
set output '@OUT@.png'
plot for [i=1:nseries] data using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
	title columnhead(3*i-1)
set terminal svg size 1100,650 dynamic mouse standalone font "sans,11" noenhanced
set output '@OUT@.svg'
replot
unset output
