#!/bin/sh
# /init of the test initramfs (busybox). /tests is a kselftest install dir
# (scripts/build-selftests.sh: "make -C tools/testing/selftests TARGETS=dmabuf-heaps install"):
# the kselftests run the way a user runs them, "./run_kselftest.sh [-t dmabuf-heaps:PROG]...",
# whose KTAP nests each program's KTAP ("# selftests: dmabuf-heaps: PROG", the program's lines
# prefixed by "# ", "ok N selftests: dmabuf-heaps: PROG"), between GUEST-KSELFTEST-BEGIN and
# GUEST-KSELFTEST-END rc=N. The programs of /tests/dmabuf-heaps/tests.list that the runner does not
# know (the debug gates' dmabuf-heap-fault; every program of an initramfs without
# run_kselftest.sh, as scripts/bench.sh makes it) run directly, one by one, with a timeout,
# between GUEST-TEST-BEGIN PROG and GUEST-TEST-END PROG rc=N. scripts/boot-test.sh parses both.
# Kernel messages share the console, so splats land in the same log.
# Kernel command line knobs: wb.tests=a,b (only these; "none" = no tests), wb.timeout=SECONDS (the
# per-program timeout, at least 300; default the settings file's), wb.args=-x:y (arguments of
# every program, colons become blanks), wb.pagecache=MiB (see below), wb.end=halt (halt instead
# of reboot at the end: a UML kernel, scripts/bench.sh, restarts on reboot).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/bin
/bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# What udev would add: kselftest/runner.sh writes to /dev/stdout (on devtmpfs alone, a new file).
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup && echo +memory >/sys/fs/cgroup/cgroup.subtree_control

# kselftest/runner.sh runs each test as "/usr/bin/timeout --foreground T /usr/bin/timeout T
# PROG" and takes exit code 124 for a timeout, as coreutils' timeout does. busybox's timeout knows
# no --foreground (it fails with a usage message) and, as it execs PROG, a timed out PROG dies of
# the signal (143). This wrapper makes busybox's timeout what the runner expects.
rm -f /usr/bin/timeout
cat >/usr/bin/timeout <<'EOF'
#!/bin/sh
# coreutils' timeout for kselftest/runner.sh on busybox (scripts/guest-init.sh)
opts=""
while :; do
	case $1 in
	--foreground|--preserve-status) shift ;;
	-s|-k) opts="$opts $1 $2"; shift 2 ;;
	*) break ;;
	esac
done
t=$1
start=$(cut -d. -f1 /proc/uptime)
# shellcheck disable=SC2086
busybox timeout $opts "$@"
rc=$?
if [ "$rc" -gt 128 ] && [ $(($(cut -d. -f1 /proc/uptime) - start)) -ge "${t%s}" ] 2>/dev/null; then rc=124; fi
exit "$rc"
EOF
chmod 755 /usr/bin/timeout

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
only=$(arg wb.tests | tr ',' ' ')
tmo=$(arg wb.timeout)
args=$(arg wb.args | tr ':' ' ')
base=/tests
# selected PROGRAM: true if wb.tests names it, or if wb.tests is empty (all programs).
selected() { [ -z "$only" ] || case " $only " in *" $1 "*) true ;; *) false ;; esac; }

# wb.pagecache=MiB: run the tests from ext2 on a loop device (over a tmpfs file), after
# filling that much clean, reclaimable page cache from it, as on a machine with a disk.
pc=$(arg wb.pagecache)
if [ -n "$pc" ]; then
	mkdir -p /mnt/disk
	if dd if=/dev/zero of=/tmp/disk.img bs=1M count=$((pc + 256)) 2>/dev/null &&
	   mke2fs -q -F /tmp/disk.img >/dev/null && loop=$(losetup -f) &&
	   losetup "$loop" /tmp/disk.img && mount -t ext2 "$loop" /mnt/disk &&
	   cp -a "$base" /mnt/disk/ && dd if=/dev/zero of=/mnt/disk/cache bs=1M count="$pc" 2>/dev/null &&
	   sync && cat /mnt/disk/cache >/dev/null; then
		base=/mnt/disk/${base##*/}
		echo "GUEST-PAGECACHE ${pc} MiB on $loop, tests run from $base"
	else
		echo "GUEST-PAGECACHE-FAILED"
	fi
fi
dir=$base/dmabuf-heaps
# The timeout of each program: wb.timeout, else the kselftest settings file, never below 300 s
# (TCG is slow). The runner gets it as -o, the programs run directly get it from timeout(1).
[ -n "$tmo" ] || tmo=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null)
[ "${tmo:-0}" -ge 300 ] 2>/dev/null || tmo=300

echo "GUEST-UNAME $(uname -r)"
echo "GUEST-NODES $(ls -d /sys/devices/system/node/node* 2>/dev/null | wc -l) CPUS $(nproc)"
# The selected programs: the kselftests (kselftest-list.txt) for the runner, the others direct.
ksel="" kall=1 direct=""
for t in $(cat "$dir/tests.list"); do
	if ! selected "$t"; then kall=0; continue; fi
	if [ -x "$base/run_kselftest.sh" ] && grep -qx "dmabuf-heaps:$t" "$base/kselftest-list.txt"; then
		ksel="$ksel -t dmabuf-heaps:$t"
		# wb.args: KSELFTEST_<PROGRAM>_ARGS, the runner's way of passing arguments.
		[ -z "$args" ] || export "KSELFTEST_$(echo "$t" | tr -d '[:blank:][:cntrl:]' | tr -c '[:alnum:]_' '_' | tr '[:lower:]' '[:upper:]')_ARGS=$args"
	else
		direct="$direct $t"
	fi
done
rc=0
if [ -n "$ksel" ]; then
	[ "$kall" = 0 ] || ksel=""   # all of them: the runner's whole list
	ropt="$ksel -o $tmo"
	echo "GUEST-KSELFTEST-BEGIN ./run_kselftest.sh$ropt"
	# shellcheck disable=SC2086
	(cd "$base" && ./run_kselftest.sh $ropt </dev/null 2>&1)
	r=$?
	echo "GUEST-KSELFTEST-END rc=$r"
	[ "$r" -eq 0 ] || rc=1
fi
for t in $direct; do
	echo "GUEST-TEST-BEGIN $t"
	# shellcheck disable=SC2086
	(cd "$dir" && timeout -s KILL "$tmo" "./$t" $args </dev/null 2>&1)
	r=$?
	echo "GUEST-TEST-END $t rc=$r"
	case $r in 0|4) ;; *) rc=1 ;; esac   # 4 = KSFT_SKIP
done

# The series' KUnit suites (dmabuf_*), built in, ran at boot. Their results in debugfs are
# reported as the program "kunit": one KTAP line per case, "ok N SUITE.CASE", with the suites'
# other lines as "# kunit: ..." comments; rc=1 if a case failed.
kdir=/sys/kernel/debug/kunit
if selected kunit && ls -d "$kdir"/dmabuf_* >/dev/null 2>&1; then
	echo "GUEST-TEST-BEGIN kunit"
	for d in "$kdir"/dmabuf_*; do sed "s/^/${d##*/} /" "$d/results"; done | awk '
		{ s = $1; sub(/^[^ ]+ /, "") }
		/^    (not )?ok [0-9]+ / {
			st = $0 ~ /^    not ok/ ? "not ok" : "ok"; l = $0
			sub(/^    (not )?ok [0-9]+ /, "", l)
			out[++n] = st " " n " " s "." l
			if (st == "not ok") bad = 1
			next
		}
		{ print "# kunit: " s ": " $0 }
		END { print "TAP version 13"; print "1.." n; for (i = 1; i <= n; i++) print out[i]; exit bad }'
	r=$?
	echo "GUEST-TEST-END kunit rc=$r"
	[ "$r" -eq 0 ] || rc=1
fi

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
