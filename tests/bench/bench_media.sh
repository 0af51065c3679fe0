#!/usr/bin/env bash
# tests/bench/bench_media.sh - `media` on WIM media against the peer tools
# doing the same WIM work in the same run (farm-bench pairs them):
#   A  virt-winfix media vista.iso --drivers viostor -o NEW.iso --yes
#      (copy boot.wim out, read each image's hives, plan, apply, wimlib
#      overwrite, read back, rebuild the ISO)
#   B  xorriso -extract boot.wim; wimupdate adding the same files to both
#      images; xorriso rebuilding the ISO with the boot records replayed
#      (the manual workflow, without the registry work, which has no peer)
# boot.wim is padded with BENCH_MB (default 256) MB of compressible data so
# the WIM's own I/O dominates, as with a real 300-600 MB boot.wim.
# Goal (issue 18): A/B <= 1.5.  Prints "PASS: bench-media ..." or FAIL.
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}" "${FIXTURES:=$(cd .. && pwd)/shared/fixtures}" "${BENCH_MB:=256}"
WF=$(pwd)/virt-winfix
for t in farm-bench wimupdate xorriso; do
	command -v $t >/dev/null || { echo "SKIP: bench-media: no $t"; exit 0; }
done
tmp=$(mktemp -d /var/tmp/wf-bench-media.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
O=$O FIXTURES=$FIXTURES bash tests/kit/mkmedia.sh "$tmp/m" >/dev/null 2>&1 || { echo "FAIL: bench-media: mkmedia"; exit 1; }
# pad the WinPE tree and rebuild the ISO around the bigger boot.wim
head -c $((BENCH_MB * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 >"$tmp/m/pe/Windows/System32/pad.dat"
rm "$tmp/m/vista/sources/boot.wim" "$tmp/m/vista.iso"
wimlib-imagex capture "$tmp/m/pe" "$tmp/m/vista/sources/boot.wim" "Microsoft Windows PE (x64)" --compress=LZX --check >/dev/null
wimlib-imagex append "$tmp/m/pe" "$tmp/m/vista/sources/boot.wim" "Microsoft Windows Setup (x64)" --check >/dev/null
rm "$tmp/m/vista/sources/install.wim"
xorriso -as mkisofs -quiet -J -R -V BENCH -b boot/etfsboot.com -no-emul-boot -boot-load-size 8 \
	-o "$tmp/m/vista.iso" "$tmp/m/vista" 2>/dev/null
bash tests/data/virtio/fake-virtio-win.sh "$tmp/vw" "$O/kit/mkpe"
# B's files: the same set media adds (driver, staged package, both hives, script)
s=$tmp/add
mkdir -p "$s/drv"
cp "$tmp/vw/new/viostor/w10/amd64/"* "$s/drv/"
cp "$tmp/m/pe/Windows/System32/config/SYSTEM" "$tmp/m/pe/Windows/System32/config/SOFTWARE" "$s/"
printf 'rem\r\n' >"$s/firstboot.cmd"
cat >"$s/cmds" <<CMDS
add $s/drv/viostor.sys /Windows/System32/drivers/viostor.sys
add $s/drv /virt-winfix/drivers/viostor
add $s/firstboot.cmd /virt-winfix/firstboot.cmd
add $s/SYSTEM /Windows/System32/config/SYSTEM
add $s/SOFTWARE /Windows/System32/config/SOFTWARE
CMDS
cat >"$tmp/peer.sh" <<PEER
set -e
rm -rf "$tmp/p" && mkdir "$tmp/p"
xorriso -osirrox on -indev "$tmp/m/vista.iso" -extract /sources/boot.wim "$tmp/p/boot.wim" >/dev/null 2>&1
wimupdate "$tmp/p/boot.wim" 1 <"$s/cmds" >/dev/null
wimupdate "$tmp/p/boot.wim" 2 <"$s/cmds" >/dev/null
xorriso -indev "$tmp/m/vista.iso" -outdev "$tmp/p/new.iso" -joliet on -compliance iso_9660_level=3 \
	-boot_image any replay -map "$tmp/p/boot.wim" /sources/boot.wim -commit >/dev/null 2>&1
PEER
cat >"$tmp/ours.sh" <<OURS
rm -f "$tmp/ours.iso"
exec "$WF" media "$tmp/m/vista.iso" --virtio-win "$tmp/vw/new" --drivers viostor -o "$tmp/ours.iso" --yes >/dev/null 2>&1
OURS
farm-bench -n ${BENCH_RUNS:-3} --timeout 900 --vs "bash $tmp/peer.sh" -- bash "$tmp/ours.sh" >"$tmp/fb.txt" 2>&1
cat "$tmp/fb.txt"
ratio=$(sed -n 's/.*ratio A\/B.*wall[^0-9]*\([0-9.]*\) *\([0-9.]*\).*/\2/p' "$tmp/fb.txt" | head -n1)
[ -n "$ratio" ] || ratio=$(grep -i 'wall' "$tmp/fb.txt" | grep -i 'A/B' | grep -Eo '[0-9]+\.[0-9]+' | sed -n 2p)
if [ -z "$ratio" ]; then echo "FAIL: bench-media: no ratio in farm-bench's report"; exit 1; fi
if awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }'; then
	echo "PASS: bench-media: media / (xorriso + wimupdate + xorriso) = ${ratio}x wall (goal <= 1.5)"
else
	echo "FAIL: bench-media: media / peer = ${ratio}x wall (goal <= 1.5)"; exit 1
fi
