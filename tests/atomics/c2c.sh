#!/bin/sh
# c2c.sh CONTEND SRC - `contend c2c`: the printed matrix and the JSON (every pair positive
# and finite, the diagonal absent, no pair twice, the sample recorded), and bad input.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
bad() { # expect exit status 2, one line on stderr, no file written
	if "$bin" "$@" >"$tmp/o" 2>"$tmp/e"; then die "accepted: $*"; else st=$?; fi
	[ "$st" = 2 ] || die "status $st for: $*"
	[ "$(wc -l <"$tmp/e")" = 1 ] || die "not one line on stderr for: $*"
}

"$bin" c2c --help | grep -q 'usage: contend c2c' || die "--help"
bad c2c --bogus
bad c2c --cpus 0
bad c2c --cpus 0,0
bad c2c --cpus 0,99999
bad c2c --sample 0
bad c2c --repeats x
bad c2c --span -1
bad c2c --out /dev/full
touch "$tmp/file"
bad c2c --out "$tmp/file/x.json"
[ ! -e "$tmp/x.json" ] || die "wrote a file on bad input"

"$bin" c2c --repeats 3 --span 0.3 --out "$tmp/c.json" >"$tmp/stdout" || die "contend c2c failed"
npus=$(jq '.c2c_sample.pus | length' "$tmp/c.json")
[ "$(jq '.contend_c2c' "$tmp/c.json")" = 1 ] || die "contend_c2c key"
[ "$(jq '.c2c_sample.seconds >= 0.2' "$tmp/c.json")" = true ] || die "--span not honoured"
[ "$(jq '.c2c_sample.pairs_total' "$tmp/c.json")" = $((npus * (npus - 1) / 2)) ] || die "pairs_total"
[ "$(jq '.c2c | length' "$tmp/c.json")" = "$(jq '.c2c_sample.pairs_measured' "$tmp/c.json")" ] ||
	die "list length differs from pairs_measured"
if [ "$npus" -ge 2 ]; then
	[ "$(jq '.c2c | length' "$tmp/c.json")" -ge 1 ] || die "no pair measured"
	grep -q '^c2c: cache-line round trip' "$tmp/stdout" || die "no header printed"
	grep -Eq '^ +[0-9]+ +- ' "$tmp/stdout" || die "no matrix row with its diagonal printed"
fi
[ "$(jq '[.c2c[] | select(.a == .b)] | length' "$tmp/c.json")" = 0 ] || die "diagonal present"
[ "$(jq '[.c2c[] | select((.rtt_ns | type) != "number" or .rtt_ns <= 0 or .rtt_ns > 1e9 or .min_ns > .rtt_ns or .max_ns < .rtt_ns)] | length' "$tmp/c.json")" = 0 ] ||
	die "a pair is not positive and finite, or its spread is wrong"
[ "$(jq '[.c2c[] | [([.a, .b] | min), ([.a, .b] | max)]] | (length == (unique | length))' "$tmp/c.json")" = true ] ||
	die "a pair appears twice"
# an explicit pair
"$bin" c2c --cpus 1,0 --repeats 1 --span 0 --out "$tmp/p.json" >/dev/null 2>&1 ||
	[ "$npus" -lt 2 ] || die "c2c --cpus 1,0"
[ "$npus" -lt 2 ] || [ "$(jq -c '[.c2c[0].a, .c2c[0].b]' "$tmp/p.json")" = "[1,0]" ] || die "--cpus order not kept"
finish
