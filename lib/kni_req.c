/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_req.c - control requests from the kernel (ip link set vEth0 mtu/up/
 * address/promisc/allmulticast).  The kernel posts a record on the req ring
 * and sleeps until the same record, with its result, comes back on the
 * resp ring; it changes the interface only if the result is 0.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "kni_internal.h"

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

static int kni_default_allmulti(uint16_t port_id, uint8_t on)
{
	if (!rte_eth_dev_is_valid_port(port_id))
		return -EINVAL;
	KNI_LOG(INFO, "port %u: all-multicast mode %s", port_id,
		on ? "on" : "off");
	return on ? rte_eth_allmulticast_enable(port_id) :
		    rte_eth_allmulticast_disable(port_id);
}

/*
 * The callbacks in @kni, if this process may call them: pointers set by
 * another DPDK process mean nothing here (the defaults still apply).
 */
static void kni_req_ops(const struct rte_kni *kni, struct rte_kni_ops *ops)
{
	*ops = kni->ops;
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
static int kni_req_dispatch(const struct rte_kni *kni,
			    const struct rte_kni_request *rq)
{
	uint8_t mac[RTE_ETHER_ADDR_LEN];
	int has_port;
	struct rte_kni_ops ops;

	kni_req_ops(kni, &ops);
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
			return ops.config_allmulticast(ops.port_id,
						       rq->allmulti);
		return has_port ?
		       kni_default_allmulti(ops.port_id, rq->allmulti) : 0;
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
