# peers.sh CONTEND_BIN SRC_DIR - the optional comparison rows (Concurrency Kit's ck_*,
# liburcu's urcu_*) run for real when the build has the library, and are visibly skipped
# ("skipped: built without ...", counted as skipped, exit 0) when it has not. What the build
# has is read from its CMakeCache.txt (CK_FOUND, URCU_FOUND); one instance per peer
# strategy, the names taken from `contend list`.
. "$(dirname "$0")/../lib/lib.sh"
cache=$(dirname "$CONTEND")/CMakeCache.txt
[ -f "$cache" ] || die "no CMakeCache.txt beside $CONTEND"

# one instance of each peer strategy, at 2 threads where there is one
"$CONTEND" list | cut -f1 | grep -E '(^|/)(ck|urcu)_[a-z_]+/' >"$T/all" || die "contend list has no ck_/urcu_ rows"
sed -E 's,^.*(^|/)((ck|urcu)_[a-z_]+)/.*$,\2,' "$T/all" | sort -u >"$T/strategies"
: >"$T/pick"
for s in $(cat "$T/strategies"); do
	t=$(grep -E "(^|/)$s/" "$T/all" | grep '/threads:2$' | head -n 1)
	[ -n "$t" ] || t=$(grep -E "(^|/)$s/" "$T/all" | head -n 1)
	echo "$t" >>"$T/pick"
done
[ "$(grep -c . "$T/pick")" -eq "$(grep -c . "$T/strategies")" ] || fail "not one instance per peer strategy"
# under TSan: ck's locks are inline assembly it cannot see (tsan-peers.supp says more)
if is_tsan; then
	TSAN_OPTIONS="${TSAN_OPTIONS-} suppressions=$SRC/tests/locks/tsan-peers.supp"
	export TSAN_OPTIONS
fi
re=$(sed 's/[][().*+?^$|{}\\]/\\&/g' "$T/pick" | paste -sd'|')
"$CONTEND" run --filter "^($re)\$" --min-time 0.005 --repetitions 1 --out "$T/r.json" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || fail "the peer rows' run exited $rc: $(tail -n 5 "$T/err")"
[ "$(jq '[.benchmarks[] | select(.run_type == "iteration")] | length' "$T/r.json")" -eq "$(grep -c . "$T/pick")" ] ||
	fail "not every picked peer row has a result"

for lib in ck urcu; do
	case $lib in ck) var=CK_FOUND pkg=libck-dev ;; urcu) var=URCU_FOUND pkg=liburcu-dev ;; esac
	rows=$(jq --arg l "$lib" '[.benchmarks[] | select(.name | test("(^|/)" + $l + "_"))]' "$T/r.json")
	n=$(echo "$rows" | jq length)
	[ "$n" -ge 1 ] || { fail "no ${lib}_ rows ran"; continue; }
	if grep -q "^$var:INTERNAL=1\$" "$cache"; then
		echo "$rows" | jq -e 'all(.[]; ((.error_occurred | not) and .real_time > 0 and .iterations >= 1) or ((.error_message // "") | test("^skipped: .*ThreadSanitizer")))' >/dev/null ||
			fail "built with $lib, but its rows did not run: $(echo "$rows" | jq -c '[.[] | [.name, .error_message]]')"
		ok "$n ${lib}_ rows executed (built with $lib)"
	else
		echo "$rows" | jq -e --arg p "$pkg" 'all(.[]; .error_occurred == true
			and (.error_message | startswith("skipped: built without") and contains($p)))' >/dev/null ||
			fail "built without $lib, but its rows are not marked skipped: $(echo "$rows" | jq -c '[.[] | [.name, .error_message]]')"
		grep -q "^contend: [0-9]* runs\{0,1\} skipped" "$T/err" || fail "the run does not say it skipped rows"
		ok "$n ${lib}_ rows visibly skipped (built without $lib)"
	fi
done
finish
