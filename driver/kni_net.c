// SPDX-License-Identifier: GPL-2.0
/*
 * kni_net.c - the KNI net_device: NAPI receive from rx_q, transmit into
 * tx_q, and the netdev, ethtool and statistics glue.
 *
 * Receive (application -> stack) runs in NAPI with GRO.  When rx_q is empty
 * the poll sets NEED_WAKEUP in rx_q's flags and stops; the application
 * kicks us with RTE_KNI_IOC_WAKEUP only when it sees that flag, so an idle
 * interface costs no CPU and a busy one no system calls.  Transmit takes
 * empty mbufs from alloc_q and posts filled ones to tx_q; when either runs
 * dry the queue is stopped and NEED_WAKEUP is set in tx_q's flags, and the
 * kick (or the busy-poll scheduler) wakes it from the NAPI poll.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>

#include "kni.h"

static const char kni_counter_names[KNI_COUNTER_MAX][ETH_GSTRING_LEN] = {
	[KNI_RX_BAD_ADDR]	= "rx_bad_addr",
	[KNI_RX_BAD_LEN]	= "rx_bad_len",
	[KNI_RX_BAD_CHAIN]	= "rx_bad_chain",
	[KNI_RX_TOO_BIG]	= "rx_too_big",
	[KNI_RX_NOMEM]		= "rx_nomem",
	[KNI_RX_BAD_LRO]	= "rx_bad_lro",
	[KNI_RX_CSUM_OK]	= "rx_csum_ok",
	[KNI_RX_CSUM_BAD]	= "rx_csum_bad",
	[KNI_RX_LRO]		= "rx_lro",
	[KNI_TX_BAD_MBUF]	= "tx_bad_mbuf",
	[KNI_TX_NO_MBUF]	= "tx_no_mbuf",
	[KNI_TX_RING_FULL]	= "tx_ring_full",
	[KNI_TX_TOO_BIG]	= "tx_too_big",
	[KNI_TX_PAD_NOMEM]	= "tx_pad_nomem",
	[KNI_TX_CSUM_ERR]	= "tx_csum_err",
	[KNI_TX_COPY_ERR]	= "tx_copy_err",
	[KNI_TX_TSO]		= "tx_tso",
	[KNI_TX_TIMEOUT]	= "tx_timeout",
	[KNI_REQ_TIMEOUT]	= "req_timeout",
};

void kni_stats_inc(struct kni_stats *s, enum kni_counter c)
{
	u64_stats_update_begin(&s->syncp);
	s->counter[c]++;
	u64_stats_update_end(&s->syncp);
}

static void kni_stats_add(struct kni_stats *s, enum kni_counter c, u64 n)
{
	u64_stats_update_begin(&s->syncp);
	s->counter[c] += n;
	u64_stats_update_end(&s->syncp);
}

static void kni_stats_add_packets(struct kni_stats *s, u64 packets, u64 bytes)
{
	u64_stats_update_begin(&s->syncp);
	s->packets += packets;
	s->bytes += bytes;
	u64_stats_update_end(&s->syncp);
}

static void kni_stats_read(const struct kni_stats *s, u64 *packets, u64 *bytes,
			   u64 *counter)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		*packets = s->packets;
		*bytes = s->bytes;
		memcpy(counter, s->counter, sizeof(s->counter));
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

/* Longest frame the stack accepts from the application. */
static unsigned int kni_max_frame(const struct net_device *dev)
{
	return READ_ONCE(dev->mtu) + VLAN_ETH_HLEN;
}

/* ---- receive: rx_q -> stack, mbufs back on free_q ---- */

static int kni_rx(struct kni_dev *kni, int budget)
{
	unsigned int max_frame = kni_max_frame(kni->netdev);
	unsigned int i, n, nfree = 0, csum_ok = 0, lro = 0;
	enum kni_rx_verdict verdict;
	u64 packets = 0, bytes = 0;
	struct sk_buff *skb;
	u64 addr;

	/* Never take more than free_q can give back. */
	n = min3((unsigned int)budget, kni_ring_count(&kni->rx),
		 kni_ring_free(&kni->free));
	for (i = 0; i < n; i++) {
		addr = READ_ONCE(*(u64 *)kni_ring_cons_slot(&kni->rx, i));
		skb = kni_mbuf_to_skb(&kni->mctx, addr, max_frame, &verdict);
		if (verdict != KNI_RX_DROP_ADDR)
			WRITE_ONCE(*(u64 *)kni_ring_prod_slot(&kni->free, nfree++),
				   addr);
		if (verdict != KNI_RX_OK)
			kni_stats_inc(&kni->rx_stats,
				      kni_rx_verdict_counter(verdict));
		if (!skb)
			continue;
		csum_ok += skb->ip_summed != CHECKSUM_NONE;
		lro += skb_is_gso(skb);
		packets++;
		bytes += skb->len + ETH_HLEN;
		napi_gro_receive(&kni->napi, skb);
	}
	if (n)
		kni_ring_release(&kni->rx, n);
	if (nfree)
		kni_ring_submit(&kni->free, nfree);

	kni_stats_add_packets(&kni->rx_stats, packets, bytes);
	if (csum_ok)
		kni_stats_add(&kni->rx_stats, KNI_RX_CSUM_OK, csum_ok);
	if (lro)
		kni_stats_add(&kni->rx_stats, KNI_RX_LRO, lro);
	return n;
}

/* ---- transmit: stack -> tx_q, mbufs from alloc_q ---- */

/*
 * How long the queue may stay stopped waiting for the application.  It
 * must stay well below watchdog_timeo: the netdev watchdog WARNs, and an
 * application that stops taking packets is not a kernel bug.  After this
 * the queue reopens and xmit drops (and counts) until the rings move.
 */
#define KNI_TX_STALL	HZ

/* Can one MTU-sized frame be posted right now? */
static bool kni_tx_ready(struct kni_dev *kni)
{
	return kni_ring_free(&kni->tx) &&
	       READ_ONCE(kni->stash.nr) + kni_ring_count(&kni->alloc) >=
	       READ_ONCE(kni->tx_reserve);
}

static void kni_tx_set_sleeping(struct kni_dev *kni, bool sleeping)
{
	kni->tx_sleeping = sleeping;
	WRITE_ONCE(*kni->tx.flags, sleeping ? RTE_KNI_RING_NEED_WAKEUP : 0);
}

/* Longest frame the stack sends: a GSO one with TSO on, else an MTU one. */
static unsigned int kni_tx_max_frame(const struct net_device *dev)
{
	if (READ_ONCE(dev->features) & (NETIF_F_TSO | NETIF_F_TSO6))
		return max(kni_max_frame(dev),
			   READ_ONCE(dev->gso_max_size) + VLAN_ETH_HLEN);
	return kni_max_frame(dev);
}

static void kni_tx_update_reserve(struct kni_dev *kni, unsigned int room)
{
	unsigned int need;

	if (!room)
		return;
	need = DIV_ROUND_UP(kni_tx_max_frame(kni->netdev), room);
	WRITE_ONCE(kni->tx_reserve, min_t(unsigned int, need, RTE_KNI_MAX_SEGS));
}

/*
 * Post on tx_q the chain of @len bytes at @head that kni_*_to_mbufs()
 * made (or failed to make, with @err), and count it.  Caller holds the tx
 * queue lock and made sure tx_q has room.
 */
static void kni_tx_post(struct kni_dev *kni, int err, u64 head,
			unsigned int bad, unsigned int room, u32 len)
{
	if (bad)
		kni_stats_add(&kni->tx_stats, KNI_TX_BAD_MBUF, bad);
	kni_tx_update_reserve(kni, room);
	if (err) {
		kni_stats_inc(&kni->tx_stats, kni_tx_err_counter(err));
		return;
	}
	WRITE_ONCE(*(u64 *)kni_ring_prod_slot(&kni->tx, 0), head);
	kni_ring_submit(&kni->tx, 1);
	kni_stats_add_packets(&kni->tx_stats, 1, len);
}

static netdev_tx_t kni_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kni_dev *kni = netdev_priv(dev);
	u32 offloads = kni_layout_offloads(&kni->layout);
	unsigned int bad = 0, room;
	struct kni_tx_meta meta;
	enum kni_counter drop;
	u64 head = 0;
	int err;

	if (eth_skb_pad(skb)) {		/* frees the skb */
		kni_stats_inc(&kni->tx_stats, KNI_TX_PAD_NOMEM);
		return NETDEV_TX_OK;
	}
	/*
	 * With offloads the port finishes what an mbuf can describe; the
	 * rest, and everything without, is finished here.  A GSO skb only
	 * comes with TSO, and always fits an mbuf (kni_features_check()).
	 */
	err = offloads ? kni_offload_tx(skb, offloads, &meta) : -EOPNOTSUPP;
	if (err == -EOPNOTSUPP && skb_is_gso(skb)) {
		drop = KNI_TX_TOO_BIG;
		goto drop;
	}
	if (err == -EOPNOTSUPP && skb->ip_summed == CHECKSUM_PARTIAL)
		err = skb_checksum_help(skb);
	else if (err == -EOPNOTSUPP)
		err = 0;
	if (err) {
		drop = KNI_TX_CSUM_ERR;
		goto drop;
	}
	if (!kni_ring_free(&kni->tx)) {
		drop = KNI_TX_RING_FULL;
		goto drop;
	}

	err = kni_skb_to_mbufs(&kni->mctx, &kni->stash, &kni->alloc, skb,
			       offloads ? &meta : NULL, &head, &bad, &room);
	kni_tx_post(kni, err, head, bad, room, skb->len);
	if (!err && skb_is_gso(skb))
		kni_stats_inc(&kni->tx_stats, KNI_TX_TSO);
	if (err)
		dev_kfree_skb_any(skb);
	else
		consume_skb(skb);
	goto check;

drop:
	kni_stats_inc(&kni->tx_stats, drop);
	dev_kfree_skb_any(skb);
check:
	/*
	 * Stop before the rings run dry rather than drop later (veth's
	 * pattern): set NEED_WAKEUP, then re-check so a refill that raced
	 * with us is not missed.
	 */
	if (!kni_tx_ready(kni)) {
		netif_stop_queue(dev);
		kni_tx_set_sleeping(kni, true);
		smp_mb();		/* E, matches F in the library */
		if (kni_tx_ready(kni)) {
			kni_tx_set_sleeping(kni, false);
			netif_wake_queue(dev);
		} else {
			mod_delayed_work(kni_wq, &kni->tx_stall_work,
					 KNI_TX_STALL);
		}
	}
	return NETDEV_TX_OK;
}

/* The application left the queue stopped for KNI_TX_STALL: reopen it. */
void kni_net_stall_work(struct work_struct *work)
{
	struct kni_dev *kni = container_of(to_delayed_work(work),
					   struct kni_dev, tx_stall_work);

	if (netif_running(kni->netdev) && netif_queue_stopped(kni->netdev))
		netif_wake_queue(kni->netdev);
}

/* From the NAPI poll: restart a stopped queue once there is room again. */
static void kni_tx_wake(struct kni_dev *kni)
{
	if (netif_queue_stopped(kni->netdev) && kni_tx_ready(kni)) {
		kni_tx_set_sleeping(kni, false);
		netif_wake_queue(kni->netdev);
	}
}

/* ---- lo_mode: rx_q -> tx_q, the stack bypassed ---- */

/*
 * Send the frame at @addr (from rx_q) back on tx_q, copied into mbufs
 * from alloc_q directly (lo_mode_fifo) or through an skb
 * (lo_mode_fifo_skb).  Caller holds the tx queue lock, which makes the
 * stash, alloc_q and tx_q ours, and made sure tx_q has room.  Counts what
 * it drops on either side; returns the verdict on the received chain.
 */
static enum kni_rx_verdict kni_lo_one(struct kni_dev *kni, u64 addr,
				      unsigned int max_frame, u32 *len)
{
	enum kni_rx_verdict verdict;
	unsigned int bad = 0, room;
	struct kni_src chain;
	struct sk_buff *skb;
	u64 head = 0;
	int err;

	if (kni_lo_mode.val == KNI_LO_FIFO_SKB) {
		skb = kni_mbuf_to_skb(&kni->mctx, addr, max_frame, &verdict);
		if (!skb)
			return verdict;
		skb_push(skb, ETH_HLEN);	/* eth_type_trans() pulled it */
		*len = skb->len;
		err = kni_skb_to_mbufs(&kni->mctx, &kni->stash, &kni->alloc,
				       skb, NULL, &head, &bad, &room);
		consume_skb(skb);
	} else {
		verdict = kni_src_open(&chain, &kni->mctx, addr, max_frame);
		if (verdict != KNI_RX_OK)
			return verdict;
		*len = chain.pkt_len;
		err = kni_chain_to_mbufs(&kni->mctx, &kni->stash, &kni->alloc,
					 &chain, &head, &bad, &room);
		if (err == -EBADMSG)
			return chain.verdict;
	}

	kni_tx_post(kni, err, head, bad, room, *len);
	return KNI_RX_OK;	/* received, whether sent or not */
}

/*
 * The lo_mode poll: like kni_rx(), but each frame goes to tx_q instead of
 * the stack, one at a time so that each is posted (and visible to the
 * application) before the next is read.  Stops while tx_q is full or
 * alloc_q cannot hold an MTU frame, with tx_q's NEED_WAKEUP set: the
 * application's next rx burst refills alloc_q and kicks us.
 */
static int kni_rx_loop(struct kni_dev *kni, int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(kni->netdev, 0);
	unsigned int max_frame = kni_max_frame(kni->netdev);
	enum kni_rx_verdict verdict;
	u64 packets = 0, bytes = 0;
	unsigned int i, n;
	u64 addr;
	u32 len;

	n = min3((unsigned int)budget, kni_ring_count(&kni->rx),
		 kni_ring_free(&kni->free));
	__netif_tx_lock(txq, smp_processor_id());
	for (i = 0; i < n; i++) {
		if (!kni_tx_ready(kni)) {
			kni_tx_set_sleeping(kni, true);
			smp_mb();	/* E, matches F in the library */
			if (!kni_tx_ready(kni))
				break;
			kni_tx_set_sleeping(kni, false);
		}
		addr = READ_ONCE(*(u64 *)kni_ring_cons_slot(&kni->rx, i));
		verdict = kni_lo_one(kni, addr, max_frame, &len);
		/*
		 * One at a time: free_q had room for all n when we started,
		 * and only we produce on it.
		 */
		if (verdict != KNI_RX_DROP_ADDR) {
			WRITE_ONCE(*(u64 *)kni_ring_prod_slot(&kni->free, 0),
				   addr);
			kni_ring_submit(&kni->free, 1);
		}
		if (verdict != KNI_RX_OK) {
			kni_stats_inc(&kni->rx_stats,
				      kni_rx_verdict_counter(verdict));
			continue;
		}
		packets++;
		bytes += len;
	}
	__netif_tx_unlock(txq);
	if (i)
		kni_ring_release(&kni->rx, i);

	kni_stats_add_packets(&kni->rx_stats, packets, bytes);
	return i;
}

/* Is there a frame the poll can take now? */
static bool kni_rx_pending(struct kni_dev *kni)
{
	if (!kni_ring_count(&kni->rx) || !kni_ring_free(&kni->free))
		return false;
	return kni_lo_mode.val == KNI_LO_NONE || kni_tx_ready(kni);
}

/* ---- NAPI ---- */

static void kni_rx_set_sleeping(struct kni_dev *kni, bool sleeping)
{
	kni->rx_sleeping = sleeping;
	WRITE_ONCE(*kni->rx.flags, sleeping ? RTE_KNI_RING_NEED_WAKEUP : 0);
}

static int kni_napi_poll(struct napi_struct *napi, int budget)
{
	struct kni_dev *kni = container_of(napi, struct kni_dev, napi);
	int done;

	if (kni->rx_sleeping)
		kni_rx_set_sleeping(kni, false);
	if (kni_lo_mode.val == KNI_LO_NONE)
		done = kni_rx(kni, budget);
	else
		done = kni_rx_loop(kni, budget);
	kni_tx_wake(kni);

	if (done < budget && napi_complete_done(napi, done)) {
		/* A busy-poll scheduler will look again; no kick needed. */
		if (kni_poll_busy())
			return done;
		kni_rx_set_sleeping(kni, true);
		smp_mb();		/* E, matches F in the library */
		if (kni_rx_pending(kni) && napi_schedule_prep(napi)) {
			kni_rx_set_sleeping(kni, false);
			__napi_schedule(napi);
		}
	}
	return done;
}

/*
 * RTE_KNI_IOC_WAKEUP and the busy-poll schedulers: run the poll (which
 * also restarts tx) and wake request waiters.  Process context.
 */
void kni_net_kick(struct kni_dev *kni)
{
	local_bh_disable();
	napi_schedule(&kni->napi);
	local_bh_enable();
	kni_req_kick(kni);
}

/* Teardown, NAPI and tx stopped: hand stashed mbufs back through free_q. */
void kni_net_return_stash(struct kni_dev *kni)
{
	unsigned int n = kni_ring_put_u64(&kni->free, kni->stash.addr,
					  kni->stash.nr);

	if (n < kni->stash.nr)
		netdev_warn(kni->netdev, "free_q full: %u mbufs not returned\n",
			    kni->stash.nr - n);
	kni->stash.nr = 0;
}

/* ---- net_device_ops ---- */

/* The carrier is the application's link status while the interface is up. */
static void kni_net_carrier(struct kni_dev *kni)
{
	if (kni->link_up && netif_running(kni->netdev))
		netif_carrier_on(kni->netdev);
	else
		netif_carrier_off(kni->netdev);
}

static int kni_open(struct net_device *dev)
{
	struct kni_dev *kni = netdev_priv(dev);
	u8 up = 1;
	int err;

	err = kni_req_send(kni, RTE_KNI_REQ_CFG_NETWORK_IF, &up, sizeof(up),
			   KNI_REQ_WAIT_RTNL);
	if (err)
		return err;

	napi_enable(&kni->napi);
	netif_start_queue(dev);
	kni_net_carrier(kni);
	/* Pick up whatever the application queued while we were down. */
	kni_net_kick(kni);
	return 0;
}

static int kni_stop(struct net_device *dev)
{
	struct kni_dev *kni = netdev_priv(dev);
	u8 up = 0;

	netif_stop_queue(dev);
	napi_disable(&kni->napi);
	netif_carrier_off(dev);
	/* as the original: up again, the carrier parameter applies until told */
	kni->link_up = kni_carrier.val;
	/*
	 * Going down cannot be refused, so do not wait for the answer: the
	 * application is told, and a dead or busy one cannot stall us.
	 */
	kni_req_send(kni, RTE_KNI_REQ_CFG_NETWORK_IF, &up, sizeof(up),
		     KNI_REQ_NOWAIT);
	return 0;
}

static int kni_change_mtu(struct net_device *dev, int new_mtu)
{
	struct kni_dev *kni = netdev_priv(dev);
	u32 mtu = new_mtu;
	int err;

	err = kni_req_send(kni, RTE_KNI_REQ_CHANGE_MTU, &mtu, sizeof(mtu),
			   KNI_REQ_WAIT_RTNL);
	if (err)
		return err;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

static int kni_set_mac_address(struct net_device *dev, void *p)
{
	struct kni_dev *kni = netdev_priv(dev);
	struct sockaddr *sa = p;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	/*
	 * The address changes only once the application accepted it: then
	 * kni_req_mac_work() sets it again, through here, with mac_commit.
	 */
	if (kni->mac_commit) {
		eth_hw_addr_set(dev, sa->sa_data);
		return 0;
	}
	return kni_req_mac(kni, sa->sa_data);
}

/*
 * The interface's multicast addresses now: how many there are, the first
 * RTE_KNI_MAX_MC_ADDRS of them in @addr.
 */
u32 kni_net_mc_read(struct net_device *dev, u8 (*addr)[ETH_ALEN])
{
	struct netdev_hw_addr *ha;
	u32 n = 0;

	netif_addr_lock_bh(dev);
	netdev_for_each_mc_addr(ha, dev) {
		if (n < RTE_KNI_MAX_MC_ADDRS)
			ether_addr_copy(addr[n], ha->addr);
		n++;
	}
	netif_addr_unlock_bh(dev);
	return n;
}

/*
 * Called in atomic context under the address lock, so the promiscuous,
 * allmulti and multicast list requests, which wait for the application,
 * go to a work item.
 */
static void kni_set_rx_mode(struct net_device *dev)
{
	struct kni_dev *kni = netdev_priv(dev);

	queue_work(kni_wq, &kni->rx_mode_work);
}

static void kni_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *st)
{
	struct kni_dev *kni = netdev_priv(dev);
	u64 rx[KNI_COUNTER_MAX], tx[KNI_COUNTER_MAX];

	kni_stats_read(&kni->rx_stats, &st->rx_packets, &st->rx_bytes, rx);
	kni_stats_read(&kni->tx_stats, &st->tx_packets, &st->tx_bytes, tx);

	st->rx_length_errors = rx[KNI_RX_BAD_LEN] + rx[KNI_RX_TOO_BIG] +
			       rx[KNI_RX_BAD_LRO];
	st->rx_frame_errors = rx[KNI_RX_BAD_CHAIN];
	st->rx_errors = rx[KNI_RX_BAD_ADDR] + st->rx_length_errors +
			st->rx_frame_errors;
	st->rx_dropped = rx[KNI_RX_NOMEM];
	st->tx_errors = tx[KNI_TX_TOO_BIG] + tx[KNI_TX_CSUM_ERR] +
			tx[KNI_TX_COPY_ERR] + atomic_long_read(&kni->tx_timeouts);
	st->tx_dropped = tx[KNI_TX_NO_MBUF] + tx[KNI_TX_RING_FULL] +
			 tx[KNI_TX_PAD_NOMEM];
}

static void kni_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct kni_dev *kni = netdev_priv(dev);

	/* Not expected: the stall work reopens the queue long before this. */
	atomic_long_inc(&kni->tx_timeouts);
	netif_wake_queue(dev);
}

/* /sys/class/net/NAME/carrier, as rte_kni_update_link() used to write it. */
static int kni_change_carrier(struct net_device *dev, bool on)
{
	struct kni_dev *kni = netdev_priv(dev);

	kni->link_up = on;
	kni_net_carrier(kni);
	return 0;
}

/*
 * RTE_KNI_IOC_LINK, checked: what the application's port says.  Applies
 * whatever the interface is named now; set while it is down, the status
 * applies when it goes up.  Returns the status it had.
 */
int kni_net_set_link(struct kni_dev *kni, const struct rte_kni_link *l)
{
	struct net_device *dev = kni->netdev;
	int was;

	if (!l->flags || l->flags & ~(RTE_KNI_LINK_STATUS | RTE_KNI_LINK_MODE) ||
	    l->duplex > 1 || l->autoneg > 1 || l->status > 1 || l->pad ||
	    (l->speed > INT_MAX && l->speed != U32_MAX))
		return -EINVAL;
	rtnl_lock();
	if (dev->reg_state != NETREG_REGISTERED) {
		rtnl_unlock();
		return -ENODEV;
	}
	was = kni->link_up;
	if (l->flags & RTE_KNI_LINK_MODE) {
		kni->link_speed = l->speed && l->speed != U32_MAX ?
				  l->speed : SPEED_UNKNOWN;
		kni->link_duplex = l->duplex ? DUPLEX_FULL : DUPLEX_HALF;
		kni->link_autoneg = l->autoneg ? AUTONEG_ENABLE : AUTONEG_DISABLE;
	}
	if (l->flags & RTE_KNI_LINK_STATUS) {
		kni->link_up = l->status;
		kni_net_carrier(kni);
	}
	rtnl_unlock();
	return was;
}

/* GSO skbs the application's mbufs cannot describe are cut by the stack. */
static netdev_features_t kni_features_check(struct sk_buff *skb,
					    struct net_device *dev,
					    netdev_features_t features)
{
	struct kni_dev *kni = netdev_priv(dev);

	return kni_offload_features_check(skb, kni_layout_offloads(&kni->layout),
					  features);
}

/*
 * ethtool -K: tell the application which of its offloads are on now.  The
 * change cannot wait for it (ndo_set_features runs under rtnl from many
 * places), and needs no answer: the port does all of them.
 */
static int kni_set_features(struct net_device *dev, netdev_features_t features)
{
	struct kni_dev *kni = netdev_priv(dev);
	u32 offloads = kni_layout_offloads(&kni->layout);
	u32 on = kni_offload_on(offloads, features);

	if (offloads && on != kni_offload_on(offloads, dev->features))
		kni_req_send(kni, RTE_KNI_REQ_CHANGE_OFFLOADS, &on, sizeof(on),
			     KNI_REQ_NOWAIT);
	return 0;
}

/*
 * RTE_KNI_IOC_OFFLOAD: the offloads the application's port does, and
 * where its mbufs carry them.  The features they bring are turned on;
 * those it no longer does are turned off.  o->offloads returns those on.
 */
int kni_net_set_offloads(struct kni_dev *kni, struct rte_kni_offload *o)
{
	struct net_device *dev = kni->netdev;
	struct kni_layout *l = &kni->layout;
	netdev_features_t old, new;
	int err;

	if (o->offloads & ~RTE_KNI_OFL_ALL || o->pad)
		return -EINVAL;
	err = kni_layout_check_offload(l, o->ol_flags, o->tx_offload);
	if (err)
		return err;
	rtnl_lock();
	if (dev->reg_state != NETREG_REGISTERED) {
		err = -ENODEV;
		goto out;
	}
	if (l->offsets_set && (o->ol_flags != l->ol_flags ||
			       o->tx_offload != l->tx_offload)) {
		err = -EBUSY;		/* the paths may be reading them */
		goto out;
	}
	l->ol_flags = o->ol_flags;
	l->tx_offload = o->tx_offload;
	l->offsets_set = true;
	old = kni_offload_features(l->offloads);
	new = kni_offload_features(o->offloads);
	/*
	 * Pairs with kni_layout_offloads(): the offsets, then the offloads.
	 * Old and new both while the features change, so that a GSO skb
	 * sent before TSO went off still finds it; only the new after.
	 */
	smp_store_release(&l->offloads, l->offloads | o->offloads);
	/*
	 * Through netdev_update_features(), so that ndo_set_features and
	 * the feature-change notifiers see it: what goes is still
	 * changeable while it is turned off, and fixed off after.
	 */
	dev->hw_features |= new;
	dev->wanted_features = (dev->wanted_features & ~old) | new;
	netdev_update_features(dev);
	dev->hw_features &= ~(old & ~new);
	smp_store_release(&l->offloads, o->offloads);
	o->offloads = kni_offload_on(o->offloads, dev->features);
out:
	rtnl_unlock();
	return err;
}

static const struct net_device_ops kni_netdev_ops = {
	.ndo_open		= kni_open,
	.ndo_stop		= kni_stop,
	.ndo_start_xmit		= kni_start_xmit,
	.ndo_features_check	= kni_features_check,
	.ndo_set_features	= kni_set_features,
	.ndo_change_mtu		= kni_change_mtu,
	.ndo_set_mac_address	= kni_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_rx_mode	= kni_set_rx_mode,
	.ndo_get_stats64	= kni_get_stats64,
	.ndo_tx_timeout		= kni_tx_timeout,
	.ndo_change_carrier	= kni_change_carrier,
};

bool kni_is_kni(const struct net_device *dev)
{
	return dev->netdev_ops == &kni_netdev_ops;
}

/* ---- ethtool ---- */

static void kni_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, KNI_VERSION, sizeof(info->version));
	strscpy(info->bus_info, "dpdk", sizeof(info->bus_info));
}

static int kni_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? KNI_COUNTER_MAX : -EOPNOTSUPP;
}

static void kni_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, kni_counter_names, sizeof(kni_counter_names));
}

static void kni_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct kni_dev *kni = netdev_priv(dev);
	u64 rx[KNI_COUNTER_MAX], tx[KNI_COUNTER_MAX], p, b;
	int i;

	kni_stats_read(&kni->rx_stats, &p, &b, rx);
	kni_stats_read(&kni->tx_stats, &p, &b, tx);
	for (i = 0; i < KNI_COUNTER_MAX; i++)
		data[i] = rx[i] + tx[i];
	data[KNI_TX_TIMEOUT] = atomic_long_read(&kni->tx_timeouts);
	data[KNI_REQ_TIMEOUT] = atomic_long_read(&kni->req_timeouts);
}

static int kni_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	const struct kni_dev *kni = netdev_priv(dev);

	/* What the application last said of its port (rte_kni_set_link). */
	cmd->base.speed = kni->link_speed;
	cmd->base.duplex = kni->link_duplex;
	cmd->base.autoneg = kni->link_autoneg;
	cmd->base.port = PORT_OTHER;
	return 0;
}

/*
 * ethtool -g: the four data rings as the application created them (the
 * free and alloc rings have the size of rx and tx).  Fixed: the rings are
 * mapped by the application.
 */
static void kni_get_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring
			      KNI_ETHTOOL_RINGPARAM_ARGS)
{
	const struct kni_dev *kni = netdev_priv(dev);

	ring->rx_max_pending = kni->rx.size;
	ring->tx_max_pending = kni->tx.size;
	ring->rx_pending = kni->rx.size;
	ring->tx_pending = kni->tx.size;
}

/* ethtool -l: one queue each way, NAPI and xmit. */
static void kni_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	ch->max_combined = 1;
	ch->combined_count = 1;
}

static const struct ethtool_ops kni_ethtool_ops = {
	.get_drvinfo		= kni_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= kni_get_link_ksettings,
	.get_ringparam		= kni_get_ringparam,
	.get_channels		= kni_get_channels,
	.get_sset_count		= kni_get_sset_count,
	.get_strings		= kni_get_strings,
	.get_ethtool_stats	= kni_get_ethtool_stats,
};

/* alloc_netdev() setup callback. */
void kni_net_setup(struct net_device *dev)
{
	struct kni_dev *kni = netdev_priv(dev);

	ether_setup(dev);	/* also the Ethernet header_ops */
	dev->netdev_ops = &kni_netdev_ops;
	dev->ethtool_ops = &kni_ethtool_ops;
	dev->watchdog_timeo = 5 * HZ;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	/* Copies handle any skb shape; checksums are finished in xmit. */
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM |
			 NETIF_F_HIGHDMA;
	dev->hw_features = dev->features;
	/* The rings belong to a file opened in this namespace. */
	kni_netif_set_netns_immutable(dev);

	kni->netdev = dev;
	/* Until the application says: the carrier parameter, no speed. */
	kni->link_up = kni_carrier.val;
	kni->link_speed = SPEED_UNKNOWN;
	kni->link_duplex = DUPLEX_FULL;
	kni->link_autoneg = AUTONEG_DISABLE;
	u64_stats_init(&kni->rx_stats.syncp);
	u64_stats_init(&kni->tx_stats.syncp);
	netif_napi_add(dev, &kni->napi, kni_napi_poll);
}
