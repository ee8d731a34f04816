/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/ethtool.h as of Linux 7.3, on older kernels (see compat/compat.h).
 */
#ifndef KNI_COMPAT_LINUX_ETHTOOL_H
#define KNI_COMPAT_LINUX_ETHTOOL_H

#include_next <linux/ethtool.h>

/*
 * 5.17 gave get_ringparam() the kernel's own ring parameters and an extack
 * after the struct ethtool_ringparam: the arguments that follow it.
 */
#ifdef KNI_COMPAT_NO_KERNEL_RINGPARAM
#define KNI_ETHTOOL_RINGPARAM_ARGS
#else
#define KNI_ETHTOOL_RINGPARAM_ARGS	, struct kernel_ethtool_ringparam *kring, \
					  struct netlink_ext_ack *extack
#endif

#endif /* KNI_COMPAT_LINUX_ETHTOOL_H */
