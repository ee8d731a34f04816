/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_app.h - the KNI forwarder example: state shared by its parts.
 *
 * Each port in the port mask gets one KNI interface (vEth<port>), or one per
 * kernel-thread lcore given in --config (vEth<port>_<i>).  An RX lcore moves
 * packets from the port to its interfaces and answers the kernel's requests;
 * a TX lcore moves packets from the interfaces to the port.
 */
#ifndef KNI_APP_H
#define KNI_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_kni.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#define KNI_MAX_KTHREAD		32	/* interfaces per port, as --config allows */
#define KNI_BURST		32
#define KNI_NB_RXD		1024
#define KNI_NB_TXD		1024
#define KNI_MBUFS_PER_PORT	16384
#define KNI_MBUF_CACHE		32
#define KNI_MBUF_DATA_SIZE	(2048 + RTE_PKTMBUF_HEADROOM)
#define KNI_INDIRECT_MBUFS	8192	/* the GSO library's payload references */
#define KNI_TX_BATCH		512	/* port bursts, GSO segments included */

/*
 * Counters of one port.  rx_* is written by the port's RX lcore only, tx_*
 * by its TX lcore only; readers use relaxed atomic loads.  A reset does not
 * write them: it records a base that printing subtracts.
 */
struct kni_stats {
	uint64_t rx_packets;	/* port -> interfaces */
	uint64_t rx_dropped;	/* received from the port, refused by the interface */
	uint64_t tx_packets;	/* interfaces -> port */
	uint64_t tx_dropped;	/* sent by the stack, refused by the port */
};

struct kni_port {
	bool			enabled;	/* in the port mask */
	/*
	 * The port is started.  Changed only by the port's RX lcore, in a
	 * request callback, with the other lcores paused; the forwarding
	 * loops leave a stopped port alone (bursts on it are errors), and
	 * the monitor reads it under the pause lock.
	 */
	bool			started;
	unsigned int		lcore_rx;
	unsigned int		lcore_tx;
	unsigned int		nb_lcore_k;	/* kernel-thread lcores in --config */
	unsigned int		lcore_k[KNI_MAX_KTHREAD];
	unsigned int		nb_kni;
	struct rte_kni		*kni[KNI_MAX_KTHREAD];
	uint64_t		tx_offloads;	/* the port's, as set up */
	uint64_t		rx_offloads;
	uint32_t		kni_offloads;	/* RTE_KNI_OFFLOAD_* the port does */
	bool			gso;		/* TSO cut here, not by the port */
	struct kni_stats	stats;
	struct kni_stats	base;		/* at the last reset */
};

struct kni_app {
	uint32_t		portmask;	/* -p */
	bool			promiscuous;	/* -P */
	bool			monitor_links;	/* -m */
	struct kni_port		port[RTE_MAX_ETHPORTS];
	struct rte_mempool	*pool;
	struct rte_mempool	*indirect_pool;	/* for the GSO library */
};

extern struct kni_app kni_app;

/* Set by the signal handler, acted on by the lcores and the monitor. */
extern volatile sig_atomic_t kni_quit;
extern volatile sig_atomic_t kni_print_stats;
extern volatile sig_atomic_t kni_reset_stats;

#define kni_foreach_port(id) \
	for ((id) = 0; (id) < RTE_MAX_ETHPORTS; (id)++) \
		if (kni_app.port[id].enabled)

/* args.c */
int kni_parse_args(int argc, char **argv);
void kni_usage(const char *prgname);

/* port.c */
int kni_port_init(uint16_t port_id);
void kni_port_close(uint16_t port_id);
int kni_port_alloc_kni(uint16_t port_id);
void kni_ports_wait_link(void);

/* fwd.c */
void kni_datapath_prepare(void);
int kni_lcore_main(void *arg);
void kni_datapath_pause(void);
void kni_datapath_resume(void);
int kni_port_link_get(uint16_t port_id, struct rte_eth_link *link);
void kni_stats_print(void);
void kni_stats_reset(void);

/* monitor.c */
int kni_monitor_start(void);
void kni_monitor_kick(void);
void kni_monitor_stop(void);

#endif /* KNI_APP_H */
