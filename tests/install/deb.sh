# cpack -G DEB: the package's Depends are exactly the packages that own the libraries
# `ldd` shows for the program (runtime packages, never -dev), plus gnuplot.
set -u
BUILD=$1
BIN=$2
for c in cpack dpkg-deb dpkg-shlibdeps dpkg ldd; do
	command -v "$c" >/dev/null 2>&1 || { echo "skipped: $c not installed"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/out" >"$T/cpack.log" 2>&1 || { cat "$T/cpack.log" >&2; exit 1; }
deb=$(ls "$T"/out/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "FAIL: no .deb" >&2; exit 1; }
dep=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $dep"
got=$(echo "$dep" | tr ',' '\n' | sed 's/(.*)//; s/^ *//; s/ *$//' | grep -v '^gnuplot' | sort -u)
# package owning a library path (Debian's merged /usr: try the path, its target, /usr/...)
owner() { dpkg -S "$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null; }
ldd "$BIN" | awk '$3 ~ /^\// { print $1, $3 }' >"$T/ldd"
# every library ldd shows, and the ones the program itself names (NEEDED; the rest come
# with them, e.g. hwloc's libudev)
all=$(while read -r _ path; do owner "$path"; done <"$T/ldd" | sed 's/:.*//' | sort -u)
needed=$(objdump -p "$BIN" 2>/dev/null | awk '$1 == "NEEDED" { print $2 }' | while read -r so; do
	path=$(awk -v so="$so" '$1 == so { print $2 }' "$T/ldd")
	[ -n "$path" ] && owner "$path"
done | sed 's/:.*//' | sort -u)
echo "ldd: $(echo $all); NEEDED: $(echo $needed)"
fails=0
[ -n "$needed" ] || { echo "FAIL: no NEEDED library resolved through ldd" >&2; fails=1; }
for p in $needed; do
	echo "$got" | grep -qx "$p" || { echo "FAIL: $p (a library the program links) not in Depends" >&2; fails=1; }
done
for p in $got; do
	echo "$all" | grep -qx "$p" || { echo "FAIL: Depends has $p, which owns no library ldd shows" >&2; fails=1; }
done
echo "$dep" | grep -q 'gnuplot-nox' || { echo "FAIL: gnuplot-nox not in Depends" >&2; fails=1; }
echo "$dep" | grep -q -- '-dev' && { echo "FAIL: a -dev package in Depends" >&2; fails=1; }
dpkg-deb -c "$deb" | grep -q '/usr/share/contend/plots/lines.gp' || { echo "FAIL: templates not packaged" >&2; fails=1; }
dpkg-deb -c "$deb" | grep -q '/usr/share/man/man1/contend.1' || { echo "FAIL: man page not packaged" >&2; fails=1; }
[ "$fails" -eq 0 ] && echo "all checks passed"
exit "$fails"
