#!/usr/bin/env bash
# A boot variant fails unless the kselftest cases it exists for ran and passed: boot-test.sh -P
# (canned console logs, no QEMU) with a temporary variants.conf whose variant "vt" requires
# prog/alpha and prog/beta. prog's KTAP is nested in the kselftest runner's ("# ok 2 beta"). All
# ran: PASS. beta skipped ("# ok 2 # SKIP beta: why" and "# ok 2 beta # SKIP why"), beta missing,
# beta failed, or the whole program skipped: FAIL stage=test naming beta. The same for a program
# the guest ran directly (GUEST-TEST-BEGIN/END). The runner's own result line ("ok 1 selftests:
# dmabuf-heaps: prog") is no case. A variant not in the file requires nothing; -R overrides the file. Then the real
# variants.conf: every variant that run.sh boots is defined there and requires at least one
# case. Before variants.conf, "numa" passed while numa_pools skipped.
. "$(dirname "$0")/../../scripts/lib.sh"
. "$(dirname "$0")/lib/canned-log.sh"
name="variants: a skipped or missing required case fails the variant"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f "$LOGDIR"/boot-series-selftest-vt*' EXIT
cat >"$tmp/variants.conf" <<'CONF'
[variant "selftest-vt"]
	qemu = -m 1G -smp 1
	cmdline = wb.selftest=1
	require = prog/alpha
	require = prog/beta
CONF
ktap="1..3
ok 1 alpha
ok 2 beta
ok 3 # SKIP gamma: not here
# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0"
canned_log "$tmp/base.log" "$ktap"
canned_log "$tmp/direct.log" "$ktap" direct
R='ok 1 selftests: dmabuf-heaps: prog'

problems=()
# expect LABEL WANT(PASS|stage) SED-EXPRESSION [TEXT the FAIL line must contain] [boot-test.sh options]
#        [VARIANT] [BASE LOG]
expect() {
	sed "$3" "$tmp/${7:-base}.log" >"$tmp/$1.log"
	local out rc=0 got v=${6:-selftest-vt}
	# shellcheck disable=SC2086 # $5: options, split on purpose
	out=$(DMABUF_VARIANTS_CONF=$tmp/variants.conf "$REPO/scripts/boot-test.sh" -P "$tmp/$1.log" -v "$v" ${5:-} 2>&1) || rc=$?
	got=$(sed -n '/^FAIL stage=\([a-z]*\):.*/{s//\1/p;q}' <<<"$out")
	[ "$rc" -eq 0 ] && got=PASS
	[ "$got" = "$2" ] || { echo "$out" | tail -n 3 | sed "s/^/# $1: /"; problems+=("$1: want $2, got ${got:-rc=$rc}"); }
	[ -z "${4:-}" ] || [[ $(grep '^FAIL stage=' <<<"$out") == *"$4"* ]] || problems+=("$1: FAIL line does not say '$4'")
}
expect all-ran PASS ''
expect skipped test 's/^# ok 2 beta$/# ok 2 # SKIP beta: single NUMA node/' 'required case prog/beta skipped (beta: single NUMA node)'
expect skipped-after test 's/^# ok 2 beta$/# ok 2 beta # SKIP no memcg/' 'required case prog/beta skipped (no memcg)'
expect missing test '/^# ok 2 beta$/d; s/^# 1\.\.3$/# 1..2/' 'required case prog/beta did not run'
expect prog-skipped test "/^# ok /d; s/^# 1\.\.3\$/# 1..0 # SKIP no heap/; s/^$R\$/$R # SKIP/" 'required case prog/alpha skipped (the whole program)'
expect failed test 's/^# ok 2 beta$/# not ok 2 beta/' 'test failures'
expect other-variant PASS 's/^# ok 2 beta$/# ok 2 # SKIP beta: why/' '' '' selftest-vt-undefined
expect override-none PASS 's/^# ok 2 beta$/# ok 2 # SKIP beta: why/' '' '-R -'
expect override-one test '' 'required case prog/gamma skipped' '-R prog/gamma'
# "selftests:" is the runner's result, not a case of prog.
expect runner-line test '' 'required case prog/selftests did not run' '-R prog/selftests'
# A program the guest ran itself.
expect direct-all-ran PASS '' '' '' '' direct
expect direct-skipped test 's/^ok 2 beta$/ok 2 beta # SKIP no memcg/' 'required case prog/beta skipped (no memcg)' '' '' direct
expect direct-missing test '/^ok 2 beta$/d; s/^1\.\.3$/1..2/' 'required case prog/beta did not run' '' '' direct
rm -f "$LOGDIR"/boot-series-selftest-vt*

# The real variants.conf: what run.sh boots is defined, with a machine and required cases.
vs=()
if declare -F variants_list >/dev/null; then
	mapfile -t vs < <(variants_list)
	[ ${#vs[@]} -gt 0 ] || problems+=("$VARIANTS_CONF defines no variant")
else
	problems+=("lib.sh has no variants_list: no variants.conf")
fi
for v in "${vs[@]}"; do
	[ -n "$(variants_get "$v" qemu)" ] || problems+=("variant $v has no qemu line")
	[ -n "$(variants_get "$v" require)" ] || problems+=("variant $v requires no case")
	bad=$(variants_get "$v" require | { grep -v '^[^/[:space:]]\+/[^/[:space:]]\+$' || true; })
	[ -z "$bad" ] || problems+=("variant $v: require lines not PROGRAM/CASE: $bad")
done

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name: ${problems[*]}"
	exit 1
fi
