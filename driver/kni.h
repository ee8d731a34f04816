/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kni.h - rte_kni.ko internals shared between its source files.
 */
#ifndef KNI_H
#define KNI_H

#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "kni_ring.h"

/* One pinned and kernel-mapped range of the application's packet memory. */
struct kni_region {
	u64		uaddr;
	u64		len;
	void		*kva;		/* kva of uaddr, not of the page start */
	void		*vaddr;		/* vmap() base, for vunmap() */
	struct page	**pages;
	unsigned long	npages;
};

/*
 * Registered memory of one open file.  Append-only while the file is open:
 * nr is published with a store-release after the region is filled in, and
 * lookups load it with an acquire, so readers on other CPUs (NAPI) never
 * see a half-built region.  Regions go away only when the file is released,
 * after every interface that could look them up is gone.
 */
struct kni_mem {
	struct kni_region	region[RTE_KNI_MAX_REGIONS];
	unsigned int		nr;
	struct mm_struct	*mm;		/* pays for the pinned pages */
};

/*
 * The application's mbuf field offsets, validated at create time, and
 * those of its offload words, set once by RTE_KNI_IOC_OFFLOAD.
 */
struct kni_layout {
	u16	hdr_size;
	u16	buf_addr;
	u16	data_off;
	u16	nb_segs;
	u16	pkt_len;
	u16	data_len;
	u16	buf_len;
	u16	next;
	u16	ol_flags;	/* u64 */
	u16	tx_offload;	/* u64 */
	bool	offsets_set;	/* the two above, fixed from then on */
	/*
	 * RTE_KNI_OFFLOAD_* the application's port does; 0 until
	 * RTE_KNI_IOC_OFFLOAD.  Stored with release after the two offsets
	 * above and loaded with acquire before them (kni_layout_offloads()).
	 */
	u32	offloads;
};

static inline u32 kni_layout_offloads(const struct kni_layout *l)
{
	return smp_load_acquire(&l->offloads);	/* pairs with kni_net_set_offloads() */
}

/*
 * Drop and error counters, one per reason; exported through ethtool -S.
 * Each frame lost counts once in ip -s link (kni_get_stats64()): rx_errors
 * and tx_errors for what was wrong with it, rx_dropped and tx_dropped for
 * what was missing to carry it.
 */
enum kni_counter {
	KNI_RX_BAD_ADDR,	/* rx_errors: descriptor outside registered memory */
	KNI_RX_BAD_LEN,		/* rx_errors (length): lengths disagree or exceed the buffer */
	KNI_RX_BAD_CHAIN,	/* rx_errors (frame): nb_segs/next inconsistent, cycle, bad next */
	KNI_RX_TOO_BIG,		/* rx_errors (length): longer than the MTU allows */
	KNI_RX_NOMEM,		/* rx_dropped: no skb */
	KNI_RX_BAD_LRO,		/* rx_errors (length): too long, and no TCP segment to take as one */
	KNI_RX_CSUM_OK,		/* not dropped: the port vouched for the checksum */
	KNI_RX_CSUM_BAD,	/* not dropped here: the port said a checksum is bad */
	KNI_RX_LRO,		/* not dropped: coalesced frames taken as GSO skbs */
	KNI_TX_BAD_MBUF,	/* an unusable mbuf from alloc_q, skipped: no frame lost */
	KNI_TX_NO_MBUF,		/* tx_dropped: alloc_q ran dry */
	KNI_TX_RING_FULL,	/* tx_dropped: tx_q had no room */
	KNI_TX_TOO_BIG,		/* tx_errors: needs more than RTE_KNI_MAX_SEGS mbufs */
	KNI_TX_PAD_NOMEM,	/* tx_dropped: no memory to pad a short frame */
	KNI_TX_CSUM_ERR,	/* tx_errors: the checksum could not be finished */
	KNI_TX_COPY_ERR,	/* tx_errors: the skb could not be copied out */
	KNI_TX_TSO,		/* not dropped: frames left to the port to segment */
	KNI_TX_TIMEOUT,		/* tx_errors: the stack's transmit watchdog fired */
	KNI_REQ_TIMEOUT,	/* application did not answer in time */
	KNI_COUNTER_MAX,
};

/* Per-direction statistics, each direction written from one context. */
struct kni_stats {
	struct u64_stats_sync	syncp;
	u64			packets;
	u64			bytes;
	u64			counter[KNI_COUNTER_MAX];
};

/* Empty mbufs taken from alloc_q and checked, not yet used. */
#define KNI_STASH_SIZE	(2 * RTE_KNI_MAX_SEGS)

/*
 * Most unusable alloc_q entries one frame may run into before it is dropped
 * (as tx_no_mbuf).  alloc_q's producer index is the application's: moved
 * far ahead over slots that hold no mbuf, it would otherwise make a single
 * ndo_start_xmit, with bottom halves off, walk billions of entries.  With
 * it, one frame uses up fewer than RTE_KNI_MAX_SEGS + KNI_TX_BAD_MAX +
 * KNI_STASH_SIZE entries (its segments, the bad ones that stop it, and a
 * last refill that may find nothing but bad ones), besides those it leaves
 * stashed for the next frame.
 */
#define KNI_TX_BAD_MAX	KNI_STASH_SIZE

struct kni_stash {
	u64		addr[KNI_STASH_SIZE];
	unsigned int	nr;
};

/* What the mbuf <-> skb conversion needs to know. */
struct kni_mbuf_ctx {
	const struct kni_mem	*mem;
	const struct kni_layout	*layout;
	struct net_device	*dev;
	/*
	 * Receive allocates from this NAPI instance's per-CPU caches, which
	 * only its poll may touch; NULL (KUnit, process context) allocates
	 * for @dev.
	 */
	struct napi_struct	*napi;
};

/* Why a received mbuf chain was not turned into an skb. */
enum kni_rx_verdict {
	KNI_RX_OK,
	KNI_RX_DROP_ADDR,	/* head unusable: do not hand it back */
	KNI_RX_DROP_LEN,
	KNI_RX_DROP_CHAIN,
	KNI_RX_DROP_TOO_BIG,
	KNI_RX_DROP_NOMEM,
	KNI_RX_DROP_LRO,
	KNI_RX_OK_CSUM_BAD,	/* taken, but the port said a checksum is bad */
};

/* A header field of the application's mbuf, as read once. */
struct kni_mbuf {
	u64	buf_addr;
	u64	next;
	u32	pkt_len;
	u16	data_off;
	u16	nb_segs;
	u16	data_len;
	u16	buf_len;
};

/* What kni_offload_tx() puts in the head mbuf of a frame for the port. */
struct kni_tx_meta {
	u64	ol_flags;
	u64	tx_offload;
};

/*
 * A received chain (kni_src_open()), read segment by segment as it is
 * copied: each header once, each length checked where it is used.  The
 * checks are those of the chain as a whole: pkt_len an Ethernet frame
 * within max_frame, exactly nb_segs segments whose data_len add up to
 * pkt_len, each one's data inside its buffer and registered memory, the
 * last next 0.
 */
struct kni_src {
	const struct kni_mbuf_ctx *c;
	struct kni_mbuf	m;		/* the current segment, as read */
	const u8	*data;		/* its bytes not copied yet */
	u32		seg_left;	/* how many */
	u32		unseen;		/* pkt_len less the segments reached */
	u16		segs_left;	/* segments after the current one */
	u32		pkt_len;
	u32		offloads;	/* RTE_KNI_OFL_RX_CSUM, _LRO on for it */
	u64		ol_flags;	/* the head's, if any is; else 0 */
	u16		segsz;		/* its tso_segsz, likewise */
	enum kni_rx_verdict verdict;	/* why a copy failed */
};

/* A multicast list as the application was told it (RTE_KNI_REQ_CHANGE_MC_LIST). */
struct kni_mc {
	u32	count;				/* the interface's, may exceed addr */
	u8	addr[RTE_KNI_MAX_MC_ADDRS][ETH_ALEN];
};

struct kni_ctx;

/* One KNI interface; lives in netdev_priv(). */
struct kni_dev {
	struct net_device	*netdev;
	struct kni_ctx		*ctx;		/* owning open file */
	struct list_head	ctx_node;	/* ctx->devs, ctx->lock */
	struct list_head	poll_node;	/* kni_poll list, RCU */
	char			name[RTE_KNI_NAMESIZE];	/* name at create */

	struct kni_layout	layout;
	struct kni_mbuf_ctx	mctx;

	void			*ring_mem;	/* vmap() of ring_pages */
	struct page		**ring_pages;
	unsigned int		ring_npages;
	u32			ring_mem_size;
	struct rte_kni_ring_off	ring_off[RTE_KNI_RING_COUNT];

	/* NAPI (app -> stack) */
	struct napi_struct	napi;
	struct kni_ring		rx;		/* consumer */
	struct kni_ring		free;		/* producer */
	bool			rx_sleeping;
	struct kni_stats	rx_stats;

	/* ndo_start_xmit (stack -> app), under the tx queue lock */
	struct kni_ring		alloc;		/* consumer */
	struct kni_ring		tx;		/* producer */
	struct kni_stash	stash;
	unsigned int		tx_reserve;	/* mbufs one MTU frame needs */
	bool			tx_sleeping;
	struct delayed_work	tx_stall_work;
	struct kni_stats	tx_stats;

	/* control requests */
	spinlock_t		req_lock;	/* req, resp, waiters, dead, mac_* */
	struct kni_ring		req;		/* producer */
	struct kni_ring		resp;		/* consumer */
	struct list_head	waiters;
	wait_queue_head_t	req_wq;
	u32			req_seq;
	bool			dead;
	bool			rtnl_dropped;	/* rtnl: a request waits without it */
	u32			mac_seq;	/* the MAC change asked, 0: none */
	u8			mac_addr[ETH_ALEN];
	s32			mac_result;
	struct work_struct	mac_work;
	bool			mac_commit;	/* rtnl: apply, do not ask */
	struct work_struct	rx_mode_work;
	bool			promisc_acked;
	bool			allmulti_acked;
	struct kni_mc		*mc_acked;	/* rx_mode_work's; at first empty */
	atomic_long_t		req_timeouts;
	atomic_long_t		tx_timeouts;

	/* the link the application reports (RTE_KNI_IOC_LINK), rtnl */
	bool			link_up;	/* carrier whenever up */
	u32			link_speed;	/* Mb/s or SPEED_UNKNOWN */
	u8			link_duplex;	/* DUPLEX_* */
	u8			link_autoneg;	/* AUTONEG_* */

	/* busy-poll scheduler (kthread_mode=single|multiple) */
	u32			core_id;
	bool			force_bind;
	struct task_struct	*poller;
};

/* One open /dev/kni. */
struct kni_ctx {
	struct mutex		lock;		/* devs, mem writers, abi_ok */
	struct net		*net;
	struct list_head	devs;
	unsigned int		ndevs;		/* at most max_interfaces */
	struct kni_mem		mem;
	bool			abi_ok;
	u32			features;	/* RTE_KNI_FEAT_*, both sides' */
};

/* kni_main.c */
struct kni_bounded {		/* a module parameter within [min, max] */
	unsigned int	val;
	unsigned int	min;
	unsigned int	max;
};

struct kni_choice {		/* a module parameter naming one of names[] */
	unsigned int		val;
	const char * const	*names;
	unsigned int		n;
};

#define KNI_CHOICE(names)	{ 0, names, ARRAY_SIZE(names) }

enum kni_lo_mode {
	KNI_LO_NONE,
	KNI_LO_FIFO,		/* rx_q -> tx_q, copied mbuf to mbuf */
	KNI_LO_FIFO_SKB,	/* the same, through an skb */
};

extern const struct kernel_param_ops kni_choice_ops;
extern struct kni_bounded kni_request_timeout_ms;
extern struct kni_bounded kni_max_interfaces;
extern struct kni_choice kni_carrier;	/* 1: on when up */
extern struct kni_choice kni_lo_mode;
extern struct workqueue_struct *kni_wq;

/* kni_mem.c */
void kni_mem_init(struct kni_mem *mem);
int kni_mem_register(struct kni_mem *mem, u64 uaddr, u64 len);
void kni_mem_release(struct kni_mem *mem);
void *kni_mem_xlate(const struct kni_mem *mem, u64 uaddr, u64 len);

/* kni_mbuf.c */
int kni_layout_check(const struct rte_kni_mbuf_layout *in, struct kni_layout *out);
int kni_layout_check_offload(const struct kni_layout *l, u16 ol_flags,
			     u16 tx_offload);
struct sk_buff *kni_mbuf_to_skb(const struct kni_mbuf_ctx *c, u64 uaddr,
				unsigned int max_frame, enum kni_rx_verdict *verdict);
int kni_skb_to_mbufs(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
		     struct kni_ring *alloc, const struct sk_buff *skb,
		     const struct kni_tx_meta *meta,
		     u64 *head, unsigned int *bad, unsigned int *room);
enum kni_rx_verdict kni_src_open(struct kni_src *s, const struct kni_mbuf_ctx *c,
				 u64 uaddr, unsigned int max_frame);
int kni_chain_to_mbufs(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
		       struct kni_ring *alloc, struct kni_src *chain,
		       u64 *head, unsigned int *bad, unsigned int *room);
unsigned int kni_stash_fill(const struct kni_mbuf_ctx *c, struct kni_stash *stash,
			    struct kni_ring *alloc, unsigned int want,
			    unsigned int *bad);
enum kni_counter kni_rx_verdict_counter(enum kni_rx_verdict verdict);
enum kni_counter kni_tx_err_counter(int err);

/* kni_offload.c */
netdev_features_t kni_offload_features(u32 offloads);
u32 kni_offload_on(u32 offloads, netdev_features_t features);
netdev_features_t kni_offload_features_check(struct sk_buff *skb, u32 offloads,
					     netdev_features_t features);
int kni_offload_tx(struct sk_buff *skb, u32 offloads, struct kni_tx_meta *m);
enum kni_rx_verdict kni_offload_rx(struct sk_buff *skb, u32 on, u64 ol_flags,
				   u16 segsz, unsigned int max_frame);

/* kni_dev.c */
int kni_dev_create(struct kni_ctx *ctx, struct rte_kni_create *req);
int kni_dev_release(struct kni_ctx *ctx, const char *name);
void kni_dev_release_all(struct kni_ctx *ctx);
struct kni_dev *kni_dev_get(struct kni_ctx *ctx, int ifindex, struct net_device **ref);
struct kni_dev *kni_dev_find(struct kni_ctx *ctx, const char *name,
			     struct net_device **ref);
void kni_dev_fill_info(const struct kni_dev *kni, struct rte_kni_create *out);

/* kni_net.c */
void kni_net_setup(struct net_device *dev);
bool kni_is_kni(const struct net_device *dev);
void kni_net_kick(struct kni_dev *kni);
void kni_net_return_stash(struct kni_dev *kni);
void kni_net_stall_work(struct work_struct *work);
int kni_net_set_link(struct kni_dev *kni, const struct rte_kni_link *link);
int kni_net_set_offloads(struct kni_dev *kni, struct rte_kni_offload *o);
void kni_stats_inc(struct kni_stats *s, enum kni_counter c);
u32 kni_net_mc_read(struct net_device *dev, u8 (*addr)[ETH_ALEN]);

/* kni_req.c */
enum kni_req_how {
	KNI_REQ_NOWAIT,		/* tell the application, expect no answer */
	KNI_REQ_WAIT,		/* wait for the answer; caller holds nothing */
	KNI_REQ_WAIT_RTNL,	/* the same, caller holds rtnl: dropped meanwhile */
};

int kni_req_send(struct kni_dev *kni, u32 type, const void *arg, size_t len,
		 enum kni_req_how how);
int kni_req_mac(struct kni_dev *kni, const u8 *addr);
void kni_req_mac_work(struct work_struct *work);
void kni_req_kick(struct kni_dev *kni);
void kni_req_kill(struct kni_dev *kni);
void kni_req_rx_mode_work(struct work_struct *work);

/* kni_poll.c */
int kni_poll_init(void);
void kni_poll_exit(void);
const char *kni_poll_mode_name(void);
bool kni_poll_busy(void);
int kni_poll_add(struct kni_dev *kni);
void kni_poll_del(struct kni_dev *kni);

#endif /* KNI_H */
