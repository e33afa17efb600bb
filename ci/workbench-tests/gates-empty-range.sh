#!/usr/bin/env bash
# A per-patch gate must FAIL, not SKIP, when the series file lists patches but the range holds no
# commit (the series was not applied: apply-series.sh failed or never ran), and SKIP only when the
# series file lists none. On a fake kernel tree whose series branch is the base.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/fixture.sh"
name="gates: an unapplied series fails the per-patch gates instead of skipping them"
problems=()
for listed in yes no; do
	want=FAIL
	if [ "$listed" = yes ]; then echo "0001-a-patch.patch" >"$FX/series"; else : >"$FX/series"; want=SKIP; fi
	out=$(cd "$WB" && timeout 120 ci/gate-upstream.sh -t "$K" -r "$BASE_TAG..series" -g "checkpatch build" 2>&1) || true
	for g in checkpatch build; do
		line=$(grep -m1 "^gate $g:" <<<"$out" || true)
		echo "# series lists a patch: $listed: ${line:-no verdict line for $g}"
		[[ $line == "gate $g: $want "* ]] || problems+=("listed=$listed: want $g $want, got '${line:-nothing}'")
	done
done
report "$name"
