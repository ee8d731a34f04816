// SPDX-License-Identifier: GPL-2.0
/*
 * kni_dev.c - creating and destroying KNI interfaces and their rings.
 *
 * The rings live in one area of pages per interface, which the
 * application maps through mmap() on /dev/kni.  Each ring's producer,
 * consumer and flags words get a cache line of their own so the two sides
 * never write the same line.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kni.h"

/* mmap offset of an interface's rings: its ifindex in the high bits. */
#define KNI_MMAP_SHIFT	32

static u32 kni_ring_entry_size(enum rte_kni_ring_id id)
{
	return id == RTE_KNI_RING_REQ || id == RTE_KNI_RING_RESP ?
	       sizeof(struct rte_kni_request) : sizeof(u64);
}

static void kni_ring_pages_free(struct kni_dev *kni)
{
	unsigned int i;

	vunmap(kni->ring_mem);
	/* Pages still mapped by the application stay until it unmaps them. */
	for (i = 0; i < kni->ring_npages && kni->ring_pages[i]; i++)
		put_page(kni->ring_pages[i]);
	kvfree(kni->ring_pages);
}

/*
 * The rings' memory, zeroed and charged to the memory cgroup of the
 * process that creates the interface: page by page, so that no
 * high-order allocation can fail, and mapped into the kernel with vmap()
 * and into the application by kni_mmap().
 */
static int kni_ring_pages_alloc(struct kni_dev *kni)
{
	unsigned int i, n = kni->ring_mem_size >> PAGE_SHIFT;

	kni->ring_pages = kvcalloc(n, sizeof(*kni->ring_pages), GFP_KERNEL_ACCOUNT);
	if (!kni->ring_pages)
		return -ENOMEM;
	kni->ring_npages = n;
	for (i = 0; i < n; i++) {
		kni->ring_pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!kni->ring_pages[i])
			goto err;
	}
	kni->ring_mem = vmap(kni->ring_pages, n, VM_MAP, PAGE_KERNEL);
	if (!kni->ring_mem)
		goto err;
	return 0;

err:
	kni_ring_pages_free(kni);	/* vunmap(NULL) is a no-op */
	return -ENOMEM;
}

static int kni_rings_alloc(struct kni_dev *kni, u32 ring_size, u32 req_size)
{
	u64 off = 0;
	int id, err;

	for (id = 0; id < RTE_KNI_RING_COUNT; id++) {
		struct rte_kni_ring_off *ro = &kni->ring_off[id];
		bool req = id == RTE_KNI_RING_REQ || id == RTE_KNI_RING_RESP;

		ro->producer = off;
		ro->consumer = off + RTE_KNI_CACHE_LINE;
		ro->flags = off + 2 * RTE_KNI_CACHE_LINE;
		ro->desc = off + 3 * RTE_KNI_CACHE_LINE;
		ro->size = req ? req_size : ring_size;
		ro->entry_size = kni_ring_entry_size(id);
		off = ALIGN(ro->desc + (u64)ro->size * ro->entry_size,
			    RTE_KNI_CACHE_LINE);
	}
	kni->ring_mem_size = PAGE_ALIGN(off);
	err = kni_ring_pages_alloc(kni);
	if (err)
		return err;

	kni_ring_init(&kni->rx, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_RX], 0);
	kni_ring_init(&kni->free, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_FREE], 0);
	kni_ring_init(&kni->alloc, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_ALLOC], 0);
	kni_ring_init(&kni->tx, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_TX], 0);
	kni_ring_init(&kni->req, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_REQ], 0);
	kni_ring_init(&kni->resp, kni->ring_mem, &kni->ring_off[RTE_KNI_RING_RESP], 0);
	return 0;
}

static int kni_check_name(const char *name)
{
	size_t len = strnlen(name, RTE_KNI_NAMESIZE);

	if (len == RTE_KNI_NAMESIZE || !dev_valid_name(name) || strchr(name, '%'))
		return -EINVAL;
	return 0;
}

static int kni_check_create(const struct rte_kni_create *c)
{
	u32 min = c->min_mtu, max = c->max_mtu, mtu = c->mtu;

	if (kni_check_name(c->name))
		return -EINVAL;
	if (!kni_ring_size_valid(c->ring_size) ||
	    !kni_ring_size_valid(c->req_ring_size))
		return -EINVAL;
	if (c->flags & ~(RTE_KNI_CREATE_FORCE_BIND | RTE_KNI_CREATE_RANDOM_MAC))
		return -EINVAL;
	if ((c->flags & RTE_KNI_CREATE_FORCE_BIND) &&
	    (c->core_id >= nr_cpu_ids || !cpu_online(c->core_id)))
		return -EINVAL;
	if (!min)
		min = ETH_MIN_MTU;
	if (!max)
		max = ETH_MAX_MTU;
	if (!mtu)
		mtu = ETH_DATA_LEN;
	if (min < ETH_MIN_MTU || max > ETH_MAX_MTU || min > max ||
	    mtu < min || mtu > max)
		return -EINVAL;
	return 0;
}

void kni_dev_fill_info(const struct kni_dev *kni, struct rte_kni_create *out)
{
	out->ifindex = kni->netdev->ifindex;
	out->mmap_size = kni->ring_mem_size;
	out->mmap_offset = (u64)kni->netdev->ifindex << KNI_MMAP_SHIFT;
	memcpy(out->ring, kni->ring_off, sizeof(out->ring));
	memcpy(out->mac_addr, kni->netdev->dev_addr, ETH_ALEN);
}

/*
 * Undo everything from register_netdev() on: the one way an interface
 * goes, whether its creation failed late or it is destroyed.  It is off
 * the file's list and not polled any more.  Caller holds ctx->lock, not
 * rtnl.
 */
static void kni_dev_teardown(struct kni_dev *kni)
{
	struct net_device *dev = kni->netdev;

	/* Waiters holding rtnl return now instead of after the timeout. */
	kni_req_kill(kni);
	cancel_work_sync(&kni->rx_mode_work);
	cancel_work_sync(&kni->mac_work);	/* takes rtnl: not under it */
	unregister_netdev(dev);		/* stops NAPI and tx via kni_stop */
	/* unregister may have scheduled rx_mode_work again; it finds dead. */
	cancel_work_sync(&kni->rx_mode_work);
	cancel_delayed_work_sync(&kni->tx_stall_work);
	kfree(kni->mc_acked);
	kni_net_return_stash(kni);
	kni_ring_pages_free(kni);
	free_netdev(dev);
}

/* Caller holds ctx->lock and has checked CAP_NET_ADMIN. */
int kni_dev_create(struct kni_ctx *ctx, struct rte_kni_create *c)
{
	struct net_device *dev;
	struct kni_dev *kni;
	int err;

	err = kni_check_create(c);
	if (err)
		return err;
	if (ctx->ndevs >= READ_ONCE(kni_max_interfaces.val))
		return -ENOSPC;

	dev = alloc_netdev(sizeof(*kni), c->name, NET_NAME_USER, kni_net_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, ctx->net);
	kni = netdev_priv(dev);
	kni->ctx = ctx;
	strscpy(kni->name, c->name, sizeof(kni->name));
	spin_lock_init(&kni->req_lock);
	INIT_LIST_HEAD(&kni->waiters);
	init_waitqueue_head(&kni->req_wq);
	INIT_WORK(&kni->rx_mode_work, kni_req_rx_mode_work);
	INIT_WORK(&kni->mac_work, kni_req_mac_work);
	INIT_DELAYED_WORK(&kni->tx_stall_work, kni_net_stall_work);
	kni->core_id = c->core_id;
	kni->force_bind = c->flags & RTE_KNI_CREATE_FORCE_BIND;

	err = kni_layout_check(&c->layout, &kni->layout);
	if (err)
		goto err_free_netdev;
	kni->mctx.mem = &ctx->mem;
	kni->mctx.layout = &kni->layout;
	kni->mctx.dev = dev;
	kni->mctx.napi = &kni->napi;

	/* Charged to the creator, as the rings are. */
	kni->mc_acked = kzalloc(sizeof(*kni->mc_acked), GFP_KERNEL_ACCOUNT);
	if (!kni->mc_acked) {
		err = -ENOMEM;
		goto err_free_netdev;
	}

	err = kni_rings_alloc(kni, c->ring_size, c->req_ring_size);
	if (err)
		goto err_free_mc;

	if (c->mtu)
		dev->mtu = c->mtu;
	dev->min_mtu = c->min_mtu ? c->min_mtu : ETH_MIN_MTU;
	dev->max_mtu = c->max_mtu ? c->max_mtu : ETH_MAX_MTU;
	kni->tx_reserve = 1;
	if (!(c->flags & RTE_KNI_CREATE_RANDOM_MAC) &&
	    is_valid_ether_addr(c->mac_addr))
		eth_hw_addr_set(dev, c->mac_addr);
	else
		eth_hw_addr_random(dev);

	/*
	 * Receive runs in its own kernel thread (napi/NAME-N), which the
	 * scheduler may put on any CPU, not in the softirq of the CPU that
	 * kicked it: that is the application's polling lcore, which would
	 * then carry the whole stack.  /sys/class/net/NAME/threaded turns it
	 * back into softirq NAPI.  Not registered yet: no rtnl needed.
	 * Kernels without threaded NAPI (before 5.12) keep softirq NAPI.
	 */
	err = dev_set_threaded(dev, NETDEV_NAPI_THREADED_ENABLED);
	if (err == -EOPNOTSUPP)
		pr_info_once("rte_kni: this kernel has no threaded NAPI: receive runs in the softirq of the CPU that kicks it\n");
	else if (err)
		goto err_free_rings;

	err = register_netdev(dev);
	if (err)
		goto err_free_rings;
	netif_carrier_off(dev);

	err = kni_poll_add(kni);
	if (err) {
		/*
		 * Registered: the stack may have used it already, so it
		 * goes the way every interface goes.
		 */
		kni_dev_teardown(kni);
		return err;
	}

	list_add_tail(&kni->ctx_node, &ctx->devs);
	ctx->ndevs++;
	kni_dev_fill_info(kni, c);
	return 0;

err_free_rings:
	kni_ring_pages_free(kni);
err_free_mc:
	kfree(kni->mc_acked);
err_free_netdev:
	free_netdev(dev);
	return err;
}

/* Caller holds ctx->lock. */
static void kni_dev_destroy(struct kni_dev *kni)
{
	list_del(&kni->ctx_node);
	kni->ctx->ndevs--;
	kni_poll_del(kni);
	kni_dev_teardown(kni);
}

/*
 * Stop the interface and make sure free_q can take back every mbuf the
 * transmit stash holds.  If it cannot, -EAGAIN: the interface stays down,
 * and the application drains free_q and asks again.  Caller holds
 * ctx->lock.
 */
static int kni_dev_quiesce(struct kni_dev *kni)
{
	struct net_device *dev = kni->netdev;

	rtnl_lock();
	dev_close(dev);			/* NAPI off, the qdisc drained */
	rtnl_unlock();
	/* A sender that bypasses the qdisc finishes under the tx lock. */
	netif_tx_disable(dev);
	if (kni->stash.nr > kni_ring_free(&kni->free))
		return -EAGAIN;
	return 0;
}

/* Caller holds ctx->lock. */
int kni_dev_release(struct kni_ctx *ctx, const char *name)
{
	struct kni_dev *kni;
	int err;

	if (kni_check_name(name))
		return -EINVAL;
	list_for_each_entry(kni, &ctx->devs, ctx_node) {
		if (!strcmp(kni->name, name)) {
			err = kni_dev_quiesce(kni);
			if (err)
				return err;
			kni_dev_destroy(kni);
			return 0;
		}
	}
	return -ENODEV;
}

/* File release: no ioctl can run any more. */
void kni_dev_release_all(struct kni_ctx *ctx)
{
	struct kni_dev *kni, *tmp;

	mutex_lock(&ctx->lock);
	list_for_each_entry_safe(kni, tmp, &ctx->devs, ctx_node)
		kni_dev_destroy(kni);
	mutex_unlock(&ctx->lock);
}

/*
 * Look a KNI interface up by ifindex in the file's namespace and hold a
 * reference to its net_device (*ref, release with dev_put()).  The rings
 * stay valid while the reference is held: unregister waits for it.
 */
struct kni_dev *kni_dev_get(struct kni_ctx *ctx, int ifindex,
			    struct net_device **ref)
{
	struct net_device *dev = dev_get_by_index(ctx->net, ifindex);

	if (!dev)
		return NULL;
	if (!kni_is_kni(dev)) {
		dev_put(dev);
		return NULL;
	}
	*ref = dev;
	return netdev_priv(dev);
}

/* The same, by the name it was created with (it may have been renamed). */
struct kni_dev *kni_dev_find(struct kni_ctx *ctx, const char *name,
			     struct net_device **ref)
{
	struct net_device *dev;
	struct kni_dev *kni = NULL;

	if (kni_check_name(name))
		return NULL;
	rcu_read_lock();
	for_each_netdev_rcu(ctx->net, dev) {
		if (kni_is_kni(dev) &&
		    !strcmp(((struct kni_dev *)netdev_priv(dev))->name, name)) {
			dev_hold(dev);
			*ref = dev;
			kni = netdev_priv(dev);
			break;
		}
	}
	rcu_read_unlock();
	return kni;
}
