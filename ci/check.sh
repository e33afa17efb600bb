#!/usr/bin/env bash
# The test command: run every gate in order, print one verdict line per gate, and end with one
# totals line "N passed, N failed, N skipped". A gate is a command whose output's last line is
# such a totals line and whose exit status is 0 when it passes. Gates: "run" is scripts/run.sh,
# any other NAME is ci/gate-NAME.sh. To add a gate: write ci/gate-NAME.sh, append NAME below.
#
# DMABUF_GATES overrides the list, e.g. DMABUF_GATES=workbench ci/check.sh
. "$(dirname "$0")/../scripts/lib.sh"
STAGE=check
gates=${DMABUF_GATES:-run workbench b4 upstream}
pass=0 fail=0 skip=0 verdicts=()
t_all=$SECONDS

for g in $gates; do
	if [ "$g" = run ]; then cmd=$REPO/scripts/run.sh; else cmd=$REPO/ci/gate-$g.sh; fi
	glog=$LOGDIR/gate-$g.log
	echo "==== gate $g: $cmd"
	t0=$SECONDS rc=0
	if [ -x "$cmd" ]; then "$cmd" 2>&1 | tee "$glog" || rc=$?; else echo "no gate script $cmd" | tee "$glog"; rc=1; fi
	counts=$(tail -n 1 "$glog" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p')
	read -r p f s <<<"${counts:-0 0 0}"
	# A failing gate without a failed count still counts as one failure.
	[ "$rc" -eq 0 ] || [ "${f:-0}" -gt 0 ] || f=1
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
	if [ "$rc" -eq 0 ] && [ -n "$counts" ]; then v=PASS; else v=FAIL; fi
	verdicts+=("gate $g: $v ($glog, $((SECONDS - t0)) s)")
	echo "${verdicts[-1]}"
done

echo "==== check done in $((SECONDS - t_all)) s"
printf '%s\n' "${verdicts[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
