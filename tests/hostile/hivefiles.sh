#!/usr/bin/env bash
# Hostile registry hives (no appliance: diagnose --system-hive), classes
# "control characters", "giant values" and "cyclic keys":
#  - a filter, a service and the computer name carrying ESC ]52 (an OSC 52
#    clipboard write), a BEL, a CSI that clears the screen and a newline
#    with a fake prompt: the text and JSON output must carry none of those
#    bytes raw (escaped as \xNN);
#  - 8,000 filter names in one REG_MULTI_SZ value, a 120 KB ImagePath (hivex writes no larger value), a
#    value of 100,000 empty strings: a bounded, correct result, quickly;
#  - a key whose subkey list contains itself (Services\cyc lists the
#    Services list again): the diagnosis ends with findings or one line.
# Every run must be free of sanitizer reports (make SANITIZE=1 check).
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail hivefiles "no $WF"; exit 1; }
MKHIVE=$O/kit/mkhive
[ -x "$MKHIVE" ] || { t_skip hivefiles "no $MKHIVE (make test-build)"; exit 0; }
tmp=$(mktemp -d /tmp/wf-hostile-hive.XXXXXX)
trap "[ -n \"\${KEEP:-}\" ] || rm -rf \"\$tmp\"" EXIT
export XDG_CACHE_HOME=$tmp/cache

# .reg text with UTF-16 hex values, written by python (raw control bytes)
python3 - "$tmp" <<'PY'
import sys
tmp = sys.argv[1]
def hx(b): return ",".join("%02x" % c for c in b)
def sz(s): return "hex(1):" + hx(s.encode("utf-16-le") + b"\0\0")
def multi(v): return "hex(7):" + hx(b"".join(x.encode("utf-16-le") + b"\0\0" for x in v) + b"\0\0")
CS = "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\"
head = ("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n"
        '"Current"=dword:00000001\n"Default"=dword:00000001\n"LastKnownGood"=dword:00000001\n\n'
        + CS + "Services\\disk]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n\n")
evil = "\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x9b31m\nvirt-winfix: Plan: nothing to do. Apply? [y/N] y"
ctrl = head + (CS + "Control\\ComputerName\\ComputerName]\n\"ComputerName\"=" + sz("HOST" + evil) + "\n\n"
        + CS + "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n\"LowerFilters\"="
        + multi(["flt" + evil]) + "\n\n"
        + CS + "Services\\svc\x1b]0;title\x07]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000004\n"
        + "\"ImagePath\"=" + sz("System32\\drivers\\" + evil + ".sys") + "\n\n")
open(tmp + "/ctrl.reg", "w", encoding="utf-8").write(ctrl)
giant = head + (CS + "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n\"LowerFilters\"="
        + multi(["flt%05d" % i for i in range(8000)]) + "\n\n"
        + CS + "Control\\Class\\{4D36E96A-E325-11CE-BFC1-08002BE10318}]\n\"UpperFilters\"="
        + multi(["x"] + [""] * 50000 + ["y"]) + "\n\n"
        + CS + "Services\\big]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n\"ImagePath\"="
        + sz("System32\\drivers\\" + "A" * 60000 + ".sys") + "\n\n")
open(tmp + "/giant.reg", "w").write(giant)
cyc = head + (CS + "Services\\cyc]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n\n"
        + CS + "Services\\cyc\\child]\n\"x\"=dword:00000001\n\n"
        + CS + "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n\"LowerFilters\"="
        + multi(["cyc"]) + "\n\n")
open(tmp + "/cyc.reg", "w").write(cyc)
PY
for h in ctrl giant cyc; do
	"$MKHIVE" "$tmp/$h.hive" --reg "$tmp/$h.reg" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' 2>"$tmp/$h.mk" ||
		{ t_fail "hivefiles: kit builds $h" "$(head -c 300 "$tmp/$h.mk")"; exit 1; }
done

# cyclic: Services\cyc's subkey list becomes the list of Services itself
python3 - "$tmp/cyc.hive" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
def nk_named(name):
    i = 0x1000
    while True:
        i = b.find(b"nk", i)
        if i < 0: raise SystemExit("no nk " + name)
        n = struct.unpack_from("<H", b, i + 0x48)[0]
        if b[i + 0x4c:i + 0x4c + n] == name.encode(): return i
        i += 2
svc, cyc = nk_named("Services"), nk_named("cyc")
lst = struct.unpack_from("<I", b, svc + 0x1c)[0]
n = struct.unpack_from("<I", b, svc + 0x14)[0]
struct.pack_into("<I", b, cyc + 0x14, n)
struct.pack_into("<I", b, cyc + 0x1c, lst)
open(p, "wb").write(b)
PY

san='AddressSanitizer|runtime error|LeakSanitizer|Segmentation'
# --- control characters --------------------------------------------------------
for fmt in text json; do
	opt=; [ $fmt = json ] && opt=--json
	"$WF" diagnose --system-hive "$tmp/ctrl.hive" --target sata $opt >"$tmp/ctrl.$fmt" 2>"$tmp/ctrl.$fmt.err"
	t_check "control characters ($fmt): diagnose ran (exit $?)" test -s "$tmp/ctrl.$fmt"
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f\x9b]' "$tmp/ctrl.$fmt" "$tmp/ctrl.$fmt.err"; then
		t_fail "control characters ($fmt): no raw control byte in the output" \
			"$(LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]' "$tmp/ctrl.$fmt")"
	else t_pass "control characters ($fmt): no raw control byte in the output"; fi
	t_nogrep "control characters ($fmt): no sanitizer report" "$san" "$tmp/ctrl.$fmt.err"
done
t_grep "control characters: the filter shown escaped" 'flt\\x1[bB]\]52' "$tmp/ctrl.text"
t_nogrep "control characters: the fake prompt is not a line of its own" '^virt-winfix: Plan' "$tmp/ctrl.text"

# --- giant values ----------------------------------------------------------------
t0=$(date +%s%N)
"$WF" diagnose --system-hive "$tmp/giant.hive" --target sata >"$tmp/giant.out" 2>"$tmp/giant.err"
rc=$? ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t_check "giant values: diagnose ends with findings (exit $rc)" test $rc -le 1
t_check "giant values: within 20 s (${ms} ms)" test $ms -lt 20000
t_check "giant values: output bounded ($(wc -c <"$tmp/giant.out") bytes)" test "$(wc -c <"$tmp/giant.out")" -lt 1000000
t_grep "giant values: the 8,000-name value reported, the rest counted" 'more, not checked' "$tmp/giant.out"
t_nogrep "giant values: no sanitizer report" "$san" "$tmp/giant.err"

# --- cyclic keys -------------------------------------------------------------------
timeout 120 "$WF" diagnose --system-hive "$tmp/cyc.hive" --target sata >"$tmp/cyc.out" 2>"$tmp/cyc.err"
rc=$?
t_check "cyclic keys: diagnose ends (exit $rc, not a timeout or a crash)" test $rc -le 2
[ $rc = 2 ] && { [ "$(wc -l <"$tmp/cyc.err")" = 1 ] && t_pass "cyclic keys: a refusal is one line" \
	|| t_fail "cyclic keys: a refusal is one line" "$(head -c 300 "$tmp/cyc.err")"; }
t_nogrep "cyclic keys: no sanitizer report" "$san" "$tmp/cyc.err"
