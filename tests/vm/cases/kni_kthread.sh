#!/bin/bash
# The same ABI checks with the busy-poll schedulers instead of NAPI's
# need-wakeup: one thread per interface, then one for all.
# vmrun: -c 2 -m 1024
# modules: none
set -eu -o pipefail
for mode in multiple single; do
	insmod "$RTE_KNI_MODDIR/rte_kni.ko" kthread_mode=$mode
	echo "== kthread_mode=$mode"
	# The summary, and any check that failed.
	"$RTE_KNI_BIN/kni_abi_test" | grep -E '^not ok|^kni_abi_test:'
	rmmod rte_kni
done
