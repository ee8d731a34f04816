#!/bin/bash
# CREATE fails after the interface was registered: fail_function makes
# kni_poll_add, the one step after register_netdev, fail with ENOMEM while
# another process keeps bringing the interface up.  Every CREATE fails
# with that errno and leaves no interface and no memory behind (the kernel
# log scan, kmemleak and KASAN see the rest), and CREATE works again once
# the fault is gone.  Needs a kernel with fail_function: make stress
# KERNEL=debug.
# config: CONFIG_FAIL_FUNCTION
# vmrun: -c 2 -m 1536 -t 900
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
n=$(scale 50 1000)
ff=/sys/kernel/debug/fail_function

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug ||
	fail "cannot mount debugfs"
grep -qE '^kni_poll_add[[:space:]]' "$ff/injectable" ||
	fail "kni_poll_add is not injectable: $(grep -c . "$ff/injectable") functions are"

"$B/kni_fault" churn 20 >/dev/null || fail "warm-up churn"
settle
slab0=$(meminfo SUnreclaim)

echo kni_poll_add >"$ff/inject" || fail "cannot inject into kni_poll_add"
printf '%#x\n' -12 >"$ff/kni_poll_add/retval" || fail "cannot set the injected errno"
# verbose 0: no stack dump per injected failure; it would name our functions.
echo 100 >"$ff/probability" && echo 1 >"$ff/interval" && echo -1 >"$ff/times" &&
	echo 0 >"$ff/verbose" ||
	fail "cannot arm fail_function"
"$B/kni_fault" unwind "$n" 12 | tee /tmp/unwind.out || fail "kni_fault unwind $n"
echo >"$ff/inject" || fail "cannot clear fail_function"
ok "$n creates failed with ENOMEM after register_netdev, none left an interface"

"$B/kni_fault" churn 20 >/dev/null || fail "create after the fault was cleared"
ok "creating works again"
settle
slab1=$(meminfo SUnreclaim)
dslab=$((slab1 - slab0))
ok "SUnreclaim $slab0 -> $slab1 kB ($dslab)"
((dslab < 2048)) || fail "unreclaimable slab grew by $dslab kB over $n failed creates"
rmmod rte_kni || fail "rmmod rte_kni"
ok "rmmod rte_kni"
row "ops=$n rejected=$n dropped=0 $(sed -n 's/^unwind: .*\(secs=[0-9.]*\)/\1/p' /tmp/unwind.out) slab_kb=$dslab"
