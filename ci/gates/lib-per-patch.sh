# shellcheck shell=bash disable=SC2034,SC2154  # BF WF SF WN SN CTXT sparse_why: for build.sh, w1.sh, sparse.sh; n tip force: $WK/context
# The per-patch builds of the gates build, w1 and sparse (sourced by them after lib.sh). Whichever
# of them runs first builds every patch in turn in $BUILD/gates-x86_64, with the build lock held
# throughout, and caches each patch's results in $RCACHE/patch-KEY; the others find them there.
# KEY covers the trees before and after the patch and $tools_id: every file this code runs from,
# the config fragment, and the versions of gcc, make and sparse. Sourcing it runs (or finds) the
# builds, and sets the results for the gate's verdict (per_patch_verdicts, at the end).
need_commits
O=$BUILD/gates-x86_64 FRAG=$REPO/kernel-config/gates/x86_64.config
PER_PATCH_FILES=("$REPO/scripts/lib.sh" "$GATES_DIR/lib.sh" "$GATES_DIR/lib-per-patch.sh"
	"$GATES_DIR/build.sh" "$GATES_DIR/w1.sh" "$GATES_DIR/sparse.sh" "$FRAG")
# SPARSE: a sparse the kernel accepts, when the gate sparse is selected (ci/get-sparse.sh).
SPARSE="" sparse_why=""
if sel sparse; then
	SPARSE=$("$REPO/ci/get-sparse.sh" 2>"$WK/sparse.err") || { SPARSE=""; sparse_why=$(tail -n1 "$WK/sparse.err"); }
fi
sparse_version() { [ -z "$SPARSE" ] || { "$SPARSE" --version; cat "$(dirname "$SPARSE")/debian-version" 2>/dev/null || true; }; }
tools_id=$( { cat "${PER_PATCH_FILES[@]}"; gcc --version | sed -n 1p; make --version | sed -n 1p; sparse_version; } | sha)
key() { echo "$tools_id ${TREEID[$1 - 1]} ${TREEID[$1]}" | sha; }

# .c files to compile for patch i at any state: its own, plus those in the same directory
# that include a header it touches.
wfiles() { # STATE_INDEX PATCH_INDEX
	local s=$1 i=$2 f h
	{
		for f in ${KC[i]}; do echo "$f"; done
		for h in ${KFILES[i]}; do
			case $h in *.h) ;; *) continue ;; esac
			w grep -l -E "#include \"$(basename "$h")\"" "${C[s]}" -- "$(dirname "$h")/*.c" 2>/dev/null | sed "s#^${C[s]}:##"
		done
	} | sort -u | while read -r f; do w cat-file -e "${C[s]}:$f" 2>/dev/null && echo "$f"; done
}
# compile_checks STATE PATCH TAG: W=1 warnings and sparse warnings of the .c files of patch
# PATCH at commit STATE into $WK/{w1,sp}/TAG; selftests the patch touches are built with their
# own Makefile, their warnings counted as W=1's.
compile_checks() {
	local s=$1 i=$2 tag=$3 f o t1 d
	mkdir -p "$WK/w1" "$WK/sp"
	: >"$WK/w1/$tag"; : >"$WK/sp/$tag"
	for f in $(wfiles "$s" "$i"); do
		o=${f%.c}.o t1=$SECONDS
		rm -f "$O/$o"
		with_lock kmake "$GW" "$O" x86_64 W=1 "$o" >"$WK/w1-raw" 2>&1 || echo "$f: error: W=1 compile failed" >>"$WK/w1/$tag"
		cat "$WK/w1-raw" >>"$GLOG/w1-raw.log"
		diags "$WK/w1-raw" >>"$WK/w1/$tag"
		T_W1=$((T_W1 + SECONDS - t1)) t1=$SECONDS
		if [ -n "$SPARSE" ]; then
			with_lock kmake "$GW" "$O" x86_64 W=1 C=2 CHECK="$SPARSE" "$o" >"$WK/sp-raw" 2>&1 || echo "$f: error: sparse run failed" >>"$WK/sp/$tag"
			cat "$WK/sp-raw" >>"$GLOG/sparse-raw.log"
			{ grep -v -E ': (warning|error): .*\[-W' "$WK/sp-raw" || true; } | diags >>"$WK/sp/$tag"
		fi
		T_SP=$((T_SP + SECONDS - t1))
	done
	for d in $(for f in ${FILES[i]}; do [[ ! $f =~ ^(tools/testing/selftests/[^/]+)/ ]] || echo "${BASH_REMATCH[1]}"; done | sort -u); do
		[ -f "$GW/$d/Makefile" ] || continue
		t1=$SECONDS
		mkdir -p "$WK/kst-$tag"
		if ! { with_lock kmake "$GW" "$O" x86_64 headers_install >"$WK/kst-raw" 2>&1 &&
			timeout 600 make -C "$GW/$d" OUTPUT="$WK/kst-$tag" KHDR_INCLUDES="-isystem $O/usr/include" >>"$WK/kst-raw" 2>&1; }; then
			echo "$d: error: selftest build failed" >>"$WK/w1/$tag"; KST_FAIL="$KST_FAIL $d@$tag"
		fi
		cat "$WK/kst-raw" >>"$GLOG/w1-raw.log"
		diags "$WK/kst-raw" >>"$WK/w1/$tag"
		rm -rf "$WK/kst-$tag"
		T_W1=$((T_W1 + SECONDS - t1))
	done
	LC_ALL=C sort -o "$WK/w1/$tag" "$WK/w1/$tag"; LC_ALL=C sort -o "$WK/sp/$tag" "$WK/sp/$tag"
}
# per_patch_state S: configure + build state S (0 = base), record patch S's results, and collect
# the base warnings of patch S+1.
per_patch_state() {
	local s=$1 t1=$SECONDS bl brc=0 k nob f
	KST_FAIL=""
	checkout "${C[s]}" || die gates "cannot check out ${C[s]} in $GW"
	bl=$GLOG/build-$(printf '%02d' "$s").log
	with_lock kconfig -k "${C[s]}" "$GW" "$O" x86_64 tinyconfig "$FRAG" >"$bl" 2>&1 || brc=1
	[ "$brc" -ne 0 ] || with_lock kmake "$GW" "$O" x86_64 -j"$JOBS" vmlinux >>"$bl" 2>&1 || brc=$?
	T_BUILD=$((T_BUILD + SECONDS - t1))
	if [ "$s" -ge 1 ]; then
		k=$RCACHE/patch-$(key "$s")
		rm -rf "$k"; mkdir -p "$k"
		# The touched objects must have been (re)built by this build.
		nob=""
		for f in ${KC[s]}; do [ "$O/${f%.c}.o" -nt "$GW/$f" ] || nob="$nob $f"; done
		compile_checks "$s" "$s" "new-$s"
		if [ "$brc" -eq 99 ]; then echo "FAIL build lock timeout" >"$k/build"
		elif [ "$brc" -ne 0 ]; then echo "FAIL does not build ($(build_error "$bl"))" >"$k/build"
		elif [ -n "$nob" ]; then echo "FAIL touched files not built by kernel-config/gates/x86_64.config:$nob" >"$k/build"
		elif [ -n "$KST_FAIL" ]; then echo "FAIL selftests do not build:$KST_FAIL" >"$k/build"
		else echo "PASS vmlinux + ${KC[s]:-no C files}$(for f in ${FILES[s]}; do [[ $f == tools/testing/selftests/* ]] && { echo " + selftests"; break; }; done)" >"$k/build"; fi
		cp "$bl" "$k/build.log"
		[ -f "$WK/w1/base-$s" ] || : >"$WK/w1/base-$s"
		[ -f "$WK/sp/base-$s" ] || : >"$WK/sp/base-$s"
		newer "$WK/w1/base-$s" "$WK/w1/new-$s" >"$k/w1.new"
		newer "$WK/sp/base-$s" "$WK/sp/new-$s" >"$k/sparse.new"
		cp "$WK/w1/new-$s" "$k/w1.all"; cp "$WK/sp/new-$s" "$k/sparse.all"
		[ -z "$SPARSE" ] || echo yes >"$k/sparse.ran"
		touch "$k/done"
	fi
	[ "$s" -ge "$n" ] || compile_checks "$s" $((s + 1)) "base-$((s + 1))"
	log "state $s/$n done ($((SECONDS - t1)) s)"
}

# per_patch_run: make sure every patch has results (once per run and $tools_id: the env file keeps
# the times and how many patches came from the cache, for the other two gates).
per_patch_run() {
	local i s t_loop=$SECONDS
	# shellcheck source=/dev/null
	if [ -f "$WK/per-patch-$tools_id.env" ]; then . "$WK/per-patch-$tools_id.env"; return 0; fi
	need_pkgs build-essential flex bison bc libelf-dev libssl-dev rsync ccache python3
	mkdir -p "$O"
	first=$((n + 1))
	for ((i = 1; i <= n; i++)); do
		if [ "$force" = 1 ] || [ ! -f "$RCACHE/patch-$(key "$i")/done" ]; then first=$i; break; fi
	done
	T_BUILD=0 T_W1=0 T_SP=0 lock_fail=0
	if [ "$first" -le "$n" ]; then
		log "per-patch builds from patch $first (earlier results cached) in $O"
		lock_hold || lock_fail=1
		T_BUILD=$((SECONDS - t_loop))
	fi
	if [ "$first" -le "$n" ] && [ "$lock_fail" = 0 ]; then
		for ((s = first - 1; s <= n; s++)); do per_patch_state "$s"; done
		lock_release
	fi
	checkout "$tip" || die gates "cannot check out $tip in $GW"
	log "per-patch loop: $((SECONDS - t_loop)) s"
	echo "first=$first T_BUILD=$T_BUILD T_W1=$T_W1 T_SP=$T_SP lock_fail=$lock_fail" >"$WK/per-patch-$tools_id.env"
}

# per_patch_verdicts: run (or find) the results, then BF WF SF (the build, w1 and sparse failures),
# WN SN (warnings seen), CTXT (", N patch(es) cached") and the logs build.log, w1.log, sparse.log.
per_patch_verdicts() {
	local i k c st rest sd upto=$n
	per_patch_run
	BF=() WF=() SF=() WN=0 SN=0
	for L in build w1 sparse; do : >"$GLOG/$L.log"; done
	[ "$lock_fail" = 0 ] || upto=$((first - 1))
	for ((i = 1; i <= upto; i++)); do
		k=$RCACHE/patch-$(key "$i")
		read -r st rest <"$k/build"
		echo "patch $(pname "$i"): $st $rest$([ "$i" -lt "$first" ] && echo " (cached)")" >>"$GLOG/build.log"
		[ "$st" = PASS ] || { BF+=("$(pname "$i"): $rest"); cp "$k/build.log" "$GLOG/build-$(printf '%02d' "$i").log"; }
		c=$(grep -c . "$k/w1.new" || true); WN=$((WN + $(grep -c . "$k/w1.all" || true)))
		sd=$(for f in ${FILES[i]}; do [[ ! $f =~ ^(tools/testing/selftests/[^/]+)/ ]] || echo "${BASH_REMATCH[1]}"; done | sort -u | tr '\n' ' ')
		{ echo "patch $(pname "$i"): $c new W=1 warning(s) in ${KC[i]}${sd:+(selftests) $sd}"; sed 's/^/  NEW: /' "$k/w1.new"; } >>"$GLOG/w1.log"
		[ "$c" -eq 0 ] || WF+=("$(pname "$i"): $c new warning(s): $(sed -n 1p "$k/w1.new" | cut -c1-100)")
		c=$(grep -c . "$k/sparse.new" || true); SN=$((SN + $(grep -c . "$k/sparse.all" || true)))
		{ echo "patch $(pname "$i"): $c new sparse warning(s)"; sed 's/^/  NEW: /' "$k/sparse.new"; } >>"$GLOG/sparse.log"
		[ "$c" -eq 0 ] || SF+=("$(pname "$i"): $c new sparse warning(s): $(sed -n 1p "$k/sparse.new" | cut -c1-100)")
	done
	CTXT=$([ "$first" -le 1 ] || echo ", $((first - 1)) patch(es) cached")
	[ "$lock_fail" = 0 ] || { BF+=("timed out after ${DMABUF_LOCK_TIMEOUT:-3600} s waiting for $LOCK"); WF+=("not run"); SF+=("not run"); }
}
per_patch_verdicts
