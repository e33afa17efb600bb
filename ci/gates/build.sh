#!/usr/bin/env bash
# Gate build: each patch builds vmlinux for x86_64 with kernel-config/gates/x86_64.config, every
# touched .c is rebuilt, and selftests a patch touches build (ci/gates/lib-per-patch.sh).
. "$(dirname "$0")/lib.sh"
. "$GATES_DIR/lib-per-patch.sh"    # the per-patch builds and their results
if [ ${#BF[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${BF[@]}")$CTXT, $T_BUILD s"
else verdict PASS "$n/$n patches build (x86_64, kernel-config/gates/x86_64.config, vmlinux + touched objects)$CTXT, $T_BUILD s"; fi
