#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: the measurements of `make bench`, run inside the VM by
# tests/bench.  For each exception path, the same DPDK application
# (kni_bench, on lcore 1) and the same kernel-side setup; only the path
# differs:
#
#   kni    rte_kni.ko, interfaces vEth0, vEth1
#   tap    DPDK net_tap, tun interfaces btap0, btap1
#   vuser  DPDK net_virtio_user on /dev/vhost-net, tap interfaces bvu0, bvu1
#   afp    DPDK net_af_packet on veth bafpN, the kernel side is its peer bkN
#
# Prints one line per measurement for tests/bench to tabulate:
#   bench path=P test=T rep=N value=V [key=value...]
# and "bench-info ..." lines with the facts of the run.  Counting follows
# shared/reference/baseline-bench.md: app -> stack is what the stack
# delivered (Udp NoPorts: every frame goes to the discard port, no socket),
# never the sender's count; stack -> app is what the application received.
#
# Environment: RTE_KNI_BIN, BENCH_SECONDS (one window, 5), BENCH_REPS (3),
# BENCH_PATHS (kni tap vuser afp), BENCH_TESTS (a2s s2a fwd idle),
# BENCH_PROFILE (1: one more window of app -> stack 64 B, of idle and of
# the ceiling under perf, as "bench-profile PATH TEST | ..." lines).

set -u -o pipefail

B=$RTE_KNI_BIN
W=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}
PATHS=${BENCH_PATHS:-kni tap vuser afp}
TESTS=${BENCH_TESTS:-a2s s2a fwd idle}
PROFILE=${BENCH_PROFILE:-0}
APP_LOG=/tmp/kni_bench.log
APP_PID=
APP_CPU=1			# the application's one lcore
APP_MAC=02:00:00:00:00:01	# the application's side, for the kernel's neighbour
APP_IP=198.51.100.1
K_MAC=02:00:00:00:00:02		# the kernel side's, set on every path
K_IP=198.51.100.2
PG=/proc/net/pktgen

say()
{
	echo "[$(date +%T)] $*" >&2
}

die()
{
	echo "bench: FAIL: $*"
	[ -n "$APP_PID" ] && cat "$APP_LOG" >&2
	exit 1
}

# ---- counters --------------------------------------------------------------------

# snmp GROUP FIELD: a /proc/net/snmp counter (a header line, then values).
snmp()
{
	awk -v g="$1:" -v f="$2" '$1 == g {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i; next }
		print $c; exit }' /proc/net/snmp
}

if_stat()
{
	cat "/sys/class/net/$1/statistics/$2"
}

# Kernel CPU time of the whole VM in ticks (USER_HZ): system + irq + softirq.
kernel_ticks()
{
	awk '$1 == "cpu" { print $4 + $7 + $8; exit }' /proc/stat
}

# path_tids IFACE: "TID COMM" of each thread that serves the running
# application's path: every thread of the application (vhost-net's worker
# is one of them from 6.4 on), and the kernel threads of the path, found
# by name among the children of kthreadd: threaded NAPI of IFACE
# (napi/IFACE-ID), rte_kni's busy-poll schedulers (kni_*) and, before 6.4,
# vhost-net's worker (vhost-PID).  grep -s: threads come and go.
path_tids()
{
	grep -sH '' "/proc/$APP_PID/task/"*/stat /proc/[0-9]*/stat |
		awk -v app="/proc/$APP_PID/task/" -v re="^(napi/$1-.*|kni_.*|vhost-$APP_PID)\$" '{
			comm = $0; sub(/^[^(]*\(/, "", comm); sub(/\) [^)]*$/, "", comm)
			gsub(/[ ,:]/, "_", comm)
			rest = $0; sub(/^.*\) /, "", rest); split(rest, a, " ")
			tid = $0; sub(/\/stat:.*/, "", tid); sub(/.*\//, "", tid)
			if (index($0, app) == 1 || (a[2] == 2 && comm ~ re))
				print tid, comm
		}'
}

# perf_window FILE SECONDS: perf samples of every CPU for SECONDS into FILE:
# cpu-clock at 997 Hz, as TCG has no PMU.
perf_window()
{
	perf record -q -e cpu-clock -a -F 997 -o "$1" -- sleep "$2" >/dev/null 2>&1
}

# path_kernel IFACE SECONDS: the kernel CPU time of the path's threads
# (path_tids) over SECONDS, in % of one CPU, as "PCT COMM:PCT,... SYM:PCT,..."
# (by thread, and the top kernel symbols).  It is sampled with perf
# (cpu-clock on every CPU, 997 Hz; TCG has no PMU): a sample counts if its
# thread is the path's and it hit the kernel.  Not /proc/PID/stat: stime
# there is the precise run time split in the ratio of the tick samples,
# and under TCG, where guest ticks lag the clock, an application polling
# in user space gained up to 10% "system time" in a window in which perf
# saw it in the kernel less than 0.5% of the time.
path_kernel()
{
	local data=/tmp/path.data tids

	tids=$(path_tids "$1")
	perf_window "$data" "$2" || die "perf record failed"
	perf script -i "$data" -F tid,ip,sym 2>/dev/null |
		awk -v tids="$tids" -v ncpu="$(nproc)" '
		function pc(n) { return sprintf("%.2f", 100 * ncpu * n / all) }
		# top ARRAY N: "KEY:PCT,..." of the N largest
		function top(a, n,	s, k, best, i) {
			s = ""
			for (i = 0; i < n; i++) {
				best = ""
				for (k in a)
					if (best == "" || a[k] > a[best])
						best = k
				if (best == "")
					break
				s = s (s ? "," : "") best ":" pc(a[best])
				delete a[best]
			}
			return s ? s : "-"
		}
		BEGIN {
			n = split(tids, t, "\n")
			for (i = 1; i <= n; i++) {
				split(t[i], f, " ")
				comm[f[1]] = f[2]
			}
		}
		{ all++ }
		($1 in comm) && $2 ~ /^ffff/ { k++; by[comm[$1]]++; sym[$3 == "" ? "?" : $3]++ }
		END {
			if (!all) { print "0 - -"; exit }
			print pc(k), top(by, 5), top(sym, 3)
		}'
	rm -f "$data"
}

# pct TICKS T0 T1: ticks (1/100 s, USER_HZ) over a window, in % of a CPU.
pct()
{
	awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", k / (b - a) }'
}

now()
{
	echo "$EPOCHREALTIME"
}

# rate COUNT T0 T1: COUNT per second, as an integer.
rate()
{
	awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'
}

result()
{
	echo "bench path=$1 test=$2 rep=$3 value=$4${5:+ $5}"
}

# profile PATH TEST: one more window, after the measured ones so that the
# sampling does not change them, under perf: cpu-clock samples of every
# CPU (TCG has no PMU).  Out go the share of each thread, then the top of
# the report by thread and symbol, as "bench-profile PATH TEST | ..." lines.
profile()
{
	local data=/tmp/perf.data

	((PROFILE)) || return 0
	if ! perf_window "$data" "$W"; then
		echo "bench-note path=$1 test=$2 perf record failed, no profile"
		return 0
	fi
	{
		perf report -i "$data" --stdio --sort comm --percent-limit 1 2>/dev/null |
			grep -v -e '^#' -e '^$'
		echo
		perf report -i "$data" --stdio --sort comm,dso,sym --percent-limit 0.5 2>/dev/null |
			grep -v -e '^#' -e '^$' | head -n 50
	} | sed "s/^/bench-profile path=$1 test=$2 | /"
	rm -f "$data"
}

# ---- the application ---------------------------------------------------------------

# eal_args PATH NPORTS: the EAL options of PATH with NPORTS ports.
eal_args()
{
	local i args=(-l "$APP_CPU" --file-prefix bench --log-level 'lib.eal:error' --no-pci)

	for ((i = 0; i < $2; i++)); do
		case $1 in
		kni) ;;
		tap) args+=(--vdev "net_tap$i,iface=btap$i") ;;
		vuser) args+=(--vdev "net_virtio_user$i,path=/dev/vhost-net,iface=bvu$i,queue_size=1024") ;;
		afp) args+=(--vdev "net_af_packet$i,iface=bafp$i") ;;
		esac
	done
	printf '%s\n' "${args[@]}"
}

# kernel_if PATH N: the name of the N-th kernel-side interface of PATH.
kernel_if()
{
	case $1 in
	kni) echo "vEth$2" ;;
	tap) echo "btap$2" ;;
	vuser) echo "bvu$2" ;;
	afp) echo "bk$2" ;;
	esac
}

# path_prepare PATH NPORTS: what must exist before the application starts.
path_prepare()
{
	local i

	[ "$1" = afp ] || return 0
	for ((i = 0; i < $2; i++)); do
		ip link add "bafp$i" type veth peer name "bk$i" || die "veth bafp$i"
		ip link set "bafp$i" up
	done
}

path_cleanup()
{
	local i

	[ "$1" = afp ] || return 0
	for ((i = 0; i < $2; i++)); do
		ip link del "bafp$i" 2>/dev/null
	done
}

# app_start PATH NPORTS APP-ARGS...: start kni_bench, wait for "ready".
app_start()
{
	local path=$1 nports=$2 i eal kni=()

	shift 2
	path_prepare "$path" "$nports"
	mapfile -t eal < <(eal_args "$path" "$nports")
	if [ "$path" = kni ]; then
		for ((i = 0; i < nports; i++)); do
			kni+=(--kni "vEth$i")
		done
	fi
	"$B/kni_bench" "${eal[@]}" -- "${kni[@]}" "$@" >"$APP_LOG" 2>&1 &
	APP_PID=$!
	for i in $(seq 300); do
		grep -q '^ready' "$APP_LOG" && return 0
		kill -0 "$APP_PID" 2>/dev/null || die "kni_bench ($path) exited before ready"
		sleep 0.1
	done
	die "kni_bench ($path) not ready after 30 s"
}

app_stop()
{
	local rc=0

	kill -TERM "$APP_PID"
	wait "$APP_PID" || rc=$?
	((rc == 0)) || die "kni_bench exited $rc"
	APP_PID=
}

# app_count PORT FIELD: the application's counter, fresh (SIGUSR1).
app_count()
{
	local n

	n=$(grep -c "^stats port=$1 " "$APP_LOG")
	kill -USR1 "$APP_PID"
	while (($(grep -c "^stats port=$1 " "$APP_LOG") <= n)); do
		kill -0 "$APP_PID" 2>/dev/null || die "kni_bench exited"
		sleep 0.01
	done
	grep "^stats port=$1 " "$APP_LOG" | tail -n 1 | sed -n "s/.* $2=\([0-9]*\).*/\1/p"
}

# if_up IFACE: the kernel side, with a known MAC and address, and a static
# neighbour for the application's side so that no ARP is needed.
if_up()
{
	ip link set "$1" address "$K_MAC" &&
		ip addr add "$K_IP/24" dev "$1" &&
		ip link set "$1" up &&
		ip neigh replace "$APP_IP" lladdr "$APP_MAC" dev "$1" nud permanent ||
		die "setting up $1"
	# the link comes up asynchronously on some paths
	for _ in $(seq 50); do
		[ "$(cat "/sys/class/net/$1/operstate")" != down ] && return 0
		sleep 0.1
	done
	die "$1 has no carrier"
}

# ---- pktgen ------------------------------------------------------------------------

pg()
{
	echo "$2" >"$PG/$1" || die "pktgen: $1: $2"
}

# pktgen_setup IFACE MODE SIZE DST DST-MAC [SRC]: one pktgen device on
# thread 0, sending until pktgen_stop.
pktgen_setup()
{
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device $1"
	pg "$1" "xmit_mode $2"
	pg "$1" "count 0"
	pg "$1" "clone_skb 0"
	pg "$1" "burst 1"
	pg "$1" "delay 0"
	pg "$1" "pkt_size $3"
	pg "$1" "dst $4"
	pg "$1" "dst_mac $5"
	[ -z "${6:-}" ] || pg "$1" "src_min $6"
	[ -z "${6:-}" ] || pg "$1" "src_max $6"
	pg "$1" "udp_src_min 9"
	pg "$1" "udp_src_max 9"
	pg "$1" "udp_dst_min 9"
	pg "$1" "udp_dst_max 9"
	echo start >"$PG/pgctrl" &
	PG_PID=$! PG_DEV=$1
}

pktgen_stop()
{
	echo stop >"$PG/pgctrl"
	wait "$PG_PID"
	sed -n 's/^Result: /pktgen: /p' "$PG/$PG_DEV" >&2
	pg kpktgend_0 rem_device_all
}

# ---- the measurements --------------------------------------------------------------

# app -> stack, frames of SIZE bytes: what the stack delivered per second.
# The application sends only while the kernel side is fully set up, and
# afterwards, with nothing in flight, the interface's rx_packets must equal
# what was delivered (nothing counted and then lost).
bench_a2s()
{
	local path=$1 size=$2 kif rep t0 t1 u0 u1 i0 i1 r0 r1 k0 k1
	local rx0 ip0 udp0 sent0 full0

	kif=$(kernel_if "$path" 0)
	app_start "$path" 1 --mode tx --paused --size "$size" --src-ip "$APP_IP" \
		--dst-ip "$K_IP" --dst-mac "$K_MAC"
	if_up "$kif"
	sleep 0.5
	rx0=$(if_stat "$kif" rx_packets) ip0=$(snmp Ip InReceives) udp0=$(snmp Udp NoPorts)
	sent0=$(app_count 0 tx) full0=$(app_count 0 tx_full)
	kill -USR2 "$APP_PID"
	sleep 1
	for ((rep = 1; rep <= REPS; rep++)); do
		t0=$(now) u0=$(snmp Udp NoPorts) i0=$(snmp Ip InReceives)
		r0=$(if_stat "$kif" rx_packets) k0=$(kernel_ticks)
		sleep "$W"
		t1=$(now) u1=$(snmp Udp NoPorts) i1=$(snmp Ip InReceives)
		r1=$(if_stat "$kif" rx_packets) k1=$(kernel_ticks)
		result "$path" "a2s$size" "$rep" "$(rate $((u1 - u0)) "$t0" "$t1")" \
			"rx_packets_pps=$(rate $((r1 - r0)) "$t0" "$t1") ip_in_pps=$(rate $((i1 - i0)) "$t0" "$t1")" \
			"vm_kernel_pct=$(pct $((k1 - k0)) "$t0" "$t1")"
	done
	[ "$size" != 64 ] || profile "$path" a2s64
	kill -USR2 "$APP_PID"
	sleep 1
	# ring_full: frames the path refused (the kernel side was the limit)
	echo "bench-count path=$path test=a2s$size sent=$(($(app_count 0 tx) - sent0))" \
		"ring_full=$(($(app_count 0 tx_full) - full0))" \
		"rx_packets=$(($(if_stat "$kif" rx_packets) - rx0))" \
		"ip_in=$(($(snmp Ip InReceives) - ip0)) udp_noports=$(($(snmp Udp NoPorts) - udp0))" \
		"rx_dropped=$(if_stat "$kif" rx_dropped)"
	app_stop
	path_cleanup "$path" 1
}

# stack -> app: pktgen (start_xmit, a fresh skb per frame, thread 0 = CPU 0)
# on the kernel side; what the application received per second.
bench_s2a()
{
	local path=$1 kif rep t0 t1 a0 a1 x0 x1 d0 d1

	kif=$(kernel_if "$path" 0)
	app_start "$path" 1 --mode rx
	if_up "$kif"
	pktgen_setup "$kif" start_xmit 64 "$APP_IP" "$APP_MAC"
	sleep 1
	for ((rep = 1; rep <= REPS; rep++)); do
		t0=$(now) a0=$(app_count 0 rx) x0=$(if_stat "$kif" tx_packets) d0=$(if_stat "$kif" tx_dropped)
		sleep "$W"
		t1=$(now) a1=$(app_count 0 rx) x1=$(if_stat "$kif" tx_packets) d1=$(if_stat "$kif" tx_dropped)
		result "$path" s2a64 "$rep" "$(rate $((a1 - a0)) "$t0" "$t1")" \
			"tx_packets_pps=$(rate $((x1 - x0)) "$t0" "$t1") tx_dropped_pps=$(rate $((d1 - d0)) "$t0" "$t1")"
	done
	pktgen_stop
	app_stop
	path_cleanup "$path" 1
}

# idle_windows LABEL IFACE: REPS windows of 10 s; the kernel CPU time of
# the threads of APP_PID's path (path_kernel) with the threads and symbols
# that used it, and for reference the whole VM's by its tick counters.
idle_windows()
{
	local rep t0 t1 k0 k1 d pct_path threads syms

	for ((rep = 1; rep <= REPS; rep++)); do
		t0=$(now) k0=$(kernel_ticks)
		d=$(path_kernel "$2" 10)
		t1=$(now) k1=$(kernel_ticks)
		read -r pct_path threads syms <<<"$d"
		result "$1" idle "$rep" "$pct_path" \
			"threads=$threads top=$syms vm_kernel_pct=$(pct $((k1 - k0)) "$t0" "$t1")"
	done
}

# Idle: the path set up, its interface up, the application polling and no
# traffic.
bench_idle()
{
	local path=$1 kif

	kif=$(kernel_if "$path" 0)
	app_start "$path" 1 --mode rx
	if_up "$kif"
	sleep 1
	idle_windows "$path" "$kif"
	profile "$path" idle
	app_stop
	path_cleanup "$path" 1
}

# The control for idle: a plain user-space loop where the application
# polls (APP_CPU), measured like a path.  Interrupts and softirqs that land
# on that CPU run in the context of whatever runs there; the path's own
# idle cost is what it takes beyond this.
bench_idle_control()
{
	taskset -c "$APP_CPU" sh -c 'while :; do :; done' &
	APP_PID=$!
	sleep 1
	idle_windows control none
	kill "$APP_PID"
	wait "$APP_PID" 2>/dev/null
	APP_PID=
}

# ping_stats VRF DST COUNT: ping through the path every 10 ms; prints
# "p50 p99" of the round trips in ms.
ping_stats()
{
	ping -I "$1" -c "$3" -i 0.01 -W 1 "$2" 2>/dev/null |
		sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ v[NR] = $1 } END {
			if (NR < 10) { print "- -"; exit }
			printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[int(NR * 0.99 + 0.5)] }'
}

# tcp_run SECONDS: one iperf3 run from vrfA to a one-off server in vrfB,
# its report on stdout; bounded, so that a path that stalls TCP costs at
# most 20 s more.
tcp_run()
{
	local srv

	iperf3 -s -1 -B 198.51.100.2 --bind-dev bvrfB >/dev/null 2>&1 &
	srv=$!
	sleep 0.5
	timeout $(($1 + 20)) iperf3 -c 198.51.100.2 --bind-dev bvrfA -t "$1" -f m 2>&1
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
}

# Through the path both ways: the application forwards between its two
# ports, a wire between two kernel interfaces.  Those two are kept apart
# by two VRFs (rte-kni interfaces stay in the namespace that created them,
# so two namespaces cannot be used for every path alike): a socket bound
# to vrfA reaches 198.51.100.2 in vrfB only through ifA, the application
# and ifB.  TCP with iperf3, then ping round trips idle and under TCP load.
bench_fwd()
{
	local path=$1 a b rep lat mbps

	a=$(kernel_if "$path" 0) b=$(kernel_if "$path" 1)
	app_start "$path" 2 --mode fwd
	ip link add bvrfA type vrf table 10 && ip link add bvrfB type vrf table 20 &&
		ip link set bvrfA up && ip link set bvrfB up &&
		ip link set "$a" master bvrfA && ip link set "$b" master bvrfB &&
		ip addr add 198.51.100.1/24 dev "$a" && ip addr add 198.51.100.2/24 dev "$b" &&
		ip link set "$a" up && ip link set "$b" up || die "$path: VRF setup"
	for _ in $(seq 10); do
		ping -I bvrfA -c 1 -W 1 198.51.100.2 >/dev/null 2>&1 && break
	done
	if ! ping -I bvrfA -c 1 -W 1 198.51.100.2 >/dev/null 2>&1; then
		[ "$path" = kni ] && die "no ping through two rte-kni interfaces"
		# Say so in the table rather than measure nothing.
		echo "bench-note path=$path test=fwd no ping through its two ports" \
			"(app rx/tx per port: $(app_count 0 rx)/$(app_count 0 tx)," \
			"$(app_count 1 rx)/$(app_count 1 tx)), so no TCP or latency rows"
		ip link del bvrfA
		ip link del bvrfB
		app_stop
		path_cleanup "$path" 2
		return
	fi
	# A packet socket gets the veth's frames as they are: TCP segments
	# larger than one mbuf (TSO, GSO) and checksums left for hardware
	# (tx checksumming), which the application then forwards unfinished.
	# TCP stalled at 0 Mbit/s until both were off, as users of
	# net_af_packet turn them off.
	if [ "$path" = afp ]; then
		ethtool -K "$a" tx off tso off gso off >/dev/null &&
			ethtool -K "$b" tx off tso off gso off >/dev/null || die "ethtool -K"
	fi
	lat=$(ping_stats bvrfA 198.51.100.2 200)
	result "$path" lat_idle_p50 1 "${lat% *}"
	result "$path" lat_idle_p99 1 "${lat#* }"
	for ((rep = 1; rep <= REPS; rep++)); do
		mbps=$(tcp_run "$W" | awk '/receiver/ { for (i = 1; i < NF; i++)
			if ($(i + 1) == "Mbits/sec") v = $i } END { print v + 0 }')
		result "$path" tcp "$rep" "$mbps"
	done
	tcp_run $((W + 2)) >/dev/null &
	sleep 2
	lat=$(ping_stats bvrfA 198.51.100.2 $((W * 50)))
	wait $!
	result "$path" lat_load_p50 1 "${lat% *}"
	result "$path" lat_load_p99 1 "${lat#* }"
	ip link del bvrfA
	ip link del bvrfB
	app_stop
	path_cleanup "$path" 2
}

# The ceiling: pktgen handing 64-byte frames straight to the receive path
# (netif_receive) of dummy0, one thread; delivered to UDP per second.
bench_ceiling()
{
	local rep t0 t1 u0 u1

	ip link add bdummy0 type dummy || die "dummy"
	ip link set bdummy0 address "$K_MAC" up
	ip addr add 203.0.113.1/24 dev bdummy0
	# not from our own address: that source would be a martian
	pktgen_setup bdummy0 netif_receive 64 203.0.113.1 "$K_MAC" 203.0.113.9
	sleep 1
	for ((rep = 1; rep <= REPS; rep++)); do
		t0=$(now) u0=$(snmp Udp NoPorts)
		sleep "$W"
		t1=$(now) u1=$(snmp Udp NoPorts)
		result ceiling a2s64 "$rep" "$(rate $((u1 - u0)) "$t0" "$t1")"
	done
	profile ceiling a2s64
	pktgen_stop
	ip link del bdummy0
}

# ---- main ------------------------------------------------------------------------

# Sourced (for an experiment by hand): the functions only.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

[ -x "$B/kni_bench" ] || die "no $B/kni_bench (make all)"
[ -d "$PG" ] || die "pktgen is not loaded"
command -v perf >/dev/null || die "no perf (linux-perf): the idle measurement and -g use it"
echo "bench-info kernel=$(uname -r) cpus=$(nproc) mem_mb=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) / 1024)) hugepages=$(awk '/^HugePages_Total/ { print $2 }' /proc/meminfo) seconds=$W reps=$REPS"
t_start=$(now)
# IPv4 only: an IPv6 router solicitation would count in rx_packets and not
# in Ip InReceives.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
say "ceiling: pktgen netif_receive on a dummy interface"
bench_ceiling
case " $TESTS " in
*" idle "*)
	say "idle control: a user-space loop on the application's CPU"
	bench_idle_control ;;
esac
for path in $PATHS; do
	for t in $TESTS; do
		case $t in
		a2s)
			say "$path: app -> stack, 64 and 1500 bytes"
			bench_a2s "$path" 64
			bench_a2s "$path" 1500 ;;
		s2a)
			say "$path: stack -> app"
			bench_s2a "$path" ;;
		idle)
			say "$path: idle"
			bench_idle "$path" ;;
		fwd)
			say "$path: TCP and ping through the path"
			bench_fwd "$path" ;;
		*) die "unknown test $t" ;;
		esac
	done
done
echo "bench-info vm_seconds=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')"
echo "bench: done"
