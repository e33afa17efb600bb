#!/usr/bin/env bash
# Build and install the dmabuf-heaps kselftests the way a user does, statically against the UAPI
# headers of the kernel build NAME:
#   make -C tools/testing/selftests TARGETS=dmabuf-heaps install INSTALL_PATH=...
# which installs the programs, their settings and config, and the kselftest runner
# (run_kselftest.sh, kselftest-list.txt, kselftest/runner.sh). The guest runs that runner. Plus the
# static guest helpers in selftests/*.c.
#
# usage: build-selftests.sh [-t TREE_DIR] [NAME]     (NAME as for build-kernel.sh)
# Output: $CACHE/build/NAME-selftests/               the kselftest install dir (the guest's /tests):
#           run_kselftest.sh, kselftest-list.txt, kselftest/, dmabuf-heaps/ (+ tests.list)
#         $CACHE/build/NAME-selftests/helpers/       (selftests/*.c, the guest's /usr/local/bin)
#         $CACHE/build/NAME-selftests/obj/           (objects, not installed)
# On another machine running the patched kernel, copy the install dir (without helpers/ and obj/)
# and run: ./run_kselftest.sh -t dmabuf-heaps:dmabuf-heap-pool
. "$(dirname "$0")/lib.sh"
STAGE=selftests

tree_and_name selftests "$@"
O=$BUILD/$name
OUT=$BUILD/$name-selftests
slog=$LOGDIR/selftests-$name.log
sdir=$src/tools/testing/selftests
tdir=$sdir/dmabuf-heaps
[ -f "$tdir/Makefile" ] || die selftests "no $tdir/Makefile"

need_pkgs build-essential rsync libc6-dev binutils

rm -rf "$OUT"
mkdir -p "$OUT/obj" "$OUT/helpers"
tm() { timeout -k 10 600 make "$@"; }
# BUILD= keeps the objects out of the source tree and of the kernel build (the selftests'
# Makefile would put them into O=/kselftest); KHDR_INCLUDES= the UAPI headers of build NAME.
{
	tm -C "$src" O="$O" ARCH=x86_64 headers_install &&
	tm -C "$sdir" TARGETS=dmabuf-heaps BUILD="$OUT/obj" KHDR_INCLUDES="-isystem $O/usr/include" \
		INSTALL_PATH="$OUT" install
} >"$slog" 2>&1 || die selftests "selftest build failed" "$slog"
for f in run_kselftest.sh kselftest/runner.sh kselftest/ktap_helpers.sh kselftest-list.txt dmabuf-heaps/settings; do
	[ -s "$OUT/$f" ] || die selftests "the kselftest install has no $f" "$slog"
done

# tests.list: the programs of the runner's list, in Makefile order (the workbench checks them,
# and the guest falls back to running them one by one without run_kselftest.sh). All must be
# static executables.
sed -n 's/^dmabuf-heaps://p' "$OUT/kselftest-list.txt" >"$OUT/dmabuf-heaps/tests.list"
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
	timeout 300 gcc -static -O2 -Wall -pthread -isystem "$O/usr/include" -I"$sdir" \
		-o "$OUT/helpers/$h" "$c" >>"$slog" 2>&1 || die selftests "helper $h does not build" "$slog"
done
log "tests: $(tr '\n' ' ' <"$OUT/kselftest-list.txt")helpers: $(ls "$OUT/helpers" | tr '\n' ' ')"
