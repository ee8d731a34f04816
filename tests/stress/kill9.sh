#!/bin/bash
# kill -9 of the application with traffic flowing both ways, again and
# again: every time the interface is gone within 5 s; afterwards the
# pinned hugepages are free again, rmmod works and the kernel log is clean.
# vmrun: -c 2 -m 1536 -a hugepages=256 -t 1800
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
cycles=$(scale 5 100)
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix kill9)

rx_total=0 tx_total=0
for ((c = 1; c <= cycles; c++)); do
	app_start /tmp/app.log "${EAL[@]}" -- --carrier-up --inject 100000000 \
		--inject-size 256 --inject-pps 20000 --count-udp-port 7000
	ip addr add 192.0.2.1/24 dev vEth0
	ip link set vEth0 up
	"$B/udp_sink" --send 100000000 --size 256 --to 192.0.2.2 --port 7000 --pps 20000 \
		>/tmp/flood.log 2>&1 &
	flood=$!
	for i in $(seq 50); do
		sleep 0.1
		rx=$(if_stat vEth0 rx_packets) tx=$(if_stat vEth0 tx_packets)
		((rx > 200 && tx > 200)) && break
	done
	((rx > 200 && tx > 200)) || fail "cycle $c: no traffic flowing: rx $rx tx $tx"
	kill9_app
	gone vEth0 5
	flood_stop "$flood" /tmp/flood.log
	rx_total=$((rx_total + rx)) tx_total=$((tx_total + tx))
	((c % 10 == 0 || c == cycles)) && ok "cycle $c: killed with rx_packets $rx tx_packets $tx flowing"
	rm -f /dev/hugepages/kill9* 2>/dev/null
done
# Every hugepage the applications had pinned is free again.
settle
free=$(meminfo HugePages_Free) total=$(meminfo HugePages_Total)
expect_eq "free hugepages after $cycles kills" "$free" "$total"
rmmod rte_kni || fail "rmmod rte_kni"
ok "rmmod rte_kni after $cycles kill -9"
row "ops=$cycles rejected=0 dropped=0 rx_frames=$rx_total tx_frames=$tx_total hugepages_free=$free/$total"
