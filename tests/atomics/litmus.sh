#!/bin/sh
# litmus.sh CONTEND SRC - `contend litmus`: the printed table and the JSON (every outcome
# counted, the SC-forbidden one never seen where C11 forbids it), and bad input.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
bad() {
	if "$bin" "$@" >"$tmp/o" 2>"$tmp/e"; then die "accepted: $*"; else st=$?; fi
	[ "$st" = 2 ] || die "status $st for: $*"
	[ "$(wc -l <"$tmp/e")" = 1 ] || die "not one line on stderr for: $*"
}

"$bin" litmus --help | grep -q 'usage: contend litmus' || die "--help"
bad litmus --bogus
bad litmus --test lb
bad litmus --ordering acquire
bad litmus --trials 0
bad litmus --cpus 0
bad litmus --cpus 0,0
bad litmus --out /dev/full
[ "$(ls "$tmp" | grep -vc '^[oe]$')" = 0 ] || die "wrote a file on bad input"

npus=$(nproc)
[ "$npus" -ge 2 ] || skip "one PU: the litmus tests need two threads running at once"
"$bin" litmus --trials 20000 --out "$tmp/l.json" >"$tmp/stdout" || die "contend litmus failed"
grep -q '^SB (store buffering)' "$tmp/stdout" || die "no SB table"
grep -q '^MP (message passing)' "$tmp/stdout" || die "no MP table"
[ "$(jq '.results | length' "$tmp/l.json")" = 8 ] || die "not 8 results"
[ "$(jq '[.results[] | select(.outcome_00 + .outcome_01 + .outcome_10 + .outcome_11 != 20000)] | length' "$tmp/l.json")" = 0 ] ||
	die "outcomes do not add up to the trials"
[ "$(jq '[.results[] | select(.c11_allows == false and .forbidden_seen != 0)] | length' "$tmp/l.json")" = 0 ] ||
	die "a C11-forbidden outcome was seen"
[ "$(jq -r '[.results[] | select(.c11_allows) | .test + "/" + .ordering] | join(" ")' "$tmp/l.json")" = \
	"sb/relaxed sb/release_acquire mp/relaxed" ] || die "c11_allows table"
"$bin" litmus --test sb --ordering seq_cst --trials 1000 | grep -Eq '^  seq_cst +0 ' || die "one test, one ordering"
finish
