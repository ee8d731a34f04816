// SPDX-License-Identifier: GPL-2.0
/*
 * kni_offload.c - checksum and segmentation offloads through the rings:
 * what an skb's state becomes in an mbuf's ol_flags and tx_offload, and
 * what the application's mbuf says becomes in an skb.
 *
 * Stack to application, the skb is the kernel's own and its header offsets
 * are trusted, as every driver trusts them; ndo_features_check keeps from
 * us the GSO skbs an mbuf cannot describe.  Application to stack, nothing
 * is: the flags and the segment size are the application's word, and the
 * headers they refer to are parsed from the skb's own copy, within its
 * linear part, before any of it is believed.
 */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "kni.h"

/*
 * Each offload and the interface feature that turns it on.  TX_CSUM's,
 * NETIF_F_HW_CSUM, the interface has anyway (checksums are then finished
 * in software); the others it gains only with the offload.
 */
static const struct {
	u32			offload;
	netdev_features_t	feature;
} kni_offload_map[] = {
	{ RTE_KNI_OFL_TX_CSUM,	NETIF_F_HW_CSUM },
	{ RTE_KNI_OFL_TSO,	NETIF_F_TSO },
	{ RTE_KNI_OFL_TSO6,	NETIF_F_TSO6 },
	{ RTE_KNI_OFL_RX_CSUM,	NETIF_F_RXCSUM },
	{ RTE_KNI_OFL_LRO,	NETIF_F_GRO_HW },
};

/* The features that @offloads add to the interface's own. */
netdev_features_t kni_offload_features(u32 offloads)
{
	netdev_features_t f = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kni_offload_map); i++)
		if (offloads & kni_offload_map[i].offload)
			f |= kni_offload_map[i].feature;
	return f & ~NETIF_F_HW_CSUM;
}

/* Which of the application's @offloads the interface's @features turn on. */
u32 kni_offload_on(u32 offloads, netdev_features_t features)
{
	u32 on = 0;
	unsigned int i;

	/* Per received frame: most applications have none. */
	if (!offloads)
		return 0;
	for (i = 0; i < ARRAY_SIZE(kni_offload_map); i++)
		if (features & kni_offload_map[i].feature)
			on |= kni_offload_map[i].offload;
	return on & offloads;
}

/* ---- stack -> application ---- */

/*
 * Describe CHECKSUM_PARTIAL @skb for the application's port, as
 * rte_net_intel_cksum_prepare() would have it: the ol_flags and tx_offload
 * of the head mbuf.  The checksum field already holds the pseudo-header
 * sum (tcp_v4_send_check() and the like); for TSO it must be without the
 * length, which kni_offload_tx() takes out.  -EOPNOTSUPP: an mbuf cannot
 * say it (not TCP or UDP right after an IPv4 or plain IPv6 header, or
 * headers too long for the fields), the checksum is finished here.
 */
static int kni_offload_tx_meta(const struct sk_buff *skb, u32 offloads,
			       struct kni_tx_meta *m)
{
	unsigned int l2 = skb_network_offset(skb);
	unsigned int l4 = skb_checksum_start_offset(skb);
	unsigned int l3 = l4 - l2, gso = skb_shinfo(skb)->gso_type;
	u32 need = RTE_KNI_OFL_TX_CSUM;
	u64 ol;
	u8 proto;

	/* A GSO skb the stack did not leave a partial checksum in: its own. */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return -EOPNOTSUPP;
	if (l4 <= l2 || l2 > RTE_KNI_MBUF_L2_LEN_MAX ||
	    l3 > RTE_KNI_MBUF_L3_LEN_MAX)
		return -EOPNOTSUPP;

	switch (vlan_get_protocol(skb)) {
	case htons(ETH_P_IP):
		if (l3 < sizeof(struct iphdr) || l3 != ip_hdr(skb)->ihl * 4)
			return -EOPNOTSUPP;
		proto = ip_hdr(skb)->protocol;
		ol = RTE_KNI_MBUF_F_TX_IPV4;
		gso &= ~SKB_GSO_TCPV4;
		if (skb_is_gso(skb))
			need = RTE_KNI_OFL_TSO;
		break;
	case htons(ETH_P_IPV6):
		if (l3 != sizeof(struct ipv6hdr))	/* no extension headers */
			return -EOPNOTSUPP;
		proto = ipv6_hdr(skb)->nexthdr;
		ol = RTE_KNI_MBUF_F_TX_IPV6;
		gso &= ~SKB_GSO_TCPV6;
		if (skb_is_gso(skb))
			need = RTE_KNI_OFL_TSO6;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!(offloads & need))
		return -EOPNOTSUPP;

	if (proto == IPPROTO_TCP &&
	    skb->csum_offset == offsetof(struct tcphdr, check))
		ol |= RTE_KNI_MBUF_F_TX_TCP_CKSUM;
	else if (proto == IPPROTO_UDP && !skb_is_gso(skb) &&
		 skb->csum_offset == offsetof(struct udphdr, check))
		ol |= RTE_KNI_MBUF_F_TX_UDP_CKSUM;
	else
		return -EOPNOTSUPP;

	m->tx_offload = (u64)l2 << RTE_KNI_MBUF_L2_LEN_SHIFT |
			(u64)l3 << RTE_KNI_MBUF_L3_LEN_SHIFT;
	if (skb_is_gso(skb)) {
		/* Plain TCP of the one IP version: no ECN, no fixed IDs. */
		if (gso || !skb_shinfo(skb)->gso_size)
			return -EOPNOTSUPP;
		ol |= RTE_KNI_MBUF_F_TX_TCP_SEG;
		/* DPDK requires the IPv4 header checksum of TSO to the port. */
		if (ol & RTE_KNI_MBUF_F_TX_IPV4)
			ol |= RTE_KNI_MBUF_F_TX_IP_CKSUM;
		m->tx_offload |= (u64)tcp_hdrlen(skb) << RTE_KNI_MBUF_L4_LEN_SHIFT |
				 (u64)skb_shinfo(skb)->gso_size <<
				 RTE_KNI_MBUF_TSO_SEGSZ_SHIFT;
	}
	m->ol_flags = ol;
	return 0;
}

/*
 * ndo_features_check: GSO skbs an mbuf cannot describe are segmented by
 * the stack before they reach kni_start_xmit().
 */
netdev_features_t kni_offload_features_check(struct sk_buff *skb,
					     u32 offloads,
					     netdev_features_t features)
{
	struct kni_tx_meta m;

	if (skb_is_gso(skb) && kni_offload_tx_meta(skb, offloads, &m))
		features &= ~NETIF_F_GSO_MASK;
	return features;
}

/*
 * Prepare @skb for the application, whose port does @offloads: fill @m
 * for its head mbuf, and for TSO take the length out of the pseudo-header
 * sum (as ixgbe_tso() does for its NIC).  Returns 0, -EOPNOTSUPP if the
 * checksum must be finished here instead (never for a GSO skb, which
 * kni_offload_features_check() let through only if it fits), or -ENOMEM.
 */
int kni_offload_tx(struct sk_buff *skb, u32 offloads, struct kni_tx_meta *m)
{
	struct tcphdr *th;
	int err;

	m->ol_flags = 0;
	m->tx_offload = 0;
	if (skb->ip_summed != CHECKSUM_PARTIAL && !skb_is_gso(skb))
		return 0;
	err = kni_offload_tx_meta(skb, offloads, m);
	if (err || !skb_is_gso(skb))
		return err;
	/* The header may be shared with a clone (TCP's): write our own. */
	err = skb_cow_head(skb, 0);
	if (err)
		return err;
	th = tcp_hdr(skb);
	csum_replace_by_diff(&th->check,
			     (__force __wsum)htonl(skb->len - skb_transport_offset(skb)));
	return 0;
}

/* ---- application -> stack ---- */

/* The L4 header of a received frame, as parsed from its linear part. */
struct kni_l4 {
	unsigned int	off;		/* from skb->data (the L3 header) */
	unsigned int	hlen;
	u8		proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	bool		v6;
};

/*
 * Find the TCP or UDP header after an IPv4 header (no fragment) or a
 * plain IPv6 header at skb->data, all of it within the linear part.
 */
static bool kni_offload_parse(const struct sk_buff *skb, struct kni_l4 *l4)
{
	unsigned int len = skb_headlen(skb);
	const struct ipv6hdr *ip6;
	const struct iphdr *iph;
	const struct tcphdr *th;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		iph = (const struct iphdr *)skb->data;
		if (len < sizeof(*iph) || iph->version != 4 || iph->ihl < 5 ||
		    ip_is_fragment(iph))
			return false;
		l4->off = iph->ihl * 4;
		l4->proto = iph->protocol;
		l4->v6 = false;
		break;
	case htons(ETH_P_IPV6):
		ip6 = (const struct ipv6hdr *)skb->data;
		if (len < sizeof(*ip6) || ip6->version != 6)
			return false;
		l4->off = sizeof(*ip6);
		l4->proto = ip6->nexthdr;
		l4->v6 = true;
		break;
	default:
		return false;
	}

	switch (l4->proto) {
	case IPPROTO_TCP:
		if (len < l4->off + sizeof(*th))
			return false;
		th = (const struct tcphdr *)(skb->data + l4->off);
		l4->hlen = th->doff * 4;
		if (l4->hlen < sizeof(*th))
			return false;
		break;
	case IPPROTO_UDP:
		l4->hlen = sizeof(struct udphdr);
		break;
	default:
		return false;
	}
	return len >= l4->off + l4->hlen;
}

/*
 * Smallest segment size an LRO frame may claim: it bounds the segments
 * one frame turns into if it is forwarded (64 KB / 64 = 1024), which the
 * application chooses.
 */
#define KNI_LRO_MIN_SEGSZ	64

/*
 * Apply the head mbuf's @ol_flags and @segsz to @skb, made from its chain
 * and past eth_type_trans(), for the offloads @on.  An LRO frame becomes a
 * GSO skb (SKB_GSO_DODGY: the stack checks it again before it segments
 * it).  Returns KNI_RX_OK, KNI_RX_OK_CSUM_BAD (the port said a checksum is
 * bad: the stack verifies it and drops the frame), or KNI_RX_DROP_LRO
 * when a frame longer than @max_frame is no TCP segment the stack can
 * take as one.
 */
enum kni_rx_verdict kni_offload_rx(struct sk_buff *skb, u32 on, u64 ol_flags,
				   u16 segsz, unsigned int max_frame)
{
	u64 l4sum = ol_flags & RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE;
	u64 ipsum = ol_flags & RTE_KNI_MBUF_F_RX_IP_CKSUM_MASK;
	bool lro = (on & RTE_KNI_OFL_LRO) && (ol_flags & RTE_KNI_MBUF_F_RX_LRO);
	bool parsed = false, big = skb->len + ETH_HLEN > max_frame;
	struct skb_shared_info *sh;
	struct kni_l4 l4;
	unsigned int payload;

	if (!(on & RTE_KNI_OFL_RX_CSUM)) {
		l4sum = 0;
		ipsum = 0;
	}
	if (lro || l4sum == RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE)
		parsed = kni_offload_parse(skb, &l4);

	if (lro && parsed && l4.proto == IPPROTO_TCP &&
	    segsz >= KNI_LRO_MIN_SEGSZ && segsz != GSO_BY_FRAGS) {
		payload = skb->len - l4.off - l4.hlen;
		if (payload > segsz) {
			sh = skb_shinfo(skb);
			sh->gso_size = segsz;
			sh->gso_type = (l4.v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
				       SKB_GSO_DODGY;
			sh->gso_segs = DIV_ROUND_UP(payload, segsz);
			big = false;
		}
	}
	if (big)
		return KNI_RX_DROP_LRO;

	if (ipsum == RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD ||
	    l4sum == RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD)
		return KNI_RX_OK_CSUM_BAD;		/* CHECKSUM_NONE */
	if (l4sum == RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	} else if (l4sum == RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE) {
		/*
		 * The data is good and the field holds the pseudo-header sum
		 * (a virtio port's NEEDS_CSUM): finish it only if the frame
		 * leaves again, as tun does.  Parsed within the linear part,
		 * so skb_partial_csum_set() cannot refuse it.
		 */
		if (!parsed)
			return KNI_RX_OK_CSUM_BAD;
		skb_partial_csum_set(skb, l4.off, l4.proto == IPPROTO_TCP ?
				     offsetof(struct tcphdr, check) :
				     offsetof(struct udphdr, check));
	}
	return KNI_RX_OK;
}
