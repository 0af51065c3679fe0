# tests/libvirt_lib.sh - sourced by the tests that need a real libvirtd
# (tests/integration/libvirt.sh, tui_libvirt.sh) after tests/lib.sh.
#
#   lv_start "$tmp" || exit 0   # SKIP printed when it cannot be had
#   ... virsh -c $URI ...
#   lv_stop                     # in the EXIT trap: stops what lv_start started
#
# qemu:///system needs root.  virtlogd and libvirtd are started (with pid
# files in the test's folder) only when they are not running, and only
# those are stopped again.
URI=${URI:-qemu:///system}
lv_started=

lv_start() {
	local dir=$1 d
	if [ "$(id -u)" != 0 ]; then t_skip libvirt "needs root for $URI"; return 1; fi
	command -v virsh >/dev/null || { t_skip libvirt "virsh not installed (make deps)"; return 1; }
	for d in virtlogd libvirtd; do
		if ! pgrep -x $d >/dev/null; then
			/usr/sbin/$d -d -p "$dir/$d.pid" || { t_skip libvirt "cannot start $d"; return 1; }
			for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$dir/$d.pid" ] && break; sleep 0.5; done
			lv_started="$lv_started $(cat "$dir/$d.pid")"
		fi
	done
	for _ in $(seq 20); do virsh -c $URI version >/dev/null 2>&1 && return 0; sleep 0.5; done
	t_skip libvirt "libvirtd does not answer on $URI"
	return 1
}

# Waits until they are gone (at most 15 s): a libvirtd still shutting
# down made the next test's lv_start think one was running, and its virsh
# then got no answer (seen when libvirt_idcheck.sh followed libvirt.sh).
lv_stop() {
	local p
	for p in $lv_started; do kill "$p" 2>/dev/null; done
	for p in $lv_started; do
		for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
	done
	lv_started=
}
