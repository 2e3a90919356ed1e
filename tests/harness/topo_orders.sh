# Placement orders from `contend topo` on synthetic topologies: scatter alternates the
# widest level first, compact fills SMT siblings first, cores never puts two threads on one
# core while a core is free, --cpus is kept as given. Which package, NUMA node, L3 or core
# a PU is on comes from hwloc-calc (package hwloc), not from contend's own placement code.
. "$(dirname "$0")/../lib/lib.sh"
need hwloc-calc hwloc

order() { # DESC ARGS... -> the order line's numbers
	desc=$1
	shift
	"$CONTEND" topo --synthetic "$desc" "$@" | sed -n 's/^order: //p'
}

# objs DESC TYPE ORDER: the index of the TYPE object (package, numa, l3, core) each PU of
# ORDER is on, by hwloc-calc (synthetic OS indices are the logical ones)
objs() {
	printf 'pu:%s\n' $3 | hwloc-calc -i "$1" -I "$2" 2>/dev/null | grep -E '^[0-9]+$' | tr '\n' ' '
}

# check_alternates NAME DESC ORDER TYPE: position i is on TYPE object i mod (their count)
check_alternates() {
	n=$(hwloc-calc -i "$2" -N "$4" all 2>/dev/null)
	objs "$2" "$4" "$3" | awk -v n="$n" '{
		for (i = 1; i <= NF; i++) if ($i % n != (i - 1) % n) exit 1
	}' || fail "$1: does not alternate the $n ${4}s first"
}

# distinct_first NAME DESC ORDER TYPE COUNT: the first COUNT entries on distinct TYPE objects
distinct_first() {
	objs "$2" "$4" "$3" | awk -v c="$5" '{
		for (i = 1; i <= c && i <= NF; i++) if (seen[$i]++) exit 1
		if (NF < c) exit 1
	}' || fail "$1: two of the first $5 threads share a $4"
}

is_permutation() { # name order npus
	n=$(echo "$2" | wc -w)
	u=$(echo "$2" | tr ' ' '\n' | sort -n | uniq | wc -l)
	[ "$n" -eq "$3" ] && [ "$u" -eq "$3" ] || fail "$1: order is not a permutation of $3 PUs ($n, $u unique)"
}

# 1. several packages, NUMA nodes and L3 caches, with SMT: 2 x 2 x 2 x 4 x 2 = 64 PUs
D1="pack:2 numa:2 l3:2 core:4 pu:2"
o=$(order "$D1" --placement scatter)
is_permutation "D1 scatter" "$o" 64
check_alternates "D1 scatter packages" "$D1" "$o" package
distinct_first "D1 scatter NUMA" "$D1" "$o" numa 4
distinct_first "D1 scatter L3" "$D1" "$o" l3 8
distinct_first "D1 scatter cores" "$D1" "$o" core 32
[ "$(echo "$o" | cut -d' ' -f1-4)" = "0 32 16 48" ] || fail "D1 scatter starts '$(echo "$o" | cut -d' ' -f1-4)', want '0 32 16 48'"
o=$(order "$D1" --placement compact)
[ "$(echo "$o" | cut -d' ' -f1-4)" = "0 1 2 3" ] || fail "D1 compact: SMT siblings first, got '$(echo "$o" | cut -d' ' -f1-4)'"
[ "$(objs "$D1" core "$o" | cut -d' ' -f1-4)" = "0 0 1 1" ] || fail "D1 compact: the first two threads not on one core"
is_permutation "D1 compact" "$o" 64
o=$(order "$D1" --placement cores)
distinct_first "D1 cores" "$D1" "$o" core 32
is_permutation "D1 cores" "$o" 64
o=$(order "$D1")
distinct_first "D1 default (cores)" "$D1" "$o" core 32
ok "D1 ($D1)"

# 2. four packages, no SMT
D2="pack:4 core:4 pu:1"
o=$(order "$D2" --placement scatter)
is_permutation "D2 scatter" "$o" 16
check_alternates "D2 scatter packages" "$D2" "$o" package
o=$(order "$D2" --placement compact)
[ "$o" = "$(seq -s ' ' 0 15)" ] || fail "D2 compact is not logical order: $o"
ok "D2 ($D2)"

# 3. SMT-4, one package
D3="core:8 pu:4"
o=$(order "$D3" --placement compact -n 4)
[ "$o" = "0 1 2 3" ] || fail "D3 compact must fill one core's 4 siblings first: $o"
o=$(order "$D3" --placement cores)
distinct_first "D3 cores" "$D3" "$o" core 8
is_permutation "D3 cores" "$o" 32
# after every core has one thread, cores continues in compact order
[ "$(echo "$o" | cut -d' ' -f9-11)" = "1 2 3" ] || fail "D3 cores: the rest must follow in compact order: $o"
o=$(order "$D3" --placement scatter)
check_alternates "D3 scatter cores" "$D3" "$o" core
ok "D3 ($D3)"

# 4. hundreds of PUs: 4 x 4 x 16 x 2 = 512
D4="pack:4 numa:4 core:16 pu:2"
o=$(order "$D4" --placement scatter)
is_permutation "D4 scatter" "$o" 512
check_alternates "D4 scatter packages" "$D4" "$o" package
distinct_first "D4 scatter NUMA" "$D4" "$o" numa 16
distinct_first "D4 scatter cores" "$D4" "$o" core 256
o=$(order "$D4" --placement cores)
distinct_first "D4 cores" "$D4" "$o" core 256
ok "D4 ($D4, 512 PUs)"

# --cpus kept as given; -n beyond the list wraps and says so
o=$(order "$D1" --cpus 5,3,9-11)
[ "$o" = "5 3 9 10 11" ] || fail "--cpus 5,3,9-11 gave '$o'"
out=$("$CONTEND" topo --synthetic "$D1" --cpus 7,6 -n 3)
echo "$out" | grep -q '^order: 7 6 7$' || fail "--cpus 7,6 -n 3 should wrap: $out"
echo "$out" | grep -q '^oversubscribed' || fail "-n beyond the PUs must be marked oversubscribed"
o=$(order "$D1" --placement compact -n 3)
[ "$o" = "0 1 2" ] || fail "-n 3 gave '$o'"
ok "--cpus and -n"

# drift pairs: position 0 with the first position of each kind of sharing (the smallest
# object both PUs are in: core, l3, numa, package, else machine), ascending; the kinds
# from hwloc-calc's object indices, the expected list rebuilt from the whole order
check_pairs() { # NAME DESC [topo args]
	name=$1 desc=$2
	shift 2
	o=$(order "$desc" "$@")
	got=$("$CONTEND" topo --synthetic "$desc" "$@" | sed -n 's/^drift pairs: //p')
	want=$(for t in core l3cache numa package; do
		echo "$t $(objs "$desc" "$t" "$o")"
	done | awk -v order="$o" '
		{ t[NR] = ($1 == "l3cache" ? "l3" : $1); nf[NR] = NF - 1; for (i = 2; i <= NF; i++) idx[NR, i - 1] = $i }
		END {
			n = split(order, pu, " ")
			for (j = 2; j <= n; j++) {
				k = "machine"
				for (r = 1; r <= 4; r++)
					if (nf[r] == n && idx[r, j] == idx[r, 1]) { k = t[r]; break }
				if (!(k in seen)) { seen[k] = 1; printf "%s%d:%s-%s:%s", (out++ ? " " : ""), j - 1, pu[1], pu[j], k }
			}
		}')
	[ -n "$got" ] && [ "$got" = "$want" ] || fail "$name: drift pairs '$got', hwloc-calc says '$want'"
}
check_pairs "D1 cores" "$D1"
check_pairs "D1 compact" "$D1" --placement compact
check_pairs "D1 scatter" "$D1" --placement scatter
check_pairs "pack:2 numa:2 core:8 pu:2 cores" "pack:2 numa:2 core:8 pu:2"
check_pairs "pack:2 numa:2 core:8 pu:2 scatter" "pack:2 numa:2 core:8 pu:2" --placement scatter
check_pairs "D2 compact" "$D2" --placement compact
check_pairs "D3 cores" "$D3"
check_pairs "D4 scatter" "$D4" --placement scatter
check_pairs "D1 --cpus 5,3,40" "$D1" --cpus 5,3,40
ok "drift pairs: one per kind of sharing, the first in the order (hwloc-calc)"

# the summary line
"$CONTEND" topo --synthetic "$D1" | grep -q '^topology: 2 packages, 4 NUMA nodes, 8 L3 caches, 32 cores, 64 PUs' ||
	fail "summary line of D1"
finish
