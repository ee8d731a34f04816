/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_region.c - which address ranges this process registered already.
 *
 * The kernel refuses a region that overlaps one registered before on the
 * same file (EEXIST) and holds at most RTE_KNI_MAX_REGIONS of them, so the
 * library registers only what is not covered yet and merges adjacent mempool
 * chunks first.
 */
#include <errno.h>
#include <stdlib.h>

#include "kni_region.h"

static int range_valid(uint64_t addr, uint64_t len)
{
	return len != 0 && addr + len > addr;
}

/*
 * The parts of [addr, addr + len) no region covers, in address order.
 * Returns how many there are; only the first @max are stored in @gap.
 */
unsigned int kni_region_gaps(const struct kni_region_set *s, uint64_t addr,
			     uint64_t len, struct kni_region *gap,
			     unsigned int max)
{
	uint64_t cur = addr, end = addr + len;
	unsigned int i, n = 0;

	if (!range_valid(addr, len))
		return 0;
	for (i = 0; i < s->n && cur < end; i++) {
		uint64_t r_start = s->r[i].addr;
		uint64_t r_end = r_start + s->r[i].len;

		if (r_end <= cur)
			continue;
		if (r_start >= end)
			break;
		if (r_start > cur) {
			if (n < max)
				gap[n] = (struct kni_region){ cur, r_start - cur };
			n++;
		}
		cur = r_end;
	}
	if (cur < end) {
		if (n < max)
			gap[n] = (struct kni_region){ cur, end - cur };
		n++;
	}
	return n;
}

int kni_region_covered(const struct kni_region_set *s, uint64_t addr,
		       uint64_t len)
{
	return range_valid(addr, len) &&
	       kni_region_gaps(s, addr, len, NULL, 0) == 0;
}

/* Record a region the kernel accepted; 0 or -errno as the kernel would. */
int kni_region_add(struct kni_region_set *s, uint64_t addr, uint64_t len)
{
	unsigned int i, pos;

	if (!range_valid(addr, len))
		return -EINVAL;
	for (pos = 0; pos < s->n && s->r[pos].addr < addr; pos++)
		;
	if (pos > 0 && s->r[pos - 1].addr + s->r[pos - 1].len > addr)
		return -EEXIST;
	if (pos < s->n && addr + len > s->r[pos].addr)
		return -EEXIST;
	if (s->n == RTE_KNI_MAX_REGIONS)
		return -ENOSPC;
	for (i = s->n; i > pos; i--)
		s->r[i] = s->r[i - 1];
	s->r[pos] = (struct kni_region){ addr, len };
	s->n++;
	return 0;
}

static int region_cmp(const void *a, const void *b)
{
	const struct kni_region *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Sort @v and merge ranges that touch or overlap, in place: a mempool
 * whose chunks are virtually contiguous then costs one region, not one per
 * hugepage.  Invalid (empty or wrapping) ranges are dropped.  Returns the
 * new count.
 */
unsigned int kni_region_coalesce(struct kni_region *v, unsigned int n)
{
	unsigned int i, out = 0;

	qsort(v, n, sizeof(*v), region_cmp);
	for (i = 0; i < n; i++) {
		struct kni_region *last = out ? &v[out - 1] : NULL;

		if (!range_valid(v[i].addr, v[i].len))
			continue;
		if (last && v[i].addr <= last->addr + last->len) {
			uint64_t end = v[i].addr + v[i].len;

			if (end > last->addr + last->len)
				last->len = end - last->addr;
			continue;
		}
		v[out++] = v[i];
	}
	return out;
}
