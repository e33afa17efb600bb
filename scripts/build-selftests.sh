#!/usr/bin/env bash
# Build the dmabuf-heaps kselftests (every program the Makefile's lib.mk install/emit_tests
# know about) statically against the UAPI headers of the kernel build NAME, plus the static
# guest helpers in selftests/*.c.
#
# usage: build-selftests.sh [-t TREE_DIR] [NAME]     (NAME as for build-kernel.sh)
# Output: $CACHE/build/NAME-selftests/dmabuf-heaps/ (tests, list in tests.list)
#         $CACHE/build/NAME-selftests/helpers/      (selftests/*.c)
. "$(dirname "$0")/lib.sh"
STAGE=selftests

tree_and_name selftests "$@"
O=$BUILD/$name
OUT=$BUILD/$name-selftests
slog=$LOGDIR/selftests-$name.log
tdir=$src/tools/testing/selftests/dmabuf-heaps
[ -f "$tdir/Makefile" ] || die selftests "no $tdir/Makefile"

need_pkgs build-essential rsync libc6-dev binutils

rm -rf "$OUT"
mkdir -p "$OUT/obj" "$OUT/dmabuf-heaps" "$OUT/helpers"
tm() { timeout -k 10 600 make "$@"; }
{
	tm -C "$src" O="$O" ARCH=x86_64 headers_install &&
	tm -C "$tdir" OUTPUT="$OUT/obj" KHDR_INCLUDES="-isystem $O/usr/include" \
		INSTALL_PATH="$OUT/dmabuf-heaps" install &&
	tm -s -C "$tdir" OUTPUT="$OUT/obj" COLLECTION=dmabuf-heaps emit_tests >"$OUT/emit_tests"
} >"$slog" 2>&1 || die selftests "selftest build failed" "$slog"

# tests.list: the programs the guest runs, in Makefile order. All must be static executables.
sed -n 's/^dmabuf-heaps://p' "$OUT/emit_tests" >"$OUT/dmabuf-heaps/tests.list"
[ -s "$OUT/dmabuf-heaps/tests.list" ] || die selftests "the Makefile lists no test programs" "$slog"
while read -r t; do
	f=$OUT/dmabuf-heaps/$t
	[ -x "$f" ] || die selftests "$t was not built" "$slog"
	if is_dynamic "$f"; then
		die selftests "$t is dynamically linked; the guest has no libc" "$slog"
	fi
done <"$OUT/dmabuf-heaps/tests.list"

for c in "$REPO"/selftests/*.c; do
	[ -f "$c" ] || continue
	h=$(basename "$c" .c)
	timeout 300 gcc -static -O2 -Wall -pthread -isystem "$O/usr/include" -I"$src/tools/testing/selftests" \
		-o "$OUT/helpers/$h" "$c" >>"$slog" 2>&1 || die selftests "helper $h does not build" "$slog"
done
log "tests: $(tr '\n' ' ' <"$OUT/dmabuf-heaps/tests.list")helpers: $(ls "$OUT/helpers" | tr '\n' ' ')"
