/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/mm.h as of Linux 7.3, on older kernels (see compat/compat.h).
 */
#ifndef KNI_COMPAT_LINUX_MM_H
#define KNI_COMPAT_LINUX_MM_H

#include_next <linux/mm.h>

/* 6.3 made vm_flags read-only outside these helpers (and the mmap lock). */
#ifdef KNI_COMPAT_NO_VM_FLAGS_CLEAR
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * Before folios (5.16) the head page of a compound page carries its flags:
 * the folio tests the driver makes are the head page's.
 */
#ifdef KNI_COMPAT_NO_FOLIO
#define page_folio(p)			compound_head(p)
#define folio_test_anon(f)		PageAnon(f)
#define folio_test_hugetlb(f)		PageHuge(f)
#define folio_test_swapbacked(f)	PageSwapBacked(f)
#endif

#endif /* KNI_COMPAT_LINUX_MM_H */
