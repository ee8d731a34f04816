/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - force-included into every rte_kni object (see Kbuild).
 *
 * The driver is written against the newest kernel API; this file and the
 * shadow headers in compat/include/ map it onto older kernels.  Version
 * numbers appear only here, and only where no probe is possible.
 */
#ifndef KNI_COMPAT_H
#define KNI_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "rte_kni supports Linux 6.1 and later"
#endif

/* Keep a net_device in the namespace it was created in. */
#if defined(KNI_HAVE_NETNS_IMMUTABLE)
#define kni_netif_set_netns_immutable(dev)	((dev)->netns_immutable = true)
#elif defined(KNI_HAVE_NETNS_LOCAL_BIT)
#define kni_netif_set_netns_immutable(dev)	((dev)->netns_local = true)
#else
#define kni_netif_set_netns_immutable(dev)	((dev)->features |= NETIF_F_NETNS_LOCAL)
#endif

#endif /* KNI_COMPAT_H */
