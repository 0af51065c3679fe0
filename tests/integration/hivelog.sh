#!/usr/bin/env bash
# A SYSTEM hive Windows did not write back (scenario win10-dirty-system:
# the v2v changes only in SYSTEM.LOG1/.LOG2), end to end on a copy of the
# image, four appliance launches (and, first, diagnose --system-hive on the
# real SYSTEM_B with its real logs, no appliance):
#   diagnose: the notes say the logs were replayed; the finding that only
#     the logged changes cause (driver-package-version-missing) is there
#   fix ddb-version:guestor.inf_tmp: the plan says the logs will be
#     emptied; applied; the finding gone; the journal keeps both logs,
#     emptied (their "after" hash is that of no bytes)
#   undo: SYSTEM, SYSTEM.LOG1 and SYSTEM.LOG2 byte-identical to the
#     original image's (one guestfish launch reads both images)
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail hivelog "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-hivelog.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# --- diagnose --system-hive on the real Windows 10 SYSTEM_B and its logs (no appliance)
fx=$FIXTURES/hives/regipy_SYSTEM_B
if [ -e "$fx.LOG1" ] && [ -e "$fx.LOG2" ]; then
	"$WF" diagnose --system-hive "$fx" --json >"$tmp/b1.out" 2>/dev/null
	t_json "diagnose --system-hive: the logs beside it replayed (315 pages)" "$tmp/b1.out" \
		'any("replayed 315 dirty pages" in n and "regipy_SYSTEM_B.LOG1 and regipy_SYSTEM_B.LOG2" in n for n in j["notes"])'
	mkdir -p "$tmp/h" "$tmp/l"
	cp "$fx" "$tmp/h/SYSTEM" && cp "$fx.LOG1" "$tmp/l/one" && cp "$fx.LOG2" "$tmp/l/two"
	"$WF" diagnose --system-hive "$tmp/h/SYSTEM" --json >"$tmp/b2.out" 2>/dev/null
	t_json "diagnose --system-hive without logs: may be stale, which facts" "$tmp/b2.out" \
		'any("may be stale" in n and "SYSTEM.LOG1: absent" in n and "Start values" in n for n in j["notes"])'
	"$WF" diagnose --system-hive "$tmp/h/SYSTEM" --log1 "$tmp/l/one" --log2 "$tmp/l/two" --json >"$tmp/b3.out" 2>/dev/null
	t_json "diagnose --log1/--log2: the named logs replayed" "$tmp/b3.out" \
		'any("replayed 315 dirty pages" in n and "one and two" in n for n in j["notes"])'
	"$WF" diagnose x.img --log1 "$tmp/l/one" >/dev/null 2>"$tmp/b4.err"
	t_status "diagnose --log1 without --system-hive: exit 2" 2 $?
else
	t_skip "diagnose --system-hive with logs" "fixture regipy_SYSTEM_B.LOG1/.LOG2 absent"
fi

src=$IMAGES/win10-dirty-system.img
[ -e "$src" ] || { t_skip hivelog "no scenario image win10-dirty-system (run kit/mkimages)"; exit 0; }
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
img=$tmp/w10dirty.img
cp --sparse=always "$src" "$img"
wf() { local n=$1; shift; "$WF" "$@" >"$tmp/$n.out" 2>"$tmp/$n.err"; echo $? >"$tmp/$n.rc"; }
rc() { cat "$tmp/$1.rc"; }

# --- diagnose -----------------------------------------------------------------------
wf diag diagnose "$img" --json
t_status "diagnose dirty SYSTEM: exit 1 (error findings)" 1 "$(rc diag)"
t_json "diagnose dirty SYSTEM: note names the replayed pages and both logs" "$tmp/diag.out" \
	'any("SYSTEM was not cleanly saved" in n and "dirty pages" in n and "from SYSTEM.LOG1 and SYSTEM.LOG2" in n for n in j["notes"])'
t_json "diagnose dirty SYSTEM: the logged change is seen (DriverDatabase package without Version)" \
	"$tmp/diag.out" 'any(f["id"]=="driver-package-version-missing" for f in j["findings"])'

# --- fix ------------------------------------------------------------------------------
wf fix fix "$img" --fix ddb-version:guestor.inf_tmp --yes --json
t_status "fix dirty SYSTEM: exit 0" 0 "$(rc fix)"
t_json "fix dirty SYSTEM: the plan says the logs are replayed, then emptied" "$tmp/fix.out" \
	'any("replayed" in n and "emptied" in n for n in j["plan"]["notes"])'
t_json "fix dirty SYSTEM: applied, the finding gone" "$tmp/fix.out" \
	'j["applied"] and not any(f["id"]=="driver-package-version-missing" for f in j["findings_after"])'
journal=$(ls "$img".virt-winfix/*/journal.json 2>/dev/null | head -1)
empty=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
if [ -n "$journal" ]; then
	t_json "fix dirty SYSTEM: journal keeps both logs, emptied" "$journal" \
		'sorted(f["path"].rsplit("/",1)[1] for f in j["files"] if f["existed"] and f["sha256_after"]=="'$empty'" and f["sha256_before"]!="'$empty'")==["SYSTEM.LOG1","SYSTEM.LOG2"]'
else
	t_fail "fix dirty SYSTEM: journal" "no journal.json beside $img"
fi

# --- undo -----------------------------------------------------------------------------
wf undo undo "$img" --yes
t_status "undo dirty SYSTEM: exit 0" 0 "$(rc undo)"
mkdir -p "$tmp/a" "$tmp/b"
cfg=/Windows/System32/config
guestfish --ro -a "$src" -a "$img" >"$tmp/gf.out" 2>&1 <<GF
run
mount-ro /dev/sda2 /
download $cfg/SYSTEM $tmp/a/SYSTEM
download $cfg/SYSTEM.LOG1 $tmp/a/SYSTEM.LOG1
download $cfg/SYSTEM.LOG2 $tmp/a/SYSTEM.LOG2
umount /
mount-ro /dev/sdb2 /
download $cfg/SYSTEM $tmp/b/SYSTEM
download $cfg/SYSTEM.LOG1 $tmp/b/SYSTEM.LOG1
download $cfg/SYSTEM.LOG2 $tmp/b/SYSTEM.LOG2
GF
for f in SYSTEM SYSTEM.LOG1 SYSTEM.LOG2; do
	t_check "undo dirty SYSTEM: $f byte-identical to the original image's" \
		cmp -s "$tmp/a/$f" "$tmp/b/$f"
done
t_check "undo dirty SYSTEM: the logs are not empty again" test -s "$tmp/b/SYSTEM.LOG1" -a -s "$tmp/b/SYSTEM.LOG2"
