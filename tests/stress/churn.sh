#!/bin/bash
# Create and delete interfaces one after another on one /dev/kni, with the
# kernel's unreclaimable slab and MemAvailable measured before and after:
# growth must stay bounded (a leak of a few hundred bytes per interface
# would show as megabytes).
# vmrun: -c 2 -m 1536 -t 1800
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
n=$(scale 200 10000)

"$B/kni_fault" churn 100 >/dev/null || fail "warm-up churn"
settle
slab0=$(meminfo SUnreclaim) avail0=$(meminfo MemAvailable)
cp /proc/meminfo /tmp/meminfo.0
"$B/kni_fault" churn "$n" | tee /tmp/churn.out || fail "kni_fault churn $n"
settle
slab1=$(meminfo SUnreclaim) avail1=$(meminfo MemAvailable)
# Where memory went, for the record: the fields that moved by 64 kB or more.
awk 'NR == FNR { a[$1] = $2; next } ($2 - a[$1] >= 64 || a[$1] - $2 >= 64) {
	printf "meminfo: %s %d -> %d kB\n", $1, a[$1], $2 }' /tmp/meminfo.0 /proc/meminfo
dslab=$((slab1 - slab0)) davail=$((avail0 - avail1))
ok "SUnreclaim $slab0 -> $slab1 kB ($dslab), MemAvailable $avail0 -> $avail1 kB ($((avail1 - avail0)))"
((dslab < 2048)) || fail "unreclaimable slab grew by $dslab kB over $n interfaces"
((davail < 16384)) || fail "MemAvailable fell by $davail kB over $n interfaces"
[ -z "$(ls /sys/class/net | grep '^churn')" ] || fail "churn interfaces left"
rmmod rte_kni || fail "rmmod rte_kni"
ok "rmmod rte_kni"
row "ops=$((2 * n)) rejected=0 dropped=0 interfaces=$n $(sed -n 's/^churn: .*\(secs=[0-9.]*\)/\1/p' /tmp/churn.out) slab_kb=$dslab avail_kb=$((avail1 - avail0))"
