/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_internal.h - what the parts of librte_kni share.
 *
 * State comes in two halves.  struct rte_kni lives in DPDK shared memory and
 * is found through the EAL tailq "RTE_KNI", so every process of a DPDK
 * application sees the same one: name, callbacks, and the library side's
 * ring indices (so the data path can move between processes, as with the
 * original KNI).  The mapping of the kernel's rings and the /dev/kni file
 * are per process: struct kni_local, found through the slot number stored
 * in struct rte_kni, and attached on first use in a process that did not
 * create the interface (RTE_KNI_IOC_INFO, then mmap).
 */
#ifndef KNI_INTERNAL_H
#define KNI_INTERNAL_H

#include <stddef.h>	/* kni_ring.h uses size_t */
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_log.h>

#include "rte_kni_abi.h"
#include "kni_ring.h"
#include "rte_kni.h"

#define KNI_EXPORT	__attribute__((visibility("default")))

/*
 * The library's own log type, "lib.kni" (--log-level=lib.kni:debug): DPDK
 * 22.11 still has a static one of that name, which registering finds; later
 * releases dropped it with KNI itself.
 */
extern int kni_logtype;

#define KNI_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, kni_logtype, "KNI: " fmt "\n", ##__VA_ARGS__)

#define KNI_DEVICE_PATH	"/dev/" RTE_KNI_DEVICE
#define KNI_RING_SLOTS	1024	/* rx, free, alloc, tx */
#define KNI_REQ_SLOTS	64	/* req, resp */
#define KNI_BURST	32	/* mbufs per allocation or free batch */

/* One interface, in DPDK shared memory. */
struct rte_kni {
	char name[RTE_KNI_NAMESIZE];
	uint64_t id;		/* unique: tells a reused slot apart */
	uint32_t slot;		/* index of kni_local in every process */
	int32_t ifindex;
	struct rte_mempool *pktmbuf_pool;
	struct rte_kni_ops ops;
	uint64_t ops_space;	/* address space the callbacks belong to */
	rte_kni_mc_list_t mc_handler;
	uint64_t mc_space;	/* address space mc_handler belongs to */
	rte_kni_offload_t offload_handler;
	uint64_t offload_space;	/* address space offload_handler belongs to */
	uint8_t allmulti;	/* the last all-multicast state accepted */
	uint8_t mc_allmulti;	/* the default put the port in all-multicast */
	/*
	 * The library side index of each ring, one cache line each: rx_burst
	 * and tx_burst usually run on different cores.
	 */
	struct {
		uint32_t head;
	} __rte_cache_aligned idx[RTE_KNI_RING_COUNT];
};

/* One interface as seen by this process. */
struct kni_local {
	uint64_t id;		/* rte_kni.id this is attached to */
	void *map;
	size_t map_size;
	int32_t ifindex;
	int created;		/* by this process, through file fd_gen */
	unsigned int fd_gen;
	struct kni_ring ring[RTE_KNI_RING_COUNT];
};

/*
 * The rings' library-side index is kept in struct rte_kni; a call works on
 * the process's ring with that index and stores it back when done.  Each
 * ring has one user at a time (rx_burst: tx and alloc, tx_burst: rx and
 * free, handle_request: req and resp), as the original API required.
 */
static inline struct kni_ring *
kni_ring_get(struct rte_kni *kni, struct kni_local *l, enum rte_kni_ring_id id)
{
	struct kni_ring *r = &l->ring[id];

	r->head = kni->idx[id].head;
	return r;
}

static inline void
kni_ring_put(struct rte_kni *kni, const struct kni_ring *r,
	     enum rte_kni_ring_id id)
{
	kni->idx[id].head = r->head;
}

/* kni_dev.c: the /dev/kni file and the per-process mappings */
int kni_dev_open(void);
void kni_dev_close(void);
int kni_dev_is_open(void);
int kni_dev_ioctl(unsigned long cmd, void *arg);
void kni_dev_wakeup(const struct kni_local *l);
void kni_dev_wakeup_if(const struct kni_local *l, const struct kni_ring *r);
uint64_t kni_dev_space(void);
struct kni_local *kni_local_attach(struct rte_kni *kni, int retry);
int kni_local_create(struct rte_kni *kni, const struct rte_kni_create *c);
void kni_local_detach(struct rte_kni *kni);
struct kni_local *kni_local_peek(const struct rte_kni *kni);
int kni_local_orphaned(const struct kni_local *l);

/* Fast path of kni_local_attach(): already attached in this process. */
static inline struct kni_local *kni_local(struct rte_kni *kni)
{
	struct kni_local *l = kni_local_peek(kni);

	if (likely(l != NULL))
		return l;
	return kni_local_attach(kni, 0);
}

/* kni_mem.c: packet memory registration */
int kni_mem_register_pool(const struct rte_mempool *mp);
int kni_mem_pool_check(const struct rte_mempool *mp);
int kni_mem_covered(const void *addr, size_t len);
void kni_mem_forget(void);

/* kni_burst.c: the data path */
unsigned int kni_alloc_fill(struct rte_kni *kni, struct kni_local *l);
unsigned int kni_free_drain(struct rte_kni *kni, struct kni_local *l,
			    unsigned int max);
void kni_mbuf_free(struct rte_mbuf *m);

/* kni_offload.c: rte_kni_set_offloads() */
int kni_offload_set(struct rte_kni *kni, uint32_t offloads);

/* kni_req.c: control requests */
int kni_req_handle(struct rte_kni *kni, struct kni_local *l);
int kni_mc_read(const struct rte_kni *kni, struct rte_ether_addr *addrs,
		unsigned int max);

#endif /* KNI_INTERNAL_H */
