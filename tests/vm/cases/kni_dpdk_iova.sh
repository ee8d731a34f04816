#!/bin/bash
# The same traffic in every memory mode DPDK runs in: hugepages with
# IOVA=PA and IOVA=VA, and --no-huge (anonymous 4 KiB pages, IOVA=VA).  The
# kernel works on registered user addresses only, so all must behave alike.
# vmrun: -c 2 -m 1536 -a hugepages=256
. tests/vm/kni_case.sh

# EAL arguments | the IOVA mode the EAL must pick (--no-huge has no
# physical addresses to give: VA)
mode=0
for run in "--iova-mode=pa|PA" "--iova-mode=va|VA" "--no-huge -m 256|VA" \
	   "--no-huge -m 256 --iova-mode=va|VA"; do
	eal=${run%|*} want=${run#*|}
	mode=$((mode + 1))
	echo "== EAL $eal"
	# shellcheck disable=SC2086
	app_start /tmp/app.log --no-pci --vdev=net_null0 -l 0 --file-prefix iova$mode $eal -- \
		--carrier-up --inject 300 --inject-size 1400 --count-udp-port 7000
	expect_eq "IOVA mode" "$(sed -n "s/^EAL: Selected IOVA mode '\(.*\)'$/\1/p" /tmp/app.log)" "$want"
	traffic_check /tmp/app.log 300 1400
	app_stop "$APP_PID" /tmp/app.log
	gone vEth0
done
rmmod rte_kni
ok "rmmod rte_kni"
