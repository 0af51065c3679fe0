#!/usr/bin/env bash
# tests/bench/bench_tui.sh - how fast the wizard answers, measured in a
# pseudo-terminal with tests/tui/ptyrun (libvterm):
#   first frame   ms from exec to the first screen's text: the picker, and
#                 the log-only mode on the seed log (goal: < 100 ms)
#   key latency   ms from a key to the end of the redraw it causes (the
#                 output quiet for 30 ms after): moves in the picker, the
#                 findings list and the log viewer on a big log (all the
#                 fixture logs, BENCH_TUI_MB megabytes, default 20), a page
#                 down, a search, a failure jump, a resize (goal: < 50 ms;
#                 Esc: < 75 ms, as it waits for ESCDELAY = 25 ms first)
# Each figure is the median and the maximum of RUNS runs (default 10).
# Lines "PASS: bench-tui-..." / "FAIL: ..." / "SKIP: ..." like the tests.
set -u
cd "$(dirname "$0")/../.."
: "${O:=build}"
: "${FIXTURES:=$(cd .. && pwd)/shared/fixtures}"
: "${RUNS:=10}"
: "${BENCH_TUI_MB:=20}"
WF=${WF:-./virt-winfix}
PTYRUN=${PTYRUN:-$O/tests/tui/ptyrun}
if [ ! -x "$PTYRUN" ]; then echo "SKIP: bench-tui: no $PTYRUN (make test-build)"; exit 0; fi
PTYRUN=$(realpath "$PTYRUN")
if [ ! -x "$WF" ]; then echo "SKIP: bench-tui: $WF not built (make)"; exit 0; fi
tmp=$(mktemp -d /tmp/wf-bench-tui.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state ESCDELAY=25
seed=tests/data/logs/seed001_virtio_null.dev.log

# stats FILE: "median max" of the numbers in FILE (-1 = the key drew
# nothing, the screen had nothing to change: left out)
stats() { awk '$1 >= 0' "$1" | sort -n | awk '{ v[NR] = $1 } END { if (!NR) { print "- -"; exit }
	printf "%.1f %.1f\n", v[int((NR + 1) / 2)], v[NR] }'; }

# goal NAME FILE LIMIT: print the figures, PASS when the max is under LIMIT
goal() {
	read -r med max < <(stats "$2")
	printf '  %-34s median %7s ms   max %7s ms   (goal < %s ms)\n' "$1" "$med" "$max" "$3"
	if [ "$max" = "-" ]; then echo "FAIL: bench-tui-$1: no figure"
	elif awk -v m="$max" -v l="$3" 'BEGIN { exit !(m < l) }'; then echo "PASS: bench-tui-$1"
	else echo "FAIL: bench-tui-$1: max $max ms >= $3 ms"; fi
}

# --- first frame ------------------------------------------------------------------
: >"$tmp/ff-pick"; : >"$tmp/ff-log"
for _ in $(seq "$RUNS"); do
	printf 'time first | pick the VM or disk image\nkey q\nexit quit | 0\n' |
		(cd "$tmp" && "$PTYRUN" -- "$(cd "$OLDPWD" && realpath "$WF")") |
		awk '/^TIME: first/ { print $3 }' >>"$tmp/ff-pick"
	printf 'time first | SetupAPI log diagnosis\nkey q\nexit quit | 0\n' |
		"$PTYRUN" -- "$WF" log "$seed" | awk '/^TIME: first/ { print $3 }' >>"$tmp/ff-log"
done
echo "first frame ($RUNS runs):"
goal first-frame-picker "$tmp/ff-pick" 100
goal first-frame-log "$tmp/ff-log" 100

# --- key latency -------------------------------------------------------------------
big=$tmp/big.setupapi.dev.log
if [ -d "$FIXTURES/setupapi" ]; then
	while [ "$(stat -c %s "$big" 2>/dev/null || echo 0)" -lt $((BENCH_TUI_MB * 1024 * 1024)) ]; do
		cat "$FIXTURES"/setupapi/*.dev.log >>"$big"
	done
else
	for _ in $(seq 2000); do cat "$seed"; done >"$big"
fi
lines=$(wc -l <"$big")
mb=$(( $(stat -c %s "$big") / 1024 / 1024 ))

lat_script() {	# KEY... -> a script timing the keys in turn, RUNS times
	for _ in $(seq "$RUNS"); do
		for k in "$@"; do echo "lat $k | $k"; done
	done
}
run_lat() {	# NAME WAIT-TEXT KEYS... (program after --)
	local name=$1 text=$2; shift 2
	local keys=() prog=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do keys+=("$1"); shift; done
	shift
	{ echo "wait 120 $text"; echo "settle 200"; lat_script "${keys[@]}"; echo "key q"; } |
		"$PTYRUN" -r 24 -c 80 -- "$@" | awk -v n="$name" '/^LAT: / { print n, $2, $3 }'
}

: >"$tmp/lat"
# picker: a folder of 200 files, some images
mkdir -p "$tmp/dir"
for i in $(seq 200); do printf 'x' >"$tmp/dir/f$i.txt"; done
cp --sparse=always "$(ls build/images/*.img 2>/dev/null | head -1)" "$tmp/dir/a.img" 2>/dev/null
(cd "$tmp/dir" && run_lat picker "pick the VM or disk image" Down PgDn Up PgUp -- "$(cd "$OLDPWD" && realpath "$WF")") >>"$tmp/lat"
run_lat findings "errors" Down Enter Bs Up -- "$WF" log "$big" >>"$tmp/lat"
# Esc cannot be told from the start of an escape sequence before ESCDELAY
# (25 ms, set by the wizard) has passed: its figure has its own goal, 50 ms
# after that delay
run_lat esc "errors" Enter Esc -- "$WF" log "$big" | awk '$2 == "Esc"' >"$tmp/lat-esc"
{ echo "wait 120 errors"; echo "key v"; echo "wait 60 failures"; echo "settle 200"
  lat_script Down PgDn f End F Home
  for _ in $(seq "$RUNS"); do echo "key /"; echo "type Section start"; echo "lat Search | Enter"; done
  for _ in $(seq "$RUNS"); do echo "lat n | n"; done
  for _ in $(seq "$RUNS"); do echo "key /"; echo "type no such text anywhere"; echo "lat Search-miss | Enter"; done
  echo "key q"; } | "$PTYRUN" -r 24 -c 80 -- "$WF" log "$big" |
	awk '/^LAT: / { print "viewer", $2, $3 }' >>"$tmp/lat"
{ echo "wait 120 errors"; echo "key v"; echo "wait 60 failures"; echo "settle 200"
  for _ in $(seq "$RUNS"); do echo "lat resize | resize 30 100"; echo "lat resize | resize 24 80"; done
  echo "key q"; } | "$PTYRUN" -r 24 -c 80 -- "$WF" log "$big" |
	awk '/^LAT: / { print "viewer", $2, $3 }' >>"$tmp/lat"

echo "key latency ($RUNS presses each; log viewer on $mb MB, $lines lines):"
awk '{ print $3 }' "$tmp/lat-esc" >"$tmp/one"
goal key-Esc "$tmp/one" 75
for k in $(awk '{ print $1 "/" $2 }' "$tmp/lat" | sort -u); do
	awk -v k="$k" '$1 "/" $2 == k { print $3 }' "$tmp/lat" >"$tmp/one"
	goal "key-$k" "$tmp/one" 50
done
awk '{ print $3 }' "$tmp/lat" >"$tmp/all"
goal key-all "$tmp/all" 50
