#!/usr/bin/env bash
# The wizard on disk images, driven in a pseudo-terminal (tests/tui/ptyrun):
#   - a bad image path (command line and path line): a dialog, no crash;
#   - Esc during the appliance launch: back to step 1 at once, qemu gone;
#   - a resize in the middle of step 2 while the appliance starts;
#   - helpdesk: the Windows 7 msahci image on SATA, diagnosed (Stop 0x7B:
#     msahci Start = 3) with its evidence and help article;
#   - win10-viostor-nover: the log viewer opened at a finding's evidence,
#     the log copied out of the guest.
# Images are copied first; the appliance runs under TCG (~15 s a launch).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui/lib.sh"
tui_need || exit 0
[ -x "$WF" ] || { t_fail tui-wizard "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-tui-wizard.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
WFA=$(cd "$(dirname "$WF")" && pwd)/$(basename "$WF")

for n in win7-msahci-off win10-viostor-nover empty; do
	src=$(tui_img "$n") || { t_skip "tui-wizard" "no image $n in $IMAGES (build/kit/mkimages)"; exit 0; }
	cp --sparse=always "$src" "$tmp/$n.img"
done
sha_before=$(sha256sum "$tmp/win7-msahci-off.img" | cut -d' ' -f1)

# --- a bad image path: from the command line, then typed -----------------------------
(cd "$tmp" && pty -r 24 -c 80 -- "$WFA" "$tmp/no-such-disk.img") <<SCRIPT
wait Error
expect tui-wizard: bad path from the command line is a dialog | $tmp/no-such-disk.img
key Enter
gone Error
expect tui-wizard: then the picker | Step 1 of 6: pick the VM or disk image
key Tab
key C-u
type $tmp/emp
key Tab
settle
expect tui-wizard: Tab completes the path | $tmp/empty.img
key Enter
wait Error
expect tui-wizard: a blank disk is a dialog naming it | empty.img: blank disk
key Enter
key Esc
key q
exit tui-wizard: quits after bad paths | 0
SCRIPT

# --- Esc during the launch, and a resize while it runs ------------------------------
(cd "$tmp" && pty -r 24 -c 80 -- "$WFA") <<SCRIPT
wait pick the VM or disk image
expect tui-wizard: the picker lists the images with libblkid facts | win7-msahci-off.img
expect tui-wizard: facts: raw, MBR, NTFS | MBR, 2 parts, NTFS
key Tab
key C-u
type $tmp/win7-msahci-off.img
key Enter
wait Starting the appliance and reading Windows
expect tui-wizard: step 2 shows the disk at once | Disk 1: $tmp/win7-msahci-off.img
resize 30 100
settle
expect tui-wizard: resize during the launch redraws step 2 | Starting the appliance and reading Windows
expect tui-wizard: resize keeps the table | AHCI/SATA
resize 24 80
sleep 2500
sh tui-wizard: the appliance is running before the cancel | pgrep -P \$PTYRUN_PID qemu >/dev/null
key Esc
within 1500 tui-wizard: Esc goes back to step 1 at once | pick the VM or disk image
wait 15 Launch cancelled
sleep 500
sh tui-wizard: no qemu left after the cancel | ! pgrep -P \$PTYRUN_PID qemu >/dev/null
expect tui-wizard: recently used lists the image | Recently used
key q
exit tui-wizard: quits after a cancel | 0
SCRIPT

# --- helpdesk: Windows 7 on SATA, diagnosed ---------------------------------------------
pty -r 24 -c 80 -- "$WFA" "$tmp/win7-msahci-off.img" <<'SCRIPT'
wait Step 2 of 6
wait 90 Windows 7 Professional
expect tui-wizard: Windows facts | 6.1 build 7601, x86_64, host win7-ide
expect tui-wizard: controller table: msahci is manual | msahci manual
expect tui-wizard: controller table: IDE boots | intelide boot
expect tui-wizard: default targets marked | [x] VirtIO block (boot)
key Down Down Down Space Up Up Up Space
settle
expect tui-wizard: SATA marked | [x] AHCI/SATA (boot)
expect tui-wizard: virtio-blk unmarked | [ ] VirtIO block
key Down Down Down
settle
expect tui-wizard: detail pane: msahci Start 3 | msahci     Start 3 (manual)
key Enter
wait 90 1 error
expect tui-wizard: diagnosis: the 0x7B cause | ERROR  Boot driver msahci for AHCI/SATA does not start at boot
expect tui-wizard: diagnosis names the targets | on a VM presenting
expect tui-wizard: explanation below | INACCESSIBLE_BOOT_DEVICE
key Enter
wait Evidence (1)
expect tui-wizard: evidence: the hive value | Start = 3
expect tui-wizard: evidence: the key | ControlSet001\Services\msahci
expect tui-wizard: the fix that addresses it | enable-driver:msahci
key F1
wait Help: boot-driver-disabled
key Esc
key l
expect tui-wizard: no log for registry evidence | cites no log line
key Esc
wait 1 error
key Esc
wait Step 2 of 6
expect tui-wizard: back at step 2 the marks are kept | [x] AHCI/SATA (boot)
key q
exit tui-wizard: helpdesk walk quits | 0
SCRIPT
sha_after=$(sha256sum "$tmp/win7-msahci-off.img" | cut -d' ' -f1)
t_status "tui-wizard: diagnosis leaves the image unchanged" "$sha_before" "$sha_after"

# --- the log viewer at a finding's evidence, the log read out of the guest ------------------
pty -r 24 -c 80 -- "$WFA" "$tmp/win10-viostor-nover.img" <<'SCRIPT'
wait 90 Windows 10 Pro
key Enter
wait 90 error
expect tui-wizard: seed-001 image: the missing Version | Driver package guestor.inf_tmp (service viostor) has no Version value
key l
wait 60 C:\Windows\INF\setupapi.dev.log
wait 60 failures
expect tui-wizard: the guest's log at the evidence line | 98
attr tui-wizard: evidence lines marked in the guest log | 98 | color
key /
type NULL driver
key Enter
wait match at line
expect tui-wizard: search in the guest log | NULL driver
key Esc
key Esc
key q
exit tui-wizard: log viewer walk quits | 0
SCRIPT
