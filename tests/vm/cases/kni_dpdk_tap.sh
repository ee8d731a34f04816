#!/bin/bash
# Callbacks that change kernel interfaces themselves: the application's
# port is a net_tap (dtap0); its up/down and MTU callbacks change the port
# (rtnl, which ip(8) holds while it changes vEth0), and the library's
# default MAC handler sets the port's MAC (rtnl and the kernel's MAC
# address lock).  Each ip link change of vEth0 returns well under a second
# and the tap follows.  request_timeout_ms refuses values beyond 10 s.
# vmrun: -c 2 -m 1536 -a hugepages=256 -P tun
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_tap0,iface=dtap0 -l 0 --file-prefix tap)

# quick WHAT CMD...: run CMD, which must succeed within a second.
quick()
{
	local what=$1 start ms
	shift
	start=${EPOCHREALTIME/./}
	"$@" || fail "$what: '$*' failed"
	ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
	((ms < 1000)) || fail "$what took $ms ms"
	ok "$what: $ms ms"
}

app_start /tmp/app.log "${EAL[@]}" -- --port 0 --lib-defaults --port-callbacks
quick "up" ip link set vEth0 up
wait_line /tmp/app.log '^port 0 link up: 0$'
ip -o link show dtap0 | grep -q '<[^>]*,UP' || fail "dtap0 is not up: $(ip -o link show dtap0)"
ok "dtap0 up"
quick "MTU 1400" ip link set vEth0 mtu 1400
wait_line /tmp/app.log '^port 0 mtu 1400: 0$'
expect_eq "vEth0 MTU" "$(cat /sys/class/net/vEth0/mtu)" 1400
expect_eq "dtap0 MTU" "$(cat /sys/class/net/dtap0/mtu)" 1400
quick "MAC 02:00:00:00:00:21" ip link set vEth0 address 02:00:00:00:00:21
wait_mac vEth0 02:00:00:00:00:21
wait_mac dtap0 02:00:00:00:00:21
quick "down" ip link set vEth0 down
wait_line /tmp/app.log '^port 0 link down: 0$'
app_stop "$APP_PID" /tmp/app.log
gone vEth0

echo "== request_timeout_ms is bounded"
p=/sys/module/rte_kni/parameters/request_timeout_ms
if echo 60000 >"$p" 2>/dev/null; then fail "request_timeout_ms=60000 accepted"; fi
expect_eq "request_timeout_ms after 60000 was refused" "$(cat "$p")" 3000
echo 10000 >"$p" || fail "request_timeout_ms=10000 refused"
echo 3000 >"$p"
ok "10000 accepted, 60000 refused"
rmmod rte_kni
ok "rmmod rte_kni"
