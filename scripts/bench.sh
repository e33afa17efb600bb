#!/usr/bin/env bash
# Benchmark the system heap against what a user has without the series: three peers, all UML
# (ARCH=um) kernels built from the same config (x86_64 UML defconfig + kernel-config/uml/*.config)
# and booted with the same initramfs (scripts/make-initramfs.sh: static busybox,
# scripts/guest-init.sh as /init, selftests/dmabuf-bench.c as the one test program), with 1 and
# with 2 UML CPUs (UML SMP, seccomp userspace):
#   base     v7.3.4-debian
#   iof      the same base binary booted with init_on_free=1 (no build of its own); the guest's
#            "mem auto-init: ... heap free:on" line is checked in every boot
#   patched  the series
# UML runs kernel code at native speed; QEMU TCG here does not (see selftests/BENCH.md).
#
# usage: bench.sh [-q] [-C] [-r RUNS] [-c "1 2"] [-m MEM] [-o MEASURES] [PATCHED_REF]
#   PATCHED_REF  commit-ish in $TREE for the patched kernel (default: branch "v2" if it exists,
#                else branch "series" if it exists and has patches, else "dev"). Base is always
#                $BASE_TAG.
#   -q           quick run (a tenth of the iterations, 1 run; for testing the harness)
#   -C           add a control peer, "off": the patched binary booted with
#                system_heap.max_pending_kb=0 (no freelist, no pools: the heap frees and allocates
#                as v7.3.4 does). Its rows (after each table) separate what the design costs from
#                what differs between two kernel binaries (code layout) and between boots.
#   -r RUNS      boots of each peer per CPU count, interleaved base, iof, patched (and off with
#                -C) (default 3);
#                the table shows the median over the runs, and their spread
#   -c LIST      UML CPU setups to run, default "1 2"; also "2u". 1: one CPU, pinned to one
#                host core: the main table. 2: the benchmark on guest CPU 0 and the worker on
#                guest CPU 1 (dmabuf-bench -p 0,1), and guest CPU 1's host thread alone on a
#                host core; everything else of UML (CPU 0, its helpers, the guest's userspace)
#                shares the other core (vcpu_pin below): a second CPU that is idle. 2u: two CPUs,
#                placed by the guest's and the host's schedulers; with 2 host cores, three busy
#                host threads then share two cores (see selftests/BENCH.md).
#   -m MEM       guest memory, default 4G (the deferred-free bound is 1/16 of it: 4G holds the
#                16 x 8 MiB frame queue, 2G does not)
#   -o LIST      only these measures (see dmabuf-bench.c), default all
# Worktrees: $CACHE/bench-base, $CACHE/bench-patched (re-pointed with git checkout, so only what
# the series changes is rebuilt). Builds: $CACHE/build/bench-uml-{base,patched}.
# Output: the table on stdout and in $LOGDIR/bench-table.txt; raw guest logs in
# $LOGDIR/bench-{base,iof,patched}-cpuN-runR.log. UML runs at host nice -19 (DMABUF_BENCH_NICE).
# Exit status is 0 whatever the numbers are; a failing config, build or boot, or a peer whose
# init_on_free setting or heap is not what it should be, prints FAIL stage=... and exits 1.
. "$(dirname "$0")/lib.sh"
STAGE=bench

quick=0 cpus="1 2" mem=4G only='' runs='' control=0
while getopts qCc:m:o:r: opt; do
	case $opt in
	q) quick=1 ;;
	C) control=1 ;;
	r) runs=$OPTARG ;;
	c) cpus=$OPTARG ;;
	m) mem=$OPTARG ;;
	o) only=$OPTARG ;;
	*) die bench "usage: $0 [-q] [-C] [-r RUNS] [-c \"1 2\"] [-m MEM] [-o MEASURES] [PATCHED_REF]" ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$runs" ] || runs=$([ "$quick" = 1 ] && echo 1 || echo 3)
case $runs in [1-9]) ;; *) die bench "-r: 1 to 9 runs, got $runs" ;; esac
g() { timeout -k 10 300 git -C "$TREE" "$@"; }
[ -d "$TREE/.git" ] || die bench "no kernel tree at $TREE (run scripts/fetch-base.sh)"
base_commit=$(g rev-parse -q --verify "$BASE_TAG^{commit}") || die bench "no tag $BASE_TAG in $TREE"
if [ -n "${1:-}" ]; then
	ref=$1
elif [ -n "$(g rev-parse -q --verify refs/heads/v2)" ] &&
     [ "$(g rev-parse refs/heads/v2)" != "$base_commit" ]; then
	ref=v2    # the current series (v2), in the worktree wt-v2
elif [ -n "$(g rev-parse -q --verify refs/heads/series)" ] &&
     [ "$(g rev-parse refs/heads/series)" != "$base_commit" ]; then
	ref=series
else
	ref=dev   # no series branch yet, or one with no patches
fi
patched_commit=$(g rev-parse -q --verify "$ref^{commit}") || die bench "no commit $ref in $TREE"
[ "$patched_commit" != "$base_commit" ] || die bench "$ref is $BASE_TAG itself: nothing to compare"
log "patched kernel: $ref ($(g rev-parse --short "$patched_commit"))"
for n in $cpus; do
	case $n in 1|2|2u) ;; *) die bench "-c: UML CPU setups are 1, 2 and 2u (NR_CPUS=2), got $n" ;; esac
done
BOOT_TIMEOUT=${DMABUF_BENCH_BOOT_TIMEOUT:-$([ "$quick" = 1 ] && echo 300 || echo 900)}
UMLDIR=$CACHE/uml
mkdir -p "$BUILD" "$UMLDIR"
t_start=$SECONDS

need_pkgs build-essential flex bison bc libelf-dev libssl-dev rsync cpio kmod python3 ccache \
	busybox-static gzip linux-libc-dev

# Two cores are shared: one kernel build at a time. The lock is kept during the runs as well,
# so that nobody's build competes with the measurements.
build_lock || die build "timed out waiting for $LOCK (another build)"

# ---- worktrees ----
STAGE=worktree
# worktree DIR COMMIT: create it, or move it to COMMIT (only changed files get new mtimes).
worktree() {
	local dir=$1 want=$2 wlog=$LOGDIR/bench-worktree.log
	if [ ! -e "$dir/.git" ]; then
		g worktree prune >>"$wlog" 2>&1 || true
		g worktree add -q --detach "$dir" "$want" >>"$wlog" 2>&1 ||
			die worktree "cannot create worktree $dir at $want" "$wlog"
	elif [ "$(git -C "$dir" rev-parse HEAD)" != "$want" ] ||
	     [ -n "$(git -C "$dir" status --porcelain --untracked-files=no)" ]; then
		timeout -k 10 300 git -C "$dir" checkout -q -f --detach "$want" >>"$wlog" 2>&1 ||
			die worktree "cannot check out $want in $dir" "$wlog"
	fi
}
worktree "$CACHE/bench-base" "$base_commit"
worktree "$CACHE/bench-patched" "$patched_commit"

# ---- UML kernels ----
frags=("$REPO"/kernel-config/uml/*.config)
[ -f "${frags[0]}" ] || die config "no UML config fragment in $REPO/kernel-config/uml"

# build_uml NAME SRC: O=$BUILD/bench-uml-NAME, binary O/linux.
build_uml() {
	local name=$1 src=$2 O=$BUILD/bench-uml-$1 blog=$LOGDIR/build-bench-uml-$1.log start
	STAGE=config
	kbuild_env "$src"
	kconfig "$src" "$O" um defconfig "${frags[@]}" >"$blog" 2>&1 ||
		die config "UML configuration of $name failed: $(tail -n 1 "$blog")" "$blog"
	STAGE=build
	log "building UML $name from $src at $(git -C "$src" rev-parse --short HEAD) (log: $blog)"
	start=$SECONDS
	kmake "$src" "$O" um -j"$JOBS" >>"$blog" 2>&1 || die build "UML build of $name failed" "$blog"
	[ -x "$O/linux" ] || die build "no $O/linux after the build" "$blog"
	log "built $O/linux ($(cat "$O/include/config/kernel.release")) in $((SECONDS - start)) s"
	stage_time "bench-build-$name" $((SECONDS - start))
}
t_build=$SECONDS
build_uml base "$CACHE/bench-base"
build_uml patched "$CACHE/bench-patched"
t_build=$((SECONDS - t_build))
# The series must really be in the patched kernel, and not in the base one.
grep -q '^CONFIG_DMABUF_HEAPS_PAGE_POOL=y' "$BUILD/bench-uml-patched/.config" ||
	die config "patched kernel ($ref) has no CONFIG_DMABUF_HEAPS_PAGE_POOL: is the series applied?"
grep -q '^CONFIG_DMABUF_HEAPS_PAGE_POOL=' "$BUILD/bench-uml-base/.config" &&
	die config "base kernel has CONFIG_DMABUF_HEAPS_PAGE_POOL: $CACHE/bench-base is not $BASE_TAG"

# ---- benchmark program and initramfs ----
# The guest is scripts/guest-init.sh running dmabuf-bench as its one test (make-initramfs.sh).
STAGE=initramfs
ilog=$LOGDIR/bench-initramfs.log
BST=$BUILD/bench-selftests
rm -rf "$BST"
mkdir -p "$BST/dmabuf-heaps"
gcc -static -O2 -Wall -Wextra -pthread -o "$BST/dmabuf-heaps/dmabuf-bench" "$REPO/selftests/dmabuf-bench.c" >"$ilog" 2>&1 ||
	die initramfs "cannot build selftests/dmabuf-bench.c" "$ilog"
[ ! -s "$ilog" ] || { log "compiler warnings:"; cat "$ilog" >&2; }
echo dmabuf-bench >"$BST/dmabuf-heaps/tests.list"
"$REPO/scripts/make-initramfs.sh" -t "$CACHE/bench-base" bench >>"$ilog" 2>&1 ||
	die initramfs "$(grep -m1 '^FAIL ' "$ilog" || echo "make-initramfs.sh failed")" "$ilog"
initrd=$BUILD/bench-initramfs.cpio.gz

# ---- runs ----
STAGE=boot
# UML's memory is a file in $TMPDIR (or /dev/shm), which must be tmpfs and hold mem=.
mem_mb=$(numfmt --from=iec "$mem" | awk '{ printf "%d", $1 / 1048576 }')
umltmp=${TMPDIR:-/dev/shm}
if [ "$(stat -f -c %T "$umltmp" 2>/dev/null)" != tmpfs ] ||
   [ "$(df -Pm "$umltmp" | awk 'NR == 2 { print $4 }')" -lt $((mem_mb + 256)) ]; then
	[ "$(df -Pm /dev/shm | awk 'NR == 2 { print $4 }')" -ge $((mem_mb + 256)) ] ||
		die boot "UML needs $((mem_mb + 256)) MiB free on a tmpfs (TMPDIR or /dev/shm) for mem=$mem"
	umltmp=/dev/shm
fi
host_model=$(sed -n '/^model name[[:space:]]*: /{s///p;q}' /proc/cpuinfo)
host_load=$(cut -d' ' -f1-3 /proc/loadavg)

cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
child_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }

# A boot's log is reported for kernel messages that match SPLAT_RE (scripts/lib.sh).
# Once the guest is done (GUEST-TESTS-DONE), it gets DMABUF_BENCH_EXIT_GRACE s to exit.
grace=${DMABUF_BENCH_EXIT_GRACE:-20}
# vcpu_pin UPID: two UML CPUs, one of them alone on a host core. UML runs guest CPU 0 on its
# main thread and starts one host thread per further CPU (arch/um/os-Linux/smp.c) in smp_init(),
# before /init runs; helper threads come later. The guest's userspace runs in further host
# processes (seccomp stubs). All of it starts on host core 0 (run_uml). The first call, once
# /init has said GUEST-NODES, takes CPU 1's thread to be the one started first after the main
# thread (start time, field 22 of its stat: thread ids wrap), and moves it to the last host
# core; run_uml checks afterwards that it ran the guest's spin on CPU 1. Every call puts every
# other task of UML, threads and processes started since included, back on core 0, and reads
# CPU 1's host CPU time into vcpu1_ns. Without this, three busy host threads (two CPUs and the
# benchmark's userspace) shared two cores whenever the worker ran (BENCH.md).
vcpu_pin() {
	local upid=$1 lp p t
	lp=$(pgrep -P "$upid" | awk 'NR == 1') || return 0
	[ -n "$lp" ] || return 0
	if [ -z "$vcpu1_tid" ]; then
		vcpu1_tid=$(for t in "/proc/$lp/task"/*; do
				t=${t##*/}; [ "$t" != "$lp" ] || continue
				sed -n "s/^[0-9]* (.*) //p" "/proc/$lp/task/$t/stat" 2>/dev/null | awk -v t="$t" '{ print $20, t }'
			done | sort -n | awk 'NR == 1 { print $2 }')
		[ -n "$vcpu1_tid" ] || return 0
		if ! taskset -p -c "$(($(nproc) - 1))" "$vcpu1_tid" >/dev/null; then
			kill -KILL -- "-$upid" 2>/dev/null || true
			die boot "cannot move UML CPU 1's host thread $vcpu1_tid to host core $(($(nproc) - 1))"
		fi
		log "host: UML CPU 1 is thread $vcpu1_tid, alone on core $(($(nproc) - 1)); the rest of UML on core 0"
	fi
	for t in "/proc/$lp/task"/* $(pgrep -P "$lp" | sed 's|^|/proc/|; s|$|/task/*|'); do
		t=${t##*/}
		[ "$t" != "$vcpu1_tid" ] || continue
		taskset -p -c 0 "$t" >/dev/null 2>&1 || true
	done
	p=$(awk '{ print $1 }' "/proc/$lp/task/$vcpu1_tid/schedstat" 2>/dev/null) && vcpu1_ns=$p
	return 0
}

# run_uml PEER CPUS RUN: boot, run the bench, check the markers and that the peer is what it
# should be. The log is left for the table. PEER iof is the base binary with init_on_free=1, PEER
# off the patched binary with the pools off.
run_uml() {
	local name=$1 n=$2 r=$3 O=$BUILD/bench-uml-$1 rlog=$LOGDIR/bench-$1-cpu$2-run$3.log
	local start rc=0 args b0 c0 w0 pin='' upid ended=0 extra='' hdr want_ai want_df pargs=''
	local vcpu1_tid='' vcpu1_ns=0 spun pinl ncpu=${2%u}
	# One UML CPU: keep UML's kernel thread and its userspace stubs on one host core. Unpinned,
	# the host puts them on different cores, and on an idle host (a VM) every syscall of the
	# guest then waits for an idle vCPU to wake: 60-90 us instead of 5 us.
	[ "$n" = 1 ] && pin="taskset -c $(($(nproc) - 1))"
	# Two: all of UML starts on core 0, and vcpu_pin gives CPU 1 the last core. 2u: no pinning.
	[ "$n" = 2 ] && pin="taskset -c 0" pargs=-p:0,1
	if [ "$name" = iof ]; then O=$BUILD/bench-uml-base extra=init_on_free=1; fi
	if [ "$name" = off ]; then O=$BUILD/bench-uml-patched extra=system_heap.max_pending_kb=0; fi
	# seccomp=on: SECCOMP userspace (UML SMP needs it; faster syscalls and page faults too).
	args="mem=$mem ncpus=$ncpu seccomp=on initrd=$initrd con=null con0=null,fd:1 loglevel=5${extra:+ $extra}"
	args="$args umid=dmabuf-bench-$name uml_dir=$UMLDIR wb.tests=dmabuf-bench wb.timeout=$BOOT_TIMEOUT wb.end=halt"
	args="$args wb.args=$([ "$quick" = 0 ] || echo -q:)${only:+-m:$only:}$pargs"
	log "run $r/$runs: booting $name with $n CPU(s), mem=$mem (log: $rlog)"
	start=$SECONDS
	rm -rf "${UMLDIR:?}/dmabuf-bench-$name"
	# Host CPU used by others during the run = all busy time - what our children used.
	b0=$(cpu_busy) c0=$(child_ticks) w0=$(date +%s.%N)
	# shellcheck disable=SC2086
	TMPDIR=$umltmp timeout -k 10 "$BOOT_TIMEOUT" $pin nice -n "$nice" "$O/linux" $args </dev/null >"$rlog" 2>&1 &
	upid=$!
	# UML SMP sometimes panics in halt and then hangs: once the benchmark is done, give
	# the guest $grace s to exit, then end it (timeout leads a process group of its own).
	while kill -0 "$upid" 2>/dev/null; do
		# The pinning is in place a second after /init starts, long before the first timed
		# measure (dmabuf-bench prefaults all memory first).
		if [ "$n" = 2 ] && grep -q '^GUEST-NODES' "$rlog"; then vcpu_pin "$upid"; fi
		if grep -q '^GUEST-TESTS-DONE' "$rlog"; then
			for _ in $(seq "$grace"); do kill -0 "$upid" 2>/dev/null || break; sleep 1; done
			if kill -0 "$upid" 2>/dev/null; then
				log "$name (cpus=$n) did not exit after GUEST-TESTS-DONE, ending it"
				kill -KILL -- "-$upid" 2>/dev/null || true
				ended=1
			fi
			break
		fi
		sleep 1
	done
	wait "$upid" || rc=$?
	echo "$b0 $(cpu_busy) $c0 $(child_ticks) $w0 $(date +%s.%N) $(getconf CLK_TCK)" |
		awk '{ printf "%.2f\n", (($2 - $1) - ($4 - $3)) / (($6 - $5) * $7) }' >"$rlog.others"
	sed -i 's/\r$//' "$rlog"
	stage_time "bench-run-$name-cpu$n" $((SECONDS - start))
	# Killed, not by us after it was done: the timeout.
	if [ "$ended" = 0 ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; }; then
		die boot "$name (cpus=$n) did not finish in $BOOT_TIMEOUT s" "$rlog"
	fi
	grep -q '^GUEST-TEST-BEGIN dmabuf-bench' "$rlog" || die boot "$name (cpus=$n) did not reach /init (rc=$rc)" "$rlog"
	grep -q '^bench error' "$rlog" && die boot "$name (cpus=$n): $(grep -m1 '^bench error' "$rlog")" "$rlog"
	grep -q '^bench-done' "$rlog" || die boot "$name (cpus=$n): the benchmark did not finish (rc=$rc)" "$rlog"
	# The peer must be what it claims: init_on_free only for iof (the kernel's own "mem auto-init:"
	# line, from the guest's kernel log), the deferred-free helper only in the patched kernel.
	hdr=$(grep -m1 '^bench-header ' "$rlog") || die boot "$name (cpus=$n): no bench-header line" "$rlog"
	want_ai=heap_free:off want_df=no
	[ "$name" != iof ] || want_ai=heap_free:on
	[ "$name" != patched ] || want_df=yes
	# off is the patched binary: the same kernel release as the patched peer's build.
	if [ "$name" = off ]; then
		case " $hdr " in *" kernel=$(cat "$BUILD/bench-uml-patched/include/config/kernel.release") "*) ;; *)
			die boot "off (cpus=$n): not the patched binary ($(sed -n 's/.* kernel=\([^ ]*\).*/\1/p' <<<"$hdr"))" "$rlog" ;;
		esac
	fi
	case " $hdr " in *" auto_init="*"$want_ai "*) ;; *)
		die boot "$name (cpus=$n): the kernel log does not say $want_ai (auto_init=$(sed -n 's/.* auto_init=\([^ ]*\).*/\1/p' <<<"$hdr"))" "$rlog" ;;
	esac
	case " $hdr " in *" deferred_free=$want_df "*) ;; *)
		die boot "$name (cpus=$n): deferred_free is not $want_df in the guest" "$rlog" ;;
	esac
	if grep -qE "$SPLAT_RE" "$rlog"; then
		log "kernel splat in $rlog:"
		grep -m5 -E "$SPLAT_RE" "$rlog" >&2
		echo "$name cpus=$n run $r: $(grep -m1 -E "$SPLAT_RE" "$rlog")" >>"$LOGDIR/bench-splats.txt"
	fi
	if [ "$n" = 2 ]; then
		[ -n "$vcpu1_tid" ] || die boot "$name (cpus=$n): UML CPU 1's host thread was never found" "$rlog"
		pinl=$(grep -m1 '^bench-pin ' "$rlog") || die boot "$name (cpus=$n): no bench-pin line: the guest did not pin (dmabuf-bench -p 0,1)" "$rlog"
		case " $pinl " in *" self_cpu=0 worker_cpu=$([ "$name" = patched ] && echo 1 || echo -1) "*" spun_cpu=1 spun_ms="*) ;; *)
			die boot "$name (cpus=$n): the guest did not pin the benchmark to CPU 0 and the worker to CPU 1: $pinl" "$rlog" ;;
		esac
		# The thread we moved is CPU 1 if it ran the guest's spin on CPU 1: at least half of
		# it on the host (CPU 1 is idle but for that and, in the patched kernel, the worker).
		spun=$(sed -n 's/.* spun_ms=\([0-9]*\).*/\1/p' <<<"$pinl")
		if [ "$vcpu1_ns" -lt $((spun * 1000000 / 2)) ]; then
			die boot "$name (cpus=$n): host thread $vcpu1_tid ran $((vcpu1_ns / 1000000)) ms, less than half of the guest's $spun ms spin on CPU 1: it is not UML's CPU 1" "$rlog"
		fi
		echo "$vcpu1_tid $vcpu1_ns" >"$rlog.vcpu1"
	fi
	grep -q '^bench warn' "$rlog" && { log "warnings in $rlog:"; grep -m3 '^bench warn' "$rlog" >&2; }
	log "$name cpus=$n run $r done in $((SECONDS - start)) s, others used $(cat "$rlog.others") host cores"
}
# The benchmark competes with whatever else runs on the host: give UML the upper hand.
nice=${DMABUF_BENCH_NICE:-$([ "$(id -u)" = 0 ] && echo -19 || echo 0)}
t_run=$SECONDS
PEERS="base iof patched$([ "$control" = 0 ] || echo ' off')"
rm -f "$LOGDIR"/bench-base-cpu*.log* "$LOGDIR"/bench-iof-cpu*.log* "$LOGDIR"/bench-patched-cpu*.log* \
	"$LOGDIR"/bench-off-cpu*.log* \
	"$LOGDIR/bench-splats.txt"
for n in $cpus; do
	for r in $(seq "$runs"); do
		# Interleave, so that drift in the host's load hits every peer alike.
		for k in $PEERS; do run_uml "$k" "$n" "$r"; done
	done
done
t_run=$((SECONDS - t_run))
build_unlock

# ---- table ----
table=$LOGDIR/bench-table.txt
# make_table CPUS: one table from all runs of that CPU count. Every number is the median over
# the runs of the per-run statistic; "spread" is max/min over the runs (base/iof/patched).
# Ratios are oriented so that > 1 means the patched kernel is better: peer/patched for times,
# CPU time and counts where less is better, patched/peer for throughput and free blocks.
make_table() {
	local n=$1 f k
	for k in $PEERS; do
		for f in "$LOGDIR"/bench-"$k"-cpu"$n"-run*.log; do
			[ -f "$f" ] || continue
			grep -h '^bench ' "$f" | sed "s/^/$k /"
		done
	done | awk -v cpus="$n" -v peers="$PEERS" '
	BEGIN { np = split(peers, PL, " ") }
	function num(x) { return x ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ }
	function med(l,   v, c, i, j, t) {
		c = split(l, v, " "); if (!c) return ""
		for (i = 2; i <= c; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
		return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
	}
	function spread(l,   v, c, i, lo, hi) {
		c = split(l, v, " "); if (c < 2) return "-"
		lo = hi = v[1] + 0
		for (i = 2; i <= c; i++) { if (v[i] + 0 < lo) lo = v[i] + 0; if (v[i] + 0 > hi) hi = v[i] + 0 }
		return lo > 0 ? sprintf("%.2f", hi / lo) : "-"
	}
	function spmax(l,   s) { s = spread(l); return s == "-" ? 1 : s + 0 }
	function get(k, id, x) { return med(vals[k, id, x]) }
	function us(ns) { if (!num(ns)) return "n/a"; v = ns / 1000
		return v >= 1000 ? sprintf("%.0f", v) : v >= 100 ? sprintf("%.1f", v) : sprintf("%.2f", v) }
	function fmt(v) { if (!num(v)) return "n/a"
		return v >= 1000 ? sprintf("%.0f", v) : v >= 10 ? sprintf("%.1f", v) : sprintf("%.3f", v) }
	function int_(v) { return num(v) ? sprintf("%.0f", v) : "n/a" }
	function rat(a, b) { return (num(a) && num(b) && b > 0) ? a / b : "" }
	function x(r) { return r == "" ? "n/a" : r >= 100 ? sprintf("%.0fx", r) : r >= 10 ? sprintf("%.1fx", r) : sprintf("%.2fx", r) }
	# usize(M): the size of unrelated measure M, as dmabuf-bench prints it.
	function usize(m) { return m == "fork_exit" ? "8M" : "16M" }
	function pc(v) { return v < 1 ? sprintf("%.1f", v) : sprintf("%.0f", v) }
	# verdict(ratio, min): met if ratio >= min.
	function verdict(r, min) { if (r == "") return "n/a"
		return r >= min ? "met" : sprintf("MISSED by %s%%", pc(100 * (1 - r / min))) }
	# calc(ID, KEY, DIR): B, I, P (medians), RB, RI (ratios, > 1: patched better), SP (spreads).
	# DIR lo: less is better; hi: more is better.
	function calc(id, key, dir) {
		B = get("base", id, key); I = get("iof", id, key); P = get("patched", id, key)
		RB = dir == "hi" ? rat(P, B) : rat(B, P); RI = dir == "hi" ? rat(P, I) : rat(I, P)
		SPB = spmax(vals["base", id, key]); SPP = spmax(vals["patched", id, key])
		SP = spread(vals["base", id, key]) "/" spread(vals["iof", id, key]) "/" spread(vals["patched", id, key])
		return B != "" || I != "" || P != ""
	}
	function out(m, s, st, b, i, p, tgt, res) {
		printf "%-15s %-6s %-8s %9s %9s %9s %7s %7s %14s  %-15s %s\n", m, s, st, b, i, p, x(RB), x(RI), SP, tgt, res
		if (res ~ /MISSED/) misses = misses sprintf("  %s %s %s: %s (target %s)\n", m, s, st, res, tgt)
	}
	# ctlrow(M, S, ST, ID, KEY, DIR): a row of the control block, if the off peer ran.
	function ctlrow(m, s, st, id, key, dir,   o, p, r, b) {
		o = get("off", id, key); p = get("patched", id, key)
		if (o == "" || p == "") return
		if (!ctl++) {
			printf "control: off = the patched binary booted with system_heap.max_pending_kb=0 (no pools);\n"
			printf "  p:off > 1: the patched kernel is better than its own binary without pools (the design);\n"
			printf "  base:off > 1: base is better than off, two binaries doing the same work (code layout, boots)\n"
			printf "%-15s %-6s %-8s %9s %9s %9s %7s %7s %14s\n", "measure", "size", "stat", "base", "off", "patched", "p:off", "base:off", "spread b/o/p"
		}
		b = get("base", id, key)
		r = dir == "hi" ? rat(p, o) : rat(o, p)
		printf "%-15s %-6s %-8s %9s %9s %9s %7s %7s %14s\n", m, s, st,
			key ~ /_ns$/ ? us(b) : fmt(b), key ~ /_ns$/ ? us(o) : fmt(o), key ~ /_ns$/ ? us(p) : fmt(p),
			x(r), x(dir == "hi" ? rat(b, o) : rat(o, b)),
			spread(vals["base", id, key]) "/" spread(vals["off", id, key]) "/" spread(vals["patched", id, key])
	}
	# anypeer(ID, KEY): whether any peer has a value for KEY of measure ID.
	function anypeer(id, key,   q) { for (q = 1; q <= np; q++) if (get(PL[q], id, key) != "") return 1; return 0 }
	# drow(LABEL, STATE, ID, KEY, SCALE): one diagnostic row, the median of every peer.
	function drow(lab, st, id, key, sc,   q, v) {
		if (!anypeer(id, key)) return
		printf "%-17s %-8s", lab, st
		for (q = 1; q <= np; q++) { v = get(PL[q], id, key); printf " %9s", v == "" ? "n/a" : fmt(v * sc) }
		printf "\n"
	}
	# both(min_base, min_iof): verdict against both peers.
	function both(mb, mi,   vb, vi) { vb = verdict(RB, mb); vi = verdict(RI, mi)
		return vb == vi ? vb : "base " vb ", iof " vi }
	# frag_verdict(DIR, UNIT): met if not worse than base by more than the run-to-run spread, or
	# by more than UNIT, the resolution of the measure (one pageblock or block, 0.1 percentage
	# point). Two runs that agree give a spread of 1.00, which says nothing about the noise: one
	# free block of 986 is not a miss.
	function frag_verdict(dir, unit,   w, t) { if (RB == "") return "n/a"
		if (RB >= 1) return "met"
		if (RB <= 0) return "MISSED"
		w = 1 / RB; t = SPB > SPP ? SPB : SPP
		if (dir == "hi" && B - unit > 0 && B / (B - unit) > t) t = B / (B - unit)
		if (dir == "lo" && B > 0 && (B + unit) / B > t) t = (B + unit) / B
		return w <= t * 1.000001 ? sprintf("met (%.1f%% worse, within spread or resolution)", 100 * (w - 1)) : sprintf("MISSED: %.1f%% worse", 100 * (w - 1)) }
	$2 != "bench" { next }
	{ k = $1; delete f
	  for (i = 3; i <= NF; i++) { j = index($i, "="); if (j) f[substr($i, 1, j - 1)] = substr($i, j + 1) }
	  if (!("measure" in f)) next
	  if (f["measure"] == "frame_queue" && f["gib"] > 0) {
		f["cpu_task_ms_gib"] = (f["cpu_self_ns"] + f["cpu_worker_ns"]) / f["gib"] / 1e6
		f["cpu_worker_ms_gib"] = f["cpu_worker_ns"] / f["gib"] / 1e6
		f["cpu_all_ms_gib"] = f["cpu_all_ns"] / f["gib"] / 1e6
	  }
	  if (f["measure"] == "churn" && f["iters"] > 0) {
		if (num(f["wasted_pages"])) f["wasted_mb_round"] = f["wasted_pages"] / 256 / f["iters"]
		if (num(f["cleared_pages"])) f["cleared_mb_round"] = f["cleared_pages"] / 256 / f["iters"]
		if (num(f["pgfree"])) f["pgfree_mb_round"] = f["pgfree"] / 256 / f["iters"]
	  }
	  id = f["measure"] SUBSEP f["size"]
	  for (y in f) if (num(f[y])) vals[k, id, y] = vals[k, id, y] " " f[y] }
	END {
		if (cpus == 1) printf "== UML, 1 CPU (pinned to one host core): main table ==\n"
		else if (cpus == 2) printf "== UML, 2 CPUs, the second one idle: benchmark on CPU 0, worker on CPU 1, UML CPU 1 alone on a host core ==\n"
		else printf "== UML, 2 CPUs placed by the schedulers (guest and host): 3 busy host threads can share 2 cores ==\n"
		printf "%-15s %-6s %-8s %9s %9s %9s %7s %7s %14s  %-15s %s\n", "measure", "size", "stat",
			"base", "iof", "patched", "p:base", "p:iof", "spread b/i/p", "target", "result"
		ns = split("4K 1M 8M 32M 128M", S, " ")
		for (z = 1; z <= ns; z++) {
			s = S[z]; id = "warm" SUBSEP s
			if (calc(id, "alloc_med_ns", "lo")) {
				tgt = res = ""
				if (s == "1M" || s == "8M" || s == "32M") { tgt = "p:iof >= 1"; res = verdict(RI, 1) }
				out("warm alloc", s, "med_us", us(B), us(I), us(P), tgt, res)
				calc(id, "alloc_p90_ns", "lo"); out("warm alloc", s, "p90_us", us(B), us(I), us(P), "", "")
				calc(id, "rel_med_ns", "lo"); out("warm release", s, "med_us", us(B), us(I), us(P), "", "")
				calc(id, "rt_med_ns", "lo"); out("warm roundtrip", s, "med_us", us(B), us(I), us(P), "", "")
			}
		}
		for (z = 1; z <= ns; z++) {
			s = S[z]; id = "tput" SUBSEP s
			if (!calc(id, "gbps", "hi")) continue
			tgt = res = ""
			if (cpus == 1 && s != "4K") { tgt = "p:base >= 0.95"; res = verdict(RB, 0.95) }
			if (cpus == 2 && (s == "8M" || s == "32M" || s == "128M")) { tgt = "p:base >= 1.3"; res = verdict(RB, 1.3) }
			out("back-to-back", s, "GB/s", fmt(B), fmt(I), fmt(P), tgt, res)
		}
		for (z = 1; z <= ns; z++) {
			s = S[z]; id = "cold_alloc" SUBSEP s
			if (calc(id, "alloc_med_ns", "lo")) out("alloc, no pool", s, "med_us", us(B), us(I), us(P), "", "")
		}
		split("33 16 0", G, " ")
		for (z = 1; z <= 3; z++) {
			g = G[z]; id = "frame_queue" SUBSEP "gap" g
			lab = g == 33 ? "frameq 30fps" : g == 16 ? "frameq 60fps" : "frameq no gap"
			if (!calc(id, "rt_mean_ns", "lo")) continue
			tgt = res = ""
			if (g == 33) { tgt = ">= 5x both"; res = both(5, 5) }
			out(lab, "16x8M", "rt mean", us(B), us(I), us(P), tgt, res)
			# The same queue with 16 x 4 KiB, buffers that need no clearing and take the
			# same path on every kernel (buffers under 1 MiB bypass the pools): the fixed cost per
			# round (syscalls, dma-buf export and release). Not a bound: its noise between
			# boots is larger than the difference to the 8 MiB round.
			if (g == 33) {
				if (calc("frame_queue" SUBSEP "gap33_4k", "rt_mean_ns", "lo")) {
					RB = RI = ""
					out(lab, "16x4K", "rt mean", us(B), us(I), us(P), "", "fixed cost, no clearing")
				}
				calc(id, "rt_mean_ns", "lo")
			}
			calc(id, "rt_med_ns", "lo"); out(lab, "16x8M", "rt med", us(B), us(I), us(P), "", "")
			calc(id, "rt_p90_ns", "lo"); out(lab, "16x8M", "rt p90", us(B), us(I), us(P), "", "")
			calc(id, "alloc_mean_ns", "lo"); out(lab, "16x8M", "alloc mn", us(B), us(I), us(P), "", "")
			calc(id, "alloc_p90_ns", "lo"); out(lab, "16x8M", "alloc 90", us(B), us(I), us(P), "", "")
			calc(id, "rel_mean_ns", "lo"); out(lab, "16x8M", "rel mean", us(B), us(I), us(P), "", "")
			calc(id, "rel_p90_ns", "lo"); out(lab, "16x8M", "rel p90", us(B), us(I), us(P), "", "")
			if (g != 0) {
				calc(id, "cpu_task_ms_gib", "lo"); tgt = res = ""
				if (g == 33) { tgt = "<= 1.05x base"; res = verdict(RB, 1 / 1.05) }
				out("CPU/GiB " g "ms", "task+w", "ms/GiB", fmt(B), fmt(I), fmt(P), tgt, res)
				calc(id, "cpu_worker_ms_gib", "lo"); RB = RI = ""
				out("CPU/GiB " g "ms", "worker", "ms/GiB", fmt(B), fmt(I), fmt(P), "", "")
				calc(id, "cpu_all_ms_gib", "lo")
				out("CPU/GiB " g "ms", "allCPU", "ms/GiB", fmt(B), fmt(I), fmt(P), "", "")
			}
		}
		nu = split("anon_populate anon_munmap fork_exit tmpfs_write tmpfs_unlink", U, " ")
		for (z = 1; z <= nu; z++) {
			m = U[z]; s = usize(m); id = m SUBSEP s
			if (calc(id, "t_med_ns", "lo")) out(m, s, "med_us", us(B), us(I), us(P), "", "")
		}
		id = "churn" SUBSEP "16x8M"
		if (calc(id, "rt_mean_ns", "lo")) {
			out("churn", "16x8M", "rt mean", us(B), us(I), us(P), "", "")
			calc(id, "write_mean_ns", "lo"); out("churn", "288M", "falloc", us(B), us(I), us(P), "", "")
			calc(id, "cleared_mb_round", "lo"); RB = RI = ""
			out("churn", "round", "clr MiB", fmt(B), fmt(I), fmt(P), "", "")
			calc(id, "wasted_mb_round", "lo"); RB = RI = ""
			out("churn", "round", "wast MiB", fmt(B), fmt(I), fmt(P), "", "")
			calc(id, "pgfree_mb_round", "lo"); RB = RI = ""
			out("churn", "round", "free MiB", fmt(B), fmt(I), fmt(P), "", "")
		}
		split("before pooled dropped", FS_, " ")
		for (z = 1; z <= 3; z++) {
			s = FS_[z]; id = "frag" SUBSEP s
			if (!calc(id, "unmovable_blocks", "lo")) continue
			tgt = res = ""; if (s != "before") { tgt = "<= base+spread"; res = frag_verdict("lo", 1) }
			out("frag", s, "unmov bl", int_(B), int_(I), int_(P), tgt, res)
			calc(id, "free_ge9", "hi")
			tgt = res = ""; if (s != "before") { tgt = "<= base+spread"; res = frag_verdict("hi", 1) }
			out("frag", s, "free>=o9", int_(B), int_(I), int_(P), tgt, res)
			calc(id, "hi_pct", "hi")
			tgt = res = ""; if (s != "before") { tgt = "<= base+spread"; res = frag_verdict("hi", 0.1) }
			out("frag", s, "free%>=o9", fmt(B), fmt(I), fmt(P), tgt, res)
			calc(id, "free_kb", "hi"); RB = RI = ""
			out("frag", s, "free MiB", int_(B / 1024), int_(I / 1024), int_(P / 1024), "", "")
		}
		id = "reclaim" SUBSEP "256M"
		if (calc(id, "time_ns", "lo") && num(P)) {
			rk = get("patched", id, "returned_kb"); pk = get("patched", id, "pool_kb"); left = get("patched", id, "left_pages")
			RB = RI = ""
			out("drop_caches", "256M", "ms", "n/a", "n/a", sprintf("%.1f", P / 1e6), "<= 1000 ms",
				(P <= 1e9 && left == 0 && rk >= 0.95 * pk) ? "met" : "MISSED")
		}
		# The control (-C): the patched binary with the pools off, against the patched kernel.
		ctl = 0
		for (z = 1; z <= ns; z++) {
			s = S[z]
			ctlrow("back-to-back", s, "GB/s", "tput" SUBSEP s, "gbps", "hi")
			ctlrow("warm roundtrip", s, "med_us", "warm" SUBSEP s, "rt_med_ns", "lo")
		}
		ctlrow("frameq 30fps", "16x8M", "rt mean", "frame_queue" SUBSEP "gap33", "rt_mean_ns", "lo")
		for (z = 1; z <= nu; z++) {
			m = U[z]; s = usize(m)
			ctlrow(m, s, "med_us", m SUBSEP s, "t_med_ns", "lo")
		}
		# Diagnostics of the work outside the heap: what the earlier measures left behind
		# (the pools, the free lists) and the same work after drop_caches, every peer.
		split("pooled dropped", US, " "); dg = 0
		for (z = 1; z <= 2; z++) {
			st = US[z]; sfx = z == 2 ? "_dropped" : ""
			if (!dg && !anypeer("unrel_state" SUBSEP "pooled", "pool_kb")) break
			if (!dg++) {
				printf "unrelated work, as the measures before left the system (pooled) and after drop_caches (dropped):\n"
				printf "  pool MiB and free%%>=o9 before the pass; pfn brk: breaks in PFN contiguity per 16 MiB populated (4095 = none contiguous)\n"
				printf "%-17s %-8s", "measure", "state"; for (q = 1; q <= np; q++) printf " %9s", PL[q]; printf "\n"
			}
			drow("pool MiB", st, "unrel_state" SUBSEP st, "pool_kb", 1 / 1024)
			drow("free%>=o9", st, "unrel_state" SUBSEP st, "hi_pct", 1)
			drow("pfn brk", st, "pfn_breaks" sfx SUBSEP usize("anon_populate"), "med", 1)
			for (w = 1; w <= nu; w++) drow(U[w] " us", st, U[w] sfx SUBSEP usize(U[w]), "t_med_ns", 1 / 1000)
		}
		printf "ratios: > 1 means the patched kernel is better (peer/patched for times, CPU and counts,\n"
		printf "  patched/peer for GB/s and free blocks). spread: max/min of the per-run values (base/iof/patched).\n"
		if (misses != "") printf "missed targets (%s CPU):\n%s", cpus, misses
		else printf "all targets met (%s CPU)\n", cpus
	}'
}
first=${cpus%% *}
{
	echo "dma-buf system heap benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "host: $host_model, $(nproc) cores, load at start $host_load; UML at host nice $nice"
	echo "base:    $BASE_TAG ($(git -C "$CACHE/bench-base" rev-parse --short HEAD)), $(cat "$BUILD/bench-uml-base/include/config/kernel.release")"
	echo "iof:     the base binary booted with init_on_free=1"
	echo "patched: $ref ($(git -C "$CACHE/bench-patched" rev-parse --short HEAD) $(git -C "$CACHE/bench-patched" log -1 --format=%s | cut -c1-60)), $(cat "$BUILD/bench-uml-patched/include/config/kernel.release")"
	[ "$control" = 0 ] || echo "off:     the patched binary booted with system_heap.max_pending_kb=0 (control, -C)"
	echo "UML (ARCH=um, SMP, seccomp userspace), x86_64 defconfig + kernel-config/uml/*.config, mem=$mem,"
	echo "  CPU counts: $cpus, $runs run(s) of each peer per CPU count, interleaved$([ "$quick" = 1 ] && echo '; QUICK (-q) run: few iterations')"
	for n in $cpus; do
		for k in $PEERS; do
			sed -n "/^bench-header kernel=[^ ]* /{s//  $k cpus=$n: /p;q}" "$LOGDIR/bench-$k-cpu$n-run1.log"
			echo "    host cores used by other processes, per run: $(cat "$LOGDIR"/bench-"$k"-cpu"$n"-run*.log.others | tr '\n' ' ')"
		done
	done
	sed -n '/^bench-iters kernel=[^ ]* /{s//  iterations: /p;q}' "$LOGDIR/bench-patched-cpu$first-run1.log"
	echo "  UML: every syscall and clock read traps into the UML kernel (timer_ns, syscall_ns above): a fixed"
	echo "  cost on every kernel that dominates small sizes and pulls their ratios towards 1."
	for n in $cpus; do
		echo
		make_table "$n"
	done
	echo
	if [ -s "$LOGDIR/bench-splats.txt" ]; then
		echo "kernel messages (BUG/WARNING/panic) in these boots, see the logs:"
		sed 's/^/  /' "$LOGDIR/bench-splats.txt"
	else
		echo "no kernel BUG/WARNING/panic in any boot"
	fi
	echo "build ${t_build} s, runs ${t_run} s, total $((SECONDS - t_start)) s"
} >"$table.tmp"
mv "$table.tmp" "$table"
cat "$table"
exit 0
