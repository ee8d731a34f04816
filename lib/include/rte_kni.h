/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_kni.h - Kernel NIC Interface: the DPDK 22.11 librte_kni API, provided
 * by rte-kni on top of an unmodified DPDK.
 *
 * A KNI is a Linux net device (vEth0, ...) whose packets come from and go to
 * a DPDK application: rte_kni_tx_burst() hands mbufs to the kernel stack,
 * rte_kni_rx_burst() returns what the stack sent, and
 * rte_kni_handle_request() lets the application accept or refuse MTU, link,
 * MAC, promiscuous and all-multicast changes made with ip(8), and follow the
 * interface's multicast list.
 *
 * Source compatible with the rte_kni.h of DPDK 22.11 (same types, layouts
 * and functions) and binary compatible with its librte_kni.so.23 exports;
 * built against a later DPDK, the library takes that release's ABI number
 * (librte_kni.so.25 and DPDK_25 for 24.11), as DPDK names its own.
 */
#ifndef _RTE_KNI_H_
#define _RTE_KNI_H_

#include <stdint.h>

#include <rte_compat.h>
#include <rte_pci.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an interface name, including the terminating NUL (IFNAMSIZ). */
#ifndef RTE_KNI_NAMESIZE
#define RTE_KNI_NAMESIZE 16
#endif

/** Opaque handle of one KNI interface. */
struct rte_kni;
struct rte_mbuf;

/**
 * Callbacks run by rte_kni_handle_request() for requests made on the
 * interface by the kernel (ip link set ...).  Each returns 0 to accept the
 * change or a negative errno to refuse it; a NULL callback accepts.
 */
struct rte_kni_ops {
	uint16_t port_id; /**< ethdev port the defaults act on, UINT16_MAX: none */

	/** Change the MTU. */
	int (*change_mtu)(uint16_t port_id, unsigned int new_mtu);

	/** Bring the interface up (if_up = 1) or down (0). */
	int (*config_network_if)(uint16_t port_id, uint8_t if_up);

	/** Set the MAC address (6 bytes). */
	int (*config_mac_address)(uint16_t port_id, uint8_t mac_addr[]);

	/** Turn promiscuous mode on (1) or off (0). */
	int (*config_promiscusity)(uint16_t port_id, uint8_t to_on);

	/** Turn all-multicast mode on (1) or off (0). */
	int (*config_allmulticast)(uint16_t port_id, uint8_t to_on);
};

/** Parameters of rte_kni_alloc(). */
struct rte_kni_conf {
	/** Interface name, NUL terminated, unique on the host. */
	char name[RTE_KNI_NAMESIZE];
	uint32_t core_id;   /**< core of the kernel poller (see force_bind) */
	uint16_t group_id;  /**< accepted and ignored */
	unsigned int mbuf_size; /**< accepted and ignored: the mbufs say */

	struct rte_pci_addr addr; /**< deprecated, ignored */
	struct rte_pci_id id;     /**< deprecated, ignored */

	/** Bind the kernel poller of this interface to core_id. */
	__extension__
	uint8_t force_bind : 1;
	/** MAC address; all zero (or not a unicast address) means random. */
	uint8_t mac_addr[RTE_ETHER_ADDR_LEN];
	uint16_t mtu;     /**< initial MTU, 0: 1500 */
	uint16_t min_mtu; /**< 0: 68 */
	uint16_t max_mtu; /**< 0: 65535 */
};

/**
 * Open the KNI control device.  Call once per process before any other
 * KNI function.
 *
 * @param max_kni_ifaces
 *   Ignored (kept for compatibility).
 * @return
 *   0 on success, -1 on error (the log says why, e.g. module not loaded).
 */
int rte_kni_init(unsigned int max_kni_ifaces);

/**
 * Create a KNI interface.  The mempool supplies the mbufs the kernel fills
 * (about 1024 of them stay queued for the kernel, so size it for more than
 * 2048 mbufs per interface).  Thread safe.
 *
 * @param pktmbuf_pool
 *   Packet mbuf pool used for packets from the kernel.
 * @param conf
 *   Interface configuration; conf->name must be set.
 * @param ops
 *   Request callbacks, or NULL for none.
 * @return
 *   The interface, or NULL with rte_errno set.
 */
struct rte_kni *rte_kni_alloc(struct rte_mempool *pktmbuf_pool,
			      const struct rte_kni_conf *conf,
			      struct rte_kni_ops *ops);

/**
 * Delete a KNI interface and free every mbuf still queued on it.
 *
 * @return
 *   0 on success, -1 on error.
 */
int rte_kni_release(struct rte_kni *kni);

/**
 * Answer at most one pending request from the kernel by calling the
 * matching callback (or a default for MAC, promiscuous and all-multicast
 * changes when ops.port_id is a port).  Call it regularly: the kernel
 * waits for the answer.
 *
 * @return
 *   0 on success (including when nothing was pending), -1 on error.
 */
int rte_kni_handle_request(struct rte_kni *kni);

/**
 * Receive packets the kernel stack sent on the interface.  Also keeps the
 * kernel supplied with empty mbufs.
 *
 * @return
 *   Number of mbufs stored in mbufs[], owned by the caller.
 */
unsigned int rte_kni_rx_burst(struct rte_kni *kni, struct rte_mbuf **mbufs,
			      unsigned int num);

/**
 * Send packets (single or chained mbufs) to the kernel stack.  The memory
 * of a mempool is registered with the kernel the first time one of its
 * mbufs is sent; the burst stops before the first mbuf whose pool the
 * kernel refused (logged once per pool), as it does when the ring is full.
 *
 * @return
 *   Number of mbufs taken; the caller still owns (and frees) the rest.
 */
unsigned int rte_kni_tx_burst(struct rte_kni *kni, struct rte_mbuf **mbufs,
			      unsigned int num);

/**
 * Look up an interface by name, also from a secondary process.
 *
 * @return
 *   The interface, or NULL.
 */
struct rte_kni *rte_kni_get(const char *name);

/**
 * @return
 *   The name of the interface.
 */
const char *rte_kni_get_name(const struct rte_kni *kni);

/**
 * Install request callbacks on an interface that has none.
 *
 * @return
 *   0 on success, -1 if kni or ops is NULL or callbacks are already set.
 */
int rte_kni_register_handlers(struct rte_kni *kni, struct rte_kni_ops *ops);

/**
 * Remove all request callbacks of an interface.
 *
 * @return
 *   0 on success, -1 if kni is NULL.
 */
int rte_kni_unregister_handlers(struct rte_kni *kni);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set the carrier of the interface (the link state the kernel sees),
 * whatever the interface is named now.  Set while the interface is down,
 * it applies when it goes up; going down forgets it (the module's carrier
 * parameter applies until the next call).
 *
 * @param linkup
 *   1: carrier on, 0: carrier off.
 * @return
 *   The previous link state (0 or 1), or -1 on error.
 */
__rte_experimental
int rte_kni_update_link(struct rte_kni *kni, unsigned int linkup);

struct rte_eth_link;

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set the whole link of the interface from a port's (rte_eth_link_get()):
 * the carrier from link_status, as rte_kni_update_link() does, and the
 * speed, duplex and autonegotiation that ethtool shows.
 *
 * @return
 *   The previous link state (0 or 1), or -1 with rte_errno set: EINVAL
 *   for a NULL argument or a speed the kernel cannot report, ENODEV when
 *   the interface is gone.
 */
__rte_experimental
int rte_kni_set_link(struct rte_kni *kni, const struct rte_eth_link *link);

/** Most multicast addresses of an interface the application is given. */
#define RTE_KNI_MC_ADDRS_MAX 256

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Handler of multicast list changes (ip maddr, a socket joining a group,
 * OSPF), run by rte_kni_handle_request() with the interface's list as it
 * is then.
 *
 * @param port_id
 *   The port_id of the interface's rte_kni_ops.
 * @param addrs
 *   The first nb_addrs multicast addresses of the interface.
 * @param nb_addrs
 *   How many are in addrs: at most RTE_KNI_MC_ADDRS_MAX.
 * @param total
 *   How many the interface has.  More than nb_addrs: the list does not
 *   fit, and the port should accept all multicast, as a NIC does when its
 *   filter is full.
 * @return
 *   0 to accept, or a negative errno (the kernel asks again on the next
 *   change).
 */
typedef int (*rte_kni_mc_list_t)(uint16_t port_id,
				 const struct rte_ether_addr *addrs,
				 unsigned int nb_addrs, unsigned int total);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set the handler of the interface's multicast list changes; NULL restores
 * the default.  Without a handler, an interface whose rte_kni_ops name a
 * valid port programs it: rte_eth_dev_set_mc_addr_list() with the list,
 * and all-multicast while the list is longer than RTE_KNI_MC_ADDRS_MAX or
 * the port cannot filter (then kept on whatever all-multicast requests
 * say).  rte_kni_unregister_handlers() removes it too.
 *
 * @return
 *   0, or -1 with rte_errno EINVAL if kni is NULL.
 */
__rte_experimental
int rte_kni_set_mc_handler(struct rte_kni *kni, rte_kni_mc_list_t handler);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Read the interface's multicast list as it is now.
 *
 * @param addrs
 *   Filled with the first min(max, RTE_KNI_MC_ADDRS_MAX, total) addresses;
 *   may be NULL if max is 0.
 * @return
 *   How many addresses the interface has (may exceed what was stored), or
 *   -1 with rte_errno set: EINVAL for bad arguments, ENODEV when the
 *   interface is gone, ENOTSUP when rte_kni.ko cannot tell.
 */
__rte_experimental
int rte_kni_get_mc_list(struct rte_kni *kni, struct rte_ether_addr *addrs,
			unsigned int max);

/**
 * @name Offloads
 * What the application's port does for the interface (rte_kni_set_offloads()).
 * They travel in each mbuf's ol_flags and tx_offload as DPDK's NICs use them.
 * @{
 */
/** Stack to application: mbufs with RTE_MBUF_F_TX_TCP_CKSUM or _UDP_CKSUM,
 * l2_len, l3_len and the pseudo-header checksum set, for the port to finish
 * (ethtool -K tx). */
#define RTE_KNI_OFFLOAD_TX_CSUM (1U << 0)
/** Stack to application: TCP/IPv4 segments of up to 64 KB with
 * RTE_MBUF_F_TX_TCP_SEG, l4_len and tso_segsz, for the port (or the GSO
 * library) to cut (ethtool -K tx-tcp-segmentation). */
#define RTE_KNI_OFFLOAD_TSO (1U << 1)
/** The same for TCP/IPv6 (ethtool -K tx-tcp6-segmentation). */
#define RTE_KNI_OFFLOAD_TSO6 (1U << 4)
/** Application to stack: the RTE_MBUF_F_RX_IP_CKSUM_* and
 * RTE_MBUF_F_RX_L4_CKSUM_* flags of received mbufs are trusted: GOOD
 * spares the stack the check, NONE (pseudo-header only) is finished if the
 * packet is forwarded, BAD is counted (ethtool -K rx). */
#define RTE_KNI_OFFLOAD_RX_CSUM (1U << 2)
/** Application to stack: mbuf chains with RTE_MBUF_F_RX_LRO and tso_segsz
 * (TCP segments the port coalesced, up to 64 KB) are taken whole
 * (ethtool -K rx-gro-hw). */
#define RTE_KNI_OFFLOAD_LRO (1U << 3)
/** @} */

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Say which offloads the application's port does for the interface; 0
 * turns them all off.  Without this call the interface has none, as with
 * DPDK's KNI: every checksum is finished and every segment cut in the
 * kernel, and ol_flags of received mbufs are ignored.  The interface turns
 * on what is given; ethtool -K may turn each off and on again, and the
 * handler of rte_kni_set_offload_handler() is told.
 *
 * @param offloads
 *   RTE_KNI_OFFLOAD_* flags.
 * @return
 *   The offloads now on (a subset of offloads), or -1 with rte_errno set:
 *   EINVAL for bad arguments, ENOTSUP when rte_kni.ko has no offloads,
 *   ENODEV when the interface is gone, EPERM when another process created
 *   it.
 */
__rte_experimental
int rte_kni_set_offloads(struct rte_kni *kni, uint32_t offloads);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Handler of offload changes (ethtool -K), run by rte_kni_handle_request()
 * with the offloads on from then on.  The change is made already: the
 * handler follows it (e.g. stops LRO on the port) and cannot refuse it.
 */
typedef void (*rte_kni_offload_t)(uint16_t port_id, uint32_t offloads);

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Set the handler of the interface's offload changes; NULL: none (the
 * change is logged).  rte_kni_unregister_handlers() removes it too.
 *
 * @return
 *   0, or -1 with rte_errno EINVAL if kni is NULL.
 */
__rte_experimental
int rte_kni_set_offload_handler(struct rte_kni *kni, rte_kni_offload_t handler);

/**
 * Close the KNI control device.  The kernel then deletes every interface
 * this process created; rte_kni_release() still frees their mbufs.
 */
void rte_kni_close(void);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_KNI_H_ */
