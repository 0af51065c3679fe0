#!/usr/bin/env bash
# The wizard's steps 4-6 in a pseudo-terminal (tests/tui/ptyrun), on copies
# of the scenario images, checked on the screen and on the resulting image:
#   - helpdesk: Windows 7 msahci on SATA diagnosed, the fix planned
#     (Start 3 -> 0), applied (backup, verification: no error left), the
#     report saved, q asking while the write is pending, then undone
#     (the image diagnoses as before, the journal says "undone");
#   - first migration: viostor + netkvm injected into the Server 2019 image
#     from a fake virtio-win ISO chosen in the source picker, the long copy
#     showing its bytes;
#   - Esc right after the confirmation, before the read-write mount:
#     nothing changed (same bytes).
# Each walk launches the appliance once: the diagnosis, the apply, the
# verification and the undo share it (TCG: ~20 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui/lib.sh"
tui_need || exit 0
[ -x "$WF" ] || { t_fail tui-fix "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-tui-fix.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
WFA=$(cd "$(dirname "$WF")" && pwd)/$(basename "$WF")

w7src=$(tui_img win7-msahci-off) && s19src=$(tui_img srv2019-sata) ||
	{ t_skip tui-fix "scenario images missing in $IMAGES (build/kit/mkimages)"; exit 0; }
cp --sparse=always "$w7src" "$tmp/w7.img"
cp --sparse=always "$w7src" "$tmp/w7c.img"
cp --sparse=always "$s19src" "$tmp/s19.qcow2"
w7c_sha=$(sha256sum "$tmp/w7c.img" | cut -d' ' -f1)

# --- helpdesk: diagnose, fix, verify, report, undo ------------------------------------
# (libguestfs' trace goes to the wizard's log: it counts the launches)
LIBGUESTFS_TRACE=1 pty -r 24 -c 80 -- "$WFA" --target sata,e1000 "$tmp/w7.img" <<SCRIPT
wait 90 Windows 7 Professional
key Enter
wait 90 1 error
expect tui-fix: helpdesk: the 0x7B cause | Boot driver msahci for AHCI/SATA does not start at boot
key f
wait 90 Plan: 2 changes for enable-driver:msahci
expect tui-fix: the error's fix is pre-selected | [x] enable-driver:msahci
expect tui-fix: the note's fix is not | [ ] autoreboot-off
expect tui-fix: the plan shows old -> new | ~ "Start"  REG_DWORD 0x00000003 (3)  ->  REG_DWORD 0x00000000 (0)
expect tui-fix: both control sets | [ControlSet002\\Services\\msahci]
key Enter
wait Apply the fix?
expect tui-fix: the confirmation names the image | $tmp/w7.img
key y
wait Step 5 of 6
expect tui-fix: progress screen | Applying:
key q
wait Quit?
expect tui-fix: q asks while a write is pending | The fix is being written to
key n
gone Quit?
wait 180 Applied and verified
expect tui-fix: verification: no error left | after:  0 errors
expect tui-fix: the guest backup | in the guest: C:\\virt-winfix\\backup\\
expect tui-fix: the host backup | on the host:  $tmp/w7.img.virt-winfix/
key m
wait Save the Markdown report
key Enter
wait Report saved
sh tui-fix: the Markdown report is written | grep -q '^## Fix applied: enable-driver:msahci' "$tmp/w7.img.virt-winfix-report.md"
key j
key Enter
wait Report saved
sh tui-fix: the JSON report parses | python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["plan"]["fixes"]==["enable-driver:msahci"] and j["findings_after"]==[] or all(f["severity"]!="error" for f in j["findings_after"]) else 1)' "$tmp/w7.img.virt-winfix-report.json"
key t
key Enter
wait Report saved
sh tui-fix: the text report is written | grep -q 'Diagnosis after the fix: 0 error' "$tmp/w7.img.virt-winfix-report.txt"
key u
wait Undo the fix?
key y
wait 180 Undone:
expect tui-fix: after the undo the cause is back | after the undo: 1 error
key Enter
wait Step 3 of 6
expect tui-fix: Enter shows the diagnosis after | Boot driver msahci
key q
exit tui-fix: helpdesk walk quits | 0
SCRIPT
t_status "tui-fix: diagnosis, apply, verification and undo in one appliance launch" 1 \
	"$(grep -c 'libguestfs: trace: launch$' "$tmp/state/virt-winfix/wizard.log" 2>/dev/null)"
"$WF" diagnose --json --target sata "$tmp/w7.img" >"$tmp/w7.after.json" 2>"$tmp/w7.after.err"
t_json "tui-fix: after fix + undo the image diagnoses as before" "$tmp/w7.after.json" \
	'[f["id"] for f in j["findings"] if f["severity"] == "error"] == ["boot-driver-disabled"]'
jr=$(ls "$tmp"/w7.img.virt-winfix/*/journal.json 2>/dev/null | head -1)
if [ -n "$jr" ]; then
	t_json "tui-fix: the journal says undone" "$jr" 'j["state"] == "undone"'
else
	t_fail "tui-fix: the journal says undone" "no journal in $tmp/w7.img.virt-winfix"
fi

# --- first migration: viostor + netkvm from a fake virtio-win ISO ------------------------
# (listed with xorriso in the background while the plan of the other fixes
# shows, kept open from the plan to the apply; netkvmco.dll
# padded to 40 MiB so that its copy sends libguestfs progress events)
fake=$(dirname "$0")/../data/virtio/fake-virtio-win.sh
if [ ! -x "$O/kit/mkpe" ]; then
	t_skip "tui-fix: migration" "no $O/kit/mkpe for the fake virtio-win tree (make test-build)"
elif ! command -v xorriso >/dev/null; then
	t_skip "tui-fix: migration" "no xorriso for the fake virtio-win ISO (make deps installs it)"
elif ! { BIG_MB=40 bash "$fake" "$tmp/vw" "$O/kit/mkpe" &&
	 xorriso -as mkisofs -quiet -J -R -V virtio-win -o "$tmp/vw.iso" "$tmp/vw/new"; } >"$tmp/vw.log" 2>&1; then
	t_fail "tui-fix: migration" "fake virtio-win ISO failed: $(tail -n 3 "$tmp/vw.log" | tr '\n' '|')"
else
LIBGUESTFS_TRACE=1 pty -r 24 -c 80 -- "$WFA" "$tmp/s19.qcow2" <<SCRIPT
wait 90 Windows Server 2019
expect tui-fix: migration: no virtio driver yet | VirtIO block (boot)
key Enter
wait 90 1 error
expect tui-fix: migration: viostor missing | No viostor driver service for the VirtIO block controller
key f
wait 60 nothing would change
expect tui-fix: an injection waits for a source | needs a virtio-win source
key v
type $tmp/vw.i
key Tab
settle
expect tui-fix: the source picker completes the path | $tmp/vw.iso
key Enter
wait 240 + [ControlSet001\\Services\\viostor]  (new key)
expect tui-fix: choosing a source selects the injection | [x] inject-virtio:viostor
expect tui-fix: the plan creates the service | + [ControlSet001\\Services\\viostor]  (new key)
key Down Space
wait 90 inject-virtio:netkvm
settle 300
expect tui-fix: netkvm selected too | [x] inject-virtio:netkvm
key Enter
wait Apply the fix?
key y
wait 240 of 41.9 MB
expect tui-fix: migration: the long copy shows its bytes (libguestfs progress events) | of 41.9 MB
wait 240 Applied and verified
expect tui-fix: migration: the boot error is gone | after:  0 errors
expect tui-fix: migration: both fixes applied | Fixes: inject-virtio:viostor, inject-virtio:netkvm
key q
exit tui-fix: migration walk quits | 0
SCRIPT
# (the wizard's log is written anew by each run)
t_status "tui-fix: migration: the ISO needs no appliance of its own (one launch in all)" 1 \
	"$(grep -c 'libguestfs: trace: launch$' "$tmp/state/virt-winfix/wizard.log" 2>/dev/null)"
"$WF" diagnose --json "$tmp/s19.qcow2" >"$tmp/s19.after.json" 2>/dev/null
t_json "tui-fix: migration: the image now has viostor at boot" "$tmp/s19.after.json" \
	'not [f for f in j["findings"] if f["severity"] == "error"]'
fi

# --- Esc at once after the confirmation: the apply stops before the read-write mount ---------
# (the appliance of the diagnosis is the one that applies: no launch between)
pty -r 24 -c 80 -- "$WFA" --target sata "$tmp/w7c.img" <<'SCRIPT'
wait 90 Windows 7 Professional
key Enter
wait 90 1 error
key f
wait 90 Plan: 2 changes
key Enter
wait Apply the fix?
key y
key Esc
wait 60 Cancelled: nothing was changed.
key Esc
wait 30 Step
key q
exit tui-fix: quits after a cancelled apply | 0
SCRIPT
t_status "tui-fix: a cancelled apply leaves the image's bytes" "$w7c_sha" "$(sha256sum "$tmp/w7c.img" | cut -d' ' -f1)"
