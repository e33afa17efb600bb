#!/usr/bin/env bash
# A series whose second patch does not apply must fail at stage=apply naming that patch, and
# leave the tree clean. The first patch must apply without a git identity of the user: a fresh
# machine has none, and git am then stops with "unable to auto-detect email address" (git's
# user.useConfigOnly stands in for a host without a domain name). Runs apply-series.sh on a
# throw-away clone of $TREE (shared objects, sparse checkout of the top-level files), so the
# real tree and its build are not disturbed.
. "$(dirname "$0")/../../scripts/lib.sh"
name="apply: a broken patch fails stage=apply and leaves the tree clean"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t=$tmp/tree
git clone -q --shared --no-checkout "$TREE" "$t"
git -C "$t" sparse-checkout set                  # cone mode, no dirs: top-level files only

# Two patches against the base's README, made in a second throw-away repo: 0001 applies,
# 0002's context does not exist in the base.
r=$tmp/repo
git init -q "$r"
git -C "$TREE" show "$BASE_TAG:README" >"$r/README"
gr() { git -C "$r" -c user.name=wb -c user.email=wb@localhost "$@"; }
gr add README && gr commit -q -m base
echo "workbench self-test line" >>"$r/README" && gr commit -q -am "README: good patch"
sed -i '1s/.*/context that is not in the base/' "$r/README" && gr commit -q -am unexported
sed -i '1s/.*/changed again/' "$r/README" && gr commit -q -am "README: broken patch"
mkdir "$tmp/patches"
gr format-patch -q -o "$tmp/patches" HEAD~3..HEAD~2
gr format-patch -q --start-number 2 -o "$tmp/patches" HEAD~1..HEAD
printf '# self-test series\n%s\n\n%s\n' "$(cd "$tmp/patches" && ls 0001-*)" "$(cd "$tmp/patches" && ls 0002-*)" >"$tmp/series"
broken=$(cd "$tmp/patches" && ls 0002-*)

rc=0
out=$(DMABUF_TREE=$t DMABUF_SERIES=$tmp/series DMABUF_PATCHES=$tmp/patches DMABUF_BRANCH=wb-selftest-apply \
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_COUNT=1 \
	GIT_CONFIG_KEY_0=user.useConfigOnly GIT_CONFIG_VALUE_0=true \
	"$REPO/scripts/apply-series.sh" 2>&1) || rc=$?
failline=$(echo "$out" | grep '^FAIL ' || true)
dirty=$(tree_dirty "$t")
applied=$(git -C "$t" rev-list --count "$BASE_TAG..HEAD")
echo "# $failline"
if [ "$rc" -ne 0 ] && [[ $failline == "FAIL stage=apply: patch $broken "* ]] && [ -z "$dirty" ] && [ "$applied" -eq 1 ]; then
	echo "ok - $name"
else
	echo "$out" | tail -n 20
	echo "not ok - $name (rc=$rc, fail line: '$failline', dirty: '$dirty', commits on base: $applied)"
	exit 1
fi
