#!/usr/bin/env bash
# Gate sparse: C=2 sparse (ci/get-sparse.sh) adds no warning to the touched .c files, compared as
# for w1 (ci/gates/lib-per-patch.sh). FAIL with the reason when there is no usable sparse: a
# missing tool is not a missing kernel feature, and a check that did not run must not pass.
. "$(dirname "$0")/lib.sh"
. "$GATES_DIR/lib-per-patch.sh"    # the per-patch builds and their results
from="sparse from Debian $(cat "$(dirname "${SPARSE:-.}")/debian-version" 2>/dev/null || true) source"
if [ -z "$SPARSE" ]; then verdict FAIL "no usable sparse: $sparse_why" "$LOGDIR/get-sparse.log"
elif [ ${#SF[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${SF[@]}") ($from)$CTXT, $T_SP s"
else verdict PASS "no new sparse C=2 warnings in touched .c files ($SN pre-existing; $from)$CTXT, $T_SP s"; fi
