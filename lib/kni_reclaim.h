/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_reclaim.h - find the ring entries still owned by the library when an
 * interface goes away.  Pure ring logic (kni_ring.h only) so the unit tests
 * can check it against hand-built rings.
 */
#ifndef KNI_RECLAIM_H
#define KNI_RECLAIM_H

#include <stddef.h>	/* kni_ring.h uses size_t */
#include <stdint.h>

#include "kni_ring.h"

/* Called once for every reclaimed entry (a u64 mbuf address). */
typedef void kni_reclaim_fn(enum rte_kni_ring_id id, uint64_t entry,
			    void *arg);

int kni_ring_span(const struct kni_ring *r, uint32_t from, uint32_t to,
		  uint32_t *n);
void kni_ring_walk(const struct kni_ring *r, uint32_t from, uint32_t n,
		   enum rte_kni_ring_id id, kni_reclaim_fn *fn, void *arg);
int kni_rings_reclaim(struct kni_ring ring[RTE_KNI_RING_COUNT],
		      kni_reclaim_fn *fn, void *arg);

#endif /* KNI_RECLAIM_H */
