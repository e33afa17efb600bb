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
build_name "${1:-}"
O=$BUILD/$name
blog=$LOGDIR/build-$name.log
[ -f "$src/Makefile" ] || die build "no kernel tree at $src"

need_pkgs build-essential flex bison bc libelf-dev libssl-dev rsync cpio kmod python3 ccache

# Two cores are shared: one kernel build at a time, whoever starts it.
mkdir -p "$O"
build_lock || die build "timed out waiting for $LOCK (another build)"
[ "$clean" = 0 ] || { rm -rf "$O"; mkdir -p "$O"; }
kbuild_env "$src"

log "configuring $O from $src"
kconfig -u "$src/kernel/configs/kvm_guest.config" "$src" "$O" x86_64 tinyconfig \
	"$REPO"/kernel-config/*.config "${extra[@]}" "$src/tools/testing/selftests/dmabuf-heaps/config" >"$blog" 2>&1 ||
	die config "kernel configuration failed: $(tail -n 1 "$blog")" "$blog"

log "building bzImage (log: $blog)"
start=$SECONDS
kmake "$src" "$O" x86_64 -j"$JOBS" bzImage >>"$blog" 2>&1 || die build "kernel build failed" "$blog"
log "built $O/arch/x86/boot/bzImage ($(cat "$O/include/config/kernel.release")) in $((SECONDS - start)) s"
