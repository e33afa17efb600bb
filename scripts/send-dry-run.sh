#!/usr/bin/env bash
# Show the mails that "git send-email" would send for $PATCHES/*.patch, without sending anything,
# and check the recipients against get_maintainer.pl.
#
# usage: send-dry-run.sh [-n NOTES]
#   NOTES (default MAINTAINERS-notes, or $DMABUF_MAINTAINERS_NOTES) names the recipients, one per
#   line, "To: Name <addr>" or "Cc: Name <addr>" (several per line may be separated by commas;
#   lines may be indented, e.g. in a code block). Everything else in the file is prose.
#
# Fails if: there are no patches or no To: recipient; get_maintainer.pl lists an address that
# NOTES does not; a patch carries a Cc: trailer that NOTES does not list (--suppress-cc=all would
# drop it); git send-email --dry-run fails or would address anybody not in NOTES.
# Never sends: --dry-run, plus --smtp-server=/bin/false (a "sendmail" that always fails), and
# no user or system git config (GIT_CONFIG_GLOBAL=/dev/null, GIT_CONFIG_NOSYSTEM=1).
# Then b4's view of the same: "b4 send -o DIR" (--no-sign, no trailer Cc's, the same To/Cc) on
# the b4 prep branch of scripts/b4-prep.sh must write as many mails, with the same subjects, to
# nobody outside NOTES. (patches/ stays git format-patch's: b4 0.12 stamps every mail with the
# current time and a random Message-Id, see README.md.)
# Last line: "send-dry-run: PASS (...)" or a "FAIL stage=send: ..." line (exit 1).
. "$(dirname "$0")/lib.sh"
STAGE=send
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
NOTES=${DMABUF_MAINTAINERS_NOTES:-$REPO/MAINTAINERS-notes}
GMTREE=${DMABUF_GET_MAINTAINER_TREE:-$TREE}
while getopts n: opt; do
	case $opt in
	n) NOTES=$OPTARG ;;
	*) die send "usage: $0 [-n NOTES]" ;;
	esac
done
need_pkgs git-email libmailtools-perl b4

[ -f "$NOTES" ] || die send "no recipients file $NOTES"
mapfile -t patches < <(ls -1 "$PATCHES"/*.patch 2>/dev/null | sort)
[ ${#patches[@]} -gt 0 ] || die send "no patches in $PATCHES (run scripts/export-patches.sh)"
[ -x "$GMTREE/scripts/get_maintainer.pl" ] || die send "no scripts/get_maintainer.pl in $GMTREE"

email() { sed -E 's/.*<([^>]+)>.*/\1/; s/^[[:space:]]+//; s/[[:space:]].*$//' | tr 'A-Z' 'a-z'; }
# "Kind<TAB>Full address" for each recipient in NOTES.
recips=$(sed -n -E 's/^[[:space:]]*(To|Cc):[[:space:]]*(.*[^[:space:]])[[:space:]]*$/\1\t\2/p' "$NOTES" |
	awk -F'\t' '{ n = split($2, a, /, */); for (i = 1; i <= n; i++) if (a[i] ~ /@/) print $1 "\t" a[i] }')
to=() cc=()
while IFS=$'\t' read -r kind addr; do
	[ -n "$addr" ] || continue
	if [ "$kind" = To ]; then to+=("$addr"); else cc+=("$addr"); fi
done <<<"$recips"
[ ${#to[@]} -gt 0 ] || die send "$NOTES lists no 'To:' recipient (format: 'To: Name <addr>' / 'Cc: Name <addr>' lines)"
known=$(printf '%s\n' "${to[@]}" "${cc[@]}" | email | sort -u)

# get_maintainer.pl on every patch: nobody it names may be missing from NOTES.
gml=$LOGDIR/send-get-maintainer.log
: >"$gml"
for p in "${patches[@]}"; do
	case $(basename "$p") in 0000-cover-letter.patch) continue ;; esac
	{ echo "== $(basename "$p")"
	  (cd "$GMTREE" && timeout 120 scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback "$p"); } >>"$gml" 2>&1 ||
		die send "get_maintainer.pl failed on $(basename "$p")" "$gml"
done
gm=$(grep -v '^== ' "$gml" | { grep '@' || true; } | email | sort -u)
missing=$(comm -23 <(echo "$gm") <(echo "$known") | tr '\n' ' ')
echo "get_maintainer.pl names $(echo "$gm" | grep -c .) addresses (log: $gml)"
[ -z "$missing" ] || die send "get_maintainer.pl lists addresses that $NOTES does not: $missing" "$gml"

# Cc: trailers in the patches would be dropped by --suppress-cc=all: they must be in NOTES.
trail=$( { grep -h -E '^Cc: ' "${patches[@]}" || true; } | sed 's/^Cc: //' | email | sort -u)
lost=$(comm -23 <(echo "$trail" | grep . || true) <(echo "$known") | tr '\n' ' ')
[ -z "$lost" ] || die send "Cc: trailers not in $NOTES (--suppress-cc=all would drop them): $lost"

# The dry run. Sender: the cover letter's (else the first patch's) From: header.
# The From: header, unfolded (a long one continues on the next line, which starts with a blank).
from=$(awk '/^From: / { h = substr($0, 7); f = 1; next } f && /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
	f { print h; exit }' "${patches[0]}")
# scripts/b4-prep.sh (below) runs without the user's git config too: give it the sender.
export DMABUF_AUTHOR=${DMABUF_AUTHOR:-$from}
args=(--dry-run --confirm=never --suppress-cc=all --smtp-server=/bin/false --no-smtp-auth
	--8bit-encoding=UTF-8 --thread --no-chain-reply-to --from="$from")
for a in "${to[@]}"; do args+=(--to="$a"); done
for a in "${cc[@]}"; do args+=(--cc="$a"); done
sl=$LOGDIR/send-dry-run.log
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
# Without user config git has no identity, and send-email asks for one (git var
# GIT_COMMITTER_IDENT fails on a host without a domain name): the sender's.
fromaddr=$(sed -E 's/.*<([^>]+)>.*/\1/' <<<"$from")
export GIT_COMMITTER_NAME=${from% <*} GIT_COMMITTER_EMAIL=$fromaddr GIT_AUTHOR_NAME=${from% <*} GIT_AUTHOR_EMAIL=$fromaddr
echo "git send-email ${args[*]} ${patches[*]}" >"$sl"
(cd "$GMTREE" && timeout 300 git -c sendemail.smtpServer=/bin/false send-email "${args[@]}" "${patches[@]}" </dev/null) >>"$sl" 2>&1 ||
	die send "git send-email --dry-run failed" "$sl"
grep -q '^Result: ' "$sl" || grep -q 'Dry-OK' "$sl" || die send "git send-email printed no dry-run result" "$sl"
sent=$(grep -c '^Dry-OK\|^OK\. Log says' "$sl" || true)
[ "$sent" -eq ${#patches[@]} ] || die send "dry run shows $sent mails for ${#patches[@]} patches" "$sl"
# Everything it would address (the envelope: "Sendmail: /bin/false -i <rcpt>...") must be in NOTES.
addressed=$(sed -n 's/^Sendmail: [^ ]* -i //p' "$sl" | tr ' ' '\n' | { grep '@' || true; } | email | sort -u)

[ -n "$addressed" ] || die send "no envelope recipients in the dry run" "$sl"
extra=$(comm -23 <(echo "$addressed") <(echo "$known") | tr '\n' ' ')
[ -z "$extra" ] || die send "the dry run would address people not in $NOTES: $extra" "$sl"

echo "== mails that would go out (none is sent; headers unfolded) =="
awk '/^Dry-OK\. Log says:/ { m = 1; next }
	m && /^[ \t]/ { h = h " " substr($0, 2); next }
	m { if (h ~ /^(From|To|Cc|Subject|In-Reply-To):/) print "  " h; h = $0 }
	m && /^Result:/ { m = 0; h = ""; print "" }' "$sl"
# b4's dry run: b4 send -o on the prep branch, same recipients.
bl=$LOGDIR/send-dry-run-b4.log
bdir=$LOGDIR/send-dry-run-b4
rm -rf "$bdir"
bargs=(-o "$bdir" --no-sign --no-trailer-to-cc)
for a in "${to[@]}"; do bargs+=(--to "$a"); done
for a in "${cc[@]}"; do bargs+=(--cc "$a"); done
(P=$("$REPO/scripts/b4-prep.sh") && cd "$P" && timeout 300 b4 send "${bargs[@]}" </dev/null) >"$bl" 2>&1 ||
	die send "b4 send -o failed" "$bl"
# Subjects, unfolded, of b4's mails and of ours.
subjects() { awk 'FNR == 1 { h = 1; s = "" } h && /^$/ { h = 0; if (s != "") print s; s = "" }
	h && /^Subject: / { s = substr($0, 10); cont = 1; next } h && cont && /^[ \t]/ { sub(/^[ \t]+/, " "); s = s $0; next }
	h { cont = 0 }' "$@"; }
bsubj=$(subjects "$bdir"/*.eml 2>/dev/null)
osubj=$(subjects "${patches[@]}")
[ "$bsubj" = "$osubj" ] || die send "b4 send -o gives other mails than patches/: $(diff <(echo "$osubj") <(echo "$bsubj") | sed -n '2,3p' | tr '\n' ' ')" "$bl"
baddr=$(cat "$bdir"/*.eml | awk '/^(To|Cc): / { h = 1; print; next } h && /^[ \t]/ { print; next } { h = 0 }' |
	{ grep -o '[^<>", ]*@[^<>", ]*' || true; } | email | sort -u)
bextra=$(comm -23 <(echo "$baddr") <(echo "$known") | tr '\n' ' ')
[ -z "$bextra" ] || die send "b4 would address people not in $NOTES: $bextra" "$bl"
echo "b4 send -o: $(find "$bdir" -name '*.eml' | wc -l) mails in $bdir, same subjects as patches/, recipients all in $NOTES"
echo "send-dry-run: PASS (${#patches[@]} mails to ${#to[@]} To + ${#cc[@]} Cc, get_maintainer.pl's $(echo "$gm" | grep -c .) addresses all listed; log: $sl)"
