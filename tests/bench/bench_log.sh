#!/usr/bin/env bash
# tests/bench/bench_log.sh - speed and memory of the SetupAPI log parser.
#
# Builds a log of at least BENCH_MB megabytes (default 200) in $TMPDIR by
# concatenating the real logs of $FIXTURES/setupapi (all formats), then, in
# the same run and on the same (cached) file, times
#   grep -c 'NULL driver' FILE        (the floor: one pass, no parsing)
#   ./virt-winfix log FILE            (full parse, rules, text report)
#   ./virt-winfix log --json FILE
# Prints seconds, MB/s, the ratio to grep (goal: <= 2) and max RSS (goal:
# flat, independent of the file size; checked against a 1/4 size file).
# Lines "PASS: bench-log-..." / "FAIL: ..." / "SKIP: ..." like the tests.
set -u
cd "$(dirname "$0")/../.."
: "${FIXTURES:=$(cd .. && pwd)/shared/fixtures}"
: "${BENCH_MB:=200}"
WF=${WF:-./virt-winfix}
tmp=${TMPDIR:-/tmp}
src="$FIXTURES/setupapi"
if [ ! -d "$src" ]; then echo "SKIP: bench-log: no fixtures in $src (set FIXTURES)"; exit 0; fi
if [ ! -x "$WF" ]; then echo "SKIP: bench-log: $WF not built (make)"; exit 0; fi
if [ ! -x /usr/bin/time ]; then echo "SKIP: bench-log: /usr/bin/time missing (apt-get install time)"; exit 0; fi

big="$tmp/wf-bench-setupapi.$$.log"
small="$tmp/wf-bench-setupapi-small.$$.log"
trap 'rm -f "$big" "$small" "$big.out" "$tmp/wf-bench-time.$$"' EXIT
one="$tmp/wf-bench-one.$$"
cat "$src"/*.log "$src"/carved_fragments_tamu20_xpx64/* > "$one"
unit=$(stat -c %s "$one")
reps=$(( (BENCH_MB * 1024 * 1024 + unit - 1) / unit ))
: > "$big"
for ((i = 0; i < reps; i++)); do cat "$one"; done >> "$big"
for ((i = 0; i < reps / 4; i++)); do cat "$one"; done > "$small"
rm -f "$one"
size=$(stat -c %s "$big")
mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')

# run CMD...: best wall time of 5 runs (ms resolution) -> $secs, max RSS
# (KB, from /usr/bin/time) -> $rss
run() {
	secs=999999 rss=0
	local k t0 t1 s r
	for k in 1 2 3 4 5; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$tmp/wf-bench-time.$$" "$@" > "$big.out" 2>/dev/null
		t1=$(date +%s%N)
		read -r r < "$tmp/wf-bench-time.$$"
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
		secs=$(awk -v a="$s" -v b="$secs" 'BEGIN { print (a < b) ? a : b }')
		[ "$r" -gt "$rss" ] && rss=$r
	done
}

cat "$big" > /dev/null	# warm the page cache for both
run grep -c 'NULL driver' "$big"; g_s=$secs; g_rss=$rss
hits=$(cat "$big.out")
run "$WF" log "$big"; p_s=$secs; p_rss=$rss
findings=$(grep -Ec '^\[(error|warning|info)\]' "$big.out")
run "$WF" log --json "$big"; j_s=$secs
run "$WF" log "$small"; s_rss=$rss

ratio=$(awk -v a="$p_s" -v b="$g_s" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
rate() { awk -v s="$size" -v t="$1" 'BEGIN { printf "%.0f", (t > 0) ? s / 1048576 / t : 0 }'; }
printf 'file: %s MB (%d copies of the fixture logs), %s "NULL driver" lines\n' "$mb" "$reps" "$hits"
printf '%-34s %7ss %6s MB/s  max RSS %6d KB\n' "grep -c 'NULL driver'" "$g_s" "$(rate "$g_s")" "$g_rss"
printf '%-34s %7ss %6s MB/s  max RSS %6d KB  (%s findings)\n' "virt-winfix log" "$p_s" "$(rate "$p_s")" "$p_rss" "$findings"
printf '%-34s %7ss %6s MB/s\n' "virt-winfix log --json" "$j_s" "$(rate "$j_s")"
printf 'ratio parse/grep: %s (goal <= 2.00); RSS at 1/4 size: %d KB\n' "$ratio" "$s_rss"

if awk -v r="$ratio" 'BEGIN { exit !(r <= 2.0) }'; then echo "PASS: bench-log-speed"
else echo "FAIL: bench-log-speed: parse is ${ratio}x grep (goal <= 2)"; fi
# flat memory: the 4x larger file may not need more than 1 MB extra
if [ $((p_rss - s_rss)) -le 1024 ]; then echo "PASS: bench-log-memory"
else echo "FAIL: bench-log-memory: RSS grew from $s_rss KB to $p_rss KB with 4x the input"; fi
