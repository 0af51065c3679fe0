#!/usr/bin/env bash
# The wizard on Windows install media (tests/kit/mkmedia.sh's Vista-like
# ISO), in a pseudo-terminal: picking the ISO leads to "prepare this medium
# for KVM" instead of the repair steps; the virtio-win folder is typed, p
# shows the plan per image, w asks and writes the new ISO, which wimlib
# reads back with the driver in every boot.wim image.  No appliance.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui/lib.sh"
tui_need || exit 0
for t in xorriso wimlib-imagex hivexget; do
	command -v $t >/dev/null || { t_skip "tui-media" "no $t (make deps installs it)"; exit 0; }
done
tmp=$(mktemp -d /tmp/wf-tui-media.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state TMPDIR=$tmp
O=$O FIXTURES=$FIXTURES bash "$(dirname "$0")/../kit/mkmedia.sh" "$tmp/m" >/dev/null 2>&1 ||
	{ t_fail "tui-media: mkmedia" "could not build the media"; exit 0; }
bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vw" "$O/kit/mkpe"
cp "$tmp/m/vista.iso" "$tmp/Win10.iso"
pty -r 30 -c 100 -- "$WF" "$tmp/Win10.iso" <<SCRIPT
wait Prepare this install medium for KVM
expect tui-media: the medium is named | Medium: $tmp/Win10.iso
expect tui-media: the new ISO is proposed beside it | $tmp/Win10-kvm.iso
expect tui-media: viostor and vioscsi are chosen | [x] viostor
key w
wait p first
expect tui-media: no write before a plan | p first: the plan shows what will be written
key Enter
type $tmp/vw/new
key Enter
key Tab
key Right
key Space
settle
expect tui-media: vioscsi unticked (no Windows 7 x64 build) | [ ] vioscsi
key p
wait 60 image(s) to change
expect tui-media: the plan per boot.wim image | image 1 "Microsoft Windows PE (x64)": Windows 10
expect tui-media: every value it adds | "Start" = REG_DWORD 0x00000000 (0)
key /
type Windows Setup
key Enter
wait match at line
expect tui-media: the second boot.wim image | image 2 "Microsoft Windows Setup (x64)"
key /
type install.wim
key Enter
wait match at line
key /
type Windows 7
key Enter
wait match at line
expect tui-media: install.wim's Windows from its own hives | Windows 7
key w
wait Write the new ISO?
key y
wait 120 Written: $tmp/Win10-kvm.iso
sh tui-media: the new ISO exists | test -s $tmp/Win10-kvm.iso
sh tui-media: the source is untouched | cmp -s $tmp/Win10.iso $tmp/m/vista.iso
key q
exit tui-media: quits 0 (nothing pending) | 0
SCRIPT
xorriso -osirrox on -indev "$tmp/Win10-kvm.iso" -extract /sources/boot.wim "$tmp/boot.wim" >/dev/null 2>&1
wimlib-imagex extract "$tmp/boot.wim" 2 /Windows/System32/config/SYSTEM --dest-dir="$tmp/x" >/dev/null 2>&1
t_check "tui-media: boot.wim image 2 has viostor at boot start" \
	test "$(hivexget "$tmp/x/SYSTEM" 'ControlSet001\Services\viostor' Start 2>/dev/null)" = 0
