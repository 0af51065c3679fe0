#!/usr/bin/env bash
# fix -d DOMAIN refuses a boot driver whose INF does not bind the virtio id
# the domain presents, as --domain-xml does (idcheck.h), before anything is
# written.  A real libvirtd (qemu:///system, as root; started here when not
# running and stopped again), a q35 domain (<domain type='qemu'>, never
# run) on a copy of the xp-ide scenario image with its disk on virtio: q35
# gives virtio-blk the modern id DEV_1042, and the XP viostor INF of the
# fake virtio-win tree lists only DEV_1001.  Checks the refusal (exit 2,
# the ids, the XML change to make), that the image is byte for byte
# unchanged and no backup was made.  One appliance launch (the guest's
# version picks the build: it has to be inspected); a definition error is
# refused before any launch (second case, no appliance).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../libvirt_lib.sh"
[ -x "$WF" ] || { t_fail libvirt_idcheck "no $WF"; exit 1; }
if [ "$(id -u)" != 0 ]; then t_skip libvirt_idcheck "needs root for qemu:///system"; exit 0; fi
command -v virsh >/dev/null || { t_skip libvirt_idcheck "virsh not installed (make deps)"; exit 0; }
src=$IMAGES/xp-ide.img
[ -e "$src" ] || { t_skip libvirt_idcheck "no scenario image $src"; exit 0; }
tmp=$(mktemp -d /tmp/wf-lvid.XXXXXX)
chmod 755 "$tmp"	# libvirt's qemu user must reach the disks
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
dom=wf-xpq35-$$
cleanup() {
	virsh -c $URI undefine $dom >/dev/null 2>&1
	lv_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
lv_start "$tmp" || exit 0

bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vw" "$O/kit/mkpe" >/dev/null ||
	{ t_fail libvirt_idcheck "fake-virtio-win.sh"; exit 1; }
cp --sparse=always "$src" "$tmp/xp.img"
before=$(md5sum <"$tmp/xp.img")
cat >"$tmp/d.xml" <<XML
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$tmp/xp.img'/>
      <target dev='vda' bus='virtio'/>
      <boot order='1'/>
    </disk>
    <interface type='user'><mac address='52:54:00:aa:bb:02'/><model type='e1000'/></interface>
  </devices>
</domain>
XML
virsh -c $URI define "$tmp/d.xml" >/dev/null || { t_fail libvirt_idcheck "virsh define"; exit 1; }
wf() { local n=$1; shift; "$WF" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; echo $? >"$tmp/$n.rc"; }

# --- XP on q35, virtio-blk without a model: refused before any write ----------
wf q35 fix -d $dom -c $URI --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --yes
t_status "fix -d XP on q35: refused, exit 2" 2 "$(cat "$tmp/q35.rc")"
t_grep "refusal: the id the domain presents" 'presents its virtio-blk as PCI.VEN_1AF4&DEV_1042 .q35' "$tmp/q35.err"
t_grep "refusal: what the INF binds" "binds only the transitional id" "$tmp/q35.err"
t_grep "refusal: the XML change to make" "model='virtio-transitional'" "$tmp/q35.err"
t_nogrep "refusal: no warning-only path" "to have this checked" "$tmp/q35.out"
t_status "refusal: the image is unchanged" "$before" "$(md5sum <"$tmp/xp.img")"
t_check "refusal: no backup made" test ! -e "$tmp/xp.img.virt-winfix"

# --- a definition virt-winfix cannot read: refused before the appliance -------
# (a disk bus it does not know; libvirt accepts 'usb')
sed -i "s/bus='virtio'/bus='usb'/; s/dev='vda'/dev='sdz'/" "$tmp/d.xml"
virsh -c $URI undefine $dom >/dev/null && virsh -c $URI define "$tmp/d.xml" >/dev/null ||
	t_fail "unreadable definition" "virsh define with a usb disk"

start=$(date +%s)
wf usb fix -d $dom -c $URI --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --yes
t_status "unreadable definition: exit 2" 2 "$(cat "$tmp/usb.rc")"
t_grep "unreadable definition: names the domain and the bus" "domain XML $dom: disk bus \"usb\" is not supported" "$tmp/usb.err"
t_check "unreadable definition: no appliance (under 10 s)" test $(($(date +%s) - start)) -lt 10
t_status "unreadable definition: the image is unchanged" "$before" "$(md5sum <"$tmp/xp.img")"
