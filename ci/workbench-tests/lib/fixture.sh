# shellcheck shell=bash
# Fixtures of the workbench self-tests that run the gates or bench.sh without a kernel: a copy of
# the workbench under test (so a test may edit or stub parts of it), and a fake kernel tree whose
# Makefile answers the targets the workbench makes (tinyconfig, defconfig, olddefconfig, vmlinux,
# FILE.o, headers_install, and the UML "linux" binary) in a blink. Source it after scripts/lib.sh;
# it sets FX (a temporary directory, removed at exit), WB (the copy) and K (the fake tree), and
# points DMABUF_* at FX, so that nothing of the real cache is touched.
FX=$(mktemp -d)
trap 'rm -rf "$FX"' EXIT
WB=$FX/wb K=$FX/kernel
mkdir -p "$WB" "$K/drivers/foo" "$K/scripts/kconfig" "$K/usr"
cp -a "$REPO/scripts" "$REPO/ci" "$REPO/kernel-config" "$REPO/selftests" "$WB/"
export DMABUF_CACHE=$FX/cache DMABUF_TREE=$K DMABUF_LOGS=$FX/logs DMABUF_LOCK=$FX/build.lock DMABUF_CCACHE=$FX/ccache
export DMABUF_SERIES=$FX/series DMABUF_PATCHES=$FX/patches
: >"$FX/series"

cat >"$K/Makefile" <<'EOF'
# Fake kernel Makefile of the workbench self-tests (ci/workbench-tests/lib/fixture.sh).
O ?= .
MAKEFLAGS += -r
.DEFAULT_GOAL := all
Makefile: ;
.PHONY: FORCE tinyconfig defconfig olddefconfig vmlinux headers_install all
all:
	@mkdir -p $(O)/include/config
	@cp guest-stub.sh $(O)/linux && chmod +x $(O)/linux
	@echo 7.3.4-fake >$(O)/include/config/kernel.release
tinyconfig defconfig:
	@mkdir -p $(O)
	@echo CONFIG_FAKE=y >$(O)/.config
	@if [ -f pagepool ]; then echo CONFIG_DMABUF_HEAPS_PAGE_POOL=y >>$(O)/.config; fi
olddefconfig:
	@true
vmlinux:
	@for f in $$(find drivers -name '*.c'); do mkdir -p $(O)/$$(dirname $$f) && touch $(O)/$${f%.c}.o; done
	@touch $(O)/vmlinux
headers_install:
	@mkdir -p $(O)/usr/include
# A warning for every line of FILE.c that says WARN_ME.
%.o: FORCE
	@mkdir -p $(O)/$(dir $@)
	@awk '/WARN_ME/ { printf "%s:%d:5: warning: unused variable x [-Wunused-variable]\n", FILENAME, FNR }' $*.c >&2
	@touch $(O)/$@
FORCE:
EOF
cat >"$K/scripts/kconfig/merge_config.sh" <<'EOF'
#!/bin/sh
# Fake merge_config.sh -m -O DIR BASE FRAGMENT...: append the fragments.
shift 3
base=$1
shift
for f; do cat "$f" >>"$base"; done
EOF
chmod +x "$K/scripts/kconfig/merge_config.sh"
echo 'int main(void) { return 0; }' >"$K/usr/gen_init_cpio.c"
printf 'int a;\nint b;\nint WARN_ME;\n' >"$K/drivers/foo/bar.c"
# fx_git ARGS: git in the fake tree, with a fixed identity and no user configuration.
fx_git() {
	GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=Fixture GIT_AUTHOR_EMAIL=fx@localhost \
	GIT_COMMITTER_NAME=Fixture GIT_COMMITTER_EMAIL=fx@localhost git -C "$K" "$@"
}
fx_git init -q -b base
fx_git add -f -A .
fx_git commit -q -m "base"
fx_git tag "$BASE_TAG"
fx_git checkout -q -b series
# fx_commit SUBJECT: commit everything in the fake tree as a patch, and list it in the series file
# with its patch file, as apply-series.sh would have applied it (the gates check that the branch
# holds exactly the listed patches).
fx_commit() {
	local f
	fx_git add -f -A . && fx_git commit -q -m "$1" -m "Why, in three lines.
Line two.
Line three." -m "Signed-off-by: Fixture <fx@localhost>" || return 1
	mkdir -p "$FX/patches"
	f=$(fx_git format-patch -1 --start-number $(($(grep -c . "$FX/series" || true) + 1)) -o "$FX/patches" HEAD) || return 1
	basename "$f" >>"$FX/series"
}
# fx_bench_stub TEST: make the fake tree's UML "kernel" a stub for scripts/bench.sh's tests: a
# shell script that sets, as the benchmark reports them, k (the kernel release), ai (heap_free:on
# only when booted with init_on_free=1, as bench.sh's peer iof is) and df (yes when the
# deferred-free helper exists), then runs the lines on stdin. The base tag moves to the stub, and
# the series gets a page pool, so that bench.sh's patched kernel has the helper.
fx_bench_stub() {
	{
		printf '#!/bin/sh\n# Stub UML kernel (ci/workbench-tests/%s, lib/fixture.sh).\n' "$1"
		cat <<'EOF'
k=$(cat "$(dirname "$0")/include/config/kernel.release")
ai=heap_free:off df=no
case " $* " in *" init_on_free=1 "*) ai=heap_free:on ;; esac
grep -q '^CONFIG_DMABUF_HEAPS_PAGE_POOL=y' "$(dirname "$0")/.config" && df=yes
EOF
		cat
	} >"$K/guest-stub.sh"
	chmod +x "$K/guest-stub.sh"
	fx_git add -f guest-stub.sh && fx_git commit -q -m "stub guest" && fx_git tag -f "$BASE_TAG" >/dev/null
	touch "$K/pagepool"
	fx_commit "dma-buf: heaps: a page pool"
}
# report NAME: "ok - NAME", or "not ok - NAME: ..." from the array problems and exit 1.
report() {
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok - $1"
	else
		echo "not ok - $1: $(IFS=';'; echo "${problems[*]}")"
		exit 1
	fi
}
