#!/usr/bin/env bash
# virt-winfix fix / undo on copies of the scenario images (never the cached
# originals).  About a dozen appliance launches under TCG:
#   win7-msahci-off: --dry-run writes nothing; enable-driver:msahci applied,
#     diagnose --target sata clean; undo -> SYSTEM byte-identical
#   win10-viostor-nover: ddb-version:guestor.inf_tmp -> no error left
#   srv2019-sata (qcow2): inject-virtio:viostor,netkvm from a fake virtio-win ISO
#   xp-ide: mergeide, pciide.sys extracted from the guest's driver.cab
#   xp-ide: mergeide
#   refusals: a fix too big for the volume, an image held by a running qemu (its lock), a hibernated
#     volume (hiberfil.sys starting with HIBR)
#   kill test: the fix killed (SIGKILL) at KILL_POINTS moments of its write
#     phase; each time SYSTEM must be the old or the new bytes
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail fix "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-fix.XXXXXX)
qpid=
trap '[ -n "$qpid" ] && kill $qpid 2>/dev/null; rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
: "${KILL_POINTS:=5}"

img() { local f; for f in "$IMAGES/$1.img" "$IMAGES/$1.qcow2"; do [ -e "$f" ] && { echo "$f"; return; }; done; }
# copy SCENARIO NAME: a sparse copy in $tmp, path on stdout
copy() { local s; s=$(img "$1") || return 1; [ -n "$s" ] || return 1
	local d="$tmp/$2.${s##*.}"; cp --sparse=always "$s" "$d" && echo "$d"; }
# wf NAME ARGS...: run, keep stdout/stderr/status
wf() { local n=$1; shift; "$WF" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; echo $? >"$tmp/$n.rc"; }
rc() { cat "$tmp/$1.rc"; }

# --- usage (no appliance) -----------------------------------------------------------
"$WF" fix x.img >/dev/null 2>"$tmp/u1"; t_status "fix without --fix: exit 2" 2 $?
t_grep "fix without --fix: says how" '--fix ID' "$tmp/u1"
"$WF" fix x.img --fix frobnicate >/dev/null 2>"$tmp/u2"; t_status "fix unknown id: exit 2" 2 $?
t_grep "fix unknown id: names it" 'frobnicate: unknown fix' "$tmp/u2"
"$WF" fix x.img --fix inject-virtio:viostor --virtio-win /nonexistent/vw >/dev/null 2>"$tmp/u3"
t_status "fix --virtio-win missing: exit 2 before any appliance" 2 $?
t_grep "fix --virtio-win missing: one line naming it" '^virt-winfix: fix: --virtio-win /nonexistent/vw: No such file' "$tmp/u3"
head -c 200000 /dev/zero >"$tmp/notiso.iso"
"$WF" fix x.img --fix inject-virtio:viostor --virtio-win "$tmp/notiso.iso" >/dev/null 2>"$tmp/u4"
t_status "fix --virtio-win not an ISO: exit 2" 2 $?
t_grep "fix --virtio-win not an ISO: says so" 'notiso.iso: neither a virtio-win folder nor an ISO image' "$tmp/u4"
t_check "fix usage errors: one line each" test "$(cat "$tmp/u3" "$tmp/u4" | wc -l)" = 2
"$WF" fix --help >/dev/null; t_status "fix --help: exit 0" 0 $?
"$WF" undo --help >/dev/null; t_status "undo --help: exit 0" 0 $?
"$WF" help inject-virtio >"$tmp/h" && t_grep "help inject-virtio" 'never loops rebooting|never loop' "$tmp/h"

w7=$(copy win7-msahci-off w7) || { t_skip "fix images" "no scenario images (run kit/mkimages)"; exit 0; }
w7orig=$(img win7-msahci-off)

# --- dry run: nothing written ------------------------------------------------------
sha_before=$(sha256sum "$w7" | cut -c1-64)
wf dry fix "$w7" --fix enable-driver:msahci --target sata --dry-run --json
t_status "fix --dry-run: exit 0" 0 "$(rc dry)"
t_check "fix --dry-run: the image is byte-identical" test "$sha_before" = "$(sha256sum "$w7" | cut -c1-64)"
t_check "fix --dry-run: no backup folder" test ! -e "$w7.virt-winfix"
t_json "fix --dry-run: plan Start 3 -> 0 in both control sets" "$tmp/dry.out" \
	'sorted(a["key"] for a in j["plan"]["actions"] if a.get("name")=="Start")==["ControlSet001\\Services\\msahci","ControlSet002\\Services\\msahci"] and all(a["old"]["hex"]=="03000000" and a["new"]["hex"]=="00000000" for a in j["plan"]["actions"]) and not j["applied"]'

# --- win7: enable-driver:msahci, diagnose clean, undo byte-identical ----------------
wf w7fix fix "$w7" --fix enable-driver:msahci --target sata --yes --json
t_status "fix win7 enable-driver:msahci: exit 0" 0 "$(rc w7fix)"
t_json "fix win7: applied, backups named, no error left for SATA" "$tmp/w7fix.out" \
	'j["applied"] and j["guest_backup"].startswith("C:\\virt-winfix\\backup\\") and j["journal"]["state"]=="applied" and not any(f["severity"]=="error" for f in j["findings_after"]) and any(f["id"]=="boot-driver-disabled" for f in j["findings_before"])'
t_grep "fix win7: progress says what it does" 'apply \[[0-9]+/[0-9]+\] replacing the SYSTEM hive' "$tmp/w7fix.err"
t_check "fix win7: host backup of SYSTEM" test -s "$(ls -d "$w7.virt-winfix"/*/ | head -n1)SYSTEM"
wf w7diag diagnose "$w7" --target sata --json
t_status "diagnose win7 --target sata after the fix: exit 0" 0 "$(rc w7diag)"
new_sha=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["journal"]["hives"][0]["sha256_after"])' "$tmp/w7fix.out")
old_sha=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["journal"]["hives"][0]["sha256_before"])' "$tmp/w7fix.out")
wf w7list undo "$w7" --list --json
t_json "undo --list: one applied fix" "$tmp/w7list.out" '[f["state"] for f in j["fixes"]]==["applied"]'
wf w7undo undo "$w7" --yes
t_status "undo win7: exit 0" 0 "$(rc w7undo)"
t_grep "undo win7: says what it restored" 'Undone: fix' "$tmp/w7undo.out"

# --- win10-viostor-nover: ddb-version ----------------------------------------------------
if w10=$(copy win10-viostor-nover w10); then
	wf w10 fix "$w10" --fix ddb-version:guestor.inf_tmp --yes --json
	t_status "fix win10 ddb-version:guestor.inf_tmp: exit 0" 0 "$(rc w10)"
	t_json "fix win10: Version written, the finding gone (only log history left), _tmp label noted" "$tmp/w10.out" \
		'j["applied"] and not any(f["id"]=="driver-package-version-missing" for f in j["findings_after"]) and not any(f["severity"]=="error" and f["fixes"] for f in j["findings_after"]) and any(a.get("name")=="Version" and a["new"]["hex"].startswith("00ff0900") for a in j["plan"]["actions"]) and any("MTV-2256" in n for n in j["plan"]["notes"])'
fi

# --- srv2019-sata: inject viostor + netkvm from a fake virtio-win ---------------------
# ... read from an ISO (xorriso, Rock Ridge + Joliet as virtio-win ISOs are), on the
# host with xorriso
# netkvmco.dll padded to 40 MiB: its copy lasts long enough for libguestfs
# progress events, which the fix reports
BIG_MB=40 bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vw" "$O/kit/mkpe"
vsrc=$tmp/vw/new
if command -v xorriso >/dev/null; then
	xorriso -as mkisofs -quiet -J -R -V virtio-win -o "$tmp/virtio-win.iso" "$tmp/vw/new" 2>"$tmp/iso.err" &&
		vsrc=$tmp/virtio-win.iso
else
	t_skip "fix srv2019 from an ISO" "no xorriso (make deps installs it); using the folder"
fi
# a truncated ISO (its volume descriptor kept): refused before any launch, in one line
if [ "$vsrc" = "$tmp/virtio-win.iso" ]; then
	head -c 40000 "$vsrc" >"$tmp/cut.iso"
	LIBGUESTFS_TRACE=1 "$WF" fix "$(img srv2019-sata)" --dry-run --fix inject-virtio:viostor --virtio-win "$tmp/cut.iso" >/dev/null 2>"$tmp/u5"
	t_status "fix --virtio-win truncated ISO: exit 2" 2 $?
	t_grep "fix --virtio-win truncated ISO: names it, says xorriso could not read it" \
		"^virt-winfix: $tmp/cut.iso: xorriso failed" "$tmp/u5"
	t_status "fix --virtio-win truncated ISO: no appliance launched" 0 "$(grep -c 'trace: launch$' "$tmp/u5")"
fi
if s19=$(copy srv2019-sata s19); then
	LIBGUESTFS_TRACE=1 wf s19 fix "$s19" --fix inject-virtio:viostor,inject-virtio:netkvm --virtio-win "$vsrc" \
		--target virtio-blk,virtio-net --yes --json
	t_status "fix srv2019 inject-virtio:viostor,netkvm: exit 0" 0 "$(rc s19)"
	t_json "fix srv2019: the 2k19 folder, viostor boot-start, DDB package with Version, staged netkvm, firstboot" "$tmp/s19.out" \
		'j["applied"] and any("viostor/2k19/amd64" in n for n in j["plan"]["notes"]) and any(a.get("path")=="/Windows/System32/drivers/viostor.sys" for a in j["plan"]["actions"]) and any(a.get("key","").startswith("DriverDatabase\\DriverPackages\\viostor.inf_amd64_") and a.get("name")=="Version" for a in j["plan"]["actions"]) and any(a.get("path")=="/virt-winfix/drivers/netkvm/netkvm.inf" for a in j["plan"]["actions"]) and any(a.get("path")=="/virt-winfix/firstboot.cmd" for a in j["plan"]["actions"]) and not any(f["severity"]=="error" for f in j["findings_after"])'
	t_status "fix srv2019: one appliance launch, the ISO read on the host" 1 \
		"$(grep -c 'libguestfs: trace: launch$' "$tmp/s19.err")"
	[ "$vsrc" = "$tmp/virtio-win.iso" ] && t_json "fix srv2019: files read from the ISO, named by their place in it" "$tmp/s19.out" \
		'any(a.get("path")=="/Windows/System32/drivers/viostor.sys" and a["source"]==sys.argv[3]+":/viostor/2k19/amd64/viostor.sys" for a in j["plan"]["actions"])' "$vsrc"
	t_grep "fix srv2019: the long copy reports its bytes (libguestfs progress events)" \
		'apply +copying: +100% of 41\.9 MB' "$tmp/s19.err"
	t_json "fix srv2019: first-boot expectations reported" "$tmp/s19.out" \
		'any("pnputil" in n and "restart once" in n for n in j["plan"]["notes"])'
fi

# --- xp-ide: mergeide -------------------------------------------------------------------
if xp=$(copy xp-ide xp); then
	wf xp fix "$xp" --fix mergeide --target ide --yes --json
	t_status "fix xp mergeide: exit 0" 0 "$(rc xp)"
	t_json "fix xp mergeide: pciide boot-start, missing MergeIDE entries added" "$tmp/xp.out" \
		'j["applied"] and any(a.get("key","").endswith("Services\\PCIIde") and a.get("name")=="Start" and a["new"]["hex"]=="00000000" for a in j["plan"]["actions"]) and any(a.get("key","").endswith("CriticalDeviceDatabase\\pci#ven_10b9&dev_5219") for a in j["plan"]["actions"])'
	t_json "fix xp mergeide: pciide.sys (missing) extracted from the guest's driver.cab, nothing left to fix" "$tmp/xp.out" \
		'any(a.get("path")=="/WINDOWS/System32/drivers/pciide.sys" and a["source"]=="C:/WINDOWS/Driver Cache/i386/driver.cab" for a in j["plan"]["actions"]) and not any(f["severity"]=="error" for f in j["findings_after"])'
fi

# --- refusals -------------------------------------------------------------------------------
# a fix that does not fit on the volume (a 300 MiB driver file, from a folder source):
# refused before anything is written
BIG_MB=300 bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vwbig" "$O/kit/mkpe"
if full=$(copy srv2019-sata full); then
	wf full fix "$full" --fix inject-virtio:netkvm --virtio-win "$tmp/vwbig/new" --target virtio-net --yes
	t_status "fix that does not fit on the volume: exit 2" 2 "$(rc full)"
	t_grep "fix that does not fit: says how much is needed and that nothing changed" \
		'needs [0-9.]+ MB on the Windows volume and it has [0-9.]+ MB free; nothing was changed' "$tmp/full.err"
	t_check "fix that does not fit: no backup was started" test ! -e "$full.virt-winfix"
fi
lock=$(copy win7-msahci-off lock)
qemu-system-x86_64 -S -display none -machine accel=tcg -monitor none -serial none \
	-drive file="$lock",format=raw,if=ide >/dev/null 2>&1 &
qpid=$!
sleep 2
wf lock fix "$lock" --fix autoreboot-off --yes
t_status "fix on an image a running qemu holds: exit 2" 2 "$(rc lock)"
t_grep "fix on a locked image: one line saying why" 'in use by a running VM \(qemu holds its lock\)' "$tmp/lock.err"
kill $qpid; wait $qpid 2>/dev/null; qpid=

hib=$(copy win7-msahci-off hib)
# kill-test copies, and the hibernated volume, prepared in one launch
kills=()
for i in $(seq 1 "$KILL_POINTS"); do kills+=("$(copy win7-msahci-off kill$i)"); done
intr=$(copy win7-msahci-off intr) rwkill=$(copy win7-msahci-off rwkill)
guestfish -a "$hib" run : mount /dev/sda2 / : write /hiberfil.sys "HIBR-fake-hibernation-image" >/dev/null 2>&1
wf hib fix "$hib" --fix autoreboot-off --yes
t_status "fix on a hibernated volume: exit 2" 2 "$(rc hib)"
t_grep "fix on a hibernated volume: says shut down fully" 'hibernated or was shut down with Fast Startup.*shutdown /s /f /t 0' "$tmp/hib.err"
wf hibdiag diagnose "$hib" --target sata --json
t_status "diagnose still works on the hibernated volume (finds msahci): exit 1" 1 "$(rc hibdiag)"

unlocked() {	# IMAGE: no process holds qemu's lock bytes
	python3 -c 'import fcntl,os,struct,sys
fd=os.open(sys.argv[1],os.O_RDONLY)
l=struct.pack("hhqqi",fcntl.F_WRLCK,0,100,200,0)
r=fcntl.fcntl(fd,36,l); sys.exit(0 if struct.unpack("hhqqi",r)[0]==fcntl.F_UNLCK else 1)' "$1"
}
# --- kill test --------------------------------------------------------------------------------
# Kill (SIGKILL) N ms after the write phase starts ("replacing the SYSTEM
# hive" / "writing"); then SYSTEM must be the old or the new bytes.
killat() {	# IMAGE TRIGGER DELAY_MS [SIGNAL]
	python3 - "$WF" "$1" "$2" "$3" "${4:-SIGKILL}" <<'PY'
import os, re, signal, subprocess, sys, time
wf, image, trig, delay = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sig = getattr(signal, sys.argv[5])
p = subprocess.Popen([wf, "fix", image, "--fix", "enable-driver:msahci,autoreboot-off", "--yes"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
for line in p.stderr:
    if re.search(trig, line):
        time.sleep(delay / 1000.0)
        os.kill(p.pid, sig)
        break
p.wait()
print(p.returncode)
PY
}
points=("backing up the SYSTEM:0" "replacing the SYSTEM:0" "replacing the SYSTEM:120" "verifying:0"
	"recording:0" "changing a copy:0" "replacing the SYSTEM:40" "replacing the SYSTEM:300")
for i in $(seq 1 "$KILL_POINTS"); do
	spec=${points[$(( (i - 1) % ${#points[@]} ))]}
	killat "${kills[$((i - 1))]}" "${spec%%:*}" "${spec##*:}" >"$tmp/kill$i.rc"
	# wait until libguestfs' recovery process has stopped qemu (the lock goes)
	for _ in $(seq 1 50); do unlocked "${kills[$((i - 1))]}" && break; sleep 0.2; done
done
# between the read-write remount and the commit: Ctrl-C stops the apply at
# its next safe point (exit 130, qemu stopped when the program has exited,
# nothing replaced), SIGKILL leaves the volume as the mount left it
killat "$intr" "mounting the Windows volume read-write" 0 SIGINT >"$tmp/intr.rc"
t_check "Ctrl-C between the read-write remount and the commit: exit 130" test "$(cat "$tmp/intr.rc")" = 130
t_check "Ctrl-C between remount and commit: qemu is stopped when the program exits" unlocked "$intr"
killat "$rwkill" "mounting the Windows volume read-write" 0 >"$tmp/rwkill.rc"
for _ in $(seq 1 50); do unlocked "$rwkill" && break; sleep 0.2; done

# one launch checks: win7 after undo vs the original, and every killed copy
args=(--ro -a "$w7" -a "$w7orig")
kills+=("$intr" "$rwkill")
for k in "${kills[@]}"; do args+=(-a "$k"); done
script="run"
letters=(a b c d e f g h i j k l m n o p q r s t)
for i in $(seq 0 $(( ${#kills[@]} + 1 ))); do
	script="$script : mount /dev/sd${letters[$i]}2 / : checksum sha256 /Windows/System32/config/SYSTEM"
	[ "$i" -ge 2 ] && script="$script : download /Windows/System32/config/SYSTEM $tmp/kill$((i - 1)).SYSTEM"
	script="$script : umount-all"
done
# shellcheck disable=SC2086
guestfish "${args[@]}" -- $script >"$tmp/sums" 2>"$tmp/sums.err" || true
mapfile -t sums <"$tmp/sums"
if [ ${#sums[@]} -ge 2 ]; then
	t_check "undo: SYSTEM byte-identical to the original image's" test "${sums[0]}" = "${sums[1]}"
	t_check "undo: the original's hash is the journal's sha256_before" test "${sums[1]}" = "$old_sha"
	for i in $(seq 1 "$KILL_POINTS"); do
		s=${sums[$((i + 1))]:-missing}
		# old = the original bytes; new = a sound hive holding the fix
		# (hivex stamps times on commit, so new bytes differ run to run)
		state=broken
		if [ "$s" = "$old_sha" ]; then state=old
		elif [ "$s" = "$new_sha" ]; then state=new
		elif "$WF" diagnose --system-hive "$tmp/kill$i.SYSTEM" --target sata --json \
			>"$tmp/kill$i.json" 2>/dev/null; [ $? -le 1 ] &&
		     python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); ids=[f["id"] for f in j["findings"]]; sys.exit(0 if "boot-driver-disabled" not in ids and "stop-autoreboot" not in ids else 1)' "$tmp/kill$i.json"
		then state=new; fi
		echo "kill point $i (${points[$(( (i - 1) % ${#points[@]} ))]} ms): SYSTEM is $state"
		t_check "kill at point $i: SYSTEM is the old or the new hive ($state)" test "$state" != broken
	done
	t_check "Ctrl-C between remount and commit: SYSTEM is the old hive" \
		test "${sums[$((KILL_POINTS + 2))]:-missing}" = "$old_sha"
	t_check "SIGKILL between remount and commit: SYSTEM is the old hive" \
		test "${sums[$((KILL_POINTS + 3))]:-missing}" = "$old_sha"
else
	t_fail "fix: final checks" "guestfish failed: $(head -c 300 "$tmp/sums.err")"
fi
