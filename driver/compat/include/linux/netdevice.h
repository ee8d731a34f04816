/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/netdevice.h as of Linux 7.3, on older kernels (see compat/compat.h).
 */
#ifndef KNI_COMPAT_LINUX_NETDEVICE_H
#define KNI_COMPAT_LINUX_NETDEVICE_H

#include_next <linux/netdevice.h>

/* 6.1 dropped the weight argument: every driver gets NAPI_POLL_WEIGHT. */
#ifdef KNI_COMPAT_NAPI_ADD_WEIGHT
#define netif_napi_add(dev, napi, poll) \
	netif_napi_add(dev, napi, poll, NAPI_POLL_WEIGHT)
#endif

/*
 * Threaded NAPI came with 5.12 and took a bool until it became a mode
 * (enum netdev_napi_threaded).  Before 5.12 there is none: say so, and the
 * caller leaves NAPI in the softirq of the CPU that schedules it.
 */
#if defined(KNI_COMPAT_NO_THREADED_NAPI) || defined(KNI_COMPAT_THREADED_BOOL)
#define NETDEV_NAPI_THREADED_ENABLED	true
#endif
#ifdef KNI_COMPAT_NO_THREADED_NAPI
static inline int dev_set_threaded(struct net_device *dev, bool threaded)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * Keep a net_device in the namespace it was created in: a bit named
 * netns_immutable since 6.15 (and in 6.12.y), netns_local in 6.12, the
 * NETIF_F_NETNS_LOCAL feature before that.
 */
#if defined(KNI_COMPAT_NETNS_LOCAL_FEATURE)
#define kni_netif_set_netns_immutable(dev)	((dev)->features |= NETIF_F_NETNS_LOCAL)
#elif defined(KNI_COMPAT_NETNS_LOCAL_BIT)
#define kni_netif_set_netns_immutable(dev)	((dev)->netns_local = true)
#else
#define kni_netif_set_netns_immutable(dev)	((dev)->netns_immutable = true)
#endif

/* dev_set_mac_address_user() took a struct sockaddr (6.12 still does). */
#ifdef KNI_COMPAT_SET_MAC_SOCKADDR
#define dev_set_mac_address_user(dev, ss, extack) \
	dev_set_mac_address_user(dev, (struct sockaddr *)(ss), extack)
#endif

#endif /* KNI_COMPAT_LINUX_NETDEVICE_H */
