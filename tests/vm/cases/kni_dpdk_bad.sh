#!/bin/bash
# A DPDK application handing the kernel malformed mbufs: descriptors outside
# registered memory, data_len beyond the buffer, cyclic next chains and
# pkt_len disagreeing with the segments.  Each one is dropped and counted
# in the interface's rx_errors (not also in rx_dropped: ip -s link and
# ethtool -S agree one to one), the application keeps working, good frames
# still get through, and the kernel log stays clean.  The raw-ABI variants
# (kernel addresses, nb_segs lies, data_off beyond buf_len, ...) are in
# kni_abi.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix bad)
n=50

for kind in outside len cycle pktlen; do
	echo "== --bad=$kind"
	app_start /tmp/app.log "${EAL[@]}" -- --carrier-up --bad=$kind --bad-count $n \
		--inject 100 --inject-size 128
	ip addr add 192.0.2.1/24 dev vEth0
	"$B/udp_sink" --bind 192.0.2.1 --port 9000 --count 100 --size 128 --timeout 60 \
		>/tmp/sink.log 2>&1 &
	sink=$!
	wait_line /tmp/sink.log '^udp_sink: ready'
	ip link set vEth0 up
	wait "$sink" || { cat /tmp/sink.log; fail "good frames after bad ones"; }
	ok "$(tail -n 1 /tmp/sink.log)"
	for i in $(seq 50); do
		[ "$(if_stat vEth0 rx_errors)" -ge $n ] && break
		sleep 0.1
	done
	expect_eq "rx_errors after $n --bad=$kind mbufs" "$(if_stat vEth0 rx_errors)" $n
	ethtool -S vEth0 | grep -E 'rx_bad|rx_too' | tr -s ' ' | tr '\n' ' '
	echo
	# an error, not also a drop
	expect_eq "rx_dropped after $n --bad=$kind mbufs" "$(if_stat vEth0 rx_dropped)" 0
	stats_one_to_one vEth0
	app_stop "$APP_PID" /tmp/app.log
	expect_eq "bad mbufs the application injected" "$(stat /tmp/app.log bad_injected)" $n
	gone vEth0
done
rmmod rte_kni
ok "rmmod rte_kni"
