#!/usr/bin/env bash
# The base import is reproducible: fetch-base.sh run in two empty caches (sharing only the
# downloaded .deb), at different times, with different time zones, umasks and a hostile user git
# configuration, must tag the same commit, and that commit must be the pinned BASE_COMMIT that
# the cover letter's base-commit names. Before the fix, the import used the wall clock and the
# ids differed on every machine.
. "$(dirname "$0")/../../scripts/lib.sh"
name="base import: two fresh caches give the pinned base commit $BASE_COMMIT"
tmp=$(mktemp -d "$CACHE/repro.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
problems=()

# The .deb is downloaded (and sha256-checked) once, into the real cache.
"$REPO/scripts/fetch-base.sh" >"$tmp/fetch0.log" 2>&1 || problems+=("fetch into the main cache failed")

mkdir -p "$tmp/home"
cat >"$tmp/home/.gitconfig" <<'CFG'
[user]
	name = Somebody Else
	email = else@example.org
[commit]
	gpgsign = true
[core]
	autocrlf = true
	filemode = false
[init]
	defaultBranch = trunk
CFG
ids=()
for i in 1 2; do
	if [ "$i" = 1 ]; then tz=UTC um=022 h=$HOME; else tz=Pacific/Kiritimati um=077 h=$tmp/home; sleep 2; fi
	if (umask "$um"; export TZ=$tz HOME=$h DMABUF_CACHE=$tmp/c$i DMABUF_DEBS=$CACHE/debs
	    DMABUF_LOGS=$tmp/c$i/logs DMABUF_TREE=; unset DMABUF_TREE
	    "$REPO/scripts/fetch-base.sh") >"$tmp/fetch$i.log" 2>&1; then
		ids+=("$(git -C "$tmp/c$i/linux" rev-parse "$BASE_TAG^{commit}")")
	else
		ids+=("failed")
		problems+=("import $i: $(grep -m1 '^FAIL' "$tmp/fetch$i.log" || tail -n1 "$tmp/fetch$i.log")")
	fi
	rm -rf "$tmp/c$i/linux"
done
[ "${ids[0]}" = "${ids[1]}" ] || problems+=("the two imports differ: ${ids[*]}")
[ "${ids[0]}" = "$BASE_COMMIT" ] || problems+=("import gave ${ids[0]}, pinned is $BASE_COMMIT")

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
