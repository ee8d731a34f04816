#!/bin/bash
# The original KNI's loopback: with rte_kni.ko loaded with
# lo_mode=lo_mode_fifo, then lo_mode_fifo_skb, an application using only
# the 22.11 API (kni_loop) gets back every frame it sends, byte for byte
# and in order: 2000 frames of 60 to 9018 bytes in chains of 1 to 5
# segments, and no mbuf of its pool lost.  The interface counts each once
# received and once sent, and nothing dropped.  A wrong lo_mode fails the
# load with a message naming the choices.
# vmrun: -c 2 -m 1536 -a hugepages=256
# modules: none
. tests/vm/kni_case.sh
M=$RTE_KNI_MODDIR/rte_kni.ko
N=2000

if insmod "$M" lo_mode=lo_mode_bogus 2>/tmp/insmod.err; then
	fail "insmod lo_mode=lo_mode_bogus succeeded"
fi
dmesg | grep -q 'lo_mode=lo_mode_bogus: expected one of lo_mode_none, lo_mode_fifo, lo_mode_fifo_skb' ||
	fail "no message naming the choices for a wrong lo_mode"
ok "lo_mode=lo_mode_bogus refused: $(cat /tmp/insmod.err)"

for mode in lo_mode_fifo lo_mode_fifo_skb; do
	echo "== $mode"
	insmod "$M" lo_mode=$mode || fail "insmod lo_mode=$mode"
	expect_eq "/sys/module/rte_kni/parameters/lo_mode" \
		"$(cat /sys/module/rte_kni/parameters/lo_mode)" $mode
	"$B/kni_loop" --no-pci -l 0 --file-prefix lo -- --frames $N --timeout 120 --linger 2 \
		>/tmp/loop.log 2>&1 &
	pid=$!
	APP_PIDS+=("$pid")
	wait_line /tmp/loop.log '^ready' 30
	# the stack's own frames (IPv6 ND, MLD) would come back too
	sysctl -qw net.ipv6.conf.vEth0.disable_ipv6=1
	ip link set vEth0 up || fail "ip link set vEth0 up"
	wait_line /tmp/loop.log '^done' 150
	expect_eq "$mode: rx_packets" "$(if_stat vEth0 rx_packets)" $N
	expect_eq "$mode: tx_packets" "$(if_stat vEth0 tx_packets)" $N
	expect_eq "$mode: rx_dropped + tx_dropped + errors" \
		$(( $(if_stat vEth0 rx_dropped) + $(if_stat vEth0 tx_dropped) +
		    $(if_stat vEth0 rx_errors) + $(if_stat vEth0 tx_errors) )) 0
	rc=0
	wait "$pid" || rc=$?
	cat /tmp/loop.log
	[ "$rc" = 0 ] || fail "kni_loop exited $rc"
	grep -q "^loop: sent=$N back=$N same=$N wrong=0 other=0 pool_lost=0$" /tmp/loop.log ||
		fail "frames did not all come back equal"
	ok "$mode: $N frames back byte for byte, no mbuf lost"
	gone vEth0
	rmmod rte_kni
done
ok "rmmod rte_kni"
