#!/bin/bash
# The raw ABI without DPDK: handshake, malformed ioctls, memory
# registration, create/release, hostile descriptors, rx/tx byte for byte
# (jumbo frames as mbuf chains), requests and their time bound, as a 64-bit
# and as a 32-bit process.  Then the module must unload.
# vmrun: -c 2 -m 1024
set -eu -o pipefail
"$RTE_KNI_BIN/kni_abi_test"
! ip -o link show | grep kniabi || { echo "interfaces left behind"; exit 1; }
# The same from a 32-bit process (compat_ioctl), where one could be built.
if [ -x "$RTE_KNI_BIN/kni_abi_test32" ]; then
	"$RTE_KNI_BIN/kni_abi_test32"
	! ip -o link show | grep kniabi || { echo "interfaces left behind (32-bit)"; exit 1; }
else
	echo "kni_abi_test32: not built (no gcc -m32 where the tests were built)"
fi
rmmod rte_kni
echo "rmmod rte_kni: ok"
