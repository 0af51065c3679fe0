#!/usr/bin/env bash
# Hostile images, class "other host files": an image that makes qemu open
# (and a fix write) a file other than itself.  Shapes of the security
# review's proofs: a 512-byte VMDK descriptor with a FLAT extent naming
# another VM's disk, a qcow2 with a backing file (qemu-img create -b), a
# qcow2 with an external data file.  inspect, diagnose and fix must each
# refuse in one line before any launch, and the other file must not change.
# --allow-backing lets the backing file through (checked without a launch:
# the refusal is gone and the next error is the appliance's or the guest's).
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail chain "no $WF"; exit 1; }
command -v qemu-img >/dev/null || { t_skip chain "no qemu-img"; exit 0; }
tmp=$(mktemp -d /tmp/wf-hostile-chain.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache

mkdir "$tmp/othervm"
other=$tmp/othervm/vm.img
head -c 1048576 /dev/urandom >"$other"
truncate -s 201326592 "$other"
sum0=$(sha256sum <"$other")

printf '# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\n# Extent description\nRW 393216 FLAT "%s" 0\n\n# The Disk Data Base\n#DDB\nddb.adapterType = "ide"\n' \
	"$other" >"$tmp/evil.vmdk"
truncate -s 512 "$tmp/evil.vmdk"
qemu-img create -q -f qcow2 -F raw -b "$other" "$tmp/backing.qcow2"
qemu-img create -q -f qcow2 -o data_file="$tmp/othervm/data.raw" "$tmp/datafile.qcow2" 64M
qemu-img create -q -f qcow2 "$tmp/chained.qcow2" 64M
qemu-img create -q -f qcow2 -F qcow2 -b "$tmp/chained.qcow2" "$tmp/two.qcow2"

refused() {	# NAME IMAGE WHAT COMMAND...
	local name=$1 img=$2 what=$3; shift 3
	timeout 60 "$WF" "$@" "$img" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	t_status "$name: exit 2" 2 $rc
	if [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "refused: .*$what" "$tmp/err"; then
		t_pass "$name: one-line refusal naming the $what"
	else t_fail "$name" "stderr: $(head -c 400 "$tmp/err" | tr '\n' '|')"; fi
	t_nogrep "$name: nothing launched" 'appliance|KVM|TCG' "$tmp/err"
}

for c in inspect diagnose fix; do
	args=$c; [ $c = fix ] && args="fix --fix autoreboot-off --yes"
	# shellcheck disable=SC2086
	refused "$c vmdk descriptor FLAT extent elsewhere" "$tmp/evil.vmdk" "extent $other" $args
	# shellcheck disable=SC2086
	refused "$c qcow2 backing file" "$tmp/backing.qcow2" "backing file $other" $args
	# shellcheck disable=SC2086
	refused "$c qcow2 external data file" "$tmp/datafile.qcow2" "external data file $tmp/othervm/data.raw" $args
	# shellcheck disable=SC2086
	refused "$c qcow2 backing qcow2" "$tmp/two.qcow2" "backing file $tmp/chained.qcow2" $args
done
[ "$(sha256sum <"$other")" = "$sum0" ] && t_pass "the other VM's disk is unchanged" ||
	t_fail "other disk" "changed"

# a missing backing file: still one line, still refused
qemu-img create -q -f qcow2 -F raw -b "$tmp/gone.img" -u "$tmp/dangling.qcow2" 64M
timeout 60 "$WF" inspect "$tmp/dangling.qcow2" >/dev/null 2>"$tmp/err"
t_status "dangling backing file: exit 2" 2 $?
[ "$(wc -l <"$tmp/err")" = 1 ] && t_grep "dangling backing file: one line naming it" 'refused.*gone.img' "$tmp/err"

# --allow-backing: no refusal (the probe goes on; stop it at the first launch
# by a hypervisor that does not exist, so no appliance runs)
LIBGUESTFS_HV=/nonexistent/qemu timeout 120 "$WF" --allow-backing inspect "$tmp/backing.qcow2" >/dev/null 2>"$tmp/err"
t_nogrep "--allow-backing: not refused" 'refused' "$tmp/err"
t_nogrep "--allow-backing: parsed as an option" 'unknown option' "$tmp/err"
[ "$(sha256sum <"$other")" = "$sum0" ] && t_pass "inspect --allow-backing leaves the other disk unchanged" ||
	t_fail "other disk" "changed by inspect --allow-backing"
