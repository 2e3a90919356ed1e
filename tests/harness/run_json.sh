# A short run's JSON: the context keys present, the placement recorded, every thread on the
# PU its placement gives, the shim's counters, label and items as set, no NaN anywhere.
. "$(dirname "$0")/../lib/lib.sh"

J=$T/r.json
"$CONTEND" run --filter '^(overhead_null/c|overhead_probe/shim|atomic_faa/relaxed/sharing:shared)/' \
	--min-time 0.005 --repetitions 2 --out "$J" 2>"$T/err" >/dev/null ||
	{ cat "$T/err" >&2; fail "the run failed"; finish; }
jq -e . "$J" >/dev/null || fail "results are not valid JSON"
grep -qiE '(^|[^a-z_"])(-?nan|-?inf(inity)?)([^a-z_"]|$)' "$J" && fail "a NaN or Infinity in the JSON"

for k in contend_schema contend_version command_line profile filter placement topology \
	cpu_model arch kernel hypervisor smt governor boost compiler cflags git_commit \
	gbench_version hwloc_version load_avg_before load_avg_after interrupted; do
	jq -e --arg k "$k" '.context | has($k)' "$J" >/dev/null || fail "context lacks $k"
done
for k in packages numa_nodes l3_caches cores pus; do
	jq -e --arg k "$k" '.context.topology[$k] | type == "number"' "$J" >/dev/null ||
		fail "context.topology.$k"
done
jq -e '.context.placement == "cores" and .context.interrupted == false and .context.contend_schema == 2' "$J" >/dev/null ||
	fail "placement/interrupted/schema"
ok "context keys"

# Per result: label pus:..., the harness's counters
n=$(jq '[.benchmarks[] | select(.run_type == "iteration")] | length' "$J")
[ "$n" -ge 6 ] || fail "expected at least 6 iteration runs, got $n"
jq -e 'all(.benchmarks[]; (.label | startswith("pus:")) and has("rtt_before_ns") and has("rtt_after_ns")
	and (.drift == 0 or .drift == 1) and (.oversubscribed == 0 or .oversubscribed == 1)
	and has("disturbed_pct") and (.disturbed == 0 or .disturbed == 1))' "$J" >/dev/null ||
	fail "a result lacks the harness's keys"
jq -e 'any(.benchmarks[]; .aggregate_name == "median")' "$J" >/dev/null || fail "no median aggregate with 2 repetitions"
ok "per-result keys"

# drift and disturbed recomputed from what the result records: drift when the round trips
# before and after of a pair the benchmark used (rtt_pairs, the first of them rtt_before_ns
# and rtt_after_ns) are more than 50 % apart (and only with two PUs or more), disturbed
# when the others' share is above 10 %
recompute='def npus: (.label | ltrimstr("pus:") | split(";")[0] | split(",") | length);
	def moved: (.before_ns | type) == "number" and (.after_ns | type) == "number"
		and .before_ns > 0 and .after_ns > 0 and ([.before_ns, .after_ns] | (max - min) / min > 0.5);
	def drift: npus >= 2 and any((.rtt_pairs // [])[]; moved);
	def disturbed: (.disturbed_pct | type) == "number" and .disturbed_pct > 10;
	[.benchmarks[] | select(.run_type == "iteration")
		| select((.drift == 1) != drift or (.disturbed == 1) != disturbed)
		| "\(.name): drift \(.drift) (rtt \(.rtt_before_ns)/\(.rtt_after_ns) on \(.label)), disturbed \(.disturbed) (\(.disturbed_pct) %)"]'
bad=$(jq -r "$recompute | .[]" "$J")
[ -z "$bad" ] || fail "drift/disturbed do not follow from the recorded figures: $bad"
n2=$(jq '[.benchmarks[] | select(.run_type == "iteration" and .threads >= 2)] | length' "$J")
[ "$n2" -ge 2 ] || fail "no two-thread result to recompute drift on"
ok "drift and disturbed follow from rtt_pairs and disturbed_pct"
# every result on two PUs or more records the pairs it used, the first being positions 0
# and 1 of the placement (its round trips are rtt_before_ns and rtt_after_ns); results on
# one PU record none
bad=$(jq -r '.benchmarks[] | select(.run_type == "iteration" and (.error_occurred | not))
	| (.label | ltrimstr("pus:") | split(";")[0] | split(",")) as $pus
	| select(if ($pus | unique | length) >= 2
		then ((.rtt_pairs | type) != "array" or (.rtt_pairs | length) < 1
		      or .rtt_pairs[0].position != 1 or .rtt_pairs[0].before_ns != .rtt_before_ns
		      or .rtt_pairs[0].after_ns != .rtt_after_ns
		      or any(.rtt_pairs[]; .position >= ($pus | length) or (.shares | IN("core", "l3", "numa", "package", "machine") | not)))
		else has("rtt_pairs") end) | .name' "$J")
[ -z "$bad" ] || fail "rtt_pairs missing or not the pairs used: $bad"
ok "rtt_pairs: the drift pairs each result used, the first its rtt_before_ns/rtt_after_ns"

# a CPU hog per CPU beside the run: their busy time is the others', so the result is
# disturbed (when /proc/stat counts just the CPUs we have: in a container on a big host the
# hogs would be a sliver of it)
if [ "$(grep -c '^cpu[0-9]' /proc/stat)" -eq "$(nproc)" ]; then
	hogs=
	for _ in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		hogs="$hogs $!"
	done
	"$CONTEND" run --filter '^overhead_null/c/' --min-time 0.2 --repetitions 1 --out "$T/hog.json" \
		>/dev/null 2>&1
	# shellcheck disable=SC2086
	kill $hogs
	# shellcheck disable=SC2086
	wait $hogs 2>/dev/null
	jq -e 'all(.benchmarks[]; .disturbed == 1 and .disturbed_pct > 10)' "$T/hog.json" >/dev/null ||
		fail "a run beside a CPU hog is not marked disturbed: $(jq -c '[.benchmarks[] | [.disturbed, .disturbed_pct]]' "$T/hog.json")"
	bad=$(jq -r "$recompute | .[]" "$T/hog.json")
	[ -z "$bad" ] || fail "beside a hog: $bad"
	ok "a run beside CPU hogs is disturbed"
fi

# The PUs each thread ran on match the placement's order on this machine.
ord=$("$CONTEND" topo | sed -n 's/^order: //p' | tr ' ' ',')
npus=$(echo "$ord" | tr ',' '\n' | wc -l)
jq -r '.benchmarks[] | select(.run_type == "iteration") | "\(.threads) \(.label)"' "$J" |
	while read -r threads label; do
		pus=$(echo "$label" | sed 's/^pus:\([0-9,?]*\).*/\1/')
		want=$(echo "$ord" | cut -d, -f1-"$threads")
		[ "$threads" -le "$npus" ] || continue
		[ "$pus" = "$want" ] || { echo "threads $threads ran on $pus, placement says $want"; exit 1; }
	done || fail "threads not on the placement's PUs"
ok "threads pinned to the placement order ($ord)"

# ... and that order is what `cores` promises, by hwloc-calc rather than contend's own
# placement code: the first threads, one per core, on distinct cores (as many as there are
# cores), every PU one this process may run on
ncores=$(hwloc-calc -N core all 2>/dev/null)
allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
jq -r '.benchmarks[] | select(.run_type == "iteration") | .label | ltrimstr("pus:") | split(";")[0]' "$J" |
	sort -u | while read -r pus; do
		n=$(echo "$pus" | tr ',' '\n' | wc -l)
		[ "$n" -le "$ncores" ] || n=$ncores
		cores=$(echo "$pus" | tr ',' '\n' | head -n "$n" | sed 's/^/pu:/' |
			hwloc-calc --pi -I core 2>/dev/null | grep -E '^[0-9]+$')
		[ "$(echo "$cores" | sort -u | wc -l)" -eq "$n" ] ||
			{ echo "pus:$pus: the first $n threads share a core ($(echo $cores))"; exit 1; }
		for pu in $(echo "$pus" | tr ',' ' '); do
			[ "$(hwloc-calc --pi --po -I pu "pu:$pu" 2>/dev/null)" = "$pu" ] ||
				{ echo "pus:$pus: PU $pu is not on this machine"; exit 1; }
			awk -v pu="$pu" -v list="$allowed" 'BEGIN { n = split(list, r, ",")
				for (i = 1; i <= n; i++) { split(r[i], ab, "-"); if (ab[2] == "") ab[2] = ab[1]
					if (pu + 0 >= ab[1] + 0 && pu + 0 <= ab[2] + 0) exit 0 }
				exit 1 }' || { echo "pus:$pus: PU $pu is outside Cpus_allowed_list $allowed"; exit 1; }
		done
	done || fail "the cores placement, checked with hwloc-calc"
ok "cores placement: distinct cores first, by hwloc-calc ($ncores cores)"

# --cpus LIST: exactly these PUs, in this order (the list reversed, so order shows)
first=$(echo "$ord" | cut -d, -f1)
last=$(echo "$ord" | tr ',' '\n' | tail -n 1)
if [ "$npus" -ge 2 ]; then
	"$CONTEND" run --filter '^atomic_faa/relaxed/sharing:shared/' --cpus "$last,$first" --threads 1,2 \
		--min-time 0.005 --repetitions 1 --out "$T/cpus.json" >/dev/null 2>&1 || fail "--cpus run"
	jq -e --arg one "pus:$last" --arg two "pus:$last,$first" '.context.placement == "cpus"
		and ([.benchmarks[] | select(.threads == 1) | .label] == [$one])
		and ([.benchmarks[] | select(.threads == 2) | .label] == [$two])' "$T/cpus.json" >/dev/null ||
		fail "--cpus $last,$first: ran on $(jq -c '[.benchmarks[] | .label]' "$T/cpus.json")"
	ok "--cpus $last,$first: bound in that order"

	# --placement none: no binding at all, so under `taskset -c LAST` every thread stays on
	# LAST (a placement would move thread 0 to the order's first PU, $first)
	taskset -c "$last" "$CONTEND" run --filter '^atomic_faa/relaxed/sharing:shared/' --placement none \
		--threads 1,2 --min-time 0.005 --repetitions 1 --out "$T/none.json" >/dev/null 2>&1 ||
		fail "--placement none run"
	jq -e --arg one "pus:$last" --arg two "pus:$last,$last" '.context.placement == "none"
		and ([.benchmarks[] | select(.threads == 1) | .label] == [$one])
		and ([.benchmarks[] | select(.threads == 2) | .label] == [$two])' "$T/none.json" >/dev/null ||
		fail "--placement none under taskset -c $last: ran on $(jq -c '[.benchmarks[] | .label]' "$T/none.json")"
	ok "--placement none: threads left where the process may run"
fi

# The round-trip matrix of the PUs the run used (two threads ran, so at least one pair).
[ "$npus" -lt 2 ] || jq -e '(.context.c2c | length) >= 1 and all(.context.c2c[]; (.a | type) == "number"
	and (.b | type) == "number" and .rtt_ns > 0)' "$J" >/dev/null || fail "context c2c matrix"

# The shim: batches add up (else error), counters, label and items as set.
jq -e '[.benchmarks[] | select(.run_name == "overhead_probe/shim/threads:2" and .run_type == "iteration")] | length == 2' "$J" >/dev/null ||
	fail "shim probe at 2 threads missing"
jq -e 'all(.benchmarks[] | select(.run_name | startswith("overhead_probe/shim")) | select(.run_type == "iteration");
	(.error_occurred | not) and .probe_plain == 7 * .threads and .probe_avg == 3
	and .probe_threads == .threads and .probe_arg == 42 and .probe_iters == .iterations
	and .items_per_second > 0 and (.label | endswith("; probe label")))' "$J" >/dev/null ||
	fail "shim probe counters/label/items not as set"
jq -e 'all(.benchmarks[] | select(.run_type == "iteration"); .iterations >= 1)' "$J" >/dev/null || fail "iterations"
jq -e 'all(.benchmarks[] | select(.run_name | startswith("atomic_faa")); .error_occurred | not)' "$J" >/dev/null ||
	fail "atomic_faa reported an error"
jq -e '[.benchmarks[] | select(.run_name | test("^atomic_faa/relaxed/sharing:shared/real_time/threads:[0-9]+$"))] | length > 0' "$J" >/dev/null ||
	fail "atomic_faa name"
ok "shim counters, label, items"

# --threads replaces a sweep; --placement compact recorded
"$CONTEND" run --filter '^atomic_faa/relaxed/sharing:shared/' --threads 1 --placement compact \
	--min-time 0.005 --repetitions 1 --out "$T/t.json" 2>/dev/null >/dev/null || fail "--threads 1 run"
jq -e '[.benchmarks[].threads] == [1] and .context.placement == "compact"' "$T/t.json" >/dev/null ||
	fail "--threads 1 / --placement compact not honoured"
ok "--threads and --placement"

# Team threads continue the placement order and are recorded; more threads than PUs are
# marked oversubscribed.
"$CONTEND" run --filter '^overhead_probe/team/|^atomic_faa/relaxed/sharing:shared/' --threads $((npus + 1)) \
	--min-time 0.005 --repetitions 1 --out "$T/o.json" 2>/dev/null >/dev/null || fail "team/oversubscribed run"
want=$(echo "$ord" | cut -d, -f1-2)
[ "$npus" -lt 2 ] || jq -e --arg w "pus:$want" 'any(.benchmarks[]; (.name | startswith("overhead_probe/team"))
	and .label == $w and .oversubscribed == 0)' "$T/o.json" >/dev/null || fail "team thread not on the next PU"
jq -e --argjson t $((npus + 1)) 'any(.benchmarks[]; (.name | startswith("atomic_faa")) and .threads == $t
	and .oversubscribed == 1)' "$T/o.json" >/dev/null || fail "$((npus + 1)) threads on $npus PUs not marked oversubscribed"
ok "team threads pinned and recorded; oversubscription marked"

# --interleave: each repetition in its own process, aggregates computed as Google Benchmark's
"$CONTEND" run --filter '^atomic_faa/relaxed/sharing:shared/|^overhead_probe/shim/threads:1$' --interleave \
	--repetitions 3 --min-time 0.005 --out "$T/il.json" 2>/dev/null >/dev/null || fail "--interleave run"
jq -e '.context.interleaved == true' "$T/il.json" >/dev/null || fail "context.interleaved"
jq -e '[.benchmarks[] | select(.run_name == "atomic_faa/relaxed/sharing:shared/real_time/threads:1" and .run_type == "iteration")
	| .repetition_index] == [0, 1, 2]' "$T/il.json" >/dev/null || fail "interleaved repetitions not 0, 1, 2"
jq -e '[.benchmarks[] | select(.run_name == "atomic_faa/relaxed/sharing:shared/real_time/threads:1" and .run_type == "aggregate")
	| .aggregate_name] == ["mean", "median", "stddev", "cv"]' "$T/il.json" >/dev/null || fail "interleaved aggregates"
jq -e '[.benchmarks[] | select(.run_name == "atomic_faa/relaxed/sharing:shared/real_time/threads:1")] as $b
	| ([$b[] | select(.run_type == "iteration") | .real_time] | sort | .[1]) as $med
	| ($b[] | select(.aggregate_name == "median") | .real_time) == $med' "$T/il.json" >/dev/null ||
	fail "interleaved median is not the median of the repetitions"
jq -e 'all(.benchmarks[] | select(.aggregate_name == "mean" and (.run_name | startswith("overhead_probe/shim")));
	.probe_plain == 7 and .repetitions == 3)' "$T/il.json" >/dev/null || fail "interleaved counter aggregates"
ok "--interleave: repetitions in their own processes, aggregates as Google Benchmark's"
finish
