#!/usr/bin/env bash
# export-patches.sh on a throw-away tree, as revision 2 of a series whose v1 lives only in a
# throw-away "workbench history" repository: a clean tree exports the cover letter + patches and
# a series file; the cover letter says [PATCH v2 0/2], has the blurb, the base tree
# ($UPSTREAM_TAG), a range-diff against v1 after the blurb (the v1 tag recreated from history),
# base-commit: and change-id:; the placeholder author becomes the exporter (DMABUF_AUTHOR or git
# config), Signed-off-by too; the series file's comments stay with their patches; a second export
# is byte-identical; apply-series.sh turns the export back into the same tree; two fresh trees
# get the same v1 tag; a tree with a modified or an untracked file, or a commit without the
# exporter's Signed-off-by, is refused (FAIL stage=export) without touching the exported files.
. "$(dirname "$0")/../../scripts/lib.sh"
name="export: v2 with range-diff, author, series comments, stable re-export, dirty trees refused"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
ph="Dmabuf Heaps Dev <dmabuf-heaps-dev@example.org>"
r=$tmp/tree h=$tmp/history
gr() { git -C "$r" "$@"; }
gh() { git -C "$h" "$@"; }
# commit MSG: commit everything as the placeholder author, signed off by it.
commit() { GIT_AUTHOR_NAME="Dmabuf Heaps Dev" GIT_AUTHOR_EMAIL=dmabuf-heaps-dev@example.org gr commit -q -a -m "$1" -m "Signed-off-by: $ph"; }
git init -q -b main "$r"
gr config user.name "Tree Owner" && gr config user.email owner@example.org
echo base >"$r/file" && gr add file && gr commit -q -m base && gr tag "$BASE_TAG"

# v1, as it was committed to the workbench: format-patch output + series, in the history repo.
gr checkout -q -b v1
echo one >>"$r/file" && commit "file: add one"
echo two >>"$r/file" && commit "file: add two"
git init -q -b main "$h"
gh config user.name wb && gh config user.email wb@localhost
gr format-patch -q --numbered -o "$h/patches" "$BASE_TAG..v1"
printf '# v1 series\n%s\n' "$(cd "$h/patches" && ls)" >"$h/series"
printf 'the v1 subject\n\nThe v1 blurb.\n' >"$h/cover-letter.txt"
gh add -A && gh commit -q -m "v1 of the series"
v1commit=$(gh rev-parse HEAD)
gr checkout -q main && gr branch -q -D v1

# v2: "one" unchanged, "two" with a new subject, a third patch.
echo one >>"$r/file" && commit "file: add one"
echo two >>"$r/file" && commit "file: add TWO"
echo three >>"$r/file" && commit "file: add three"
cat >"$tmp/b4.conf" <<CONF
[series]
	change-id = 20261129-selftest-0123456789ab
	revision = 2
	name = selftest
[sent "v1"]
	commit = $v1commit
CONF
printf 'the series subject\n\nThe blurb,\nover two lines.\n' >"$tmp/cover.txt"
printf '# a header that must survive\n\n0001-file-add-one.patch\n# group: the rest\n0002-file-add-two.patch   # was two\n# a trailing comment\n' >"$tmp/series"
export DMABUF_PATCHES=$tmp/patches DMABUF_SERIES=$tmp/series DMABUF_COVER=$tmp/cover.txt DMABUF_LOGS=$tmp/logs
export DMABUF_B4_CONF=$tmp/b4.conf DMABUF_HISTORY=$h DMABUF_AUTHOR="Jane Developer <jane@example.org>"
exp() { "$REPO/scripts/export-patches.sh" "$r" 2>&1; }
problems=()

out=$(exp) || problems+=("clean export failed: $(grep -m1 '^FAIL' <<<"$out")")
cl=$tmp/patches/0000-cover-letter.patch
cat "$tmp"/patches/* "$tmp/series" >"$tmp/content1"
want_series='# a header that must survive

0001-file-add-one.patch
# group: the rest
0002-file-add-TWO.patch   # was two
0003-file-add-three.patch
# a trailing comment'
[ "$(cat "$tmp/series")" = "$want_series" ] || problems+=("series comments not kept: $(tr '\n' '|' <"$tmp/series")")
grep -q '^Subject: \[PATCH v2 0/3\] the series subject$' "$cl" || problems+=("cover subject is not [PATCH v2 0/3]")
grep -q '^Subject: \[PATCH v2 2/3\] file: add TWO$' "$tmp/patches/0002-file-add-TWO.patch" || problems+=("patch subject is not [PATCH v2 2/3]")
grep -q '^over two lines.$' "$cl" || problems+=("cover blurb")
grep -q "^base-commit: $(gr rev-parse "$BASE_TAG")$" "$cl" || problems+=("no base-commit line")
grep -q '^change-id: 20261129-selftest-0123456789ab$' "$cl" || problems+=("no change-id line")
grep -q "applies to $UPSTREAM_TAG " "$cl" || problems+=("the cover letter does not name $UPSTREAM_TAG")
order=$(grep -n -e '^over two lines.$' -e '^Range-diff against v1:$' -e '^base-commit: ' "$cl" | cut -d: -f2 | tr '\n' '|')
[ "$order" = "over two lines.|Range-diff against v1|base-commit|" ] || problems+=("cover order blurb/range-diff/base-commit: $order")
grep -q '^ *1: *[0-9a-f]* = *1: *[0-9a-f]* file: add one$' "$cl" || problems+=("range-diff: 'add one' not unchanged")
grep -q '^ *2: *[0-9a-f]* ! *2: *[0-9a-f]* file: add two$' "$cl" && grep -q '^ *+ *file: add TWO$' "$cl" ||
	problems+=("range-diff: 'add TWO' not shown as a change of v1's 'add two'")
[ "$(grep -c '^From: Jane Developer <jane@example.org>$' "$tmp"/patches/*.patch | awk -F: '{ s += $2 } END { print s }')" -eq 4 ] ||
	problems+=("From: is not the exporter in all 4 mails")
[ "$(grep -h -c '^Signed-off-by: Jane Developer <jane@example.org>$' "$tmp"/patches/000[123]-*.patch | tr -d '\n')" = 111 ] ||
	problems+=("Signed-off-by is not the exporter's")
! grep -q 'dmabuf-heaps-dev@example.org' "$tmp"/patches/*.patch || problems+=("the placeholder identity is left (range-diff or patches)")
[ -z "$(tree_dirty "$r")" ] && [ "$(gr rev-parse HEAD)" = "$(gr rev-parse main)" ] || problems+=("export changed the tree")
tag1=$(gr rev-parse -q --verify refs/tags/sent/selftest-v1 || echo none)

sleep 1
exp >/dev/null || problems+=("second export failed")
cat "$tmp"/patches/* "$tmp/series" | cmp -s - "$tmp/content1" || problems+=("re-export differs")
DMABUF_TREE=$r DMABUF_BRANCH=wb-roundtrip "$REPO/scripts/apply-series.sh" >/dev/null 2>&1 || problems+=("apply of the export failed")
[ "$(gr rev-parse "wb-roundtrip^{tree}")" = "$(gr rev-parse "main^{tree}")" ] ||
	problems+=("apply of the export gives another tree")
gr checkout -q -f main

# A second fresh tree (another machine) recreates the same v1 tag.
git clone -q --no-tags "$r" "$tmp/tree2" && git -C "$tmp/tree2" tag "$BASE_TAG" "$(gr rev-parse "$BASE_TAG")"
"$REPO/scripts/tag-revisions.sh" "$tmp/tree2" >/dev/null 2>&1 || problems+=("tag-revisions.sh on a fresh tree failed")
tag2=$(git -C "$tmp/tree2" rev-parse -q --verify refs/tags/sent/selftest-v1 || echo none)
[ "$tag1" != none ] && [ "$tag1" = "$tag2" ] || problems+=("v1 tags differ between trees: $tag1 $tag2")

echo three >>"$r/file"
out=$(exp) && problems+=("modified tree exported")
grep -q '^FAIL stage=export: ' <<<"$out" || problems+=("modified tree: no FAIL stage=export line")
gr checkout -q file
touch "$r/new-file"
out=$(exp) && problems+=("tree with an untracked file exported")
grep -q '^FAIL stage=export: ' <<<"$out" || problems+=("untracked file: no FAIL stage=export line")
rm -f "$r/new-file"
echo four >>"$r/file" && gr commit -q -a -m "file: add four, not signed off"
out=$(exp) && problems+=("commit without Signed-off-by exported")
grep -q "^FAIL stage=export: commits without .Signed-off-by.*: $(gr rev-parse --short HEAD)[0-9a-f]* file: add four, not signed off$" <<<"$out" ||
	problems+=("no Signed-off-by: no FAIL line naming the commit (by the tree's id)")
cat "$tmp"/patches/* "$tmp/series" | cmp -s - "$tmp/content1" || problems+=("refused export touched the output")

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
