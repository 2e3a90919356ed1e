# git_commit.sh - the commit a build records (a result's git_commit, --version) is the
# source tree's at build time, not at configure time: scripts/git_commit.cmake, which the
# build runs every time, writes the hash of HEAD ("-dirty" when tracked files differ,
# "unknown" outside a checkout) and rewrites its header only when that changes; and this
# build's --version says what the source tree is now.
. "$(dirname "$0")/../lib/lib.sh"
need git
need cmake
gen() { cmake -DSRC="$1" -DOUT="$T/h" -P "$SRC/scripts/git_commit.cmake" && sed -n 's/^#define CONTEND_GIT_COMMIT "\(.*\)"$/\1/p' "$T/h"; }
r=$T/repo
mkdir "$r"
git -C "$r" init -q
git -C "$r" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
echo a >"$r/f"
git -C "$r" add f
git -C "$r" -c user.name=t -c user.email=t@t commit -q -m two
h2=$(git -C "$r" rev-parse --short=12 HEAD)
check "the header names HEAD" test "$(gen "$r")" = "$h2"
touch -d '2000-01-01' "$T/h"
gen "$r" >/dev/null
check "an unchanged commit leaves the header alone (nothing recompiles)" test -z "$(find "$T/h" -newermt '2001-01-01')"
git -C "$r" -c user.name=t -c user.email=t@t commit -q --allow-empty -m three
h3=$(git -C "$r" rev-parse --short=12 HEAD)
check "a new commit rewrites it" test "$(gen "$r")" = "$h3" -a "$h3" != "$h2"
echo b >"$r/f"
check "a changed tracked file marks it dirty" test "$(gen "$r")" = "$h3-dirty"
mkdir "$T/plain"
check "outside a checkout: unknown" test "$(gen "$T/plain")" = unknown
# this build: what --version prints is what the script says of the source tree now
now=$(gen "$SRC")
v=$("$CONTEND" --version | sed -n 's/^contend [^ ]* (git \(.*\))$/\1/p')
check "--version names the source tree's commit ($now), not the configure-time one ($v)" test "$v" = "$now"
finish
