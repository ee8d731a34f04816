/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * rte_kni_abi.h - the contract between rte_kni.ko and librte_kni.
 *
 * This is the only header both sides share for data layout.  Everything in
 * it is fixed width, naturally aligned and free of pointers, so that the
 * kernel never has to guess what a userspace build meant.  Addresses that
 * travel through the rings are user virtual addresses; the kernel resolves
 * them only through memory the application registered with
 * RTE_KNI_IOC_REG_MEM, and rejects everything else.
 *
 * Any change to a struct below changes its ioctl number (the size is part of
 * it), and any change in meaning bumps RTE_KNI_ABI_VERSION, which the
 * RTE_KNI_IOC_VERSION handshake checks before anything else is accepted.
 */
#ifndef RTE_KNI_ABI_H
#define RTE_KNI_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define RTE_KNI_ABI_VERSION	1
#define RTE_KNI_DEVICE		"kni"		/* /dev/kni */
#define RTE_KNI_NAMESIZE	16		/* == IFNAMSIZ */

/* Ring sizes are a power of two in [MIN, MAX] slots. */
#define RTE_KNI_RING_MIN	64
#define RTE_KNI_RING_MAX	16384
/* Longest mbuf chain either direction will build or follow. */
#define RTE_KNI_MAX_SEGS	64
/* Registered packet memory regions per open file, and the longest one. */
#define RTE_KNI_MAX_REGIONS	64
#define RTE_KNI_MAX_REGION_LEN	(4ULL << 30)
/* Interfaces per open file (CREATE fails ENOSPC beyond). */
#define RTE_KNI_MAX_IFACES	1024
/* Multicast addresses of an interface the application is told (MC_LIST). */
#define RTE_KNI_MAX_MC_ADDRS	256

/* Each ring's producer, consumer and flags words sit on their own line. */
#define RTE_KNI_CACHE_LINE	64

/* struct rte_kni_ring_off.flags: the consumer asks to be kicked. */
#define RTE_KNI_RING_NEED_WAKEUP	(1U << 0)

/*
 * Where one ring lives inside the interface's mmap area, as byte offsets
 * from the start of the mapping.  The indices are free running u32 counters;
 * slot i is at desc + (i & (size - 1)) * entry size.
 */
struct rte_kni_ring_off {
	__u64 producer;
	__u64 consumer;
	__u64 flags;
	__u64 desc;
	__u32 size;		/* slots, power of two */
	__u32 entry_size;	/* bytes per slot */
};

/* The six rings of one interface. */
enum rte_kni_ring_id {
	RTE_KNI_RING_RX,	/* app -> kernel: mbufs for the stack */
	RTE_KNI_RING_FREE,	/* kernel -> app: rx mbufs done with */
	RTE_KNI_RING_ALLOC,	/* app -> kernel: empty mbufs for tx */
	RTE_KNI_RING_TX,	/* kernel -> app: mbufs the stack sent */
	RTE_KNI_RING_REQ,	/* kernel -> app: control requests */
	RTE_KNI_RING_RESP,	/* app -> kernel: answers to requests */
	RTE_KNI_RING_COUNT,
};

/*
 * The application's mbuf, described by offsets computed with offsetof()
 * against the DPDK the library was built with.  The kernel keeps no copy of
 * struct rte_mbuf; it validates these (each field inside hdr_size and
 * naturally aligned) and reads and writes only these fields.
 */
struct rte_kni_mbuf_layout {
	__u16 hdr_size;	/* bytes of header the kernel may touch */
	__u16 buf_addr;	/* u64: user VA of the data buffer */
	__u16 data_off;	/* u16 */
	__u16 nb_segs;	/* u16 */
	__u16 pkt_len;	/* u32 */
	__u16 data_len;	/* u16 */
	__u16 buf_len;	/* u16 */
	__u16 next;		/* u64: user VA of the next segment, 0 ends */
};

/*
 * RTE_KNI_IOC_VERSION: both sides state their ABI version, and the library
 * the optional features it handles; the kernel answers with those it
 * handles too, and uses only those with this file's interfaces.  A
 * kernel older than a feature answers 0 for it.
 */
struct rte_kni_version {
	__u32 abi_version;	/* in: library's, out: kernel's */
	__u32 features;	/* in: library's, out: both sides' (RTE_KNI_FEAT_*) */
};

/* The library answers RTE_KNI_REQ_CHANGE_MC_LIST and reads RTE_KNI_IOC_MC_LIST. */
#define RTE_KNI_FEAT_MC_LIST	(1U << 0)
/* The library handles RTE_KNI_REQ_CHANGE_OFFLOADS and uses RTE_KNI_IOC_OFFLOAD. */
#define RTE_KNI_FEAT_OFFLOAD	(1U << 1)
#define RTE_KNI_FEATURES	(RTE_KNI_FEAT_MC_LIST | RTE_KNI_FEAT_OFFLOAD)

/* RTE_KNI_IOC_REG_MEM: pin [addr, addr + len) for packet buffers. */
struct rte_kni_mem_region {
	__u64 addr;
	__u64 len;
};

/* struct rte_kni_create.flags */
#define RTE_KNI_CREATE_FORCE_BIND	(1U << 0)	/* pin the poller to core_id */
#define RTE_KNI_CREATE_RANDOM_MAC	(1U << 1)	/* ignore mac_addr */

/* RTE_KNI_IOC_CREATE (in: up to info) and RTE_KNI_IOC_INFO (name in). */
struct rte_kni_create {
	char name[RTE_KNI_NAMESIZE];
	__u8 mac_addr[6];
	__u16 pad0;
	__u32 flags;
	__u32 core_id;
	__u32 mtu;		/* 0: 1500 */
	__u32 min_mtu;	/* 0: 68 */
	__u32 max_mtu;	/* 0: 65535 */
	__u32 ring_size;	/* rx, free, alloc, tx slots */
	__u32 req_ring_size;	/* req, resp slots */
	__u32 pad1;
	struct rte_kni_mbuf_layout layout;
	/* out */
	__s32 ifindex;
	__u32 mmap_size;
	__u64 mmap_offset;	/* pass to mmap() on the same /dev/kni */
	struct rte_kni_ring_off ring[RTE_KNI_RING_COUNT];
};

/*
 * RTE_KNI_IOC_RELEASE.  The kernel hands every mbuf it holds back on free_q
 * first; EAGAIN means they do not fit yet: the interface is down, drain
 * free_q and ask again.
 */
struct rte_kni_release {
	char name[RTE_KNI_NAMESIZE];
};

/* RTE_KNI_IOC_WAKEUP: kick the kernel side of an interface. */
struct rte_kni_wakeup {
	__s32 ifindex;
	__u32 pad;
};

/*
 * RTE_KNI_IOC_LINK: the link of the application's port, as the kernel is
 * to report it.  flags says which fields apply.  The ioctl returns the
 * link status the interface had (0 or 1).
 */
struct rte_kni_link {
	__s32 ifindex;
	__u32 flags;		/* RTE_KNI_LINK_* */
	__u32 speed;		/* Mb/s; 0 or 0xffffffff: unknown */
	__u8 duplex;		/* 0: half, 1: full */
	__u8 autoneg;		/* 0: fixed, 1: autonegotiated */
	__u8 status;		/* 0: down, 1: up (the carrier) */
	__u8 pad;
};

#define RTE_KNI_LINK_STATUS	(1U << 0)	/* status */
#define RTE_KNI_LINK_MODE	(1U << 1)	/* speed, duplex, autoneg */

/*
 * RTE_KNI_IOC_MC_LIST: the interface's multicast addresses, as they are
 * now.  count is how many it has; only the first RTE_KNI_MAX_MC_ADDRS are
 * in addr, and a longer list is the application's cue to accept all
 * multicast, as a NIC does when its filter is full.
 */
struct rte_kni_mc_list {
	__s32 ifindex;		/* in */
	__u32 count;		/* out */
	__u8 addr[RTE_KNI_MAX_MC_ADDRS][6];	/* out: min(count, MAX) */
};

/*
 * Offloads (RTE_KNI_IOC_OFFLOAD): work the application's port does for the
 * interface, carried in each mbuf's ol_flags and tx_offload the way DPDK's
 * NICs take and give it.  Stack to application:
 *   TX_CSUM  an L4 checksum left to the port: RTE_KNI_MBUF_F_TX_*_CKSUM,
 *            l2_len and l3_len, the pseudo-header sum in the checksum field
 *            (ethtool -K tx, NETIF_F_HW_CSUM);
 *   TSO      a TCP/IPv4 segment of up to 64 KB for the port to cut: also
 *            RTE_KNI_MBUF_F_TX_TCP_SEG, l4_len and tso_segsz, the
 *            pseudo-header sum without the length (tx-tcp-segmentation,
 *            NETIF_F_TSO);
 *   TSO6     the same over IPv6 (tx-tcp6-segmentation, NETIF_F_TSO6).  Two
 *            flags, as DPDK's GSO library cuts IPv4 only before 23.07.
 * Application to stack:
 *   RX_CSUM  the port's RTE_KNI_MBUF_F_RX_*_CKSUM verdicts (rx, NETIF_F_RXCSUM);
 *   LRO      TCP segments the port coalesced: RTE_KNI_MBUF_F_RX_LRO with
 *            tso_segsz (rx-gro-hw, NETIF_F_GRO_HW).
 */
#define RTE_KNI_OFL_TX_CSUM	(1U << 0)
#define RTE_KNI_OFL_TSO		(1U << 1)
#define RTE_KNI_OFL_RX_CSUM	(1U << 2)
#define RTE_KNI_OFL_LRO		(1U << 3)
#define RTE_KNI_OFL_TSO6	(1U << 4)
#define RTE_KNI_OFL_ALL		0x1fU

/*
 * DPDK's ol_flags bits and tx_offload fields (rte_mbuf_core.h, the same
 * from 22.11 to 25.11; the library checks them against the DPDK it is
 * built with).  tx_offload is l2_len:7, l3_len:9, l4_len:8, tso_segsz:16
 * from bit 0 up; for RTE_KNI_MBUF_F_RX_LRO, tso_segsz is the size of the
 * segments the port coalesced.
 */
#define RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD		(1ULL << 3)
#define RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD		(1ULL << 4)
#define RTE_KNI_MBUF_F_RX_IP_CKSUM_GOOD		(1ULL << 7)
#define RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD		(1ULL << 8)
#define RTE_KNI_MBUF_F_RX_LRO			(1ULL << 16)
#define RTE_KNI_MBUF_F_TX_TCP_SEG		(1ULL << 50)
#define RTE_KNI_MBUF_F_TX_TCP_CKSUM		(1ULL << 52)
#define RTE_KNI_MBUF_F_TX_UDP_CKSUM		(3ULL << 52)
#define RTE_KNI_MBUF_F_TX_IP_CKSUM		(1ULL << 54)
#define RTE_KNI_MBUF_F_TX_IPV4			(1ULL << 55)
#define RTE_KNI_MBUF_F_TX_IPV6			(1ULL << 56)
/* Both L4 bits: the checksum field holds the pseudo-header sum only. */
#define RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE \
	(RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD | RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD)
#define RTE_KNI_MBUF_F_RX_IP_CKSUM_MASK \
	(RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD | RTE_KNI_MBUF_F_RX_IP_CKSUM_GOOD)

#define RTE_KNI_MBUF_L2_LEN_SHIFT	0
#define RTE_KNI_MBUF_L3_LEN_SHIFT	7
#define RTE_KNI_MBUF_L4_LEN_SHIFT	16
#define RTE_KNI_MBUF_TSO_SEGSZ_SHIFT	24
#define RTE_KNI_MBUF_L2_LEN_MAX		0x7f
#define RTE_KNI_MBUF_L3_LEN_MAX		0x1ff
#define RTE_KNI_MBUF_L4_LEN_MAX		0xff
#define RTE_KNI_MBUF_TSO_SEGSZ_MAX	0xffff

/*
 * RTE_KNI_IOC_OFFLOAD (RTE_KNI_FEAT_OFFLOAD): the offloads the
 * application's port does for the interface, and where its mbufs keep the
 * two words that carry them: the mbuf layout of RTE_KNI_IOC_CREATE, grown.
 * The offsets are set by the first call and fixed after it.  The
 * interface turns the offloads on; ethtool -K turns them off and on again
 * within these, and each change is posted as RTE_KNI_REQ_CHANGE_OFFLOADS.
 */
struct rte_kni_offload {
	__s32 ifindex;
	__u32 offloads;		/* in: RTE_KNI_OFFLOAD_* the port does; out: those on */
	__u16 ol_flags;		/* u64: RTE_KNI_MBUF_F_* */
	__u16 tx_offload;	/* u64: l2_len, l3_len, l4_len, tso_segsz */
	__u32 pad;
};

/* Control requests, one per slot of the req and resp rings. */
enum rte_kni_req_type {
	RTE_KNI_REQ_UNKNOWN,
	RTE_KNI_REQ_CHANGE_MTU,
	RTE_KNI_REQ_CFG_NETWORK_IF,
	RTE_KNI_REQ_CHANGE_MAC_ADDR,
	RTE_KNI_REQ_CHANGE_PROMISC,
	RTE_KNI_REQ_CHANGE_ALLMULTI,
	RTE_KNI_REQ_CHANGE_MC_LIST,	/* RTE_KNI_FEAT_MC_LIST only */
	RTE_KNI_REQ_CHANGE_OFFLOADS,	/* RTE_KNI_FEAT_OFFLOAD only, async */
	RTE_KNI_REQ_MAX,
};

/* struct rte_kni_request.flags: no answer is expected. */
#define RTE_KNI_REQ_ASYNC	(1U << 0)

struct rte_kni_request {
	__u32 seq;		/* echoed in the answer */
	__u32 type;		/* enum rte_kni_req_type */
	__u32 flags;
	__s32 result;		/* answer: 0 or negative errno */
	union {
		__u32 new_mtu;
		__u8 if_up;
		__u8 mac_addr[6];
		__u8 promiscuity;
		__u8 allmulti;
		__u32 mc_count;	/* read the list with RTE_KNI_IOC_MC_LIST */
		__u32 offloads;	/* RTE_KNI_OFFLOAD_* on now */
		__u8 raw[16];
	};
};

#define RTE_KNI_IOC_MAGIC	0xB7
#define RTE_KNI_IOC_VERSION	_IOWR(RTE_KNI_IOC_MAGIC, 1, struct rte_kni_version)
#define RTE_KNI_IOC_REG_MEM	_IOW(RTE_KNI_IOC_MAGIC, 2, struct rte_kni_mem_region)
#define RTE_KNI_IOC_CREATE	_IOWR(RTE_KNI_IOC_MAGIC, 3, struct rte_kni_create)
#define RTE_KNI_IOC_RELEASE	_IOW(RTE_KNI_IOC_MAGIC, 4, struct rte_kni_release)
#define RTE_KNI_IOC_WAKEUP	_IOW(RTE_KNI_IOC_MAGIC, 5, struct rte_kni_wakeup)
#define RTE_KNI_IOC_INFO	_IOWR(RTE_KNI_IOC_MAGIC, 6, struct rte_kni_create)
#define RTE_KNI_IOC_LINK	_IOW(RTE_KNI_IOC_MAGIC, 7, struct rte_kni_link)
#define RTE_KNI_IOC_MC_LIST	_IOWR(RTE_KNI_IOC_MAGIC, 8, struct rte_kni_mc_list)
#define RTE_KNI_IOC_OFFLOAD	_IOWR(RTE_KNI_IOC_MAGIC, 9, struct rte_kni_offload)

#endif /* RTE_KNI_ABI_H */
