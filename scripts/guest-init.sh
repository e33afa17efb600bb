#!/bin/sh
# /init of the test initramfs (busybox). Runs every program in /tests/dmabuf-heaps/tests.list
# with a per-test timeout, KTAP straight to the serial console, bracketed by markers that
# scripts/boot-test.sh parses. Kernel messages share the console, so splats land in the same log.
# Kernel command line knobs: wb.tests=a,b (only these; "none" = no tests), wb.timeout=SECONDS,
# wb.args=-x:y (arguments of every program, colons become blanks), wb.end=halt (halt instead of
# reboot at the end: a UML kernel, scripts/bench.sh, restarts on reboot).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin
/bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup && echo +memory >/sys/fs/cgroup/cgroup.subtree_control

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
only=$(arg wb.tests | tr ',' ' ')
tmo=$(arg wb.timeout)
args=$(arg wb.args | tr ':' ' ')
dir=/tests/dmabuf-heaps
[ -n "$tmo" ] || tmo=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
[ "${tmo:-0}" -ge 300 ] 2>/dev/null || tmo=300   # TCG is slow: never below 300 s

# wb.pagecache=MiB: run the tests from ext2 on a loop device (over a tmpfs file), after
# filling that much clean, reclaimable page cache from it, as on a machine with a disk.
pc=$(arg wb.pagecache)
if [ -n "$pc" ]; then
	mkdir -p /mnt/disk
	if dd if=/dev/zero of=/tmp/disk.img bs=1M count=$((pc + 256)) 2>/dev/null &&
	   mke2fs -q -F /tmp/disk.img >/dev/null && loop=$(losetup -f) &&
	   losetup "$loop" /tmp/disk.img && mount -t ext2 "$loop" /mnt/disk &&
	   cp -a "$dir" /mnt/disk/ && dd if=/dev/zero of=/mnt/disk/cache bs=1M count="$pc" 2>/dev/null &&
	   sync && cat /mnt/disk/cache >/dev/null; then
		dir=/mnt/disk/${dir##*/}
		echo "GUEST-PAGECACHE ${pc} MiB on $loop, tests run from $dir"
	else
		echo "GUEST-PAGECACHE-FAILED"
	fi
fi

echo "GUEST-UNAME $(uname -r)"
echo "GUEST-NODES $(ls -d /sys/devices/system/node/node* 2>/dev/null | wc -l) CPUS $(nproc)"
rc=0
for t in $(cat "$dir/tests.list"); do
	[ -z "$only" ] || echo " $only " | grep -q " $t " || continue
	echo "GUEST-TEST-BEGIN $t"
	# shellcheck disable=SC2086
	(cd "$dir" && timeout -s KILL "$tmo" "./$t" $args </dev/null 2>&1)
	r=$?
	echo "GUEST-TEST-END $t rc=$r"
	case $r in 0|4) ;; *) rc=1 ;; esac   # 4 = KSFT_SKIP
done

if [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6   # kmemleak ignores objects younger than 5 s
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	echo "GUEST-KMEMLEAK-BEGIN"
	cat /sys/kernel/debug/kmemleak
	echo "GUEST-KMEMLEAK-END"
fi

echo "GUEST-TESTS-DONE rc=$rc"
sync
if [ "$(arg wb.end)" = halt ]; then halt -f; else reboot -f; fi
