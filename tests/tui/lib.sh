# tests/tui/lib.sh - sourced by the wizard's tests (tests/integration/tui_*.sh)
# after tests/lib.sh.  The program runs in a pseudo-terminal driven by
# ptyrun (tests/tui/ptyrun.c, libvterm): a script of keys, waits and
# checks on stdin; it prints PASS:/FAIL: lines itself.
#
#   tui_need || exit 0
#   pty -r 24 -c 80 -- "$WF" log "$f" <<'EOF'
#   wait NULL driver
#   expect log: findings | ERROR
#   key q
#   exit log: quits 0
#   EOF

: "${PTYRUN:=$O/tests/tui/ptyrun}"
case $PTYRUN in /*) ;; *) PTYRUN=$PWD/$PTYRUN ;; esac
export ESCDELAY=25

tui_need() {
	if [ ! -x "$PTYRUN" ]; then
		t_skip "tui" "no $PTYRUN (make test-build; needs libvterm-dev)"
		return 1
	fi
	return 0
}

# pty [ptyrun options] -- PROGRAM ARGS... < SCRIPT
pty() { "$PTYRUN" "$@"; }

# img NAME: the scenario image's path (build/images/NAME.img or .qcow2)
tui_img() {
	local f
	for f in "$IMAGES/$1.img" "$IMAGES/$1.qcow2"; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
