#!/usr/bin/env bash
# Make a b4 prep branch of the exported series, for the b4 commands that need one ("b4 prep
# --show-info", "b4 prep --compare-to v1", "b4 send --dry-run", "b4 send -o DIR", and "b4 prep
# --check" with a b4 that has it), and print the directory to run them in.
#
# usage: b4-prep.sh
#
# The directory is $CACHE/b4-prep: a clone of $TREE sharing its objects, with only the top-level
# files checked out (the series touches none of them, so it is quick and never dirty). Branch
# b4/<name> (b4-series.conf) is made afresh each time: $BASE_TAG, b4's cover letter commit
# (cover-letter.txt plus b4's tracking data: change-id, revision), then $PATCHES applied in the
# order of $SERIES (lib.sh's commit_patches). The sent/<name>-vN tags are recreated in $TREE
# (scripts/tag-revisions.sh) and fetched. b4 takes From: and the sender from the clone's
# user.name/user.email, which are set from DMABUF_AUTHOR or your git config (as for export).
# Nothing here changes $TREE except for the sent/ tags.
. "$(dirname "$0")/lib.sh"
STAGE=b4
COVER=${DMABUF_COVER:-$REPO/cover-letter.txt}
B4CONF=${DMABUF_B4_CONF:-$REPO/b4-series.conf}
P=${DMABUF_B4_PREP:-$CACHE/b4-prep}

need_pkgs b4
[ -d "$TREE/.git" ] || die b4 "no kernel tree at $TREE (run scripts/fetch-base.sh)"
cf() { git config -f "$B4CONF" "$@"; }
name=$(cf series.name) && rev=$(cf series.revision) && changeid=$(cf series.change-id) ||
	die b4 "$B4CONF lacks series.name, series.revision or series.change-id"
ident=$(your_ident "$TREE")
# No identity of your own (a fresh machine, CI): the exporter's, from the cover letter's From:.
if ! ident_ok "$ident"; then
	ident=$(git mailinfo /dev/null /dev/null <"$PATCHES/0000-cover-letter.patch" |
		sed -n 's/^Author: //p; s/^Email: \(.*\)/<\1>/p' | paste -sd' ')
	ident_ok "$ident" || die b4 "no git identity, and no From: in $PATCHES/0000-cover-letter.patch"
	log "no git identity of yours: b4 prep uses the cover letter's From: $ident"
fi
"$REPO/scripts/tag-revisions.sh" "$TREE" >/dev/null || die b4 "cannot recreate the sent/ tags in $TREE"
mapfile -t plist < <(series_patches)
[ ${#plist[@]} -gt 0 ] || die b4 "$SERIES lists no patch"

blog=$LOGDIR/b4-prep.log
pg() { git -C "$P" "$@"; }
# Every step ends the function on failure: set -e does not hold on the left of "||".
prep() {
	if [ ! -d "$P/.git" ]; then
		rm -rf "$P" || return 1
		git clone -q --shared --no-checkout "$TREE" "$P" || return 1
		git -C "$P" sparse-checkout set || return 1 # cone mode, no directories: top-level files only
	fi
	pg fetch -q --force "$TREE" "refs/tags/*:refs/tags/*" || return 1
	pg config user.name "${ident% <*}" || return 1
	email=${ident##*<}
	pg config user.email "${email%>}" || return 1
	pg config b4.prep-cover-strategy commit || return 1
	# b4 send: SMTP (to a "sendmail" that always fails), not b4's web endpoint; never sends.
	pg config sendemail.smtpserver /bin/false || return 1
	# b4's cover letter commit. b4 looks for it only in the last year: date it now.
	cover=$( { if [ -s "$COVER" ]; then cat "$COVER"; else printf '%s\n\n%s\n' "$name" "$name"; fi
		printf '\n\n--- b4-submit-tracking ---\n# This section is used internally by b4 prep for tracking purposes.\n'
		printf '{\n  "series": {\n    "revision": %s,\n    "change-id": "%s",\n    "base-branch": null,\n    "prefixes": []\n  }\n}\n' \
			"$rev" "$changeid"; } |
		GIT_AUTHOR_NAME=${ident% <*} GIT_AUTHOR_EMAIL=${email%>} GIT_COMMITTER_NAME=${ident% <*} GIT_COMMITTER_EMAIL=${email%>} \
		git --git-dir="$P/.git" commit-tree "$BASE_TAG^{tree}" -p "$BASE_TAG^{commit}") || return 1
	tip=$(commit_patches "$P/.git" "$cover" "$PATCHES" "${plist[@]}") || return 1
	pg checkout -q -f -B "b4/$name" "$tip" || return 1
}
prep >"$blog" 2>&1 || die b4 "cannot make the b4 prep branch b4/$name in $P" "$blog"
log "b4/$name in $P: cover + ${#plist[@]} patches, v$rev, change-id $changeid"
echo "$P"
