#!/usr/bin/env bash
# Build the x86_64 guest kernel out of tree: tinyconfig + kvm_guest.config + kernel-config/*.config
# (+ any -x FRAGMENT), then check that every option our fragments and the dmabuf-heaps selftest
# config ask for really is set. Incremental (the O dir is reused) and ccache'd.
#
# usage: build-kernel.sh [-c] [-t TREE_DIR] [-x FRAGMENT]... [NAME]
#   -c   clean: start from an empty O dir (a cold build if ccache is cold too, see DMABUF_CCACHE)
#   NAME defaults to "series" for $TREE, else to the tree's directory name.
#   Output: $CACHE/build/NAME/arch/x86/boot/bzImage, log: $LOGDIR/build-NAME.log
. "$(dirname "$0")/lib.sh"
STAGE=build

src=$TREE extra=() clean=0
while getopts ct:x: opt; do
	case $opt in
	c) clean=1 ;;
	t) src=$(cd "$OPTARG" && pwd) ;;
	x) extra+=("$(realpath "$OPTARG")") ;;
	*) die build "usage: $0 [-c] [-t TREE_DIR] [-x FRAGMENT]... [NAME]" ;;
	esac
done
shift $((OPTIND - 1))
if [ "$src" = "$TREE" ]; then name=${1:-series}; else name=${1:-$(basename "$src")}; fi
O=$BUILD/$name
blog=$LOGDIR/build-$name.log
[ -f "$src/Makefile" ] || die build "no kernel tree at $src"

need_pkgs build-essential flex bison bc libelf-dev libssl-dev rsync cpio kmod python3 ccache

# Two cores are shared: one kernel build at a time, whoever starts it.
mkdir -p "$O"
exec 9>"$LOCK"
if ! flock -n 9; then
	log "waiting for $LOCK (another kernel build is running)"
	flock -w "${DMABUF_LOCK_TIMEOUT:-3600}" 9 || die build "timed out waiting for $LOCK (another build)"
fi
[ "$clean" = 0 ] || { rm -rf "$O"; mkdir -p "$O"; }

export CCACHE_DIR=${DMABUF_CCACHE:-$CACHE/ccache} CCACHE_BASEDIR=$CACHE
# Fixed build identity: same source, same bzImage, and ccache hits.
export KBUILD_BUILD_TIMESTAMP="$(git -C "$src" log -1 --format=%cd 2>/dev/null || echo 2026-01-01)"
export KBUILD_BUILD_USER=dmabuf KBUILD_BUILD_HOST=workbench
kmake() { timeout -k 30 "${DMABUF_BUILD_TIMEOUT:-2400}" make -C "$src" O="$O" ARCH=x86_64 CC="ccache gcc" "$@"; }

frags=("$REPO"/kernel-config/*.config "${extra[@]}")
selftest_cfg=$src/tools/testing/selftests/dmabuf-heaps/config
log "configuring $O from $src"
{
	kmake tinyconfig &&
	"$src/scripts/kconfig/merge_config.sh" -m -O "$O" "$O/.config" \
		"$src/kernel/configs/kvm_guest.config" "${frags[@]}" "$selftest_cfg" &&
	kmake olddefconfig
} >"$blog" 2>&1 || die config "kernel configuration failed" "$blog"

# Every CONFIG_ line we asked for must be in the final .config (=m is met by =y).
missing=$(cat "${frags[@]}" "$selftest_cfg" | awk -v cfg="$O/.config" '
	BEGIN { while ((getline l < cfg) > 0) {
		if (l ~ /^CONFIG_/) { split(l, kv, "="); have[kv[1]] = substr(l, length(kv[1]) + 2) }
	} }
	/^CONFIG_/ { split($0, kv, "="); want = substr($0, length(kv[1]) + 2)
		if (have[kv[1]] != want && !(want == "m" && have[kv[1]] == "y"))
			printf "%s=%s(got:%s) ", kv[1], want, have[kv[1]] == "" ? "unset" : have[kv[1]] }
	/^# CONFIG_.* is not set/ { if (have[$2] != "" && have[$2] != "n") printf "%s=n(got:%s) ", $2, have[$2] }')
[ -z "$missing" ] || die config "options not set as requested: ${missing% }" "$blog"

log "building bzImage (log: $blog)"
start=$SECONDS
kmake -j"$JOBS" bzImage >>"$blog" 2>&1 || die build "kernel build failed" "$blog"
log "built $O/arch/x86/boot/bzImage ($(cat "$O/include/config/kernel.release")) in $((SECONDS - start)) s"
