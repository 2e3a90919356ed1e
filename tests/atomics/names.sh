#!/bin/sh
# names.sh CONTEND SRC - the ordering matrix is registered completely, once each, and no
# invalid ordering (an acquire store, a release load, a relaxed fence) is.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T

"$bin" list --filter '^atomic_' >"$tmp/list" || die "contend list failed"
# the registrations: names without the /threads:N (and /real_time) Google Benchmark adds
sed -e 's/\t.*//' -e 's,/real_time,,' -e 's,/threads:[0-9]*$,,' "$tmp/list" | sort -u >"$tmp/got"

: >"$tmp/want"
for sh in private shared false_sharing padded; do
	for o in relaxed consume acquire seq_cst; do echo "atomic_load/$o/sharing:$sh"; done
	for o in relaxed release seq_cst; do echo "atomic_store/$o/sharing:$sh"; done
	for op in exchange faa faa_used cas_strong cas_weak; do
		for o in relaxed consume acquire release acq_rel seq_cst; do echo "atomic_$op/$o/sharing:$sh"; done
	done
	for o in acquire release acq_rel seq_cst; do echo "atomic_fence/$o/sharing:$sh"; done
done >>"$tmp/want"
for o in relaxed_unsafe release_acquire seq_cst; do echo "atomic_mp/$o"; done >>"$tmp/want"
for t in sb mp; do
	for o in relaxed release_acquire seq_cst fence; do echo "atomic_litmus_$t/$o"; done
done >>"$tmp/want"
sort -o "$tmp/want" "$tmp/want"
[ "$(wc -l <"$tmp/want")" -eq 175 ] || die "the expected list itself is wrong"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	diff "$tmp/want" "$tmp/got" >&2 || true
	die "registered atomics differ from the matrix (< missing, > extra)"
fi

# each name once per thread count
dups=$(cut -f1 "$tmp/list" | sort | uniq -d | head -3)
[ -z "$dups" ] || die "registered twice: $dups"
# invalid orderings never appear
if grep -E '^atomic_(store/(acquire|consume|acq_rel)|load/(release|acq_rel)|fence/(relaxed|consume))/' "$tmp/list" >&2; then
	die "an invalid ordering is registered"
fi
# the first example keeps its name; the profiles stay small
grep -q '^atomic_faa/relaxed/sharing:shared/real_time/threads:1	' "$tmp/list" || die "atomic_faa/relaxed/sharing:shared is gone"
nq=$(grep -c '^atomic_[^	]*/threads:1	\[q\]' "$tmp/list" || true)
[ "$nq" -ge 3 ] && [ "$nq" -le 10 ] || die "$nq quick registrations (want 3..10)"
finish
