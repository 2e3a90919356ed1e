# report_no_family.sh - the report knows no family: no string literal in
# harness/analysis/report*.c names a family prefix, a workload or a strategy that
# `contend list` prints (everything about a family comes from the views in the results).
. "$(dirname "$0")/../lib/lib.sh"

CONTEND_TEST_BENCHES=1 "$BIN" list | awk '{print $1}' >"$T/names"
check "contend list prints names" [ -s "$T/names" ]
# workloads and strategies: the first two parts of every name
cut -d/ -f1 "$T/names" | sort -u >"$T/words"
cut -d/ -f2 "$T/names" | sort -u >>"$T/words"
sort -u "$T/words" -o "$T/words"
# every string literal of the report's files, one a line (file:line:literal)
for f in "$SRC"/harness/analysis/report*.c; do
	grep -n -o '"[^"]*"' "$f" | sed "s|^|$(basename "$f"):|"
done >"$T/literals"
check "found the report's literals" [ "$(wc -l <"$T/literals")" -gt 100 ]
# a family prefix anywhere in a literal
grep -E '"[^"]*\b(lock_|chan_|atomic_|sem_|fanout_|forkjoin|wake_|anti_|overhead_|harness_)' \
	"$T/literals" >"$T/prefixes"
check "no family prefix in a literal: $(cat "$T/prefixes")" [ ! -s "$T/prefixes" ]
# a literal that is exactly a workload or a strategy
sed 's/^[^:]*:[0-9]*:"\(.*\)"$/\1/' "$T/literals" | sort -u >"$T/strings"
comm -12 "$T/strings" "$T/words" >"$T/named"
check "no workload or strategy name as a literal: $(tr '\n' ' ' <"$T/named")" [ ! -s "$T/named" ]
finish
