# `contend run --dry-run`: what would run and the estimate, here and on topologies we do not
# have; thread sweeps at powers of two and the placement's boundaries; the estimate's bounds
# for a 256-PU machine (arithmetic of the model, not timing); the clock on progress lines;
# bad input refused with one line and exit 2.
. "$(dirname "$0")/../lib/lib.sh"

sweep() { # DESC PLACEMENT -> the thread counts of lock_counter/mutex
	"$CONTEND" run --dry-run --synthetic "$1" --placement "$2" --filter '^lock_counter/mutex/' |
		awk -F'\t' 'NF == 3 { printf "%s%s", sep, $2; sep = " " }'
}
total_s() { sed -n 's/.*: estimated .* (\([0-9]*\) s)$/\1/p' | tail -n 1; }

# 1. on this machine: one line per instance, then the total; the sweep is 1, 2, 4 ... n
"$CONTEND" run --dry-run >"$T/d" 2>"$T/e" || { cat "$T/e" >&2; fail "dry-run failed"; }
lines=$(awk -F'\t' 'NF == 3' "$T/d" | wc -l)
n=$(tail -n 1 "$T/d" | sed -n 's/^\([0-9]*\) instances.*/\1/p')
[ -n "$n" ] && [ "$lines" -eq "$n" ] || fail "dry-run lists $lines lines for '$n' instances"
[ -n "$(total_s <"$T/d")" ] || fail "no estimate: $(tail -n 1 "$T/d")"
[ -s "$T/e" ] && fail "dry-run wrote to stderr: $(cat "$T/e")"
npus=$("$CONTEND" topo | sed -n 's/^order: //p' | wc -w)
want=$(awk -v n="$npus" 'BEGIN { for (t = 1; t < n; t *= 2) printf "%d ", t; print n }')
got=$("$CONTEND" run --dry-run --filter '^lock_counter/mutex/' | awk -F'\t' 'NF == 3 { printf "%s ", $2 }' | sed 's/ $//')
[ "$got" = "$want" ] || fail "this machine ($npus PUs): sweep '$got', want '$want'"
ok "dry-run here ($n instances)"

# 2. sweeps (up to 64 PUs): powers of two, and where a core, NUMA node or package fills or every one is used
D="pack:2 numa:2 core:8 pu:2"
for pl in cores compact scatter; do
	[ "$(sweep "$D" $pl)" = "1 2 4 8 16 32 64" ] || fail "$D $pl: $(sweep "$D" $pl)"
done
D="pack:2 core:6 pu:2" # 24 PUs: boundaries that are not powers of two
[ "$(sweep "$D" cores)" = "1 2 4 6 8 12 16 24" ] || fail "$D cores (package fills at 6, cores at 12): $(sweep "$D" cores)"
[ "$(sweep "$D" compact)" = "1 2 4 8 12 16 24" ] || fail "$D compact (package fills at 12): $(sweep "$D" compact)"
[ "$(sweep "$D" scatter)" = "1 2 4 8 12 16 24" ] || fail "$D scatter (every core once at 12): $(sweep "$D" scatter)"
D="pack:2 numa:3 core:5 pu:2" # 60 PUs
[ "$(sweep "$D" cores)" = "1 2 4 5 8 15 16 30 32 60" ] || fail "$D cores: $(sweep "$D" cores)"
D="pack:4 numa:4 core:16 pu:2" # 512 PUs
s=$(sweep "$D" cores)
[ "$s" = "1 2 4 16 64 256 512" ] || fail "$D cores (NUMA fills at 16, package at 64, every core at 256): $s"
"$CONTEND" run --dry-run --synthetic "$D" --filter '^lock_' | awk -F'\t' 'NF == 3 && $2 > 1024 { exit 1 }' ||
	fail "$D: a sweep beyond 2 x 512 threads"
ok "sweeps on synthetic topologies"

# 3. the 256-PU machine of the issue: default under 15 minutes, quick under 2
D="pack:2 numa:2 core:32 pu:2"
d=$("$CONTEND" run --dry-run --synthetic "$D" | total_s)
q=$("$CONTEND" run --dry-run --quick --synthetic "$D" | total_s)
[ -n "$d" ] && [ "$d" -lt 900 ] || fail "$D default estimated '$d' s, want under 900"
[ -n "$q" ] && [ "$q" -lt 120 ] || fail "$D quick estimated '$q' s, want under 120"
"$CONTEND" run --dry-run --synthetic "$D" | grep -q 'threads:256' || fail "$D: no sweep reaches 256"
# above 64 PUs: 1, 2, 4, the boundaries, n, and a power of two in a gap wider than 8x
[ "$(sweep "$D" cores)" = "1 2 4 32 64 128 256" ] || fail "$D cores: $(sweep "$D" cores)"
[ "$(sweep "$D" compact)" = "1 2 4 16 64 128 256" ] || fail "$D compact (4 -> 64 gets 16): $(sweep "$D" compact)"
[ "$(sweep "$D" scatter)" = "1 2 4 16 128 256" ] || fail "$D scatter: $(sweep "$D" scatter)"
ok "$D: default ${d} s, quick ${q} s"

# 4. an XML topology (written by hwloc's lstopo when present)
if command -v lstopo-no-graphics >/dev/null 2>&1; then
	HWLOC_SYNTHETIC="pack:2 core:4 pu:2" lstopo-no-graphics --of xml "$T/t.xml" 2>/dev/null ||
		lstopo-no-graphics -i "pack:2 core:4 pu:2" --of xml "$T/t.xml"
	"$CONTEND" run --dry-run --xml "$T/t.xml" --filter '^lock_counter/mutex/' | tail -n 1 | grep -q '16 PUs' ||
		fail "--xml: $("$CONTEND" run --dry-run --xml "$T/t.xml" 2>&1 | tail -n 1)"
	ok "--xml"
fi

# 5. a real run: the first line has the whole estimate, each progress line the clock
"$CONTEND" run --filter '^overhead_null/c/' --min-time 0.001 --repetitions 1 --out "$T/r.json" \
	>/dev/null 2>"$T/e" || { cat "$T/e" >&2; fail "short run"; }
grep -q '^contend: estimated [0-9hms]* for the whole run' "$T/e" || fail "no estimate line: $(cat "$T/e")"
grep -Eq '^\[1/[0-9]+ elapsed [0-9hms]+, ~[0-9hms]+ left\] overhead_null/c' "$T/e" || fail "progress line without the clock: $(cat "$T/e")"
ok "clock on progress lines"

# 6. bad input: one line, exit 2
bad() { # WHY ARGS...
	why=$1
	shift
	"$CONTEND" run "$@" >"$T/o" 2>"$T/e"
	rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <"$T/e")" -eq 1 ] && [ ! -s "$T/o" ] || fail "$why: rc $rc, stderr $(cat "$T/e")"
}
bad "timed run on a synthetic topology" --synthetic "pack:2 core:2"
bad "a bad synthetic description" --dry-run --synthetic "bogus:3"
bad "a missing XML file" --dry-run --xml "$T/none.xml"
bad "both --synthetic and --xml" --dry-run --synthetic "pack:2" --xml "$T/none.xml"
bad "an unknown flag" --dry-run --frobnicate
ok "bad input"
finish
