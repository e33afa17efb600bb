#!/usr/bin/env bash
# Gate w1: W=1 adds no warning to the touched .c files (and .c files of the same directory that
# include a touched header), compared with the same files at the previous patch
# (ci/gates/lib-per-patch.sh). Selftest build warnings count here too.
. "$(dirname "$0")/lib.sh"
. "$GATES_DIR/lib-per-patch.sh"    # the per-patch builds and their results
if [ ${#WF[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${WF[@]}")$CTXT, $T_W1 s"
else verdict PASS "no new W=1 warnings in touched .c files ($WN pre-existing/normalised)$CTXT, $T_W1 s"; fi
