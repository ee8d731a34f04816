/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ring.c - the shared ring logic of driver/kni_ring.h, as the library
 * compiles it: empty, full, FIFO order across wrap, free running indices
 * crossing 2^32, hostile peer indices clamped, need-wakeup flag.
 */
#include "ring_fixture.h"
#include "unit.h"

#define SIZE 64u

static void test_size_valid(void)
{
	CHECK(kni_ring_size_valid(RTE_KNI_RING_MIN));
	CHECK(kni_ring_size_valid(1024));
	CHECK(kni_ring_size_valid(RTE_KNI_RING_MAX));
	CHECK(!kni_ring_size_valid(0));
	CHECK(!kni_ring_size_valid(RTE_KNI_RING_MIN / 2));
	CHECK(!kni_ring_size_valid(RTE_KNI_RING_MAX * 2));
	CHECK(!kni_ring_size_valid(96));
	CHECK(!kni_ring_size_valid(0x80000000u));
}

static void test_empty(void)
{
	struct ring_fixture f;
	__u64 v;

	ring_fixture_init(&f, SIZE, 8, 0);
	CHECK_EQ(kni_ring_count(&f.cons), 0);
	CHECK_EQ(kni_ring_free(&f.prod), SIZE);
	CHECK_EQ(kni_ring_get_u64(&f.cons, &v, 1), 0);
	CHECK_EQ(f.cons.head, 0);
	CHECK_EQ(*ring_fixture_word(&f, f.off.consumer), 0);
	ring_fixture_fini(&f);
}

static void test_full(void)
{
	struct ring_fixture f;
	__u64 v[SIZE + 8];
	uint32_t i;

	ring_fixture_init(&f, SIZE, 8, 0);
	for (i = 0; i < SIZE + 8; i++)
		v[i] = 1000 + i;
	CHECK_EQ(kni_ring_put_u64(&f.prod, v, SIZE + 8), SIZE);
	CHECK_EQ(kni_ring_free(&f.prod), 0);
	CHECK_EQ(kni_ring_put_u64(&f.prod, v, 1), 0);
	CHECK_EQ(kni_ring_count(&f.cons), SIZE);
	CHECK_EQ(*ring_fixture_word(&f, f.off.producer), SIZE);
	/* one taken frees exactly one slot */
	CHECK_EQ(kni_ring_get_u64(&f.cons, v, 1), 1);
	CHECK_EQ(v[0], 1000);
	CHECK_EQ(kni_ring_free(&f.prod), 1);
	ring_fixture_fini(&f);
}

/* Push and pull uneven batches; every value comes out once, in order. */
static void fifo_run(uint32_t start, uint32_t rounds)
{
	struct ring_fixture f;
	__u64 next_in = 0, next_out = 0, buf[SIZE];
	uint32_t r, i;

	ring_fixture_init(&f, SIZE, 8, start);
	for (r = 0; r < rounds; r++) {
		uint32_t want = (r * 7) % (SIZE + 5), n;

		for (i = 0; i < SIZE; i++)
			buf[i] = next_in + i;
		n = kni_ring_put_u64(&f.prod, buf, want > SIZE ? SIZE : want);
		CHECK(n <= want);
		next_in += n;
		CHECK_EQ(kni_ring_count(&f.cons), next_in - next_out);
		CHECK_EQ(kni_ring_free(&f.prod), SIZE - (next_in - next_out));

		n = kni_ring_get_u64(&f.cons, buf, (r * 5) % (SIZE + 3));
		for (i = 0; i < n; i++)
			CHECK_EQ(buf[i], next_out + i);
		next_out += n;
	}
	/* drain what is left */
	r = kni_ring_get_u64(&f.cons, buf, SIZE);
	for (i = 0; i < r; i++)
		CHECK_EQ(buf[i], next_out + i);
	next_out += r;
	CHECK_EQ(next_in, next_out);
	CHECK_EQ(f.prod.head, (uint32_t)(start + next_in));
	CHECK_EQ(f.cons.head, (uint32_t)(start + next_out));
	CHECK_EQ(*ring_fixture_word(&f, f.off.producer), f.prod.head);
	CHECK_EQ(*ring_fixture_word(&f, f.off.consumer), f.cons.head);
	ring_fixture_fini(&f);
}

static void test_fifo_wrap(void)
{
	fifo_run(0, 500);
}

static void test_index_overflow(void)
{
	/* indices cross 2^32 within the first rounds */
	fifo_run(UINT32_MAX - 3 * SIZE / 2, 500);
	fifo_run(UINT32_MAX, 100);
}

static void test_slot_addresses(void)
{
	struct ring_fixture f;
	uint32_t idx;

	ring_fixture_init(&f, SIZE, 32, 0);
	for (idx = UINT32_MAX - 2 * SIZE; idx != 2 * SIZE; idx++) {
		unsigned char *s = kni_ring_slot(&f.prod, idx);

		CHECK(s >= f.mem + f.off.desc);
		CHECK(s + 32 <= f.mem + f.off.desc + SIZE * 32);
		CHECK_EQ((s - (f.mem + f.off.desc)) / 32, idx % SIZE);
	}
	ring_fixture_fini(&f);
}

/* A peer publishing nonsense gets a full (or empty) ring, never more. */
static void test_hostile_producer(void)
{
	static const uint32_t delta[] = {
		SIZE + 1, SIZE * 2, 0x80000000u, UINT32_MAX, UINT32_MAX - 5,
	};
	struct ring_fixture f;
	unsigned int i;

	for (i = 0; i < sizeof(delta) / sizeof(delta[0]); i++) {
		ring_fixture_init(&f, SIZE, 8, UINT32_MAX - 10);
		*ring_fixture_word(&f, f.off.producer) = f.cons.head + delta[i];
		CHECK(kni_ring_count(&f.cons) <= SIZE);
		ring_fixture_fini(&f);
	}
}

static void test_hostile_consumer(void)
{
	static const uint32_t delta[] = {
		1, 5, SIZE, 0x80000000u, UINT32_MAX - SIZE,
	};
	struct ring_fixture f;
	unsigned int i;
	__u64 v = 7;

	for (i = 0; i < sizeof(delta) / sizeof(delta[0]); i++) {
		ring_fixture_init(&f, SIZE, 8, 5);
		/* consumer claims to be ahead of what was produced */
		*ring_fixture_word(&f, f.off.consumer) = f.prod.head + delta[i];
		CHECK_EQ(kni_ring_free(&f.prod), 0);
		CHECK_EQ(kni_ring_put_u64(&f.prod, &v, 1), 0);
		/* or far behind: more than a ring's worth outstanding */
		*ring_fixture_word(&f, f.off.consumer) =
			f.prod.head - SIZE - delta[i];
		CHECK_EQ(kni_ring_free(&f.prod), 0);
		ring_fixture_fini(&f);
	}
}

/* Our own index is private: scribbling on its shared copy changes nothing. */
static void test_private_head(void)
{
	struct ring_fixture f;
	__u64 v[4] = { 1, 2, 3, 4 }, out[4];

	ring_fixture_init(&f, SIZE, 8, 100);
	CHECK_EQ(kni_ring_put_u64(&f.prod, v, 4), 4);
	*ring_fixture_word(&f, f.off.producer) = 9999;	/* peer scribbles */
	CHECK_EQ(f.prod.head, 104);
	CHECK_EQ(kni_ring_put_u64(&f.prod, v, 1), 1);
	CHECK_EQ(*ring_fixture_word(&f, f.off.producer), 105);
	CHECK_EQ(kni_ring_get_u64(&f.cons, out, 4), 4);
	CHECK_EQ(out[3], 4);
	ring_fixture_fini(&f);
}

static void test_needs_wakeup(void)
{
	struct ring_fixture f;

	ring_fixture_init(&f, SIZE, 8, 0);
	CHECK(!kni_ring_needs_wakeup(&f.prod));
	*ring_fixture_word(&f, f.off.flags) = RTE_KNI_RING_NEED_WAKEUP;
	CHECK(kni_ring_needs_wakeup(&f.prod));
	CHECK(kni_ring_needs_wakeup(&f.cons));
	*ring_fixture_word(&f, f.off.flags) = ~RTE_KNI_RING_NEED_WAKEUP;
	CHECK(!kni_ring_needs_wakeup(&f.prod));
	ring_fixture_fini(&f);
}

int main(void)
{
	RUN(test_size_valid);
	RUN(test_empty);
	RUN(test_full);
	RUN(test_fifo_wrap);
	RUN(test_index_overflow);
	RUN(test_slot_addresses);
	RUN(test_hostile_producer);
	RUN(test_hostile_consumer);
	RUN(test_private_head);
	RUN(test_needs_wakeup);
	return unit_exit();
}
