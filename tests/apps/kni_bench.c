/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_bench - the DPDK application of `make bench` (tests/bench).  One
 * lcore moves packets through one exception path, with the same code for
 * every path, so that only the path differs between the rows of the table.
 *
 *   kni_bench [EAL options] -- --mode tx|rx|fwd [--kni NAME]... [options]
 *
 * Ports: the ethdevs the EAL probed (--vdev net_tap0, net_virtio_user0,
 * net_af_packet0, ...) in port order, then one KNI interface per --kni.
 *
 *   tx   UDP/IPv4 frames of --size bytes to --dst-mac/--dst-ip port 9 on
 *        the first port, as fast as it takes them; what comes back is freed
 *   rx   receive on the first port, count, free
 *   fwd  port 0 <-> port 1, frames unchanged: a wire between two interfaces
 *
 * Prints "ready" once the ports are up, and on SIGUSR1 one line per port,
 * "stats port=N name=NAME rx=N tx=N tx_full=N", counters since the start.
 * SIGUSR2 starts or stops sending in tx mode (--paused: start stopped), so
 * that counters can be read on both sides with nothing in flight; SIGINT or
 * SIGTERM ends it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_kni.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "udp4.h"

#define BURST		32
#define MAX_PORTS	2
#define NB_MBUFS	8191
#define NB_DESC		1024
#define UDP_DISCARD	9

enum bench_mode { MODE_NONE, MODE_TX, MODE_RX, MODE_FWD };

struct bench_port {
	/*
	 * rte_eth_dev_get_name_by_port() strcpy()s the whole ethdev name and
	 * asks for RTE_ETH_NAME_MAX_LEN bytes.  With IFNAMSIZ (16) here,
	 * "net_virtio_user1" (16 + NUL) wrote its NUL over eth, so port 1
	 * became port 0: fwd sent port 0's frames back out of port 0 and
	 * never polled port 1.
	 */
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t eth;			/* ethdev port, if kni is NULL */
	struct rte_kni *kni;
	uint64_t rx, tx, tx_full;
};

static struct {
	enum bench_mode mode;
	unsigned int size;
	struct rte_ether_addr dst_mac;
	uint32_t src_ip, dst_ip;	/* network order */
	const char *kni_names[MAX_PORTS];
	unsigned int nb_kni;
} opt = {
	.size = 64,
	.src_ip = RTE_BE32(RTE_IPV4(198, 51, 100, 1)),
	.dst_ip = RTE_BE32(RTE_IPV4(198, 51, 100, 2)),
};

static struct bench_port ports[MAX_PORTS];
static unsigned int nb_ports;
static struct rte_mempool *pool;
static uint8_t frame[RTE_ETHER_MAX_LEN];
static volatile sig_atomic_t quit, dump, pause_tx;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump = 1;
	else if (sig == SIGUSR2)
		pause_tx = !pause_tx;
	else
		quit = 1;
}

/* ------------------------------------------------------------ ports */

static unsigned int port_rx(struct bench_port *p, struct rte_mbuf **m,
			    unsigned int n)
{
	n = p->kni ? rte_kni_rx_burst(p->kni, m, n) :
		     rte_eth_rx_burst(p->eth, 0, m, n);
	p->rx += n;
	return n;
}

/* Send what the port takes and free the rest: a full ring is a drop. */
static void port_tx(struct bench_port *p, struct rte_mbuf **m, unsigned int n)
{
	unsigned int sent;

	sent = p->kni ? rte_kni_tx_burst(p->kni, m, n) :
			rte_eth_tx_burst(p->eth, 0, m, n);
	p->tx += sent;
	if (sent < n) {
		p->tx_full += n - sent;
		rte_pktmbuf_free_bulk(m + sent, n - sent);
	}
}

static int eth_port_start(struct bench_port *p, uint16_t id)
{
	struct rte_eth_conf conf = { 0 };
	int err;

	p->eth = id;
	if (rte_eth_dev_get_name_by_port(id, p->name) != 0)
		snprintf(p->name, sizeof(p->name), "port%u", id);
	err = rte_eth_dev_configure(id, 1, 1, &conf);
	if (!err)
		err = rte_eth_rx_queue_setup(id, 0, NB_DESC, rte_socket_id(),
					     NULL, pool);
	if (!err)
		err = rte_eth_tx_queue_setup(id, 0, NB_DESC, rte_socket_id(),
					     NULL);
	if (!err)
		err = rte_eth_dev_start(id);
	if (err) {
		fprintf(stderr, "kni_bench: port %u (%s): %s\n", id, p->name,
			strerror(-err));
		return -1;
	}
	/* A wire passes every frame; some PMDs cannot say, and need not. */
	rte_eth_promiscuous_enable(id);
	return 0;
}

static int kni_port_start(struct bench_port *p, const char *name,
			  unsigned int i)
{
	struct rte_kni_conf conf = { 0 };

	snprintf(conf.name, sizeof(conf.name), "%s", name);
	conf.mbuf_size = rte_pktmbuf_data_room_size(pool);
	conf.mac_addr[0] = 0x02;
	conf.mac_addr[5] = 0x10 + i;
	/* NULL ops: every request from the kernel is accepted. */
	p->kni = rte_kni_alloc(pool, &conf, NULL);
	if (!p->kni) {
		fprintf(stderr, "kni_bench: rte_kni_alloc %s: %s\n", name,
			rte_strerror(rte_errno));
		return -1;
	}
	/* The carrier: rte_kni.ko carrier=on, as the original was benchmarked. */
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

static int ports_start(void)
{
	uint16_t id;
	unsigned int i;

	RTE_ETH_FOREACH_DEV(id) {
		if (nb_ports == MAX_PORTS) {
			fprintf(stderr, "kni_bench: more than %d ports\n", MAX_PORTS);
			return -1;
		}
		if (eth_port_start(&ports[nb_ports++], id))
			return -1;
	}
	if (opt.nb_kni && rte_kni_init(opt.nb_kni) < 0) {
		fprintf(stderr, "kni_bench: rte_kni_init failed (is rte_kni loaded?)\n");
		return -1;
	}
	for (i = 0; i < opt.nb_kni; i++) {
		if (nb_ports == MAX_PORTS) {
			fprintf(stderr, "kni_bench: more than %d ports\n", MAX_PORTS);
			return -1;
		}
		if (kni_port_start(&ports[nb_ports], opt.kni_names[i], nb_ports))
			return -1;
		nb_ports++;
	}
	return 0;
}

static void ports_stop(void)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++) {
		if (ports[i].kni) {
			rte_kni_release(ports[i].kni);
		} else {
			rte_eth_dev_stop(ports[i].eth);
			rte_eth_dev_close(ports[i].eth);
		}
	}
}

static void stats_print(void)
{
	unsigned int i;

	for (i = 0; i < nb_ports; i++)
		printf("stats port=%u name=%s rx=%" PRIu64 " tx=%" PRIu64
		       " tx_full=%" PRIu64 "\n", i, ports[i].name, ports[i].rx,
		       ports[i].tx, ports[i].tx_full);
	fflush(stdout);
}

/* ------------------------------------------------------------ the loop */

/* The frame every tx burst sends: UDP to the discard port, no checksum. */
static void frame_build(const struct bench_port *p)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;

	eth->dst_addr = opt.dst_mac;
	if (p->kni)
		memset(&eth->src_addr, 0x02, sizeof(eth->src_addr));
	else
		rte_eth_macaddr_get(p->eth, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	kt_udp4_hdr((struct rte_ipv4_hdr *)(eth + 1), opt.src_ip, opt.dst_ip,
		    UDP_DISCARD, 0, opt.size - RTE_ETHER_HDR_LEN -
		    sizeof(struct rte_ipv4_hdr) - sizeof(struct rte_udp_hdr));
}

static void tx_burst(struct bench_port *p)
{
	struct rte_mbuf *m[BURST];
	unsigned int i;

	if (rte_pktmbuf_alloc_bulk(pool, m, BURST) != 0)
		return;		/* the ports still hold them; try again */
	for (i = 0; i < BURST; i++) {
		rte_memcpy(rte_pktmbuf_mtod(m[i], void *), frame, opt.size);
		m[i]->data_len = opt.size;
		m[i]->pkt_len = opt.size;
	}
	port_tx(p, m, BURST);
}

static void loop(void)
{
	struct rte_mbuf *m[BURST];
	unsigned int i, n, iter = 0;

	while (!quit) {
		switch (opt.mode) {
		case MODE_TX:
			if (!pause_tx)
				tx_burst(&ports[0]);
			/* take back what the kernel sends, too */
			__attribute__((fallthrough));
		case MODE_RX:
			n = port_rx(&ports[0], m, BURST);
			rte_pktmbuf_free_bulk(m, n);
			break;
		case MODE_FWD:
			for (i = 0; i < 2; i++) {
				n = port_rx(&ports[i], m, BURST);
				if (n)
					port_tx(&ports[!i], m, n);
			}
			break;
		case MODE_NONE:
			return;
		}
		/* Requests are rare and the kernel waits up to seconds. */
		if ((++iter & 63) == 0)
			for (i = 0; i < nb_ports; i++)
				if (ports[i].kni)
					rte_kni_handle_request(ports[i].kni);
		if (dump) {
			dump = 0;
			stats_print();
		}
	}
}

/* ------------------------------------------------------------ options */

static void usage(void)
{
	printf("Usage: kni_bench [EAL options] -- --mode tx|rx|fwd [options]\n"
	       "  --mode tx|rx|fwd   send to the stack, receive from it, or forward\n"
	       "                     between the first two ports\n"
	       "  --kni NAME         add a KNI interface as a port (repeatable)\n"
	       "  --size N           tx: frame size in bytes without FCS, %u..%u (64)\n"
	       "  --dst-mac MAC      tx: destination MAC (the kernel interface's)\n"
	       "  --src-ip A         tx: source IPv4 address (198.51.100.1)\n"
	       "  --dst-ip A         tx: destination IPv4 address (198.51.100.2)\n"
	       "  --paused           tx: do not send until SIGUSR2\n"
	       "Ethdev ports come from --vdev; SIGUSR1 prints the counters, SIGUSR2\n"
	       "starts or stops sending.\n",
	       RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN,
	       (unsigned int)(RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN));
}

static int parse_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = a.s_addr;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode",	required_argument, NULL, 'm' },
		{ "kni",	required_argument, NULL, 'k' },
		{ "size",	required_argument, NULL, 's' },
		{ "dst-mac",	required_argument, NULL, 'd' },
		{ "src-ip",	required_argument, NULL, 'S' },
		{ "dst-ip",	required_argument, NULL, 'D' },
		{ "paused",	no_argument,	   NULL, 'p' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 }
	};
	unsigned int min = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
	int c, li = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "", longopts, &li)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "tx"))
				opt.mode = MODE_TX;
			else if (!strcmp(optarg, "rx"))
				opt.mode = MODE_RX;
			else if (!strcmp(optarg, "fwd"))
				opt.mode = MODE_FWD;
			else
				goto bad;
			break;
		case 'k':
			if (opt.nb_kni == MAX_PORTS)
				goto bad;
			opt.kni_names[opt.nb_kni++] = optarg;
			break;
		case 's':
			opt.size = strtoul(optarg, &end, 10);
			if (*end || opt.size < min ||
			    opt.size > RTE_ETHER_MAX_LEN - RTE_ETHER_CRC_LEN)
				goto bad;
			break;
		case 'd':
			if (rte_ether_unformat_addr(optarg, &opt.dst_mac))
				goto bad;
			break;
		case 'S':
			if (parse_ip(optarg, &opt.src_ip))
				goto bad;
			break;
		case 'D':
			if (parse_ip(optarg, &opt.dst_ip))
				goto bad;
			break;
		case 'p':
			pause_tx = 1;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			return -1;
		}
	}
	if (opt.mode == MODE_NONE) {
		fprintf(stderr, "kni_bench: --mode is required (--help)\n");
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "kni_bench: --%s %s: invalid (--help)\n",
		longopts[li].name, optarg);
	return -1;
}

int main(int argc, char **argv)
{
	unsigned int need;
	int n, rc = 1;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "kni_bench: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (parse_args(argc - n, argv + n))
		goto out;

	pool = rte_pktmbuf_pool_create("kni_bench", NB_MBUFS, 256, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (!pool) {
		fprintf(stderr, "kni_bench: mbuf pool: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	if (ports_start())
		goto stop;
	need = opt.mode == MODE_FWD ? 2 : 1;
	if (nb_ports < need) {
		fprintf(stderr, "kni_bench: --mode needs %u port(s), have %u\n",
			need, nb_ports);
		goto stop;
	}
	if (opt.mode == MODE_TX)
		frame_build(&ports[0]);
	printf("ready ports=%u\n", nb_ports);
	fflush(stdout);
	loop();
	stats_print();
	rc = 0;
stop:
	ports_stop();
out:
	rte_eal_cleanup();
	return rc;
}
