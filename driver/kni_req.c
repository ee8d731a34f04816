// SPDX-License-Identifier: GPL-2.0
/*
 * kni_req.c - control requests to the application (MTU, up/down, MAC,
 * promiscuous, allmulti, multicast list) and their answers.
 *
 * Several requests may be outstanding at once: each carries a sequence
 * number, the sender sleeps on req_wq, and whoever drains resp_q first (a
 * waiter, or the application's kick) hands every answer to the waiter it
 * belongs to.  The only lock involved is req_lock, a spinlock never held
 * while sleeping.  An answer that arrives after its sender gave up matches
 * no waiter and is dropped.
 *
 * The application's callback may itself need rtnl (any change to a kernel
 * netdev: a net_tap port's MTU, ip link) or the netdev core's MAC address
 * semaphore (any MAC change).  So nothing waits for the application while
 * holding either:
 *
 *   - up and MTU, called under rtnl, drop it while they wait, holding a
 *     reference to the device; while they do, the other rtnl callers of
 *     our ops get EBUSY, and once rtnl is back a device being torn down
 *     fails the request with ENODEV.  The reference is dropped only after
 *     the caller has released rtnl, so the device outlives the caller's
 *     own use of it.
 *   - MAC, called under rtnl and the address semaphore, does not wait at
 *     all: the new address is committed, through the netdev core and its
 *     notifiers, when the application accepts it (kni_req_mac_work()).
 *   - promiscuous, allmulti and the multicast list wait in a work item,
 *     holding nothing.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "kni.h"

struct kni_req_waiter {
	struct list_head	node;
	u32			seq;
	bool			done;
	s32			result;
};

static const char *const kni_req_names[RTE_KNI_REQ_MAX] = {
	[RTE_KNI_REQ_CHANGE_MTU]	= "MTU",
	[RTE_KNI_REQ_CFG_NETWORK_IF]	= "up/down",
	[RTE_KNI_REQ_CHANGE_MAC_ADDR]	= "MAC address",
	[RTE_KNI_REQ_CHANGE_PROMISC]	= "promiscuous",
	[RTE_KNI_REQ_CHANGE_ALLMULTI]	= "allmulticast",
	[RTE_KNI_REQ_CHANGE_MC_LIST]	= "multicast list",
	[RTE_KNI_REQ_CHANGE_OFFLOADS]	= "offloads",
};

/* The answer to the MAC change in flight, if this is it: commit or refuse. */
static void kni_req_mac_answer(struct kni_dev *kni, u32 seq, s32 result)
{
	if (!kni->mac_seq || seq != kni->mac_seq)
		return;
	kni->mac_seq = 0;
	kni->mac_result = result;
	queue_work(kni_wq, &kni->mac_work);
}

/* Under req_lock: match every queued answer with its waiter. */
static void kni_req_drain_locked(struct kni_dev *kni)
{
	struct kni_req_waiter *w;
	struct rte_kni_request *r;
	u32 i, n, seq;
	s32 result;

	n = kni_ring_count(&kni->resp);
	for (i = 0; i < n; i++) {
		r = kni_ring_cons_slot(&kni->resp, i);
		seq = READ_ONCE(r->seq);
		result = READ_ONCE(r->result);
		/*
		 * The answer becomes an errno for ip(8): keep it one that
		 * userspace knows.  From ERESTARTSYS (512) up they are the
		 * kernel's own and must never reach a system call's caller.
		 */
		if (result > 0 || result <= -ERESTARTSYS)
			result = -EIO;
		list_for_each_entry(w, &kni->waiters, node) {
			if (w->seq == seq && !w->done) {
				w->result = result;
				w->done = true;
				break;
			}
		}
		kni_req_mac_answer(kni, seq, result);
	}
	if (n)
		kni_ring_release(&kni->resp, n);
}

static bool kni_req_answered(struct kni_dev *kni, struct kni_req_waiter *w)
{
	bool done;

	spin_lock_bh(&kni->req_lock);
	kni_req_drain_locked(kni);
	done = w->done || kni->dead;
	spin_unlock_bh(&kni->req_lock);
	return done;
}

/* Post a request under req_lock; its sequence number, or a negative errno. */
static s64 kni_req_post_locked(struct kni_dev *kni, u32 type, const void *arg,
			       size_t len, u32 flags)
{
	struct rte_kni_request *r;

	if (kni->dead)
		return -ENODEV;
	if (!kni_ring_free(&kni->req)) {
		if (net_ratelimit())
			netdev_warn(kni->netdev,
				    "req_q full: the application is not handling requests\n");
		return -EBUSY;
	}
	/* Never 0, which stands for "no request" (mac_seq). */
	if (!++kni->req_seq)
		++kni->req_seq;
	r = kni_ring_prod_slot(&kni->req, 0);
	memset(r, 0, sizeof(*r));
	r->seq = kni->req_seq;
	r->type = type;
	r->flags = flags;
	memcpy(r->raw, arg, min(len, sizeof(r->raw)));
	kni_ring_submit(&kni->req, 1);
	return kni->req_seq;	/* not r->seq: the application may rewrite it */
}

/* The device reference of a wait without rtnl, dropped after the caller's. */
struct kni_req_put {
	struct work_struct	work;
	struct net_device	*dev;
};

/*
 * May a request made under rtnl wait without it?  Not with netpoll (a
 * netconsole) on the device: __dev_open() holds netpoll's lock around
 * ndo_open, and whoever took rtnl next could block on it.
 */
static bool kni_req_may_drop_rtnl(const struct net_device *dev)
{
#ifdef CONFIG_NETPOLL
	if (rcu_access_pointer(dev->npinfo))
		return false;
#endif
	return true;
}

static void kni_req_put_work(struct work_struct *work)
{
	struct kni_req_put *p = container_of(work, struct kni_req_put, work);

	/* Whoever held rtnl when we queued this, our caller, is done. */
	rtnl_lock();
	rtnl_unlock();
	dev_put(p->dev);
	kfree(p);
}

/*
 * Send a request of @type with payload @arg to the application and, unless
 * @how is KNI_REQ_NOWAIT, wait (bounded by request_timeout_ms) for its
 * answer: 0 when the application accepted, else a negative errno.  With
 * KNI_REQ_WAIT_RTNL the caller holds rtnl, which is dropped while waiting.
 */
int kni_req_send(struct kni_dev *kni, u32 type, const void *arg, size_t len,
		 enum kni_req_how how)
{
	struct kni_req_waiter w = { .done = false };
	struct net_device *dev = kni->netdev;
	struct kni_req_put *put = NULL;
	unsigned long timeout;
	long left;
	s64 seq;

	if (how == KNI_REQ_WAIT_RTNL) {
		ASSERT_RTNL();
		if (kni->rtnl_dropped)
			return -EBUSY;	/* another request of ours waits */
		/* Without put, wait holding rtnl as before. */
		if (kni_req_may_drop_rtnl(dev))
			put = kmalloc(sizeof(*put), GFP_KERNEL);
	}

	spin_lock_bh(&kni->req_lock);
	seq = kni_req_post_locked(kni, type, arg, len,
				  how == KNI_REQ_NOWAIT ? RTE_KNI_REQ_ASYNC : 0);
	if (seq >= 0 && how != KNI_REQ_NOWAIT) {
		w.seq = seq;
		list_add(&w.node, &kni->waiters);
	}
	spin_unlock_bh(&kni->req_lock);
	if (seq < 0 || how == KNI_REQ_NOWAIT) {
		kfree(put);
		return seq < 0 ? seq : 0;
	}

	if (put) {
		kni->rtnl_dropped = true;
		dev_hold(dev);
		rtnl_unlock();
	}
	timeout = msecs_to_jiffies(READ_ONCE(kni_request_timeout_ms.val));
	left = wait_event_interruptible_timeout(kni->req_wq,
						kni_req_answered(kni, &w),
						timeout);
	if (put) {
		rtnl_lock();
		kni->rtnl_dropped = false;
		put->dev = dev;
		INIT_WORK(&put->work, kni_req_put_work);
		queue_work(kni_wq, &put->work);
	}

	spin_lock_bh(&kni->req_lock);
	list_del(&w.node);
	spin_unlock_bh(&kni->req_lock);

	/* Torn down while we waited without rtnl: the answer is moot. */
	if (kni->dead)
		return -ENODEV;
	if (w.done)
		return w.result;
	if (left < 0)
		return left;
	atomic_long_inc(&kni->req_timeouts);
	if (net_ratelimit())
		netdev_warn(dev,
			    "%s request timed out: the application did not answer within %u ms\n",
			    kni_req_names[type], READ_ONCE(kni_request_timeout_ms.val));
	return -ETIMEDOUT;
}

/*
 * ndo_set_mac_address: ask the application about @addr and return; the
 * address is committed when it accepts (the last change asked wins).
 */
int kni_req_mac(struct kni_dev *kni, const u8 *addr)
{
	s64 seq;

	spin_lock_bh(&kni->req_lock);
	seq = kni_req_post_locked(kni, RTE_KNI_REQ_CHANGE_MAC_ADDR, addr,
				  ETH_ALEN, 0);
	if (seq >= 0) {
		kni->mac_seq = seq;
		ether_addr_copy(kni->mac_addr, addr);
	}
	spin_unlock_bh(&kni->req_lock);
	return seq < 0 ? seq : 0;
}

/* The application answered a MAC change: commit it, or say it refused. */
void kni_req_mac_work(struct work_struct *work)
{
	struct kni_dev *kni = container_of(work, struct kni_dev, mac_work);
	struct net_device *dev = kni->netdev;
	struct sockaddr_storage ss = {};
	s32 result;
	int err;

	ss.ss_family = dev->type;	/* what dev_set_mac_address() checks */
	spin_lock_bh(&kni->req_lock);
	result = kni->mac_result;
	memcpy(ss.__data, kni->mac_addr, ETH_ALEN);
	spin_unlock_bh(&kni->req_lock);
	if (result) {
		netdev_info(dev, "the application refused MAC address %pM: %d\n",
			    ss.__data, result);
		return;
	}
	rtnl_lock();
	if (!kni->dead) {
		/* Through the core, so that its notifiers see the change. */
		kni->mac_commit = true;
		err = dev_set_mac_address_user(dev, &ss, NULL);
		kni->mac_commit = false;
		if (err)
			netdev_warn(dev, "MAC address %pM accepted by the application, not set: %d\n",
				    ss.__data, err);
	}
	rtnl_unlock();
}

/* The application kicked us: hand out the answers, wake the waiters. */
void kni_req_kick(struct kni_dev *kni)
{
	spin_lock_bh(&kni->req_lock);
	kni_req_drain_locked(kni);
	spin_unlock_bh(&kni->req_lock);
	wake_up_all(&kni->req_wq);
}

/* Teardown: fail every pending and future request at once. */
void kni_req_kill(struct kni_dev *kni)
{
	spin_lock_bh(&kni->req_lock);
	kni->dead = true;
	spin_unlock_bh(&kni->req_lock);
	wake_up_all(&kni->req_wq);
}

/*
 * Tell the application the multicast list changed, if it did since it last
 * accepted one and its library reads lists.  The request carries only the
 * count: the application reads the list as it is then (RTE_KNI_IOC_MC_LIST),
 * which may be newer than the one compared here; a list that changes again
 * queues this work again, so the last one always reaches it.
 */
static void kni_req_mc_list(struct kni_dev *kni)
{
	struct kni_mc *mc, *acked = kni->mc_acked;
	u32 n;

	if (!(READ_ONCE(kni->ctx->features) & RTE_KNI_FEAT_MC_LIST))
		return;
	mc = kmalloc(sizeof(*mc), GFP_KERNEL);
	if (!mc)
		return;		/* the next change tries again */
	mc->count = kni_net_mc_read(kni->netdev, mc->addr);
	n = min_t(u32, mc->count, RTE_KNI_MAX_MC_ADDRS);
	if (acked->count != mc->count ||
	    memcmp(acked->addr, mc->addr, n * ETH_ALEN)) {
		if (!kni_req_send(kni, RTE_KNI_REQ_CHANGE_MC_LIST, &mc->count,
				  sizeof(mc->count), KNI_REQ_WAIT))
			memcpy(acked, mc, sizeof(*mc));
	}
	kfree(mc);
}

/*
 * ndo_set_rx_mode cannot sleep; this tells the application about
 * promiscuous, allmulticast and multicast list changes.  Each is checked
 * every time, so changes of several in one go send each request.
 */
void kni_req_rx_mode_work(struct work_struct *work)
{
	struct kni_dev *kni = container_of(work, struct kni_dev, rx_mode_work);
	unsigned int flags = READ_ONCE(kni->netdev->flags);
	u8 promisc = !!(flags & IFF_PROMISC);
	u8 allmulti = !!(flags & IFF_ALLMULTI);

	if (promisc != kni->promisc_acked &&
	    !kni_req_send(kni, RTE_KNI_REQ_CHANGE_PROMISC, &promisc,
			  sizeof(promisc), KNI_REQ_WAIT))
		kni->promisc_acked = promisc;
	if (allmulti != kni->allmulti_acked &&
	    !kni_req_send(kni, RTE_KNI_REQ_CHANGE_ALLMULTI, &allmulti,
			  sizeof(allmulti), KNI_REQ_WAIT))
		kni->allmulti_acked = allmulti;
	kni_req_mc_list(kni);
}
