#!/usr/bin/env bash
# tests/long/faults.sh - fault injection by count on the real image path
# (make check-long): `fix` with VIRT_WINFIX_TEST_FAIL_IO=N fails the Nth
# I/O call of the apply (libguestfs: upload, rename, sync, ...) for each N
# of FAULT_POINTS on a copy of win7-msahci-off; then a clean `undo --yes`.
# One read-only launch then checks every copy: SYSTEM as the failed fix
# left it is the old bytes or a sound hive holding the fix, and after undo
# the old bytes.  (tests/unit/test_apply_faults.c runs every N on a fake
# volume; this proves the same on libguestfs for a few.)
# The calls of this fix (apply.h): 1 probe, 2-3 the backup folder's name,
# 4 its mkdir, 5-6 the backup of SYSTEM, 7 the journal "prepared", 8 the
# staged SYSTEM.wf-new, 9 the commit's sync, 10 the rename over SYSTEM,
# 11 the read-back, 12-15 the journal "applied".  N=9 stops the fix
# between the read-write mount and its commit, everything staged and
# nothing replaced: there the image is diagnosed again after the undo.
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail faults "no $WF"; exit 1; }
tmp=$(mktemp -d /tmp/wf-faults.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LIBGUESTFS_CACHEDIR=${LIBGUESTFS_CACHEDIR:-${TMPDIR:-/var/tmp}}
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
: "${FAULT_POINTS:=3 5 8 9 10 11 13}" "${COMMIT_POINT:=9}"
FIX=enable-driver:msahci,autoreboot-off
src=$IMAGES/win7-msahci-off.img
[ -e "$src" ] || { t_skip faults "no scenario image $src (run kit/mkimages)"; exit 0; }

n=0
for N in $FAULT_POINTS; do
	n=$((n + 1))
	img="$tmp/f$n.img"
	cp --sparse=always "$src" "$img"
	VIRT_WINFIX_TEST_FAIL_IO=$N "$WF" fix "$img" --fix $FIX --yes >"$tmp/f$n.out" 2>"$tmp/f$n.err"
	rc=$?
	if grep -q "injected fault at I/O call $N" "$tmp/f$n.err"; then
		t_status "faults N=$N: the fix fails with exit 2" 2 $rc
		# one line says why, besides the progress lines ("apply [3/7] ...",
		# "apply: mounting the Windows volume read-write")
		[ "$(grep -Evc '^virt-winfix: apply( \[[0-9]+/[0-9]+\]|:| +copying)|TCG|KVM' "$tmp/f$n.err")" = 1 ] &&
			t_pass "faults N=$N: one line says why" \
			|| t_fail "faults N=$N: one line says why" "$(head -c 300 "$tmp/f$n.err")"
	else
		# the call was past the last one, or one the executor may lose
		# (a probe, an optional log): then the fix completes
		t_status "faults N=$N: the fault did not stop the fix, which completed" 0 $rc
	fi
	cp --sparse=always "$img" "$tmp/f$n.failed.img"
	"$WF" undo "$img" --yes >"$tmp/f$n.undo.out" 2>"$tmp/f$n.undo.err"
	urc=$? last=$(tail -n 1 "$tmp/f$n.err" | cut -c1-90)
	echo "faults N=$N: fix exit $rc, last line: $last; undo exit $urc"
	if [ "$N" = "$COMMIT_POINT" ]; then
		t_status "faults N=$N (before the commit): undo exit 0" 0 $urc
		"$WF" diagnose "$img" --target sata --json >"$tmp/f$n.diag.json" 2>/dev/null
		t_status "faults N=$N (before the commit): the diagnosis after undo finds what it found before: exit 1" 1 $?
		t_json "faults N=$N (before the commit): msahci still disabled" "$tmp/f$n.diag.json" \
			'any(f["id"]=="boot-driver-disabled" for f in j["findings"])'
	fi
done

dev() { local i=$1 l=abcdefghijklmnopqrstuvwxyz; echo "/dev/sd${l:$i:1}"; }
args=(--ro -a "$src")
for i in $(seq 1 $n); do args+=(-a "$tmp/f$i.failed.img" -a "$tmp/f$i.img"); done
script=run
for d in $(seq 0 $((2 * n))); do
	script="$script : mount $(dev "$d")2 / : checksum sha256 /Windows/System32/config/SYSTEM"
	[ $((d % 2)) = 1 ] && script="$script : download /Windows/System32/config/SYSTEM $tmp/s$d.SYSTEM"
	script="$script : umount-all"
done
# shellcheck disable=SC2086
guestfish "${args[@]}" -- $script >"$tmp/sums" 2>"$tmp/sums.err"
mapfile -t sums <"$tmp/sums"
[ ${#sums[@]} = $((2 * n + 1)) ] || { t_fail "faults: checks" "guestfish: $(head -c 300 "$tmp/sums.err")"; exit 1; }
old=${sums[0]}
i=0
for N in $FAULT_POINTS; do
	i=$((i + 1)) d=$((2 * i - 1))
	s=${sums[$d]} u=${sums[$((d + 1))]} state=broken
	if [ "$s" = "$old" ]; then state=old
	elif "$WF" diagnose --system-hive "$tmp/s$d.SYSTEM" --target sata --json >"$tmp/s$d.json" 2>/dev/null
		[ $? -le 1 ] && python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); ids=[f["id"] for f in j["findings"]]; sys.exit(0 if "boot-driver-disabled" not in ids and "stop-autoreboot" not in ids else 1)' "$tmp/s$d.json"
	then state=new; fi
	t_check "faults N=$N: SYSTEM after the failed fix is the old or the new hive ($state)" test "$state" != broken
	t_check "faults N=$N: undo restored SYSTEM byte for byte" test "$u" = "$old"
done
