/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * port.c - the DPDK ports: setup, the KNI interfaces that stand for them,
 * and the kernel's requests (MTU, up/down, MAC) applied to them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_kni.h>

#include "kni_app.h"

static int port_start(uint16_t port_id)
{
	int ret;

	ret = rte_eth_dev_start(port_id);
	__atomic_store_n(&kni_app.port[port_id].started, !ret, __ATOMIC_RELAXED);
	return ret;
}

static int port_stop(uint16_t port_id)
{
	__atomic_store_n(&kni_app.port[port_id].started, false, __ATOMIC_RELAXED);
	return rte_eth_dev_stop(port_id);
}

/*
 * The largest MTU the port takes.  PMDs that leave max_mtu at its default
 * (UINT16_MAX, e1000 among them) state the limit as a frame length.
 */
static uint16_t port_max_mtu(const struct rte_eth_dev_info *info)
{
	uint32_t overhead = RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN;

	if (info->max_mtu != UINT16_MAX || info->max_rx_pktlen <= overhead)
		return info->max_mtu;
	return RTE_MIN(info->max_rx_pktlen - overhead, (uint32_t)UINT16_MAX);
}

#define PORT_TX_L4_CKSUM \
	(RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM)
#define PORT_TX_OFFLOADS \
	(PORT_TX_L4_CKSUM | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO)
#define PORT_RX_OFFLOADS \
	(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_CKSUM | \
	 RTE_ETH_RX_OFFLOAD_UDP_CKSUM)
/* What the GSO library needs of a port to cut TCP/IPv4 for it. */
#define PORT_TX_GSO \
	(RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
	 RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

/*
 * The kernel's work the port takes over: checksums both ways, and TCP
 * segmentation, by the port, or else by the GSO library here when the
 * port can at least finish the checksums of what it cuts (TCP/IPv4: the
 * library's only TCP before DPDK 23.07).
 */
static uint32_t kni_offloads(struct kni_port *p)
{
	uint32_t o = 0;

	p->gso = false;
	if ((p->tx_offloads & PORT_TX_L4_CKSUM) == PORT_TX_L4_CKSUM)
		o |= RTE_KNI_OFFLOAD_TX_CSUM;
	if (p->tx_offloads & RTE_ETH_TX_OFFLOAD_TCP_TSO) {
		o |= RTE_KNI_OFFLOAD_TSO | RTE_KNI_OFFLOAD_TSO6;
	} else if ((p->tx_offloads & PORT_TX_GSO) == PORT_TX_GSO) {
		o |= RTE_KNI_OFFLOAD_TSO;
		p->gso = true;
	}
	if ((p->rx_offloads & PORT_RX_OFFLOADS) == PORT_RX_OFFLOADS)
		o |= RTE_KNI_OFFLOAD_RX_CSUM;
	return o;
}

/* ethtool -K on the interface: nothing of it needs the port changed. */
static void kni_offloads_changed(uint16_t port_id, uint32_t offloads)
{
	printf("kni: port %u: offloads now %#x\n", port_id, offloads);
}

/*
 * Configure one RX and one TX queue and start the port.  mtu 0 keeps the
 * port's current MTU.  Frames longer than an mbuf need scattered receive,
 * and the kernel hands over chained mbufs for them, so multi-segment
 * transmit is asked for whenever the port can do it.
 */
static int port_setup(uint16_t port_id, uint16_t mtu)
{
	uint16_t nb_rxd = KNI_NB_RXD, nb_txd = KNI_NB_TXD;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxq;
	struct rte_eth_txconf txq;
	uint32_t frame;
	int ret;

	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret)
		return ret;
	if (!mtu && rte_eth_dev_get_mtu(port_id, &mtu))
		mtu = RTE_ETHER_MTU;
	conf.rxmode.mtu = mtu;
	/* Link changes by interrupt where the PMD can: the monitor reacts at once. */
	if (*info.dev_flags & RTE_ETH_DEV_INTR_LSC)
		conf.intr_conf.lsc = 1;
	frame = mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN + 2 * 4;	/* two VLAN tags */
	if (frame > KNI_MBUF_DATA_SIZE - RTE_PKTMBUF_HEADROOM &&
	    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER))
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	/* What the port can do of the kernel's work (kni_offloads()). */
	conf.txmode.offloads |= info.tx_offload_capa & PORT_TX_OFFLOADS;
	if (!(conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS))
		conf.txmode.offloads &= ~RTE_ETH_TX_OFFLOAD_TCP_TSO;
	conf.rxmode.offloads |= info.rx_offload_capa & PORT_RX_OFFLOADS;
	kni_app.port[port_id].tx_offloads = conf.txmode.offloads;
	kni_app.port[port_id].rx_offloads = conf.rxmode.offloads;

	ret = rte_eth_dev_configure(port_id, 1, 1, &conf);
	if (ret)
		return ret;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (ret)
		return ret;
	rxq = info.default_rxconf;
	rxq.offloads = conf.rxmode.offloads;
	ret = rte_eth_rx_queue_setup(port_id, 0, nb_rxd,
				     rte_eth_dev_socket_id(port_id), &rxq,
				     kni_app.pool);
	if (ret)
		return ret;
	txq = info.default_txconf;
	txq.offloads = conf.txmode.offloads;
	ret = rte_eth_tx_queue_setup(port_id, 0, nb_txd,
				     rte_eth_dev_socket_id(port_id), &txq);
	if (ret)
		return ret;
	return port_start(port_id);
}

/* EAL interrupt thread: only hand the news to the monitor thread. */
static int port_lsc_event(uint16_t port_id, enum rte_eth_event_type type,
			  void *arg, void *ret_param)
{
	(void)port_id;
	(void)type;
	(void)arg;
	(void)ret_param;
	kni_monitor_kick();
	return 0;
}

int kni_port_init(uint16_t port_id)
{
	int ret;

	ret = rte_eth_dev_callback_register(port_id, RTE_ETH_EVENT_INTR_LSC,
					    port_lsc_event, NULL);
	if (ret)
		return ret;
	ret = port_setup(port_id, 0);
	if (ret) {
		fprintf(stderr, "kni: port %u: setup failed: %s\n", port_id,
			rte_strerror(-ret));
		return ret;
	}
	if (kni_app.promiscuous) {
		ret = rte_eth_promiscuous_enable(port_id);
		if (ret) {
			fprintf(stderr, "kni: port %u: promiscuous mode: %s\n",
				port_id, rte_strerror(-ret));
			return ret;
		}
	}
	return 0;
}

void kni_port_close(uint16_t port_id)
{
	struct kni_port *p = &kni_app.port[port_id];
	unsigned int i;

	for (i = 0; i < p->nb_kni; i++)
		if (rte_kni_release(p->kni[i]))
			fprintf(stderr, "kni: releasing %s failed\n",
				rte_kni_get_name(p->kni[i]));
	p->nb_kni = 0;
	rte_eth_dev_callback_unregister(port_id, RTE_ETH_EVENT_INTR_LSC,
					port_lsc_event, NULL);
	port_stop(port_id);
	rte_eth_dev_close(port_id);
}

/* ---- requests from the kernel, answered on the port's RX lcore ---- */

static bool port_known(uint16_t port_id)
{
	if (port_id < RTE_MAX_ETHPORTS && kni_app.port[port_id].enabled)
		return true;
	fprintf(stderr, "kni: request for unknown port %u\n", port_id);
	return false;
}

/* A port that refuses the new MTU goes back to the old one. */
static int kni_change_mtu(uint16_t port_id, unsigned int mtu)
{
	uint16_t old;
	int ret;

	if (!port_known(port_id) || mtu > UINT16_MAX)
		return -EINVAL;
	if (rte_eth_dev_get_mtu(port_id, &old))
		old = RTE_ETHER_MTU;
	printf("kni: port %u: MTU %u\n", port_id, mtu);
	kni_datapath_pause();
	port_stop(port_id);
	ret = port_setup(port_id, mtu);
	if (ret && port_setup(port_id, old))
		fprintf(stderr, "kni: port %u: cannot restart with MTU %u either\n",
			port_id, old);
	kni_datapath_resume();
	if (ret)
		fprintf(stderr, "kni: port %u: MTU %u: %s\n", port_id, mtu,
			rte_strerror(-ret));
	return ret;
}

static int kni_config_network_if(uint16_t port_id, uint8_t if_up)
{
	int ret;

	if (!port_known(port_id))
		return -EINVAL;
	printf("kni: port %u: %s\n", port_id, if_up ? "up" : "down");
	kni_datapath_pause();
	ret = port_stop(port_id);
	if (if_up)
		ret = port_start(port_id);
	kni_datapath_resume();
	if (ret)
		fprintf(stderr, "kni: port %u: %s: %s\n", port_id,
			if_up ? "start" : "stop", rte_strerror(-ret));
	return ret;
}

static int kni_config_mac_address(uint16_t port_id, uint8_t mac[])
{
	struct rte_ether_addr addr;
	char text[RTE_ETHER_ADDR_FMT_SIZE];
	int ret;

	if (!port_known(port_id))
		return -EINVAL;
	memcpy(addr.addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	rte_ether_format_addr(text, sizeof(text), &addr);
	printf("kni: port %u: MAC address %s\n", port_id, text);
	kni_datapath_pause();
	ret = rte_eth_dev_default_mac_addr_set(port_id, &addr);
	kni_datapath_resume();
	if (ret)
		fprintf(stderr, "kni: port %u: MAC address %s: %s\n", port_id,
			text, rte_strerror(-ret));
	return ret;
}

/*
 * One interface per kernel-thread lcore, or vEth<port> alone.  Only the
 * first interface of a port carries the callbacks: the others share its
 * port, which must not be reconfigured twice for one change.
 */
int kni_port_alloc_kni(uint16_t port_id)
{
	struct kni_port *p = &kni_app.port[port_id];
	unsigned int i, n = p->nb_lcore_k ? p->nb_lcore_k : 1;
	struct rte_eth_dev_info info;
	struct rte_kni_conf conf;
	struct rte_ether_addr mac;
	uint16_t mtu;
	int ret;

	ret = rte_eth_dev_info_get(port_id, &info);
	if (!ret)
		ret = rte_eth_macaddr_get(port_id, &mac);
	if (!ret)
		ret = rte_eth_dev_get_mtu(port_id, &mtu);
	if (ret) {
		fprintf(stderr, "kni: port %u: %s\n", port_id, rte_strerror(-ret));
		return ret;
	}

	for (i = 0; i < n; i++) {
		struct rte_kni_ops ops = {
			.port_id		= port_id,
			.change_mtu		= kni_change_mtu,
			.config_network_if	= kni_config_network_if,
			.config_mac_address	= kni_config_mac_address,
			/* promiscuous, all-multicast: the library's defaults */
		};

		memset(&conf, 0, sizeof(conf));
		if (p->nb_lcore_k) {
			snprintf(conf.name, sizeof(conf.name), "vEth%u_%u", port_id, i);
			conf.core_id = p->lcore_k[i];
			conf.force_bind = 1;
		} else {
			snprintf(conf.name, sizeof(conf.name), "vEth%u", port_id);
		}
		conf.group_id = port_id;
		conf.mbuf_size = KNI_MBUF_DATA_SIZE - RTE_PKTMBUF_HEADROOM;
		memcpy(conf.mac_addr, mac.addr_bytes, RTE_ETHER_ADDR_LEN);
		conf.mtu = mtu;
		/* Some PMDs (e1000: 46) go below what a Linux netdev takes (68). */
		conf.min_mtu = RTE_MAX(info.min_mtu, (uint16_t)RTE_ETHER_MIN_MTU);
		conf.max_mtu = port_max_mtu(&info);

		p->kni[i] = rte_kni_alloc(kni_app.pool, &conf, i ? NULL : &ops);
		if (!p->kni[i]) {
			fprintf(stderr, "kni: port %u: cannot create %s (MTU %u, %u..%u): %s\n",
				port_id, conf.name, conf.mtu, conf.min_mtu,
				conf.max_mtu, rte_strerror(rte_errno));
			return -1;
		}
		p->nb_kni++;
		printf("kni: %s created for port %u\n", conf.name, port_id);
		p->kni_offloads = kni_offloads(p);
		ret = rte_kni_set_offloads(p->kni[i], p->kni_offloads);
		if (ret < 0) {
			/* an older rte_kni.ko: the kernel does it all */
			printf("kni: %s: no offloads: %s\n", conf.name,
			       rte_strerror(rte_errno));
			p->kni_offloads = 0;
			p->gso = false;
			continue;
		}
		rte_kni_set_offload_handler(p->kni[i], kni_offloads_changed);
		printf("kni: %s: offloads %#x on%s\n", conf.name, (unsigned int)ret,
		       p->gso ? ", TSO cut by the GSO library" : "");
	}
	return 0;
}

/*
 * Forwarding starts once the links are up (or after 9 s): transmitting
 * on an e1000 whose link is still negotiating loses the first bursts.
 */
void kni_ports_wait_link(void)
{
	struct rte_eth_link link;
	char text[RTE_ETH_LINK_MAX_STR_LEN];
	unsigned int tries;
	bool all_up = false;
	uint16_t id;

	for (tries = 0; tries < 90 && !all_up && !kni_quit; tries++) {
		all_up = true;
		kni_foreach_port(id) {
			if (kni_port_link_get(id, &link) || !link.link_status)
				all_up = false;
		}
		if (!all_up)
			rte_delay_ms(100);
	}
	kni_foreach_port(id) {
		if (kni_port_link_get(id, &link))
			memset(&link, 0, sizeof(link));
		rte_eth_link_to_str(text, sizeof(text), &link);
		printf("kni: port %u: %s\n", id, text);
	}
}
