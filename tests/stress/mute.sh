#!/bin/bash
# An application that stops answering requests: every up and MTU request
# fails with ETIMEDOUT within request_timeout_ms (3 s) plus scheduling
# slack, a MAC change (which does not wait) returns at once and is never
# committed, the interface keeps its state, and the kernel log stays clean.
# vmrun: -c 2 -m 1536 -a hugepages=256 -t 1800
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
tries=$(scale 3 20)

app_start /tmp/app.log --no-pci --vdev=net_null0 -l 0 --file-prefix mute -- --no-requests
mac=$(cat /sys/class/net/vEth0/address)
max=0 macs=0
for ((t = 1; t <= tries; t++)); do
	case $((t % 3)) in
	0) what="link set vEth0 up" ;;
	1) what="link set vEth0 mtu $((1000 + t))" ;;
	2)
		start=${EPOCHREALTIME/./}
		ip link set vEth0 address "02:00:00:00:00:$(printf %02x "$t")" ||
			fail "MAC change not even asked"
		ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
		((ms < 1000)) || fail "MAC change took $ms ms"
		macs=$((macs + 1))
		continue ;;
	esac
	start=$EPOCHREALTIME
	# shellcheck disable=SC2086
	if ip $what 2>/tmp/mute.err; then fail "ip $what succeeded without an answer"; fi
	ms=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	grep -q 'timed out' /tmp/mute.err || { cat /tmp/mute.err; fail "ip $what: not a timeout"; }
	((ms < 6000)) || fail "ip $what took $ms ms"
	((ms > max)) && max=$ms
done
ok "$((tries - macs)) unanswered requests, each ETIMEDOUT, slowest $max ms; $macs MAC changes returned at once"
expect_eq "vEth0 mtu" "$(cat /sys/class/net/vEth0/mtu)" 1500
expect_eq "vEth0 MAC (never accepted)" "$(cat /sys/class/net/vEth0/address)" "$mac"
grep -q 'UP' <(ip -o link show vEth0 | grep -o '<[^>]*>') && fail "vEth0 up without an answer"
app_stop "$APP_PID" /tmp/app.log >/dev/null
gone vEth0
row "ops=$tries rejected=$((tries - macs)) dropped=0 slowest_ms=$max"
