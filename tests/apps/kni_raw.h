/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_raw.h - /dev/kni through its raw ABI, without DPDK, for the test
 * programs that need to hand the kernel exact descriptors (kni_abi_test,
 * the fuzzers, kni_fault): interfaces with their rings mapped and a thread
 * answering their requests, hand-built mbufs in registered memory, UDP
 * frames, and the ordinary socket ioctls on the interfaces.
 */
#ifndef KNI_RAW_H
#define KNI_RAW_H

#include <net/if.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "kni_ring.h"

/* DPDK 22.11's rte_mbuf offsets; the kernel is told, it does not assume. */
#define M_BUF_ADDR	0
#define M_DATA_OFF	16
#define M_NB_SEGS	20
#define M_OL_FLAGS	24
#define M_PKT_LEN	36
#define M_DATA_LEN	40
#define M_BUF_LEN	54
#define M_NEXT		64
#define M_TX_OFFLOAD	72
#define M_HDR		128
#define M_HEADROOM	128
#define M_ROOM		2048
#define M_OBJ		(M_HDR + M_HEADROOM + M_ROOM)
#define POOL_OBJS	1024

#define F(m, off, type)	(*(type *)((char *)(m) + (off)))

struct kni {
	int fd;
	int ifindex;
	char name[RTE_KNI_NAMESIZE];
	void *map;
	size_t map_len;
	struct kni_ring ring[RTE_KNI_RING_COUNT];
	char *pool;
	unsigned int pool_next;
	pthread_t responder;
	volatile bool stop;
	volatile int answer;		/* result the responder gives */
	volatile bool mute;		/* responder ignores requests */
	volatile unsigned int nreq[RTE_KNI_REQ_MAX];
	volatile __u32 last_mtu;
	volatile __u8 last_mac[6], last_promisc, last_allmulti;
	volatile __u32 last_mc_count;
	volatile __u32 last_offloads;
	unsigned long wakeups, wakeup_errors;	/* atomic: two threads kick */
};

/* Source MAC of the frames udp_wrap() and udp_frame() build. */
extern const __u8 peer_mac[6];

/* Ethernet + IPv4 + UDP headers: a frame's payload starts this far in. */
#define UDP_HDRS	42

/* The headers udp_wrap() puts around a payload. */
struct udp_spec {
	const __u8 *dst_mac;
	__u16 sport, dport;
	__u16 ip_id;
	bool no_csum;		/* UDP checksum 0, which IPv4 allows */
};

/* splitmix64: a stream of random numbers that a seed reproduces. */
struct rng {
	__u64 s;
};

__u64 rng_next(struct rng *r);
__u32 rng_below(struct rng *r, __u32 n);	/* [0, n) */

int xioctl(int fd, unsigned long cmd, void *arg);
int kni_open_dev(bool handshake);
int kni_open_dev_features(__u32 *features);
void create_defaults(struct rte_kni_create *c, const char *name);
void kni_wakeup(struct kni *k);
void *responder(void *arg);
int kni_create(struct kni *k, int fd, const char *name, __u32 ring_size);
int kni_create_from(struct kni *k, int fd, struct rte_kni_create *c);
void kni_unmap(struct kni *k);
char *pool_create(int fd);
char *mbuf_get(struct kni *k);
char *mbuf_data(char *m);
char *mbuf_chain(struct kni *k, const void *frame, unsigned int len,
		 unsigned int seg);
void rx_put(struct kni *k, __u64 addr);
__u16 csum_fold(__u32 sum);
__u32 csum_add(__u32 sum, const void *data, size_t len);
unsigned int udp_wrap(__u8 *f, const struct udp_spec *s, unsigned int payload);
unsigned int udp_frame(__u8 *f, const __u8 *dst_mac, __u16 port,
		       __u32 seq, unsigned int payload);
int sock_ioctl(unsigned long cmd, void *arg);
int if_set_flag(const char *name, short flag, bool on);
int if_set_mtu(const char *name, int mtu);
int if_get_mtu(const char *name);
int if_set_mac(const char *name, const __u8 *mac);
int if_multi(const char *name, const __u8 *mac, bool add);
void if_get_mac(const char *name, __u8 *mac);
int if_set_addr(const char *name, const char *addr);
long long if_stat(const char *name, const char *stat);
int if_set_carrier(const char *name, bool on);
int if_carrier(const char *name);
int if_rename(const char *name, const char *newname);
struct ethtool_cmd;
int if_get_link(const char *name, struct ethtool_cmd *ec);
int if_ethtool_value(const char *name, __u32 cmd, __u32 *data);
bool if_exists(const char *name);
double now(void);
unsigned int free_drain(struct kni *k, unsigned int want, double timeout);

#endif /* KNI_RAW_H */
