# A full disk under --out: a clear error, the earlier results untouched, no temporary file
# left. FULL_DISK=efbig: EFBIG under `ulimit -f` (always possible); FULL_DISK=enospc:
# ENOSPC on a tiny tmpfs, a skip (exit 77) where we may not mount one (not root).
. "$(dirname "$0")/../lib/lib.sh"
F=--filter=^overhead_null/c/

check_untouched() { # dir what
	[ "$(cat "$1/results.json")" = "earlier" ] || fail "$2: the earlier results were changed"
	left=$(ls -A "$1" | grep -v '^results.json$' | grep -v '^filler$')
	[ -z "$left" ] || fail "$2: left behind: $left"
}

case ${FULL_DISK:-efbig} in
efbig)
# EFBIG: a 1-block file size limit, in a subshell so only the run has it.
mkdir "$T/efbig"
echo earlier >"$T/efbig/results.json"
(ulimit -f 1 && exec "$CONTEND" run $F --min-time 0.005 --repetitions 1 --out "$T/efbig/results.json") \
	>/dev/null 2>"$T/err1"
rc=$?
[ "$rc" -ne 0 ] || fail "EFBIG: exit status 0"
grep -q 'File too large' "$T/err1" || fail "EFBIG: no clear error: $(cat "$T/err1")"
check_untouched "$T/efbig" EFBIG
ok "EFBIG: $(grep 'File too large' "$T/err1")"
;;
enospc)

# ENOSPC on a 32 KiB tmpfs filled up.
mkdir "$T/full"
if mount -t tmpfs -o size=32k tmpfs "$T/full" 2>/dev/null; then
	echo earlier >"$T/full/results.json"
	dd if=/dev/zero of="$T/full/filler" bs=1k count=64 2>/dev/null
	"$CONTEND" run $F --min-time 0.005 --repetitions 1 --out "$T/full/results.json" >/dev/null 2>"$T/err2"
	rc=$?
	[ "$rc" -ne 0 ] || fail "ENOSPC: exit status 0"
	grep -q 'No space left' "$T/err2" || fail "ENOSPC: no clear error: $(cat "$T/err2")"
	check_untouched "$T/full" ENOSPC
	ok "ENOSPC: $(grep 'No space' "$T/err2")"
	umount "$T/full"
else
	skip "cannot mount a tmpfs here (not root?)"
fi
;;
*) die "FULL_DISK=$FULL_DISK: efbig or enospc" ;;
esac
finish
