#!/usr/bin/env bash
# virt-winfix diagnose: hive-only mode on the scenario hives (built with the
# kit's mkhive from tests/scenarios, no appliance) and the real fixture
# hives, bad input and exit statuses, then three image runs (one appliance
# launch each, ~20 s under TCG): win7-msahci-off on SATA, the seed-001
# win10-viostor-nover image, xp-ide on SATA, win10 + a geometry-broken xp
# under SeaBIOS (one launch).  FULL=1 adds the healthy
# images on their real controllers (four more launches).
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail diagnose "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-diagnose.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
MKHIVE=$O/kit/mkhive
S=tests/scenarios

img() { local f; for f in "$IMAGES/$1.img" "$IMAGES/$1.qcow2"; do [ -e "$f" ] && { echo "$f"; return; }; done; echo "$IMAGES/$1.missing"; }

# dj NAME ARGS...: diagnose --json, keep output and status
dj() {
	local name=$1; shift
	"$WF" diagnose --json "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}
rc() { cat "$tmp/$1.rc"; }
ids() { python3 -c 'import json,sys; print(" ".join(f["id"]+"/"+f["severity"] for f in json.load(open(sys.argv[1]))["findings"]))' "$tmp/$1.json" 2>/dev/null; }

# --- usage and bad input: exit 2, one line -------------------------------------
"$WF" diagnose >/dev/null 2>"$tmp/e1"; t_status "diagnose no input: exit 2" 2 $?
"$WF" diagnose --target floppy --system-hive x >/dev/null 2>"$tmp/e2"; t_status "diagnose bad target: exit 2" 2 $?
t_grep "diagnose bad target: message" 'unknown controller "floppy"' "$tmp/e2"
"$WF" diagnose --system-hive /nonexistent >/dev/null 2>"$tmp/e3"; t_status "diagnose missing hive: exit 2" 2 $?
"$WF" diagnose --domain-xml tests/data/domain/bad-bus.xml --system-hive x >/dev/null 2>"$tmp/e4"
t_status "diagnose bad domain XML: exit 2" 2 $?
t_grep "diagnose bad domain XML: message" 'bad-bus.xml: disk bus "usb"' "$tmp/e4"
"$WF" diagnose --target sata --domain-xml x.xml y.img >/dev/null 2>&1; t_status "diagnose --target and --domain-xml: exit 2" 2 $?
"$WF" diagnose --help >"$tmp/help" 2>&1; t_status "diagnose --help: exit 0" 0 $?
if [ -e "$FIXTURES/hives/regipy_corrupted_system_hive" ]; then
	"$WF" diagnose --system-hive "$FIXTURES/hives/regipy_corrupted_system_hive" >/dev/null 2>"$tmp/e5"
	t_status "diagnose corrupt hive: exit 2" 2 $?
	t_grep "diagnose corrupt hive: names the file" 'regipy_corrupted_system_hive: damaged' "$tmp/e5"
fi

# --- hive-only mode on the scenario hives (no appliance) ----------------------
hive() {	# NAME PARTS.reg SCENARIO: SYSTEM + SOFTWARE of a scenario into $tmp/NAME.{sys,sw}
	"$MKHIVE" "$tmp/$1.sys" --root SYSTEM --reg "$S/parts/$2" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' \
		--reg "$S/$3/system.reg" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' >/dev/null 2>&1 &&
	"$MKHIVE" "$tmp/$1.sw" --root SOFTWARE --reg "$S/$3/software.reg" --prefix 'HKEY_LOCAL_MACHINE\SOFTWARE' >/dev/null 2>&1
}
if [ -x "$MKHIVE" ] && hive w7 win7-system.reg win7-msahci-off && hive w10 win10-system.reg win10-viostor-nover &&
   hive w11 win10-system.reg win11-vioscsi && hive s19 win10-system.reg srv2019-sata && hive xp xp-system.reg xp-ide; then
	dj h-w7-sata --system-hive "$tmp/w7.sys" --software-hive "$tmp/w7.sw" --target sata
	t_status "hive win7 --target sata: exit 1" 1 "$(rc h-w7-sata)"
	t_json "hive win7 --target sata: boot-driver-disabled msahci, enable-driver:msahci" "$tmp/h-w7-sata.json" \
		'any(f["id"]=="boot-driver-disabled" and f["device"]=="msahci" and "enable-driver:msahci" in f["fixes"] for f in j["findings"])'
	dj h-w10 --system-hive "$tmp/w10.sys" --software-hive "$tmp/w10.sw" --target virtio-blk \
		--log "$S/win10-viostor-nover/setupapi.dev.log"
	t_status "hive win10-viostor-nover: exit 1" 1 "$(rc h-w10)"
	t_json "hive win10-viostor-nover: one error, merged, ddb-version fix" "$tmp/h-w10.json" \
		'[f["id"] for f in j["findings"] if f["severity"]=="error"]==["driver-package-version-missing"] and "ddb-version:guestor.inf_tmp" in j["findings"][0]["fixes"] and any(e.get("first_line") for e in j["findings"][0]["evidence"])'
	for spec in "w7 ide,e1000" "w11 virtio-scsi,virtio-net" "s19 sata,e1000" "xp ide,rtl8139"; do
		set -- $spec
		dj "h-$1-ok" --system-hive "$tmp/$1.sys" --software-hive "$tmp/$1.sw" --target "$2"
		t_status "hive $1 on its real controller ($2): no error" 0 "$(rc "h-$1-ok")"
	done
	dj h-w7-dom --system-hive "$tmp/w7.sys" --software-hive "$tmp/w7.sw" --domain-xml tests/data/domain/virtio-blk.xml
	t_json "hive win7 --domain-xml virtio-blk.xml: viostor missing, netkvm missing" "$tmp/h-w7-dom.json" \
		'any(f["id"]=="boot-driver-missing" and f["device"]=="viostor" for f in j["findings"]) and any(f["id"]=="net-driver-missing" for f in j["findings"]) and any("domain XML" in n for n in j["notes"])'
	dj h-xp-sata --system-hive "$tmp/xp.sys" --target sata
	t_json "hive xp --target sata: controller-unsupported (version inferred)" "$tmp/h-xp-sata.json" \
		'any(f["id"]=="controller-unsupported" for f in j["findings"]) and any("inferred" in n for n in j["notes"])'
else
	t_skip "diagnose hive-only scenarios" "no $MKHIVE (make test-build)"
fi

# --- the real hives: no error for the controller each booted from --------------
for h in winevt-kb_SYSTEM bitcurator_SYSTEM ITSEC2022_SYSTEM regipy_SYSTEM_win7sp1x86 \
	 ShimCacheParser_win7sp1x64_SYSTEM regipy_SYSTEM_2 regipy_SYSTEM_B regipy_SYSTEM_WIN_10_1709; do
	f="$FIXTURES/hives/$h"
	if [ ! -e "$f" ]; then t_skip "diagnose real $h" "fixture absent"; continue; fi
	dj "r-$h" --system-hive "$f"
	t_status "diagnose real $h (booted controller): exit 0" 0 "$(rc "r-$h")"
	t_json "diagnose real $h: says what it inferred and judged" "$tmp/r-$h.json" \
		'any("inferred" in n for n in j["notes"]) and any("booted from" in n for n in j["notes"])'
	dj "v-$h" --system-hive "$f" --target virtio-blk
	t_json "diagnose real $h --target virtio-blk: boot-driver-missing viostor" "$tmp/v-$h.json" \
		'any(f["id"]=="boot-driver-missing" and "inject-virtio:viostor" in f["fixes"] for f in j["findings"]) and j["summary"]["error"]==1'
done

# --- images (one appliance launch each) -------------------------------------------
run_image() {	# NAME SCENARIO ARGS...
	local name=$1 s=$2; shift 2
	local i; i=$(img "$s")
	if [ ! -e "$i" ]; then t_skip "diagnose image $name" "no image $i (run kit/mkimages)"; return 1; fi
	dj "$name" "$i" "$@"
	return 0
}
if run_image i-w7 win7-msahci-off --target sata; then
	t_status "image win7-msahci-off --target sata: exit 1" 1 "$(rc i-w7)"
	t_json "image win7-msahci-off: boot-driver-disabled msahci with enable-driver:msahci" "$tmp/i-w7.json" \
		'[f["id"] for f in j["findings"] if f["severity"]=="error"]==["boot-driver-disabled"] and j["findings"][0]["device"]=="msahci" and j["findings"][0]["fixes"]==["enable-driver:msahci"]'
fi
if run_image i-w10 win10-viostor-nover; then
	t_status "image win10-viostor-nover: exit 1" 1 "$(rc i-w10)"
	t_json "image win10-viostor-nover: one merged finding (NULL driver + no Version), ddb-version fix" "$tmp/i-w10.json" \
		'[f["id"] for f in j["findings"] if f["severity"]=="error"]==["driver-package-version-missing"] and "ddb-version:guestor.inf_tmp" in j["findings"][0]["fixes"] and any("setupapi.dev.log" in e["source"] for e in j["findings"][0]["evidence"]) and not any(f["id"] in ("null-driver-installed","no-compatible-driver") for f in j["findings"])'
	t_json "image win10-viostor-nover: default targets said so" "$tmp/i-w10.json" \
		'any("assuming the VM presents virtio-blk + virtio-net" in n for n in j["notes"])'
	t_json "image win10-viostor-nover: GPT, firmware not given: firmware-mismatch info" "$tmp/i-w10.json" \
		'any(f["id"]=="firmware-mismatch" and f["severity"]=="info" for f in j["findings"])'
fi
if run_image i-xp xp-ide --target sata; then
	t_status "image xp-ide --target sata: exit 1" 1 "$(rc i-xp)"
	t_json "image xp-ide --target sata: no in-box AHCI driver" "$tmp/i-xp.json" \
		'any(f["id"]=="controller-unsupported" and f["severity"]=="error" and "AHCI" in f["title"] for f in j["findings"])'
	t_json "image xp-ide: its boot sector has QEMU's geometry" "$tmp/i-xp.json" \
		'not any(f["id"]=="ntfs-geometry-mismatch" for f in j["findings"])'
fi
# the boot disk against the VM's firmware, one launch for both disks: the
# GPT win10 image (ESP, no MBR boot code) under the SeaBIOS domain XML, and
# a copy of xp-ide whose NTFS boot sector says 240 heads (another BIOS)
if [ -e "$(img win10-viostor-nover)" ] && [ -e "$(img xp-ide)" ]; then
	cp --reflink=auto "$(img xp-ide)" "$tmp/xp-geo.img"
	printf '\360\000' | dd of="$tmp/xp-geo.img" bs=1 seek=$((2048 * 512 + 0x1a)) conv=notrunc status=none
	dj fw "$(img win10-viostor-nover)" "$tmp/xp-geo.img" --domain-xml tests/data/domain/bios-win10-gpt.xml
	t_json "image win10 GPT under BIOS: firmware-mismatch error with the ESP as evidence" "$tmp/fw.json" \
		'any(f["id"]=="firmware-mismatch" and f["severity"]=="error" and "EFI system partition: yes; MBR boot code: none" in f["evidence"][0]["text"] for f in j["findings"])'
	t_json "image xp with 240 heads: ntfs-geometry-mismatch names 16 heads, 63 sectors, 2048 hidden" "$tmp/fw.json" \
		'any(f["id"]=="ntfs-geometry-mismatch" and f["severity"]=="error" and "240 heads" in f["title"] and "(16 heads, 63 sectors/track, 2048 hidden" in f["title"] for f in j["findings"])'
	t_json "image xp (MBR) under BIOS: no firmware finding for it" "$tmp/fw.json" \
		'sum(1 for f in j["findings"] if f["id"]=="firmware-mismatch") == 1'
else
	t_skip "firmware and NTFS geometry" "images not built"
fi
# BitLocker: libblkid stops it before any appliance; the recovery-key
# warning comes with the error (exit 2)
if [ -e "$(img bitlocker)" ]; then
	dj bl "$(img bitlocker)" --domain-xml tests/data/domain/bios-win10-gpt.xml
	t_status "image bitlocker: exit 2" 2 "$(rc bl)"
	t_json "image bitlocker: bitlocker-tpm warning, no vTPM in the domain XML" "$tmp/bl.json" \
		'[f["id"]+"/"+f["severity"] for f in j["findings"]]==["bitlocker-tpm/warning"] and "no vTPM" in j["findings"][0]["title"] and "BitLocker" in j["error"]'
fi
# healthy images on the controller each really boots from: no error (the
# driver-file rules - PE machine, imports, OS version - need the image).
# XP and Windows 7 both boot from IDE: one VM with both disks, one launch.
if [ -e "$(img xp-ide)" ] && [ -e "$(img win7-msahci-off)" ]; then
	dj ok-ide "$(img xp-ide)" "$(img win7-msahci-off)" --target ide,rtl8139
	t_status "images xp-ide + win7-msahci-off on IDE: no error" 0 "$(rc ok-ide)"
	t_json "images xp-ide + win7-msahci-off: both Windows diagnosed" "$tmp/ok-ide.json" \
		'sum(1 for n in j["notes"] if n.startswith("Windows: ")) == 2'
else
	t_skip "healthy IDE images" "images not built"
fi
for spec in "win11-vioscsi virtio-scsi,virtio-net" "srv2019-sata sata,e1000"; do
	set -- $spec
	run_image "ok-$1" "$1" --target "$2" && t_status "image $1 on $2: no error" 0 "$(rc "ok-$1")"
done
