#!/usr/bin/env bash
# The wizard's log-only mode, driven in a pseudo-terminal (tests/tui/ptyrun):
# `virt-winfix log FILE` on a terminal opens the diagnosis of the seed-001
# log, a finding, the log viewer at the evidence line, search, failure
# jumps, help, a resize in the middle of a screen (and below 80x24), NO_COLOR
# and ASCII line drawing; --no-tui and a non-terminal keep the batch report.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui/lib.sh"
tui_need || exit 0
[ -x "$WF" ] || { t_fail tui-log "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-tui-log.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state
seed=tests/data/logs/seed001_virtio_null.dev.log

# --- the walk: diagnosis -> finding -> log viewer at the evidence -------------
pty -r 24 -c 80 -- "$WF" log "$seed" <<'SCRIPT'
wait SetupAPI log diagnosis
wait 4 errors
expect tui-log: first screen lists the NULL driver | NULL driver installed for PCI\VEN_1AF4&DEV_1004
expect tui-log: summary of the log | 85 lines, 4 install sections, 2 failed
attr tui-log: errors in colour | ERROR  No compatible | color
expect tui-log: the selected finding's explanation below | ERROR_NO_COMPAT_DRIVERS
key Enter
wait Evidence (2)
expect tui-log: finding shows the evidence lines | Selecting driver failed(0xe0000228)
expect tui-log: evidence names file and lines | seed001_virtio_null.dev.log, lines 29-30
key Tab
key l
wait of 85
expect tui-log: viewer opens at the evidence line | 29 !    dvi:                Selecting driver failed(0xe0000228)
attr tui-log: the evidence line is marked | Selecting driver failed(0xe0000228) | color
attr tui-log: a failure line is highlighted | Installing NULL driver! | bold
key /
type Installing NULL
key Enter
wait match at line
expect tui-log: search finds the first NULL driver | match at line 40
key n
wait match at line 6
expect tui-log: n finds the next one | match at line 6
key g
key f
settle
expect tui-log: f jumps to a failure line | 29 !
# resize in the middle of the viewer: larger, smaller than 80x24, back
resize 30 100
settle
expect tui-log: resize to 100x30 redraws the viewer | Selecting driver failed
expect tui-log: resize shows more lines | lines
resize 20 60
settle
expect tui-log: below 80x24 says so | needs 80x24
resize 24 80
settle
expect tui-log: back to 80x24 redraws | seed001_virtio_null.dev.log
key F1
wait Help: log-viewer
expect tui-log: F1 is the viewer's help | the next / previous failure line
expect tui-log: help lists the screen's keys | Keys on this screen
key Esc
key Esc
wait Evidence
key Esc
wait SetupAPI log diagnosis
key ?
wait Help: diagnosis
key q
wait SetupAPI log diagnosis
key q
exit tui-log: q quits with status 0 | 0
SCRIPT

# --- monochrome and ASCII ----------------------------------------------------
NO_COLOR=1 VIRT_WINFIX_ASCII=1 pty -r 24 -c 80 -- "$WF" log "$seed" <<'SCRIPT'
wait 4 errors
mono tui-log: NO_COLOR draws no colour
reject tui-log: ASCII line drawing | ─
expect tui-log: ASCII rule | -------
attr tui-log: monochrome still marks errors | ERROR  NULL driver | bold
key q
exit tui-log: mono quits | 0
SCRIPT

# --- batch behaviour kept --------------------------------------------------------
pty -r 24 -c 80 -- "$WF" log --no-tui "$seed" <<'SCRIPT'
wait ndv: Installing NULL driver.
expect tui-log: --no-tui prints the report on a terminal | [info] null-driver-installed
exit tui-log: --no-tui exits 0 | 0
SCRIPT
"$WF" log --tui "$seed" </dev/null >"$tmp/notty.out" 2>"$tmp/notty.err"
t_status "tui-log: --tui without a terminal: exit 2" 2 $?
t_grep "tui-log: --tui without a terminal: says why" 'needs a terminal' "$tmp/notty.err"
"$WF" log "$seed" >"$tmp/batch.out" 2>&1 </dev/null
t_grep "tui-log: not a terminal: the batch report" '^SetupAPI log diagnosis:' "$tmp/batch.out"

# --- a bad log in the viewer: a dialog, then the rest --------------------------------
printf 'not a log\n' >"$tmp/junk.txt"
pty -r 24 -c 80 -- "$WF" log "$tmp/junk.txt" "$seed" <<'SCRIPT'
wait Error
expect tui-log: a bad file is a dialog naming it | junk.txt: not a SetupAPI log
key Enter
gone Error
expect tui-log: the good log is still diagnosed | 4 errors
key q
exit tui-log: quits after the dialog | 0
SCRIPT
