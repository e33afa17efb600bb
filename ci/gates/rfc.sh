#!/usr/bin/env bash
# Gate rfc: the memcg-aware pools RFC (rfc/memcg-pools, scripts/export-rfc.sh) lists every patch
# file of its directory in its series file, in order, applies with git am on top of the series,
# its cover letter is complete (no git placeholders, base-commit:, one prerequisite-patch-id: per
# patch of the series) and checkpatch --strict is clean on each of its patches. It is not built
# here: it is an RFC, built and measured when it changes (see rfc/memcg-pools/README.md).
. "$(dirname "$0")/lib.sh"
RD=$REPO/rfc/memcg-pools L=$GLOG/rfc.log t0=$SECONDS probs=()
if [ ! -f "$RD/series" ]; then verdict SKIP "no $RD/series"; exit 0; fi
mapfile -t rp < <(SERIES=$RD/series series_patches)
mapfile -t sp < <(series_patches)
cl=$RD/0000-cover-letter.patch
: >"$L"
am() { w -c user.name="$WB_NAME" -c user.email="$WB_EMAIL" am -q --committer-date-is-author-date "$1" >>"$L" 2>&1; }
mapfile -t rf < <(cd "$RD" && ls -1 -- [0-9]*.patch 2>/dev/null | grep -v '^0000-cover-letter\.patch$')
if [ ${#rp[@]} -eq 0 ]; then probs+=("no patch in $RD/series")
elif [ "${rf[*]}" != "${rp[*]}" ]; then probs+=("$RD/series does not list its ${#rf[@]} patch files in order")
elif ! checkout "$BASE_TAG" >>"$L" 2>&1; then probs+=("cannot check out $BASE_TAG in $GW")
else
	for p in "${sp[@]}"; do
		am "$PATCHES/$p" || { probs+=("the series' $p does not apply"); break; }
	done
	if [ ${#probs[@]} -eq 0 ]; then
		for p in "${rp[@]}"; do
			am "$RD/$p" || { probs+=("$p does not apply on top of the series"); break; }
		done
	fi
	[ -d "$(w rev-parse --absolute-git-dir)/rebase-apply" ] && w am --abort >>"$L" 2>&1
	if [ ${#probs[@]} -eq 0 ]; then
		for p in "${rp[@]}"; do
			out=$(cd "$GW" && timeout 300 scripts/checkpatch.pl --strict --terse --show-types \
				--no-summary "$RD/$p" 2>&1) || probs+=("checkpatch on $p: $(head -n1 <<<"$out")")
			echo "== $p" >>"$L"; echo "$out" >>"$L"
		done
	fi
fi
if [ ! -s "$cl" ]; then probs+=("no $cl")
else
	! grep -qE '\*\*\* (SUBJECT|BLURB) HERE \*\*\*' "$cl" || probs+=("git's placeholders in the cover letter")
	grep -q '^base-commit: [0-9a-f]\{40\}$' "$cl" || probs+=("no base-commit: in the cover letter")
	np=$(grep -c '^prerequisite-patch-id: ' "$cl" || true)
	[ "$np" = "${#sp[@]}" ] || probs+=("$np prerequisite-patch-id: lines for ${#sp[@]} patches of the series")
fi
printf '%s\n' "${probs[@]}" >>"$L"
if [ ${#probs[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${probs[@]}"), $((SECONDS - t0)) s"
else verdict PASS "${#rp[@]} RFC patches apply on the ${#sp[@]} of the series, checkpatch clean, $((SECONDS - t0)) s"; fi
