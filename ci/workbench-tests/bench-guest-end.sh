#!/usr/bin/env bash
# scripts/bench.sh ends a guest that finished the benchmark but does not exit (UML SMP can hang
# in halt). Such a guest finished: bench.sh must go on to the table, not report it as "did not
# finish in N s" (wait returns 137 for the guest it killed). On a fake kernel tree whose UML
# "kernel" is a stub that prints the benchmark's console output and then hangs: no UML build,
# no boot; DMABUF_BENCH_EXIT_GRACE=2 shortens the wait for the exit.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/fixture.sh"
name="bench: a guest ended after the benchmark finished is not a timeout"
# A finished benchmark, then a hang.
fx_bench_stub bench-guest-end.sh <<'EOF'
echo "BENCH-BEGIN $k cpus=1"
echo "GUEST-TEST-BEGIN dmabuf-bench"
echo "bench-header kernel=$k machine=um nproc=1 deferred_free=$df auto_init=stack:off,_heap_alloc:off,_$ai timer_ns=1"
echo "bench kernel=$k measure=warm size=4K threads=1 alloc_med_ns=1000 alloc_p90_ns=2000"
echo "bench-done kernel=$k"
echo "GUEST-TEST-END dmabuf-bench rc=0"
echo "BENCH-END rc=0"
echo "GUEST-TESTS-DONE rc=0"
exec sleep 300
EOF
t0=$SECONDS rc=0
out=$(cd "$WB" && DMABUF_BENCH_EXIT_GRACE=2 DMABUF_BENCH_BOOT_TIMEOUT=120 timeout 100 scripts/bench.sh -q -c 1 -r 1 -m 64M 2>&1) || rc=$?
problems=()
[ "$rc" -eq 0 ] || problems+=("bench.sh exited $rc: $(grep -m1 '^FAIL ' <<<"$out" || tail -n1 <<<"$out")")
! grep -q 'did not finish' <<<"$out" || problems+=("a finished guest reported as not finished")
grep -q '^dma-buf system heap benchmark' <<<"$out" || problems+=("no table")
grep -q '^iof: ' <<<"$out" || problems+=("no iof peer (init_on_free=1) in the table")
grep -q '^warm alloc ' <<<"$out" || problems+=("no warm alloc row")
if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name ($((SECONDS - t0)) s)"
else
	tail -n 15 <<<"$out" | sed 's/^/# /'
	echo "not ok - $name: $(IFS=';'; echo "${problems[*]}")"
	exit 1
fi
