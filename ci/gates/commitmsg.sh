#!/usr/bin/env bash
# Gate commitmsg: subject in subsystem style (DMABUF_SUBJECT_RE), at most 75 characters, no final
# period; the author's Signed-off-by; a body of at least 3 lines.
. "$(dirname "$0")/lib.sh"
need_commits
SUBJECT_RE=${DMABUF_SUBJECT_RE:-'^(dma-buf: heaps: |dma-buf: system_heap: |selftests: dmabuf-heaps: |mm: list_lru: )[^ ]'}
L=$GLOG/commitmsg.log fails=()
echo "subject regex: $SUBJECT_RE" >"$L"
for ((i = 1; i <= n; i++)); do
	msg=$(w log -1 --format=%B "${C[i]}")
	author=$(w log -1 --format='%an <%ae>' "${C[i]}")
	probs=()
	[[ ${SUBJ[i]} =~ $SUBJECT_RE ]] || probs+=("subject not in subsystem style")
	[ ${#SUBJ[i]} -le 75 ] || probs+=("subject longer than 75 characters")
	[[ ${SUBJ[i]} != *. ]] || probs+=("subject ends with a period")
	grep -qxF "Signed-off-by: $author" <<<"$msg" || probs+=("no Signed-off-by of the author ($author)")
	# Body: the lines after the subject, without trailers and blank lines.
	body=$(sed '1d' <<<"$msg" | { grep -vE '^[A-Za-z-]+: .*[@<]|^(Link|Fixes|Closes): |^[[:space:]]*$' || true; } | wc -l)
	[ "$body" -ge 3 ] || probs+=("body has $body lines, want at least 3 saying why")
	if [ ${#probs[@]} -eq 0 ]; then echo "ok   $(pname "$i") (body $body lines)" >>"$L"
	else echo "FAIL $(pname "$i"): ${probs[*]}" >>"$L"; fails+=("$(pname "$i"): $(joined , "${probs[@]}")"); fi
done
if [ ${#fails[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${fails[@]}")"
else verdict PASS "$n/$n patches: subsystem subject, author's Signed-off-by, body >= 3 lines"; fi
