# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the VM cases that run a DPDK application (tests/vm/cases/):
# starting and stopping kni_testapp, waiting for its lines, and checking
# numbers.  Every check prints what it saw; the first failure ends the case.

set -eu -o pipefail

B=$RTE_KNI_BIN
APP_PIDS=()

fail()
{
	echo "FAIL: $*"
	exit 1
}

ok()
{
	echo "ok: $*"
}

# app_start LOG EAL-ARGS... -- APP-ARGS...: start kni_testapp in the
# background, wait for "ready"; sets APP_PID.
app_start()
{
	local log=$1 i
	shift
	"$B/kni_testapp" "$@" >"$log" 2>&1 &
	APP_PID=$!
	APP_PIDS+=("$APP_PID")
	for i in $(seq 300); do
		grep -q '^ready' "$log" && return 0
		kill -0 "$APP_PID" 2>/dev/null || { cat "$log"; fail "kni_testapp exited before ready"; }
		sleep 0.1
	done
	cat "$log"
	fail "kni_testapp not ready after 30 s"
}

# app_stop PID LOG: SIGTERM, wait, require exit 0 and print its stats.
app_stop()
{
	local rc=0
	kill -TERM "$1"
	wait "$1" || rc=$?
	# the last value of each counter (SIGUSR1 dumps came before)
	awk -F= '/^[a-z_]+=/ { if (!($1 in v)) k[n++] = $1; v[$1] = $0 }
		 END { for (i = 0; i < n; i++) printf "%s ", v[k[i]]; print "" }' "$2"
	[ "$rc" = 0 ] || { cat "$2"; fail "kni_testapp exited $rc"; }
}

# wait_line LOG REGEX [SECONDS]: until a line of LOG matches.
wait_line()
{
	local i
	for i in $(seq $((${3:-10} * 10))); do
		grep -qE -- "$2" "$1" && return 0
		sleep 0.1
	done
	cat "$1"
	fail "no line matching '$2' in $1"
}

# stat LOG KEY: the value of a key=value line.
stat()
{
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# expect_eq WHAT GOT WANT
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	ok "$1 = $2"
}

# wait_carrier IFACE [LOG]: up to 20 s for the carrier (a port's link
# coming up); LOG, the application's, is shown if it does not come.
wait_carrier()
{
	local i
	for i in $(seq 200); do
		[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	[ -z "${2:-}" ] || cat "$2"
	fail "$1 without carrier"
}

# wait_mac IFACE MAC [SECONDS]: a MAC change is committed once the
# application accepted it, shortly after ip(8) returned: wait for it.
wait_mac()
{
	local i
	for i in $(seq $((${3:-5} * 10))); do
		[ "$(cat "/sys/class/net/$1/address")" = "$2" ] && { ok "$1 has MAC $2"; return 0; }
		sleep 0.1
	done
	fail "$1 has MAC $(cat "/sys/class/net/$1/address"), not $2"
}

# if_stat IFACE NAME: /sys/class/net/IFACE/statistics/NAME
if_stat()
{
	cat "/sys/class/net/$1/statistics/$2"
}

# ethtool_stat IFACE NAME: one counter of ethtool -S
ethtool_stat()
{
	local v
	v=$(ethtool -S "$1" | awk -v k="$2:" '$1 == k { print $2 }')
	# to stderr: this runs inside $(...)
	[ -n "$v" ] || { echo "FAIL: ethtool -S $1 has no $2" >&2; exit 1; }
	echo "$v"
}

# stats_one_to_one IFACE: each error and drop counter of ip -s link is the
# sum of its reasons in ethtool -S, and no reason counts in two of them.
stats_one_to_one()
{
	local dev=$1 name val
	local -A e=()

	while read -r name val; do
		e[${name%:}]=$val
	done < <(ethtool -S "$dev" | tail -n +2)
	expect_eq "$dev rx_errors = rx_bad_addr + rx_bad_len + rx_bad_chain + rx_too_big + rx_bad_lro" \
		"$(if_stat "$dev" rx_errors)" \
		$((e[rx_bad_addr] + e[rx_bad_len] + e[rx_bad_chain] + e[rx_too_big] + e[rx_bad_lro]))
	expect_eq "$dev rx_dropped = rx_nomem" "$(if_stat "$dev" rx_dropped)" $((e[rx_nomem]))
	expect_eq "$dev tx_errors = tx_too_big + tx_csum_err + tx_copy_err + tx_timeout" \
		"$(if_stat "$dev" tx_errors)" \
		$((e[tx_too_big] + e[tx_csum_err] + e[tx_copy_err] + e[tx_timeout]))
	expect_eq "$dev tx_dropped = tx_no_mbuf + tx_ring_full + tx_pad_nomem" \
		"$(if_stat "$dev" tx_dropped)" \
		$((e[tx_no_mbuf] + e[tx_ring_full] + e[tx_pad_nomem]))
}

# gone IFACE [SECONDS]: wait until the interface no longer exists.
gone()
{
	local i
	for i in $(seq $((${2:-10} * 10))); do
		[ -e "/sys/class/net/$1" ] || return 0
		sleep 0.1
	done
	fail "$1 still exists"
}

# The traffic check both directions use: N injected frames of S bytes reach
# a socket on 192.0.2.1, ping gets through, N frames sent by the kernel
# reach the application; LOG is the running application's log.
traffic_check()
{
	local log=$1 n=$2 size=$3 sink_log=/tmp/sink.$$ sent

	ip addr add 192.0.2.1/24 dev vEth0
	"$B/udp_sink" --bind 192.0.2.1 --port 9000 --count "$n" --size "$size" \
		--timeout 60 >"$sink_log" 2>&1 &
	local sink=$!
	wait_line "$sink_log" '^udp_sink: ready'
	ip link set vEth0 up || fail "ip link set vEth0 up"
	ok "ip link set vEth0 up through the request path"
	wait "$sink" || { cat "$sink_log" "$log"; fail "udp_sink"; }
	grep -q "received=$n ok=$n bad=0 dup=0" "$sink_log" || { cat "$sink_log"; fail "injected frames"; }
	ok "$(tail -n 1 "$sink_log") (app -> stack, $size-byte payloads)"

	ping -c 3 -W 5 192.0.2.2 >/tmp/ping.$$ || { cat /tmp/ping.$$; fail "ping"; }
	grep -q ' 0% packet loss' /tmp/ping.$$ || { cat /tmp/ping.$$; fail "ping loss"; }
	ok "$(grep 'packet loss' /tmp/ping.$$)"

	sent=$("$B/udp_sink" --send "$n" --size "$size" --to 192.0.2.2 --port 7000 --pps 3000)
	echo "$sent"
	local i
	for i in $(seq 100); do
		kill -USR1 "$APP_PID" || { cat "$log"; fail "the application exited"; }
		sleep 0.2
		[ "$(stat "$log" udp_rx)" = "$n" ] && break
	done
	expect_eq "udp frames the app received (stack -> app)" "$(stat "$log" udp_rx)" "$n"
	expect_eq "of which bad" "$(stat "$log" udp_rx_bad)" 0
	expect_eq "vEth0 rx_errors" "$(if_stat vEth0 rx_errors)" 0
	expect_eq "vEth0 tx_dropped" "$(if_stat vEth0 tx_dropped)" 0
}

# kill9_app: kill -9 the application; it must end by that signal.
kill9_app()
{
	local rc=0

	kill -KILL "$APP_PID"
	wait "$APP_PID" || rc=$?
	[ "$rc" = 137 ] || fail "the killed application exited $rc, not by SIGKILL"
}

# flood_stop PID LOG: end a udp_sink --send flood through vEth0 after vEth0
# went away.  It is either still sending (SIGTERM ends it) or it stopped
# because vEth0 went: ENETUNREACH once its route is gone, or EINVAL from a
# send in between, when the dying device has lost its IPv4 state and the
# neighbour for the still cached route cannot be made (arp_constructor);
# anything else fails.
flood_stop()
{
	local state rc=0

	kill "$1" 2>/dev/null && state=running || state=stopped
	wait "$1" || rc=$?
	case $state/$rc in
	running/143) ;;
	stopped/1) grep -qE 'sendto: (Network is unreachable|Invalid argument)$' "$2" ||
		{ cat "$2"; fail "flood failed"; } ;;
	*) cat "$2"; fail "flood: $state, exit status $rc" ;;
	esac
}

cleanup_apps()
{
	local p
	for p in "${APP_PIDS[@]}"; do
		# Only those still running: most were waited for already.
		if kill -0 "$p" 2>/dev/null; then
			kill -KILL "$p"
		fi
	done
}
trap cleanup_apps EXIT
