# SPDX-License-Identifier: GPL-2.0
#
# How every object built from the driver's sources is compiled against the
# kernel at hand: included by driver/Kbuild and kunit/Makefile, with
# kni_compat set to this directory.
#
# The compat layer (compat.h, force-included, and the shadow headers of
# include/, found before the kernel's own) maps the newest kernel API onto
# the kernel being built against.  What that kernel has is probed here from
# the text of its headers, because distributions backport: each probe looks
# for the old API, whose text no longer changes, so a kernel newer than any
# probe gets the new API.

include $(kni_compat)/kernels.mk

kni_version_words = -D$(1)_MAJOR=$(word 1,$(subst ., ,$(2))) -D$(1)_MINOR=$(word 2,$(subst ., ,$(2)))

NOSTDINC_FLAGS += -I$(kni_compat)/include
ccflags-y += -include $(kni_compat)/compat.h
ccflags-y += $(call kni_version_words,KNI_KERNEL_MIN,$(KNI_KERNEL_MIN))
ccflags-y += $(call kni_version_words,KNI_KERNEL_MAX,$(KNI_KERNEL_MAX))

# kni_probe HEADER,EXTENDED-REGEX,FLAG: -DFLAG if the regex matches the
# header (as one string, so a regex can span lines with [[:space:]]).
# kni_probe_not: -DFLAG if it does not.
kni_probe = $(shell grep -qszE '$(2)' $(srctree)/include/$(1) && echo -D$(3))
kni_probe_not = $(shell grep -qszE '$(2)' $(srctree)/include/$(1) || echo -D$(3))

# netif_napi_add() lost its weight argument in 6.1.
ccflags-y += $(call kni_probe,linux/netdevice.h,void netif_napi_add\(struct net_device \*dev[^;]*int weight\);,KNI_COMPAT_NAPI_ADD_WEIGHT)
# Threaded NAPI: none before 5.12, then a bool before it became a mode.
ccflags-y += $(call kni_probe_not,linux/netdevice.h,dev_set_threaded,KNI_COMPAT_NO_THREADED_NAPI)
ccflags-y += $(call kni_probe,linux/netdevice.h,int dev_set_threaded\(struct net_device \*dev,[[:space:]]*bool threaded\);,KNI_COMPAT_THREADED_BOOL)
# The "stays in its namespace" flag: netns_immutable (6.15, 6.12.y), the
# netns_local bit (6.12), the NETIF_F_NETNS_LOCAL feature before.
ifeq ($(shell grep -qs 'netns_immutable:1' $(srctree)/include/linux/netdevice.h && echo y),)
ccflags-y += $(call kni_probe,linux/netdevice.h,netns_local:1,KNI_COMPAT_NETNS_LOCAL_BIT)
ccflags-y += $(call kni_probe,linux/netdev_features.h,define NETIF_F_NETNS_LOCAL,KNI_COMPAT_NETNS_LOCAL_FEATURE)
endif
# struct pci_driver has no dev_groups of its own (5.10): the device_driver's
# are set instead, which later kernels overwrite with the pci_driver's.
ccflags-y += $(call kni_probe_not,linux/pci.h,const struct attribute_group \*\*dev_groups;,KNI_COMPAT_NO_PCI_DEV_GROUPS)
# vm_flags_set(), vm_flags_clear() and their siblings came with 6.3.
ccflags-y += $(call kni_probe_not,linux/mm.h,void vm_flags_clear.struct vm_area_struct,KNI_COMPAT_NO_VM_FLAGS_CLEAR)
# dev_set_mac_address_user() took a struct sockaddr before it took storage.
ccflags-y += $(call kni_probe,linux/netdevice.h,int dev_set_mac_address_user.struct net_device \*dev. struct sockaddr \*sa,KNI_COMPAT_SET_MAC_SOCKADDR)
# get_ringparam() gained struct kernel_ethtool_ringparam and an extack in 5.17.
ccflags-y += $(call kni_probe_not,linux/ethtool.h,struct kernel_ethtool_ringparam,KNI_COMPAT_NO_KERNEL_RINGPARAM)
# struct folio and page_folio() came with 5.16.
ccflags-y += $(call kni_probe_not,linux/page-flags.h,define page_folio,KNI_COMPAT_NO_FOLIO)
