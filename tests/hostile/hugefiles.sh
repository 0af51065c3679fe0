#!/usr/bin/env bash
# Hostile images, class "huge files": a sparse 3 GB setupapi.dev.log and a
# sparse 3 GB SYSTEM hive, each in a copy of the 256 MB win10-viostor-nover
# image (made with guestfish: truncate on NTFS leaves a hole, the image
# does not grow).  Before, diagnose copied the whole log into TMPDIR.  Now
# the log is read from its last 64 MB only, with a note, and the hive is
# refused in one line; TMPDIR never holds more than the caps (sampled
# during the run).  Three launches.
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail hugefiles "no $WF"; exit 1; }
src=$IMAGES/win10-viostor-nover.img
[ -e "$src" ] || { t_skip hugefiles "no scenario image $src (run kit/mkimages)"; exit 0; }
command -v guestfish >/dev/null || { t_skip hugefiles "no guestfish"; exit 0; }
tmp=$(mktemp -d /tmp/wf-hostile-huge.XXXXXX)
trap 'kill $sampler 2>/dev/null; rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
# the appliance cache where libguestfs keeps it without our TMPDIR: the
# sampled folders then hold only what one run copies out of the guest
export LIBGUESTFS_CACHEDIR=${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}
GB3=3221225472
cp --sparse=always "$src" "$tmp/log.img"
cp --sparse=always "$src" "$tmp/hive.img"
guestfish -a "$tmp/log.img" -a "$tmp/hive.img" run \
	: mount /dev/sda2 / : truncate-size /Windows/INF/setupapi.dev.log $GB3 : umount-all \
	: mount /dev/sdb2 / : truncate-size /Windows/System32/config/SYSTEM $GB3 : umount-all \
	>"$tmp/gf.out" 2>&1 || { t_fail "hugefiles: guestfish makes the sparse files" "$(head -c 300 "$tmp/gf.out")"; exit 1; }
t_check "hugefiles: the images stayed small ($(du -m "$tmp/log.img" | cut -f1) MB)" \
	test "$(du -m "$tmp/log.img" | cut -f1)" -lt 300

# run NAME ARGS...: virt-winfix with TMPDIR=$tmp/t-NAME, its peak size (MB) sampled
run() {
	local name=$1; shift
	mkdir -p "$tmp/t-$name"
	( peak=0; while :; do m=$(du -sm "$tmp/t-$name" 2>/dev/null | cut -f1)
		[ "${m:-0}" -gt $peak ] && peak=$m && echo $peak >"$tmp/peak-$name"; sleep 0.2; done ) &
	sampler=$!
	TMPDIR=$tmp/t-$name "$WF" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
	kill $sampler 2>/dev/null; wait $sampler 2>/dev/null
	cat "$tmp/peak-$name" 2>/dev/null || echo 0
}
san='AddressSanitizer|runtime error|LeakSanitizer|Segmentation'

peak=$(run log diagnose "$tmp/log.img" --target virtio-blk)
t_check "3 GB log: diagnose completes (exit $(cat "$tmp/log.rc"))" test "$(cat "$tmp/log.rc")" -le 1
t_grep "3 GB log: a note says only its end was read" 'setupapi\.dev\.log: 3\.0 GiB, only its last 64 MiB read' "$tmp/log.out"
t_check "3 GB log: TMPDIR peaked at ${peak} MB (caps: 64 MB per log, hives)" test "$peak" -lt 400
t_nogrep "3 GB log: no sanitizer report" "$san" "$tmp/log.err"

peak=$(run hive inspect "$tmp/hive.img")
t_status "3 GB hive: inspect refuses (exit 2)" 2 "$(cat "$tmp/hive.rc")"
t_grep "3 GB hive: says why, naming the file" 'config/SYSTEM: registry hive of 3\.0 GiB, more than the 512(\.0)? MiB read at most' "$tmp/hive.err"
t_check "3 GB hive: one line" test "$(grep -vc 'TCG\|KVM' "$tmp/hive.err")" = 1
t_check "3 GB hive: TMPDIR peaked at ${peak} MB" test "$peak" -lt 100
t_nogrep "3 GB hive: no sanitizer report" "$san" "$tmp/hive.err"
