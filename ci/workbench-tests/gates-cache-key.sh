#!/usr/bin/env bash
# The cached per-patch results of the upstream gates (build/w1/sparse) must not outlive a change
# to the code that made them. On a fake kernel tree (no kernel build, a few seconds a run): a patch
# moves an existing W=1 warning down a line, which the normalisation (no line numbers) does not
# count as new, so w1 PASSes and a second run takes it from the cache. Then, in a copy of the
# workbench: norm keeps line numbers, so the moved warning is new: w1 must FAIL at once, not stay
# a cached PASS. And any edit to diags, wfiles, the Kconfig check, scripts/lib.sh or the config
# fragment must make the next run rebuild, not say "cached".
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/fixture.sh"
name="gates: the per-patch result cache key covers the code and config that make the results"
printf 'int z;\n' | cat - "$K/drivers/foo/bar.c" >"$K/bar.tmp" && mv "$K/bar.tmp" "$K/drivers/foo/bar.c"
fx_commit "dma-buf: heaps: move the warning down a line"
problems=()
# w1 WANT-VERDICT WANT-CACHED(yes|no) LABEL: run gate w1 on the fake series and check its line.
w1() {
	local out line rc=0
	out=$(cd "$WB" && timeout 120 ci/gate-upstream.sh -t "$K" -r "$BASE_TAG..series" -g w1 2>&1) || rc=$?
	line=$(grep -m1 '^gate w1:' <<<"$out" || true)
	echo "# $3: $line"
	[[ $line == "gate w1: $1 "* ]] || { problems+=("$3: want w1 $1, got '${line:-rc=$rc}'"); tail -n 5 <<<"$out" | sed 's/^/#   /'; }
	if [[ $line == *"patch(es) cached"* ]]; then [ "$2" = yes ] || problems+=("$3: stale result from the cache")
	else [ "$2" = no ] || problems+=("$3: not cached"); fi
}
# edit_fn FUNCTION: change the text of FUNCTION's definition wherever the workbench copy has it.
edit_fn() {
	local f
	f=$(grep -rlE "^$1\(\) \{" "$WB/scripts" "$WB/ci" | sed -n 1p)
	[ -n "$f" ] || return 1
	sed -i -E "s/^$1\(\) \{/$1() { : edited;/" "$f"
}
w1 PASS no "first run"
w1 PASS yes "second run"
# norm, keeping line numbers ("file:L3:" is not stripped): the moved warning is new.
f=$(grep -rlE '^norm\(\) \{' "$WB/scripts" "$WB/ci" | sed -n 1p)
python3 - "$f" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("\nnorm() {", "\nnorm() { sed -E 's/^([^: ]+):([0-9]+):/\\1:L\\2:/' | norm_v1; }\nnorm_v1() {", 1)
open(p, "w").write(s)
EOF
w1 FAIL no "norm keeps line numbers"
for fn in diags wfiles; do
	if edit_fn "$fn"; then w1 FAIL no "$fn edited"; else problems+=("no function $fn() in the workbench"); fi
done
edit_fn cfg_missing || edit_fn kconfig || problems+=("no Kconfig check (cfg_missing or kconfig) in the workbench")
w1 FAIL no "Kconfig check edited"
echo "# a comment" >>"$WB/scripts/lib.sh"
echo "# a comment" >>"$WB/kernel-config/gates/x86_64.config"
w1 FAIL no "scripts/lib.sh and the config fragment edited"

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: $(IFS=';'; echo "${problems[*]}")"
	exit 1
fi
