# shellcheck shell=bash
# canned_log FILE KTAP [direct]: write FILE, a guest console log as scripts/guest-init.sh prints it
# around one program "prog" whose KTAP output (from the plan line on) is KTAP. For the self-tests
# that judge logs with boot-test.sh -P, no QEMU.
# By default prog is a kselftest that kselftest's runner ran (run_kselftest.sh): the runner's
# KTAP with prog's nested in it, every line of prog prefixed by "# ", and the runner's result
# "ok 1 selftests: dmabuf-heaps: prog" (prog exited 0). With "direct", the guest ran prog itself
# (a program that the runner does not list, as in scripts/bench.sh or the debug gates), between
# GUEST-TEST-BEGIN prog and GUEST-TEST-END prog rc=0.
canned_log() {
	{
		echo "[    0.000000] Linux version 7.3.4+"
		echo "GUEST-UNAME 7.3.4+"
		if [ "${3:-}" = direct ]; then
			echo "GUEST-TEST-BEGIN prog"
			echo "TAP version 13"
			printf '%s\n' "$2"
			echo "GUEST-TEST-END prog rc=0"
			echo "GUEST-TESTS-DONE rc=0"
		else
			echo "GUEST-KSELFTEST-BEGIN ./run_kselftest.sh"
			echo "TAP version 13"
			echo "1..1"
			echo "[    1.000000] kselftest: Running tests in dmabuf-heaps"
			echo "# timeout set to 1500"
			echo "# selftests: dmabuf-heaps: prog"
			echo "# TAP version 13"
			printf '%s\n' "$2" | sed 's/^/# /'
			echo "ok 1 selftests: dmabuf-heaps: prog"
			echo "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0"
			echo "GUEST-KSELFTEST-END rc=0"
			echo "GUEST-TESTS-DONE rc=0"
		fi
		echo "[    3.000000] reboot: machine restart"
	} >"$1"
}
