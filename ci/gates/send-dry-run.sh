#!/usr/bin/env bash
# Gate send-dry-run: scripts/send-dry-run.sh (git send-email --dry-run of patches/*.patch to the
# recipients in MAINTAINERS-notes, checked against get_maintainer.pl of the tip). Never sends.
. "$(dirname "$0")/lib.sh"
t0=$SECONDS L=$GLOG/send-dry-run.log rc=0
DMABUF_GET_MAINTAINER_TREE=$GW "$REPO/scripts/send-dry-run.sh" >"$L" 2>&1 || rc=$?
last=$(tail -n1 "$L")
if [ "$rc" -eq 0 ]; then verdict PASS "$(sed -E 's/^send-dry-run: PASS \((.*); log: .*\)$/\1/' <<<"$last"), $((SECONDS - t0)) s" "$LOGDIR/send-dry-run.log"
else verdict FAIL "$(grep -m1 '^FAIL ' "$L" | sed 's/^FAIL stage=[a-z-]*: //; s/ (log: .*//' || echo "$last"), $((SECONDS - t0)) s"; fi
