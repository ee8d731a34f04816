#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the VM's init: PID 1 after switch_root, running the host's bash
# on the host's root.  Loads the requested modules, runs the command and
# hands output, exit status and the kernel log back through the job dir,
# then powers off.  vmrun copies this file into the job dir.

job=$1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb

uptime_s()
{
	local up rest

	read -r up rest </proc/uptime
	echo "$up"
}

# vmrun tells "the VM never reached the command" (retried) from a failure
# of the modules or the command (never retried) by this file.
uptime_s >"$job/booted"

# VM_CWD, VM_TIMEOUT, VM_PROBES[], VM_MODULES[] and the -e exports.
. "$job/job.env"

# A task stuck in D state for 10 s is reported (and fails the test).
echo 10 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null

# kmemleak (the debug kernel): find and forget what boot left unreferenced,
# so that what is reported at the end was allocated while the test ran.
kmemleak=/sys/kernel/debug/kmemleak
[ -w "$kmemleak" ] && echo scan >"$kmemleak" && echo clear >"$kmemleak"

# A kernel from a kernel root has its modules there, not on the host.
kver=$(uname -r)
[ -n "$VM_KROOT" ] && [ ! -e "/lib/modules/$kver" ] &&
	ln -s "$VM_KROOT/lib/modules/$kver" "/lib/modules/$kver"

# Keep the kernel's netstamp static key on for the whole run.  Every ping
# turns it on and off again, and each change rewrites the receive path's
# code (text_poke_bp) while NAPI may be running it on the other vCPU; qemu's
# multi-threaded TCG can then run the half-patched code: "Oops: int3" in
# __netif_receive_skb_core, or a soft lockup in
# netif_receive_skb_list_internal.  A ping that sleeps for an hour holds
# the key (its socket has SO_TIMESTAMP), so the tests' pings never flip it.
ping -q -i 3600 127.0.0.1 >/dev/null 2>&1 &

run()
{
	local mod limit

	for mod in "${VM_PROBES[@]}"; do
		modprobe $mod || { echo "vmrun: modprobe $mod failed"; return 4; }
	done
	for mod in "${VM_MODULES[@]}"; do
		insmod $mod || { echo "vmrun: insmod $mod failed"; return 4; }
	done
	cd "$VM_CWD" || return 4

	# Time out inside the VM a little before vmrun's own limit, so that a
	# hung command still leaves its output and the kernel log behind.
	limit=$(( VM_TIMEOUT - ${1%.*} - 15 ))
	(( limit >= 10 )) || limit=10
	uptime_s >"$job/started"
	timeout -k 5 "$limit" bash "$job/cmd.sh" </dev/null
}

run "$(uptime_s)" >"$job/output" 2>&1
echo $? >"$job/rc"
# kmemleak reports only objects older than 5 s, found by a scan.
if [ -w "$kmemleak" ]; then
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$job/kmemleak.txt"
fi
dmesg >"$job/dmesg.txt"
uptime_s >"$job/done"
sync
busybox poweroff -f
echo o >/proc/sysrq-trigger
sleep 10
