#!/usr/bin/env bash
# fake-virtio-win.sh OUT MKPE - build fake virtio-win trees for the tests
# from the INF templates beside this script (@ARCH@ -> amd64|x86) and
# minimal PE .sys files written by the kit's mkpe:
#   OUT/new   the current layout <Driver>/<os>/<arch>/ (w10 w7 2k19 xp),
#             netkvm's w10 INF in UTF-16LE with BOM as real ones often are;
#             vioscsi/w7/amd64 holds an i386 build (refused: wrong machine)
#   OUT/old   the old layout: XP/X86 (the XP build, OS 5.1) and WXP/X86
#             (a 2003 build, OS 5.2: refused on XP - seed 000's Code 39)
#   OUT/wxp   only WXP/X86: XP gets no netkvm, with the reason
# Every .cat is a PKCS#7 SignedData made with openssl by a self-made
# publisher certificate, OUT/signer/cert.pem (the .der beside it is what a
# TrustedPublisher Blob must carry).
# BIG_MB=N pads NetKVM/2k19/amd64/netkvmco.dll with N MiB (a PE overlay, as
# signed files carry) so that copying it lasts long enough for libguestfs
# to send progress events.
set -eu
out=$1 mkpe=$2
data=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
mkdir -p "$out/signer"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -keyout "$out/signer/key.pem" \
	-out "$out/signer/cert.pem" -subj "/O=Virt Winfix Test/CN=Virt Winfix Test Driver Publisher" \
	2>/dev/null
openssl x509 -in "$out/signer/cert.pem" -outform DER -out "$out/signer/cert.der"
# put DIR INF ARCHDECO MACHINE OS [utf16]
put() {
	local dir=$1 inf=$2 deco=$3 machine=$4 os=$5 enc=${6:-}
	local base=${inf%.inf} sys
	mkdir -p "$dir"
	sed "s/@ARCH@/$deco/g" "$data/$inf" | sed 's/$/\r/' >"$dir/$inf.tmp"
	if [ "$enc" = utf16 ]; then
		{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$dir/$inf.tmp"; } >"$dir/$inf"
		rm "$dir/$inf.tmp"
	else
		mv "$dir/$inf.tmp" "$dir/$inf"
	fi
	sys=$(sed -n 's/.*ServiceBinary *= *%12%\\\([^ ;]*\).*/\1/p' "$data/$inf" | head -n1)
	"$mkpe" --machine "$machine" --subsystem native --os "$os" --import ntoskrnl.exe \
		--import HAL.dll -o "$dir/$sys" >/dev/null
	printf 'fake catalog of %s\r\n' "$inf" >"$dir/$base.txt"
	openssl smime -sign -binary -nodetach -in "$dir/$base.txt" -signer "$out/signer/cert.pem" \
		-inkey "$out/signer/key.pem" -outform DER -out "$dir/$base.cat"
	rm "$dir/$base.txt"
	if [ "$inf" = netkvm.inf ]; then
		"$mkpe" --machine "$machine" --subsystem gui --dll --os "$os" --import KERNEL32.dll \
			-o "$dir/netkvmco.dll" >/dev/null
	fi
}
n=$out/new
for os in w10 2k19 w7; do
	v=10.0; [ $os = w7 ] && v=6.1
	put "$n/viostor/$os/amd64" viostor.inf amd64 amd64 $v
	put "$n/NetKVM/$os/amd64" netkvm.inf amd64 amd64 $v $([ $os = w10 ] && echo utf16)
	put "$n/Balloon/$os/amd64" balloon.inf amd64 amd64 $v
done
put "$n/vioscsi/w10/amd64" vioscsi.inf amd64 amd64 10.0
put "$n/vioscsi/2k19/amd64" vioscsi.inf amd64 amd64 10.0
put "$n/vioscsi/w7/amd64" vioscsi.inf amd64 i386 6.1
put "$n/viostor/xp/x86" viostor.inf x86 i386 5.1
put "$n/NetKVM/xp/x86" netkvm.inf x86 i386 5.1
put "$n/viostor/w10/x86" viostor.inf x86 i386 10.0
if [ -n "${BIG_MB:-}" ]; then
	truncate -s "+${BIG_MB}M" "$n/NetKVM/2k19/amd64/netkvmco.dll"
fi
put "$out/old/XP/X86" netkvm.inf x86 i386 5.1
put "$out/old/WXP/X86" netkvm.inf x86 i386 5.2
put "$out/old/WXP/X86" viostor.inf x86 i386 5.2
put "$out/wxp/WXP/X86" netkvm.inf x86 i386 5.2
