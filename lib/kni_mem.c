/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_mem.c - registration of packet memory with the kernel.
 *
 * The kernel follows an mbuf address only if it lies in memory registered
 * on the same /dev/kni file (RTE_KNI_IOC_REG_MEM), which it pins.  A mempool
 * is registered chunk by chunk when an interface is created with it, and
 * any other pool the first time one of its mbufs goes through
 * rte_kni_tx_burst(), so applications receiving from a NIC into a pool of
 * their own keep working as with the original KNI.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mempool.h>

#include "kni_internal.h"
#include "kni_region.h"

/*
 * Pools seen so far, registered or refused (either way not tried again).
 * A pool is recognised by its address and a fingerprint of its memory, so
 * a pool freed and another created at the same address is not mistaken
 * for the old one.
 */
#define KNI_MAX_POOLS	64

struct kni_pool_seen {
	const struct rte_mempool *mp;
	uint64_t first_chunk;
	uint32_t nb_chunks;
	uint32_t populated;
	int err;			/* 0 registered, or why refused */
};

static pthread_mutex_t kni_mem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kni_region_set kni_regions;
/*
 * The file these regions were registered on was closed.  They are kept
 * for kni_mem_covered() until memory is registered on a new file.
 */
static int kni_regions_stale;
static struct kni_pool_seen kni_pools[KNI_MAX_POOLS];
static unsigned int kni_npools;

struct chunk_list {
	struct kni_region *v;
	unsigned int n;
};

static void collect_chunk(struct rte_mempool *mp, void *arg,
			  struct rte_mempool_memhdr *memhdr, unsigned int idx)
{
	struct chunk_list *cl = arg;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	cl->v[cl->n].addr = (uint64_t)(uintptr_t)memhdr->addr;
	cl->v[cl->n].len = memhdr->len;
	cl->n++;
}

/* One REG_MEM of at most RTE_KNI_MAX_REGION_LEN bytes; 0 or -errno. */
static int register_one(const struct rte_mempool *mp, uint64_t addr,
			uint64_t len)
{
	struct rte_kni_mem_region r = { .addr = addr, .len = len };
	int ret;

	ret = kni_dev_ioctl(RTE_KNI_IOC_REG_MEM, &r);
	if (ret == -EEXIST)
		return 0;	/* a fork sharing our file registered it */
	if (ret == 0)
		ret = kni_region_add(&kni_regions, r.addr, r.len);
	if (ret == -ENOSPC) {
		KNI_LOG(ERR, "mempool %s: cannot register its memory: more than %d regions",
			mp->name, RTE_KNI_MAX_REGIONS);
		return ret;
	}
	if (ret)
		KNI_LOG(ERR, "mempool %s: cannot register its memory: %s",
			mp->name, strerror(-ret));
	return ret;
}

/*
 * Register [addr, addr + len) minus what is registered already, in pieces
 * the kernel takes: a pool's chunks, coalesced, can span more than one
 * region may.
 */
static int register_range(const struct rte_mempool *mp, uint64_t addr,
			  uint64_t len)
{
	struct kni_region gap[RTE_KNI_MAX_REGIONS + 1];
	uint64_t off, piece;
	unsigned int i, n;
	int ret;

	n = kni_region_gaps(&kni_regions, addr, len, gap, RTE_DIM(gap));
	if (n > RTE_DIM(gap))
		n = RTE_DIM(gap);
	for (i = 0; i < n; i++) {
		for (off = 0; off < gap[i].len; off += piece) {
			piece = RTE_MIN(gap[i].len - off, RTE_KNI_MAX_REGION_LEN);
			ret = register_one(mp, gap[i].addr + off, piece);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void pool_fingerprint(const struct rte_mempool *mp,
			     struct kni_pool_seen *ps)
{
	const struct rte_mempool_memhdr *h = STAILQ_FIRST(&mp->mem_list);

	ps->mp = mp;
	ps->first_chunk = h ? (uint64_t)(uintptr_t)h->addr : 0;
	ps->nb_chunks = mp->nb_mem_chunks;
	ps->populated = mp->populated_size;
}

/* Caller holds kni_mem_lock. */
static struct kni_pool_seen *pool_seen(const struct rte_mempool *mp)
{
	unsigned int i;

	for (i = 0; i < kni_npools; i++)
		if (kni_pools[i].mp == mp)
			return &kni_pools[i];
	return NULL;
}

static void remember_pool(const struct rte_mempool *mp, int err)
{
	struct kni_pool_seen *ps = pool_seen(mp);

	if (!ps && kni_npools < KNI_MAX_POOLS)
		ps = &kni_pools[kni_npools++];
	if (ps) {
		pool_fingerprint(mp, ps);
		ps->err = err;
	}
}

/* Make every chunk of @mp usable by the kernel; 0 or -errno. */
int kni_mem_register_pool(const struct rte_mempool *mp)
{
	struct chunk_list cl;
	unsigned int i;
	int ret = 0;

	cl.v = calloc(mp->nb_mem_chunks + 1, sizeof(*cl.v));
	if (!cl.v)
		return -ENOMEM;
	cl.n = 0;
	pthread_mutex_lock(&kni_mem_lock);
	if (kni_regions_stale) {
		kni_regions.n = 0;
		kni_regions_stale = 0;
	}
	/* the iterator wants a non-const pool; it does not modify it */
	rte_mempool_mem_iter((struct rte_mempool *)(uintptr_t)mp,
			     collect_chunk, &cl);
	cl.n = kni_region_coalesce(cl.v, cl.n);
	for (i = 0; i < cl.n && ret == 0; i++)
		ret = register_range(mp, cl.v[i].addr, cl.v[i].len);
	/* a refused pool is remembered too: one error message, not one per mbuf */
	remember_pool(mp, ret);
	pthread_mutex_unlock(&kni_mem_lock);
	free(cl.v);
	return ret;
}

/*
 * May the kernel read the mbufs of @mp?  0 if their memory is registered
 * (registering it the first time @mp is seen), or why it was refused.
 */
int kni_mem_pool_check(const struct rte_mempool *mp)
{
	struct kni_pool_seen now, *ps;
	int known, ret = 0;

	pool_fingerprint(mp, &now);
	pthread_mutex_lock(&kni_mem_lock);
	ps = pool_seen(mp);
	known = ps && ps->first_chunk == now.first_chunk &&
		ps->nb_chunks == now.nb_chunks && ps->populated == now.populated;
	if (known)
		ret = ps->err;
	pthread_mutex_unlock(&kni_mem_lock);
	return known ? ret : kni_mem_register_pool(mp);
}

/* Is [addr, addr + len) registered memory (or was, if the file closed)? */
int kni_mem_covered(const void *addr, size_t len)
{
	int ret;

	pthread_mutex_lock(&kni_mem_lock);
	ret = kni_region_covered(&kni_regions, (uint64_t)(uintptr_t)addr, len);
	pthread_mutex_unlock(&kni_mem_lock);
	return ret;
}

/* The file closed: the kernel dropped every region. */
void kni_mem_forget(void)
{
	pthread_mutex_lock(&kni_mem_lock);
	kni_regions_stale = 1;
	kni_npools = 0;
	pthread_mutex_unlock(&kni_mem_lock);
}
