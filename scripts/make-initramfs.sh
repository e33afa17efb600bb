#!/usr/bin/env bash
# Pack a gzip'ed cpio initramfs: static busybox, scripts/guest-init.sh as /init, the selftests
# and helpers of build NAME. Uses the kernel's gen_init_cpio, so no root is needed for /dev/console.
# /tests is $CACHE/build/NAME-selftests without helpers/ and obj/: the kselftest install dir
# (run_kselftest.sh, kselftest-list.txt, kselftest/, dmabuf-heaps/) of build-selftests.sh, or
# just dmabuf-heaps/ with tests.list (scripts/bench.sh), whose programs the guest runs one by one.
#
# usage: make-initramfs.sh [-t TREE_DIR] [NAME]      Output: $CACHE/build/NAME-initramfs.cpio.gz
. "$(dirname "$0")/lib.sh"
STAGE=initramfs

tree_and_name initramfs "$@"
ST=$BUILD/$name-selftests
out=$BUILD/$name-initramfs.cpio.gz
ilog=$LOGDIR/initramfs-$name.log
[ -s "$ST/dmabuf-heaps/tests.list" ] || die initramfs "no selftests in $ST (run scripts/build-selftests.sh)"

need_pkgs busybox-static gzip gcc binutils

gen=$BUILD/gen_init_cpio
if [ ! -x "$gen" ] || [ "$src/usr/gen_init_cpio.c" -nt "$gen" ]; then
	timeout 120 gcc -O2 -o "$gen" "$src/usr/gen_init_cpio.c" >"$ilog" 2>&1 ||
		die initramfs "cannot build gen_init_cpio" "$ilog"
fi

spec=$BUILD/$name-initramfs.list
{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /usr/local /usr/local/bin /dev /proc /sys /tmp /tests /etc; do
		echo "dir $d 755 0 0"
	done
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "file /bin/busybox /bin/busybox 755 0 0"
	echo "slink /bin/sh busybox 777 0 0"
	echo "file /init $REPO/scripts/guest-init.sh 755 0 0"
	(cd "$ST" && find . -mindepth 1 \( -path ./obj -o -path ./helpers \) -prune -o -printf '%y %P %m %l\n') | LC_ALL=C sort -k2 |
		while read -r y p m l; do
			case $y in
			d) echo "dir /tests/$p $m 0 0" ;;
			f) echo "file /tests/$p $ST/$p $m 0 0" ;;
			l) echo "slink /tests/$p $l $m 0 0" ;;
			esac
		done
	for f in "$ST"/helpers/*; do [ -f "$f" ] && echo "file /usr/local/bin/${f##*/} $f 755 0 0"; done
} >"$spec"
! is_dynamic /bin/busybox || die initramfs "/bin/busybox is not static (busybox-static missing?)"
"$gen" "$spec" 2>>"$ilog" | gzip -6 >"$out.tmp" || die initramfs "gen_init_cpio failed" "$ilog"
mv "$out.tmp" "$out"
log "$out ($(du -k "$out" | cut -f1) KiB)"
