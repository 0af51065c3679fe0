#!/usr/bin/env bash
# mkmedia.sh OUT - Windows-like install media for the `media` tests:
#   OUT/vista.iso  sources/boot.wim (2 images: WinPE and Setup, LZX, with an
#                  integrity table) and sources/install.wim (1 image, XPRESS),
#                  bootable for BIOS (El Torito no-emulation boot/etfsboot.com)
#                  and UEFI (efi/microsoft/boot/efisys.bin, a FAT image), as
#                  Microsoft's media are laid out;
#   OUT/xp.iso     I386/TXTSETUP.SIF and DOSNET.INF (tests/data/media, written
#                  from their documented format), the WIN51IP tag file, a
#                  no-emulation boot image.
# The SYSTEM hive of the boot.wim images is the real WinPE/Setup hive
# $FIXTURES/hives/qthivex_SYSTEM and that of install.wim the real Windows 7
# SP1 x64 hive ShimCacheParser_win7sp1x64_SYSTEM (both cleanly saved) when
# ../shared/fixtures is there; else the kit's own Windows 10 and 7 hives
# (tests/scenarios/parts/*-system.reg).  SOFTWARE hives are the kit's (mkhive
# from the scenarios' .reg: Windows 10 for boot.wim, 7 for install.wim).
# Prints what it used.
set -eu
out=$1
: "${O:=build}" "${FIXTURES:=../shared/fixtures}"
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out"; mkdir -p "$out"
sc=$here/tests/scenarios
# kit_sys OUT win10|win7
kit_sys() { "$O/kit/mkhive" "$1" --root SYSTEM --reg "$sc/parts/$2-system.reg" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' >/dev/null; }

# tree DIR SYSTEM-HIVE SOFTWARE.reg: a Windows volume as far as the tests need it
tree() {
	local d=$1 sys=$2 sw_reg=$3
	mkdir -p "$d/Windows/System32/config" "$d/Windows/System32/drivers" "$d/Windows/INF"
	cp "$sys" "$d/Windows/System32/config/SYSTEM"
	"$O/kit/mkhive" "$d/Windows/System32/config/SOFTWARE" --root SOFTWARE --reg "$sw_reg" --prefix 'HKEY_LOCAL_MACHINE\SOFTWARE' >/dev/null
	"$O/kit/mkpe" --machine amd64 --os 10.0 -o "$d/Windows/System32/cmd.exe" >/dev/null
	printf 'in-box driver\r\n' >"$d/Windows/System32/drivers/disk.sys"
}

if [ -f "$FIXTURES/hives/qthivex_SYSTEM" ] && [ -f "$FIXTURES/hives/ShimCacheParser_win7sp1x64_SYSTEM" ]; then
	pe_sys=$FIXTURES/hives/qthivex_SYSTEM inst_sys=$FIXTURES/hives/ShimCacheParser_win7sp1x64_SYSTEM
	echo "mkmedia: real SYSTEM hives from $FIXTURES/hives"
else
	kit_sys "$out/kit-SYSTEM10" win10; kit_sys "$out/kit-SYSTEM7" win7
	pe_sys=$out/kit-SYSTEM10 inst_sys=$out/kit-SYSTEM7
	echo "mkmedia: no fixtures: the kit's own SYSTEM hives"
fi
v=$out/vista
mkdir -p "$v/sources" "$v/boot" "$v/efi/microsoft/boot"
tree "$out/pe" "$pe_sys" "$sc/win10-viostor-nover/software.reg"
tree "$out/inst" "$inst_sys" "$sc/win7-msahci-off/software.reg"
head -c 2048 /dev/urandom >"$v/boot/etfsboot.com"
mformat -C -f 1440 -v EFISECTOR -i "$v/efi/microsoft/boot/efisys.bin" ::
printf 'setup\r\n' >"$v/setup.exe"
wimlib-imagex capture "$out/pe" "$v/sources/boot.wim" "Microsoft Windows PE (x64)" --compress=LZX --check >/dev/null
wimlib-imagex append "$out/pe" "$v/sources/boot.wim" "Microsoft Windows Setup (x64)" --check >/dev/null
wimlib-imagex capture "$out/inst" "$v/sources/install.wim" "Windows 10 Pro" --compress=XPRESS >/dev/null
xorriso -as mkisofs -quiet -J -R -V CCCOMA_X64FRE_EN-US_DV9 \
	-b boot/etfsboot.com -no-emul-boot -boot-load-size 8 \
	-eltorito-alt-boot -e efi/microsoft/boot/efisys.bin -no-emul-boot \
	-o "$out/vista.iso" "$v" 2>/dev/null

x=$out/xp
mkdir -p "$x/I386"
cp "$here/tests/data/media/TXTSETUP.SIF" "$here/tests/data/media/DOSNET.INF" "$x/I386/"
printf '\r\n' >"$x/WIN51IP"; printf '\r\n' >"$x/WIN51"
head -c 2048 /dev/urandom >"$x/I386/BOOTSECT.BIN"
xorriso -as mkisofs -quiet -J -R -V WXPFPP_EN \
	-b I386/BOOTSECT.BIN -no-emul-boot -boot-load-size 4 -o "$out/xp.iso" "$x" 2>/dev/null
echo "mkmedia: $out/vista.iso $out/xp.iso"
