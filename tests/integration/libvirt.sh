#!/usr/bin/env bash
# virt-winfix on libvirt domains with a real libvirtd (qemu:///system, as
# root; the daemon is started here when it is not running and stopped
# again).  Domains are defined from XML, <domain type='qemu'> (TCG, never
# KVM), on copies of the scenario images.  Four appliance launches:
#   -d inspect (targets and disks from the definition)
#   -d fix --auto --switch-domain on win10-viostor-nover (SATA + e1000):
#     ddb-version applied, domain switched to virtio-blk (virsh dumpxml),
#     old definition saved with the backup
#   -d undo: the fix undone, the old definition back (virsh dumpxml)
#   a running domain (tiny disk, TCG): diagnose works read-only, fix refused
#     naming the domain and its state (no launch)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../libvirt_lib.sh"
[ -x "$WF" ] || { t_fail libvirt "no $WF"; exit 1; }
if [ "$(id -u)" != 0 ]; then t_skip libvirt "needs root for qemu:///system"; exit 0; fi
command -v virsh >/dev/null || { t_skip libvirt "virsh not installed (make deps)"; exit 0; }
tmp=$(mktemp -d /tmp/wf-lv.XXXXXX)
chmod 755 "$tmp"	# libvirt's qemu user must reach the disks
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
dom1=wf-test-$$ dom2=wf-run-$$
cleanup() {
	virsh -c $URI destroy $dom2 >/dev/null 2>&1
	virsh -c $URI undefine $dom1 >/dev/null 2>&1
	virsh -c $URI undefine $dom2 >/dev/null 2>&1
	lv_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
lv_start "$tmp" || exit 0

src=$IMAGES/win10-viostor-nover.img
[ -e "$src" ] || { t_skip libvirt "no scenario image $src"; exit 0; }
cp --sparse=always "$src" "$tmp/win10.img"
cat >"$tmp/d1.xml" <<XML
<domain type='qemu'>
  <name>$dom1</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$tmp/win10.img'/>
      <target dev='sda' bus='sata'/>
    </disk>
    <interface type='user'><mac address='52:54:00:aa:bb:01'/><model type='e1000'/></interface>
  </devices>
</domain>
XML
virsh -c $URI define "$tmp/d1.xml" >/dev/null || { t_fail "define" "virsh define"; exit 1; }
wf() { local n=$1; shift; "$WF" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; echo $? >"$tmp/$n.rc"; }
dump() { virsh -c $URI dumpxml --inactive $dom1; }

# --- usage (no appliance) ----------------------------------------------------------
wf u1 inspect -d no-such-domain-$$ -c $URI
t_status "-d unknown domain: exit 2" 2 "$(cat "$tmp/u1.rc")"
t_grep "-d unknown domain: named" "no domain \"no-such-domain-$$\"" "$tmp/u1.err"
wf u2 inspect -d $dom1 "$tmp/win10.img"
t_status "-d with an image: exit 2" 2 "$(cat "$tmp/u2.rc")"
wf u3 fix -a "$tmp/win10.img" --auto --switch-domain
t_grep "--switch-domain needs -d" 'needs -d DOMAIN' "$tmp/u3.err"

# --- inspect -d ----------------------------------------------------------------------
wf insp inspect -d $dom1 -c $URI --json
t_status "inspect -d: exit 0" 0 "$(cat "$tmp/insp.rc")"
t_json "inspect -d: the domain's disk" "$tmp/insp.out" "'win10.img' in json.dumps(j)"

# --- fix --switch-domain -------------------------------------------------------------
wf fix fix -d $dom1 -c $URI --auto --target virtio-blk --switch-domain --yes
t_status "fix -d --switch-domain: exit 0" 0 "$(cat "$tmp/fix.rc")"
t_grep "fix -d: diff shown" "^- .*bus=\"sata\"" "$tmp/fix.out"
t_grep "fix -d: diff shown (+)" "^\+ .*bus=\"virtio\"" "$tmp/fix.out"
dump >"$tmp/after.xml"
t_grep "switched: disk on virtio (virsh dumpxml)" "<target dev='vda' bus='virtio'/>" "$tmp/after.xml"
t_nogrep "switched: no SATA disk left" "bus='sata'" "$tmp/after.xml"
t_grep "switched: NIC unchanged without a NIC target" "<model type='e1000'/>" "$tmp/after.xml"
saved=$(ls "$tmp"/win10.img.virt-winfix/*/domain-$dom1.xml 2>/dev/null | head -1)
t_check "old definition kept beside the backup" test -s "$saved"
t_grep "kept definition is the SATA one" "bus='sata'" "${saved:-/dev/null}"

# --- undo -d restores it --------------------------------------------------------------
wf undo undo -d $dom1 -c $URI --yes
t_status "undo -d: exit 0" 0 "$(cat "$tmp/undo.rc")"
t_grep "undo -d: says the domain is back" "definition from before the switch" "$tmp/undo.out"
dump >"$tmp/undone.xml"
t_grep "undone: disk on SATA again (virsh dumpxml)" "<target dev='sda' bus='sata'/>" "$tmp/undone.xml"
t_grep "undone: the fix itself undone" "^Undone: fix" "$tmp/undo.out"

# --- a running domain ------------------------------------------------------------------
qemu-img create -f qcow2 "$tmp/tiny.qcow2" 16M >/dev/null
cat >"$tmp/d2.xml" <<XML
<domain type='qemu'>
  <name>$dom2</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$tmp/tiny.qcow2'/>
      <target dev='hda' bus='ide'/>
    </disk>
  </devices>
</domain>
XML
virsh -c $URI define "$tmp/d2.xml" >/dev/null && virsh -c $URI start $dom2 >/dev/null 2>"$tmp/start.err"
if [ "$(virsh -c $URI domstate $dom2 2>/dev/null)" = running ]; then
	wf run1 fix -d $dom2 -c $URI --auto --yes
	t_status "running domain: fix refused, exit 2" 2 "$(cat "$tmp/run1.rc")"
	t_grep "running domain: refusal names domain and state" "domain $dom2 is running" "$tmp/run1.err"
	wf run2 undo -d $dom2 -c $URI --yes
	t_grep "running domain: undo refused" "domain $dom2 is running" "$tmp/run2.err"
	wf run3 diagnose -d $dom2 -c $URI
	t_nogrep "running domain: diagnose is not refused" "is running" "$tmp/run3.err"
	t_grep "running domain: diagnose reads its (blank) disk" "tiny.qcow2: no Windows installation found" "$tmp/run3.err"
else
	t_skip "running domain" "libvirt could not start it: $(head -c 200 "$tmp/start.err")"
fi
