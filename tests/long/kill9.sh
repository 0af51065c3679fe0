#!/usr/bin/env bash
# tests/long/kill9.sh - a real kill -9 at random moments of a fix (make
# check-long).  KILL_RUNS (20) copies of the win7-msahci-off scenario image;
# each gets `fix --fix enable-driver:msahci,autoreboot-off --yes` killed
# with SIGKILL after a random delay within the time a whole fix takes
# (measured first on one copy), then `undo --yes`.  Then one read-only
# launch looks at every image: the SYSTEM hive as the kill left it must
# be the old bytes or a sound hive holding the fix, and after undo it must
# be the old bytes again.  The delays are printed (KILL_SEED replays them).
# The fault injection by count of the same path is tests/long/faults.sh.
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail kill9 "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-kill9.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the appliance cache where it would be without our TMPDIR (warm: the
# reference run then times a fix, not a first appliance build)
export LIBGUESTFS_CACHEDIR=${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
: "${KILL_RUNS:=20}" "${KILL_SEED:=$RANDOM}"
RANDOM=$KILL_SEED
FIX=enable-driver:msahci,autoreboot-off

src=$IMAGES/win7-msahci-off.img
[ -e "$src" ] || { t_skip kill9 "no scenario image $src (run kit/mkimages)"; exit 0; }
copy() { cp --sparse=always "$src" "$tmp/$1.img" && echo "$tmp/$1.img"; }
unlocked() {	# IMAGE: no qemu holds its lock any more (libguestfs' recovery stopped it)
	local i
	for i in $(seq 1 100); do
		python3 -c 'import fcntl,os,struct,sys
fd=os.open(sys.argv[1],os.O_RDONLY)
l=struct.pack("hhqqi",fcntl.F_WRLCK,0,100,200,0)
r=fcntl.fcntl(fd,36,l); sys.exit(0 if struct.unpack("hhqqi",r)[0]==fcntl.F_UNLCK else 1)' "$1" && return 0
		sleep 0.2
	done
	return 1
}

# how long a whole fix takes here (ms), and when its write phase starts
# (the first "apply [" progress line): odd runs are killed anywhere in the
# fix, even runs within its write phase, where a kill can tear something
ref=$(copy ref)
t0=$(date +%s%N)
"$WF" fix "$ref" --fix $FIX --yes 2>&1 >"$tmp/ref.out" |
	while IFS= read -r l; do echo "$(( ($(date +%s%N) - t0) / 1000000 )) $l"; done >"$tmp/ref.err"
t_status "kill9: reference fix: exit 0" 0 "${PIPESTATUS[0]}"
span=$(( ($(date +%s%N) - t0) / 1000000 ))
wstart=$(awk '/apply \[/ { print $1; exit }' "$tmp/ref.err")
[ -n "$wstart" ] && [ "$wstart" -lt "$span" ] || wstart=0
echo "kill9: a whole fix takes ${span} ms, its write phase starts at ${wstart} ms; seed $KILL_SEED"

for i in $(seq 1 "$KILL_RUNS"); do
	img=$(copy k$i)
	lo=0; [ $((i % 2)) = 0 ] && lo=$wstart
	delay=$(( lo + (RANDOM * 32768 + RANDOM) % (span - lo) ))
	"$WF" fix "$img" --fix $FIX --yes >"$tmp/k$i.out" 2>"$tmp/k$i.err" &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	unlocked "$img" || t_fail "kill9 run $i: image unlocked" "qemu still holds $img"
	cp --sparse=always "$img" "$tmp/k$i.killed.img"
	"$WF" undo "$img" --yes >"$tmp/k$i.undo.out" 2>"$tmp/k$i.undo.err"
	echo $? >"$tmp/k$i.undo.rc"
	echo "kill9 run $i: SIGKILL at ${delay} ms, last step: $(tail -n 1 "$tmp/k$i.err" | cut -c1-80), undo exit $(cat "$tmp/k$i.undo.rc")"
done

# one launch: the original, the reference (fixed) and every image twice
dev() { local i=$1 l=abcdefghijklmnopqrstuvwxyz
	if [ "$i" -lt 26 ]; then echo "/dev/sd${l:$i:1}"; else echo "/dev/sd${l:$((i / 26 - 1)):1}${l:$((i % 26)):1}"; fi; }
args=(--ro -a "$src" -a "$ref")
for i in $(seq 1 "$KILL_RUNS"); do args+=(-a "$tmp/k$i.killed.img" -a "$tmp/k$i.img"); done
script=run
for d in $(seq 0 $((2 * KILL_RUNS + 1))); do
	script="$script : mount $(dev "$d")2 / : checksum sha256 /Windows/System32/config/SYSTEM"
	[ "$d" -ge 2 ] && [ $((d % 2)) = 0 ] && script="$script : download /Windows/System32/config/SYSTEM $tmp/s$d.SYSTEM"
	script="$script : umount-all"
done
# shellcheck disable=SC2086
guestfish "${args[@]}" -- $script >"$tmp/sums" 2>"$tmp/sums.err"
mapfile -t sums <"$tmp/sums"
[ ${#sums[@]} = $((2 * KILL_RUNS + 2)) ] || { t_fail "kill9: checks" "guestfish: $(head -c 300 "$tmp/sums.err")"; exit 1; }
old=${sums[0]}
t_check "kill9: the reference fix changed SYSTEM" test "${sums[1]}" != "$old"
for i in $(seq 1 "$KILL_RUNS"); do
	k=$((2 * i)) s=${sums[$((2 * i))]} u=${sums[$((2 * i + 1))]} state=broken
	if [ "$s" = "$old" ]; then state=old
	elif [ "$s" = "${sums[1]}" ]; then state=new
	elif "$WF" diagnose --system-hive "$tmp/s$k.SYSTEM" --target sata --json >"$tmp/s$k.json" 2>/dev/null
		[ $? -le 1 ] && python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); ids=[f["id"] for f in j["findings"]]; sys.exit(0 if "boot-driver-disabled" not in ids and "stop-autoreboot" not in ids else 1)' "$tmp/s$k.json"
	then state=new; fi
	t_check "kill9 run $i: SYSTEM after the kill is the old or the new hive ($state)" test "$state" != broken
	t_check "kill9 run $i: undo restored SYSTEM byte for byte (undo exit $(cat "$tmp/k$i.undo.rc"))" test "$u" = "$old"
done
