/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_burst.c - the data path: mbufs to the kernel stack (rx ring, back on
 * the free ring) and from it (empty ones on the alloc ring, filled ones
 * back on the tx ring).  Mbuf addresses travel as they are, user virtual
 * addresses, chains linked by the mbufs' own next pointers.
 */
#include <rte_mbuf.h>

#include "kni_internal.h"

static inline struct rte_mbuf *entry_mbuf(const void *slot)
{
	return (struct rte_mbuf *)(uintptr_t)kni_read_once(*(const __u64 *)slot);
}

static inline void set_entry(void *slot, const struct rte_mbuf *m)
{
	kni_write_once(*(__u64 *)slot, (__u64)(uintptr_t)m);
}

/* Distinct segments of a chain that may loop (Floyd's cycle finding). */
static unsigned int chain_distinct(struct rte_mbuf *m)
{
	struct rte_mbuf *slow = m, *fast = m;
	unsigned int mu = 0, lambda = 1;

	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
		if (slow == fast)
			break;
	}
	if (!fast || !fast->next) {
		for (mu = 0; m; m = m->next)
			mu++;
		return mu;
	}
	for (slow = m; slow != fast; slow = slow->next, fast = fast->next)
		mu++;
	for (fast = slow->next; fast != slow; fast = fast->next)
		lambda++;
	return mu + lambda;
}

/* Does the chain at @m end after exactly m->nb_segs segments? */
static inline int chain_sane(const struct rte_mbuf *m)
{
	uint16_t i;

	for (i = 1; i < m->nb_segs; i++) {
		m = m->next;
		if (!m)
			return 0;
	}
	return m->next == NULL;
}

/*
 * Free a chain the kernel gave back.  It is normally what the application
 * sent, but an application may send a malformed chain on purpose (the
 * kernel drops it and returns it): free each segment once, whatever its
 * next pointers say, instead of looping or freeing one twice.
 */
void kni_mbuf_free(struct rte_mbuf *m)
{
	unsigned int i, n;

	if (likely(chain_sane(m))) {
		rte_pktmbuf_free(m);
		return;
	}
	n = chain_distinct(m);
	KNI_LOG(DEBUG, "freeing a malformed chain of %u segments", n);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *next = m->next;

		m->next = NULL;
		m->nb_segs = 1;
		rte_pktmbuf_free_seg(m);
		m = next;
	}
}

/*
 * Keep the alloc ring stocked with empty mbufs for the kernel's transmit
 * path.  Refill in batches, but always when the ring runs low, so a small
 * pool cannot starve the kernel (the 22.11.0 starvation bug).
 */
unsigned int kni_alloc_fill(struct rte_kni *kni, struct kni_local *l)
{
	struct kni_ring *r = kni_ring_get(kni, l, RTE_KNI_RING_ALLOC);
	uint32_t room = kni_ring_free(r), total = 0;
	struct rte_mbuf *m[KNI_BURST];

	if (room < KNI_BURST && r->size - room >= KNI_BURST)
		return 0;
	while (room) {
		unsigned int i, n = RTE_MIN(room, (uint32_t)KNI_BURST);

		if (rte_pktmbuf_alloc_bulk(kni->pktmbuf_pool, m, n) != 0) {
			/* the pool is short: take what is there */
			for (i = 0; i < n; i++) {
				m[i] = rte_pktmbuf_alloc(kni->pktmbuf_pool);
				if (!m[i])
					break;
			}
			n = i;
		}
		for (i = 0; i < n; i++)
			set_entry(kni_ring_prod_slot(r, i), m[i]);
		if (n)
			kni_ring_submit(r, n);
		room -= n;
		total += n;
		if (n < KNI_BURST)
			break;
	}
	if (total)
		kni_ring_put(kni, r, RTE_KNI_RING_ALLOC);
	return total;
}

/* Free the mbufs the kernel is done with, up to @max. */
unsigned int kni_free_drain(struct rte_kni *kni, struct kni_local *l,
			    unsigned int max)
{
	struct kni_ring *r = kni_ring_get(kni, l, RTE_KNI_RING_FREE);
	unsigned int total = 0;

	while (total < max) {
		struct rte_mbuf *m[KNI_BURST];
		unsigned int i, k = 0, n;

		n = RTE_MIN(kni_ring_count(r), max - total);
		n = RTE_MIN(n, (unsigned int)KNI_BURST);
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *mb = entry_mbuf(kni_ring_cons_slot(r, i));

			if (likely(chain_sane(mb)))
				m[k++] = mb;
			else
				kni_mbuf_free(mb);
		}
		kni_ring_release(r, n);
		rte_pktmbuf_free_bulk(m, k);
		total += n;
	}
	if (total)
		kni_ring_put(kni, r, RTE_KNI_RING_FREE);
	return total;
}

/* The pool holding the data of segment @m; NULL for an external buffer. */
static inline const struct rte_mempool *data_pool(const struct rte_mbuf *m)
{
	if (likely(RTE_MBUF_DIRECT(m)))
		return m->pool;
	if (RTE_MBUF_HAS_EXTBUF(m))
		return NULL;	/* not mempool memory: the kernel drops it */
	return rte_mbuf_from_indirect((struct rte_mbuf *)(uintptr_t)m)->pool;
}

/*
 * May the kernel read the memory of @mp (registering it the first time)?
 * @known caches the last pool found usable, for one burst only: a pool
 * cannot be freed while its mbufs are in the burst, but may be between
 * bursts.
 */
static inline bool pool_ok(const struct rte_mempool **known,
			   const struct rte_mempool *mp)
{
	if (likely(mp == *known) || !mp)
		return true;
	if (kni_mem_pool_check(mp))
		return false;
	*known = mp;
	return true;
}

/*
 * Make sure the kernel may read every header and data room of @m: a
 * segment's header lies in its own pool, its data in that pool too unless
 * it is a clone (attached to another mbuf).  False if the first header is
 * in memory the kernel refused: it could neither read that mbuf nor hand
 * it back, so it must not be queued.  Any later segment the kernel cannot
 * read makes it drop the chain and return it, counted.
 */
static inline bool kni_mbuf_register(const struct rte_mempool **known,
				     const struct rte_mbuf *m)
{
	uint16_t i, n = m->nb_segs;

	if (unlikely(!pool_ok(known, m->pool)))
		return false;
	pool_ok(known, data_pool(m));
	for (i = 1; i < n && i < RTE_KNI_MAX_SEGS; i++) {
		m = m->next;
		if (!m)
			break;
		pool_ok(known, m->pool);
		pool_ok(known, data_pool(m));
	}
	return true;
}

/*
 * The first step of both bursts: the ring @id of @kni as this process maps
 * it (attaching on first use), with its mapping in *@lp for the wakeups
 * after it; NULL for a NULL handle or one that cannot be mapped here.
 * Inline: it runs once a burst, on the data path.
 */
static inline struct kni_ring *burst_ring(struct rte_kni *kni,
					  enum rte_kni_ring_id id,
					  struct kni_local **lp)
{
	struct kni_local *l;

	if (unlikely(!kni))
		return NULL;
	l = kni_local(kni);
	if (unlikely(!l))
		return NULL;
	*lp = l;
	return kni_ring_get(kni, l, id);
}

KNI_EXPORT unsigned int
rte_kni_tx_burst(struct rte_kni *kni, struct rte_mbuf **mbufs,
		 unsigned int num)
{
	const struct rte_mempool *known = NULL;
	struct kni_local *l;
	struct kni_ring *r;
	unsigned int i, n;

	r = burst_ring(kni, RTE_KNI_RING_RX, &l);
	if (unlikely(!r))
		return 0;
	n = RTE_MIN(kni_ring_free(r), num);
	for (i = 0; i < n; i++) {
		if (unlikely(!kni_mbuf_register(&known, mbufs[i])))
			break;	/* the caller keeps it, as when the ring is full */
		set_entry(kni_ring_prod_slot(r, i), mbufs[i]);
	}
	n = i;
	if (n) {
		kni_ring_submit(r, n);
		kni_ring_put(kni, r, RTE_KNI_RING_RX);
	}
	/*
	 * The kernel takes from the rx ring only what the free ring has room
	 * to give back, and sleeps on the rx ring otherwise: kick it when we
	 * queued more or made room while something is still queued.
	 */
	if ((kni_free_drain(kni, l, l->ring[RTE_KNI_RING_FREE].size) &&
	     kni_ring_free(r) < r->size) || n)
		kni_dev_wakeup_if(l, r);
	return n;
}

KNI_EXPORT unsigned int
rte_kni_rx_burst(struct rte_kni *kni, struct rte_mbuf **mbufs,
		 unsigned int num)
{
	struct kni_local *l;
	struct kni_ring *r;
	unsigned int i, n;

	r = burst_ring(kni, RTE_KNI_RING_TX, &l);
	if (unlikely(!r))
		return 0;
	n = RTE_MIN(kni_ring_count(r), num);
	for (i = 0; i < n; i++)
		mbufs[i] = entry_mbuf(kni_ring_cons_slot(r, i));
	if (n) {
		kni_ring_release(r, n);
		kni_ring_put(kni, r, RTE_KNI_RING_TX);
	}
	/* the kernel stops its queue when it runs out of mbufs: restart it */
	if (kni_alloc_fill(kni, l) || n)
		kni_dev_wakeup_if(l, r);
	return n;
}
