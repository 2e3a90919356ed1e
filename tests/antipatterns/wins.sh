# wins.sh CONTEND_BIN SRC_DIR - the anti-patterns' fixes win, by measures that follow from
# their structure rather than from how fast this machine is:
#   lock_across_wait: "held" sleeps wait_us inside the mutex, so however many threads run it
#     cannot exceed 1 / wait_us operations a second (10 % slack for the clock); "copyout"
#     sleeps outside, so at the most threads it does at least twice that many (the sleeps
#     overlap: in theory threads times as many)
#   blocking_in_loop: "inline" makes the loop wait out a block_us call, so some event waits
#     at least half of it; "worker" made its blocking calls too (handed off). Its latency
#     is not compared with inline's: on a busy 2-vCPU machine the worker's wake-ups can
#     cost more than the block, so that would be a timing test.
# The names and their wait_us / block_us come from `contend list`.
. "$(dirname "$0")/../lib/lib.sh"

"$CONTEND" list --filter '^anti_' | cut -f1 >"$T/list"
held=$(grep '^anti_lock_across_wait/held/' "$T/list" | awk -F'threads:' '{ print $2 " " $0 }' | sort -n | tail -n 1 | cut -d' ' -f2)
copy=$(echo "$held" | sed 's,/held/,/copyout/,')
inline=$(grep '^anti_blocking_in_loop/inline/' "$T/list" | head -n 1)
worker=$(echo "$inline" | sed 's,/inline/,/worker/,')
for n in "$held" "$copy" "$inline" "$worker"; do
	grep -qxF "$n" "$T/list" || die "contend list lacks '$n'"
done
wait_us=$(echo "$held" | sed -n 's,.*/wait_us:\([0-9]*\)/.*,\1,p')
block_us=$(echo "$inline" | sed -n 's,.*/block_us:\([0-9]*\)/.*,\1,p')
[ -n "$wait_us" ] && [ -n "$block_us" ] || die "no wait_us/block_us in '$held', '$inline'"

re=$(printf '%s\n' "$held" "$copy" "$inline" "$worker" | sed 's/[][().*+?^$|{}\\]/\\&/g' | paste -sd'|')
"$CONTEND" run --filter "^($re)\$" --min-time 0.05 --repetitions 1 --out "$T/r.json" >/dev/null 2>"$T/err" ||
	die "the run failed: $(tail -n 5 "$T/err")"
v() { jq -r --arg n "$1" ".benchmarks[] | select(.name == \$n) | .$2" "$T/r.json"; }

h=$(v "$held" items_per_second) c=$(v "$copy" items_per_second)
check "held: $h ops/s exceeds the 1 / $wait_us us a lock held across the wait allows" \
	awk -v h="$h" -v w="$wait_us" 'BEGIN { exit !(h > 0 && h <= 1.1 * 1e6 / w) }'
check "copyout: $c ops/s, not twice held's $h" awk -v h="$h" -v c="$c" 'BEGIN { exit !(c >= 2 * h) }'
ok "lock_across_wait: held $h ops/s (bound $((1000000 / wait_us))), copyout $c"

im=$(v "$inline" event_latency_max_us) il=$(v "$inline" event_latency_us) wl=$(v "$worker" event_latency_us)
check "inline: no event waited half the ${block_us} us call (max $im us)" \
	awk -v m="$im" -v b="$block_us" 'BEGIN { exit !(m >= b / 2) }'
check "inline and worker both made blocking calls" \
	awk -v a="$(v "$inline" blocking_calls)" -v b="$(v "$worker" blocking_calls)" 'BEGIN { exit !(a > 0 && b > 0) }'
ok "blocking_in_loop: inline mean $il us (max $im), worker mean $wl us"
finish
