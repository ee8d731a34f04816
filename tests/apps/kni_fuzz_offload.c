// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_fuzz_offload - what an application may claim in the offload words
 * of its mbufs, through the raw ABI: with every offload on, rx_q gets
 * frames of up to 64 KB in well-formed chains whose IPv4, IPv6, TCP and
 * UDP headers are valid, off by a little, or random, and whose ol_flags
 * and tso_segsz say anything (checksums good, bad or pseudo-header only,
 * LRO with any segment size).  Some go to the interface's own addresses,
 * some are forwarded back out of it, so that the stack verifies, delivers
 * and segments GSO packets built from them.
 *
 * The chains themselves are always valid, so each frame is either taken
 * (rx_packets) or refused for its length (rx_too_big, rx_bad_lro); at the
 * end every one must be accounted for exactly so, every head must have
 * come back on free_q, and the kernel log (checked by the VM harness) must
 * be clean.  Prints one summary line, exits 1 on a difference.
 *
 *   kni_fuzz_offload FRAMES [SEED]     (root, rte_kni.ko loaded, in the VM)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kni_raw.h"

#define IFNAME		"kfo0"
#define LOCAL4		0xc0000201	/* 192.0.2.1, the interface's */
#define PEER4		0xc0000202	/* 192.0.2.2, a permanent neighbour */
#define FWD4		0xc6336409	/* 198.51.100.9, routed via the peer */
#define MAX_FRAME	(14 + 65535 + 64)	/* a little past what LRO allows */
#define BATCH_OBJS	(POOL_OBJS / 2)	/* mbufs in flight, at most */

static struct rng R;
static __u8 ifmac[6], ll6[16];

static unsigned int pick(const unsigned int *v, unsigned int n)
{
	return v[rng_below(&R, n)];
}

static void put16(__u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(__u8 *p, __u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* The length a header field says: right, a little off, or anything. */
static unsigned int fuzz_len(unsigned int right)
{
	unsigned int x = rng_below(&R, 100);

	if (x < 80)
		return right;
	if (x < 92)
		return right + rng_below(&R, 9) - 4;
	return rng_below(&R, 65536);
}

/*
 * One frame into @f: Ethernet to the interface, IPv4 (local or forwarded)
 * or IPv6 (to its link-local address), then TCP, UDP or anything, and a
 * payload.  Returns its length.
 */
static unsigned int build_frame(__u8 *f)
{
	static const unsigned int big[] = {
		0, 1, 60, 1000, 1460, 1500, 1501, 2000, 9000, 32768, 60000,
		65000, 65481, 65495, 65515, 65535,
	};
	bool v6 = rng_below(&R, 100) < 30;
	unsigned int l3 = v6 ? 40 : 20, l4, len, i, x;
	__u8 proto, *ip = f + 14, *th;

	x = rng_below(&R, 100);
	proto = x < 75 ? 6 : x < 90 ? 17 : rng_below(&R, 256);
	l4 = proto == 6 ? 20 + 4 * rng_below(&R, 11) : 8;
	if (rng_below(&R, 100) < 5)
		l4 = 4 * rng_below(&R, 16);		/* doff of anything */
	len = 14 + l3 + l4 + (rng_below(&R, 2) ? pick(big, 16) : rng_below(&R, 65536));
	if (len > MAX_FRAME)
		len = MAX_FRAME;
	if (len < 14 + l3 + 8)
		len = 14 + l3 + 8;
	for (i = 0; i < len; i++)
		f[i] = (__u8)rng_next(&R);

	memcpy(f, ifmac, 6);
	memcpy(f + 6, peer_mac, 6);
	put16(f + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, fuzz_len(len - 14 - l3));
		ip[6] = proto;
		ip[7] = 64;
		memset(ip + 8, 0, 16);
		ip[8] = 0xfe;
		ip[9] = 0x80;
		ip[23] = 2;				/* fe80::2 */
		memcpy(ip + 24, ll6, 16);
	} else {
		ip[0] = rng_below(&R, 100) < 95 ? 0x45 : (__u8)rng_next(&R);
		put16(ip + 2, fuzz_len(len - 14));
		put16(ip + 6, rng_below(&R, 100) < 90 ? 0x4000 : (__u16)rng_next(&R));
		ip[8] = 64;
		ip[9] = proto;
		put32(ip + 12, PEER4);
		put32(ip + 16, rng_below(&R, 100) < 60 ? LOCAL4 : FWD4);
		put16(ip + 10, 0);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	}
	th = ip + l3;
	if (proto == 6) {
		put16(th, 40000 + rng_below(&R, 16));
		put16(th + 2, pick((const unsigned int[]){ 22, 5201, 9 }, 3));
		th[12] = (l4 / 4) << 4;
		th[13] = rng_below(&R, 100) < 80 ? 0x10 : (__u8)rng_next(&R);
	} else if (proto == 17) {
		put16(th + 4, fuzz_len(len - 14 - l3));
	}
	return len;
}

/* What the head mbuf claims: checksum verdicts, LRO, a segment size. */
static void claim(char *m)
{
	static const unsigned int segsz[] = {
		0, 1, 8, 63, 64, 65, 88, 536, 1000, 1440, 1448, 1460, 8960,
		9000, 32768, 65534, 65535,
	};
	static const __u64 l4[] = {
		0, RTE_KNI_MBUF_F_RX_L4_CKSUM_GOOD, RTE_KNI_MBUF_F_RX_L4_CKSUM_BAD,
		RTE_KNI_MBUF_F_RX_L4_CKSUM_NONE,
	};
	static const __u64 ip[] = {
		0, RTE_KNI_MBUF_F_RX_IP_CKSUM_GOOD, RTE_KNI_MBUF_F_RX_IP_CKSUM_BAD,
		RTE_KNI_MBUF_F_RX_IP_CKSUM_MASK,
	};
	__u64 ol = l4[rng_below(&R, 4)] | ip[rng_below(&R, 4)];
	__u64 seg = rng_below(&R, 100) < 80 ? pick(segsz, 17) : rng_below(&R, 65536);

	if (rng_below(&R, 100) < 60)
		ol |= RTE_KNI_MBUF_F_RX_LRO;
	if (rng_below(&R, 100) < 5)
		ol = rng_next(&R);
	F(m, M_OL_FLAGS, __u64) = ol;
	F(m, M_TX_OFFLOAD, __u64) = rng_below(&R, 100) < 5 ? rng_next(&R) :
				    seg << RTE_KNI_MBUF_TSO_SEGSZ_SHIFT |
				    rng_below(&R, 1 << 24);	/* l2/l3/l4 ignored */
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		fprintf(stderr, "kni_fuzz_offload: '%s' failed (%d)\n", cmd, rc);
	return rc;
}

static long long stat_of(const char *name)
{
	char cmd[160], line[64];
	long long v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "ethtool -S %s | awk -v k=%s: '$1 == k { print $2 }'", IFNAME, name);
	p = popen(cmd, "r");
	if (p && fgets(line, sizeof(line), p))
		v = atoll(line);
	if (p)
		pclose(p);
	return v;
}

int main(int argc, char **argv)
{
	static const char *const counters[] = {
		"rx_too_big", "rx_bad_lro", "rx_nomem", "rx_csum_ok", "rx_csum_bad",
		"rx_lro", "rx_bad_addr", "rx_bad_len", "rx_bad_chain",
	};
	long long before[9], after[9], pk0, pk1;
	struct rte_kni_offload o = { 0 };
	unsigned long frames, i, inflight = 0, returned = 0;
	__u32 features = ~0U;
	static __u8 frame[MAX_FRAME];
	unsigned int len, seg, nobj = 0, k;
	char cmd[256];
	struct kni kif;
	int fd, bad = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "Usage: kni_fuzz_offload FRAMES [SEED]\n");
		return 2;
	}
	frames = strtoul(argv[1], NULL, 0);
	R.s = argc == 3 ? strtoull(argv[2], NULL, 0) : (__u64)time(NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("kni_fuzz_offload: %lu frames, seed %llu\n", frames, (unsigned long long)R.s);

	fd = kni_open_dev_features(&features);
	if (kni_create(&kif, fd, IFNAME, 1024)) {
		perror("create " IFNAME);
		return 2;
	}
	kif.pool = pool_create(fd);
	o.ifindex = kif.ifindex;
	o.offloads = RTE_KNI_OFL_ALL;
	o.ol_flags = M_OL_FLAGS;
	o.tx_offload = M_TX_OFFLOAD;
	if (xioctl(fd, RTE_KNI_IOC_OFFLOAD, &o) || o.offloads != RTE_KNI_OFL_ALL) {
		fprintf(stderr, "kni_fuzz_offload: OFFLOAD: %#x on\n", o.offloads);
		return 2;
	}
	if_get_mac(IFNAME, ifmac);
	/* fe80:: with the EUI-64 of the MAC, the interface's own address */
	ll6[0] = 0xfe;
	ll6[1] = 0x80;
	ll6[8] = ifmac[0] ^ 2;
	memcpy(ll6 + 9, ifmac + 1, 2);
	ll6[11] = 0xff;
	ll6[12] = 0xfe;
	memcpy(ll6 + 13, ifmac + 3, 3);
	snprintf(cmd, sizeof(cmd),
		 "ip addr add 192.0.2.1/24 dev %s && ip link set %s up && "
		 "ip neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 nud permanent dev %s && "
		 "ip route replace 198.51.100.0/24 via 192.0.2.2 dev %s && "
		 "sysctl -qw net.ipv4.ip_forward=1", IFNAME, IFNAME, IFNAME, IFNAME);
	if (run(cmd))
		return 2;

	for (k = 0; k < 9; k++)
		before[k] = stat_of(counters[k]);
	pk0 = if_stat(IFNAME, "rx_packets");
	for (i = 0; i < frames; i++) {
		len = build_frame(frame);
		seg = rng_below(&R, 100) < 70 ? M_ROOM : 64 + rng_below(&R, M_ROOM - 63);
		/* The most segments the chain may take: fewer than 64 */
		if (len / seg >= 63)
			seg = M_ROOM;
		if (nobj + len / seg + 1 > BATCH_OBJS) {
			returned += free_drain(&kif, inflight, 10);
			if (returned != i) {
				fprintf(stderr, "kni_fuzz_offload: %lu of %lu heads back\n",
					returned, i);
				return 1;
			}
			inflight = nobj = 0;
			kif.pool_next = 0;
		}
		nobj += len / seg + 1;
		{
			char *m = mbuf_chain(&kif, frame, len, seg);

			claim(m);
			rx_put(&kif, (uintptr_t)m);
		}
		inflight++;
	}
	returned += free_drain(&kif, inflight, 10);
	usleep(200000);
	pk1 = if_stat(IFNAME, "rx_packets");
	for (k = 0; k < 9; k++)
		after[k] = stat_of(counters[k]);

	printf("offload: frames=%lu returned=%lu rx_packets=%lld", frames, returned, pk1 - pk0);
	for (k = 0; k < 9; k++)
		printf(" %s=%lld", counters[k], after[k] - before[k]);
	printf("\n");
	if (returned != frames) {
		printf("FAIL: %lu of %lu heads back on free_q\n", returned, frames);
		bad = 1;
	}
	/* every chain is well formed: taken, or refused for its length */
	if (pk1 - pk0 + (after[0] - before[0]) + (after[1] - before[1]) +
	    (after[2] - before[2]) != (long long)frames) {
		printf("FAIL: rx_packets + rx_too_big + rx_bad_lro + rx_nomem != %lu\n", frames);
		bad = 1;
	}
	for (k = 6; k < 9; k++) {
		if (after[k] != before[k]) {
			printf("FAIL: %s moved for a well-formed chain\n", counters[k]);
			bad = 1;
		}
	}
	kni_unmap(&kif);
	close(fd);
	return bad;
}
