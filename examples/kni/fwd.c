/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd.c - the forwarding lcores, pausing them while a port is
 * reconfigured, and the statistics table.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_kni.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_spinlock.h>

#include "kni_app.h"

/*
 * Pausing.  A request callback runs on an RX lcore and may stop and
 * restart a port the other lcores are bursting on.  The caller makes the
 * generation odd and waits until every other forwarding lcore has
 * acknowledged that generation from its pause point, where it holds no
 * burst in flight; making the generation even again releases them.  An
 * acknowledgement names a generation, so one left over from an earlier
 * pause is never mistaken for the current one.  Pausers are serialised by
 * a lock, and an lcore waiting for that lock keeps acknowledging, so two
 * RX lcores with requests at the same time cannot wait for each other.
 *
 * The same lock serialises the monitor thread's link queries with the
 * reconfigurations: ethdev control calls on one port are not thread-safe,
 * and e1000 answers a link query by reading the PHY, which breaks a
 * restart's PHY setup running at the same time (rte_eth_dev_start then
 * fails with EIO).
 */
static uint32_t pause_gen;			/* odd: paused */
static uint32_t pause_ack[RTE_MAX_LCORE];	/* last odd generation seen */
static bool forwarding[RTE_MAX_LCORE];		/* lcores to wait for */
static rte_spinlock_t pause_lock = RTE_SPINLOCK_INITIALIZER;

static void pause_point(unsigned int me)
{
	uint32_t gen;

	while ((gen = __atomic_load_n(&pause_gen, __ATOMIC_ACQUIRE)) & 1) {
		__atomic_store_n(&pause_ack[me], gen, __ATOMIC_RELEASE);
		rte_pause();
	}
}

void kni_datapath_pause(void)
{
	unsigned int me = rte_lcore_id(), l;
	uint32_t gen;

	while (!rte_spinlock_trylock(&pause_lock))
		if (me < RTE_MAX_LCORE)
			pause_point(me);
	gen = __atomic_add_fetch(&pause_gen, 1, __ATOMIC_ACQ_REL);
	RTE_LCORE_FOREACH(l) {
		if (l == me)
			continue;
		while (__atomic_load_n(&forwarding[l], __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&pause_ack[l], __ATOMIC_ACQUIRE) != gen)
			rte_pause();
	}
}

void kni_datapath_resume(void)
{
	__atomic_add_fetch(&pause_gen, 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&pause_lock);
}

/* The link of a started port; -EAGAIN while a request has it stopped. */
int kni_port_link_get(uint16_t port_id, struct rte_eth_link *link)
{
	int ret = -EAGAIN;

	rte_spinlock_lock(&pause_lock);
	if (kni_app.port[port_id].started)
		ret = rte_eth_link_get_nowait(port_id, link);
	rte_spinlock_unlock(&pause_lock);
	return ret;
}

/* ---- statistics ---- */

static inline void stat_add(uint64_t *c, uint64_t n)
{
	/* one writer per counter: no read-modify-write atomics needed */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static void stats_read(const struct kni_stats *s, struct kni_stats *out)
{
	out->rx_packets = __atomic_load_n(&s->rx_packets, __ATOMIC_RELAXED);
	out->rx_dropped = __atomic_load_n(&s->rx_dropped, __ATOMIC_RELAXED);
	out->tx_packets = __atomic_load_n(&s->tx_packets, __ATOMIC_RELAXED);
	out->tx_dropped = __atomic_load_n(&s->tx_dropped, __ATOMIC_RELAXED);
}

void kni_stats_print(void)
{
	static const char rule[] =
		"------  ------------  ------------  ------------  ------------  ------------\n";
	struct kni_stats now;
	uint16_t id;

	printf("\n** KNI example statistics **\n%s", rule);
	printf("%6s  %12s  %12s  %12s  %12s  %12s\n", "Port", "Lcore(RX/TX)",
	       "rx_packets", "rx_dropped", "tx_packets", "tx_dropped");
	printf("%s", rule);
	kni_foreach_port(id) {
		const struct kni_port *p = &kni_app.port[id];
		char lcores[16];

		stats_read(&p->stats, &now);
		snprintf(lcores, sizeof(lcores), "%u/%u", p->lcore_rx, p->lcore_tx);
		printf("%6u  %12s  %12" PRIu64 "  %12" PRIu64 "  %12" PRIu64 "  %12" PRIu64 "\n",
		       id, lcores, now.rx_packets - p->base.rx_packets,
		       now.rx_dropped - p->base.rx_dropped,
		       now.tx_packets - p->base.tx_packets,
		       now.tx_dropped - p->base.tx_dropped);
	}
	printf("%s", rule);
	fflush(stdout);
}

void kni_stats_reset(void)
{
	uint16_t id;

	kni_foreach_port(id)
		stats_read(&kni_app.port[id].stats, &kni_app.port[id].base);
	printf("** KNI example statistics reset **\n");
	fflush(stdout);
}

/* ---- forwarding ---- */

/* Port -> interfaces, then the kernel's requests. */
static void port_to_kni(uint16_t port_id, struct kni_port *p)
{
	struct rte_mbuf *pkts[KNI_BURST];
	unsigned int i, nb_rx, nb_tx;

	for (i = 0; i < p->nb_kni; i++) {
		/* requests are answered even while the port is stopped */
		if (!__atomic_load_n(&p->started, __ATOMIC_RELAXED)) {
			rte_kni_handle_request(p->kni[i]);
			continue;
		}
		nb_rx = rte_eth_rx_burst(port_id, 0, pkts, KNI_BURST);
		nb_tx = nb_rx ? rte_kni_tx_burst(p->kni[i], pkts, nb_rx) : 0;
		if (nb_tx)
			stat_add(&p->stats.rx_packets, nb_tx);
		if (nb_tx < nb_rx) {
			rte_pktmbuf_free_bulk(&pkts[nb_tx], nb_rx - nb_tx);
			stat_add(&p->stats.rx_dropped, nb_rx - nb_tx);
		}
		rte_kni_handle_request(p->kni[i]);
	}
}

/*
 * Send @n packets on the port: prepared for its offloads (the pseudo-header
 * sums its checksum engine wants), and counted; what it refuses is freed.
 */
static void port_send(uint16_t port_id, struct kni_port *p,
		      struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int nb_tx = 0;

	if (!n)
		return;
	if (__atomic_load_n(&p->started, __ATOMIC_RELAXED)) {
		nb_tx = rte_eth_tx_prepare(port_id, 0, pkts, n);
		nb_tx = rte_eth_tx_burst(port_id, 0, pkts, nb_tx);
	}
	if (nb_tx)
		stat_add(&p->stats.tx_packets, nb_tx);
	if (nb_tx < n) {
		rte_pktmbuf_free_bulk(&pkts[nb_tx], n - nb_tx);
		stat_add(&p->stats.tx_dropped, n - nb_tx);
	}
}

/*
 * Cut the TSO frame @m into @out, as the port would: segments of its
 * tso_segsz behind copies of its headers.  Returns how many, or 0 with @m
 * freed and counted.
 */
static unsigned int kni_gso(struct kni_port *p, struct rte_mbuf *m,
			    struct rte_mbuf **out, unsigned int max)
{
	struct rte_gso_ctx ctx = {
		.direct_pool	= kni_app.pool,
		.indirect_pool	= kni_app.indirect_pool,
		.gso_types	= RTE_ETH_TX_OFFLOAD_TCP_TSO,
		.gso_size	= m->l2_len + m->l3_len + m->l4_len + m->tso_segsz,
	};
	int ret;

	ret = rte_gso_segment(m, &ctx, out, max);
	if (ret == 0) {
		/* short enough already: one segment */
		m->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
		out[0] = m;
		return 1;
	}
	/* The segments hold references to it: ours goes. */
	rte_pktmbuf_free(m);
	if (ret < 0) {
		stat_add(&p->stats.tx_dropped, 1);
		return 0;
	}
	return ret;
}

/* The most segments the GSO library may cut @m into. */
static unsigned int gso_segs_max(const struct rte_mbuf *m)
{
	unsigned int mss = m->tso_segsz;

	return m->pkt_len / (mss ? mss : 1) + 1;
}

/* Interfaces -> port, TSO frames cut first if the port cannot. */
static void kni_to_port(uint16_t port_id, struct kni_port *p)
{
	struct rte_mbuf *pkts[KNI_BURST], *out[KNI_TX_BATCH];
	unsigned int i, j, nb_rx, n;

	for (i = 0; i < p->nb_kni; i++) {
		nb_rx = rte_kni_rx_burst(p->kni[i], pkts, KNI_BURST);
		if (!p->gso) {
			port_send(port_id, p, pkts, nb_rx);
			continue;
		}
		for (n = 0, j = 0; j < nb_rx; j++) {
			if (!(pkts[j]->ol_flags & RTE_MBUF_F_TX_TCP_SEG)) {
				out[n++] = pkts[j];
			} else {
				if (KNI_TX_BATCH - n < gso_segs_max(pkts[j])) {
					port_send(port_id, p, out, n);
					n = 0;
				}
				n += kni_gso(p, pkts[j], &out[n], KNI_TX_BATCH - n);
			}
			if (n == KNI_TX_BATCH) {
				port_send(port_id, p, out, n);
				n = 0;
			}
		}
		port_send(port_id, p, out, n);
	}
}

static bool lcore_has_work(unsigned int lcore)
{
	uint16_t id;

	kni_foreach_port(id) {
		if (kni_app.port[id].lcore_rx == lcore ||
		    kni_app.port[id].lcore_tx == lcore)
			return true;
	}
	return false;
}

/* Before the lcores start: a pause must wait for every one of them. */
void kni_datapath_prepare(void)
{
	unsigned int l;

	RTE_LCORE_FOREACH(l)
		forwarding[l] = lcore_has_work(l);
}

int kni_lcore_main(void *arg)
{
	unsigned int me = rte_lcore_id();
	uint16_t id;

	(void)arg;
	if (!forwarding[me])
		return 0;
	kni_foreach_port(id) {
		if (kni_app.port[id].lcore_rx == me)
			printf("kni: lcore %u: port %u -> kernel\n", me, id);
		if (kni_app.port[id].lcore_tx == me)
			printf("kni: lcore %u: kernel -> port %u\n", me, id);
	}
	fflush(stdout);

	while (!kni_quit) {
		pause_point(me);
		kni_foreach_port(id) {
			struct kni_port *p = &kni_app.port[id];

			if (p->lcore_rx == me)
				port_to_kni(id, p);
			if (p->lcore_tx == me)
				kni_to_port(id, p);
		}
	}
	__atomic_store_n(&forwarding[me], false, __ATOMIC_RELEASE);
	return 0;
}
