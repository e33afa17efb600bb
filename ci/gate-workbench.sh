#!/usr/bin/env bash
# Gate "workbench": the workbench's own self-tests, ci/workbench-tests/*.sh. Each prints "ok - ..." or
# "not ok - ..." and exits non-zero on failure. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0 fail=0
for t in ci/workbench-tests/*.sh; do
	if timeout -k 10 900 bash "$t"; then pass=$((pass + 1)); else echo "# $t exited $?"; fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
