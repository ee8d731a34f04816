# SPDX-License-Identifier: GPL-2.0
#
# rte-kni top-level Makefile.  It only dispatches: every part builds with its
# own Makefile, and parts that do not exist yet are skipped.

# Userspace parts built by `all`, in dependency order.
SUBDIRS := $(patsubst %/Makefile,%,$(wildcard lib/Makefile tests/apps/Makefile))

# Kernel to build the modules against.  Not the running kernel (this may be a
# machine that cannot load modules): the newest installed headers by default.
KVER ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)
KDIR ?= /lib/modules/$(KVER)/build

# `make check T=REGEX` runs only the matching tests (tests/run -k).
T ?=

.PHONY: all deps check kunit modules stress debug-kernel clean $(SUBDIRS)

all: $(SUBDIRS)

$(SUBDIRS):
	$(MAKE) -C $@

# The test programs link against the library.
tests/apps: $(filter lib,$(SUBDIRS))

deps:
	tests/deps.sh

# deps first, even under make -j: nothing builds without them.
check: deps
	$(MAKE) all
	tests/run $(if $(T),-k '$(T)')

# The KUnit suites in kunit/, on User-Mode Linux and qemu x86_64; the kernel
# tree and builds are kept in /var/tmp/rte-kni-kunit (tests/kunit.sh -h).
kunit: deps
	tests/kunit.sh

modules:
	$(MAKE) -C driver KDIR=$(KDIR)

# The stress cases (tests/stress/) at full scale with a table of results:
# on the Debian kernels, or with KERNEL=debug on the debug kernel (KASAN,
# kmemleak, lockdep, ...), which is built first if it is missing or stale.
KERNEL ?=
DEBUG_DIR ?= /var/tmp/rte-kni-debug
stress: deps
	$(MAKE) all
ifeq ($(KERNEL),debug)
	RTE_KNI_DEBUG_DIR=$(DEBUG_DIR) tests/debug-kernel.sh
	RTE_KNI_KERNEL_ROOT=$(DEBUG_DIR)/root \
	RTE_KNI_KVERS="$$(RTE_KNI_DEBUG_DIR=$(DEBUG_DIR) tests/debug-kernel.sh -r)" \
		tests/run -S $(if $(T),-k '$(T)')
else
	tests/run -S $(if $(T),-k '$(T)')
endif

# A 6.12 kernel with KASAN, kmemleak, lockdep, PROVE_RCU and DEBUG_OBJECTS
# for the VM tests, kept in $(DEBUG_DIR) (tests/debug-kernel.sh -h).
debug-kernel: deps
	RTE_KNI_DEBUG_DIR=$(DEBUG_DIR) tests/debug-kernel.sh

clean:
	for d in $(SUBDIRS) $(patsubst %/Makefile,%,$(wildcard driver/Makefile)); do \
		$(MAKE) -C $$d clean || exit 1; \
	done
	rm -rf build

# The kni example (examples/kni) is part of `all`, after the library.
.PHONY: examples/kni
all: examples/kni
examples/kni: $(filter lib,$(SUBDIRS))
	$(MAKE) -C $@

# The classic KNI scenario in a VM: igb_uio bound with dpdk-devbind.py, the
# kni example, ping both ways, iperf3, statistics, PASS/FAIL (tests/demo -h).
.PHONY: demo
demo:
	tests/demo
