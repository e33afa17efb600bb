#!/usr/bin/env bash
# Regenerate $PATCHES (default patches/) and $SERIES (default series) from the commits
# $BASE_TAG..HEAD of a kernel tree (default $TREE). The cover letter's subject and blurb come from
# $COVER (default cover-letter.txt: first line = subject, then a blank line, then the blurb).
# Refuses a tree with uncommitted or untracked files.
#
# usage: export-patches.sh [TREE_DIR]
. "$(dirname "$0")/lib.sh"
STAGE=export
COVER=${DMABUF_COVER:-$REPO/cover-letter.txt}

src=${1:-$TREE}
[ -d "$src" ] && git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1 || die export "$src is not a git tree"
src=$(cd "$src" && pwd)
g() { timeout -k 10 300 git -C "$src" "$@"; }

dirty=$(tree_dirty "$src")
[ -z "$dirty" ] || die export "$src has uncommitted changes, commit or stash them first: $(echo "$dirty" | head -n 5 | tr '\n' ' ')"
base=$(g rev-parse -q --verify "$BASE_TAG^{commit}") || die export "$src has no tag $BASE_TAG"
g merge-base --is-ancestor "$base" HEAD || die export "HEAD of $src is not based on $BASE_TAG"
[ -z "$(g rev-list --merges "$base..HEAD")" ] || die export "merge commits in $BASE_TAG..HEAD; rebase them away"
n=$(g rev-list --count "$base..HEAD")

elog=$LOGDIR/export.log
mkdir -p "$PATCHES"
new=$(mktemp -d "$PATCHES/.export.XXXXXX")
trap 'rm -rf "$new"' EXIT
if [ "$n" -gt 0 ]; then
	# Options pinned so that user config cannot change the output and re-exports diff minimally.
	g -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false format-patch \
		--cover-letter --numbered --base="$base" --no-signature --no-thread --no-to --no-cc \
		--filename-max-length=64 --no-color -o "$new" "$base..HEAD" >"$elog" 2>&1 ||
		die export "git format-patch failed" "$elog"
	cl=$new/0000-cover-letter.patch
	if [ -s "$COVER" ]; then
		awk -v cover="$COVER" '
			BEGIN { getline subj < cover; getline < cover
				while ((getline l < cover) > 0) blurb = blurb l "\n"; sub(/\n+$/, "", blurb) }
			{ i = index($0, "*** SUBJECT HERE ***")
			  if (i) $0 = substr($0, 1, i - 1) subj
			  if ($0 == "*** BLURB HERE ***") $0 = blurb
			  print }' "$cl" >"$cl.new" && mv "$cl.new" "$cl"
	else
		log "warning: no $COVER, the cover letter keeps git's placeholders"
	fi
	# The cover letter's Date is "now"; pin it to HEAD's commit date so re-exports are stable.
	sed -i "0,/^Date: /s/^Date: .*/Date: $(g log -1 --format=%cD HEAD)/" "$cl"
fi
rm -f "$PATCHES"/*.patch
find "$new" -name '*.patch' -exec mv -t "$PATCHES" {} +

# Keep the series file's comment header, then the patches in order (the cover letter is not applied).
header=$( [ -f "$SERIES" ] && sed -n '/^[[:space:]]*#/p; /^[[:space:]]*$/p; /^[[:space:]]*[^#[:space:]]/q' "$SERIES" | sed '${/^$/d}' || true)
[ -n "$header" ] || header="# Patches applied in this order by scripts/apply-series.sh (quilt style, relative to patches/)."
{ echo "$header"; (cd "$PATCHES" && ls -1 -- [0-9]*.patch 2>/dev/null | grep -v '^0000-cover-letter.patch$' || true); } >"$SERIES"
log "exported $n patches from $src ($(g rev-parse --short HEAD)) to $PATCHES"
echo "exported $n patches"
