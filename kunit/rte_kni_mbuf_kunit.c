// SPDX-License-Identifier: GPL-2.0
/*
 * rte_kni_mbuf_kunit.c - KUnit suite for driver/kni_mbuf.c and the address
 * translation of driver/kni_mem.c.
 *
 * Both files are compiled into this module as they are.  The application's
 * packet memory is played by one kvzalloc()ed area registered by hand as a
 * struct kni_mem region at a user-looking address, so kni_mem_xlate() runs
 * unchanged and nothing has to be pinned.  The mbufs in it are laid out like
 * DPDK's and described to the driver through kni_layout_check(), as the
 * library does at create time.
 *
 * Receive (mbuf chain -> skb) and transmit (skb -> mbuf chain) are each one
 * table-driven case over chain and skb shapes, in the style of
 * net/core/net_test.c; every rejection is checked with its verdict and the
 * counter the driver accounts it in.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ip6_checksum.h>

#include "../driver/kni_mem.c"
#include "../driver/kni_mbuf.c"
#include "../driver/kni_offload.c"

/* The fields the driver uses sit where DPDK 22.11's struct rte_mbuf has them. */
struct kni_test_mbuf {
	u64	buf_addr;		/* 0 */
	u64	buf_iova;
	u16	data_off;		/* 16 */
	u16	refcnt;
	u16	nb_segs;		/* 20 */
	u16	port;
	u64	ol_flags;
	u32	packet_type;
	u32	pkt_len;		/* 36 */
	u16	data_len;		/* 40 */
	u16	vlan_tci;
	u8	hash[8];
	u16	vlan_tci_outer;
	u16	buf_len;		/* 54 */
	u64	pool;
	u64	next;			/* 64: second cache line */
	u64	tx_offload;		/* 72 */
	u8	cacheline1[48];
};

static_assert(sizeof(struct kni_test_mbuf) == 128);

#define KNI_TEST_UADDR		0x7f5a00000000ULL	/* where the "application" sees it */
#define KNI_TEST_HDR		((u32)sizeof(struct kni_test_mbuf))
#define KNI_TEST_HEADROOM	128
#define KNI_TEST_BUF_LEN	(KNI_TEST_HEADROOM + 2048)
#define KNI_TEST_STRIDE		(KNI_TEST_HDR + KNI_TEST_BUF_LEN)
#define KNI_TEST_NR_MBUF	160
#define KNI_TEST_AREA		((size_t)KNI_TEST_NR_MBUF * KNI_TEST_STRIDE)
#define KNI_TEST_ALLOC_RING	128

static const u8 kni_test_host_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const u8 kni_test_peer_mac[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

struct kni_mbuf_test_priv {
	struct net_device	*dev;
	u8			*area;		/* the registered memory */
	u8			*snapshot;	/* a copy of it, to compare */
	struct kni_mem		mem;
	struct kni_layout	layout;
	struct kni_mbuf_ctx	ctx;
};

static int kni_mbuf_test_init(struct kunit *test)
{
	const struct rte_kni_mbuf_layout in = {
		.hdr_size	= KNI_TEST_HDR,
		.buf_addr	= offsetof(struct kni_test_mbuf, buf_addr),
		.data_off	= offsetof(struct kni_test_mbuf, data_off),
		.nb_segs	= offsetof(struct kni_test_mbuf, nb_segs),
		.pkt_len	= offsetof(struct kni_test_mbuf, pkt_len),
		.data_len	= offsetof(struct kni_test_mbuf, data_len),
		.buf_len	= offsetof(struct kni_test_mbuf, buf_len),
		.next		= offsetof(struct kni_test_mbuf, next),
	};
	struct kni_mbuf_test_priv *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	test->priv = p;
	p->area = kvzalloc(KNI_TEST_AREA, GFP_KERNEL);
	p->snapshot = kvzalloc(KNI_TEST_AREA, GFP_KERNEL);
	p->dev = alloc_etherdev(0);
	if (!p->area || !p->snapshot || !p->dev)
		return -ENOMEM;
	eth_hw_addr_set(p->dev, kni_test_host_mac);

	p->mem.region[0].uaddr = KNI_TEST_UADDR;
	p->mem.region[0].len = KNI_TEST_AREA;
	p->mem.region[0].kva = p->area;
	p->mem.nr = 1;
	if (kni_layout_check(&in, &p->layout))
		return -EINVAL;
	p->ctx.mem = &p->mem;
	p->ctx.layout = &p->layout;
	p->ctx.dev = p->dev;
	p->ctx.napi = NULL;		/* process context: netdev_alloc_skb */
	return 0;
}

static void kni_mbuf_test_exit(struct kunit *test)
{
	struct kni_mbuf_test_priv *p = test->priv;

	if (!p)
		return;
	if (p->dev)
		free_netdev(p->dev);
	kvfree(p->snapshot);
	kvfree(p->area);
	kfree(p);
}

static u64 kni_test_mbuf_uaddr(unsigned int i)
{
	return KNI_TEST_UADDR + (u64)i * KNI_TEST_STRIDE;
}

/* The test's own view of a user address: NULL outside the area. */
static void *kni_test_kva(struct kni_mbuf_test_priv *p, u64 uaddr, u64 len)
{
	if (uaddr < KNI_TEST_UADDR || len > KNI_TEST_AREA ||
	    uaddr - KNI_TEST_UADDR > KNI_TEST_AREA - len)
		return NULL;
	return p->area + (uaddr - KNI_TEST_UADDR);
}

static struct kni_test_mbuf *kni_test_mbuf(struct kni_mbuf_test_priv *p,
					   unsigned int i)
{
	return kni_test_kva(p, kni_test_mbuf_uaddr(i), KNI_TEST_HDR);
}

/* Packet bytes: a pattern whose period divides no segment size used here. */
static u8 kni_test_byte(unsigned int k)
{
	return (u8)(k * 29 + (k >> 8) * 7 + 3);
}

/* ---- receive: mbuf chain -> skb ---- */

#define KNI_RX_MAX_LENS	8

/* How data_off is set on the segment a case picks. */
enum kni_rx_off {
	KNI_OFF_HEADROOM,	/* DPDK's default */
	KNI_OFF_ZERO,		/* data at the very start of the buffer */
	KNI_OFF_END,		/* data ends at the very end of the buffer */
	KNI_OFF_PAST_END,	/* one byte beyond that */
	KNI_OFF_U16_MAX,
};

/* What is wrong with the chain, beyond its lengths and counts. */
enum kni_rx_fault {
	KNI_FAULT_NONE,
	KNI_FAULT_HEAD_OUTSIDE,		/* head just past the registered area */
	KNI_FAULT_HEAD_STRADDLE,	/* head header runs off the area's end */
	KNI_FAULT_NEXT_OUTSIDE,		/* last next: past the area */
	KNI_FAULT_NEXT_BELOW,		/* last next: just below the area */
	KNI_FAULT_NEXT_STRADDLE,	/* last next: header runs off the end */
	KNI_FAULT_NEXT_KERNEL,		/* last next: a kernel address */
	KNI_FAULT_CYCLE_HEAD,		/* last next: back to the head */
	KNI_FAULT_CYCLE_SELF,		/* head->next = head, nb_segs = max */
	KNI_FAULT_BUF_OUTSIDE,		/* seg's buf_addr past the area */
	KNI_FAULT_BUF_KERNEL,		/* seg's buf_addr a kernel address */
};

struct kni_rx_case {
	const char		*desc;
	u16			nsegs;		/* mbufs in the chain */
	u16			len[KNI_RX_MAX_LENS]; /* data_len; the last repeats */
	u16			ethertype;
	bool			broadcast;
	u8			seg;		/* where off, buf_len, BUF_* apply */
	enum kni_rx_off		off;
	u16			buf_len;	/* 0: KNI_TEST_BUF_LEN */
	int			pkt_len_delta;	/* pkt_len = sum(data_len) + this */
	int			nb_segs_delta;	/* nb_segs = nsegs + this */
	enum kni_rx_fault	fault;
	unsigned int		mtu;		/* 0: the netdev default, 1500 */
	enum kni_rx_verdict	verdict;
	enum kni_counter	counter;	/* for a rejection */
};

#define RX_OK		.verdict = KNI_RX_OK
#define RX_DROP(v, c)	.verdict = KNI_RX_DROP_##v, .counter = KNI_RX_##c

static const struct kni_rx_case kni_rx_cases[] = {
	/* one segment */
	{ "one_seg_min_eth_header_14", 1, { 14 }, ETH_P_IP, RX_OK },
	{ "one_seg_min_frame_60", 1, { 60 }, ETH_P_IP, RX_OK },
	{ "one_seg_typical_590", 1, { 590 }, ETH_P_IPV6, RX_OK },
	{ "one_seg_max_1518_vlan", 1, { 1518 }, ETH_P_8021Q, RX_OK },
	{ "one_seg_broadcast_arp_60", 1, { 60 }, ETH_P_ARP, .broadcast = true, RX_OK },
	{ "one_seg_shorter_than_eth_header", 1, { 13 }, ETH_P_IP,
	  RX_DROP(LEN, BAD_LEN) },
	/* chains */
	{ "chain_2", 2, { 60, 40 }, ETH_P_IPV6, RX_OK },
	{ "chain_3_uneven_1518", 3, { 14, 1000, 504 }, ETH_P_IP, RX_OK },
	{ "chain_8", 8, { 100, 1, 2, 3, 200, 64, 64, 77 }, ETH_P_IP, RX_OK },
	{ "chain_64_max_segs", 64, { 20 }, ETH_P_IP, RX_OK },
	{ "chain_65_too_many_segs", 65, { 20 }, ETH_P_IP, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "jumbo_chain_mtu_9000", 5, { 2048, 2048, 2048, 2048, 826 }, ETH_P_IP,
	  .mtu = 9000, RX_OK },
	/* data_off at both ends of the buffer, and beyond */
	{ "data_off_0", 1, { 100 }, ETH_P_IP, .off = KNI_OFF_ZERO, RX_OK },
	{ "data_off_data_ends_at_buf_end", 1, { 1500 }, ETH_P_IP,
	  .off = KNI_OFF_END, RX_OK },
	{ "data_off_end_mid_chain", 3, { 60, 700, 60 }, ETH_P_IP, .seg = 1,
	  .off = KNI_OFF_END, RX_OK },
	{ "data_off_zero_mid_chain", 3, { 60, 700, 60 }, ETH_P_IP, .seg = 2,
	  .off = KNI_OFF_ZERO, RX_OK },
	{ "data_off_plus_len_past_buf_end", 1, { 100 }, ETH_P_IP,
	  .off = KNI_OFF_PAST_END, RX_DROP(LEN, BAD_LEN) },
	{ "data_off_past_end_mid_chain", 3, { 60, 700, 60 }, ETH_P_IP, .seg = 1,
	  .off = KNI_OFF_PAST_END, RX_DROP(LEN, BAD_LEN) },
	{ "data_off_u16_max", 1, { 100 }, ETH_P_IP, .off = KNI_OFF_U16_MAX,
	  RX_DROP(LEN, BAD_LEN) },
	{ "data_len_over_buf_len", 1, { 101 }, ETH_P_IP, .off = KNI_OFF_ZERO,
	  .buf_len = 100, RX_DROP(LEN, BAD_LEN) },
	/* zero-length segments are legal and contribute nothing */
	{ "zero_len_first_seg", 2, { 0, 60 }, ETH_P_IP, RX_OK },
	{ "zero_len_middle_seg", 3, { 60, 0, 40 }, ETH_P_IP, RX_OK },
	{ "zero_len_last_seg", 2, { 60, 0 }, ETH_P_IP, RX_OK },
	/* pkt_len and nb_segs against the chain */
	{ "pkt_len_over_sum_data_len", 2, { 60, 40 }, ETH_P_IP,
	  .pkt_len_delta = 1, RX_DROP(LEN, BAD_LEN) },
	{ "pkt_len_under_sum_data_len", 2, { 60, 40 }, ETH_P_IP,
	  .pkt_len_delta = -1, RX_DROP(LEN, BAD_LEN) },
	{ "nb_segs_0", 1, { 60 }, ETH_P_IP, .nb_segs_delta = -1,
	  RX_DROP(CHAIN, BAD_CHAIN) },
	{ "nb_segs_over_chain", 2, { 60, 40 }, ETH_P_IP, .nb_segs_delta = 1,
	  RX_DROP(CHAIN, BAD_CHAIN) },
	{ "nb_segs_under_chain", 3, { 60, 40, 40 }, ETH_P_IP, .nb_segs_delta = -1,
	  RX_DROP(CHAIN, BAD_CHAIN) },
	/* next pointers the walk must not follow */
	{ "next_past_registered_memory", 2, { 60, 40 }, ETH_P_IP,
	  .fault = KNI_FAULT_NEXT_OUTSIDE, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "next_below_registered_memory", 2, { 60, 40 }, ETH_P_IP,
	  .fault = KNI_FAULT_NEXT_BELOW, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "next_straddles_end_of_memory", 2, { 60, 40 }, ETH_P_IP,
	  .fault = KNI_FAULT_NEXT_STRADDLE, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "next_kernel_address", 2, { 60, 40 }, ETH_P_IP,
	  .fault = KNI_FAULT_NEXT_KERNEL, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "next_cycle_back_to_head", 3, { 60, 40, 40 }, ETH_P_IP,
	  .fault = KNI_FAULT_CYCLE_HEAD, RX_DROP(CHAIN, BAD_CHAIN) },
	{ "next_cycle_to_self_max_segs", 1, { 20 }, ETH_P_IP,
	  .fault = KNI_FAULT_CYCLE_SELF, RX_DROP(CHAIN, BAD_CHAIN) },
	/* descriptors and buffers outside registered memory */
	{ "head_past_registered_memory", 1, { 60 }, ETH_P_IP,
	  .fault = KNI_FAULT_HEAD_OUTSIDE, RX_DROP(ADDR, BAD_ADDR) },
	{ "head_straddles_end_of_memory", 1, { 60 }, ETH_P_IP,
	  .fault = KNI_FAULT_HEAD_STRADDLE, RX_DROP(ADDR, BAD_ADDR) },
	{ "buf_addr_past_registered_memory", 2, { 60, 40 }, ETH_P_IP, .seg = 1,
	  .fault = KNI_FAULT_BUF_OUTSIDE, RX_DROP(LEN, BAD_LEN) },
	{ "buf_addr_kernel_address", 2, { 60, 40 }, ETH_P_IP, .seg = 1,
	  .fault = KNI_FAULT_BUF_KERNEL, RX_DROP(LEN, BAD_LEN) },
	/* larger than the MTU allows */
	{ "one_seg_over_mtu_1519", 1, { 1519 }, ETH_P_IP,
	  RX_DROP(TOO_BIG, TOO_BIG) },
	{ "chain_over_mtu_1519", 2, { 1000, 519 }, ETH_P_IP,
	  RX_DROP(TOO_BIG, TOO_BIG) },
	{ "jumbo_chain_mtu_1500", 5, { 2048, 2048, 2048, 2048, 826 }, ETH_P_IP,
	  RX_DROP(TOO_BIG, TOO_BIG) },
	{ "jumbo_over_mtu_9000", 5, { 2048, 2048, 2048, 2048, 827 }, ETH_P_IP,
	  .mtu = 9000, RX_DROP(TOO_BIG, TOO_BIG) },
};

static void kni_rx_case_desc(const struct kni_rx_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(kni_rx, kni_rx_cases, kni_rx_case_desc);

static u16 kni_rx_seg_len(const struct kni_rx_case *c, unsigned int seg)
{
	return c->len[min_t(unsigned int, seg, KNI_RX_MAX_LENS - 1)];
}

/* Segments go to scattered mbufs: 37 is prime to KNI_TEST_NR_MBUF. */
static unsigned int kni_rx_mbuf_index(unsigned int seg)
{
	return (seg * 37 + 5) % KNI_TEST_NR_MBUF;
}

/* Write the case's frame and chain into the area; returns the head address. */
static u64 kni_rx_build(struct kunit *test, struct kni_mbuf_test_priv *p,
			const struct kni_rx_case *c, u8 *frame, u32 frame_len)
{
	u64 head = kni_test_mbuf_uaddr(kni_rx_mbuf_index(0));
	u64 past_end = KNI_TEST_UADDR + KNI_TEST_AREA;
	struct kni_test_mbuf *m;
	unsigned int seg, pos = 0;
	u16 len, buf_len, off;
	u8 *data;

	/* The frame: Ethernet header, then the pattern. */
	for (pos = 0; pos < frame_len; pos++)
		frame[pos] = kni_test_byte(pos);
	if (frame_len >= ETH_HLEN) {
		if (c->broadcast)
			eth_broadcast_addr(frame);
		else
			ether_addr_copy(frame, kni_test_host_mac);
		ether_addr_copy(frame + ETH_ALEN, kni_test_peer_mac);
		frame[2 * ETH_ALEN] = c->ethertype >> 8;
		frame[2 * ETH_ALEN + 1] = c->ethertype & 0xff;
	}

	pos = 0;
	for (seg = 0; seg < c->nsegs; seg++) {
		m = kni_test_mbuf(p, kni_rx_mbuf_index(seg));
		KUNIT_ASSERT_NOT_NULL(test, m);
		len = kni_rx_seg_len(c, seg);
		buf_len = KNI_TEST_BUF_LEN;
		off = KNI_TEST_HEADROOM;
		if (seg == c->seg) {
			if (c->buf_len)
				buf_len = c->buf_len;
			switch (c->off) {
			case KNI_OFF_HEADROOM:
				break;
			case KNI_OFF_ZERO:
				off = 0;
				break;
			case KNI_OFF_END:
				off = buf_len - len;
				break;
			case KNI_OFF_PAST_END:
				off = buf_len - len + 1;
				break;
			case KNI_OFF_U16_MAX:
				off = U16_MAX;
				break;
			}
		}
		m->buf_addr = kni_test_mbuf_uaddr(kni_rx_mbuf_index(seg)) + KNI_TEST_HDR;
		m->buf_len = buf_len;
		m->data_off = off;
		m->data_len = len;
		m->pkt_len = len;
		m->nb_segs = 1;
		m->next = seg + 1 < c->nsegs ?
			  kni_test_mbuf_uaddr(kni_rx_mbuf_index(seg + 1)) : 0;

		/* Copy this segment's share of the frame where it belongs. */
		data = kni_test_kva(p, m->buf_addr + off, len);
		if (data && (u32)off + len <= buf_len)
			memcpy(data, frame + pos, len);
		pos += len;

		if (seg == c->seg && c->fault == KNI_FAULT_BUF_OUTSIDE)
			m->buf_addr = past_end;
		if (seg == c->seg && c->fault == KNI_FAULT_BUF_KERNEL)
			m->buf_addr = (unsigned long)p->area;
	}

	m = kni_test_mbuf(p, kni_rx_mbuf_index(0));
	m->pkt_len = frame_len + c->pkt_len_delta;
	m->nb_segs = c->nsegs + c->nb_segs_delta;

	/* The last segment, for the faults in its next pointer. */
	m = kni_test_mbuf(p, kni_rx_mbuf_index(c->nsegs - 1));
	switch (c->fault) {
	case KNI_FAULT_HEAD_OUTSIDE:
		head = past_end;
		break;
	case KNI_FAULT_HEAD_STRADDLE:
		head = past_end - KNI_TEST_HDR / 2;
		break;
	case KNI_FAULT_NEXT_OUTSIDE:
		m->next = past_end;
		break;
	case KNI_FAULT_NEXT_BELOW:
		m->next = KNI_TEST_UADDR - KNI_TEST_HDR;
		break;
	case KNI_FAULT_NEXT_STRADDLE:
		m->next = past_end - KNI_TEST_HDR / 2;
		break;
	case KNI_FAULT_NEXT_KERNEL:
		m->next = (unsigned long)p->area;
		break;
	case KNI_FAULT_CYCLE_HEAD:
		m->next = head;
		break;
	case KNI_FAULT_CYCLE_SELF:
		m->next = head;
		m->nb_segs = RTE_KNI_MAX_SEGS;
		m->pkt_len = RTE_KNI_MAX_SEGS * frame_len;
		break;
	default:
		break;
	}
	switch (c->fault) {
	case KNI_FAULT_NEXT_OUTSIDE:
	case KNI_FAULT_NEXT_BELOW:
	case KNI_FAULT_NEXT_STRADDLE:
	case KNI_FAULT_NEXT_KERNEL:
		/* Make nb_segs ask for one more, so the walk reaches next. */
		kni_test_mbuf(p, kni_rx_mbuf_index(0))->nb_segs++;
		kni_test_mbuf(p, kni_rx_mbuf_index(0))->pkt_len += 20;
		break;
	default:
		break;
	}
	return head;
}

/* @skb, from its Ethernet header on, holds the @len bytes of @frame. */
static void kni_test_expect_frame(struct kunit *test, struct sk_buff *skb,
				  const u8 *frame, u32 len)
{
	u8 *got;
	u32 i;

	got = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, -ETH_HLEN, got, len), 0);
	for (i = 0; i < len; i++)
		if (got[i] != frame[i])
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, len, "first differing byte at %u", i);
}

static void kni_mbuf_test_to_skb(struct kunit *test)
{
	const struct kni_rx_case *c = test->param_value;
	struct kni_mbuf_test_priv *p = test->priv;
	enum kni_rx_verdict verdict = -1;
	unsigned int max_frame, seg;
	u32 frame_len = 0;
	struct sk_buff *skb;
	u64 head;
	u8 *frame;

	for (seg = 0; seg < c->nsegs; seg++)
		frame_len += kni_rx_seg_len(c, seg);
	frame = kunit_kzalloc(test, frame_len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);

	head = kni_rx_build(test, p, c, frame, frame_len);
	memcpy(p->snapshot, p->area, KNI_TEST_AREA);
	if (c->mtu)
		p->dev->mtu = c->mtu;
	/* As kni_net.c's kni_max_frame(): the MTU plus a VLAN Ethernet header. */
	max_frame = p->dev->mtu + VLAN_ETH_HLEN;

	skb = kni_mbuf_to_skb(&p->ctx, head, max_frame, &verdict);

	/* The receive path only ever reads the application's memory. */
	KUNIT_EXPECT_EQ_MSG(test, memcmp(p->snapshot, p->area, KNI_TEST_AREA), 0,
			    "registered memory was written to");

	KUNIT_EXPECT_EQ(test, verdict, c->verdict);
	if (c->verdict != KNI_RX_OK) {
		KUNIT_EXPECT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, kni_rx_verdict_counter(verdict), c->counter);
		kfree_skb(skb);
		return;
	}

	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* eth_type_trans() pulled the Ethernet header. */
	KUNIT_EXPECT_EQ(test, skb->len, frame_len - ETH_HLEN);
	/* Longer than a page: a short head and the rest in pages. */
	KUNIT_EXPECT_EQ(test, skb_headlen(skb),
			frame_len > KNI_RX_LINEAR_MAX ? KNI_RX_HEAD - ETH_HLEN :
							skb->len);
	KUNIT_EXPECT_PTR_EQ(test, skb_mac_header(skb) + ETH_HLEN, skb->data);
	kni_test_expect_frame(test, skb, frame, frame_len);
	KUNIT_EXPECT_EQ(test, skb->protocol, htons(c->ethertype));
	KUNIT_EXPECT_EQ(test, (u8)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_PTR_EQ(test, skb->dev, p->dev);
	KUNIT_EXPECT_EQ(test, (u8)skb->pkt_type,
			c->broadcast ? PACKET_BROADCAST : PACKET_HOST);
	kfree_skb(skb);
}

/* ---- transmit: skb -> mbuf chain ---- */

enum kni_tx_shape {
	KNI_TX_LINEAR,		/* len[0] bytes in the head */
	KNI_TX_FRAGS,		/* len[0] in the head, then one page frag per len */
	KNI_TX_FRAG_LIST,	/* len[0] in the head, then one skb per len */
};

struct kni_tx_case {
	const char		*desc;
	enum kni_tx_shape	shape;
	u16			len[4];
	u16			room;		/* data room of each empty mbuf */
	u16			nr_mbufs;	/* good empty mbufs on alloc_q */
	u8			bad_addr;	/* + mbufs outside registered memory */
	u8			bad_room;	/* + mbufs with data_off >= buf_len */
	int			err;
	u16			nsegs;		/* the chain built */
	u16			refill;		/* after an error: add this many, retry */
	enum kni_counter	counter;	/* for an error */
};

static const struct kni_tx_case kni_tx_cases[] = {
	{ "linear_60_one_mbuf", KNI_TX_LINEAR, { 60 }, 2048, 4, .nsegs = 1 },
	{ "linear_1514_one_mbuf", KNI_TX_LINEAR, { 1514 }, 2048, 4, .nsegs = 1 },
	{ "linear_1514_into_512_byte_mbufs", KNI_TX_LINEAR, { 1514 }, 512, 4,
	  .nsegs = 3 },
	{ "linear_1024_into_512_exactly", KNI_TX_LINEAR, { 1024 }, 512, 4,
	  .nsegs = 2 },
	{ "page_frags_one_mbuf", KNI_TX_FRAGS, { 64, 1000, 450 }, 2048, 4,
	  .nsegs = 1 },
	{ "page_frags_into_256_byte_mbufs", KNI_TX_FRAGS, { 64, 1000, 450 }, 256, 8,
	  .nsegs = 6 },
	{ "frag_list_one_mbuf", KNI_TX_FRAG_LIST, { 100, 500, 700 }, 2048, 4,
	  .nsegs = 1 },
	{ "frag_list_into_300_byte_mbufs", KNI_TX_FRAG_LIST, { 100, 500, 700, 14 },
	  300, 8, .nsegs = 5 },
	{ "chain_of_64_max_segs", KNI_TX_LINEAR, { 1024 }, 16, 70, .nsegs = 64 },
	{ "unusable_mbufs_skipped_and_counted", KNI_TX_LINEAR, { 1514 }, 1024, 2,
	  .bad_addr = 1, .bad_room = 1, .nsegs = 2 },
	{ "too_few_mbufs", KNI_TX_LINEAR, { 1514 }, 512, 2, .err = -ENOBUFS,
	  .counter = KNI_TX_NO_MBUF, .nsegs = 3, .refill = 1 },
	{ "no_mbufs", KNI_TX_LINEAR, { 60 }, 2048, 0, .err = -ENOBUFS,
	  .counter = KNI_TX_NO_MBUF, .nsegs = 1, .refill = 1 },
	{ "more_than_64_segs_needed", KNI_TX_LINEAR, { 1514 }, 16, 100,
	  .err = -EMSGSIZE, .counter = KNI_TX_TOO_BIG },
	{ "empty_skb", KNI_TX_LINEAR, { 0 }, 2048, 4, .err = -EMSGSIZE,
	  .counter = KNI_TX_TOO_BIG },
};

static void kni_tx_case_desc(const struct kni_tx_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(kni_tx, kni_tx_cases, kni_tx_case_desc);

/* alloc_q: the test produces (as the application), the driver consumes. */
struct kni_tx_alloc_q {
	void			*area;
	struct kni_ring		app;
	struct kni_ring		kernel;
};

static void kni_tx_alloc_q_init(struct kunit *test, struct kni_tx_alloc_q *q)
{
	const struct rte_kni_ring_off off = {
		.producer	= 0,
		.consumer	= RTE_KNI_CACHE_LINE,
		.flags		= 2 * RTE_KNI_CACHE_LINE,
		.desc		= 3 * RTE_KNI_CACHE_LINE,
		.size		= KNI_TEST_ALLOC_RING,
		.entry_size	= sizeof(u64),
	};

	q->area = kunit_kzalloc(test, off.desc + KNI_TEST_ALLOC_RING * sizeof(u64),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q->area);
	kni_ring_init(&q->app, q->area, &off, 0);
	kni_ring_init(&q->kernel, q->area, &off, 0);
}

/* Offer empty mbufs [first, first + n) on alloc_q, each with @room. */
static void kni_tx_offer(struct kunit *test, struct kni_mbuf_test_priv *p,
			 struct kni_tx_alloc_q *q, unsigned int first,
			 unsigned int n, u16 room)
{
	struct kni_test_mbuf *m;
	unsigned int i;
	u64 addr;

	for (i = first; i < first + n; i++) {
		m = kni_test_mbuf(p, i);
		KUNIT_ASSERT_NOT_NULL(test, m);
		memset(m, 0, sizeof(*m));
		m->buf_addr = kni_test_mbuf_uaddr(i) + KNI_TEST_HDR;
		m->buf_len = KNI_TEST_HEADROOM + room;
		m->data_off = KNI_TEST_HEADROOM;
		m->nb_segs = 1;
		addr = kni_test_mbuf_uaddr(i);
		KUNIT_ASSERT_EQ(test, kni_ring_put_u64(&q->app, &addr, 1), 1U);
	}
}

static struct sk_buff *kni_tx_build_skb(struct kunit *test,
					const struct kni_tx_case *c, u32 *total)
{
	struct sk_buff *skb, *child, **tail;
	unsigned int i, pos = 0, k;
	struct page *page;
	u32 off;

	skb = alloc_skb(c->len[0], GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	for (k = 0; k < c->len[0]; k++)
		skb_put_u8(skb, kni_test_byte(pos++));

	tail = &skb_shinfo(skb)->frag_list;
	for (i = 1; i < ARRAY_SIZE(c->len) && c->len[i]; i++) {
		if (c->shape == KNI_TX_FRAGS) {
			page = alloc_page(GFP_KERNEL);
			if (!page) {
				kfree_skb(skb);
				KUNIT_ASSERT_NOT_NULL(test, page);
			}
			off = 100 + 10 * i;	/* frags need not start a page */
			for (k = 0; k < c->len[i]; k++)
				((u8 *)page_address(page))[off + k] = kni_test_byte(pos++);
			skb_add_rx_frag(skb, i - 1, page, off, c->len[i], PAGE_SIZE);
		} else if (c->shape == KNI_TX_FRAG_LIST) {
			child = alloc_skb(c->len[i], GFP_KERNEL);
			if (!child) {
				kfree_skb(skb);
				KUNIT_ASSERT_NOT_NULL(test, child);
			}
			for (k = 0; k < c->len[i]; k++)
				skb_put_u8(child, kni_test_byte(pos++));
			*tail = child;
			tail = &child->next;
			skb->len += child->len;
			skb->data_len += child->len;
			skb->truesize += child->truesize;
		}
	}
	*total = pos;
	return skb;
}

static bool kni_tx_is_stashed(const struct kni_stash *stash, u64 addr)
{
	unsigned int i;

	for (i = 0; i < stash->nr; i++)
		if (stash->addr[i] == addr)
			return true;
	return false;
}

/* Still on alloc_q, not yet taken by the driver? */
static bool kni_tx_is_queued(const struct kni_tx_alloc_q *q, u64 addr)
{
	u32 i, n = kni_ring_count(&q->kernel);

	for (i = 0; i < n; i++)
		if (*(u64 *)kni_ring_cons_slot(&q->kernel, i) == addr)
			return true;
	return false;
}

/* Follow the chain at @head as the application would, checking every field. */
static void kni_tx_check_chain(struct kunit *test, struct kni_mbuf_test_priv *p,
			       const struct kni_tx_case *c, u64 head, u32 total,
			       const struct kni_stash *stash)
{
	DECLARE_BITMAP(seen, KNI_TEST_NR_MBUF);
	unsigned int seg, i, pos = 0;
	struct kni_test_mbuf *m;
	u64 addr = head;
	u32 len;
	u8 *data;

	bitmap_zero(seen, KNI_TEST_NR_MBUF);
	m = kni_test_kva(p, head, KNI_TEST_HDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->pkt_len, total);
	KUNIT_EXPECT_EQ(test, m->nb_segs, c->nsegs);

	for (seg = 0; seg < c->nsegs; seg++) {
		m = kni_test_kva(p, addr, KNI_TEST_HDR);
		KUNIT_ASSERT_NOT_NULL_MSG(test, m, "segment %u at %#llx", seg, addr);
		i = (addr - KNI_TEST_UADDR) / KNI_TEST_STRIDE;
		KUNIT_ASSERT_EQ(test, addr, kni_test_mbuf_uaddr(i));
		KUNIT_ASSERT_FALSE_MSG(test, test_and_set_bit(i, seen),
				       "mbuf %u used twice", i);
		KUNIT_EXPECT_FALSE_MSG(test, kni_tx_is_stashed(stash, addr),
				       "mbuf %u both in the chain and stashed", i);

		len = min_t(u32, c->room, total - pos);
		KUNIT_EXPECT_EQ(test, m->data_len, len);
		KUNIT_EXPECT_EQ(test, m->data_off, KNI_TEST_HEADROOM);
		data = kni_test_kva(p, m->buf_addr + m->data_off, len);
		KUNIT_ASSERT_NOT_NULL(test, data);
		for (i = 0; i < len; i++)
			if (data[i] != kni_test_byte(pos + i))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, len, "segment %u: first differing byte %u",
				    seg, i);
		pos += len;
		addr = m->next;
	}
	KUNIT_EXPECT_EQ(test, pos, total);
	KUNIT_EXPECT_EQ_MSG(test, addr, 0ULL, "last segment's next is not 0");
}

static void kni_mbuf_test_from_skb(struct kunit *test)
{
	const struct kni_tx_case *c = test->param_value;
	struct kni_mbuf_test_priv *p = test->priv;
	unsigned int bad = 0, room = 0, offered, i;
	const u64 no_head = 0x5a5a5a5a5a5a5a5aULL;
	struct kni_tx_alloc_q q;
	struct kni_stash *stash;
	struct sk_buff *skb;
	u64 head = no_head;
	u32 total;
	int err;

	stash = kunit_kzalloc(test, sizeof(*stash), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stash);
	kni_tx_alloc_q_init(test, &q);

	/*
	 * alloc_q: mbufs outside registered memory first (kni_stash_fill()
	 * drops them), the good ones, then those with no data room last, so
	 * that they are the first the stash hands out.
	 */
	for (i = 0; i < c->bad_addr; i++) {
		u64 addr = KNI_TEST_UADDR + KNI_TEST_AREA + i * KNI_TEST_STRIDE;

		KUNIT_ASSERT_EQ(test, kni_ring_put_u64(&q.app, &addr, 1), 1U);
	}
	kni_tx_offer(test, p, &q, 0, c->nr_mbufs, c->room);
	kni_tx_offer(test, p, &q, c->nr_mbufs, c->bad_room, 0);
	offered = c->nr_mbufs + c->bad_addr + c->bad_room;

	skb = kni_tx_build_skb(test, c, &total);
	KUNIT_EXPECT_EQ(test, skb->len, total);

	err = kni_skb_to_mbufs(&p->ctx, stash, &q.kernel, skb, NULL, &head, &bad,
			       &room);
	KUNIT_EXPECT_EQ(test, err, c->err);
	KUNIT_EXPECT_EQ(test, bad, (unsigned int)c->bad_addr + c->bad_room);

	if (err) {
		/* Nothing handed out, and every usable mbuf is kept for later. */
		KUNIT_EXPECT_EQ(test, head, no_head);
		KUNIT_EXPECT_EQ(test, stash->nr + kni_ring_count(&q.kernel) + bad,
				offered);
		for (i = 0; i < c->nr_mbufs; i++) {
			u64 addr = kni_test_mbuf_uaddr(i);

			KUNIT_EXPECT_TRUE_MSG(test, kni_tx_is_stashed(stash, addr) ||
					      kni_tx_is_queued(&q, addr), "mbuf %u lost", i);
		}
		KUNIT_EXPECT_EQ(test, kni_tx_err_counter(err), c->counter);
		if (!c->refill)
			goto out;

		/* The same frame goes once the application offers more. */
		kni_tx_offer(test, p, &q, c->nr_mbufs + c->bad_room, c->refill, c->room);
		offered += c->refill;
		err = kni_skb_to_mbufs(&p->ctx, stash, &q.kernel, skb, NULL, &head,
				       &bad, &room);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	if (err)
		goto out;

	KUNIT_EXPECT_EQ(test, room, (unsigned int)c->room);
	kni_tx_check_chain(test, p, c, head, total, stash);
	/* Every mbuf offered is in the chain, the stash, alloc_q, or counted. */
	KUNIT_EXPECT_EQ(test, c->nsegs + stash->nr + kni_ring_count(&q.kernel) + bad,
			offered);
out:
	kfree_skb(skb);
}

/*
 * lo_mode_fifo: every receive case again, copied chain to chain.  The same
 * verdict as the skb path, the same bytes, the source never written, and
 * no mbuf lost when the source is refused.
 */
static void kni_mbuf_test_chain_to_mbufs(struct kunit *test)
{
	const struct kni_rx_case *c = test->param_value;
	struct kni_mbuf_test_priv *p = test->priv;
	DECLARE_BITMAP(src_mbuf, KNI_TEST_NR_MBUF);
	unsigned int bad = 0, room, seg, i, n, pos;
	enum kni_rx_verdict verdict;
	struct kni_test_mbuf *m;
	struct kni_tx_alloc_q q;
	struct kni_stash *stash;
	struct kni_src chain;
	u64 head, out = 0;
	u32 frame_len = 0;
	u8 *frame, *data;
	int err;

	for (seg = 0; seg < c->nsegs; seg++)
		frame_len += kni_rx_seg_len(c, seg);
	frame = kunit_kzalloc(test, frame_len + 1, GFP_KERNEL);
	stash = kunit_kzalloc(test, sizeof(*stash), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frame);
	KUNIT_ASSERT_NOT_NULL(test, stash);
	head = kni_rx_build(test, p, c, frame, frame_len);
	memcpy(p->snapshot, p->area, KNI_TEST_AREA);
	if (c->mtu)
		p->dev->mtu = c->mtu;

	/* 8 empty mbufs of 2048 bytes, none of the source's */
	bitmap_zero(src_mbuf, KNI_TEST_NR_MBUF);
	for (seg = 0; seg < c->nsegs; seg++)
		set_bit(kni_rx_mbuf_index(seg), src_mbuf);
	kni_tx_alloc_q_init(test, &q);
	for (i = 0, n = 0; i < KNI_TEST_NR_MBUF && n < 8; i++) {
		if (test_bit(i, src_mbuf))
			continue;
		kni_tx_offer(test, p, &q, i, 1, 2048);
		n++;
	}

	verdict = kni_src_open(&chain, &p->ctx, head, p->dev->mtu + VLAN_ETH_HLEN);
	if (verdict == KNI_RX_OK) {
		err = kni_chain_to_mbufs(&p->ctx, stash, &q.kernel, &chain, &out,
					 &bad, &room);
		KUNIT_EXPECT_EQ(test, err, c->verdict == KNI_RX_OK ? 0 : -EBADMSG);
		if (err == -EBADMSG)
			verdict = chain.verdict;
	}
	KUNIT_EXPECT_EQ(test, verdict, c->verdict);
	KUNIT_EXPECT_EQ(test, bad, 0U);

	for (seg = 0; seg < c->nsegs; seg++) {
		size_t off = (size_t)kni_rx_mbuf_index(seg) * KNI_TEST_STRIDE;

		KUNIT_EXPECT_EQ_MSG(test, memcmp(p->snapshot + off, p->area + off,
						 KNI_TEST_STRIDE), 0,
				    "source segment %u was written to", seg);
	}
	if (verdict != KNI_RX_OK) {
		KUNIT_EXPECT_EQ_MSG(test, stash->nr + kni_ring_count(&q.kernel), n,
				    "empty mbufs lost");
		return;
	}

	m = kni_test_kva(p, out, KNI_TEST_HDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->pkt_len, frame_len);
	KUNIT_EXPECT_EQ(test, m->nb_segs, (u16)max(DIV_ROUND_UP(frame_len, 2048U), 1U));
	for (pos = 0, seg = 0; out && seg < RTE_KNI_MAX_SEGS; seg++) {
		m = kni_test_kva(p, out, KNI_TEST_HDR);
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_ASSERT_FALSE(test, test_bit((out - KNI_TEST_UADDR) / KNI_TEST_STRIDE,
						  src_mbuf));
		data = kni_test_kva(p, m->buf_addr + m->data_off, m->data_len);
		KUNIT_ASSERT_NOT_NULL(test, data);
		KUNIT_ASSERT_LE(test, pos + m->data_len, frame_len);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(data, frame + pos, m->data_len), 0,
				    "segment %u differs", seg);
		pos += m->data_len;
		out = m->next;
	}
	KUNIT_EXPECT_EQ(test, pos, frame_len);
	KUNIT_EXPECT_EQ(test, out, 0ULL);
}

/*
 * alloc_q's producer index moved 2^20 entries ahead by the application,
 * over slots that hold no usable mbuf: one frame must examine a bounded
 * number of entries, count each, drop itself, and lose no usable mbuf.
 */
static void kni_mbuf_test_runaway(struct kunit *test, bool in_memory)
{
	static const struct kni_tx_case frame = {
		"runaway", KNI_TX_LINEAR, { 1514 }, 2048,
	};
	struct kni_mbuf_test_priv *p = test->priv;
	unsigned int bad = 0, room, i, examined;
	struct kni_tx_alloc_q q;
	struct kni_stash *stash;
	struct sk_buff *skb;
	u64 head, addr;
	u32 total;
	int err;

	stash = kunit_kzalloc(test, sizeof(*stash), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stash);
	kni_tx_alloc_q_init(test, &q);
	for (i = 0; i < KNI_TEST_ALLOC_RING; i++) {
		if (in_memory) {
			/* Headers in registered memory, but no data room. */
			kni_tx_offer(test, p, &q, i, 1, 0);
			continue;
		}
		addr = KNI_TEST_UADDR + KNI_TEST_AREA + i * KNI_TEST_STRIDE;
		KUNIT_ASSERT_EQ(test, kni_ring_put_u64(&q.app, &addr, 1), 1U);
	}
	WRITE_ONCE(*q.app.producer, q.app.head + (1U << 20));

	skb = kni_tx_build_skb(test, &frame, &total);
	err = kni_skb_to_mbufs(&p->ctx, stash, &q.kernel, skb, NULL, &head, &bad,
			       &room);
	kfree_skb(skb);

	examined = q.kernel.head;
	KUNIT_EXPECT_EQ(test, err, -ENOBUFS);
	KUNIT_EXPECT_LT_MSG(test, examined - stash->nr,
			    RTE_KNI_MAX_SEGS + KNI_TX_BAD_MAX + KNI_STASH_SIZE,
			    "one frame used up %u alloc_q entries", examined - stash->nr);
	/* Each examined entry is either counted bad or kept in the stash. */
	KUNIT_EXPECT_EQ(test, bad + stash->nr, examined);
	KUNIT_EXPECT_GT(test, bad, 0U);
}

/* Each way a frame can fail has its own counter. */
static void kni_mbuf_test_tx_err_counter(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kni_tx_err_counter(-ENOBUFS), KNI_TX_NO_MBUF);
	KUNIT_EXPECT_EQ(test, kni_tx_err_counter(-EMSGSIZE), KNI_TX_TOO_BIG);
	KUNIT_EXPECT_EQ(test, kni_tx_err_counter(-EFAULT), KNI_TX_COPY_ERR);
}

static void kni_mbuf_test_runaway_outside(struct kunit *test)
{
	kni_mbuf_test_runaway(test, false);
}

static void kni_mbuf_test_runaway_no_room(struct kunit *test)
{
	kni_mbuf_test_runaway(test, true);
}

/* ---- the pieces both directions stand on ---- */

/* kni_mem_xlate(): a range is usable only if it lies inside one region. */
static void kni_mbuf_test_xlate(struct kunit *test)
{
	const u64 a = 0x7f0000001000ULL, b = a + PAGE_SIZE;
	struct kni_mem *mem;
	u8 *ka, *kb;

	mem = kunit_kzalloc(test, sizeof(*mem), GFP_KERNEL);
	ka = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	kb = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, ka);
	KUNIT_ASSERT_NOT_NULL(test, kb);

	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a, 1));	/* none registered */

	/* Two regions adjacent in user space, far apart in the kernel. */
	mem->region[0] = (struct kni_region){ .uaddr = a, .len = PAGE_SIZE, .kva = ka };
	mem->region[1] = (struct kni_region){ .uaddr = b, .len = PAGE_SIZE, .kva = kb };
	mem->nr = 2;

	KUNIT_EXPECT_PTR_EQ(test, kni_mem_xlate(mem, a, PAGE_SIZE), (void *)ka);
	KUNIT_EXPECT_PTR_EQ(test, kni_mem_xlate(mem, a + 100, 28), (void *)(ka + 100));
	KUNIT_EXPECT_PTR_EQ(test, kni_mem_xlate(mem, b - 1, 1), (void *)(ka + PAGE_SIZE - 1));
	KUNIT_EXPECT_PTR_EQ(test, kni_mem_xlate(mem, b, 1), (void *)kb);
	KUNIT_EXPECT_PTR_EQ(test, kni_mem_xlate(mem, b + 8, PAGE_SIZE - 8),
			    (void *)(kb + 8));

	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a - 1, 1));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a - 1, 2));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a + 1, PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, b - 1, 2));	/* spans both */
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a, 2 * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, b + PAGE_SIZE, 1));
	/* Sums that would wrap. */
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, U64_MAX, 2));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a, U64_MAX));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, a + 16, U64_MAX - 8));
	KUNIT_EXPECT_NULL(test, kni_mem_xlate(mem, (unsigned long)ka, 1));
}

/* kni_layout_check(): every field inside hdr_size and naturally aligned. */
static void kni_mbuf_test_layout_check(struct kunit *test)
{
	struct kni_mbuf_test_priv *p = test->priv;
	struct rte_kni_mbuf_layout in = {
		.hdr_size = 128, .buf_addr = 0, .data_off = 16, .nb_segs = 20,
		.pkt_len = 36, .data_len = 40, .buf_len = 54, .next = 64,
	};
	struct rte_kni_mbuf_layout bad;
	struct kni_layout out;

	/* The layout the suite's init built from struct kni_test_mbuf. */
	KUNIT_EXPECT_EQ(test, p->layout.hdr_size, (u16)KNI_TEST_HDR);
	KUNIT_EXPECT_EQ(test, p->layout.next, (u16)offsetof(struct kni_test_mbuf, next));

	KUNIT_EXPECT_EQ(test, kni_layout_check(&in, &out), 0);
	KUNIT_EXPECT_EQ(test, out.pkt_len, 36);

	bad = in; bad.hdr_size = 31;
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.hdr_size = 4097;
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.next = 68;		/* u64 not 8-aligned */
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.pkt_len = 38;		/* u32 not 4-aligned */
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.next = 128;		/* past hdr_size */
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.buf_len = 0xfffe;		/* far past hdr_size */
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), -EINVAL);
	bad = in; bad.next = 120;		/* the last 8 bytes: fine */
	KUNIT_EXPECT_EQ(test, kni_layout_check(&bad, &out), 0);
}

/* ---- offloads (kni_offload.c) ---- */

#define KNI_TEST_SADDR	htonl(0xc0000201)	/* 192.0.2.1 */
#define KNI_TEST_DADDR	htonl(0xc0000202)	/* 192.0.2.2 */

/* The offload words' offsets in struct kni_test_mbuf, set as the library does. */
static void kni_test_set_offloads(struct kni_mbuf_test_priv *p, u32 offloads,
				  netdev_features_t features)
{
	p->layout.ol_flags = offsetof(struct kni_test_mbuf, ol_flags);
	p->layout.tx_offload = offsetof(struct kni_test_mbuf, tx_offload);
	smp_store_release(&p->layout.offloads, offloads);
	p->dev->features = features;
}

/*
 * A frame of @len bytes: Ethernet, then IPv4 or IPv6 (@v6) with @proto, a
 * TCP header of @thlen bytes or a UDP one, and a byte pattern after.
 */
static u8 *kni_test_frame(struct kunit *test, u32 len, bool v6, u8 proto,
			  unsigned int thlen)
{
	u8 *f = kunit_kzalloc(test, len, GFP_KERNEL);
	unsigned int l3 = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct ethhdr *eth = (struct ethhdr *)f;
	struct ipv6hdr *ip6;
	struct tcphdr *th;
	struct iphdr *iph;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < len; i++)
		f[i] = kni_test_byte(i);
	ether_addr_copy(eth->h_dest, kni_test_host_mac);
	ether_addr_copy(eth->h_source, kni_test_peer_mac);
	eth->h_proto = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	if (v6) {
		ip6 = (struct ipv6hdr *)(f + ETH_HLEN);
		memset(ip6, 0, sizeof(*ip6));
		ip6->version = 6;
		ip6->nexthdr = proto;
		ip6->hop_limit = 64;
		ip6->payload_len = htons(len - ETH_HLEN - l3);
	} else {
		iph = (struct iphdr *)(f + ETH_HLEN);
		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = proto;
		iph->tot_len = htons(len - ETH_HLEN);
		iph->saddr = KNI_TEST_SADDR;
		iph->daddr = KNI_TEST_DADDR;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
	if (proto == IPPROTO_TCP) {
		th = (struct tcphdr *)(f + ETH_HLEN + l3);
		memset(th, 0, thlen);
		th->source = htons(5201);
		th->dest = htons(40000);
		th->doff = thlen / 4;
		th->ack = 1;
	}
	return f;
}

/*
 * Lay @frame out as a chain of mbufs from index @first, @room bytes of data
 * each, with @ol_flags and @segsz in the head; returns the head's address.
 */
static u64 kni_test_chain(struct kunit *test, struct kni_mbuf_test_priv *p,
			  const u8 *frame, u32 len, unsigned int first,
			  u16 room, u64 ol_flags, u16 segsz)
{
	unsigned int nseg = DIV_ROUND_UP(len, room), i;
	struct kni_test_mbuf *m;
	u32 pos = 0, n;

	KUNIT_ASSERT_LE(test, first + nseg, KNI_TEST_NR_MBUF);
	for (i = 0; i < nseg; i++) {
		m = kni_test_mbuf(p, first + i);
		memset(m, 0, sizeof(*m));
		n = min_t(u32, room, len - pos);
		m->buf_addr = kni_test_mbuf_uaddr(first + i) + KNI_TEST_HDR;
		m->buf_len = KNI_TEST_BUF_LEN;
		m->data_off = KNI_TEST_HEADROOM;
		m->data_len = n;
		m->nb_segs = 1;
		memcpy(kni_test_kva(p, m->buf_addr + m->data_off, n), frame + pos, n);
		if (i + 1 < nseg)
			m->next = kni_test_mbuf_uaddr(first + i + 1);
		pos += n;
	}
	m = kni_test_mbuf(p, first);
	m->pkt_len = len;
	m->nb_segs = nseg;
	m->ol_flags = ol_flags;
	m->tx_offload = (u64)segsz << RTE_KNI_MBUF_TSO_SEGSZ_SHIFT |
			(u64)0x55 << RTE_KNI_MBUF_L2_LEN_SHIFT;	/* ignored */
	return kni_test_mbuf_uaddr(first);
}

#define L4_GOOD		RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD
#define L4_BAD		RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD
#define L4_NONE		RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE
#define IP_BAD		RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD
#define IP_GOOD		RTE_KNI_MBUF_F_RX_IP_CKSUM_GOOD
#define LRO		RTE_KNI_MBUF_F_RX_LRO
#define ALL_RX		(RTE_KNI_OFL_RX_CSUM | RTE_KNI_OFL_LRO)
#define RX_FEATURES	(NETIF_F_RXCSUM | NETIF_F_GRO_HW)

struct kni_orx_case {
	const char		*desc;
	u32			len;		/* the frame */
	bool			v6;
	u8			proto;		/* 0: an ARP frame */
	u8			thlen;		/* TCP header; 0: 20 */
	u64			ol_flags;
	u16			segsz;
	u32			offloads;	/* the application's */
	netdev_features_t	features;	/* the interface's */
	enum kni_rx_verdict	verdict;
	u8			ip_summed;
	u16			gso_size;	/* 0: not GSO */
	u16			frag_off;	/* IPv4's */
};

static const struct kni_orx_case kni_orx_cases[] = {
	{ "l4_good_unnecessary", 1514, false, IPPROTO_TCP, 0, L4_GOOD | IP_GOOD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_UNNECESSARY },
	{ "l4_good_udp6_unnecessary", 300, true, IPPROTO_UDP, 0, L4_GOOD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_UNNECESSARY },
	{ "l4_bad_counted", 1514, false, IPPROTO_TCP, 0, L4_BAD | IP_GOOD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK_CSUM_BAD, CHECKSUM_NONE },
	{ "ip_bad_counted", 100, false, IPPROTO_UDP, 0, L4_GOOD | IP_BAD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK_CSUM_BAD, CHECKSUM_NONE },
	{ "l4_unknown_none", 1514, false, IPPROTO_TCP, 0, IP_GOOD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_NONE },
	{ "l4_none_tcp_partial", 1514, false, IPPROTO_TCP, 32, L4_NONE, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_PARTIAL },
	{ "l4_none_udp6_partial", 200, true, IPPROTO_UDP, 0, L4_NONE, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_PARTIAL },
	{ "l4_none_arp_counted", 60, false, 0, 0, L4_NONE, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_OK_CSUM_BAD, CHECKSUM_NONE },
	{ "l4_none_truncated_tcp_counted", ETH_HLEN + 20 + 10, false, IPPROTO_TCP,
	  0, L4_NONE, 0, ALL_RX, RX_FEATURES, KNI_RX_OK_CSUM_BAD, CHECKSUM_NONE },
	{ "rxcsum_off_ignored", 1514, false, IPPROTO_TCP, 0, L4_GOOD, 0,
	  ALL_RX, NETIF_F_GRO_HW, KNI_RX_OK, CHECKSUM_NONE },
	{ "no_offloads_ignored", 1514, false, IPPROTO_TCP, 0, L4_GOOD | LRO, 1448,
	  0, RX_FEATURES, KNI_RX_OK, CHECKSUM_NONE },
	/* LRO */
	{ "lro_9000_tcp4", 9014, false, IPPROTO_TCP, 0, LRO | L4_GOOD, 1448,
	  ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_UNNECESSARY, 1448 },
	{ "lro_64k_tcp6_partial", ETH_HLEN + 65535, true, IPPROTO_TCP, 32,
	  LRO | L4_NONE, 1428, ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_PARTIAL,
	  1428 },
	{ "lro_64k_plus_1_too_big", ETH_HLEN + 65536, false, IPPROTO_TCP, 0,
	  LRO | L4_GOOD, 1448, ALL_RX, RX_FEATURES, KNI_RX_DROP_TOO_BIG },
	{ "lro_feature_off_too_big", 9014, false, IPPROTO_TCP, 0, LRO | L4_GOOD,
	  1448, ALL_RX, NETIF_F_RXCSUM, KNI_RX_DROP_TOO_BIG },
	{ "lro_udp_dropped", 9014, false, IPPROTO_UDP, 0, LRO | L4_GOOD, 1448,
	  ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO },
	{ "lro_segsz_0_dropped", 9014, false, IPPROTO_TCP, 0, LRO | L4_GOOD, 0,
	  ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO },
	{ "lro_segsz_63_dropped", 9014, false, IPPROTO_TCP, 0, LRO | L4_GOOD, 63,
	  ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO },
	{ "lro_segsz_gso_by_frags_dropped", 9014, false, IPPROTO_TCP, 0,
	  LRO | L4_GOOD, GSO_BY_FRAGS, ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO },
	{ "lro_one_segment_over_mtu_dropped", 9014, false, IPPROTO_TCP, 0,
	  LRO | L4_GOOD, 9000, ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO },
	{ "lro_ip_fragment_dropped", 9014, false, IPPROTO_TCP, 0,
	  LRO | L4_GOOD, 1448, ALL_RX, RX_FEATURES, KNI_RX_DROP_LRO,
	  .frag_off = IP_MF },
	{ "lro_one_segment_plain", 1014, false, IPPROTO_TCP, 0, LRO | L4_GOOD,
	  1448, ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_UNNECESSARY },
	{ "lro_1514_two_segments", 1514, false, IPPROTO_TCP, 0, LRO | L4_GOOD,
	  1448, ALL_RX, RX_FEATURES, KNI_RX_OK, CHECKSUM_UNNECESSARY, 1448 },
};

static void kni_orx_case_desc(const struct kni_orx_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(kni_orx, kni_orx_cases, kni_orx_case_desc);

/* Receive with offloads: the head mbuf's flags and segment size as the skb's. */
static void kni_offload_test_rx(struct kunit *test)
{
	const struct kni_orx_case *c = test->param_value;
	struct kni_mbuf_test_priv *p = test->priv;
	unsigned int l3 = c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int thlen = c->thlen ? c->thlen : sizeof(struct tcphdr);
	enum kni_rx_verdict verdict = -1;
	struct sk_buff *skb;
	u32 payload;
	u64 head;
	u8 *frame;

	frame = kni_test_frame(test, c->len, c->v6, c->proto, thlen);
	if (!c->proto)
		((struct ethhdr *)frame)->h_proto = htons(ETH_P_ARP);
	if (c->frag_off)
		((struct iphdr *)(frame + ETH_HLEN))->frag_off = htons(c->frag_off);
	kni_test_set_offloads(p, c->offloads, c->features);
	head = kni_test_chain(test, p, frame, c->len, 0, 2048, c->ol_flags,
			      c->segsz);
	memcpy(p->snapshot, p->area, KNI_TEST_AREA);

	skb = kni_mbuf_to_skb(&p->ctx, head, p->dev->mtu + VLAN_ETH_HLEN,
			      &verdict);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(p->snapshot, p->area, KNI_TEST_AREA), 0,
			    "registered memory was written to");
	KUNIT_EXPECT_EQ(test, verdict, c->verdict);
	if (c->verdict != KNI_RX_OK && c->verdict != KNI_RX_OK_CSUM_BAD) {
		KUNIT_EXPECT_NULL(test, skb);
		kfree_skb(skb);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, skb);
	if (c->verdict == KNI_RX_OK_CSUM_BAD)
		KUNIT_EXPECT_EQ(test, kni_rx_verdict_counter(verdict),
				KNI_RX_CSUM_BAD);
	KUNIT_EXPECT_EQ(test, skb->len, c->len - ETH_HLEN);
	kni_test_expect_frame(test, skb, frame, c->len);
	KUNIT_EXPECT_EQ(test, (u8)skb->ip_summed, c->ip_summed);
	if (c->ip_summed == CHECKSUM_PARTIAL) {
		KUNIT_EXPECT_EQ(test, skb_checksum_start_offset(skb), (int)l3);
		KUNIT_EXPECT_EQ(test, skb->csum_offset,
				c->proto == IPPROTO_TCP ? 16 : 6);
	}
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, c->gso_size);
	if (c->gso_size) {
		payload = c->len - ETH_HLEN - l3 - thlen;
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type,
				(c->v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
				SKB_GSO_DODGY);
		KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs,
				(u16)DIV_ROUND_UP(payload, c->gso_size));
		if (c->len > KNI_RX_LINEAR_MAX)
			KUNIT_EXPECT_GT(test, skb_shinfo(skb)->nr_frags, 0);
	}
	kfree_skb(skb);
}

/*
 * An outgoing skb as the stack hands it over: Ethernet (with a VLAN tag if
 * @vlan), IPv4 or IPv6, TCP or UDP, CHECKSUM_PARTIAL with the
 * pseudo-header sum in place, GSO if @gso_size.
 */
static struct sk_buff *kni_test_tx_skb(struct kunit *test, u32 len, bool v6,
				       bool vlan, u8 proto, u16 gso_size)
{
	unsigned int l2 = vlan ? VLAN_ETH_HLEN : ETH_HLEN;
	unsigned int l3 = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int l4 = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						 sizeof(struct udphdr);
	struct vlan_ethhdr *veth;
	struct sk_buff *skb;
	struct ipv6hdr *ip6;
	struct iphdr *iph;
	__sum16 *check;
	u8 *d;

	skb = alloc_skb(len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	d = skb_put_zero(skb, len);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, l2);
	skb_set_transport_header(skb, l2 + l3);
	if (vlan) {
		veth = (struct vlan_ethhdr *)d;
		veth->h_vlan_proto = htons(ETH_P_8021Q);
		veth->h_vlan_TCI = htons(7);
		veth->h_vlan_encapsulated_proto = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
		skb->protocol = htons(ETH_P_8021Q);
	} else {
		((struct ethhdr *)d)->h_proto = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
		skb->protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	}
	if (v6) {
		ip6 = (struct ipv6hdr *)(d + l2);
		ip6->version = 6;
		ip6->nexthdr = proto;
		ip6->payload_len = htons(len - l2 - l3);
	} else {
		iph = (struct iphdr *)(d + l2);
		iph->version = 4;
		iph->ihl = 5;
		iph->protocol = proto;
		iph->tot_len = htons(len - l2);
		iph->saddr = KNI_TEST_SADDR;
		iph->daddr = KNI_TEST_DADDR;
	}
	if (proto == IPPROTO_TCP)
		((struct tcphdr *)(d + l2 + l3))->doff = l4 / 4;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + l2 + l3;
	skb->csum_offset = proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
						  offsetof(struct udphdr, check);
	check = (__sum16 *)(d + l2 + l3 + skb->csum_offset);
	/* As tcp_v4_send_check() and udp6_set_csum(): the folded pseudo-header sum. */
	if (v6)
		*check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
					  len - l2 - l3, proto, 0);
	else
		*check = ~csum_tcpudp_magic(KNI_TEST_SADDR, KNI_TEST_DADDR,
					    len - l2 - l3, proto, 0);
	if (gso_size) {
		skb_shinfo(skb)->gso_size = gso_size;
		skb_shinfo(skb)->gso_type = v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(len - l2 - l3 - l4, gso_size);
	}
	return skb;
}

#define TX_ALL		(RTE_KNI_OFL_TX_CSUM | RTE_KNI_OFL_TSO | RTE_KNI_OFL_TSO6)
#define F_TCP4		(RTE_KNI_MBUF_F_TX_IPV4 | RTE_KNI_MBUF_F_TX_TCP_CKSUM)
#define F_UDP6		(RTE_KNI_MBUF_F_TX_IPV6 | RTE_KNI_MBUF_F_TX_UDP_CKSUM)
#define F_TSO4		(F_TCP4 | RTE_KNI_MBUF_F_TX_TCP_SEG | RTE_KNI_MBUF_F_TX_IP_CKSUM)
#define F_TSO6		(RTE_KNI_MBUF_F_TX_IPV6 | RTE_KNI_MBUF_F_TX_TCP_CKSUM | \
			 RTE_KNI_MBUF_F_TX_TCP_SEG)

struct kni_otx_case {
	const char	*desc;
	u32		len;
	bool		v6;
	bool		vlan;
	u8		proto;
	u16		gso_size;
	u32		offloads;
	int		err;
	u64		ol_flags;
	bool		unnecessary;	/* CHECKSUM_UNNECESSARY, not PARTIAL */
};

static const struct kni_otx_case kni_otx_cases[] = {
	{ "tcp4_csum", 1514, false, false, IPPROTO_TCP, 0, TX_ALL, 0, F_TCP4 },
	{ "udp6_csum", 200, true, false, IPPROTO_UDP, 0, RTE_KNI_OFL_TX_CSUM, 0,
	  F_UDP6 },
	{ "tcp4_vlan_csum", 1518, false, true, IPPROTO_TCP, 0, TX_ALL, 0, F_TCP4 },
	{ "tcp4_tso", 65000, false, false, IPPROTO_TCP, 1448, TX_ALL, 0, F_TSO4 },
	{ "tcp6_tso_vlan", 30000, true, true, IPPROTO_TCP, 1428, RTE_KNI_OFL_TSO6, 0,
	  F_TSO6 },
	{ "tcp6_tso_without_tso6", 30000, true, false, IPPROTO_TCP, 1428,
	  RTE_KNI_OFL_TX_CSUM | RTE_KNI_OFL_TSO, -EOPNOTSUPP },
	{ "csum_without_tx_csum", 1514, false, false, IPPROTO_TCP, 0,
	  RTE_KNI_OFL_TSO, -EOPNOTSUPP },
	{ "tso_without_tso", 65000, false, false, IPPROTO_TCP, 1448,
	  RTE_KNI_OFL_TX_CSUM | RTE_KNI_OFL_TSO6, -EOPNOTSUPP },
	{ "udp_gso_not_described", 9000, false, false, IPPROTO_UDP, 1472, TX_ALL,
	  -EOPNOTSUPP },
	{ "sctp_not_described", 300, false, false, IPPROTO_SCTP, 0, TX_ALL,
	  -EOPNOTSUPP },
	{ "gso_without_partial_checksum", 30000, false, false, IPPROTO_TCP, 1448,
	  TX_ALL, -EOPNOTSUPP, .unnecessary = true },
};

static void kni_otx_case_desc(const struct kni_otx_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(kni_otx, kni_otx_cases, kni_otx_case_desc);

/*
 * Transmit with offloads: what an skb's state becomes in the head mbuf,
 * the TSO pseudo-header sum without the length, and the GSO skbs
 * ndo_features_check() must give back to the stack.
 */
static void kni_offload_test_tx(struct kunit *test)
{
	const struct kni_otx_case *c = test->param_value;
	struct kni_mbuf_test_priv *p = test->priv;
	unsigned int l2 = c->vlan ? VLAN_ETH_HLEN : ETH_HLEN;
	unsigned int l3 = c->v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int bad = 0, room, i;
	struct kni_tx_alloc_q q;
	struct kni_stash *stash;
	struct kni_tx_meta meta;
	struct kni_test_mbuf *m;
	netdev_features_t f;
	struct sk_buff *skb;
	__sum16 want, got;
	u64 head;
	int err;

	skb = kni_test_tx_skb(test, c->len, c->v6, c->vlan, c->proto, c->gso_size);
	if (c->proto == IPPROTO_UDP && c->gso_size)
		skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	if (c->unnecessary)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	f = kni_offload_features_check(skb, c->offloads, NETIF_F_TSO | NETIF_F_SG);
	KUNIT_EXPECT_EQ(test, f & NETIF_F_TSO,
			c->gso_size && c->err ? 0 : NETIF_F_TSO);

	err = kni_offload_tx(skb, c->offloads, &meta);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (err) {
		kfree_skb(skb);
		return;
	}
	KUNIT_EXPECT_EQ(test, meta.ol_flags, c->ol_flags);
	KUNIT_EXPECT_EQ(test, meta.tx_offload & 0x7f, (u64)l2);
	KUNIT_EXPECT_EQ(test, (meta.tx_offload >> RTE_KNI_MBUF_L3_LEN_SHIFT) & 0x1ff,
			(u64)l3);
	if (c->gso_size) {
		KUNIT_EXPECT_EQ(test, (meta.tx_offload >> RTE_KNI_MBUF_L4_LEN_SHIFT) & 0xff,
				(u64)sizeof(struct tcphdr));
		KUNIT_EXPECT_EQ(test, meta.tx_offload >> RTE_KNI_MBUF_TSO_SEGSZ_SHIFT,
				(u64)c->gso_size);
		/* DPDK's TSO pseudo-header sum leaves the length out. */
		want = c->v6 ? ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
						&ipv6_hdr(skb)->daddr, 0,
						IPPROTO_TCP, 0) :
			       ~csum_tcpudp_magic(KNI_TEST_SADDR, KNI_TEST_DADDR,
						  0, IPPROTO_TCP, 0);
		got = tcp_hdr(skb)->check;
		/* Ones' complement: 0 and 0xffff are the same sum. */
		KUNIT_EXPECT_TRUE_MSG(test, got == want ||
				      ((u16)got | (u16)want) == 0xffff,
				      "pseudo-header sum %#x, want %#x",
				      (u16)got, (u16)want);
	} else {
		KUNIT_EXPECT_EQ(test, meta.tx_offload >> RTE_KNI_MBUF_L4_LEN_SHIFT, 0ULL);
	}

	/* The words land in the head mbuf, whatever the mbuf held before. */
	kni_test_set_offloads(p, c->offloads, 0);
	stash = kunit_kzalloc(test, sizeof(*stash), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stash);
	kni_tx_alloc_q_init(test, &q);
	kni_tx_offer(test, p, &q, 0, DIV_ROUND_UP(c->len, 2048), 2048);
	for (i = 0; i < DIV_ROUND_UP(c->len, 2048); i++) {
		m = kni_test_mbuf(p, i);
		m->ol_flags = ~0ULL;
		m->tx_offload = ~0ULL;
	}
	err = kni_skb_to_mbufs(&p->ctx, stash, &q.kernel, skb, &meta, &head, &bad,
			       &room);
	KUNIT_ASSERT_EQ(test, err, 0);
	m = kni_test_kva(p, head, KNI_TEST_HDR);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->ol_flags, meta.ol_flags);
	KUNIT_EXPECT_EQ(test, m->tx_offload, meta.tx_offload);
	KUNIT_EXPECT_EQ(test, m->pkt_len, c->len);
	kfree_skb(skb);
}

/* A frame the port need not touch: no flags, but the words are written. */
static void kni_offload_test_tx_plain(struct kunit *test)
{
	struct kni_tx_meta meta = { ~0ULL, ~0ULL };
	struct sk_buff *skb;

	skb = kni_test_tx_skb(test, 100, false, false, IPPROTO_UDP, 0);
	skb->ip_summed = CHECKSUM_NONE;
	KUNIT_EXPECT_EQ(test, kni_offload_tx(skb, TX_ALL, &meta), 0);
	KUNIT_EXPECT_EQ(test, meta.ol_flags, 0ULL);
	KUNIT_EXPECT_EQ(test, meta.tx_offload, 0ULL);
	kfree_skb(skb);
}

/* The offload words: u64s inside the header, over no other field. */
static void kni_offload_test_layout(struct kunit *test)
{
	struct kni_mbuf_test_priv *p = test->priv;
	const struct kni_layout *l = &p->layout;

	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 24, 72), 0);
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 24, 120), 0);
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 28, 72), -EINVAL);
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 24, 128), -EINVAL);
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 24, 24), -EINVAL);
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 32, 72), -EINVAL);	/* pkt_len */
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 24, 64), -EINVAL);	/* next */
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 0, 72), -EINVAL);	/* buf_addr */
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 48, 72), -EINVAL);	/* buf_len */
	KUNIT_EXPECT_EQ(test, kni_layout_check_offload(l, 0xfff8, 72), -EINVAL);
}

/* Which features each offload brings, and which are on. */
static void kni_offload_test_features(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kni_offload_features(0), 0);
	KUNIT_EXPECT_EQ(test, kni_offload_features(RTE_KNI_OFL_TX_CSUM), 0);
	KUNIT_EXPECT_EQ(test, kni_offload_features(RTE_KNI_OFL_ALL),
			NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM | NETIF_F_GRO_HW);
	KUNIT_EXPECT_EQ(test, kni_offload_features(RTE_KNI_OFL_TSO), NETIF_F_TSO);
	KUNIT_EXPECT_EQ(test, kni_offload_on(RTE_KNI_OFL_ALL,
					     NETIF_F_HW_CSUM | NETIF_F_TSO6),
			RTE_KNI_OFL_TX_CSUM | RTE_KNI_OFL_TSO6);
	KUNIT_EXPECT_EQ(test, kni_offload_on(RTE_KNI_OFL_RX_CSUM,
					     NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
					     NETIF_F_GRO_HW), RTE_KNI_OFL_RX_CSUM);
	KUNIT_EXPECT_EQ(test, kni_offload_on(0, ~(netdev_features_t)0), 0);
}

static struct kunit_case kni_offload_test_cases[] = {
	KUNIT_CASE_PARAM(kni_offload_test_rx, kni_orx_gen_params),
	KUNIT_CASE_PARAM(kni_offload_test_tx, kni_otx_gen_params),
	KUNIT_CASE(kni_offload_test_tx_plain),
	KUNIT_CASE(kni_offload_test_layout),
	KUNIT_CASE(kni_offload_test_features),
	{}
};

static struct kunit_suite kni_offload_test_suite = {
	.name = "rte_kni_offload",
	.init = kni_mbuf_test_init,
	.exit = kni_mbuf_test_exit,
	.test_cases = kni_offload_test_cases,
};

static struct kunit_case kni_mbuf_test_cases[] = {
	KUNIT_CASE_PARAM(kni_mbuf_test_to_skb, kni_rx_gen_params),
	KUNIT_CASE_PARAM(kni_mbuf_test_from_skb, kni_tx_gen_params),
	KUNIT_CASE_PARAM(kni_mbuf_test_chain_to_mbufs, kni_rx_gen_params),
	KUNIT_CASE(kni_mbuf_test_tx_err_counter),
	KUNIT_CASE(kni_mbuf_test_runaway_outside),
	KUNIT_CASE(kni_mbuf_test_runaway_no_room),
	KUNIT_CASE(kni_mbuf_test_xlate),
	KUNIT_CASE(kni_mbuf_test_layout_check),
	{}
};

static struct kunit_suite kni_mbuf_test_suite = {
	.name = "rte_kni_mbuf",
	.init = kni_mbuf_test_init,
	.exit = kni_mbuf_test_exit,
	.test_cases = kni_mbuf_test_cases,
};

kunit_test_suites(&kni_mbuf_test_suite, &kni_offload_test_suite);

MODULE_DESCRIPTION("KUnit tests for the rte_kni mbuf <-> sk_buff conversion");
MODULE_LICENSE("GPL");
