#!/usr/bin/env bash
# Gate "upstream" of ci/check.sh: the upstream-quality gates (issues 5 and 14) on the series that
# scripts/run.sh applied ($BASE_TAG..$BRANCH in $TREE), or on any range. One script per gate,
# ci/gates/GATE.sh, over ci/gates/lib.sh. This runner resolves the range once, then runs each
# selected gate, in $ORDER and then any other ci/gates/*.sh by name, and prints one line a gate,
#   gate <name>: PASS|FAIL|SKIP (<detail>; log: <path>)
# then "N passed, N failed, N skipped", and exits non-zero if a gate FAILs. See ci/GATES.md.
#
# usage: gate-upstream.sh [-t TREE_DIR] [-r BASE..TIP] [-g "GATE..."] [-f] [GATE...]
#   -t  git tree that holds the commits (default $TREE)
#   -r  commit range (default $BASE_TAG..$BRANCH, i.e. the series applied by apply-series.sh)
#   -g  gates to run, in any order (default all, or $DMABUF_UPSTREAM_GATES); GATE arguments
#       after the options are added to them (gate-upstream.sh fault-inject = -g fault-inject)
#   -f  do not use cached per-patch results (build/w1/sparse, coccicheck)
# Work happens in a detached worktree $CACHE/gates of $TREE's repository, at the tip before
# each gate; the trees holding the commits are never touched. Logs: $LOGDIR/gates/.
. "$(dirname "$0")/gates/lib.sh"
ORDER="checkpatch commitmsg kerneldoc coccicheck build w1 sparse modules i386 debug-boot fault-inject send-dry-run cover-letter rfc"
all=""
for g in $ORDER; do [ ! -f "$GATES_DIR/$g.sh" ] || all="$all $g"; done
for f in "$GATES_DIR"/*.sh; do
	g=$(basename "$f" .sh)
	case " lib $all " in *" $g "*) ;; *) [[ $g == lib-* ]] || all="$all $g" ;; esac
done
src=$TREE range="" force=0 want=${DMABUF_UPSTREAM_GATES:-$all} gopt=""
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
for g in $want; do [[ " $all " == *" $g "* ]] || die gates "unknown gate $g (gates:$all)"; done

# One gates run at a time: they share the worktree, the build dirs and the scratch dir.
exec 8>"$CACHE/gates.lock"
if ! flock -n 8; then
	log "waiting for $CACHE/gates.lock (another upstream gates run)"
	flock -w "${DMABUF_GATES_LOCK_TIMEOUT:-7200}" 8 || die gates "another upstream gates run still holds $CACHE/gates.lock"
fi
rm -rf "$WK" "$GLOG"
mkdir -p "$WK" "$RCACHE" "$GLOG"
t_all=$SECONDS

# ---- the range, the worktree, and per patch: subject, touched files, tree ids, patch file ----
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
w cat-file -e "$tip^{commit}" 2>/dev/null || w fetch -q --no-tags "$src" "$tip_ref" ||
	die gates "cannot fetch $tip_ref from $src into $GW"
checkout "$tip" || die gates "cannot check out $tip in $GW"
declare -a SUBJ FILES KFILES KC TREEID PF
for ((i = 1; i <= n; i++)); do
	SUBJ[i]=$(w log -1 --format=%s "${C[i]}")
	FILES[i]=$(w diff-tree --no-commit-id --name-only -r --no-renames "${C[i]}" | while read -r f; do
		if w cat-file -e "${C[i]}:$f" 2>/dev/null; then echo "$f"; fi; done | tr '\n' ' ')
	KFILES[i]=$(for f in ${FILES[i]}; do case $f in tools/*|Documentation/*|scripts/*|samples/*|usr/*) ;; *.[ch]) echo "$f" ;; esac; done | tr '\n' ' ')
	KC[i]=$(for f in ${KFILES[i]}; do case $f in *.c) echo "$f" ;; esac; done | tr '\n' ' ')
done
for ((i = 0; i <= n; i++)); do TREEID[i]=$(w rev-parse "${C[i]}^{tree}"); done
ALLK=$(for ((i = 1; i <= n; i++)); do echo ${KFILES[i]}; done | tr ' ' '\n' | sort -u | tr '\n' ' ')
# The patch files: patches/ when the range is the applied series, else git format-patch.
# applied: the range is the series apply-series.sh applied; listed: how many patches series lists
# (need_commits in ci/gates/lib.sh checks the one against the other).
mapfile -t SP < <(series_patches)
listed=${#SP[@]} applied=0
if [ "$src" = "$TREE" ] && [ "$range" = "$BASE_TAG..$BRANCH" ]; then applied=1; fi
if [ "$applied" = 1 ] && [ "$listed" -eq "$n" ]; then
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
declare -p n C SUBJ FILES KFILES KC TREEID PF pf_from src range tip ALLK want force applied listed >"$WK/context"

# ---- the gates ----
npass=0 nfail=0 nskip=0
for g in $all; do
	sel "$g" || continue
	rc=0 st="" detail="" vlog=""
	checkout "$tip" || die gates "cannot check out $tip in $GW"
	# stdout and stderr of the gate to the terminal; stderr also to GATE.stderr for the verdict.
	{ bash "$GATES_DIR/$g.sh" </dev/null 2>&1 1>&3 3>&- | tee "$GLOG/$g.stderr" >&2; } 3>&1 || rc=$?
	[ ! -f "$WK/verdict-$g" ] || IFS=$'\t' read -r st detail vlog <"$WK/verdict-$g"
	if [ -z "$st" ]; then
		st=FAIL detail="ci/gates/$g.sh exited $rc without a verdict: $(tail -n1 "$GLOG/$g.stderr")" vlog=$GLOG/$g.stderr
	elif [ "$rc" -ne 0 ]; then
		st=FAIL detail="$detail; but ci/gates/$g.sh exited $rc: $(tail -n1 "$GLOG/$g.stderr")"
	fi
	printf 'gate %s: %s (%s; log: %s)\n' "$g" "$st" "$detail" "$vlog"
	case $st in PASS) npass=$((npass + 1)) ;; FAIL) nfail=$((nfail + 1)) ;; *) nskip=$((nskip + 1)) ;; esac
done
checkout "$tip" || true
log "all gates done in $((SECONDS - t_all)) s, of which $(awk '{ s += $1 } END { print s + 0 }' "$WK/lock-wait" 2>/dev/null || echo 0) s waiting for $LOCK"
echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
