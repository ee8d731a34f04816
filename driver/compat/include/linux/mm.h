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

#endif /* KNI_COMPAT_LINUX_MM_H */
