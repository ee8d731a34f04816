#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run by tests/pkg/deb inside a VM (tests/vm/vmrun -n 1), with rte-kni's
# Debian packages installed on the host, whose root the VM sees:
#
#   modprobe loads the modules DKMS installed for this kernel, with VERSION;
#   udev (started here) keeps /dev/kni and igb_uio's /dev/uioN root only
#   even against a broader rule, which wins once the package's rules are
#   masked, and marks KNI interfaces NM_UNMANAGED; the program built with
#   pkg-config against librte-kni-dev ($RTE_KNI_BIN/kni_testapp) passes
#   traffic both ways through the DKMS module; dpdk-kni from
#   rte-kni-examples creates vEth0 and answers a request.
#
# Environment: RTE_KNI_VERSION, RTE_KNI_UDEV_RULES (the installed rules
# file), RTE_KNI_BIN (kni_testapp and udp_sink).
. tests/vm/kni_case.sh
RTE_KNI_MODDIR=/lib/modules/$(uname -r)/updates/dkms
. tests/vm/igb_uio_case.sh
NIC0=0000:00:08.0

# perms FILE: "mode owner group" (kni_case.sh's stat is another thing).
perms()
{
	command stat -c '%a %U %G' "$1"
}

# retrigger: udev re-reads the rules and replays "add" for both nodes.
retrigger()
{
	udevadm control --reload || fail "udevadm control --reload"
	udevadm trigger --action=add --settle /sys/class/misc/kni "/sys/class/uio/$uio" ||
		fail "udevadm trigger"
}

echo "== modprobe the DKMS modules"
modprobe rte_kni || fail "modprobe rte_kni"
modprobe igb_uio || fail "modprobe igb_uio"
for m in rte_kni igb_uio; do
	f=$(modinfo -n "$m")
	[[ $f = "$RTE_KNI_MODDIR/$m.ko"* ]] || fail "modprobe $m took $f, not DKMS's"
	ok "$m from $f"
	expect_eq "/sys/module/$m/version" "$(cat "/sys/module/$m/version")" "$RTE_KNI_VERSION"
done
grep -q '^uio ' /proc/modules || fail "uio not loaded with igb_uio"
ok "uio loaded as igb_uio's dependency"

echo "== udev rules ($RTE_KNI_UDEV_RULES)"
bind "$NIC0" igb_uio
uio=$(uio_of "$NIC0")
ok "$NIC0 bound to igb_uio: /dev/$uio"
/lib/systemd/systemd-udevd --daemon >/tmp/udevd.log 2>&1 || { cat /tmp/udevd.log; fail "systemd-udevd"; }
# What an administrator or another package might add (the VM's /etc is
# in RAM): world-writable nodes for a group.
cat >/etc/udev/rules.d/95-rte-kni-test-wide.rules <<'EOF'
SUBSYSTEM=="misc", KERNEL=="kni", GROUP="users", MODE="0666"
SUBSYSTEM=="uio", GROUP="users", MODE="0666"
EOF
retrigger
expect_eq "/dev/kni with a wider rule after the package's" "$(perms /dev/kni)" "600 root root"
expect_eq "/dev/$uio with a wider rule after the package's" "$(perms "/dev/$uio")" "600 root root"
# The same file name in /etc masks the package's rules: the wide rule wins.
: >"/etc/udev/rules.d/${RTE_KNI_UDEV_RULES##*/}"
retrigger
expect_eq "/dev/kni with the package's rules masked" "$(perms /dev/kni)" "666 root users"
expect_eq "/dev/$uio with the package's rules masked" "$(perms "/dev/$uio")" "666 root users"
rm "/etc/udev/rules.d/${RTE_KNI_UDEV_RULES##*/}"
retrigger
expect_eq "/dev/kni with the package's rules back" "$(perms /dev/kni)" "600 root root"
expect_eq "/dev/$uio with the package's rules back" "$(perms "/dev/$uio")" "600 root root"
rm /etc/udev/rules.d/95-rte-kni-test-wide.rules

echo "== traffic through the DKMS module, with the pkg-config-built program"
app_start /tmp/app.log --no-pci --vdev=net_null0 -l 0 --file-prefix pkg -- \
	--carrier-up --inject 200 --inject-size 256 --count-udp-port 7000
udevadm settle
props=$(udevadm info -q property /sys/class/net/vEth0)
grep -qx 'ID_NET_DRIVER=rte_kni' <<<"$props" || { echo "$props"; fail "no ID_NET_DRIVER=rte_kni on vEth0"; }
grep -qx 'NM_UNMANAGED=1' <<<"$props" || { echo "$props"; fail "vEth0 is not NM_UNMANAGED=1"; }
ok "udev: vEth0 has ID_NET_DRIVER=rte_kni and NM_UNMANAGED=1"
traffic_check /tmp/app.log 200 256
app_stop "$APP_PID" /tmp/app.log
gone vEth0

echo "== dpdk-kni (rte-kni-examples)"
/usr/bin/dpdk-kni -l 0 --no-pci --vdev=net_null0 --file-prefix ex -- \
	-p 0x1 --config="(0,0,0)" >/tmp/kni.log 2>&1 &
KNI_PID=$!
APP_PIDS+=("$KNI_PID")
wait_line /tmp/kni.log '^kni: (forwarding|failed)' 120
grep -q '^kni: forwarding' /tmp/kni.log || { cat /tmp/kni.log; fail "dpdk-kni did not start"; }
[ -e /sys/class/net/vEth0 ] || fail "dpdk-kni made no vEth0"
ip link set vEth0 up || { cat /tmp/kni.log; fail "ip link set vEth0 up (dpdk-kni)"; }
ok "dpdk-kni: vEth0 up through its request path"
kill -TERM "$KNI_PID"
rc=0
wait "$KNI_PID" || rc=$?
[ "$rc" = 0 ] || { cat /tmp/kni.log; fail "dpdk-kni exited $rc"; }
gone vEth0
ok "dpdk-kni stopped (SIGTERM), exit 0, vEth0 gone"

rmmod igb_uio rte_kni || fail "rmmod igb_uio rte_kni"
ok "rmmod igb_uio rte_kni"
