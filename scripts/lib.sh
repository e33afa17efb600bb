# shellcheck shell=bash
# Common settings for the workbench scripts. Source it, do not run it.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DMABUF_CACHE:-$HOME/.cache/dmabuf-heaps-series}
TREE=${DMABUF_TREE:-$CACHE/linux}
LOGDIR=${DMABUF_LOGS:-$CACHE/logs}
BASE_TAG=v7.3.4-debian
BASE_VERSION=7.3.4-1~bpo13+1
BASE_DEB=linux-source-7.3_${BASE_VERSION}_all.deb
BASE_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
# The commit that import_tree makes of that tarball: the same id on every machine.
BASE_COMMIT=fe283a6b2d5101365c1b6383b37452cc9dd28d06
# The upstream tag that $BASE_TAG is based on (Debian's tarball of it, with Debian's patches).
UPSTREAM_TAG=v7.3.4
BRANCH=${DMABUF_BRANCH:-series}
SERIES=${DMABUF_SERIES:-$REPO/series}
PATCHES=${DMABUF_PATCHES:-$REPO/patches}
BUILD=$CACHE/build
# One kernel build at a time on this machine (build-kernel.sh, and other scripts, take it).
LOCK=${DMABUF_LOCK:-$BUILD/.lock}
JOBS=${JOBS:-$(nproc)}
# The workbench's own git identity: the base import, the series branch, the revision tags and the
# gates' scratch commits are build inputs, not submissions, and a fresh machine has no identity.
WB_NAME="dmabuf-heaps workbench" WB_EMAIL=workbench@localhost

mkdir -p "$CACHE" "$LOGDIR" "$BUILD"

log() { printf '[%s] %s\n' "${STAGE:-main}" "$*" >&2; }

# die STAGE MESSAGE [LOGFILE]: one line that names the stage and its log.
die() {
	local stage=$1 msg=$2 logf=${3:-}
	if [ -n "$logf" ] && [ -f "$logf" ]; then
		echo "---- last 30 lines of $logf ----" >&2
		tail -n 30 "$logf" >&2
		echo "----" >&2
		printf 'FAIL stage=%s: %s (log: %s)\n' "$stage" "$msg" "$logf" >&2
	else
		printf 'FAIL stage=%s: %s\n' "$stage" "$msg" >&2
	fi
	exit 1
}

# Under pipefail, "cmd | grep -q RE" and "x=$(cmd | head -n1)" fail at random: grep or head
# exits at the first match, and cmd dies of SIGPIPE when it writes its next line (bash's echo
# writes line by line). Match captured text with a here-string (grep -q RE <<<"$out"), and
# take a first match with "sed -n '/RE/{s//NEW/p;q}'" or "grep -m1 RE FILE", not "| head -n1".

# is_dynamic FILE: FILE is an ELF executable with a program interpreter (needs a libc).
is_dynamic() {
	case $(readelf -l "$1" 2>/dev/null) in *INTERP*) return 0 ;; esac
	return 1
}

# your_ident DIR: your identity, "Name <email>": DMABUF_AUTHOR, else git config user.name and
# user.email as seen in DIR (either may be empty).
your_ident() {
	echo "${DMABUF_AUTHOR:-"$(git -C "$1" config user.name || true) <$(git -C "$1" config user.email || true)>"}"
}
# ident_ok IDENT: IDENT is "Name <user@host>" with a name.
ident_ok() { case $1 in ?*' <'?*@?*'>') [ -n "${1%% <*}" ] ;; *) false ;; esac; }

# need_pkgs PKG...: apt-get install what is missing (bookworm only).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
		*' ok installed') ;;
		*) missing+=("$p") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	local alog=$LOGDIR/apt.log
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
	if ! { timeout 600 $SUDO apt-get update -q &&
	       DEBIAN_FRONTEND=noninteractive timeout 1200 $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$alog" 2>&1; then
		die apt "apt-get refused to install: ${missing[*]}" "$alog"
	fi
}

# tree_dirty DIR: print what is modified or untracked (ignored files too: Debian's
# .gitignore ignores everything at the top level). Empty output = clean.
tree_dirty() {
	git -C "$1" status --porcelain --untracked-files=no
	git -C "$1" ls-files --others --directory | sed 's/^/?? /'
	if [ -d "$(git -C "$1" rev-parse --absolute-git-dir)/rebase-apply" ]; then echo "git am in progress"; fi
}

# series_patches: the patch files named in $SERIES (quilt style), one per line.
series_patches() {
	[ -f "$SERIES" ] || return 0
	awk '{ sub(/#.*/, "") } NF { print $1 }' "$SERIES"
}

# tree_and_name STAGE ARGS...: the "[-t TREE_DIR] [NAME]" arguments of a build step: src (the
# tree, default $TREE) and name (see build_name).
tree_and_name() {
	local stage=$1 opt OPTIND=1
	shift
	src=$TREE
	while getopts t: opt; do
		case $opt in
		t) src=$(cd "$OPTARG" && pwd) ;;
		*) die "$stage" "usage: $0 [-t TREE_DIR] [NAME]" ;;
		esac
	done
	shift $((OPTIND - 1))
	build_name "${1:-}"
}
# build_name [NAME]: name = NAME, default "series" for $TREE, else the basename of $src.
build_name() { if [ "$src" = "$TREE" ]; then name=${1:-series}; else name=${1:-$(basename "$src")}; fi; }

# stage_time NAME SECONDS: record a stage duration for the summary.
stage_time() { printf '%s %s\n' "$1" "$2" >>"${STAGE_TIMES:-$LOGDIR/stage-times}"; }

# import_tree DIR: make DIR (an unpacked source tree with no .git) a git repository with one
# commit of everything in it, and print that commit's id. The id depends only on the files:
# identity, dates and message are fixed, and no user or system git configuration is read, so
# every machine gets the same id from the same tarball.
import_tree() {
	local d=$1
	(
		cd "$d" || exit 1
		export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent TZ=UTC LC_ALL=C
		export GIT_AUTHOR_NAME="$WB_NAME" GIT_AUTHOR_EMAIL="$WB_EMAIL"
		export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
		export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
		git init -q -b base &&
		git config core.autocrlf false &&
		git config core.filemode true &&
		git config core.symlinks true &&
		git config user.useConfigOnly false &&
		# Debian's top-level .gitignore ends in '/*': force-add everything.
		git add -f -A . >/dev/null &&
		git -c commit.gpgsign=false commit -q --no-verify \
			-m "Linux 7.3.4 (Debian linux-source-7.3 $BASE_VERSION)" &&
		git rev-parse HEAD
	)
}

# ---- kernel builds: build-kernel.sh, ci/gates, bench.sh ----

# build_lock: take $LOCK, one kernel build at a time on this machine whoever starts it, on fd 9
# until build_unlock or the end of the process. Waits at most DMABUF_LOCK_TIMEOUT s, else
# returns 1. LOCK_WAITED: the seconds it waited.
build_lock() {
	local t=$SECONDS
	exec 9>"$LOCK"
	if ! flock -n 9; then
		log "waiting for $LOCK (another kernel build is running)"
		flock -w "${DMABUF_LOCK_TIMEOUT:-3600}" 9 || { exec 9>&-; return 1; }
	fi
	LOCK_WAITED=$((SECONDS - t))
}
build_unlock() { flock -u 9 2>/dev/null || true; exec 9>&-; }

# kbuild_env SRC: ccache (DMABUF_CCACHE) and a fixed build identity, with the date of SRC's HEAD
# as the build time stamp: the same source gives the same kernel, and ccache hits.
kbuild_env() {
	export CCACHE_DIR=${DMABUF_CCACHE:-$CACHE/ccache} CCACHE_BASEDIR=$CACHE
	export KBUILD_BUILD_USER=dmabuf KBUILD_BUILD_HOST=workbench
	KBUILD_BUILD_TIMESTAMP=$(git -C "$1" log -1 --format=%cd 2>/dev/null || true)
	export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-2026-01-01}
}

# kmake SRC O ARCH MAKEARGS...: make in kernel tree SRC into O with ccache'd gcc (ARCH=um: an
# x86_64 UML kernel), bounded by DMABUF_BUILD_TIMEOUT.
kmake() {
	local src=$1 o=$2 arch=$3
	shift 3
	[ "$arch" != um ] || set -- SUBARCH=x86_64 "$@"
	timeout -k 30 "${DMABUF_BUILD_TIMEOUT:-2400}" make -C "$src" O="$o" ARCH="$arch" CC="ccache gcc" "$@"
}

# kconfig [-k REV] [-u FRAGMENT]... SRC O ARCH BASE FRAGMENT...: configure build O of tree SRC:
# make BASE (tinyconfig, defconfig), merge the -u fragments and the FRAGMENTs, make olddefconfig,
# then check that every option the FRAGMENTs ask for is set as asked ("=m" is met by "=y"; the
# -u fragments are not checked). -k REV: skip symbols that no Kconfig file defines at REV (a
# patch before the one that adds them). Prints make's output, and on a miss a last line
# "options not set as requested: SYM=want(got:have) ...". Returns 1 if make failed, 2 on a miss.
# An unchanged .config keeps its time stamp, so make does not even run syncconfig.
kconfig() {
	local OPTIND=1 opt rev="" unchecked=() src o arch base miss sym want have
	while getopts k:u: opt; do
		case $opt in
		k) rev=$OPTARG ;;
		u) unchecked+=("$OPTARG") ;;
		*) return 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	src=$1 o=$2 arch=$3 base=$4
	shift 4
	mkdir -p "$o"
	[ ! -f "$o/.config" ] || cp -p "$o/.config" "$o/.config.prev"
	kmake "$src" "$o" "$arch" "$base" &&
		"$src/scripts/kconfig/merge_config.sh" -m -O "$o" "$o/.config" "${unchecked[@]}" "$@" &&
		kmake "$src" "$o" "$arch" olddefconfig || return 1
	if [ -f "$o/.config.prev" ] && cmp -s "$o/.config" "$o/.config.prev"; then touch -r "$o/.config.prev" "$o/.config"; fi
	miss=$(cat "$@" | awk -v cfg="$o/.config" '
		BEGIN { while ((getline l < cfg) > 0) {
			if (l ~ /^CONFIG_/) { split(l, kv, "="); have[kv[1]] = substr(l, length(kv[1]) + 2) }
		} }
		/^CONFIG_/ { split($0, kv, "="); want = substr($0, length(kv[1]) + 2)
			if (have[kv[1]] != want && !(want == "m" && have[kv[1]] == "y"))
				printf "%s\t%s\t%s\n", kv[1], want, have[kv[1]] == "" ? "unset" : have[kv[1]] }
		/^# CONFIG_.* is not set/ { if (have[$2] != "" && have[$2] != "n") printf "%s\tn\t%s\n", $2, have[$2] }' |
		while IFS=$'\t' read -r sym want have; do
			if [ -n "$rev" ] && ! git -C "$src" grep -q -E "^[[:space:]]*(menu)?config ${sym#CONFIG_}[[:space:]]*$" "$rev" -- '*Kconfig*'; then
				continue
			fi
			printf '%s=%s(got:%s) ' "$sym" "$want" "$have"
		done) || return 1
	[ -z "$miss" ] || { echo "options not set as requested: ${miss% }"; return 2; }
}

# Kernel messages that mean the kernel is unwell: boot-test.sh looks for them in printk lines
# (with a time stamp, so that test output cannot fake one), bench.sh in the UML console. Lockdep's
# reports (kernel/locking/lockdep.c) are named one by one, not by a bare "lockdep", which would
# match PROVE_RCU's banner "rcu: RCU lockdep checking is enabled." Most of them also start with
# "WARNING:" or "BUG:"; "INFO: lockdep is turned off." means an earlier problem switched lockdep
# off; "turning off the locking correctness validator" (a lockdep table too small) is KERN_DEBUG,
# seen only with ignore_loglevel. "bad: " is UML's "scheduling from the idle thread" panic.
LOCKDEP_RE='possible circular locking dependency|possible recursive locking|inconsistent lock state|possible irq lock inversion|-unsafe lock order detected|suspicious RCU usage|bad unlock balance|held lock freed|still has locks held|lock held when returning to user space|Nested lock was not taken|Invalid wait context|chain_key collision|INFO: lockdep is turned off|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator'
SPLAT_RE="WARNING:|BUG:|Oops|Kernel panic|KASAN|UBSAN|$LOCKDEP_RE|INFO: task .* blocked|hung task|kmemleak: .* new suspected memory leaks|unreferenced object|Call Trace:|^bad: "

# commit_patches GIT_DIR PARENT DIR PATCH...: apply the mails DIR/PATCH... one after the other on
# top of commit PARENT, as "git am" would (subject + body, the mail's author and date), without a
# work tree and without the repository's index (a private index), and print the last commit's
# id. The committer is fixed (the workbench, at the author's date) and no user or system git
# configuration is read, so the same patches give the same ids on every machine. Objects go into
# GIT_DIR; no ref is changed. Fails, naming the patch, if one does not apply.
commit_patches() {
	local gd=$1 parent=$2 dir=$3 tmp p rc=0
	shift 3
	tmp=$(mktemp -d)
	(
		export GIT_DIR=$gd GIT_INDEX_FILE=$tmp/index GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
		export HOME=/nonexistent TZ=UTC LC_ALL=C
		export GIT_COMMITTER_NAME="$WB_NAME" GIT_COMMITTER_EMAIL="$WB_EMAIL"
		parent=$(git rev-parse -q --verify "$parent^{commit}") || { echo "no commit $2" >&2; exit 1; }
		git read-tree "$parent" || exit 1
		for p in "$@"; do
			git mailinfo -u "$tmp/msg" "$tmp/patch" <"$dir/$p" >"$tmp/info" || { echo "$p: not a mail" >&2; exit 1; }
			GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$tmp/info")
			GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$tmp/info")
			GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$tmp/info")
			GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
			export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
			git apply --cached "$tmp/patch" >&2 || { echo "patch $p does not apply" >&2; exit 1; }
			parent=$({ sed -n 's/^Subject: //p' "$tmp/info"; echo; cat "$tmp/msg"; } | git stripspace |
				git commit-tree "$(git write-tree)" -p "$parent") || exit 1
		done
		echo "$parent"
	) || rc=$?
	rm -rf "$tmp"
	return "$rc"
}

# variants.conf: the boot variants of scripts/run.sh and scripts/boot-test.sh -v (QEMU machine,
# kernel command line, the kselftest cases that must run there).
VARIANTS_CONF=${DMABUF_VARIANTS_CONF:-$REPO/variants.conf}
# variants_get VARIANT KEY: the values of KEY (qemu, cmdline, require) of VARIANT, one a line;
# nothing if the variant or the key is not defined.
variants_get() {
	[ -f "$VARIANTS_CONF" ] || return 0
	git config -f "$VARIANTS_CONF" --get-all "variant.$1.$2" || true
}
# variants_list: the names of the variants defined in variants.conf, in file order.
variants_list() {
	[ -f "$VARIANTS_CONF" ] || return 0
	git config -f "$VARIANTS_CONF" --name-only --list | sed -n 's/^variant\.\(.*\)\.[^.]*$/\1/p' | awk '!seen[$0]++'
}
