/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_kni.c - the lifecycle half of the rte_kni.h API: init, create,
 * lookup, callbacks, link state, release.  Interfaces are kept in the EAL
 * tailq "RTE_KNI" so that every process of the application finds them.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <rte_tailq.h>

#include "kni_internal.h"
#include "kni_reclaim.h"

/* The public types keep DPDK 22.11's layout (x86-64 figures). */
#define KNI_CONF_AT(field, off) \
	static_assert(offsetof(struct rte_kni_conf, field) == (off), \
		      "rte_kni_conf." #field " moved")
KNI_CONF_AT(name, 0);
KNI_CONF_AT(core_id, 16);
KNI_CONF_AT(group_id, 20);
KNI_CONF_AT(mbuf_size, 24);
KNI_CONF_AT(addr, 28);
KNI_CONF_AT(id, 36);
KNI_CONF_AT(mac_addr, 49);
KNI_CONF_AT(mtu, 56);
KNI_CONF_AT(min_mtu, 58);
KNI_CONF_AT(max_mtu, 60);
static_assert(sizeof(struct rte_kni_conf) == 64, "rte_kni_conf size");
static_assert(sizeof(void *) != 8 || sizeof(struct rte_kni_ops) == 48,
	      "rte_kni_ops size");
static_assert(RTE_KNI_NAMESIZE == IFNAMSIZ, "name size");

TAILQ_HEAD(kni_list, rte_tailq_entry);

static struct rte_tailq_elem kni_tailq = {
	.name = "RTE_KNI",
};
EAL_REGISTER_TAILQ(kni_tailq)

RTE_LOG_REGISTER(kni_logtype, lib.kni, INFO);

static struct kni_list *kni_list(void)
{
	return RTE_TAILQ_CAST(kni_tailq.head, kni_list);
}

/* Callers of the two lookups hold the tailq lock. */
static struct rte_tailq_entry *kni_find_name(const char *name)
{
	struct rte_tailq_entry *te;

	TAILQ_FOREACH(te, kni_list(), next)
		if (!strncmp(((struct rte_kni *)te->data)->name, name,
			     RTE_KNI_NAMESIZE))
			return te;
	return NULL;
}

static struct rte_tailq_entry *kni_find_entry(const struct rte_kni *kni)
{
	struct rte_tailq_entry *te;

	TAILQ_FOREACH(te, kni_list(), next)
		if (te->data == kni)
			return te;
	return NULL;
}

/* Lowest slot number no interface uses; caller holds the write lock. */
static int kni_free_slot(void)
{
	uint32_t slot;

	for (slot = 0; slot < RTE_KNI_MAX_IFACES; slot++) {
		struct rte_tailq_entry *te;

		TAILQ_FOREACH(te, kni_list(), next)
			if (((struct rte_kni *)te->data)->slot == slot)
				break;
		if (!te)
			return slot;
	}
	return -ENOSPC;
}

KNI_EXPORT int rte_kni_init(unsigned int max_kni_ifaces)
{
	int ret;

	RTE_SET_USED(max_kni_ifaces);
	ret = kni_dev_open();
	if (ret) {
		rte_errno = -ret;
		return -1;
	}
	return 0;
}

static int kni_conf_valid(const struct rte_mempool *mp,
			  const struct rte_kni_conf *conf)
{
	if (!mp || !conf || !conf->name[0]) {
		KNI_LOG(ERR, "invalid parameters: no mempool, configuration or name");
		return 0;
	}
	if (strnlen(conf->name, RTE_KNI_NAMESIZE) == RTE_KNI_NAMESIZE) {
		KNI_LOG(ERR, "interface name too long (at most %d characters)",
			RTE_KNI_NAMESIZE - 1);
		return 0;
	}
	return 1;
}

static void kni_create_fill(struct rte_kni_create *c,
			    const struct rte_kni_conf *conf)
{
	struct rte_ether_addr mac;

	memset(c, 0, sizeof(*c));
	memcpy(c->name, conf->name, strnlen(conf->name, RTE_KNI_NAMESIZE));
	memcpy(mac.addr_bytes, conf->mac_addr, RTE_ETHER_ADDR_LEN);
	if (rte_is_valid_assigned_ether_addr(&mac))
		memcpy(c->mac_addr, conf->mac_addr, RTE_ETHER_ADDR_LEN);
	else
		c->flags |= RTE_KNI_CREATE_RANDOM_MAC;
	if (conf->force_bind)
		c->flags |= RTE_KNI_CREATE_FORCE_BIND;
	c->core_id = conf->core_id;
	c->mtu = conf->mtu;
	/*
	 * Applications pass their port's dev_info.min_mtu, which some PMDs
	 * put below what IPv4 needs (e1000: 46); the kernel refuses that, so
	 * raise it to RTE_ETHER_MIN_MTU rather than fail the create.
	 */
	c->min_mtu = conf->min_mtu && conf->min_mtu < RTE_ETHER_MIN_MTU ?
		     RTE_ETHER_MIN_MTU : conf->min_mtu;
	c->max_mtu = conf->max_mtu;
	c->ring_size = KNI_RING_SLOTS;
	c->req_ring_size = KNI_REQ_SLOTS;
	c->layout = (struct rte_kni_mbuf_layout){
		.hdr_size = sizeof(struct rte_mbuf),
		.buf_addr = offsetof(struct rte_mbuf, buf_addr),
		.data_off = offsetof(struct rte_mbuf, data_off),
		.nb_segs = offsetof(struct rte_mbuf, nb_segs),
		.pkt_len = offsetof(struct rte_mbuf, pkt_len),
		.data_len = offsetof(struct rte_mbuf, data_len),
		.buf_len = offsetof(struct rte_mbuf, buf_len),
		.next = offsetof(struct rte_mbuf, next),
	};
}

static int kni_create(struct rte_kni *kni, const struct rte_kni_conf *conf)
{
	struct rte_kni_create c;
	int ret;

	kni_create_fill(&c, conf);
	ret = kni_dev_ioctl(RTE_KNI_IOC_CREATE, &c);
	if (ret) {
		KNI_LOG(ERR, "%s: cannot create interface: %s%s", kni->name,
			strerror(-ret),
			ret == -EPERM ? " (needs CAP_NET_ADMIN)" :
			ret == -EINVAL ? " (name, MAC or MTU refused)" : "");
		return ret;
	}
	kni->ifindex = c.ifindex;
	ret = kni_local_create(kni, &c);
	if (ret) {
		struct rte_kni_release rel;

		memcpy(rel.name, c.name, sizeof(rel.name));
		kni_dev_ioctl(RTE_KNI_IOC_RELEASE, &rel);
	}
	return ret;
}

/* A random id no live interface has; caller holds the write lock. */
static uint64_t kni_new_id(void)
{
	struct rte_tailq_entry *te;
	uint64_t id;

again:
	id = rte_rand() | 1;
	TAILQ_FOREACH(te, kni_list(), next)
		if (((struct rte_kni *)te->data)->id == id)
			goto again;
	return id;
}

static struct rte_kni *kni_new(struct rte_mempool *mp,
			       const struct rte_kni_conf *conf,
			       const struct rte_kni_ops *ops)
{
	struct rte_kni *kni;
	int slot, ret;

	if (kni_find_name(conf->name)) {
		KNI_LOG(ERR, "%s: an interface with this name exists",
			conf->name);
		rte_errno = EEXIST;
		return NULL;
	}
	slot = kni_free_slot();
	if (slot < 0) {
		KNI_LOG(ERR, "%s: too many interfaces (at most %d)",
			conf->name, RTE_KNI_MAX_IFACES);
		rte_errno = ENOSPC;
		return NULL;
	}
	kni = rte_zmalloc("RTE_KNI", sizeof(*kni), RTE_CACHE_LINE_SIZE);
	if (!kni) {
		KNI_LOG(ERR, "%s: out of shared memory", conf->name);
		rte_errno = ENOMEM;
		return NULL;
	}
	memcpy(kni->name, conf->name, strnlen(conf->name, RTE_KNI_NAMESIZE));
	kni->id = kni_new_id();
	kni->slot = slot;
	kni->pktmbuf_pool = mp;
	if (ops)
		kni->ops = *ops;
	else
		kni->ops.port_id = UINT16_MAX;
	kni->ops_space = kni_dev_space();

	ret = kni_mem_register_pool(mp);
	if (!ret)
		ret = kni_create(kni, conf);
	if (ret) {
		rte_free(kni);
		rte_errno = -ret;
		return NULL;
	}
	return kni;
}

KNI_EXPORT struct rte_kni *
rte_kni_alloc(struct rte_mempool *pktmbuf_pool,
	      const struct rte_kni_conf *conf, struct rte_kni_ops *ops)
{
	struct rte_tailq_entry *te;
	struct rte_kni *kni;

	if (!kni_conf_valid(pktmbuf_pool, conf)) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (!kni_dev_is_open()) {
		KNI_LOG(ERR, "%s: KNI not initialised; call rte_kni_init() first",
			conf->name);
		rte_errno = ENODEV;
		return NULL;
	}
	te = rte_zmalloc("RTE_KNI_TAILQ_ENTRY", sizeof(*te), 0);
	if (!te) {
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_mcfg_tailq_write_lock();
	kni = kni_new(pktmbuf_pool, conf, ops);
	if (kni) {
		te->data = kni;
		TAILQ_INSERT_TAIL(kni_list(), te, next);
	}
	rte_mcfg_tailq_write_unlock();
	if (!kni) {
		rte_free(te);
		return NULL;
	}
	kni_alloc_fill(kni, kni_local_peek(kni));
	return kni;
}

/*
 * Ask the kernel to delete the interface.  0 once it is gone, whoever
 * deleted it; after that the kernel no longer touches its rings.
 */
static int kni_delete(const struct rte_kni *kni, const struct kni_local *l)
{
	struct rte_kni_release rel;
	int ret;

	if (kni_local_orphaned(l))
		return 0;	/* closing our file deleted it */
	ret = kni_dev_open();
	if (ret)
		return ret;
	if (!l->created) {
		struct rte_kni_create c;

		memset(&c, 0, sizeof(c));
		memcpy(c.name, kni->name, sizeof(c.name));
		ret = kni_dev_ioctl(RTE_KNI_IOC_INFO, &c);
		if (ret == -ENODEV || ret == -ENOENT ||
		    (!ret && c.ifindex != kni->ifindex))
			return 0;	/* its creator went away */
		if (ret)
			return ret;
	}
	memcpy(rel.name, kni->name, sizeof(rel.name));
	ret = kni_dev_ioctl(RTE_KNI_IOC_RELEASE, &rel);
	/* only our own file can tell for sure that it is gone */
	if (l->created && (ret == -ENODEV || ret == -ENOENT))
		return 0;
	return ret;
}

/*
 * Delete the interface, making room on the free ring first for the mbufs
 * the kernel hands back while deleting (it may answer EAGAIN when they do
 * not fit: drain and ask again).
 */
static int kni_delete_drained(struct rte_kni *kni, struct kni_local *l)
{
	int ret, tries = 100;

	do {
		kni_free_drain(kni, l, UINT32_MAX);
		ret = kni_delete(kni, l);
	} while (ret == -EAGAIN && --tries);
	return ret;
}

struct kni_reclaim_count {
	unsigned int freed;
	unsigned int foreign;
};

static void kni_reclaim_one(enum rte_kni_ring_id id, uint64_t entry,
			    void *arg)
{
	struct rte_mbuf *m = (struct rte_mbuf *)(uintptr_t)entry;
	struct kni_reclaim_count *cnt = arg;

	if (!m)
		return;
	/*
	 * The kernel refuses an rx entry outside registered memory: it was
	 * never a mempool object we may free.
	 */
	if (id == RTE_KNI_RING_RX && !kni_mem_covered(m, sizeof(*m))) {
		cnt->foreign++;
		return;
	}
	kni_mbuf_free(m);
	cnt->freed++;
}

/* Free every mbuf still queued on the rings of a deleted interface. */
static void kni_reclaim(struct rte_kni *kni, struct kni_local *l)
{
	struct kni_reclaim_count cnt = { 0, 0 };
	unsigned int i;

	for (i = 0; i < RTE_KNI_RING_COUNT; i++)
		l->ring[i].head = kni->idx[i].head;
	if (kni_rings_reclaim(l->ring, kni_reclaim_one, &cnt))
		KNI_LOG(ERR, "%s: ring indices corrupt, some mbufs leaked",
			kni->name);
	if (cnt.foreign)
		KNI_LOG(WARNING, "%s: %u queued mbufs outside registered memory not freed",
			kni->name, cnt.foreign);
	KNI_LOG(DEBUG, "%s: released, %u mbufs freed", kni->name, cnt.freed);
}

KNI_EXPORT int rte_kni_release(struct rte_kni *kni)
{
	struct rte_tailq_entry *te;
	struct kni_local *l;
	int ret;

	if (!kni)
		return -1;
	rte_mcfg_tailq_write_lock();
	te = kni_find_entry(kni);
	if (!te) {
		rte_mcfg_tailq_write_unlock();
		KNI_LOG(ERR, "release: not a KNI interface");
		return -1;
	}
	l = kni_local_attach(kni, 1);
	if (!l && rte_errno == ENODEV) {
		/* deleted with its creator: only the shared state is left */
		KNI_LOG(WARNING, "%s: already deleted; mbufs queued on it are lost",
			kni->name);
		TAILQ_REMOVE(kni_list(), te, next);
		rte_mcfg_tailq_write_unlock();
		kni_local_detach(kni);
		rte_free(te);
		rte_free(kni);
		return 0;
	}
	if (!l) {
		rte_mcfg_tailq_write_unlock();
		return -1;
	}
	ret = kni_delete_drained(kni, l);
	if (ret) {
		rte_mcfg_tailq_write_unlock();
		KNI_LOG(ERR, "%s: cannot release: %s", kni->name,
			strerror(-ret));
		return -1;
	}
	TAILQ_REMOVE(kni_list(), te, next);
	rte_mcfg_tailq_write_unlock();

	kni_reclaim(kni, l);
	kni_local_detach(kni);
	rte_free(te);
	rte_free(kni);
	return 0;
}

KNI_EXPORT int rte_kni_handle_request(struct rte_kni *kni)
{
	struct kni_local *l;

	if (!kni)
		return -1;
	l = kni_local(kni);
	if (!l)
		return -1;
	return kni_req_handle(kni, l);
}

KNI_EXPORT struct rte_kni *rte_kni_get(const char *name)
{
	struct rte_tailq_entry *te;
	struct rte_kni *kni = NULL;

	if (!name || !name[0])
		return NULL;
	rte_mcfg_tailq_read_lock();
	te = kni_find_name(name);
	if (te)
		kni = te->data;
	rte_mcfg_tailq_read_unlock();
	/* another process created it: map its rings here now */
	if (kni && !kni_local_peek(kni) && !kni_local_attach(kni, 1))
		return NULL;
	return kni;
}

KNI_EXPORT const char *rte_kni_get_name(const struct rte_kni *kni)
{
	return kni->name;
}

static int kni_ops_set(const struct rte_kni_ops *ops)
{
	return ops->change_mtu || ops->config_network_if ||
	       ops->config_mac_address || ops->config_promiscusity ||
	       ops->config_allmulticast;
}

KNI_EXPORT int rte_kni_register_handlers(struct rte_kni *kni,
					 struct rte_kni_ops *ops)
{
	if (!kni || !ops) {
		KNI_LOG(ERR, "register handlers: invalid parameters");
		return -1;
	}
	if (kni_ops_set(&kni->ops)) {
		KNI_LOG(ERR, "%s: handlers already registered", kni->name);
		return -1;
	}
	kni->ops_space = kni_dev_space();
	kni->ops = *ops;
	return 0;
}

/* As DPDK 22.11: all zero, so port_id becomes 0. */
KNI_EXPORT int rte_kni_unregister_handlers(struct rte_kni *kni)
{
	if (!kni)
		return -1;
	memset(&kni->ops, 0, sizeof(kni->ops));
	kni->mc_handler = NULL;
	kni->offload_handler = NULL;
	return 0;
}

KNI_EXPORT int rte_kni_set_mc_handler(struct rte_kni *kni,
				      rte_kni_mc_list_t handler)
{
	if (!kni) {
		rte_errno = EINVAL;
		return -1;
	}
	kni->mc_space = kni_dev_space();
	kni->mc_handler = handler;
	return 0;
}

KNI_EXPORT int rte_kni_set_offload_handler(struct rte_kni *kni,
					   rte_kni_offload_t handler)
{
	if (!kni) {
		rte_errno = EINVAL;
		return -1;
	}
	kni->offload_space = kni_dev_space();
	kni->offload_handler = handler;
	return 0;
}

KNI_EXPORT int rte_kni_set_offloads(struct rte_kni *kni, uint32_t offloads)
{
	int ret;

	if (!kni || (offloads & ~RTE_KNI_OFL_ALL)) {
		rte_errno = EINVAL;
		return -1;
	}
	ret = kni_offload_set(kni, offloads);
	if (ret < 0) {
		KNI_LOG(ERR, "%s: cannot set offloads %#x: %s", kni->name,
			offloads, strerror(-ret));
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

KNI_EXPORT int rte_kni_get_mc_list(struct rte_kni *kni,
				   struct rte_ether_addr *addrs,
				   unsigned int max)
{
	int ret;

	if (!kni || (!addrs && max)) {
		rte_errno = EINVAL;
		return -1;
	}
	ret = kni_mc_read(kni, addrs, max);
	if (ret < 0) {
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

/* RTE_KNI_IOC_LINK: the previous link state, or -1 with rte_errno set. */
static int kni_link_ioctl(struct rte_kni *kni, struct rte_kni_link *l)
{
	int ret;

	l->ifindex = kni->ifindex;
	ret = kni_dev_ioctl(RTE_KNI_IOC_LINK, l);
	if (ret < 0) {
		KNI_LOG(ERR, "%s: cannot set the link: %s", kni->name,
			strerror(-ret));
		rte_errno = -ret;
		return -1;
	}
	return ret;
}

KNI_EXPORT int rte_kni_update_link(struct rte_kni *kni, unsigned int linkup)
{
	struct rte_kni_link l = {
		.flags = RTE_KNI_LINK_STATUS,
		.status = !!linkup,
	};

	if (!kni) {
		rte_errno = EINVAL;
		return -1;
	}
	return kni_link_ioctl(kni, &l);
}

KNI_EXPORT int rte_kni_set_link(struct rte_kni *kni,
				const struct rte_eth_link *link)
{
	struct rte_kni_link l;

	if (!kni || !link) {
		rte_errno = EINVAL;
		return -1;
	}
	memset(&l, 0, sizeof(l));
	l.flags = RTE_KNI_LINK_STATUS | RTE_KNI_LINK_MODE;
	l.speed = link->link_speed;
	l.duplex = link->link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
	l.autoneg = link->link_autoneg == RTE_ETH_LINK_AUTONEG;
	l.status = link->link_status == RTE_ETH_LINK_UP;
	return kni_link_ioctl(kni, &l);
}

/*
 * As in DPDK, closing deletes every interface this process created.  The
 * ring mappings keep /dev/kni open in the kernel's eyes, so delete, reclaim
 * and unmap each one first; the shared state stays until rte_kni_release(),
 * which then finds the interface gone.
 */
KNI_EXPORT void rte_kni_close(void)
{
	struct rte_tailq_entry *te;
	struct rte_kni *kni;
	struct kni_local *l;

	rte_mcfg_tailq_write_lock();
	TAILQ_FOREACH(te, kni_list(), next) {
		kni = te->data;
		l = kni_local_peek(kni);
		if (!l)
			continue;
		if (l->created && !kni_local_orphaned(l) &&
		    !kni_delete_drained(kni, l))
			kni_reclaim(kni, l);
		kni_local_detach(kni);
	}
	rte_mcfg_tailq_write_unlock();
	kni_dev_close();
}
