/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_loop - an application written for the original KNI's lo_mode: with
 * rte_kni.ko loaded with lo_mode=lo_mode_fifo or lo_mode_fifo_skb, every
 * frame it sends to vEth0 must come back to it, byte for byte and in order,
 * without the stack.  Only the DPDK 22.11 rte_kni.h API is used.
 *
 *   kni_loop [EAL options] -- [--frames N] [--name NAME] [--timeout SEC]
 *                               [--linger SEC]
 *
 * It creates NAME (vEth0), prints "ready", waits until the interface is set
 * up (through the request path), then sends N frames of sizes from 60 to
 * 9018 bytes (MTU 9000), split into up to 5 segments, chained so that every
 * segment boundary is exercised, and checks each frame that comes back.
 * Frames it did not send (the stack's own, if any) are counted apart.
 * Then it prints "done" and keeps the interface SEC seconds (--linger, 0)
 * for the caller to read its counters.  At the end it prints "loop: sent=N back=M same=K wrong=W other=O
 * pool_lost=L" and exits 0 only if every frame came back equal and, after
 * rte_kni_release(), every mbuf is back in the pool.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_kni.h>
#include <rte_mbuf.h>

#define NB_MBUFS	8191
#define DATA_ROOM	2048
#define BURST		32
#define MTU		9000
#define ETHERTYPE	0x88b5		/* IEEE 802 local experimental */
#define SEQ_OFF		RTE_ETHER_HDR_LEN

static const uint32_t sizes[] = {
	60, 61, 64, 100, 127, 1514, 1518, 2047, 2048, 2049, 3000, 4095,
	4096, 4097, 6000, 8191, 9000, 9018,
};

static volatile int kni_up;

static int cb_if(uint16_t port_id, uint8_t up)
{
	RTE_SET_USED(port_id);
	kni_up = up;
	return 0;
}

static int cb_mtu(uint16_t port_id, unsigned int mtu)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(mtu);
	return 0;
}

static uint8_t byte_at(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131 + i * 7 + (i >> 9));
}

static uint32_t frame_len(uint32_t seq)
{
	return sizes[seq % RTE_DIM(sizes)];
}

/* Into how many segments frame @seq is split: 1 to 5, by turns. */
static unsigned int frame_segs(uint32_t seq, uint32_t len)
{
	unsigned int want = 1 + (seq / RTE_DIM(sizes)) % 5;
	unsigned int need = (len + DATA_ROOM - 1) / DATA_ROOM;

	return RTE_MAX(want, need);
}

/* Frame @seq: an Ethernet header, the sequence number, then the pattern. */
static void fill_frame(uint8_t *frame, uint32_t seq, uint32_t len)
{
	static const uint8_t src[RTE_ETHER_ADDR_LEN] = { 2, 0, 0, 0, 0, 2 };
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)frame;
	uint32_t i;

	for (i = 0; i < len; i++)
		frame[i] = byte_at(seq, i);
	memset(&eh->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
	memcpy(&eh->src_addr, src, RTE_ETHER_ADDR_LEN);
	eh->ether_type = rte_cpu_to_be_16(ETHERTYPE);
	memcpy(frame + SEQ_OFF, &seq, sizeof(seq));
}

static struct rte_mbuf *mk_frame(struct rte_mempool *mp, uint32_t seq)
{
	uint32_t len = frame_len(seq), off = 0;
	unsigned int nseg = frame_segs(seq, len), s;
	struct rte_mbuf *head = NULL, *m;
	uint8_t frame[MTU + RTE_ETHER_HDR_LEN + 4];

	fill_frame(frame, seq, len);
	for (s = 0; s < nseg; s++) {
		uint32_t n = s + 1 == nseg ? len - off :
			     RTE_MIN((len - off) / (nseg - s), (uint32_t)DATA_ROOM);
		char *p;

		m = rte_pktmbuf_alloc(mp);
		if (!m)
			goto fail;
		p = rte_pktmbuf_append(m, n);
		if (!p) {
			rte_pktmbuf_free(m);
			goto fail;
		}
		memcpy(p, frame + off, n);
		off += n;
		if (!head)
			head = m;
		else if (rte_pktmbuf_chain(head, m)) {
			rte_pktmbuf_free(m);
			goto fail;
		}
	}
	return head;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

/* Does @m hold frame @seq exactly?  (Reads across its segments.) */
static int frame_ok(const struct rte_mbuf *m, uint32_t seq)
{
	uint32_t len = frame_len(seq);
	uint8_t want[MTU + RTE_ETHER_HDR_LEN + 4], buf[sizeof(want)];
	const uint8_t *p;

	if (m->pkt_len != len)
		return 0;
	p = rte_pktmbuf_read(m, 0, len, buf);
	if (!p)
		return 0;
	fill_frame(want, seq, len);
	return !memcmp(p, want, len);
}

/* The sequence number of a frame we sent, or -1 for any other. */
static int64_t frame_seq(const struct rte_mbuf *m)
{
	uint8_t buf[SEQ_OFF + 4];
	const struct rte_ether_hdr *eh;
	const uint8_t *p;
	uint32_t seq;

	p = rte_pktmbuf_read(m, 0, sizeof(buf), buf);
	if (!p)
		return -1;
	eh = (const struct rte_ether_hdr *)p;
	if (eh->ether_type != rte_cpu_to_be_16(ETHERTYPE))
		return -1;
	memcpy(&seq, p + SEQ_OFF, sizeof(seq));
	return seq;
}

static void usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [--frames N] [--name NAME] [--timeout SEC]\n"
	       "       [--linger SEC]\n", prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "linger", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t frames = 2000, sent = 0, back = 0, same = 0, wrong = 0, other = 0;
	struct rte_kni_ops ops = { .port_id = UINT16_MAX, .change_mtu = cb_mtu,
				   .config_network_if = cb_if };
	struct rte_mbuf *tx[BURST], *rx[BURST];
	const char *name = "vEth0";
	struct rte_kni_conf conf;
	struct rte_mempool *mp;
	uint64_t deadline, hz;
	struct rte_kni *kni;
	unsigned int i, n, k, lost;
	double timeout = 60, linger = 0;
	int ret, c;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "kni_loop: cannot start the EAL\n");
		return 2;
	}
	argc -= ret;
	argv += ret;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			frames = strtoul(optarg, NULL, 0);
			break;
		case 'i':
			name = optarg;
			break;
		case 't':
			timeout = strtod(optarg, NULL);
			break;
		case 'l':
			linger = strtod(optarg, NULL);
			break;
		default:
			usage(argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}

	mp = rte_pktmbuf_pool_create("kni_loop", NB_MBUFS, 0, 0,
				     DATA_ROOM + RTE_PKTMBUF_HEADROOM,
				     rte_socket_id());
	if (!mp || rte_kni_init(1) < 0) {
		fprintf(stderr, "kni_loop: no mempool or no /dev/kni\n");
		return 2;
	}
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.name, sizeof(conf.name), "%s", name);
	conf.mbuf_size = DATA_ROOM;
	conf.mtu = MTU;
	conf.max_mtu = MTU;
	kni = rte_kni_alloc(mp, &conf, &ops);
	if (!kni) {
		fprintf(stderr, "kni_loop: cannot create %s\n", name);
		return 2;
	}
	printf("ready\n");
	fflush(stdout);

	hz = rte_get_timer_hz();
	deadline = rte_get_timer_cycles() + (uint64_t)(timeout * hz);
	while (!kni_up && rte_get_timer_cycles() < deadline) {
		rte_kni_handle_request(kni);
		rte_delay_us_sleep(1000);
	}

	while (back < frames && rte_get_timer_cycles() < deadline) {
		rte_kni_handle_request(kni);
		/* keep few in flight: the rings and alloc_q hold 1024 */
		for (n = 0; n < BURST && sent + n < frames &&
		     sent + n < back + 256; n++) {
			tx[n] = mk_frame(mp, sent + n);
			if (!tx[n])
				break;
		}
		k = rte_kni_tx_burst(kni, tx, n);
		rte_pktmbuf_free_bulk(&tx[k], n - k);
		sent += k;
		n = rte_kni_rx_burst(kni, rx, BURST);
		for (i = 0; i < n; i++) {
			int64_t seq = frame_seq(rx[i]);

			if (seq < 0) {
				other++;
			} else {
				if (seq == back && frame_ok(rx[i], seq))
					same++;
				else
					wrong++;
				back++;
			}
			rte_pktmbuf_free(rx[i]);
		}
		if (!k && !n)
			rte_delay_us_sleep(100);
	}

	printf("done\n");
	fflush(stdout);
	deadline = rte_get_timer_cycles() + (uint64_t)(linger * hz);
	while (rte_get_timer_cycles() < deadline) {
		rte_kni_handle_request(kni);
		rte_delay_us_sleep(1000);
	}
	if (rte_kni_release(kni) < 0)
		fprintf(stderr, "kni_loop: rte_kni_release failed\n");
	lost = NB_MBUFS - rte_mempool_avail_count(mp);
	printf("loop: sent=%u back=%u same=%u wrong=%u other=%u pool_lost=%u\n",
	       sent, back, same, wrong, other, lost);
	return same == frames && back == frames && !wrong && !lost ? 0 : 1;
}
