#!/usr/bin/env bash
# (Re)make branch $BRANCH (default "series") in $TREE: base tag + every patch named in $SERIES,
# applied with git am one by one. A missing or empty series file gives the plain base.
# If the series, the patches and the base are unchanged since the last run and the branch is
# still checked out clean, the tree is left alone so that file times (and the incremental
# kernel build) are kept.
. "$(dirname "$0")/lib.sh"
STAGE=apply

[ -d "$TREE/.git" ] || die apply "no kernel tree at $TREE (run scripts/fetch-base.sh)"
alog=$LOGDIR/apply-$BRANCH.log
: >"$alog"
g() { timeout -k 10 300 git -C "$TREE" "$@"; }

mapfile -t patches < <(series_patches)
for p in "${patches[@]}"; do
	[ -s "$PATCHES/$p" ] || die apply "patch $p named in $SERIES does not exist in $PATCHES"
done

# Fingerprint of what we are about to apply.
stamp_file=$(g rev-parse --absolute-git-dir)/dmabuf-stamp-$BRANCH
stamp=$( { g rev-parse "$BASE_TAG^{commit}"
	for p in "${patches[@]}"; do sha256sum "$PATCHES/$p"; done; } | sha256sum | cut -d' ' -f1)
if [ -f "$stamp_file" ] && read -r old_stamp old_head <"$stamp_file" && [ "$old_stamp" = "$stamp" ] &&
   [ "$(g symbolic-ref -q HEAD)" = "refs/heads/$BRANCH" ] && [ "$(g rev-parse HEAD)" = "$old_head" ] &&
   [ -z "$(tree_dirty "$TREE")" ]; then
	log "series unchanged since the last run, $BRANCH kept at $(g rev-parse --short HEAD)"
	echo "applied ${#patches[@]} patches"
	exit 0
fi
rm -f "$stamp_file"

# The branch is a build input, not a submission: its committer is the workbench, so that git am
# needs no identity of the user (a fresh machine has none) and the commit ids do not depend on it.
am() { g -c user.name="$WB_NAME" -c user.email="$WB_EMAIL" am "$@"; }
[ -d "$(g rev-parse --absolute-git-dir)/rebase-apply" ] && am --abort >>"$alog" 2>&1
g checkout -q -f -B "$BRANCH" "$BASE_TAG" >>"$alog" 2>&1 || die apply "cannot reset $BRANCH to $BASE_TAG" "$alog"
g clean -q -fdx >>"$alog" 2>&1 || die apply "git clean failed" "$alog"

n=0
for p in "${patches[@]}"; do
	if ! am -q --committer-date-is-author-date "$PATCHES/$p" >>"$alog" 2>&1; then
		reason=$(grep -m1 -E '^(error|fatal|Patch failed)' "$alog" || tail -n1 "$alog")
		am --abort >>"$alog" 2>&1 || true
		g clean -q -fdx >>"$alog" 2>&1 || true
		dirty=$(tree_dirty "$TREE")
		[ -z "$dirty" ] || echo "tree not clean after git am --abort: $dirty" >>"$alog"
		die apply "patch $p does not apply after $n patches: $reason" "$alog"
	fi
	n=$((n + 1))
done
echo "$stamp $(g rev-parse HEAD)" >"$stamp_file"
log "$BRANCH at $(g rev-parse --short HEAD) in $TREE"
echo "applied $n patches"
