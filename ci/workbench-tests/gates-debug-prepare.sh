#!/usr/bin/env bash
# debug-boot and fault-inject must FAIL when any step that makes the debug kernel fails (kernel
# build, selftests, initramfs), even when an earlier run left a debug kernel and initramfs behind
# that would boot fine. On a fake kernel tree, with those steps and boot-test.sh stubbed in a copy
# of the workbench (no kernel build, no QEMU): every step OK -> both PASS; then each step in turn
# fails -> both FAIL, naming the failed step.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/fixture.sh"
name="gates: a failing debug kernel, selftest or initramfs build fails debug-boot and fault-inject"
echo 'int WARN_ME_NOT;' >>"$K/drivers/foo/bar.c"
fx_commit "dma-buf: heaps: a patch"
# stub SCRIPT BODY: replace scripts/SCRIPT by a stub that fails when FX_FAIL names it.
stub() {
	printf '#!/usr/bin/env bash\n# stub of the self-test gates-debug-prepare.sh\nset -eu\nB=$DMABUF_CACHE/build L=$DMABUF_LOGS\n' >"$WB/scripts/$1"
	printf '[ "${FX_FAIL:-}" != %s ] || { echo "FAIL stage=stub: %s failed"; exit 1; }\n%s\n' "$1" "$1" "$2" >>"$WB/scripts/$1"
	chmod +x "$WB/scripts/$1"
}
stub build-kernel.sh 'mkdir -p "$B/debug/arch/x86/boot"; touch "$B/debug/arch/x86/boot/bzImage"'
stub build-selftests.sh 'rm -rf "$B/debug-selftests"; mkdir -p "$B/debug-selftests/dmabuf-heaps" "$B/debug-selftests/helpers"
echo dmabuf-heap >"$B/debug-selftests/dmabuf-heaps/tests.list"
printf "#!/bin/sh\n" >"$B/debug-selftests/helpers/dmabuf-heap-fault"; chmod +x "$B/debug-selftests/helpers/dmabuf-heap-fault"'
stub make-initramfs.sh 'touch "$B/debug-initramfs.cpio.gz"'
stub boot-test.sh 'while getopts v:a:NT:k:i:P: o; do [ "$o" != v ] || v=$OPTARG; done
mkdir -p "$L"; echo "4 0 0" >"$L/boot-debug-$v.result"
printf "# random_faults: 400 allocations, 390 ok\n# fail_nth_sweep: 9 injected failures\n" >"$L/boot-debug-$v.log"
echo "variant $v: pass=4 fail=0 skip=0 programs=1 (1s, log: $L/boot-debug-$v.log)"'
problems=()
for step in none build-kernel.sh build-selftests.sh make-initramfs.sh; do
	want=FAIL
	[ "$step" != none ] || want=PASS
	out=$(cd "$WB" && FX_FAIL=$step timeout 120 ci/gate-upstream.sh -t "$K" -r "$BASE_TAG..series" -g "debug-boot fault-inject" 2>&1) || true
	for g in debug-boot fault-inject; do
		line=$(grep -m1 "^gate $g:" <<<"$out" || true)
		echo "# $step fails: ${line:-no verdict line for $g}"
		[[ $line == "gate $g: $want "* ]] || problems+=("$step fails: want $g $want, got '${line:-nothing}'")
		[ "$want" = PASS ] || [[ $line == *"$step failed"* ]] || problems+=("$step fails: $g does not name the failed step")
	done
done

report "$name"
