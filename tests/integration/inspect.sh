#!/usr/bin/env bash
# virt-winfix inspect on the scenario images (tests/scenarios), the error
# paths, the KVM->TCG fallback and Ctrl-C during the launch.  Appliance
# launches are the cost here (~10 s each under TCG): one per Windows
# scenario, one for the fallback, a short one for Ctrl-C; the non-Windows
# disks are rejected by libblkid before any launch.
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail inspect "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-inspect.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache

img() { local f; for f in "$IMAGES/$1.img" "$IMAGES/$1.qcow2"; do [ -e "$f" ] && { echo "$f"; return; }; done; echo "$IMAGES/$1.missing"; }

# inspect_json NAME IMAGE...: run inspect --json, keep stdout/stderr/status
inspect_json() {
	local name=$1; shift
	"$WF" inspect --json "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

# --- errors found before any appliance ---------------------------------
expect_error() {	# NAME PATTERN ARGS...
	local name=$1 pat=$2; shift 2
	"$WF" inspect "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	t_status "inspect-$name exit 2" 2 $?
	t_grep "inspect-$name message" "$pat" "$tmp/$name.err"
	[ "$(wc -l <"$tmp/$name.err")" -eq 1 ] && t_pass "inspect-$name one line" \
		|| t_fail "inspect-$name one line" "$(cat "$tmp/$name.err")"
}
t0=$SECONDS
expect_error missing "/nonexistent\.img: no such file" /nonexistent.img
expect_error directory "is a directory" /tmp
: >"$tmp/zero.img"
expect_error zero-bytes "empty file" "$tmp/zero.img"
expect_error empty "blank disk" "$(img empty)"
# unreadable: a root-only file inspected by an unprivileged user
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	chmod 755 "$tmp"; head -c 1048576 /dev/zero >"$tmp/secret.img"; chmod 600 "$tmp/secret.img"
	runuser -u nobody -- "$WF" inspect "$tmp/secret.img" >"$tmp/unreadable.out" 2>"$tmp/unreadable.err"
	t_status "inspect-unreadable exit 2" 2 $?
	t_grep "inspect-unreadable message" "secret\.img: cannot open: Permission denied" "$tmp/unreadable.err"
else
	t_skip "inspect-unreadable" "needs root and runuser to test as another user"
fi
expect_error linux "not a Windows disk: no NTFS or FAT volume \(found ext4\)" "$(img linux)"
expect_error bitlocker "BitLocker-encrypted" "$(img bitlocker)"
"$WF" inspect >/dev/null 2>"$tmp/noarg.err"; t_status "inspect no image: exit 2" 2 $?
"$WF" inspect --bogus x >/dev/null 2>"$tmp/bogus.err"; t_status "inspect bad option: exit 2" 2 $?
[ $((SECONDS - t0)) -lt 5 ] && t_pass "pre-appliance errors are quick" \
	|| t_fail "pre-appliance errors are quick" "$((SECONDS - t0)) s"

# block devices: a loop device over a scenario image (skipped where loop
# devices cannot be made, e.g. in some containers)
if loop=$(losetup --find --show --read-only "$(img linux)" 2>/dev/null); then
	"$WF" inspect "$loop" >"$tmp/loop.out" 2>"$tmp/loop.err"
	t_status "block device: exit 2 (not Windows)" 2 $?
	t_grep "block device: libblkid saw ext4 on it" "not a Windows disk.*ext4" "$tmp/loop.err"
	"$WF" inspect --json "$loop" >"$tmp/loop.json" 2>/dev/null
	t_json "block device: reported as such" "$tmp/loop.json" 'j["disks"][0]["block_device"] and j["disks"][0]["partition_table"]=="dos"'
	losetup -d "$loop"
else
	t_skip "block device" "losetup cannot create a loop device here"
fi

# --- KVM fails, TCG works: said in one line, then remembered ------------
export LIBGUESTFS_HV=$PWD/tests/integration/fake-kvm-abort
unset LIBGUESTFS_BACKEND_SETTINGS
inspect_json xp "$(img xp-ide)"
t_status "xp: exit 0 after KVM->TCG fallback" 0 "$(cat "$tmp/xp.rc")"
t_grep "xp: fallback said in one line" "^virt-winfix: KVM launch failed .*retried with TCG" "$tmp/xp.err"
t_check "xp: kvm failure remembered" test -s "$XDG_CACHE_HOME/virt-winfix/kvm-broken"
t_json "xp: Windows XP Professional SP3 x86" "$tmp/xp.json" \
	'w["release"]=="Windows XP" and w["major"]==5 and w["minor"]==1 and w["build"]==2600 and w["arch"]=="i386" and "Service Pack 3" in (w["service_pack"] or "") and w["variant"]=="client"'
t_json "xp: IDE driven by intelide+atapi at boot" "$tmp/xp.json" \
	'k("ide")["boot_ready"] and svc("ide","atapi")["start"]==0 and svc("ide","atapi")["file_present"]'
t_json "xp: PIIX IDE seen with intelide" "$tmp/xp.json" \
	'any(d["kind"]=="ide" and d["service"].lower()=="intelide" for d in w["pci_seen"])'
t_json "xp: no AHCI driver" "$tmp/xp.json" 'not k("sata")["has_driver"]'

# the next launch goes straight to TCG and says why
inspect_json win7 "$(img win7-msahci-off)"
t_status "win7: exit 0" 0 "$(cat "$tmp/win7.rc")"
t_grep "win7: remembered KVM failure" "KVM failed on this host before; using TCG" "$tmp/win7.err"
unset LIBGUESTFS_HV
t_json "win7: Windows 7 SP1 x64" "$tmp/win7.json" \
	'w["release"]=="Windows 7" and w["build"]==7601 and w["arch"]=="x86_64" and w["current_control_set"]=="ControlSet001"'
t_json "win7: msahci present but Start=3, so SATA not boot-ready" "$tmp/win7.json" \
	'svc("sata","msahci")["exists"] and svc("sata","msahci")["start"]==3 and not k("sata")["boot_ready"] and k("sata")["has_driver"]'
t_json "win7: IDE boot-ready" "$tmp/win7.json" 'k("ide")["boot_ready"]'
t_json "win7: hostname" "$tmp/win7.json" 'w["hostname"] not in (None, "")'

# --- text output of the same kind of image (no launch: reuse JSON run) --
export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
inspect_json win10 "$(img win10-viostor-nover)"
t_status "win10: exit 0" 0 "$(cat "$tmp/win10.rc")"
t_json "win10: Windows 10 22H2 x64" "$tmp/win10.json" \
	'w["release"]=="Windows 10" and w["major"]==10 and w["build"]==19045 and w["arch"]=="x86_64"'
t_json "win10: viostor installed, boot start, file present" "$tmp/win10.json" \
	'k("virtio-blk")["boot_ready"] and svc("virtio-blk","viostor")["file_present"]'

# Windows 11 says "Windows 10" in ProductName; with a second (Linux) disk
inspect_json win11 "$(img win11-vioscsi)" "$(img linux)"
t_status "win11+linux disk: exit 0" 0 "$(cat "$tmp/win11.rc")"
t_json "win11: build >= 22000 makes it Windows 11" "$tmp/win11.json" \
	'w["release"]=="Windows 11" and w["build"]>=22000 and w["product_name"].startswith("Windows 10") and w["display_name"].startswith("Windows 11") and w["osinfo"]=="win11"'
t_json "win11: two disks listed, one Windows" "$tmp/win11.json" \
	'len(j["disks"])==2 and len(j["windows"])==1'
t_json "win11: vioscsi boot-ready and the virtio-scsi controller seen" "$tmp/win11.json" \
	'k("virtio-scsi")["boot_ready"] and any(d["kind"]=="virtio-scsi" and d["service"].lower()=="vioscsi" for d in w["pci_seen"])'
t_json "win11: netkvm" "$tmp/win11.json" 'k("virtio-net")["has_driver"]'

# Server 2019 in qcow2
inspect_json srv2019 "$(img srv2019-sata)"
t_status "srv2019: exit 0" 0 "$(cat "$tmp/srv2019.rc")"
t_json "srv2019: qcow2 sniffed" "$tmp/srv2019.json" 'j["disks"][0]["format"]=="qcow2"'
t_json "srv2019: Windows Server 2019 x64 server" "$tmp/srv2019.json" \
	'w["release"]=="Windows Server 2019" and w["variant"]=="server" and w["build"]==17763'
t_json "srv2019: storahci boot-ready, AHCI seen" "$tmp/srv2019.json" \
	'k("sata")["boot_ready"] and any(d["kind"]=="sata" and d["service"].lower()=="storahci" for d in w["pci_seen"])'

# damaged SYSTEM hive: clean one-line error naming the guest file
"$WF" inspect "$(img win-corrupt-hive)" >"$tmp/corrupt.out" 2>"$tmp/corrupt.err"
t_status "corrupt hive: exit 2" 2 $?
t_grep "corrupt hive: names the guest file" "/Windows/System32/config/SYSTEM: damaged registry hive" "$tmp/corrupt.err"
t_nogrep "corrupt hive: no crash report" "AddressSanitizer|runtime error|Segmentation" "$tmp/corrupt.err"

# --- the appliance with the uncompressed kernel (core/guest/appliance.h) --
# The launches above made it beside libguestfs' cache; qemu is given its
# kernel.  Refused by the hypervisor (a stand-in that aborts on it): one
# line, the standard appliance, and it is marked so that it is not offered
# again (test_appliance checks that a marked one is not).  Tried on a
# copy of the cache (hard links, same volume) so the real one stays usable.
warm_cache=${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}/.guestfs-$(id -u)
pk=$(ls -d "$warm_cache"/winfix-pvh/k-* 2>/dev/null | head -n 1)
if [ -n "$pk" ] && [ "$(head -c 4 "$pk/kernel" | od -An -c | tr -d ' ')" = '177ELF' ]; then
	t_pass "fast appliance: uncompressed kernel beside the cache"
else
	t_fail "fast appliance: uncompressed kernel beside the cache" "$(ls -la "$warm_cache" "$warm_cache/winfix-pvh" 2>&1)"
fi
pvc=$(mktemp -d "${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}/wf-pvh-test.XXXXXX")
mkdir "$pvc/.guestfs-$(id -u)"
if cp -al "$warm_cache/appliance.d" "$pvc/.guestfs-$(id -u)/" 2>/dev/null; then
	export FAKE_HV_LOG=$tmp/hv.log FAKE_HV_REFUSE_PVH=1
	LIBGUESTFS_CACHEDIR=$pvc LIBGUESTFS_HV=$PWD/tests/integration/fake-hv-pvh \
		inspect_json pvhno "$(img xp-ide)"
	t_status "fast appliance refused: exit 0" 0 "$(cat "$tmp/pvhno.rc")"
	t_grep "fast appliance refused: said in one line" \
		"^virt-winfix: the appliance with the uncompressed kernel failed to start .*starting the standard one" "$tmp/pvhno.err"
	t_check "fast appliance refused: then the standard kernel" \
		grep -q "/appliance.d/kernel" "$tmp/hv.log"
	t_check "fast appliance refused: marked" test -n "$(ls "$pvc"/.guestfs-*/winfix-pvh/k-*/rejected 2>/dev/null)"
	unset FAKE_HV_LOG FAKE_HV_REFUSE_PVH
else
	t_skip "fast appliance refused" "cannot hard-link $warm_cache/appliance.d into $pvc"
fi
rm -rf "$pvc"

# --- Ctrl-C during the launch: clean stop, appliance gone -----------------
# Twice: with a cold appliance cache (an empty LIBGUESTFS_CACHEDIR, as on a
# fresh machine: supermin is building the appliance when Ctrl-C comes and
# leaves its supermin.*.tmpdir behind unless virt-winfix's private TMPDIR
# is removed) and with the warm cache the launches above used (qemu is
# booting).  Each costs one interrupted launch of ~3 s.
ln -s "$(realpath "$(img xp-ide)")" "$tmp/ctrlc-$$.img"
warm=${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}
ctrl_c() {	# NAME CACHEDIR CHILD: Ctrl-C 3 s in, CHILD (a regex) expected running then
	local name=$1 cache=$2 child=$3 pid kids
	mkdir -p "$tmp/t-$name"
	LIBGUESTFS_TMPDIR=/tmp LIBGUESTFS_CACHEDIR=$cache TMPDIR=$tmp/t-$name \
		"$WF" inspect "$tmp/ctrlc-$$.img" >"$tmp/ctrlc-$name.out" 2>"$tmp/ctrlc-$name.err" &
	pid=$!
	sleep 3
	kids=$(pgrep -P $pid -l | awk '{print $2}' | tr '\n' ' ')
	kill -INT $pid
	wait $pid
	t_status "ctrl-c $name: exit 130" 130 $?
	t_grep "ctrl-c $name: says interrupted" "interrupted" "$tmp/ctrlc-$name.err"
	if echo " $kids" | grep -Eq " ($child)"; then t_pass "ctrl-c $name: $child was running"
	else t_skip "ctrl-c $name: $child was running" "children 3 s in: ${kids:-none} (a slow or fast host)"; fi
	sleep 1
	if pgrep -f "ctrlc-$$" >/dev/null; then t_fail "ctrl-c $name: appliance stopped" "$(pgrep -af "ctrlc-$$")"
	else t_pass "ctrl-c $name: appliance stopped"; fi
	[ -z "$(ls -A "$tmp/t-$name")" ] && t_pass "ctrl-c $name: temporary files removed" \
		|| t_fail "ctrl-c $name: temporary files removed" "$(ls -A "$tmp/t-$name")"
}
mkdir "$tmp/cold-cache"
ctrl_c cold "$tmp/cold-cache" supermin
ctrl_c warm "$warm" "supermin|qemu"	# supermin only checks the cache, briefly
