#!/usr/bin/env bash
# Hostile surroundings, class "symlinked outputs": a fix writes backups in
# "IMAGE.virt-winfix" beside the image, and a folder beside an image handed
# over by someone else may have been planted.  Shapes of the security
# review's proofs (findings 2 and 3):
#  - IMAGE.virt-winfix planted as a symlink to another folder;
#  - --backup-dir naming a folder others may write to (mode 0777).
# (The wizard's report and log beside the image or in the state folder go
# through the same hostfile.c code; unit/test_hostfile plants symlinks at
# their names.)
# fix must refuse in one line, write nothing through the link, and leave
# the image byte-identical.  Two launches (the folder is opened when the
# fix is applied, after planning).
. "$(dirname "$0")/../lib.sh"
[ -x "$WF" ] || { t_fail symlinks "no $WF"; exit 1; }
src=$IMAGES/win7-msahci-off.img
[ -e "$src" ] || { t_skip symlinks "no scenario image $src (run kit/mkimages)"; exit 0; }
tmp=$(mktemp -d /tmp/wf-hostile-links.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg}
img=$tmp/vm.img
cp --sparse=always "$src" "$img"
sum0=$(sha256sum <"$img")
mkdir "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$img.virt-winfix"

"$WF" fix "$img" --fix autoreboot-off --yes >"$tmp/link.out" 2>"$tmp/link.err"
t_status "planted backup folder symlink: fix refuses (exit 2)" 2 $?
t_grep "planted backup folder symlink: says it is a symbolic link" 'vm\.img\.virt-winfix: .*symbolic link' "$tmp/link.err"
t_check "planted backup folder symlink: one line" test "$(grep -vc 'TCG\|KVM' "$tmp/link.err")" = 1
t_check "planted backup folder symlink: nothing written through it" test -z "$(ls -A "$tmp/elsewhere")"
t_check "planted backup folder symlink: the link is left as it was" test -L "$img.virt-winfix"

mkdir -m 0777 "$tmp/open"
chmod 0777 "$tmp/open"
"$WF" fix "$img" --fix autoreboot-off --yes --backup-dir "$tmp/open" >"$tmp/open.out" 2>"$tmp/open.err"
t_status "backup folder others may write to: fix refuses (exit 2)" 2 $?
t_grep "backup folder others may write to: says why" 'others may write to it \(mode 777\)' "$tmp/open.err"
t_check "backup folder others may write to: nothing written in it" test -z "$(ls -A "$tmp/open")"
t_check "the image is byte-identical after both refusals" test "$sum0" = "$(sha256sum <"$img")"
