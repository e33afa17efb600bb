#!/usr/bin/env bash
# Gate checkpatch: scripts/checkpatch.pl --strict --codespell on each patch file. Every finding
# fails unless ci/checkpatch-allowlist ("<subject-glob> <TYPE> <reason>" a line) allows it.
. "$(dirname "$0")/lib.sh"
need_commits
ALLOWLIST=${DMABUF_CHECKPATCH_ALLOWLIST:-$REPO/ci/checkpatch-allowlist}
t0=$SECONDS L=$GLOG/checkpatch.log
csf=$(python3 -c 'import codespell_lib, os; print(os.path.join(os.path.dirname(codespell_lib.__file__), "data", "dictionary.txt"))' 2>/dev/null || true)
if [ ! -f "$csf" ]; then need_pkgs codespell; csf=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt; fi
need_pkgs python3-ply python3-git
# allowlist: glob, type, reason
AG=() AT=() AR=() bad_allow=""
if [ -f "$ALLOWLIST" ]; then
	ln=0
	while IFS= read -r line || [ -n "$line" ]; do
		ln=$((ln + 1))
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		if [[ $line =~ ^[[:space:]]*\"([^\"]*)\"[[:space:]]+([A-Z0-9_]+)[[:space:]]+(.*[^[:space:]])[[:space:]]*$ ]] ||
		   [[ $line =~ ^[[:space:]]*([^\"[:space:]]+)[[:space:]]+([A-Z0-9_]+)[[:space:]]+(.*[^[:space:]])[[:space:]]*$ ]]; then
			AG+=("${BASH_REMATCH[1]}") AT+=("${BASH_REMATCH[2]}") AR+=("${BASH_REMATCH[3]}")
		else
			bad_allow="$bad_allow $ln"
		fi
	done <"$ALLOWLIST"
fi
fails=() allowed=0
{
	echo "checkpatch.pl --strict --codespell on $pf_from; allowlist $ALLOWLIST"
	[ -z "$bad_allow" ] || echo "INVALID allowlist lines (need: <subject-or-glob> <TYPE> <reason>):$bad_allow"
} >"$L"
for ((i = 1; i <= n; i++)); do
	out=$(cd "$GW" && timeout 300 scripts/checkpatch.pl --strict --codespell --codespellfile "$csf" \
		--terse --show-types --showfile --no-summary "${PF[i]}" 2>&1) && rc=0 || rc=$?
	echo "== patch $(pname "$i"): ${PF[i]} (rc=$rc)" >>"$L"
	nbad=0 found=0 types=""
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		if [[ $l =~ :\ (ERROR|WARNING|CHECK):([A-Z0-9_]+): ]]; then
			found=$((found + 1)) typ=${BASH_REMATCH[2]} why=""
			for ((a = 0; a < ${#AG[@]}; a++)); do
				# shellcheck disable=SC2053
				if [ "${AT[a]}" = "$typ" ] && [[ ${SUBJ[i]} == ${AG[a]} ]]; then why=${AR[a]}; break; fi
			done
			if [ -n "$why" ]; then echo "  allowed ($why): $l"; allowed=$((allowed + 1))
			else echo "  FAIL: $l"; nbad=$((nbad + 1)) types="$types $typ"; fi
		else
			echo "  FAIL (checkpatch output): $l"
			nbad=$((nbad + 1)) types="$types OUTPUT"   # a crash, a missing tool...
		fi
	done <<<"$out" >>"$L"
	# A non-zero exit without any finding (a crash, a missing tool) is a failure too.
	[ "$rc" -eq 0 ] || [ "$found" -gt 0 ] || { nbad=$((nbad + 1)) types="$types RC=$rc"; }
	[ "$nbad" -eq 0 ] || fails+=("$(pname "$i"): $nbad finding(s):$(echo "$types" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')")
done
if [ -n "$bad_allow" ]; then verdict FAIL "invalid allowlist lines$bad_allow in $ALLOWLIST, $((SECONDS - t0)) s"
elif [ ${#fails[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${fails[@]}"), $allowed allowed, $((SECONDS - t0)) s"
else verdict PASS "$n/$n patches clean, $allowed allowlisted finding(s), $((SECONDS - t0)) s"; fi
