#!/usr/bin/env bash
# bench_appliance.sh - what sharing one libguestfs appliance buys, on the
# same image in the same run (TCG, REPS alternating rounds, medians of
# whole-process wall times):
#   diagnose    virt-winfix diagnose against a bare appliance launch on the
#               same image (guestfish -a IMG run: launch and shut down,
#               nothing read); goal <= 1.05.  Also the bare launch of the
#               appliance virt-winfix boots (its kernel uncompressed), so
#               the diagnosis' own cost shows apart from the launch's
#   ISO/folder  fix --fix inject-virtio:viostor from a virtio-win ISO (read
#               on the host with xorriso) against the same fix
#               from the folder, each on a fresh copy; goal <= 1.1
# (fix against virt-v2v-in-place: bench_fix.sh.)  Prints "BENCH:" lines; a
# shared machine widens the spread, so each line gives min and max too.
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}" "${REPS:=3}"
WF=${WF:-./virt-winfix}
IMAGES=${IMAGES:-build/images}
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
img=$IMAGES/win10-viostor-nover.img
[ -e "$img" ] || { echo "SKIP: bench_appliance: no $img (run $O/kit/mkimages)"; exit 0; }
[ -x "$WF" ] || { echo "SKIP: bench_appliance: $WF not built (make)"; exit 0; }
tmp=$(mktemp -d /tmp/wf-bench-appliance.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
stats() { sort -n "$1" | awk '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); printf "%.2f s (min %.2f, max %.2f, %d runs)", m, a[1], a[NR], NR}'; }
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=2; $(median "$1") / $(median "$2")" | bc -l; }

# --- diagnose against a bare launch (a copy: guestfish adds it writable) -----------
cp --sparse=always "$img" "$tmp/bare.img"
: >"$tmp/bare"; : >"$tmp/diag"; : >"$tmp/barefast"
for _ in $(seq "$REPS"); do
	secs guestfish -a "$tmp/bare.img" run >>"$tmp/bare"
	secs "$WF" diagnose --json "$img" >>"$tmp/diag"
	# the same appliance as virt-winfix boots it (kernel uncompressed,
	# core/guest/appliance.h), made by the diagnose just run
	fast=$(ls -d "$tmp"/.guestfs-"$(id -u)"/winfix-pvh/k-* 2>/dev/null | head -n 1)
	[ -n "$fast" ] && LIBGUESTFS_PATH=$fast secs guestfish -a "$tmp/bare.img" run >>"$tmp/barefast"
done
echo "BENCH: bare appliance launch (guestfish -a IMG run): $(stats "$tmp/bare")"
echo "BENCH: virt-winfix diagnose: $(stats "$tmp/diag")"
echo "BENCH: diagnose / bare launch = $(ratio "$tmp/diag" "$tmp/bare") (goal <= 1.05)"
if [ -s "$tmp/barefast" ]; then
	echo "BENCH: bare launch of the appliance with the uncompressed kernel: $(stats "$tmp/barefast")"
	echo "BENCH: bare launch, uncompressed kernel / standard = $(ratio "$tmp/barefast" "$tmp/bare")"
	echo "BENCH: diagnose / bare launch of the same (uncompressed-kernel) appliance = $(ratio "$tmp/diag" "$tmp/barefast") (the diagnosis' own cost)"
fi

# --- fix from an ISO against the same fix from the folder -------------------------
if [ -x "$O/kit/mkpe" ] && command -v xorriso >/dev/null; then
	bash tests/data/virtio/fake-virtio-win.sh "$tmp/vw" "$O/kit/mkpe" >/dev/null 2>&1
	xorriso -as mkisofs -quiet -J -R -V virtio-win -o "$tmp/vw.iso" "$tmp/vw/new" 2>/dev/null
	: >"$tmp/folder"; : >"$tmp/iso"
	for i in $(seq "$REPS"); do
		for k in folder iso; do
			cp --sparse=always "$img" "$tmp/$k$i.img"
			src=$tmp/vw/new
			[ "$k" = iso ] && src=$tmp/vw.iso
			secs "$WF" fix "$tmp/$k$i.img" --fix inject-virtio:viostor --virtio-win "$src" \
				--target virtio-blk --yes --json >>"$tmp/$k"
			rm -rf "$tmp/$k$i.img" "$tmp/$k$i.img.virt-winfix"
		done
	done
	echo "BENCH: fix inject-virtio:viostor from the folder: $(stats "$tmp/folder")"
	echo "BENCH: fix inject-virtio:viostor from the ISO: $(stats "$tmp/iso")"
	echo "BENCH: ISO / folder = $(ratio "$tmp/iso" "$tmp/folder") (goal <= 1.1)"
else
	echo "SKIP: bench_appliance: ISO vs folder needs $O/kit/mkpe and xorriso"
fi
