# exit_status.sh CONTEND_BIN SRC_DIR - scripts/ci-bench, scripts/lint and scripts/bench on a
# scratch tree whose tools are stand-ins (cmake, contend, clang-tidy... on PATH or in
# build/release), so each way to fail is staged in milliseconds:
#   ci-bench --report-only: a tree that does not build fails; a crash of contend fails; a
#     regression verdict (1) and "no baseline for this machine" pass; without the flag a
#     regression fails
#   lint: a clang-tidy finding fails, and so does clang-tidy failing on its own (stderr)
#   bench: a run that wrote no results fails
. "$(dirname "$0")/../lib/lib.sh"
S=$T/tree
mkdir -p "$S/scripts" "$S/fake" "$S/build/release" "$S/harness" "$S/benches/x" "$S/tests"
for f in ci-bench lint bench; do cp "$SRC/scripts/$f" "$S/scripts/$f"; done
printf '#!/bin/sh\nexit 0\n' >"$S/scripts/deps"
echo 'int x;' >"$S/harness/a.c"
touch "$S/build/release/compile_commands.json"
# cmake: FAKE_CMAKE=fail stands for a tree that does not build
cat >"$S/fake/cmake" <<'X'
#!/bin/sh
[ "${FAKE_CMAKE:-ok}" = ok ] || { echo "CMake Error: fake" >&2; exit 1; }
exit 0
X
# contend: run writes its --out and prints it (not with FAKE_RUN=silent); compare/ab exit
# FAKE_VERDICT, or crash with FAKE_VERDICT=crash; FAKE_MSG=nobase|bad: what compare says
cat >"$S/build/release/contend" <<'X'
#!/bin/sh
cmd=$1
shift
case $cmd in
run)
	[ "${FAKE_RUN:-ok}" = silent ] && exit 0
	out=results/fake/results.json
	while [ $# -gt 0 ]; do
		[ "$1" = --out ] && out=$2
		shift
	done
	mkdir -p "$(dirname "$out")" && echo '{}' >"$out" && echo "$out"
	exit 0 ;;
compare | ab)
	[ "${FAKE_MSG-}" = nobase ] && echo "contend: no baseline for this machine in x (fake)" >&2
	[ "${FAKE_MSG-}" = bad ] && echo "contend: bad input (fake)" >&2
	[ "${FAKE_VERDICT:-0}" = crash ] && kill -SEGV $$
	exit "${FAKE_VERDICT:-0}" ;;
--help) echo "  report    write the report"; exit 0 ;;
report) exit 0 ;;
esac
exit 0
X
for t in clang-format cppcheck; do printf '#!/bin/sh\nexit 0\n' >"$S/fake/$t"; done
cat >"$S/fake/clang-tidy" <<'X'
#!/bin/sh
case ${FAKE_TIDY:-clean} in
finding) echo "harness/a.c:1:5: error: a finding [bugprone-x]"; exit 1 ;;
broken) echo "Error: no compilation database found" >&2; exit 1 ;;
esac
exit 0
X
chmod +x "$S/fake/"* "$S/build/release/contend" "$S/scripts/"*
P=$S/fake:$PATH

status() { # status ENV... -- SCRIPT ARGS...: the exit status of a script in the scratch tree
	env_args=
	while [ "$1" != -- ]; do env_args="$env_args $1"; shift; done
	shift
	# shellcheck disable=SC2086
	(cd "$S" && env PATH="$P" GITHUB_STEP_SUMMARY= $env_args sh "$@" >"$T/out" 2>&1)
	echo $?
}
expect() { # expect WANT DESCRIPTION ENV... -- SCRIPT ARGS...
	want=$1 d=$2
	shift 2
	got=$(status "$@")
	case $want in
	nonzero) [ "$got" -ne 0 ] ;;
	*) [ "$got" -eq "$want" ] ;;
	esac || fail "$d: exit $got, want $want: $(tail -n 3 "$T/out")"
}

expect nonzero "ci-bench --report-only, the tree does not build" FAKE_CMAKE=fail -- scripts/ci-bench --report-only
expect nonzero "ci-bench --report-only, contend crashes" FAKE_VERDICT=crash -- scripts/ci-bench --report-only
expect 2 "ci-bench --report-only, compare says bad input" FAKE_VERDICT=2 FAKE_MSG=bad -- scripts/ci-bench --report-only
expect 0 "ci-bench --report-only, a regression" FAKE_VERDICT=1 -- scripts/ci-bench --report-only
expect 0 "ci-bench --report-only, no baseline for this machine" FAKE_VERDICT=2 FAKE_MSG=nobase -- \
	scripts/ci-bench --report-only
expect 1 "ci-bench, a regression" FAKE_VERDICT=1 -- scripts/ci-bench
expect 0 "ci-bench, no regression" FAKE_VERDICT=0 -- scripts/ci-bench
ok "ci-bench: --report-only softens only the verdict"

expect 0 "lint, clean" FAKE_TIDY=clean -- scripts/lint
expect nonzero "lint, a clang-tidy finding" FAKE_TIDY=finding -- scripts/lint
expect nonzero "lint, clang-tidy fails on stderr" FAKE_TIDY=broken -- scripts/lint
ok "lint: clang-tidy's findings and failures fail it"

expect 0 "bench, results written" -- scripts/bench --quick
expect nonzero "bench, no results written" FAKE_RUN=silent -- scripts/bench --quick
ok "bench: no results, no success"

# .ci/check-skips: a skip CI does not allow fails it, an allowed one does not
junit() { # junit FILE NAME STATUS...: a ctest JUnit file with these tests
	f=$1
	shift
	{
		echo '<testsuite name="x" tests="2">'
		while [ $# -gt 0 ]; do
			echo "	<testcase name=\"$1\" classname=\"$1\" time=\"0.1\" status=\"$2\">"
			[ "$2" = notrun ] && echo '		<skipped message="SKIP_RETURN_CODE=77"/>'
			echo '	</testcase>'
			shift 2
		done
		echo '</testsuite>'
	} >"$f"
}
junit "$T/allowed.xml" harness_units run atomics_c2c_one_cpu notrun
junit "$T/other.xml" harness_units run atomics_litmus_cmd notrun
check "check-skips: an allowed skip passes" sh "$SRC/.ci/check-skips" "$T/allowed.xml"
check "check-skips: a skip not allowed fails" sh -c "! sh '$SRC/.ci/check-skips' '$T/other.xml' 2>/dev/null"
check "check-skips: a missing file fails" sh -c "! sh '$SRC/.ci/check-skips' '$T/none.xml' 2>/dev/null"
finish
