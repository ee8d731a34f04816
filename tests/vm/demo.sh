#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the classic KNI scenario, run inside the VM by `make demo`
# (tests/demo) and by the VM case kni_demo.  Expects rte_kni.ko and
# igb_uio.ko loaded, two e1000 NICs on the qemu hub and hugepages.
#
#        root namespace                         netns "peer"
#   vEth0 192.0.2.1/24                          eth1 192.0.2.2/24
#     |  rte_kni.ko                               |  kernel e1000
#   examples/kni (DPDK)                           |
#     |  net_e1000_em PMD                         |
#   NIC0 0000:00:08.0 (igb_uio) ---- qemu hub ---- NIC1 0000:00:09.0
#
# Prints its progress, the results, and last a verdict line
# "demo: PASS ..." or "demo: FAIL ..."; exits 0 on PASS.
#
# Environment: RTE_KNI_BIN (default: build/ beside this script's checkout).

set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
BIN=${RTE_KNI_BIN:-$here/../../build}
KNI=$BIN/examples/kni
NIC0=0000:00:08.0
NIC1=0000:00:09.0
LOG=/tmp/kni.log
t0=$EPOCHREALTIME
step_no=0
failures=()
kni_pid=

say()
{
	printf '[%6.1fs] %s\n' "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$*"
}

step()
{
	step_no=$((step_no + 1))
	echo
	say "== $step_no. $*"
}

# check WHAT CONDITION-COMMAND...: record a failure, keep going.
check()
{
	local what=$1
	shift
	if "$@"; then
		say "ok: $what"
	else
		say "FAIL: $what"
		failures+=("$what")
	fi
}

# Ends the demo with the verdict; the rest of the failures are listed.
verdict()
{
	local summary=$1

	echo
	[ -n "$kni_pid" ] && kill -0 "$kni_pid" 2>/dev/null && kill -INT "$kni_pid"
	[ -n "${VMRUN_OUTDIR:-}" ] && cp "$LOG" "$VMRUN_OUTDIR/kni.log" 2>/dev/null
	if ((${#failures[@]} == 0)); then
		echo "demo: PASS: $summary"
		exit 0
	fi
	echo "demo: FAIL: $(IFS=';'; echo "${failures[*]}")"
	exit 1
}

# abort WHAT: a step the rest depends on failed.
abort()
{
	say "FAIL: $1"
	failures+=("$1")
	[ -f "$LOG" ] && { echo "--- kni log:"; cat "$LOG"; }
	verdict ""
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds.
wait_for()
{
	local i limit=$(($1 * 10))
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

log_has() { grep -qE -- "$1" "$LOG"; }
carrier_on() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }
peer_carrier_on() { [ "$(ip netns exec peer cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }
bus_master() { (( 0x$(setpci -s "$NIC0" COMMAND) & 0x4 )); }
no_bus_master() { ! bus_master; }

[ -x "$KNI" ] || abort "no $KNI (make -C examples/kni)"

step "NIC0 ($NIC0) to igb_uio with dpdk-devbind.py"
dpdk-devbind.py -b igb_uio "$NIC0" || abort "dpdk-devbind.py -b igb_uio $NIC0"
dpdk-devbind.py -s | grep -E "^$NIC0|^$NIC1"
uio=$(ls "/sys/bus/pci/devices/$NIC0/uio" 2>/dev/null)
check "$NIC0 is $uio, bus mastering off until an application opens it" \
	eval '[ -n "$uio" ] && no_bus_master'

step "NIC1 ($NIC1) stays on the kernel's e1000, in netns peer with 192.0.2.2/24"
eth1=$(ls "/sys/bus/pci/devices/$NIC1/net")
ip netns add peer || abort "ip netns add peer"
ip link set "$eth1" netns peer || abort "moving $eth1 to netns peer"
ip -n peer link set lo up
ip -n peer addr add 192.0.2.2/24 dev "$eth1"
ip -n peer link set "$eth1" up
ip -n peer -br addr show dev "$eth1"

step "the kni example on NIC0: kni -l 0,1 -a $NIC0 -- -p 0x1 -m --config=\"(0,1,1)\""
"$KNI" -l 0,1 --file-prefix kni_demo -a "$NIC0" -- -p 0x1 -m --config="(0,1,1)" \
	>"$LOG" 2>&1 &
kni_pid=$!
kni_starting() { log_has '^kni: forwarding' || ! kill -0 "$kni_pid" 2>/dev/null; }
wait_for 120 kni_starting
log_has '^kni: forwarding' || abort "kni did not start forwarding"
grep -E '^(EAL: (Selected|Probe)|kni: )' "$LOG"

step "vEth0 192.0.2.1/24, up (the example restarts the port), carrier from the link monitor"
ip addr add 192.0.2.1/24 dev vEth0 || abort "ip addr add 192.0.2.1/24 dev vEth0"
ip link set vEth0 up || abort "ip link set vEth0 up"
wait_for 20 carrier_on vEth0 || abort "vEth0 has no carrier after 20 s"
wait_for 20 peer_carrier_on "$eth1" || abort "$eth1 (peer) has no carrier after 20 s"
grep -E '^kni: (port 0: up|vEth0 carrier)' "$LOG"
ip -br addr show dev vEth0

step "ping -c 3 192.0.2.2 (vEth0 -> kni -> NIC0 -> hub -> NIC1)"
ping -c 3 -W 5 192.0.2.2 | tee /tmp/ping1
loss1=$(grep -oE '[0-9.]+% packet loss' /tmp/ping1 | cut -d' ' -f1)
check "ping to the peer: ${loss1:-no result} loss" grep -q ' 0% packet loss' /tmp/ping1

step "ip netns exec peer ping -c 3 192.0.2.1 (the other way)"
ip netns exec peer ping -c 3 -W 5 192.0.2.1 | tee /tmp/ping2
loss2=$(grep -oE '[0-9.]+% packet loss' /tmp/ping2 | cut -d' ' -f1)
check "ping from the peer: ${loss2:-no result} loss" grep -q ' 0% packet loss' /tmp/ping2

# rate FILE: the receiver's Mbit/s of an iperf3 -f m report, or empty.
rate()
{
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") r = $i } END { print r }' "$1"
}
positive() { awk -v r="$1" 'BEGIN { exit !(r + 0 > 0) }'; }

iperf()
{
	local out=$1 i
	shift
	ip netns exec peer iperf3 -s -1 -B 192.0.2.2 >/tmp/iperf3-server.log 2>&1 &
	local server=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec peer ss -ltn | grep -q '192.0.2.2:5201' && break
		sleep 0.1
	done
	timeout 60 iperf3 -c 192.0.2.2 -t 5 -f m "$@" | tee "$out"
	wait "$server"
}

step "iperf3 TCP, 5 s, vEth0 -> peer"
iperf /tmp/iperf-out
out_rate=$(rate /tmp/iperf-out)
check "iperf3 vEth0 -> peer: ${out_rate:-no} Mbit/s" positive "${out_rate:-0}"

step "iperf3 TCP, 5 s, peer -> vEth0 (-R)"
iperf /tmp/iperf-in -R
in_rate=$(rate /tmp/iperf-in)
check "iperf3 peer -> vEth0: ${in_rate:-no} Mbit/s" positive "${in_rate:-0}"

step "statistics: kill -USR1 kni"
lines=$(wc -l <"$LOG")
kill -USR1 "$kni_pid"
table_done() { tail -n +$((lines + 1)) "$LOG" | grep -c '^------' | grep -q '^3$'; }
wait_for 10 table_done || abort "no statistics table after SIGUSR1"
tail -n +$((lines + 1)) "$LOG" | sed -n '/^\*\* KNI example statistics/,$p' | head -n 7
read -r rx_packets rx_dropped tx_packets tx_dropped < <(tail -n +$((lines + 1)) "$LOG" |
	awk '$1 == "0" && NF == 6 { r = $3 " " $4 " " $5 " " $6 } END { print r }')
check "port 0 rx_packets ${rx_packets:-?} > 0 (NIC0 -> vEth0; rx_dropped ${rx_dropped:-?})" \
	positive "${rx_packets:-0}"
check "port 0 tx_packets ${tx_packets:-?} > 0 (vEth0 -> NIC0; tx_dropped ${tx_dropped:-?})" \
	positive "${tx_packets:-0}"

step "interrupts: the EAL's link-status interrupts through /dev/$uio"
events=$(cat "/sys/class/uio/$uio/event")
grep -E 'igb_uio' /proc/interrupts
check "/dev/$uio delivered $events interrupt(s) to the application" positive "$events"
check "bus mastering on while kni has $uio open" bus_master

step "stop kni (SIGINT): vEth0 goes away, bus mastering is cleared"
kill -INT "$kni_pid"
wait "$kni_pid"
rc=$?
kni_pid=
check "kni exited with status $rc" test "$rc" = 0
check "vEth0 deleted" test ! -e /sys/class/net/vEth0
check "bus mastering off after the application exited (PCI COMMAND $(setpci -s "$NIC0" COMMAND))" \
	no_bus_master

verdict "ping ${loss1:-?} loss out and ${loss2:-?} loss in, iperf3 ${out_rate:-?} Mbit/s out and ${in_rate:-?} Mbit/s in, rx_packets=${rx_packets:-?} tx_packets=${tx_packets:-?}, $events interrupt(s), $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s in the VM"
