#!/bin/bash
# Offload words and headers an application makes up: frames of up to
# 64 KB in well-formed chains, with IPv4, IPv6, TCP and UDP headers right,
# a little off or random, and any checksum verdict, LRO flag and segment
# size in the head mbuf, all offloads on.  Delivered, forwarded back out
# (the stack segments the GSO packets LRO made) or refused for their
# length: each one accounted for exactly, every head back on free_q, and
# the kernel log clean (kni_fuzz_offload).
# vmrun: -c 2 -m 1024 -t 900
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
n=$(scale 3000 100000)
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')

"$B/kni_fuzz_offload" "$n" "$seed" | tee /tmp/offload.out ||
	fail "kni_fuzz_offload $n $seed (replay with the same seed)"
line=$(grep '^offload: ' /tmp/offload.out)
ok "${line#offload: }"
kv()
{
	sed -n "s/.* $1=\([0-9-]*\).*/\1/p" <<<"$line"
}
((n > 0 && $(kv rx_lro) > 0 && $(kv rx_csum_ok) > 0 && $(kv rx_csum_bad) > 0 && $(kv rx_bad_lro) > 0)) ||
	fail "a path not reached: rx_lro=$(kv rx_lro) rx_csum_ok=$(kv rx_csum_ok) rx_csum_bad=$(kv rx_csum_bad) rx_bad_lro=$(kv rx_bad_lro)"
ok "every path reached: LRO taken and refused, checksums vouched for and said bad"
row "ops=$n rejected=0 dropped=$(($(kv rx_too_big) + $(kv rx_bad_lro))) delivered=$(kv rx_packets) lro=$(kv rx_lro) csum_ok=$(kv rx_csum_ok) csum_bad=$(kv rx_csum_bad) seed=$seed"
