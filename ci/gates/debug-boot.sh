#!/usr/bin/env bash
# Gate debug-boot: the debug kernel (kernel-config/debug/debug.config: KASAN, lockdep, kmemleak...)
# boots and runs every kselftest, once per variant of DMABUF_DEBUG_BOOT_VARIANTS, blank-separated
# "NAME:EXTRA,CMDLINE,ARGS" (commas become blanks): the heaps as booted by default, and with heap
# pages charged to memcg (the selftests' memcg cases skip without it), run from ext2 on a loop
# device (memcg.pressure_with_page_cache needs page cache that reclaim can evict). Any splat,
# kmemleak report or test failure in any variant fails the gate.
. "$(dirname "$0")/lib.sh"
need_commits    # built on an unapplied series, it would test the base
DEBUG_BOOT_TMO=${DMABUF_DEBUG_BOOT_TIMEOUT:-1800}
DEBUG_BOOT_VARIANTS=${DMABUF_DEBUG_BOOT_VARIANTS-debug: memacct-debug:dma_heap.mem_accounting=1,wb.pagecache=64}
t0=$SECONDS L=$GLOG/debug-boot.log
if ! debug_prepare; then
	verdict FAIL "$(debug_prepare_failed), $((SECONDS - t0)) s" "$GLOG/debug-prepare.log"
	exit 0
fi
tb=$SECONDS vres=() vbad=() vlog=""
list=$(tr '\n' ',' <"$DEBUG_ST/kselftests.list" | sed 's/,$//')
: >"$L"
for v in $DEBUG_BOOT_VARIANTS; do
	vn=${v%%:*} va=${v#*:} tv=$SECONDS rc=0
	[ "$va" != "$v" ] || va=""
	"$REPO/scripts/boot-test.sh" -v "$vn" -T "$DEBUG_BOOT_TMO" -a "wb.tests=$list wb.timeout=1200 ${va//,/ } $DEBUG_BOOT_ARGS" debug >"$WK/boot-$vn.out" 2>&1 || rc=$?
	cat "$WK/boot-$vn.out" >>"$L"
	if [ "$rc" -eq 0 ]; then
		vres+=("$vn: $( { grep -m1 '^variant ' "$WK/boot-$vn.out" || true; } | sed -E 's/^variant [^:]*: //; s/ \(.*//') ($((SECONDS - tv)) s)")
	else
		vres+=("$vn: FAIL $( { grep -m1 '^FAIL ' "$WK/boot-$vn.out" || echo "boot-test rc=$rc"; } | sed -E "s/^FAIL (stage=[a-z]+): variant $vn: /\\1: /; s/ \\(log: .*//") ($((SECONDS - tv)) s)")
		vbad+=("$vn") vlog=${vlog:-$LOGDIR/boot-debug-$vn.log}
	fi
done
[ ${#vres[@]} -gt 0 ] || vbad+=("no variants in DMABUF_DEBUG_BOOT_VARIANTS")
vsum=$(printf '%s; ' "${vres[@]}" | sed 's/; $//')
times="build $(cat "$WK/debug-prepare.time") s, boot $((SECONDS - tb)) s"
if [ ${#vbad[@]} -eq 0 ]; then verdict PASS "$vsum; KASAN, lockdep, kmemleak clean; $times"
else verdict FAIL "$vsum; $times" "${vlog:-$L}"; fi
