#!/bin/bash
# Who may use /dev/kni: with the shipped udev rules applied by udevd (over
# a wider rule an administrator might add), a user other than root cannot
# open it; a root process that dropped CAP_NET_ADMIN keeps its open file
# but can neither register memory nor create interfaces (EPERM), nor map or
# release another file's interface.
# vmrun: -c 2 -m 1024
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh

# The VM's /etc is in RAM: the rules go where an administrator's would.
cp udev/90-rte-kni.rules /etc/udev/rules.d/ || fail "cannot install udev/90-rte-kni.rules"
cat >/etc/udev/rules.d/95-rte-kni-test-wide.rules <<'EOF2'
SUBSYSTEM=="misc", KERNEL=="kni", GROUP="users", MODE="0666"
EOF2
/lib/systemd/systemd-udevd --daemon >/tmp/udevd.log 2>&1 || { cat /tmp/udevd.log; fail "systemd-udevd"; }
udevadm trigger --action=add --settle /sys/class/misc/kni || fail "udevadm trigger"
mode=$(command stat -c %a /dev/kni) owner=$(command stat -c %U:%G /dev/kni)
ok "/dev/kni is $mode $owner"
[ "$((8#$mode & 8#007))" = 0 ] || fail "/dev/kni is accessible to others ($mode)"
if setpriv --reuid=65534 --regid=65534 --clear-groups "$B/kni_fault" open >/tmp/open.out 2>&1; then
	cat /tmp/open.out
	fail "uid 65534 opened /dev/kni"
fi
grep -q 'Permission denied' /tmp/open.out || { cat /tmp/open.out; fail "unexpected open result"; }
ok "uid 65534: $(cat /tmp/open.out)"

"$B/kni_fault" hold 1 owned >/tmp/hold.log 2>&1 &
hold=$!
APP_PIDS+=("$hold")
wait_line /tmp/hold.log '^ready' 60
"$B/kni_fault" nocap owned0 | tee /tmp/nocap.out || fail "a process without CAP_NET_ADMIN got further"
[ -e /sys/class/net/owned0 ] || fail "owned0 gone"
kill -TERM "$hold"
wait "$hold" || fail "hold exited $?"
ops=$(( $(grep -c '^nocap: ' /tmp/nocap.out) + 1 ))
refused=$(( $(grep '^nocap: ' /tmp/nocap.out | grep -vc ': ok$') + 1 ))
row "ops=$ops rejected=$refused dropped=0"
