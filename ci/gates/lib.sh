# shellcheck shell=bash disable=SC2034  # GATES_DIR RCACHE DEBUG_BOOT_ARGS...: for the gates
# Shared by the upstream gates: the runner ci/gate-upstream.sh and each gate ci/gates/GATE.sh.
# Source it, do not run it. The runner resolves the range once and writes it to $WK/context
# (declare -p); a gate script gets it from here. A gate ends with one "verdict PASS|FAIL|SKIP
# DETAIL [LOG]" and exit 0; the runner prints "gate GATE: ..." and counts it. A gate that exits
# non-zero, or says nothing, FAILs whatever it said.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
STAGE=gates
# Debian's python3 (checkpatch's spdxcheck needs python3-ply/python3-git), not a pyenv one.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
GATES_DIR=$REPO/ci/gates
GW=$CACHE/gates                         # our worktree, checked out per patch
WK=$CACHE/gates-work                    # scratch, remade every run
RCACHE=$CACHE/gates-cache               # cached results, keyed by content
GLOG=$LOGDIR/gates
GATE=$(basename "$0" .sh)
if [ "$GATE" != gate-upstream ]; then
	[ -f "$WK/context" ] || die gates "no $WK/context: run ci/gate-upstream.sh -g $GATE"
	# shellcheck source=/dev/null
	. "$WK/context"    # n C SUBJ FILES KFILES KC TREEID PF pf_from src range tip ALLK want force applied listed
	kbuild_env "$GW"
fi
# (The context's scalars, declared for shellcheck; the runner sets them.)
n=${n:-0} tip=${tip-} force=${force:-0} pf_from=${pf_from-} range=${range-} ALLK=${ALLK-} want=${want-}
applied=${applied:-0} listed=${listed:-0}

# verdict PASS|FAIL|SKIP DETAIL [LOG]: this gate's verdict, for the runner.
verdict() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-$GLOG/$GATE.log}" >"$WK/verdict-$GATE"; }
# sel GATE: GATE is selected in this run.
sel() { [[ " $want " == *" $1 "* ]]; }
# need_commits: a gate that checks the series has nothing to check in an empty range. That is a
# SKIP only when the series file lists no patch; otherwise the series was not applied
# (apply-series.sh failed or never ran) and the gate FAILs, so that an apply failure cannot leave
# the gates green. On the applied series itself (the default range in $TREE: $applied, set by the
# runner) the range must also hold exactly the listed patches: a failed git am keeps the patches
# before the one that failed, and the gates must not pass on that part of the series.
need_commits() {
	if [ "$n" -eq 0 ]; then
		if [ "$listed" -gt 0 ]; then
			verdict FAIL "no commits in $range, but $SERIES lists $listed patch(es): the series is not applied (scripts/apply-series.sh)"
		else
			verdict SKIP "no commits in $range ($SERIES lists no patch)"
		fi
		exit 0
	fi
	if [ "$applied" = 1 ] && [ "$n" -ne "$listed" ]; then
		verdict FAIL "$n commit(s) in $range, but $SERIES lists $listed patch(es): the series is not applied as listed (scripts/apply-series.sh)"
		exit 0
	fi
}
w() { git -C "$GW" "$@"; }
checkout() { w checkout -q -f --detach "$1" && w clean -q -fdx; }
pname() { printf '%d/%d "%s"' "$1" "$n" "${SUBJ[$1]}"; }
# joined SEP ITEM...: the items, separated by SEP.
joined() { local IFS=$1; shift; echo "$*"; }

# Only one kernel build at a time on this machine (scripts/lib.sh build_lock): with_lock CMD...
# takes it for one command; lock_hold/lock_release keep it over a series of builds (the
# per-patch loop), so that other builds cannot slip in between its steps. The waits add up in
# $WK/lock-wait.
HAVE_LOCK=0
with_lock() {
	if [ "$HAVE_LOCK" = 1 ]; then "$@"; return; fi
	(
		build_lock || { echo "timed out waiting for $LOCK (another build)"; exit 99; }
		echo "$LOCK_WAITED" >>"$WK/lock-wait"
		"$@"
	)
}
lock_hold() { build_lock || return 99; echo "$LOCK_WAITED" >>"$WK/lock-wait"; HAVE_LOCK=1; }
lock_release() { [ "$HAVE_LOCK" = 1 ] || return 0; build_unlock; HAVE_LOCK=0; }

# Diagnostics as "path: warning: text": tree prefixes, line/column numbers and colours removed.
norm() {
	sed -E -e 's/\x1b\[[0-9;]*[mK]//g' -e "s#^$GW/##" -e 's#^(\.\./)+gates/##' -e 's#^\./##' \
		-e 's#^([^: ]+):[0-9]+(:[0-9]+(-[0-9]+)?)?: #\1: #' | LC_ALL=C sort
}
diags() { grep -E ': (warning|error|WARNING|ERROR)[: ]' "$@" | norm || true; }
# newer OLD NEW: lines of NEW beyond those in OLD (multisets, both sorted by norm)
newer() { LC_ALL=C comm -13 "$1" "$2"; }
sha() { sha256sum | cut -c1-24; }

# ---- whole series, at the tip ----
# series_build NAME ARCH FRAGMENT TARGETS...: configure + build $BUILD/gates-NAME, log
# $GLOG/NAME.build.log; touched objects are removed first, so that their warnings (and modpost)
# are in the log every time.
series_build() {
	local name=$1 arch=$2 frag=$3 o=$BUILD/gates-$1 f
	shift 3
	{
		kconfig -k "$tip" "$GW" "$o" "$arch" tinyconfig "$frag" || return 1
		for f in $ALLK; do case $f in *.c) rm -f "$o/${f%.c}.o" "$o/${f%.c}.ko" ;; esac; done
		kmake "$GW" "$o" "$arch" -j"$JOBS" "$@"
	} >"$GLOG/$name.build.log" 2>&1
}
# build_error LOG: the first line of a kernel build log that says why it failed (a compiler or
# linker error, a config check, make's "***"), not a line that merely contains "error", such as
# "CC fs/fserror.o".
build_error() {
	{ grep -m1 -E ': (fatal )?error:|undefined reference|options not set|\*\*\* |Error [0-9]+' "$1" || true; } | cut -c1-160
}
# touched_warnings LOG: compiler warnings in files the series touches
touched_warnings() {
	local f re=""
	for f in $ALLK; do re="$re|$f"; done
	[ -n "$re" ] || return 0
	grep -E ': (warning|error):' "$1" | sed -E -e "s#^$GW/##" -e 's#^(\.\./)+gates/##' | grep -E "^(${re#|}):" || true
}

# debug_prepare: the debug kernel (build-kernel.sh takes the build lock itself), the selftests plus
# the fault helper, and the initramfs, made once per run for debug-boot and fault-inject. Every
# step must succeed; returns 1 if one failed (log: $GLOG/debug-prepare.log).
DEBUG_ST=$BUILD/debug-selftests FAULT_PROG=dmabuf-heap-fault
# Extra kernel command line of the debug boots, see ci/GATES.md. Default no5lvl: with 5-level
# paging (QEMU's -cpu max has LA57) v7.3.4 has an early-boot race that KASAN reports as
# "wild-memory-access in do_raw_spin_lock" from handle_edge_irq during identify_cpu():
# identify_cpu() clears boot_cpu_data's capabilities before it reads them again, so for an
# interrupt in between pgtable_l5_enabled() is false and the 5-level direct map (ff11...)
# looks non-canonical. Seen in 2 of about 10 debug boots, before any initcall runs.
DEBUG_BOOT_ARGS=${DMABUF_DEBUG_BOOT_ARGS-no5lvl}
debug_prepare() {
	local t1=$SECONDS rc=0
	[ ! -f "$WK/debug-prepare.rc" ] || return "$(cat "$WK/debug-prepare.rc")"
	{
		"$REPO/scripts/build-kernel.sh" -t "$GW" -x "$REPO/kernel-config/debug/debug.config" debug &&
			"$REPO/scripts/build-selftests.sh" -t "$GW" debug &&
			debug_add_fault_prog &&
			"$REPO/scripts/make-initramfs.sh" -t "$GW" debug
	} >"$GLOG/debug-prepare.log" 2>&1 || rc=1
	echo "$rc" >"$WK/debug-prepare.rc"
	echo $((SECONDS - t1)) >"$WK/debug-prepare.time"
	return "$rc"
}
# The guest init runs what tests.list names (scripts/guest-init.sh). Add the fault helper there,
# next to the kselftests (kselftests.list); each boot picks its programs with wb.tests=.
debug_add_fault_prog() {
	cp "$DEBUG_ST/dmabuf-heaps/tests.list" "$DEBUG_ST/kselftests.list" || return 1
	[ -x "$DEBUG_ST/helpers/$FAULT_PROG" ] || return 0
	cp "$DEBUG_ST/helpers/$FAULT_PROG" "$DEBUG_ST/dmabuf-heaps/" && echo "$FAULT_PROG" >>"$DEBUG_ST/dmabuf-heaps/tests.list"
}
debug_prepare_failed() { echo "debug kernel/initramfs not built: $(grep -m1 '^FAIL ' "$GLOG/debug-prepare.log" || tail -n1 "$GLOG/debug-prepare.log")"; }
