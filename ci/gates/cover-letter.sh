#!/usr/bin/env bash
# Gate cover-letter: patches/0000-cover-letter.patch has base-commit: = $BASE_TAG, a "Changes
# since" section, no git placeholders, and [PATCH 0/N] matching the series.
. "$(dirname "$0")/lib.sh"
L=$GLOG/cover-letter.log cl=$PATCHES/0000-cover-letter.patch probs=()
if [ ! -s "$cl" ]; then probs+=("no $cl (run scripts/export-patches.sh)")
else
	bc=$(sed -n '/^base-commit: \([0-9a-f]\{40\}\)$/{s//\1/p;q}' "$cl")
	want_bc=$(git -C "$TREE" rev-parse -q --verify "$BASE_TAG^{commit}" || true)
	if [ -z "$bc" ]; then probs+=("no base-commit: line")
	elif [ "$bc" != "$want_bc" ]; then probs+=("base-commit $bc is not $BASE_TAG ($want_bc)"); fi
	grep -qiE '^#*[[:space:]]*Changes (since|in) ' "$cl" || probs+=("no 'Changes since' changelog section")
	! grep -qE '\*\*\* (SUBJECT|BLURB) HERE \*\*\*' "$cl" || probs+=("git's placeholders left in")
	ns=$(series_patches | wc -l)
	grep -qE "^Subject: \[PATCH[^]]* 0+/$ns\]" "$cl" || probs+=("subject is not [PATCH ... 0/$ns]")
fi
{ echo "cover letter: $cl"; printf '%s\n' "${probs[@]}"; } >"$L"
if [ ${#probs[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${probs[@]}")"
else verdict PASS "base-commit: $BASE_TAG, changelog section present"; fi
