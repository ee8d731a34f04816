/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ring_fixture.h - a ring laid out the way the kernel lays it out (each
 * index on its own cache line), with a producer and a consumer view of the
 * same memory, for the ring and reclaim tests.
 */
#ifndef RING_FIXTURE_H
#define RING_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kni_ring.h"

struct ring_fixture {
	unsigned char *mem;
	struct rte_kni_ring_off off;
	struct kni_ring prod;		/* the side that fills the ring */
	struct kni_ring cons;		/* the side that drains it */
};

/* Both sides start at @start, as if that many entries had passed. */
static inline void ring_fixture_init(struct ring_fixture *f, uint32_t size,
				     uint32_t entry_size, uint32_t start)
{
	size_t bytes = 3 * RTE_KNI_CACHE_LINE + (size_t)size * entry_size;

	f->mem = aligned_alloc(RTE_KNI_CACHE_LINE,
			       (bytes + RTE_KNI_CACHE_LINE - 1) &
			       ~(size_t)(RTE_KNI_CACHE_LINE - 1));
	memset(f->mem, 0xa5, bytes);	/* stale garbage in every slot */
	f->off = (struct rte_kni_ring_off){
		.producer = 0,
		.consumer = RTE_KNI_CACHE_LINE,
		.flags = 2 * RTE_KNI_CACHE_LINE,
		.desc = 3 * RTE_KNI_CACHE_LINE,
		.size = size,
		.entry_size = entry_size,
	};
	*(uint32_t *)(f->mem + f->off.producer) = start;
	*(uint32_t *)(f->mem + f->off.consumer) = start;
	*(uint32_t *)(f->mem + f->off.flags) = 0;
	kni_ring_init(&f->prod, f->mem, &f->off, start);
	kni_ring_init(&f->cons, f->mem, &f->off, start);
}

static inline void ring_fixture_fini(struct ring_fixture *f)
{
	free(f->mem);
	f->mem = NULL;
}

static inline uint32_t *ring_fixture_word(struct ring_fixture *f,
					  uint64_t off)
{
	return (uint32_t *)(f->mem + off);
}

#endif /* RING_FIXTURE_H */
