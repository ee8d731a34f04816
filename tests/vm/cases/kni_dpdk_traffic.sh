#!/bin/bash
# A DPDK application (net_null vdev, hugepages, IOVA=PA) creates vEth0:
# address and up through the request path; 1000 UDP frames injected by the
# application reach a socket on 192.0.2.1 (count and payload checked); ping
# 192.0.2.2, answered by the application, loses nothing; 1000 frames sent
# by the kernel reach the application (count and payload checked).  Then
# the same at MTU 9000, through chained mbufs both ways.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix traffic)

echo "== MTU 1500, 1000 frames each way"
app_start /tmp/app1.log "${EAL[@]}" -- --carrier-up --inject 1000 --inject-size 512 \
	--count-udp-port 7000
traffic_check /tmp/app1.log 1000 512
app_stop "$APP_PID" /tmp/app1.log
gone vEth0
ok "vEth0 gone when the application exited"

echo "== MTU 9000: 2048-byte mbufs, so 5-segment chains both ways"
app_start /tmp/app2.log "${EAL[@]}" -- --carrier-up --inject 200 --inject-size 8972 \
	--count-udp-port 7000
ip link set vEth0 mtu 9000 || fail "ip link set vEth0 mtu 9000"
wait_line /tmp/app2.log '^cb change_mtu port=0 mtu=9000$'
ok "application's change_mtu callback saw 9000"
traffic_check /tmp/app2.log 200 8972
app_stop "$APP_PID" /tmp/app2.log
gone vEth0
rmmod rte_kni
ok "rmmod rte_kni"
