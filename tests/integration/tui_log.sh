#!/usr/bin/env bash
# The wizard's log-only mode, driven in a pseudo-terminal (tests/tui/ptyrun):
# `virt-winfix log FILE` on a terminal opens the diagnosis of the seed-001
# log, a finding, the log viewer at the evidence line, search, failure
# jumps, help, a resize in the middle of a screen (and below 80x24), NO_COLOR
# and ASCII line drawing; --no-tui and a non-terminal keep the batch report.
# The paste box (`virt-winfix log` with no file): the seed-001 excerpt as
# the mail archive printed it (when ../shared is there) and a mail-quoted
# excerpt of a project log, pasted bracketed and typed by a terminal
# without bracketed paste; the findings on screen must be what
# `virt-winfix log -` prints for the same text.
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

# --- the paste box: the findings of `virt-winfix log -` for the same text -------------
# paste_walk NAME FILE MODE: MODE is paste (bracketed) or rawpaste (typed)
paste_walk() {
	local name=$1 f=$2 mode=$3 cli=$tmp/$1.cli scr=$tmp/$1.screen
	"$WF" log - <"$f" >"$cli" 2>&1
	local e w i
	read -r e w i < <(sed -n 's/^[0-9]* findings*: \([0-9]*\) error, \([0-9]*\) warning, \([0-9]*\) info$/\1 \2 \3/p' "$cli")
	[ -n "$e" ] || { t_fail "tui-log: $name: log - gives findings" "$(head -3 "$cli")"; return; }
	local counts="$e error$([ "$e" = 1 ] || echo s), $w warning$([ "$w" = 1 ] || echo s), $i info"
	pty -r 30 -c 200 -- "$WF" log <<SCRIPT
wait Paste the lines
pastemode tui-log: $name: the box turns bracketed paste on | on
$mode $f
settle 300
expect tui-log: $name: the box counts the lines | $(wc -l <"$f" | tr -d ' ') lines
key C-d
wait 15 SetupAPI log (pasted text)
wait 15 $counts
pastemode tui-log: $name: off on the diagnosis | off
expect tui-log: $name: same counts as log - | $counts
dump $scr
key Esc
wait Paste the lines
expect tui-log: $name: Esc comes back to the box, text kept | $(wc -l <"$f" | tr -d ' ') lines
key C-c
exit tui-log: $name: Ctrl-C quits | 0
SCRIPT
	# every finding log - prints is on the screen, and no other
	local t missing=0 n=0
	while IFS= read -r t; do
		n=$((n + 1))
		grep -qF -- "${t:0:150}" "$scr" || { missing=1; echo "not on the screen: $t"; }
	done < <(sed -n 's/^\[\(error\|warning\|info\)\] [a-z0-9-]*: //p' "$cli")
	[ "$missing" = 0 ] && t_pass "tui-log: $name: the findings of log - on the screen" \
		|| t_fail "tui-log: $name: the findings of log - on the screen" "see above"
	t_status "tui-log: $name: as many rows as log - findings" "$n" \
		"$(grep -cE '^\| (ERROR|WARN |info ) ' "$scr")"
}

# a project-made excerpt: lines 10-80 of a project log, quoted in a mail
sed -n '10,80p' tests/data/logs/problems.dev.log | sed 's/^/> /' >"$tmp/quoted.txt"
paste_walk quoted "$tmp/quoted.txt" paste
paste_walk quoted-typed "$tmp/quoted.txt" rawpaste

seedtxt=${SHARED:-../shared}/seeds/001_9eac2c3751e278c6.txt
if [ -r "$seedtxt" ]; then
	# the log lines of the seed's mail as the archive printed them
	sed -n '/^>> \[Device Install/,/Rolled back driver package publishing/p' "$seedtxt" >"$tmp/seed001.txt"
	paste_walk seed001 "$tmp/seed001.txt" paste
else
	t_skip "tui-log: seed001 paste" "$seedtxt absent (the shared folder is not there)"
fi

# typed lines, bytes that are keys elsewhere, an empty box, the file line
printf '>>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1001\\3&1&0&20]\n\tq?\033[A\033[201x\n' >"$tmp/keys.txt"
printf '\033[200~no end marker\n' >"$tmp/noend.txt"
pty -r 24 -c 80 -- "$WF" log --paste <<SCRIPT
wait Paste the lines
key C-d
wait empty
expect tui-log: paste: Ctrl-D on an empty box says so | The box is empty
paste $tmp/keys.txt
settle 200
expect tui-log: paste: q, ? and Tab inside a paste are text | q?
expect tui-log: paste: Esc bytes inside a paste are text (shown as ?) | ??[A
expect tui-log: paste: a partial end marker is text | ?[201x
expect tui-log: paste: still the box (no key acted) | 2 lines
type !    dvi:      Installing NULL driver!
key Enter
expect tui-log: paste: typed lines count | 3 lines
key Esc
wait Leave the paste box?
key n
gone Leave the paste box?
key C-o
type $seed
key Enter
wait 15 seed001_virtio_null.dev.log
wait 4 errors
expect tui-log: paste: Ctrl-O diagnoses a file | 85 lines, 4 install sections
key Esc
wait Paste the lines
key Esc
wait Leave the paste box?
key y
exit tui-log: paste: Esc, y leaves | 0
SCRIPT

# a paste whose end marker never comes ends after a second of silence
pty -r 24 -c 80 -- "$WF" log --paste <<SCRIPT
wait Paste the lines
rawpaste $tmp/noend.txt
settle 200
sleep 1500
key C-u
settle
expect tui-log: paste: no end marker: keys work again after a second | 0 lines
key Esc
exit tui-log: paste: Esc on an empty box leaves | 0
SCRIPT

# the box needs a terminal; log with no file and no terminal is refused
"$WF" log </dev/null >"$tmp/nofile.out" 2>&1
t_status "tui-log: log with no file and no terminal: exit 2" 2 $?
t_grep "tui-log: log with no file: says so" 'no log file given' "$tmp/nofile.out"
