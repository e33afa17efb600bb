#!/usr/bin/env bash
# boot-test.sh's judgement on canned console logs (-P, no QEMU): a clean log passes; a kernel
# splat, a missing marker, a kmemleak report or a failed/crashed/timed out test fails at the right
# stage; splat words in test output (no printk timestamp) are not splats, nor is PROVE_RCU's
# banner "RCU lockdep checking is enabled", while lockdep's reports are. The logs are the
# kselftest runner's (run_kselftest.sh, the program's KTAP nested in it with "# "): a nested
# "# not ok", a program the runner reports crashed or timed out, a runner that died before a
# program's result or before its plan was done, all fail; and a program the guest ran directly
# (GUEST-TEST-BEGIN/END, as for the debug gates' helper) is judged as before.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/canned-log.sh"
name="boot: console log judgement (splats, markers, KTAP)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ktap="1..3
# WARNING: test output that only looks like a splat, BUG: too
ok 1 one
ok 2 two # SKIP not here
ok 3 three
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0"
canned_log "$tmp/base.log" "$ktap"
canned_log "$tmp/direct.log" "$ktap" direct
# The runner's result line of prog.
R='ok 1 selftests: dmabuf-heaps: prog'
problems=()
# expect LABEL WANT(PASS|stage) SED-EXPRESSION [TEXT the FAIL line must contain] [BASE LOG]
expect() {
	sed "$3" "$tmp/${5:-base}.log" >"$tmp/$1"
	local out rc=0 got
	out=$("$REPO/scripts/boot-test.sh" -P "$tmp/$1" -v "selftest-judge-$1" 2>&1) || rc=$?
	got=$(sed -n '/^FAIL stage=\([a-z]*\):.*/{s//\1/p;q}' <<<"$out")
	[ "$rc" -eq 0 ] && got=PASS
	[ "$got" = "$2" ] || { echo "$out" | tail -n 3; problems+=("$1: want $2, got ${got:-rc=$rc}"); }
	grep -q '^variant .*pass=' <<<"$out" || { problems+=("$1: no totals line"); sed "s/^/# $1: /" <<<"$out"; }
	[ -z "${4:-}" ] || [[ $(grep '^FAIL stage=' <<<"$out") == *"$4"* ]] || problems+=("$1: FAIL line does not say '$4'")
}
expect clean PASS '' '' base
expect warning boot "/^$R\$/i [    2.500000] WARNING: mm/page_alloc.c:1 at foo+0x1/0x2, CPU#0: prog/1" 'kernel splat: WARNING'
expect midline boot 's/^# ok 3 three$/# ok 3 th[    2.5] BUG: sleeping function called from invalid context/' 'kernel splat: BUG'
expect panic boot '$a [    3.1] Kernel panic - not syncing: Attempted to kill init!' 'kernel panic'
expect rcu-banner PASS '/^GUEST-KSELFTEST-BEGIN/i [    0.104000] rcu: \tRCU lockdep checking is enabled.'
# The head of a real report. Its WARNING: line would be caught anyway; circular-nowarn shows
# that the lockdep pattern itself catches the header too.
expect circular boot "/^$R\$/i [    2.400000] ======================================================\n[    2.400001] WARNING: possible circular locking dependency detected\n[    2.400002] 7.3.4+ #1 Not tainted\n[    2.400003] ------------------------------------------------------\n[    2.400004] prog/123 is trying to acquire lock:" 'possible circular locking dependency detected'
expect circular-nowarn boot "/^$R\$/i [    2.400001] possible circular locking dependency detected" 'possible circular locking dependency detected'
expect lockdep-off boot '/^GUEST-TESTS-DONE/i [  200.0] INFO: lockdep is turned off.' 'INFO: lockdep is turned off'
expect hung boot '/^GUEST-TESTS-DONE/i [  200.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.' 'blocked for more than'
expect nomarker boot '/^GUEST-TESTS-DONE/d' 'no GUEST-TESTS-DONE marker'
expect leak boot '/^GUEST-TESTS-DONE/i GUEST-KMEMLEAK-BEGIN\nunreferenced object 0xffff888 (size 64):\nGUEST-KMEMLEAK-END' 'kmemleak reports 1 leaks'
# The test failures below leave the runner's verdict and the guest's rc alone: boot-test.sh must
# find them in the nested KTAP, not take the runner's word.
expect notok test 's/^# ok 3 three$/# not ok 3 three/' '1 test failures'
expect crashed test "/^# ok 3 three\$/d; s/^$R\$/not $R # exit=139/" '1 test failures'
expect timedout test "/^# ok 3/d; s/^$R\$/not $R # TIMEOUT 1500 seconds/" '1 test failures'
expect runner-said-fail test "s/^$R\$/not $R # exit=1/" '1 test failures'
expect runner-died test "/^# ok 3/,/^GUEST-KSELFTEST-END/c GUEST-KSELFTEST-END rc=137" "2 test failures"
expect runner-plan test 's/^1\.\.1$/1..2/' '1 test failures'
expect runner-noplan test '/^1\.\.1$/d' '1 test failures'
expect guest-rc test 's/^GUEST-TESTS-DONE rc=0$/GUEST-TESTS-DONE rc=1/' 'guest reports GUEST-TESTS-DONE rc=1'
expect no-program test '/^# selftests: /,/^'"$R"'$/d; s/^1\.\.1$/1..0/' 'no test program ran'
# A program the guest ran itself.
expect direct PASS '' '' direct
expect direct-notok test 's/^ok 3 three$/not ok 3 three/' '1 test failures' direct
expect direct-crashed test 's/^ok 3 three$//; s/^GUEST-TEST-END prog rc=0/GUEST-TEST-END prog rc=139/' '1 test failures' direct
rm -f "$LOGDIR"/boot-series-selftest-judge-*

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
