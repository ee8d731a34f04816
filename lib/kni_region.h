/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_region.h - bookkeeping of the packet memory a process registered with
 * RTE_KNI_IOC_REG_MEM.  Pure logic on address ranges, no DPDK and no
 * syscalls, so the unit tests exercise it directly.
 */
#ifndef KNI_REGION_H
#define KNI_REGION_H

#include <stdint.h>

#include "rte_kni_abi.h"

struct kni_region {
	uint64_t addr;
	uint64_t len;
};

/* The regions of one /dev/kni file, sorted by address, never overlapping. */
struct kni_region_set {
	unsigned int n;
	struct kni_region r[RTE_KNI_MAX_REGIONS];
};

unsigned int kni_region_gaps(const struct kni_region_set *s, uint64_t addr,
			     uint64_t len, struct kni_region *gap,
			     unsigned int max);
int kni_region_covered(const struct kni_region_set *s, uint64_t addr,
		       uint64_t len);
int kni_region_add(struct kni_region_set *s, uint64_t addr, uint64_t len);
unsigned int kni_region_coalesce(struct kni_region *v, unsigned int n);

#endif /* KNI_REGION_H */
