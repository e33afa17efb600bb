#!/usr/bin/env bash
# A guest kernel that panics must make boot-test.sh fail at stage=boot, quickly, not hang.
# Needs the kernel and initramfs that scripts/run.sh built.
. "$(dirname "$0")/../../scripts/lib.sh"
name="boot: a panicking guest fails stage=boot within 180 s"
t0=$SECONDS rc=0
out=$("$REPO/scripts/boot-test.sh" -v selftest-panic -a rdinit=/nonexistent -T 180 2>&1) || rc=$?
secs=$((SECONDS - t0))
failline=$(echo "$out" | grep '^FAIL ' || true)
if [ "$rc" -ne 0 ] && [[ $failline == "FAIL stage=boot: "*"kernel panic"* ]] && [ "$secs" -lt 180 ]; then
	echo "ok - $name ($secs s)"
else
	echo "$out" | tail -n 20
	echo "not ok - $name (rc=$rc after $secs s, fail line: '$failline')"
	exit 1
fi
