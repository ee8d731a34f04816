# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the stress cases (tests/stress/*.sh) after kni_case.sh.  A case
# runs at STRESS_SCALE=short inside make check and at full under make
# stress, and ends with one line the runner puts in its table:
#   stress: ops=N rejected=N dropped=N [key=value...]
# ops: operations done; rejected: those the kernel refused with an error;
# dropped: packets or descriptors the kernel dropped and counted.

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"	# RK_KLOG_FINDINGS

STRESS_SCALE=${STRESS_SCALE:-short}
case $STRESS_SCALE in
short | full) ;;
*) fail "STRESS_SCALE=$STRESS_SCALE: expected short or full" ;;
esac

# scale SHORT FULL: the number for this run.
scale()
{
	if [ "$STRESS_SCALE" = full ]; then echo "$2"; else echo "$1"; fi
}

row()
{
	echo "stress: $*"
}

# meminfo KEY: a /proc/meminfo value in kB.
meminfo()
{
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# settle: let deferred frees (RCU, work items) finish before measuring,
# then shrink every slab cache.  Shrinking frees empty slabs, and on a KASAN
# kernel it also empties the quarantine, where freed objects otherwise stay
# counted as slab (kmem_cache_shrink -> kasan_cache_shrink): without it
# churn on the debug kernel saw SUnreclaim +5180 kB with kmemleak finding
# nothing; with it, 1000 interfaces left -460 kB.
settle()
{
	local f

	sleep 2
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f"
	done
	sleep 1
}

# What rte_kni says in normal operation on any kernel: its banner, and
# where a kernel has no threaded NAPI (before 5.12), what runs receive.
KLOG_NOTICES='\] rte_kni [^ ]+ loaded \(ABI [0-9]+, kthread_mode=[a-z]+, carrier=[a-z]+\)$|\] rte_kni: this kernel has no threaded NAPI: '

# klog_unexpected NAMES ALLOWED: the kernel log lines that are findings
# (oops, warnings, sanitizers, leaks) or mention rte_kni or an interface
# matching the regex NAMES, less KLOG_NOTICES and those matching the regex
# ALLOWED.  awk, not grep -v: no line left is the good case, not an error
# status.
klog_unexpected()
{
	# Through the environment: awk -v would eat the regexes' backslashes.
	dmesg | findings=$RK_KLOG_FINDINGS names=$1 allowed=$2 notices=$KLOG_NOTICES awk '
		$0 ~ ENVIRON["findings"] || /rte_kni/ || $0 ~ ENVIRON["names"] {
			if ($0 !~ ENVIRON["allowed"] && $0 !~ ENVIRON["notices"]) print
		}'
}
