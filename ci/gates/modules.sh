#!/usr/bin/env bash
# Gate modules: DMABUF_HEAPS_SYSTEM=m (kernel-config/gates/modules.config) at the tip: every heap
# object set to m is a .ko with license and description, modpost prints no warning or error, and
# the touched files compile without warnings.
. "$(dirname "$0")/lib.sh"
need_commits    # built on an unapplied series, it would test the base
t0=$SECONDS L=$GLOG/modules.log rc=0
with_lock series_build x86_64-m x86_64 "$REPO/kernel-config/gates/modules.config" vmlinux modules || rc=$?
bl=$GLOG/x86_64-m.build.log o=$BUILD/gates-x86_64-m probs=() kos=""
{
	echo "build rc=$rc (log: $bl)"
	grep -E '(WARNING|ERROR): modpost:' "$bl" || echo "modpost: no warnings or errors"
} >"$L"
if [ "$rc" -ne 0 ]; then probs+=("build failed: $(build_error "$bl")")
else
	mp=$(grep -cE '(WARNING|ERROR): modpost:' "$bl" || true)
	[ "$mp" -eq 0 ] || probs+=("$mp modpost warning(s)/error(s)")
	tw=$(touched_warnings "$bl")
	[ -z "$tw" ] || { probs+=("$(echo "$tw" | wc -l) compiler warning(s) in touched files"); echo "$tw" >>"$L"; }
	# Every heap object set to =m must be a module, with license and description.
	while read -r sym obj; do
		[ "$(sed -n "s/^$sym=//p" "$o/.config")" = m ] || continue
		ko=$o/drivers/dma-buf/heaps/$obj.ko
		if [ ! -f "$ko" ]; then probs+=("$obj.ko not built"); continue; fi
		kos="$kos $obj.ko"
		for fld in license description; do
			[ -n "$(modinfo -F "$fld" "$ko" 2>/dev/null)" ] || probs+=("$obj.ko has no MODULE_${fld^^}")
		done
		echo "$obj.ko: $(modinfo -F description "$ko"); imports: $(modinfo -F import_ns "$ko" | tr '\n' ' ')" >>"$L"
	done < <(sed -n -E 's/^obj-\$\((CONFIG_[A-Z0-9_]+)\)[[:space:]]*\+=[[:space:]]*([A-Za-z0-9_-]+)\.o.*/\1 \2/p' "$GW/drivers/dma-buf/heaps/Makefile")
	[ -n "$kos" ] || probs+=("no heap modules built")
fi
if [ ${#probs[@]} -gt 0 ]; then verdict FAIL "$(joined ';' "${probs[@]}"), $((SECONDS - t0)) s"
else verdict PASS "DMABUF_HEAPS_SYSTEM=m:$kos, modpost clean, $((SECONDS - t0)) s"; fi
