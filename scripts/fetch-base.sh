#!/usr/bin/env bash
# Fetch Debian's linux-source-7.3 (pinned version and sha256) from trixie-backports with a
# private apt configuration, unpack it into the cache and make a git repo with one tagged base
# commit. Nothing from trixie-backports is installed. Idempotent.
. "$(dirname "$0")/lib.sh"
STAGE=fetch

have=$(git -C "$TREE" rev-parse -q --verify "refs/tags/$BASE_TAG^{commit}" 2>/dev/null || true)
if [ "$have" = "$BASE_COMMIT" ]; then
	log "base tree ready: $TREE ($BASE_TAG)"
	exit 0
fi

need_pkgs ca-certificates git xz-utils

APTDIR=$CACHE/apt
DEBDIR=${DMABUF_DEBS:-$CACHE/debs}
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$DEBDIR"
cat >"$APTDIR/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie-backports main
SRC
APTOPT=(-o "Dir::Etc::sourcelist=$APTDIR/sources.list" -o Dir::Etc::sourceparts=/nonexistent
	-o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR" -o "Dir::Cache::archives=$APTDIR/archives"
	-o "Dir::State::status=/var/lib/dpkg/status" -o APT::Get::List-Cleanup=0
	-o Acquire::Retries=2 -o Acquire::http::Timeout=60)

deb=$DEBDIR/$BASE_DEB
flog=$LOGDIR/fetch.log
if [ ! -f "$deb" ] || ! echo "$BASE_SHA256  $deb" | sha256sum -c --status; then
	rm -f "$deb"
	log "downloading linux-source-7.3=$BASE_VERSION from trixie-backports"
	{ timeout 600 apt-get "${APTOPT[@]}" update &&
	  (cd "$DEBDIR" && timeout 1200 apt-get "${APTOPT[@]}" download "linux-source-7.3=$BASE_VERSION"); } >"$flog" 2>&1 ||
		die fetch "linux-source-7.3 $BASE_VERSION cannot be downloaded from trixie-backports" "$flog"
	# apt-get download escapes ':' and '~' in file names; normalise.
	f=$(ls "$DEBDIR"/linux-source-7.3_*_all.deb 2>/dev/null | sed -n 1p)
	[ -n "$f" ] || die fetch "apt-get download produced no .deb" "$flog"
	[ "$f" = "$deb" ] || mv "$f" "$deb"
fi
echo "$BASE_SHA256  $deb" | sha256sum -c --status ||
	die fetch "sha256 mismatch for $BASE_DEB (expected $BASE_SHA256, got $(sha256sum "$deb" | cut -d' ' -f1))"

log "unpacking"
tmp=$CACHE/unpack.$$
rm -rf "$tmp"; mkdir -p "$tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./usr/src/ ||
	die fetch "cannot unpack $deb"
tarball=$(ls "$tmp"/usr/src/linux-source-7.3*.tar.* | sed -n 1p)
[ -n "$tarball" ] || die fetch "no source tarball inside $deb"
rm -rf "$TREE.new"; mkdir -p "$TREE.new"
tar -xf "$tarball" -C "$TREE.new" --strip-components=1 || die fetch "cannot unpack $tarball"
rm -rf "$tmp"

id=$(import_tree "$TREE.new") || die fetch "cannot make the base commit in $TREE.new"
[ "$id" = "$BASE_COMMIT" ] ||
	die fetch "the import of $BASE_DEB gave commit $id, not the pinned $BASE_COMMIT (lib.sh)"
git -C "$TREE.new" tag "$BASE_TAG" "$id"
cd "$CACHE"
if [ -e "$TREE" ]; then
	# An older, non-reproducible import: keep it aside (it may hold someone's branches).
	old=$TREE.old-$(date +%s)
	mv "$TREE" "$old"
	log "moved the previous tree (its $BASE_TAG was not $BASE_COMMIT) to $old"
fi
mv "$TREE.new" "$TREE"
log "base tree ready: $TREE ($BASE_TAG = $BASE_COMMIT)"
