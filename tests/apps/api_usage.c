/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * api_usage.c - compile-and-link check of the whole rte_kni.h API as a
 * DPDK 22.11 application (examples/kni style) uses it: every type, field
 * and function, built with -DALLOW_EXPERIMENTAL_API like the example.
 * Running it only prints the layout facts; nothing touches /dev/kni.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_kni.h>

static int on_mtu(uint16_t port_id, unsigned int new_mtu)
{
	return port_id == 0 && new_mtu >= RTE_ETHER_MIN_MTU ? 0 : -EINVAL;
}

static int on_if(uint16_t port_id, uint8_t if_up)
{
	return port_id == 0 && if_up <= 1 ? 0 : -EINVAL;
}

static int on_mac(uint16_t port_id, uint8_t mac_addr[])
{
	return port_id == 0 && mac_addr ? 0 : -EINVAL;
}

static int on_flag(uint16_t port_id, uint8_t to_on)
{
	return port_id == 0 && to_on <= 1 ? 0 : -EINVAL;
}

static void on_offloads(uint16_t port_id, uint32_t offloads)
{
	printf("port %u: offloads %#x\n", port_id, offloads);
}

void kni_lifecycle(struct rte_mempool *pool, struct rte_mbuf **pkts);

/* The calls of examples/kni, in order; linked in, never run. */
void kni_lifecycle(struct rte_mempool *pool, struct rte_mbuf **pkts)
{
	struct rte_kni_ops ops;
	struct rte_kni_conf conf;
	struct rte_kni *kni;
	struct rte_eth_link link;
	unsigned int n;

	rte_kni_init(4);
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.name, RTE_KNI_NAMESIZE, "vEth%u_%u", 0, 0);
	conf.group_id = 0;
	conf.mbuf_size = 2048;
	conf.core_id = 1;
	conf.force_bind = 1;
	conf.addr.domain = 0;
	conf.id.vendor_id = 0x8086;
	rte_eth_macaddr_get(0, (struct rte_ether_addr *)&conf.mac_addr);
	rte_eth_dev_get_mtu(0, &conf.mtu);
	conf.min_mtu = RTE_ETHER_MIN_MTU;
	conf.max_mtu = 9000;

	memset(&ops, 0, sizeof(ops));
	ops.port_id = 0;
	ops.change_mtu = on_mtu;
	ops.config_network_if = on_if;
	ops.config_mac_address = on_mac;
	ops.config_promiscusity = on_flag;
	ops.config_allmulticast = on_flag;

	kni = rte_kni_alloc(pool, &conf, &ops);
	if (!kni)
		return;
	if (rte_kni_set_offloads(kni, RTE_KNI_OFFLOAD_TX_CSUM | RTE_KNI_OFFLOAD_TSO) >= 0)
		rte_kni_set_offload_handler(kni, on_offloads);
	n = rte_kni_tx_burst(kni, pkts, 32);
	rte_pktmbuf_free_bulk(&pkts[n], 32 - n);
	rte_kni_handle_request(kni);
	n = rte_kni_rx_burst(kni, pkts, 32);
	rte_pktmbuf_free_bulk(pkts, n);
	if (rte_kni_update_link(kni, 1) < 0)
		printf("%s: link update failed\n", rte_kni_get_name(kni));
	memset(&link, 0, sizeof(link));
	if (rte_kni_set_link(kni, &link) < 0)
		printf("%s: link update failed\n", rte_kni_get_name(kni));
	rte_kni_unregister_handlers(rte_kni_get(conf.name));
	rte_kni_register_handlers(kni, &ops);
	rte_kni_release(kni);
	rte_kni_close();
}

int main(void)
{
	printf("sizeof(struct rte_kni_conf)=%zu sizeof(struct rte_kni_ops)=%zu RTE_KNI_NAMESIZE=%d\n",
	       sizeof(struct rte_kni_conf), sizeof(struct rte_kni_ops),
	       RTE_KNI_NAMESIZE);
	return sizeof(struct rte_kni_conf) == 64 ? 0 : 1;
}
