#!/usr/bin/env bash
# fake-virtio-win.sh OUT MKPE - build fake virtio-win trees for the tests
# from the INF templates beside this script (@ARCH@ -> amd64|x86) and
# minimal PE .sys files written by the kit's mkpe:
#   OUT/new   the current layout <Driver>/<os>/<arch>/ (w10 w7 2k19 xp; the xp
#             viostor INF lists only DEV_1001, as the real ones),
#             netkvm's w10 INF in UTF-16LE with BOM as real ones often are;
#             vioscsi/w7/amd64 holds an i386 build (refused: wrong machine)
#   OUT/old   the old layout: XP/X86 (the XP build, OS 5.1) and WXP/X86
#             (a 2003 build, OS 5.2: refused on XP - seed 000's Code 39)
#   OUT/wxp   only WXP/X86: XP gets no netkvm, with the reason
#   OUT/testsigned  viostor/w10/amd64 and viostor/w7/amd64 signed with a
#             self-signed test certificate (refused at boot unless test
#             signing), viostor/2k19/amd64 unsigned, NetKVM/w10/amd64
#             test-signed (staged at first boot: a warning)
# Every .sys is signed (osslsigncode, SHA-1 + nested SHA-256) and every
# .cat is a PKCS#7-signed CTL listing its .sys (openssl cms), by a
# certificate chain made here that carries the names of Microsoft's WHQL
# chain (virt-winfix classifies by name: core/formats/authenticode.h), so
# that the trees look like the WHQL'd folders of a virtio-win ISO.
# OUT/signer/cert.pem is the certificate that signs the catalogs (the .der
# beside it is what a TrustedPublisher Blob must carry).
# BIG_MB=N pads NetKVM/2k19/amd64/netkvmco.dll with N MiB (a PE overlay, as
# signed files carry) so that copying it lasts long enough for libguestfs
# to send progress events.
set -eu
out=$1 mkpe=$2
data=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
certs=$out/.certs
mkdir -p "$certs"
# mkcert NAME CN [CA]: NAME.key, NAME.pem (self-signed without CA), NAME.chain
mkcert() {
	local name=$1 cn=$2 ca=${3:-}
	if [ -z "$ca" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$certs/$name.key" -out "$certs/$name.pem" \
			-days 3650 -subj "/CN=$cn" >/dev/null 2>&1
		cp "$certs/$name.pem" "$certs/$name.chain"
		return
	fi
	openssl req -new -newkey rsa:2048 -nodes -keyout "$certs/$name.key" -subj "/CN=$cn" \
		-out "$certs/$name.csr" >/dev/null 2>&1
	openssl x509 -req -in "$certs/$name.csr" -CA "$certs/$ca.pem" -CAkey "$certs/$ca.key" \
		-CAcreateserial -days 3650 -out "$certs/$name.pem" >/dev/null 2>&1
	cat "$certs/$name.pem" "$certs/$ca.pem" >"$certs/$name.chain"
}
mkcert msroot "Microsoft Root Certificate Authority 2010"
mkcert whql "Microsoft Windows Hardware Compatibility Publisher" msroot
mkcert test "Test Self Signed (virt-winfix)"
# signsys FILE CERT [unsigned]: SHA-1 signature with a nested SHA-256 one
signsys() {
	local f=$1 c=$2
	[ "${3:-}" = unsigned ] && return 0
	osslsigncode sign -certs "$certs/$c.chain" -key "$certs/$c.key" -h sha1 -in "$f" -out "$f.s1" >/dev/null
	osslsigncode sign -nest -certs "$certs/$c.chain" -key "$certs/$c.key" -h sha256 -in "$f.s1" \
		-out "$f.s2" >/dev/null
	mv "$f.s2" "$f"
	rm -f "$f.s1"
}
# signcat CAT SYS CERT: a CTL naming SYS's Authenticode SHA-1, signed
signcat() {
	local cat=$1 sys=$2 c=$3 h
	osslsigncode extract-data -h sha1 -in "$sys" -out "$cat.p7" >/dev/null
	h=$(openssl asn1parse -inform DER -in "$cat.p7" | awk -F: '/OCTET STRING/ { h = $NF } END { print h }')
	printf '%s\n' 'asn1=SEQUENCE:ctl' '[ctl]' 'u=SEQUENCE:usage' \
		'l=FORMAT:HEX,OCTETSTRING:0102030405060708' 't=UTCTIME:250101000000Z' \
		'a=SEQUENCE:alg' 's=SEQUENCE:subjects' '[usage]' 'o=OID:1.3.6.1.4.1.311.12.1.1' \
		'[alg]' 'o=OID:1.3.6.1.4.1.311.12.1.2' 'p=NULL' '[subjects]' 's1=SEQUENCE:m' '[m]' \
		"id=FORMAT:HEX,OCTETSTRING:$h" 'attrs=SET:none' '[none]' >"$cat.cnf"
	openssl asn1parse -genconf "$cat.cnf" -out "$cat.ctl" -noout
	openssl cms -sign -binary -nodetach -outform DER -econtent_type 1.3.6.1.4.1.311.10.1 \
		-in "$cat.ctl" -signer "$certs/$c.pem" -inkey "$certs/$c.key" -md sha256 -out "$cat" \
		$([ "$c" = whql ] && echo "-certfile $certs/msroot.pem")
	rm -f "$cat.p7" "$cat.cnf" "$cat.ctl"
}
mkdir -p "$out/signer"
cp "$certs/whql.pem" "$out/signer/cert.pem"
openssl x509 -in "$out/signer/cert.pem" -outform DER -out "$out/signer/cert.der"
# put DIR INF ARCHDECO MACHINE OS [utf16]
put() {
	local dir=$1 inf=$2 deco=$3 machine=$4 os=$5 enc=${6:-} cert=${CERT:-whql}
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
	signsys "$dir/$sys" "$cert" ${UNSIGNED:+unsigned}
	signcat "$dir/$base.cat" "$dir/$sys" "$cert"
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
# as the real XP/2003/2008 INFs: only the transitional id (DEV_1001)
sed -i '/DEV_1042/d' "$n/viostor/xp/x86/viostor.inf"
put "$n/NetKVM/xp/x86" netkvm.inf x86 i386 5.1
put "$n/viostor/w10/x86" viostor.inf x86 i386 10.0
if [ -n "${BIG_MB:-}" ]; then
	truncate -s "+${BIG_MB}M" "$n/NetKVM/2k19/amd64/netkvmco.dll"
fi
put "$out/old/XP/X86" netkvm.inf x86 i386 5.1
put "$out/old/WXP/X86" netkvm.inf x86 i386 5.2
put "$out/old/WXP/X86" viostor.inf x86 i386 5.2
put "$out/wxp/WXP/X86" netkvm.inf x86 i386 5.2
t=$out/testsigned
CERT=test put "$t/viostor/w10/amd64" viostor.inf amd64 amd64 10.0
CERT=test put "$t/viostor/w7/amd64" viostor.inf amd64 amd64 6.1
UNSIGNED=1 put "$t/viostor/2k19/amd64" viostor.inf amd64 amd64 10.0
CERT=test put "$t/NetKVM/w10/amd64" netkvm.inf amd64 amd64 10.0
