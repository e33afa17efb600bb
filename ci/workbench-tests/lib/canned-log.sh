# shellcheck shell=bash
# canned_log FILE KTAP: write FILE, a guest console log as scripts/guest-init.sh prints it around
# one program "prog" whose KTAP output (from the plan line on) is KTAP. For the self-tests that
# judge logs with boot-test.sh -P, no QEMU.
canned_log() {
	{
		echo "[    0.000000] Linux version 7.3.4+"
		echo "GUEST-TEST-BEGIN prog"
		echo "TAP version 13"
		printf '%s\n' "$2"
		echo "GUEST-TEST-END prog rc=0"
		echo "GUEST-TESTS-DONE rc=0"
		echo "[    3.000000] reboot: machine restart"
	} >"$1"
}
