# fixture_names.sh - every benchmark name in the fixtures under tests/data is a name
# `contend list` prints (CONTEND_TEST_BENCHES=1 for the test-only ones), so that the
# fixtures follow the registry (tests/data/regenerate.sh makes them from real runs).
# Left out: tests/data/bad (malformed on purpose), files that do not parse or hold no
# benchmarks, files of contend_schema 1 (from before the rename, kept on purpose to test
# the name map), and workloads named zzz_* (a family no contend has, on purpose).
. "$(dirname "$0")/../lib/lib.sh"

CONTEND_TEST_BENCHES=1 "$BIN" list | awk '{print $1}' | sort -u >"$T/listed"
check "contend list prints names" [ -s "$T/listed" ]
nfiles=0
nv1=0
for f in $(find "$SRC/tests/data" -name '*.json' -not -path '*/tests/data/bad/*' | sort); do
	schema=$(jq -r '.context.contend_schema // empty' "$f" 2>/dev/null) || continue
	[ -n "$schema" ] || continue
	if [ "$schema" = 1 ]; then
		nv1=$((nv1 + 1))
		continue
	fi
	nfiles=$((nfiles + 1))
	jq -r '.benchmarks[]? | select(.run_type != "aggregate") | .run_name // .name' "$f" |
		grep -v '^zzz_' | sort -u >"$T/names"
	comm -23 "$T/names" "$T/listed" >"$T/unlisted"
	check "${f#"$SRC"/}: every name is listed (not: $(head -3 "$T/unlisted" | tr '\n' ' '))" \
		[ ! -s "$T/unlisted" ]
done
check "checked the schema-2 fixtures ($nfiles)" [ "$nfiles" -ge 5 ]
check "the pre-rename sample is kept ($nv1 of schema 1)" [ -s "$SRC/tests/data/report/v1-sample-results.json" ]
echo "$nfiles fixtures of schema 2 checked, $nv1 of schema 1 left out"
finish
