/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_lib.c - librte_kni end to end against the fake kernel of
 * fake_kni.c: init and handshake errors, create, both data directions with
 * chained mbufs, need-wakeup kicks, alloc ring refill without starvation,
 * control requests, lazy registration of a second pool, malformed chains,
 * and no mbuf leaked by release or close.  Needs an EAL (--no-huge);
 * exits 77 when one cannot start here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_kni.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>

#include "fake_kni.h"
#include "unit.h"

#define POOL_SIZE	4095
#define DATA_ROOM	2048
#define RING		1024

static struct rte_mempool *mp;

static unsigned int avail(const struct rte_mempool *pool)
{
	return rte_mempool_avail_count(pool);
}

static unsigned char pattern(uint32_t seed, uint32_t i)
{
	return (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

/* A packet of @len pattern bytes, chained when it exceeds one buffer. */
static struct rte_mbuf *mk_pkt(struct rte_mempool *pool, uint32_t len,
			       uint32_t seed)
{
	struct rte_mbuf *head = NULL;
	uint32_t done = 0;

	do {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint32_t n = RTE_MIN(len - done,
				     (uint32_t)rte_pktmbuf_tailroom(m));
		unsigned char *p = (unsigned char *)rte_pktmbuf_append(m, n);
		uint32_t i;

		for (i = 0; i < n; i++)
			p[i] = pattern(seed, done + i);
		done += n;
		if (!head)
			head = m;
		else
			CHECK_EQ(rte_pktmbuf_chain(head, m), 0);
	} while (done < len);
	return head;
}

static int pattern_ok(const unsigned char *p, uint32_t len, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(seed, i))
			return 0;
	return 1;
}

static struct rte_kni *mk_kni(const char *name, struct rte_mempool *pool,
			      struct rte_kni_ops *ops)
{
	struct rte_kni_conf conf;

	memset(&conf, 0, sizeof(conf));
	snprintf(conf.name, RTE_KNI_NAMESIZE, "%s", name);
	conf.core_id = 1;
	conf.force_bind = 1;
	conf.mtu = 1500;
	conf.max_mtu = 9000;
	return rte_kni_alloc(pool, &conf, ops);
}

/* -------- requests: callbacks record what they were called with */

static int cb_calls, cb_port, cb_value;

static int cb_mtu(uint16_t port_id, unsigned int mtu)
{
	cb_calls++;
	cb_port = port_id;
	cb_value = mtu;
	return mtu == 1234 ? -EINVAL : 0;
}

static int cb_if(uint16_t port_id, uint8_t up)
{
	cb_calls++;
	cb_port = port_id;
	cb_value = up;
	return 0;
}

static int cb_mtu2(uint16_t port_id, unsigned int mtu)
{
	RTE_SET_USED(port_id);
	cb_calls += 100;
	cb_value = mtu;
	return 0;
}

static struct rte_kni_ops test_ops = {
	.port_id = 0,
	.change_mtu = cb_mtu,
	.config_network_if = cb_if,
};

/* -------- tests */

static void test_init_errors(void)
{
	CHECK(mk_kni("vEth9", mp, NULL) == NULL);
	CHECK_EQ(rte_errno, ENODEV);
	fk.absent = 1;
	CHECK_EQ(rte_kni_init(8), -1);
	fk.absent = 0;
	fk.abi_version = RTE_KNI_ABI_VERSION + 1;
	CHECK_EQ(rte_kni_init(8), -1);
	CHECK_EQ(fk.fd, -1);		/* closed again after the mismatch */
	fk.abi_version = RTE_KNI_ABI_VERSION;
	CHECK_EQ(rte_kni_init(8), 0);
	CHECK_EQ(rte_kni_init(8), 0);	/* again: no second open */
	CHECK_EQ(fk.opens, 2);
}

static void test_alloc_args(void)
{
	struct rte_kni_conf conf;

	memset(&conf, 0, sizeof(conf));
	CHECK(rte_kni_alloc(NULL, &conf, NULL) == NULL);
	CHECK(rte_kni_alloc(mp, NULL, NULL) == NULL);
	CHECK(rte_kni_alloc(mp, &conf, NULL) == NULL);	/* empty name */
	CHECK_EQ(rte_errno, EINVAL);
	memset(conf.name, 'x', sizeof(conf.name));	/* no NUL */
	CHECK(rte_kni_alloc(mp, &conf, NULL) == NULL);
	CHECK(rte_kni_get(NULL) == NULL);
	CHECK(rte_kni_get("") == NULL);
	CHECK(rte_kni_get("nosuch") == NULL);
	CHECK_EQ(rte_kni_release(NULL), -1);
	CHECK_EQ(rte_kni_handle_request(NULL), -1);
	CHECK_EQ(rte_kni_register_handlers(NULL, &test_ops), -1);
	CHECK_EQ(rte_kni_unregister_handlers(NULL), -1);
	CHECK_EQ(rte_kni_update_link(NULL, 1), -1);
	CHECK_EQ(rte_kni_set_link(NULL, NULL), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(avail(mp), POOL_SIZE);
}

static void check_chunk(struct rte_mempool *pool, void *arg,
			struct rte_mempool_memhdr *h, unsigned int idx)
{
	RTE_SET_USED(pool);
	RTE_SET_USED(idx);
	*(int *)arg &= kni_region_covered(&fk.regions,
					  (uint64_t)(uintptr_t)h->addr, h->len);
}

static int pool_registered(struct rte_mempool *pool)
{
	int ok = 1;

	rte_mempool_mem_iter(pool, check_chunk, &ok);
	return ok;
}

static void test_create(void)
{
	struct rte_kni *kni = mk_kni("vEth0", mp, &test_ops);
	struct fake_if *f = fake_if_get("vEth0");
	const struct rte_kni_mbuf_layout *l;

	CHECK(kni != NULL);
	CHECK(f != NULL);
	CHECK(kni && f);
	if (!kni || !f)
		return;
	l = &f->c.layout;
	CHECK_EQ(l->hdr_size, sizeof(struct rte_mbuf));
	CHECK_EQ(l->buf_addr, offsetof(struct rte_mbuf, buf_addr));
	CHECK_EQ(l->data_off, offsetof(struct rte_mbuf, data_off));
	CHECK_EQ(l->nb_segs, offsetof(struct rte_mbuf, nb_segs));
	CHECK_EQ(l->pkt_len, offsetof(struct rte_mbuf, pkt_len));
	CHECK_EQ(l->data_len, offsetof(struct rte_mbuf, data_len));
	CHECK_EQ(l->buf_len, offsetof(struct rte_mbuf, buf_len));
	CHECK_EQ(l->next, offsetof(struct rte_mbuf, next));
	CHECK(f->c.flags & RTE_KNI_CREATE_RANDOM_MAC);
	CHECK(f->c.flags & RTE_KNI_CREATE_FORCE_BIND);
	CHECK_EQ(f->c.core_id, 1);
	CHECK_EQ(f->c.mtu, 1500);
	CHECK_EQ(f->c.max_mtu, 9000);
	CHECK_EQ(f->c.ring_size, RING);
	CHECK(pool_registered(mp));
	/* the alloc ring is stocked completely at once */
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_ALLOC]), RING);
	CHECK_EQ(avail(mp), POOL_SIZE - RING);

	CHECK(rte_kni_get("vEth0") == kni);
	CHECK(!strcmp(rte_kni_get_name(kni), "vEth0"));
	CHECK(mk_kni("vEth0", mp, NULL) == NULL);
	CHECK_EQ(rte_errno, EEXIST);
	/* a second interface on the same pool registers nothing new */
	{
		unsigned int calls = fk.reg_calls;
		struct rte_kni *k2 = mk_kni("vEth1", mp, NULL);

		CHECK(k2 != NULL);
		CHECK_EQ(fk.reg_calls, calls);
		CHECK_EQ(rte_kni_release(k2), 0);
		CHECK(fake_if_get("vEth1") == NULL);
	}
	CHECK_EQ(avail(mp), POOL_SIZE - RING);
}

static void test_tx_to_kernel(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mbuf *m[RING + 50];
	unsigned int i, n, w;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	for (i = 0; i < 100; i++)
		m[i] = mk_pkt(mp, 60 + i * 97, i);	/* up to 9663 bytes */
	CHECK_EQ(rte_kni_tx_burst(kni, m, 100), 100);
	CHECK_EQ(fake_rx_consume(f, 1000), 100);
	CHECK_EQ(f->npkts, 100);
	CHECK_EQ(f->rx_bad, 0);
	for (i = 0; i < f->npkts; i++) {
		CHECK_EQ(f->pkt_len[i], 60 + i * 97);
		CHECK(pattern_ok(f->pkt[i], f->pkt_len[i], i));
	}
	fake_pkts_clear(f);
	/* the next burst frees what the kernel gave back */
	CHECK_EQ(rte_kni_tx_burst(kni, NULL, 0), 0);
	CHECK_EQ(avail(mp), POOL_SIZE - RING);

	/* kicked only when the kernel asked for it */
	w = f->wakeups;
	m[0] = mk_pkt(mp, 100, 1);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 1), 1);
	CHECK_EQ(f->wakeups, w);
	fake_set_flags(f, RTE_KNI_RING_RX, RTE_KNI_RING_NEED_WAKEUP);
	m[0] = mk_pkt(mp, 100, 2);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 1), 1);
	CHECK_EQ(f->wakeups, w + 1);
	fake_set_flags(f, RTE_KNI_RING_RX, 0);

	/*
	 * The kernel takes from the rx ring only what the free ring can take
	 * back and otherwise sleeps on the rx ring: draining the free ring
	 * while frames wait must kick it, or they stay stranded.
	 */
	fake_rx_consume(f, 1000);
	fake_pkts_clear(f);
	CHECK_EQ(rte_kni_tx_burst(kni, NULL, 0), 0);
	CHECK_EQ(fake_alloc_hold(f, RING), RING);
	CHECK_EQ(fake_hold_to_free(f), RING);		/* free ring full */
	fk.napi_on_wakeup = 1;
	fake_set_flags(f, RTE_KNI_RING_RX, RTE_KNI_RING_NEED_WAKEUP);
	w = f->wakeups;
	for (i = 0; i < 8; i++)
		m[i] = mk_pkt(mp, 64, i);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 8), 8);
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_RX]), 0);
	CHECK_EQ(f->wakeups, w + 1);	/* one kick covers both */
	CHECK_EQ(f->npkts, 8);
	fk.napi_on_wakeup = 0;
	fake_set_flags(f, RTE_KNI_RING_RX, 0);
	fake_pkts_clear(f);
	CHECK_EQ(rte_kni_tx_burst(kni, NULL, 0), 0);
	CHECK_EQ(rte_kni_rx_burst(kni, m, 0), 0);	/* refill alloc */
	CHECK_EQ(avail(mp), POOL_SIZE - RING);

	/* a full ring takes what fits; the caller keeps the rest */
	fake_rx_consume(f, 1000);
	fake_pkts_clear(f);
	for (i = 0; i < RING + 50; i++)
		m[i] = mk_pkt(mp, 64, i);
	n = rte_kni_tx_burst(kni, m, RING + 50);
	CHECK_EQ(n, RING);
	rte_pktmbuf_free_bulk(&m[n], RING + 50 - n);
	CHECK_EQ(fake_rx_consume(f, 2 * RING), RING);
	fake_pkts_clear(f);
	CHECK_EQ(rte_kni_tx_burst(kni, NULL, 0), 0);
	CHECK_EQ(avail(mp), POOL_SIZE - RING);
}

static void test_rx_from_kernel(void)
{
	static const uint32_t len[] = { 60, 1514, DATA_ROOM, DATA_ROOM + 1,
					9014, 0 };
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	static unsigned char buf[16384], out[16384];
	struct rte_mbuf *m[64];
	unsigned int i, n, w;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	for (i = 0; i < RTE_DIM(len); i++) {
		uint32_t k;

		for (k = 0; k < len[i]; k++)
			buf[k] = pattern(i, k);
		CHECK_EQ(fake_tx_send(f, buf, len[i]), 0);
	}
	n = rte_kni_rx_burst(kni, m, 64);
	CHECK_EQ(n, RTE_DIM(len));
	for (i = 0; i < n && i < RTE_DIM(len); i++) {
		const void *p;

		CHECK_EQ(m[i]->pkt_len, len[i]);
		CHECK_EQ(m[i]->nb_segs,
			 len[i] ? (len[i] + DATA_ROOM - 1) / DATA_ROOM : 1);
		p = rte_pktmbuf_read(m[i], 0, len[i], out);
		CHECK(len[i] == 0 || (p && pattern_ok(p, len[i], i)));
	}
	rte_pktmbuf_free_bulk(m, n);

	/* used 11 mbufs: refilled only once a batch is worth it */
	w = f->wakeups;
	for (i = 0; i < 40; i++)
		CHECK_EQ(fake_tx_send(f, buf, 100), 0);
	fake_set_flags(f, RTE_KNI_RING_TX, RTE_KNI_RING_NEED_WAKEUP);
	n = rte_kni_rx_burst(kni, m, 64);
	CHECK_EQ(n, 40);
	rte_pktmbuf_free_bulk(m, n);
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_ALLOC]), RING);
	CHECK_EQ(f->wakeups, w + 1);
	fake_set_flags(f, RTE_KNI_RING_TX, 0);
	CHECK_EQ(avail(mp), POOL_SIZE - RING);
}

/* The kernel took every empty mbuf: rx_burst refills with nothing to read. */
static void test_no_starvation(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mbuf *m[32];
	unsigned int n, k;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	CHECK_EQ(fake_alloc_hold(f, RING), RING);
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_ALLOC]), 0);
	CHECK_EQ(fake_tx_send(f, "x", 1), -ENOBUFS);
	CHECK_EQ(rte_kni_rx_burst(kni, m, 32), 0);
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_ALLOC]), RING);
	CHECK_EQ(avail(mp), POOL_SIZE - 2 * RING);
	/* the kernel sends with them; they come back as frames */
	CHECK_EQ(fake_hold_to_tx(f), RING);
	n = 0;
	while ((k = rte_kni_rx_burst(kni, m, 32)) != 0) {
		rte_pktmbuf_free_bulk(m, k);
		n += k;
	}
	CHECK_EQ(n, RING);
	CHECK_EQ(avail(mp), POOL_SIZE - RING);
}

/* A pool short of mbufs fills what it can and recovers. */
static void test_small_pool(void)
{
	struct rte_mempool *small;
	struct rte_kni *kni;
	struct fake_if *f;

	small = rte_pktmbuf_pool_create("small", 40, 0, 0,
					DATA_ROOM + RTE_PKTMBUF_HEADROOM,
					SOCKET_ID_ANY);
	CHECK(small != NULL);
	if (!small)
		return;
	kni = mk_kni("vEthS", small, NULL);
	f = fake_if_get("vEthS");
	CHECK(kni && f);
	if (!kni || !f)
		return;
	CHECK_EQ(kni_ring_count(&f->k[RTE_KNI_RING_ALLOC]), 40);
	CHECK_EQ(avail(small), 0);
	CHECK_EQ(rte_kni_release(kni), 0);
	CHECK_EQ(avail(small), 40);
	rte_mempool_free(small);
}

static void post(struct fake_if *f, uint32_t type, uint32_t flags,
		 const void *val, size_t len, struct rte_kni *kni,
		 struct rte_kni_request *resp)
{
	uint32_t seq = fake_req_post(f, type, flags, val, len);

	CHECK(seq != 0);
	CHECK_EQ(rte_kni_handle_request(kni), 0);
	if (flags & RTE_KNI_REQ_ASYNC) {
		CHECK(!fake_resp_take(f, resp));
		return;
	}
	CHECK(fake_resp_take(f, resp));
	CHECK_EQ(resp->seq, seq);
	CHECK_EQ(resp->type, type);
}

static void test_requests(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x09 };
	struct rte_kni_request resp;
	struct rte_ether_addr now;
	struct rte_kni_ops ops2 = { .port_id = 0, .change_mtu = cb_mtu2 };
	uint32_t v;
	unsigned int w, i;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	w = f->wakeups;
	CHECK_EQ(rte_kni_handle_request(kni), 0);	/* nothing pending */
	CHECK_EQ(f->wakeups, w);

	cb_calls = 0;
	v = 9000;
	post(f, RTE_KNI_REQ_CHANGE_MTU, 0, &v, 4, kni, &resp);
	CHECK_EQ(cb_calls, 1);
	CHECK_EQ(cb_port, 0);
	CHECK_EQ(cb_value, 9000);
	CHECK_EQ(resp.result, 0);
	CHECK_EQ(resp.new_mtu, 9000);
	CHECK_EQ(f->wakeups, w + 1);	/* always kicked after an answer */

	v = 1234;
	post(f, RTE_KNI_REQ_CHANGE_MTU, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, -EINVAL);

	v = 1;
	post(f, RTE_KNI_REQ_CFG_NETWORK_IF, 0, &v, 1, kni, &resp);
	CHECK_EQ(cb_value, 1);
	CHECK_EQ(resp.result, 0);

	/* no MAC callback, port 0 valid: the ethdev default runs */
	post(f, RTE_KNI_REQ_CHANGE_MAC_ADDR, 0, mac, 6, kni, &resp);
	CHECK_EQ(resp.result, 0);
	CHECK_EQ(rte_eth_macaddr_get(0, &now), 0);
	CHECK(!memcmp(now.addr_bytes, mac, 6));

	v = 77;
	post(f, 77, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, -EINVAL);

	cb_calls = 0;
	v = 1500;
	post(f, RTE_KNI_REQ_CHANGE_MTU, RTE_KNI_REQ_ASYNC, &v, 4, kni, &resp);
	CHECK_EQ(cb_calls, 1);

	/* the answer cannot be queued: -1, and the request stays */
	for (i = 0; i < f->c.req_ring_size; i++) {
		fake_req_post(f, RTE_KNI_REQ_CFG_NETWORK_IF, 0, &v, 1);
		CHECK_EQ(rte_kni_handle_request(kni), 0);
	}
	fake_req_post(f, RTE_KNI_REQ_CFG_NETWORK_IF, 0, &v, 1);
	CHECK_EQ(rte_kni_handle_request(kni), -1);
	/* still queued: the kernel's producer index is one past ours */
	CHECK_EQ(f->k[RTE_KNI_RING_REQ].head -
		 *f->k[RTE_KNI_RING_REQ].consumer, 1);
	while (fake_resp_take(f, &resp))
		;
	CHECK_EQ(rte_kni_handle_request(kni), 0);
	CHECK(fake_resp_take(f, &resp));

	/* handlers */
	CHECK_EQ(rte_kni_register_handlers(kni, NULL), -1);
	CHECK_EQ(rte_kni_register_handlers(kni, &ops2), -1);	/* already */
	CHECK_EQ(rte_kni_unregister_handlers(kni), 0);
	cb_calls = 0;
	v = 1400;
	post(f, RTE_KNI_REQ_CHANGE_MTU, 0, &v, 4, kni, &resp);
	CHECK_EQ(cb_calls, 0);
	CHECK_EQ(resp.result, 0);
	CHECK_EQ(rte_kni_register_handlers(kni, &ops2), 0);
	post(f, RTE_KNI_REQ_CHANGE_MTU, 0, &v, 4, kni, &resp);
	CHECK_EQ(cb_calls, 100);
	CHECK_EQ(cb_value, 1400);
}

/* Mbufs of a pool the interface was not created with still get through. */
static void test_second_pool(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mempool *mp2;
	struct rte_mbuf *m[8];
	unsigned int i;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	mp2 = rte_pktmbuf_pool_create("second", 511, 0, 0,
				      DATA_ROOM + RTE_PKTMBUF_HEADROOM,
				      SOCKET_ID_ANY);
	CHECK(mp2 != NULL);
	if (!mp2)
		return;
	CHECK(!pool_registered(mp2));
	for (i = 0; i < 8; i++)
		m[i] = mk_pkt(mp2, 3000, i);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 8), 8);
	CHECK(pool_registered(mp2));
	CHECK_EQ(fake_rx_consume(f, 100), 8);
	CHECK_EQ(f->npkts, 8);
	CHECK_EQ(f->rx_outside, 0);
	fake_pkts_clear(f);
	rte_kni_tx_burst(kni, NULL, 0);
	CHECK_EQ(avail(mp2), 511);
	/* its memory stays registered (pinned) with the file: keep the pool */
}

/*
 * A pool whose memory spans more than one region may (RTE_KNI_MAX_REGION_LEN)
 * is registered in pieces.  The memory is only reserved: its mbufs sit at
 * its start.
 */
static void test_big_pool(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = DATA_ROOM + RTE_PKTMBUF_HEADROOM,
	};
	size_t len = RTE_KNI_MAX_REGION_LEN + (64 << 20);
	unsigned int i, calls = fk.reg_calls;
	struct rte_mempool *big;
	struct rte_mbuf *m[8];
	void *mem;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return;
	big = rte_mempool_create_empty("big", 63, sizeof(struct rte_mbuf) +
				       priv.mbuf_data_room_size, 0, sizeof(priv),
				       SOCKET_ID_ANY, 0);
	CHECK(big != NULL);
	if (!big)
		return;
	CHECK_EQ(rte_mempool_set_ops_byname(big, rte_mbuf_best_mempool_ops(), NULL), 0);
	rte_pktmbuf_pool_init(big, &priv);
	CHECK_EQ(rte_mempool_populate_iova(big, mem, RTE_BAD_IOVA, len, NULL, NULL), 63);
	rte_mempool_obj_iter(big, rte_pktmbuf_init, NULL);
	for (i = 0; i < 8; i++)
		m[i] = mk_pkt(big, 3000, i);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 8), 8);
	CHECK(pool_registered(big));
	CHECK_EQ(fk.reg_calls - calls, 2);	/* the largest region, then 64 MiB */
	CHECK_EQ(fake_rx_consume(f, 100), 8);
	CHECK_EQ(f->rx_outside, 0);
	fake_pkts_clear(f);
	rte_kni_tx_burst(kni, NULL, 0);
	CHECK_EQ(avail(big), 63);
	/* its memory stays registered (pinned) with the file: keep the pool */
}

/*
 * The link: by ifindex, so a renamed interface is still reached; the
 * previous state comes back; a port's rte_eth_link arrives field by field.
 */
static void test_link(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_eth_link link;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	CHECK_EQ(rte_kni_update_link(kni, 1), 0);
	CHECK_EQ(f->link.ifindex, f->c.ifindex);
	CHECK_EQ(f->link.flags, RTE_KNI_LINK_STATUS);
	CHECK_EQ(rte_kni_update_link(kni, 0), 1);
	CHECK_EQ(f->link_up, 0);

	memset(&link, 0, sizeof(link));
	link.link_speed = RTE_ETH_SPEED_NUM_10G;
	link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_AUTONEG;
	link.link_status = RTE_ETH_LINK_UP;
	CHECK_EQ(rte_kni_set_link(kni, &link), 0);
	CHECK_EQ(f->link.flags, RTE_KNI_LINK_STATUS | RTE_KNI_LINK_MODE);
	CHECK_EQ(f->link.speed, 10000);
	CHECK_EQ(f->link.duplex, 1);
	CHECK_EQ(f->link.autoneg, 1);
	CHECK_EQ(f->link.status, 1);
	link.link_speed = RTE_ETH_SPEED_NUM_UNKNOWN;
	link.link_duplex = RTE_ETH_LINK_HALF_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	link.link_status = RTE_ETH_LINK_DOWN;
	CHECK_EQ(rte_kni_set_link(kni, &link), 1);
	CHECK_EQ(f->link.speed, UINT32_MAX);
	CHECK_EQ(f->link.duplex, 0);
	CHECK_EQ(f->link.autoneg, 0);
	CHECK_EQ(f->link.status, 0);
	/* the kernel's refusal reaches the caller */
	link.link_speed = 0x80000000u;
	CHECK_EQ(rte_kni_set_link(kni, &link), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(rte_kni_set_link(kni, NULL), -1);
	CHECK_EQ(rte_errno, EINVAL);
}

static struct {
	unsigned int calls, nb, total;
	uint16_t port;
	uint8_t addr[RTE_KNI_MC_ADDRS_MAX][6];
	int ret;
} mc_cb;

static int cb_mc(uint16_t port_id, const struct rte_ether_addr *addrs,
		 unsigned int nb_addrs, unsigned int total)
{
	mc_cb.calls++;
	mc_cb.port = port_id;
	mc_cb.nb = nb_addrs;
	mc_cb.total = total;
	memcpy(mc_cb.addr, addrs, nb_addrs * sizeof(*addrs));
	return mc_cb.ret;
}

/* The interface's multicast list: n addresses 01:00:5e:00:HI:LO. */
static void fake_mc_set(struct fake_if *f, unsigned int n)
{
	unsigned int i;

	f->mc_count = n;
	for (i = 0; i < n && i < FAKE_MAX_MC; i++) {
		static const uint8_t base[6] = { 0x01, 0x00, 0x5e, 0, 0, 0 };

		memcpy(f->mc[i], base, 6);
		f->mc[i][4] = i >> 8;
		f->mc[i][5] = i & 0xff;
	}
}

/*
 * The multicast list reaches the handler exactly, a list longer than the
 * kernel passes on arrives cut at RTE_KNI_MC_ADDRS_MAX with its true
 * length, and without a handler the default programs port 0.
 */
static void test_mc_list(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_ether_addr got[4];
	struct rte_kni_request resp;
	uint32_t v = 0;
	int en, dis;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	CHECK_EQ(fk.lib_features, RTE_KNI_FEATURES);

	/* the query */
	fake_mc_set(f, 3);
	memset(got, 0xaa, sizeof(got));
	CHECK_EQ(rte_kni_get_mc_list(kni, got, 4), 3);
	CHECK(!memcmp(got, f->mc, 3 * 6));
	CHECK_EQ(got[3].addr_bytes[0], 0xaa);
	memset(got, 0xaa, sizeof(got));
	CHECK_EQ(rte_kni_get_mc_list(kni, got, 1), 3);	/* only one stored */
	CHECK(!memcmp(got, f->mc, 6));
	CHECK_EQ(got[1].addr_bytes[0], 0xaa);
	CHECK_EQ(rte_kni_get_mc_list(kni, NULL, 0), 3);
	CHECK_EQ(rte_kni_get_mc_list(kni, NULL, 1), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(rte_kni_get_mc_list(NULL, got, 4), -1);

	/* the handler, with the list as it is when the request is handled */
	CHECK_EQ(rte_kni_set_mc_handler(NULL, cb_mc), -1);
	CHECK_EQ(rte_kni_set_mc_handler(kni, cb_mc), 0);
	memset(&mc_cb, 0, sizeof(mc_cb));
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, 0);
	CHECK_EQ(mc_cb.calls, 1);
	CHECK_EQ(mc_cb.port, 0);
	CHECK_EQ(mc_cb.nb, 3);
	CHECK_EQ(mc_cb.total, 3);
	CHECK(!memcmp(mc_cb.addr, f->mc, 3 * 6));

	fake_mc_set(f, RTE_KNI_MC_ADDRS_MAX + 44);
	mc_cb.ret = -EIO;
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, -EIO);
	CHECK_EQ(mc_cb.nb, RTE_KNI_MC_ADDRS_MAX);
	CHECK_EQ(mc_cb.total, RTE_KNI_MC_ADDRS_MAX + 44);
	CHECK(!memcmp(mc_cb.addr, f->mc, RTE_KNI_MC_ADDRS_MAX * 6));

	fake_mc_set(f, 0);
	mc_cb.ret = 0;
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(mc_cb.nb, 0);
	CHECK_EQ(mc_cb.total, 0);

	/*
	 * The default on port 0 (net_null, which has no multicast filter):
	 * all-multicast while there is a list, as far as the port has that
	 * mode (net_null can turn it on and not off, so ask it first).
	 */
	CHECK_EQ(rte_kni_set_mc_handler(kni, NULL), 0);
	en = rte_eth_allmulticast_enable(0);
	dis = rte_eth_allmulticast_disable(0);
	fake_mc_set(f, 2);
	mc_cb.calls = 0;
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(mc_cb.calls, 0);
	CHECK_EQ(resp.result, en);
	if (!en) {
		CHECK_EQ(rte_eth_allmulticast_get(0), 1);
		/* the interface's all-multicast off keeps it for the list */
		v = 0;
		post(f, RTE_KNI_REQ_CHANGE_ALLMULTI, 0, &v, 1, kni, &resp);
		CHECK_EQ(resp.result, 0);
		CHECK_EQ(rte_eth_allmulticast_get(0), 1);
	}
	fake_mc_set(f, 0);
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, en ? 0 : dis);
	if (!en && !dis)
		CHECK_EQ(rte_eth_allmulticast_get(0), 0);

	/* an older module: no list to read, and the request is refused */
	fk.features = 0;
	CHECK_EQ(rte_kni_get_mc_list(kni, got, 4), -1);
	CHECK_EQ(rte_errno, ENOTSUP);
	post(f, RTE_KNI_REQ_CHANGE_MC_LIST, 0, &v, 4, kni, &resp);
	CHECK_EQ(resp.result, -ENOTSUP);
	fk.features = RTE_KNI_FEATURES;
}

static struct {
	unsigned int calls;
	uint16_t port;
	uint32_t offloads;
} ofl_cb;

static void cb_offloads(uint16_t port_id, uint32_t offloads)
{
	ofl_cb.calls++;
	ofl_cb.port = port_id;
	ofl_cb.offloads = offloads;
}

/*
 * rte_kni_set_offloads() tells the kernel where DPDK's mbuf keeps the
 * offload words, and the handler follows ethtool -K: the request is
 * asynchronous, so nothing is answered.
 */
static void test_offloads(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_kni_request resp;
	uint32_t v;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	CHECK_EQ(rte_kni_set_offloads(kni, RTE_KNI_OFFLOAD_TSO |
				      RTE_KNI_OFFLOAD_TX_CSUM),
		 RTE_KNI_OFFLOAD_TSO | RTE_KNI_OFFLOAD_TX_CSUM);
	CHECK_EQ(f->offload.ifindex, f->c.ifindex);
	CHECK_EQ(f->offload.offloads, RTE_KNI_OFFLOAD_TSO | RTE_KNI_OFFLOAD_TX_CSUM);
	CHECK_EQ(f->offload.ol_flags, offsetof(struct rte_mbuf, ol_flags));
	CHECK_EQ(f->offload.tx_offload, offsetof(struct rte_mbuf, tx_offload));
	CHECK_EQ(f->offload.pad, 0);
	CHECK_EQ(rte_kni_set_offloads(kni, 0), 0);
	CHECK_EQ(f->offload.offloads, 0);

	/* bad arguments never reach the kernel */
	v = f->offload_calls;
	CHECK_EQ(rte_kni_set_offloads(kni, 1U << 5), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(rte_kni_set_offloads(NULL, 0), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(f->offload_calls, v);

	/* ethtool -K: the handler, with the port of the callbacks */
	CHECK_EQ(rte_kni_set_offload_handler(NULL, cb_offloads), -1);
	CHECK_EQ(rte_errno, EINVAL);
	CHECK_EQ(rte_kni_set_offload_handler(kni, cb_offloads), 0);
	memset(&ofl_cb, 0, sizeof(ofl_cb));
	v = RTE_KNI_OFFLOAD_RX_CSUM;
	post(f, RTE_KNI_REQ_CHANGE_OFFLOADS, RTE_KNI_REQ_ASYNC, &v, 4, kni, &resp);
	CHECK_EQ(ofl_cb.calls, 1);
	CHECK_EQ(ofl_cb.port, 0);
	CHECK_EQ(ofl_cb.offloads, RTE_KNI_OFFLOAD_RX_CSUM);
	CHECK_EQ(rte_kni_set_offload_handler(kni, NULL), 0);
	post(f, RTE_KNI_REQ_CHANGE_OFFLOADS, RTE_KNI_REQ_ASYNC, &v, 4, kni, &resp);
	CHECK_EQ(ofl_cb.calls, 1);

	/* an older module */
	fk.features = RTE_KNI_FEAT_MC_LIST;
	CHECK_EQ(rte_kni_set_offloads(kni, RTE_KNI_OFFLOAD_TSO), -1);
	CHECK_EQ(rte_errno, ENOTSUP);
	fk.features = RTE_KNI_FEATURES;
}

/*
 * A pool the kernel refuses (here: over RLIMIT_MEMLOCK) cannot be sent
 * from: the kernel could neither read its mbufs nor hand them back, so
 * the burst stops at the first one and the caller keeps it, as with a
 * full ring.  The refusal is remembered: no second attempt, no flood.
 */
static void test_refused_pool(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mempool *mp3;
	struct rte_mbuf *m[8];
	unsigned int i, calls, before = avail(mp);

	CHECK(kni && f);
	if (!kni || !f)
		return;
	mp3 = rte_pktmbuf_pool_create("refused", 255, 0, 0,
				      DATA_ROOM + RTE_PKTMBUF_HEADROOM,
				      SOCKET_ID_ANY);
	CHECK(mp3 != NULL);
	if (!mp3)
		return;
	for (i = 0; i < 8; i++)
		m[i] = mk_pkt(i < 3 ? mp : mp3, 200, i);
	fk.reg_errno = ENOMEM;
	calls = fk.reg_calls;
	CHECK_EQ(rte_kni_tx_burst(kni, m, 8), 3);
	CHECK_EQ(fk.reg_calls - calls, 1);
	CHECK_EQ(rte_kni_tx_burst(kni, &m[3], 5), 0);
	CHECK_EQ(fk.reg_calls - calls, 1);
	fk.reg_errno = 0;
	CHECK(!pool_registered(mp3));
	CHECK_EQ(fake_rx_consume(f, 100), 3);
	CHECK_EQ(f->npkts, 3);
	CHECK_EQ(f->rx_outside, 0);
	fake_pkts_clear(f);
	rte_pktmbuf_free_bulk(&m[3], 5);
	rte_kni_tx_burst(kni, NULL, 0);
	CHECK_EQ(avail(mp), before);
	CHECK_EQ(avail(mp3), 255);
	rte_mempool_free(mp3);
}

/*
 * Clones: the header of an indirect mbuf lies in its own pool, the data in
 * the pool of the mbuf it is attached to.  The kernel reads both, so both
 * pools are registered; every mbuf comes back.
 */
static void test_clones(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mempool *cp;
	struct rte_mbuf *orig[4], *m[4];
	unsigned int i, before = avail(mp);

	CHECK(kni && f);
	if (!kni || !f)
		return;
	cp = rte_pktmbuf_pool_create("clones", 127, 0, 0, 0, SOCKET_ID_ANY);
	CHECK(cp != NULL);
	if (!cp)
		return;
	for (i = 0; i < 4; i++) {
		orig[i] = mk_pkt(mp, i == 3 ? 5000 : 300, i);
		m[i] = rte_pktmbuf_clone(orig[i], cp);
		CHECK(m[i] != NULL);
		if (!m[i])
			return;
	}
	CHECK_EQ(rte_kni_tx_burst(kni, m, 4), 4);
	CHECK(pool_registered(cp));
	CHECK_EQ(fake_rx_consume(f, 100), 4);
	CHECK_EQ(f->npkts, 4);
	CHECK_EQ(f->rx_outside, 0);
	for (i = 0; i < f->npkts; i++)
		CHECK(pattern_ok(f->pkt[i], f->pkt_len[i], i));
	fake_pkts_clear(f);
	rte_kni_tx_burst(kni, NULL, 0);
	rte_pktmbuf_free_bulk(orig, 4);
	CHECK_EQ(avail(cp), 127);
	CHECK_EQ(avail(mp), before);
	/* its memory stays registered (pinned) with the file: keep the pool */
}

/*
 * Malformed chains an application sends on purpose: the kernel refuses
 * them and hands them back; each segment must be freed exactly once
 * (a double free would show as one mbuf too many in the pool).
 */
static void test_bad_chains(void)
{
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mbuf *m[4], *a, *b, *fake;
	unsigned int before = avail(mp), bad = f ? f->rx_bad : 0;
	unsigned char *mem;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	a = mk_pkt(mp, 100, 1);			/* cycle a -> b -> a */
	b = mk_pkt(mp, 100, 2);
	rte_pktmbuf_chain(a, b);
	b->next = a;
	m[0] = a;
	m[1] = mk_pkt(mp, 3000, 3);		/* pkt_len lies */
	m[1]->pkt_len += 10;
	m[2] = mk_pkt(mp, 100, 4);		/* data_len beyond buffer */
	m[2]->data_len = m[2]->buf_len;
	m[3] = mk_pkt(mp, 100, 5);		/* self loop, nb_segs 1 */
	m[3]->next = m[3];
	CHECK_EQ(rte_kni_tx_burst(kni, m, 4), 4);
	CHECK_EQ(fake_rx_consume(f, 100), 4);
	CHECK_EQ(f->rx_bad, bad + 4);
	rte_kni_tx_burst(kni, NULL, 0);
	CHECK_EQ(avail(mp), before);

	/* an mbuf outside registered memory is dropped and never returned */
	mem = aligned_alloc(64, 4096);		/* never freed: see below */
	fake = (struct rte_mbuf *)mem;
	a = mk_pkt(mp, 64, 6);
	memcpy(fake, a, sizeof(*fake));
	rte_pktmbuf_free(a);
	fake->buf_addr = mem + 512;
	CHECK_EQ(rte_kni_tx_burst(kni, &fake, 1), 1);
	CHECK_EQ(fake_rx_consume(f, 100), 1);
	CHECK_EQ(f->rx_outside, 1);
	rte_kni_tx_burst(kni, NULL, 0);
	CHECK_EQ(avail(mp), before);
	/* and one the kernel never saw: release must not free it either */
	CHECK_EQ(rte_kni_tx_burst(kni, &fake, 1), 1);
	fake_pkts_clear(f);
}

/* Mbufs everywhere at release: in all four rings and held privately. */
static void test_release(void)
{
	static const unsigned char big[5000];
	struct rte_kni *kni = rte_kni_get("vEth0");
	struct fake_if *f = fake_if_get("vEth0");
	struct rte_mbuf *m[16];
	unsigned int i;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	for (i = 0; i < 16; i++)
		m[i] = mk_pkt(mp, 2500, i);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 6), 6);
	CHECK_EQ(fake_rx_consume(f, 6), 6);	/* -> free ring, unread */
	CHECK_EQ(rte_kni_tx_burst(kni, &m[6], 10), 10);	/* rx, untaken */
	for (i = 0; i < 5; i++)
		CHECK_EQ(fake_tx_send(f, "hello", 5), 0);	/* tx, unread */
	CHECK_EQ(fake_tx_send(f, big, sizeof(big)), 0);	/* 3 segments */
	CHECK_EQ(fake_alloc_hold(f, 7), 7);		/* held */
	fake_pkts_clear(f);

	CHECK_EQ(rte_kni_release(kni), 0);
	CHECK(fake_if_get("vEth0") == NULL);
	CHECK(rte_kni_get("vEth0") == NULL);
	CHECK_EQ(avail(mp), POOL_SIZE);
}

/* Closing the file deletes the interfaces; release still frees mbufs. */
static void test_close(void)
{
	struct rte_kni *kni = mk_kni("vEth2", mp, NULL);
	struct fake_if *f = fake_if_get("vEth2");
	struct rte_mbuf *m[4];
	unsigned int i;

	CHECK(kni && f);
	if (!kni || !f)
		return;
	for (i = 0; i < 4; i++)
		m[i] = mk_pkt(mp, 200, i);
	CHECK_EQ(rte_kni_tx_burst(kni, m, 4), 4);
	CHECK_EQ(fake_alloc_hold(f, 3), 3);
	rte_kni_close();
	CHECK(fake_if_get("vEth2") == NULL);
	CHECK_EQ(fk.fd, -1);
	CHECK_EQ(rte_kni_release(kni), 0);
	CHECK_EQ(avail(mp), POOL_SIZE);

	/* and a new file starts over: memory registered again */
	CHECK_EQ(rte_kni_init(0), 0);
	kni = mk_kni("vEth2", mp, NULL);
	CHECK(kni != NULL);
	CHECK(pool_registered(mp));
	CHECK_EQ(rte_kni_release(kni), 0);
	CHECK_EQ(avail(mp), POOL_SIZE);
}

int main(int argc, char **argv)
{
	char *eal[] = {
		argv[0], "--no-huge", "--no-pci", "--no-shconf", "-m", "256",
		"-l", "0", "--vdev=net_null0", "--log-level=lib.eal:error",
		"--log-level=pmd.*:error",
	};

	RTE_SET_USED(argc);
	fake_kni_reset();
	if (rte_eal_init(RTE_DIM(eal), eal) < 0) {
		printf("skip: cannot start an EAL here\n");
		return UNIT_SKIP;
	}
	mp = rte_pktmbuf_pool_create("test_pool", POOL_SIZE, 0, 0,
				     DATA_ROOM + RTE_PKTMBUF_HEADROOM,
				     SOCKET_ID_ANY);
	if (!mp) {
		printf("skip: no mempool\n");
		return UNIT_SKIP;
	}
	RUN(test_init_errors);
	RUN(test_alloc_args);
	RUN(test_create);
	RUN(test_tx_to_kernel);
	RUN(test_rx_from_kernel);
	RUN(test_no_starvation);
	RUN(test_small_pool);
	RUN(test_requests);
	RUN(test_link);
	RUN(test_mc_list);
	RUN(test_offloads);
	RUN(test_second_pool);
	RUN(test_big_pool);
	RUN(test_refused_pool);
	RUN(test_clones);
	RUN(test_bad_chains);
	RUN(test_release);
	RUN(test_close);
	rte_eal_cleanup();
	return unit_exit();
}
