#!/usr/bin/env bash
# Upstream-quality gates for the series (issue 5). Prints one verdict line per gate,
#   gate <name>: PASS|FAIL|SKIP (<detail>; log: <path>)
# then "N passed, N failed, N skipped" (gates), and exits non-zero if a gate FAILs.
#
# usage: gates.sh [-t TREE_DIR] [-r BASE..TIP] [-g "GATE..."] [-f] [GATE...]
#   -t  git tree that holds the commits (default $TREE)
#   -r  commit range (default $BASE_TAG..$BRANCH, i.e. the series applied by apply-series.sh)
#   -g  gates to run, in any order (default all, or $DMABUF_UPSTREAM_GATES); GATE arguments
#       after the options are added to them (gates.sh fault-inject = gates.sh -g fault-inject)
#   -f  do not use cached per-patch results (build/w1/sparse, coccicheck)
#
# Per patch, in series order:  build w1 sparse checkpatch kerneldoc coccicheck commitmsg
# Whole series (at the tip):   modules i386 debug-boot fault-inject send-dry-run cover-letter
# See ci/GATES.md. Work happens in a detached worktree $CACHE/gates of $TREE's repository
# (checked out per patch); the trees holding the commits are never touched. Builds go to
# $CACHE/build/gates-{x86_64,x86_64-m,i386} and (via build-kernel.sh) $CACHE/build/debug,
# each under $BUILD/.lock. Logs: $LOGDIR/gates/.
. "$(dirname "$0")/lib.sh"
STAGE=gates
# Debian's python3 (checkpatch's spdxcheck needs python3-ply/python3-git), not a pyenv one.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

ALL_GATES="build w1 sparse checkpatch kerneldoc coccicheck commitmsg modules i386 debug-boot fault-inject send-dry-run cover-letter"
src=$TREE range="" force=0 want=${DMABUF_UPSTREAM_GATES:-$ALL_GATES} gopt=""
while getopts t:r:g:f opt; do
	case $opt in
	t) src=$(cd "$OPTARG" && pwd) ;;
	r) range=$OPTARG ;;
	g) gopt="$gopt $OPTARG" ;;
	f) force=1 ;;
	*) die gates "usage: $0 [-t TREE_DIR] [-r BASE..TIP] [-g \"GATE...\"] [-f] [GATE...]" ;;
	esac
done
shift $((OPTIND - 1))
gopt="$gopt $*"
[ -z "${gopt// /}" ] || want=$gopt
want=" $(echo "$want" | tr ',' ' ') "
for g in $want; do [[ " $ALL_GATES " == *" $g "* ]] || die gates "unknown gate $g (gates: $ALL_GATES)"; done
sel() { [[ $want == *" $1 "* ]]; }

GW=$CACHE/gates                         # our worktree, checked out per patch
WK=$CACHE/gates-work                    # scratch, remade every run
RCACHE=$CACHE/gates-cache               # cached results, keyed by content
GLOG=$LOGDIR/gates
DEBUG_FRAG=$REPO/kernel-config/debug/debug.config
ALLOWLIST=${DMABUF_CHECKPATCH_ALLOWLIST:-$REPO/ci/checkpatch-allowlist}
SUBJECT_RE=${DMABUF_SUBJECT_RE:-'^(dma-buf: heaps: |dma-buf: system_heap: |selftests: dmabuf-heaps: |mm: list_lru: )[^ ]'}
BUILD_TMO=${DMABUF_BUILD_TIMEOUT:-2400}
DEBUG_BOOT_TMO=${DMABUF_DEBUG_BOOT_TIMEOUT:-1800}
FAULT_BOOT_TMO=${DMABUF_FAULT_BOOT_TIMEOUT:-900}
COCCI_TMO=${DMABUF_COCCI_TIMEOUT:-1200}
FAULT_PROG=dmabuf-heap-fault
# One gates run at a time: they share the worktree, the build dirs and the scratch dir.
exec 8>"$CACHE/gates.lock"
if ! flock -n 8; then
	log "waiting for $CACHE/gates.lock (another scripts/gates.sh run)"
	flock -w "${DMABUF_GATES_LOCK_TIMEOUT:-7200}" 8 || die gates "another scripts/gates.sh run still holds $CACHE/gates.lock"
fi

# Extra kernel command line of the debug boots (default none). They used to boot with
# loglevel=5 because boot-test.sh's splat pattern had a bare "lockdep", which matched PROVE_RCU's
# banner "rcu: RCU lockdep checking is enabled."; it now names lockdep's reports instead. The full
# console costs no boot time (TCG) and keeps pr_info context next to a splat, and kmemleak's
# "N new suspected memory leaks" is pr_info.
DEBUG_BOOT_ARGS=${DMABUF_DEBUG_BOOT_ARGS-}
# debug-boot variants, blank-separated "NAME:EXTRA,CMDLINE,ARGS" (commas become blanks): the heaps
# as booted by default, and with heap pages charged to memcg (the selftests' memcg cases skip
# without it). Each is one boot of the same debug kernel; any failing variant fails the gate.
DEBUG_BOOT_VARIANTS=${DMABUF_DEBUG_BOOT_VARIANTS-debug: memacct-debug:dma_heap.mem_accounting=1}
rm -rf "$WK" "$GLOG"
mkdir -p "$WK" "$RCACHE" "$GLOG"
export CCACHE_DIR=$CACHE/ccache CCACHE_BASEDIR=$CACHE
export KBUILD_BUILD_USER=dmabuf KBUILD_BUILD_HOST=workbench KBUILD_BUILD_TIMESTAMP=2026-01-01

npass=0 nfail=0 nskip=0 t_all=$SECONDS
# verdict GATE PASS|FAIL|SKIP DETAIL [LOG]
verdict() {
	local log=${4:-$GLOG/$1.log}
	sel "$1" || return 0
	printf 'gate %s: %s (%s; log: %s)\n' "$1" "$2" "$3" "$log"
	case $2 in PASS) npass=$((npass + 1)) ;; FAIL) nfail=$((nfail + 1)) ;; *) nskip=$((nskip + 1)) ;; esac
}
finish() {
	log "all gates done in $((SECONDS - t_all)) s, of which $(awk '{ s += $1 } END { print s + 0 }' "$WK/lock-wait" 2>/dev/null || echo 0) s waiting for $BUILD/.lock"
	echo "$npass passed, $nfail failed, $nskip skipped"
	[ "$nfail" -eq 0 ]
	exit
}

# Only one kernel build at a time on this machine (see build-kernel.sh): with_lock CMD... takes
# $BUILD/.lock for one command; lock_hold/lock_release keep it over a series of builds (the
# per-patch loop), so that other builds cannot slip in between its steps.
HAVE_LOCK=0
with_lock() {
	if [ "$HAVE_LOCK" = 1 ]; then "$@"; return; fi
	(
		t=$SECONDS
		exec 9>"$BUILD/.lock"
		flock -w "$BUILD_TMO" 9 || { echo "timed out waiting for $BUILD/.lock (another build)"; exit 99; }
		echo $((SECONDS - t)) >>"$WK/lock-wait"
		"$@"
	)
}
lock_hold() {
	local t=$SECONDS
	exec 9>"$BUILD/.lock"
	flock -w "$BUILD_TMO" 9 || { exec 9>&-; return 99; }
	echo $((SECONDS - t)) >>"$WK/lock-wait"
	HAVE_LOCK=1
}
lock_release() { [ "$HAVE_LOCK" = 1 ] || return 0; flock -u 9; exec 9>&-; HAVE_LOCK=0; }
# kmk O ARCH MAKEARGS...
kmk() {
	local o=$1 arch=$2
	shift 2
	timeout -k 30 "$BUILD_TMO" make -C "$GW" O="$o" ARCH="$arch" CC="ccache gcc" "$@"
}
# Diagnostics as "path: warning: text": tree prefixes, line/column numbers and colours removed.
norm() {
	sed -E -e 's/\x1b\[[0-9;]*[mK]//g' -e "s#^$GW/##" -e 's#^(\.\./)+gates/##' -e 's#^\./##' \
		-e 's#^([^: ]+):[0-9]+(:[0-9]+(-[0-9]+)?)?: #\1: #' | LC_ALL=C sort
}
diags() { grep -E ': (warning|error|WARNING|ERROR)[: ]' "$@" | norm || true; }
# newer OLD NEW: lines of NEW beyond those in OLD (multisets, both sorted by norm)
newer() { LC_ALL=C comm -13 "$1" "$2"; }
sha() { sha256sum | cut -c1-24; }
# cfg_missing CONFIG FRAGMENT COMMIT: requested options that are not met, ignoring symbols that
# do not exist (yet) at COMMIT.
cfg_missing() {
	local want sym have l
	while IFS= read -r l; do
		if [[ $l =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
		elif [[ $l =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then sym=${BASH_REMATCH[1]} want=n
		else continue; fi
		have=$(sed -n "s/^$sym=//p" "$1")
		[ "${have:-n}" = "$want" ] && continue
		git -C "$GW" grep -q -E "^[[:space:]]*(menu)?config ${sym#CONFIG_}[[:space:]]*$" "$3" -- '*Kconfig*' || continue
		printf '%s=%s(got:%s) ' "$sym" "$want" "${have:-n}"
	done <"$2"
	return 0
}

# ---- the range ----
g() { git -C "$src" "$@"; }
range=${range:-$BASE_TAG..$BRANCH}
[[ $range == *..* ]] || die gates "range must be BASE..TIP, not $range"
base_ref=${range%%..*} tip_ref=${range##*..}
base=$(g rev-parse -q --verify "$base_ref^{commit}") || die gates "no commit $base_ref in $src"
tip=$(g rev-parse -q --verify "$tip_ref^{commit}") || die gates "no commit $tip_ref in $src"
[ -z "$(g rev-list --merges "$base..$tip")" ] || die gates "merge commits in $range"
mapfile -t C < <(g rev-list --reverse "$base..$tip")
n=${#C[@]}
C=("$base" "${C[@]}")                   # C[0] = base, C[i] = patch i
log "range $range in $src: $n patches"

if ! git -C "$GW" rev-parse --git-dir >/dev/null 2>&1; then
	rm -rf "$GW"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$GW" "$base" >/dev/null 2>&1 || die gates "cannot add worktree $GW"
fi
w() { git -C "$GW" "$@"; }
w cat-file -e "$tip^{commit}" 2>/dev/null || w fetch -q --no-tags "$src" "$tip_ref" ||
	die gates "cannot fetch $tip_ref from $src into $GW"
checkout() { w checkout -q -f --detach "$1" && w clean -q -fdx; }
checkout "$tip" || die gates "cannot check out $tip in $GW"

# Per patch: subject, touched files (existing at the patch), kernel C files, tree ids.
declare -a SUBJ FILES KFILES KC TREEID
for ((i = 1; i <= n; i++)); do
	SUBJ[i]=$(w log -1 --format=%s "${C[i]}")
	FILES[i]=$(w diff-tree --no-commit-id --name-only -r --no-renames "${C[i]}" | while read -r f; do
		if w cat-file -e "${C[i]}:$f" 2>/dev/null; then echo "$f"; fi; done | tr '\n' ' ')
	KFILES[i]=$(for f in ${FILES[i]}; do case $f in tools/*|Documentation/*|scripts/*|samples/*|usr/*) ;; *.[ch]) echo "$f" ;; esac; done | tr '\n' ' ')
	KC[i]=$(for f in ${KFILES[i]}; do case $f in *.c) echo "$f" ;; esac; done | tr '\n' ' ')
done
for ((i = 0; i <= n; i++)); do TREEID[i]=$(w rev-parse "${C[i]}^{tree}"); done
pname() { printf '%d/%d "%s"' "$1" "$n" "${SUBJ[$1]}"; }
ALLK=$(for ((i = 1; i <= n; i++)); do echo ${KFILES[i]}; done | tr ' ' '\n' | sort -u | tr '\n' ' ')

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

# The patch files: patches/ when the range is the applied series, else git format-patch.
mapfile -t SP < <(series_patches)
declare -a PF
if [ "$src" = "$TREE" ] && [ "$range" = "$BASE_TAG..$BRANCH" ] && [ ${#SP[@]} -eq "$n" ]; then
	for ((i = 1; i <= n; i++)); do PF[i]=$PATCHES/${SP[i - 1]}; done
	pf_from="$PATCHES"
else
	mkdir -p "$WK/patches"
	for ((i = 1; i <= n; i++)); do
		PF[i]=$WK/patches/$(printf '%04d' "$i").patch
		w -c core.abbrev=12 format-patch -q --stdout --no-signature -1 "${C[i]}" >"${PF[i]}"
	done
	pf_from="git format-patch of $range"
fi

if [ "$n" -eq 0 ]; then
	for gt in build w1 sparse checkpatch kerneldoc coccicheck commitmsg; do verdict "$gt" SKIP "no commits in $range"; done
fi

# ---------------------------------------------------------------- static per-patch gates ----
if [ "$n" -gt 0 ] && sel checkpatch; then
	t0=$SECONDS L=$GLOG/checkpatch.log
	csf=$(python3 -c 'import codespell_lib, os; print(os.path.join(os.path.dirname(codespell_lib.__file__), "data", "dictionary.txt"))' 2>/dev/null || true)
	if [ ! -f "$csf" ]; then need_pkgs codespell; csf=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt; fi
	need_pkgs python3-ply python3-git
	# allowlist: glob, type, reason
	declare -a AG AT AR
	bad_allow=""
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
		[ "$rc" -eq 0 ] || [ "$found" -gt 0 ] || nbad=$((nbad + 1))
		[ "$rc" -eq 0 ] || [ "$found" -gt 0 ] || types="$types RC=$rc"
		[ "$nbad" -eq 0 ] || fails+=("$(pname "$i"): $nbad finding(s):$(echo "$types" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')")
	done
	if [ -n "$bad_allow" ]; then verdict checkpatch FAIL "invalid allowlist lines$bad_allow in $ALLOWLIST, $((SECONDS - t0)) s"
	elif [ ${#fails[@]} -gt 0 ]; then verdict checkpatch FAIL "$(IFS=';'; echo "${fails[*]}"), $allowed allowed, $((SECONDS - t0)) s"
	else verdict checkpatch PASS "$n/$n patches clean, $allowed allowlisted finding(s), $((SECONDS - t0)) s"; fi
fi

if [ "$n" -gt 0 ] && sel commitmsg; then
	t0=$SECONDS L=$GLOG/commitmsg.log fails=()
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
		else echo "FAIL $(pname "$i"): ${probs[*]}" >>"$L"; fails+=("$(pname "$i"): $(IFS=,; echo "${probs[*]}")"); fi
	done
	if [ ${#fails[@]} -gt 0 ]; then verdict commitmsg FAIL "$(IFS=';'; echo "${fails[*]}")"
	else verdict commitmsg PASS "$n/$n patches: subsystem subject, author's Signed-off-by, body >= 3 lines"; fi
fi

if [ "$n" -gt 0 ] && sel kerneldoc; then
	t0=$SECONDS L=$GLOG/kerneldoc.log fails=() nfiles=0
	: >"$L"
	kdoc() { # STATE FILE [OPTS...] -> normalised warnings of FILE at commit STATE
		local s=$1 f=$2 d=$WK/kdoc/$1
		shift 2
		mkdir -p "$d/$(dirname "$f")"
		w show "${C[s]}:$f" >"$d/$f" 2>/dev/null || return 0
		(cd "$d" && timeout 120 python3 "$GW/scripts/kernel-doc" -none -Wall "$@" "$f" 2>&1) | diags
	}
	for ((i = 1; i <= n; i++)); do
		new=$WK/kd-new old=$WK/kd-old probs=0
		for f in ${KFILES[i]}; do
			nfiles=$((nfiles + 1))
			kdoc "$i" "$f" >"$new"
			kdoc $((i - 1)) "$f" >"$old"
			d=$(newer "$old" "$new")
			echo "patch $(pname "$i") $f: $(wc -l <"$new") warning(s), $(printf '%s' "$d" | grep -c . || true) new" >>"$L"
			[ -z "$d" ] || { echo "$d" | sed 's/^/  NEW: /' >>"$L"; probs=$((probs + $(echo "$d" | wc -l))); }
		done
		# Documentation: each ".. kernel-doc::" directive the patch adds to an .rst must name
		# a file, render something and parse without warnings.
		for f in ${FILES[i]}; do
			case $f in *.rst) ;; *) continue ;; esac
			added=" $(w show --format= "${C[i]}" -- "$f" | sed -n 's/^+\.\. kernel-doc:: *//p' | tr '\n' ' ') "
			[ "$added" != "  " ] || continue
			w show "${C[i]}:$f" | awk '
				/^\.\. kernel-doc::/ { if (p) print p, o; p = $3; o = ""; next }
				p && /^[[:space:]]+:[a-z-]+:/ { sub(/^[[:space:]]+/, ""); o = o " " $0; next }
				p { print p, o; p = "" }
				END { if (p) print p, o }' | while read -r path opts; do
				[[ $added == *" $path "* ]] || continue
				nfiles=$((nfiles + 1))
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
			done >>"$WK/kd-rst"
		done
		if [ -f "$WK/kd-rst" ]; then
			cat "$WK/kd-rst" >>"$L"
			probs=$((probs + $(grep -c ': FAIL ' "$WK/kd-rst" || true)))
			rm -f "$WK/kd-rst"
		fi
		[ "$probs" -eq 0 ] || fails+=("$(pname "$i"): $probs new warning(s)")
	done
	if [ ${#fails[@]} -gt 0 ]; then verdict kerneldoc FAIL "$(IFS=';'; echo "${fails[*]}")"
	else verdict kerneldoc PASS "$n patches, no new kernel-doc -Wall warnings in touched .c/.h, rst kernel-doc directives render, $((SECONDS - t0)) s"; fi
fi

if [ "$n" -gt 0 ] && sel coccicheck; then
	t0=$SECONDS L=$GLOG/coccicheck.log
	need_pkgs coccinelle ocaml-nox   # two of the semantic patches need OCaml scripting
	# Reports depend only on a file's content (coccicheck runs without includes): cache them
	# per blob, per set of semantic patches and spatch version.
	cid=$( { w rev-parse "$tip:scripts/coccinelle"; spatch --version 2>&1 | sed -n 1p; } | sha)
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
				grep -E "^\./$b/" "$WK/cocci.out" | sed "s#^\./$b/##" | norm >"$cdir/$b" || true
			done
		fi
	fi
	fails=() nrep=0
	if [ "$crc" -ne 0 ]; then
		verdict coccicheck FAIL "make coccicheck failed (rc=$crc$([ "$crc" -eq 124 ] && echo ", timed out after $COCCI_TMO s"))" "$GLOG/coccicheck-raw.log"
	else
		: >"$L"
		for ((i = 1; i <= n; i++)); do
			: >"$WK/c-old"; : >"$WK/c-new"
			for f in ${KFILES[i]}; do
				b=${BLOB[$((i - 1)):$f]:-}; [ -z "$b" ] || sed "s#^$(basename "$f"):#$f:#" "$cdir/$b" >>"$WK/c-old"
				b=${BLOB[$i:$f]:-}; [ -z "$b" ] || sed "s#^$(basename "$f"):#$f:#" "$cdir/$b" >>"$WK/c-new"
			done
			LC_ALL=C sort -o "$WK/c-old" "$WK/c-old"; LC_ALL=C sort -o "$WK/c-new" "$WK/c-new"
			d=$(newer "$WK/c-old" "$WK/c-new")
			nrep=$((nrep + $(wc -l <"$WK/c-new")))
			echo "patch $(pname "$i"): ${KFILES[i]:-(no kernel C files)}: $(printf '%s' "$d" | grep -c . || true) new report(s)" >>"$L"
			[ -z "$d" ] || { echo "$d" | sed 's/^/  NEW: /' >>"$L"; fails+=("$(pname "$i"): $(echo "$d" | wc -l) new report(s)"); }
		done
		if [ ${#fails[@]} -gt 0 ]; then verdict coccicheck FAIL "$(IFS=';'; echo "${fails[*]}"), $((SECONDS - t0)) s"
		else verdict coccicheck PASS "no new reports in touched files ($todo file version(s) checked, rest cached), $((SECONDS - t0)) s"; fi
	fi
fi

# ------------------------------------------------------------ per-patch build, W=1, sparse ----
# >>> per-patch builds (this block is part of the cache key of the per-patch results)
if [ "$n" -gt 0 ] && { sel build || sel w1 || sel sparse; }; then
	t_loop=$SECONDS
	need_pkgs build-essential flex bison bc libelf-dev libssl-dev rsync ccache python3
	SPARSE="" sparse_why=""
	if sel sparse; then
		SPARSE=$("$REPO/ci/get-sparse.sh" 2>"$WK/sparse.err") || { SPARSE=""; sparse_why=$(tail -n1 "$WK/sparse.err"); }
	fi
	O=$BUILD/gates-x86_64 FRAG=$REPO/kernel-config/gates/x86_64.config
	mkdir -p "$O"
	# Cache key: this block of the script, the config, the compiler and sparse.
	tools_id=$( { sed -n '/^# >>> per-patch builds/,/^# <<< per-patch builds/p' "$0"; cat "$FRAG"; gcc --version | sed -n 1p; [ -z "$SPARSE" ] || { "$SPARSE" --version; cat "$(dirname "$SPARSE")/debian-version" 2>/dev/null; }; } | sha)
	key() { echo "$tools_id ${TREEID[$1 - 1]} ${TREEID[$1]}" | sha; }
	first=$((n + 1))
	for ((i = 1; i <= n; i++)); do
		k=$RCACHE/patch-$(key "$i")
		if [ "$force" = 1 ] || [ ! -f "$k/done" ]; then first=$i; break; fi
	done

	# configure STATE: tinyconfig + fragment, then check the fragment's symbols that exist.
	configure() {
		local s=$1 cl=$2 miss
		{ kmk "$O" x86_64 tinyconfig && "$GW/scripts/kconfig/merge_config.sh" -m -O "$O" "$O/.config" "$FRAG" &&
		  kmk "$O" x86_64 olddefconfig; } >"$cl" 2>&1 || return 1
		miss=$(cfg_missing "$O/.config" "$FRAG" "${C[s]}")
		[ -z "$miss" ] || { echo "config: options not set as requested: $miss" >>"$cl"; return 1; }
	}
	# compile_checks STATE PATCH TAG: W=1 warnings and sparse warnings of the .c files of patch
	# PATCH at commit STATE into $WK/{w1,sp}/TAG.
	compile_checks() {
		local s=$1 i=$2 tag=$3 f o t1
		mkdir -p "$WK/w1" "$WK/sp"
		: >"$WK/w1/$tag"; : >"$WK/sp/$tag"
		for f in $(wfiles "$s" "$i"); do
			o=${f%.c}.o
			t1=$SECONDS
			rm -f "$O/$o"
			with_lock kmk "$O" x86_64 W=1 "$o" >"$WK/w1-raw" 2>&1 || echo "$f: error: W=1 compile failed" >>"$WK/w1/$tag"
			cat "$WK/w1-raw" >>"$GLOG/w1-raw.log"
			diags "$WK/w1-raw" >>"$WK/w1/$tag"
			T_W1=$((T_W1 + SECONDS - t1)) t1=$SECONDS
			if [ -n "$SPARSE" ]; then
				with_lock kmk "$O" x86_64 W=1 C=2 CHECK="$SPARSE" "$o" >"$WK/sp-raw" 2>&1 || echo "$f: error: sparse run failed" >>"$WK/sp/$tag"
				cat "$WK/sp-raw" >>"$GLOG/sparse-raw.log"
				grep -v -E ': (warning|error): .*\[-W' "$WK/sp-raw" | diags >>"$WK/sp/$tag"
			fi
			T_SP=$((T_SP + SECONDS - t1))
		done
		# Selftests of the patch: built with their own Makefile, warnings compared too.
		for d in $(for f in ${FILES[i]}; do [[ $f =~ ^(tools/testing/selftests/[^/]+)/ ]] && echo "${BASH_REMATCH[1]}"; done | sort -u); do
			[ -f "$GW/$d/Makefile" ] || continue
			t1=$SECONDS
			mkdir -p "$WK/kst-$tag"
			if with_lock kmk "$O" x86_64 headers_install >"$WK/kst-raw" 2>&1 &&

			   timeout 600 make -C "$GW/$d" OUTPUT="$WK/kst-$tag" KHDR_INCLUDES="-isystem $O/usr/include" >>"$WK/kst-raw" 2>&1; then :
			else echo "$d: error: selftest build failed" >>"$WK/w1/$tag"; KST_FAIL="$KST_FAIL $d@$tag"; fi
			cat "$WK/kst-raw" >>"$GLOG/w1-raw.log"
			diags "$WK/kst-raw" >>"$WK/w1/$tag"
			rm -rf "$WK/kst-$tag"
			T_W1=$((T_W1 + SECONDS - t1))
		done
		LC_ALL=C sort -o "$WK/w1/$tag" "$WK/w1/$tag"; LC_ALL=C sort -o "$WK/sp/$tag" "$WK/sp/$tag"
	}

	T_BUILD=0 T_W1=0 T_SP=0 lock_fail=0
	if [ "$first" -le "$n" ]; then
		log "per-patch builds from patch $first (earlier results cached) in $O"
		t1=$SECONDS
		lock_hold || lock_fail=1
		T_BUILD=$((SECONDS - t1))
	fi
	if [ "$first" -le "$n" ] && [ "$lock_fail" = 0 ]; then
		for ((s = first - 1; s <= n; s++)); do
			t1=$SECONDS KST_FAIL=""
			checkout "${C[s]}" || die gates "cannot check out ${C[s]} in $GW"
			bl=$GLOG/build-$(printf '%02d' "$s").log
			brc=0
			with_lock configure "$s" "$bl" || brc=1
			if [ "$brc" -eq 0 ]; then
				with_lock kmk "$O" x86_64 -j"$JOBS" vmlinux >>"$bl" 2>&1 || brc=$?
			fi
			T_BUILD=$((T_BUILD + SECONDS - t1))
			if [ "$s" -ge 1 ]; then
				k=$RCACHE/patch-$(key "$s")
				rm -rf "$k"; mkdir -p "$k"
				# The touched objects must have been (re)built by this build.
				nob=""
				for f in ${KC[s]}; do [ "$O/${f%.c}.o" -nt "$GW/$f" ] || nob="$nob $f"; done
				compile_checks "$s" "$s" "new-$s"
				if [ "$brc" -eq 99 ]; then echo "FAIL build lock timeout" >"$k/build"
				elif [ "$brc" -ne 0 ]; then echo "FAIL does not build ($(grep -m1 -E 'error|Error|options not set' "$bl" | cut -c1-160))" >"$k/build"
				elif [ -n "$nob" ]; then echo "FAIL touched files not built by kernel-config/gates/x86_64.config:$nob" >"$k/build"
				elif [ -n "$KST_FAIL" ]; then echo "FAIL selftests do not build:$KST_FAIL" >"$k/build"
				else echo "PASS vmlinux + ${KC[s]:-no C files}$(for f in ${FILES[s]}; do [[ $f == tools/testing/selftests/* ]] && { echo " + selftests"; break; }; done)" >"$k/build"; fi
				cp "$bl" "$k/build.log"
				[ -f "$WK/w1/base-$s" ] || : >"$WK/w1/base-$s"
				[ -f "$WK/sp/base-$s" ] || : >"$WK/sp/base-$s"
				newer "$WK/w1/base-$s" "$WK/w1/new-$s" >"$k/w1.new"
				newer "$WK/sp/base-$s" "$WK/sp/new-$s" >"$k/sparse.new"
				cp "$WK/w1/new-$s" "$k/w1.all"; cp "$WK/sp/new-$s" "$k/sparse.all"
				[ -n "$SPARSE" ] && echo yes >"$k/sparse.ran"
				touch "$k/done"
			fi
			[ "$s" -lt "$n" ] && compile_checks "$s" $((s + 1)) "base-$((s + 1))"
			log "state $s/$n done ($((SECONDS - t1)) s)"
		done
		lock_release
	fi
	checkout "$tip"
# <<< per-patch builds
	# Verdicts from the per-patch results (fresh or cached).
	bf=() wf=() sf=() cached=$((first - 1)) wn=0 sn=0
	for L in build w1 sparse; do : >"$GLOG/$L.log"; done
	[ "$lock_fail" = 0 ] || n_ok=$((first - 1))
	for ((i = 1; i <= ${n_ok:-n}; i++)); do
		k=$RCACHE/patch-$(key "$i")
		read -r st rest <"$k/build"
		echo "patch $(pname "$i"): $st $rest$([ "$i" -lt "$first" ] && echo " (cached)")" >>"$GLOG/build.log"
		[ "$st" = PASS ] || { bf+=("$(pname "$i"): $rest"); cp "$k/build.log" "$GLOG/build-$(printf '%02d' "$i").log"; }
		c=$(grep -c . "$k/w1.new" || true); wn=$((wn + $(grep -c . "$k/w1.all" || true)))
		sd=$(for f in ${FILES[i]}; do [[ ! $f =~ ^(tools/testing/selftests/[^/]+)/ ]] || echo "${BASH_REMATCH[1]}"; done | sort -u | tr '\n' ' ')
		{ echo "patch $(pname "$i"): $c new W=1 warning(s) in ${KC[i]}${sd:+(selftests) $sd}"; sed 's/^/  NEW: /' "$k/w1.new"; } >>"$GLOG/w1.log"
		[ "$c" -eq 0 ] || wf+=("$(pname "$i"): $c new warning(s): $(head -n1 "$k/w1.new" | cut -c1-100)")
		c=$(grep -c . "$k/sparse.new" || true); sn=$((sn + $(grep -c . "$k/sparse.all" || true)))
		{ echo "patch $(pname "$i"): $c new sparse warning(s)"; sed 's/^/  NEW: /' "$k/sparse.new"; } >>"$GLOG/sparse.log"
		[ "$c" -eq 0 ] || sf+=("$(pname "$i"): $c new sparse warning(s): $(head -n1 "$k/sparse.new" | cut -c1-100)")
	done
	tl=$((SECONDS - t_loop))
	ctxt=$([ "$cached" -eq 0 ] || echo ", $cached patch(es) cached")
	[ "$lock_fail" = 0 ] || { bf+=("timed out after $BUILD_TMO s waiting for $BUILD/.lock"); wf+=("not run"); sf+=("not run"); }
	if [ ${#bf[@]} -gt 0 ]; then verdict build FAIL "$(IFS=';'; echo "${bf[*]}")$ctxt, $T_BUILD s"
	else verdict build PASS "$n/$n patches build (x86_64, kernel-config/gates/x86_64.config, vmlinux + touched objects)$ctxt, $T_BUILD s"; fi
	if [ ${#wf[@]} -gt 0 ]; then verdict w1 FAIL "$(IFS=';'; echo "${wf[*]}")$ctxt, $T_W1 s"
	else verdict w1 PASS "no new W=1 warnings in touched .c files ($wn pre-existing/normalised)$ctxt, $T_W1 s"; fi
	if [ -z "$SPARSE" ]; then verdict sparse SKIP "no usable sparse: $sparse_why" "$LOGDIR/get-sparse.log"
	elif [ ${#sf[@]} -gt 0 ]; then verdict sparse FAIL "$(IFS=';'; echo "${sf[*]}") (sparse from Debian $(cat "$(dirname "$SPARSE")/debian-version" 2>/dev/null) source)$ctxt, $T_SP s"
	else verdict sparse PASS "no new sparse C=2 warnings in touched .c files ($sn pre-existing; sparse from Debian $(cat "$(dirname "$SPARSE")/debian-version" 2>/dev/null) source)$ctxt, $T_SP s"; fi
	log "per-patch loop: $tl s"
fi

checkout "$tip" || die gates "cannot check out $tip in $GW"

# --------------------------------------------------------------------- whole series ----
# series_build NAME ARCH FRAGMENT TARGETS...: configure + build at the tip; touched objects are
# removed first so that their warnings (and modpost) are in the log every time.
series_build() {
	local name=$1 arch=$2 frag=$3 o=$BUILD/gates-$1 bl=$GLOG/$1.build.log f miss
	shift 3
	mkdir -p "$o"
	{
		kmk "$o" "$arch" tinyconfig && "$GW/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "$frag" &&
		kmk "$o" "$arch" olddefconfig || return 1
		miss=$(cfg_missing "$o/.config" "$frag" "$tip")
		[ -z "$miss" ] || { echo "config: options not set as requested: $miss"; return 1; }
		for f in $ALLK; do case $f in *.c) rm -f "$o/${f%.c}.o" "$o/${f%.c}.ko" ;; esac; done
		kmk "$o" "$arch" -j"$JOBS" "$@"
	} >"$bl" 2>&1
}
# touched_warnings LOG: compiler warnings in files the series touches
touched_warnings() {
	local f re=""
	for f in $ALLK; do re="$re|$f"; done
	[ -n "$re" ] || return 0
	grep -E ': (warning|error):' "$1" | sed -E -e "s#^$GW/##" -e 's#^(\.\./)+gates/##' | grep -E "^(${re#|}):" || true
}

if sel modules; then
	t0=$SECONDS L=$GLOG/modules.log rc=0
	with_lock series_build x86_64-m x86_64 "$REPO/kernel-config/gates/modules.config" vmlinux modules || rc=$?
	bl=$GLOG/x86_64-m.build.log o=$BUILD/gates-x86_64-m probs=()
	{
		echo "build rc=$rc (log: $bl)"
		grep -E '(WARNING|ERROR): modpost:' "$bl" || echo "modpost: no warnings or errors"
	} >"$L"
	if [ "$rc" -ne 0 ]; then probs+=("build failed: $(grep -m1 -E 'error|Error|options not set' "$bl" | cut -c1-160)")
	else
		mp=$(grep -cE '(WARNING|ERROR): modpost:' "$bl" || true)
		[ "$mp" -eq 0 ] || probs+=("$mp modpost warning(s)/error(s)")
		tw=$(touched_warnings "$bl")
		[ -z "$tw" ] || { probs+=("$(echo "$tw" | wc -l) compiler warning(s) in touched files"); echo "$tw" >>"$L"; }
		# Every heap object set to =m must be a module, with license and description.
		kos=""
		while read -r sym obj; do
			[ "$(sed -n "s/^$sym=//p" "$o/.config")" = m ] || continue
			ko=$o/drivers/dma-buf/heaps/$obj.ko
			if [ ! -f "$ko" ]; then probs+=("$obj.ko not built"); continue; fi
			kos="$kos $obj.ko"
			for fld in license description; do
				[ -n "$(modinfo -F "$fld" "$ko" 2>/dev/null)" ] || probs+=("$obj.ko has no MODULE_${fld^^}")
			done
			echo "$obj.ko: $(modinfo -F description "$ko"); imports: $(modinfo -F import_ns "$ko" | tr '\n' ' ')" >>"$L"
		done < <(sed -n -E 's/^obj-\$\((CONFIG_[A-Z0-9_]+)\)[[:space:]]*\+=[[:space:]]*([A-Za-z0-9_-]+)\.o.*/\1 \2/p' "$GW/drivers/dma-buf/heaps/Makefile")
		[ -n "$kos" ] || probs+=("no heap modules built")
	fi
	if [ ${#probs[@]} -gt 0 ]; then verdict modules FAIL "$(IFS=';'; echo "${probs[*]}"), $((SECONDS - t0)) s"
	else verdict modules PASS "DMABUF_HEAPS_SYSTEM=m:$kos, modpost clean, $((SECONDS - t0)) s"; fi
fi

if sel i386; then
	t0=$SECONDS L=$GLOG/i386.log rc=0
	with_lock series_build i386 i386 "$REPO/kernel-config/gates/i386.config" vmlinux || rc=$?
	bl=$GLOG/i386.build.log o=$BUILD/gates-i386 probs=()
	echo "build rc=$rc (log: $bl)" >"$L"
	if [ "$rc" -ne 0 ]; then probs+=("build failed: $(grep -m1 -E 'error|Error|undefined|options not set' "$bl" | cut -c1-160)")
	else
		tw=$(touched_warnings "$bl")
		[ -z "$tw" ] || { probs+=("$(echo "$tw" | wc -l) compiler warning(s) in touched files"); echo "$tw" >>"$L"; }
		for f in $ALLK; do case $f in *.c) [ -f "$o/${f%.c}.o" ] || probs+=("$f not built") ;; esac; done
	fi
	hm=$(sed -n 's/^CONFIG_HIGHMEM=//p' "$o/.config" 2>/dev/null)
	if [ ${#probs[@]} -gt 0 ]; then verdict i386 FAIL "$(IFS=';'; echo "${probs[*]}"), $((SECONDS - t0)) s"
	else verdict i386 PASS "ARCH=i386 HIGHMEM=${hm:-n} vmlinux builds, no warnings in touched files, $((SECONDS - t0)) s"; fi
fi

# Debug kernel: build-kernel.sh (it takes the lock itself), selftests + fault helper, initramfs.
debug_ready=""
debug_prepare() {
	[ -z "$debug_ready" ] || return "$debug_ready"
	local t1=$SECONDS dl=$GLOG/debug-prepare.log ST=$BUILD/debug-selftests
	debug_ready=1
	if (
		set -e
		"$REPO/scripts/build-kernel.sh" -t "$GW" -x "$DEBUG_FRAG" debug
		"$REPO/scripts/build-selftests.sh" -t "$GW" debug
		# The guest init runs what tests.list names (scripts/guest-init.sh). Add the fault
		# helper there, next to the kselftests; each boot picks its programs with wb.tests=.
		cp "$ST/dmabuf-heaps/tests.list" "$ST/kselftests.list"
		if [ -x "$ST/helpers/$FAULT_PROG" ]; then
			cp "$ST/helpers/$FAULT_PROG" "$ST/dmabuf-heaps/"
			echo "$FAULT_PROG" >>"$ST/dmabuf-heaps/tests.list"
		fi
		"$REPO/scripts/make-initramfs.sh" -t "$GW" debug
	) >"$dl" 2>&1; then debug_ready=0; fi
	T_DEBUG_PREP=$((SECONDS - t1))
	return "$debug_ready"
}

if sel debug-boot; then
	t0=$SECONDS L=$GLOG/debug-boot.log
	if ! debug_prepare; then
		verdict debug-boot FAIL "debug kernel/initramfs not built: $(grep -m1 '^FAIL ' "$GLOG/debug-prepare.log" || tail -n1 "$GLOG/debug-prepare.log"), $((SECONDS - t0)) s" "$GLOG/debug-prepare.log"
	else
		tb=$SECONDS vres=() vbad=() vlog=""
		list=$(tr '\n' ',' <"$BUILD/debug-selftests/kselftests.list" | sed 's/,$//')
		: >"$L"
		for v in $DEBUG_BOOT_VARIANTS; do
			vn=${v%%:*} va=${v#*:} tv=$SECONDS rc=0
			[ "$va" != "$v" ] || va=""
			"$REPO/scripts/boot-test.sh" -v "$vn" -T "$DEBUG_BOOT_TMO" -a "wb.tests=$list wb.timeout=1200 ${va//,/ } $DEBUG_BOOT_ARGS" debug >"$WK/boot-$vn.out" 2>&1 || rc=$?
			cat "$WK/boot-$vn.out" >>"$L"
			if [ "$rc" -eq 0 ]; then
				vres+=("$vn: $( { grep -m1 '^variant ' "$WK/boot-$vn.out" || true; } | sed -E 's/^variant [^:]*: //; s/ \(.*//') ($((SECONDS - tv)) s)")
			else
				vres+=("$vn: FAIL $( { grep -m1 '^FAIL ' "$WK/boot-$vn.out" || echo "boot-test rc=$rc"; } | sed -E "s/^FAIL (stage=[a-z]+): variant $vn: /\\1: /; s/ \\(log: .*//") ($((SECONDS - tv)) s)")
				vbad+=("$vn") vlog=${vlog:-$LOGDIR/boot-debug-$vn.log}
			fi
		done
		[ ${#vres[@]} -gt 0 ] || vbad+=("no variants in DMABUF_DEBUG_BOOT_VARIANTS")
		vsum=$(printf '%s; ' "${vres[@]}" | sed 's/; $//')
		if [ ${#vbad[@]} -eq 0 ]; then verdict debug-boot PASS "$vsum; KASAN, lockdep, kmemleak clean; build $T_DEBUG_PREP s, boot $((SECONDS - tb)) s"
		else verdict debug-boot FAIL "$vsum; build $T_DEBUG_PREP s, boot $((SECONDS - tb)) s" "${vlog:-$L}"; fi
	fi
fi

if sel fault-inject; then
	t0=$SECONDS L=$GLOG/fault-inject.log
	if ! debug_prepare; then
		verdict fault-inject FAIL "debug kernel/initramfs not built: $(grep -m1 '^FAIL ' "$GLOG/debug-prepare.log" || tail -n1 "$GLOG/debug-prepare.log")" "$GLOG/debug-prepare.log"
	elif ! grep -qx "$FAULT_PROG" "$BUILD/debug-selftests/dmabuf-heaps/tests.list"; then
		verdict fault-inject FAIL "guest program $FAULT_PROG not built from selftests/$FAULT_PROG.c" "$GLOG/debug-prepare.log"
	else
		rc=0
		"$REPO/scripts/boot-test.sh" -v fault -T "$FAULT_BOOT_TMO" -a "wb.tests=$FAULT_PROG wb.timeout=600 $DEBUG_BOOT_ARGS" debug >"$L" 2>&1 || rc=$?
		bl=$LOGDIR/boot-debug-fault.log
		read -r p f s <"$LOGDIR/boot-debug-fault.result" 2>/dev/null || { p=0 f=0 s=0; }
		stats=$( { grep -E '^# (random_faults: [0-9]+ allocations|fail_nth_sweep: [0-9]+ injected)' "$bl" || true; } | sed 's/^# //' | tr '\n' ';' | sed 's/;/; /g')
		if [ "$rc" -ne 0 ]; then verdict fault-inject FAIL "$(grep -m1 '^FAIL ' "$L" | sed 's/ (log: .*//' || echo "boot-test rc=$rc"): $(grep -m3 -E '^not ok' "$bl" | tr '\n' ' ')${stats%; }, $((SECONDS - t0)) s" "$bl"
		elif [ "$s" -gt 0 ] || [ "$p" -lt 4 ]; then verdict fault-inject FAIL "only $p of 4 cases ran ($s skipped): fault injection unavailable in the debug kernel?, $((SECONDS - t0)) s" "$bl"
		else verdict fault-inject PASS "$p/4 cases: ${stats}kmemleak clean, $((SECONDS - t0)) s" "$bl"; fi
	fi
fi

if sel send-dry-run; then
	t0=$SECONDS L=$GLOG/send-dry-run.log rc=0
	DMABUF_GET_MAINTAINER_TREE=$GW "$REPO/scripts/send-dry-run.sh" >"$L" 2>&1 || rc=$?
	last=$(tail -n1 "$L")
	if [ "$rc" -eq 0 ]; then verdict send-dry-run PASS "$(sed -E 's/^send-dry-run: PASS \((.*); log: .*\)$/\1/' <<<"$last"), $((SECONDS - t0)) s" "$LOGDIR/send-dry-run.log"
	else verdict send-dry-run FAIL "$(grep -m1 '^FAIL ' "$L" | sed 's/^FAIL stage=[a-z-]*: //; s/ (log: .*//' || echo "$last"), $((SECONDS - t0)) s"; fi
fi

if sel cover-letter; then
	L=$GLOG/cover-letter.log cl=$PATCHES/0000-cover-letter.patch probs=()
	if [ ! -s "$cl" ]; then probs+=("no $cl (run scripts/export-patches.sh)")
	else
		bc=$(sed -n '/^base-commit: \([0-9a-f]\{40\}\)$/{s//\1/p;q}' "$cl")
		want_bc=$(git -C "$TREE" rev-parse -q --verify "$BASE_TAG^{commit}" || true)
		if [ -z "$bc" ]; then probs+=("no base-commit: line")
		elif [ "$bc" != "$want_bc" ]; then probs+=("base-commit $bc is not $BASE_TAG ($want_bc)"); fi
		grep -qiE '^#*[[:space:]]*Changes (since|in) ' "$cl" || probs+=("no 'Changes since' changelog section")
		grep -qE '\*\*\* (SUBJECT|BLURB) HERE \*\*\*' "$cl" && probs+=("git's placeholders left in")
		ns=$(series_patches | wc -l)
		grep -qE "^Subject: \[PATCH[^]]* 0+/$ns\]" "$cl" || probs+=("subject is not [PATCH ... 0/$ns]")
	fi
	{ echo "cover letter: $cl"; printf '%s\n' "${probs[@]}"; } >"$L"
	if [ ${#probs[@]} -gt 0 ]; then verdict cover-letter FAIL "$(IFS=';'; echo "${probs[*]}")"
	else verdict cover-letter PASS "base-commit: $BASE_TAG, changelog section present"; fi
fi

finish
