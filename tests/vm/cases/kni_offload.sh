#!/bin/bash
# Offloads through the rings, with the kni example on an e1000 (igb_uio)
# and a peer on the other e1000.  The port finishes TCP and UDP checksums
# and, having no TSO, the example cuts TSO frames with DPDK's GSO library:
# TCP from vEth0 crosses the rings in frames far longer than the MTU and
# reaches the peer as MTU-sized segments whose checksums the peer's kernel
# (receive checksumming off) and tcpdump verify.  ethtool -K turns each
# offload off and on again, the example is told, and TCP still flows.
# vmrun: -n 2 -c 2 -m 1536 -a hugepages=256 -P uio
# modules: rte_kni.ko
# modules: igb_uio.ko
. tests/vm/kni_case.sh
. tests/vm/igb_uio_case.sh
KNI=$RTE_KNI_BIN/examples/kni
LOG=/tmp/kni.log

# offloads_told HEX: the example's handler printed the offloads now on.
offloads_told()
{
	wait_line "$LOG" "^kni: port 0: offloads now $1\$" 10
	ok "the example was told: offloads now $1"
}

# capture_start IFACE NS FILE: tcpdump the first 3000 frames of iperf3's
# connections on IFACE (in netns NS, or "root"), whole, to FILE, until
# capture_stop.
CAPTURES=()
capture_start()
{
	local ns=() log=$3.log
	[ "$2" = root ] || ns=(ip netns exec "$2")
	"${ns[@]}" tcpdump -Z root -i "$1" -nn -s 0 -c 3000 -w "$3" tcp port 5201 \
		>"$log" 2>&1 &
	APP_PIDS+=("$!")
	CAPTURES+=("$!")
	wait_line "$log" 'listening on' 10
}

# capture_stop: end the captures that did not reach 3000 frames; tcpdump
# writes out what it has on SIGINT and exits 0, as it does after 3000, so
# anything else means a capture that cannot be trusted.
capture_stop()
{
	local p rc
	for p in "${CAPTURES[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -INT "$p"
		fi
		rc=0
		wait "$p" || rc=$?
		[ "$rc" = 0 ] || fail "tcpdump ($p) exited $rc"
	done
	CAPTURES=()
}

# tcp_run DESC ARGS...: 3 s of iperf3 from vEth0's side to the peer (-R:
# the other way); prints the Mbit/s received.
tcp_run()
{
	local desc=$1 out=/tmp/iperf.json
	shift
	iperf3 -c 192.0.2.2 -t 3 -J "$@" >"$out" 2>&1 || { cat "$out"; fail "iperf3 $desc"; }
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("%.0f" % (r["end"]["sum_received"]["bits_per_second"] / 1e6))' "$out"
}

# decode FILE [-vv]: the frames vEth0's side sent, as tcpdump reads them
# from a capture, to FILE.txt.
decode()
{
	tcpdump -nn ${2:+"$2"} -r "$1" src host 192.0.2.1 >"$1.txt" 2>"$1.err" ||
		{ cat "$1.err"; fail "tcpdump -r $1"; }
}

# max_len FILE: the largest TCP payload in a decoded capture: the "length
# N" of the TCP line, not -vv's IP "length N)".
max_len()
{
	awk '{ for (i = 1; i < NF; i++)
		if ($i == "length" && $(i + 1) ~ /^[0-9]+$/ && $(i + 1) > m) m = $(i + 1) + 0 }
	     END { print m + 0 }' "$1.txt"
}

echo "== setup: $NIC0 on igb_uio, $NIC1 in netns peer, checksums verified there in software, no GRO"
bind "$NIC0" igb_uio
peer_netns "$NIC1" 192.0.2.2/24
eth1=$PEER_IF
# rx off: its kernel checks every checksum; gro off: tcpdump sees frames
# as they came, not merged
ip netns exec peer ethtool -K "$eth1" rx off gro off || fail "peer: ethtool -K $eth1 rx off gro off"
ip netns exec peer iperf3 -s -D -I /tmp/iperf3.pid || fail "iperf3 -s in the peer"
APP_PIDS+=("$(cat /tmp/iperf3.pid)")

echo "== kni -l 0,1 -- -p 0x1 -m --config=\"(0,0,1)\""
"$KNI" -l 0,1 --file-prefix ofl -a "$NIC0" -- -p 0x1 -m --config="(0,0,1)" >"$LOG" 2>&1 &
KNI_PID=$!
APP_PIDS+=("$KNI_PID")
wait_line "$LOG" '^kni: (forwarding|failed)' 120
grep -q '^kni: forwarding' "$LOG" || { cat "$LOG"; fail "kni did not start"; }
line=$(grep -m1 '^kni: vEth0: offloads' "$LOG")
expect_eq "the example's offloads (TX_CSUM | TSO | RX_CSUM, by GSO)" "$line" \
	"kni: vEth0: offloads 0x7 on, TSO cut by the GSO library"
ip addr add 192.0.2.1/24 dev vEth0
ip link set vEth0 up || fail "ip link set vEth0 up"
wait_carrier vEth0 "$LOG"		# -m: the port's link, after its restart
ping -c 3 -W 5 192.0.2.2 >/tmp/ping.out 2>&1 || { cat /tmp/ping.out "$LOG"; fail "ping the peer"; }
ok "ping the peer: $(grep -o '[0-9]* received' /tmp/ping.out)"

ethtool -k vEth0 >/tmp/features
for f in "tx-checksumming: on" "tx-tcp-segmentation: on" \
	 "tx-tcp6-segmentation: off [fixed]" "rx-checksumming: on" "rx-gro-hw: off [fixed]"; do
	grep -qxF "$(printf '\t%s' "$f")" /tmp/features || grep -qxF "$f" /tmp/features ||
		{ cat /tmp/features; fail "ethtool -k vEth0: no '$f'"; }
done
ok "ethtool -k vEth0: tx-checksumming, tx-tcp-segmentation and rx-checksumming on, tx-tcp6-segmentation and rx-gro-hw fixed off"

echo "== TCP to the peer: frames longer than the MTU cross the rings, MTU-sized ones arrive"
tso0=$(ethtool_stat vEth0 tx_tso)
tx0=$(if_stat vEth0 tx_packets)
bytes0=$(if_stat vEth0 tx_bytes)
capture_start vEth0 root /tmp/veth.pcap
capture_start "$eth1" peer /tmp/peer.pcap
csum0=$(ip netns exec peer nstat -az TcpInCsumErrors | awk '$1 == "TcpInCsumErrors" { print $2 }')
mbit=$(tcp_run "with offloads")
sleep 1
capture_stop
tso=$(($(ethtool_stat vEth0 tx_tso) - tso0))
tx=$(($(if_stat vEth0 tx_packets) - tx0))
bytes_per=$((($(if_stat vEth0 tx_bytes) - bytes0) / tx))
((tso > 0)) || { cat "$LOG"; fail "no TSO frame crossed the rings (tx_tso +0)"; }
ok "iperf3: $mbit Mbit/s; $tso of $tx frames from vEth0 were TSO frames; $bytes_per bytes per frame"
decode /tmp/veth.pcap
vmax=$(max_len /tmp/veth.pcap)
((vmax > 1460)) || fail "largest TCP segment on vEth0: $vmax bytes"
ok "largest TCP segment on vEth0: $vmax bytes (MSS 1460)"
# what the peer sends is captured before its e1000 finishes the checksum:
# only vEth0's side is judged
decode /tmp/peer.pcap -vv
pmax=$(max_len /tmp/peer.pcap)
((pmax <= 1460 && pmax > 1000)) || fail "largest TCP segment at the peer: $pmax bytes"
ok "largest TCP segment at the peer: $pmax bytes"
read -r good bad < <(awk '/cksum 0x[0-9a-f]* \(correct\)/ { g++ } /incorrect/ { b++ }
			   END { print g + 0, b + 0 }' /tmp/peer.pcap.txt)
((good > 1000 && bad == 0)) || { grep -m5 incorrect /tmp/peer.pcap.txt; fail "at the peer: $good checksums correct, $bad incorrect"; }
ok "at the peer, tcpdump -vv of what vEth0's side sent: $good checksums correct, 0 incorrect"
csum=$(ip netns exec peer nstat -az TcpInCsumErrors | awk '$1 == "TcpInCsumErrors" { print $2 }')
expect_eq "peer TcpInCsumErrors (receive checksumming off)" "$((csum - csum0))" 0

echo "== TCP from the peer: the port's checksum verdicts"
ok0=$(ethtool_stat vEth0 rx_csum_ok)
bad0=$(ethtool_stat vEth0 rx_csum_bad)
mbit=$(tcp_run "reversed" -R)
ok "iperf3 -R: $mbit Mbit/s; rx_csum_ok +$(($(ethtool_stat vEth0 rx_csum_ok) - ok0)), rx_csum_bad +$(($(ethtool_stat vEth0 rx_csum_bad) - bad0))"
expect_eq "rx_csum_bad" "$(($(ethtool_stat vEth0 rx_csum_bad) - bad0))" 0

echo "== ethtool -K: each off, the example told, TCP still through"
ethtool -K vEth0 tso off || fail "ethtool -K vEth0 tso off"
offloads_told 0x5
tso0=$(ethtool_stat vEth0 tx_tso)
mbit=$(tcp_run "tso off")
expect_eq "tx_tso with tso off" "$(($(ethtool_stat vEth0 tx_tso) - tso0))" 0
ok "tso off: $mbit Mbit/s"
ethtool -K vEth0 tx off || fail "ethtool -K vEth0 tx off"
offloads_told 0x4
ethtool -K vEth0 rx off || fail "ethtool -K vEth0 rx off"
offloads_told 0
ok0=$(ethtool_stat vEth0 rx_csum_ok)
mbit=$(tcp_run "all off, reversed" -R)
expect_eq "rx_csum_ok with rx off" "$(($(ethtool_stat vEth0 rx_csum_ok) - ok0))" 0
ok "all off: iperf3 -R $mbit Mbit/s"
ethtool -K vEth0 tx on tso on rx on || fail "ethtool -K vEth0 tx on tso on rx on"
wait_line "$LOG" '^kni: port 0: offloads now 0x7$' 10
tso0=$(ethtool_stat vEth0 tx_tso)
mbit=$(tcp_run "on again")
(($(ethtool_stat vEth0 tx_tso) > tso0)) || fail "tx_tso did not move with tso on again"
ok "all on again: $mbit Mbit/s, TSO frames again"
# asked for, TSO6 stays off whatever ethtool answers: it is fixed
ethtool -K vEth0 tx-tcp6-segmentation on >/tmp/tso6.out 2>&1 && rc=0 || rc=$?
state=$(ethtool -k vEth0 | sed -n 's/^[[:space:]]*tx-tcp6-segmentation: //p')
expect_eq "tx-tcp6-segmentation after ethtool -K ... on (exit $rc)" "$state" "off [fixed]"

rc=0
kill -TERM "$KNI_PID"
wait "$KNI_PID" || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; fail "kni exited $rc"; }
cp "$LOG" "$VMRUN_OUTDIR/kni.log"
ok "kni stopped"
