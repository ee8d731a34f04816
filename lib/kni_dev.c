/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kni_dev.c - this process's side of /dev/kni: the file, the ABI handshake,
 * and the mappings of each interface's rings.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>

#include "kni_internal.h"

static pthread_mutex_t kni_dev_lock = PTHREAD_MUTEX_INITIALIZER;
static int kni_fd = -1;
static unsigned int kni_fd_gen;		/* bumped on every successful open */
static uint64_t kni_space;

/*
 * Published with a release store once fully set up, read with an acquire
 * load by kni_local_peek(), so the data path needs no lock.
 */
static struct kni_local *kni_locals[RTE_KNI_MAX_IFACES];
/* rte_kni.id whose attach failed: do not retry it on every burst. */
static uint64_t kni_attach_failed[RTE_KNI_MAX_IFACES];

/*
 * A random tag of this address space.  Callback pointers stored in shared
 * memory are only called by a process with the same tag, i.e. the one that
 * registered them or a fork of it; a DPDK secondary process has its own.
 */
static void __attribute__((constructor)) kni_space_init(void)
{
	uint64_t x = rte_rdtsc() ^ ((uint64_t)getpid() << 32) ^
		     (uint64_t)(uintptr_t)&x;

	/* splitmix64 finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	kni_space = x | 1;
}

uint64_t kni_dev_space(void)
{
	return kni_space;
}

static int kni_dev_handshake(int fd)
{
	struct rte_kni_version v = {
		.abi_version = RTE_KNI_ABI_VERSION,
		.features = RTE_KNI_FEATURES,
	};

	if (ioctl(fd, RTE_KNI_IOC_VERSION, &v) == 0)
		return 0;
	if (errno == EPROTO)
		KNI_LOG(ERR, "%s: ABI mismatch: librte_kni speaks version %u, rte_kni.ko speaks version %u; install matching library and module",
			KNI_DEVICE_PATH, RTE_KNI_ABI_VERSION, v.abi_version);
	else if (errno == ENOTTY)
		KNI_LOG(ERR, "%s: not an rte-kni device; is another KNI module loaded?",
			KNI_DEVICE_PATH);
	else
		KNI_LOG(ERR, "%s: version handshake failed: %s",
			KNI_DEVICE_PATH, strerror(errno));
	return -EPROTO;
}

static int kni_dev_open_locked(void)
{
	int fd, ret;

	if (kni_fd >= 0)
		return 0;
	fd = open(KNI_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		KNI_LOG(ERR, "%s: %s%s", KNI_DEVICE_PATH, strerror(-ret),
			ret == -ENOENT ? "; is rte_kni.ko loaded?" :
			ret == -EACCES ? "; not allowed to use KNI" : "");
		return ret;
	}
	ret = kni_dev_handshake(fd);
	if (ret) {
		close(fd);
		return ret;
	}
	kni_fd = fd;
	kni_fd_gen++;
	return 0;
}

/* Open /dev/kni and agree on the ABI, once; 0 or -errno. */
int kni_dev_open(void)
{
	int ret;

	pthread_mutex_lock(&kni_dev_lock);
	ret = kni_dev_open_locked();
	pthread_mutex_unlock(&kni_dev_lock);
	return ret;
}

int kni_dev_is_open(void)
{
	return __atomic_load_n(&kni_fd, __ATOMIC_RELAXED) >= 0;
}

/*
 * Closing the file makes the kernel delete every interface it created.
 * Mappings stay valid until rte_kni_release() unmaps them.
 */
void kni_dev_close(void)
{
	pthread_mutex_lock(&kni_dev_lock);
	if (kni_fd >= 0) {
		close(kni_fd);
		__atomic_store_n(&kni_fd, -1, __ATOMIC_RELAXED);
		kni_mem_forget();
	}
	pthread_mutex_unlock(&kni_dev_lock);
}

/* ioctl on /dev/kni: what it returns (0 for most), or -errno. */
int kni_dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = __atomic_load_n(&kni_fd, __ATOMIC_RELAXED);
	int ret;

	if (fd < 0)
		return -EBADF;
	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

/* Kick the kernel side of an interface; failures only cost latency. */
void kni_dev_wakeup(const struct kni_local *l)
{
	struct rte_kni_wakeup w = { .ifindex = l->ifindex };
	int ret = kni_dev_ioctl(RTE_KNI_IOC_WAKEUP, &w);

	if (ret)
		KNI_LOG(DEBUG, "ifindex %d: wakeup failed: %s",
			(int)l->ifindex, strerror(-ret));
}

/* After publishing an index on @r: kick the kernel if it sleeps on @r. */
void kni_dev_wakeup_if(const struct kni_local *l, const struct kni_ring *r)
{
	if (kni_ring_needs_wakeup(r))
		kni_dev_wakeup(l);
}

static int ring_off_valid(const struct rte_kni_ring_off *o, uint64_t size,
			  uint32_t entry_size)
{
	return kni_ring_size_valid(o->size) && o->entry_size == entry_size &&
	       o->producer % 4 == 0 && o->producer + 4 <= size &&
	       o->consumer % 4 == 0 && o->consumer + 4 <= size &&
	       o->flags % 4 == 0 && o->flags + 4 <= size &&
	       o->desc % 8 == 0 && o->desc <= size &&
	       (uint64_t)o->size * entry_size <= size - o->desc;
}

/* Map the rings described by @c (from CREATE or INFO) into @l. */
static int kni_local_map(struct kni_local *l, const struct rte_kni_create *c,
			 int fd)
{
	unsigned int i;
	void *map;

	for (i = 0; i < RTE_KNI_RING_COUNT; i++) {
		uint32_t esz = i == RTE_KNI_RING_REQ || i == RTE_KNI_RING_RESP ?
			       sizeof(struct rte_kni_request) : sizeof(__u64);

		if (!ring_off_valid(&c->ring[i], c->mmap_size, esz)) {
			KNI_LOG(ERR, "%.*s: kernel reported an invalid layout for ring %u",
				RTE_KNI_NAMESIZE, c->name, i);
			return -EPROTO;
		}
	}
	map = mmap(NULL, c->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)c->mmap_offset);
	if (map == MAP_FAILED) {
		int ret = -errno;

		KNI_LOG(ERR, "%.*s: cannot map rings: %s", RTE_KNI_NAMESIZE,
			c->name, strerror(-ret));
		return ret;
	}
	l->map = map;
	l->map_size = c->mmap_size;
	l->ifindex = c->ifindex;
	for (i = 0; i < RTE_KNI_RING_COUNT; i++)
		kni_ring_init(&l->ring[i], map, &c->ring[i], 0);
	return 0;
}

static void kni_local_free(struct kni_local *l)
{
	if (l->map)
		munmap(l->map, l->map_size);
	free(l);
}

/* Build and publish this process's view; called with kni_dev_lock held. */
static int kni_local_install(struct rte_kni *kni,
			     const struct rte_kni_create *c, int created)
{
	struct kni_local *l;
	int ret;

	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->id = kni->id;
	l->created = created;
	l->fd_gen = kni_fd_gen;
	ret = kni_local_map(l, c, kni_fd);
	if (ret) {
		free(l);
		return ret;
	}
	/* left over from an interface released by another process */
	if (kni_locals[kni->slot])
		kni_local_free(kni_locals[kni->slot]);
	__atomic_store_n(&kni_locals[kni->slot], l, __ATOMIC_RELEASE);
	kni_attach_failed[kni->slot] = 0;
	return 0;
}

/* rte_kni_alloc(): map the rings of an interface this process created. */
int kni_local_create(struct rte_kni *kni, const struct rte_kni_create *c)
{
	int ret;

	pthread_mutex_lock(&kni_dev_lock);
	ret = kni_local_install(kni, c, 1);
	pthread_mutex_unlock(&kni_dev_lock);
	return ret;
}

/* Look up an interface created elsewhere and map its rings here. */
static int kni_local_info(struct rte_kni *kni)
{
	struct rte_kni_create c;
	int ret;

	ret = kni_dev_open_locked();
	if (ret)
		return ret;
	memset(&c, 0, sizeof(c));
	memcpy(c.name, kni->name, sizeof(c.name));
	ret = kni_dev_ioctl(RTE_KNI_IOC_INFO, &c);
	if (ret) {
		KNI_LOG(ERR, "%s: cannot attach: %s", kni->name,
			strerror(-ret));
		return ret;
	}
	if (c.ifindex != kni->ifindex) {
		KNI_LOG(ERR, "%s: cannot attach: the interface was deleted",
			kni->name);
		return -ENODEV;
	}
	return kni_local_install(kni, &c, 0);
}

struct kni_local *kni_local_peek(const struct rte_kni *kni)
{
	struct kni_local *l;

	if (unlikely(kni->slot >= RTE_KNI_MAX_IFACES))
		return NULL;
	l = __atomic_load_n(&kni_locals[kni->slot], __ATOMIC_ACQUIRE);
	return l && l->id == kni->id ? l : NULL;
}

/*
 * This process's view of @kni, attaching it if needed.  Without @retry an
 * attach that failed before is not tried again (the data path calls this).
 * On failure rte_errno says why (ENODEV: the interface no longer exists).
 */
struct kni_local *kni_local_attach(struct rte_kni *kni, int retry)
{
	struct kni_local *l;
	uint32_t slot = kni->slot;
	int ret;

	if (slot >= RTE_KNI_MAX_IFACES) {
		rte_errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&kni_dev_lock);
	l = kni_locals[slot];
	if (l && l->id == kni->id)
		goto out;
	l = NULL;
	rte_errno = EIO;
	if (!retry && kni_attach_failed[slot] == kni->id)
		goto out;
	ret = kni_local_info(kni);
	if (ret == 0) {
		l = kni_locals[slot];
	} else {
		kni_attach_failed[slot] = kni->id;
		rte_errno = ret == -ENOENT ? ENODEV : -ret;
	}
out:
	pthread_mutex_unlock(&kni_dev_lock);
	return l;
}

/*
 * Was @l created through a /dev/kni file this process has closed since?
 * Closing it made the kernel delete the interface.
 */
int kni_local_orphaned(const struct kni_local *l)
{
	int ret;

	pthread_mutex_lock(&kni_dev_lock);
	ret = l->created && (kni_fd < 0 || l->fd_gen != kni_fd_gen);
	pthread_mutex_unlock(&kni_dev_lock);
	return ret;
}

/* Forget this process's view of @kni: unmap its rings. */
void kni_local_detach(struct rte_kni *kni)
{
	struct kni_local *l;

	pthread_mutex_lock(&kni_dev_lock);
	l = kni_locals[kni->slot];
	if (l && l->id == kni->id) {
		__atomic_store_n(&kni_locals[kni->slot], NULL,
				 __ATOMIC_RELAXED);
		kni_local_free(l);
	}
	kni_attach_failed[kni->slot] = 0;
	pthread_mutex_unlock(&kni_dev_lock);
}
