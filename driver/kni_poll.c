// SPDX-License-Identifier: GPL-2.0
/*
 * kni_poll.c - the optional busy-poll schedulers (kthread_mode=single or
 * multiple), kept for users of the original KNI who dedicate a core to it.
 *
 * They do not move packets themselves: they look at the rings every
 * min..max_scheduling_interval microseconds and schedule the interface's
 * NAPI, which does the work exactly as when the application kicks it.
 * With a poller running, NAPI never asks for a kick (kni_poll_busy()).
 */
#include <linux/delay.h>
#include <linux/error-injection.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/rculist.h>

#include "kni.h"

enum kni_poll_mode {
	KNI_POLL_NONE,
	KNI_POLL_SINGLE,
	KNI_POLL_MULTIPLE,
};

static unsigned long min_scheduling_interval = 100;
module_param(min_scheduling_interval, ulong, 0644);
MODULE_PARM_DESC(min_scheduling_interval,
		 "Busy-poll schedulers: shortest sleep between rounds (us, default 100)");

static unsigned long max_scheduling_interval = 200;
module_param(max_scheduling_interval, ulong, 0644);
MODULE_PARM_DESC(max_scheduling_interval,
		 "Busy-poll schedulers: longest sleep between rounds (us, default 200)");

static const char * const kni_poll_mode_names[] = {
	[KNI_POLL_NONE]		= "none",
	[KNI_POLL_SINGLE]	= "single",
	[KNI_POLL_MULTIPLE]	= "multiple",
};
static struct kni_choice kni_poll_mode = KNI_CHOICE(kni_poll_mode_names);
module_param_cb(kthread_mode, &kni_choice_ops, &kni_poll_mode, 0444);
MODULE_PARM_DESC(kthread_mode,
		 "Busy-poll scheduler: \"none\" (default, NAPI with need-wakeup), \"single\" (one thread for all interfaces) or \"multiple\" (one per interface)");

static DEFINE_MUTEX(kni_poll_lock);	/* kni_poll_list writers, single thread */
static LIST_HEAD(kni_poll_list);	/* RCU */
static struct task_struct *kni_poll_single;

bool kni_poll_busy(void)
{
	return kni_poll_mode.val != KNI_POLL_NONE;
}

/* Does the interface have anything for NAPI or a request waiter to do? */
static void kni_poll_one(struct kni_dev *kni)
{
	if (!netif_running(kni->netdev))
		return;
	/* Peeking at the shared producer words only; NAPI owns the rings. */
	if (READ_ONCE(*kni->rx.producer) != READ_ONCE(kni->rx.head) ||
	    (netif_queue_stopped(kni->netdev) &&
	     READ_ONCE(*kni->alloc.producer) != READ_ONCE(kni->alloc.head)) ||
	    READ_ONCE(*kni->resp.producer) != READ_ONCE(kni->resp.head))
		kni_net_kick(kni);
}

static void kni_poll_sleep(void)
{
	unsigned long lo = READ_ONCE(min_scheduling_interval);
	unsigned long hi = READ_ONCE(max_scheduling_interval);

	usleep_range(lo, max(lo + 1, hi));
}

static int kni_poll_single_fn(void *unused)
{
	struct kni_dev *kni;

	while (!kthread_should_stop()) {
		rcu_read_lock();
		list_for_each_entry_rcu(kni, &kni_poll_list, poll_node)
			kni_poll_one(kni);
		rcu_read_unlock();
		kni_poll_sleep();
	}
	return 0;
}

static int kni_poll_multiple_fn(void *data)
{
	struct kni_dev *kni = data;

	while (!kthread_should_stop()) {
		kni_poll_one(kni);
		kni_poll_sleep();
	}
	return 0;
}

/* Threads are named kni_<suffix>, as in the original. */
static struct task_struct *kni_poll_start(int (*fn)(void *), void *data,
					  const char *suffix, struct kni_dev *kni)
{
	struct task_struct *t = kthread_create(fn, data, "kni_%s", suffix);

	if (IS_ERR(t))
		return t;
	if (kni->force_bind)
		kthread_bind(t, kni->core_id);
	wake_up_process(t);
	return t;
}

int kni_poll_add(struct kni_dev *kni)
{
	struct task_struct *t;
	int err = 0;

	switch (kni_poll_mode.val) {
	case KNI_POLL_NONE:
		return 0;
	case KNI_POLL_MULTIPLE:
		t = kni_poll_start(kni_poll_multiple_fn, kni, kni->name, kni);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kni->poller = t;
		return 0;
	case KNI_POLL_SINGLE:
		break;
	}

	mutex_lock(&kni_poll_lock);
	/* Like the original: the first interface decides the binding. */
	if (!kni_poll_single) {
		t = kni_poll_start(kni_poll_single_fn, NULL, "single", kni);
		if (IS_ERR(t))
			err = PTR_ERR(t);
		else
			kni_poll_single = t;
	}
	if (!err)
		list_add_tail_rcu(&kni->poll_node, &kni_poll_list);
	mutex_unlock(&kni_poll_lock);
	return err;
}

/*
 * The last step of creating an interface that can fail: on a kernel with
 * CONFIG_FAIL_FUNCTION the tests make it fail (tests/stress/unwind.sh).
 */
ALLOW_ERROR_INJECTION(kni_poll_add, ERRNO);

void kni_poll_del(struct kni_dev *kni)
{
	switch (kni_poll_mode.val) {
	case KNI_POLL_NONE:
		return;
	case KNI_POLL_MULTIPLE:
		kthread_stop(kni->poller);
		return;
	case KNI_POLL_SINGLE:
		break;
	}
	mutex_lock(&kni_poll_lock);
	list_del_rcu(&kni->poll_node);
	mutex_unlock(&kni_poll_lock);
	synchronize_rcu();	/* the thread no longer looks at kni */
}

const char *kni_poll_mode_name(void)
{
	return kni_poll_mode_names[kni_poll_mode.val];
}

int kni_poll_init(void)
{
	if (min_scheduling_interval > max_scheduling_interval ||
	    max_scheduling_interval > USEC_PER_SEC) {
		pr_err("scheduling interval %lu..%lu us: need min <= max <= 1000000\n",
		       min_scheduling_interval, max_scheduling_interval);
		return -EINVAL;
	}
	return 0;
}

/* Module exit: every file is closed, so every interface is gone. */
void kni_poll_exit(void)
{
	if (kni_poll_single)
		kthread_stop(kni_poll_single);
	kni_poll_single = NULL;
}
