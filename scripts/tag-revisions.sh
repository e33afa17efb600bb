#!/usr/bin/env bash
# Recreate the revisions of the series that were sent (b4-series.conf, [sent "vN"]) as annotated
# tags sent/<name>-vN in a kernel tree, from this repository's history: the patches/ and series
# of the commit that [sent "vN"] names, applied onto $BASE_TAG with lib.sh's commit_patches (no
# work tree, no branch touched, fixed committer), so every machine gets the same commits and tag.
# The tag message is b4's: cover subject, blurb, then base-commit: and change-id: lines, which
# is what "b4 prep --compare-to" reads. An existing tag is kept.
#
# usage: tag-revisions.sh [TREE_DIR]      (default $TREE)
# Env: DMABUF_B4_CONF (default b4-series.conf), DMABUF_HISTORY (the git repository holding the
# sent commits; default this repository, which must not be a shallow clone).
# Prints one line per revision: "sent/<name>-vN <commit>".
. "$(dirname "$0")/lib.sh"
STAGE="export"
B4CONF=${DMABUF_B4_CONF:-$REPO/b4-series.conf}
HIST=${DMABUF_HISTORY:-$REPO}

src=${1:-$TREE}
git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1 || die export "$src is not a git tree"
gd=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir)
g() { timeout -k 10 300 git --git-dir="$gd" "$@"; }
base=$(g rev-parse -q --verify "$BASE_TAG^{commit}") || die export "$src has no tag $BASE_TAG"
[ -f "$B4CONF" ] || die export "no $B4CONF"
cf() { git config -f "$B4CONF" "$@"; }
name=$(cf series.name) || die export "$B4CONF: no series.name"
changeid=$(cf series.change-id) || die export "$B4CONF: no series.change-id"

revs=$(cf --get-regexp '^sent\..*\.commit$' | sed -n 's/^sent\.\(v[0-9]*\)\.commit .*/\1/p' || true)
for rev in $revs; do
	tag=sent/$name-$rev
	if have=$(g rev-parse -q --verify "refs/tags/$tag^{commit}"); then
		echo "$tag $have"
		continue
	fi
	commit=$(cf "sent.$rev.commit")
	git -C "$HIST" cat-file -e "$commit^{commit}" 2>/dev/null ||
		die export "$rev: commit $commit is not in $HIST (a shallow clone? git fetch --unshallow)"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	git -C "$HIST" show "$commit:series" >"$tmp/series" 2>/dev/null || die export "$rev: no series file in $commit"
	mapfile -t plist < <(SERIES=$tmp/series series_patches)
	[ ${#plist[@]} -gt 0 ] || die export "$rev: the series of $commit lists no patch"
	for p in "${plist[@]}"; do
		git -C "$HIST" show "$commit:patches/$p" >"$tmp/$p" 2>/dev/null || die export "$rev: no patches/$p in $commit"
	done
	tip=$(commit_patches "$gd" "$base" "$tmp" "${plist[@]}" 2>"$tmp/err") ||
		die export "$rev: the patches of $commit do not apply to $BASE_TAG: $(tail -n 1 "$tmp/err")"
	{
		if git -C "$HIST" show "$commit:cover-letter.txt" >"$tmp/cover" 2>/dev/null && [ -s "$tmp/cover" ]; then
			cat "$tmp/cover"
		else
			echo "$name $rev"
		fi
		printf '\n---\nbase-commit: %s\nchange-id: %s\n' "$base" "$changeid"
	} | git stripspace >"$tmp/tagmsg"
	# The tagger, like the commits: fixed, at the date of the repository commit.
	GIT_COMMITTER_NAME="$WB_NAME" GIT_COMMITTER_EMAIL="$WB_EMAIL" \
		GIT_COMMITTER_DATE=$(git -C "$HIST" log -1 --format=%cI "$commit") \
		GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
		g -c tag.gpgSign=false tag -a -F "$tmp/tagmsg" "$tag" "$tip" || die export "cannot tag $tag"
	rm -rf "$tmp"
	log "made $tag (${#plist[@]} patches of $rev from commit ${commit:0:12}) in $src"
	echo "$tag $tip"
done
