#!/usr/bin/env bash
# virt-winfix media: Windows-like install media made by tests/kit/mkmedia.sh
# (boot.wim with the real WinPE SYSTEM hive, install.wim with a real
# Windows 7 hive, an XP-like I386 medium), drivers from a fake virtio-win.
# Checked with the peer tools: wimlib-imagex reads every image back, hivexget
# shows the services, xorriso reports the same boot records, mtools reads
# the F6 floppy, and diff shows TXTSETUP.SIF changed only by added lines.
# No appliance is launched.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d /tmp/wf-media.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for t in xorriso wimlib-imagex mdir hivexget; do
	if ! command -v $t >/dev/null; then
		t_skip "media" "$t is not installed (make deps installs it)"; exit 0
	fi
done
export TMPDIR=$tmp
O=$O FIXTURES=$FIXTURES bash "$(dirname "$0")/../kit/mkmedia.sh" "$tmp/m" >"$tmp/mk.log" 2>&1 ||
	{ t_fail "mkmedia" "$(tail -3 "$tmp/mk.log")"; exit 0; }
bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vw" "$O/kit/mkpe"
vw=$tmp/vw/new
sum() { sha256sum "$1" | cut -d' ' -f1; }
v0=$(sum "$tmp/m/vista.iso") x0=$(sum "$tmp/m/xp.iso")
# boot records without the block addresses, which move
boot() { xorriso -indev "$1" -report_el_torito plain -report_system_area plain 2>/dev/null |
	 sed -E 's/ +[0-9]+$//; /catalog  :/d'; }

# --- Vista and later -------------------------------------------------------------------
$WF media "$tmp/m/vista.iso" --virtio-win "$vw" --drivers viostor --dry-run >"$tmp/dry.out" 2>"$tmp/dry.err"
t_status "media --dry-run: exit 0" 0 $?
t_grep "dry run: the plan names each image and its Windows" 'image 2 "Microsoft Windows Setup \(x64\)": Windows 10' "$tmp/dry.out"
t_grep "dry run: install.wim's Windows 7 from its own hives" 'image 1 "Windows 10 Pro": Windows 7' "$tmp/dry.out"
t_grep "dry run: the boot driver registered" 'ControlSet001\\Services\\viostor' "$tmp/dry.out"
t_grep "dry run: compression and integrity said" 'LZX compression, integrity table' "$tmp/dry.out"
t_check "dry run writes nothing" test ! -e "$tmp/new.iso"

$WF media "$tmp/m/vista.iso" --virtio-win "$vw" --drivers viostor,vioscsi -o "$tmp/bad.iso" --yes \
	>"$tmp/bad.out" 2>"$tmp/bad.err"
t_status "vioscsi with no build for Windows 7 x64: refused, exit 2" 2 $?
t_grep "the refusal names the image and why" 'install.wim.*vioscsi.*(i386|machine)' "$tmp/bad.err"
t_check "refused: no ISO written" test ! -e "$tmp/bad.iso"

$WF media "$tmp/m/vista.iso" --virtio-win "$vw" --drivers viostor -o "$tmp/new.iso" --yes \
	>"$tmp/new.out" 2>"$tmp/new.err"
t_status "media vista: exit 0" 0 $?
t_grep "progress: wimlib's bytes" '100% of' "$tmp/new.err"
t_check "the source ISO is unchanged" test "$(sum "$tmp/m/vista.iso")" = "$v0"
mkdir -p "$tmp/x"
xorriso -osirrox on -indev "$tmp/new.iso" -extract /sources/boot.wim "$tmp/x/boot.wim" \
	-extract /sources/install.wim "$tmp/x/install.wim" >/dev/null 2>&1
t_check "boot.wim: wimlib verifies it" bash -c "wimlib-imagex verify '$tmp/x/boot.wim' >/dev/null 2>&1"
wimlib-imagex info "$tmp/x/boot.wim" >"$tmp/binfo"
t_grep "boot.wim: still 2 images" 'Image Count: +2' "$tmp/binfo"
t_grep "boot.wim: still LZX" 'Compression: +LZX' "$tmp/binfo"
t_grep "boot.wim: integrity table kept" 'Integrity info' "$tmp/binfo"
wimlib-imagex info "$tmp/x/install.wim" >"$tmp/iinfo"
t_grep "install.wim: still XPRESS, no integrity table added" 'Compression: +XPRESS' "$tmp/iinfo"
t_nogrep "install.wim: no integrity table added" 'Integrity info' "$tmp/iinfo"
for spec in boot.wim:1 boot.wim:2 install.wim:1; do
	w=${spec%:*} i=${spec#*:} d=$tmp/x/$w-$i
	wimlib-imagex extract "$tmp/x/$w" "$i" /Windows/System32/config/SYSTEM --dest-dir="$d" >/dev/null
	t_check "$w image $i: viostor is a boot-start service (Start 0)" \
		test "$(hivexget "$d/SYSTEM" 'ControlSet001\Services\viostor' Start 2>/dev/null)" = 0
	wimlib-imagex dir "$tmp/x/$w" "$i" >"$d.dir"
	t_grep "$w image $i: the driver file is in the image" '^/Windows/System32/drivers/viostor.sys$' "$d.dir"
	t_nogrep "$w image $i: the fix's own backups stay out" '^/virt-winfix/backup' "$d.dir"
done
hivexget "$tmp/x/boot.wim-1/SYSTEM" 'DriverDatabase\DeviceIds\PCI\VEN_1AF4&DEV_1001' 'viostor.inf' >/dev/null 2>&1
t_status "boot.wim (10): DriverDatabase binds the virtio-blk id" 0 $?
hivexget "$tmp/x/install.wim-1/SYSTEM" 'ControlSet001\Control\CriticalDeviceDatabase\pci#ven_1af4&dev_1001&subsys_00021af4&rev_00' Service \
	>"$tmp/cdd" 2>&1
t_grep "install.wim (7): CriticalDeviceDatabase binds the virtio-blk id" '^viostor$' "$tmp/cdd"
t_check "vista: the same boot records (BIOS + UEFI)" test "$(boot "$tmp/m/vista.iso")" = "$(boot "$tmp/new.iso")"
t_check "vista: the same volume id" test "$(xorriso -indev "$tmp/new.iso" -pvd_info 2>/dev/null | grep 'Volume Id')" = \
	"$(xorriso -indev "$tmp/m/vista.iso" -pvd_info 2>/dev/null | grep 'Volume Id')"
$WF media "$tmp/m/vista.iso" --virtio-win "$vw" -o "$tmp/new.iso" --yes >/dev/null 2>"$tmp/exists.err"
t_status "an existing output is refused" 2 $?

# --- XP text-mode setup ----------------------------------------------------------------
$WF media "$tmp/m/xp.iso" --virtio-win "$vw" --drivers viostor,netkvm -o "$tmp/xp.iso" \
	--floppy "$tmp/f6.img" --yes >"$tmp/xp.out" 2>"$tmp/xp.err"
t_status "media xp: exit 0" 0 $?
t_grep "xp: the tag file says which Windows" 'Windows XP Professional \(i386\)' "$tmp/xp.out"
t_grep "xp: netkvm is not a text-mode driver, and says so" 'netkvm: not a mass-storage driver' "$tmp/xp.out"
t_check "xp: the source ISO is unchanged" test "$(sum "$tmp/m/xp.iso")" = "$x0"
xorriso -osirrox on -indev "$tmp/xp.iso" -extract /I386 "$tmp/xi" >/dev/null 2>&1
diff "$tmp/m/xp/I386/TXTSETUP.SIF" "$tmp/xi/TXTSETUP.SIF" >"$tmp/sif.diff"
t_check "TXTSETUP.SIF: only lines added (diff has no '<' line)" bash -c "! grep -q '^<' '$tmp/sif.diff'"
t_grep "TXTSETUP.SIF: [SourceDisksFiles] boot driver line" '^> viostor.sys = 1,,,,,,4_,4,1,,,1,4' "$tmp/sif.diff"
t_grep "TXTSETUP.SIF: [HardwareIdsDatabase]" '^> PCI\\VEN_1AF4&DEV_1001 = "viostor"' "$tmp/sif.diff"
t_grep "TXTSETUP.SIF: [SCSI.Load]" '^> viostor = viostor.sys,4' "$tmp/sif.diff"
ids=$(grep -c '^> PCI\\VEN_1AF4' "$tmp/sif.diff")
t_check "TXTSETUP.SIF: one line per hardware id of the INF and 3 more, nothing else" \
	test "$(grep -c '^>' "$tmp/sif.diff")" = $((ids + 3)) -a "$ids" -ge 1
t_check "TXTSETUP.SIF: CRLF kept on the new lines" bash -c "grep -a 'viostor = viostor.sys,4' '$tmp/xi/TXTSETUP.SIF' | grep -q \$'\\r'"
diff "$tmp/m/xp/I386/DOSNET.INF" "$tmp/xi/DOSNET.INF" >"$tmp/dn.diff"
t_grep "DOSNET.INF: [Files] d1,viostor.sys" '^> d1,viostor.sys' "$tmp/dn.diff"
t_check "xp: the driver beside TXTSETUP.SIF" cmp "$tmp/xi/VIOSTOR.SYS" "$vw/viostor/xp/x86/viostor.sys"
t_check "xp: the same boot record" test "$(boot "$tmp/m/xp.iso")" = "$(boot "$tmp/xp.iso")"
mdir -i "$tmp/f6.img" :: >"$tmp/f6.dir" 2>&1
t_grep "floppy: mtools lists TXTSETUP.OEM" 'TXTSETUP +OEM' "$tmp/f6.dir"
t_check "floppy: 1.44 MB" test "$(stat -c %s "$tmp/f6.img")" = 1474560
mcopy -i "$tmp/f6.img" ::VIOSTOR.SYS "$tmp/f6.sys" 2>/dev/null
t_check "floppy: the driver byte for byte" cmp "$tmp/f6.sys" "$vw/viostor/xp/x86/viostor.sys"
mtype -i "$tmp/f6.img" ::TXTSETUP.OEM >"$tmp/oem" 2>/dev/null
t_grep "floppy: txtsetup.oem binds the id" 'id = "PCI\\VEN_1AF4&DEV_1001","viostor"' "$tmp/oem"

# --- refusals ----------------------------------------------------------------------------
mkdir -p "$tmp/plain/docs" && echo hi >"$tmp/plain/docs/a.txt"
xorriso -as mkisofs -quiet -J -R -o "$tmp/plain.iso" "$tmp/plain" 2>/dev/null
$WF media "$tmp/plain.iso" --virtio-win "$vw" -o "$tmp/p.iso" --yes >/dev/null 2>"$tmp/plain.err"
t_status "not install media: exit 2" 2 $?
t_grep "not install media: one line saying what is missing" 'not Windows install media' "$tmp/plain.err"
t_check "not install media: one line" test "$(wc -l <"$tmp/plain.err")" -le 2
$WF media "$tmp/m/vista.iso" --virtio-win "$vw" --floppy "$tmp/f.img" --yes >/dev/null 2>"$tmp/fl.err"
t_status "--floppy on Vista+ media: refused" 2 $?
