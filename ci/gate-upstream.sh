#!/usr/bin/env bash
# Gate "upstream" of scripts/check.sh: the upstream-quality gates (scripts/gates.sh, issue 5) on
# the series that scripts/run.sh applied ($BASE_TAG..$BRANCH in $TREE). One verdict line per
# gate, last line "N passed, N failed, N skipped". DMABUF_UPSTREAM_GATES picks gates.
exec "$(dirname "$0")/../scripts/gates.sh" "$@"
