// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_fault - the raw-ABI side of the fault and access stress tests
 * (tests/stress/): interface churn, many interfaces held open with
 * traffic through each, and what a process without CAP_NET_ADMIN or
 * without access can do.  Every mode checks its own results, prints one
 * summary line and exits 1 on a wrong result, 2 on a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kni_raw.h"

/* Frames of the hold mode carry an ethertype nothing else sends. */
#define FAULT_ETHERTYPE	0x88b5
#define FAULT_FRAME_LEN	128
#define FAULT_FRAMES	16	/* each way, per interface */
/* Interfaces sharing one registered pool: FAULT_FRAMES mbufs each way each. */
#define KNIS_PER_POOL	(POOL_OBJS / (2 * FAULT_FRAMES))

static void usage(FILE *f)
{
	fprintf(f,
"Usage: kni_fault MODE ...   (root, rte_kni.ko loaded; run in the test VM)\n"
"\n"
"  churn N            create, map, unmap and release N interfaces, one at a\n"
"                     time, on one /dev/kni\n"
"  hold N PREFIX      create N interfaces PREFIX0..PREFIX<N-1>, bring them up\n"
"                     and pass %d frames each way through each; print\n"
"                     \"ready\", hold them until SIGTERM, then release them\n"
"  release-full       release an interface while free_q and rx_q are full and\n"
"                     the kernel holds mbufs from alloc_q; check that every\n"
"                     mbuf comes back exactly once (EAGAIN: drain, retry)\n"
"  runaway N          move alloc_q's producer index 2^31 ahead over slots that\n"
"                     hold no usable mbuf, send N frames to the interface and\n"
"                     check that each is dropped and counted within a bounded\n"
"                     walk of alloc_q\n"
"  nocap [FOREIGN]    open /dev/kni, drop CAP_NET_ADMIN, check that REG_MEM and\n"
"                     CREATE fail EPERM while VERSION works; INFO, WAKEUP and\n"
"                     RELEASE of FOREIGN (another file's interface) must\n"
"                     fail too\n"
"  unwind N ERRNO     with the kernel made to fail the last step of CREATE\n"
"                     (fail_function), create N interfaces while another\n"
"                     process keeps trying to bring them up: each CREATE must\n"
"                     fail with ERRNO and leave no interface behind\n"
"  open               try to open /dev/kni; print the result (exit 0 if it\n"
"                     opened, 1 if not)\n", FAULT_FRAMES);
}

/* ---- churn ---- */

static int mode_churn(unsigned long n)
{
	double start = now();
	unsigned long i;
	int fd = kni_open_dev(true);

	for (i = 0; i < n; i++) {
		struct rte_kni_release rel;
		char name[RTE_KNI_NAMESIZE];
		struct kni k;
		int err;

		snprintf(name, sizeof(name), "churn%lu", i % 10);
		err = kni_create(&k, fd, name, 64);
		if (err) {
			fprintf(stderr, "kni_fault: create %s (#%lu): %s\n", name, i,
				strerror(-err));
			return 1;
		}
		kni_unmap(&k);
		memset(&rel, 0, sizeof(rel));
		snprintf(rel.name, sizeof(rel.name), "%s", name);
		err = xioctl(fd, RTE_KNI_IOC_RELEASE, &rel);
		if (err) {
			fprintf(stderr, "kni_fault: release %s (#%lu): %s\n", name, i,
				strerror(-err));
			return 1;
		}
		if (if_exists(name)) {
			fprintf(stderr, "kni_fault: %s still there after release\n", name);
			return 1;
		}
	}
	close(fd);
	printf("churn: created=%lu released=%lu secs=%.1f\n", n, n, now() - start);
	return 0;
}

/* ---- hold ---- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Nothing but our frames should go out: no IPv6 autoconfiguration. */
static int if_quiet_up(const char *name)
{
	char path[128];
	int err;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	err = write_file(path, "1");
	if (err && err != -ENOENT)
		return err;
	err = if_set_flag(name, IFF_UP, true);
	if (err)
		return err;
	return if_set_carrier(name, true);
}

/* A FAULT_FRAME_LEN broadcast frame of FAULT_ETHERTYPE, filled with byte i. */
static __u64 rx_frame(struct kni *k, unsigned int i)
{
	char *m = mbuf_get(k);
	__u8 *f = (__u8 *)mbuf_data(m);

	memset(f, 0xff, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = FAULT_ETHERTYPE >> 8;
	f[13] = FAULT_ETHERTYPE & 0xff;
	memset(f + 14, (int)i, FAULT_FRAME_LEN - 14);
	F(m, M_DATA_LEN, __u16) = FAULT_FRAME_LEN;
	F(m, M_PKT_LEN, __u32) = FAULT_FRAME_LEN;
	return (__u64)(uintptr_t)m;
}

/* FAULT_FRAMES frames from the application to the stack. */
static int hold_rx(struct kni *k)
{
	long long before = if_stat(k->name, "rx_packets"), after = before;
	unsigned int i, back;
	double end;

	for (i = 0; i < FAULT_FRAMES; i++)
		rx_put(k, rx_frame(k, i));
	back = free_drain(k, FAULT_FRAMES, 10);
	for (end = now() + 10; now() < end; usleep(10000)) {
		after = if_stat(k->name, "rx_packets");
		if (after - before >= FAULT_FRAMES)
			break;
	}
	if (back != FAULT_FRAMES || after - before != FAULT_FRAMES) {
		fprintf(stderr, "kni_fault: %s rx: %d frames posted, %u mbufs back, rx_packets +%lld\n",
			k->name, FAULT_FRAMES, back, after - before);
		return -1;
	}
	return 0;
}

/*
 * Send n FAULT_FRAME_LEN frames of FAULT_ETHERTYPE from a packet socket on
 * the interface, frame i filled with byte i; the last is left in frame.
 */
static int stack_send(struct kni *k, unsigned int n, __u8 *frame)
{
	struct sockaddr_ll sll = { 0 };
	unsigned int i;
	int s;

	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s < 0) {
		perror("kni_fault: packet socket");
		return -1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = k->ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	memset(frame, 0xff, 6);
	if_get_mac(k->name, frame + 6);
	frame[12] = FAULT_ETHERTYPE >> 8;
	frame[13] = FAULT_ETHERTYPE & 0xff;
	for (i = 0; i < n; i++) {
		memset(frame + 14, (int)i, FAULT_FRAME_LEN - 14);
		if (sendto(s, frame, FAULT_FRAME_LEN, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) != FAULT_FRAME_LEN) {
			fprintf(stderr, "kni_fault: %s: send: %s\n", k->name, strerror(errno));
			close(s);
			return -1;
		}
	}
	close(s);
	return 0;
}

/* FAULT_FRAMES frames from a packet socket on the interface to the app. */
static int hold_tx(struct kni *k)
{
	struct kni_ring *alloc = &k->ring[RTE_KNI_RING_ALLOC];
	struct kni_ring *tx = &k->ring[RTE_KNI_RING_TX];
	unsigned int i, ours = 0;
	__u8 frame[FAULT_FRAME_LEN];
	double end;

	for (i = 0; i < FAULT_FRAMES; i++) {
		__u64 a = (__u64)(uintptr_t)mbuf_get(k);

		if (kni_ring_put_u64(alloc, &a, 1) != 1)
			return -1;
	}
	if (stack_send(k, FAULT_FRAMES, frame))
		return -1;
	for (end = now() + 10; ours < FAULT_FRAMES && now() < end;) {
		__u64 a;

		if (kni_ring_get_u64(tx, &a, 1) != 1) {
			usleep(1000);
			continue;
		}
		if (F((char *)(uintptr_t)a, M_PKT_LEN, __u32) == FAULT_FRAME_LEN &&
		    !memcmp(mbuf_data((char *)(uintptr_t)a) + 12, frame + 12, 2))
			ours++;
	}
	if (ours != FAULT_FRAMES) {
		fprintf(stderr, "kni_fault: %s tx: %d frames sent, %u reached the tx ring\n",
			k->name, FAULT_FRAMES, ours);
		return -1;
	}
	return 0;
}

static int mode_hold(unsigned int n, const char *prefix)
{
	unsigned int i, npools = (n + KNIS_PER_POOL - 1) / KNIS_PER_POOL;
	struct kni *knis = calloc(n, sizeof(*knis));
	char **pools = calloc(npools, sizeof(*pools));
	int fd = kni_open_dev(true), rc = 0, sig;
	double start = now();
	sigset_t quit;

	/*
	 * Blocked before the responder threads exist, so that they inherit
	 * the mask and SIGTERM waits for sigwait() in this thread.
	 */
	sigemptyset(&quit);
	sigaddset(&quit, SIGTERM);
	sigaddset(&quit, SIGINT);
	pthread_sigmask(SIG_BLOCK, &quit, NULL);
	if (!knis || !pools || npools > RTE_KNI_MAX_REGIONS) {
		fprintf(stderr, "kni_fault: %u interfaces are too many for one file\n", n);
		return 2;
	}
	for (i = 0; i < npools; i++)
		pools[i] = pool_create(fd);
	for (i = 0; i < n; i++) {
		char name[RTE_KNI_NAMESIZE];
		int err;

		snprintf(name, sizeof(name), "%s%u", prefix, i);
		err = kni_create(&knis[i], fd, name, 64);
		if (err) {
			fprintf(stderr, "kni_fault: create %s: %s\n", name, strerror(-err));
			return 1;
		}
		knis[i].pool = pools[i / KNIS_PER_POOL];
		knis[i].pool_next = (i % KNIS_PER_POOL) * 2 * FAULT_FRAMES;
		err = if_quiet_up(name);
		if (err) {
			fprintf(stderr, "kni_fault: %s up: %s\n", name, strerror(-err));
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		if (hold_rx(&knis[i]) || hold_tx(&knis[i]))
			return 1;
	printf("ready: %u interfaces, %u frames each way through each, %.1f s\n",
	       n, FAULT_FRAMES, now() - start);
	fflush(stdout);

	sigwait(&quit, &sig);

	for (i = 0; i < n; i++) {
		struct rte_kni_release rel = { 0 };
		int err;

		kni_unmap(&knis[i]);
		snprintf(rel.name, sizeof(rel.name), "%s", knis[i].name);
		err = xioctl(fd, RTE_KNI_IOC_RELEASE, &rel);
		if (err) {
			fprintf(stderr, "kni_fault: release %s: %s\n", rel.name, strerror(-err));
			rc = 1;
		}
	}
	close(fd);
	printf("released: %u interfaces\n", n);
	return rc;
}

/* Is NAME's operstate "up" within SECS seconds? */
static bool if_oper_up(const char *name, double secs)
{
	char path[128], state[16];
	double end = now() + secs;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/operstate", name);
	do {
		f = fopen(path, "r");
		if (f && fgets(state, sizeof(state), f) && !strncmp(state, "up", 2)) {
			fclose(f);
			return true;
		}
		if (f)
			fclose(f);
		usleep(10000);
	} while (now() < end);
	return false;
}

/* One interface NAME with a pool of its own, up and quiet; 0 or -1. */
static int one_up(struct kni *k, int fd, const char *name, __u32 ring_size)
{
	int err = kni_create(k, fd, name, ring_size);

	if (err) {
		fprintf(stderr, "kni_fault: create %s: %s\n", name, strerror(-err));
		return -1;
	}
	k->pool = pool_create(fd);
	k->pool_next = 0;
	err = if_quiet_up(k->name);
	if (err) {
		fprintf(stderr, "kni_fault: %s up: %s\n", k->name, strerror(-err));
		return -1;
	}
	/*
	 * Frames sent before linkwatch has seen the carrier go to the noop
	 * qdisc and vanish: wait until the interface is operationally up.
	 */
	if (!if_oper_up(k->name, 10)) {
		fprintf(stderr, "kni_fault: %s not operationally up after 10 s\n", k->name);
		return -1;
	}
	return 0;
}

/* ---- runaway ---- */

/*
 * kni.h bounds the alloc_q entries one frame uses up at 320 (segments,
 * unusable mbufs met, a last refill), besides at most 64 it keeps for the
 * next frame; this is that with room to spare, and far below the 2^31
 * entries the producer index claims.
 */
#define RUNAWAY_WALK_MAX	512

static int mode_runaway(unsigned int frames)
{
	int fd = kni_open_dev(true);
	__u8 frame[FAULT_FRAME_LEN];
	long long dropped0, dropped = 0;
	struct kni_ring *alloc;
	unsigned int i, walked;
	double start, sent;
	struct kni k;

	if (one_up(&k, fd, "runaway0", 64))
		return 2;

	/*
	 * Every slot: either an address outside registered memory or an mbuf
	 * in it without data room.  Then claim 2^31 entries.
	 */
	alloc = &k.ring[RTE_KNI_RING_ALLOC];
	for (i = 0; i < alloc->size; i++) {
		char *m = mbuf_get(&k);
		__u64 a = (__u64)(uintptr_t)m;

		if (i & 1)
			F(m, M_BUF_LEN, __u16) = F(m, M_DATA_OFF, __u16);
		else
			a = 4096 * (__u64)(i + 1);
		if (kni_ring_put_u64(alloc, &a, 1) != 1)
			return 2;
	}
	kni_store_release(alloc->producer, alloc->head + 0x80000000u);

	dropped0 = if_stat(k.name, "tx_dropped");
	start = now();
	if (stack_send(&k, frames, frame))
		return 1;
	sent = now() - start;
	for (; now() < start + 10; usleep(10000)) {
		dropped = if_stat(k.name, "tx_dropped") - dropped0;
		if (dropped >= frames)
			break;
	}
	walked = kni_load_acquire(alloc->consumer);
	printf("runaway: frames=%u dropped=%lld walked=%u per_frame=%.1f send_secs=%.3f\n",
	       frames, dropped, walked, frames ? (double)walked / frames : 0.0, sent);
	if (dropped < frames) {
		fprintf(stderr, "kni_fault: %u frames sent, %lld counted as dropped within 10 s\n",
			frames, dropped);
		return 1;
	}
	if (walked > (unsigned long long)frames * RUNAWAY_WALK_MAX) {
		fprintf(stderr, "kni_fault: %u frames walked %u alloc_q entries, more than %d each\n",
			frames, walked, RUNAWAY_WALK_MAX);
		return 1;
	}
	kni_unmap(&k);
	close(fd);
	return 0;
}

/* ---- release-full ---- */

#define RF_RING		64
#define RF_SENT		4	/* frames from the stack, each one mbuf */
#define RF_HANDED	(3 * RF_RING)	/* alloc_q once, rx_q twice */

/* Account for one mbuf address the kernel handed back (or never took). */
static int rf_back(struct kni *k, unsigned char *seen, __u64 addr, const char *where)
{
	__u64 off = addr - (__u64)(uintptr_t)k->pool;
	unsigned int i = off / M_OBJ;

	if (addr < (__u64)(uintptr_t)k->pool || off % M_OBJ || i >= RF_HANDED) {
		fprintf(stderr, "kni_fault: %s: %#llx is not one of ours\n", where,
			(unsigned long long)addr);
		return -1;
	}
	if (seen[i]++) {
		fprintf(stderr, "kni_fault: %s: mbuf %u came back twice\n", where, i);
		return -1;
	}
	return 0;
}

/* Take everything ring r holds for us (we are its consumer). */
static int rf_take(struct kni *k, unsigned char *seen, enum rte_kni_ring_id id,
		   const char *where, unsigned int *n)
{
	struct kni_ring *r = &k->ring[id];
	__u64 a;

	while (kni_ring_get_u64(r, &a, 1) == 1) {
		if (rf_back(k, seen, a, where))
			return -1;
		(*n)++;
	}
	return 0;
}

/* What the kernel never consumed of ring r (we are its producer). */
static int rf_left(struct kni *k, unsigned char *seen, enum rte_kni_ring_id id,
		   const char *where, unsigned int *n)
{
	struct kni_ring *r = &k->ring[id];
	__u32 i, cons = kni_load_acquire(r->consumer);

	if (r->head - cons > r->size) {
		fprintf(stderr, "kni_fault: %s: consumer index %u, producer %u\n",
			where, cons, r->head);
		return -1;
	}
	for (i = cons; i != r->head; i++) {
		if (rf_back(k, seen, *(__u64 *)kni_ring_slot(r, i), where))
			return -1;
		(*n)++;
	}
	return 0;
}

/*
 * Release an interface while free_q is full, rx_q is full behind it and the
 * transmit stash holds mbufs from alloc_q: every mbuf handed to the kernel
 * must come back (tx_q, free_q) or stay where the kernel left it (alloc_q,
 * rx_q), exactly once.
 */
static int mode_release_full(void)
{
	unsigned int i, n, tx = 0, freed = 0, left = 0, eagain = 0;
	unsigned char seen[RF_HANDED] = { 0 };
	int fd = kni_open_dev(true), err;
	struct rte_kni_release rel = { 0 };
	const char *name = "release0";
	__u8 frame[FAULT_FRAME_LEN];
	double end;
	struct kni k;

	if (one_up(&k, fd, name, RF_RING))
		return 2;

	/* Transmit: the kernel stashes what it took from alloc_q beyond RF_SENT. */
	for (i = 0; i < RF_RING; i++) {
		__u64 a = (__u64)(uintptr_t)mbuf_get(&k);

		if (kni_ring_put_u64(&k.ring[RTE_KNI_RING_ALLOC], &a, 1) != 1)
			return 2;
	}
	if (stack_send(&k, RF_SENT, frame))
		return 2;
	for (end = now() + 10; tx < RF_SENT && now() < end; usleep(1000))
		if (rf_take(&k, seen, RTE_KNI_RING_TX, "tx_q", &tx))
			return 1;
	if (tx != RF_SENT) {
		fprintf(stderr, "kni_fault: %u of %d frames reached tx_q\n", tx, RF_SENT);
		return 1;
	}

	/* Receive: fill free_q, then rx_q behind it. */
	for (i = 0; i < RF_RING; i++)
		rx_put(&k, rx_frame(&k, i));
	for (end = now() + 10; now() < end; usleep(1000))
		if (kni_ring_count(&k.ring[RTE_KNI_RING_FREE]) == RF_RING)
			break;
	for (i = 0; i < RF_RING; i++)
		rx_put(&k, rx_frame(&k, i));
	usleep(200000);

	/* The library's loop: drain free_q and ask again while EAGAIN. */
	snprintf(rel.name, sizeof(rel.name), "%s", k.name);
	while ((err = xioctl(fd, RTE_KNI_IOC_RELEASE, &rel)) == -EAGAIN && eagain < 100) {
		eagain++;
		if (rf_take(&k, seen, RTE_KNI_RING_FREE, "free_q", &freed))
			return 1;
	}
	if (err) {
		fprintf(stderr, "kni_fault: release: %s (after %u EAGAIN)\n", strerror(-err), eagain);
		return 1;
	}
	if (rf_take(&k, seen, RTE_KNI_RING_TX, "tx_q", &tx) ||
	    rf_take(&k, seen, RTE_KNI_RING_FREE, "free_q", &freed) ||
	    rf_left(&k, seen, RTE_KNI_RING_ALLOC, "alloc_q", &left) ||
	    rf_left(&k, seen, RTE_KNI_RING_RX, "rx_q", &left))
		return 1;
	for (i = n = 0; i < RF_HANDED; i++)
		n += seen[i] == 1;
	printf("release-full: handed=%d back=%u tx=%u free=%u left=%u eagain=%u\n",
	       RF_HANDED, n, tx, freed, left, eagain);
	if (n != RF_HANDED) {
		fprintf(stderr, "kni_fault: %d mbufs handed to the kernel, %u accounted for\n",
			RF_HANDED, n);
		return 1;
	}
	kni_unmap(&k);
	close(fd);
	return 0;
}

/* ---- unwind ---- */

#define UNWIND_NAME	"unwind0"

/*
 * The racer: the interface exists from register_netdev() until the failed
 * CREATE has taken it down again, and whoever sees it may use it.
 */
static void unwind_racer(void)
{
	for (;;) {
		if (!if_set_flag(UNWIND_NAME, IFF_UP, true))
			if_set_flag(UNWIND_NAME, IFF_UP, false);
		if_set_mtu(UNWIND_NAME, 1400);
	}
}

static int mode_unwind(unsigned long n, int want)
{
	unsigned long i, failed = 0;
	double start = now();
	int fd, ret = 0;
	pid_t racer;

	racer = fork();
	if (racer < 0) {
		perror("kni_fault: fork");
		return 2;
	}
	if (!racer) {
		unwind_racer();
		_exit(0);
	}
	fd = kni_open_dev(true);
	for (i = 0; i < n; i++) {
		struct kni k;
		int err = kni_create(&k, fd, UNWIND_NAME, 64);

		if (!err) {
			fprintf(stderr, "kni_fault: create #%lu succeeded: is the fault injected?\n", i);
			ret = 1;
			break;
		}
		if (err != -want) {
			fprintf(stderr, "kni_fault: create #%lu: %s, expected %s\n", i,
				strerror(-err), strerror(want));
			ret = 1;
			break;
		}
		failed++;
		if (if_exists(UNWIND_NAME)) {
			fprintf(stderr, "kni_fault: %s still there after create #%lu failed\n",
				UNWIND_NAME, i);
			ret = 1;
			break;
		}
	}
	close(fd);
	kill(racer, SIGKILL);
	waitpid(racer, NULL, 0);
	printf("unwind: attempts=%lu failed=%lu secs=%.1f\n", i, failed, now() - start);
	return ret;
}

/* ---- access ---- */

static int drop_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	unsigned int i;

	if (syscall(SYS_capget, &h, d))
		return -errno;
	for (i = 0; i < 2; i++) {
		d[i].effective &= ~(CAP_TO_INDEX(CAP_NET_ADMIN) == i ? CAP_TO_MASK(CAP_NET_ADMIN) : 0);
		d[i].permitted &= ~(CAP_TO_INDEX(CAP_NET_ADMIN) == i ? CAP_TO_MASK(CAP_NET_ADMIN) : 0);
	}
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int mode_nocap(const char *foreign)
{
	struct rte_kni_version v = { .abi_version = RTE_KNI_ABI_VERSION };
	struct rte_kni_mem_region r;
	struct rte_kni_create c;
	int fd = kni_open_dev(false), err, bad = 0;
	void *mem;

	mem = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || drop_net_admin()) {
		perror("kni_fault: setup");
		return 2;
	}
	err = xioctl(fd, RTE_KNI_IOC_VERSION, &v);
	printf("nocap: VERSION: %s\n", err ? strerror(-err) : "ok");
	bad |= err != 0;
	r.addr = (__u64)(uintptr_t)mem;
	r.len = 1 << 20;
	err = xioctl(fd, RTE_KNI_IOC_REG_MEM, &r);
	printf("nocap: REG_MEM: %s\n", err ? strerror(-err) : "ok");
	bad |= err != -EPERM;
	create_defaults(&c, "nocap0");
	err = xioctl(fd, RTE_KNI_IOC_CREATE, &c);
	printf("nocap: CREATE: %s\n", err ? strerror(-err) : "ok");
	bad |= err != -EPERM || if_exists("nocap0");
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "lo");
	err = xioctl(fd, RTE_KNI_IOC_INFO, &c);
	printf("nocap: INFO lo: %s\n", err ? strerror(-err) : "ok");
	bad |= err != -ENODEV;		/* not a KNI interface at all */
	if (foreign) {
		struct rte_kni_release rel = { 0 };

		/* Another file's interface: no rings, no kick, no release without the capability. */
		memset(&c, 0, sizeof(c));
		snprintf(c.name, sizeof(c.name), "%s", foreign);
		err = xioctl(fd, RTE_KNI_IOC_INFO, &c);
		printf("nocap: INFO %s: %s\n", foreign, err ? strerror(-err) : "ok");
		bad |= err != -EPERM;
		struct rte_kni_wakeup w = { .ifindex = (__s32)if_nametoindex(foreign) };

		err = xioctl(fd, RTE_KNI_IOC_WAKEUP, &w);
		printf("nocap: WAKEUP %s: %s\n", foreign, err ? strerror(-err) : "ok");
		bad |= err != -EPERM;
		snprintf(rel.name, sizeof(rel.name), "%s", foreign);
		err = xioctl(fd, RTE_KNI_IOC_RELEASE, &rel);
		printf("nocap: RELEASE %s: %s\n", foreign, err ? strerror(-err) : "ok");
		bad |= err == 0 || !if_exists(foreign);
	}
	close(fd);
	return bad;
}

static int mode_open(void)
{
	int fd = open("/dev/kni", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("open: /dev/kni: %s\n", strerror(errno));
		return 1;
	}
	printf("open: /dev/kni: opened\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "churn"))
		return mode_churn(strtoul(argv[2], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return mode_hold(strtoul(argv[2], NULL, 0), argv[3]);
	if (argc == 2 && !strcmp(argv[1], "release-full"))
		return mode_release_full();
	if (argc == 3 && !strcmp(argv[1], "runaway"))
		return mode_runaway(strtoul(argv[2], NULL, 0));
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "nocap"))
		return mode_nocap(argc == 3 ? argv[2] : NULL);
	if (argc == 4 && !strcmp(argv[1], "unwind"))
		return mode_unwind(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "open"))
		return mode_open();
	usage(stderr);
	return 2;
}
