#!/usr/bin/env bash
# Gate "b4" of ci/check.sh: the exported series ($PATCHES, $SERIES) as b4 sees it, on the b4 prep
# branch that scripts/b4-prep.sh makes. One line per check, then "N passed, N failed, N skipped".
#
#   b4-check    "b4 prep --check". Debian bookworm's b4 (0.12) does not have it (b4 >= 0.13): SKIP
#               with that reason. (What it runs, checkpatch.pl on each patch, gate upstream's
#               checkpatch gate runs with --strict.)
#   b4-info     "b4 prep --show-info": b4 finds the cover letter, the revision and change-id of
#               b4-series.conf, base-commit = $BASE_TAG, and one commit per patch of the series.
#   b4-compare  "b4 prep --compare-to vN-1" (the tag sent/<name>-vN-1): b4 can range-diff against
#               the previous revision; every commit of the series is in it.
#   b4-am       "b4 am" of the exported mails (what a maintainer runs): a complete series of
#               revision N, every patch found, base-commit found (b4 runs in the prep clone). The mails get Message-Ids and
#               unfolded headers first, as they would have once sent (b4 0.12 needs both).
. "$(dirname "$0")/../scripts/lib.sh"
STAGE=b4
B4CONF=${DMABUF_B4_CONF:-$REPO/b4-series.conf}
GLOG=$LOGDIR/b4
mkdir -p "$GLOG"
pass=0 fail=0 skip=0
verdict() { # NAME PASS|FAIL|SKIP DETAIL
	echo "gate $1: $2 ($3; log: $GLOG/$1.log)"
	case $2 in PASS) pass=$((pass + 1)) ;; FAIL) fail=$((fail + 1)) ;; *) skip=$((skip + 1)) ;; esac
}
finish() { echo "$pass passed, $fail failed, $skip skipped"; [ "$fail" -eq 0 ]; exit; }

need_pkgs b4
rev=$(git config -f "$B4CONF" series.revision) && changeid=$(git config -f "$B4CONF" series.change-id) ||
	die b4 "$B4CONF lacks series.revision or series.change-id"
mapfile -t plist < <(series_patches)
n=${#plist[@]}
if ! P=$("$REPO/scripts/b4-prep.sh" 2>"$GLOG/b4-prep.log"); then
	verdict b4-prep FAIL "$(grep -m1 '^FAIL' "$GLOG/b4-prep.log" || echo "scripts/b4-prep.sh failed")"
	finish
fi
cd "$P"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# b4-check
L=$GLOG/b4-check.log
b4 prep --help >"$L" 2>&1 || true
if grep -q -- '--check' "$L"; then
	if timeout 1800 b4 prep --check >"$L" 2>&1; then verdict b4-check PASS "b4 prep --check"
	else verdict b4-check FAIL "b4 prep --check: $(tail -n 1 "$L")"; fi
else
	verdict b4-check SKIP "b4 $(b4 --version 2>/dev/null) from bookworm has no 'prep --check' (b4 >= 0.13); checkpatch --strict runs in gate upstream"
fi

# b4-info
L=$GLOG/b4-info.log
probs=()
if b4 prep --show-info >"$L" 2>&1; then
	field() { sed -n "s/^$1: //p" "$L"; }
	[ "$(field revision)" = "$rev" ] || probs+=("revision $(field revision), b4-series.conf says $rev")
	[ "$(field change-id)" = "$changeid" ] || probs+=("change-id $(field change-id), b4-series.conf says $changeid")
	[ "$(field base-commit)" = "$(git rev-parse "$BASE_TAG^{commit}")" ] || probs+=("base-commit $(field base-commit) is not $BASE_TAG")
	nc=$(grep -c '^commit-' "$L" || true)
	[ "$nc" -eq "$n" ] || probs+=("$nc commits for $n patches")
else
	probs+=("b4 prep --show-info failed: $(tail -n 1 "$L")")
fi
if [ ${#probs[@]} -eq 0 ]; then verdict b4-info PASS "v$rev, change-id $changeid, $n commits on $BASE_TAG"
else verdict b4-info FAIL "$(IFS=';'; echo "${probs[*]}")"; fi

# b4-compare
L=$GLOG/b4-compare.log
if [ "$rev" -le 1 ]; then
	verdict b4-compare SKIP "revision 1: nothing to compare to"
elif b4 prep --compare-to "v$((rev - 1))" >"$L" 2>&1; then
	nr=$(grep -c -E '^ *([0-9]+|-+): +[0-9a-f-]+ [=!<>] +([0-9]+|-+): ' "$L" || true)
	new=$(grep -c -E '^ *([0-9]+|-+): +[0-9a-f-]+ [=!>] +[0-9]+: ' "$L" || true)
	if [ "$new" -eq "$n" ]; then verdict b4-compare PASS "range-diff against v$((rev - 1)): $nr lines, all $n commits"
	else verdict b4-compare FAIL "range-diff against v$((rev - 1)) shows $new of $n commits"; fi
else
	verdict b4-compare FAIL "b4 prep --compare-to v$((rev - 1)): $(tail -n 1 "$L")"
fi

# b4-am
L=$GLOG/b4-am.log
i=0
for p in 0000-cover-letter.patch "${plist[@]}"; do
	[ -f "$PATCHES/$p" ] || continue
	awk -v id="<$changeid-v$rev-$i@workbench.invalid>" -v top="<$changeid-v$rev-0@workbench.invalid>" -v i="$i" '
		h && /^[ \t]/ { sub(/^[ \t]+/, " "); l = l $0; next }
		h && l != "" { print l; l = "" }
		h && /^$/ { print "Message-Id: " id; if (i > 0) { print "In-Reply-To: " top; print "References: " top }
			h = 0; print; next }
		h { l = $0; next }
		/^From [0-9a-f]+ Mon Sep 17 00:00:00 2001$/ { h = 1; l = ""; print; next }
		{ print }' "$PATCHES/$p"
	i=$((i + 1))
done >"$tmp/mbox"
mkdir -p "$tmp/am"
# Run in the prep clone, so that b4 knows the base commit.
if timeout 300 b4 am -C -m "$tmp/mbox" -o "$tmp/am" >"$L" 2>&1; then
	probs=()
	grep -q "^Total patches: $n$" "$L" || probs+=("b4 does not count $n patches")
	grep -q -i 'missing\|could not' "$L" && probs+=("b4: $(grep -m1 -i 'missing\|could not' "$L")")
	mb=$(ls "$tmp"/am/*.mbx 2>/dev/null | sed -n 1p)
	[ -n "$mb" ] && [ "$(grep -c '^Subject: ' "$mb")" -eq "$n" ] || probs+=("b4's am-ready mbox does not hold $n patches")
	if [ "$rev" -gt 1 ]; then pfx="PATCH v$rev"; else pfx=PATCH; fi
	grep -q "^ *\[$pfx 1/$n\] " "$L" || probs+=("b4 does not see [$pfx 1/$n]")
	grep -q "^ *Base: using specified base-commit $(git rev-parse "$BASE_TAG^{commit}")" "$L" || probs+=("b4 does not take base-commit $BASE_TAG")
	if [ ${#probs[@]} -eq 0 ]; then verdict b4-am PASS "b4 am: [$pfx 1..$n/$n], all there, base-commit $BASE_TAG found"
	else verdict b4-am FAIL "$(IFS=';'; echo "${probs[*]}")"; fi
else
	verdict b4-am FAIL "b4 am failed: $(tail -n 1 "$L")"
fi
finish
