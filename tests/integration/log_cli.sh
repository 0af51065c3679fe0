#!/usr/bin/env bash
# log_cli.sh - `virt-winfix log` on the synthetic logs of tests/data/logs
# and on the real logs of $FIXTURES/setupapi: exit status 0/2, the text
# and JSON reports, one-line errors.
cd "$(dirname "$0")/../.."
. tests/lib.sh
if [ ! -x "$WF" ]; then t_skip log-cli "$WF not built yet"; exit 0; fi
d=tests/data/logs
tmp=$(mktemp -d /tmp/wf-logcli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# seed 001: NULL driver + no compatible driver for virtio-scsi, interrupted install
"$WF" log "$d/seed001_virtio_null.dev.log" >"$tmp/seed.txt" 2>"$tmp/seed.err"
t_status log-seed-exit 0 $?
t_grep log-seed-null '^\[error\] null-driver-installed: .*PCI\\VEN_1AF4&DEV_1004' "$tmp/seed.txt"
t_grep log-seed-nocompat '^\[error\] no-compatible-driver: .*PCI\\VEN_1AF4&DEV_1004' "$tmp/seed.txt"
t_grep log-seed-interrupted '^\[error\] driver-install-interrupted: ' "$tmp/seed.txt"
t_grep log-seed-evidence 'seed001_virtio_null.dev.log, lines 40-41:' "$tmp/seed.txt"
t_grep log-seed-exact-line '\| !    dvi: +Installing NULL driver!' "$tmp/seed.txt"

"$WF" log --json "$d/seed001_virtio_null.dev.log" "$d/xp_coded.setupapi.log" >"$tmp/seed.json"
t_status log-json-exit 0 $?
t_json log-json-findings "$tmp/seed.json" \
	'any(f["id"]=="null-driver-installed" and "DEV_1004" in f["device"] and f["severity"]=="error" and f["evidence"][0]["first_line"]==40 for f in j["findings"])'
t_json log-json-xp "$tmp/seed.json" \
	'any(f["id"]=="device-install-failed" and "ERROR_DUPLICATE_SERVICE_NAME" in f["title"] for f in j["findings"])'
t_json log-json-summary "$tmp/seed.json" 'j["summary"]["files"]==2 and j["errors"]==[]'

"$WF" log "$d/problems.dev.log" >"$tmp/p.txt"
t_grep log-code39 'Device Manager Code 39 \(CM_PROB_DRIVER_FAILED_LOAD\)' "$tmp/p.txt"
"$WF" log "$d/w2k_plain.setupapi.log" >"$tmp/w.txt"
t_grep log-w2k-format 'format w2k' "$tmp/w.txt"

# bad input: one line on stderr naming the file, exit 2
"$WF" log /nonexistent/setupapi.dev.log >"$tmp/o" 2>"$tmp/e"
t_status log-missing-exit 2 $?
t_grep log-missing-msg '^virt-winfix: /nonexistent/setupapi.dev.log: cannot open' "$tmp/e"
t_check log-missing-one-line test "$(wc -l <"$tmp/e")" -eq 1
head -c 65536 /dev/urandom >"$tmp/garbage.bin"
"$WF" log "$tmp/garbage.bin" >"$tmp/o" 2>"$tmp/e"
t_status log-garbage-exit 2 $?
t_grep log-garbage-msg 'garbage.bin: no SetupAPI log line in its [0-9]* lines: it looks like binary data' "$tmp/e"
"$WF" log "$tmp" >"$tmp/o" 2>"$tmp/e"
t_status log-directory-exit 2 $?
"$WF" log >"$tmp/o" 2>"$tmp/e"
t_status log-no-args-exit 2 $?
"$WF" log --help >"$tmp/o"
t_status log-help-exit 0 $?
: >"$tmp/empty.log"
"$WF" log "$tmp/empty.log" >"$tmp/o" 2>"$tmp/e"
t_status log-empty-exit 0 $?
# one good file and one missing: the report still comes, exit 2
"$WF" log "$d/problems.dev.log" /nonexistent/x.log >"$tmp/o" 2>"$tmp/e"
t_status log-partial-exit 2 $?
t_grep log-partial-report 'device-problem-code' "$tmp/o"

# real logs
F="$FIXTURES/setupapi"
if [ ! -d "$F" ]; then
	t_skip log-fixtures "no fixtures in $F (set FIXTURES)"
	exit 0
fi
"$WF" log --json "$F/plaso_setupapi.dev.log" >"$tmp/plaso.json"
t_status log-plaso-exit 0 $?
t_json log-plaso-no-error "$tmp/plaso.json" 'all(f["severity"]!="error" for f in j["findings"])'
"$WF" log --json "$F/DFIRArtifactMuseum_win10_RathbunVM_setupapi.dev.log" >"$tmp/dfir.json"
t_json log-dfir-failures "$tmp/dfir.json" \
	'sum(1 for f in j["findings"] if f["id"]=="device-install-failed" and "0xe000020b" in f["title"])==5'
t_json log-dfir-code28 "$tmp/dfir.json" \
	'any(f["id"]=="device-problem-code" and "Code 28" in f["title"] for f in j["findings"])'
"$WF" log "$F/RemoteDesk2K_win2000_setupapi.log" >"$tmp/w2k.txt"
t_grep log-w2k-null 'null-driver-installed: NULL driver installed for PCI\\VEN_15AD&DEV_0405' "$tmp/w2k.txt"
"$WF" log "$F"/carved_fragments_tamu20_xpx64/* >"$tmp/xp.txt"
t_status log-carved-exit 0 $?
t_grep log-carved-null 'null-driver-installed: .*VEN_80EE&DEV_CAFE' "$tmp/xp.txt"
"$WF" log "$F/supportbot_win11_22621_setupapi.dev.log" "$F/CyberSecu_win10_1809_x86_setupapi.dev.log" >"$tmp/clean.txt"
t_grep log-lf-and-x86-clean '0 error, 0 warning' "$tmp/clean.txt"
