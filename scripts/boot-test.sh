#!/usr/bin/env bash
# Boot build NAME's kernel + initramfs in QEMU (TCG), let the guest run the selftests, and judge
# the serial log: KTAP results of every program, plus the kernel's own health (panic, splats).
# The guest runs the kselftests with kselftest's runner (run_kselftest.sh, nested KTAP) and other
# programs directly (scripts/guest-init.sh); both are judged alike, per program.
#
# usage: boot-test.sh [-v VARIANT] [-a "EXTRA CMDLINE"] [-N] [-R CASES] [-T TIMEOUT_S] [-k BZIMAGE]
#                     [-i INITRD] [-P CONSOLE_LOG] [NAME]
#   -v  a variant defined in variants.conf (DMABUF_VARIANTS_CONF) boots with its QEMU machine and
#       kernel command line, and fails unless each of its required cases ran and passed (a
#       skipped or missing one: FAIL stage=test). Any other name: the plain machine, -m 2G -smp 2.
#   -N  the machine of variant numa (two NUMA nodes)
#   -R  required cases instead of the variant's: "prog/case prog/case" ("-": none)
#   -P  do not boot: judge an existing console log (it is copied to the usual log path)
# Log: $LOGDIR/boot-NAME-VARIANT.log. Prints "variant V: pass=.. fail=.. skip=.." and writes the
# same numbers to $LOGDIR/boot-NAME-VARIANT.result. Guest problems: FAIL stage=boot; test failures:
# FAIL stage=test.
. "$(dirname "$0")/lib.sh"
STAGE=boot

variant=default append="" numa=0 tmo=${DMABUF_BOOT_TIMEOUT:-600} kernel="" initrd="" parse_only="" req_opt=""
while getopts v:a:NR:T:k:i:P: opt; do
	case $opt in
	v) variant=$OPTARG ;;
	a) append="$append $OPTARG" ;;
	N) numa=1 ;;
	R) req_opt=$OPTARG ;;
	T) tmo=$OPTARG ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	P) parse_only=$(realpath "$OPTARG") ;;
	*) die boot "usage: $0 [-v VARIANT] [-a CMDLINE] [-N] [-R CASES] [-T SECONDS] [-k BZIMAGE] [-i INITRD] [-P LOG] [NAME]" ;;
	esac
done
shift $((OPTIND - 1))
name=${1:-series}
# The variant's definition: QEMU machine, kernel command line, required cases (variants_get, lib.sh).
read -r -a machine <<<"$(variants_get "$variant" qemu)"
[ ${#machine[@]} -gt 0 ] || machine=(-m 2G -smp 2)
if [ "$numa" = 1 ]; then
	read -r -a machine <<<"$(variants_get numa qemu)"
	[ ${#machine[@]} -gt 0 ] || die boot "-N: no variant numa with a qemu line in $VARIANTS_CONF"
fi
append="$(variants_get "$variant" cmdline | tr '\n' ' ')$append"
if [ "$req_opt" = - ]; then required=()
elif [ -n "$req_opt" ]; then read -r -a required <<<"${req_opt//,/ }"
else mapfile -t required < <(variants_get "$variant" require); fi
kernel=${kernel:-$BUILD/$name/arch/x86/boot/bzImage}
initrd=${initrd:-$BUILD/$name-initramfs.cpio.gz}
blog=$LOGDIR/boot-$name-$variant.log
result=$LOGDIR/boot-$name-$variant.result
rm -f "$result"
boot() {
	[ -f "$kernel" ] || die boot "no kernel $kernel (run scripts/build-kernel.sh)"
	[ -f "$initrd" ] || die boot "no initramfs $initrd (run scripts/make-initramfs.sh)"
	need_pkgs qemu-system-x86
	local cmdline="console=ttyS0 panic=-1 $append"
	log "variant $variant: ${machine[*]}, $cmdline (log: $blog)"
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

# The programs' KTAP, one block per program, "GUEST-TEST-BEGIN PROG", its KTAP, "GUEST-TEST-END
# PROG rc=N [why]", whichever way the guest ran it (scripts/guest-init.sh). Direct runs are in that
# form already. The kselftest runner's output (between GUEST-KSELFTEST-BEGIN and -END) is
# unnested: "# selftests: COLLECTION: PROG" begins PROG, its lines lose their "# " prefix, and
# the runner's "ok N selftests: COLLECTION: PROG [# SKIP|# XFAIL|# TIMEOUT T seconds|# exit=N]"
# ends it with rc 0, 4, 2, 124 or N ("not ok" otherwise: 1). A program that the runner never
# finished (the runner died) ends with rc=lost, and results missing from the runner's plan (or no
# plan at all) make one more block, "run_kselftest.sh", that fails. Kernel lines are left out of
# the runner's blocks (they are not the program's).
ktap_blocks() {
	awk '
	function close_prog(rc, why) { if (t != "") print "GUEST-TEST-END " t " rc=" rc (why != "" ? " " why : ""); t = "" }
	function runner_end(rc) {
		close_prog("lost", "(the runner ended before its result)")
		if (kplan < 0 || kn < kplan) {
			print "GUEST-TEST-BEGIN run_kselftest.sh"
			print "GUEST-TEST-END run_kselftest.sh rc=" rc " " (kplan < 0 ? "(the runner printed no plan)" : \
				sprintf("(%d of the %d programs of its plan gave no result)", kplan - kn, kplan))
		}
		k = 0
	}
	/^GUEST-KSELFTEST-BEGIN/ { k = 1; kplan = -1; kn = 0; t = ""; next }
	/^GUEST-KSELFTEST-END/ { if (k) runner_end(substr($2, 4)); next }
	!k { print; next }
	/^# selftests: [^ ]+: [^ ]+/ { close_prog("lost", "(no result from the runner)"); t = $4; print "GUEST-TEST-BEGIN " t; next }
	/^(not )?ok [0-9]+ selftests: / { kn++; d = $0; sub(/^(not )?ok [0-9]+ selftests: [^ ]+: /, "", d)
		split(d, w, " "); if (t == "") { t = w[1]; print "GUEST-TEST-BEGIN " t }
		if ($1 == "not") rc = d ~ /# *TIMEOUT/ ? 124 : d ~ /# *exit=[0-9]+/ ? substr(d, index(d, "exit=") + 5) + 0 : 1
		else rc = d ~ /# *SKIP/ ? 4 : d ~ /# *XFAIL/ ? 2 : 0
		close_prog(rc, ""); next }
	t == "" && /^1\.\.[0-9]+/ { kplan = substr($1, 4) + 0; next }
	t != "" && /^#( |$)/ { print substr($0, 3); next }
	END { if (k) runner_end("lost") }' "$1"
}
ktap=$(ktap_blocks "$blog")

# Per program: KTAP top-level results, plan, exit code. A program that crashed, timed out,
# stopped before its plan was complete or gave no result counts as one more failure.
read -r pass fail skip progs <<<"$(awk '
	/^GUEST-TEST-BEGIN / { t = $2; plan = 0; n = 0; nfail = 0; next }
	/^GUEST-TEST-END /   { rc = substr($3, 4); progs++; why = ""; for (i = 4; i <= NF; i++) why = why " " $i
		if (rc == 4 && n == 0) skip++   # the whole program skipped
		else if ((rc != 0 && rc != 4 && nfail == 0) || n < plan || n == 0) {
			fail++; printf "  %s: rc=%s, %d of %d results%s\n", t, rc, n, plan, why > "/dev/stderr" }
		t = ""; next }
	t == "" { next }
	/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
	/^(not )?ok [0-9]+/ { n++
		if ($0 ~ /# *SKIP/) skip++
		else if ($1 == "ok" || $0 ~ /# *XFAIL/) pass++
		else { fail++; nfail++ } }
	END { printf "%d %d %d %d\n", pass, fail, skip, progs }' <<<"$ktap")"
echo "$pass $fail $skip" >"$result"
echo "variant $variant: pass=$pass fail=$fail skip=$skip programs=$progs (${secs}s, log: $blog)"

# Kernel health (SPLAT_RE: scripts/lib.sh).
grep -q 'Kernel panic' "$blog" && die boot "variant $variant: kernel panic: $(grep -m1 'Kernel panic' "$blog")" "$blog"
done_line=$(grep -m1 '^GUEST-TESTS-DONE' "$blog" || true)
[ -n "$done_line" ] || die boot "variant $variant: guest did not finish (no GUEST-TESTS-DONE marker, qemu rc=$qrc)" "$blog"
# Kernel lines carry a printk timestamp, so test output cannot fake a splat.
hit=$(grep -m1 -E "\[ *[0-9]+\.[0-9]+\].*($SPLAT_RE)" "$blog" || true)
[ -n "$hit" ] && die boot "variant $variant: kernel splat: ${hit#*] }" "$blog"
leaks=$(sed -n '/^GUEST-KMEMLEAK-BEGIN/,/^GUEST-KMEMLEAK-END/p' "$blog" | grep -c 'unreferenced object' || true)
[ "$leaks" -eq 0 ] || die boot "variant $variant: kmemleak reports $leaks leaks" "$blog"
[ "$progs" -gt 0 ] || die test "variant $variant: no test program ran" "$blog"
# wb.pagecache asks for the tests to run from ext2 on a loop device: that must have happened.
if grep -q '^GUEST-PAGECACHE-FAILED' "$blog"; then
	die test "variant $variant: wb.pagecache was asked for, but the guest could not set up ext2 on a loop device" "$blog"
fi
[ "$fail" -eq 0 ] || die test "variant $variant: $fail test failures" "$blog"
[ "$done_line" = "GUEST-TESTS-DONE rc=0" ] || die test "variant $variant: guest reports $done_line" "$blog"

# The cases this variant exists for must have run and passed: "prog/case status [skip reason]"
# for every top-level KTAP result of a program (its own, not the runner's: "# ok 5 pool.x" in the
# runner's output is prog/pool.x). The case is the first word of the description, or for
# "ok N # SKIP reason" the first word of the reason; a program that skipped as a whole is
# "prog/* skip".
if [ ${#required[@]} -gt 0 ]; then
	cases=$(awk '
		/^GUEST-TEST-BEGIN / { t = $2; n = 0; next }
		/^GUEST-TEST-END /   { if (n == 0 && substr($3, 4) == 4) print t "/* skip (the whole program)"; t = ""; next }
		t == "" { next }
		/^(not )?ok [0-9]+/ { n++; d = $0; sub(/^(not )?ok [0-9]+[ \t]*(-[ \t]*)?/, "", d)
			st = $1 == "not" ? "fail" : "pass"; why = ""
			if (d ~ /#[ \t]*SKIP/) { st = "skip"; why = d; sub(/.*#[ \t]*SKIP[ \t]*/, "", why)
				if (d ~ /^#/) d = why }
			else if (d ~ /#[ \t]*XFAIL/) st = "pass"
			sub(/^[ \t]+/, "", d); split(d, w, /[ \t:#]+/)
			print t "/" w[1] " " st (why != "" ? " (" why ")" : "") }' <<<"$ktap")
	probs=()
	for c in "${required[@]}"; do
		got=$(awk -v c="$c" -v all="${c%%/*}/*" '$1 == c || $1 == all' <<<"$cases")
		if [ -z "$got" ]; then probs+=("$c did not run")
		elif grep -q '^[^ ]* fail' <<<"$got"; then probs+=("$c failed")
		elif grep -q '^[^ ]* skip' <<<"$got"; then probs+=("$c skipped $(sed -n '/^[^ ]* skip */{s///p;q}' <<<"$got")")
		fi
	done
	if [ ${#probs[@]} -gt 0 ]; then
		msg=$(printf 'required case %s; ' "${probs[@]}")
		die test "variant $variant: ${msg%; }" "$blog"
	fi
	echo "variant $variant: all ${#required[@]} required cases ran and passed"
fi
