# cmake --install to a temporary prefix, then the installed contend, run from another
# directory with nothing of the source tree on its way: it names templates under the
# prefix, runs a short benchmark (one the report knows) and writes a report with them.
set -u
BUILD=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
P=$T/prefix
cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || { cat "$T/install.log" >&2; exit 1; }
for f in bin/contend share/man/man1/contend.1 share/contend/plots/lines.gp share/contend/plots/history.gp; do
	[ -f "$P/$f" ] || fail "not installed: $f"
done
mkdir "$T/cwd"
cd "$T/cwd" || exit 1
run() { env -u CONTEND_SOURCE_DIR "$P/bin/contend" "$@"; }
v=$(run --version)
echo "$v" | grep -qx "templates: $P/share/contend/plots" || fail "installed contend does not use its own templates: $v"
# the same program copied where no templates are: a clear error, not the source tree's
mkdir -p "$T/lone/bin" && cp "$P/bin/contend" "$T/lone/bin/"
"$T/lone/bin/contend" --version | grep -q '^templates: .*(missing)$' || fail "a contend without templates must say they are missing"
run run --quick --min-time 0.005 --repetitions 1 --filter '^atomic_load/relaxed/sharing:private/' --out "$T/cwd/r/results.json" \
	>/dev/null 2>"$T/run.err" || { cat "$T/run.err" >&2; fail "installed contend run"; }
run report "$T/cwd/r/results.json" --out "$T/cwd/rep" >/dev/null 2>"$T/report.err" ||
	{ cat "$T/report.err" >&2; fail "installed contend report"; }
[ -s "$T/cwd/rep/report.md" ] || fail "no report.md"
ls "$T/cwd/rep"/*.gp >/dev/null 2>&1 || fail "no gnuplot script written"
[ "$fails" -eq 0 ] || exit 1
echo "all checks passed"
