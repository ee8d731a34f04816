#!/bin/bash
# ring fuzzer: an application (kni_fuzz_ring, raw ABI) floods rx_q with
# random descriptors, each built definitely good or definitely bad (inside
# and outside registered memory, random mbuf fields, cycles, huge segment
# counts, lengths that do not add up, mutated good chains), while good UDP
# frames flow to a socket.  The kernel must drop and count exactly the bad
# ones, per reason (ethtool -S) and in rx_errors, deliver every good one
# (counted at the socket, UDP RcvbufErrors unchanged), hand every readable
# mbuf back on free_q, and log nothing.  Passes: NAPI with 4 KiB pages and
# with hugepages, and the busy-poll schedulers (kthread_mode=single and
# multiple, full scale only).  After some passes, a chaos phase: every
# index and flags word of all six rings jumping by any amount, runs of
# slots overwritten, a runaway alloc_q (2^31 ahead over unusable slots),
# mbuf fields flipped while the kernel reads them, garbage on alloc_q under
# tx traffic, up/down and MTU changes; the kernel must survive it cleanly
# and never stall (vmrun fails on soft lockups and RCU stalls), and the
# next pass shows the module still exact.
# vmrun: -c 2 -m 1536 -a hugepages=256 -t 1200
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
seed=${FUZZ_SEED:-$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')}
# MODE SECONDS CHAOS-SECONDS
if [ "$STRESS_SCALE" = full ]; then
	passes=("napi 60 20" "napi-huge 30 0" "single 20 20" "multiple 20 0")
else
	passes=("napi 8 3" "napi-huge 4 0")
fi

# udp KEY: a field of /proc/net/snmp's Udp line.
udp()
{
	awk -v k="$1" '/^Udp:/ { if (!n) { for (i = 2; i <= NF; i++) f[$i] = i; n = 1 }
		else { print $f[k]; exit } }' /proc/net/snmp
}

# parse_summary LOG: the program's summary line into sum[KEY].
parse_summary()
{
	local kv line

	sum=()
	line=$(grep '^kni_fuzz_ring: seed=' "$1") || return 1
	for kv in $line; do
		[[ $kv = *=* ]] && sum[${kv%%=*}]=${kv#*=}
	done
	return 0
}

# want WHAT GOT EXPECTED: a check whose failure is reported after the row.
errors=()
want()
{
	if [ "$2" = "$3" ]; then
		ok "$1 = $2"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		errors+=("$1: got '$2', want '$3'")
	fi
}

dmesg -C
rcvbuf0=$(udp RcvbufErrors)
tot_posted=0 tot_bad=0 tot_good=0 tot_delivered=0 tot_wake=0 tot_wake_err=0
tot_chaos=0 tot_flips=0
declare -A tot_reason=()
pass=0
for p in "${passes[@]}"; do
	read -r mode secs chaos <<<"$p"
	pass=$((pass + 1))
	args=(--seed $((seed + pass)) --secs "$secs" --hold --chaos "$chaos")
	case $mode in
	napi-huge) args+=(--hugepages) ;;
	single | multiple)
		rmmod rte_kni || fail "rmmod rte_kni before kthread_mode=$mode"
		insmod "$RTE_KNI_MODDIR/rte_kni.ko" kthread_mode="$mode" ||
			fail "insmod rte_kni.ko kthread_mode=$mode" ;;
	esac
	echo "== pass $pass: $mode, $secs s, then $chaos s of chaos, seed $((seed + pass))"
	log=/tmp/fuzz_ring.$pass
	"$B/kni_fuzz_ring" "${args[@]}" >"$log" 2>&1 &
	pid=$!
	APP_PIDS+=("$pid")
	# Stay out of the way while it runs: two vCPUs, and TCG makes every
	# exec expensive.
	sleep "$secs"
	for ((i = 0; i < 1200; i++)); do
		grep -qE '^kni_fuzz_ring: (holding|seed=)' "$log" || ! kill -0 "$pid" 2>/dev/null && break
		sleep 0.1
	done
	sed -nE '/^(kni_fuzz_ring: (rx_|class|mbuf|kfr0|seed=)|FAIL|MISMATCH)/p' "$log"
	declare -A sum=()
	if ! parse_summary "$log"; then
		tail -n 40 "$log"
		errors+=("pass $pass ($mode): kni_fuzz_ring ended without a summary (replay: ${args[*]})")
		break
	fi

	# The program compared its own reading of the counters; read them
	# again here with ethtool and sysfs while the interface is held.
	if grep -q '^kni_fuzz_ring: holding' "$log"; then
		declare -A eth=()
		while read -r k v; do
			eth[${k%:}]=$v
		done < <(ethtool -S kfr0 | tail -n +2)
		for r in rx_bad_addr rx_bad_len rx_bad_chain rx_too_big; do
			want "pass $pass ethtool -S kfr0 $r" "${eth[$r]}" "${sum[$r]}"
			tot_reason[$r]=$((${tot_reason[$r]:-0} + sum[$r]))
		done
		want "pass $pass ethtool -S kfr0 rx_nomem" "${eth[rx_nomem]}" 0
		want "pass $pass kfr0 rx_errors (= bad posted)" "$(if_stat kfr0 rx_errors)" "${sum[bad]}"
		want "pass $pass kfr0 rx_packets (= good posted)" "$(if_stat kfr0 rx_packets)" "${sum[good]}"
		want "pass $pass datagrams at the socket (= good posted)" "${sum[delivered]}" "${sum[good]}"
		kill -USR1 "$pid"
	fi
	rc=0
	((chaos)) && sleep "$chaos"
	wait "$pid" || rc=$?
	if line=$(grep '^kni_fuzz_ring: chaos' "$log"); then
		echo "$line"
		[[ $line =~ \ posted=([0-9]+)\ flips=([0-9]+) ]] &&
			tot_chaos=$((tot_chaos + BASH_REMATCH[1])) tot_flips=$((tot_flips + BASH_REMATCH[2]))
	fi
	if [ "$rc" != 0 ]; then
		# its own FAIL lines are above; anything else, show the end
		[ "${sum[result]}" = FAIL ] || tail -n 40 "$log"
		errors+=("pass $pass ($mode): kni_fuzz_ring exited $rc (replay: ${args[*]})")
	fi
	for ((i = 0; i < 100; i++)); do
		[ -e /sys/class/net/kfr0 ] || break
		sleep 0.1
	done
	[ -e /sys/class/net/kfr0 ] && errors+=("pass $pass: kfr0 still exists after its file was closed")
	posted=${sum[posted]}
	((posted > 0)) || errors+=("pass $pass posted nothing")
	tot_posted=$((tot_posted + posted))
	tot_bad=$((tot_bad + sum[bad]))
	tot_good=$((tot_good + sum[good]))
	tot_delivered=$((tot_delivered + sum[delivered]))
	tot_wake=$((tot_wake + sum[wakeups]))
	tot_wake_err=$((tot_wake_err + sum[wakeup_errors]))
	[ "${sum[result]}" = ok ] || errors+=("pass $pass ($mode): kni_fuzz_ring found differences (replay: ${args[*]})")
	echo "pass $pass ($mode): $posted descriptors, ${sum[bad]} bad, ${sum[good]} good, result ${sum[result]}"
done

rcvbuf1=$(udp RcvbufErrors)
want "UDP RcvbufErrors over the run" $((rcvbuf1 - rcvbuf0)) 0

# Nothing from the driver or about the interface, no warnings of any kind;
# but the module's load line, the note that teardown could not return its
# stashed mbufs because the application (chaos) left free_q full, and what
# chaos on the request rings makes of requests (req_q full, timeouts).
klog=$(klog_unexpected kfr0 '\] kfr0( \(unregistered\))?: free_q full: [0-9]+ mbufs not returned$|\] kfr0: req_q full: the application is not handling requests$|\] kfr0: (up/down|MTU) request timed out: the application did not answer within [0-9]+ ms$') ||
	fail "cannot read the kernel log"
if [ -n "$klog" ]; then
	echo "$klog" | head -n 40
	errors+=("kernel log not clean (seed $seed)")
fi
rmmod rte_kni || errors+=("rmmod rte_kni after the fuzzer")

row "ops=$tot_posted rejected=$tot_wake_err dropped=$tot_bad good=$tot_good delivered=$tot_delivered" \
	"bad_addr=${tot_reason[rx_bad_addr]:-0} bad_len=${tot_reason[rx_bad_len]:-0}" \
	"bad_chain=${tot_reason[rx_bad_chain]:-0} too_big=${tot_reason[rx_too_big]:-0}" \
	"wakeups=$tot_wake chaos_posted=$tot_chaos chaos_flips=$tot_flips passes=$pass" \
	"klog_lines=$(grep -c . <<<"$klog") seed=$seed"

((${#errors[@]} == 0)) || fail "${errors[0]}${errors[1]:+ (and $((${#errors[@]} - 1)) more)}"
ok "every pass exact: bad dropped and counted per reason, good all delivered, free_q complete"
ok "kernel log clean, rmmod rte_kni"
