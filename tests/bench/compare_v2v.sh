#!/usr/bin/env bash
# compare_v2v.sh - side by side: what `virt-winfix fix --fix
# inject-virtio:viostor` and `virt-v2v-in-place` write into the same
# scenario image with the same fake virtio-win tree
# (tests/data/virtio/fake-virtio-win.sh, given to virt-v2v as VIRTIO_WIN).
# For XP (xp-ide), 7 (win7-msahci-off), 10 (win10-viostor-nover, turned
# back into a Windows 10 that never saw virt-v2v as bench_fix.sh does) and
# Server 2019 (srv2019-sata).
#
# Each image is copied, prepared once (virt-v2v mounts the ESP on
# <systemroot>/Temp and opens EFI/Microsoft/Boot/BCD on UEFI guests: the
# folder, and an empty BCD where the scenario has none), then copied again
# for each tool so that both start from the same bytes.  Afterwards SYSTEM
# and SOFTWARE of the three disks are exported with hivexregedit --export
# and compared on the keys that matter (Services\viostor, other services
# added, CriticalDeviceDatabase, DriverDatabase, first-boot machinery,
# TrustedPublisher, DevicePath), and the files of the Windows volume by
# MD5 (guestfish checksums-out): under the system root, and elsewhere
# (virt-winfix stages in C:\virt-winfix, virt-v2v's firstboot lives in
# C:\Program Files\Guestfs).  virt-v2v installs every driver of the
# tree it finds for the guest; virt-winfix only viostor (as asked).
#
# Prints one table (one row per OS and tool); details (changed keys, file
# lists, both tools' logs) go to $OUT (default build/compare_v2v).
# ONLY="xp win7" limits the OSes; REPORT_ONLY=DIR prints the table again
# from the details a run kept in DIR (no launch).  Needs virt-v2v-in-place, nbdkit,
# hivexregedit, guestfish, python3, the scenario images and $O/kit/mkpe.
# About 4-6 appliance launches per OS (~10 min for all four under TCG).
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}"
WF=${WF:-./virt-winfix}
IMAGES=${IMAGES:-build/images}
OUT=${OUT:-$O/compare_v2v}
ONLY=${ONLY:-xp win7 win10 srv2019}
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
for t in virt-v2v-in-place nbdkit hivexregedit guestfish python3; do
	command -v "$t" >/dev/null || { echo "SKIP: compare_v2v: needs $t"; exit 0; }
done
[ -x "$O/kit/mkpe" ] && [ -x "$WF" ] || { echo "SKIP: compare_v2v: build first (make test-build)"; exit 0; }

# name | image | format | Windows partition | SYSTEM hive | SOFTWARE hive | BCD on the ESP
rows=(
	"xp|xp-ide.img|raw|1|WINDOWS/system32/config/system|WINDOWS/system32/config/software|-"
	"win7|win7-msahci-off.img|raw|2|Windows/System32/config/SYSTEM|Windows/System32/config/SOFTWARE|-"
	"win10|win10-viostor-nover.img|raw|2|Windows/System32/config/SYSTEM|Windows/System32/config/SOFTWARE|keep"
	"srv2019|srv2019-sata.qcow2|qcow2|3|Windows/System32/config/SYSTEM|Windows/System32/config/SOFTWARE|add"
)

sysroots=
for row in "${rows[@]}"; do IFS='|' read -r n _ _ _ sys _ _ <<<"$row"; sysroots="$sysroots $n=${sys%%/*}"; done
table() {	# DIR: the per-OS folders (exports, sums, rc, status)
	python3 - "$1" "$OUT" "$sysroots" $ONLY <<'PY'
import os, re, sys
tmp, out = sys.argv[1], sys.argv[2]
sysroot = dict(x.split("=") for x in sys.argv[3].split())
names = sys.argv[4:]

def load_reg(d, t):
    keys, cur = {}, None
    for h in ("SYSTEM", "SOFTWARE"):
        p = f"{d}/{t}.{h}.reg"
        if not os.path.exists(p):
            return None
        text = open(p, encoding="utf-8", errors="replace").read().replace("\\\n  ", "")
        for line in text.splitlines():
            if line.startswith("["):
                cur = line.strip("[]").lower(); keys.setdefault(cur, {})
            elif cur is not None and "=" in line:
                k, v = line.split("=", 1); keys[cur][k.lower()] = v
    return keys

def changes(o, a):
    res = []
    for k, vals in a.items():
        if k not in o:
            res.append(("+key", k, "")); continue
        for n, val in vals.items():
            if o[k].get(n) != val:
                res.append(("~val" if n in o[k] else "+val", k, n))
        for n in o[k]:
            if n not in vals:
                res.append(("-val", k, n))
    for k in o:
        if k not in a:
            res.append(("-key", k, ""))
    return res

CATS = [  # column, what it matches in "key value"
    ("viostor", r"\\controlset\d+\\services\\viostor(\\|$)"),
    ("CDD", r"criticaldevicedatabase"),
    ("DDB", r"\\driverdatabase\\"),
    ("firstboot", r"runonce|\\services\\(rhsrvany|virt-winfix|firstboot)|guestfs|firstboot"),
    ("TrustPub", r"systemcertificates\\trustedpublisher"),
    ("DevicePath", r"currentversion \"devicepath\""),
]

def services_added(o, a):
    s = set()
    for k in a:
        m = re.match(r"hkey_local_machine\\system\\controlset001\\services\\([^\\]+)$", k)
        if m and k not in o:
            s.add(m.group(1))
    return sorted(s)

def svc(a, name):
    return a.get(f"hkey_local_machine\\system\\controlset001\\services\\{name}", None)

def sums(d, t):
    p = f"{d}/{t}.sums"
    r = {}
    if os.path.exists(p):
        for line in open(p, encoding="utf-8", errors="replace"):
            if "  " in line:
                h, f = line.rstrip("\n").split("  ", 1); r[f.lower()] = (h, f)
    return r

def short(v):
    v = v or "-"
    m = re.match(r"hex\((1|2)\):(.*)", v)
    if m:   # REG_SZ / REG_EXPAND_SZ as hex: UTF-16LE
        try:
            v = bytes(int(x, 16) for x in m.group(2).split(",") if x).decode("utf-16-le").rstrip("\0")
        except ValueError:
            pass
    m = re.match(r"dword:([0-9a-f]{8})", v)
    if m:
        v = str(int(m.group(1), 16))
    return v.replace('"', "")[:40]

hdr = (f"{'OS':8}{'tool':9}{'exit':>4}{'secs':>5}  {'viostor Start/Group':24}{'vio':>4}{'svc+':>5}{'CDD':>5}{'DDB':>5}"
       f"{'1stbt':>6}{'TrPub':>6}{'DvPth':>6}{'other':>6}{'win+':>5}{'win~':>5}{'else+':>6}  notes")
print(hdr)
print("-" * len(hdr))
for n in names:
    d = f"{tmp}/{n}"
    od = f"{out}/{n}"
    os.makedirs(od, exist_ok=True)
    status = open(f"{d}/status").read().strip() if os.path.exists(f"{d}/status") else ""
    rc = dict(x.split("=") for x in open(f"{d}/rc").read().split()) if os.path.exists(f"{d}/rc") else {}
    o = load_reg(d, "orig")
    if o is None:
        print(f"{n:8}{'-':10}  not compared: {status or 'no export'}")
        continue
    fo = sums(d, "orig")
    for t, tool in (("v2v", "virt-v2v"), ("wf", "winfix")):
        a = load_reg(d, t)
        if a is None:
            print(f"{n:8}{tool:10}  no export"); continue
        ch = changes(o, a)
        cnt = {}
        with open(f"{od}/{t}.changes.txt", "w") as fh:
            for kind, k, v in ch:
                fh.write(f"{kind} {k} {v}\n")
                hit = [col for col, rx in CATS if re.search(rx, f"{k} {v}".strip(), re.I)]
                for col in hit or ["other"]:
                    cnt[col] = cnt.get(col, 0) + 1
        s = svc(a, "viostor")
        vs = "-" if s is None else f"{short(s.get(chr(34)+'start'+chr(34)))}/{short(s.get(chr(34)+'group'+chr(34)))}"
        added = services_added(o, a)
        fa = sums(d, t)
        root = "./" + sysroot.get(n, "windows").lower() + "/"
        fadd = [fa[f][1] for f in fa if f not in fo]
        fchg = [fa[f][1] for f in fa if f in fo and fa[f][0] != fo[f][0]]
        wadd = [f for f in fadd if f.lower().startswith(root)]
        wchg = [f for f in fchg if f.lower().startswith(root)]
        eadd = [f for f in fadd if not f.lower().startswith(root)]
        with open(f"{od}/{t}.files.txt", "w") as fh:
            for f in sorted(fadd): fh.write(f"+ {f}\n")
            for f in sorted(fchg): fh.write(f"~ {f}\n")
            for f in sorted(set(fo) - set(fa)): fh.write(f"- {fo[f][1]}\n")
        ex = rc.get(f"{t}_rc", "?"); secs = rc.get(f"{t}_s", "?")
        note = ""
        log = f"{d}/{t}.log"
        if ex not in ("0", "?") and os.path.exists(log):
            errs = [l.strip() for l in open(log, errors="replace") if re.search(r"error|refus|not supported", l, re.I)]
            note = (errs[-1] if errs else open(log, errors="replace").read().strip().splitlines()[-1])[:110]
        elif added:
            note = "services added: " + ",".join(added)
        print(f"{n:8}{tool:9}{ex:>4}{secs:>5}  {vs:24}{cnt.get('viostor',0):>4}{len(added):>5}{cnt.get('CDD',0):>5}{cnt.get('DDB',0):>5}"
              f"{cnt.get('firstboot',0):>6}{cnt.get('TrustPub',0):>6}{cnt.get('DevicePath',0):>6}{cnt.get('other',0):>6}"
              f"{len(wadd):>5}{len(wchg):>5}{len(eadd):>6}  {note}")
print("(registry: keys and values added/changed/removed per area: vio = Services\\viostor and its subkeys (all control sets),")
print(" svc+ = services added, CDD = CriticalDeviceDatabase, DDB = DriverDatabase,")
print(f" 1stbt = first-boot service/RunOnce, other = anything else; files: win+/win~ under the system root, else+ elsewhere; details in {out})")
PY
}
# REPORT_ONLY=DIR: print the table again from the details a run kept in DIR
if [ -n "${REPORT_ONLY:-}" ]; then
	OUT=$REPORT_ONLY
	table "$REPORT_ONLY"
	exit
fi

tmp=$(mktemp -d /tmp/wf-cmp-v2v.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
rm -rf "$OUT"
mkdir -p "$OUT"
bash tests/data/virtio/fake-virtio-win.sh "$tmp/vw" "$O/kit/mkpe" || exit 1
# virt-v2v's firstboot needs rhsrvany.exe: a stand-in, as its own tests use
mkdir -p "$tmp/virt-tools"
printf 'This is a fake rhsrvany.exe for the comparison.\n' >"$tmp/virt-tools/rhsrvany.exe"
"$O/kit/mkhive" "$tmp/BCD" --root BCD >/dev/null 2>&1

prepare() {	# NAME IMG FMT PART SYSROOT BCD
	local n=$1 img=$2 fmt=$3 part=$4 root=$5 bcd=$6 d=$tmp/$1
	if [ "$n" = win10 ]; then
		"$WF" fix "$img" --fix import-reg:tests/bench/data/unconvert-win10.reg --yes \
			>"$d/unconvert.log" 2>&1 || { echo "unconvert failed: $(tail -n 1 "$d/unconvert.log")"; return 1; }
	fi
	local cmds=(run : mount "/dev/sda$part" / : mkdir-p "/$root/Temp" : rm-rf /virt-winfix)
	[ "$n" = win10 ] && cmds+=(: rm-f /Windows/System32/drivers/viostor.sys : rm-rf /Windows/Drivers/VirtIO)
	[ "$bcd" = add ] && cmds+=(: umount-all : mount /dev/sda1 / : mkdir-p /EFI/Microsoft/Boot
				   : upload "$tmp/BCD" /EFI/Microsoft/Boot/BCD)
	guestfish --format="$fmt" -a "$img" "${cmds[@]}" >"$d/prepare.log" 2>&1 ||
		{ echo "prepare failed: $(tail -n 1 "$d/prepare.log")"; return 1; }
}

export_disks() {	# NAME FMT PART SYSTEM SOFTWARE
	local n=$1 fmt=$2 part=$3 sys=$4 sw=$5 d=$tmp/$1 cmds=(run) i=0 t letters=(a b c)
	for t in orig v2v wf; do
		local dev=/dev/sd${letters[$i]}$part
		cmds+=(: mount "$dev" / : download "/$sys" "$d/$t.SYSTEM" : download "/$sw" "$d/$t.SOFTWARE"
		       : checksums-out md5 / "$d/$t.sums" : umount-all)
		i=$((i + 1))
	done
	guestfish --ro --format="$fmt" -a "$d/base.img" -a "$d/v2v.img" -a "$d/wf.img" "${cmds[@]}" \
		>"$d/export.log" 2>&1 || { echo "export failed: $(tail -n 1 "$d/export.log")" >&2; return 1; }
	for t in orig v2v wf; do
		for h in SYSTEM SOFTWARE; do
			hivexregedit --export --prefix "HKEY_LOCAL_MACHINE\\$h" "$d/$t.$h" '\' 2>/dev/null |
				iconv -f UTF-8 -t UTF-8 -c >"$d/$t.$h.reg" || true
		done
	done
}

for row in "${rows[@]}"; do
	IFS='|' read -r n img fmt part sys sw bcd <<<"$row"
	case " $ONLY " in *" $n "*) ;; *) continue ;; esac
	d=$tmp/$n
	mkdir -p "$d"
	[ -e "$IMAGES/$img" ] || { echo "$n: no $IMAGES/$img (run $O/kit/mkimages)" >"$d/status"; continue; }
	cp --sparse=always "$IMAGES/$img" "$d/base.img"
	if ! prepare "$n" "$d/base.img" "$fmt" "$part" "${sys%%/*}" "$bcd" >"$d/status"; then
		continue
	fi
	cp --sparse=always "$d/base.img" "$d/v2v.img"
	cp --sparse=always "$d/base.img" "$d/wf.img"
	t0=$(date +%s)
	VIRTIO_WIN=$tmp/vw/new VIRT_TOOLS_DATA_DIR=$tmp/virt-tools \
		virt-v2v-in-place -i disk -if "$fmt" "$d/v2v.img" >"$d/v2v.log" 2>&1
	echo "v2v_rc=$? v2v_s=$(($(date +%s) - t0))" >"$d/rc"
	t0=$(date +%s)
	"$WF" fix "$d/wf.img" --fix inject-virtio:viostor --virtio-win "$tmp/vw/new" --yes \
		>"$d/wf.log" 2>&1
	echo "wf_rc=$? wf_s=$(($(date +%s) - t0))" >>"$d/rc"
	export_disks "$n" "$fmt" "$part" "$sys" "$sw" 2>>"$d/status"
	mkdir -p "$OUT/$n"
	cp "$d"/*.log "$d/rc" "$d/status" "$OUT/$n/" 2>/dev/null
	cp "$d"/*.reg "$d"/*.sums "$OUT/$n/" 2>/dev/null
done

table "$tmp"
