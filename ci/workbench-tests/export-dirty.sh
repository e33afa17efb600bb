#!/usr/bin/env bash
# export-patches.sh on a throw-away tree: a clean tree exports the cover letter + patches and a
# series file, a second export is byte-identical, apply-series.sh turns the export back into
# the same tree, and a tree with a modified or an untracked file is refused (FAIL stage=export)
# without touching the exported files.
. "$(dirname "$0")/../../scripts/lib.sh"
name="export: stable re-export, round trip through apply, dirty trees refused"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/tree
git init -q -b main "$r"
git -C "$r" config user.name wb && git -C "$r" config user.email wb@localhost
gr() { git -C "$r" "$@"; }
echo base >"$r/file" && gr add file && gr commit -q -m base && gr tag "$BASE_TAG"
echo one >>"$r/file" && gr commit -q -am "file: add one"
echo two >>"$r/file" && gr commit -q -am "file: add two"
printf 'the series subject\n\nThe blurb,\nover two lines.\n' >"$tmp/cover.txt"
printf '# a header that must survive\n\nold-0001.patch\n' >"$tmp/series"
export DMABUF_PATCHES=$tmp/patches DMABUF_SERIES=$tmp/series DMABUF_COVER=$tmp/cover.txt DMABUF_LOGS=$tmp/logs
exp() { "$REPO/scripts/export-patches.sh" "$r" 2>&1; }
problems=()

exp >/dev/null || problems+=("clean export failed")
ls "$tmp/patches" >"$tmp/ls1"
cat "$tmp"/patches/* "$tmp/series" >"$tmp/content1"
[ "$(sed -n 1p "$tmp/series")" = "# a header that must survive" ] || problems+=("series header lost")
[ "$(grep -c '^[0-9]' "$tmp/series")" -eq 2 ] || problems+=("series does not list 2 patches")
grep -q '^Subject: \[PATCH 0/2\] the series subject$' "$tmp/patches/0000-cover-letter.patch" || problems+=("cover subject")
grep -q '^over two lines.$' "$tmp/patches/0000-cover-letter.patch" || problems+=("cover blurb")
sleep 1
exp >/dev/null || problems+=("second export failed")
cat "$tmp"/patches/* "$tmp/series" | cmp -s - "$tmp/content1" || problems+=("re-export differs")
DMABUF_TREE=$r DMABUF_BRANCH=wb-roundtrip "$REPO/scripts/apply-series.sh" >/dev/null 2>&1 || problems+=("apply of the export failed")
[ "$(gr rev-parse wb-roundtrip^{tree})" = "$(gr rev-parse main^{tree})" ] ||
	problems+=("apply of the export gives another tree")
gr checkout -q -f main

echo three >>"$r/file"
out=$(exp) && problems+=("modified tree exported")
grep -q '^FAIL stage=export: ' <<<"$out" || problems+=("modified tree: no FAIL stage=export line")
gr checkout -q file
touch "$r/new-file"
out=$(exp) && problems+=("tree with an untracked file exported")
grep -q '^FAIL stage=export: ' <<<"$out" || problems+=("untracked file: no FAIL stage=export line")
cat "$tmp"/patches/* "$tmp/series" | cmp -s - "$tmp/content1" || problems+=("refused export touched the output")

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
