#!/bin/sh
# litmus.sh CONTEND SRC - `contend litmus`: the printed table and the JSON (every outcome
# counted, the SC-forbidden one never seen where C11 forbids it), and bad input.
set -eu
bin=$1
command -v jq >/dev/null || { echo "FAIL: jq is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
bad() {
	if "$bin" "$@" >"$tmp/o" 2>"$tmp/e"; then fail "accepted: $*"; else st=$?; fi
	[ "$st" = 2 ] || fail "status $st for: $*"
	[ "$(wc -l <"$tmp/e")" = 1 ] || fail "not one line on stderr for: $*"
}

"$bin" litmus --help | grep -q 'usage: contend litmus' || fail "--help"
bad litmus --bogus
bad litmus --test lb
bad litmus --ordering acquire
bad litmus --trials 0
bad litmus --cpus 0
bad litmus --cpus 0,0
bad litmus --out /dev/full
[ "$(ls "$tmp" | grep -vc '^[oe]$')" = 0 ] || fail "wrote a file on bad input"

npus=$(nproc)
[ "$npus" -ge 2 ] || { echo "skip: one PU"; exit 0; }
"$bin" litmus --trials 20000 --out "$tmp/l.json" >"$tmp/stdout" || fail "contend litmus failed"
grep -q '^SB (store buffering)' "$tmp/stdout" || fail "no SB table"
grep -q '^MP (message passing)' "$tmp/stdout" || fail "no MP table"
[ "$(jq '.results | length' "$tmp/l.json")" = 8 ] || fail "not 8 results"
[ "$(jq '[.results[] | select(.outcome_00 + .outcome_01 + .outcome_10 + .outcome_11 != 20000)] | length' "$tmp/l.json")" = 0 ] ||
	fail "outcomes do not add up to the trials"
[ "$(jq '[.results[] | select(.c11_allows == false and .forbidden_seen != 0)] | length' "$tmp/l.json")" = 0 ] ||
	fail "a C11-forbidden outcome was seen"
[ "$(jq -r '[.results[] | select(.c11_allows) | .test + "/" + .ordering] | join(" ")' "$tmp/l.json")" = \
	"sb/relaxed sb/release_acquire mp/relaxed" ] || fail "c11_allows table"
"$bin" litmus --test sb --ordering seq_cst --trials 1000 | grep -Eq '^  seq_cst +0 ' || fail "one test, one ordering"
echo ok
