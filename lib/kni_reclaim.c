/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_reclaim.c - after RTE_KNI_IOC_RELEASE the kernel has stopped touching
 * the rings and has pushed every mbuf it held privately into the free ring.
 * Every mbuf of the interface is then in exactly one of these places:
 *
 *   tx, free     [our head, *producer)  written by the kernel, not read yet
 *   rx, alloc    [*consumer, our head)  written by us, never taken
 *
 * Anything else was consumed by one side and handed on.  Indices are free
 * running u32, so every distance is computed modulo 2^32; a distance larger
 * than the ring cannot come from a sane peer and is refused rather than
 * walked, because walking it would free mbufs twice.
 */
#include <errno.h>

#include "kni_reclaim.h"

/* Number of entries in [from, to); -EINVAL if that exceeds the ring. */
int kni_ring_span(const struct kni_ring *r, uint32_t from, uint32_t to,
		  uint32_t *n)
{
	uint32_t d = to - from;

	if (d > r->size) {
		*n = 0;
		return -EINVAL;
	}
	*n = d;
	return 0;
}

void kni_ring_walk(const struct kni_ring *r, uint32_t from, uint32_t n,
		   enum rte_kni_ring_id id, kni_reclaim_fn *fn, void *arg)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fn(id, kni_read_once(*(__u64 *)kni_ring_slot(r, from + i)),
		   arg);
}

/* The kernel wrote these; consume them as if received. */
static int reclaim_consumed(struct kni_ring *r, enum rte_kni_ring_id id,
			    kni_reclaim_fn *fn, void *arg)
{
	uint32_t n;
	int ret;

	ret = kni_ring_span(r, r->head, kni_load_acquire(r->producer), &n);
	kni_ring_walk(r, r->head, n, id, fn, arg);
	if (n)
		kni_ring_release(r, n);
	return ret;
}

/* We wrote these and the kernel never took them; take them back. */
static int reclaim_produced(struct kni_ring *r, enum rte_kni_ring_id id,
			    kni_reclaim_fn *fn, void *arg)
{
	uint32_t from = kni_load_acquire(r->consumer), n;
	int ret;

	ret = kni_ring_span(r, from, r->head, &n);
	kni_ring_walk(r, from, n, id, fn, arg);
	return ret;
}

/*
 * Hand every entry still owned by the library to @fn.  Returns 0, or
 * -EINVAL if some ring had impossible indices (its entries are then left
 * alone: a leak is better than a double free).
 */
int kni_rings_reclaim(struct kni_ring ring[RTE_KNI_RING_COUNT],
		      kni_reclaim_fn *fn, void *arg)
{
	int ret = 0;

	ret |= reclaim_consumed(&ring[RTE_KNI_RING_FREE], RTE_KNI_RING_FREE,
				fn, arg);
	ret |= reclaim_consumed(&ring[RTE_KNI_RING_TX], RTE_KNI_RING_TX,
				fn, arg);
	ret |= reclaim_produced(&ring[RTE_KNI_RING_RX], RTE_KNI_RING_RX,
				fn, arg);
	ret |= reclaim_produced(&ring[RTE_KNI_RING_ALLOC], RTE_KNI_RING_ALLOC,
				fn, arg);
	return ret ? -EINVAL : 0;
}
