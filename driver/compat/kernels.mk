# SPDX-License-Identifier: GPL-2.0
#
# The kernels rte-kni supports: those the modules build for with no W=1
# warning and pass the VM tests on (make matrix).  Written only here:
# compat/compat.h refuses others, the top Makefile turns the range into
# dkms.conf's BUILD_EXCLUSIVE_KERNEL, and the tests pick their kernels from
# it.  Raise KNI_KERNEL_MAX once a newer kernel builds and passes.
KNI_KERNEL_MIN := 5.10
KNI_KERNEL_MAX := 7.3
