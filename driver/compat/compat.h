/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - force-included into every object built from the driver's
 * sources: both modules and the KUnit suites (see compat.mk).
 *
 * The driver is written against the newest kernel API.  The shadow headers
 * in compat/include/ (found before the kernel's) #include_next the real
 * header and define the new API in terms of the old one where the kernel
 * being built against has the old one.  Whether it has is probed in
 * compat.mk from the text of its headers (distributions backport), never
 * guessed from a version number; the only version numbers are the
 * supported range below, from compat/kernels.mk.
 *
 * Where the new API cannot be expressed in the old one (a struct member),
 * the source tests a KNI_COMPAT_NO_* flag set by compat.mk, and nothing
 * else.
 */
#ifndef KNI_COMPAT_H
#define KNI_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(KNI_KERNEL_MIN_MAJOR, KNI_KERNEL_MIN_MINOR, 0) || \
    LINUX_VERSION_CODE >= KERNEL_VERSION(KNI_KERNEL_MAX_MAJOR, KNI_KERNEL_MAX_MINOR + 1, 0)
#error "rte-kni supports the kernels of driver/compat/kernels.mk only (KNI_KERNEL_MIN..KNI_KERNEL_MAX)"
#endif

#endif /* KNI_COMPAT_H */
