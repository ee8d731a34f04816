#!/bin/bash
# The kni example beyond the demo, on an e1000 bound to igb_uio, receiving
# on lcore 0 and sending on lcore 1 (so every request pauses the other
# lcore): SIGUSR2 resets the table; MTU 9000 through the request path
# (port stopped, reconfigured, restarted) and 8000-byte pings both ways;
# a MAC change reaches the port's filter, and so does the multicast list
# (a group is received only once a socket on vEth0 joined it); the link
# monitor gives vEth0 the port's carrier and speed (ethtool), back after
# down/up and after a rename; down stops the port; kernel-thread lcores
# give vEth0_0 and vEth0_1; bad command lines are refused.
# vmrun: -n 2 -c 2 -m 1536 -a hugepages=256 -P uio
# modules: rte_kni.ko
# modules: igb_uio.ko
. tests/vm/kni_case.sh
. tests/vm/igb_uio_case.sh
KNI=$RTE_KNI_BIN/examples/kni
LOG=/tmp/kni.log

kni_start()
{
	"$KNI" "$@" >"$LOG" 2>&1 &
	KNI_PID=$!
	APP_PIDS+=("$KNI_PID")
	wait_line "$LOG" '^kni: (forwarding|failed)' 120
	grep -q '^kni: forwarding' "$LOG" || { cat "$LOG"; fail "kni did not start"; }
}

kni_stop()
{
	local rc=0
	kill -TERM "$KNI_PID"
	wait "$KNI_PID" || rc=$?
	[ "$rc" = 0 ] || { cat "$LOG"; fail "kni exited $rc"; }
	gone vEth0
	ok "kni stopped (SIGTERM), exit 0, vEth0 gone"
	cp "$LOG" "$VMRUN_OUTDIR/kni.log"
	# ethdev complains (with a stack dump) about bursts on a stopped port
	! grep -q 'not ready port' "$LOG" || { cat "$LOG"; fail "kni burst on a stopped port"; }
	ok "no burst on a stopped port"
}

# table: "rx_packets rx_dropped tx_packets tx_dropped" of port 0 from a
# fresh SIGUSR1.
table()
{
	local n

	n=$(wc -l <"$LOG")
	kill -USR1 "$KNI_PID"
	for i in $(seq 100); do
		[ "$(tail -n +$((n + 1)) "$LOG" | grep -c '^------')" = 3 ] && break
		sleep 0.1
	done
	tail -n +$((n + 1)) "$LOG" | awk '$1 == "0" && NF == 6 { print $3, $4, $5, $6 }'
}

carrier_count() { awk '/^kni: vEth0 carrier on/ { n++ } END { print n + 0 }' "$LOG"; }

ping_ok()
{
	local ns=() out=/tmp/ping.$$
	[ "$1" = peer ] && ns=(ip netns exec peer)
	shift
	"${ns[@]}" ping "$@" >"$out" 2>&1 || { cat "$out"; fail "ping $*"; }
	grep -q ' 0% packet loss' "$out" || { cat "$out"; fail "ping $* lost packets"; }
	ok "ping $*: $(grep -o '[0-9]* received' "$out")"
}

# wait_speed IFACE: the port restarts when the interface goes up, and its
# link (down, then 1000Mb/s full duplex) reaches IFACE through the monitor
# within a few of its 500 ms rounds.
wait_speed()
{
	local i
	for i in $(seq 100); do
		ethtool "$1" >/tmp/ethtool.out 2>&1
		grep -q 'Speed: 1000Mb/s' /tmp/ethtool.out && grep -q 'Duplex: Full' /tmp/ethtool.out &&
			grep -q 'Link detected: yes' /tmp/ethtool.out && return 0
		sleep 0.1
	done
	cat /tmp/ethtool.out "$LOG"
	fail "ethtool $1 does not show the e1000's 1000Mb/s full duplex after 10 s"
}

echo "== setup: $NIC0 on igb_uio, $NIC1 in netns peer"
bind "$NIC0" igb_uio
peer_netns "$NIC1" 192.0.2.2/24
eth1=$PEER_IF

echo "== bad command lines"
BAD=(-l 0 --no-pci --vdev=net_null0 --file-prefix bad --)
for args in "-p 0x3 --config=(0,0,0)" "-p 0x1 --config=(0,0)" "-p 0x1 --config=(0,0,9)" \
	    "-p zz --config=(0,0,0)" "--config=(0,0,0)" "-p 0x1 --config=(0,0,0)x"; do
	# shellcheck disable=SC2086
	if "$KNI" "${BAD[@]}" $args >/tmp/bad.log 2>&1; then
		cat /tmp/bad.log
		fail "kni accepted: $args"
	fi
	ok "refused '$args': $(grep -m1 '^kni: ' /tmp/bad.log)"
done

echo "== kni -l 0,1 -- -p 0x1 -m --config=\"(0,0,1)\": RX on lcore 0, TX on lcore 1"
kni_start -l 0,1 --file-prefix ex -a "$NIC0" -- -p 0x1 -m --config="(0,0,1)"
grep -q '^kni: lcore 0: port 0 -> kernel' "$LOG" && grep -q '^kni: lcore 1: kernel -> port 0' "$LOG" ||
	{ cat "$LOG"; fail "lcore roles"; }
ok "lcore 0 receives, lcore 1 sends"
ip addr add 192.0.2.1/24 dev vEth0
ip link set vEth0 up || fail "ip link set vEth0 up"
wait_carrier vEth0 "$LOG"
ok "carrier on after up"
wait_speed vEth0
ok "ethtool vEth0: $(grep -E 'Speed|Duplex|Auto-negotiation|Link detected' /tmp/ethtool.out | xargs)"
ping_ok root -c 3 -W 5 192.0.2.2
ping_ok peer -c 3 -W 5 192.0.2.1

echo "== SIGUSR1 / SIGUSR2"
read -r rx rxd tx txd < <(table)
[ "${rx:-0}" -gt 0 ] && [ "${tx:-0}" -gt 0 ] || fail "table before reset: rx=$rx tx=$tx"
ok "table: rx_packets=$rx rx_dropped=$rxd tx_packets=$tx tx_dropped=$txd"
kill -USR2 "$KNI_PID"
wait_line "$LOG" '^\*\* KNI example statistics reset' 10
read -r rx2 _ tx2 _ < <(table)
[ "$rx2" -lt "$rx" ] && [ "$tx2" -lt "$tx" ] || fail "after reset: rx=$rx2 tx=$tx2 (before $rx/$tx)"
ok "after SIGUSR2: rx_packets=$rx2 tx_packets=$tx2"

echo "== MTU 9000 through the request path"
ip link set vEth0 mtu 9000 || { cat "$LOG"; fail "ip link set vEth0 mtu 9000"; }
wait_line "$LOG" '^kni: port 0: MTU 9000$'
expect_eq "vEth0 mtu" "$(cat /sys/class/net/vEth0/mtu)" 9000
ip -n peer link set "$eth1" mtu 9000
wait_carrier vEth0 "$LOG"
ping_ok root -c 3 -W 5 -M do -s 8000 192.0.2.2
ping_ok peer -c 3 -W 5 -M do -s 8000 192.0.2.1
if ip link set vEth0 mtu 20000 2>/tmp/mtu.err; then fail "MTU 20000 accepted"; fi
ok "MTU 20000 refused: $(cat /tmp/mtu.err)"
ip link set vEth0 mtu 1500 || { cat "$LOG"; fail "ip link set vEth0 mtu 1500"; }
ip -n peer link set "$eth1" mtu 1500

echo "== MAC address"
ip link set vEth0 address 02:00:00:00:01:01 || { cat "$LOG"; fail "ip link set vEth0 address"; }
wait_line "$LOG" '^kni: port 0: MAC address 02:00:00:00:01:01$'
ip -n peer neigh flush dev "$eth1"
wait_carrier vEth0 "$LOG"
ping_ok peer -c 3 -W 5 192.0.2.1
ip -n peer neigh show 192.0.2.1 dev "$eth1" | grep -q 02:00:00:00:01:01 ||
	fail "peer did not learn 02:00:00:00:01:01"
ok "the port took the new MAC (peer reached 192.0.2.1 at 02:00:00:00:01:01)"

echo "== multicast: the port's filter follows vEth0's list"
# mcast_send GROUP N: the peer sends N datagrams to GROUP, port 5555.
mcast_send()
{
	ip netns exec peer python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("192.0.2.2"))
for i in range(int(sys.argv[2])):
    s.sendto(b"x" * 64, (sys.argv[1], 5555))
    time.sleep(0.02)
' "$1" "$2" || fail "peer: sending to $1"
}
# Not promiscuous (no -P): the e1000 takes a group only once its filter has it.
read -r rx0 _ < <(table)
mcast_send 239.1.2.7 50
sleep 0.5
read -r rx1 _ < <(table)
((rx1 - rx0 < 50)) || fail "the port took $((rx1 - rx0)) frames, 50 of them to a group nobody joined"
ok "50 datagrams to 239.1.2.7, not joined: the port received $((rx1 - rx0)) frames"
python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("239.1.2.7", 5555))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             struct.pack("4s4si", socket.inet_aton("239.1.2.7"),
                         socket.inet_aton("0.0.0.0"), socket.if_nametoindex("vEth0")))
print("joined", flush=True)
s.settimeout(20)
n = 0
try:
    while n < 10:
        s.recv(2048)
        n += 1
except socket.timeout:
    pass
print("received", n, flush=True)
' >/tmp/mrecv.log 2>&1 &
mrecv=$!
APP_PIDS+=("$mrecv")
wait_line /tmp/mrecv.log '^joined'
# the library's default handler says how long a list it gave the port
n=$(ip maddr show dev vEth0 | grep -c '^[[:space:]]*link')
wait_line "$LOG" "port 0: multicast list of $n addresses"
ok "the example's port has vEth0's $n addresses: $(grep 'port 0: multicast list of' "$LOG" | tail -n 1)"
ip maddr show dev vEth0
mcast_send 239.1.2.7 100
wait "$mrecv"
expect_eq "datagrams to 239.1.2.7 after joining it on vEth0" "$(grep -o '^received .*' /tmp/mrecv.log)" "received 10"
ethtool vEth0
ethtool -g vEth0

echo "== down / up"
before=$(carrier_count)
ip link set vEth0 down || { cat "$LOG"; fail "ip link set vEth0 down"; }
wait_line "$LOG" '^kni: port 0: down$'
ip link set vEth0 up || { cat "$LOG"; fail "ip link set vEth0 up"; }
wait_line "$LOG" '^kni: port 0: up$'
wait_carrier vEth0 "$LOG"
for i in $(seq 50); do
	[ "$(carrier_count)" -gt "$before" ] && break
	sleep 0.1
done
[ "$(carrier_count)" -gt "$before" ] || { cat "$LOG"; fail "no new 'vEth0 carrier on' after up"; }
ok "carrier back after down/up: $(grep '^kni: vEth0 carrier on' "$LOG" | tail -n 1)"
ping_ok root -c 2 -W 5 192.0.2.2

echo "== renamed: the monitor's link still reaches it"
ip link set vEth0 down && ip link set vEth0 name kniren && ip link set kniren up ||
	{ cat "$LOG"; fail "down, rename to kniren, up"; }
for i in $(seq 100); do
	[ "$(cat /sys/class/net/kniren/carrier 2>/dev/null)" = 1 ] && break
	sleep 0.1
done
wait_speed kniren
expect_eq "kniren carrier" "$(cat /sys/class/net/kniren/carrier)" 1
ok "kniren: $(grep -E 'Speed|Duplex' /tmp/ethtool.out | xargs)"
ip link set kniren down && ip link set kniren name vEth0 || fail "rename back to vEth0"
kni_stop

echo "== kernel-thread lcores: --config=\"(0,1,1,0,1)\""
kni_start -l 0,1 --file-prefix ex2 -a "$NIC0" -- -p 0x1 --config="(0,1,1,0,1)"
for dev in vEth0_0 vEth0_1; do
	[ -e "/sys/class/net/$dev" ] || { cat "$LOG"; fail "no $dev"; }
done
ok "vEth0_0 and vEth0_1 created"
kill -TERM "$KNI_PID"
wait "$KNI_PID" || fail "kni exited $?"
gone vEth0_0
gone vEth0_1
ok "both gone after SIGTERM"
expect_master "$NIC0" off "after the example exited"
