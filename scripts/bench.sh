#!/usr/bin/env bash
# Benchmark the system heap: base (v7.3.4-debian) against the series, both as UML (ARCH=um)
# kernels built from the same config (x86_64 UML defconfig + kernel-config/uml/*.config), each
# booted with the same initramfs (scripts/make-initramfs.sh: static busybox, scripts/guest-init.sh
# as /init, selftests/dmabuf-bench.c as the one test program), with 1 and with 2
# UML CPUs (UML SMP, seccomp userspace). UML runs kernel code at native speed; QEMU TCG here
# does not (see selftests/BENCH.md).
#
# usage: bench.sh [-q] [-r RUNS] [-c "1 2"] [-m MEM] [-o MEASURES] [PATCHED_REF]
#   PATCHED_REF  commit-ish in $TREE for the patched kernel (default: branch "series" if it
#                exists and has patches, else "dev"). Base is always $BASE_TAG.
#   -q           quick run (a tenth of the iterations, 1 run; for testing the harness)
#   -r RUNS      boots of each kernel per CPU count, alternating base/patched (default 3); the
#                table shows the median over the runs, and their spread
#   -c LIST      UML CPU counts to run, default "1 2". One CPU is pinned to one host core: the
#                main table. Two CPUs: the worker clears pages on the other CPU, but every
#                cross-CPU wakeup costs tens of us on this host (see selftests/BENCH.md).
#   -m MEM       guest memory, default 4G (the deferred-free bound is 1/16 of it: 4G holds the
#                16 x 8 MiB frame queue, 2G does not)
#   -o LIST      only these measures (see dmabuf-bench.c), default all
# Worktrees: $CACHE/bench-base, $CACHE/bench-patched (re-pointed with git checkout, so only what
# the series changes is rebuilt). Builds: $CACHE/build/bench-uml-{base,patched}.
# Output: the table on stdout and in $LOGDIR/bench-table.txt; raw guest logs in
# $LOGDIR/bench-{base,patched}-cpuN-runR.log. UML runs at host nice -19 (DMABUF_BENCH_NICE).
# Exit status is 0 whatever the numbers are; a failing config, build or boot prints
# FAIL stage=... and exits 1.
. "$(dirname "$0")/lib.sh"
STAGE=bench

quick=0 cpus="1 2" mem=4G only='' runs=''
while getopts qc:m:o:r: opt; do
	case $opt in
	q) quick=1 ;;
	r) runs=$OPTARG ;;
	c) cpus=$OPTARG ;;
	m) mem=$OPTARG ;;
	o) only=$OPTARG ;;
	*) die bench "usage: $0 [-q] [-r RUNS] [-c \"1 2\"] [-m MEM] [-o MEASURES] [PATCHED_REF]" ;;
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
	case $n in 1|2) ;; *) die bench "-c: UML CPU counts must be 1 or 2 (NR_CPUS=2), got $n" ;; esac
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
# run_uml NAME CPUS RUN: boot, run the bench, check the markers. The log is left for the table.
run_uml() {
	local name=$1 n=$2 r=$3 O=$BUILD/bench-uml-$1 rlog=$LOGDIR/bench-$1-cpu$2-run$3.log
	local start rc=0 args b0 c0 w0 pin='' upid ended=0
	# One UML CPU: keep UML's kernel thread and its userspace stubs on one host core. Unpinned,
	# the host puts them on different cores, and on an idle host (a VM) every syscall of the
	# guest then waits for an idle vCPU to wake: 60-90 us instead of 5 us.
	[ "$n" = 1 ] && pin="taskset -c $(($(nproc) - 1))"
	# seccomp=on: SECCOMP userspace (UML SMP needs it; faster syscalls and page faults too).
	args="mem=$mem ncpus=$n seccomp=on initrd=$initrd con=null con0=null,fd:1 loglevel=5"
	args="$args umid=dmabuf-bench-$name uml_dir=$UMLDIR wb.tests=dmabuf-bench wb.timeout=$BOOT_TIMEOUT wb.end=halt"
	args="$args wb.args=$([ "$quick" = 0 ] || echo -q:)${only:+-m:$only}"
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
	if grep -qE "$SPLAT_RE" "$rlog"; then
		log "kernel splat in $rlog:"
		grep -m5 -E "$SPLAT_RE" "$rlog" >&2
		echo "$name cpus=$n run $r: $(grep -m1 -E "$SPLAT_RE" "$rlog")" >>"$LOGDIR/bench-splats.txt"
	fi
	grep -q '^bench warn' "$rlog" && { log "warnings in $rlog:"; grep -m3 '^bench warn' "$rlog" >&2; }
	log "$name cpus=$n run $r done in $((SECONDS - start)) s, others used $(cat "$rlog.others") host cores"
}
# The benchmark competes with whatever else runs on the host: give UML the upper hand.
nice=${DMABUF_BENCH_NICE:-$([ "$(id -u)" = 0 ] && echo -19 || echo 0)}
t_run=$SECONDS
rm -f "$LOGDIR"/bench-base-cpu*.log* "$LOGDIR"/bench-patched-cpu*.log* "$LOGDIR/bench-splats.txt"
for n in $cpus; do
	for r in $(seq "$runs"); do
		# Alternate, so that drift in the host's load hits both kernels alike.
		run_uml base "$n" "$r"
		run_uml patched "$n" "$r"
	done
done
t_run=$((SECONDS - t_run))
build_unlock

# ---- table ----
table=$LOGDIR/bench-table.txt
# make_table CPUS: one table from all runs of that CPU count. Every number is the median over
# the runs of the per-run statistic; "spread" is max/min over the runs (base/patched).
make_table() {
	local n=$1 f k
	for f in "$LOGDIR"/bench-base-cpu"$n"-run*.log "$LOGDIR"/bench-patched-cpu"$n"-run*.log; do
		k=${f##*/bench-}; k=${k%%-*}
		grep -h '^bench' "$f" | sed "s/^/$k /"
	done | awk -v cpus="$n" '
	function num(x) { return x ~ /^[0-9.]+$/ }
	# med(list): median of space-separated numbers ("" if none).
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
	function get(k, id, x) { return med(vals[k, id, x]) }
	function sp(id, x) { return spread(vals["base", id, x]) "/" spread(vals["patched", id, x]) }
	function us(ns) { if (!num(ns)) return "n/a"; v = ns / 1000
		return v >= 1000 ? sprintf("%.0f", v) : v >= 100 ? sprintf("%.1f", v) : sprintf("%.2f", v) }
	function fmt(v) { if (!num(v)) return "n/a"
		return v >= 1000 ? sprintf("%.0f", v) : v >= 10 ? sprintf("%.1f", v) : sprintf("%.3f", v) }
	function rat(a, b) { return (num(a) && num(b) && b > 0) ? a / b : "" }
	function row(m, s, t, st, b, p, r, hit, spr, tgt, res) {
		printf "%-17s %-5s %3s %-7s %9s %9s %8s %5s %9s  %-13s %s\n", m, s, t, st, b, p,
			r == "" ? "n/a" : sprintf("%.2fx", r), hit, spr, tgt, res
		if (res ~ /^MISSED/) misses = misses sprintf("  %s %s threads=%s %s: %s (target %s)\n", m, s, t, st, res, tgt)
	}
	# verdict(ratio, min): met if ratio >= min.
	function verdict(r, min) { if (r == "") return "n/a"
		return r >= min ? "met" : sprintf("MISSED by %s%%", pc(100 * (1 - r / min))) }
	function pc(x) { return x < 1 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
	$2 != "bench" { next }
	{ k = $1; delete f
	  for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	  if (!("measure" in f)) next
	  id = f["measure"] SUBSEP f["size"] SUBSEP f["threads"]
	  if (!(id in seen)) { seen[id] = 1; order[++nid] = id }
	  for (x in f) if (num(f[x])) vals[k, id, x] = vals[k, id, x] " " f[x] }
	END {
		if (cpus == 1) printf "== UML, 1 CPU (pinned to one host core): main table ==\n"
		else printf "== UML, %s CPUs: cross-CPU wakeups cost tens of us on this host (UML in a VM), see BENCH.md ==\n", cpus
		printf "%-17s %-5s %3s %-7s %9s %9s %8s %5s %9s  %-13s %s\n", "measure", "size", "thr", "stat",
			"base", "patched", "ratio", "hit%", "spread", "target", "result"
		for (o = 1; o <= nid; o++) {
			id = order[o]; split(id, a, SUBSEP); m = a[1]; s = a[2]; t = a[3]
			hit = get("patched", id, "pool_hit_pct"); hit = num(hit) ? sprintf("%.0f", hit) : "n/a"
			if (m == "tput") {
				b = get("base", id, "gbps"); p = get("patched", id, "gbps"); r = rat(p, b)
				row(m, s, t, "GB/s", fmt(b), fmt(p), r, hit, sp(id, "gbps"), ">= base", verdict(r, 1))
				b = get("base", id, "ops_s"); p = get("patched", id, "ops_s")
				row(m, s, t, "ops/s", fmt(b), fmt(p), rat(p, b), "", "", "", "")
				continue
			}
			if (m == "reclaim") {
				tm = get("patched", id, "time_ns"); pk = get("patched", id, "pool_kb")
				rk = get("patched", id, "returned_kb"); left = get("patched", id, "left_pages")
				res = "n/a"
				if (num(tm)) res = (tm <= 1e9 && left == 0 && rk >= 0.95 * pk) ? "met" : "MISSED"
				row(m, s, t, "ms", "n/a", num(tm) ? sprintf("%.1f", tm / 1e6) : "n/a", "", "",
					sp(id, "time_ns"), "<= 1000 ms", res)
				row(m, s, t, "pool kB", "n/a", num(pk) ? pk : "n/a", "", "", "", "", "")
				row(m, s, t, "ret kB", "n/a", num(rk) ? rk : "n/a", "", "", "", "all", res)
				continue
			}
			b = get("base", id, "median_ns"); p = get("patched", id, "median_ns"); r = rat(b, p)
			tgt = ""; res = ""
			if (t == 1 && m == "warm_alloc" && s == "8M") { tgt = ">= 10x"; res = verdict(r, 10) }
			if (t == 1 && m == "warm_alloc" && s == "32M") { tgt = ">= 30x"; res = verdict(r, 30) }
			if (t == 1 && m == "warm_alloc" && (s == "4K" || s == "64K")) { tgt = "<= 5% slower"; res = verdict(r, 1 / 1.05) }
			if (t == 1 && m == "cold_alloc") { tgt = "<= 5% slower"; res = verdict(r, 1 / 1.05) }
			if (t == 1 && m == "release" && s == "32M") { tgt = ">= 3x"; res = verdict(r, 3) }
			row(m, s, t, "med_us", us(b), us(p), r, hit, sp(id, "median_ns"), tgt, res)
			b = get("base", id, "p99_ns"); p = get("patched", id, "p99_ns")
			row(m, s, t, "p99_us", us(b), us(p), rat(b, p), "", sp(id, "p99_ns"), "", "")
		}
		id4 = "warm_alloc" SUBSEP "4K" SUBSEP "1"; id32 = "warm_alloc" SUBSEP "32M" SUBSEP "1"
		p4 = get("patched", id4, "median_ns"); p32 = get("patched", id32, "median_ns")
		b4 = get("base", id4, "median_ns"); b32 = get("base", id32, "median_ns")
		if (num(p4) && num(p32) && num(b4) && num(b32)) {
			r = p32 / p4
			row("warm 32M/4K", "-", 1, "x", sprintf("%.1f", b32 / b4), sprintf("%.2f", r), "", "", "",
				"patched <= 2x", r <= 2 ? "met" : sprintf("MISSED by %s%%", pc(100 * (r / 2 - 1))))
		}
		printf "ratio: base/patched for latencies (>1: patched faster), patched/base for throughput.\n"
		printf "hit%%: patched allocations served from the pools. spread: max/min of the per-run values (base/patched).\n"
		if (misses != "") printf "missed targets (%s CPU):\n%s", cpus, misses
		else printf "all targets met (%s CPU)\n", cpus
	}'
}
first=${cpus%% *}
{
	echo "dma-buf system heap benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "host: $host_model, $(nproc) cores, load at start $host_load; UML at host nice $nice"
	echo "base:    $BASE_TAG ($(git -C "$CACHE/bench-base" rev-parse --short HEAD)), $(cat "$BUILD/bench-uml-base/include/config/kernel.release")"
	echo "patched: $ref ($(git -C "$CACHE/bench-patched" rev-parse --short HEAD) $(git -C "$CACHE/bench-patched" log -1 --format=%s | cut -c1-60)), $(cat "$BUILD/bench-uml-patched/include/config/kernel.release")"
	echo "UML (ARCH=um, SMP, seccomp userspace), x86_64 defconfig + kernel-config/uml/*.config, mem=$mem,"
	echo "  CPU counts: $cpus, $runs run(s) of each kernel per CPU count, alternating$([ "$quick" = 1 ] && echo '; QUICK (-q) run: few iterations')"
	for n in $cpus; do
		for k in base patched; do
			sed -n "/^bench-header kernel=[^ ]* /{s//  $k cpus=$n: /p;q}" "$LOGDIR/bench-$k-cpu$n-run1.log"
			echo "    host cores used by other processes, per run: $(cat "$LOGDIR"/bench-"$k"-cpu"$n"-run*.log.others | tr '\n' ' ')"
		done
	done
	sed -n '/^bench-iters kernel=[^ ]* /{s//  iterations: /p;q}' "$LOGDIR/bench-patched-cpu$first-run1.log"
	echo "  warm_alloc/release iters are per thread (threads=2 has 2x the samples); tput: median of its reps."
	echo "  UML: every syscall and clock read traps into the UML kernel (timer_ns, syscall_ns above): a fixed"
	echo "  cost on both kernels that dominates small sizes and pulls their ratios towards 1."
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
