#!/usr/bin/env bash
# Print the path of a sparse that the kernel accepts (scripts/checker-valid.sh: it must know
# __typeof_unqual__), building it if needed. Exit 1 with the reason on stderr if there is none.
#
# Bookworm's sparse 0.6.4 is too old for 7.3. The binary package of a newer sparse in Debian sid
# needs glibc 2.38 (__isoc23_strtoul), bookworm has 2.36, so it cannot run here. Its Debian source
# package can: we fetch it with a private apt configuration (nothing from sid is installed, as
# scripts/fetch-base.sh does for the kernel), check its sha256, and build the sparse binary with
# bookworm's gcc into $CACHE/tools/sparse/. Idempotent; the result is cached.
. "$(dirname "$0")/../scripts/lib.sh"
STAGE=sparse

# Pinned: Debian's sparse source package, version and sha256 of its files (from the .dsc).
SPARSE_VERSION=0.6.5~rc1-2
SPARSE_UPSTREAM=0.6.5~rc1
SPARSE_SHA256="3ac8855ec7f3ab92f325be0f64347ccc2b10f8b4d7c2906783ee8e2bdab3f0de  sparse_0.6.5~rc1.orig.tar.gz
0774bf1317531a03ccf5ebe1a3efa4140f2d7a8f17c823033493697fe6eb4b00  sparse_0.6.5~rc1-2.debian.tar.xz"

out=$CACHE/tools/sparse
bin=$out/sparse
slog=$LOGDIR/get-sparse.log
valid() { [ -x "$bin" ] && [ "$("$TREE/scripts/checker-valid.sh" "$bin" --arch=x86_64 -mlittle-endian -m64 2>/dev/null)" = 1 ]; }
if valid; then echo "$bin"; exit 0; fi

need_pkgs dpkg-dev gcc make xz-utils
src=$CACHE/src-sparse
APTDIR=$CACHE/apt-sparse
mkdir -p "$src" "$APTDIR/lists/partial" "$APTDIR/archives/partial"
cat >"$APTDIR/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
SRC
APTOPT=(-o "Dir::Etc::sourcelist=$APTDIR/sources.list" -o Dir::Etc::sourceparts=/nonexistent
	-o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR" -o "Dir::Cache::archives=$APTDIR/archives"
	-o "Dir::State::status=/var/lib/dpkg/status" -o APT::Get::List-Cleanup=0 -o Acquire::Languages=none
	-o Acquire::Retries=2 -o Acquire::http::Timeout=60
	# The archive this machine reaches may be older than its clock, and sid's Release is valid for
	# a week only: apt then refuses it as expired (seen on a fresh machine). Its signature is still
	# checked, and the pinned source's sha256 below.
	-o Acquire::Check-Valid-Until=false)
# fetch_build: download (unless the pinned files are there and intact), check, unpack, build.
# It runs as a background job and is waited for: on the left of "||" (or in an "if") bash
# ignores set -e in the whole block, and a failing "sha256sum -c" would not stop the build.
fetch_build() {
	set -euo pipefail
	cd "$src"
	if ! (echo "$SPARSE_SHA256" | sha256sum -c --status 2>/dev/null); then
		timeout 600 apt-get "${APTOPT[@]}" update
		# The pinned version if sid still has it, else sid's current one (apt checks it
		# against the signed Sources index; we then build whatever that is).
		timeout 600 apt-get "${APTOPT[@]}" source --download-only "sparse=$SPARSE_VERSION" ||
			timeout 600 apt-get "${APTOPT[@]}" source --download-only sparse
	fi
	dsc=$(ls -t sparse_*.dsc | sed -n 1p)
	[ -n "$dsc" ] || { echo "no sparse_*.dsc after apt-get source"; return 1; }
	ver=${dsc#sparse_}; ver=${ver%.dsc}
	if [ "$ver" = "$SPARSE_VERSION" ]; then
		echo "$SPARSE_SHA256" | sha256sum -c || { echo "sha256 mismatch for the pinned sparse $SPARSE_VERSION"; return 1; }
	else
		echo "sid has sparse $ver now, not the pinned $SPARSE_VERSION"
	fi
	rm -rf "$src/build"
	dpkg-source -x --no-check "$dsc" "$src/build"
	# Debian's use-gcc-NN.patch names a gcc that bookworm lacks; bookworm's gcc builds it.
	timeout 900 make -C "$src/build" -j"$JOBS" CC=gcc HAVE_LLVM=no HAVE_SQLITE=no HAVE_LIBXML=no HAVE_GTK=no sparse
	mkdir -p "$out"
	install -m 755 "$src/build/sparse" "$bin.new"
	mv "$bin.new" "$bin"
	echo "$ver" >"$out/debian-version"
}
rc=0
fetch_build >"$slog" 2>&1 &
wait $! || rc=$?
[ "$rc" -eq 0 ] || { echo "cannot fetch or build sparse from Debian sid's source package: $(tail -n 1 "$slog") (log: $slog)" >&2; exit 1; }
valid || { echo "the sparse built from Debian sid's source ($(cat "$out/debian-version")) is rejected by scripts/checker-valid.sh (log: $slog)" >&2; exit 1; }
echo "$bin"
