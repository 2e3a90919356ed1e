# Placement orders from `contend topo` on synthetic topologies: scatter alternates the
# widest level first, compact fills SMT siblings first, cores never puts two threads on one
# core while a core is free, --cpus is kept as given. Synthetic OS indices follow logical
# order, so a PU's package/NUMA/core is its index divided by the PUs under each.
. "$(dirname "$0")/../lib/lib.sh"

order() { # DESC ARGS... -> the order line's numbers
	desc=$1
	shift
	"$CONTEND" topo --synthetic "$desc" "$@" | sed -n 's/^order: //p'
}

# check_levels NAME ORDER PER_LEVEL COUNT: positions i < COUNT... each level given as
# "pus_per_object:objects" - for scatter, the first `objects` threads hit distinct objects
# and position i is on object i mod objects.
check_alternates() { # name order pus_per_obj nobjs
	echo "$2" | awk -v per="$3" -v n="$4" -v name="$1" '{
		for (i = 1; i <= NF; i++) {
			obj = int($i / per)
			if (obj % n != (i - 1) % n) { print "position " i-1 " PU " $i " is on " obj; bad = 1; exit 1 }
		}
	}' >/dev/null || fail "$1: does not alternate objects of $3 PUs first"
}

distinct_first() { # name order pus_per_obj count: first `count` entries on distinct objects
	echo "$2" | awk -v per="$3" -v c="$4" '{
		for (i = 1; i <= c && i <= NF; i++) { o = int($i / per); if (seen[o]++) exit 1 }
	}' || fail "$1: two of the first $4 threads share an object of $3 PUs"
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
check_alternates "D1 scatter packages" "$o" 32 2
distinct_first "D1 scatter NUMA" "$o" 16 4
distinct_first "D1 scatter L3" "$o" 8 8
distinct_first "D1 scatter cores" "$o" 2 32
[ "$(echo "$o" | cut -d' ' -f1-4)" = "0 32 16 48" ] || fail "D1 scatter starts '$(echo "$o" | cut -d' ' -f1-4)', want '0 32 16 48'"
o=$(order "$D1" --placement compact)
[ "$(echo "$o" | cut -d' ' -f1-4)" = "0 1 2 3" ] || fail "D1 compact: SMT siblings first, got '$(echo "$o" | cut -d' ' -f1-4)'"
is_permutation "D1 compact" "$o" 64
o=$(order "$D1" --placement cores)
distinct_first "D1 cores" "$o" 2 32
is_permutation "D1 cores" "$o" 64
o=$(order "$D1")
distinct_first "D1 default (cores)" "$o" 2 32
ok "D1 ($D1)"

# 2. four packages, no SMT
D2="pack:4 core:4 pu:1"
o=$(order "$D2" --placement scatter)
is_permutation "D2 scatter" "$o" 16
check_alternates "D2 scatter packages" "$o" 4 4
o=$(order "$D2" --placement compact)
[ "$o" = "$(seq -s ' ' 0 15)" ] || fail "D2 compact is not logical order: $o"
ok "D2 ($D2)"

# 3. SMT-4, one package
D3="core:8 pu:4"
o=$(order "$D3" --placement compact -n 4)
[ "$o" = "0 1 2 3" ] || fail "D3 compact must fill one core's 4 siblings first: $o"
o=$(order "$D3" --placement cores)
distinct_first "D3 cores" "$o" 4 8
is_permutation "D3 cores" "$o" 32
# after every core has one thread, cores continues in compact order
[ "$(echo "$o" | cut -d' ' -f9-11)" = "1 2 3" ] || fail "D3 cores: the rest must follow in compact order: $o"
o=$(order "$D3" --placement scatter)
check_alternates "D3 scatter cores" "$o" 4 8
ok "D3 ($D3)"

# 4. hundreds of PUs: 4 x 4 x 16 x 2 = 512
D4="pack:4 numa:4 core:16 pu:2"
o=$(order "$D4" --placement scatter)
is_permutation "D4 scatter" "$o" 512
check_alternates "D4 scatter packages" "$o" 128 4
distinct_first "D4 scatter NUMA" "$o" 32 16
distinct_first "D4 scatter cores" "$o" 2 256
o=$(order "$D4" --placement cores)
distinct_first "D4 cores" "$o" 2 256
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

# the summary line
"$CONTEND" topo --synthetic "$D1" | grep -q '^topology: 2 packages, 4 NUMA nodes, 8 L3 caches, 32 cores, 64 PUs' ||
	fail "summary line of D1"
finish
