/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fake_kni.c - the kernel side of /dev/kni, faked in the test process (see
 * fake_kni.h).  Written from rte_kni_abi.h alone: it knows nothing of DPDK
 * and reaches mbufs only through the layout the library declared.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_kni.h"

struct fake_kni fk = {
	.fd = -1,
	.abi_version = RTE_KNI_ABI_VERSION,
	.next_ifindex = 100,
};

/* Serialises the ioctls with a test thread playing the kernel side. */
pthread_mutex_t fake_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

static int (*real_open)(const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_close)(int);

#define REAL(fn)							\
	(real_##fn ? real_##fn :					\
	 (*(void **)&real_##fn = dlsym(RTLD_NEXT, #fn), real_##fn))

static const uint32_t entry_size[RTE_KNI_RING_COUNT] = {
	8, 8, 8, 8, sizeof(struct rte_kni_request),
	sizeof(struct rte_kni_request),
};

static uint64_t rd(uint64_t addr, unsigned int size)
{
	uint64_t v = 0;

	memcpy(&v, (const void *)(uintptr_t)addr, size);	/* LE host */
	return v;
}

static void wr(uint64_t addr, unsigned int size, uint64_t v)
{
	memcpy((void *)(uintptr_t)addr, &v, size);
}

#define MB_RD(f, m, field, size)  rd((m) + (f)->c.layout.field, size)
#define MB_WR(f, m, field, size, v) wr((m) + (f)->c.layout.field, size, v)

static int covered(uint64_t addr, uint64_t len)
{
	return len == 0 || kni_region_covered(&fk.regions, addr, len);
}

void fake_kni_reset(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.fd = -1;
	fk.abi_version = RTE_KNI_ABI_VERSION;
	fk.features = RTE_KNI_FEATURES;
	fk.next_ifindex = 100;
}

struct fake_if *fake_if_get(const char *name)
{
	int i;

	for (i = 0; i < FAKE_MAX_IFS; i++)
		if (fk.ifs[i].live &&
		    !strncmp(fk.ifs[i].c.name, name, RTE_KNI_NAMESIZE))
			return &fk.ifs[i];
	return NULL;
}

static void hold(struct fake_if *f, uint64_t m)
{
	if (f->nhold < FAKE_MAX_HOLD)
		f->hold[f->nhold++] = m;
}

/* Hand an rx mbuf back on the free ring, or keep it for later. */
static void give_back(struct fake_if *f, __u64 m)
{
	if (!kni_ring_put_u64(&f->k[RTE_KNI_RING_FREE], &m, 1))
		hold(f, m);
}

void fake_set_flags(struct fake_if *f, enum rte_kni_ring_id id, uint32_t v)
{
	*f->k[id].flags = v;
}

void fake_pkts_clear(struct fake_if *f)
{
	unsigned int i;

	for (i = 0; i < f->npkts; i++)
		free(f->pkt[i]);
	f->npkts = 0;
}

/* Validate one chain and copy its bytes out; 0 if it is malformed. */
static int read_chain(struct fake_if *f, uint64_t head, unsigned char *buf,
		      uint32_t *len)
{
	uint32_t nb = MB_RD(f, head, nb_segs, 2);
	uint32_t pkt_len = MB_RD(f, head, pkt_len, 4);
	uint32_t total = 0, segs = 0;
	uint64_t m = head;

	while (m) {
		uint64_t data;
		uint32_t off, dlen, blen;

		if (segs == RTE_KNI_MAX_SEGS ||
		    !covered(m, f->c.layout.hdr_size))
			return 0;
		data = MB_RD(f, m, buf_addr, 8);
		off = MB_RD(f, m, data_off, 2);
		dlen = MB_RD(f, m, data_len, 2);
		blen = MB_RD(f, m, buf_len, 2);
		if (off + dlen > blen || !covered(data + off, dlen) ||
		    total + dlen > pkt_len)
			return 0;
		memcpy(buf + total, (const void *)(uintptr_t)(data + off),
		       dlen);
		total += dlen;
		segs++;
		m = MB_RD(f, m, next, 8);
	}
	*len = total;
	return segs == nb && total == pkt_len;
}

/*
 * The stack side receives what the library sent (rx ring).  Like the
 * kernel it takes only what the free ring has room to give back, and
 * sleeps on the rx ring (NEED_WAKEUP) when it has to stop early.
 */
unsigned int fake_rx_consume(struct fake_if *f, unsigned int max)
{
	static unsigned char buf[RTE_KNI_MAX_SEGS * 65536];
	struct kni_ring *rx = &f->k[RTE_KNI_RING_RX];
	unsigned int done = 0;
	__u64 m;

	if (kni_ring_count(rx) && !kni_ring_free(&f->k[RTE_KNI_RING_FREE]))
		fake_set_flags(f, RTE_KNI_RING_RX, RTE_KNI_RING_NEED_WAKEUP);
	while (done < max && kni_ring_free(&f->k[RTE_KNI_RING_FREE]) &&
	       kni_ring_get_u64(rx, &m, 1)) {
		uint32_t len;

		done++;
		if (!covered(m, f->c.layout.hdr_size)) {
			f->rx_outside++;	/* dropped, never returned */
			continue;
		}
		if (read_chain(f, m, buf, &len) && f->npkts < FAKE_MAX_PKTS) {
			f->pkt[f->npkts] = malloc(len ? len : 1);
			memcpy(f->pkt[f->npkts], buf, len);
			f->pkt_len[f->npkts++] = len;
		} else {
			f->rx_bad++;
		}
		give_back(f, m);
	}
	return done;
}

/* The stack sends a frame: fill mbufs from the alloc ring, post on tx. */
int fake_tx_send(struct fake_if *f, const void *data, uint32_t len)
{
	struct kni_ring *alloc = &f->k[RTE_KNI_RING_ALLOC];
	__u64 head = 0, prev = 0, m;
	uint32_t done = 0, room, nseg, i;

	if (!kni_ring_count(alloc) || !kni_ring_free(&f->k[RTE_KNI_RING_TX]))
		goto stop;
	m = kni_read_once(*(__u64 *)kni_ring_cons_slot(alloc, 0));
	room = MB_RD(f, m, buf_len, 2) - MB_RD(f, m, data_off, 2);
	nseg = len ? (len + room - 1) / room : 1;
	if (kni_ring_count(alloc) < nseg)
		goto stop;
	for (i = 0; i < nseg; i++) {
		uint32_t n;

		kni_ring_get_u64(alloc, &m, 1);
		room = MB_RD(f, m, buf_len, 2) - MB_RD(f, m, data_off, 2);
		n = len - done < room ? len - done : room;
		memcpy((void *)(uintptr_t)(MB_RD(f, m, buf_addr, 8) +
					   MB_RD(f, m, data_off, 2)),
		       (const unsigned char *)data + done, n);
		MB_WR(f, m, data_len, 2, n);
		MB_WR(f, m, next, 8, 0);
		if (prev)
			MB_WR(f, prev, next, 8, m);
		else
			head = m;
		prev = m;
		done += n;
	}
	MB_WR(f, head, nb_segs, 2, nseg);
	MB_WR(f, head, pkt_len, 4, len);
	kni_ring_put_u64(&f->k[RTE_KNI_RING_TX], &head, 1);
	return 0;
stop:
	/* like the real queue: stop and ask to be woken */
	fake_set_flags(f, RTE_KNI_RING_TX, RTE_KNI_RING_NEED_WAKEUP);
	return -ENOBUFS;
}

/* Take empty mbufs privately, as the kernel does while building skbs. */
unsigned int fake_alloc_hold(struct fake_if *f, unsigned int n)
{
	unsigned int i;
	__u64 m;

	for (i = 0; i < n; i++) {
		if (!kni_ring_get_u64(&f->k[RTE_KNI_RING_ALLOC], &m, 1))
			break;
		hold(f, m);
	}
	return i;
}

/* The held mbufs go back on the free ring, as far as it has room. */
unsigned int fake_hold_to_free(struct fake_if *f)
{
	unsigned int n = 0;

	while (f->nhold &&
	       kni_ring_put_u64(&f->k[RTE_KNI_RING_FREE],
				&f->hold[f->nhold - 1], 1)) {
		f->nhold--;
		n++;
	}
	return n;
}

/* The held mbufs go out as empty frames on the tx ring. */
unsigned int fake_hold_to_tx(struct fake_if *f)
{
	unsigned int n = 0;

	while (f->nhold && kni_ring_free(&f->k[RTE_KNI_RING_TX])) {
		__u64 m = f->hold[--f->nhold];

		MB_WR(f, m, data_len, 2, 0);
		MB_WR(f, m, pkt_len, 4, 0);
		MB_WR(f, m, nb_segs, 2, 1);
		MB_WR(f, m, next, 8, 0);
		kni_ring_put_u64(&f->k[RTE_KNI_RING_TX], &m, 1);
		n++;
	}
	return n;
}

uint32_t fake_req_post(struct fake_if *f, uint32_t type, uint32_t flags,
		       const void *val, size_t len)
{
	struct kni_ring *r = &f->k[RTE_KNI_RING_REQ];
	struct rte_kni_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.seq = ++f->seq;
	rq.type = type;
	rq.flags = flags;
	rq.result = 12345;	/* must be overwritten */
	memcpy(rq.raw, val, len);
	if (!kni_ring_free(r))
		return 0;
	memcpy(kni_ring_prod_slot(r, 0), &rq, sizeof(rq));
	kni_ring_submit(r, 1);
	return rq.seq;
}

int fake_resp_take(struct fake_if *f, struct rte_kni_request *out)
{
	struct kni_ring *r = &f->k[RTE_KNI_RING_RESP];

	if (!kni_ring_count(r))
		return 0;
	memcpy(out, kni_ring_cons_slot(r, 0), sizeof(*out));
	kni_ring_release(r, 1);
	return 1;
}

static int layout_valid(const struct rte_kni_mbuf_layout *l)
{
	const struct { uint16_t off, size; } field[] = {
		{ l->buf_addr, 8 }, { l->data_off, 2 }, { l->nb_segs, 2 },
		{ l->pkt_len, 4 }, { l->data_len, 2 }, { l->buf_len, 2 },
		{ l->next, 8 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(field) / sizeof(field[0]); i++)
		if (field[i].off % field[i].size ||
		    field[i].off + field[i].size > l->hdr_size)
			return 0;
	return 1;
}

static int fake_create(struct rte_kni_create *c)
{
	struct fake_if *f = NULL;
	uint64_t pos = 0;
	unsigned int i;

	if (!c->name[0] || memchr(c->name, 0, RTE_KNI_NAMESIZE) == NULL ||
	    !layout_valid(&c->layout) || !kni_ring_size_valid(c->ring_size) ||
	    !kni_ring_size_valid(c->req_ring_size))
		return -EINVAL;
	if (fake_if_get(c->name))
		return -EEXIST;
	for (i = 0; i < FAKE_MAX_IFS && !f; i++)
		if (!fk.ifs[i].live && !fk.ifs[i].map)
			f = &fk.ifs[i];
	if (!f)
		return -ENOSPC;
	memset(f, 0, sizeof(*f));
	for (i = 0; i < RTE_KNI_RING_COUNT; i++) {
		struct rte_kni_ring_off *o = &c->ring[i];

		o->size = i >= RTE_KNI_RING_REQ ? c->req_ring_size :
						  c->ring_size;
		o->entry_size = entry_size[i];
		o->producer = pos;
		o->consumer = pos + RTE_KNI_CACHE_LINE;
		o->flags = pos + 2 * RTE_KNI_CACHE_LINE;
		o->desc = pos + 3 * RTE_KNI_CACHE_LINE;
		pos = o->desc + (uint64_t)o->size * o->entry_size;
		pos = (pos + RTE_KNI_CACHE_LINE - 1) &
		      ~(uint64_t)(RTE_KNI_CACHE_LINE - 1);
	}
	c->mmap_size = (pos + 4095) & ~4095ULL;
	c->ifindex = fk.next_ifindex++;
	c->mmap_offset = (uint64_t)c->ifindex << 20;
	f->memfd = memfd_create("fake_kni", MFD_CLOEXEC);
	if (f->memfd < 0 || ftruncate(f->memfd, c->mmap_size))
		return -ENOMEM;
	f->map = REAL(mmap)(NULL, c->mmap_size, PROT_READ | PROT_WRITE,
			    MAP_SHARED, f->memfd, 0);
	if (f->map == MAP_FAILED)
		return -ENOMEM;
	for (i = 0; i < RTE_KNI_RING_COUNT; i++)
		kni_ring_init(&f->k[i], f->map, &c->ring[i], 0);
	f->c = *c;
	f->live = 1;
	return 0;
}

/* Delete: stop, and push everything held privately to the free ring. */
static void fake_delete(struct fake_if *f)
{
	unsigned int i;

	for (i = 0; i < f->nhold; i++)
		kni_ring_put_u64(&f->k[RTE_KNI_RING_FREE], &f->hold[i], 1);
	f->nhold = 0;
	f->live = 0;
}

static struct fake_if *if_by_index(int ifindex)
{
	int i;

	for (i = 0; i < FAKE_MAX_IFS; i++)
		if (fk.ifs[i].live && fk.ifs[i].c.ifindex == ifindex)
			return &fk.ifs[i];
	return NULL;
}

static int fake_ioctl(unsigned long cmd, void *arg)
{
	struct fake_if *f;

	if (cmd == RTE_KNI_IOC_VERSION) {
		struct rte_kni_version *v = arg;

		if (v->abi_version != fk.abi_version) {
			v->abi_version = fk.abi_version;
			return -EPROTO;
		}
		fk.lib_features = v->features;
		v->features &= fk.features;
		fk.handshaken = 1;
		return 0;
	}
	if (!fk.handshaken)
		return -EPROTO;
	switch (cmd) {
	case RTE_KNI_IOC_REG_MEM: {
		const struct rte_kni_mem_region *r = arg;

		fk.reg_calls++;
		if (fk.reg_errno)
			return -fk.reg_errno;
		if (!r->len || r->len > RTE_KNI_MAX_REGION_LEN)
			return -EINVAL;
		return kni_region_add(&fk.regions, r->addr, r->len);
	}
	case RTE_KNI_IOC_CREATE:
		return fake_create(arg);
	case RTE_KNI_IOC_INFO: {
		struct rte_kni_create *c = arg;

		f = fake_if_get(c->name);
		if (!f)
			return -ENODEV;
		c->ifindex = f->c.ifindex;
		c->mmap_size = f->c.mmap_size;
		c->mmap_offset = f->c.mmap_offset;
		memcpy(c->ring, f->c.ring, sizeof(c->ring));
		return 0;
	}
	case RTE_KNI_IOC_RELEASE:
		f = fake_if_get(((struct rte_kni_release *)arg)->name);
		if (!f)
			return -ENODEV;
		fake_delete(f);
		return 0;
	case RTE_KNI_IOC_WAKEUP:
		f = if_by_index(((struct rte_kni_wakeup *)arg)->ifindex);
		if (!f)
			return -ENODEV;
		f->wakeups++;
		if (fk.napi_on_wakeup) {
			/* run "NAPI" now: it stops and sleeps if it must */
			fake_set_flags(f, RTE_KNI_RING_RX, 0);
			fake_rx_consume(f, UINT32_MAX);
		}
		return 0;
	case RTE_KNI_IOC_LINK: {
		const struct rte_kni_link *l = arg;
		int was;

		f = if_by_index(l->ifindex);
		if (!f)
			return -ENODEV;
		if (!l->flags || l->flags & ~(RTE_KNI_LINK_STATUS | RTE_KNI_LINK_MODE) ||
		    l->duplex > 1 || l->autoneg > 1 || l->status > 1 || l->pad ||
		    (l->speed > INT32_MAX && l->speed != UINT32_MAX))
			return -EINVAL;
		was = f->link_up;
		f->link = *l;
		if (l->flags & RTE_KNI_LINK_STATUS)
			f->link_up = l->status;
		return was;
	}
	case RTE_KNI_IOC_MC_LIST: {
		struct rte_kni_mc_list *mc = arg;
		unsigned int n;

		if (!(fk.features & RTE_KNI_FEAT_MC_LIST))
			return -ENOTTY;		/* an older module */
		f = if_by_index(mc->ifindex);
		if (!f)
			return -ENODEV;
		mc->count = f->mc_count;
		n = f->mc_count < RTE_KNI_MAX_MC_ADDRS ? f->mc_count :
							RTE_KNI_MAX_MC_ADDRS;
		memcpy(mc->addr, f->mc, n * 6);
		return 0;
	}
	case RTE_KNI_IOC_OFFLOAD: {
		struct rte_kni_offload *o = arg;

		if (!(fk.features & RTE_KNI_FEAT_OFFLOAD))
			return -ENOTTY;		/* an older module */
		f = if_by_index(o->ifindex);
		if (!f)
			return -ENODEV;
		if (o->offloads & ~RTE_KNI_OFL_ALL || o->pad)
			return -EINVAL;
		f->offload = *o;
		f->offload_calls++;
		return 0;			/* all of them on */
	}
	default:
		return -ENOTTY;
	}
}

int open(const char *path, int flags, ...)
{
	int mode = 0, fd;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	if (strcmp(path, "/dev/" RTE_KNI_DEVICE))
		return REAL(open)(path, flags, mode);
	if (fk.absent) {
		errno = ENOENT;
		return -1;
	}
	fd = REAL(open)("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		fk.fd = fd;
		fk.opens++;
		fk.handshaken = 0;
	}
	return fd;
}

int ioctl(int fd, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd < 0 || fd != fk.fd)
		return REAL(ioctl)(fd, cmd, arg);
	pthread_mutex_lock(&fake_lock);
	ret = fake_ioctl(cmd, arg);
	pthread_mutex_unlock(&fake_lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int i;

	void *ret = MAP_FAILED;

	if (fd < 0 || fd != fk.fd)
		return REAL(mmap)(addr, len, prot, flags, fd, off);
	pthread_mutex_lock(&fake_lock);
	for (i = 0; i < FAKE_MAX_IFS; i++) {
		struct fake_if *f = &fk.ifs[i];

		if (f->live && (off_t)f->c.mmap_offset == off &&
		    len == f->c.mmap_size)
			ret = REAL(mmap)(addr, len, prot, flags, f->memfd, 0);
	}
	pthread_mutex_unlock(&fake_lock);
	if (ret == MAP_FAILED)
		errno = EINVAL;
	return ret;
}

/* Closing the file deletes every interface created through it. */
int close(int fd)
{
	int i;

	if (fd >= 0 && fd == fk.fd) {
		pthread_mutex_lock(&fake_lock);
		for (i = 0; i < FAKE_MAX_IFS; i++)
			if (fk.ifs[i].live)
				fake_delete(&fk.ifs[i]);
		fk.fd = -1;
		fk.handshaken = 0;
		fk.regions.n = 0;
		pthread_mutex_unlock(&fake_lock);
	}
	return REAL(close)(fd);
}
