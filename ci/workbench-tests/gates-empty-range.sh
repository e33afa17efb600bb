#!/usr/bin/env bash
# A gate that checks the series (per patch, or built or booted at its tip) must FAIL, not SKIP
# or PASS, when the series file lists patches but the range holds no commit (the series was not
# applied: apply-series.sh failed or never ran), and SKIP only when the series file lists none.
# Built on the base, modules and i386 used to PASS about code they never saw. The same when the
# series is applied only in part. On a fake kernel tree.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/fixture.sh"
name="gates: an unapplied or partly applied series fails every gate that checks the series, instead of skipping or passing it"
problems=()
# Every gate that checks the series: per patch, or built or booted at its tip.
GATES="checkpatch commitmsg kerneldoc coccicheck build w1 sparse modules i386 debug-boot fault-inject"
# expect CASE VERDICT TEXT: in $out, every gate of $GATES said VERDICT with TEXT in its detail (a
# FAIL must be for the right reason: a build of the fake tree fails too, for another).
expect() {
	local g line
	for g in $GATES; do
		line=$(grep -m1 "^gate $g:" <<<"$out" || true)
		echo "# $1: ${line:-no verdict line for $g}"
		[[ $line == "gate $g: $2 "*"$3"* ]] || problems+=("$1: want $g $2${3:+ ($3)}, got '${line:-nothing}'")
	done
}
for listed in yes no; do
	if [ "$listed" = yes ]; then echo "0001-a-patch.patch" >"$FX/series"; else : >"$FX/series"; fi
	out=$(cd "$WB" && timeout 120 ci/gate-upstream.sh -t "$K" -r "$BASE_TAG..series" -g "$GATES" 2>&1) || true
	if [ "$listed" = yes ]; then expect "series lists a patch" FAIL "the series is not applied"
	else expect "series lists no patch" SKIP ""; fi
done
# A partly applied series (git am stopped at the second patch and kept the first): every gate
# FAILs, naming the count, instead of checking the first patch alone.
printf '0001-a-patch.patch\n0002-b-patch.patch\n' >"$FX/series"
fx_git checkout -q -B series "$BASE_TAG"
echo "int c;" >>"$K/drivers/foo/bar.c"
fx_git commit -q -am "foo: the first patch"
out=$(cd "$WB" && timeout 120 ci/gate-upstream.sh -r "$BASE_TAG..series" -g "$GATES" 2>&1) || true
expect "1 of 2 patches applied" FAIL "lists 2 patch(es): the series is not applied as listed"
report "$name"
