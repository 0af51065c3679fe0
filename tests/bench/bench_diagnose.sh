#!/usr/bin/env bash
# virt-winfix diagnose against virt-inspector on the same image, in the
# same run (TCG, REPS alternating rounds, medians), plus the hive-only rules
# on the 15 MB real SYSTEM hive (regipy_SYSTEM_WIN_10_1709, when present):
# the whole command (process start, hive open, version inference, rules)
# and the rules alone (from test_diagnose's timing line).
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}" "${REPS:=3}" "${FIXTURES:=../shared/fixtures}"
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
img=${1:-build/images/win10-viostor-nover.img}
[ -e "$img" ] || "$O/kit/mkimages" --cache build/images tests/scenarios/win10-viostor-nover/ >/dev/null
[ -e "$img" ] || { echo "no image $img"; exit 1; }

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

hive=$FIXTURES/hives/regipy_SYSTEM_WIN_10_1709
if [ -e "$hive" ]; then
	: >/tmp/wf-bench.hive
	for i in 1 2 3 4 5; do
		secs ./virt-winfix diagnose --system-hive "$hive" \
			--target virtio-blk,virtio-scsi,sata,ide,lsi-sas,virtio-net >>/tmp/wf-bench.hive
	done
	h=$(median </tmp/wf-bench.hive)
	printf 'hive-only: diagnose --system-hive %s (6 targets), whole command: %.1f ms (median of 5)\n' \
		"$(basename "$hive")" "$(echo "$h * 1000" | bc -l)"
	if [ -x "$O/tests/test_diagnose" ]; then
		FIXTURES=$FIXTURES "$O/tests/test_diagnose" 2>/dev/null | grep -E '^rules over' | sed 's/^/hive-only: /'
	fi
fi

: >/tmp/wf-bench.inspector; : >/tmp/wf-bench.diag
for i in $(seq "$REPS"); do
	secs virt-inspector --format=raw -a "$img" >>/tmp/wf-bench.inspector
	secs ./virt-winfix diagnose --json "$img" >>/tmp/wf-bench.diag
done
v=$(median </tmp/wf-bench.inspector); d=$(median </tmp/wf-bench.diag)
printf 'image: %s (%s rounds, TCG)\n' "$img" "$REPS"
printf '  virt-inspector                %6.2f s\n' "$v"
printf '  virt-winfix diagnose --json   %6.2f s\n' "$d"
printf '  ratio diagnose/inspector = %.2f\n' "$(echo "$d / $v" | bc -l)"
