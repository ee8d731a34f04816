// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_fuzz_ring - floods an interface's rx_q with random descriptors, good
 * and hostile mixed, through the raw ABI (no DPDK), and checks that the
 * kernel drops and counts exactly the bad ones and delivers every good one.
 *
 * Each descriptor is built as definitely good or definitely bad: before it
 * is posted, a model of the driver's documented validation (kni_mbuf.c:
 * the header inside registered memory, pkt_len within [ETH_HLEN, MTU +
 * VLAN header], 1..RTE_KNI_MAX_SEGS segments, every next inside registered
 * memory and 0 after the last, each segment's data inside its buffer and
 * registered memory, the lengths adding up) computes the verdict from the
 * very bytes the kernel will read.  Memory a descriptor makes the kernel
 * read is never written until the kernel hands the descriptor back on
 * free_q, so the prediction is exact, reason included.  Good descriptors
 * carry valid UDP datagrams to a socket of this program; a second thread
 * receives and checks them (sequence, length, pattern).
 *
 * Hostile descriptors: headers outside registered memory (unregistered
 * mapped memory, the gap between two regions, straddling a region's
 * ends, kernel and non-canonical addresses), pkt_len too short and too
 * big, nb_segs 0 and up to 65535, chains ending early or late, cycles
 * (self and longer), next and buf_addr pointing outside, data leaving the
 * buffer, lengths that do not add up, random headers, and good chains
 * with one field mutated.  Good descriptors: 1 to 64 segments, empty
 * segments, buffers at random offsets, in two registered regions, with
 * garbage in every field the kernel must ignore.  The mbuf layout itself
 * is random (from the seed) or DPDK's.  mbufs are recycled through free_q
 * and the interface's tx side is served too, so it runs for any time.
 *
 * At the end it compares what it posted with the interface's counters
 * (ethtool -S per reason, rx_errors, rx_packets), free_q's returns (every
 * non-address drop and every good one, in order), the socket's count and
 * /proc/net/snmp's UDP errors; prints one summary line and exits 1 on any
 * difference.  With --hold it keeps the interface until SIGUSR1/SIGTERM
 * after printing, so a script can read ethtool -S itself.
 *
 * The descriptor sequence is a function of --seed (addresses depend on
 * timing).  Needs root and rte_kni.ko; run it in the test VM
 * (tests/stress/fuzz_ring.sh).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/ethtool.h>
#include <net/if_arp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kni_raw.h"

#define ETH_HLEN_	14
#define VLAN_ETH_HLEN_	18
#define MTU		1500
#define MAX_FRAME	(MTU + VLAN_ETH_HLEN_)	/* what the kernel accepts */

#define BUF_ROOM	2304		/* data room of each mbuf */
#define RX_OBJS		8192		/* rx mbufs, half in each region */
#define TX_OBJS		512		/* mbufs for alloc_q, region B */
#define JUNK_OBJS	16		/* fixed random headers, region A */
#define GAP_LEN		(64 << 10)	/* mapped, unregistered, between A and B */
#define TAIL_LEN	(64 << 10)	/* mapped, unregistered, after B */
#define RING_SIZE	1024
#define MAX_REC_OBJS	(RTE_KNI_MAX_SEGS + 2)
#define FIFO_SIZE	4096		/* > rx_q + free_q */
#define GOOD_INFLIGHT	4096		/* good frames not yet at the socket */
#define MAX_GOOD	(1u << 24)
#define SEQ_BAD		(1ULL << 63)	/* payload of a frame that must not arrive */

/* ---- random numbers ---- */

static struct rng rs;

static __u64 rnd64(void)
{
	return rng_next(&rs);
}

static __u32 rnd_below(__u32 n)
{
	return rng_below(&rs, n);
}

static bool chance(unsigned int pct)
{
	return rnd_below(100) < pct;
}

/* [lo, hi] */
static __u32 rnd_range(__u32 lo, __u32 hi)
{
	return lo + rnd_below(hi - lo + 1);
}

/* ---- the mbuf layout ---- */

static struct rte_kni_mbuf_layout L;
static unsigned int hdr_room;		/* hdr_size rounded up to 64 */
static unsigned int obj_size;

#define FLD(m, off, type)	(*(type *)((char *)(m) + (off)))

struct mb {				/* the fields, as the kernel reads them */
	__u64 buf_addr, next;
	__u32 pkt_len;
	__u16 data_off, nb_segs, data_len, buf_len;
};

static void mb_read(const void *h, struct mb *m)
{
	m->buf_addr = FLD(h, L.buf_addr, __u64);
	m->next = FLD(h, L.next, __u64);
	m->pkt_len = FLD(h, L.pkt_len, __u32);
	m->data_off = FLD(h, L.data_off, __u16);
	m->nb_segs = FLD(h, L.nb_segs, __u16);
	m->data_len = FLD(h, L.data_len, __u16);
	m->buf_len = FLD(h, L.buf_len, __u16);
}

static void mb_write(void *h, const struct mb *m)
{
	FLD(h, L.buf_addr, __u64) = m->buf_addr;
	FLD(h, L.next, __u64) = m->next;
	FLD(h, L.pkt_len, __u32) = m->pkt_len;
	FLD(h, L.data_off, __u16) = m->data_off;
	FLD(h, L.nb_segs, __u16) = m->nb_segs;
	FLD(h, L.data_len, __u16) = m->data_len;
	FLD(h, L.buf_len, __u16) = m->buf_len;
}

static const struct rte_kni_mbuf_layout dpdk_layout = {
	.hdr_size = 128, .buf_addr = 0, .data_off = 16, .nb_segs = 20,
	.pkt_len = 36, .data_len = 40, .buf_len = 54, .next = 64,
};

/* DPDK's, or the seven fields at random non-overlapping aligned offsets. */
static void pick_layout(void)
{
	static const unsigned int hdrs[] = { 32, 40, 64, 96, 128, 200, 256, 1024 };
	__u16 *field[7] = { &L.buf_addr, &L.next, &L.pkt_len, &L.data_off,
			    &L.nb_segs, &L.data_len, &L.buf_len };
	static const unsigned int size[7] = { 8, 8, 4, 2, 2, 2, 2 };
	unsigned char used[1024];
	unsigned int i, off, b;
	bool clash;

	if (chance(40)) {
		L = dpdk_layout;
	} else {
		L.hdr_size = hdrs[rnd_below(sizeof(hdrs) / sizeof(hdrs[0]))];
		memset(used, 0, sizeof(used));
		for (i = 0; i < 7; i++) {
			do {
				off = rnd_below(L.hdr_size / size[i]) * size[i];
				clash = false;
				for (b = 0; b < size[i]; b++)
					clash |= used[off + b];
			} while (clash);
			memset(used + off, 1, size[i]);
			*field[i] = off;
		}
	}
	hdr_room = (L.hdr_size + 63) & ~63u;
	obj_size = hdr_room + BUF_ROOM;
}

/* ---- memory ---- */

struct region {
	__u64 addr, len;
};

static struct region reg[2];		/* A and B, registered */
static char *area, *outside;
static size_t area_len, outside_len = 64 << 10;
static bool hugepages;
static char *obj_base[2];		/* first rx object of A and of B */
static char *junk, *txpool;

/* The driver's kni_mem_xlate(): all of [a, a + len) inside one region. */
static bool xlate(__u64 a, __u64 len)
{
	int i;

	for (i = 0; i < 2; i++)
		if (a >= reg[i].addr && len <= reg[i].len &&
		    a - reg[i].addr <= reg[i].len - len)
			return true;
	return false;
}

static char *obj_addr(unsigned int i)
{
	unsigned int half = RX_OBJS / 2;

	return obj_base[i / half] + (size_t)(i % half) * obj_size;
}

/* Which rx object holds address a, or -1. */
static int obj_of(__u64 a)
{
	unsigned int half = RX_OBJS / 2, r;

	for (r = 0; r < 2; r++) {
		__u64 b = (__u64)(uintptr_t)obj_base[r];

		if (a >= b && a < b + (__u64)half * obj_size)
			return r * half + (int)((a - b) / obj_size);
	}
	return -1;
}

static void memory_setup(int fd)
{
	size_t a_len, b_len, pg = 2 << 20;
	struct rte_kni_mem_region r;
	char *p;
	int i;

	a_len = (size_t)JUNK_OBJS * obj_size + (size_t)(RX_OBJS / 2) * obj_size;
	b_len = (size_t)(RX_OBJS / 2) * obj_size + (size_t)TX_OBJS * obj_size;
	area_len = a_len + GAP_LEN + b_len + TAIL_LEN;
	area_len = (area_len + pg - 1) & ~(pg - 1);
	area = MAP_FAILED;
	if (hugepages)
		area = mmap(NULL, area_len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);
	hugepages = area != MAP_FAILED;
	if (!hugepages)
		area = mmap(NULL, area_len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	outside = mmap(NULL, outside_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (area == MAP_FAILED || outside == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* Garbage everywhere first: nothing may depend on zeroes. */
	for (p = area; p < area + area_len; p += 8)
		*(__u64 *)p = rnd64();
	for (p = outside; p < outside + outside_len; p += 8)
		*(__u64 *)p = rnd64();

	/*
	 * A: junk headers, then rx objects.  B starts one odd offset into
	 * the mapping after the gap, so its objects are not page aligned.
	 */
	reg[0].addr = (__u64)(uintptr_t)area;
	reg[0].len = a_len;
	reg[1].addr = reg[0].addr + a_len + GAP_LEN + 8 * rnd_below(8);
	reg[1].len = b_len;
	junk = area;
	obj_base[0] = area + (size_t)JUNK_OBJS * obj_size;
	obj_base[1] = (char *)(uintptr_t)reg[1].addr;
	txpool = obj_base[1] + (size_t)(RX_OBJS / 2) * obj_size;
	for (i = 0; i < 2; i++) {
		r.addr = reg[i].addr;
		r.len = reg[i].len;
		if (ioctl(fd, RTE_KNI_IOC_REG_MEM, &r)) {
			perror("RTE_KNI_IOC_REG_MEM");
			exit(2);
		}
	}
}

/* ---- the interface ---- */

static int kfd = -1;
static char ifname[IFNAMSIZ] = "kfr0";
/* Its rings, and kni_raw's responder answering every request with yes. */
static struct kni kif;
static __u8 ifmac[6];

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

static void die(const char *what, int err)
{
	fprintf(stderr, "kni_fuzz_ring: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(2);
}

static void interface_setup(void)
{
	struct rte_kni_create c;
	struct ifreq ifr;
	char path[128];
	int err;

	kfd = kni_open_dev(true);
	memory_setup(kfd);

	create_defaults(&c, ifname);
	c.ring_size = RING_SIZE;
	c.mtu = MTU;
	c.layout = L;
	if ((err = kni_create_from(&kif, kfd, &c)))
		die("create", err);

	/* Only the rx path is under test: no IPv6 chatter on tx. */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	write_file(path, "1");
	if ((err = if_set_addr(ifname, "192.0.2.1")))
		die("192.0.2.1/24", err);
	if ((err = if_set_flag(ifname, IFF_UP, true)))
		die("up", err);
	if ((err = if_set_carrier(ifname, true)))
		die("carrier on", err);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if ((err = sock_ioctl(SIOCGIFHWADDR, &ifr)))
		die("SIOCGIFHWADDR", err);
	memcpy(ifmac, ifr.ifr_hwaddr.sa_data, 6);
}

/* ---- counters ---- */

enum verdict { V_OK, V_ADDR, V_LEN, V_CHAIN, V_TOO_BIG, V_COUNT };

static const char *const verdict_names[V_COUNT] = {
	"ok", "rx_bad_addr", "rx_bad_len", "rx_bad_chain", "rx_too_big",
};

struct snap {
	__u64 eth[V_COUNT];		/* ethtool -S: [0] unused */
	__u64 rx_nomem;
	__u64 rx_packets, rx_errors, rx_length_errors, rx_frame_errors, rx_dropped;
	__u64 udp_in, udp_noports, udp_inerrors, udp_rcvbuf, udp_csum;
};

static __u64 sys_stat(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &v) != 1)
		die(path, EIO);
	fclose(f);
	return v;
}

static void read_snmp(struct snap *s)
{
	char names[512], vals[512], *n, *v, *sn, *sv;
	FILE *f = fopen("/proc/net/snmp", "r");
	bool found = false;

	if (!f)
		die("/proc/net/snmp", errno);
	while (fgets(names, sizeof(names), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(names, "Udp: ", 5))
			continue;
		found = true;
		n = strtok_r(names + 5, " \n", &sn);
		v = strtok_r(vals + 5, " \n", &sv);
		for (; n && v; n = strtok_r(NULL, " \n", &sn), v = strtok_r(NULL, " \n", &sv)) {
			__u64 x = strtoull(v, NULL, 10);

			if (!strcmp(n, "InDatagrams"))
				s->udp_in = x;
			else if (!strcmp(n, "NoPorts"))
				s->udp_noports = x;
			else if (!strcmp(n, "InErrors"))
				s->udp_inerrors = x;
			else if (!strcmp(n, "RcvbufErrors"))
				s->udp_rcvbuf = x;
			else if (!strcmp(n, "InCsumErrors"))
				s->udp_csum = x;
		}
		break;
	}
	fclose(f);
	if (!found)
		die("/proc/net/snmp: no Udp line", EIO);
}

static void snapshot(struct snap *s)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	struct ethtool_gstrings *str;
	struct ethtool_stats *st;
	struct ifreq ifr;
	unsigned int i, v, n;
	int err;

	memset(s, 0, sizeof(*s));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	ifr.ifr_data = (void *)&di;
	if ((err = sock_ioctl(SIOCETHTOOL, &ifr)))
		die("ETHTOOL_GDRVINFO", err);
	n = di.n_stats;
	str = calloc(1, sizeof(*str) + (size_t)n * ETH_GSTRING_LEN);
	st = calloc(1, sizeof(*st) + (size_t)n * sizeof(__u64));
	str->cmd = ETHTOOL_GSTRINGS;
	str->string_set = ETH_SS_STATS;
	str->len = n;
	ifr.ifr_data = (void *)str;
	if ((err = sock_ioctl(SIOCETHTOOL, &ifr)))
		die("ETHTOOL_GSTRINGS", err);
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = n;
	ifr.ifr_data = (void *)st;
	if ((err = sock_ioctl(SIOCETHTOOL, &ifr)))
		die("ETHTOOL_GSTATS", err);
	for (i = 0; i < n; i++) {
		const char *name = (const char *)str->data + i * ETH_GSTRING_LEN;

		for (v = V_ADDR; v < V_COUNT; v++)
			if (!strcmp(name, verdict_names[v]))
				s->eth[v] = st->data[i];
		if (!strcmp(name, "rx_nomem"))
			s->rx_nomem = st->data[i];
	}
	free(str);
	free(st);
	s->rx_packets = sys_stat("rx_packets");
	s->rx_errors = sys_stat("rx_errors");
	s->rx_length_errors = sys_stat("rx_length_errors");
	s->rx_frame_errors = sys_stat("rx_frame_errors");
	s->rx_dropped = sys_stat("rx_dropped");
	read_snmp(s);
}

/* ---- the receiving socket ---- */

static const __u16 udp_port = 9999;
static int usock = -1;
static __u8 *seen;
static volatile bool stop_receiver;
static unsigned long rcv_total, rcv_ok, rcv_dup, rcv_corrupt, rcv_forbidden;

static __u8 pattern(__u64 seq, unsigned int i)
{
	return (__u8)(seq * 31 + i * 7 + (i >> 8));
}

/* Payload: "KFRZ", seq (u64), payload length (u32), pattern. */
static void check_datagram(const __u8 *p, size_t n)
{
	__u64 seq;
	__u32 len;
	size_t i;

	__atomic_add_fetch(&rcv_total, 1, __ATOMIC_RELAXED);
	if (n < 16 || memcmp(p, "KFRZ", 4)) {
		rcv_corrupt++;
		return;
	}
	memcpy(&seq, p + 4, 8);
	memcpy(&len, p + 12, 4);
	if (seq & SEQ_BAD) {
		rcv_forbidden++;
		return;
	}
	if (len != n || seq >= MAX_GOOD) {
		rcv_corrupt++;
		return;
	}
	for (i = 16; i < n; i++)
		if (p[i] != pattern(seq, i)) {
			rcv_corrupt++;
			return;
		}
	if (seen[seq]) {
		rcv_dup++;
		return;
	}
	seen[seq] = 1;
	__atomic_add_fetch(&rcv_ok, 1, __ATOMIC_RELEASE);
}

static void *receiver(void *arg)
{
	static __u8 buf[64][2048];
	struct mmsghdr msg[64];
	struct iovec iov[64];
	struct pollfd p = { .fd = usock, .events = POLLIN };
	int i, n;

	(void)arg;
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (!stop_receiver) {
		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recvmmsg(usock, msg, 64, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++)
			check_datagram(buf[i], msg[i].msg_len);
	}
	return NULL;
}

static void receiver_setup(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(udp_port) };
	int big = 32 << 20;

	seen = calloc(MAX_GOOD, 1);
	usock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
	/* Above rmem_max; the pacing below keeps well inside it anyway. */
	if (setsockopt(usock, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		die("SO_RCVBUFFORCE", errno);
	if (bind(usock, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind 192.0.2.1", errno);
}

/* ---- frames ---- */

/*
 * To 192.0.2.1:udp_port from a random port, with a random IP id and, one
 * time in five, no UDP checksum.  The payload (see check_datagram()) takes
 * a 64-bit seq, so kni_raw's udp_frame() does not fit; its headers do.
 * The random numbers are drawn in the order the descriptor sequence of a
 * seed has always had.
 */
static unsigned int fuzz_frame(__u8 *f, __u64 seq, unsigned int payload)
{
	struct udp_spec s = { .dst_mac = ifmac, .dport = udp_port };
	__u8 *pl = f + UDP_HDRS;
	__u32 len = payload;
	unsigned int i;

	s.sport = 1024 + rnd_below(60000);
	s.ip_id = (__u16)rnd64();
	memcpy(pl, "KFRZ", 4);
	memcpy(pl + 4, &seq, 8);
	memcpy(pl + 12, &len, 4);
	for (i = 16; i < payload; i++)
		pl[i] = pattern(seq, i);
	s.no_csum = !chance(80);
	return udp_wrap(f, &s, payload);
}

/* ---- the model of kni_mbuf_to_skb() ---- */

struct rec;
static bool header_stable(const struct rec *r, __u64 a);

/*
 * The verdict the kernel must reach for the chain at head, reading the
 * same memory.  *unstable is set if that memory includes a header this
 * descriptor does not own (another one's, which may be rewritten while the
 * kernel reads it): such a prediction would be a guess.
 */
static enum verdict model(__u64 head, const struct rec *r, bool *unstable)
{
	unsigned int seg, nb;
	__u32 pkt_len, copied = 0;
	struct mb m;
	__u64 a = head;

	*unstable = false;
	if (!xlate(a, L.hdr_size))
		return V_ADDR;
	*unstable |= !header_stable(r, a);
	mb_read((void *)(uintptr_t)a, &m);
	pkt_len = m.pkt_len;
	nb = m.nb_segs;
	if (pkt_len < ETH_HLEN_)
		return V_LEN;
	if (pkt_len > MAX_FRAME)
		return V_TOO_BIG;
	if (!nb || nb > RTE_KNI_MAX_SEGS)
		return V_CHAIN;
	for (seg = 0; seg < nb; seg++) {
		if (seg) {
			if (!m.next || !xlate(m.next, L.hdr_size))
				return V_CHAIN;
			*unstable |= !header_stable(r, m.next);
			mb_read((void *)(uintptr_t)m.next, &m);
		}
		if (m.data_len > pkt_len - copied)
			return V_LEN;
		if ((__u32)m.data_off + m.data_len > m.buf_len)
			return V_LEN;
		if (!xlate(m.buf_addr + m.data_off, m.data_len))
			return V_LEN;
		copied += m.data_len;
	}
	if (m.next)
		return V_CHAIN;
	if (copied != pkt_len)
		return V_LEN;
	return V_OK;
}

/* ---- descriptors ---- */

enum klass {
	K_GOOD,
	K_ADDR_OUTSIDE, K_ADDR_GAP, K_ADDR_EDGE, K_ADDR_WILD,
	K_LEN_SHORT, K_TOO_BIG, K_CHAIN_ZERO, K_CHAIN_HUGE, K_CHAIN_SHORT,
	K_CHAIN_LONG, K_CYCLE, K_SELF_LOOP, K_NEXT_OUT, K_LEN_OVER, K_LEN_BUF,
	K_BUF_OUT, K_LEN_SUM, K_MUTATED, K_RANDOM_HDR, K_MISALIGNED,
	K_COUNT,
};

static const char *const klass_names[K_COUNT] = {
	"good", "addr-outside", "addr-gap", "addr-edge", "addr-wild",
	"pkt_len-short", "too-big", "nb_segs-0", "nb_segs-huge", "chain-short",
	"chain-long", "cycle", "self-loop", "next-outside", "data_len-over",
	"data-off-buffer", "buf_addr-outside", "len-sum", "mutated", "random-header",
	"misaligned-head",
};

/* What a descriptor took from the pool, until free_q gives it back. */
struct rec {
	__u64 head;
	unsigned int nobj;
	__u16 obj[MAX_REC_OBJS];
	bool good;
};

static struct rec fifo[FIFO_SIZE];
static unsigned int fifo_head, fifo_tail;	/* push at head, pop at tail */

static __u16 free_stack[RX_OBJS];
static unsigned int free_top;

static unsigned long posted, posted_good, pred[V_COUNT];
static unsigned long klass_n[K_COUNT][V_COUNT];
static unsigned long returned, return_mismatch, tx_frames, tx_bad, forced;
static bool chaos_mode;
static __u64 next_seq;
static bool verbose;

static unsigned int pool_free(void)
{
	return free_top;
}

static char *obj_take(struct rec *r)
{
	unsigned int i = free_stack[--free_top];

	r->obj[r->nobj++] = (__u16)i;
	return obj_addr(i);
}

/* Fill a header with garbage, then set the fields the kernel reads. */
static void hdr_init(char *h, const struct mb *m)
{
	unsigned int i;

	for (i = 0; i + 8 <= L.hdr_size; i += 8)
		*(__u64 *)(h + i) = rnd64();
	mb_write(h, m);
}

/* A segment whose buffer is this object's room, shifted at random. */
static void seg_buffer(char *obj, struct mb *m, unsigned int data_len)
{
	unsigned int shift = chance(50) ? rnd_below(64) : 0;
	unsigned int tail = chance(50) ? rnd_below(64) : 0;

	m->buf_addr = (__u64)(uintptr_t)(obj + hdr_room + shift);
	m->buf_len = BUF_ROOM - shift - tail;
	m->data_off = rnd_below(m->buf_len - data_len + 1);
	m->data_len = data_len;
}

/* An address outside both regions whose header the kernel never reads. */
static __u64 bad_addr(void)
{
	static const __u64 wild[] = {
		0, 1, 8, 4096, 0xffffffff81000000ULL, 0xffff888000000000ULL,
		0x8000000000000000ULL, 0x00007ffffffff000ULL, ~0ULL, ~0ULL - 7,
	};
	__u64 a;

	switch (rnd_below(6)) {
	case 0:		/* unregistered, mapped */
		return (__u64)(uintptr_t)outside + rnd_below(outside_len - L.hdr_size);
	case 1:		/* the gap between A and B */
		return reg[0].addr + reg[0].len + rnd_below(GAP_LEN - L.hdr_size);
	case 2:		/* header running over the end of A or B */
		a = reg[rnd_below(2)].addr;
		a += (a == reg[0].addr ? reg[0].len : reg[1].len) - rnd_range(1, L.hdr_size - 1);
		return a;
	case 3:		/* header starting before A or B */
		return reg[rnd_below(2)].addr - rnd_range(1, L.hdr_size - 1);
	case 4:
		return wild[rnd_below(sizeof(wild) / sizeof(wild[0]))];
	default:
		do
			a = rnd64();
		while (xlate(a, 1) || xlate(a + L.hdr_size, 1));
		return a;
	}
}

/*
 * Build a good chain carrying frame f (len bytes) into nseg fresh objects;
 * returns the head.  Fields the kernel must ignore get garbage.
 */
static __u64 build_chain(struct rec *r, const __u8 *f, unsigned int len,
			 unsigned int nseg)
{
	unsigned int cut[RTE_KNI_MAX_SEGS + 1], i, j, t, off;
	char *h[RTE_KNI_MAX_SEGS];
	struct mb m;

	/* nseg - 1 sorted cut points in [0, len]: empty segments allowed */
	cut[0] = 0;
	cut[nseg] = len;
	for (i = 1; i < nseg; i++)
		cut[i] = rnd_below(len + 1);
	for (i = 1; i < nseg; i++)
		for (j = i + 1; j < nseg; j++)
			if (cut[j] < cut[i]) {
				t = cut[i];
				cut[i] = cut[j];
				cut[j] = t;
			}
	for (i = 0; i < nseg; i++)
		h[i] = obj_take(r);
	for (i = 0; i < nseg; i++) {
		memset(&m, 0, sizeof(m));
		seg_buffer(h[i], &m, cut[i + 1] - cut[i]);
		off = cut[i];
		memcpy((char *)(uintptr_t)m.buf_addr + m.data_off, f + off, m.data_len);
		m.next = i + 1 < nseg ? (__u64)(uintptr_t)h[i + 1] : 0;
		/* only the head's pkt_len and nb_segs count */
		m.pkt_len = i ? (__u32)rnd64() : len;
		m.nb_segs = i ? (__u16)rnd64() : nseg;
		hdr_init(h[i], &m);
	}
	return (__u64)(uintptr_t)h[0];
}

static unsigned int good_segments(void)
{
	unsigned int x = rnd_below(100);

	if (x < 55)
		return 1;
	if (x < 85)
		return rnd_range(2, 8);
	if (x < 95)
		return rnd_range(9, RTE_KNI_MAX_SEGS - 1);
	return RTE_KNI_MAX_SEGS;
}

/* Headers of a chain built by build_chain(), in order. */
static unsigned int chain_headers(const struct rec *r, char **h)
{
	unsigned int i;

	for (i = 0; i < r->nobj; i++)
		h[i] = obj_addr(r->obj[i]);
	return r->nobj;
}

/*
 * May the kernel read a header at a?  Only if nobody writes it while this
 * descriptor is out: it is outside registered memory (never read), in the
 * fixed junk headers, or inside one of this descriptor's own objects.
 */
static bool header_stable(const struct rec *r, __u64 a)
{
	unsigned int i;
	int o;

	if (!xlate(a, L.hdr_size))
		return true;
	if (a >= (__u64)(uintptr_t)junk &&
	    a + L.hdr_size <= (__u64)(uintptr_t)junk + (__u64)JUNK_OBJS * obj_size)
		return true;
	o = obj_of(a);
	if (o < 0 || obj_of(a + L.hdr_size - 1) != o)
		return false;
	for (i = 0; i < r->nobj; i++)
		if (r->obj[i] == o)
			return true;
	return false;
}

static void mutate_one(struct rec *r, char **h, unsigned int n)
{
	static const __u32 b32[] = { 0, 1, 13, 14, 15, 59, 60, 1514, 1518, 1519,
				     2304, 65535, 65536, 0x7fffffff, 0xffffffff };
	char *m = h[rnd_below(n)];
	__u64 a;

	switch (rnd_below(7)) {
	case 0:
		FLD(m, L.pkt_len, __u32) = chance(50) ? b32[rnd_below(15)] :
					   FLD(m, L.pkt_len, __u32) + rnd_range(1, 3) * (chance(50) ? 1 : -1);
		break;
	case 1:
		FLD(m, L.nb_segs, __u16) = chance(50) ? (__u16)b32[rnd_below(15)] :
					   FLD(m, L.nb_segs, __u16) + (chance(50) ? 1 : -1);
		break;
	case 2:
		FLD(m, L.data_len, __u16) = chance(50) ? (__u16)b32[rnd_below(15)] :
					    FLD(m, L.data_len, __u16) + (chance(50) ? 1 : -1);
		break;
	case 3:
		FLD(m, L.data_off, __u16) = chance(50) ? (__u16)b32[rnd_below(15)] :
					    FLD(m, L.data_off, __u16) + (chance(50) ? 1 : -1);
		break;
	case 4:
		FLD(m, L.buf_len, __u16) = chance(50) ? (__u16)b32[rnd_below(15)] :
					   FLD(m, L.buf_len, __u16) + (chance(50) ? 1 : -1);
		break;
	case 5:
		a = FLD(m, L.buf_addr, __u64);
		FLD(m, L.buf_addr, __u64) = chance(50) ? bad_addr() :
			a ^ (1ULL << rnd_below(64));
		break;
	default:
		a = FLD(m, L.next, __u64);
		do {
			switch (rnd_below(4)) {
			case 0: a = bad_addr(); break;
			case 1: a = (__u64)(uintptr_t)h[rnd_below(n)]; break;
			case 2: a ^= 1ULL << rnd_below(64); break;
			default: a = (__u64)(uintptr_t)junk +
				     rnd_below(JUNK_OBJS) * obj_size; break;
			}
		} while (!header_stable(r, a));
		FLD(m, L.next, __u64) = a;
	}
}

/* Pool objects a class may need at most. */
static unsigned int klass_objs(enum klass k)
{
	switch (k) {
	case K_ADDR_OUTSIDE: case K_ADDR_GAP: case K_ADDR_EDGE: case K_ADDR_WILD:
		return 0;
	case K_GOOD: case K_MUTATED: case K_CHAIN_LONG: case K_CHAIN_SHORT:
	case K_CYCLE: case K_NEXT_OUT: case K_LEN_OVER: case K_LEN_BUF:
	case K_BUF_OUT: case K_LEN_SUM:
		return RTE_KNI_MAX_SEGS;
	default:
		return 1;
	}
}

static enum klass pick_klass(unsigned int good_pct)
{
	if (chance(good_pct))
		return K_GOOD;
	return (enum klass)rnd_range(K_ADDR_OUTSIDE, K_COUNT - 1);
}

/* A frame for a chain: good ones get the next sequence number. */
static unsigned int make_frame(__u8 *f, bool good)
{
	unsigned int payload = chance(20) ? rnd_range(16, 64) : rnd_range(16, MTU - 28);

	return fuzz_frame(f, good ? next_seq : SEQ_BAD | rnd64(), payload);
}

/*
 * Build one descriptor of class k into r; returns its head and the
 * verdict the model predicts.  A bad class that came out good by chance
 * is forced bad in a class-neutral way (pkt_len below ETH_HLEN).
 */
static __u64 build(enum klass k, struct rec *r, enum verdict *v)
{
	static __u8 f[2048];
	char *h[MAX_REC_OBJS], *m;
	unsigned int len, n, i, tries;
	bool unstable;
	struct mb mb;
	__u64 head;

	r->nobj = 0;
	r->good = k == K_GOOD;
	switch (k) {
	case K_GOOD:
		len = make_frame(f, true);
		head = build_chain(r, f, len, good_segments());
		break;
	case K_ADDR_OUTSIDE:
		/* a perfectly good mbuf, but in memory nobody registered */
		m = outside + rnd_below((outside_len - obj_size) / 64) * 64;
		len = make_frame(f, false);
		memset(&mb, 0, sizeof(mb));
		mb.buf_addr = (__u64)(uintptr_t)(m + hdr_room);
		mb.buf_len = BUF_ROOM;
		mb.data_len = len;
		mb.pkt_len = len;
		mb.nb_segs = 1;
		memcpy(m + hdr_room, f, len);
		hdr_init(m, &mb);
		head = (__u64)(uintptr_t)m;
		break;
	case K_ADDR_GAP:
		head = reg[0].addr + reg[0].len + rnd_below(GAP_LEN - L.hdr_size);
		break;
	case K_ADDR_EDGE:
	case K_ADDR_WILD:
		do
			head = bad_addr();
		while (xlate(head, L.hdr_size));
		break;
	case K_LEN_SHORT:
	case K_TOO_BIG:
	case K_CHAIN_ZERO:
	case K_CHAIN_HUGE:
		len = make_frame(f, false);
		head = build_chain(r, f, len, 1);
		m = (char *)(uintptr_t)head;
		if (k == K_LEN_SHORT)
			FLD(m, L.pkt_len, __u32) = rnd_below(ETH_HLEN_);
		else if (k == K_TOO_BIG)
			FLD(m, L.pkt_len, __u32) = chance(50) ? rnd_range(MAX_FRAME + 1, 65535) :
						   (__u32)rnd64() | 0x10000;
		else if (k == K_CHAIN_ZERO)
			FLD(m, L.nb_segs, __u16) = 0;
		else
			FLD(m, L.nb_segs, __u16) = rnd_range(RTE_KNI_MAX_SEGS + 1, 65535);
		break;
	case K_CHAIN_SHORT:
	case K_CHAIN_LONG:
		len = make_frame(f, false);
		n = rnd_range(2, RTE_KNI_MAX_SEGS);
		head = build_chain(r, f, len, n);
		m = (char *)(uintptr_t)head;
		FLD(m, L.nb_segs, __u16) = k == K_CHAIN_SHORT ?
			n + rnd_range(1, RTE_KNI_MAX_SEGS - n + 1) : rnd_range(1, n - 1);
		break;
	case K_CYCLE:
	case K_SELF_LOOP:
		/* small segments so the walk goes round, not over pkt_len */
		len = make_frame(f, false);
		n = k == K_SELF_LOOP ? 1 : rnd_range(2, 16);
		head = build_chain(r, f, n * rnd_range(0, 8), n);
		chain_headers(r, h);
		FLD(h[n - 1], L.next, __u64) = (__u64)(uintptr_t)h[rnd_below(n)];
		FLD(h[0], L.nb_segs, __u16) = rnd_range(n + 1, RTE_KNI_MAX_SEGS);
		FLD(h[0], L.pkt_len, __u32) = rnd_range(ETH_HLEN_ + 8 * RTE_KNI_MAX_SEGS, MAX_FRAME);
		break;
	case K_NEXT_OUT:
		len = make_frame(f, false);
		n = rnd_range(1, 8);
		head = build_chain(r, f, len, n);
		chain_headers(r, h);
		i = rnd_below(n);
		FLD(h[i], L.next, __u64) = bad_addr();
		if (i == n - 1 && chance(50))	/* also walk into it */
			FLD(h[0], L.nb_segs, __u16) = n + 1;
		break;
	case K_LEN_OVER:
	case K_LEN_BUF:
	case K_BUF_OUT:
		len = make_frame(f, false);
		n = rnd_range(1, 8);
		head = build_chain(r, f, len, n);
		chain_headers(r, h);
		m = h[rnd_below(n)];
		if (k == K_LEN_OVER) {
			FLD(m, L.data_len, __u16) = FLD(m, L.data_len, __u16) +
						    rnd_range(1, 600);
		} else if (k == K_LEN_BUF) {
			__u16 bl = FLD(m, L.buf_len, __u16), dl = FLD(m, L.data_len, __u16);

			FLD(m, L.data_off, __u16) = bl - dl + rnd_range(1, 100);
		} else {
			FLD(m, L.buf_addr, __u64) = bad_addr() - FLD(m, L.data_off, __u16);
		}
		break;
	case K_LEN_SUM:
		len = make_frame(f, false);
		head = build_chain(r, f, len, rnd_range(1, 8));
		m = (char *)(uintptr_t)head;
		FLD(m, L.pkt_len, __u32) = len + (chance(50) || len <= 14 ? rnd_range(1, 4) :
						  -rnd_range(1, len - 14));
		break;
	case K_MUTATED:
		len = make_frame(f, false);
		head = build_chain(r, f, len, good_segments());
		n = chain_headers(r, h);
		for (tries = 0; tries < 8 && model(head, r, &unstable) == V_OK; tries++)
			mutate_one(r, h, n);
		break;
	case K_RANDOM_HDR:
		/*
		 * Every field random, each either over its whole range or
		 * in a plausible one, so that the walk gets past the first
		 * checks often enough.
		 */
		m = obj_take(r);
		for (i = 0; i + 8 <= L.hdr_size; i += 8)
			*(__u64 *)(m + i) = rnd64();
		mb_read(m, &mb);
		if (chance(70))
			mb.pkt_len = rnd_below(2 * MAX_FRAME);
		if (chance(70))
			mb.nb_segs = rnd_below(RTE_KNI_MAX_SEGS + 8);
		if (chance(70))
			mb.data_len = rnd_below(BUF_ROOM + 64);
		if (chance(70))
			mb.data_off = rnd_below(BUF_ROOM + 64);
		if (chance(70))
			mb.buf_len = rnd_below(BUF_ROOM + 64);
		if (chance(70))
			mb.buf_addr = (__u64)(uintptr_t)m + rnd_below(obj_size + 256) - 128;
		switch (rnd_below(4)) {
		case 0: mb.next = 0; break;
		case 1: mb.next = (__u64)(uintptr_t)m; break;
		case 2: mb.next = bad_addr(); break;
		default: break;	/* random; made harmless below if need be */
		}
		mb_write(m, &mb);
		head = (__u64)(uintptr_t)m;
		break;
	default:	/* K_MISALIGNED: a good mbuf's header read a few bytes off */
		len = make_frame(f, false);
		head = build_chain(r, f, len, 1) + rnd_range(1, 31);
		break;
	}
	if (chaos_mode) {		/* memory is being flipped: no prediction */
		*v = V_OK;
		return head;
	}
	*v = model(head, r, &unstable);
	/*
	 * A bad class that came out good by chance, or whose chain leads into
	 * memory it does not own: make it bad at the first check instead
	 * (pkt_len below ETH_HLEN), which reads nothing else.
	 */
	if (k != K_GOOD && (*v == V_OK || unstable)) {
		FLD((char *)(uintptr_t)head, L.pkt_len, __u32) = rnd_below(ETH_HLEN_);
		*v = model(head, r, &unstable);
		forced++;
	}
	if (unstable) {
		fprintf(stderr, "kni_fuzz_ring: generator bug: %s reads memory it does not own\n",
			klass_names[k]);
		exit(2);
	}
	return head;
}

/* ---- recycling ---- */

static void free_rec(const struct rec *r)
{
	unsigned int i;

	for (i = 0; i < r->nobj; i++)
		free_stack[free_top++] = r->obj[i];
}

/* Take what free_q gave back: exactly the heads expected, in order. */
static unsigned int service_free(void)
{
	struct kni_ring *fq = &kif.ring[RTE_KNI_RING_FREE];
	unsigned int n, i, total = 0;
	__u64 a[256];
	struct rec *r;

	while ((n = kni_ring_get_u64(fq, a, 256))) {
		for (i = 0; i < n; i++) {
			if (fifo_tail == fifo_head) {
				if (return_mismatch++ < 10)
					printf("MISMATCH: free_q returned 0x%llx, nothing outstanding\n",
					       (unsigned long long)a[i]);
				continue;
			}
			r = &fifo[fifo_tail++ % FIFO_SIZE];
			if (a[i] != r->head && return_mismatch++ < 10)
				printf("MISMATCH: free_q returned 0x%llx, expected 0x%llx\n",
				       (unsigned long long)a[i], (unsigned long long)r->head);
			free_rec(r);
			returned++;
		}
		total += n;
	}
	return total;
}

/* The tx side: keep alloc_q stocked, take tx_q's chains back. */
static __u16 tx_free[TX_OBJS];
static unsigned int tx_free_n;

static void service_tx(void)
{
	struct kni_ring *aq = &kif.ring[RTE_KNI_RING_ALLOC], *tq = &kif.ring[RTE_KNI_RING_TX];
	unsigned int i, segs;
	__u64 a, next;
	char *m;
	long o;

	while (kni_ring_get_u64(tq, &a, 1)) {
		tx_frames++;
		for (segs = 0; a && segs < RTE_KNI_MAX_SEGS; segs++) {
			o = (long)(a - (__u64)(uintptr_t)txpool);
			if (o < 0 || o % obj_size || o / obj_size >= TX_OBJS) {
				tx_bad++;
				break;
			}
			m = (char *)(uintptr_t)a;
			next = FLD(m, L.next, __u64);
			tx_free[tx_free_n++] = (__u16)(o / obj_size);
			a = next;
		}
	}
	while (tx_free_n && kni_ring_free(aq)) {
		i = tx_free[--tx_free_n];
		m = txpool + (size_t)i * obj_size;
		FLD(m, L.buf_addr, __u64) = (__u64)(uintptr_t)(m + hdr_room);
		FLD(m, L.buf_len, __u16) = BUF_ROOM;
		FLD(m, L.data_off, __u16) = 128;
		a = (__u64)(uintptr_t)m;
		kni_ring_put_u64(aq, &a, 1);
	}
	if (kni_ring_needs_wakeup(tq))
		kni_wakeup(&kif);
}

/* ---- the run ---- */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static unsigned long good_pending(void)
{
	return posted_good - __atomic_load_n(&rcv_ok, __ATOMIC_ACQUIRE);
}

static void post_loop(double secs, unsigned int good_pct)
{
	struct kni_ring *rx = &kif.ring[RTE_KNI_RING_RX];
	double end = now() + secs;
	unsigned int room, i, n;
	__u64 batch[32];
	enum verdict v;
	enum klass k;
	struct rec *r;
	__u64 head;

	k = pick_klass(good_pct);
	while (now() < end && !got_signal) {
		if (service_free() && kni_ring_needs_wakeup(rx))
			kni_wakeup(&kif);	/* NAPI stopped for lack of free_q room */
		service_tx();
		room = kni_ring_free(rx);
		if (room > 32)
			room = 32;
		/* Pace to the socket: its buffer must never overflow. */
		if (good_pending() > GOOD_INFLIGHT) {
			usleep(200);
			continue;
		}
		for (n = 0; n < room; n++) {
			if (pool_free() < klass_objs(k) ||
			    fifo_head - fifo_tail >= FIFO_SIZE - 1)
				break;
			r = &fifo[fifo_head % FIFO_SIZE];
			head = build(k, r, &v);
			r->head = head;
			if ((k == K_GOOD) != (v == V_OK)) {
				fprintf(stderr, "kni_fuzz_ring: generator bug: %s came out %s\n",
					klass_names[k], verdict_names[v]);
				exit(2);
			}
			if (v != V_ADDR)
				fifo_head++;	/* comes back on free_q */
			else
				free_rec(r);	/* (owns nothing) */
			if (verbose)
				printf("desc %lu: %s head 0x%llx -> %s\n", posted, klass_names[k],
				       (unsigned long long)head, verdict_names[v]);
			posted++;
			pred[v]++;
			klass_n[k][v]++;
			if (k == K_GOOD) {
				posted_good++;
				next_seq++;
			}
			batch[n] = head;
			k = pick_klass(good_pct);
		}
		if (!n) {
			if (kni_ring_needs_wakeup(rx))
				kni_wakeup(&kif);
			usleep(100);
			continue;
		}
		for (i = 0; i < n; i++)
			kni_write_once(*(__u64 *)kni_ring_prod_slot(rx, i), batch[i]);
		kni_ring_submit(rx, n);
		if (kni_ring_needs_wakeup(rx))
			kni_wakeup(&kif);
	}
}

/* Until the kernel took everything and gave back all it should. */
static bool drain(double timeout)
{
	struct kni_ring *rx = &kif.ring[RTE_KNI_RING_RX];
	double end = now() + timeout, last_kick = 0;

	while (now() < end) {
		service_free();
		service_tx();
		if (kni_load_acquire(rx->consumer) == rx->head && fifo_head == fifo_tail)
			return true;
		if (kni_ring_needs_wakeup(rx) || now() - last_kick > 0.5) {
			kni_wakeup(&kif);
			last_kick = now();
		}
		usleep(1000);
	}
	return false;
}

/* Until the socket has every good frame, or nothing came for a while. */
static void wait_socket(double quiet)
{
	unsigned long last = ~0UL, got;
	double since = now();

	for (;;) {
		got = __atomic_load_n(&rcv_total, __ATOMIC_RELAXED);
		if (__atomic_load_n(&rcv_ok, __ATOMIC_ACQUIRE) >= posted_good)
			break;
		if (got != last) {
			last = got;
			since = now();
		} else if (now() - since > quiet) {
			break;
		}
		usleep(10000);
	}
	usleep(300000);		/* and anything that should not come */
}

/* ---- chaos: no exact accounting, only "the kernel survives" ---- */

static volatile bool stop_flipper;
static unsigned long flips;

/*
 * Rewrite mbuf fields at random while the kernel may be reading them: a
 * field read twice would see two values.
 */
static void *flipper(void *arg)
{
	static const unsigned short sz[7] = { 8, 8, 4, 2, 2, 2, 2 };
	__u64 x = (__u64)(uintptr_t)arg;
	unsigned short off[7];
	char *m;
	int f;

	off[0] = L.buf_addr; off[1] = L.next; off[2] = L.pkt_len; off[3] = L.data_off;
	off[4] = L.nb_segs; off[5] = L.data_len; off[6] = L.buf_len;
	while (!stop_flipper) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		m = obj_addr((x >> 33) % RX_OBJS);
		f = (x >> 20) % 7;
		switch (sz[f]) {
		case 8:
			FLD(m, off[f], __u64) = (x & 1) ? (__u64)(uintptr_t)obj_addr((x >> 40) % RX_OBJS) :
						 x >> 3;
			break;
		case 4:
			FLD(m, off[f], __u32) = (x & 1) ? (x >> 13) % 1600 : (__u32)(x >> 24);
			break;
		default:
			FLD(m, off[f], __u16) = (x & 1) ? (x >> 13) % 2400 : (__u16)(x >> 30);
		}
		/* leave the two vCPUs to the poster and NAPI now and then */
		if (!(__atomic_add_fetch(&flips, 1, __ATOMIC_RELAXED) & 1023))
			usleep(50);
	}
	return NULL;
}

/*
 * A producer, consumer or flags word of ring g: a random value, a jump
 * forward or backward by 2^k for any k, exactly 2^31 ahead, or back to
 * where the other side last put it.
 */
static void scribble_word(const struct kni_ring *g)
{
	__u32 *word = rnd_below(3) == 0 ? g->producer : rnd_below(2) ? g->consumer : g->flags;
	__u32 v = kni_read_once(*word);

	switch (rnd_below(5)) {
	case 0: v = (__u32)rnd64(); break;
	case 1: v += 1U << rnd_below(32); break;
	case 2: v -= 1U << rnd_below(32); break;
	case 3: v += 1U << 31; break;
	default: v += rnd_below(2 * g->size) - g->size;
	}
	kni_write_once(*word, v);
}

/* A run of ring g's slots, from anywhere, overwritten with garbage. */
static void scribble_slots(const struct kni_ring *g)
{
	__u32 i, first = (__u32)rnd64(), n = rnd_range(1, g->size);
	unsigned int kind = rnd_below(4);
	unsigned char *slot;
	__u64 v;

	for (i = 0; i < n; i++) {
		slot = kni_ring_slot(g, first + i);
		switch (kind) {
		case 0: v = 0; break;
		case 1: v = bad_addr(); break;
		case 2: v = (__u64)(uintptr_t)obj_addr(rnd_below(RX_OBJS)) + rnd_below(L.hdr_size); break;
		default: v = rnd64();
		}
		/* request slots are larger: fill their first words too */
		memcpy(slot, &v, sizeof(v));
		if (g->entry_size >= 2 * sizeof(v))
			memcpy(slot + sizeof(v), &v, sizeof(v));
	}
}

static void set_neighbour(void)
{
	struct arpreq ar;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ar.arp_pa;

	memset(&ar, 0, sizeof(ar));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &sin->sin_addr);
	ar.arp_ha.sa_family = 1;	/* ARPHRD_ETHER */
	memcpy(ar.arp_ha.sa_data, peer_mac, 6);
	ar.arp_flags = ATF_COM | ATF_PERM;
	snprintf(ar.arp_dev, sizeof(ar.arp_dev), "%s", ifname);
	sock_ioctl(SIOCSARP, &ar);
}

/*
 * For secs seconds: descriptors of every class posted without tracking,
 * anything on alloc_q, every shared word of the six rings scribbled on,
 * runs of slots overwritten, a runaway alloc_q held for a while, fields
 * flipped under the kernel's feet, tx traffic, up/down and MTU changes.
 * The rings are garbage afterwards: only closing the file ends this
 * interface.
 */
static void chaos(double secs)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7) };
	struct kni_ring *rx = &kif.ring[RTE_KNI_RING_RX], *aq = &kif.ring[RTE_KNI_RING_ALLOC];
	unsigned long cposted = 0, scribbles = 0, sent = 0, updowns = 0, mtus = 0, runaways = 0;
	double runaway = 0;		/* until when a runaway alloc_q is held */
	double end = now() + secs;
	pthread_t ft;
	static __u8 msg[9000];
	struct rec r;
	enum verdict v;
	__u64 a[64];
	unsigned int i, n;
	int tx;

	chaos_mode = true;
	set_neighbour();
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	inet_pton(AF_INET, "192.0.2.2", &to.sin_addr);
	pthread_create(&ft, NULL, flipper, (void *)(uintptr_t)rnd64());
	while (now() < end) {
		/* rx: objects are reused at once, whatever the kernel does */
		n = kni_ring_free(rx);
		for (i = 0; i < n && i < 32; i++) {
			r.nobj = 0;
			if (pool_free() < RTE_KNI_MAX_SEGS + 2) {
				free_top = 0;
				for (; free_top < RX_OBJS; free_top++)
					free_stack[free_top] = (__u16)rnd_below(RX_OBJS);
			}
			a[i] = chance(10) ? (__u64)(uintptr_t)obj_addr(rnd_below(RX_OBJS)) :
			       build(pick_klass(30), &r, &v);
			cposted++;
		}
		if (i) {
			for (n = 0; n < i; n++)
				kni_write_once(*(__u64 *)kni_ring_prod_slot(rx, n), a[n]);
			kni_ring_submit(rx, i);
		}
		/* once per round: a scribbled producer word never runs dry */
		kni_ring_get_u64(&kif.ring[RTE_KNI_RING_FREE], a, 64);
		kni_ring_get_u64(&kif.ring[RTE_KNI_RING_TX], a, 64);
		/*
		 * Now and then a runaway alloc_q, held for a while: every
		 * slot unusable and the producer index 2^31 ahead, under tx
		 * traffic (one ndo_start_xmit used to walk all of it) in
		 * bursts that use up the stash of good mbufs first.  Held
		 * longer than the kernel keeps a stopped queue stopped (1 s),
		 * and begun with tx_q emptied and a kick, so that frames do
		 * reach ndo_start_xmit meanwhile: held for rounds, it could
		 * end before a stopped queue reopened, and on 4206f67 it
		 * never met the unbounded walk.  The first comes at once: a
		 * short chaos phase has only a few dozen rounds under TCG.
		 */
		if (!runaway && (!runaways || chance(1))) {
			for (i = 0; i < aq->size; i++)
				kni_write_once(*(__u64 *)kni_ring_slot(aq, i),
					       chance(50) ? bad_addr() : 0);
			kni_store_release(aq->producer, aq->head + (1U << 31));
			/* bounded: tx_q's producer may be scribbled far ahead */
			for (i = 0; i < RTE_KNI_RING_MAX / 64 &&
			     kni_ring_get_u64(&kif.ring[RTE_KNI_RING_TX], a, 64); i++)
				;
			kni_wakeup(&kif);
			runaway = now() + rnd_range(1200, 2500) / 1000.0;
			runaways++;
		}
		/* enough frames to use up the stash and reach the runaway */
		for (i = 0; runaway && i < 4; i++) {
			n = rnd_range(60, 1400);
			sent += sendto(tx, msg, n, 0, (struct sockaddr *)&to, sizeof(to)) > 0;
		}
		if (runaway && now() >= runaway) {
			kni_store_release(aq->producer, aq->head);
			runaway = 0;
		}
		/* alloc_q: good tx mbufs, rx objects in use, bad addresses */
		for (i = 0; i < 16 && !runaway && kni_ring_free(aq); i++) {
			switch (rnd_below(4)) {
			case 0: a[0] = bad_addr(); break;
			case 1: a[0] = (__u64)(uintptr_t)obj_addr(rnd_below(RX_OBJS)); break;
			default: a[0] = (__u64)(uintptr_t)(txpool + rnd_below(TX_OBJS) * obj_size);
			}
			kni_ring_put_u64(aq, a, 1);
		}
		/*
		 * Every shared word of all six rings: indices jumping forward
		 * and backward by any amount (2^31 included), flags, and runs
		 * of slots overwritten with garbage, so that an index far
		 * ahead may also point at nothing usable.
		 */
		if (chance(5)) {
			scribble_word(&kif.ring[rnd_below(RTE_KNI_RING_COUNT)]);
			scribbles++;
		}
		if (chance(2)) {
			scribble_slots(&kif.ring[rnd_below(RTE_KNI_RING_COUNT)]);
			scribbles++;
		}
		/* and now and then our own side's words put right again */
		if (!runaway && chance(2)) {
			kni_store_release(rx->producer, rx->head);
			kni_store_release(kif.ring[RTE_KNI_RING_FREE].consumer,
					  kif.ring[RTE_KNI_RING_FREE].head);
			kni_store_release(aq->producer, aq->head);
			kni_store_release(kif.ring[RTE_KNI_RING_TX].consumer,
					  kif.ring[RTE_KNI_RING_TX].head);
		}
		if (chance(30)) {
			n = rnd_range(1, chance(10) ? sizeof(msg) : 1400);
			sent += sendto(tx, msg, n, 0, (struct sockaddr *)&to, sizeof(to)) > 0;
		}
		if (chance(1)) {
			if_set_flag(ifname, IFF_UP, false);
			if_set_flag(ifname, IFF_UP, true);
			set_neighbour();	/* down flushed it */
			updowns++;
		}
		if (chance(1)) {
			if_set_mtu(ifname, chance(50) ? MTU : (int)rnd_range(68, 9000));
			mtus++;
		}
		if (chance(20))
			kni_wakeup(&kif);
	}
	stop_flipper = true;
	pthread_join(ft, NULL);
	close(tx);
	printf("kni_fuzz_ring: chaos secs=%.0f posted=%lu flips=%lu scribbles=%lu runaways=%lu sent=%lu updowns=%lu mtu_changes=%lu\n",
	       secs, cposted, flips, scribbles, runaways, sent, updowns, mtus);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kni_fuzz_ring [--seed N] [--secs N] [--good PCT] [--name IF]\n"
		"                     [--hugepages] [--hold] [--chaos N] [--verbose]\n"
		"\n"
		"Posts random good and hostile descriptors to the rx ring of a new KNI\n"
		"interface for N seconds (default 10), then checks that the kernel dropped\n"
		"and counted exactly the bad ones (per reason) and delivered every good\n"
		"one to a UDP socket.  Prints the seed (replay with --seed), then\n"
		"  kni_fuzz_ring: seed=S posted=N good=N bad=N delivered=N ... result=ok|FAIL\n"
		"and exits 1 on any difference.\n"
		"\n"
		"  --seed N      random seed (default: from the clock)\n"
		"  --secs N      how long to post (default 10)\n"
		"  --good PCT    share of good descriptors (default 40)\n"
		"  --name IF     interface name (default kfr0)\n"
		"  --hugepages   put the mbufs in hugepages if there are any\n"
		"  --hold        after printing, keep the interface until SIGUSR1 or SIGTERM\n"
		"  --chaos N     then N seconds of untracked hostility: every index and flags\n"
		"                word of all six rings jumping by any amount, runs of slots\n"
		"                overwritten, a runaway alloc_q (2^31 ahead over unusable\n"
		"                slots), mbuf fields flipped while in flight, garbage on\n"
		"                alloc_q with tx traffic, up/down and MTU changes (the kernel\n"
		"                must survive, and never stall)\n"
		"  --verbose     print every descriptor and its predicted verdict\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "secs", required_argument, NULL, 't' },
		{ "good", required_argument, NULL, 'g' },
		{ "name", required_argument, NULL, 'n' },
		{ "hugepages", no_argument, NULL, 'H' },
		{ "hold", no_argument, NULL, 'o' },
		{ "chaos", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int good_pct = 40, i, v;
	unsigned long bad, fails = 0, wakeups, wakeup_errors;
	bool hold = false, drained;
	struct snap s0, s1;
	struct timespec ts;
	double secs = 10, chaos_secs = 0, t0, t1, t_start = now(), t_setup, t_drain;
	pthread_t rt;
	__u64 seed;
	int opt;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			fails++;					\
			printf("FAIL: " __VA_ARGS__);			\
			putchar('\n');					\
		}							\
	} while (0)

	clock_gettime(CLOCK_MONOTONIC, &ts);
	seed = (__u64)ts.tv_sec * 1000003ULL ^ (__u64)ts.tv_nsec ^ (__u64)getpid() << 32;
	while ((opt = getopt_long(argc, argv, "s:t:g:n:Hoc:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': secs = atof(optarg); break;
		case 'g': good_pct = (unsigned int)atoi(optarg); break;
		case 'n': snprintf(ifname, sizeof(ifname), "%s", optarg); break;
		case 'H': hugepages = true; break;
		case 'o': hold = true; break;
		case 'c': chaos_secs = atof(optarg); break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (good_pct > 100) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rs.s = seed;
	printf("kni_fuzz_ring: seed %llu (replay: --seed %llu --secs %g --good %u%s)\n",
	       (unsigned long long)seed, (unsigned long long)seed, secs, good_pct,
	       hugepages ? " --hugepages" : "");
	pick_layout();
	printf("kni_fuzz_ring: mbuf layout hdr %u buf_addr %u data_off %u nb_segs %u pkt_len %u data_len %u buf_len %u next %u\n",
	       L.hdr_size, L.buf_addr, L.data_off, L.nb_segs, L.pkt_len, L.data_len,
	       L.buf_len, L.next);
	signal(SIGUSR1, on_signal);
	signal(SIGTERM, on_signal);

	interface_setup();
	printf("kni_fuzz_ring: %s ifindex %d up, %s mbufs: A 0x%llx+%llu, B 0x%llx+%llu\n",
	       ifname, kif.ifindex, hugepages ? "hugepage" : "4k-page",
	       (unsigned long long)reg[0].addr, (unsigned long long)reg[0].len,
	       (unsigned long long)reg[1].addr, (unsigned long long)reg[1].len);
	receiver_setup();
	pthread_create(&rt, NULL, receiver, NULL);
	for (i = 0; i < RX_OBJS; i++)
		free_stack[free_top++] = (__u16)(RX_OBJS - 1 - i);
	for (i = 0; i < TX_OBJS; i++)
		tx_free[tx_free_n++] = (__u16)i;
	for (i = 0; i < JUNK_OBJS * obj_size; i += 8)
		*(__u64 *)(junk + i) = rnd64();

	snapshot(&s0);
	t0 = now();
	t_setup = t0 - t_start;
	post_loop(secs, good_pct);
	t1 = now();
	drained = drain(30);
	wait_socket(5);
	t_drain = now() - t1;
	snapshot(&s1);
	stop_receiver = true;
	pthread_join(rt, NULL);

	bad = posted - posted_good;
	for (v = V_ADDR; v < V_COUNT; v++)
		printf("kni_fuzz_ring: %-13s predicted %-8lu counted %llu\n", verdict_names[v],
		       pred[v], (unsigned long long)(s1.eth[v] - s0.eth[v]));
	for (i = 0; i < K_COUNT; i++) {
		if (!klass_n[i][V_OK] && !klass_n[i][V_ADDR] && !klass_n[i][V_LEN] &&
		    !klass_n[i][V_CHAIN] && !klass_n[i][V_TOO_BIG])
			continue;
		printf("kni_fuzz_ring: class %-16s", klass_names[i]);
		for (v = 0; v < V_COUNT; v++)
			if (klass_n[i][v])
				printf(" %s=%lu", verdict_names[v], klass_n[i][v]);
		putchar('\n');
	}

	CHECK(drained, "the kernel did not consume rx_q and return free_q within 30 s");
	CHECK(!return_mismatch, "%lu free_q returns were not the expected heads", return_mismatch);
	CHECK(returned == posted - pred[V_ADDR],
	      "free_q returned %lu mbufs, expected %lu (all but the unreadable ones)",
	      returned, posted - pred[V_ADDR]);
	for (v = V_ADDR; v < V_COUNT; v++)
		CHECK(s1.eth[v] - s0.eth[v] == pred[v], "%s: counted %llu, posted %lu",
		      verdict_names[v], (unsigned long long)(s1.eth[v] - s0.eth[v]), pred[v]);
	CHECK(s1.rx_nomem == s0.rx_nomem, "rx_nomem grew by %llu: the count cannot be exact",
	      (unsigned long long)(s1.rx_nomem - s0.rx_nomem));
	CHECK(s1.rx_errors - s0.rx_errors == bad, "rx_errors grew by %llu, %lu bad posted",
	      (unsigned long long)(s1.rx_errors - s0.rx_errors), bad);
	CHECK(s1.rx_length_errors - s0.rx_length_errors == pred[V_LEN] + pred[V_TOO_BIG],
	      "rx_length_errors grew by %llu, expected %lu",
	      (unsigned long long)(s1.rx_length_errors - s0.rx_length_errors),
	      pred[V_LEN] + pred[V_TOO_BIG]);
	CHECK(s1.rx_frame_errors - s0.rx_frame_errors == pred[V_CHAIN],
	      "rx_frame_errors grew by %llu, expected %lu",
	      (unsigned long long)(s1.rx_frame_errors - s0.rx_frame_errors), pred[V_CHAIN]);
	/* rx_dropped is rx_nomem's: a bad descriptor is an error, not a drop */
	CHECK(s1.rx_dropped - s0.rx_dropped == s1.rx_nomem - s0.rx_nomem,
	      "rx_dropped grew by %llu, rx_nomem by %llu",
	      (unsigned long long)(s1.rx_dropped - s0.rx_dropped),
	      (unsigned long long)(s1.rx_nomem - s0.rx_nomem));
	CHECK(s1.rx_packets - s0.rx_packets == posted_good,
	      "rx_packets grew by %llu, %lu good posted",
	      (unsigned long long)(s1.rx_packets - s0.rx_packets), posted_good);
	CHECK(rcv_ok == posted_good, "the socket got %lu of %lu good frames", rcv_ok, posted_good);
	CHECK(!rcv_dup && !rcv_corrupt && !rcv_forbidden,
	      "socket: %lu duplicates, %lu corrupt, %lu from descriptors that should have been dropped",
	      rcv_dup, rcv_corrupt, rcv_forbidden);
	CHECK(s1.udp_rcvbuf == s0.udp_rcvbuf && s1.udp_inerrors == s0.udp_inerrors &&
	      s1.udp_csum == s0.udp_csum && s1.udp_noports == s0.udp_noports,
	      "UDP RcvbufErrors +%llu InErrors +%llu InCsumErrors +%llu NoPorts +%llu",
	      (unsigned long long)(s1.udp_rcvbuf - s0.udp_rcvbuf),
	      (unsigned long long)(s1.udp_inerrors - s0.udp_inerrors),
	      (unsigned long long)(s1.udp_csum - s0.udp_csum),
	      (unsigned long long)(s1.udp_noports - s0.udp_noports));
	CHECK(!tx_bad, "%lu tx_q entries were not mbufs from alloc_q", tx_bad);
	wakeups = __atomic_load_n(&kif.wakeups, __ATOMIC_RELAXED);
	wakeup_errors = __atomic_load_n(&kif.wakeup_errors, __ATOMIC_RELAXED);
	CHECK(!wakeup_errors, "%lu RTE_KNI_IOC_WAKEUP calls failed", wakeup_errors);

	printf("kni_fuzz_ring: seed=%llu secs=%.1f posted=%lu good=%lu bad=%lu delivered=%lu dropped=%llu rx_bad_addr=%lu rx_bad_len=%lu rx_bad_chain=%lu rx_too_big=%lu forced=%lu returned=%lu wakeups=%lu wakeup_errors=%lu tx=%lu udp_rcvbuf_errors=%llu hdr=%u hugepages=%d setup_secs=%.1f drain_secs=%.1f result=%s\n",
	       (unsigned long long)seed, t1 - t0, posted, posted_good, bad, rcv_ok,
	       (unsigned long long)(s1.rx_errors - s0.rx_errors), pred[V_ADDR], pred[V_LEN],
	       pred[V_CHAIN], pred[V_TOO_BIG], forced, returned, wakeups, wakeup_errors, tx_frames,
	       (unsigned long long)(s1.udp_rcvbuf - s0.udp_rcvbuf), L.hdr_size, hugepages,
	       t_setup, t_drain, fails ? "FAIL" : "ok");

	if (hold) {
		printf("kni_fuzz_ring: holding %s until SIGUSR1\n", ifname);
		while (!got_signal)
			pause();
	}
	if (chaos_secs > 0)
		chaos(chaos_secs);
	kni_unmap(&kif);
	close(kfd);
	return fails ? 1 : 0;
}
