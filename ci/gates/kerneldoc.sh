#!/usr/bin/env bash
# Gate kerneldoc: scripts/kernel-doc -none -Wall adds no warning on the touched .c/.h files; each
# ".. kernel-doc::" directive a patch adds to an .rst names a file, renders and parses cleanly.
. "$(dirname "$0")/lib.sh"
need_commits
t0=$SECONDS L=$GLOG/kerneldoc.log fails=()
: >"$L"
kdoc() { # STATE FILE [OPTS...] -> normalised warnings of FILE at commit STATE
	local s=$1 f=$2 d=$WK/kdoc/$1
	shift 2
	mkdir -p "$d/$(dirname "$f")"
	w show "${C[s]}:$f" >"$d/$f" 2>/dev/null || return 0
	(cd "$d" && timeout 120 python3 "$GW/scripts/kernel-doc" -none -Wall "$@" "$f" 2>&1) | diags
}
# rst_directives PATCH RST: check the kernel-doc directives that PATCH adds to RST, a line each.
rst_directives() {
	local i=$1 f=$2 added path opts args cnt kw
	added=" $(w show --format= "${C[i]}" -- "$f" | sed -n 's/^+\.\. kernel-doc:: *//p' | tr '\n' ' ') "
	[ "$added" != "  " ] || return 0
	w show "${C[i]}:$f" | awk '
		/^\.\. kernel-doc::/ { if (p) print p, o; p = $3; o = ""; next }
		p && /^[[:space:]]+:[a-z-]+:/ { sub(/^[[:space:]]+/, ""); o = o " " $0; next }
		p { print p, o; p = "" }
		END { if (p) print p, o }' | while read -r path opts; do
		[[ $added == *" $path "* ]] || continue
		args=()
		case $opts in
		*:export:*) args=(-export) ;;
		*:internal:*) args=(-internal) ;;
		*:identifiers:*) for id in ${opts#*:identifiers:}; do args+=(-function "$id"); done ;;
		*:doc:*) args=(-function "${opts#*:doc: }") ;;
		esac
		if ! w cat-file -e "${C[i]}:$path" 2>/dev/null; then
			echo "patch $(pname "$i") $f: FAIL kernel-doc:: $path does not exist"; continue
		fi
		kw=$(kdoc "$i" "$path" "${args[@]}")
		cnt=$( (cd "$WK/kdoc/$i" && python3 "$GW/scripts/kernel-doc" -rst "${args[@]}" "$path" 2>/dev/null) | grep -c '^\.\. c:' || true)
		if [ -n "$kw" ]; then echo "patch $(pname "$i") $f: FAIL kernel-doc:: $path$opts warns:"; echo "$kw" | sed 's/^/  /'
		elif [ "$cnt" -eq 0 ] && [[ $opts != *:doc:* ]]; then echo "patch $(pname "$i") $f: FAIL kernel-doc:: $path$opts renders nothing"
		else echo "patch $(pname "$i") $f: kernel-doc:: $path$opts ok ($cnt items)"; fi
	done
}
for ((i = 1; i <= n; i++)); do
	new=$WK/kd-new old=$WK/kd-old probs=0
	for f in ${KFILES[i]}; do
		kdoc "$i" "$f" >"$new"
		kdoc $((i - 1)) "$f" >"$old"
		d=$(newer "$old" "$new")
		echo "patch $(pname "$i") $f: $(wc -l <"$new") warning(s), $(printf '%s' "$d" | grep -c . || true) new" >>"$L"
		[ -z "$d" ] || { echo "$d" | sed 's/^/  NEW: /' >>"$L"; probs=$((probs + $(echo "$d" | wc -l))); }
	done
	: >"$WK/kd-rst"
	for f in ${FILES[i]}; do
		case $f in *.rst) rst_directives "$i" "$f" >>"$WK/kd-rst" ;; esac
	done
	cat "$WK/kd-rst" >>"$L"
	probs=$((probs + $(grep -c ': FAIL ' "$WK/kd-rst" || true)))
	[ "$probs" -eq 0 ] || fails+=("$(pname "$i"): $probs new warning(s)")
done
if [ ${#fails[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${fails[@]}")"
else verdict PASS "$n patches, no new kernel-doc -Wall warnings in touched .c/.h, rst kernel-doc directives render, $((SECONDS - t0)) s"; fi
