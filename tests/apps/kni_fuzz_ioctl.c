// SPDX-License-Identifier: BSD-3-Clause
/*
 * kni_fuzz_ioctl - random and mutated calls on /dev/kni, each checked
 * against a model of what the kernel must answer.
 *
 * Every command is called with valid, mutated (bit flips, boundary values
 * in single fields) and purely random argument structs, through valid,
 * faulting, read-only and page-straddling argument pointers, on several
 * files opened with and without the version handshake, and in any order:
 * register after create, release twice, create after release, close with
 * interfaces alive, mmap through another file, munmap after the owner is
 * gone, renames, unknown command numbers and bad magics.
 *
 * The model tracks files, registered regions, interfaces and mappings and
 * predicts the result of each call from the driver's documented rules
 * (rte_kni_abi.h, DESIGN.md): a result outside the predicted set is an
 * "unexpected" finding and fails the run.  So does an interface that
 * outlives the last reference to its file, or any rte_kni interface left
 * once everything is closed.  A second thread (--racer) can run unchecked
 * calls on files of its own at the same time, to shake out races between
 * lookups, mmap and teardown.
 *
 * Everything but the racer is a function of --seed, so a failure replays
 * with the seed the run printed.  Needs root and rte_kni.ko; run it in the
 * test VM (tests/stress/fuzz_ioctl.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kni_ring.h"

#define MAX_FDS		6	/* open descriptors at once */
#define MAX_CTX		12	/* open files (dup shares one) */
#define MAX_IFS		48	/* live interfaces the model tracks */
#define MAX_MAPS	24
#define IF_SOFT_CAP	20	/* above this, prefer release and close */
#define NAME_POOL	8

/* DPDK 22.11's rte_mbuf layout, the layout a real library passes. */
static const struct rte_kni_mbuf_layout dpdk_layout = {
	.hdr_size = 128, .buf_addr = 0, .data_off = 16, .nb_segs = 20,
	.pkt_len = 36, .data_len = 40, .buf_len = 54, .next = 64,
};

/* ---- random numbers: splitmix64, one stream per thread ---- */

struct rng {
	__u64 s;
};

static __u64 rnd64(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u32 rnd_below(struct rng *r, __u32 n)
{
	return n ? (__u32)(rnd64(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int pct)
{
	return rnd_below(r, 100) < pct;
}

static struct rng R;		/* the main thread's stream */

/* ---- call accounting ---- */

enum call {
	C_OPEN, C_CLOSE, C_VERSION, C_REG_MEM, C_CREATE, C_RELEASE, C_WAKEUP,
	C_INFO, C_RAW, C_MMAP, C_OFFLOAD, C_COUNT,
};

static const char *const call_names[C_COUNT] = {
	[C_OPEN] = "open", [C_CLOSE] = "close", [C_VERSION] = "VERSION",
	[C_REG_MEM] = "REG_MEM", [C_CREATE] = "CREATE", [C_RELEASE] = "RELEASE",
	[C_WAKEUP] = "WAKEUP", [C_INFO] = "INFO", [C_RAW] = "unknown-cmd",
	[C_MMAP] = "mmap", [C_OFFLOAD] = "OFFLOAD",
};

#define MAX_ERRNO_SEEN	160

struct call_stats {
	unsigned long calls[C_COUNT];
	unsigned long errs[C_COUNT][MAX_ERRNO_SEEN];	/* [0]: success */
	unsigned long ops, rejected;
	double secs[C_COUNT];		/* time spent in the calls */
};

static struct call_stats S, racer_stats;
static pthread_mutex_t racer_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long unexpected, op_no;
static unsigned long n_created, n_released, n_regions, n_mmaps, n_renames;
static unsigned long n_ctx_released, n_touch, n_ring_regions;
static bool verbose;
static __u64 seed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double call_start;	/* main thread: when the current call began */

static void account(struct call_stats *st, enum call c, int err)
{
	if (st == &S)
		st->secs[c] += now() - call_start;
	st->ops++;
	st->calls[c]++;
	if (err)
		st->rejected++;
	st->errs[c][err < MAX_ERRNO_SEEN ? err : MAX_ERRNO_SEEN - 1]++;
}

/* ---- expected results ---- */

/* A set of acceptable results: 0 for success, else a positive errno. */
struct expect {
	unsigned int n;
	int code[8];
};

static void exp_clear(struct expect *e)
{
	e->n = 0;
}

static void exp_add(struct expect *e, int code)
{
	unsigned int i;

	for (i = 0; i < e->n; i++)
		if (e->code[i] == code)
			return;
	if (e->n < 8)
		e->code[e->n++] = code;
}

static struct expect exp_one(int code)
{
	struct expect e = { 0 };

	exp_add(&e, code);
	return e;
}

static const char *errname(int err)
{
	const char *n;

	if (!err)
		return "ok";
	n = strerrorname_np(err);
	return n ? n : "E?";
}

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void finding(const char *fmt, ...)
{
	va_list ap;

	unexpected++;
	printf("UNEXPECTED (seed %llu, op %lu): ", (unsigned long long)seed, op_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Compare a result with the prediction; print the case if it is off. */
static bool expect_check(const char *what, int got, const struct expect *e)
{
	char want[128] = "";
	unsigned int i;
	size_t len = 0;

	for (i = 0; i < e->n; i++)
		if (e->code[i] == got)
			return true;
	for (i = 0; i < e->n && len < sizeof(want) - 16; i++)
		len += snprintf(want + len, sizeof(want) - len, "%s%s", i ? "|" : "",
				errname(e->code[i]));
	finding("%s: got %s, expected %s", what, errname(got), want);
	return false;
}

/* ---- memory the calls point at ---- */

static size_t pg;

/*
 * The arena for REG_MEM: ARENA_PAGES anonymous pages with one-page holes,
 * read-only and inaccessible pages at known places, followed by an
 * unmapped page.  Pages in [VOLATILE_LO, VOLATILE_HI) are unmapped and
 * mapped again now and then (the kernel keeps what it pinned; the process
 * sees fresh pages).  Holes are one page so that the racer's ring
 * mappings (two pages at least) never land in them.
 */
#define ARENA_PAGES	512
#define HOLE_A		100
#define HOLE_B		102
#define RO_LO		200
#define RO_HI		202
#define NONE_PG		300
#define VOLATILE_LO	400
#define VOLATILE_HI	404

static char *arena, *shm_area, *huge_area;
static size_t shm_len = 16 * 4096, huge_len = 2 << 20;

/* Argument buffers: two RW pages then an inaccessible one; a read-only page. */
static char *argbuf, *argro;


enum page_state { PS_GOOD, PS_BAD, PS_UNKNOWN };

/* The main thread's mappings of interface rings (the model's, below). */
struct fz_map {
	bool used;
	char *addr;
	size_t len;
	int ctx;		/* the file it was mapped through */
	bool writable, shared;
};

static struct fz_map maps[MAX_MAPS];

/* Does [addr, addr + len) touch one of our ring mappings? */
static bool range_in_maps(__u64 addr, __u64 len)
{
	int m;

	for (m = 0; m < MAX_MAPS; m++)
		if (maps[m].used && addr < (__u64)(uintptr_t)maps[m].addr + maps[m].len &&
		    (__u64)(uintptr_t)maps[m].addr < addr + len)
			return true;
	return false;
}

/*
 * A page that was unmapped on purpose may have been reused by a later
 * mmap (the main thread's own ring mappings): if so, nobody can say.
 */
static enum page_state unmapped_page(__u64 a)
{
	unsigned char v;

	return mincore((void *)(uintptr_t)a, pg, &v) ? PS_BAD : PS_UNKNOWN;
}

static enum page_state page_state(__u64 a)
{
	__u64 base = (__u64)(uintptr_t)arena;

	int m;

	if (a < 4096)
		return PS_BAD;		/* never mapped: mmap_min_addr */
	/* Ring mappings pin like any shared memory, if writable. */
	for (m = 0; m < MAX_MAPS; m++)
		if (maps[m].used && a >= (__u64)(uintptr_t)maps[m].addr &&
		    a - (__u64)(uintptr_t)maps[m].addr < ((maps[m].len + pg - 1) & ~(pg - 1)))
			return maps[m].writable ? PS_GOOD : PS_BAD;
	if (a >= base && a < base + (ARENA_PAGES + 1) * pg) {
		__u64 p = (a - base) / pg;

		if (p == ARENA_PAGES || p == HOLE_A || p == HOLE_B)
			return unmapped_page(a);
		if ((p >= RO_LO && p < RO_HI) || p == NONE_PG)
			return PS_BAD;
		return PS_GOOD;
	}
	if (a >= (__u64)(uintptr_t)shm_area && a < (__u64)(uintptr_t)shm_area + shm_len)
		return PS_GOOD;
	if (huge_area && a >= (__u64)(uintptr_t)huge_area &&
	    a < (__u64)(uintptr_t)huge_area + huge_len)
		return PS_GOOD;
	return PS_UNKNOWN;
}

/* Can [addr, addr + len) be pinned writable?  Some bad page decides. */
static enum page_state range_state(__u64 addr, __u64 len)
{
	enum page_state st = PS_GOOD, s;
	__u64 a, end = addr + len;

	for (a = addr & ~((__u64)pg - 1); a < end; a += pg) {
		s = page_state(a);
		if (s == PS_BAD)
			return PS_BAD;
		if (s == PS_UNKNOWN)
			st = PS_UNKNOWN;
		if (a + pg < a)
			break;
	}
	return st;
}

static void *xmmap(void *addr, size_t len, int prot, int flags, int fd)
{
	void *p = mmap(addr, len, prot, flags, fd, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static void memory_setup(void)
{
	int fd;

	pg = (size_t)sysconf(_SC_PAGESIZE);
	arena = xmmap(NULL, (ARENA_PAGES + 1) * pg, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1);
	munmap(arena + ARENA_PAGES * pg, pg);
	munmap(arena + HOLE_A * pg, pg);
	munmap(arena + HOLE_B * pg, pg);
	mprotect(arena + RO_LO * pg, (RO_HI - RO_LO) * pg, PROT_READ);
	mprotect(arena + NONE_PG * pg, pg, PROT_NONE);

	fd = memfd_create("kni_fuzz", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, shm_len)) {
		perror("memfd");
		exit(2);
	}
	shm_area = xmmap(NULL, shm_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	close(fd);

	/* Hugepages only if the VM has some (vmrun -a hugepages=N). */
	huge_area = mmap(NULL, huge_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge_area == MAP_FAILED)
		huge_area = NULL;
	else
		memset(huge_area, 0, huge_len);

	/* Its guard is PROT_NONE, not a hole, so no later mmap lands there. */
	argbuf = xmmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1);
	mprotect(argbuf + 2 * pg, pg, PROT_NONE);

	argro = xmmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}

/* Unmap and map again one of the volatile pages. */
static void arena_recycle(void)
{
	char *p = arena + (VOLATILE_LO + rnd_below(&R, VOLATILE_HI - VOLATILE_LO)) * pg;

	munmap(p, pg);
	xmmap(p, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
	p[rnd_below(&R, pg)] = (char)rnd64(&R);
}

/* Where an ioctl argument lives. */
enum place {
	PL_NORMAL,	/* ordinary writable memory */
	PL_PAGE_END,	/* ends exactly at the last accessible byte */
	PL_STRADDLE,	/* runs into the guard page: copy_from_user fails */
	PL_RDONLY,	/* readable, not writable: copy_to_user fails */
	PL_NULL,
	PL_KERNEL,	/* a kernel address */
	PL_NONCANON,	/* a non-canonical address */
	PL_COUNT,
};

static const char *const place_names[PL_COUNT] = {
	"normal", "page-end", "straddle", "read-only", "NULL", "kernel", "non-canonical",
};

static enum place pick_place(struct rng *r)
{
	unsigned int x = rnd_below(r, 100);

	if (x < 72)
		return PL_NORMAL;
	if (x < 80)
		return PL_PAGE_END;
	if (x < 86)
		return PL_STRADDLE;
	if (x < 93)
		return PL_RDONLY;
	if (x < 95)
		return PL_NULL;
	if (x < 98)
		return PL_KERNEL;
	return PL_NONCANON;
}

/* Put a copy of src where pl says; returns the pointer to pass. */
static void *arg_place(enum place pl, const void *src, size_t size)
{
	char *end = argbuf + 2 * pg;
	size_t k;

	switch (pl) {
	case PL_PAGE_END:
		memcpy(end - size, src, size);
		return end - size;
	case PL_STRADDLE:
		k = 1 + rnd_below(&R, size - 1);	/* bytes past the end */
		memcpy(end - size + k, src, size - k);
		return end - size + k;
	case PL_RDONLY:
		mprotect(argro, pg, PROT_READ | PROT_WRITE);
		memcpy(argro + pg - size, src, size);
		mprotect(argro, pg, PROT_READ);
		return argro + pg - size;
	case PL_NULL:
		return NULL;
	case PL_KERNEL:
		return (void *)(uintptr_t)(0xffffffff81000000ULL + rnd_below(&R, 1 << 20));
	case PL_NONCANON:
		return (void *)(uintptr_t)(0x8000000000000000ULL + (rnd64(&R) >> 8));
	default:
		memcpy(argbuf, src, size);
		return argbuf;
	}
}

/* The arg could not be read by the kernel at all. */
static bool place_unreadable(enum place pl)
{
	return pl == PL_STRADDLE || pl == PL_NULL || pl == PL_KERNEL ||
	       pl == PL_NONCANON;
}

/* ---- the model ---- */

struct region {
	__u64 addr, len;
};

struct fz_ctx {			/* one open file description */
	bool used;
	int id;
	int nfds;		/* descriptors referring to it */
	int nmaps;		/* mappings made through it */
	bool abi_ok;
	__u32 features;		/* both sides', from the last good VERSION */
	bool rdonly;
	struct region reg[RTE_KNI_MAX_REGIONS];
	unsigned int nreg;
};

struct fz_fd {
	int fd;			/* -1: free slot */
	int ctx;
};

struct fz_if {
	bool live;
	int ctx;		/* owning file */
	unsigned long seq;	/* creation order */
	char cname[RTE_KNI_NAMESIZE];	/* name at create */
	char name[IFNAMSIZ];	/* current name */
	int ifindex;
	__u32 mmap_size;
	bool have_rings;
	struct rte_kni_ring_off ring[RTE_KNI_RING_COUNT];
	struct rte_kni_mbuf_layout layout;	/* as created */
	bool ol_set;		/* OFFLOAD fixed the offload words' offsets */
	__u16 ol_flags, tx_offload;
};


static struct fz_ctx ctxs[MAX_CTX];
static struct fz_fd fds[MAX_FDS];
static struct fz_if ifs[MAX_IFS];
static int dead_ifindex[32];
static unsigned int n_dead;
static int max_ifindex = 1;
static unsigned long if_seq, ctx_seq;
static int sock = -1;
static unsigned int cpus_possible;
static bool cpu_online_map[4096];

static char name_pool[NAME_POOL][IFNAMSIZ];
static const char *const rename_pool[] = { "kfzr0", "kfzr1", "kfzr2", "kfzr3" };

static int live_ifs(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_IFS; i++)
		n += ifs[i].live;
	return n;
}

static int open_fds(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_FDS; i++)
		n += fds[i].fd >= 0;
	return n;
}

static int pick_fd_slot(void)
{
	int i, n = open_fds(), k;

	if (!n)
		return -1;
	k = rnd_below(&R, n);
	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].fd >= 0 && !k--)
			return i;
	return -1;
}

static int pick_live_if(void)
{
	int i, n = live_ifs(), k;

	if (!n)
		return -1;
	k = rnd_below(&R, n);
	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && !k--)
			return i;
	return -1;
}

static int find_if_by_ifindex(int ifindex)
{
	int i;

	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && ifs[i].ifindex == ifindex)
			return i;
	return -1;
}

/* The kernel's isspace(): ctype table of lib/ctype.c, 0xa0 included. */
static bool k_isspace(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == 32 || c == 0xa0;
}

/* kni_check_name(): dev_valid_name() and no '%'. */
static bool name_valid(const char *name)
{
	size_t len = strnlen(name, RTE_KNI_NAMESIZE), i;

	if (len == 0 || len == RTE_KNI_NAMESIZE)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c == '/' || c == ':' || c == '%' || k_isspace(c))
			return false;
	}
	return true;
}

static void name_print(char *out, size_t n, const char *name)
{
	size_t i, o = 0;

	for (i = 0; i < RTE_KNI_NAMESIZE && o + 5 < n; i++) {
		unsigned char c = name[i];

		if (c >= 0x21 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, n - o, "\\x%02x", c);
	}
	out[o] = 0;
}

/*
 * ifindex of the netdev called name, 0 if none.  Through sysfs: the
 * SIOCGIF* ioctls on a missing name make the kernel run modprobe
 * netdev-NAME (dev_load), which costs a second per call under TCG.
 * Only for valid names (no '/').
 */
static int sys_ifindex(const char *name)
{
	char path[64], n[IFNAMSIZ];
	int ifindex = 0;
	FILE *f;

	memcpy(n, name, IFNAMSIZ);
	n[IFNAMSIZ - 1] = 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", n);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &ifindex) != 1)
		ifindex = 0;
	fclose(f);
	return ifindex;
}

static bool netdev_exists(const char *name)
{
	return sys_ifindex(name) != 0;
}

static bool ifindex_exists(int ifindex)
{
	char n[IF_NAMESIZE];

	return ifindex > 0 && if_indextoname(ifindex, n) != NULL;
}

static void note_ifindex(int ifindex)
{
	if (ifindex > max_ifindex)
		max_ifindex = ifindex;
}

static void if_dead(struct fz_if *f)
{
	f->live = false;
	dead_ifindex[n_dead++ % 32] = f->ifindex;
}

/* The last reference to a file went away: its interfaces must be gone. */
static void ctx_maybe_release(int c)
{
	struct fz_ctx *x = &ctxs[c];
	int i;

	if (x->nfds || x->nmaps)
		return;
	for (i = 0; i < MAX_IFS; i++) {
		if (!ifs[i].live || ifs[i].ctx != c)
			continue;
		if (ifindex_exists(ifs[i].ifindex))
			finding("file %d released, interface %s (ifindex %d) still exists",
				x->id, ifs[i].name, ifs[i].ifindex);
		if_dead(&ifs[i]);
	}
	x->used = false;
	n_ctx_released++;
}

static int new_ctx(bool rdonly)
{
	int c;

	for (c = 0; c < MAX_CTX; c++) {
		if (!ctxs[c].used) {
			memset(&ctxs[c], 0, sizeof(ctxs[c]));
			ctxs[c].used = true;
			ctxs[c].id = (int)++ctx_seq;
			ctxs[c].rdonly = rdonly;
			return c;
		}
	}
	return -1;
}

static int fz_ioctl(struct call_stats *st, enum call c, int fd, unsigned long cmd,
		    void *arg)
{
	int err;

	call_start = now();
	err = ioctl(fd, cmd, arg) ? errno : 0;
	account(st, c, err);
	return err;
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	printf("op %lu: ", op_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- mutation ---- */

static const __u32 boundary32[] = {
	0, 1, 2, 31, 32, 63, 64, 65, 67, 68, 69, 127, 128, 1500, 4095, 4096,
	4097, 16383, 16384, 16385, 32768, 65535, 65536, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff,
};
static const __u16 boundary16[] = {
	0, 1, 2, 7, 8, 31, 32, 33, 63, 64, 127, 128, 4088, 4095, 4096, 4097,
	0x7fff, 0x8000, 0xffff,
};
static const __u64 boundary64[] = {
	0, 1, 4095, 4096, 1ULL << 32, (1ULL << 32) + 1, (1ULL << 47) - 4096,
	1ULL << 47, 1ULL << 56, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
	0xffff888000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};

/* A field of an argument struct, for boundary substitution. */
struct field {
	unsigned short off, size;
};

static void mutate_field(void *s, const struct field *f)
{
	char *p = (char *)s + f->off;
	__u64 v64;
	__u32 v32;
	__u16 v16;

	switch (f->size) {
	case 8:
		v64 = boundary64[rnd_below(&R, sizeof(boundary64) / sizeof(boundary64[0]))];
		if (chance(&R, 30))
			v64 += rnd_below(&R, 3) - 1;
		memcpy(p, &v64, 8);
		break;
	case 4:
		v32 = boundary32[rnd_below(&R, sizeof(boundary32) / sizeof(boundary32[0]))];
		memcpy(p, &v32, 4);
		break;
	case 2:
		v16 = boundary16[rnd_below(&R, sizeof(boundary16) / sizeof(boundary16[0]))];
		memcpy(p, &v16, 2);
		break;
	default:
		*p = (char)(chance(&R, 50) ? rnd64(&R) : (rnd_below(&R, 2) ? 0xff : 0));
	}
}

static void flip_bits(void *s, size_t size, unsigned int n)
{
	unsigned char *p = s;

	while (n--) {
		size_t bit = rnd_below(&R, size * 8);

		p[bit / 8] ^= 1 << (bit % 8);
	}
}

static void fill_random(void *s, size_t size)
{
	unsigned char *p = s;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)rnd64(&R);
}

/*
 * Mutate struct s of size bytes: nothing, boundary values in a few
 * fields, a few bit flips, or all random.  Returns what was done.
 */
static const char *mutate(void *s, size_t size, const struct field *fields,
			  unsigned int nfields, unsigned int pct)
{
	unsigned int x = rnd_below(&R, 100), i, n;

	if (x >= pct)
		return "valid";
	x = rnd_below(&R, 100);
	if (x < 45) {
		n = 1 + rnd_below(&R, 3);
		for (i = 0; i < n; i++)
			mutate_field(s, &fields[rnd_below(&R, nfields)]);
		return "boundary";
	}
	if (x < 85) {
		flip_bits(s, size, 1 + rnd_below(&R, 6));
		return "bitflip";
	}
	fill_random(s, size);
	return "random";
}

/* ---- names ---- */

static void pick_name(char *name)
{
	static const char *const bad[] = {
		"", ".", "..", "a/b", "kfz:0", "kfz 0", "kfz\t0", "kfz\n", "kfz%d",
		"%s", "kfz\xa0", "\x0bkfz",
	};
	unsigned int x = rnd_below(&R, 100);
	int i;

	memset(name, 0, RTE_KNI_NAMESIZE);
	if (x < 62) {
		snprintf(name, RTE_KNI_NAMESIZE, "%s", name_pool[rnd_below(&R, NAME_POOL)]);
	} else if (x < 68) {
		i = pick_live_if();
		snprintf(name, RTE_KNI_NAMESIZE, "%s", i >= 0 ? ifs[i].name : "lo");
	} else if (x < 72) {
		snprintf(name, RTE_KNI_NAMESIZE, "%s",
			 rename_pool[rnd_below(&R, sizeof(rename_pool) / sizeof(rename_pool[0]))]);
	} else if (x < 75) {
		snprintf(name, RTE_KNI_NAMESIZE, "lo");
	} else if (x < 80) {
		/* 16 bytes, no NUL */
		for (i = 0; i < RTE_KNI_NAMESIZE; i++)
			name[i] = 'a' + rnd_below(&R, 26);
	} else if (x < 84) {
		/* the longest valid name, 15 characters */
		snprintf(name, RTE_KNI_NAMESIZE, "kfz_%011u", rnd_below(&R, 4));
	} else if (x < 92) {
		snprintf(name, RTE_KNI_NAMESIZE, "%s", bad[rnd_below(&R, sizeof(bad) / sizeof(bad[0]))]);
	} else if (x < 96) {
		/* a pool name with garbage after its NUL */
		snprintf(name, RTE_KNI_NAMESIZE, "%s", name_pool[rnd_below(&R, NAME_POOL)]);
		for (i = strlen(name) + 1; i < RTE_KNI_NAMESIZE; i++)
			name[i] = (char)rnd64(&R);
	} else {
		fill_random(name, RTE_KNI_NAMESIZE);
	}
}

/* ---- VERSION ---- */

static void op_version(int slot)
{
	struct fz_ctx *x = &ctxs[fds[slot].ctx];
	struct rte_kni_version v = { .abi_version = RTE_KNI_ABI_VERSION }, *p;
	__u32 features;
	static const struct field fields[] = { { 0, 4 }, { 4, 4 } };
	enum place pl = pick_place(&R);
	const char *how;
	char what[160];
	struct expect e;
	int err;

	/* mostly a library that has every feature, as ours does */
	if (chance(&R, 70))
		v.features = RTE_KNI_FEATURES;
	how = mutate(&v, sizeof(v), fields, 2, 40);
	features = v.features;
	if (pl == PL_RDONLY || place_unreadable(pl))
		e = exp_one(EFAULT);
	else if (v.abi_version == RTE_KNI_ABI_VERSION)
		e = exp_one(0);
	else
		e = exp_one(EPROTO);
	p = arg_place(pl, &v, sizeof(v));
	err = fz_ioctl(&S, C_VERSION, fds[slot].fd, RTE_KNI_IOC_VERSION, p);
	snprintf(what, sizeof(what), "VERSION(abi %u, %s, arg %s) on file %d",
		 v.abi_version, how, place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (!err) {
		x->abi_ok = true;
		x->features = features & RTE_KNI_FEATURES;
	}
	if ((err == 0 || err == EPROTO) && (pl == PL_NORMAL || pl == PL_PAGE_END)) {
		struct rte_kni_version out;

		/* the features both sides have: ours, as far as it has them */
		memcpy(&out, p, sizeof(out));
		if (out.abi_version != RTE_KNI_ABI_VERSION ||
		    out.features != (features & RTE_KNI_FEATURES))
			finding("%s: kernel reported abi %u features %#x for %#x", what,
				out.abi_version, out.features, features);
	}
}

/* ---- REG_MEM ---- */

#define TASK_SIZE_4L	((1ULL << 47) - 4096)
#define TASK_SIZE_5L	((1ULL << 56) - 4096)

static void reg_pick(struct fz_ctx *x, struct rte_kni_mem_region *r)
{
	unsigned int k = rnd_below(&R, 100);
	__u64 base = (__u64)(uintptr_t)arena;

	r->addr = base + rnd_below(&R, ARENA_PAGES) * pg;
	if (chance(&R, 50))
		r->addr += rnd_below(&R, pg);
	r->len = chance(&R, 70) ? 1 + rnd_below(&R, 2 * pg) : 1 + rnd_below(&R, 24 * pg);

	if (k < 45)
		return;			/* somewhere in the arena */
	if (k < 52) {			/* exactly around a hole, RO or NONE page */
		static const unsigned int spots[] = { HOLE_A, HOLE_B, RO_LO, RO_HI,
						      NONE_PG, NONE_PG + 1, ARENA_PAGES };
		r->addr = base + spots[rnd_below(&R, 7)] * pg - pg + rnd_below(&R, 2 * pg);
		r->len = 1 + rnd_below(&R, 3 * pg);
	} else if (k < 60 && x->nreg) {	/* overlap or touch a registered one */
		const struct region *o = &x->reg[rnd_below(&R, x->nreg)];

		switch (rnd_below(&R, 4)) {
		case 0: *r = (struct rte_kni_mem_region){ o->addr, o->len }; break;
		case 1: r->addr = o->addr + o->len - 1; break;
		case 2: r->addr = o->addr + o->len; break;	/* adjacent: fine */
		default: r->addr = o->addr - 1; r->len = 2; break;
		}
	} else if (k < 63) {
		/* the kernel's own ring pages, mapped into us */
		int m = rnd_below(&R, MAX_MAPS);

		if (maps[m].used) {
			r->addr = (__u64)(uintptr_t)maps[m].addr + rnd_below(&R, maps[m].len);
			r->len = 1 + rnd_below(&R, maps[m].len);
		}
	} else if (k < 66) {
		r->addr = (__u64)(uintptr_t)shm_area + rnd_below(&R, shm_len);
		r->len = 1 + rnd_below(&R, shm_len);
	} else if (k < 72 && huge_area) {
		r->addr = (__u64)(uintptr_t)huge_area + rnd_below(&R, huge_len);
		r->len = 1 + rnd_below(&R, huge_len / 4);
	} else if (k < 76) {
		r->len = 0;
	} else if (k < 80) {
		r->len = (4ULL << 30) + (chance(&R, 50) ? 0 : 1);
	} else if (k < 83) {
		r->addr = ~0ULL - rnd_below(&R, 100);
	} else if (k < 86) {
		r->addr = TASK_SIZE_4L - rnd_below(&R, 2 * pg);
	} else if (k < 88) {
		r->addr = 0xffff888000000000ULL;
	} else if (k < 90) {
		r->addr = rnd_below(&R, 4096);
	} else {
		static const struct field fields[] = { { 0, 8 }, { 8, 8 } };

		mutate(r, sizeof(*r), fields, 2, 100);
	}
}

static void op_reg_mem(int slot)
{
	struct fz_ctx *x = &ctxs[fds[slot].ctx];
	struct rte_kni_mem_region r, *p;
	enum place pl = pick_place(&R);
	struct expect e = { 0 };
	char what[160];
	__u64 end;
	unsigned int i;
	bool overlap = false;
	int err;

	reg_pick(x, &r);
	end = r.addr + r.len;
	if (!x->abi_ok) {
		exp_add(&e, EPROTO);
	} else if (place_unreadable(pl)) {
		exp_add(&e, EFAULT);
	} else if (!r.len || r.len > (4ULL << 30) || end < r.addr || end > TASK_SIZE_5L) {
		exp_add(&e, EINVAL);
	} else if (end > TASK_SIZE_4L) {
		/* TASK_SIZE depends on 4- or 5-level paging */
		exp_add(&e, EINVAL);
		exp_add(&e, EFAULT);
	} else {
		for (i = 0; i < x->nreg; i++)
			if (r.addr < x->reg[i].addr + x->reg[i].len &&
			    x->reg[i].addr < end)
				overlap = true;
		if (overlap) {
			exp_add(&e, EEXIST);
		} else if (x->nreg == RTE_KNI_MAX_REGIONS) {
			exp_add(&e, ENOSPC);
		} else {
			switch (range_state(r.addr, r.len)) {
			case PS_GOOD: exp_add(&e, 0); break;
			case PS_BAD: exp_add(&e, EFAULT); break;
			default: exp_add(&e, 0); exp_add(&e, EFAULT); break;
			}
			exp_add(&e, ENOMEM);
			/* the kernel's own ring pages are no packet memory */
			if (range_in_maps(r.addr, r.len)) {
				exp_clear(&e);
				exp_add(&e, EOPNOTSUPP);
				exp_add(&e, EFAULT);
			}
		}
	}
	p = arg_place(pl, &r, sizeof(r));
	err = fz_ioctl(&S, C_REG_MEM, fds[slot].fd, RTE_KNI_IOC_REG_MEM, p);
	snprintf(what, sizeof(what), "REG_MEM(0x%llx, %llu, arg %s) on file %d (%u regions)",
		 (unsigned long long)r.addr, (unsigned long long)r.len,
		 place_names[pl], x->id, x->nreg);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (!err && x->nreg < RTE_KNI_MAX_REGIONS) {
		x->reg[x->nreg].addr = r.addr;
		x->reg[x->nreg].len = r.len;
		x->nreg++;
		n_regions++;
		for (i = 0; i < MAX_MAPS; i++)
			if (maps[i].used && r.addr >= (__u64)(uintptr_t)maps[i].addr &&
			    r.addr < (__u64)(uintptr_t)maps[i].addr + maps[i].len)
				n_ring_regions++;	/* the kernel's own ring pages */
	}
}

/* ---- CREATE ---- */

static const struct field create_fields[] = {
	{ offsetof(struct rte_kni_create, name[0]), 1 },
	{ offsetof(struct rte_kni_create, name[3]), 1 },
	{ offsetof(struct rte_kni_create, name[15]), 1 },
	{ offsetof(struct rte_kni_create, mac_addr[0]), 1 },
	{ offsetof(struct rte_kni_create, pad0), 2 },
	{ offsetof(struct rte_kni_create, flags), 4 },
	{ offsetof(struct rte_kni_create, core_id), 4 },
	{ offsetof(struct rte_kni_create, mtu), 4 },
	{ offsetof(struct rte_kni_create, min_mtu), 4 },
	{ offsetof(struct rte_kni_create, max_mtu), 4 },
	{ offsetof(struct rte_kni_create, ring_size), 4 },
	{ offsetof(struct rte_kni_create, ring_size), 4 },
	{ offsetof(struct rte_kni_create, req_ring_size), 4 },
	{ offsetof(struct rte_kni_create, req_ring_size), 4 },
	{ offsetof(struct rte_kni_create, pad1), 4 },
	{ offsetof(struct rte_kni_create, layout.hdr_size), 2 },
	{ offsetof(struct rte_kni_create, layout.hdr_size), 2 },
	{ offsetof(struct rte_kni_create, layout.buf_addr), 2 },
	{ offsetof(struct rte_kni_create, layout.data_off), 2 },
	{ offsetof(struct rte_kni_create, layout.nb_segs), 2 },
	{ offsetof(struct rte_kni_create, layout.pkt_len), 2 },
	{ offsetof(struct rte_kni_create, layout.data_len), 2 },
	{ offsetof(struct rte_kni_create, layout.buf_len), 2 },
	{ offsetof(struct rte_kni_create, layout.next), 2 },
	{ offsetof(struct rte_kni_create, ifindex), 4 },
	{ offsetof(struct rte_kni_create, mmap_offset), 8 },
};
#define N_CREATE_FIELDS	(sizeof(create_fields) / sizeof(create_fields[0]))

static bool layout_field_ok(__u16 off, __u16 size, __u16 hdr)
{
	return !(off & (size - 1)) && off + size <= hdr;
}

/* kni_layout_check() as documented: aligned fields inside hdr_size. */
static bool layout_valid(const struct rte_kni_mbuf_layout *l)
{
	__u16 h = l->hdr_size;

	return h >= 32 && h <= 4096 &&
	       layout_field_ok(l->buf_addr, 8, h) && layout_field_ok(l->next, 8, h) &&
	       layout_field_ok(l->pkt_len, 4, h) && layout_field_ok(l->data_off, 2, h) &&
	       layout_field_ok(l->nb_segs, 2, h) && layout_field_ok(l->data_len, 2, h) &&
	       layout_field_ok(l->buf_len, 2, h);
}

static bool ring_size_ok(__u32 s)
{
	return s >= RTE_KNI_RING_MIN && s <= RTE_KNI_RING_MAX && !(s & (s - 1));
}

/* Every input field of CREATE within the documented rules? */
static bool create_valid(const struct rte_kni_create *c)
{
	__u32 min = c->min_mtu ? c->min_mtu : 68;
	__u32 max = c->max_mtu ? c->max_mtu : 65535;
	__u32 mtu = c->mtu ? c->mtu : 1500;

	if (!name_valid(c->name))
		return false;
	if (!ring_size_ok(c->ring_size) || !ring_size_ok(c->req_ring_size))
		return false;
	if (c->flags & ~(RTE_KNI_CREATE_FORCE_BIND | RTE_KNI_CREATE_RANDOM_MAC))
		return false;
	if ((c->flags & RTE_KNI_CREATE_FORCE_BIND) &&
	    (c->core_id >= cpus_possible || c->core_id >= 4096 ||
	     !cpu_online_map[c->core_id]))
		return false;
	if (min < 68 || max > 65535 || min > max || mtu < min || mtu > max)
		return false;
	return layout_valid(&c->layout);
}

static void random_layout(struct rte_kni_mbuf_layout *l)
{
	l->hdr_size = 32 + rnd_below(&R, 4096 - 32 + 1);
	l->buf_addr = rnd_below(&R, (l->hdr_size - 8) / 8 + 1) * 8;
	l->next = rnd_below(&R, (l->hdr_size - 8) / 8 + 1) * 8;
	l->pkt_len = rnd_below(&R, (l->hdr_size - 4) / 4 + 1) * 4;
	l->data_off = rnd_below(&R, (l->hdr_size - 2) / 2 + 1) * 2;
	l->nb_segs = rnd_below(&R, (l->hdr_size - 2) / 2 + 1) * 2;
	l->data_len = rnd_below(&R, (l->hdr_size - 2) / 2 + 1) * 2;
	l->buf_len = rnd_below(&R, (l->hdr_size - 2) / 2 + 1) * 2;
}

static void create_base(struct rte_kni_create *c)
{
	memset(c, 0, sizeof(*c));
	pick_name(c->name);
	c->flags = chance(&R, 50) ? RTE_KNI_CREATE_RANDOM_MAC : 0;
	if (chance(&R, 70)) {
		c->mac_addr[0] = 0x02;
		c->mac_addr[5] = (__u8)rnd64(&R);
	} else if (chance(&R, 50)) {
		fill_random(c->mac_addr, 6);	/* maybe multicast: random MAC */
	}
	if (chance(&R, 10)) {
		c->flags |= RTE_KNI_CREATE_FORCE_BIND;
		c->core_id = rnd_below(&R, cpus_possible + 2);
	}
	c->ring_size = 64U << rnd_below(&R, chance(&R, 90) ? 5 : 9);
	c->req_ring_size = 64U << rnd_below(&R, 3);
	if (chance(&R, 40)) {
		c->min_mtu = chance(&R, 50) ? 68 : 0;
		c->max_mtu = chance(&R, 50) ? 9000 : 0;
		c->mtu = 576 + rnd_below(&R, 1500 - 576 + 1);
	}
	if (chance(&R, 80))
		c->layout = dpdk_layout;
	else
		random_layout(&c->layout);
	if (chance(&R, 20))
		fill_random(&c->ifindex, sizeof(*c) - offsetof(struct rte_kni_create, ifindex));
}

static bool is_valid_mac(const __u8 *m)
{
	static const __u8 zero[6];

	return !(m[0] & 1) && memcmp(m, zero, 6);
}

static int sock_ioctl(unsigned long cmd, void *arg)
{
	return ioctl(sock, cmd, arg) ? errno : 0;
}

static int if_mtu(const char *name)
{
	struct ifreq ifr = { 0 };

	memcpy(ifr.ifr_name, name, IFNAMSIZ);
	return sock_ioctl(SIOCGIFMTU, &ifr) ? -1 : ifr.ifr_mtu;
}

static void if_mac(const char *name, __u8 *mac)
{
	struct ifreq ifr = { 0 };

	memcpy(ifr.ifr_name, name, IFNAMSIZ);
	sock_ioctl(SIOCGIFHWADDR, &ifr);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
}

/* The ring layout CREATE and INFO hand out must be usable as it is. */
static void check_rings(const char *what, const struct rte_kni_create *in,
			const struct rte_kni_create *out)
{
	__u64 end[RTE_KNI_RING_COUNT];
	int i, j;

	if (out->mmap_offset != (__u64)out->ifindex << 32 || !out->mmap_size ||
	    out->mmap_size % pg) {
		finding("%s: mmap_offset 0x%llx mmap_size %u for ifindex %d", what,
			(unsigned long long)out->mmap_offset, out->mmap_size, out->ifindex);
		return;
	}
	for (i = 0; i < RTE_KNI_RING_COUNT; i++) {
		const struct rte_kni_ring_off *r = &out->ring[i];
		bool req = i == RTE_KNI_RING_REQ || i == RTE_KNI_RING_RESP;
		__u32 want = req ? in->req_ring_size : in->ring_size;
		__u32 esz = req ? sizeof(struct rte_kni_request) : 8;
		__u64 lo = r->producer;

		end[i] = r->desc + (__u64)r->size * r->entry_size;
		if (r->size != want || r->entry_size != esz ||
		    r->consumer < r->producer + RTE_KNI_CACHE_LINE ||
		    r->flags < r->consumer + RTE_KNI_CACHE_LINE ||
		    r->desc < r->flags + RTE_KNI_CACHE_LINE ||
		    lo % RTE_KNI_CACHE_LINE || end[i] > out->mmap_size) {
			finding("%s: ring %d: prod %llu cons %llu flags %llu desc %llu size %u entry %u (want %u/%u) in %u bytes",
				what, i, (unsigned long long)r->producer,
				(unsigned long long)r->consumer, (unsigned long long)r->flags,
				(unsigned long long)r->desc, r->size, r->entry_size, want, esz,
				out->mmap_size);
			return;
		}
		for (j = 0; j < i; j++)
			if (r->producer < end[j] && out->ring[j].producer < end[i])
				finding("%s: rings %d and %d overlap", what, j, i);
	}
}

static int add_if(int c, const char *cname, int ifindex)
{
	int i;

	for (i = 0; i < MAX_IFS; i++) {
		if (!ifs[i].live) {
			memset(&ifs[i], 0, sizeof(ifs[i]));
			ifs[i].live = true;
			ifs[i].ctx = c;
			ifs[i].seq = ++if_seq;
			memcpy(ifs[i].cname, cname, RTE_KNI_NAMESIZE);
			memcpy(ifs[i].name, cname, IFNAMSIZ);
			ifs[i].ifindex = ifindex;
			note_ifindex(ifindex);
			n_created++;
			return i;
		}
	}
	finding("more than %d interfaces alive", MAX_IFS);
	return -1;
}

static void op_create(int slot)
{
	int c = fds[slot].ctx, i, err, ifindex;
	struct fz_ctx *x = &ctxs[c];
	struct rte_kni_create in, *p;
	enum place pl = pick_place(&R);
	struct expect e = { 0 };
	char what[200], nm[80];
	const char *how;
	bool valid, exists;

	create_base(&in);
	how = mutate(&in, sizeof(in), create_fields, N_CREATE_FIELDS, 45);
	valid = create_valid(&in);
	exists = valid && netdev_exists(in.name);
	if (!x->abi_ok)
		exp_add(&e, EPROTO);
	else if (place_unreadable(pl))
		exp_add(&e, EFAULT);
	else if (!valid)
		exp_add(&e, EINVAL);
	else if (exists)
		exp_add(&e, EEXIST);
	else {
		exp_add(&e, pl == PL_RDONLY ? EFAULT : 0);
		exp_add(&e, ENOMEM);
	}
	p = arg_place(pl, &in, sizeof(in));
	err = fz_ioctl(&S, C_CREATE, fds[slot].fd, RTE_KNI_IOC_CREATE, p);
	name_print(nm, sizeof(nm), in.name);
	snprintf(what, sizeof(what),
		 "CREATE(\"%s\" %s ring %u/%u flags 0x%x mtu %u/%u/%u hdr %u, arg %s) on file %d",
		 nm, how, in.ring_size, in.req_ring_size, in.flags, in.mtu,
		 in.min_mtu, in.max_mtu, in.layout.hdr_size, place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);

	/* Track whatever exists now, expected or not. */
	if (err == 0) {
		struct rte_kni_create out;
		__u8 mac[6];

		memcpy(&out, p, sizeof(out));
		i = add_if(c, in.name, out.ifindex);
		if (i < 0)
			return;
		ifs[i].layout = in.layout;
		ifindex = sys_ifindex(in.name);
		if (ifindex != out.ifindex)
			finding("%s: ifindex %d returned, the interface has %d", what,
				out.ifindex, ifindex);
		check_rings(what, &in, &out);
		ifs[i].mmap_size = out.mmap_size;
		ifs[i].have_rings = true;
		memcpy(ifs[i].ring, out.ring, sizeof(out.ring));
		if (if_mtu(in.name) != (int)(in.mtu ? in.mtu : 1500))
			finding("%s: interface has MTU %d", what, if_mtu(in.name));
		if_mac(in.name, mac);
		if (!is_valid_mac(mac) ||
		    (!(in.flags & RTE_KNI_CREATE_RANDOM_MAC) && is_valid_mac(in.mac_addr) &&
		     memcmp(mac, in.mac_addr, 6)))
			finding("%s: interface MAC %02x:%02x:%02x:%02x:%02x:%02x", what,
				mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	} else if (err == EFAULT && valid && !exists && x->abi_ok && pl == PL_RDONLY) {
		/* Created, but the answer could not be written back. */
		ifindex = sys_ifindex(in.name);
		if (!ifindex)
			finding("%s: EFAULT on the answer, but no interface exists", what);
		else if ((i = add_if(c, in.name, ifindex)) >= 0)
			ifs[i].layout = in.layout;
	} else if (valid && !exists && netdev_exists(in.name)) {
		/* A failed create must leave nothing behind. */
		finding("%s: failed with %s but %s exists", what, errname(err), nm);
		add_if(c, in.name, sys_ifindex(in.name));
	}
}

/* ---- RELEASE ---- */

static void op_release(int slot)
{
	int c = fds[slot].ctx, i, best = -1, cand[MAX_IFS], ncand = 0, gone = 0, err;
	struct fz_ctx *x = &ctxs[c];
	struct rte_kni_release r, *p;
	enum place pl = pick_place(&R);
	struct expect e = { 0 };
	char what[160], nm[80];

	if (chance(&R, 55) && (i = pick_live_if()) >= 0) {
		memset(&r, 0, sizeof(r));
		memcpy(r.name, ifs[i].cname, RTE_KNI_NAMESIZE);
	} else {
		pick_name(r.name);
	}
	if (chance(&R, 10))
		flip_bits(&r, sizeof(r), 1);
	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && ifs[i].ctx == c &&
		    !strncmp(ifs[i].cname, r.name, RTE_KNI_NAMESIZE))
			cand[ncand++] = i;
	if (!x->abi_ok)
		exp_add(&e, EPROTO);
	else if (place_unreadable(pl))
		exp_add(&e, EFAULT);
	else if (!name_valid(r.name))
		exp_add(&e, EINVAL);
	else if (ncand)
		exp_add(&e, 0);
	else
		exp_add(&e, ENODEV);
	p = arg_place(pl, &r, sizeof(r));
	err = fz_ioctl(&S, C_RELEASE, fds[slot].fd, RTE_KNI_IOC_RELEASE, p);
	name_print(nm, sizeof(nm), r.name);
	snprintf(what, sizeof(what), "RELEASE(\"%s\", arg %s) on file %d", nm,
		 place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	/* Exactly one of the candidates (the oldest, by the docs) went away. */
	for (i = 0; i < ncand; i++) {
		if (!ifindex_exists(ifs[cand[i]].ifindex)) {
			gone++;
			if (best < 0 || ifs[cand[i]].seq < ifs[best].seq)
				best = cand[i];
			if_dead(&ifs[cand[i]]);
		}
	}
	if (!err) {
		n_released++;
		if (gone != 1)
			finding("%s: %d of %d candidate interfaces went away", what, gone, ncand);
	} else if (gone) {
		finding("%s: failed with %s but an interface went away", what, errname(err));
	}
}

/* ---- WAKEUP ---- */

static int pick_ifindex(void)
{
	unsigned int x = rnd_below(&R, 100);
	int i;

	if (x < 50 && (i = pick_live_if()) >= 0)
		return ifs[i].ifindex;
	if (x < 62 && n_dead)
		return dead_ifindex[rnd_below(&R, n_dead < 32 ? n_dead : 32)];
	if (x < 70)
		return 1;		/* lo */
	if (x < 75)
		return 0;
	if (x < 80)
		return -1;
	if (x < 84)
		return INT32_MIN;
	if (x < 88)
		return INT32_MAX;
	/* far above anything a run creates (the racer included): nothing there */
	return 0x40000000 + (int)rnd_below(&R, 1 << 20);
}

static void op_wakeup(int slot)
{
	struct fz_ctx *x = &ctxs[fds[slot].ctx];
	struct rte_kni_wakeup w = { 0 }, *p;
	enum place pl = pick_place(&R);
	char what[120];
	struct expect e;
	int err;

	w.ifindex = pick_ifindex();
	w.pad = chance(&R, 20) ? (__u32)rnd64(&R) : 0;
	if (!x->abi_ok)
		e = exp_one(EPROTO);
	else if (place_unreadable(pl))
		e = exp_one(EFAULT);
	else
		e = exp_one(find_if_by_ifindex(w.ifindex) >= 0 ? 0 : ENODEV);
	p = arg_place(pl, &w, sizeof(w));
	err = fz_ioctl(&S, C_WAKEUP, fds[slot].fd, RTE_KNI_IOC_WAKEUP, p);
	snprintf(what, sizeof(what), "WAKEUP(ifindex %d, arg %s) on file %d", w.ifindex,
		 place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
}

/* ---- OFFLOAD ---- */

/* Does [a, a + as) overlap [b, b + bs)? */
static bool overlaps(unsigned int a, unsigned int as, unsigned int b, unsigned int bs)
{
	return a < b + bs && b < a + as;
}

/* The offload words: aligned u64s in the header, over no other field. */
static bool offload_words_valid(const struct rte_kni_mbuf_layout *l, __u16 ol, __u16 tx)
{
	const struct field f[] = {
		{ l->buf_addr, 8 }, { l->next, 8 }, { l->pkt_len, 4 },
		{ l->data_off, 2 }, { l->nb_segs, 2 }, { l->data_len, 2 },
		{ l->buf_len, 2 },
	};
	unsigned int i;

	if ((ol | tx) & 7 || ol + 8 > l->hdr_size || tx + 8 > l->hdr_size ||
	    overlaps(ol, 8, tx, 8))
		return false;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (overlaps(ol, 8, f[i].off, f[i].size) ||
		    overlaps(tx, 8, f[i].off, f[i].size))
			return false;
	return true;
}

static void op_offload(int slot)
{
	/* the ifindex is not mutated: see below */
	static const struct field fields[] = {
		{ 4, 4 }, { 8, 2 }, { 10, 2 }, { 12, 4 },
	};
	int c = fds[slot].ctx, hit;
	struct fz_ctx *x = &ctxs[c];
	struct rte_kni_offload o = { 0 }, *p;
	enum place pl = pick_place(&R);
	struct fz_if *f = NULL;
	char what[160];
	const char *how;
	struct expect e;
	bool valid, applies = false;
	int err, i, own = -1;

	/* mostly one of this file's own: only those can take offloads */
	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && ifs[i].ctx == c && (own < 0 || chance(&R, 50)))
			own = i;
	o.ifindex = own >= 0 && chance(&R, 70) ? ifs[own].ifindex : pick_ifindex();
	hit = find_if_by_ifindex(o.ifindex);
	if (hit >= 0)
		f = &ifs[hit];
	o.offloads = rnd_below(&R, RTE_KNI_OFL_ALL + 1);
	/* DPDK's places, or another interface's: offsets are per interface */
	o.ol_flags = f && f->ol_set && chance(&R, 70) ? f->ol_flags : 24;
	o.tx_offload = f && f->ol_set && chance(&R, 70) ? f->tx_offload : 72;
	/*
	 * Not the ifindex: pick_ifindex() covers its space, and a mutated
	 * one may name an interface of the racer, which the model does not
	 * know (the kernel answers EPERM where it expects ENODEV).
	 */
	i = o.ifindex;
	how = mutate(&o, sizeof(o), fields, 4, 40);
	o.ifindex = i;
	valid = !(o.offloads & ~RTE_KNI_OFL_ALL) && !o.pad && f &&
		offload_words_valid(&f->layout, o.ol_flags, o.tx_offload);
	if (!x->abi_ok)
		e = exp_one(EPROTO);
	else if (!(x->features & RTE_KNI_FEAT_OFFLOAD))
		e = exp_one(EOPNOTSUPP);
	else if (place_unreadable(pl))
		e = exp_one(EFAULT);
	else if (!f)
		e = exp_one(ENODEV);
	else if (f->ctx != c)
		e = exp_one(EPERM);
	else if (!valid)
		e = exp_one(EINVAL);
	else if (f->ol_set && (o.ol_flags != f->ol_flags || o.tx_offload != f->tx_offload))
		e = exp_one(EBUSY);
	else {
		/* read-only: applied, then the answer cannot be written */
		e = exp_one(pl == PL_RDONLY ? EFAULT : 0);
		applies = true;
	}
	p = arg_place(pl, &o, sizeof(o));
	err = fz_ioctl(&S, C_OFFLOAD, fds[slot].fd, RTE_KNI_IOC_OFFLOAD, p);
	snprintf(what, sizeof(what),
		 "OFFLOAD(ifindex %d %s offloads %#x at %u/%u, arg %s) on file %d",
		 o.ifindex, how, o.offloads, o.ol_flags, o.tx_offload,
		 place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (!applies || err != e.code[0])
		return;
	f->ol_set = true;
	f->ol_flags = o.ol_flags;
	f->tx_offload = o.tx_offload;
	if (!err) {
		struct rte_kni_offload out;

		/* on: what was asked, but LRO needs the checksums (GRO_HW) */
		memcpy(&out, p, sizeof(out));
		if (out.offloads & ~o.offloads ||
		    (o.offloads & ~RTE_KNI_OFL_LRO) & ~out.offloads)
			finding("%s: %#x on", what, out.offloads);
	}
}

/* ---- INFO ---- */

static void op_info(int slot)
{
	struct fz_ctx *x = &ctxs[fds[slot].ctx];
	struct rte_kni_create in, *p;
	enum place pl = pick_place(&R);
	int i, ncand = 0, err, hit = -1;
	struct expect e = { 0 };
	char what[160], nm[80];

	fill_random(&in, sizeof(in));		/* only the name is input */
	if (chance(&R, 55) && (i = pick_live_if()) >= 0)
		memcpy(in.name, ifs[i].cname, RTE_KNI_NAMESIZE);
	else
		pick_name(in.name);
	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && !strncmp(ifs[i].cname, in.name, RTE_KNI_NAMESIZE))
			ncand++;
	if (!x->abi_ok)
		exp_add(&e, EPROTO);
	else if (place_unreadable(pl))
		exp_add(&e, EFAULT);
	else if (!name_valid(in.name) || !ncand)
		exp_add(&e, ENODEV);
	else
		exp_add(&e, pl == PL_RDONLY ? EFAULT : 0);
	p = arg_place(pl, &in, sizeof(in));
	err = fz_ioctl(&S, C_INFO, fds[slot].fd, RTE_KNI_IOC_INFO, p);
	name_print(nm, sizeof(nm), in.name);
	snprintf(what, sizeof(what), "INFO(\"%s\", arg %s) on file %d", nm,
		 place_names[pl], x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (err)
		return;

	memcpy(&in, p, sizeof(in));
	for (i = 0; i < MAX_IFS; i++)
		if (ifs[i].live && ifs[i].ifindex == in.ifindex &&
		    !strncmp(ifs[i].cname, in.name, RTE_KNI_NAMESIZE))
			hit = i;
	if (hit < 0) {
		finding("%s: answered ifindex %d, not an interface of that name", what,
			in.ifindex);
		return;
	}
	if (in.mmap_offset != (__u64)in.ifindex << 32 ||
	    (ifs[hit].have_rings && (in.mmap_size != ifs[hit].mmap_size ||
				     memcmp(in.ring, ifs[hit].ring, sizeof(in.ring)))))
		finding("%s: rings differ from what CREATE said", what);
	if (!ifs[hit].have_rings) {
		ifs[hit].mmap_size = in.mmap_size;
		memcpy(ifs[hit].ring, in.ring, sizeof(in.ring));
		ifs[hit].have_rings = true;
	}
}

/* ---- unknown commands ---- */

static const unsigned long valid_cmds[] = {
	RTE_KNI_IOC_VERSION, RTE_KNI_IOC_REG_MEM, RTE_KNI_IOC_CREATE,
	RTE_KNI_IOC_RELEASE, RTE_KNI_IOC_WAKEUP, RTE_KNI_IOC_INFO,
	RTE_KNI_IOC_LINK, RTE_KNI_IOC_MC_LIST, RTE_KNI_IOC_OFFLOAD,
};
#define N_VALID_CMDS	(sizeof(valid_cmds) / sizeof(valid_cmds[0]))

/* Magics the VFS answers itself (fs/ioctl.c): FIFREEZE and friends. */
static bool vfs_magic(unsigned int type)
{
	return type == 0x00 || type == 0x15 || type == 'T' || type == 'X' ||
	       type == 'f' || type == 0x94;
}

static void op_raw(int slot)
{
	struct fz_ctx *x = &ctxs[fds[slot].ctx];
	unsigned int k = rnd_below(&R, 100), i, dir, nr, size, type;
	unsigned long cmd;
	char what[120];
	struct expect e;
	int err;

	do {
		dir = rnd_below(&R, 4);
		nr = 1 + rnd_below(&R, 6);
		size = sizeof(struct rte_kni_create);
		type = RTE_KNI_IOC_MAGIC;
		if (k < 30) {
			/* a known number with the wrong size */
			size = rnd_below(&R, 2) ? rnd_below(&R, 512) : rnd_below(&R, 1 << 14);
		} else if (k < 45) {
			/* right size, wrong direction */
			cmd = valid_cmds[rnd_below(&R, N_VALID_CMDS)];
			size = _IOC_SIZE(cmd);
			nr = _IOC_NR(cmd);
		} else if (k < 65) {
			nr = chance(&R, 20) ? 0 : 7 + rnd_below(&R, 249);
			size = rnd_below(&R, 256);
		} else if (k < 85) {
			/* the right number and size, another magic */
			cmd = valid_cmds[rnd_below(&R, N_VALID_CMDS)];
			dir = _IOC_DIR(cmd);
			nr = _IOC_NR(cmd);
			size = _IOC_SIZE(cmd);
			type = rnd_below(&R, 256);
		} else {
			cmd = (unsigned long)(__u32)rnd64(&R);
			dir = _IOC_DIR(cmd);
			nr = _IOC_NR(cmd);
			size = _IOC_SIZE(cmd);
			type = _IOC_TYPE(cmd);
		}
		cmd = _IOC(dir, type, nr, size);
		for (i = 0; i < N_VALID_CMDS; i++)
			if (cmd == valid_cmds[i])
				cmd = 0;
	} while (!cmd || vfs_magic(type));

	/* Anything else: EPROTO before the handshake, ENOTTY after. */
	e = exp_one(x->abi_ok ? ENOTTY : EPROTO);
	fill_random(argbuf, 2 * pg);
	err = fz_ioctl(&S, C_RAW, fds[slot].fd, cmd,
		       chance(&R, 80) ? (void *)argbuf : (void *)(uintptr_t)rnd64(&R));
	snprintf(what, sizeof(what), "ioctl 0x%08lx on file %d", cmd, x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
}

/* ---- files ---- */

static void map_drop(int m);

static void op_open(void)
{
	bool rdonly = chance(&R, 10);
	int slot, c, fd, err, m;

	for (slot = 0; slot < MAX_FDS && fds[slot].fd >= 0; slot++)
		;
	if (slot == MAX_FDS)
		return;
	c = new_ctx(rdonly);
	if (c < 0) {
		/* Every file slot is held by mappings alone: let one go. */
		for (m = 0; m < MAX_MAPS; m++)
			if (maps[m].used) {
				map_drop(m);
				break;
			}
		return;
	}
	call_start = now();
	fd = open("/dev/kni", (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	account(&S, C_OPEN, err);
	trace("open(%s) -> file %d fd %d", rdonly ? "O_RDONLY" : "O_RDWR", ctxs[c].id, fd);
	if (fd < 0) {
		finding("open /dev/kni: %s", errname(err));
		ctxs[c].used = false;
		return;
	}
	fds[slot].fd = fd;
	fds[slot].ctx = c;
	ctxs[c].nfds = 1;
	if (chance(&R, 70))
		op_version(slot);
}

static void op_dup(int slot)
{
	int i, fd;

	for (i = 0; i < MAX_FDS && fds[i].fd >= 0; i++)
		;
	if (i == MAX_FDS)
		return;
	fd = dup(fds[slot].fd);
	if (fd < 0)
		return;
	trace("dup file %d -> fd %d", ctxs[fds[slot].ctx].id, fd);
	fds[i].fd = fd;
	fds[i].ctx = fds[slot].ctx;
	ctxs[fds[i].ctx].nfds++;
}

static void op_close(int slot)
{
	int c = fds[slot].ctx;

	trace("close fd %d of file %d (%d fds, %d maps)", fds[slot].fd, ctxs[c].id,
	      ctxs[c].nfds, ctxs[c].nmaps);
	call_start = now();
	close(fds[slot].fd);
	account(&S, C_CLOSE, 0);
	fds[slot].fd = -1;
	ctxs[c].nfds--;
	ctx_maybe_release(c);
}

/* ---- mmap ---- */

static void op_mmap(int slot)
{
	int c = fds[slot].ctx, i = -1, ifindex, prot, flags, err, m;
	struct fz_ctx *x = &ctxs[c];
	unsigned int k = rnd_below(&R, 100);
	__u64 off;
	size_t len;
	struct expect e = { 0 };
	char what[160];
	void *a;

	for (m = 0; m < MAX_MAPS && maps[m].used; m++)
		;
	if (m == MAX_MAPS)
		return;
	ifindex = pick_ifindex();
	i = find_if_by_ifindex(ifindex);
	off = (__u64)(__u32)ifindex << 32;
	len = i >= 0 && ifs[i].have_rings ? ifs[i].mmap_size : pg * (1 + rnd_below(&R, 64));
	if (k < 10)
		off += pg * (1 + rnd_below(&R, 4));
	else if (k < 15)
		off = rnd64(&R) & ~((__u64)pg - 1) & 0x7fffffffffffffffULL;
	else if (k < 22)
		len = len > pg ? len - pg : len;
	else if (k < 30)
		len += 1 + rnd_below(&R, 2 * pg);
	else if (k < 33)
		len = 0;
	prot = chance(&R, 80) ? PROT_READ | PROT_WRITE : PROT_READ;
	flags = chance(&R, 85) ? MAP_SHARED : MAP_PRIVATE;

	if (!len)
		exp_add(&e, EINVAL);
	else if (x->rdonly && (flags & MAP_SHARED) && (prot & PROT_WRITE))
		exp_add(&e, EACCES);
	else if (!x->abi_ok)
		exp_add(&e, EPROTO);
	else if (!(flags & MAP_SHARED))		/* a private copy of the rings */
		exp_add(&e, EINVAL);
	else if ((off & 0xffffffffULL) || (off >> 32) > INT32_MAX)
		exp_add(&e, EINVAL);
	else if ((i = find_if_by_ifindex((int)(off >> 32))) < 0)
		exp_add(&e, ENODEV);
	else if (!ifs[i].have_rings) {
		/* created without the answer (EFAULT): size unknown */
		exp_add(&e, 0);
		exp_add(&e, EINVAL);
	} else if (((len + pg - 1) & ~(pg - 1)) > ifs[i].mmap_size)
		exp_add(&e, EINVAL);
	else
		exp_add(&e, 0);

	call_start = now();
	a = mmap(NULL, len, prot, flags, fds[slot].fd, (off_t)off);
	err = a == MAP_FAILED ? errno : 0;
	account(&S, C_MMAP, err);
	snprintf(what, sizeof(what), "mmap(len %zu, off 0x%llx, %s%s) on file %d", len,
		 (unsigned long long)off, prot & PROT_WRITE ? "rw" : "ro",
		 flags & MAP_SHARED ? " shared" : " private", x->id);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (err)
		return;
	maps[m].used = true;
	maps[m].addr = a;
	maps[m].len = len;
	maps[m].ctx = c;
	maps[m].writable = prot & PROT_WRITE;
	maps[m].shared = flags & MAP_SHARED;
	x->nmaps++;
	n_mmaps++;
}

/* Read every page of a mapping, scribble on a few places if writable. */
static void op_touch(void)
{
	int m = rnd_below(&R, MAX_MAPS), i;
	volatile char sink;
	size_t o;

	if (!maps[m].used)
		return;
	for (o = 0; o < maps[m].len; o += pg)
		sink = maps[m].addr[o];
	(void)sink;
	if (maps[m].writable)
		for (i = 0; i < 8; i++)
			maps[m].addr[rnd_below(&R, maps[m].len)] = (char)rnd64(&R);
	n_touch++;
}

static void map_drop(int m)
{
	int c = maps[m].ctx;

	trace("munmap %p (%zu bytes) of file %d", maps[m].addr, maps[m].len, ctxs[c].id);
	munmap(maps[m].addr, maps[m].len);
	maps[m].used = false;
	ctxs[c].nmaps--;
	ctx_maybe_release(c);
}

static void op_munmap(void)
{
	int m = rnd_below(&R, MAX_MAPS);

	if (maps[m].used)
		map_drop(m);
}

/* ---- the interfaces through the ordinary netdev ioctls ---- */

static void op_rename(void)
{
	int i = pick_live_if(), err;
	struct ifreq ifr = { 0 };
	const char *to;
	struct expect e;
	char what[120];

	if (i < 0)
		return;
	to = chance(&R, 70) ?
	     rename_pool[rnd_below(&R, sizeof(rename_pool) / sizeof(rename_pool[0]))] :
	     name_pool[rnd_below(&R, NAME_POOL)];
	memcpy(ifr.ifr_name, ifs[i].name, IFNAMSIZ);
	snprintf(ifr.ifr_newname, IFNAMSIZ, "%s", to);
	if (!strcmp(to, ifs[i].name))
		e = exp_one(0);
	else
		e = exp_one(netdev_exists(to) ? EEXIST : 0);
	err = sock_ioctl(SIOCSIFNAME, &ifr);
	snprintf(what, sizeof(what), "SIOCSIFNAME %s -> %s", ifs[i].name, to);
	trace("%s -> %s", what, errname(err));
	expect_check(what, err, &e);
	if (!err) {
		snprintf(ifs[i].name, IFNAMSIZ, "%s", to);
		n_renames++;
	}
}

static void op_netdev(void)
{
	struct {
		struct ethtool_gstrings hdr;
		__u8 data[64 * ETH_GSTRING_LEN];
	} str;
	struct {
		struct ethtool_stats hdr;
		__u64 data[64];
	} st;
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };
	int i = pick_live_if();

	if (i < 0)
		return;
	memcpy(ifr.ifr_name, ifs[i].name, IFNAMSIZ);
	ifr.ifr_data = (void *)&di;
	if (sock_ioctl(SIOCETHTOOL, &ifr) || strcmp(di.driver, "rte_kni"))
		finding("ETHTOOL_GDRVINFO on %s: driver \"%s\"", ifs[i].name, di.driver);
	if (di.n_stats > 64)
		finding("ETHTOOL_GDRVINFO on %s: %u stats", ifs[i].name, di.n_stats);
	str.hdr = (struct ethtool_gstrings){ .cmd = ETHTOOL_GSTRINGS,
					      .string_set = ETH_SS_STATS };
	ifr.ifr_data = (void *)&str;
	sock_ioctl(SIOCETHTOOL, &ifr);
	st.hdr = (struct ethtool_stats){ .cmd = ETHTOOL_GSTATS };
	ifr.ifr_data = (void *)&st;
	if (sock_ioctl(SIOCETHTOOL, &ifr))
		finding("ETHTOOL_GSTATS on %s failed", ifs[i].name);
}

/* ---- the racer: unchecked calls on its own files, concurrently ---- */

static volatile bool racer_stop;

static void racer_account(enum call c, int err)
{
	pthread_mutex_lock(&racer_lock);
	account(&racer_stats, c, err);
	pthread_mutex_unlock(&racer_lock);
}

static int racer_ioctl(int fd, enum call c, unsigned long cmd, void *arg)
{
	int err = ioctl(fd, cmd, arg) ? errno : 0;

	racer_account(c, err);
	return err;
}

static void *racer(void *arg)
{
	struct rng r = { .s = seed ^ 0x5eed5eed5eedULL };
	struct rte_kni_version v = { .abi_version = RTE_KNI_ABI_VERSION };
	struct rte_kni_create c;
	struct rte_kni_release rel;
	struct rte_kni_wakeup w;
	int fd[2] = { -1, -1 }, i, k, err, recent[8] = { 0 };
	unsigned int nrecent = 0;
	char *a;

	(void)arg;
	while (!racer_stop) {
		i = rnd_below(&r, 2);
		if (fd[i] < 0) {
			fd[i] = open("/dev/kni", O_RDWR | O_CLOEXEC);
			racer_account(C_OPEN, fd[i] < 0 ? errno : 0);
			if (fd[i] >= 0)
				racer_ioctl(fd[i], C_VERSION, RTE_KNI_IOC_VERSION, &v);
			continue;
		}
		k = rnd_below(&r, 100);
		if (k < 4) {
			close(fd[i]);
			racer_account(C_CLOSE, 0);
			fd[i] = -1;
		} else if (k < 20) {
			memset(&c, 0, sizeof(c));
			snprintf(c.name, sizeof(c.name), "kfx%u", rnd_below(&r, 4));
			c.flags = RTE_KNI_CREATE_RANDOM_MAC;
			c.ring_size = 64;
			c.req_ring_size = 64;
			c.layout = dpdk_layout;
			if (!racer_ioctl(fd[i], C_CREATE, RTE_KNI_IOC_CREATE, &c))
				recent[nrecent++ % 8] = c.ifindex;
		} else if (k < 32) {
			memset(&rel, 0, sizeof(rel));
			snprintf(rel.name, sizeof(rel.name), "kfx%u", rnd_below(&r, 4));
			racer_ioctl(fd[i], C_RELEASE, RTE_KNI_IOC_RELEASE, &rel);
		} else if (k < 55) {
			/* mostly interfaces seen lately: alive, or just gone */
			w.ifindex = nrecent && rnd_below(&r, 4) ?
				    recent[rnd_below(&r, nrecent < 8 ? nrecent : 8)] :
				    1 + (int)rnd_below(&r, max_ifindex + 4);
			w.pad = 0;
			racer_ioctl(fd[i], C_WAKEUP, RTE_KNI_IOC_WAKEUP, &w);
		} else {
			/* INFO then mmap through our own file, the owner racing us */
			memset(&c, 0, sizeof(c));
			if (rnd_below(&r, 2))
				snprintf(c.name, sizeof(c.name), "%s",
					 name_pool[rnd_below(&r, NAME_POOL)]);
			else
				snprintf(c.name, sizeof(c.name), "kfx%u", rnd_below(&r, 4));
			err = racer_ioctl(fd[i], C_INFO, RTE_KNI_IOC_INFO, &c);
			if (err || !c.mmap_size)
				continue;
			recent[nrecent++ % 8] = c.ifindex;
			/*
			 * Ring areas are at least two pages: this cannot land
			 * in the main thread's one-page holes.
			 */
			a = mmap(NULL, c.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 fd[i], (off_t)c.mmap_offset);
			racer_account(C_MMAP, a == MAP_FAILED ? errno : 0);
			if (a == MAP_FAILED)
				continue;
			usleep(rnd_below(&r, 2000));
			a[rnd_below(&r, c.mmap_size)] ^= 1;	/* may be a dead interface's */
			munmap(a, c.mmap_size);
		}
	}
	for (i = 0; i < 2; i++)
		if (fd[i] >= 0) {
			close(fd[i]);
			racer_account(C_CLOSE, 0);
		}
	return NULL;
}

/* ---- setup, the loop, and the end ---- */

static unsigned int parse_cpulist(const char *path, bool *map)
{
	char buf[256], *p;
	unsigned int n = 0, lo, hi, i;
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return 1;
	}
	fclose(f);
	for (p = strtok(buf, ",\n"); p; p = strtok(NULL, ",\n")) {
		if (sscanf(p, "%u-%u", &lo, &hi) != 2)
			hi = lo = (unsigned int)strtoul(p, NULL, 10);
		for (i = lo; i <= hi && i < 4096; i++) {
			if (map)
				map[i] = true;
			if (i + 1 > n)
				n = i + 1;
		}
	}
	return n;
}

/* Every rte_kni interface in this namespace, by driver name. */
static int count_kni_netdevs(bool print)
{
	struct if_nameindex *all = if_nameindex(), *p;
	struct ethtool_drvinfo di;
	struct ifreq ifr;
	int n = 0;

	if (!all)
		return -1;
	for (p = all; p->if_index; p++) {
		memset(&ifr, 0, sizeof(ifr));
		memset(&di, 0, sizeof(di));
		di.cmd = ETHTOOL_GDRVINFO;
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", p->if_name);
		ifr.ifr_data = (void *)&di;
		if (!sock_ioctl(SIOCETHTOOL, &ifr) && !strcmp(di.driver, "rte_kni")) {
			n++;
			if (print)
				printf("left behind: %s (ifindex %u)\n", p->if_name, p->if_index);
		}
	}
	if_freenameindex(all);
	return n;
}

static void print_histogram(const char *who, const struct call_stats *st)
{
	int c, e;

	for (c = 0; c < C_COUNT; c++) {
		if (!st->calls[c])
			continue;
		printf("%s %-11s calls=%-7lu secs=%-6.1f", who, call_names[c], st->calls[c],
		       st->secs[c]);
		for (e = 0; e < MAX_ERRNO_SEEN; e++)
			if (st->errs[c][e])
				printf(" %s=%lu", errname(e), st->errs[c][e]);
		putchar('\n');
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kni_fuzz_ioctl [--seed N] [--ops N] [--racer] [--verbose]\n"
		"\n"
		"Random and mutated calls on /dev/kni, each checked against a model of\n"
		"the driver's rules.  Prints the seed (replay with --seed), a histogram\n"
		"of results per command and a summary line\n"
		"  kni_fuzz_ioctl: seed=S ops=N rejected=N unexpected=N ... kni_left=N\n"
		"and exits 1 if any result was unexpected or an interface was left.\n"
		"\n"
		"  --seed N    random seed (default: from the clock)\n"
		"  --ops N     calls to make (default 10000)\n"
		"  --racer     also run unchecked calls from a second thread\n"
		"  --verbose   print every call and its result\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "racer", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long want_ops = 10000;
	bool use_racer = false;
	struct timespec ts;
	pthread_t racer_thread;
	int opt, i, left, slot;
	unsigned int k;
	double t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	seed = (__u64)ts.tv_sec * 1000003ULL ^ (__u64)ts.tv_nsec ^ (__u64)getpid() << 32;
	while ((opt = getopt_long(argc, argv, "s:n:rvh", opts, NULL)) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': want_ops = strtoul(optarg, NULL, 0); break;
		case 'r': use_racer = true; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("kni_fuzz_ioctl: seed %llu (replay: --seed %llu --ops %lu%s)\n",
	       (unsigned long long)seed, (unsigned long long)seed, want_ops,
	       use_racer ? " --racer" : "");
	R.s = seed;

	memory_setup();
	/* Where REG_MEM's good memory lies, to read UNEXPECTED lines by. */
	printf("kni_fuzz_ioctl: arena %p+%zu (anonymous), memfd %p+%zu, hugepages %p+%zu\n",
	       (void *)arena, ARENA_PAGES * pg, (void *)shm_area, shm_len,
	       (void *)huge_area, huge_area ? huge_len : 0);
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cpus_possible = parse_cpulist("/sys/devices/system/cpu/possible", NULL);
	parse_cpulist("/sys/devices/system/cpu/online", cpu_online_map);
	for (i = 0; i < NAME_POOL; i++)
		snprintf(name_pool[i], IFNAMSIZ, "kfz%d", i);
	for (i = 0; i < MAX_FDS; i++)
		fds[i].fd = -1;
	if (count_kni_netdevs(true)) {
		fprintf(stderr, "kni_fuzz_ioctl: rte_kni interfaces exist before the run\n");
		return 2;
	}
	if (use_racer)
		pthread_create(&racer_thread, NULL, racer, NULL);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;
	while (S.ops < want_ops) {
		op_no++;
		slot = pick_fd_slot();
		if (slot < 0 || (open_fds() < 2 && chance(&R, 30))) {
			op_open();
			continue;
		}
		k = rnd_below(&R, 1000);
		/* Too many interfaces: release or close instead of creating. */
		if (live_ifs() > IF_SOFT_CAP && k >= 260 && k < 440)
			k = chance(&R, 85) ? 440 : 994;
		if (k < 35)
			op_open();
		else if (k < 45)
			op_dup(slot);
		else if (k < 125)
			op_version(slot);
		else if (k < 260)
			op_reg_mem(slot);
		else if (k < 440)
			op_create(slot);
		else if (k < 540)
			op_release(slot);
		else if (k < 590)
			op_wakeup(slot);
		else if (k < 620)
			op_offload(slot);
		else if (k < 700)
			op_info(slot);
		else if (k < 790)
			op_raw(slot);
		else if (k < 870)
			op_mmap(slot);
		else if (k < 910)
			op_touch();
		else if (k < 945)
			op_munmap();
		else if (k < 960)
			op_rename();
		else if (k < 980)
			op_netdev();
		else if (k < 985)
			arena_recycle();
		else
			op_close(slot);
	}

	if (use_racer) {
		racer_stop = true;
		pthread_join(racer_thread, NULL);
	}
	/* Close everything; each file's interfaces must go with it. */
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].used && chance(&R, 50))
			map_drop(i);
	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].fd >= 0)
			op_close(i);
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].used)
			map_drop(i);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = ts.tv_sec + ts.tv_nsec / 1e9;

	left = count_kni_netdevs(true);
	print_histogram("main ", &S);
	{
		double in_calls = 0;

		for (i = 0; i < C_COUNT; i++)
			in_calls += S.secs[i];
		printf("main  outside the calls (munmap, renames, checks): %.1f s\n",
		       t1 - t0 - in_calls);
	}
	if (use_racer)
		print_histogram("racer", &racer_stats);
	printf("kni_fuzz_ioctl: seed=%llu ops=%lu rejected=%lu unexpected=%lu created=%lu released=%lu regions=%lu ring_regions=%lu mmaps=%lu touches=%lu renames=%lu files_closed=%lu racer_ops=%lu racer_rejected=%lu kni_left=%d secs=%.1f\n",
	       (unsigned long long)seed, S.ops, S.rejected, unexpected, n_created,
	       n_released, n_regions, n_ring_regions, n_mmaps, n_touch, n_renames, n_ctx_released,
	       racer_stats.ops, racer_stats.rejected, left, t1 - t0);
	return unexpected || left ? 1 : 0;
}
