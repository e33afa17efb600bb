#!/usr/bin/env bash
# Gate coccicheck: make coccicheck MODE=report (all semantic patches, DMABUF_COCCI_TIMEOUT) on the
# touched .c/.h files: no report that the previous version of the files did not have.
. "$(dirname "$0")/lib.sh"
need_commits
COCCI_TMO=${DMABUF_COCCI_TIMEOUT:-1200}
t0=$SECONDS L=$GLOG/coccicheck.log
# Two of the semantic patches need OCaml scripting; spatch dlopens libpython3.X.so, which only
# the -dev package has (a bare bookworm without it: "Py.find_library: unable to find the Python
# library", make coccicheck rc=2).
need_pkgs coccinelle ocaml-nox libpython3-dev
# Reports depend only on a file's content (coccicheck runs without includes): cache them per
# blob, per set of semantic patches, spatch version and the scripts that turn reports into
# results (this one and ci/gates/lib.sh's norm).
cid=$( { w rev-parse "$tip:scripts/coccinelle"; spatch --version 2>&1 | sed -n 1p; cat "$0" "$GATES_DIR/lib.sh"; } | sha)
cdir=$RCACHE/cocci-$cid
mkdir -p "$cdir"
[ "$force" = 0 ] || rm -f "$cdir"/*
stage=$WK/cocci todo=0
declare -A BLOB
for ((i = 1; i <= n; i++)); do
	for s in $((i - 1)) "$i"; do
		for f in ${KFILES[i]}; do
			b=$(w rev-parse -q --verify "${C[s]}:$f" 2>/dev/null) || continue
			BLOB[$s:$f]=$b
			if [ ! -f "$cdir/$b" ] && [ ! -d "$stage/$b" ]; then
				mkdir -p "$stage/$b"; w show "$b" >"$stage/$b/$(basename "$f")"; todo=$((todo + 1))
			fi
		done
	done
done
crc=0
if [ "$todo" -gt 0 ]; then
	log "coccicheck on $todo file version(s)"
	(cd "$GW" && timeout -k 30 "$COCCI_TMO" make coccicheck MODE=report M="$stage" J="$JOBS") >"$WK/cocci.out" 2>&1 || crc=$?
	cp "$WK/cocci.out" "$GLOG/coccicheck-raw.log"
	if [ "$crc" -eq 0 ]; then
		for b in "$stage"/*/; do
			b=$(basename "$b")
			{ grep -E "^\./$b/" "$WK/cocci.out" || true; } | sed "s#^\./$b/##" | norm >"$cdir/$b"
		done
	fi
fi
if [ "$crc" -ne 0 ]; then
	verdict FAIL "make coccicheck failed (rc=$crc$([ "$crc" -eq 124 ] && echo ", timed out after $COCCI_TMO s"))" "$GLOG/coccicheck-raw.log"
	exit 0
fi
fails=()
: >"$L"
for ((i = 1; i <= n; i++)); do
	: >"$WK/c-old"; : >"$WK/c-new"
	for f in ${KFILES[i]}; do
		b=${BLOB[$((i - 1)):$f]:-}; [ -z "$b" ] || sed "s#^$(basename "$f"):#$f:#" "$cdir/$b" >>"$WK/c-old"
		b=${BLOB[$i:$f]:-}; [ -z "$b" ] || sed "s#^$(basename "$f"):#$f:#" "$cdir/$b" >>"$WK/c-new"
	done
	LC_ALL=C sort -o "$WK/c-old" "$WK/c-old"; LC_ALL=C sort -o "$WK/c-new" "$WK/c-new"
	d=$(newer "$WK/c-old" "$WK/c-new")
	echo "patch $(pname "$i"): ${KFILES[i]:-(no kernel C files)}: $(printf '%s' "$d" | grep -c . || true) new report(s)" >>"$L"
	[ -z "$d" ] || { echo "$d" | sed 's/^/  NEW: /' >>"$L"; fails+=("$(pname "$i"): $(echo "$d" | wc -l) new report(s)"); }
done
if [ ${#fails[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${fails[@]}"), $((SECONDS - t0)) s"
else verdict PASS "no new reports in touched files ($todo file version(s) checked, rest cached), $((SECONDS - t0)) s"; fi
