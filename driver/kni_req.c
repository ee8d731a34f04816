// SPDX-License-Identifier: GPL-2.0
/*
 * kni_req.c - control requests to the application (MTU, up/down, MAC,
 * promiscuous, allmulti) and their answers.
 *
 * Several requests may be outstanding at once: each carries a sequence
 * number, the sender sleeps on req_wq, and whichever waiter wakes first
 * drains resp_q and hands every answer to the waiter it belongs to.  The
 * only lock involved is req_lock, a spinlock never held while sleeping, so
 * no request path waits on the application while holding something another
 * request path needs.  An answer that arrives after its sender gave up
 * matches no waiter and is dropped.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

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
};

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

/*
 * Send a request of @type with payload @arg to the application.  Unless
 * @async, wait (bounded by request_timeout_ms) for its answer and return
 * it: 0 when the application accepted, else a negative errno.
 */
int kni_req_send(struct kni_dev *kni, u32 type, const void *arg, size_t len,
		 bool async)
{
	struct kni_req_waiter w = { .done = false };
	unsigned long timeout;
	struct rte_kni_request *r;
	long left;

	spin_lock_bh(&kni->req_lock);
	if (kni->dead) {
		spin_unlock_bh(&kni->req_lock);
		return -ENODEV;
	}
	if (!kni_ring_free(&kni->req)) {
		spin_unlock_bh(&kni->req_lock);
		if (net_ratelimit())
			netdev_warn(kni->netdev,
				    "req_q full: the application is not handling requests\n");
		return -EBUSY;
	}
	w.seq = ++kni->req_seq;
	r = kni_ring_prod_slot(&kni->req, 0);
	memset(r, 0, sizeof(*r));
	r->seq = w.seq;
	r->type = type;
	r->flags = async ? RTE_KNI_REQ_ASYNC : 0;
	memcpy(r->raw, arg, min(len, sizeof(r->raw)));
	kni_ring_submit(&kni->req, 1);
	if (!async)
		list_add(&w.node, &kni->waiters);
	spin_unlock_bh(&kni->req_lock);

	if (async)
		return 0;

	timeout = msecs_to_jiffies(READ_ONCE(kni_request_timeout_ms));
	left = wait_event_interruptible_timeout(kni->req_wq,
						kni_req_answered(kni, &w),
						timeout);

	spin_lock_bh(&kni->req_lock);
	list_del(&w.node);
	spin_unlock_bh(&kni->req_lock);

	if (w.done)
		return w.result;
	if (kni->dead)
		return -ENODEV;
	if (left < 0)
		return left;
	atomic_long_inc(&kni->req_timeouts);
	if (net_ratelimit())
		netdev_warn(kni->netdev,
			    "%s request timed out: the application did not answer within %u ms\n",
			    kni_req_names[type], READ_ONCE(kni_request_timeout_ms));
	return -ETIMEDOUT;
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
 * ndo_set_rx_mode cannot sleep; this tells the application about
 * promiscuous and allmulticast changes.  Both flags are checked every time,
 * so a change of both in one go sends both requests.
 */
void kni_req_rx_mode_work(struct work_struct *work)
{
	struct kni_dev *kni = container_of(work, struct kni_dev, rx_mode_work);
	unsigned int flags = READ_ONCE(kni->netdev->flags);
	u8 promisc = !!(flags & IFF_PROMISC);
	u8 allmulti = !!(flags & IFF_ALLMULTI);

	if (promisc != kni->promisc_acked &&
	    !kni_req_send(kni, RTE_KNI_REQ_CHANGE_PROMISC, &promisc,
			  sizeof(promisc), false))
		kni->promisc_acked = promisc;
	if (allmulti != kni->allmulti_acked &&
	    !kni_req_send(kni, RTE_KNI_REQ_CHANGE_ALLMULTI, &allmulti,
			  sizeof(allmulti), false))
		kni->allmulti_acked = allmulti;
}
