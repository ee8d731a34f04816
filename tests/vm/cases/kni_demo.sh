#!/bin/bash
# The scenario of `make demo` (tests/vm/demo.sh) as a test: NIC0 bound to
# igb_uio with dpdk-devbind.py, the kni example forwarding between it and
# vEth0 (192.0.2.1/24), NIC1 on the kernel's e1000 in netns peer
# (192.0.2.2/24).  Passes when ping loses nothing both ways, iperf3 moves
# data both ways, the SIGUSR1 table counts packets both ways, the EAL got
# link interrupts through /dev/uio0, and bus mastering is off once the
# example has exited.
# vmrun: -n 2 -c 2 -m 1536 -a hugepages=256 -P uio
# modules: rte_kni.ko
# modules: igb_uio.ko
exec bash tests/vm/demo.sh
