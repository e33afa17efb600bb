#!/usr/bin/env bash
# Gate i386: ARCH=i386 with HIGHMEM4G and without SMP, memcg and debugfs
# (kernel-config/gates/i386.config) at the tip: vmlinux links, the touched files build without
# warnings.
. "$(dirname "$0")/lib.sh"
need_commits    # built on an unapplied series, it would test the base
t0=$SECONDS L=$GLOG/i386.log rc=0
with_lock series_build i386 i386 "$REPO/kernel-config/gates/i386.config" vmlinux || rc=$?
bl=$GLOG/i386.build.log o=$BUILD/gates-i386 probs=()
echo "build rc=$rc (log: $bl)" >"$L"
if [ "$rc" -ne 0 ]; then probs+=("build failed: $(build_error "$bl")")
else
	tw=$(touched_warnings "$bl")
	[ -z "$tw" ] || { probs+=("$(echo "$tw" | wc -l) compiler warning(s) in touched files"); echo "$tw" >>"$L"; }
	for f in $ALLK; do case $f in *.c) [ -f "$o/${f%.c}.o" ] || probs+=("$f not built") ;; esac; done
fi
hm=$(sed -n 's/^CONFIG_HIGHMEM=//p' "$o/.config" 2>/dev/null || true)
mc=$(sed -n 's/^CONFIG_MEMCG=//p' "$o/.config" 2>/dev/null || true)
if [ ${#probs[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${probs[@]}"), $((SECONDS - t0)) s"
else verdict PASS "ARCH=i386 HIGHMEM=${hm:-n} MEMCG=${mc:-n} vmlinux builds, no warnings in touched files, $((SECONDS - t0)) s"; fi
