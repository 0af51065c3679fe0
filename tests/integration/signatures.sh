#!/usr/bin/env bash
# Driver signatures and virtio ids, end to end on copies of scenario images
# (seven appliance launches under TCG):
#   win10-viostor-nover (UEFI: the BCD store on the EFI system partition,
#   a second volume), a test-signed viostor build:
#     refused (exit 2), image byte-identical, no backup;
#     --test-signing: applied, the store on the ESP has testsigning 01;
#     diagnose: the store read back, test signing on is a warning naming
#       the test-signed viostor that depends on it;
#     undo: the store byte-identical to before;
#     --no-signature-check --dry-run: accepted, says the check was skipped
#   xp-ide, the XP viostor build (binds only DEV_1001):
#     q35 domain XML: refused before any write, naming the XML change;
#     the same with model='virtio-transitional': accepted (dry run)
# The ESP is read back with mtools (mcopy) and the store with the kit's
# hiveget: no appliance needed for the checks.
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail signatures "no $WF"; exit 1; }
for c in mcopy openssl osslsigncode; do
	command -v $c >/dev/null || { t_skip signatures "no $c (make deps)"; exit 0; }
done
tmp=$(mktemp -d /tmp/wf-sig.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
wf() { local n=$1; shift; "$WF" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; echo $? >"$tmp/$n.rc"; }
rc() { cat "$tmp/$1.rc"; }
HIVEGET=$O/kit/hiveget
TS='Objects\{6f3c2d1e-8b4a-11ee-9c4d-525400a1b2c3}\Elements\16000049'

[ -e "$IMAGES/win10-viostor-nover.img" ] && [ -e "$IMAGES/xp-ide.img" ] ||
	{ t_skip signatures "no scenario images (run kit/mkimages)"; exit 0; }
bash "$(dirname "$0")/../data/virtio/fake-virtio-win.sh" "$tmp/vw" "$O/kit/mkpe" ||
	{ t_fail signatures "fake virtio-win tree"; exit 1; }

# --- win10: a test-signed boot driver ----------------------------------------------
w10=$tmp/w10.img
cp --sparse=always "$IMAGES/win10-viostor-nover.img" "$w10"
bcd() { rm -f "$tmp/$1"; mcopy -n -i "$w10@@1M" ::/EFI/Microsoft/Boot/BCD "$tmp/$1"; }
bcd bcd0
t_check "the scenario's BCD store: test signing off" test "$("$HIVEGET" "$tmp/bcd0" "$TS" Element)" = ""
sha0=$(sha256sum "$w10" | cut -c1-64)

wf refuse fix "$w10" --fix inject-virtio:viostor --virtio-win "$tmp/vw/testsigned" --yes
t_status "test-signed viostor: refused (exit 2)" 2 "$(rc refuse)"
t_grep "refusal: says why" 'viostor.sys would not load at boot on Windows 10 .*test-signed .*only with test signing on, and it is off in the guest.s BCD store' "$tmp/refuse.err"
t_grep "refusal: says what to use instead" 'Use instead: a Microsoft-signed \(WHQL\) build .*--test-signing' "$tmp/refuse.err"
t_check "refusal: the image is byte-identical" test "$sha0" = "$(sha256sum "$w10" | cut -c1-64)"
t_check "refusal: no backup folder" test ! -e "$w10.virt-winfix"

wf ts fix "$w10" --fix inject-virtio:viostor --virtio-win "$tmp/vw/testsigned" --test-signing --yes
t_check "--test-signing: applied (exit 0 or 1)" test "$(rc ts)" -le 1
t_grep "--test-signing: the plan turns it on in the store on the ESP" 'BCD hive:' "$tmp/ts.out"
t_grep "--test-signing: says Secure Boot must be off" 'Secure Boot must be off' "$tmp/ts.out"
bcd bcd1
t_check "--test-signing: testsigning element 16000049 = 01 (REG_BINARY)" \
	test "$("$HIVEGET" "$tmp/bcd1" "$TS" Element)" = "3 01"

# the diagnosis reads the store on the ESP: the injected test-signed viostor
# loads only thanks to test signing, which is said (a warning naming it)
"$WF" diagnose --json "$w10" >"$tmp/diag.json" 2>"$tmp/diag.err"
t_json "diagnose after --test-signing: test-signing-on warning naming viostor, BCD evidence" "$tmp/diag.json" \
	'any(f["id"]=="test-signing-on" and f["severity"]=="warning" and "viostor" in f["title"] and any("BCD" in e["source"] for e in f["evidence"]) for f in j["findings"])'
t_json "diagnose after --test-signing: viostor's signature not an error" "$tmp/diag.json" \
	'not any(f["id"]=="boot-driver-signature" and f["severity"]!="info" for f in j["findings"])'

wf undo undo "$w10" --yes
t_status "undo: exit 0" 0 "$(rc undo)"
bcd bcd2
t_check "undo: the BCD store is byte-identical to before" cmp -s "$tmp/bcd0" "$tmp/bcd2"
t_check "undo: test signing off again" test "$("$HIVEGET" "$tmp/bcd2" "$TS" Element)" = ""

wf skip fix "$w10" --fix inject-virtio:viostor --virtio-win "$tmp/vw/testsigned" \
	--no-signature-check --dry-run
t_status "--no-signature-check: accepted (dry run)" 0 "$(rc skip)"
t_grep "--no-signature-check: says so" 'signature not checked \(--no-signature-check\)' "$tmp/skip.out"
t_nogrep "--no-signature-check: no BCD change" 'BCD hive:' "$tmp/skip.out"

# --- XP on q35: transitional ids ----------------------------------------------------
xp=$tmp/xp.img
cp --sparse=always "$IMAGES/xp-ide.img" "$xp"
dom() {	# dom FILE MACHINE DISK-ATTRS
	printf '%s\n' "<domain type='kvm'><name>xp</name><os><type arch='i686' machine='$2'>hvm</type></os>" \
		"<devices><disk type='file' device='disk'$3><source file='$xp'/><target dev='vda' bus='virtio'/>" \
		"<boot order='1'/></disk><interface type='network'><model type='e1000'/></interface>" \
		"</devices></domain>" >"$1"
}
dom "$tmp/q35.xml" pc-q35-8.2 ""
dom "$tmp/q35t.xml" pc-q35-8.2 " model='virtio-transitional'"
shaxp=$(sha256sum "$xp" | cut -c1-64)
wf q35 fix "$xp" --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --domain-xml "$tmp/q35.xml" --yes
t_status "XP on q35: refused (exit 2)" 2 "$(rc q35)"
t_grep "XP on q35: names the id and the build" 'presents its virtio-blk as PCI.VEN_1AF4&DEV_1042 \(q35 .*viostor/xp/x86/viostor.inf binds only the transitional id' "$tmp/q35.err"
t_grep "XP on q35: names the XML change" "model='virtio-transitional'.*<type machine='pc'>" "$tmp/q35.err"
t_check "XP on q35: the image is byte-identical" test "$shaxp" = "$(sha256sum "$xp" | cut -c1-64)"
wf q35t fix "$xp" --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --domain-xml "$tmp/q35t.xml" --dry-run
t_status "XP on q35 with virtio-transitional: accepted" 0 "$(rc q35t)"
t_grep "virtio-transitional: the plan says the id is bound" 'DEV_1001 \(model virtio-transitional\), which viostor/xp/x86/viostor.inf binds' "$tmp/q35t.out"
