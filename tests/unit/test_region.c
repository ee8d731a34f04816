/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_region.c - the bookkeeping of registered packet memory
 * (lib/kni_region.c): what is covered, what is left to register, the
 * kernel's EEXIST/ENOSPC rules, merging of adjacent mempool chunks.
 * Checked against a byte map of a small address space.
 */
#include <errno.h>
#include <string.h>

#include "kni_region.h"
#include "unit.h"

#define SPACE 512

static uint32_t rng_state = 777;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void test_add_rules(void)
{
	struct kni_region_set s = { 0 };
	unsigned int i;

	CHECK_EQ(kni_region_add(&s, 100, 50), 0);
	CHECK_EQ(kni_region_add(&s, 100, 50), -EEXIST);
	CHECK_EQ(kni_region_add(&s, 149, 10), -EEXIST);
	CHECK_EQ(kni_region_add(&s, 90, 11), -EEXIST);
	CHECK_EQ(kni_region_add(&s, 50, 200), -EEXIST);
	CHECK_EQ(kni_region_add(&s, 150, 10), 0);	/* adjacent is fine */
	CHECK_EQ(kni_region_add(&s, 90, 10), 0);
	CHECK_EQ(kni_region_add(&s, 0, 0), -EINVAL);
	CHECK_EQ(kni_region_add(&s, UINT64_MAX - 5, 10), -EINVAL);
	CHECK_EQ(s.n, 3);
	for (i = 1; i < s.n; i++)
		CHECK(s.r[i - 1].addr + s.r[i - 1].len <= s.r[i].addr);

	memset(&s, 0, sizeof(s));
	for (i = 0; i < RTE_KNI_MAX_REGIONS; i++)
		CHECK_EQ(kni_region_add(&s, 1000 - i * 10, 5), 0);
	CHECK_EQ(kni_region_add(&s, 5000, 5), -ENOSPC);
	for (i = 1; i < s.n; i++)
		CHECK(s.r[i - 1].addr < s.r[i].addr);
}

static void test_gaps_simple(void)
{
	struct kni_region_set s = { 0 };
	struct kni_region g[4];

	CHECK_EQ(kni_region_gaps(&s, 10, 20, g, 4), 1);
	CHECK_EQ(g[0].addr, 10);
	CHECK_EQ(g[0].len, 20);
	kni_region_add(&s, 15, 5);
	kni_region_add(&s, 22, 3);
	CHECK_EQ(kni_region_gaps(&s, 10, 20, g, 4), 3);
	CHECK_EQ(g[0].addr, 10);
	CHECK_EQ(g[0].len, 5);
	CHECK_EQ(g[1].addr, 20);
	CHECK_EQ(g[1].len, 2);
	CHECK_EQ(g[2].addr, 25);
	CHECK_EQ(g[2].len, 5);
	/* count is exact even when the array is short */
	CHECK_EQ(kni_region_gaps(&s, 10, 20, g, 1), 3);
	CHECK(kni_region_covered(&s, 15, 5));
	CHECK(kni_region_covered(&s, 16, 1));
	CHECK(!kni_region_covered(&s, 15, 6));
	CHECK(!kni_region_covered(&s, 14, 1));
	CHECK(!kni_region_covered(&s, 15, 0));
}

static void test_coalesce(void)
{
	struct kni_region v[] = {
		{ 300, 10 }, { 100, 50 }, { 150, 50 }, { 0, 0 },
		{ 200, 1 }, { 400, 20 }, { 410, 5 }, { 500, 10 },
	};
	unsigned int n = kni_region_coalesce(v, sizeof(v) / sizeof(v[0]));

	CHECK_EQ(n, 4);
	CHECK_EQ(v[0].addr, 100);
	CHECK_EQ(v[0].len, 101);
	CHECK_EQ(v[1].addr, 300);
	CHECK_EQ(v[1].len, 10);
	CHECK_EQ(v[2].addr, 400);
	CHECK_EQ(v[2].len, 20);
	CHECK_EQ(v[3].addr, 500);
}

/*
 * Register random ranges the way the library does (only the gaps) and
 * compare coverage with a byte map.
 */
static void test_random_model(void)
{
	int round;

	for (round = 0; round < 200; round++) {
		unsigned char map[SPACE] = { 0 };
		struct kni_region_set s = { 0 };
		int step;

		for (step = 0; step < 40; step++) {
			uint64_t a = rng() % SPACE, l = 1 + rng() % 40, x;
			struct kni_region g[RTE_KNI_MAX_REGIONS + 1];
			unsigned int n, i, expect = 0;
			int in_gap = 0;

			if (a + l > SPACE)
				l = SPACE - a;
			for (x = a; x < a + l; x++) {
				if (!map[x] && !in_gap)
					expect++;
				in_gap = !map[x];
			}
			n = kni_region_gaps(&s, a, l, g, RTE_KNI_MAX_REGIONS + 1);
			CHECK_EQ(n, expect);
			CHECK_EQ(kni_region_covered(&s, a, l), expect == 0);
			for (i = 0; i < n && i <= RTE_KNI_MAX_REGIONS; i++) {
				int ret = kni_region_add(&s, g[i].addr,
							 g[i].len);

				CHECK(ret == 0 || ret == -ENOSPC);
				if (ret)
					continue;
				for (x = g[i].addr; x < g[i].addr + g[i].len;
				     x++) {
					CHECK(!map[x]);
					map[x] = 1;
				}
			}
		}
		for (int x = 0; x < SPACE; x++)
			CHECK_EQ(kni_region_covered(&s, x, 1), map[x]);
	}
}

int main(void)
{
	RUN(test_add_rules);
	RUN(test_gaps_simple);
	RUN(test_coalesce);
	RUN(test_random_model);
	return unit_exit();
}
