/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_req.c - control requests from the kernel (ip link set vEth0 mtu/up/
 * address/promisc/allmulticast, the multicast list).  The kernel posts a
 * record on the req ring and sleeps until the same record, with its
 * result, comes back on the resp ring; it changes the interface only if the
 * result is 0.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "kni_internal.h"

static_assert(RTE_KNI_MC_ADDRS_MAX == RTE_KNI_MAX_MC_ADDRS,
	      "rte_kni.h and rte_kni_abi.h disagree on the multicast list");
static_assert(sizeof(struct rte_ether_addr) == 6, "rte_ether_addr size");

static int kni_default_mac(uint16_t port_id, const uint8_t *mac)
{
	struct rte_ether_addr addr;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -EINVAL;
	memcpy(addr.addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	KNI_LOG(INFO, "port %u: set MAC address " RTE_ETHER_ADDR_PRT_FMT,
		port_id, RTE_ETHER_ADDR_BYTES(&addr));
	return rte_eth_dev_default_mac_addr_set(port_id, &addr);
}

static int kni_default_promisc(uint16_t port_id, uint8_t on)
{
	if (!rte_eth_dev_is_valid_port(port_id))
		return -EINVAL;
	KNI_LOG(INFO, "port %u: promiscuous mode %s", port_id,
		on ? "on" : "off");
	return on ? rte_eth_promiscuous_enable(port_id) :
		    rte_eth_promiscuous_disable(port_id);
}

/*
 * All-multicast as the interface asks; while the multicast list needs it
 * (kni_default_mc()), turning it off waits for the list to shrink.
 */
static int kni_default_allmulti(struct rte_kni *kni, uint16_t port_id,
				uint8_t on)
{
	if (!rte_eth_dev_is_valid_port(port_id))
		return -EINVAL;
	KNI_LOG(INFO, "port %u: all-multicast mode %s%s", port_id,
		on ? "on" : "off",
		!on && kni->mc_allmulti ? " (kept for the multicast list)" : "");
	if (on)
		return rte_eth_allmulticast_enable(port_id);
	return kni->mc_allmulti ? 0 : rte_eth_allmulticast_disable(port_id);
}

/*
 * The port's multicast filter from the interface's list.  A list longer
 * than the kernel passes on, or a port that cannot filter, takes
 * all-multicast instead, which the interface's own all-multicast state
 * may hold as well.
 */
static int kni_default_mc(struct rte_kni *kni, uint16_t port_id,
			  struct rte_ether_addr *addrs, unsigned int n,
			  unsigned int total)
{
	uint8_t all = total > n;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -EINVAL;
	if (!all) {
		ret = rte_eth_dev_set_mc_addr_list(port_id, n ? addrs : NULL, n);
		if (ret == -ENOTSUP)
			all = n > 0;
		else if (ret)
			return ret;
	}
	KNI_LOG(INFO, "port %u: multicast list of %u addresses%s", port_id,
		total, all ? ", all-multicast" : "");
	if (all != kni->mc_allmulti && !kni->allmulti) {
		ret = all ? rte_eth_allmulticast_enable(port_id) :
			    rte_eth_allmulticast_disable(port_id);
		if (ret)
			return ret;
	}
	kni->mc_allmulti = all;
	return 0;
}

/*
 * The interface's multicast list: how many addresses it has, the first
 * min(max, that) of them in @addrs; or -errno.
 */
int kni_mc_read(const struct rte_kni *kni, struct rte_ether_addr *addrs,
		unsigned int max)
{
	struct rte_kni_mc_list mc;
	int ret;

	memset(&mc, 0, sizeof(mc));
	mc.ifindex = kni->ifindex;
	ret = kni_dev_ioctl(RTE_KNI_IOC_MC_LIST, &mc);
	if (ret < 0)
		return ret == -ENOTTY ? -ENOTSUP : ret;
	if (mc.count > INT32_MAX)
		return -EIO;
	max = RTE_MIN(max, RTE_MIN(mc.count, (uint32_t)RTE_KNI_MAX_MC_ADDRS));
	memcpy(addrs, mc.addr, max * sizeof(mc.addr[0]));
	return mc.count;
}

/* The list changed: the handler's answer, or the default's, or 0. */
static int kni_req_mc_list(struct rte_kni *kni, const struct rte_kni_ops *ops,
			   rte_kni_mc_list_t handler)
{
	struct rte_ether_addr addrs[RTE_KNI_MC_ADDRS_MAX];
	unsigned int n;
	int total;

	total = kni_mc_read(kni, addrs, RTE_KNI_MC_ADDRS_MAX);
	if (total < 0) {
		KNI_LOG(ERR, "%s: cannot read the multicast list: %s",
			kni->name, strerror(-total));
		return total;
	}
	n = RTE_MIN((unsigned int)total, (unsigned int)RTE_KNI_MC_ADDRS_MAX);
	if (handler)
		return handler(ops->port_id, addrs, n, total);
	if (ops->port_id == UINT16_MAX)
		return 0;
	return kni_default_mc(kni, ops->port_id, addrs, n, total);
}

/* Offloads changed (ethtool -K): already done, the handler follows it. */
static int kni_req_offloads(const struct rte_kni *kni, uint32_t offloads)
{
	rte_kni_offload_t handler = NULL;

	if (kni->offload_space == kni_dev_space())
		handler = kni->offload_handler;
	KNI_LOG(INFO, "%s: offloads now %#x", kni->name, offloads);
	if (handler)
		handler(kni->ops.port_id, offloads);
	return 0;
}

/*
 * The callbacks in @kni, if this process may call them: pointers set by
 * another DPDK process mean nothing here (the defaults still apply).
 */
static void kni_req_ops(const struct rte_kni *kni, struct rte_kni_ops *ops,
			rte_kni_mc_list_t *mc_handler)
{
	*ops = kni->ops;
	*mc_handler = kni->mc_space == kni_dev_space() ? kni->mc_handler : NULL;
	if (kni->mc_handler && !*mc_handler)
		KNI_LOG(DEBUG, "%s: multicast handler belongs to another process, not called",
			kni->name);
	if (kni->ops_space == kni_dev_space())
		return;
	if (ops->change_mtu || ops->config_network_if ||
	    ops->config_mac_address || ops->config_promiscusity ||
	    ops->config_allmulticast)
		KNI_LOG(DEBUG, "%s: callbacks belong to another process, not called",
			kni->name);
	ops->change_mtu = NULL;
	ops->config_network_if = NULL;
	ops->config_mac_address = NULL;
	ops->config_promiscusity = NULL;
	ops->config_allmulticast = NULL;
}

/* Result of one request: a callback's, a default's, or 0 (accepted). */
static int kni_req_dispatch(struct rte_kni *kni,
			    const struct rte_kni_request *rq)
{
	uint8_t mac[RTE_ETHER_ADDR_LEN];
	rte_kni_mc_list_t mc_handler;
	struct rte_kni_ops ops;
	int has_port, ret;

	kni_req_ops(kni, &ops, &mc_handler);
	has_port = ops.port_id != UINT16_MAX;
	switch (rq->type) {
	case RTE_KNI_REQ_CHANGE_MTU:
		return ops.change_mtu ?
		       ops.change_mtu(ops.port_id, rq->new_mtu) : 0;
	case RTE_KNI_REQ_CFG_NETWORK_IF:
		return ops.config_network_if ?
		       ops.config_network_if(ops.port_id, rq->if_up) : 0;
	case RTE_KNI_REQ_CHANGE_MAC_ADDR:
		memcpy(mac, rq->mac_addr, sizeof(mac));
		if (ops.config_mac_address)
			return ops.config_mac_address(ops.port_id, mac);
		return has_port ? kni_default_mac(ops.port_id, mac) : 0;
	case RTE_KNI_REQ_CHANGE_PROMISC:
		if (ops.config_promiscusity)
			return ops.config_promiscusity(ops.port_id,
						       rq->promiscuity);
		return has_port ?
		       kni_default_promisc(ops.port_id, rq->promiscuity) : 0;
	case RTE_KNI_REQ_CHANGE_ALLMULTI:
		if (ops.config_allmulticast)
			ret = ops.config_allmulticast(ops.port_id, rq->allmulti);
		else
			ret = has_port ? kni_default_allmulti(kni, ops.port_id,
							      rq->allmulti) : 0;
		if (!ret)
			kni->allmulti = !!rq->allmulti;
		return ret;
	case RTE_KNI_REQ_CHANGE_MC_LIST:
		return kni_req_mc_list(kni, &ops, mc_handler);
	case RTE_KNI_REQ_CHANGE_OFFLOADS:
		return kni_req_offloads(kni, rq->offloads);
	default:
		KNI_LOG(ERR, "%s: unknown request type %u", kni->name,
			rq->type);
		return -EINVAL;
	}
}

/* Answer at most one request; 0, or -1 if the answer cannot be queued. */
int kni_req_handle(struct rte_kni *kni, struct kni_local *l)
{
	struct kni_ring *req = kni_ring_get(kni, l, RTE_KNI_RING_REQ);
	struct kni_ring *resp = NULL;
	struct rte_kni_request rq;

	if (!kni_ring_count(req))
		return 0;
	memcpy(&rq, kni_ring_cons_slot(req, 0), sizeof(rq));
	if (!(rq.flags & RTE_KNI_REQ_ASYNC)) {
		resp = kni_ring_get(kni, l, RTE_KNI_RING_RESP);
		if (!kni_ring_free(resp)) {
			KNI_LOG(ERR, "%s: response ring full", kni->name);
			return -1;
		}
	}
	rq.result = kni_req_dispatch(kni, &rq);
	kni_ring_release(req, 1);
	kni_ring_put(kni, req, RTE_KNI_RING_REQ);
	if (!resp) {
		kni_dev_wakeup_if(l, req);
		return 0;
	}
	memcpy(kni_ring_prod_slot(resp, 0), &rq, sizeof(rq));
	kni_ring_submit(resp, 1);
	kni_ring_put(kni, resp, RTE_KNI_RING_RESP);
	/* the kernel sleeps on the answer: always kick it */
	kni_dev_wakeup(l);
	return 0;
}
