/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_offload.c - the offloads of rte_kni_set_offloads().  The kernel reads
 * and writes DPDK's ol_flags and tx_offload itself, with the values
 * rte_kni_abi.h gives them; this is where they are checked against the
 * DPDK the library is built with, so that a release that moved one fails
 * to build instead of corrupting packets.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_mbuf.h>

#include "kni_internal.h"

#define KNI_SAME(ours, dpdk) static_assert((ours) == (dpdk), #ours " != " #dpdk)

KNI_SAME(RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD, RTE_MBUF_F_RX_L4_CKSUM_BAD);
KNI_SAME(RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
KNI_SAME(RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE, RTE_MBUF_F_RX_L4_CKSUM_NONE);
KNI_SAME(RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD, RTE_MBUF_F_RX_IP_CKSUM_BAD);
KNI_SAME(RTE_KNI_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_IP_CKSUM_GOOD);
KNI_SAME(RTE_KNI_MBUF_F_RX_IP_CKSUM_MASK, RTE_MBUF_F_RX_IP_CKSUM_MASK);
KNI_SAME(RTE_KNI_MBUF_F_RX_LRO, RTE_MBUF_F_RX_LRO);
KNI_SAME(RTE_KNI_MBUF_F_TX_TCP_SEG, RTE_MBUF_F_TX_TCP_SEG);
KNI_SAME(RTE_KNI_MBUF_F_TX_TCP_CKSUM, RTE_MBUF_F_TX_TCP_CKSUM);
KNI_SAME(RTE_KNI_MBUF_F_TX_UDP_CKSUM, RTE_MBUF_F_TX_UDP_CKSUM);
KNI_SAME(RTE_KNI_MBUF_F_TX_IP_CKSUM, RTE_MBUF_F_TX_IP_CKSUM);
KNI_SAME(RTE_KNI_MBUF_F_TX_IPV4, RTE_MBUF_F_TX_IPV4);
KNI_SAME(RTE_KNI_MBUF_F_TX_IPV6, RTE_MBUF_F_TX_IPV6);
KNI_SAME(RTE_KNI_MBUF_L2_LEN_SHIFT, RTE_MBUF_L2_LEN_OFS);
KNI_SAME(RTE_KNI_MBUF_L3_LEN_SHIFT, RTE_MBUF_L3_LEN_OFS);
KNI_SAME(RTE_KNI_MBUF_L4_LEN_SHIFT, RTE_MBUF_L4_LEN_OFS);
KNI_SAME(RTE_KNI_MBUF_TSO_SEGSZ_SHIFT, RTE_MBUF_TSO_SEGSZ_OFS);
KNI_SAME(RTE_KNI_MBUF_L2_LEN_MAX, (1 << RTE_MBUF_L2_LEN_BITS) - 1);
KNI_SAME(RTE_KNI_MBUF_L3_LEN_MAX, (1 << RTE_MBUF_L3_LEN_BITS) - 1);
KNI_SAME(RTE_KNI_MBUF_L4_LEN_MAX, (1 << RTE_MBUF_L4_LEN_BITS) - 1);
KNI_SAME(RTE_KNI_MBUF_TSO_SEGSZ_MAX, (1 << RTE_MBUF_TSO_SEGSZ_BITS) - 1);
/* rte_kni.h's offloads are the ABI's. */
KNI_SAME(RTE_KNI_OFFLOAD_TX_CSUM, RTE_KNI_OFL_TX_CSUM);
KNI_SAME(RTE_KNI_OFFLOAD_TSO, RTE_KNI_OFL_TSO);
KNI_SAME(RTE_KNI_OFFLOAD_TSO6, RTE_KNI_OFL_TSO6);
KNI_SAME(RTE_KNI_OFFLOAD_RX_CSUM, RTE_KNI_OFL_RX_CSUM);
KNI_SAME(RTE_KNI_OFFLOAD_LRO, RTE_KNI_OFL_LRO);

/* RTE_KNI_IOC_OFFLOAD: the offloads now on, or -errno. */
int kni_offload_set(struct rte_kni *kni, uint32_t offloads)
{
	struct rte_kni_offload o;
	int ret;

	memset(&o, 0, sizeof(o));
	o.ifindex = kni->ifindex;
	o.offloads = offloads;
	o.ol_flags = offsetof(struct rte_mbuf, ol_flags);
	o.tx_offload = offsetof(struct rte_mbuf, tx_offload);
	ret = kni_dev_ioctl(RTE_KNI_IOC_OFFLOAD, &o);
	if (ret < 0)
		return ret == -ENOTTY || ret == -EOPNOTSUPP ? -ENOTSUP : ret;
	return o.offloads;
}
