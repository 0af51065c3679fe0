#!/usr/bin/env bash
# The wizard on a libvirt domain, in a pseudo-terminal (tests/tui/ptyrun),
# with a real libvirtd (qemu:///system as root; started here when it is not
# running, and stopped again; tests/libvirt_lib.sh).  A domain on a copy of
# win10-viostor-nover (SATA + e1000, <domain type='qemu'>, never started):
#   - step 1 lists it (state, what it presents) above the files;
#   - Enter opens its disk, judged on SATA + e1000 (its definition);
#   - step 2: virtio-blk marked instead of SATA; the fix (ddb-version)
#     applied; the Result offers to finish the migration;
#   - s shows the XML diff, y redefines the domain: virsh dumpxml shows the
#     disk on virtio; the old definition kept beside the fix's backup;
#   - u undoes the fix and the switch: virsh dumpxml shows SATA again.
# Before that, without an appliance (or one cancelled at once): the
# wizard on a Proxmox VE config takes its targets; no libvirtd on the URI = no domain
# section and no error; -d with an unknown domain is a dialog; -d DOMAIN
# starts the wizard on the domain (Esc cancels its launch at once).
# Two appliance launches (read-only, then writable; TCG: ~20-120 s each).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui/lib.sh"
. "$(dirname "$0")/../libvirt_lib.sh"
tui_need || exit 0
[ -x "$WF" ] || { t_fail tui-libvirt "no $WF"; exit 1; }
src=$(tui_img win10-viostor-nover) || { t_skip tui-libvirt "no image win10-viostor-nover in $IMAGES"; exit 0; }
tmp=$(mktemp -d /tmp/wf-tui-lv.XXXXXX)
chmod 755 "$tmp"	# libvirt reads the disk path
dom=0wftui-$$		# sorts before other domains: the first one selected
cleanup() {
	virsh -c $URI undefine $dom >/dev/null 2>&1
	lv_stop
	rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
WFA=$(cd "$(dirname "$WF")" && pwd)/$(basename "$WF")
cp --sparse=always "$src" "$tmp/w10.img"

# --- a Proxmox VE VM (no libvirt): its config's targets, the disk with -a ------------
pve=$(cd "$(dirname "$0")/../data/pve" && pwd)/100.conf
pty -r 30 -c 110 -- "$WFA" --pve-config "$pve" -a "$tmp/w10.img" <<SCRIPT
wait Step 2 of 6
expect tui-libvirt: --pve-config: the VM's targets (scsi0 on virtio-scsi-single) | [x] VirtIO SCSI (boot)
expect tui-libvirt: --pve-config: its NIC | [x] VirtIO network
wait 20 targets from the Proxmox VE config
expect tui-libvirt: --pve-config: said where they come from | targets from the Proxmox VE config
key Esc
wait 15 pick the VM or disk image
sleep 2000
key q
exit tui-libvirt: --pve-config walk quits | 0
SCRIPT

lv_start "$tmp" || exit 0
# UEFI: the win10 scenario disk is GPT with an EFI system partition
# (firmware-mismatch would rightly stop the walk under SeaBIOS)
cat >"$tmp/dom.xml" <<XML
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>256</memory>
  <features><acpi/></features>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$tmp/w10.img'/>
      <target dev='sda' bus='sata'/>
    </disk>
    <interface type='user'><mac address='52:54:00:aa:bb:02'/><model type='e1000'/></interface>
  </devices>
</domain>
XML
virsh -c $URI define "$tmp/dom.xml" >/dev/null || { t_fail tui-libvirt "virsh define"; exit 1; }
dump() { virsh -c $URI dumpxml --inactive $dom; }

# --- no libvirtd behind the URI: no domain section, no error ---------------------
(cd "$tmp" && pty -r 24 -c 100 -- "$WFA" -c "qemu:///system?socket=$tmp/none.sock") <<SCRIPT
wait pick the VM or disk image
sleep 1500
reject tui-libvirt: no libvirtd answering: no domain section | libvirt domains
reject tui-libvirt: no libvirtd answering: no error | Error
expect tui-libvirt: no libvirtd answering: the files are listed | w10.img
key q
exit tui-libvirt: quits without libvirt | 0
SCRIPT

# --- -d DOMAIN: unknown = a dialog; known = the wizard starts on it --------------
pty -r 24 -c 100 -- "$WFA" -d no-such-$$ -c $URI <<SCRIPT
wait Error
expect tui-libvirt: -d unknown domain: a dialog naming it | no domain "no-such-$$"
key Enter
wait pick the VM or disk image
key q
exit tui-libvirt: quits after an unknown domain | 0
SCRIPT
pty -r 30 -c 110 -- "$WFA" -d $dom -c $URI <<SCRIPT
wait Step 2 of 6
expect tui-libvirt: -d DOMAIN opens its disk | $tmp/w10.img
expect tui-libvirt: -d DOMAIN: its targets | [x] AHCI/SATA (boot)
key Esc
wait 15 pick the VM or disk image
wait 30 Launch cancelled
key q
exit tui-libvirt: -d walk quits | 0
SCRIPT

# --- listed, picked, fixed, switched, undone --------------------------------------
(cd "$tmp" && pty -r 30 -c 110 -- "$WFA" -c $URI) <<SCRIPT
wait pick the VM or disk image
wait 30 $dom
settle 300
expect tui-libvirt: a domain section above the files | libvirt domains on $URI
expect tui-libvirt: the domain's row: state and what it presents | shut off
expect tui-libvirt: what it presents (disk bus, NIC, machine) | sata (boot)
expect tui-libvirt: the first domain is selected: its details below | libvirt domain $dom
expect tui-libvirt: its disk in the details | disks: $tmp/w10.img
key Enter
wait Step 2 of 6
expect tui-libvirt: picking it opens its disk | $tmp/w10.img
wait 240 Windows 10
expect tui-libvirt: judged on its SATA disk | [x] AHCI/SATA (boot)
key Space
key Down Down Down Space
settle
expect tui-libvirt: virtio-blk marked | [x] VirtIO block (boot)
expect tui-libvirt: SATA unmarked | [ ] AHCI/SATA
key Enter
wait 240 1 error
expect tui-libvirt: the diagnosis on virtio-blk | has no Version value
key f
wait 240 Plan:
key Enter
wait Apply the fix?
key y
wait 400 Applied and verified
expect tui-libvirt: no error left | after:  0 errors
expect tui-libvirt: the Result offers to finish the migration | Finish the migration
expect tui-libvirt: ... for this domain, to virtio-blk | Domain $dom: present virtio-blk + e1000
key s
wait finish the migration
expect tui-libvirt: the diff: the SATA target out | bus="sata"
expect tui-libvirt: the diff: the virtio target in | bus="virtio"
key y
wait Switch the domain?
key y
wait 30 switched; the old definition is kept
sh tui-libvirt: virsh dumpxml: the disk on virtio | virsh -c $URI dumpxml --inactive $dom | grep -q "bus='virtio'"
sh tui-libvirt: virsh dumpxml: no SATA disk left | ! virsh -c $URI dumpxml --inactive $dom | grep -q "bus='sata'"
key Esc
wait Step 6 of 6: result
expect tui-libvirt: the Result says the domain is switched | Domain $dom switched
key u
wait Undo the fix?
expect tui-libvirt: the undo names the domain | define domain $dom
key y
wait 400 Undone:
expect tui-libvirt: the old definition is back | the definition from before the switch is defined again
sh tui-libvirt: virsh dumpxml: the disk on SATA again | virsh -c $URI dumpxml --inactive $dom | grep -q "bus='sata'"
key q
exit tui-libvirt: quits | 0
SCRIPT
saved=$(ls "$tmp"/w10.img.virt-winfix/*/domain-$dom.xml 2>/dev/null | head -1)
t_check "tui-libvirt: the old definition kept beside the fix's backup" test -s "$saved"
t_grep "tui-libvirt: the kept definition is the SATA one" "bus='sata'" "${saved:-/dev/null}"
dump >"$tmp/final.xml"
t_grep "tui-libvirt: after the undo the domain is on SATA (virsh dumpxml)" "<target dev='sda' bus='sata'/>" "$tmp/final.xml"
