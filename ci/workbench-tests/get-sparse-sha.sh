#!/usr/bin/env bash
# ci/get-sparse.sh must stop when the pinned sparse source fails its sha256 check: nothing is
# unpacked, built or installed, and it exits 1 with its one-line reason. No download and no
# build: a temporary cache, a fake kernel tree (scripts/checker-valid.sh accepts anything), and a
# PATH shim whose apt-get "downloads" a corrupted orig tarball and whose dpkg-source and make
# only record that they ran (make leaves a fake "sparse"). Before the fix the whole fetch-and-
# build block sat on the left of "|| { ... }", where bash ignores set -e: the mismatch was
# printed and the corrupted source was built and installed anyway.
. "$(dirname "$0")/../../scripts/lib.sh"
name="get-sparse: a sha256 mismatch of the pinned source stops before unpacking"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/tree/scripts"
printf '#!/bin/sh\necho 1\n' >"$tmp/tree/scripts/checker-valid.sh"
cat >"$tmp/bin/apt-get" <<'SHIM'
#!/bin/sh
echo "apt-get $*" >>"$SHIMLOG"
case " $* " in
*" source "*)
	echo "corrupted" >sparse_0.6.5~rc1.orig.tar.gz
	echo "debian" >sparse_0.6.5~rc1-2.debian.tar.xz
	echo "dsc" >sparse_0.6.5~rc1-2.dsc ;;
esac
exit 0
SHIM
cat >"$tmp/bin/dpkg-source" <<'SHIM'
#!/bin/sh
echo "dpkg-source $*" >>"$SHIMLOG"
for a; do d=$a; done
mkdir -p "$d"
SHIM
cat >"$tmp/bin/make" <<'SHIM'
#!/bin/sh
echo "make $*" >>"$SHIMLOG"
[ "$1" = -C ] && printf '#!/bin/sh\nexit 0\n' >"$2/sparse" && chmod +x "$2/sparse"
exit 0
SHIM
chmod +x "$tmp"/bin/* "$tmp/tree/scripts/checker-valid.sh"
export SHIMLOG=$tmp/shim.log
: >"$SHIMLOG"
rc=0
out=$(PATH=$tmp/bin:$PATH DMABUF_CACHE=$tmp/cache DMABUF_TREE=$tmp/tree DMABUF_LOGS=$tmp/logs \
	"$REPO/ci/get-sparse.sh" 2>&1) || rc=$?
problems=()
[ "$rc" -ne 0 ] || problems+=("exit 0 (printed: $out)")
grep -q 'source --download-only' "$SHIMLOG" || problems+=("the shim's apt-get source never ran")
! grep -q '^dpkg-source\|^make' "$SHIMLOG" || problems+=("went on after the mismatch: $(grep '^dpkg-source\|^make' "$SHIMLOG" | tr '\n' ';')")
[ ! -e "$tmp/cache/tools/sparse/sparse" ] || problems+=("installed a sparse built from the corrupted source")
grep -q "^cannot fetch or build sparse.*sha256 mismatch" <<<"$out" || problems+=("no one-line reason naming the sha256 mismatch: $(tail -n 1 <<<"$out")")

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
