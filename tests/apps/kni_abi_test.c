// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_abi_test - drives /dev/kni through its raw ABI, without DPDK.
 *
 * It builds mbufs by hand in memory it registers, so it can hand the
 * kernel exactly the descriptors a test needs: good ones to check the data
 * path byte for byte, and hostile ones (outside registered memory, lengths
 * beyond the buffer, cyclic chains, ...) to check that each is rejected
 * and counted.  Prints one "ok"/"not ok" line per check, exits 1 if any
 * failed.  Needs root and rte_kni.ko loaded; run inside the test VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kni_raw.h"

static int failures, checks;

static void check(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++checks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
}

/* ---- the checks ---- */

static void test_handshake(void)
{
	struct rte_kni_version v = { .abi_version = RTE_KNI_ABI_VERSION + 1 };
	struct rte_kni_create c;
	int fd = kni_open_dev(false), err;

	create_defaults(&c, "kniabi0");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EPROTO,
	      "CREATE before the version handshake fails EPROTO");
	err = xioctl(fd, RTE_KNI_IOC_VERSION, &v);
	check(err == -EPROTO && v.abi_version == RTE_KNI_ABI_VERSION,
	      "mismatched ABI version fails EPROTO and reports the module's (%u)",
	      v.abi_version);
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EPROTO,
	      "still EPROTO after a failed handshake");
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EPROTO, "mmap before the handshake fails EPROTO");
	v.abi_version = RTE_KNI_ABI_VERSION;
	check(xioctl(fd, RTE_KNI_IOC_VERSION, &v) == 0, "matching handshake succeeds");
	check(xioctl(fd, _IOW(RTE_KNI_IOC_MAGIC, 99, int), &v) == -ENOTTY,
	      "unknown ioctl fails ENOTTY");
	check(xioctl(fd, _IOW(RTE_KNI_IOC_MAGIC, 3, struct rte_kni_release), &c) == -ENOTTY,
	      "CREATE number with a truncated payload size fails ENOTTY");
	check(xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, RTE_KNI_IOC_MAGIC, 3,
			      sizeof(c) + 8), &c) == -ENOTTY,
	      "CREATE number with an oversized payload size fails ENOTTY");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, (void *)8) == -EFAULT,
	      "CREATE with an unmapped argument fails EFAULT");
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, NULL) == -EFAULT,
	      "REG_MEM with a NULL argument fails EFAULT");
	close(fd);
}

static void test_reg_mem(void)
{
	int fd = kni_open_dev(true), i, err = 0;
	struct rte_kni_mem_region r;
	size_t pg = getpagesize();
	char *a, *ro;

	a = mmap(NULL, 80 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(a + 79 * pg, pg);	/* a hole right after 79 pages */

	r = (struct rte_kni_mem_region) { (uintptr_t)a, 0 };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EINVAL, "zero-length region: EINVAL");
	r = (struct rte_kni_mem_region) { ~0ULL - 10, 100 };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EINVAL, "wrapping region: EINVAL");
	r = (struct rte_kni_mem_region) { (uintptr_t)a, 1ULL << 40 };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EINVAL, "huge region: EINVAL");
	r = (struct rte_kni_mem_region) { (uintptr_t)a + 78 * pg, 2 * pg };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EFAULT,
	      "region running into unmapped memory: EFAULT");
	/*
	 * The longest region, writable only in its first pages: the pin
	 * stops there, and the pages of the rest cost nothing on the way
	 * (5.10 warned allocating one pointer per page for the whole).
	 */
#if UINTPTR_MAX > 0xffffffffu
	{
		char *big = mmap(NULL, RTE_KNI_MAX_REGION_LEN, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		bool ok = big != MAP_FAILED &&
			  !mprotect(big, 16 * pg, PROT_READ | PROT_WRITE);

		check(ok, "%llu bytes reserved", RTE_KNI_MAX_REGION_LEN);
		if (ok) {
			r = (struct rte_kni_mem_region) { (uintptr_t)big,
							  RTE_KNI_MAX_REGION_LEN };
			err = xioctl(fd, RTE_KNI_IOC_REG_MEM, &r);
			check(err == -EFAULT,
			      "largest region, mapped only at its start: EFAULT (%s)",
			      strerror(-err));
			munmap(big, RTE_KNI_MAX_REGION_LEN);
			err = 0;
		}
	}
#endif
	r = (struct rte_kni_mem_region) { (uintptr_t)ro, pg };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EFAULT, "read-only region: EFAULT");
	r = (struct rte_kni_mem_region) { (uintptr_t)a + 3, 100 };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == 0, "unaligned small region: ok");
	r = (struct rte_kni_mem_region) { (uintptr_t)a + 50, 10 };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EEXIST, "overlapping region: EEXIST");
	for (i = 1; i < RTE_KNI_MAX_REGIONS && !err; i++) {
		r = (struct rte_kni_mem_region) { (uintptr_t)a + i * pg, pg };
		err = xioctl(fd, RTE_KNI_IOC_REG_MEM, &r);
	}
	check(!err, "%d regions registered", i);
	r = (struct rte_kni_mem_region) { (uintptr_t)a + 70 * pg, pg };
	check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -ENOSPC,
	      "region %d: ENOSPC", RTE_KNI_MAX_REGIONS + 1);
	close(fd);		/* unpins everything */
	munmap(a, 79 * pg);
	munmap(ro, pg);
}

/*
 * Only anonymous, shmem and hugetlbfs memory may be registered: a long-term
 * pin of a file's page cache would let the kernel write it behind the
 * filesystem's back.  ramfs stands for any such filesystem (page cache of
 * its own, not shmem); memfd is shmem and must work.
 */
static void test_reg_mem_kinds(void)
{
	char dir[] = "/tmp/kniabi-ramfs.XXXXXX", path[64];
	int fd = kni_open_dev(true), ffd;
	struct rte_kni_mem_region r;
	size_t len = 16 * getpagesize();
	char *m;

	check(mkdtemp(dir) && !mount("ramfs", dir, "ramfs", 0, NULL), "ramfs mounted at %s", dir);
	snprintf(path, sizeof(path), "%s/pool", dir);
	ffd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	check(ffd >= 0 && !ftruncate(ffd, len), "file of %zu bytes on ramfs", len);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ffd, 0);
	check(m != MAP_FAILED, "file mapped shared");
	if (m != MAP_FAILED) {
		memset(m, 1, len);
		int err;

		r = (struct rte_kni_mem_region) { (uintptr_t)m, len };
		err = xioctl(fd, RTE_KNI_IOC_REG_MEM, &r);
		check(err == -EOPNOTSUPP, "file-backed shared mapping: EOPNOTSUPP (%s)",
		      err ? strerror(-err) : "accepted");
		munmap(m, len);
	}
	close(ffd);
	umount(dir);
	rmdir(dir);

	ffd = memfd_create("kniabi", MFD_CLOEXEC);
	check(ffd >= 0 && !ftruncate(ffd, len), "memfd of %zu bytes", len);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ffd, 0);
	check(m != MAP_FAILED, "memfd mapped shared");
	if (m != MAP_FAILED) {
		r = (struct rte_kni_mem_region) { (uintptr_t)m, len };
		check(xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == 0, "memfd (shmem) region: ok");
	}
	close(fd);
	if (m != MAP_FAILED)
		munmap(m, len);
	close(ffd);
}

/* VmLck of this process, in kB (-1 if unreadable). */
static long vm_lck_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * Pinned memory is charged: a process without CAP_IPC_LOCK stays within
 * RLIMIT_MEMLOCK, and every registration shows in VmLck.  In a child, which
 * drops CAP_IPC_LOCK and sets a 64 KiB limit.
 */
static void test_reg_mem_limit(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	pid_t pid = fork();
	int status;

	if (!pid) {
		struct rlimit lim = { 64 << 10, 64 << 10 };
		struct rte_kni_mem_region r;
		int fd = kni_open_dev(true), bad = 0;
		long pin0 = vm_lck_kb();
		char *a;

		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1U << CAP_IPC_LOCK);
		if (syscall(SYS_capset, &h, d) || setrlimit(RLIMIT_MEMLOCK, &lim))
			_exit(3);
		a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		r = (struct rte_kni_mem_region) { (uintptr_t)a, 1 << 20 };
		bad |= xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) != -ENOMEM;
		bad |= (vm_lck_kb() != pin0) << 1;
		r = (struct rte_kni_mem_region) { (uintptr_t)a, 32 << 10 };
		bad |= (xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) != 0) << 2;
		bad |= (vm_lck_kb() != pin0 + 32) << 3;
		r = (struct rte_kni_mem_region) { (uintptr_t)a + (64 << 10), 48 << 10 };
		bad |= (xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) != -ENOMEM) << 4;
		close(fd);
		bad |= (vm_lck_kb() != pin0) << 5;
		_exit(bad ? 16 + bad : 0);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "without CAP_IPC_LOCK, 64 KiB RLIMIT_MEMLOCK: 1 MiB ENOMEM, 32 KiB ok and in VmLck, "
	      "48 KiB more ENOMEM, nothing pinned after close (status %d)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/*
 * Interfaces' memory is charged to the creator's memory cgroup: a child in
 * a cgroup of its own creates four interfaces with the largest rings and
 * the cgroup's memory.current grows by at least their ring memory.
 */
static void test_memcg(void)
{
	const char *cg = "/sys/fs/cgroup/kniabi";
	long before = -1, after = -1;
	unsigned long rings = 0;
	char path[128], buf[32];
	int fd, i, p[2];
	pid_t pid;

	if (mkdir(cg, 0755) && errno != EEXIST) {
		check(0, "cgroup %s: %s", cg, strerror(errno));
		return;
	}
	fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	check(fd >= 0 && write(fd, "+memory", 7) == 7, "memory controller enabled");
	close(fd);
	if (pipe(p))
		return;
	pid = fork();
	if (!pid) {
		struct rte_kni_create c;
		FILE *f;
		int kfd;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		fd = open(path, O_WRONLY);
		if (fd < 0 || dprintf(fd, "%d", getpid()) < 0)
			_exit(3);
		close(fd);
		kfd = kni_open_dev(true);
		snprintf(path, sizeof(path), "%s/memory.current", cg);
		f = fopen(path, "r");
		before = f && fscanf(f, "%ld", &before) == 1 ? before : -1;
		if (f)
			fclose(f);
		for (i = 0; i < 4; i++) {
			snprintf(buf, sizeof(buf), "kniabimc%d", i);
			create_defaults(&c, buf);
			c.ring_size = RTE_KNI_RING_MAX;
			if (xioctl(kfd, RTE_KNI_IOC_CREATE, &c))
				_exit(4);
			rings += c.mmap_size;
		}
		f = fopen(path, "r");
		after = f && fscanf(f, "%ld", &after) == 1 ? after : -1;
		if (f)
			fclose(f);
		dprintf(p[1], "%ld %ld %lu\n", before, after, rings);
		close(kfd);
		_exit(0);
	}
	close(p[1]);
	buf[read(p[0], buf, sizeof(buf) - 1) > 0 ? sizeof(buf) - 1 : 0] = 0;
	waitpid(pid, NULL, 0);
	close(p[0]);
	sscanf(buf, "%ld %ld %lu", &before, &after, &rings);
	/*
	 * memory.current moves in per-CPU batches of charges (64 pages a
	 * CPU), so it may lag by a few hundred KiB: half the rings' memory
	 * tells charged rings (more than that) from uncharged ones (the
	 * netdev alone: about 256 KiB, seen on the old code).
	 */
	check(before >= 0 && after - before >= (long)rings / 2,
	      "4 interfaces charged to their cgroup: memory.current +%ld for %lu bytes of rings",
	      after - before, rings);
	rmdir(cg);
}

/* max_interfaces: what one open file may hold (1..RTE_KNI_MAX_IFACES). */
static int set_max_interfaces(unsigned int n)
{
	FILE *f = fopen("/sys/module/rte_kni/parameters/max_interfaces", "w");
	int err;

	if (!f)
		return -errno;
	err = fprintf(f, "%u", n) < 0;
	if (fclose(f))
		err = 1;
	return err ? -EINVAL : 0;
}

static void test_iface_limit(void)
{
	int fd = kni_open_dev(true), i, err = 0;
	struct rte_kni_create c;
	char name[RTE_KNI_NAMESIZE];

	check(set_max_interfaces(RTE_KNI_MAX_IFACES + 1) && set_max_interfaces(0),
	      "max_interfaces refuses %d and 0", RTE_KNI_MAX_IFACES + 1);
	check(!set_max_interfaces(4), "max_interfaces=4");
	for (i = 0; i < 4 && !err; i++) {
		snprintf(name, sizeof(name), "kniabil%d", i);
		create_defaults(&c, name);
		c.ring_size = RTE_KNI_RING_MIN;
		err = xioctl(fd, RTE_KNI_IOC_CREATE, &c);
	}
	check(!err, "%d interfaces on one file", i);
	create_defaults(&c, "kniabilx");
	c.ring_size = RTE_KNI_RING_MIN;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -ENOSPC && !if_exists("kniabilx"),
	      "the fifth: ENOSPC");
	check(!set_max_interfaces(RTE_KNI_MAX_IFACES), "max_interfaces=%d again",
	      RTE_KNI_MAX_IFACES);
	close(fd);
}

static void test_create_args(void)
{
	int fd = kni_open_dev(true), ifindex;
	struct rte_kni_create c;
	struct rte_kni_release rel;

	create_defaults(&c, "kniabi0");
	memset(c.name, 'x', sizeof(c.name));
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "name without NUL: EINVAL");
	create_defaults(&c, "");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "empty name: EINVAL");
	create_defaults(&c, "a/b");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "name with '/': EINVAL");
	create_defaults(&c, "kni%d");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "name with '%%': EINVAL");
	create_defaults(&c, "kniabi0");
	c.ring_size = 100;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "ring size 100: EINVAL");
	c.ring_size = 0;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "ring size 0: EINVAL");
	c.ring_size = 1U << 31;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "ring size 2^31: EINVAL");
	create_defaults(&c, "kniabi0");
	c.req_ring_size = 32;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "request ring size 32: EINVAL");
	create_defaults(&c, "kniabi0");
	c.layout.next = M_HDR;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "mbuf field outside the header: EINVAL");
	create_defaults(&c, "kniabi0");
	c.layout.pkt_len = 37;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "misaligned mbuf field: EINVAL");
	create_defaults(&c, "kniabi0");
	c.layout.hdr_size = 0xffff;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "header size 65535: EINVAL");
	create_defaults(&c, "kniabi0");
	c.flags = 0x80;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "unknown flag: EINVAL");
	create_defaults(&c, "kniabi0");
	c.mtu = 9000;
	c.max_mtu = 1500;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "mtu above max_mtu: EINVAL");
	create_defaults(&c, "kniabi0");
	c.min_mtu = 10;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "min_mtu 10: EINVAL");
	create_defaults(&c, "kniabi0");
	c.flags |= RTE_KNI_CREATE_FORCE_BIND;
	c.core_id = 100000;
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EINVAL, "binding to a missing CPU: EINVAL");
	check(!if_exists("kniabi0"), "no interface left behind by failed creates");

	create_defaults(&c, "kniabi0");
	c.mtu = 1400;
	c.flags = 0;
	memcpy(c.mac_addr, "\x02\x11\x22\x33\x44\x55", 6);
	ifindex = xioctl(fd, RTE_KNI_IOC_CREATE, &c);
	check(!ifindex && c.ifindex > 0 && c.mmap_size > 0,
	      "valid CREATE: ifindex %d, %u bytes of rings", c.ifindex, c.mmap_size);
	ifindex = c.ifindex;
	check(if_nametoindex("kniabi0") == (unsigned int)ifindex &&
	      if_get_mtu("kniabi0") == 1400, "interface exists with mtu 1400");
	{
		__u8 mac[6];

		if_get_mac("kniabi0", mac);
		check(!memcmp(mac, "\x02\x11\x22\x33\x44\x55", 6), "requested MAC used");
	}
	check(mmap(NULL, c.mmap_size, PROT_READ, MAP_SHARED, fd,
		   c.mmap_offset + 4096) == MAP_FAILED && errno == EINVAL,
	      "mmap at a wrong offset: EINVAL");
	check(mmap(NULL, c.mmap_size * 2, PROT_READ, MAP_SHARED, fd,
		   c.mmap_offset) == MAP_FAILED && errno == EINVAL,
	      "mmap larger than the rings: EINVAL");
	check(mmap(NULL, c.mmap_size, PROT_READ, MAP_SHARED, fd,
		   (__u64)0xfff << 32) == MAP_FAILED && errno == ENODEV,
	      "mmap of a missing interface: ENODEV");
	{
		/* Unmapped whatever happens: a mapping keeps the file open. */
		void *m;

		/* A private copy would silently detach the application from its rings. */
		m = mmap(NULL, c.mmap_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
			 c.mmap_offset);
		check(m == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE mapping of the rings: EINVAL");
		if (m != MAP_FAILED)
			munmap(m, c.mmap_size);
		m = mmap(NULL, c.mmap_size, PROT_READ | PROT_EXEC, MAP_SHARED, fd,
			 c.mmap_offset);
		check(m == MAP_FAILED && errno == EPERM, "executable mapping of the rings: EPERM");
		if (m != MAP_FAILED)
			munmap(m, c.mmap_size);
		m = mmap(NULL, c.mmap_size, PROT_READ, MAP_SHARED, fd, c.mmap_offset);
		check(m != MAP_FAILED, "shared mapping of the rings works");
		check(m != MAP_FAILED && mprotect(m, c.mmap_size, PROT_READ | PROT_EXEC) &&
		      errno == EACCES, "the rings cannot be made executable later: EACCES");
		if (m != MAP_FAILED)
			munmap(m, c.mmap_size);
	}

	create_defaults(&c, "kniabi0");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EEXIST, "duplicate name: EEXIST");
	create_defaults(&c, "lo");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EEXIST, "name of an existing netdev (lo): EEXIST");
	{
		struct rte_kni_wakeup w = { .ifindex = if_nametoindex("lo") };

		check(xioctl(fd, RTE_KNI_IOC_WAKEUP, &w) == -ENODEV,
		      "WAKEUP of a non-KNI interface: ENODEV");
	}

	memset(&rel, 0, sizeof(rel));
	memset(rel.name, 'y', sizeof(rel.name));
	check(xioctl(fd, RTE_KNI_IOC_RELEASE, &rel) == -EINVAL, "RELEASE name without NUL: EINVAL");
	snprintf(rel.name, sizeof(rel.name), "nosuch0");
	check(xioctl(fd, RTE_KNI_IOC_RELEASE, &rel) == -ENODEV, "RELEASE of an unknown name: ENODEV");
	snprintf(rel.name, sizeof(rel.name), "kniabi0");
	check(xioctl(fd, RTE_KNI_IOC_RELEASE, &rel) == 0 && !if_exists("kniabi0"),
	      "RELEASE removes the interface");
	check(xioctl(fd, RTE_KNI_IOC_RELEASE, &rel) == -ENODEV, "second RELEASE: ENODEV");
	create_defaults(&c, "kniabi0");
	check(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == 0, "CREATE again after RELEASE");

	{
		int fd2 = kni_open_dev(true);

		snprintf(rel.name, sizeof(rel.name), "kniabi0");
		check(xioctl(fd2, RTE_KNI_IOC_RELEASE, &rel) == -ENODEV &&
		      if_exists("kniabi0"),
		      "another file cannot RELEASE the interface");
		create_defaults(&c, "kniabi0");
		check(xioctl(fd2, RTE_KNI_IOC_INFO, &c) == 0 && c.ifindex > 0,
		      "INFO from another file finds it (secondary process path)");
		close(fd2);
	}
	close(fd);
	check(!if_exists("kniabi0"), "closing the file removes its interfaces");
}

static void test_no_cap(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct rte_kni_mem_region r;
	struct rte_kni_create c;
	pid_t pid = fork();
	int status, fd;

	if (!pid) {
		/* Child: drop CAP_NET_ADMIN from the effective set. */
		fd = kni_open_dev(true);
		syscall(SYS_capget, &h, d);
		d[0].effective &= ~(1U << CAP_NET_ADMIN);
		if (syscall(SYS_capset, &h, d))
			_exit(3);
		create_defaults(&c, "kniabi1");
		r = (struct rte_kni_mem_region) { (uintptr_t)&c, sizeof(c) };
		_exit(xioctl(fd, RTE_KNI_IOC_CREATE, &c) == -EPERM &&
		      xioctl(fd, RTE_KNI_IOC_REG_MEM, &r) == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "without CAP_NET_ADMIN CREATE and REG_MEM fail EPERM");
}

/* Bring the interface up with 192.0.2.1/24, answered by the responder. */
static bool kni_up(struct kni *k)
{
	return !if_set_addr(k->name, "192.0.2.1") && !if_set_flag(k->name, IFF_UP, true);
}

static int udp_socket(__u16 port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int big = 16 << 20;

	inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
	/* Above rmem_max: a burst must not be lost in the socket. */
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("bind 192.0.2.1");
		exit(2);
	}
	return s;
}

/* Receive datagrams until `want` arrived or a quiet second; check payloads. */
static unsigned int udp_expect(int s, unsigned int want, unsigned int payload,
			       unsigned int *bad)
{
	static __u8 buf[65536];
	unsigned int got = 0, i;
	struct pollfd p = { .fd = s, .events = POLLIN };

	*bad = 0;
	while (got < want && poll(&p, 1, 1000) > 0) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		__u32 seq = (buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3];
		bool ok = n == (ssize_t)payload;

		for (i = 4; ok && i < payload; i++)
			ok = buf[i] == (__u8)(seq * 7 + i);
		if (!ok)
			(*bad)++;
		got++;
	}
	return got;
}

static void test_rx_path(int fd, char *pool)
{
	static __u8 frame[10000];
	unsigned int n, i, got, bad, len;
	long long before, after;
	__u8 mac[6];
	struct kni k;
	int s;

	check(kni_create(&k, fd, "kniabi0", 1024) == 0, "create kniabi0 with 1024-slot rings");
	k.pool = pool;
	check(kni_up(&k), "address and up through the request path");
	check(k.nreq[RTE_KNI_REQ_CFG_NETWORK_IF] == 1, "application saw one up request");
	if_get_mac(k.name, mac);
	s = udp_socket(5001);

	n = 500;
	for (i = 0; i < n; i++) {
		len = udp_frame(frame, mac, 5001, i, 64 + i % 1000);
		rx_put(&k, (uintptr_t)mbuf_chain(&k, frame, len, M_ROOM));
	}
	got = udp_expect(s, n, 0, &bad);
	/* payload sizes vary; recheck the count only, then a fixed size */
	check(got == n, "%u of %u single-segment UDP frames delivered", got, n);
	check(free_drain(&k, n, 2) == n, "every mbuf returned on free_q");

	for (i = 0; i < 100; i++) {
		len = udp_frame(frame, mac, 5001, i, 1000);
		rx_put(&k, (uintptr_t)mbuf_chain(&k, frame, len, 300));
	}
	got = udp_expect(s, 100, 1000, &bad);
	check(got == 100 && !bad, "100 frames in 300-byte segment chains: %u delivered, %u bad", got, bad);
	free_drain(&k, 100, 2);

	/* MTU 9000 through chained mbufs. */
	check(if_set_mtu(k.name, 9000) == 0 && k.last_mtu == 9000 &&
	      if_get_mtu(k.name) == 9000, "MTU 9000 accepted by the application");
	for (i = 0; i < 20; i++) {
		len = udp_frame(frame, mac, 5001, i, 8972);
		rx_put(&k, (uintptr_t)mbuf_chain(&k, frame, len, M_ROOM));
	}
	got = udp_expect(s, 20, 8972, &bad);
	check(got == 20 && !bad, "20 jumbo frames (5 segments each) delivered intact: %u, bad %u", got, bad);
	free_drain(&k, 20, 2);

	/* Hostile descriptors: each dropped and counted, never followed. */
	before = if_stat(k.name, "rx_errors");
	{
		static __u8 outside[4096];
		char *m;

		/* 1: header outside registered memory */
		rx_put(&k, (uintptr_t)outside);
		/* 2: kernel address */
		rx_put(&k, 0xffffffff81000000ULL);
		/* 3: data_len beyond the buffer */
		len = udp_frame(frame, mac, 5001, 1, 100);
		m = mbuf_chain(&k, frame, len, M_ROOM);
		F(m, M_DATA_LEN, __u16) = M_ROOM + 1;
		F(m, M_PKT_LEN, __u32) = M_ROOM + 1;
		rx_put(&k, (uintptr_t)m);
		/* 4: pkt_len different from the sum of data_len */
		m = mbuf_chain(&k, frame, len, M_ROOM);
		F(m, M_PKT_LEN, __u32) = len + 10;
		rx_put(&k, (uintptr_t)m);
		/* 5: a cycle in next */
		m = mbuf_chain(&k, frame, len, 40);
		F((char *)(uintptr_t)F(m, M_NEXT, __u64), M_NEXT, __u64) = (uintptr_t)m;
		F(m, M_NB_SEGS, __u16) = 60;
		rx_put(&k, (uintptr_t)m);
		/* 6: nb_segs larger than the chain (3 segments) */
		m = mbuf_chain(&k, frame, len, 60);
		F(m, M_NB_SEGS, __u16) = 4;
		rx_put(&k, (uintptr_t)m);
		/* 7: next pointing outside registered memory */
		m = mbuf_chain(&k, frame, len, 60);
		F(m, M_NEXT, __u64) = (uintptr_t)outside;
		rx_put(&k, (uintptr_t)m);
		/* 8: data_off beyond buf_len */
		m = mbuf_chain(&k, frame, len, M_ROOM);
		F(m, M_DATA_OFF, __u16) = 60000;
		rx_put(&k, (uintptr_t)m);
		/* 9: nb_segs 0 */
		m = mbuf_chain(&k, frame, len, M_ROOM);
		F(m, M_NB_SEGS, __u16) = 0;
		rx_put(&k, (uintptr_t)m);
		/* 10: frame above MTU + VLAN header */
		len = udp_frame(frame, mac, 5001, 1, 9100);
		rx_put(&k, (uintptr_t)mbuf_chain(&k, frame, len, M_ROOM));
		/* 11: buf_addr pointing at a kernel address */
		len = udp_frame(frame, mac, 5001, 1, 100);
		m = mbuf_chain(&k, frame, len, M_ROOM);
		F(m, M_BUF_ADDR, __u64) = 0xffff888000000000ULL;
		rx_put(&k, (uintptr_t)m);
		/* a good one after all that still gets through */
		len = udp_frame(frame, mac, 5001, 0, 200);
		rx_put(&k, (uintptr_t)mbuf_chain(&k, frame, len, M_ROOM));
	}
	got = udp_expect(s, 1, 200, &bad);
	check(got == 1 && !bad, "good frame after 11 hostile descriptors delivered");
	after = if_stat(k.name, "rx_errors");
	check(after - before == 11, "11 hostile descriptors counted in rx_errors (%lld)",
	      after - before);
	check(free_drain(&k, 10, 2) == 10,
	      "9 readable hostile mbufs + 1 good returned, the 2 unreadable ones not");

	close(s);
	kni_unmap(&k);
}

/* Payload size of tx test frame seq: every tenth is a jumbo. */
static unsigned int tx_payload(unsigned int seq)
{
	return seq % 10 ? 100 + seq : 8972;
}

/*
 * Take one chain from tx_q, linearise it into out; returns its length or
 * -1 if the chain is inconsistent.
 */
static int tx_take(struct kni_ring *tx, __u8 *out, unsigned int *segs)
{
	unsigned int copied = 0;
	__u64 a;
	char *m;
	__u32 plen;

	if (!kni_ring_get_u64(tx, &a, 1))
		return -2;
	m = (char *)(uintptr_t)a;
	plen = F(m, M_PKT_LEN, __u32);
	for (*segs = 0; m && *segs < RTE_KNI_MAX_SEGS; (*segs)++) {
		if (copied + F(m, M_DATA_LEN, __u16) > 10000)
			return -1;
		memcpy(out + copied, mbuf_data(m), F(m, M_DATA_LEN, __u16));
		copied += F(m, M_DATA_LEN, __u16);
		m = (char *)(uintptr_t)F(m, M_NEXT, __u64);
	}
	return copied == plen ? (int)plen : -1;
}

/* Kernel -> application: frames sent on the interface arrive in tx_q. */
static void test_tx_path(int fd, char *pool)
{
	static __u8 frame[10000], out[10000];
	static bool seen[1000];
	struct kni_ring *alloc, *tx;
	struct sockaddr_ll sll = { 0 };
	unsigned int i, n = 300, got = 0, good = 0, chains = 0, segs;
	int len, olen;
	__u32 seq;
	__u64 a;
	double end;
	struct kni k;
	int ps;

	check(kni_create(&k, fd, "kniabi1", 512) == 0, "create kniabi1");
	k.pool = pool;
	k.pool_next = POOL_OBJS / 2;
	alloc = &k.ring[RTE_KNI_RING_ALLOC];
	tx = &k.ring[RTE_KNI_RING_TX];
	check(!if_set_flag(k.name, IFF_UP, true) && !if_set_carrier(k.name, true),
	      "kniabi1 up, carrier on");

	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = k.ifindex;
	sll.sll_halen = 6;

	/* No mbufs yet: the queue stops, drops are counted, nothing posted. */
	len = udp_frame(frame, peer_mac, 6000, 0, 100);
	for (i = 0; i < 5; i++)
		sendto(ps, frame, len, MSG_DONTWAIT, (struct sockaddr *)&sll, sizeof(sll));
	usleep(100000);
	check(!kni_ring_count(tx), "nothing posted while alloc_q is empty");
	check(*tx->flags & RTE_KNI_RING_NEED_WAKEUP, "tx_q asks for a wakeup");
	check(if_set_mtu(k.name, 9000) == 0, "MTU 9000 on kniabi1");

	/* Application loop: keep alloc_q topped up, drain tx_q, compare. */
	end = now() + 20;
	for (i = 0; (i < n || good < n) && now() < end;) {
		while (kni_ring_free(alloc) > 64) {
			a = (uintptr_t)mbuf_get(&k);
			kni_ring_put_u64(alloc, &a, 1);
		}
		if (kni_ring_needs_wakeup(tx))
			kni_wakeup(&k);
		if (i < n) {
			len = udp_frame(frame, peer_mac, 6000, i, tx_payload(i));
			if (sendto(ps, frame, len, MSG_DONTWAIT,
				   (struct sockaddr *)&sll, sizeof(sll)) == len)
				i++;
		}
		while ((olen = tx_take(tx, out, &segs)) != -2) {
			got++;
			if (olen < 14 + 28 + 4)
				continue;
			seq = (out[42] << 24) | (out[43] << 16) | (out[44] << 8) | out[45];
			if (seq >= n || seen[seq])
				continue;
			len = udp_frame(frame, peer_mac, 6000, seq, tx_payload(seq));
			if (olen == len && !memcmp(out, frame, len)) {
				seen[seq] = true;
				good++;
				chains += segs > 1;
			}
		}
		if (i == n)
			usleep(1000);
	}
	check(good == n, "%u of %u frames reached tx_q byte for byte (%u taken, %u chained)",
	      good, n, got, chains);
	check(chains == n / 10, "every jumbo frame came as a 5-mbuf chain (%u)", chains);
	check(if_stat(k.name, "tx_packets") >= n, "tx_packets counts them (%lld)",
	      if_stat(k.name, "tx_packets"));
	check(if_stat(k.name, "tx_dropped") >= 1, "drops while alloc_q was empty counted (%lld)",
	      if_stat(k.name, "tx_dropped"));
	close(ps);
	kni_unmap(&k);
}

static void test_requests(int fd)
{
	const __u8 newmac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	/* ERESTARTSYS, EPROBE_DEFER, the last kernel-internal one, beyond. */
	static const int not_errno[] = { -512, -517, -530, -4095, -4096, 1, INT_MIN };
	__u8 mac[6], oldmac[6];
	unsigned int i, n;
	struct kni k;
	double t;
	int err;

	check(kni_create(&k, fd, "kniabi2", 256) == 0, "create kniabi2");
	check(!if_set_flag(k.name, IFF_UP, true), "kniabi2 up");
	check(!if_set_mac(k.name, newmac), "MAC change asked");
	/* Committed once the application accepted it: moments later. */
	for (i = 0; i < 100; i++) {
		if_get_mac(k.name, mac);
		if (!memcmp(mac, newmac, 6))
			break;
		usleep(10000);
	}
	check(!memcmp((void *)k.last_mac, newmac, 6) && !memcmp(mac, newmac, 6),
	      "application got the MAC and the interface has it (%u ms)", i * 10);
	check(!if_set_flag(k.name, IFF_PROMISC, true), "promiscuous on");
	usleep(200000);
	check(k.nreq[RTE_KNI_REQ_CHANGE_PROMISC] == 1 && k.last_promisc == 1,
	      "application told promiscuous=1");
	check(!if_set_flag(k.name, IFF_ALLMULTI, true), "allmulticast on");
	usleep(200000);
	check(k.nreq[RTE_KNI_REQ_CHANGE_ALLMULTI] == 1 && k.last_allmulti == 1,
	      "application told allmulti=1");
	check(!if_set_flag(k.name, IFF_PROMISC, false), "promiscuous off");
	usleep(200000);
	check(k.nreq[RTE_KNI_REQ_CHANGE_PROMISC] == 2 && k.last_promisc == 0,
	      "application told promiscuous=0");

	k.answer = -EINVAL;
	err = if_set_mtu(k.name, 2000);
	check(err == -EINVAL && if_get_mtu(k.name) == 1500,
	      "refused MTU change fails EINVAL, MTU stays 1500");
	if_get_mac(k.name, oldmac);
	n = k.nreq[RTE_KNI_REQ_CHANGE_MAC_ADDR];
	check(!if_set_mac(k.name, (const __u8 *)"\x02\x01\x01\x01\x01\x01"),
	      "a MAC change returns at once, even one the application refuses");
	for (i = 0; i < 100 && k.nreq[RTE_KNI_REQ_CHANGE_MAC_ADDR] == n; i++)
		usleep(10000);
	usleep(200000);		/* the answer's commit work has run */
	if_get_mac(k.name, mac);
	check(k.nreq[RTE_KNI_REQ_CHANGE_MAC_ADDR] == n + 1 && !memcmp(mac, oldmac, 6),
	      "application asked, refused: MAC unchanged");

	/* Only real errnos reach ip(8); the kernel's own and the rest are EIO. */
	for (i = 0; i < sizeof(not_errno) / sizeof(not_errno[0]); i++) {
		k.answer = not_errno[i];
		err = if_set_mtu(k.name, 2000);
		check(err == -EIO && if_get_mtu(k.name) == 1500,
		      "answer %d fails EIO (got %d), MTU stays 1500", not_errno[i], err);
	}

	k.answer = 0;
	k.mute = true;
	t = now();
	err = if_set_mtu(k.name, 3000);
	t = now() - t;
	check(err == -ETIMEDOUT && if_get_mtu(k.name) == 1500,
	      "unanswered MTU request fails ETIMEDOUT, MTU unchanged");
	check(t > 2.5 && t < 4.5, "it failed within the 3 s bound (%.2f s)", t);
	err = if_set_flag(k.name, IFF_UP, false);
	check(!err && !(if_nametoindex(k.name) && 0), "down does not wait for a mute application");
	t = now();
	err = if_set_flag(k.name, IFF_UP, true);
	t = now() - t;
	check(err == -ETIMEDOUT, "unanswered up fails ETIMEDOUT after %.2f s", t);
	k.mute = false;
	usleep(100000);
	check(!if_set_flag(k.name, IFF_UP, true), "late answers are ignored; next up works");
	kni_unmap(&k);
}

/*
 * RTE_KNI_IOC_LINK: the port's link, by ifindex (so after a rename too);
 * carrier and ethtool follow it; every field is checked.
 */
static void test_link(int fd)
{
	const struct rte_kni_link full = {
		.flags = RTE_KNI_LINK_STATUS | RTE_KNI_LINK_MODE,
		.speed = 25000, .duplex = 1, .autoneg = 1, .status = 1,
	};
	struct rte_kni_link l, bad[8];
	struct ethtool_cmd ec;
	unsigned int i;
	struct kni k;
	int ret;

	check(kni_create(&k, fd, "kniabi3", 64) == 0, "create kniabi3");
	check(!if_get_link(k.name, &ec) && ethtool_cmd_speed(&ec) == (__u32)SPEED_UNKNOWN &&
	      ec.duplex == DUPLEX_FULL, "before any LINK: speed unknown, full duplex");
	l = full;
	l.ifindex = k.ifindex;
	ret = xioctl(fd, RTE_KNI_IOC_LINK, &l);
	check(ret == 0, "LINK while down: the old status, 0 (got %d)", ret);
	check(!if_set_flag(k.name, IFF_UP, true) && if_carrier(k.name) == 1,
	      "up: the status given while down applies (carrier %d)", if_carrier(k.name));
	check(!if_get_link(k.name, &ec) && ethtool_cmd_speed(&ec) == 25000 &&
	      ec.duplex == DUPLEX_FULL && ec.autoneg == AUTONEG_ENABLE,
	      "ethtool: %u Mb/s, duplex %u, autoneg %u", ethtool_cmd_speed(&ec),
	      ec.duplex, ec.autoneg);

	check(!if_set_flag(k.name, IFF_UP, false) && !if_rename(k.name, "kniabi3r") &&
	      !if_set_flag("kniabi3r", IFF_UP, true), "down, renamed kniabi3r, up");
	check(if_carrier("kniabi3r") == 0, "going down forgot the status (carrier %d)",
	      if_carrier("kniabi3r"));
	l.flags = RTE_KNI_LINK_STATUS;
	l.speed = 0;
	l.status = 1;
	ret = xioctl(fd, RTE_KNI_IOC_LINK, &l);
	check(ret == 0 && if_carrier("kniabi3r") == 1,
	      "renamed: status 1 reaches it by ifindex (returned %d)", ret);
	check(!if_get_link("kniabi3r", &ec) && ethtool_cmd_speed(&ec) == 25000,
	      "a status-only LINK keeps the speed (%u)", ethtool_cmd_speed(&ec));
	l.status = 0;
	ret = xioctl(fd, RTE_KNI_IOC_LINK, &l);
	check(ret == 1 && if_carrier("kniabi3r") == 0, "status 0: returns 1, carrier off");

	for (i = 0; i < 8; i++) {
		bad[i] = full;
		bad[i].ifindex = k.ifindex;
	}
	bad[0].flags = 0;
	bad[1].flags = 1U << 2;
	bad[2].duplex = 2;
	bad[3].autoneg = 2;
	bad[4].status = 2;
	bad[5].pad = 1;
	bad[6].speed = 0x80000000u;
	bad[7].ifindex = 0;
	for (i = 0; i < 8; i++) {
		ret = xioctl(fd, RTE_KNI_IOC_LINK, &bad[i]);
		check(ret == (i == 7 ? -ENODEV : -EINVAL), "bad LINK %u: %s", i, strerror(-ret));
	}
	check(if_carrier("kniabi3r") == 0 && !if_get_link("kniabi3r", &ec) &&
	      ethtool_cmd_speed(&ec) == 25000, "refused LINKs changed nothing");
	l = full;
	l.ifindex = k.ifindex;
	l.speed = 0xffffffffu;
	l.duplex = 0;
	check(xioctl(fd, RTE_KNI_IOC_LINK, &l) == 0 && !if_get_link("kniabi3r", &ec) &&
	      ethtool_cmd_speed(&ec) == (__u32)SPEED_UNKNOWN && ec.duplex == DUPLEX_HALF,
	      "speed 0xffffffff: unknown; half duplex");
	kni_unmap(&k);
}

/* RTE_KNI_IOC_MC_LIST on ifindex; count, or -errno. */
static int mc_list(int fd, int ifindex, struct rte_kni_mc_list *mc)
{
	int err;

	memset(mc, 0, sizeof(*mc));
	mc->ifindex = ifindex;
	err = xioctl(fd, RTE_KNI_IOC_MC_LIST, mc);
	return err ? err : (int)mc->count;
}

/* Wait up to a second for the responder to see @n list requests. */
static void mc_wait(struct kni *k, unsigned int n)
{
	int i;

	for (i = 0; i < 100 && k->nreq[RTE_KNI_REQ_CHANGE_MC_LIST] < n; i++)
		usleep(10000);
	usleep(100000);		/* and no more */
}

/*
 * The multicast list: asked for only by a library that handles it
 * (features), told as a count and read whole with MC_LIST, which gives
 * at most RTE_KNI_MAX_MC_ADDRS addresses and the true count.
 */
static void test_mc_list(int fd_old)
{
	__u8 mac[6] = { 0x01, 0x00, 0x5e, 0x20, 0, 0 };
	static struct rte_kni_mc_list mc;
	struct kni k, old;
	__u32 feat = ~0U;
	int fd, base, n, i, bad;
	unsigned int nreq;

	fd = kni_open_dev_features(&feat);
	check(feat == RTE_KNI_FEATURES, "VERSION keeps of ~0 the features the module has (%#x)",
	      feat);
	check(kni_create(&k, fd, "kniabi4", 64) == 0, "create kniabi4");
	n = mc_list(fd, k.ifindex, &mc);
	usleep(100000);
	check(n >= 0 && !k.nreq[RTE_KNI_REQ_CHANGE_MC_LIST],
	      "down: MC_LIST reads %d addresses (IPv6's all-nodes), nobody is told", n);
	check(!if_set_flag(k.name, IFF_UP, true), "kniabi4 up");
	mc_wait(&k, 1);
	base = mc_list(fd, k.ifindex, &mc);
	check(base > 0 && k.nreq[RTE_KNI_REQ_CHANGE_MC_LIST] >= 1 &&
	      k.last_mc_count == (__u32)base,
	      "up: told of the list, %u addresses (MC_LIST says %d)", k.last_mc_count, base);

	for (i = 0; i < RTE_KNI_MAX_MC_ADDRS + 10; i++) {
		mac[4] = i >> 8;
		mac[5] = i & 0xff;
		if (if_multi(k.name, mac, true))
			break;
	}
	check(i == RTE_KNI_MAX_MC_ADDRS + 10, "%d addresses added", i);
	n = mc_list(fd, k.ifindex, &mc);
	for (i = bad = 0; i < RTE_KNI_MAX_MC_ADDRS; i++)
		bad += !(mc.addr[i][0] & 1);
	check(n == base + RTE_KNI_MAX_MC_ADDRS + 10 && !bad,
	      "MC_LIST: count %d, the first %d of them multicast addresses (%d not)", n,
	      RTE_KNI_MAX_MC_ADDRS, bad);
	mc_wait(&k, k.nreq[RTE_KNI_REQ_CHANGE_MC_LIST] + 1);
	check(k.last_mc_count == (__u32)n, "told the long list's count (%u)", k.last_mc_count);
	for (i = 0; i < RTE_KNI_MAX_MC_ADDRS + 10; i++) {
		mac[4] = i >> 8;
		mac[5] = i & 0xff;
		if_multi(k.name, mac, false);
	}
	mc_wait(&k, k.nreq[RTE_KNI_REQ_CHANGE_MC_LIST] + 1);
	check(mc_list(fd, k.ifindex, &mc) == base && k.last_mc_count == (__u32)base,
	      "all deleted: back to %d, told %u", base, k.last_mc_count);

	check(mc_list(fd, 0, &mc) == -ENODEV && mc_list(fd, 1, &mc) == -ENODEV,
	      "MC_LIST of no interface or of lo fails ENODEV");
	check(xioctl(fd, RTE_KNI_IOC_MC_LIST, (void *)8) == -EFAULT,
	      "MC_LIST with an unmapped argument fails EFAULT");

	/* A library that does not handle lists is never asked about them. */
	check(kni_create(&old, fd_old, "kniabi5", 64) == 0, "create kniabi5 (no features)");
	check(!if_set_flag(old.name, IFF_UP, true), "kniabi5 up");
	mac[4] = 0x10;
	check(!if_multi(old.name, mac, true), "kniabi5: address added");
	nreq = old.nreq[RTE_KNI_REQ_CHANGE_MC_LIST];
	mc_wait(&old, 1);
	check(nreq == 0 && old.nreq[RTE_KNI_REQ_CHANGE_MC_LIST] == 0 &&
	      mc_list(fd_old, old.ifindex, &mc) == base + 1,
	      "no list request for it, and MC_LIST still reads %d", base + 1);
	kni_unmap(&old);
	kni_unmap(&k);
	close(fd);
	check(!if_exists("kniabi4"), "close removed kniabi4");
}

/* An ethtool on/off feature of @name, or -errno. */
static int feature(const char *name, __u32 cmd)
{
	__u32 v = 0;
	int err = if_ethtool_value(name, cmd, &v);

	return err ? err : (int)v;
}

/* Wait up to a second for the responder to see @n offload changes. */
static void offload_wait(struct kni *k, unsigned int n)
{
	int i;

	for (i = 0; i < 100 && k->nreq[RTE_KNI_REQ_CHANGE_OFFLOADS] < n; i++)
		usleep(10000);
}

/*
 * RTE_KNI_IOC_OFFLOAD: only for a library that handles the change
 * requests, only on the interface's own file; the offsets checked against
 * the layout and fixed once set; the features follow, and what ethtool
 * changes is told.
 */
static void test_offload(int fd_old)
{
	const struct rte_kni_offload all = {
		.offloads = RTE_KNI_OFL_ALL, .ol_flags = M_OL_FLAGS,
		.tx_offload = M_TX_OFFLOAD,
	};
	struct rte_kni_offload o, bad[7];
	__u32 feat = ~0U, v;
	struct kni k, old;
	unsigned int i, n;
	int fd, ret;

	fd = kni_open_dev_features(&feat);
	check(kni_create(&k, fd, "kniabi6", 64) == 0, "create kniabi6");
	check(kni_create(&old, fd_old, "kniabi7", 64) == 0, "create kniabi7 (no features)");
	check(feature(k.name, ETHTOOL_GTSO) == 0 && feature(k.name, ETHTOOL_GRXCSUM) == 0,
	      "before OFFLOAD: no TSO, no receive checksums");

	o = all;
	o.ifindex = old.ifindex;
	ret = xioctl(fd_old, RTE_KNI_IOC_OFFLOAD, &o);
	check(ret == -EOPNOTSUPP, "a library without FEAT_OFFLOAD: %s", strerror(-ret));
	ret = xioctl(fd, RTE_KNI_IOC_OFFLOAD, &o);
	check(ret == -EPERM, "another file's interface, even as root: %s", strerror(-ret));

	for (i = 0; i < 7; i++) {
		bad[i] = all;
		bad[i].ifindex = k.ifindex;
	}
	bad[0].offloads = RTE_KNI_OFL_ALL + 1;
	bad[1].pad = 1;
	bad[2].ol_flags = M_OL_FLAGS + 4;		/* not aligned */
	bad[3].tx_offload = M_PKT_LEN & ~7;		/* over pkt_len */
	bad[4].tx_offload = M_OL_FLAGS;			/* over ol_flags */
	bad[5].tx_offload = M_HDR;			/* past the header */
	bad[6].ifindex = 0;
	for (i = 0; i < 7; i++) {
		ret = xioctl(fd, RTE_KNI_IOC_OFFLOAD, &bad[i]);
		check(ret == (i == 6 ? -ENODEV : -EINVAL), "bad OFFLOAD %u: %s", i,
		      strerror(-ret));
	}
	check(feature(k.name, ETHTOOL_GTSO) == 0, "refused OFFLOADs changed nothing");

	o = all;
	o.ifindex = k.ifindex;
	ret = xioctl(fd, RTE_KNI_IOC_OFFLOAD, &o);
	check(ret == 0 && o.offloads == RTE_KNI_OFL_ALL, "OFFLOAD all: %s, %#x on",
	      strerror(-ret), o.offloads);
	check(feature(k.name, ETHTOOL_GTSO) == 1 && feature(k.name, ETHTOOL_GRXCSUM) == 1 &&
	      feature(k.name, ETHTOOL_GTXCSUM) == 1, "ethtool: TSO, rx and tx checksums on");

	n = k.nreq[RTE_KNI_REQ_CHANGE_OFFLOADS];
	v = 0;
	check(!if_ethtool_value(k.name, ETHTOOL_STSO, &v), "ethtool: TSO off");
	offload_wait(&k, n + 1);
	check(k.last_offloads == (RTE_KNI_OFL_ALL & ~(RTE_KNI_OFL_TSO | RTE_KNI_OFL_TSO6)),
	      "told: %#x on", k.last_offloads);

	o = all;
	o.ifindex = k.ifindex;
	o.ol_flags = 80;			/* valid, but not the first */
	ret = xioctl(fd, RTE_KNI_IOC_OFFLOAD, &o);
	check(ret == -EBUSY, "other offsets once set: %s", strerror(-ret));
	o = all;
	o.ifindex = k.ifindex;
	o.offloads = 0;
	ret = xioctl(fd, RTE_KNI_IOC_OFFLOAD, &o);
	check(ret == 0 && !o.offloads && feature(k.name, ETHTOOL_GTSO) == 0 &&
	      feature(k.name, ETHTOOL_GRXCSUM) == 0, "OFFLOAD none: all off (%#x)", o.offloads);
	check(xioctl(fd, RTE_KNI_IOC_OFFLOAD, (void *)8) == -EFAULT,
	      "OFFLOAD with an unmapped argument fails EFAULT");
	kni_unmap(&old);
	kni_unmap(&k);
	close(fd);
	check(!if_exists("kniabi6"), "close removed kniabi6");
}

int main(void)
{
	int fd;
	char *pool;

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_handshake();
	test_reg_mem();
	test_reg_mem_kinds();
	test_reg_mem_limit();
	test_memcg();
	test_iface_limit();
	test_create_args();
	test_no_cap();

	fd = kni_open_dev(true);
	pool = pool_create(fd);
	test_rx_path(fd, pool);
	test_tx_path(fd, pool);
	test_requests(fd);
	test_link(fd);
	test_mc_list(fd);
	test_offload(fd);
	close(fd);
	check(!if_exists("kniabi0") && !if_exists("kniabi1") && !if_exists("kniabi2") &&
	      !if_exists("kniabi3r") && !if_exists("kniabi5") && !if_exists("kniabi7"),
	      "close removed every interface");

	printf("kni_abi_test: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
