// SPDX-License-Identifier: GPL-2.0
/*
 * kni_mem.c - registered packet memory.
 *
 * The application registers its mempool memory once.  We pin the pages
 * (FOLL_LONGTERM: they stay put for as long as the file is open) and map
 * them contiguously with vmap(), so translating a user address found in a
 * ring is a bounds check and an add: no page-table walk per packet, and no
 * difference between hugepages and 4 KiB pages, IOVA=PA and IOVA=VA.
 * Pinned pages are charged to the locked memory of the process that
 * opened the file.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kni.h"

static bool kni_range_overlaps(const struct kni_region *r, u64 uaddr, u64 len)
{
	return uaddr < r->uaddr + r->len && r->uaddr < uaddr + len;
}

/*
 * Anonymous memory, hugetlbfs and shmem (memfd, /dev/shm) are what DPDK
 * maps.  Anything else is a file's page cache, which a long-term pin would
 * let us write behind its filesystem's back.  Asked of the pinned pages,
 * not of the mappings, so that nothing can change between check and pin.
 */
static bool kni_page_registrable(struct page *page)
{
	/* shmem's pages are swap-backed; a file's page cache is not. */
	return folio_test_anon(page_folio(page)) ||
	       folio_test_hugetlb(page_folio(page)) ||
	       folio_test_swapbacked(page_folio(page));
}

/*
 * The long-term pin stopped at the page at @uaddr.  Newer kernels refuse
 * to pin a file's page cache long-term themselves, with EFAULT; say which
 * it was: EOPNOTSUPP for a page we would refuse anyway, EFAULT for a hole
 * or a read-only page.
 */
static int kni_mem_why_not(unsigned long uaddr)
{
	struct page *page;
	bool ours;

	if (pin_user_pages_fast(uaddr, 1, FOLL_WRITE, &page) != 1)
		return -EFAULT;
	ours = kni_page_registrable(page);
	unpin_user_page(page);
	return ours ? -EFAULT : -EOPNOTSUPP;
}

/*
 * Pages pinned per call.  5.10's long-term pin kcalloc()s one pointer per
 * page, and the page allocator warns when that array exceeds its largest
 * order (4 MiB of pointers: a 2 GiB region of 4 KiB pages).  512 pages
 * keep the array in one page and bound the time between scheduling points.
 */
#define KNI_PIN_BATCH	512UL

/*
 * Pin @npages pages from @start, writable and long-term, into @pages.
 * *@pinned says how many were, even on error; a short pin stops at the
 * first page that could not be pinned.
 */
static int kni_mem_pin(unsigned long start, unsigned long npages,
		       struct page **pages, unsigned long *pinned)
{
	unsigned long done = 0, want;
	int n;

	while (done < npages) {
		want = min(npages - done, KNI_PIN_BATCH);
		n = pin_user_pages_fast(start + (done << PAGE_SHIFT), want,
					FOLL_WRITE | FOLL_LONGTERM, pages + done);
		if (n < 0) {
			*pinned = done;
			return n;
		}
		done += n;
		if (n < want)
			break;
		cond_resched();
	}
	*pinned = done;
	return 0;
}

/* At open: the opener's process pays for what the file pins. */
void kni_mem_init(struct kni_mem *mem)
{
	mem->mm = current->mm;
	mmgrab(mem->mm);
}

/*
 * Charge the pages of region @r to the opener's locked_vm (VmLck), as VFIO
 * does for the pages it pins: within RLIMIT_MEMLOCK unless the caller may
 * lock memory anyway (CAP_IPC_LOCK, as DPDK with hugepages runs).
 */
static int kni_mem_charge(struct kni_mem *mem, struct kni_region *r)
{
	int err;

	if (!mmget_not_zero(mem->mm))
		return -ESRCH;		/* the opener is exiting */
	err = account_locked_vm(mem->mm, r->npages, true);
	mmput(mem->mm);
	return err;
}

static void kni_mem_uncharge(struct kni_mem *mem, struct kni_region *r)
{
	/* An opener that exited took its locked_vm with it. */
	if (!mmget_not_zero(mem->mm))
		return;
	account_locked_vm(mem->mm, r->npages, false);
	mmput(mem->mm);
}

/* Caller holds the owning ctx->lock, which serialises writers. */
int kni_mem_register(struct kni_mem *mem, u64 uaddr, u64 len)
{
	unsigned long start, npages, pinned;
	struct kni_region *r;
	struct page **pages;
	unsigned int i;
	void *vaddr;
	int err;

	if (!len || len > RTE_KNI_MAX_REGION_LEN || uaddr + len < uaddr ||
	    uaddr + len > TASK_SIZE)
		return -EINVAL;
	for (i = 0; i < mem->nr; i++)
		if (kni_range_overlaps(&mem->region[i], uaddr, len))
			return -EEXIST;
	if (mem->nr == RTE_KNI_MAX_REGIONS)
		return -ENOSPC;

	r = &mem->region[mem->nr];
	start = uaddr & PAGE_MASK;
	npages = (PAGE_ALIGN(uaddr + len) - start) >> PAGE_SHIFT;
	r->npages = npages;
	err = kni_mem_charge(mem, r);
	if (err)
		return err;
	err = -ENOMEM;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		goto err_uncharge;

	err = kni_mem_pin(start, npages, pages, &pinned);
	if (err && err != -EFAULT)
		goto err_unpin;
	if (pinned != npages) {
		err = kni_mem_why_not(start + (pinned << PAGE_SHIFT));
		goto err_unpin;
	}
	err = -EOPNOTSUPP;
	for (i = 0; i < npages; i++)
		if (!kni_page_registrable(pages[i]))
			goto err_unpin;

	err = -ENOMEM;
	vaddr = vmap(pages, npages, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		goto err_unpin;

	r->uaddr = uaddr;
	r->len = len;
	r->vaddr = vaddr;
	r->kva = vaddr + (uaddr - start);
	r->pages = pages;
	/* Publish the filled-in region; pairs with the acquire in xlate. */
	smp_store_release(&mem->nr, mem->nr + 1);
	return 0;

err_unpin:
	unpin_user_pages(pages, pinned);
	kvfree(pages);
err_uncharge:
	kni_mem_uncharge(mem, r);
	return err;
}

/* Only once nothing can look regions up any more (file release). */
void kni_mem_release(struct kni_mem *mem)
{
	unsigned int i;

	for (i = 0; i < mem->nr; i++) {
		struct kni_region *r = &mem->region[i];

		vunmap(r->vaddr);
		unpin_user_pages_dirty_lock(r->pages, r->npages, true);
		kvfree(r->pages);
		kni_mem_uncharge(mem, r);
	}
	mem->nr = 0;
	mmdrop(mem->mm);
}

/*
 * Kernel address of [uaddr, uaddr + len) if the whole range lies inside one
 * registered region, else NULL.  Written so no sum can wrap.
 */
void *kni_mem_xlate(const struct kni_mem *mem, u64 uaddr, u64 len)
{
	unsigned int i, nr = smp_load_acquire(&mem->nr);	/* pairs with register */

	for (i = 0; i < nr; i++) {
		const struct kni_region *r = &mem->region[i];

		if (uaddr >= r->uaddr && len <= r->len &&
		    uaddr - r->uaddr <= r->len - len)
			return r->kva + (uaddr - r->uaddr);
	}
	return NULL;
}
