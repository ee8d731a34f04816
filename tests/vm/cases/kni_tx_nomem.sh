#!/bin/bash
# The transmit path's two allocations failing.  Padding a short frame
# (eth_skb_pad) and finishing a checksum (skb_checksum_help) allocate only
# when the skb's data is shared, as it is while a packet socket holds the
# clone the stack gave it.  With such a socket on vEth0, failslab limited to
# allocations made under kni_start_xmit makes exactly those two fail.  Each
# lost frame is counted once, under its own name: tx_pad_nomem in
# tx_dropped, tx_csum_err in tx_errors; nothing else moves, and frames flow
# again once the fault is gone.  Needs failslab with its stack filter:
# make stress KERNEL=debug.
# config: CONFIG_FAILSLAB CONFIG_FAULT_INJECTION_STACKTRACE_FILTER
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix nomem)
fs=/sys/kernel/debug/failslab
n=20

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug ||
	fail "cannot mount debugfs"
[ -w "$fs/require-start" ] || fail "$fs has no stack filter"

# send_udp N SIZE: N datagrams of SIZE payload bytes to the application
send_udp()
{
	"$B/udp_sink" --send "$1" --size "$2" --to 192.0.2.2 --port 7000 --pps 500 >/dev/null ||
		fail "udp_sink --send $1 --size $2"
}

# snapshot, then moved COUNTER: how far a counter of ip -s link or
# ethtool -S moved since the snapshot.
declare -A before=()
snapshot()
{
	local c
	for c in tx_packets tx_dropped tx_errors; do
		before[$c]=$(if_stat vEth0 "$c")
	done
	for c in tx_pad_nomem tx_csum_err tx_no_mbuf tx_too_big tx_copy_err; do
		before[$c]=$(ethtool_stat vEth0 "$c")
	done
}
moved()
{
	local c=$1
	case $c in
	tx_packets | tx_dropped | tx_errors) echo $(($(if_stat vEth0 "$c") - before[$c])) ;;
	*) echo $(($(ethtool_stat vEth0 "$c") - before[$c])) ;;
	esac
}

app_start /tmp/app.log "${EAL[@]}" -- --carrier-up --count-udp-port 7000
# No IPv6: no router solicitations or MLD reports in the counts.
sysctl -qw net.ipv6.conf.vEth0.disable_ipv6=1
ip addr add 192.0.2.1/24 dev vEth0
ip link set vEth0 up || fail "ip link set vEth0 up"
ping -c 1 -W 5 192.0.2.2 >/dev/null || fail "ping 192.0.2.2 (the application)"
# and no ARP either: a short frame the fault would catch
mac=$(ip neigh show 192.0.2.2 dev vEth0 | awk '{ print $3 }')
ip neigh replace 192.0.2.2 dev vEth0 lladdr "$mac" nud permanent ||
	fail "ip neigh replace 192.0.2.2 lladdr '$mac'"
ok "192.0.2.2 is at $mac"

# A packet socket that never reads: every frame vEth0 sends stays cloned.
python3 -c '
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, 33, 1 << 24)    # SO_RCVBUFFORCE
s.bind(("vEth0", 0))
print("holding", flush=True)
time.sleep(3600)
' >/tmp/hold.log 2>&1 &
holder=$!
wait_line /tmp/hold.log '^holding'

# kni_start_xmit's bounds: from its symbol to the module's next one.
range=$(awk '$4 == "[rte_kni]" { print $1, $3 }' /proc/kallsyms | sort |
	awk '$2 == "kni_start_xmit" { s = $1; next } s { print s, $1; exit }')
read -r xs xe <<<"$range"
[ -n "${xe:-}" ] || fail "kni_start_xmit is not in /proc/kallsyms"
ok "kni_start_xmit is at 0x$xs..0x$xe"
# verbose 0: no stack dump per failure; it would name our functions.
echo "0x$xs" >"$fs/require-start" && echo "0x$xe" >"$fs/require-end" &&
	echo 32 >"$fs/stacktrace-depth" && echo 0 >"$fs/verbose" &&
	echo 1 >"$fs/interval" && echo -1 >"$fs/times" ||
	fail "cannot set up failslab"

for what in "tx_pad_nomem 4" "tx_csum_err 200"; do
	read -r counter size <<<"$what"
	echo "== $n datagrams of $size bytes, every allocation under kni_start_xmit failing"
	snapshot
	echo 100 >"$fs/probability" || fail "cannot arm failslab"
	send_udp $n "$size"
	echo 0 >"$fs/probability" || fail "cannot disarm failslab"
	expect_eq "$counter" "$(moved "$counter")" $n
	if [ "$counter" = tx_pad_nomem ]; then
		expect_eq "tx_dropped" "$(moved tx_dropped)" $n
		expect_eq "tx_errors" "$(moved tx_errors)" 0
	else
		expect_eq "tx_errors" "$(moved tx_errors)" $n
		expect_eq "tx_dropped" "$(moved tx_dropped)" 0
	fi
	for c in tx_packets tx_pad_nomem tx_csum_err tx_no_mbuf tx_too_big tx_copy_err; do
		[ "$c" = "$counter" ] && continue
		expect_eq "$c" "$(moved "$c")" 0
	done
	stats_one_to_one vEth0
done

echo "== the fault gone: $n short and $n long datagrams, still cloned"
snapshot
send_udp $n 4
send_udp $n 200
expect_eq "tx_packets" "$(moved tx_packets)" $((2 * n))
for i in $(seq 50); do
	kill -USR1 "$APP_PID" || fail "the application exited"
	sleep 0.2
	[ "$(stat /tmp/app.log udp_rx)" = $((2 * n)) ] && break
done
expect_eq "datagrams the application received" "$(stat /tmp/app.log udp_rx)" $((2 * n))
expect_eq "of which bad" "$(stat /tmp/app.log udp_rx_bad)" 0

kill "$holder"
rc=0
wait "$holder" || rc=$?
expect_eq "the packet socket's process, ended by SIGTERM (128 + 15)" $rc 143
app_stop "$APP_PID" /tmp/app.log
gone vEth0
rmmod rte_kni
ok "rmmod rte_kni"
