/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_testapp - the DPDK application the integration tests drive.
 *
 * It creates one KNI interface and plays a host behind it: answers ARP
 * and ICMP echo for its address, counts and checks UDP frames the kernel
 * sends, injects numbered UDP frames towards the kernel (chained mbufs
 * when a frame does not fit one buffer), and injects malformed descriptors
 * for the robustness tests.  Request callbacks print one line each.
 *
 *   kni_testapp [EAL options] -- [options]      (--help lists them)
 *
 * Output lines the tests parse: "ready ifindex=N", "cb ...", "event ...",
 * and key=value statistics at exit.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/icmp.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_kni.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "payload.h"
#include "udp4.h"

#define POOL_NAME	"kni_testapp_pool"
#define BURST		32
#define MAX_FRAME	(RTE_ETHER_HDR_LEN + UINT16_MAX)

enum refuse_bits {
	REFUSE_MTU = 1, REFUSE_IF = 2, REFUSE_MAC = 4, REFUSE_PROMISC = 8,
	REFUSE_ALLMULTI = 16, REFUSE_MC = 32,
};

enum bad_kind { BAD_NONE, BAD_OUTSIDE, BAD_LEN, BAD_CYCLE, BAD_PKTLEN };

static struct {
	const char *name;
	unsigned int mbuf_size;
	unsigned int nb_mbufs;
	unsigned int refuse;
	double duration;
	int no_requests;
	int no_data;
	int carrier_up;
	int lib_defaults;
	int port_callbacks;
	int busy;
	uint16_t port_id;
	uint32_t ip;			/* network order */
	struct rte_ether_addr mac;
	int count_udp_port;		/* -1: none */
	uint32_t inject;
	uint32_t inject_size;
	uint16_t inject_port;
	uint32_t inject_dst;		/* network order */
	unsigned int inject_delay_ms;
	unsigned int inject_pps;
	enum bad_kind bad;
	unsigned int bad_count;
	struct rte_kni_conf conf;
} opt = {
	.name = "vEth0",
	.mbuf_size = 2048,
	.nb_mbufs = 8191,
	.mac = {{ 0x02, 0, 0, 0, 0, 0x02 }},
	.count_udp_port = -1,
	.inject_size = 64,
	.inject_port = 9000,
	.inject_delay_ms = 200,
	.bad_count = 16,
};

static struct {
	uint64_t rx_frames, rx_bytes, udp_rx, udp_rx_bad, arp_replies;
	uint64_t icmp_replies, injected, tx_ring_full, bad_injected;
} st;

static volatile sig_atomic_t quit;
static volatile sig_atomic_t dump;	/* SIGUSR1: print the counters */
static struct rte_mempool *pool;
static struct rte_kni *kni;
static uint8_t rx_buf[MAX_FRAME], tx_buf[MAX_FRAME];

/* ------------------------------------------------------------ requests */

/*
 * With --port-callbacks the MTU and up/down callbacks change the port too,
 * as an application's do: on a net_tap port that is a change to a kernel
 * netdev, which needs rtnl, while ip(8) waits for our answer.
 */
static int cb_change_mtu(uint16_t port_id, unsigned int mtu)
{
	int ret = 0;

	printf("cb change_mtu port=%u mtu=%u\n", port_id, mtu);
	if (opt.port_callbacks) {
		ret = rte_eth_dev_set_mtu(port_id, mtu);
		printf("port %u mtu %u: %d\n", port_id, mtu, ret);
	}
	return opt.refuse & REFUSE_MTU ? -EINVAL : ret;
}

static int cb_config_network_if(uint16_t port_id, uint8_t up)
{
	int ret = 0;

	printf("cb config_network_if port=%u up=%u\n", port_id, up);
	if (opt.port_callbacks) {
		ret = up ? rte_eth_dev_set_link_up(port_id) :
			   rte_eth_dev_set_link_down(port_id);
		printf("port %u link %s: %d\n", port_id, up ? "up" : "down", ret);
	}
	return opt.refuse & REFUSE_IF ? -EINVAL : ret;
}

static int cb_config_mac_address(uint16_t port_id, uint8_t mac[])
{
	printf("cb config_mac_address port=%u mac=%02x:%02x:%02x:%02x:%02x:%02x\n",
	       port_id, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return opt.refuse & REFUSE_MAC ? -EINVAL : 0;
}

static int cb_config_promiscusity(uint16_t port_id, uint8_t on)
{
	printf("cb config_promiscusity port=%u on=%u\n", port_id, on);
	return opt.refuse & REFUSE_PROMISC ? -EINVAL : 0;
}

static int cb_config_allmulticast(uint16_t port_id, uint8_t on)
{
	printf("cb config_allmulticast port=%u on=%u\n", port_id, on);
	return opt.refuse & REFUSE_ALLMULTI ? -EINVAL : 0;
}

/* The whole list, in the kernel's order: the application's view of it. */
static int cb_config_mc_list(uint16_t port_id,
			     const struct rte_ether_addr *addrs,
			     unsigned int nb_addrs, unsigned int total)
{
	const uint8_t *a;
	unsigned int i;

	printf("cb config_mc_list port=%u n=%u total=%u addrs=", port_id,
	       nb_addrs, total);
	for (i = 0; i < nb_addrs; i++) {
		a = addrs[i].addr_bytes;
		printf("%s%02x:%02x:%02x:%02x:%02x:%02x", i ? "," : "",
		       a[0], a[1], a[2], a[3], a[4], a[5]);
	}
	printf("\n");
	return opt.refuse & REFUSE_MC ? -EINVAL : 0;
}

/* ------------------------------------------------------------ sysfs */

static int sysfs_read(const char *attr, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", opt.name, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

static int iface_is_up(void)
{
	char buf[32];

	return sysfs_read("flags", buf, sizeof(buf)) == 0 &&
	       (strtoul(buf, NULL, 16) & IFF_UP);
}

static int iface_mac(struct rte_ether_addr *mac)
{
	char buf[64];

	return sysfs_read("address", buf, sizeof(buf)) == 0 &&
	       rte_ether_unformat_addr(strtok(buf, "\n"), mac) == 0 ? 0 : -1;
}

static int iface_index(void)
{
	char buf[32];

	return sysfs_read("ifindex", buf, sizeof(buf)) == 0 ? atoi(buf) : -1;
}

/* ------------------------------------------------------------ frames */

/* Copy a linear frame into mbufs, chained when it exceeds one buffer. */
static struct rte_mbuf *frame_mbufs(const uint8_t *frame, uint32_t len)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t done = 0;

	do {
		uint32_t n;
		char *p;

		m = rte_pktmbuf_alloc(pool);
		if (!m)
			goto fail;
		n = RTE_MIN(len - done, (uint32_t)rte_pktmbuf_tailroom(m));
		p = rte_pktmbuf_append(m, n);
		memcpy(p, frame + done, n);
		done += n;
		if (!head)
			head = m;
		else if (rte_pktmbuf_chain(head, m))
			goto fail;
	} while (done < len);
	return head;
fail:
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(head);
	return NULL;
}

static void eth_fill(uint8_t *frame, const struct rte_ether_addr *dst,
		     uint16_t type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&opt.mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(type);
}

/* A numbered UDP/IPv4 frame from us to the kernel, in tx_buf. */
static uint32_t udp_frame(const struct rte_ether_addr *dst, uint32_t seq,
			  uint32_t size, uint16_t port)
{
	struct rte_ipv4_hdr *ip = (void *)(tx_buf + RTE_ETHER_HDR_LEN);
	struct rte_udp_hdr *udp;
	uint32_t len = sizeof(*ip) + sizeof(*udp) + size;

	eth_fill(tx_buf, dst, RTE_ETHER_TYPE_IPV4);
	udp = kt_udp4_hdr(ip, opt.ip, opt.inject_dst, port, seq & 0xffff, size);
	kt_payload_fill((uint8_t *)(udp + 1), size, seq);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return RTE_ETHER_HDR_LEN + len;
}

/* ------------------------------------------------------------ receive */

static struct rte_mbuf *arp_reply(const uint8_t *p, uint32_t len)
{
	const struct rte_arp_hdr *req = (const void *)(p + RTE_ETHER_HDR_LEN);
	struct rte_arp_hdr *rep = (void *)(tx_buf + RTE_ETHER_HDR_LEN);

	if (len < RTE_ETHER_HDR_LEN + sizeof(*req) ||
	    req->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST) ||
	    req->arp_data.arp_tip != opt.ip)
		return NULL;
	eth_fill(tx_buf, &req->arp_data.arp_sha, RTE_ETHER_TYPE_ARP);
	*rep = *req;
	rep->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&opt.mac, &rep->arp_data.arp_sha);
	rep->arp_data.arp_sip = opt.ip;
	rte_ether_addr_copy(&req->arp_data.arp_sha, &rep->arp_data.arp_tha);
	rep->arp_data.arp_tip = req->arp_data.arp_sip;
	memset(rep + 1, 0, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN -
	       RTE_ETHER_HDR_LEN - sizeof(*rep));
	st.arp_replies++;
	return frame_mbufs(tx_buf, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
}

static struct rte_mbuf *icmp_reply(const uint8_t *p, uint32_t len,
				   uint32_t ihl)
{
	struct rte_ipv4_hdr *ip = (void *)(tx_buf + RTE_ETHER_HDR_LEN);
	const struct rte_ether_hdr *eth = (const void *)p;
	struct rte_icmp_hdr *icmp = (void *)((uint8_t *)ip + ihl);
	uint32_t ip_len;

	memcpy(tx_buf, p, len);
	ip_len = rte_be_to_cpu_16(ip->total_length);
	if (ip_len < ihl + sizeof(*icmp) || RTE_ETHER_HDR_LEN + ip_len > len ||
	    icmp->icmp_type != ICMP_ECHO)
		return NULL;
	eth_fill(tx_buf, &eth->src_addr, RTE_ETHER_TYPE_IPV4);
	ip->dst_addr = ip->src_addr;
	ip->src_addr = opt.ip;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = ICMP_ECHOREPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, ip_len - ihl);
	st.icmp_replies++;
	return frame_mbufs(tx_buf, RTE_ETHER_HDR_LEN + ip_len);
}

static void udp_count(const uint8_t *p, uint32_t len, uint32_t ihl)
{
	const struct rte_ipv4_hdr *ip = (const void *)(p + RTE_ETHER_HDR_LEN);
	const struct rte_udp_hdr *udp = (const void *)((const uint8_t *)ip + ihl);
	uint32_t ulen, seq;

	if (opt.count_udp_port < 0 ||
	    len < RTE_ETHER_HDR_LEN + ihl + sizeof(*udp) ||
	    rte_be_to_cpu_16(udp->dst_port) != opt.count_udp_port)
		return;
	st.udp_rx++;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (ulen < sizeof(*udp) || RTE_ETHER_HDR_LEN + ihl + ulen > len ||
	    !kt_payload_check((const uint8_t *)(udp + 1), ulen - sizeof(*udp),
			      &seq))
		st.udp_rx_bad++;
}

static struct rte_mbuf *ipv4_frame(const uint8_t *p, uint32_t len)
{
	const struct rte_ipv4_hdr *ip = (const void *)(p + RTE_ETHER_HDR_LEN);
	uint32_t ihl;

	if (len < RTE_ETHER_HDR_LEN + sizeof(*ip))
		return NULL;
	ihl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (ihl < sizeof(*ip) || RTE_ETHER_HDR_LEN + ihl > len ||
	    (rte_be_to_cpu_16(ip->fragment_offset) &
	     (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return NULL;
	if (ip->next_proto_id == IPPROTO_UDP)
		udp_count(p, len, ihl);
	else if (ip->next_proto_id == IPPROTO_ICMP && ip->dst_addr == opt.ip)
		return icmp_reply(p, len, ihl);
	return NULL;
}

/* Count a frame from the kernel; the reply it calls for, if any. */
static struct rte_mbuf *frame_in(struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	uint32_t len = rte_pktmbuf_pkt_len(m);
	const uint8_t *p;

	st.rx_frames++;
	st.rx_bytes += len;
	if (len < RTE_ETHER_HDR_LEN || len > sizeof(rx_buf))
		return NULL;
	p = rte_pktmbuf_read(m, 0, len, rx_buf);
	if (!p)
		return NULL;
	eth = (const void *)p;
	switch (rte_be_to_cpu_16(eth->ether_type)) {
	case RTE_ETHER_TYPE_ARP:
		return arp_reply(p, len);
	case RTE_ETHER_TYPE_IPV4:
		return ipv4_frame(p, len);
	default:
		return NULL;
	}
}

/*
 * Replies (ARP, ping) waiting for room in the ring.  They go before any
 * injected frame: when the kernel drains the ring slower than --inject-pps
 * fills it (a debug kernel), the injector would otherwise take every slot
 * as it frees and no reply would ever get through.
 */
static struct {
	struct rte_mbuf *queue[BURST];
	unsigned int queued;
} rep;

/* Queue @m as a reply; one that finds the queue full is dropped (counted). */
static void reply_queue(struct rte_mbuf *m)
{
	if (rep.queued == BURST) {
		st.tx_ring_full++;
		rte_pktmbuf_free(m);
		return;
	}
	rep.queue[rep.queued++] = m;
}

/* Send the queued replies the ring takes; the rest wait for the next call. */
static void reply_flush(void)
{
	unsigned int sent;

	if (!rep.queued)
		return;
	sent = rte_kni_tx_burst(kni, rep.queue, rep.queued);
	memmove(rep.queue, &rep.queue[sent],
		(rep.queued - sent) * sizeof(rep.queue[0]));
	rep.queued -= sent;
}

static unsigned int rx_step(void)
{
	struct rte_mbuf *in[BURST];
	unsigned int i, n;

	n = rte_kni_rx_burst(kni, in, BURST);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *r = frame_in(in[i]);

		if (r)
			reply_queue(r);
	}
	rte_pktmbuf_free_bulk(in, n);
	reply_flush();
	return n;
}

/* ------------------------------------------------------------ inject */

static struct {
	int ready;			/* the interface is up and set */
	uint64_t ready_at;
	struct rte_ether_addr dst;
	uint32_t next_seq;
	struct rte_mbuf *queue[BURST];	/* built, not taken yet */
	unsigned int queued;
	int done;
	unsigned int bad_sent;
	struct rte_mbuf *bad_pending;
	void *outside[1024];		/* fake mbufs: freed after release */
	unsigned int noutside;
} inj;

static uint32_t inject_allowed(uint64_t now)
{
	uint64_t hz = rte_get_timer_hz(), since = now - inj.ready_at;
	uint64_t n;

	if (!opt.inject_pps)
		return opt.inject;
	n = since * opt.inject_pps / hz + 1;
	return n < opt.inject ? (uint32_t)n : opt.inject;
}

/* Queue and send numbered frames, keeping the order across full rings. */
static unsigned int inject_step(uint64_t now)
{
	uint32_t allowed = inject_allowed(now);
	unsigned int sent;

	while (inj.queued < BURST && inj.next_seq < allowed) {
		uint32_t len = udp_frame(&inj.dst, inj.next_seq,
					 opt.inject_size, opt.inject_port);
		struct rte_mbuf *m = frame_mbufs(tx_buf, len);

		if (!m)
			break;		/* pool empty: later */
		inj.queue[inj.queued++] = m;
		inj.next_seq++;
	}
	if (!inj.queued)
		return 0;
	sent = rte_kni_tx_burst(kni, inj.queue, inj.queued);
	st.injected += sent;
	if (sent < inj.queued) {
		st.tx_ring_full++;
		memmove(inj.queue, &inj.queue[sent],
			(inj.queued - sent) * sizeof(inj.queue[0]));
	}
	inj.queued -= sent;
	if (!inj.queued && inj.next_seq == opt.inject && !inj.done) {
		inj.done = 1;
		printf("event inject_done n=%" PRIu64 "\n", st.injected);
	}
	return sent;	/* 0: the ring is full, let the loop breathe */
}

/* An mbuf header outside any registered memory: a copy in malloc memory. */
static struct rte_mbuf *bad_outside(struct rte_mbuf *real)
{
	size_t hdr = sizeof(struct rte_mbuf);
	struct rte_mbuf *fake;

	if (inj.noutside == RTE_DIM(inj.outside))
		return NULL;
	fake = aligned_alloc(RTE_CACHE_LINE_SIZE,
			     RTE_ALIGN_CEIL(hdr + real->buf_len,
					    RTE_CACHE_LINE_SIZE));
	if (!fake)
		return NULL;
	memcpy(fake, real, hdr);
	fake->buf_addr = (char *)fake + hdr;
	memcpy(fake->buf_addr, real->buf_addr, real->buf_len);
	fake->next = NULL;
	fake->nb_segs = 1;
	inj.outside[inj.noutside++] = fake;
	return fake;
}

static struct rte_mbuf *bad_make(uint32_t i)
{
	uint32_t len = udp_frame(&inj.dst, 0x7fff0000 + i, 100,
				 opt.inject_port + 1);
	struct rte_mbuf *m = frame_mbufs(tx_buf, len), *b, *fake;

	if (!m)
		return NULL;
	switch (opt.bad) {
	case BAD_OUTSIDE:
		fake = bad_outside(m);
		rte_pktmbuf_free(m);
		return fake;
	case BAD_LEN:
		m->data_len = m->buf_len + 64;
		m->pkt_len = m->data_len;
		return m;
	case BAD_CYCLE:
		b = frame_mbufs(tx_buf, len);
		if (!b || rte_pktmbuf_chain(m, b)) {
			rte_pktmbuf_free(b);
			rte_pktmbuf_free(m);
			return NULL;
		}
		b->next = m;
		return m;
	case BAD_PKTLEN:
		m->pkt_len += 100;
		return m;
	default:
		rte_pktmbuf_free(m);
		return NULL;
	}
}

/* One malformed descriptor per call until bad_count were taken. */
static unsigned int bad_step(void)
{
	if (opt.bad == BAD_NONE || inj.bad_sent == opt.bad_count)
		return 0;
	if (!inj.bad_pending)
		inj.bad_pending = bad_make(inj.bad_sent);
	if (!inj.bad_pending)
		return 0;
	if (rte_kni_tx_burst(kni, &inj.bad_pending, 1) != 1) {
		st.tx_ring_full++;
		return 1;
	}
	inj.bad_pending = NULL;
	st.bad_injected++;
	if (++inj.bad_sent == opt.bad_count)
		printf("event bad_done n=%u\n", inj.bad_sent);
	return 1;
}

/* Once the interface is up: carrier, then the injections after a delay. */
static int ready_step(uint64_t now)
{
	static uint64_t up_at, last_poll;
	uint64_t hz = rte_get_timer_hz();

	if (inj.ready)
		return 1;
	if (!up_at) {
		if (now - last_poll < hz / 50)
			return 0;
		last_poll = now;
		if (!iface_is_up())
			return 0;
		up_at = now;
		printf("event up\n");
		if (opt.carrier_up)
			printf("event carrier ret=%d\n",
			       rte_kni_update_link(kni, 1));
	}
	if (now - up_at < hz * opt.inject_delay_ms / 1000)
		return 0;
	if (iface_mac(&inj.dst)) {
		fprintf(stderr, "kni_testapp: cannot read the MAC of %s\n",
			opt.name);
		quit = 1;
		return 0;
	}
	inj.ready = 1;
	inj.ready_at = now;
	if (opt.inject || opt.bad != BAD_NONE) {
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		rte_ether_format_addr(mac, sizeof(mac), &inj.dst);
		printf("event inject_start dst=%s\n", mac);
	}
	return 1;
}

/* ------------------------------------------------------------ main */

static void usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
	       "  --name NAME            interface name (vEth0)\n"
	       "  --mbuf-size N          mbuf data room without headroom (2048)\n"
	       "  --nb-mbufs N           mempool size (8191)\n"
	       "  --mtu N --min-mtu N --max-mtu N   rte_kni_conf values (0)\n"
	       "  --core-id N --force-bind          rte_kni_conf values\n"
	       "  --kni-mac MAC          rte_kni_conf.mac_addr (random)\n"
	       "  --port N               ops.port_id (0)\n"
	       "  --lib-defaults         no MAC/promisc/allmulti/multicast list\n"
	       "                         callbacks: the library's ethdev defaults\n"
	       "                         act on --port\n"
	       "  --port-callbacks       configure and start --port; the MTU and\n"
	       "                         up/down callbacks change it too\n"
	       "  --refuse=LIST          callbacks returning -EINVAL: any of\n"
	       "                         mtu,if,mac,promisc,allmulti,mc\n"
	       "  --no-requests          do not call rte_kni_handle_request\n"
	       "  --no-data              do not call the rx/tx bursts\n"
	       "  --duration SEC         stop after SEC seconds (0: on signal)\n"
	       "  --busy                 never sleep when idle\n"
	       "  --ip ADDR              our address (192.0.2.2), MAC --mac\n"
	       "  --mac MAC              our MAC (02:00:00:00:00:02)\n"
	       "  --count-udp-port P     count and check UDP frames to port P\n"
	       "  --inject N             send N numbered UDP frames once up\n"
	       "  --inject-size S        UDP payload bytes (64, at least 4)\n"
	       "  --inject-port P        UDP ports (9000)\n"
	       "  --inject-dst ADDR      destination address (192.0.2.1)\n"
	       "  --inject-delay MS      wait after the interface is up (200)\n"
	       "  --inject-pps R         rate limit (0: none)\n"
	       "  --carrier-up           rte_kni_update_link(kni, 1) once up\n"
	       "  --bad=KIND             inject malformed descriptors: outside,\n"
	       "                         len, cycle or pktlen\n"
	       "  --bad-count M          how many (16)\n"
	       "A secondary process (--proc-type=secondary) attaches to NAME\n"
	       "instead of creating it and leaves it to the primary.\n"
	       "SIGUSR1 prints the counters; SIGTERM prints them and exits.\n", prog);
}

static unsigned int parse_refuse(const char *s)
{
	static const char *const name[] = {
		"mtu", "if", "mac", "promisc", "allmulti", "mc",
	};
	unsigned int i, bits = 0;
	char *dup = strdup(s), *tok, *save;

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < RTE_DIM(name); i++)
			if (!strcmp(tok, name[i]))
				bits |= 1u << i;
	}
	free(dup);
	return bits;
}

static enum bad_kind parse_bad(const char *s)
{
	if (!strcmp(s, "outside"))
		return BAD_OUTSIDE;
	if (!strcmp(s, "len"))
		return BAD_LEN;
	if (!strcmp(s, "cycle"))
		return BAD_CYCLE;
	if (!strcmp(s, "pktlen"))
		return BAD_PKTLEN;
	return BAD_NONE;
}

static int parse_addr(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = a.s_addr;
	return 0;
}

enum {
	OPT_NAME = 256, OPT_MBUF_SIZE, OPT_NB_MBUFS, OPT_MTU, OPT_MIN_MTU,
	OPT_MAX_MTU, OPT_CORE_ID, OPT_FORCE_BIND, OPT_KNI_MAC, OPT_PORT,
	OPT_LIB_DEFAULTS, OPT_PORT_CALLBACKS, OPT_REFUSE, OPT_NO_REQUESTS, OPT_NO_DATA,
	OPT_DURATION, OPT_BUSY, OPT_IP, OPT_MAC, OPT_COUNT_UDP, OPT_INJECT,
	OPT_INJECT_SIZE, OPT_INJECT_PORT, OPT_INJECT_DST, OPT_INJECT_DELAY,
	OPT_INJECT_PPS, OPT_CARRIER_UP, OPT_BAD, OPT_BAD_COUNT, OPT_HELP,
};

static const struct option longopts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "mbuf-size", required_argument, NULL, OPT_MBUF_SIZE },
	{ "nb-mbufs", required_argument, NULL, OPT_NB_MBUFS },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "min-mtu", required_argument, NULL, OPT_MIN_MTU },
	{ "max-mtu", required_argument, NULL, OPT_MAX_MTU },
	{ "core-id", required_argument, NULL, OPT_CORE_ID },
	{ "force-bind", no_argument, NULL, OPT_FORCE_BIND },
	{ "kni-mac", required_argument, NULL, OPT_KNI_MAC },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "lib-defaults", no_argument, NULL, OPT_LIB_DEFAULTS },
	{ "port-callbacks", no_argument, NULL, OPT_PORT_CALLBACKS },
	{ "refuse", required_argument, NULL, OPT_REFUSE },
	{ "no-requests", no_argument, NULL, OPT_NO_REQUESTS },
	{ "no-data", no_argument, NULL, OPT_NO_DATA },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "busy", no_argument, NULL, OPT_BUSY },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "mac", required_argument, NULL, OPT_MAC },
	{ "count-udp-port", required_argument, NULL, OPT_COUNT_UDP },
	{ "inject", required_argument, NULL, OPT_INJECT },
	{ "inject-size", required_argument, NULL, OPT_INJECT_SIZE },
	{ "inject-port", required_argument, NULL, OPT_INJECT_PORT },
	{ "inject-dst", required_argument, NULL, OPT_INJECT_DST },
	{ "inject-delay", required_argument, NULL, OPT_INJECT_DELAY },
	{ "inject-pps", required_argument, NULL, OPT_INJECT_PPS },
	{ "carrier-up", no_argument, NULL, OPT_CARRIER_UP },
	{ "bad", required_argument, NULL, OPT_BAD },
	{ "bad-count", required_argument, NULL, OPT_BAD_COUNT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* 0, or -1 for a bad value (message printed), 1 for --help. */
static int parse_one(int c, const char *arg)
{
	struct rte_ether_addr mac;

	switch (c) {
	case OPT_NAME:		opt.name = arg; break;
	case OPT_MBUF_SIZE:	opt.mbuf_size = strtoul(arg, NULL, 0); break;
	case OPT_NB_MBUFS:	opt.nb_mbufs = strtoul(arg, NULL, 0); break;
	case OPT_MTU:		opt.conf.mtu = strtoul(arg, NULL, 0); break;
	case OPT_MIN_MTU:	opt.conf.min_mtu = strtoul(arg, NULL, 0); break;
	case OPT_MAX_MTU:	opt.conf.max_mtu = strtoul(arg, NULL, 0); break;
	case OPT_CORE_ID:	opt.conf.core_id = strtoul(arg, NULL, 0); break;
	case OPT_FORCE_BIND:	opt.conf.force_bind = 1; break;
	case OPT_PORT:		opt.port_id = strtoul(arg, NULL, 0); break;
	case OPT_LIB_DEFAULTS:	opt.lib_defaults = 1; break;
	case OPT_PORT_CALLBACKS: opt.port_callbacks = 1; break;
	case OPT_REFUSE:	opt.refuse = parse_refuse(arg); break;
	case OPT_NO_REQUESTS:	opt.no_requests = 1; break;
	case OPT_NO_DATA:	opt.no_data = 1; break;
	case OPT_DURATION:	opt.duration = strtod(arg, NULL); break;
	case OPT_BUSY:		opt.busy = 1; break;
	case OPT_COUNT_UDP:	opt.count_udp_port = atoi(arg); break;
	case OPT_INJECT:	opt.inject = strtoul(arg, NULL, 0); break;
	case OPT_INJECT_SIZE:	opt.inject_size = strtoul(arg, NULL, 0); break;
	case OPT_INJECT_PORT:	opt.inject_port = strtoul(arg, NULL, 0); break;
	case OPT_INJECT_DELAY:	opt.inject_delay_ms = strtoul(arg, NULL, 0); break;
	case OPT_INJECT_PPS:	opt.inject_pps = strtoul(arg, NULL, 0); break;
	case OPT_CARRIER_UP:	opt.carrier_up = 1; break;
	case OPT_BAD_COUNT:	opt.bad_count = strtoul(arg, NULL, 0); break;
	case OPT_HELP:		return 1;
	case OPT_KNI_MAC:
		if (rte_ether_unformat_addr(arg, &mac))
			goto bad;
		memcpy(opt.conf.mac_addr, mac.addr_bytes, RTE_ETHER_ADDR_LEN);
		break;
	case OPT_MAC:
		if (rte_ether_unformat_addr(arg, &opt.mac))
			goto bad;
		break;
	case OPT_IP:
		if (parse_addr(arg, &opt.ip))
			goto bad;
		break;
	case OPT_INJECT_DST:
		if (parse_addr(arg, &opt.inject_dst))
			goto bad;
		break;
	case OPT_BAD:
		opt.bad = parse_bad(arg);
		if (opt.bad == BAD_NONE)
			goto bad;
		break;
	default:
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "kni_testapp: bad value '%s'\n", arg);
	return -1;
}

static int parse_args(int argc, char **argv)
{
	int c, ret;

	parse_addr("192.0.2.2", &opt.ip);
	parse_addr("192.0.2.1", &opt.inject_dst);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		ret = parse_one(c == 'h' ? OPT_HELP : c, optarg);
		if (ret)
			return ret;
	}
	if (optind != argc || strlen(opt.name) >= RTE_KNI_NAMESIZE ||
	    opt.inject_size < KT_PAYLOAD_MIN ||
	    opt.inject_size > UINT16_MAX - 28 || opt.mbuf_size < 128) {
		fprintf(stderr, "kni_testapp: bad arguments; see --help\n");
		return -1;
	}
	return 0;
}

static int want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump = 1;
	else
		quit = 1;
}

static struct rte_kni *kni_attach(void)
{
	uint64_t end = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	struct rte_kni *k;

	while (!(k = rte_kni_get(opt.name)) && !quit &&
	       rte_get_timer_cycles() < end)
		usleep(10000);
	return k;
}

/* --port-callbacks: one queue each way, started, so its MTU can change. */
static int port_setup(void)
{
	static const struct rte_eth_conf conf;
	uint16_t port = opt.port_id;
	int ret;

	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (!ret)
		ret = rte_eth_rx_queue_setup(port, 0, 256, rte_eth_dev_socket_id(port),
					     NULL, pool);
	if (!ret)
		ret = rte_eth_tx_queue_setup(port, 0, 256, rte_eth_dev_socket_id(port),
					     NULL);
	if (!ret)
		ret = rte_eth_dev_start(port);
	if (ret)
		fprintf(stderr, "kni_testapp: port %u: %s\n", port, rte_strerror(-ret));
	return ret;
}

static struct rte_kni *kni_create(void)
{
	static struct rte_kni_ops ops = {
		.change_mtu = cb_change_mtu,
		.config_network_if = cb_config_network_if,
		.config_mac_address = cb_config_mac_address,
		.config_promiscusity = cb_config_promiscusity,
		.config_allmulticast = cb_config_allmulticast,
	};

	ops.port_id = opt.port_id;
	if (opt.lib_defaults) {
		ops.config_mac_address = NULL;
		ops.config_promiscusity = NULL;
		ops.config_allmulticast = NULL;
	}
	snprintf(opt.conf.name, RTE_KNI_NAMESIZE, "%s", opt.name);
	return rte_kni_alloc(pool, &opt.conf, &ops);
}

static int setup(void)
{
	int secondary = rte_eal_process_type() == RTE_PROC_SECONDARY;

	if (rte_kni_init(1) < 0)
		return -1;
	pool = secondary ? rte_mempool_lookup(POOL_NAME) :
		rte_pktmbuf_pool_create(POOL_NAME, opt.nb_mbufs, 256, 0,
					opt.mbuf_size + RTE_PKTMBUF_HEADROOM,
					rte_socket_id());
	if (!pool) {
		fprintf(stderr, "kni_testapp: no mempool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	if (opt.port_callbacks && port_setup())
		return -1;
	kni = secondary ? kni_attach() : kni_create();
	if (!kni) {
		fprintf(stderr, "kni_testapp: no interface %s: %s\n", opt.name,
			rte_strerror(rte_errno));
		return -1;
	}
	if (!secondary && !opt.lib_defaults &&
	    rte_kni_set_mc_handler(kni, cb_config_mc_list)) {
		fprintf(stderr, "kni_testapp: multicast handler: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	printf("ready ifindex=%d\n", iface_index());
	return 0;
}

static void print_stats(void);

static void run(void)
{
	uint64_t hz = rte_get_timer_hz(), start = rte_get_timer_cycles();
	uint64_t end = opt.duration > 0 ? start + (uint64_t)(opt.duration * hz) :
					  UINT64_MAX;

	while (!quit) {
		uint64_t now = rte_get_timer_cycles();
		unsigned int work = 0;

		if (now >= end)
			break;
		if (dump) {
			dump = 0;
			print_stats();
		}
		if (!opt.no_requests && rte_kni_handle_request(kni) < 0)
			fprintf(stderr, "kni_testapp: handle_request failed\n");
		if (!opt.no_data) {
			work += rx_step();
			/* replies first: inject only into room they left */
			if (!rep.queued && ready_step(now)) {
				work += bad_step();
				work += inject_step(now);
			}
		}
		if (!work && !opt.busy)
			usleep(100);
	}
}

static void print_stats(void)
{
	printf("rx_frames=%" PRIu64 "\n", st.rx_frames);
	printf("rx_bytes=%" PRIu64 "\n", st.rx_bytes);
	printf("udp_rx=%" PRIu64 "\n", st.udp_rx);
	printf("udp_rx_bad=%" PRIu64 "\n", st.udp_rx_bad);
	printf("arp_replies=%" PRIu64 "\n", st.arp_replies);
	printf("icmp_replies=%" PRIu64 "\n", st.icmp_replies);
	printf("injected=%" PRIu64 "\n", st.injected);
	printf("bad_injected=%" PRIu64 "\n", st.bad_injected);
	printf("tx_ring_full=%" PRIu64 "\n", st.tx_ring_full);
}

static int teardown(void)
{
	unsigned int i;
	int ret = 0;

	rte_pktmbuf_free_bulk(inj.queue, inj.queued);
	rte_pktmbuf_free_bulk(rep.queue, rep.queued);
	if (rte_eal_process_type() == RTE_PROC_PRIMARY &&
	    rte_kni_release(kni) < 0) {
		fprintf(stderr, "kni_testapp: rte_kni_release failed\n");
		ret = -1;
	}
	/* released: the library holds no reference to them any more */
	for (i = 0; i < inj.noutside; i++)
		free(inj.outside[i]);
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (want_help(argc, argv)) {
		usage(argv[0]);
		return 0;
	}
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "kni_testapp: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 2;
	}
	ret = parse_args(argc - ret, argv + ret);
	if (ret) {
		if (ret > 0)
			usage(argv[0]);
		rte_eal_cleanup();
		return ret > 0 ? 0 : 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (setup()) {
		rte_eal_cleanup();
		return 1;
	}
	run();
	print_stats();
	ret = teardown();
	rte_eal_cleanup();
	return ret ? 1 : 0;
}
