#!/usr/bin/env bash
# Boot build NAME's kernel + initramfs in QEMU (TCG), let the guest run the selftests, and judge
# the serial log: KTAP results of every program, plus the kernel's own health (panic, splats).
#
# usage: boot-test.sh [-v VARIANT] [-a "EXTRA CMDLINE"] [-N] [-T TIMEOUT_S] [-k BZIMAGE] [-i INITRD]
#                     [-P CONSOLE_LOG] [NAME]
#   -N  two NUMA nodes (1 GiB + 1 CPU each)
#   -P  do not boot: judge an existing console log (it is copied to the usual log path)
# Log: $LOGDIR/boot-NAME-VARIANT.log. Prints "variant V: pass=.. fail=.. skip=.." and writes the
# same numbers to $LOGDIR/boot-NAME-VARIANT.result. Guest problems: FAIL stage=boot; test failures:
# FAIL stage=test.
. "$(dirname "$0")/lib.sh"
STAGE=boot

variant=default append="" numa=0 tmo=${DMABUF_BOOT_TIMEOUT:-600} kernel="" initrd="" parse_only=""
while getopts v:a:NT:k:i:P: opt; do
	case $opt in
	v) variant=$OPTARG ;;
	a) append="$append $OPTARG" ;;
	N) numa=1 ;;
	T) tmo=$OPTARG ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	P) parse_only=$(realpath "$OPTARG") ;;
	*) die boot "usage: $0 [-v VARIANT] [-a CMDLINE] [-N] [-T SECONDS] [-k BZIMAGE] [-i INITRD] [-P LOG] [NAME]" ;;
	esac
done
shift $((OPTIND - 1))
name=${1:-series}
kernel=${kernel:-$BUILD/$name/arch/x86/boot/bzImage}
initrd=${initrd:-$BUILD/$name-initramfs.cpio.gz}
blog=$LOGDIR/boot-$name-$variant.log
result=$LOGDIR/boot-$name-$variant.result
rm -f "$result"
boot() {
	[ -f "$kernel" ] || die boot "no kernel $kernel (run scripts/build-kernel.sh)"
	[ -f "$initrd" ] || die boot "no initramfs $initrd (run scripts/make-initramfs.sh)"
	need_pkgs qemu-system-x86
	local machine=(-m 2G -smp 2) cmdline="console=ttyS0 panic=-1 $append"
	# One socket per node: CPUs sharing a socket (LLC) across nodes make the kernel WARN.
	[ "$numa" = 1 ] && machine=(-m 2G -smp 2,sockets=2,cores=1,threads=1
		-object memory-backend-ram,size=1G,id=m0 -object memory-backend-ram,size=1G,id=m1
		-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1)
	log "variant $variant: $cmdline (log: $blog)"
	# KVM guests hang on this machine: TCG always. -no-reboot + panic=-1/reboot -f ends QEMU.
	timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg,thread=multi -cpu max "${machine[@]}" \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
		-no-reboot -display none -vga none -monitor none -serial stdio -net none \
		</dev/null >"$blog" 2>&1
}

start=$SECONDS qrc=0
if [ -n "$parse_only" ]; then
	[ "$parse_only" = "$(realpath -m "$blog")" ] || cp "$parse_only" "$blog"
else
	boot || qrc=$?
fi
secs=$((SECONDS - start))
sed -i 's/\r$//' "$blog"
[ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ] && die boot "variant $variant: QEMU still running after $tmo s, killed" "$blog"

# Per program: KTAP top-level results, plan, exit code. A program that crashed, timed out,
# stopped before its plan was complete or gave no result counts as one more failure.
read -r pass fail skip progs <<<"$(awk '
	/^GUEST-TEST-BEGIN / { t = $2; plan = 0; n = 0; nfail = 0; next }
	/^GUEST-TEST-END /   { rc = substr($3, 4); progs++
		if (rc == 4 && n == 0) skip++   # the whole program skipped
		else if ((rc != 0 && rc != 4 && nfail == 0) || n < plan || n == 0) {
			fail++; printf "  %s: rc=%s, %d of %d results\n", t, rc, n, plan > "/dev/stderr" }
		t = ""; next }
	t == "" { next }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
	/^(not )?ok [0-9]+/ { n++
		if ($0 ~ /# *SKIP/) skip++
		else if ($1 == "ok" || $0 ~ /# *XFAIL/) pass++
		else { fail++; nfail++ } }
	END { printf "%d %d %d %d\n", pass, fail, skip, progs }' "$blog")"
echo "$pass $fail $skip" >"$result"
echo "variant $variant: pass=$pass fail=$fail skip=$skip programs=$progs (${secs}s, log: $blog)"

# Kernel health. Lockdep's reports (kernel/locking/lockdep.c) are named one by one, not by a
# bare "lockdep", which would match PROVE_RCU's banner "rcu: RCU lockdep checking is enabled."
# Most of them also start with "WARNING:" or "BUG:"; "INFO: lockdep is turned off." means an
# earlier problem switched lockdep off; "turning off the locking correctness validator" (a
# lockdep table too small) is KERN_DEBUG, seen only with ignore_loglevel.
lockdep_re='possible circular locking dependency|possible recursive locking|inconsistent lock state|possible irq lock inversion|-unsafe lock order detected|suspicious RCU usage|bad unlock balance|held lock freed|still has locks held|lock held when returning to user space|Nested lock was not taken|Invalid wait context|chain_key collision|INFO: lockdep is turned off|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator'
splat="WARNING:|BUG:|Oops|KASAN|UBSAN|$lockdep_re|INFO: task .* blocked|hung task|kmemleak: .* new suspected memory leaks|unreferenced object|Call Trace:"
grep -q 'Kernel panic' "$blog" && die boot "variant $variant: kernel panic: $(grep -m1 'Kernel panic' "$blog")" "$blog"
done_line=$(grep -m1 '^GUEST-TESTS-DONE' "$blog" || true)
[ -n "$done_line" ] || die boot "variant $variant: guest did not finish (no GUEST-TESTS-DONE marker, qemu rc=$qrc)" "$blog"
# Kernel lines carry a printk timestamp, so test output cannot fake a splat.
hit=$(grep -m1 -E "\[ *[0-9]+\.[0-9]+\].*($splat)" "$blog" || true)
[ -n "$hit" ] && die boot "variant $variant: kernel splat: ${hit#*] }" "$blog"
leaks=$(sed -n '/^GUEST-KMEMLEAK-BEGIN/,/^GUEST-KMEMLEAK-END/p' "$blog" | grep -c 'unreferenced object' || true)
[ "$leaks" -eq 0 ] || die boot "variant $variant: kmemleak reports $leaks leaks" "$blog"
[ "$progs" -gt 0 ] || die test "variant $variant: no test program ran" "$blog"
[ "$fail" -eq 0 ] || die test "variant $variant: $fail test failures" "$blog"
[ "$done_line" = "GUEST-TESTS-DONE rc=0" ] || die test "variant $variant: guest reports $done_line" "$blog"
