/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * udp4.h - the IPv4/UDP headers of the frames the DPDK test programs
 * (kni_testapp, kni_bench) send towards the kernel.
 */
#ifndef KT_UDP4_H
#define KT_UDP4_H

#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

/*
 * Fill the IPv4 header at @ip (don't fragment, TTL 64, its checksum set)
 * and the UDP header after it for @payload bytes of data; addresses in
 * network order.  The UDP checksum is left 0 (none) for the caller.
 */
static inline struct rte_udp_hdr *
kt_udp4_hdr(struct rte_ipv4_hdr *ip, uint32_t src, uint32_t dst,
	    uint16_t port, uint16_t id, uint16_t payload)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(ip, 0, sizeof(*ip) + sizeof(*udp));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + payload);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(port);
	udp->dst_port = rte_cpu_to_be_16(port);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload);
	return udp;
}

#endif /* KT_UDP4_H */
