#!/bin/bash
# The interface's multicast list reaches the application: going up, ip
# maddr add and del, and a socket joining a group (IP_ADD_MEMBERSHIP) each
# end with the application's handler holding exactly the list ip maddr
# shows.  A list longer than the kernel passes on (256) arrives cut at 256
# with its true length, the other requests still work meanwhile, and the
# list comes back whole once it shrinks.  A refused list is asked again on
# the next change.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh
EAL=(--no-pci --vdev=net_null0 -l 0 --file-prefix mc)
LOG=/tmp/app.log
MAX=256

kernel_list() { ip maddr show dev vEth0 | awk '$1 == "link" { print $2 }' | sort; }
last_cb() { grep '^cb config_mc_list' "$LOG" | tail -n 1; }
app_list() { last_cb | sed 's/.*addrs=//' | tr ',' '\n' | grep . | sort; }
app_field() { last_cb | grep -o " $1=[0-9]*" | cut -d= -f2; }

# mc_synced WHAT: wait until the application's last view is the interface's
# list, whole.
mc_synced()
{
	local i
	for i in $(seq 100); do
		if [ "$(app_list)" = "$(kernel_list)" ] &&
		   [ "$(app_field total)" = "$(kernel_list | wc -l)" ]; then
			ok "$1: the application has the interface's $(app_field total) addresses: $(app_list | xargs)"
			return
		fi
		sleep 0.1
	done
	echo "interface:"; kernel_list | xargs
	echo "application: $(last_cb)"
	fail "$1: the application's multicast list is not the interface's"
}

has() { app_list | grep -qx "$1"; }

# maddrs add|del N: 01:00:5e:10:00:00 and the N - 1 after it on vEth0, as
# ip maddr does (SIOCADDMULTI), in one process: N ip commands take minutes
# under TCG, and ip -batch keeps only the first maddr line.
maddrs()
{
	python3 -c '
import fcntl, socket, struct, sys
op = {"add": 0x8931, "del": 0x8932}[sys.argv[1]]	# SIOCADDMULTI, SIOCDELMULTI
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    mac = bytes([0x01, 0x00, 0x5e, 0x10, i >> 8, i & 0xff])
    fcntl.ioctl(s, op, struct.pack("16sH6s16x", b"vEth0", 0, mac))
' "$1" "$2" || fail "maddrs $*"
}

app_start "$LOG" "${EAL[@]}" --
ip link set vEth0 up
mc_synced "up"
has 01:00:5e:00:00:01 || fail "up: no 01:00:5e:00:00:01 (224.0.0.1) in the list"

ip maddr add 01:00:5e:01:02:03 dev vEth0
mc_synced "ip maddr add 01:00:5e:01:02:03"
has 01:00:5e:01:02:03 || fail "ip maddr add: address missing"

echo "== a socket joins 239.1.2.4 on vEth0"
python3 -c '
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
mreqn = struct.pack("4s4si", socket.inet_aton("239.1.2.4"),
                    socket.inet_aton("0.0.0.0"), socket.if_nametoindex("vEth0"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
print("joined", flush=True)
time.sleep(600)
' >/tmp/join.log 2>&1 &
joiner=$!
APP_PIDS+=("$joiner")
wait_line /tmp/join.log '^joined'
mc_synced "IP_ADD_MEMBERSHIP 239.1.2.4"
has 01:00:5e:01:02:04 || fail "IP_ADD_MEMBERSHIP: 01:00:5e:01:02:04 missing"
ip maddr show dev vEth0
echo "the application's handler: $(last_cb)"
# Still joined until our SIGTERM: any other end means it left early.
kill "$joiner"
rc=0
wait "$joiner" 2>/dev/null || rc=$?
expect_eq "the joining socket's process, ended by SIGTERM (128 + 15)" "$rc" 143
mc_synced "the socket closed"
! has 01:00:5e:01:02:04 || fail "the group stayed after its socket closed"

ip maddr del 01:00:5e:01:02:03 dev vEth0
mc_synced "ip maddr del 01:00:5e:01:02:03"
base=$(kernel_list | wc -l)

echo "== $((MAX + 44)) addresses more"
maddrs add $((MAX + 44))
total=$(kernel_list | wc -l)
expect_eq "addresses on vEth0" "$total" $((base + MAX + 44))
for i in $(seq 200); do
	[ "$(app_field total)" = "$total" ] && break
	sleep 0.1
done
expect_eq "total the application was told" "$(app_field total)" "$total"
expect_eq "addresses it was given" "$(app_field n)" $MAX
expect_eq "of them, distinct and on the interface" \
	"$(comm -12 <(app_list | sort -u) <(kernel_list) | wc -l)" $MAX
ip link set vEth0 mtu 1400
wait_line "$LOG" '^cb change_mtu port=0 mtu=1400$'
expect_eq "MTU changed beside the long list" "$(cat /sys/class/net/vEth0/mtu)" 1400

maddrs del $((MAX + 44))
mc_synced "back to $base addresses"
app_stop "$APP_PID" "$LOG"
gone vEth0

echo "== a refused list is asked again"
app_start "$LOG" "${EAL[@]}" -- --refuse=mc
ip link set vEth0 up
wait_line "$LOG" '^cb config_mc_list'
n=$(grep -c '^cb config_mc_list' "$LOG")
ip maddr add 01:00:5e:01:02:05 dev vEth0
for i in $(seq 100); do
	has 01:00:5e:01:02:05 && break
	sleep 0.1
done
has 01:00:5e:01:02:05 || fail "no request after a refused one"
ok "asked again: $(($(grep -c '^cb config_mc_list' "$LOG") - n)) more requests"
app_stop "$APP_PID" "$LOG"
gone vEth0
rmmod rte_kni
ok "rmmod rte_kni"
