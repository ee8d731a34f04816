/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_kni.h - a stand-in for rte_kni.ko inside the test process, so the
 * library can be tested end to end on a host that cannot load modules.
 *
 * It interposes open(), ioctl(), mmap() and close() for "/dev/kni" (every
 * other file goes to libc) and implements the ioctls of rte_kni_abi.h with
 * the kernel's rules: handshake first, regions per file with EEXIST and
 * ENOSPC, rings in a shared mapping, mbufs reached only through the layout
 * offsets and only inside registered memory.  The test drives the kernel
 * side of the rings by hand with the fake_* calls.
 */
#ifndef FAKE_KNI_H
#define FAKE_KNI_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "kni_region.h"
#include "kni_ring.h"

#define FAKE_MAX_IFS	8
#define FAKE_MAX_HOLD	4096
#define FAKE_MAX_PKTS	512
#define FAKE_MAX_MC	(RTE_KNI_MAX_MC_ADDRS + 64)	/* longer than told */

struct fake_if {
	int live;
	struct rte_kni_create c;	/* as created, with the out fields */
	int memfd;
	unsigned char *map;
	struct kni_ring k[RTE_KNI_RING_COUNT];	/* the kernel's views */
	uint32_t seq;
	/* mbufs taken from the rings and not handed back yet */
	__u64 hold[FAKE_MAX_HOLD];
	unsigned int nhold;
	/* packets received from the library (rx ring), copied */
	unsigned char *pkt[FAKE_MAX_PKTS];
	uint32_t pkt_len[FAKE_MAX_PKTS];
	unsigned int npkts;
	unsigned int rx_bad;		/* malformed, returned on free */
	unsigned int rx_outside;	/* not in registered memory: dropped */
	unsigned int wakeups;
	struct rte_kni_link link;	/* the last RTE_KNI_IOC_LINK */
	int link_up;
	unsigned int mc_count;		/* the interface's multicast list */
	uint8_t mc[FAKE_MAX_MC][6];
	struct rte_kni_offload offload;	/* the last RTE_KNI_IOC_OFFLOAD */
	unsigned int offload_calls;
};

struct fake_kni {
	/* knobs */
	int absent;			/* open() fails with ENOENT */
	uint32_t abi_version;		/* what the "module" speaks */
	int napi_on_wakeup;		/* WAKEUP consumes the rx ring */
	int reg_errno;			/* REG_MEM fails with it (ENOMEM: memlock) */
	uint32_t features;		/* RTE_KNI_FEAT_* the "module" has */
	uint32_t lib_features;		/* what the library asked for */
	/* state */
	int fd;				/* the open /dev/kni, -1 if none */
	int opens;
	int handshaken;
	struct kni_region_set regions;
	unsigned int reg_calls;
	struct fake_if ifs[FAKE_MAX_IFS];
	int next_ifindex;
};

extern struct fake_kni fk;
extern pthread_mutex_t fake_lock;

void fake_kni_reset(void);
struct fake_if *fake_if_get(const char *name);
unsigned int fake_rx_consume(struct fake_if *f, unsigned int max);
int fake_tx_send(struct fake_if *f, const void *data, uint32_t len);
unsigned int fake_alloc_hold(struct fake_if *f, unsigned int n);
unsigned int fake_hold_to_tx(struct fake_if *f);
unsigned int fake_hold_to_free(struct fake_if *f);
uint32_t fake_req_post(struct fake_if *f, uint32_t type, uint32_t flags,
		       const void *val, size_t len);
int fake_resp_take(struct fake_if *f, struct rte_kni_request *out);
void fake_pkts_clear(struct fake_if *f);
void fake_set_flags(struct fake_if *f, enum rte_kni_ring_id id, uint32_t v);

#endif /* FAKE_KNI_H */
