/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_reclaim.c - the walk rte_kni_release() uses to find the mbufs still
 * owned by the library (lib/kni_reclaim.c): every outstanding entry of the
 * rx, free, alloc and tx rings exactly once, nothing the peer already took,
 * across index wrap at 2^32, and nothing at all from a ring whose indices
 * are impossible (a leak is better than a double free).
 */
#include <errno.h>

#include "kni_reclaim.h"
#include "ring_fixture.h"
#include "unit.h"

#define SIZE 64u
#define MAXV 4096

static const enum rte_kni_ring_id packet_rings[] = {
	RTE_KNI_RING_RX, RTE_KNI_RING_FREE, RTE_KNI_RING_ALLOC, RTE_KNI_RING_TX,
};

struct scenario {
	struct ring_fixture f[RTE_KNI_RING_COUNT];
	struct kni_ring lib[RTE_KNI_RING_COUNT];	/* library's view */
	/* entries in flight per ring, oldest first */
	uint64_t queued[RTE_KNI_RING_COUNT][SIZE];
	uint32_t nqueued[RTE_KNI_RING_COUNT];
};

struct visit_log {
	unsigned int n;
	enum rte_kni_ring_id id[MAXV];
	uint64_t v[MAXV];
};

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static int lib_produces(enum rte_kni_ring_id id)
{
	return id == RTE_KNI_RING_RX || id == RTE_KNI_RING_ALLOC;
}

static void record(enum rte_kni_ring_id id, uint64_t entry, void *arg)
{
	struct visit_log *log = arg;

	if (log->n < MAXV) {
		log->id[log->n] = id;
		log->v[log->n] = entry;
	}
	log->n++;
}

static struct kni_ring *producer_of(struct scenario *s,
				    enum rte_kni_ring_id id)
{
	return lib_produces(id) ? &s->lib[id] : &s->f[id].prod;
}

static struct kni_ring *consumer_of(struct scenario *s,
				    enum rte_kni_ring_id id)
{
	return lib_produces(id) ? &s->f[id].cons : &s->lib[id];
}

/* Random traffic on every packet ring, tracking what is in flight. */
static void scenario_run(struct scenario *s, uint32_t start, int steps)
{
	uint64_t serial = 1;
	unsigned int i;
	int step;

	for (i = 0; i < RTE_KNI_RING_COUNT; i++) {
		ring_fixture_init(&s->f[i], SIZE, 8, start + i * 3);
		s->lib[i] = lib_produces(i) ? s->f[i].prod : s->f[i].cons;
		s->nqueued[i] = 0;
	}
	for (step = 0; step < steps; step++) {
		for (i = 0; i < 4; i++) {
			enum rte_kni_ring_id id = packet_rings[i];
			__u64 buf[SIZE];
			uint32_t n, k;

			n = rng() % (SIZE / 2);
			for (k = 0; k < n; k++)
				buf[k] = ((uint64_t)(id + 1) << 40) | serial++;
			n = kni_ring_put_u64(producer_of(s, id), buf, n);
			memcpy(&s->queued[id][s->nqueued[id]], buf, n * 8);
			s->nqueued[id] += n;

			n = kni_ring_get_u64(consumer_of(s, id), buf,
					     rng() % (SIZE / 2));
			for (k = 0; k < n; k++)
				CHECK_EQ(buf[k], s->queued[id][k]);
			s->nqueued[id] -= n;
			memmove(s->queued[id], &s->queued[id][n],
				s->nqueued[id] * 8);
		}
	}
}

static void scenario_fini(struct scenario *s)
{
	unsigned int i;

	for (i = 0; i < RTE_KNI_RING_COUNT; i++)
		ring_fixture_fini(&s->f[i]);
}

/* The log holds exactly the in-flight entries of each ring, in order. */
static void check_log(struct scenario *s, const struct visit_log *log,
		      enum rte_kni_ring_id skip)
{
	unsigned int i, pos = 0, total = 0;

	for (i = 0; i < 4; i++) {
		enum rte_kni_ring_id id = packet_rings[i];
		unsigned int k, seen = 0;

		if (id == skip)
			continue;
		total += s->nqueued[id];
		for (k = 0; k < log->n && k < MAXV; k++) {
			if (log->id[k] != id)
				continue;
			CHECK(seen < s->nqueued[id]);
			if (seen < s->nqueued[id])
				CHECK_EQ(log->v[k], s->queued[id][seen]);
			seen++;
		}
		CHECK_EQ(seen, s->nqueued[id]);
	}
	for (i = 0; i < log->n && i < MAXV; i++)
		if (log->id[i] == skip)
			pos++;
	CHECK_EQ(pos, 0);
	CHECK_EQ(log->n, total);
}

static void reclaim_case(uint32_t start, int steps)
{
	struct scenario s;
	struct visit_log log = { 0 };

	scenario_run(&s, start, steps);
	CHECK_EQ(kni_rings_reclaim(s.lib, record, &log), 0);
	check_log(&s, &log, RTE_KNI_RING_COUNT);
	/* the consumed rings are published empty */
	CHECK_EQ(*ring_fixture_word(&s.f[RTE_KNI_RING_TX],
				    s.f[RTE_KNI_RING_TX].off.consumer),
		 *ring_fixture_word(&s.f[RTE_KNI_RING_TX],
				    s.f[RTE_KNI_RING_TX].off.producer));
	CHECK_EQ(kni_ring_count(&s.lib[RTE_KNI_RING_FREE]), 0);
	scenario_fini(&s);
}

static void test_span(void)
{
	struct ring_fixture f;
	uint32_t n;

	ring_fixture_init(&f, SIZE, 8, 0);
	CHECK_EQ(kni_ring_span(&f.prod, 10, 10, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(kni_ring_span(&f.prod, UINT32_MAX - 2, 3, &n), 0);
	CHECK_EQ(n, 6);
	CHECK_EQ(kni_ring_span(&f.prod, 5, 5 + SIZE, &n), 0);
	CHECK_EQ(n, SIZE);
	CHECK_EQ(kni_ring_span(&f.prod, 5, 6 + SIZE, &n), -EINVAL);
	CHECK_EQ(n, 0);
	CHECK_EQ(kni_ring_span(&f.prod, 6, 5, &n), -EINVAL);
	CHECK_EQ(n, 0);
	ring_fixture_fini(&f);
}

static void test_reclaim_empty(void)
{
	reclaim_case(0, 0);
}

static void test_reclaim_traffic(void)
{
	int i;

	for (i = 0; i < 50; i++)
		reclaim_case(rng(), 1 + i);
}

static void test_reclaim_wrap(void)
{
	int i;

	for (i = 0; i < 50; i++)
		reclaim_case(UINT32_MAX - rng() % (4 * SIZE), 1 + i % 20);
}

/* A full ring is reclaimed completely, not mistaken for an empty one. */
static void test_reclaim_full(void)
{
	struct scenario s;
	struct visit_log log = { 0 };
	__u64 buf[SIZE];
	unsigned int i, k;

	scenario_run(&s, UINT32_MAX - 7, 0);
	for (i = 0; i < 4; i++) {
		enum rte_kni_ring_id id = packet_rings[i];

		for (k = 0; k < SIZE; k++)
			buf[k] = s.queued[id][k] = ((uint64_t)id << 40) | k;
		CHECK_EQ(kni_ring_put_u64(producer_of(&s, id), buf, SIZE),
			 SIZE);
		s.nqueued[id] = SIZE;
	}
	CHECK_EQ(kni_rings_reclaim(s.lib, record, &log), 0);
	CHECK_EQ(log.n, 4 * SIZE);
	check_log(&s, &log, RTE_KNI_RING_COUNT);
	scenario_fini(&s);
}

/* A kernel index beyond reach: that ring is left alone, the rest freed. */
static void corrupt_case(enum rte_kni_ring_id id, uint32_t delta)
{
	struct scenario s;
	struct visit_log log = { 0 };
	struct kni_ring *peer;
	uint32_t *word;

	scenario_run(&s, UINT32_MAX - 100, 10);
	if (lib_produces(id)) {
		peer = &s.f[id].cons;
		word = peer->consumer;		/* the kernel's index */
		*word = s.lib[id].head + delta;
	} else {
		peer = &s.f[id].prod;
		word = peer->producer;
		*word = s.lib[id].head - delta;
	}
	CHECK_EQ(kni_rings_reclaim(s.lib, record, &log), -EINVAL);
	check_log(&s, &log, id);
	scenario_fini(&s);
}

static void test_reclaim_corrupt(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		corrupt_case(packet_rings[i], 1);
		corrupt_case(packet_rings[i], 0x80000000u);
		/* more than a ring's worth outstanding */
		corrupt_case(packet_rings[i], (uint32_t)-(int32_t)(SIZE + 1));
	}
}

int main(void)
{
	RUN(test_span);
	RUN(test_reclaim_empty);
	RUN(test_reclaim_traffic);
	RUN(test_reclaim_wrap);
	RUN(test_reclaim_full);
	RUN(test_reclaim_corrupt);
	return unit_exit();
}
