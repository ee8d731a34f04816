#!/bin/bash
# Control requests reach the application's callbacks with the right
# values; a refused change leaves the kernel state alone (MTU: ip fails;
# MAC: ip returns at once, the refusal is logged); an application
# that never answers makes the command fail within request_timeout_ms
# (3 s); a secondary process can look the interface up and answer for it.
# ethtool -i, -g, -l and -k say what the interface is.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix req)

echo "== callbacks"
app_start /tmp/app.log "${EAL[@]}" --
ip link set vEth0 up
wait_line /tmp/app.log '^cb config_network_if port=0 up=1$'
ok "up -> config_network_if up=1"

echo "== ethtool -i, -g, -l, -k"
ethtool -i vEth0 >/tmp/ethtool.i
grep -qx 'driver: rte_kni' /tmp/ethtool.i && grep -qx "version: $(cat VERSION)" /tmp/ethtool.i ||
	{ cat /tmp/ethtool.i; fail "ethtool -i: not rte_kni $(cat VERSION)"; }
ok "ethtool -i: $(head -n 2 /tmp/ethtool.i | xargs)"
# the library's rings: 1024 slots each way
ethtool -g vEth0 >/tmp/ethtool.g
expect_eq "ethtool -g: RX and TX, maximum and current" \
	"$(awk '/^(RX|TX):/ { printf "%s%s ", $1, $2 }' /tmp/ethtool.g)" "RX:1024 TX:1024 RX:1024 TX:1024 "
if ethtool -G vEth0 rx 512 2>/dev/null; then fail "ethtool -G accepted"; fi
ok "ethtool -G refused: the application maps the rings"
expect_eq "ethtool -l: combined, maximum and current" \
	"$(awk '/^Combined:/ { printf "%s ", $2 }' < <(ethtool -l vEth0))" "1 1 "
ethtool -k vEth0 >/tmp/ethtool.k
grep -q '^scatter-gather: on' /tmp/ethtool.k && grep -q '^tx-checksumming: on' /tmp/ethtool.k ||
	{ cat /tmp/ethtool.k; fail "ethtool -k"; }
ok "ethtool -k: scatter-gather on, tx-checksumming on"
ip link set vEth0 mtu 1400
wait_line /tmp/app.log '^cb change_mtu port=0 mtu=1400$'
expect_eq "MTU after the application accepted" "$(cat /sys/class/net/vEth0/mtu)" 1400
ip link set vEth0 address 02:00:00:00:00:10
wait_line /tmp/app.log '^cb config_mac_address port=0 mac=02:00:00:00:00:10$'
wait_mac vEth0 02:00:00:00:00:10
ip link set vEth0 promisc on
wait_line /tmp/app.log '^cb config_promiscusity port=0 on=1$'
ok "promisc on -> config_promiscusity on=1"
ip link set vEth0 allmulticast on
wait_line /tmp/app.log '^cb config_allmulticast port=0 on=1$'
ok "allmulticast on -> config_allmulticast on=1"
ip link set vEth0 promisc off
wait_line /tmp/app.log '^cb config_promiscusity port=0 on=0$'
ok "promisc off -> config_promiscusity on=0"
ip link set vEth0 down
wait_line /tmp/app.log '^cb config_network_if port=0 up=0$'
ok "down -> config_network_if up=0"
app_stop "$APP_PID" /tmp/app.log
gone vEth0

echo "== refused changes"
app_start /tmp/app.log "${EAL[@]}" -- --refuse=mtu,mac
if out=$(ip link set vEth0 mtu 2000 2>&1); then fail "refused MTU change succeeded"; fi
echo "ip link set vEth0 mtu 2000: $out"
expect_eq "MTU after a refused change" "$(cat /sys/class/net/vEth0/mtu)" 1500
mac=$(cat /sys/class/net/vEth0/address)
# A MAC change does not wait (the kernel holds the MAC lock the application
# may need): ip succeeds, and the refusal leaves the address and says so.
dmesg -C
ip link set vEth0 address 02:00:00:00:00:11 || fail "MAC change not even asked"
wait_line /tmp/app.log '^cb config_mac_address port=0 mac=02:00:00:00:00:11$'
for i in $(seq 50); do
	dmesg | grep -q 'vEth0: the application refused MAC address 02:00:00:00:00:11' && break
	sleep 0.1
done
dmesg | grep -q 'vEth0: the application refused MAC address 02:00:00:00:00:11' ||
	{ dmesg | tail -n 5; fail "no refusal in the kernel log"; }
expect_eq "MAC after a refused change" "$(cat /sys/class/net/vEth0/address)" "$mac"
app_stop "$APP_PID" /tmp/app.log
gone vEth0

echo "== an application that never answers"
app_start /tmp/app.log "${EAL[@]}" -- --no-requests
start=${EPOCHREALTIME/./}
if out=$(ip link set vEth0 up 2>&1); then fail "up succeeded without an answer"; fi
ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
echo "ip link set vEth0 up: $out (${ms} ms)"
grep -q 'timed out' <<<"$out" || fail "error is not a timeout: $out"
# The kernel waits 3000 ms; the rest is ip's own time, which a debug
# kernel (VMRUN_TIME_SCALE) stretches.
slack=$((1500 * ${VMRUN_TIME_SCALE:-1}))
((ms > 2500 && ms < 3000 + slack)) || fail "took ${ms} ms, the bound is 3000 ms (+${slack} ms for ip itself)"
ok "failed with a timeout after ${ms} ms"
grep -q 'state DOWN' <(ip link show vEth0) || fail "vEth0 is not down"
ok "vEth0 still down"
if ip link set vEth0 mtu 3000 2>/dev/null; then fail "MTU change succeeded without an answer"; fi
expect_eq "MTU after an unanswered change" "$(cat /sys/class/net/vEth0/mtu)" 1500
grep -q 'request timed out' <(dmesg) && ok "kernel log: $(dmesg | grep -m1 'request timed out' | cut -c16-)"

echo "== a secondary process answers for the primary"
"$B/kni_testapp" --no-pci -l 1 --file-prefix req --proc-type=secondary -- \
	--no-data >/tmp/sec.log 2>&1 &
sec=$!
APP_PIDS+=("$sec")
wait_line /tmp/sec.log '^ready' 30
ip link set vEth0 up || fail "up through the secondary"
ok "ip link set vEth0 up answered by the secondary"
ip link set vEth0 mtu 1280 || fail "MTU through the secondary"
expect_eq "MTU set through the secondary" "$(cat /sys/class/net/vEth0/mtu)" 1280
app_stop "$sec" /tmp/sec.log
app_stop "$APP_PID" /tmp/app.log
gone vEth0
rmmod rte_kni
ok "rmmod rte_kni"
