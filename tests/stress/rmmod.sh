#!/bin/bash
# rmmod while a file is open is refused cleanly and works once it is
# closed; then the module is unloaded and loaded again, each time used.
# vmrun: -c 2 -m 1024 -t 1800
# modules: none
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
reloads=$(scale 10 100)
KO=$RTE_KNI_MODDIR/rte_kni.ko

insmod "$KO" || fail "insmod"
"$B/kni_fault" hold 1 held >/tmp/hold.log 2>&1 &
hold=$!
APP_PIDS+=("$hold")
wait_line /tmp/hold.log '^ready' 60
if rmmod rte_kni 2>/tmp/rmmod.err; then fail "rmmod with /dev/kni open succeeded"; fi
ok "rmmod refused while open: $(cat /tmp/rmmod.err)"
grep -q '^rte_kni ' /proc/modules || fail "module gone after a refused rmmod"
[ -e /sys/class/net/held0 ] || fail "held0 gone after a refused rmmod"
ip link set held0 down && ip link set held0 up || fail "held0 unusable after a refused rmmod"
ok "held0 still works"
kill -TERM "$hold"
wait "$hold" || { cat /tmp/hold.log; fail "hold exited $?"; }
rmmod rte_kni || fail "rmmod after close"
ok "rmmod after the file was closed"

for ((r = 1; r <= reloads; r++)); do
	insmod "$KO" || fail "insmod #$r"
	"$B/kni_fault" churn 1 >/dev/null || fail "churn after insmod #$r"
	rmmod rte_kni || fail "rmmod #$r"
done
ok "$reloads times insmod, create/release, rmmod"
row "ops=$((reloads * 2 + 2)) rejected=1 dropped=0 reloads=$reloads"
