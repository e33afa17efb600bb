#!/usr/bin/env bash
# Regenerate $PATCHES (default patches/) and $SERIES (default series) from the commits
# $BASE_TAG..HEAD of a kernel tree (default $TREE), as revision N of the series (b4-series.conf):
# subjects [PATCH vN NN/MM] (plain [PATCH NN/MM] for revision 1). Refuses a tree with uncommitted
# or untracked files.
#
# usage: export-patches.sh [TREE_DIR]
#
# Cover letter ($COVER, default cover-letter.txt: first line = subject, blank line, blurb): the
# blurb, then which tree the series applies to, the shortlog and diffstat, "Range-diff against
# vN-1:" (against the tag sent/<name>-vN-1 that scripts/tag-revisions.sh recreates from this
# repository's history), and at the end base-commit: (our import of the base) and b4's change-id:.
#
# Author: the commits' placeholder identity (DMABUF_PLACEHOLDER_IDENT, default
# "Dmabuf Heaps Dev <dmabuf-heaps-dev@example.org>") is replaced, in From: and in Signed-off-by:,
# by yours: DMABUF_AUTHOR="Name <email>", else git config user.name and user.email of the tree.
# Every exported commit must carry your Signed-off-by. The rewrite happens in a throw-away
# repository; the tree's commits and branches are not touched (only the sent/ tag is added).
#
# A series on top of another (an RFC on top of this series): DMABUF_EXPORT_FROM=REF exports
# REF..HEAD only, with --base=$BASE_TAG, so that the cover letter lists REF's commits as
# prerequisite-patch-id: lines, as b4 does. b4-series.conf may set series.prefix (default PATCH,
# e.g. "RFC PATCH").
#
# A line "@BENCH-TABLE@" in the cover text is replaced by the benchmark table of
# selftests/BENCH.md (between "<!-- bench-table begin -->" and "<!-- bench-table end -->",
# without the code fence), its only copy.
#
# Reproducible: the same commits give byte-identical files (the cover letter's date is HEAD's,
# git runs without user or system configuration, every rewritten commit keeps its dates).
# The series file keeps its comments: the header, group comments before a patch ("# optional:
# memcg") and comments after a patch name stay with that patch (matched by file name without
# the number, else by number), comments after the last patch stay at the end.
. "$(dirname "$0")/lib.sh"
STAGE="export"
COVER=${DMABUF_COVER:-$REPO/cover-letter.txt}
BENCHMD=${DMABUF_BENCH_MD:-$REPO/selftests/BENCH.md}
B4CONF=${DMABUF_B4_CONF:-$REPO/b4-series.conf}
PLACEHOLDER=${DMABUF_PLACEHOLDER_IDENT:-Dmabuf Heaps Dev <dmabuf-heaps-dev@example.org>}

src=${1:-$TREE}
[ -d "$src" ] && git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1 || die export "$src is not a git tree"
src=$(cd "$src" && pwd)
g() { timeout -k 10 300 git -C "$src" "$@"; }

dirty=$(tree_dirty "$src")
[ -z "$dirty" ] || die export "$src has uncommitted changes, commit or stash them first: $(echo "$dirty" | head -n 5 | tr '\n' ' ')"
base=$(g rev-parse -q --verify "$BASE_TAG^{commit}") || die export "$src has no tag $BASE_TAG"
g merge-base --is-ancestor "$base" HEAD || die export "HEAD of $src is not based on $BASE_TAG"
[ -z "$(g rev-list --merges "$base..HEAD")" ] || die export "merge commits in $BASE_TAG..HEAD; rebase them away"
head=$(g rev-parse HEAD)
from=$base nfrom=0
if [ -n "${DMABUF_EXPORT_FROM:-}" ]; then
	from=$(g rev-parse -q --verify "$DMABUF_EXPORT_FROM^{commit}") || die export "no commit $DMABUF_EXPORT_FROM in $src"
	g merge-base --is-ancestor "$base" "$from" && g merge-base --is-ancestor "$from" HEAD ||
		die export "$DMABUF_EXPORT_FROM is not between $BASE_TAG and HEAD of $src"
	nfrom=$(g rev-list --count "$base..$from")
fi
n=$(g rev-list --count "$from..$head")

# Revision and change-id (b4-series.conf), and who sends it.
[ -f "$B4CONF" ] || die export "no $B4CONF (the series' change-id and revision)"
rev=$(git config -f "$B4CONF" series.revision) || die export "$B4CONF: no series.revision"
changeid=$(git config -f "$B4CONF" series.change-id) || die export "$B4CONF: no series.change-id"
name=$(git config -f "$B4CONF" series.name) || die export "$B4CONF: no series.name"
ident=$(your_ident "$src")
ident_ok "$ident" ||
	die export "no author identity ('$ident'): git config --global user.name 'Your Name'; git config --global user.email you@example.org (or DMABUF_AUTHOR='Your Name <you@example.org>')"
[ "$ident" != "$PLACEHOLDER" ] || die export "the author identity is the placeholder '$PLACEHOLDER': set your own (git config user.name/user.email or DMABUF_AUTHOR)"

prev=""
if [ "$rev" -gt 1 ] && [ "$n" -gt 0 ]; then
	prevtag=sent/$name-v$((rev - 1))
	"$REPO/scripts/tag-revisions.sh" "$src" >/dev/null || die export "cannot recreate the sent revisions (tag $prevtag)"
	prev=$(g rev-parse -q --verify "refs/tags/$prevtag^{commit}") ||
		die export "no tag $prevtag for the range-diff: add [sent \"v$((rev - 1))\"] to $B4CONF"
	g merge-base --is-ancestor "$base" "$prev" || die export "$prevtag is not based on $BASE_TAG"
fi

elog=$LOGDIR/export.log
: >"$elog"
mkdir -p "$PATCHES"
new=$(mktemp -d "$PATCHES/.export.XXXXXX")
wr=$(mktemp -d)
trap 'rm -rf "$new" "$wr"' EXIT
# The throw-away repository: the tree's objects through alternates, no configuration of anybody.
git init -q --bare "$wr/git"
echo "$(g rev-parse --path-format=absolute --git-common-dir)/objects" >"$wr/git/objects/info/alternates"
w() { GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$wr LC_ALL=C timeout -k 10 300 git --git-dir="$wr/git" "$@"; }

# rewrite BASE TIP: print the tip of BASE..TIP with the placeholder identity replaced by $ident
# (author, committer, Signed-off-by lines) and signatures dropped; everything else, dates
# included, byte for byte. An unchanged commit keeps its id.
rewrite() {
	local parent=$1 c
	for c in $(w rev-list --reverse "$1..$2"); do
		parent=$(w cat-file commit "$c" | awk -v hdr=1 -v parent="$parent" -v old="$PLACEHOLDER" -v new="$ident" '
			function who(l, key,   rest) {     # "key Name <mail> TS TZ"
				rest = substr(l, length(key) + 2)
				if (index(rest, old " ") == 1) return key " " new substr(rest, length(old) + 1)
				return l }
			hdr && /^$/ { hdr = 0; print; next }
			hdr && /^ / { if (!sig) print; next }   # continuation of a multi-line header
			hdr { sig = 0
				if ($1 == "parent") { print "parent " parent; next }
				if ($1 == "author" || $1 == "committer") { print who($0, $1); next }
				if ($1 == "gpgsig" || $1 == "gpgsig-sha256") { sig = 1; next }
				print; next }
			$0 == "Signed-off-by: " old { print "Signed-off-by: " new; next }
			{ print }' | w hash-object -t commit -w --stdin) || return 1
	done
	echo "$parent"
}

if [ "$n" -gt 0 ]; then
	tip=$(rewrite "$base" "$head") || die export "cannot rewrite the author identity"
	# Named by the tree's own ids (the rewritten ones are nobody's). The Signed-off-by must
	# stand above a "---" line, if the message has one: what follows it (a changelog) never
	# reaches the commit that git am makes.
	# The rewritten $from: the nfrom-th rewritten commit (or the base itself).
	rfrom=$base
	[ "$nfrom" -eq 0 ] || rfrom=$(w rev-list --reverse "$base..$tip" | sed -n "${nfrom}p")
	mapfile -t own < <(g log --reverse --format=%h "$from..$head")
	mapfile -t commits < <(w log --reverse --format=%H "$rfrom..$tip")
	nosob=""
	for i in "${!commits[@]}"; do
		msg=$(w log -1 --format=%B "${commits[i]}")
		msg=$(sed '/^---$/,$d' <<<"$msg")
		grep -Fqx "Signed-off-by: $ident" <<<"$msg" ||
			nosob+="${own[i]} $(w log -1 --format=%s "${commits[i]}"); "
	done
	[ -z "$nosob" ] || die export "commits without 'Signed-off-by: $ident' (git rebase --signoff $BASE_TAG): ${nosob%; }"
	rdiff=()
	if [ -n "$prev" ]; then
		ptip=$(rewrite "$base" "$prev") || die export "cannot rewrite $prevtag"
		rdiff=(--range-diff="$base..$ptip")
	fi
	sp=$(git config -f "$B4CONF" series.prefix || echo PATCH)
	if [ "$rev" -gt 1 ]; then prefix="$sp v$rev"; else prefix=$sp; fi
	email=${ident##*<}
	# Options pinned so that the output does not depend on anybody's configuration and
	# re-exports diff minimally. The cover letter's From: is the committer, i.e. $ident.
	GIT_COMMITTER_NAME=${ident% <*} GIT_COMMITTER_EMAIL=${email%>} \
	w -c core.abbrev=12 -c diff.noprefix=false -c diff.mnemonicPrefix=false format-patch \
		--cover-letter --numbered --subject-prefix="$prefix" --base="$base" "${rdiff[@]}" \
		--no-signature --no-thread --no-to --no-cc --filename-max-length=64 --no-color \
		-o "$new" "$rfrom..$tip" >>"$elog" 2>&1 || die export "git format-patch failed" "$elog"
	cl=$new/0000-cover-letter.patch
	[ -s "$COVER" ] || log "warning: no $COVER, the cover letter keeps git's placeholders"
	basetext=$(fmt -w 72 <<<"The series applies to $UPSTREAM_TAG as shipped in Debian's linux-source-7.3 \
$BASE_VERSION (upstream $UPSTREAM_TAG plus Debian's patches). base-commit: below is the id of that \
tarball imported as one commit by the workbench (tag $BASE_TAG), not a mainline commit id.")
	: >"$wr/bench"
	if grep -qx '@BENCH-TABLE@' "$COVER" 2>/dev/null; then
		sed -n '/^<!-- bench-table begin -->$/,/^<!-- bench-table end -->$/p' "$BENCHMD" 2>/dev/null |
			sed '1d; $d' | sed '/^```/d' >"$wr/bench"
		[ -s "$wr/bench" ] || die export "$COVER asks for @BENCH-TABLE@, but $BENCHMD has no bench-table block"
	fi
	awk -v cover="$COVER" -v bench="$wr/bench" -v basetext="$basetext" -v changeid="$changeid" -v prevrev=$((rev - 1)) '
		BEGIN { while ((getline l < bench) > 0) table = table l "\n"; sub(/\n$/, "", table)
			if ((getline subj < cover) > 0) { getline < cover
				while ((getline l < cover) > 0) blurb = blurb (l == "@BENCH-TABLE@" ? table : l) "\n"
				sub(/\n+$/, "", blurb) } }
		{ i = index($0, "*** SUBJECT HERE ***")
		  if (i && subj != "") $0 = substr($0, 1, i - 1) subj }
		$0 == "*** BLURB HERE ***" { if (blurb != "") print blurb; else print; print ""; print basetext; next }
		$0 == "Range-diff:" { print "Range-diff against v" prevrev ":"; next }
		/^base-commit: / { print; print "change-id: " changeid; next }
		{ print }' "$cl" >"$cl.new" && mv "$cl.new" "$cl"
	# The cover letter's Date is "now"; pin it to HEAD's commit date so re-exports are stable.
	sed -i "0,/^Date: /s/^Date: .*/Date: $(g log -1 --format=%cD "$head")/" "$cl"
fi
rm -f "$PATCHES"/*.patch
find "$new" -name '*.patch' -exec mv -t "$PATCHES" {} +
rm -rf "$new"

# The series file: the new patch list, with the old file's comments kept in place.
(cd "$PATCHES" && { ls -1 -- [0-9]*.patch 2>/dev/null || true; } | { grep -v '^0000-cover-letter.patch$' || true; }) >"$wr/list"
old=$SERIES
[ -f "$old" ] || { old=$wr/noseries; echo "# Patches applied in this order by scripts/apply-series.sh (quilt style, relative to patches/)." >"$old"; }
awk -v listf="$wr/list" '
	function stem(f) { sub(/^[0-9]+-/, "", f); return f }
	function num(f) { return f ~ /^[0-9]+-/ ? substr(f, 1, index(f, "-") - 1) + 0 : -1 }
	BEGIN { while ((getline l < listf) > 0) { nn++; newf[nn] = l; bystem[stem(l)] = nn; bynum[num(l)] = nn } }
	# Old file: comment/blank lines before the first patch = header; others go with the next patch.
	{ line = $0; name = line; sub(/#.*/, "", name); split(name, w, " ") }
	w[1] == "" { if (!seen) header = header line "\n"; else pend = pend line "\n"; next }
	{ seen = 1; no++; oldf[no] = w[1]; before[no] = pend; pend = ""
	  rest = line; sub(/^[[:space:]]*[^[:space:]#]+/, "", rest); after[no] = rest }
	END {
		for (i = 1; i <= no; i++) if ((stem(oldf[i]) in bystem) && !(bystem[stem(oldf[i])] in claimed)) {
			to[i] = bystem[stem(oldf[i])]; claimed[to[i]] = 1 }
		for (i = 1; i <= no; i++) if (!(i in to) && (num(oldf[i]) in bynum) && !(bynum[num(oldf[i])] in claimed)) {
			to[i] = bynum[num(oldf[i])]; claimed[to[i]] = 1 }
		carry = ""
		for (i = 1; i <= no; i++) {
			if (i in to) { pre[to[i]] = carry before[i]; post[to[i]] = after[i]; carry = "" }
			else carry = carry before[i]    # a dropped patch: its comments go to the next one
		}
		printf "%s", header
		for (j = 1; j <= nn; j++) printf "%s%s%s\n", pre[j], newf[j], post[j]
		printf "%s%s", carry, pend
	}' "$old" >"$wr/series"
mv "$wr/series" "$SERIES"
log "exported $n patches (v$rev) from $src ($(g rev-parse --short HEAD)) to $PATCHES"
echo "exported $n patches"
