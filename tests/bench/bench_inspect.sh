#!/usr/bin/env bash
# virt-winfix inspect against its peers on the same image, in the same run:
# a bare appliance launch (guestfish -a IMG run) and virt-inspector.  All
# under TCG (force_tcg), REPS alternating rounds; prints medians and ratios.
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}" "${REPS:=3}"
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
img=${1:-build/images/win10-viostor-nover.img}
[ -e "$img" ] || "$O/kit/mkimages" --cache build/images tests/scenarios/win10-viostor-nover/ >/dev/null
[ -e "$img" ] || { echo "no image $img"; exit 1; }

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: >/tmp/wf-bench.launch; : >/tmp/wf-bench.inspector; : >/tmp/wf-bench.winfix
for i in $(seq "$REPS"); do
	secs guestfish --ro -a "$img" run >>/tmp/wf-bench.launch
	secs virt-inspector --format=raw -a "$img" >>/tmp/wf-bench.inspector
	secs ./virt-winfix inspect --json "$img" >>/tmp/wf-bench.winfix
done
l=$(median </tmp/wf-bench.launch); v=$(median </tmp/wf-bench.inspector); w=$(median </tmp/wf-bench.winfix)
printf 'image: %s (%s rounds, TCG)\n' "$img" "$REPS"
printf '  bare launch (guestfish run)   %6.2f s\n' "$l"
printf '  virt-inspector                %6.2f s\n' "$v"
printf '  virt-winfix inspect --json    %6.2f s\n' "$w"
printf '  ratio winfix/inspector = %.2f, winfix/bare launch = %.2f\n' \
	"$(echo "$w / $v" | bc -l)" "$(echo "$w / $l" | bc -l)"


# where virt-winfix's time goes (one more run): libblkid must be well
# under a second; the rest is the appliance and the guest reads
./virt-winfix inspect --json "$img" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)["seconds"]
print("  virt-winfix stages: libblkid+sniff %.3f s, launch %.2f s, guest reads %.2f s"
      % (s["probe"], s["launch"], s["guest"]))'
