#!/usr/bin/env bash
# The main command: fetch -> apply -> build -> selftests -> initramfs -> boot variants, then a
# summary. The last line is always "N passed, N failed, N skipped" (guest test results; a stage
# or variant that fails without a failed test counts as one failure).
#
# The boot variants are defined in variants.conf (QEMU machine, kernel command line, the cases
# that must run there); DMABUF_VARIANTS selects some (default: all, in the file's order).
. "$(dirname "$0")/lib.sh"
STAGE=run
S=$REPO/scripts
variants=${DMABUF_VARIANTS:-$(variants_list | tr '\n' ' ')}
STAGE_TIMES=$LOGDIR/run-stage-times
: >"$STAGE_TIMES"
pass=0 fail=0 skip=0 applied=? verdicts=()

summary() {
	echo "== summary =="
	echo "patches applied: $applied"
	echo "stage times: $(awk '{ printf "%s%s %ss", sep, $1, $2; sep = ", " }' "$STAGE_TIMES")"
	local v
	for v in "${verdicts[@]}"; do echo "$v"; done
	echo "$pass passed, $fail failed, $skip skipped"
}

# stage NAME CMD...: run, time, keep its output in $LOGDIR/run-NAME.out; on failure end the run.
stage() {
	local name=$1 t0=$SECONDS rc=0
	shift
	"$@" 2>&1 | tee "$LOGDIR/run-$name.out" || rc=$?
	stage_time "$name" $((SECONDS - t0))
	if [ "$rc" -ne 0 ]; then
		fail=$((fail + 1))
		verdicts+=("stage $name: FAIL ($(grep -m1 '^FAIL ' "$LOGDIR/run-$name.out" || echo "exit $rc"))")
		summary
		exit 1
	fi
}

stage fetch "$S/fetch-base.sh"
stage apply "$S/apply-series.sh"
applied=$(sed -n 's/^applied \([0-9]*\) patches$/\1/p' "$LOGDIR/run-apply.out")
stage build "$S/build-kernel.sh"
stage selftests "$S/build-selftests.sh"
stage initramfs "$S/make-initramfs.sh"

for v in $variants; do
	if ! grep -qxF "$v" <<<"$(variants_list)"; then
		echo "unknown variant $v (not defined in $VARIANTS_CONF)" >&2
		fail=$((fail + 1)) verdicts+=("variant $v: FAIL: not defined in $VARIANTS_CONF")
		continue
	fi
	t0=$SECONDS rc=0
	"$S/boot-test.sh" -v "$v" 2>&1 | tee "$LOGDIR/run-boot-$v.out" || rc=$?
	stage_time "boot-$v" $((SECONDS - t0))
	read -r p f s <"$LOGDIR/boot-series-$v.result" 2>/dev/null || { p=0 f=0 s=0; }
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$rc" -eq 0 ]; then verdict=PASS; else verdict="FAIL: $(grep -m1 '^FAIL ' "$LOGDIR/run-boot-$v.out" || echo "exit $rc")"; fi
	verdicts+=("variant $v: pass=$p fail=$f skip=$s $verdict")
done
summary
[ "$fail" -eq 0 ]
