// SPDX-License-Identifier: GPL-2.0
/*
 * rte_kni_ring_kunit.c - KUnit suite for the ring in driver/kni_ring.h.
 *
 * The ring header is included as it is, so this is the index arithmetic,
 * clamping and barriers the driver runs.  Each case lays one ring out the
 * way the driver does (indices and flags on their own cache lines, then the
 * slots) and drives it from both ends: a producer view and a consumer view,
 * each with its own private head, sharing only the words in the area.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "../driver/kni_ring.h"

#define KNI_TEST_ENTRY		sizeof(u64)

/* A ring and the two views of it: the application's and the kernel's. */
struct kni_test_ring {
	void			*area;
	struct rte_kni_ring_off	off;
	struct kni_ring		prod;
	struct kni_ring		cons;
};

/* Both indices start at @start, as if @start entries had already passed. */
static void kni_test_ring_init(struct kunit *test, struct kni_test_ring *t,
			       u32 size, u32 start)
{
	t->off.producer = 0;
	t->off.consumer = RTE_KNI_CACHE_LINE;
	t->off.flags = 2 * RTE_KNI_CACHE_LINE;
	t->off.desc = 3 * RTE_KNI_CACHE_LINE;
	t->off.size = size;
	t->off.entry_size = KNI_TEST_ENTRY;
	t->area = kunit_kzalloc(test, t->off.desc + (size_t)size * KNI_TEST_ENTRY,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->area);

	*(u32 *)(t->area + t->off.producer) = start;
	*(u32 *)(t->area + t->off.consumer) = start;
	kni_ring_init(&t->prod, t->area, &t->off, start);
	kni_ring_init(&t->cons, t->area, &t->off, start);
}

static u32 *kni_test_prod_word(struct kni_test_ring *t)
{
	return t->area + t->off.producer;
}

static u32 *kni_test_cons_word(struct kni_test_ring *t)
{
	return t->area + t->off.consumer;
}

/* Put [first, first + n) one call at a time; returns how many went in. */
static u32 kni_test_put_seq(struct kni_test_ring *t, u64 first, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u64 v = first + i;

		if (!kni_ring_put_u64(&t->prod, &v, 1))
			break;
	}
	return i;
}

static void kni_ring_test_empty(struct kunit *test)
{
	struct kni_test_ring t;
	u64 v = 0xdead;

	kni_test_ring_init(test, &t, RTE_KNI_RING_MIN, 0);

	KUNIT_EXPECT_EQ(test, kni_ring_count(&t.cons), 0U);
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), (u32)RTE_KNI_RING_MIN);
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, &v, 1), 0U);
	/* Nothing read, nothing written back. */
	KUNIT_EXPECT_EQ(test, v, 0xdeadULL);
	KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), 0U);
	KUNIT_EXPECT_EQ(test, t.cons.head, 0U);
}

static void kni_ring_test_full(struct kunit *test)
{
	const u32 size = RTE_KNI_RING_MIN;
	struct kni_test_ring t;
	u64 v = 1000, out;
	u32 i;

	kni_test_ring_init(test, &t, size, 0);

	KUNIT_EXPECT_EQ(test, kni_test_put_seq(&t, 0, size), size);
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), 0U);
	KUNIT_EXPECT_EQ(test, kni_ring_count(&t.cons), size);

	/* A full ring takes nothing and publishes nothing. */
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, &v, 1), 0U);
	KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), size);

	/* Freeing one slot makes room for exactly one. */
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, &out, 1), 1U);
	KUNIT_EXPECT_EQ(test, out, 0ULL);
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), 1U);
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, &v, 1), 1U);
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), 0U);

	for (i = 1; i < size; i++) {
		KUNIT_ASSERT_EQ(test, kni_ring_get_u64(&t.cons, &out, 1), 1U);
		KUNIT_EXPECT_EQ(test, out, (u64)i);
	}
	KUNIT_ASSERT_EQ(test, kni_ring_get_u64(&t.cons, &out, 1), 1U);
	KUNIT_EXPECT_EQ(test, out, 1000ULL);
	KUNIT_EXPECT_EQ(test, kni_ring_count(&t.cons), 0U);
}

/*
 * Batches of 7 against a 64-slot ring: every batch boundary lands on a
 * different slot, and the slot index wraps many times.
 */
static void kni_ring_test_wrap_around(struct kunit *test)
{
	const u32 size = RTE_KNI_RING_MIN, batch = 7, rounds = 5 * size;
	u64 in[7], out[7], next_in = 0, next_out = 0;
	struct kni_test_ring t;
	u32 r, i, n;

	kni_test_ring_init(test, &t, size, 0);

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < batch; i++)
			in[i] = next_in + i;
		n = kni_ring_put_u64(&t.prod, in, batch);
		KUNIT_ASSERT_EQ(test, n, batch);
		next_in += n;

		n = kni_ring_get_u64(&t.cons, out, batch);
		KUNIT_ASSERT_EQ(test, n, batch);
		for (i = 0; i < n; i++)
			KUNIT_ASSERT_EQ_MSG(test, out[i], next_out + i,
					    "round %u entry %u", r, i);
		next_out += n;
	}
	KUNIT_EXPECT_GT(test, next_in, 4ULL * size);
	KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), (u32)next_in);
	KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), (u32)next_out);
}

/* Where the free-running u32 indices start for kni_ring_test_count_free. */
struct kni_ring_pos_case {
	const char	*desc;
	u32		start;
};

static const struct kni_ring_pos_case kni_ring_pos_cases[] = {
	{ "from_0",		0 },
	{ "across_2^31",	0x80000000U - RTE_KNI_RING_MIN },
	{ "across_2^32",	0U - RTE_KNI_RING_MIN },
	{ "at_2^32-1",		0xffffffffU },
};

static void kni_ring_pos_desc(const struct kni_ring_pos_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(kni_ring_pos, kni_ring_pos_cases, kni_ring_pos_desc);

/*
 * count() and free() for every fill level at every consumer position in
 * two laps from the start index, so each row covers the slot index wrap
 * and the rows near 2^32 the u32 index overflow.  Then the same span is
 * pushed through for real and must come out in order.
 */
static void kni_ring_test_count_free(struct kunit *test)
{
	const struct kni_ring_pos_case *c = test->param_value;
	const u32 size = RTE_KNI_RING_MIN;
	struct kni_test_ring t;
	u64 v, out, expect = 0;
	u32 pos, fill, base;

	kni_test_ring_init(test, &t, size, c->start);

	for (pos = 0; pos < 2 * size; pos++) {
		base = c->start + pos;
		for (fill = 0; fill <= size; fill++) {
			/* The consumer at base, the producer fill entries ahead. */
			t.prod.head = base + fill;
			*kni_test_cons_word(&t) = base;
			t.cons.head = base;
			*kni_test_prod_word(&t) = base + fill;

			if (kni_ring_count(&t.cons) != fill ||
			    kni_ring_free(&t.prod) != size - fill) {
				KUNIT_FAIL(test, "consumer at %#x, %u queued: count %u free %u",
					   base, fill, kni_ring_count(&t.cons),
					   kni_ring_free(&t.prod));
				return;
			}
		}
	}

	/* Now move 3 laps of entries across the same indices for real. */
	kni_test_ring_init(test, &t, size, c->start);
	for (v = 0; v < 3 * size; v++) {
		KUNIT_ASSERT_EQ(test, kni_ring_put_u64(&t.prod, &v, 1), 1U);
		if (v % 3 == 2) {	/* let entries pile up, unevenly */
			KUNIT_ASSERT_EQ(test, kni_ring_count(&t.cons), 3U);
			while (kni_ring_get_u64(&t.cons, &out, 1))
				KUNIT_ASSERT_EQ(test, out, expect++);
		}
	}
	KUNIT_EXPECT_EQ(test, expect, 3ULL * size);
	KUNIT_EXPECT_EQ(test, t.cons.head, c->start + 3 * size);
	KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), c->start + 3 * size);
}

/*
 * A ring of N slots holds N entries, not N - 1: the free-running indices
 * tell full from empty without giving up a slot.  Every size the ABI allows
 * is checked, and the sizes it does not allow are refused.
 */
static void kni_ring_test_capacity(struct kunit *test)
{
	static const u32 bad_sizes[] = {
		0, 1, 32, RTE_KNI_RING_MIN - 1, RTE_KNI_RING_MIN + 1, 100,
		RTE_KNI_RING_MAX - 1, 2 * RTE_KNI_RING_MAX, 0x80000000U,
	};
	struct kni_test_ring t;
	unsigned int i;
	u32 size;

	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++)
		KUNIT_EXPECT_FALSE_MSG(test, kni_ring_size_valid(bad_sizes[i]),
				       "size %u", bad_sizes[i]);

	for (size = RTE_KNI_RING_MIN; size <= RTE_KNI_RING_MAX; size *= 2) {
		KUNIT_EXPECT_TRUE_MSG(test, kni_ring_size_valid(size), "size %u", size);
		kni_test_ring_init(test, &t, size, 0);
		KUNIT_EXPECT_EQ(test, kni_test_put_seq(&t, 0, size + 1), size);
		KUNIT_EXPECT_EQ(test, kni_ring_count(&t.cons), size);
		/* The last slot written is the one before the first. */
		KUNIT_EXPECT_EQ(test, *(u64 *)kni_ring_cons_slot(&t.cons, size - 1),
				(u64)size - 1);
		KUNIT_EXPECT_EQ(test, *(u64 *)kni_ring_cons_slot(&t.cons, 0), 0ULL);
	}
}

/* A burst takes what fits (put) or what is there (get), and says so. */
static void kni_ring_test_partial_batch(struct kunit *test)
{
	const u32 size = RTE_KNI_RING_MIN, max = RTE_KNI_RING_MIN + 8;
	struct kni_test_ring t;
	u64 *in, *out;
	u32 i;

	in = kunit_kcalloc(test, max, sizeof(*in), GFP_KERNEL);
	out = kunit_kcalloc(test, max, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	kni_test_ring_init(test, &t, size, 0);
	for (i = 0; i < max; i++)
		in[i] = 100 + i;

	/* Empty bursts neither move nor publish anything. */
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, in, 0), 0U);
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, 0), 0U);
	KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), 0U);

	KUNIT_ASSERT_EQ(test, kni_ring_put_u64(&t.prod, in, size - 4), size - 4);
	/* 10 asked, 4 fit. */
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, in + size - 4, 10), 4U);
	KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), size);

	/* 3 asked, 3 given; then more asked than queued. */
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, 3), 3U);
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out + 3, max), size - 3);
	KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), size);
	for (i = 0; i < size; i++)
		KUNIT_EXPECT_EQ(test, out[i], in[i]);

	/* And the room a partial get left is usable, across the slot wrap. */
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, in, max), size);
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, 5), 5U);
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, in + 50, 8), 5U);
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, max), size);
	KUNIT_EXPECT_EQ(test, out[0], in[5]);
	KUNIT_EXPECT_EQ(test, out[size - 5], in[50]);
	KUNIT_EXPECT_EQ(test, out[size - 1], in[54]);
}

/*
 * The peer's index is whatever the other side wrote; a value no honest peer
 * could publish must clamp to "full" or "nothing to take", never let this
 * side walk past what the ring holds.  Our own index is never read back
 * from shared memory, so scribbling on it changes nothing here.
 */
static void kni_ring_test_hostile_peer(struct kunit *test)
{
	const u32 size = RTE_KNI_RING_MIN, start = 0xfffffff0U, max = 2 * size;
	struct kni_test_ring t;
	u64 *out, v = 7;
	static const s64 bad_prod[] = { RTE_KNI_RING_MIN + 1, 2 * RTE_KNI_RING_MIN,
					0x7fffffff, -1, -RTE_KNI_RING_MIN };
	static const s64 bad_cons[] = { 1, RTE_KNI_RING_MIN, 0x7fffffff,
					-RTE_KNI_RING_MIN - 1, -0x7fffffff };
	unsigned int i;

	out = kunit_kcalloc(test, max, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);

	/* Consumer side: producer index too far ahead or behind. */
	for (i = 0; i < ARRAY_SIZE(bad_prod); i++) {
		kni_test_ring_init(test, &t, size, start);
		*kni_test_prod_word(&t) = start + (u32)bad_prod[i];
		KUNIT_EXPECT_EQ_MSG(test, kni_ring_count(&t.cons), size,
				    "producer at head%+lld", bad_prod[i]);
		KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, max), size);
		KUNIT_EXPECT_EQ(test, t.cons.head, start + size);
		KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), start + size);
	}

	/* Producer side: consumer index ahead of us, or more than a ring behind. */
	for (i = 0; i < ARRAY_SIZE(bad_cons); i++) {
		kni_test_ring_init(test, &t, size, start);
		*kni_test_cons_word(&t) = start + (u32)bad_cons[i];
		KUNIT_EXPECT_EQ_MSG(test, kni_ring_free(&t.prod), 0U,
				    "consumer at head%+lld", bad_cons[i]);
		KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, &v, 1), 0U);
		KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), start);
	}

	/* Exactly a ring behind is full, one less has one slot. */
	kni_test_ring_init(test, &t, size, start);
	*kni_test_cons_word(&t) = start - size;
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), 0U);
	*kni_test_cons_word(&t) = start - size + 1;
	KUNIT_EXPECT_EQ(test, kni_ring_free(&t.prod), 1U);

	/* The peer overwrites *our* shared index: we keep our own count. */
	kni_test_ring_init(test, &t, size, start);
	*kni_test_prod_word(&t) = 12345;
	KUNIT_EXPECT_EQ(test, kni_ring_put_u64(&t.prod, &v, 1), 1U);
	KUNIT_EXPECT_EQ(test, *kni_test_prod_word(&t), start + 1);
	*kni_test_cons_word(&t) = 999;
	KUNIT_EXPECT_EQ(test, kni_ring_get_u64(&t.cons, out, 1), 1U);
	KUNIT_EXPECT_EQ(test, out[0], v);
	KUNIT_EXPECT_EQ(test, *kni_test_cons_word(&t), start + 1);
}

static void kni_ring_test_needs_wakeup(struct kunit *test)
{
	struct kni_test_ring t;
	u32 *flags;

	kni_test_ring_init(test, &t, RTE_KNI_RING_MIN, 0);
	flags = t.area + t.off.flags;

	KUNIT_EXPECT_FALSE(test, kni_ring_needs_wakeup(&t.prod));
	*flags = RTE_KNI_RING_NEED_WAKEUP;
	KUNIT_EXPECT_TRUE(test, kni_ring_needs_wakeup(&t.prod));
	*flags = ~RTE_KNI_RING_NEED_WAKEUP;
	KUNIT_EXPECT_FALSE(test, kni_ring_needs_wakeup(&t.prod));
}

/* ---- two CPUs ---- */

#define KNI_SMP_ENTRIES		(1U << 20)
#define KNI_SMP_RING		1024
#define KNI_SMP_BURST		32
#define KNI_SMP_TIMEOUT		(120 * HZ)

struct kni_smp_ctx {
	struct kni_test_ring	ring;
	struct completion	done[2];	/* complete_all(): waited for twice */
	bool			stop;
	/* consumer results */
	u64			received;
	u64			bad_at;		/* first entry out of sequence */
	u64			bad_val;
	bool			bad;
};

/* Burst sizes 1..KNI_SMP_BURST, varied so bursts straddle slot wraps. */
static u32 kni_smp_burst(u32 *state)
{
	*state = *state * 1103515245 + 12345;
	return (*state >> 16) % KNI_SMP_BURST + 1;
}

static int kni_smp_producer(void *arg)
{
	struct kni_smp_ctx *s = arg;
	u64 buf[KNI_SMP_BURST], seq = 0;
	u32 rnd = 1, n, i;

	while (seq < KNI_SMP_ENTRIES && !READ_ONCE(s->stop)) {
		n = min_t(u64, kni_smp_burst(&rnd), KNI_SMP_ENTRIES - seq);
		for (i = 0; i < n; i++)
			buf[i] = seq + i;
		n = kni_ring_put_u64(&s->ring.prod, buf, n);
		seq += n;
		if (!n)
			cond_resched();
	}
	complete_all(&s->done[0]);
	return 0;
}

static int kni_smp_consumer(void *arg)
{
	struct kni_smp_ctx *s = arg;
	u64 buf[KNI_SMP_BURST], seq = 0;
	u32 rnd = 2, n, i;

	while (seq < KNI_SMP_ENTRIES && !READ_ONCE(s->stop)) {
		n = kni_ring_get_u64(&s->ring.cons, buf, kni_smp_burst(&rnd));
		for (i = 0; i < n; i++) {
			if (buf[i] != seq + i && !s->bad) {
				s->bad = true;
				s->bad_at = seq + i;
				s->bad_val = buf[i];
			}
		}
		seq += n;
		if (!n)
			cond_resched();
	}
	s->received = seq;
	complete_all(&s->done[1]);
	return 0;
}

/*
 * The application's producer and the kernel's consumer (or the other way
 * round; the code is the same) on two CPUs, with no lock between them: only
 * the acquire/release pairs (A)-(D) of kni_ring.h.  Every entry carries its
 * sequence number, so a lost, repeated, reordered or stale slot shows.
 */
static void kni_ring_test_two_cpus(struct kunit *test)
{
	struct task_struct *thread[2];
	unsigned int cpu[2], i;
	struct kni_smp_ctx *s;
	long left;

	if (num_online_cpus() < 2)
		kunit_skip(test,
			   "needs two CPUs, has %u (UML has one; qemu x86_64 -smp 2 runs this)",
			   num_online_cpus());

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	kni_test_ring_init(test, &s->ring, KNI_SMP_RING, 0U - KNI_SMP_ENTRIES / 2);
	init_completion(&s->done[0]);
	init_completion(&s->done[1]);

	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	thread[0] = kthread_create(kni_smp_producer, s, "kni_ring_prod");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, thread[0]);
	thread[1] = kthread_create(kni_smp_consumer, s, "kni_ring_cons");
	if (IS_ERR(thread[1])) {
		kthread_stop(thread[0]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, thread[1]);
	}
	for (i = 0; i < 2; i++) {
		kthread_bind(thread[i], cpu[i]);
		wake_up_process(thread[i]);
	}

	left = wait_for_completion_timeout(&s->done[1], KNI_SMP_TIMEOUT);
	if (!left)
		WRITE_ONCE(s->stop, true);
	/* Both threads must be gone before *s is freed. */
	wait_for_completion(&s->done[0]);
	wait_for_completion(&s->done[1]);

	KUNIT_EXPECT_NE_MSG(test, left, 0L, "timed out after %u of %u entries",
			    (u32)s->received, KNI_SMP_ENTRIES);
	KUNIT_EXPECT_FALSE_MSG(test, s->bad, "entry %llu read as %llu",
			       s->bad_at, s->bad_val);
	KUNIT_EXPECT_EQ(test, s->received, (u64)KNI_SMP_ENTRIES);
	KUNIT_EXPECT_EQ(test, kni_ring_count(&s->ring.cons), 0U);
	KUNIT_EXPECT_EQ(test, s->ring.cons.head, s->ring.prod.head);
	kunit_info(test, "moved %u entries from CPU%u to CPU%u across index 2^32\n",
		   (u32)s->received, cpu[0], cpu[1]);
}

/* Seconds under TCG: tell kunit so where it can be told (6.6 on). */
#ifdef KUNIT_CASE_SLOW
#define KNI_CASE_SLOW(test_name)	KUNIT_CASE_SLOW(test_name)
#else
#define KNI_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

static struct kunit_case kni_ring_test_cases[] = {
	KUNIT_CASE(kni_ring_test_empty),
	KUNIT_CASE(kni_ring_test_full),
	KUNIT_CASE(kni_ring_test_wrap_around),
	KUNIT_CASE_PARAM(kni_ring_test_count_free, kni_ring_pos_gen_params),
	KUNIT_CASE(kni_ring_test_capacity),
	KUNIT_CASE(kni_ring_test_partial_batch),
	KUNIT_CASE(kni_ring_test_hostile_peer),
	KUNIT_CASE(kni_ring_test_needs_wakeup),
	KNI_CASE_SLOW(kni_ring_test_two_cpus),
	{}
};

static struct kunit_suite kni_ring_test_suite = {
	.name = "rte_kni_ring",
	.test_cases = kni_ring_test_cases,
};

kunit_test_suite(kni_ring_test_suite);

MODULE_DESCRIPTION("KUnit tests for the rte_kni shared ring");
MODULE_LICENSE("GPL");
