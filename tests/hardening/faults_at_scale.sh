# Faults at scale: every benchmark of the quick profile with the test-only faulty ones mixed
# in (one hangs, one crashes, one deadlocks two threads, one answers wrong). The run
# finishes, lists exactly those as failed, and keeps every other result.
. "$(dirname "$0")/../lib/lib.sh"
export CONTEND_TEST_BENCHES=1

# The quick profile's instances plus the faults, as one anchored alternation of exact names.
"$CONTEND" list | awk -F'\t' '$2 ~ /^\[q\]/ { print $1 }' >"$T/ordinary"
"$CONTEND" list --filter '^overhead_fault/(hang|crash|deadlock|wrong)/' | cut -f1 >"$T/faulty"
n_ord=$(wc -l <"$T/ordinary")
[ "$n_ord" -ge 4 ] || fail "only $n_ord quick benchmarks"
[ "$(wc -l <"$T/faulty")" -eq 4 ] || fail "the four faulty benchmarks are not registered"
# interleave: faults in the middle of the run, not at its end
re=$( (head -n $((n_ord / 2)) "$T/ordinary"; cat "$T/faulty"; tail -n +$((n_ord / 2 + 1)) "$T/ordinary") |
	sed 's/[][().*+?^$|{}\\]/\\&/g' | paste -sd'|')
"$CONTEND" run --filter "^($re)\$" --timeout 10 --min-time 0.002 --repetitions 1 \
	--out "$T/r.json" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc, want 1 (some failed)"
jq -e . "$T/r.json" >/dev/null || { fail "results not valid JSON"; finish; }
jq -r '.benchmarks[] | select(.error_occurred == true) | .name' "$T/r.json" | sort >"$T/failed"
sort "$T/faulty" >"$T/faulty.sorted"
if ! cmp -s "$T/failed" "$T/faulty.sorted"; then
	fail "failed set differs from the faulty set:"
	diff "$T/faulty.sorted" "$T/failed" >&2
	jq -r '.benchmarks[] | select(.error_occurred == true) | "\(.name): \(.error_message)"' "$T/r.json" >&2
fi
# every ordinary instance kept, with a time
while read -r name; do
	jq -e --arg n "$name" 'any(.benchmarks[]; .run_name == $n and (.error_occurred | not) and .real_time > 0)' \
		"$T/r.json" >/dev/null || fail "lost $name"
done <"$T/ordinary"
# the "N runs failed:" section lists exactly the faulty ones (the progress lines name all)
failed_section "$T/err" >"$T/listed"
[ "$(head -n 1 "$T/listed")" = 4 ] || fail "stderr has no \"4 runs failed:\" heading"
tail -n +2 "$T/listed" | sort >"$T/listed.names"
cmp -s "$T/listed.names" "$T/faulty.sorted" ||
	fail "the failed section lists $(tr '\n' ' ' <"$T/listed.names"), want $(tr '\n' ' ' <"$T/faulty.sorted")"
ok "$n_ord ordinary benchmarks kept, exactly the 4 faulty ones failed"
finish
