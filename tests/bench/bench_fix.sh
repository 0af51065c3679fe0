#!/usr/bin/env bash
# bench_fix.sh - inject viostor into the same unconverted Windows 10 image
# with virt-v2v-in-place (Debian's virt-v2v, which needs nbdkit) and with
# virt-winfix, from the same fake virtio-win tree; compare wall time and
# what each wrote to the registry.  The image is the win10-viostor-nover
# scenario turned back into a Windows 10 that never saw virt-v2v
# (data/unconvert-win10.reg removes viostor's service and the guestor.inf
# package; guestfish removes the .sys files), so neither tool finds the
# other's work.
#
# Needs: virt-v2v-in-place and nbdkit (installed here with apt-get when
# run as root and missing), the scenario image (kit/mkimages), $O/kit/mkpe.
# Prints "BENCH: ..." lines and a registry comparison.
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}"
WF=${WF:-./virt-winfix}
IMAGES=${IMAGES:-build/images}
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
src=$IMAGES/win10-viostor-nover.img
[ -e "$src" ] || { echo "SKIP: bench_fix: no $src (run $O/kit/mkimages)"; exit 0; }
if ! command -v virt-v2v-in-place >/dev/null || ! command -v nbdkit >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virt-v2v nbdkit \
			>/dev/null 2>&1 || { echo "SKIP: bench_fix: apt-get install virt-v2v nbdkit failed"; exit 0; }
	else
		echo "SKIP: bench_fix: needs virt-v2v-in-place and nbdkit (apt-get install virt-v2v nbdkit)"
		exit 0
	fi
fi
tmp=$(mktemp -d /tmp/wf-bench-fix.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
bash tests/data/virtio/fake-virtio-win.sh "$tmp/vw" "$O/kit/mkpe" || exit 1
# virt-v2v's firstboot needs rhsrvany.exe: a stand-in, as its own tests use
mkdir -p "$tmp/virt-tools"
printf 'This is a fake rhsrvany.exe for the benchmark.\n' >"$tmp/virt-tools/rhsrvany.exe"
# virt-v2v mounts the ESP on <systemroot>/Temp, which the scenario lacks:
# add it, then give both tools the same bytes
cp --sparse=always "$src" "$tmp/base.img"
# and a BCD store on the ESP (an empty hive: v2v opens it to edit the boot entry)
"$O/kit/mkhive" "$tmp/BCD" --root BCD >/dev/null 2>&1
guestfish -a "$tmp/base.img" run : mount /dev/sda2 / : mkdir-p /Windows/Temp \
	: rm-f /Windows/System32/drivers/viostor.sys : rm-rf /Windows/Drivers/VirtIO : umount-all \
	: mount /dev/sda1 / : mkdir-p /EFI/Microsoft/Boot : upload "$tmp/BCD" /EFI/Microsoft/Boot/BCD >/dev/null 2>&1
"$WF" fix "$tmp/base.img" --fix import-reg:tests/bench/data/unconvert-win10.reg --yes >"$tmp/unconvert.log" 2>&1 ||
	{ echo "SKIP: bench_fix: could not unconvert the image: $(tail -n 2 "$tmp/unconvert.log")"; exit 0; }
guestfish -a "$tmp/base.img" run : mount /dev/sda2 / : rm-rf /virt-winfix >/dev/null 2>&1
cp --sparse=always "$tmp/base.img" "$tmp/v2v.img"
cp --sparse=always "$tmp/base.img" "$tmp/wf.img"
src=$tmp/base.img

now() { date +%s.%N; }
t0=$(now)
VIRTIO_WIN=$tmp/vw/new VIRT_TOOLS_DATA_DIR=$tmp/virt-tools \
	virt-v2v-in-place -i disk "$tmp/v2v.img" >"$tmp/v2v.log" 2>&1
v2v_rc=$?
t1=$(now)
"$WF" fix "$tmp/wf.img" --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --yes --json \
	>"$tmp/wf.json" 2>"$tmp/wf.log"
wf_rc=$?
t2=$(now)
v2v_s=$(echo "$t1 - $t0" | bc)
wf_s=$(echo "$t2 - $t1" | bc)
echo "BENCH: virt-v2v-in-place inject viostor: ${v2v_s}s (exit $v2v_rc)"
echo "BENCH: virt-winfix fix inject-virtio:viostor: ${wf_s}s (exit $wf_rc, includes the diagnosis before and after)"
[ "$v2v_rc" = 0 ] || tail -n 5 "$tmp/v2v.log" | sed 's/^/  v2v: /'
echo "BENCH: wall time ratio virt-winfix / virt-v2v-in-place: $(echo "scale=2; $wf_s / $v2v_s" | bc)"

# --- what each wrote: export the SYSTEM/SOFTWARE hives, diff against the original
for i in orig:"$src" v2v:"$tmp/v2v.img" wf:"$tmp/wf.img"; do
	n=${i%%:*} f=${i#*:}
	guestfish --ro -a "$f" run : mount /dev/sda2 / \
		: download /Windows/System32/config/SYSTEM "$tmp/$n.SYSTEM" \
		: download /Windows/System32/config/SOFTWARE "$tmp/$n.SOFTWARE" \
		: find / >"$tmp/$n.files" 2>/dev/null
	for h in SYSTEM SOFTWARE; do
		hivexregedit --export --prefix "HKEY_LOCAL_MACHINE\\$h" "$tmp/$n.$h" '\' 2>/dev/null |
			iconv -f UTF-8 -t UTF-8 -c >"$tmp/$n.$h.reg" || true
	done
done
python3 - "$tmp" <<'PY'
import re, sys
tmp = sys.argv[1]
def load(n):
    keys, cur = {}, None
    for h in ("SYSTEM", "SOFTWARE"):
        text = open(f"{tmp}/{n}.{h}.reg", encoding="utf-8", errors="replace").read().replace("\\\n  ", "")
        for line in text.splitlines():
            if line.startswith("["):
                cur = line.strip("[]"); keys.setdefault(cur, {})
            elif cur and "=" in line:
                k, v = line.split("=", 1); keys[cur][k] = v
    return keys
o, v, w = load("orig"), load("v2v"), load("wf")
def changes(a):
    out = []
    for k, vals in a.items():
        if k not in o: out.append(("+key", k, "")); continue
        for n, val in vals.items():
            if o[k].get(n) != val: out.append(("~val" if n in o[k] else "+val", k, n))
    for k in o:
        if k not in a: out.append(("-key", k, ""))
    return out
cv, cw = changes(v), changes(w)
def interesting(c):
    return [x for x in c if re.search(r"viostor|guestor|DriverDatabase|CriticalDevice|DevicePath|firstboot|virt-winfix|CrashControl|Services\\\\rhelscsi", x[1] + x[2], re.I)]
print(f"BENCH: registry changes: virt-v2v-in-place {len(cv)} (keys+values), virt-winfix {len(cw)}")
for name, c in (("virt-v2v-in-place", cv), ("virt-winfix", cw)):
    print(f"  {name} wrote:")
    for kind, k, n in interesting(c)[:60]:
        print(f"    {kind} {k} {n}")
vs = {(k, n) for _, k, n in cv}; ws = {(k, n) for _, k, n in cw}
print("  only virt-v2v-in-place:", len(vs - ws), " only virt-winfix:", len(ws - vs), " both:", len(vs & ws))
def svc(a, s):
    for k, vals in a.items():
        if k.lower().endswith("controlset001\\services\\" + s): return vals
    return {}
for name, a in (("original", o), ("virt-v2v-in-place", v), ("virt-winfix", w)):
    s = svc(a, "viostor")
    print(f"  {name}: Services\\viostor Start={s.get(chr(34)+'Start'+chr(34))} ImagePath={s.get(chr(34)+'ImagePath'+chr(34))}")
    pk = [k.split("\\")[-1] for k in a if re.search(r"DriverPackages\\[^\\]*(guestor|viostor)[^\\]*$", k, re.I)]
    print(f"  {name}: DriverPackages for viostor: {pk}")
PY
for n in v2v wf; do
	echo "BENCH: files $n added: $(comm -13 <(sort "$tmp/orig.files") <(sort "$tmp/$n.files") | grep -vc '^$')"
	comm -13 <(sort "$tmp/orig.files") <(sort "$tmp/$n.files") | head -n 20 | sed "s/^/  $n + /"
done
# --- would each result boot on virtio-blk?  virt-winfix's diagnosis of both
for n in v2v wf; do
	"$WF" diagnose "$tmp/$n.img" --target virtio-blk --json >"$tmp/$n.diag.json" 2>/dev/null
	python3 - "$tmp/$n.diag.json" "$n" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
errs = [f["id"] + " " + (f.get("device") or "") for f in j["findings"] if f["severity"] == "error"]
print(f"BENCH: diagnosis of the {sys.argv[2]} result on virtio-blk: {len(errs)} error(s)" + (": " + "; ".join(errs) if errs else ""))
PY
done
