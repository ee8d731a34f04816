/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * kni_ring.h - single-producer/single-consumer ring shared by rte_kni.ko
 * and librte_kni.  The same index logic is compiled on both sides; only the
 * barrier vocabulary differs.
 *
 * Each side keeps its own index privately (struct kni_ring.head) and only
 * ever *writes* it to shared memory; it never reads it back, so a peer that
 * scribbles on the shared words can confuse only itself.  The peer's index
 * is read with an acquire load and clamped: a count above the ring size is
 * treated as a full (or empty-of-space) ring, never as an index to follow.
 *
 * Memory ordering contract (every barrier below names its pair):
 *
 *   (A) producer: load-acquire of *consumer before overwriting slots
 *       pairs with (D): the consumer finished reading those slots before
 *       it published the index that frees them.
 *   (B) producer: store-release of *producer after writing slots
 *       pairs with (C): the consumer sees the slots' contents once it
 *       sees the index.
 *   (C) consumer: load-acquire of *producer before reading slots
 *       pairs with (B).
 *   (D) consumer: store-release of *consumer after reading slots
 *       pairs with (A).
 *   (E) sleeper (the side that stops polling): set NEED_WAKEUP in *flags,
 *       full barrier, then re-check the peer's index;
 *   (F) waker: publish its index (B or D), full barrier, then read *flags.
 *       (E) pairs with (F): either the sleeper's re-check sees the new
 *       index or the waker sees the flag and kicks; never neither.
 */
#ifndef KNI_RING_H
#define KNI_RING_H

#include "rte_kni_abi.h"

#ifdef __KERNEL__
#include <linux/compiler.h>
#include <asm/barrier.h>
#define kni_load_acquire(p)		smp_load_acquire(p)
#define kni_store_release(p, v)		smp_store_release(p, v)
#define kni_full_barrier()		smp_mb()
#define kni_read_once(x)		READ_ONCE(x)
#define kni_write_once(x, v)		WRITE_ONCE(x, v)
#else
#include <stddef.h>
#define kni_load_acquire(p)		__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define kni_store_release(p, v)		__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define kni_full_barrier()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define kni_read_once(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define kni_write_once(x, v)		__atomic_store_n(&(x), v, __ATOMIC_RELAXED)
#endif

/* One side's view of a ring. */
struct kni_ring {
	__u32 *producer;	/* shared */
	__u32 *consumer;	/* shared */
	__u32 *flags;		/* shared, written by the kernel only */
	unsigned char *desc;	/* shared slots */
	__u32 size;		/* slots, power of two */
	__u32 mask;
	__u32 entry_size;
	__u32 head;		/* this side's own index, private */
};

static inline int kni_ring_size_valid(__u32 size)
{
	return size >= RTE_KNI_RING_MIN && size <= RTE_KNI_RING_MAX &&
	       (size & (size - 1)) == 0;
}

/*
 * Point @r at the ring described by @off inside the mapping at @base.
 * The caller has checked @off (the kernel built it; the library got it from
 * the kernel).  @head is this side's current index: 0 for a new ring.
 */
static inline void kni_ring_init(struct kni_ring *r, void *base,
				 const struct rte_kni_ring_off *off, __u32 head)
{
	unsigned char *b = (unsigned char *)base;

	r->producer = (__u32 *)(b + off->producer);
	r->consumer = (__u32 *)(b + off->consumer);
	r->flags = (__u32 *)(b + off->flags);
	r->desc = b + off->desc;
	r->size = off->size;
	r->mask = off->size - 1;
	r->entry_size = off->entry_size;
	r->head = head;
}

static inline void *kni_ring_slot(const struct kni_ring *r, __u32 idx)
{
	return r->desc + (size_t)(idx & r->mask) * r->entry_size;
}

/* Producer: how many slots may be written now. */
static inline __u32 kni_ring_free(const struct kni_ring *r)
{
	__u32 used = r->head - kni_load_acquire(r->consumer);	/* A, matches D */

	return used > r->size ? 0 : r->size - used;
}

/* Producer: slot for the n-th entry after head (n < kni_ring_free()). */
static inline void *kni_ring_prod_slot(const struct kni_ring *r, __u32 n)
{
	return kni_ring_slot(r, r->head + n);
}

/* Producer: publish n written slots. */
static inline void kni_ring_submit(struct kni_ring *r, __u32 n)
{
	r->head += n;
	kni_store_release(r->producer, r->head);		/* B, matches C */
}

/* Consumer: how many slots may be read now. */
static inline __u32 kni_ring_count(const struct kni_ring *r)
{
	__u32 avail = kni_load_acquire(r->producer) - r->head;	/* C, matches B */

	return avail > r->size ? r->size : avail;
}

/* Consumer: slot of the n-th entry after head (n < kni_ring_count()). */
static inline void *kni_ring_cons_slot(const struct kni_ring *r, __u32 n)
{
	return kni_ring_slot(r, r->head + n);
}

/* Consumer: give n read slots back to the producer. */
static inline void kni_ring_release(struct kni_ring *r, __u32 n)
{
	r->head += n;
	kni_store_release(r->consumer, r->head);		/* D, matches A */
}

/* Producer convenience: put up to n u64 entries, return how many. */
static inline __u32 kni_ring_put_u64(struct kni_ring *r, const __u64 *v, __u32 n)
{
	__u32 i, room = kni_ring_free(r);

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		kni_write_once(*(__u64 *)kni_ring_prod_slot(r, i), v[i]);
	if (n)
		kni_ring_submit(r, n);
	return n;
}

/* Consumer convenience: take up to n u64 entries, return how many. */
static inline __u32 kni_ring_get_u64(struct kni_ring *r, __u64 *v, __u32 n)
{
	__u32 i, avail = kni_ring_count(r);

	if (n > avail)
		n = avail;
	for (i = 0; i < n; i++)
		v[i] = kni_read_once(*(__u64 *)kni_ring_cons_slot(r, i));
	if (n)
		kni_ring_release(r, n);
	return n;
}

/*
 * Waker side of (E)/(F): after publishing an index with submit or release,
 * does the peer want a kick?
 */
static inline int kni_ring_needs_wakeup(const struct kni_ring *r)
{
	kni_full_barrier();					/* F, matches E */
	return kni_read_once(*r->flags) & RTE_KNI_RING_NEED_WAKEUP;
}

#endif /* KNI_RING_H */
