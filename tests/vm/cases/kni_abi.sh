#!/bin/bash
# The raw ABI without DPDK: handshake, malformed ioctls, memory
# registration, create/release, hostile descriptors, rx/tx byte for byte
# (jumbo frames as mbuf chains), requests and their time bound.  Then the
# module must unload.
# vmrun: -c 2 -m 1024
set -eu -o pipefail
"$RTE_KNI_BIN/kni_abi_test"
! ip -o link show | grep kniabi || { echo "interfaces left behind"; exit 1; }
rmmod rte_kni
echo "rmmod rte_kni: ok"
