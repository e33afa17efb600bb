# The workbench's entry points, for the inner loop (README.md, "A quick inner loop").
#
#   make run                      the main command, scripts/run.sh
#   make check                    the test command, ci/check.sh
#   make apply                    scripts/apply-series.sh: the cache tree's branch series = base +
#                                 the patches of series (a no-op when they did not change)
#   make gates G="checkpatch w1"  upstream gates by name (ci/gate-upstream.sh; all without G), on
#                                 the series as patches/ has it now (it runs make apply first)
#   make boot [T=TREE] [V=VARIANT] [TESTS=a,b]
#                                 build TREE's kernel, selftests and initramfs (default: the cache
#                                 tree's branch series, applied first) and boot one variant of
#                                 variants.conf; TESTS runs only those programs (their required
#                                 cases waived)
#   make bench                    scripts/bench.sh
#   make export [T=TREE]          scripts/export-patches.sh: patches/ and series from TREE
#   make workbench | b4           the gates "workbench" (self-tests) and "b4" alone
#
# T must be an absolute path (make -C changes directory first): T="$PWD" in a worktree.
SHELL := /bin/bash
T ?=
V ?= default
G ?=
TESTS ?=
tree_opt = $(if $(T),-t $(T))
name = $(if $(T),$(notdir $(T:%/=%)),series)

.PHONY: help run check apply gates build boot bench export workbench b4
help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile

run:
	scripts/run.sh

check:
	ci/check.sh

apply:
	scripts/apply-series.sh

gates: apply
	ci/gate-upstream.sh $(G)

build: $(if $(T),,apply)
	scripts/build-kernel.sh $(tree_opt) $(name)

boot: build
	scripts/build-selftests.sh $(tree_opt) $(name)
	scripts/make-initramfs.sh $(tree_opt) $(name)
	scripts/boot-test.sh -v $(V) $(if $(TESTS),-a wb.tests=$(TESTS) -R -) $(name)

bench:
	scripts/bench.sh

export:
	scripts/export-patches.sh $(T)

workbench:
	ci/gate-workbench.sh

b4:
	ci/gate-b4.sh
