// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_raw.c - see kni_raw.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kni_raw.h"

int xioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

__u64 rng_next(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

__u32 rng_below(struct rng *r, __u32 n)
{
	return n ? (__u32)(rng_next(r) % n) : 0;
}

int kni_open_dev(bool handshake)
{
	struct rte_kni_version v = { .abi_version = RTE_KNI_ABI_VERSION };
	int fd = open("/dev/kni", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("/dev/kni");
		exit(2);
	}
	if (handshake && xioctl(fd, RTE_KNI_IOC_VERSION, &v)) {
		perror("RTE_KNI_IOC_VERSION");
		exit(2);
	}
	return fd;
}

/*
 * /dev/kni, handshaken as a library that handles *features (the kernel's
 * answer there after); kni_open_dev() is one that handles none, as the
 * first library did.
 */
int kni_open_dev_features(__u32 *features)
{
	struct rte_kni_version v = {
		.abi_version = RTE_KNI_ABI_VERSION,
		.features = *features,
	};
	int fd = kni_open_dev(false);

	if (xioctl(fd, RTE_KNI_IOC_VERSION, &v)) {
		perror("RTE_KNI_IOC_VERSION");
		exit(2);
	}
	*features = v.features;
	return fd;
}

void create_defaults(struct rte_kni_create *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->flags = RTE_KNI_CREATE_RANDOM_MAC;
	c->ring_size = 256;
	c->req_ring_size = 64;
	c->layout = (struct rte_kni_mbuf_layout) {
		.hdr_size = M_HDR, .buf_addr = M_BUF_ADDR, .data_off = M_DATA_OFF,
		.nb_segs = M_NB_SEGS, .pkt_len = M_PKT_LEN,
		.data_len = M_DATA_LEN, .buf_len = M_BUF_LEN, .next = M_NEXT,
	};
}

/* ---- one interface, its rings, and a thread answering its requests ---- */

/* Counted, so that a program can check no kick failed unnoticed. */
void kni_wakeup(struct kni *k)
{
	struct rte_kni_wakeup w = { .ifindex = k->ifindex };
	int err = xioctl(k->fd, RTE_KNI_IOC_WAKEUP, &w);

	__atomic_add_fetch(&k->wakeups, 1, __ATOMIC_RELAXED);
	if (err) {
		__atomic_add_fetch(&k->wakeup_errors, 1, __ATOMIC_RELAXED);
		fprintf(stderr, "RTE_KNI_IOC_WAKEUP: %s\n", strerror(-err));
	}
}

void *responder(void *arg)
{
	struct kni *k = arg;
	struct kni_ring *req = &k->ring[RTE_KNI_RING_REQ];
	struct kni_ring *resp = &k->ring[RTE_KNI_RING_RESP];
	struct rte_kni_request r;

	while (!k->stop) {
		if (k->mute || !kni_ring_count(req)) {
			usleep(1000);
			continue;
		}
		memcpy(&r, kni_ring_cons_slot(req, 0), sizeof(r));
		kni_ring_release(req, 1);
		if (r.type < RTE_KNI_REQ_MAX)
			k->nreq[r.type]++;
		switch (r.type) {
		case RTE_KNI_REQ_CHANGE_MTU:
			k->last_mtu = r.new_mtu;
			break;
		case RTE_KNI_REQ_CHANGE_MAC_ADDR:
			memcpy((void *)k->last_mac, r.mac_addr, 6);
			break;
		case RTE_KNI_REQ_CHANGE_PROMISC:
			k->last_promisc = r.promiscuity;
			break;
		case RTE_KNI_REQ_CHANGE_ALLMULTI:
			k->last_allmulti = r.allmulti;
			break;
		case RTE_KNI_REQ_CHANGE_MC_LIST:
			k->last_mc_count = r.mc_count;
			break;
		case RTE_KNI_REQ_CHANGE_OFFLOADS:
			k->last_offloads = r.offloads;
			break;
		}
		if (r.flags & RTE_KNI_REQ_ASYNC)
			continue;
		r.result = k->answer;
		/* A scribbled-on resp_q may never drain: kni_unmap() joins us. */
		while (!kni_ring_free(resp) && !k->stop)
			usleep(100);
		if (k->stop)
			break;
		memcpy(kni_ring_prod_slot(resp, 0), &r, sizeof(r));
		kni_ring_submit(resp, 1);
		kni_wakeup(k);
	}
	return NULL;
}

/*
 * Create the interface c describes (create_defaults() and changes), map its
 * rings and start answering its requests.
 */
int kni_create_from(struct kni *k, int fd, struct rte_kni_create *c)
{
	int err, i;

	memset(k, 0, sizeof(*k));
	k->fd = fd;
	err = xioctl(fd, RTE_KNI_IOC_CREATE, c);
	if (err)
		return err;
	k->ifindex = c->ifindex;
	snprintf(k->name, sizeof(k->name), "%s", c->name);
	k->map_len = c->mmap_size;
	k->map = mmap(NULL, c->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, c->mmap_offset);
	if (k->map == MAP_FAILED)
		return -errno;
	for (i = 0; i < RTE_KNI_RING_COUNT; i++)
		kni_ring_init(&k->ring[i], k->map, &c->ring[i], 0);
	pthread_create(&k->responder, NULL, responder, k);
	return 0;
}

int kni_create(struct kni *k, int fd, const char *name, __u32 ring_size)
{
	struct rte_kni_create c;

	create_defaults(&c, name);
	c.ring_size = ring_size;
	return kni_create_from(k, fd, &c);
}

/* Stop answering and unmap: a mapping keeps the file (and so the KNI) alive. */
void kni_unmap(struct kni *k)
{
	k->stop = true;
	pthread_join(k->responder, NULL);
	munmap(k->map, k->map_len);
}

/* ---- packet memory ---- */

char *pool_create(int fd)
{
	struct rte_kni_mem_region r;
	char *pool;
	int i;

	pool = mmap(NULL, (size_t)POOL_OBJS * M_OBJ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED) {
		perror("mmap pool");
		exit(2);
	}
	for (i = 0; i < POOL_OBJS; i++) {
		char *m = pool + (size_t)i * M_OBJ;

		F(m, M_BUF_ADDR, __u64) = (__u64)(uintptr_t)(m + M_HDR);
		F(m, M_BUF_LEN, __u16) = M_HEADROOM + M_ROOM;
		F(m, M_DATA_OFF, __u16) = M_HEADROOM;
		F(m, M_NB_SEGS, __u16) = 1;
	}
	r.addr = (__u64)(uintptr_t)pool;
	r.len = (size_t)POOL_OBJS * M_OBJ;
	if (xioctl(fd, RTE_KNI_IOC_REG_MEM, &r)) {
		perror("RTE_KNI_IOC_REG_MEM");
		exit(2);
	}
	return pool;
}

char *mbuf_get(struct kni *k)
{
	char *m = k->pool + (size_t)(k->pool_next++ % POOL_OBJS) * M_OBJ;

	F(m, M_DATA_OFF, __u16) = M_HEADROOM;
	F(m, M_BUF_LEN, __u16) = M_HEADROOM + M_ROOM;
	F(m, M_BUF_ADDR, __u64) = (__u64)(uintptr_t)(m + M_HDR);
	F(m, M_NB_SEGS, __u16) = 1;
	F(m, M_NEXT, __u64) = 0;
	F(m, M_DATA_LEN, __u16) = 0;
	F(m, M_PKT_LEN, __u32) = 0;
	return m;
}

char *mbuf_data(char *m)
{
	return (char *)(uintptr_t)F(m, M_BUF_ADDR, __u64) + F(m, M_DATA_OFF, __u16);
}

/* Put frame into a chain of mbufs of at most seg bytes each. */
char *mbuf_chain(struct kni *k, const void *frame, unsigned int len,
			unsigned int seg)
{
	char *head = NULL, *prev = NULL, *m;
	unsigned int off = 0, n, nseg = 0;

	do {
		m = mbuf_get(k);
		n = len - off < seg ? len - off : seg;
		memcpy(mbuf_data(m), (const char *)frame + off, n);
		F(m, M_DATA_LEN, __u16) = n;
		F(m, M_PKT_LEN, __u32) = n;
		if (prev)
			F(prev, M_NEXT, __u64) = (__u64)(uintptr_t)m;
		else
			head = m;
		prev = m;
		off += n;
		nseg++;
	} while (off < len);
	F(head, M_PKT_LEN, __u32) = len;
	F(head, M_NB_SEGS, __u16) = nseg;
	return head;
}

void rx_put(struct kni *k, __u64 addr)
{
	struct kni_ring *rx = &k->ring[RTE_KNI_RING_RX];

	while (kni_ring_put_u64(rx, &addr, 1) != 1)
		usleep(100);
	if (kni_ring_needs_wakeup(rx))
		kni_wakeup(k);
}

/* ---- frames ---- */

__u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

__u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

const __u8 peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

/*
 * Ethernet + IPv4 + UDP from peer_mac, 192.0.2.2:s->sport to
 * 192.0.2.1:s->dport around the payload bytes already at f + UDP_HDRS;
 * returns the frame's length.
 */
unsigned int udp_wrap(__u8 *f, const struct udp_spec *s, unsigned int payload)
{
	__u8 *ip = f + 14, *udp = ip + 20;
	unsigned int iplen = 20 + 8 + payload;
	__u32 sum;

	memcpy(f, s->dst_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = iplen >> 8;
	ip[3] = iplen;
	ip[4] = s->ip_id >> 8;
	ip[5] = s->ip_id;
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	ip[12] = 192; ip[13] = 0; ip[14] = 2; ip[15] = 2;
	ip[16] = 192; ip[17] = 0; ip[18] = 2; ip[19] = 1;
	sum = csum_fold(csum_add(0, ip, 20));
	ip[10] = sum >> 8;
	ip[11] = sum;

	udp[0] = s->sport >> 8; udp[1] = s->sport;
	udp[2] = s->dport >> 8; udp[3] = s->dport;
	udp[4] = (8 + payload) >> 8;
	udp[5] = 8 + payload;
	udp[6] = udp[7] = 0;
	if (s->no_csum)
		return 14 + iplen;
	sum = csum_add(0, ip + 12, 8);
	sum += IPPROTO_UDP + 8 + payload;
	sum = csum_fold(csum_add(sum, udp, 8 + payload));
	if (!sum)
		sum = 0xffff;
	udp[6] = sum >> 8;
	udp[7] = sum;
	return 14 + iplen;
}

/* From port to port, the payload seq (big endian), then a pattern. */
unsigned int udp_frame(__u8 *f, const __u8 *dst_mac, __u16 port,
		       __u32 seq, unsigned int payload)
{
	const struct udp_spec s = { .dst_mac = dst_mac, .sport = port, .dport = port };
	__u8 *pl = f + UDP_HDRS;
	unsigned int i;

	pl[0] = seq >> 24; pl[1] = seq >> 16; pl[2] = seq >> 8; pl[3] = seq;
	for (i = 4; i < payload; i++)
		pl[i] = (__u8)(seq * 7 + i);
	return udp_wrap(f, &s, payload);
}

/* ---- interface control through the ordinary socket ioctls ---- */

int sock_ioctl(unsigned long cmd, void *arg)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	err = ioctl(s, cmd, arg) ? -errno : 0;
	close(s);
	return err;
}

int if_set_flag(const char *name, short flag, bool on)
{
	struct ifreq ifr = { 0 };
	int err;

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	err = sock_ioctl(SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	if (on)
		ifr.ifr_flags |= flag;
	else
		ifr.ifr_flags &= ~flag;
	return sock_ioctl(SIOCSIFFLAGS, &ifr);
}

int if_set_mtu(const char *name, int mtu)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_mtu = mtu;
	return sock_ioctl(SIOCSIFMTU, &ifr);
}

int if_get_mtu(const char *name)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	return sock_ioctl(SIOCGIFMTU, &ifr) ? -1 : ifr.ifr_mtu;
}

int if_set_mac(const char *name, const __u8 *mac)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	return sock_ioctl(SIOCSIFHWADDR, &ifr);
}

/* Add or delete a link-layer multicast address (as ip maddr does). */
int if_multi(const char *name, const __u8 *mac, bool add)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_hwaddr.sa_family = AF_UNSPEC;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	return sock_ioctl(add ? SIOCADDMULTI : SIOCDELMULTI, &ifr);
}

void if_get_mac(const char *name, __u8 *mac)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	sock_ioctl(SIOCGIFHWADDR, &ifr);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
}

int if_set_addr(const char *name, const char *addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int err;

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	err = sock_ioctl(SIOCSIFADDR, &ifr);
	if (err)
		return err;
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	return sock_ioctl(SIOCSIFNETMASK, &ifr);
}

/* Read /sys/class/net/<name>/statistics/<stat>. */
long long if_stat(const char *name, const char *stat)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", name, stat);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* /sys/class/net/NAME/carrier, as an administrator sets it. */
int if_set_carrier(const char *name, bool on)
{
	char path[128];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	err = fputs(on ? "1" : "0", f) < 0 ? -EIO : 0;
	if (fclose(f))
		err = -errno;
	return err;
}

/* 1 or 0, or -1 when it cannot be read (the interface is down). */
int if_carrier(const char *name)
{
	char path[128];
	int v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int if_rename(const char *name, const char *newname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	snprintf(ifr.ifr_newname, sizeof(ifr.ifr_newname), "%s", newname);
	return sock_ioctl(SIOCSIFNAME, &ifr);
}

/* ETHTOOL_GSET: speed (Mb/s), duplex and autoneg as ethtool shows them. */
int if_get_link(const char *name, struct ethtool_cmd *ec)
{
	struct ifreq ifr = { 0 };

	memset(ec, 0, sizeof(*ec));
	ec->cmd = ETHTOOL_GSET;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)ec;
	return sock_ioctl(SIOCETHTOOL, &ifr);
}

/* A legacy ethtool value (ETHTOOL_GTSO, _STSO, ...): 0 or -errno. */
int if_ethtool_value(const char *name, __u32 cmd, __u32 *data)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *data };
	struct ifreq ifr = { 0 };
	int err;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&ev;
	err = sock_ioctl(SIOCETHTOOL, &ifr);
	*data = ev.data;
	return err;
}

/*
 * Through sysfs, not if_nametoindex(): asking the kernel for a name that
 * does not exist makes it run "modprobe netdev-NAME", about a second under
 * TCG.
 */
bool if_exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until free_q gave back `want` mbufs in total; returns the count. */
unsigned int free_drain(struct kni *k, unsigned int want, double timeout)
{
	struct kni_ring *fq = &k->ring[RTE_KNI_RING_FREE];
	double end = now() + timeout;
	unsigned int got = 0;
	__u64 a[64];

	while (got < want && now() < end) {
		unsigned int n = kni_ring_get_u64(fq, a, 64);

		got += n;
		if (!n)
			usleep(1000);
	}
	return got;
}

