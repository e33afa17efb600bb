#!/usr/bin/env bash
# Export the memcg-aware pools RFC (rfc/memcg-pools/) from a kernel tree whose HEAD is the RFC on
# top of the series' branch v2 (default: $CACHE/wt-rfc, branch rfc-memcg). The patches are
# v2..HEAD, with prerequisite-patch-id: lines for the series (scripts/export-patches.sh,
# DMABUF_EXPORT_FROM).
#
# usage: export-rfc.sh [TREE_DIR] [SERIES_REF]
. "$(dirname "$0")/lib.sh"
STAGE=export
tree=${1:-$CACHE/wt-rfc}
from=${2:-v2}
d=$REPO/rfc/memcg-pools
DMABUF_EXPORT_FROM=$from DMABUF_PATCHES=$d DMABUF_SERIES=$d/series DMABUF_COVER=$d/cover-letter.txt \
	DMABUF_B4_CONF=$d/b4-series.conf exec "$REPO/scripts/export-patches.sh" "$tree"
