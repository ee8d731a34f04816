#!/bin/bash
# kill -9 of the application with the interface up and traffic flowing
# both ways: the interface goes away, the pinned memory is released, rmmod
# works and the kernel log stays clean (checked by vmrun).
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix kill)

for round in 1 2 3; do
	echo "== round $round"
	app_start /tmp/app.log "${EAL[@]}" -- --carrier-up --inject 100000000 \
		--inject-size 256 --inject-pps 20000 --count-udp-port 7000
	ip addr add 192.0.2.1/24 dev vEth0
	ip link set vEth0 up
	ping -q -c 2 -W 5 192.0.2.2 >/dev/null || fail "ping before the kill"
	"$B/udp_sink" --send 1000000 --size 512 --to 192.0.2.2 --port 7000 --pps 20000 \
		>/tmp/flood.log 2>&1 &
	flood=$!
	sleep 2
	kill -USR1 "$APP_PID"
	sleep 0.3
	rx=$(if_stat vEth0 rx_packets) tx=$(if_stat vEth0 tx_packets)
	[ "$rx" -gt 1000 ] && [ "$tx" -gt 1000 ] || fail "no traffic flowing: rx $rx tx $tx"
	ok "flowing: vEth0 rx_packets $rx tx_packets $tx, app injected $(stat /tmp/app.log injected)"
	kill9_app
	gone vEth0 5
	ok "killed by SIGKILL, vEth0 gone"
	flood_stop "$flood" /tmp/flood.log
done
grep -q '^rte_kni ' /proc/modules || fail "module not loaded?"
rmmod rte_kni || fail "rmmod rte_kni"
ok "rmmod rte_kni after three kill -9"
