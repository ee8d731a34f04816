// SPDX-License-Identifier: GPL-2.0
/*
 * kni_mbuf.c - the application's mbuf chains: read into skbs, filled from
 * skbs, and copied chain to chain for lo_mode_fifo.
 *
 * Everything read here lives in memory the application can rewrite at any
 * moment.  Each mbuf field is therefore read exactly once into a local,
 * checked, and only the local is used afterwards; every address is resolved
 * through the registered regions with its full length.  Nothing here is
 * specific to NAPI or to a live net_device beyond eth_type_trans(), so the
 * KUnit suites exercise this file as it is.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#include "kni.h"

static bool kni_field_ok(u16 off, u16 size, u16 hdr_size)
{
	return !(off & (size - 1)) && off + size <= hdr_size;
}

int kni_layout_check(const struct rte_kni_mbuf_layout *in, struct kni_layout *out)
{
	u16 h = in->hdr_size;

	memset(out, 0, sizeof(*out));
	if (h < 32 || h > 4096)
		return -EINVAL;
	if (!kni_field_ok(in->buf_addr, 8, h) ||
	    !kni_field_ok(in->next, 8, h) ||
	    !kni_field_ok(in->pkt_len, 4, h) ||
	    !kni_field_ok(in->data_off, 2, h) ||
	    !kni_field_ok(in->nb_segs, 2, h) ||
	    !kni_field_ok(in->data_len, 2, h) ||
	    !kni_field_ok(in->buf_len, 2, h))
		return -EINVAL;

	out->hdr_size = h;
	out->buf_addr = in->buf_addr;
	out->data_off = in->data_off;
	out->nb_segs = in->nb_segs;
	out->pkt_len = in->pkt_len;
	out->data_len = in->data_len;
	out->buf_len = in->buf_len;
	out->next = in->next;
	return 0;
}

/*
 * The offload words of RTE_KNI_IOC_OFFLOAD: u64s in the header that
 * overlap neither each other nor a field of the create-time layout, whose
 * values the kernel writes.
 */
int kni_layout_check_offload(const struct kni_layout *l, u16 ol_flags,
			     u16 tx_offload)
{
	const struct {
		u16 off, size;
	} field[] = {
		{ l->buf_addr, 8 }, { l->next, 8 }, { l->pkt_len, 4 },
		{ l->data_off, 2 }, { l->nb_segs, 2 }, { l->data_len, 2 },
		{ l->buf_len, 2 }, { ol_flags, 8 },
	};
	unsigned int i;

	if (!kni_field_ok(ol_flags, 8, l->hdr_size) ||
	    !kni_field_ok(tx_offload, 8, l->hdr_size))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(field); i++)
		if (field[i].off < tx_offload + 8 &&
		    tx_offload < field[i].off + field[i].size)
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(field) - 1; i++)
		if (field[i].off < ol_flags + 8 &&
		    ol_flags < field[i].off + field[i].size)
			return -EINVAL;
	return 0;
}

#define KNI_FIELD(hdr, off, type)	(*(type *)((u8 *)(hdr) + (off)))

static void kni_mbuf_read(const struct kni_layout *l, const void *hdr,
			  struct kni_mbuf *m)
{
	m->buf_addr = READ_ONCE(KNI_FIELD(hdr, l->buf_addr, u64));
	m->next = READ_ONCE(KNI_FIELD(hdr, l->next, u64));
	m->pkt_len = READ_ONCE(KNI_FIELD(hdr, l->pkt_len, u32));
	m->data_off = READ_ONCE(KNI_FIELD(hdr, l->data_off, u16));
	m->nb_segs = READ_ONCE(KNI_FIELD(hdr, l->nb_segs, u16));
	m->data_len = READ_ONCE(KNI_FIELD(hdr, l->data_len, u16));
	m->buf_len = READ_ONCE(KNI_FIELD(hdr, l->buf_len, u16));
}

/* Kernel address of this segment's data, or NULL if it leaves the buffer. */
static const void *kni_mbuf_data(const struct kni_mbuf_ctx *c,
				 const struct kni_mbuf *m)
{
	if ((u32)m->data_off + m->data_len > m->buf_len)
		return NULL;
	return kni_mem_xlate(c->mem, m->buf_addr + m->data_off, m->data_len);
}

/*
 * Frames up to KNI_RX_LINEAR_MAX bytes are received into one linear
 * buffer of a page at most.  Longer ones (jumbo frames, LRO's 64 KB) get
 * a KNI_RX_HEAD byte head, which holds any header the offloads parse, and
 * order-0 pages for the rest, so that they never wait for a high-order
 * atomic allocation.
 */
#define KNI_RX_LINEAR_MAX \
	(SKB_WITH_OVERHEAD(PAGE_SIZE) - NET_SKB_PAD - NET_IP_ALIGN)
#define KNI_RX_HEAD		256

/* Longest frame an LRO chain may be: an IPv4 or IPv6 packet of 64 KB. */
#define KNI_LRO_MAX_FRAME	(ETH_HLEN + 65535)

/*
 * Every caller with c->napi is that instance's poll (kni_rx(),
 * kni_rx_loop()), bottom halves off, which is what napi_alloc_skb()'s
 * per-CPU skb and page-fragment caches need.
 */
static struct sk_buff *kni_alloc_skb(const struct kni_mbuf_ctx *c,
				     unsigned int len)
{
	if (c->napi)
		return napi_alloc_skb(c->napi, len);
	return netdev_alloc_skb_ip_align(c->dev, len);
}

static enum kni_rx_verdict kni_src_enter(struct kni_src *s)
{
	if (s->m.data_len > s->unseen)
		return KNI_RX_DROP_LEN;
	s->data = kni_mbuf_data(s->c, &s->m);
	if (!s->data)
		return KNI_RX_DROP_LEN;
	s->seg_left = s->m.data_len;
	s->unseen -= s->m.data_len;
	return KNI_RX_OK;
}

/*
 * Start reading the chain whose header is at user address @uaddr.  Any
 * verdict but KNI_RX_DROP_ADDR means the head was a readable mbuf, which
 * goes back to the application.
 */
enum kni_rx_verdict kni_src_open(struct kni_src *s, const struct kni_mbuf_ctx *c,
				 u64 uaddr, unsigned int max_frame)
{
	const struct kni_layout *l = c->layout;
	const void *hdr = kni_mem_xlate(c->mem, uaddr, l->hdr_size);

	if (!hdr)
		return KNI_RX_DROP_ADDR;
	s->c = c;
	kni_mbuf_read(l, hdr, &s->m);
	s->offloads = kni_offload_on(kni_layout_offloads(l),
				     READ_ONCE(c->dev->features)) &
		      (RTE_KNI_OFL_RX_CSUM | RTE_KNI_OFL_LRO);
	s->ol_flags = 0;
	s->segsz = 0;
	if (s->offloads) {
		s->ol_flags = READ_ONCE(KNI_FIELD(hdr, l->ol_flags, u64));
		s->segsz = READ_ONCE(KNI_FIELD(hdr, l->tx_offload, u64)) >>
			   RTE_KNI_MBUF_TSO_SEGSZ_SHIFT;
	}
	if (s->m.pkt_len < ETH_HLEN)
		return KNI_RX_DROP_LEN;
	/* Longer than the MTU: only as LRO, checked in kni_offload_rx(). */
	if (s->m.pkt_len > max_frame &&
	    (!(s->offloads & RTE_KNI_OFL_LRO) ||
	     !(s->ol_flags & RTE_KNI_MBUF_F_RX_LRO) ||
	     s->m.pkt_len > KNI_LRO_MAX_FRAME))
		return KNI_RX_DROP_TOO_BIG;
	if (!s->m.nb_segs || s->m.nb_segs > RTE_KNI_MAX_SEGS)
		return KNI_RX_DROP_CHAIN;
	s->pkt_len = s->m.pkt_len;
	s->unseen = s->pkt_len;
	s->segs_left = s->m.nb_segs - 1;
	return kni_src_enter(s);
}

/*
 * Move to the next segment.  Only nb_segs are ever read, which bounds the
 * walk whatever the next pointers say: a cycle costs at most nb_segs reads.
 */
static enum kni_rx_verdict kni_src_next(struct kni_src *s)
{
	const void *hdr;

	if (!s->segs_left)	/* data_len adds up to less than pkt_len */
		return s->m.next ? KNI_RX_DROP_CHAIN : KNI_RX_DROP_LEN;
	if (!s->m.next)
		return KNI_RX_DROP_CHAIN;
	hdr = kni_mem_xlate(s->c->mem, s->m.next, s->c->layout->hdr_size);
	if (!hdr)
		return KNI_RX_DROP_CHAIN;
	kni_mbuf_read(s->c->layout, hdr, &s->m);
	s->segs_left--;
	return kni_src_enter(s);
}

/* Copy the next @len bytes of the frame to @to. */
static enum kni_rx_verdict kni_src_copy(struct kni_src *s, void *to, u32 len)
{
	enum kni_rx_verdict v;
	u32 n;

	while (len) {
		if (!s->seg_left) {
			v = kni_src_next(s);
			if (v != KNI_RX_OK)
				return v;
			continue;
		}
		n = min(len, s->seg_left);
		memcpy(to, s->data, n);
		to += n;
		s->data += n;
		s->seg_left -= n;
		len -= n;
	}
	return KNI_RX_OK;
}

/* All pkt_len bytes copied: the rest of the chain must hold nothing. */
static enum kni_rx_verdict kni_src_close(struct kni_src *s)
{
	enum kni_rx_verdict v;

	while (s->segs_left) {
		v = kni_src_next(s);
		if (v != KNI_RX_OK)
			return v;
	}
	return s->m.next ? KNI_RX_DROP_CHAIN : KNI_RX_OK;
}

/* Copy the next @len bytes of the frame into pages added to @skb. */
static enum kni_rx_verdict kni_src_copy_pages(struct kni_src *s,
					      struct sk_buff *skb, u32 len)
{
	enum kni_rx_verdict v;
	struct page *page;
	u32 n;

	while (len) {
		/* Not reached: 64 KB in pages is 16 of MAX_SKB_FRAGS >= 17. */
		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS)
			return KNI_RX_DROP_TOO_BIG;
		page = dev_alloc_page();
		if (!page)
			return KNI_RX_DROP_NOMEM;
		n = min_t(u32, len, PAGE_SIZE);
		v = kni_src_copy(s, page_address(page), n);
		/* Added even on failure: kfree_skb() frees it. */
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 0, n,
				PAGE_SIZE);
		if (v != KNI_RX_OK)
			return v;
		len -= n;
	}
	return KNI_RX_OK;
}

/*
 * Build an skb from the mbuf chain whose header is at user address @uaddr.
 * @max_frame bounds the Ethernet frame length, but for LRO.  Returns the
 * skb, or NULL with *verdict saying why; for every verdict but
 * KNI_RX_DROP_ADDR the head was a readable mbuf and goes back to the
 * application.  With an skb, *verdict is KNI_RX_OK or KNI_RX_OK_CSUM_BAD.
 */
struct sk_buff *kni_mbuf_to_skb(const struct kni_mbuf_ctx *c, u64 uaddr,
				unsigned int max_frame, enum kni_rx_verdict *verdict)
{
	struct sk_buff *skb;
	struct kni_src s;
	u32 head;

	*verdict = kni_src_open(&s, c, uaddr, max_frame);
	if (*verdict != KNI_RX_OK)
		return NULL;
	head = s.pkt_len > KNI_RX_LINEAR_MAX ? KNI_RX_HEAD : s.pkt_len;
	skb = kni_alloc_skb(c, head);
	if (!skb) {
		*verdict = KNI_RX_DROP_NOMEM;
		return NULL;
	}
	*verdict = kni_src_copy(&s, skb_put(skb, head), head);
	if (*verdict == KNI_RX_OK && head < s.pkt_len)
		*verdict = kni_src_copy_pages(&s, skb, s.pkt_len - head);
	if (*verdict == KNI_RX_OK)
		*verdict = kni_src_close(&s);
	if (*verdict != KNI_RX_OK)
		goto drop;
	skb->protocol = eth_type_trans(skb, c->dev);
	/* Unless the port vouches for the checksum, the stack verifies it. */
	skb->ip_summed = CHECKSUM_NONE;
	if (s.offloads) {
		*verdict = kni_offload_rx(skb, s.offloads, s.ol_flags, s.segsz,
					  max_frame);
		if (*verdict == KNI_RX_DROP_LRO)
			goto drop;
	}
	return skb;

drop:
	kfree_skb(skb);
	return NULL;
}

/* The counter a chain rejected with @verdict (not KNI_RX_OK) is counted in. */
enum kni_counter kni_rx_verdict_counter(enum kni_rx_verdict verdict)
{
	static const enum kni_counter counter[] = {
		[KNI_RX_DROP_ADDR]	= KNI_RX_BAD_ADDR,
		[KNI_RX_DROP_LEN]	= KNI_RX_BAD_LEN,
		[KNI_RX_DROP_CHAIN]	= KNI_RX_BAD_CHAIN,
		[KNI_RX_DROP_TOO_BIG]	= KNI_RX_TOO_BIG,
		[KNI_RX_DROP_NOMEM]	= KNI_RX_NOMEM,
		[KNI_RX_DROP_LRO]	= KNI_RX_BAD_LRO,
		[KNI_RX_OK_CSUM_BAD]	= KNI_RX_CSUM_BAD,
	};

	return counter[verdict];
}

/*
 * Resolve an empty mbuf from alloc_q: its header and its whole data room
 * must lie in registered memory.  False means unusable (counted by the
 * caller and never used again).
 */
static bool kni_tx_seg_get(const struct kni_mbuf_ctx *c, u64 uaddr,
			   void **hdr, void **data, u16 *room)
{
	const struct kni_layout *l = c->layout;
	struct kni_mbuf m;

	*hdr = kni_mem_xlate(c->mem, uaddr, l->hdr_size);
	if (!*hdr)
		return false;
	kni_mbuf_read(l, *hdr, &m);
	if (m.data_off >= m.buf_len)
		return false;
	*room = m.buf_len - m.data_off;
	*data = kni_mem_xlate(c->mem, m.buf_addr + m.data_off, *room);
	return *data;
}

/*
 * Top the stash up to @want entries from alloc_q, keeping only mbufs whose
 * header lies in registered memory.  Examines at most KNI_STASH_SIZE
 * entries, so a ring full of garbage costs one bounded pass.  Returns the
 * stash level.
 */
unsigned int kni_stash_fill(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
			    struct kni_ring *alloc, unsigned int want,
			    unsigned int *bad)
{
	unsigned int n, i, scan = KNI_STASH_SIZE;
	u64 addr[32];

	if (want > KNI_STASH_SIZE)
		want = KNI_STASH_SIZE;
	while (stash->nr < want && scan) {
		n = min3(want - stash->nr, scan, (unsigned int)ARRAY_SIZE(addr));
		n = kni_ring_get_u64(alloc, addr, n);
		if (!n)
			break;
		scan -= n;
		for (i = 0; i < n; i++) {
			if (kni_mem_xlate(c->mem, addr[i], c->layout->hdr_size))
				stash->addr[stash->nr++] = addr[i];
			else
				(*bad)++;
		}
	}
	return stash->nr;
}

#define KNI_SET(hdr, off, type, v)	WRITE_ONCE(KNI_FIELD(hdr, off, type), v)

/*
 * What a chain of mbufs for tx_q is filled from: an skb (the stack's
 * frames) or, in lo_mode_fifo, a chain from rx_q.
 */
struct kni_fill_src {
	const struct sk_buff	*skb;
	const struct kni_tx_meta *meta;		/* for the head, if any */
	struct kni_src		*chain;		/* if !skb */
	u32			len;
};

/*
 * Copy bytes [@off, @off + @len) of @src to @to: 0, -EFAULT (the skb) or
 * -EBADMSG (the chain, its verdict says why).  Called in order, so a chain
 * is read as it is copied and checked whole when its last byte is.
 */
static int kni_fill_copy(const struct kni_fill_src *src, u32 off, void *to,
			 u32 len)
{
	struct kni_src *s = src->chain;

	if (src->skb)
		return skb_copy_bits(src->skb, off, to, len) ? -EFAULT : 0;
	s->verdict = kni_src_copy(s, to, len);
	if (s->verdict == KNI_RX_OK && off + len == src->len)
		s->verdict = kni_src_close(s);
	return s->verdict == KNI_RX_OK ? 0 : -EBADMSG;
}

/*
 * Copy @src into a chain of mbufs taken from @stash (refilled from @alloc).
 * On success *head is the user address of the first mbuf, ready for tx_q.
 * On failure no mbuf is lost: the usable ones go back to the stash, and
 * nothing is posted.  *bad counts mbufs found unusable, *room reports the
 * data room of the last mbuf used (0 if none).
 *
 * Returns 0, -ENOBUFS (not enough usable mbufs now, or KNI_TX_BAD_MAX
 * unusable ones met), -EMSGSIZE (the frame needs more than
 * RTE_KNI_MAX_SEGS of these mbufs), -EFAULT (the skb could not be read) or
 * -EBADMSG (the source chain is malformed).
 */
static int kni_fill_mbufs(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
			  struct kni_ring *alloc, const struct kni_fill_src *src,
			  u64 *head, unsigned int *bad, unsigned int *room)
{
	const struct kni_layout *l = c->layout;
	void *hdr, *data, *head_hdr = NULL, *prev = NULL;
	unsigned int nseg = 0, off = 0, len;
	unsigned int bad_max = *bad + KNI_TX_BAD_MAX;
	u64 used[RTE_KNI_MAX_SEGS];
	u16 seg_room;
	int err;

	*room = 0;
	if (!src->len)
		return -EMSGSIZE;
	while (off < src->len) {
		if (nseg == RTE_KNI_MAX_SEGS) {
			err = -EMSGSIZE;
			goto unwind;
		}
		if (*bad >= bad_max) {
			err = -ENOBUFS;
			goto unwind;
		}
		if (!stash->nr && !kni_stash_fill(c, stash, alloc,
						  KNI_STASH_SIZE / 2, bad)) {
			err = -ENOBUFS;
			goto unwind;
		}
		used[nseg] = stash->addr[--stash->nr];
		if (!kni_tx_seg_get(c, used[nseg], &hdr, &data, &seg_room)) {
			(*bad)++;
			continue;
		}
		len = min_t(unsigned int, seg_room, src->len - off);
		err = kni_fill_copy(src, off, data, len);
		if (err) {
			/* Keep this one: it is a good mbuf. */
			nseg++;
			goto unwind;
		}
		KNI_SET(hdr, l->data_len, u16, len);
		KNI_SET(hdr, l->pkt_len, u32, len);
		KNI_SET(hdr, l->nb_segs, u16, 1);
		KNI_SET(hdr, l->next, u64, 0);
		if (prev)
			KNI_SET(prev, l->next, u64, used[nseg]);
		else
			head_hdr = hdr;
		prev = hdr;
		*room = seg_room;
		off += len;
		nseg++;
	}

	KNI_SET(head_hdr, l->pkt_len, u32, src->len);
	KNI_SET(head_hdr, l->nb_segs, u16, nseg);
	if (src->meta) {
		KNI_SET(head_hdr, l->ol_flags, u64, src->meta->ol_flags);
		KNI_SET(head_hdr, l->tx_offload, u64, src->meta->tx_offload);
	}
	*head = used[0];
	return 0;

unwind:
	/* Every entry of used[] came out of the stash, so all fit back. */
	while (nseg)
		stash->addr[stash->nr++] = used[--nseg];
	return err;
}

/*
 * Copy @skb into mbufs for tx_q: kni_fill_mbufs() from an skb.  @meta,
 * when the application takes offloads (kni_offload_tx()), goes into the
 * head mbuf's ol_flags and tx_offload.
 */
int kni_skb_to_mbufs(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
		     struct kni_ring *alloc, const struct sk_buff *skb,
		     const struct kni_tx_meta *meta,
		     u64 *head, unsigned int *bad, unsigned int *room)
{
	const struct kni_fill_src src = {
		.skb = skb, .meta = meta, .len = skb->len,
	};

	return kni_fill_mbufs(c, stash, alloc, &src, head, bad, room);
}

/*
 * lo_mode_fifo: copy @chain, opened with kni_src_open(), into mbufs for
 * tx_q, as kni_skb_to_mbufs() does an skb.  With -EBADMSG, chain->verdict
 * says what is wrong with it.
 */
int kni_chain_to_mbufs(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
		       struct kni_ring *alloc, struct kni_src *chain,
		       u64 *head, unsigned int *bad, unsigned int *room)
{
	const struct kni_fill_src src = { .chain = chain, .len = chain->pkt_len };

	return kni_fill_mbufs(c, stash, alloc, &src, head, bad, room);
}

/* The counter a frame kni_skb_to_mbufs() failed with @err is counted in. */
enum kni_counter kni_tx_err_counter(int err)
{
	switch (err) {
	case -ENOBUFS:
		return KNI_TX_NO_MBUF;
	case -EFAULT:
		return KNI_TX_COPY_ERR;
	default:
		return KNI_TX_TOO_BIG;
	}
}
