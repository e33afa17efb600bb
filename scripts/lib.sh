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
# The upstream tag whose tree $BASE_TAG is (Debian's tarball of it, without Debian's patches).
UPSTREAM_TAG=v7.3.4
BRANCH=${DMABUF_BRANCH:-series}
SERIES=${DMABUF_SERIES:-$REPO/series}
PATCHES=${DMABUF_PATCHES:-$REPO/patches}
BUILD=$CACHE/build
# One kernel build at a time on this machine (build-kernel.sh, and other scripts, take it).
LOCK=${DMABUF_LOCK:-$BUILD/.lock}
JOBS=${JOBS:-$(nproc)}

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
		export GIT_AUTHOR_NAME="dmabuf-heaps workbench" GIT_AUTHOR_EMAIL="workbench@localhost"
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
