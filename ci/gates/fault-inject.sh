#!/usr/bin/env bash
# Gate fault-inject: a boot of the debug kernel runs only selftests/dmabuf-heap-fault.c
# (fail_page_alloc for its own task, a fail-nth sweep, then every size allocates and reads zero,
# then kmemleak shows no new object); the boot must be splat-free and all 4 cases must run.
. "$(dirname "$0")/lib.sh"
need_commits    # built on an unapplied series, it would test the base
FAULT_BOOT_TMO=${DMABUF_FAULT_BOOT_TIMEOUT:-900}
t0=$SECONDS L=$GLOG/fault-inject.log
if ! debug_prepare; then
	verdict FAIL "$(debug_prepare_failed)" "$GLOG/debug-prepare.log"
	exit 0
fi
if ! grep -qx "$FAULT_PROG" "$DEBUG_ST/dmabuf-heaps/tests.list"; then
	verdict FAIL "guest program $FAULT_PROG not built from selftests/$FAULT_PROG.c" "$GLOG/debug-prepare.log"
	exit 0
fi
rc=0
"$REPO/scripts/boot-test.sh" -v fault -T "$FAULT_BOOT_TMO" -a "wb.tests=$FAULT_PROG wb.timeout=600 $DEBUG_BOOT_ARGS" debug >"$L" 2>&1 || rc=$?
bl=$LOGDIR/boot-debug-fault.log
read -r p f s <"$LOGDIR/boot-debug-fault.result" 2>/dev/null || { p=0 f=0 s=0; }
stats=$( { grep -E '^# (random_faults: [0-9]+ allocations|fail_nth_sweep: [0-9]+ injected)' "$bl" || true; } | sed 's/^# //' | tr '\n' ';' | sed 's/;/; /g')
if [ "$rc" -ne 0 ]; then
	why=$( { grep -m1 '^FAIL ' "$L" || echo "boot-test rc=$rc"; } | sed 's/ (log: .*//')
	verdict FAIL "$why: $( { grep -m3 -E '^not ok' "$bl" || true; } | tr '\n' ' ')${stats%; }, $((SECONDS - t0)) s" "$bl"
elif [ "$s" -gt 0 ] || [ "$p" -lt 4 ]; then verdict FAIL "only $p of 4 cases ran ($s skipped): fault injection unavailable in the debug kernel?, $((SECONDS - t0)) s" "$bl"
else verdict PASS "$p/4 cases: ${stats}kmemleak clean, $((SECONDS - t0)) s" "$bl"; fi
