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

# The release version: ./VERSION is its only source.  dkms.conf, the RPM
# spec, debian/changelog, MODULE_VERSION (driver/Kbuild) and librte_kni.pc
# (lib/Makefile) are all generated from it.
VERSION := $(shell cat $(CURDIR)/VERSION)
NAME    := rte-kni
# Where everything is built (O=DIR): another directory builds the same
# checkout against another DPDK (a release root's, see tests/roots).
O       ?= $(CURDIR)/build
BUILD   := $(abspath $(O))

# Install locations of the parts installed from here; PREFIX, LIBDIR,
# BINDIR, MANDIR given to make install reach lib/ and examples/kni.
UDEVRULESDIR ?= /lib/udev/rules.d
DKMSSRCDIR   ?= /usr/src/$(NAME)-$(VERSION)

.PHONY: all deps check kunit modules stress debug-kernel clean $(SUBDIRS)

# A recipe that fails leaves no half-written target behind.
.DELETE_ON_ERROR:

all: $(SUBDIRS)

$(SUBDIRS):
	$(MAKE) -C $@ O=$(BUILD)

# The test programs link against the library.
tests/apps: $(filter lib,$(SUBDIRS))

deps:
	tests/deps.sh

# deps first, even under make -j: nothing builds without them.
check: deps
	$(MAKE) all
	tests/run $(if $(T),-k '$(T)')

# Every supported release on its own userspace (tests/matrix -h): roots of
# Debian 11, 13 and sid beside this Debian 12, the modules built for every
# kernel package from 5.10 to 7.3, the VM cases on each release's kernels,
# the packages made and installed on each; one table, kept with the logs
# in /var/tmp/rte-kni-build/matrix/DATE.
.PHONY: matrix
matrix: deps
	$(MAKE) all
	tests/matrix $(if $(T),-k '$(T)')

# The KUnit suites in kunit/, on User-Mode Linux and qemu x86_64; the kernel
# tree and builds are kept in /var/tmp/rte-kni-kunit (tests/kunit.sh -h).
kunit: deps
	tests/kunit.sh

modules:
	$(MAKE) -C driver KDIR=$(KDIR)

# Every VM case, with the stress cases (tests/stress/) at full scale and a
# table of their results: on the Debian kernels, or with KERNEL=debug on
# the debug kernel (KASAN,
# kmemleak, lockdep, ...), which is built first if it is missing or stale.
# The debug kernel runs about 7 times slower under TCG, so the cases' time
# limits are 8 times theirs.
KERNEL ?=
DEBUG_DIR ?= /var/tmp/rte-kni-debug
stress: deps
	$(MAKE) all
ifeq ($(KERNEL),debug)
	RTE_KNI_DEBUG_DIR=$(DEBUG_DIR) tests/debug-kernel.sh
	RTE_KNI_KERNEL_ROOT=$(DEBUG_DIR)/root VMRUN_TIME_SCALE=8 \
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

# ---- install ------------------------------------------------------------

# The library, the kni example (as dpdk-kni, with its man page) and the udev
# rules.  One part after the other: each sub-make builds what it installs,
# and two of them building lib/ at once under -j would race.
.PHONY: install install-udev dkms-install
install:
	$(MAKE) -C lib install
	$(MAKE) -C examples/kni install
	$(MAKE) install-udev

install-udev:
	install -d $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 udev/90-rte-kni.rules $(DESTDIR)$(UDEVRULESDIR)/

# The source tree DKMS builds the modules from: dkms.conf, VERSION (Kbuild
# reads it for MODULE_VERSION) and driver/'s sources, without any build
# products an in-tree `make modules` left behind.
DRIVER_SRCS = $(filter-out %.mod.c,$(shell cd driver && \
	find . -name '*.[ch]' -o -name '*.mk' -o -name Kbuild -o -name Makefile | \
	sed 's|^\./||' | LC_ALL=C sort))
dkms-install: $(BUILD)/dkms.conf
	install -d $(DESTDIR)$(DKMSSRCDIR)
	install -m 0644 $(BUILD)/dkms.conf VERSION $(DESTDIR)$(DKMSSRCDIR)/
	for f in $(DRIVER_SRCS); do \
		install -D -m 0644 driver/$$f $(DESTDIR)$(DKMSSRCDIR)/driver/$$f || exit 1; \
	done

# ---- files generated from VERSION -------------------------------------------

# The supported kernels, MIN and MAX as major.minor, and the same range as
# a regex on a kernel release for dkms.conf: 5.10 to 7.3 gives
# ^(5\.(10|11|...|29)|6\.[0-9]+|7\.(0|1|2|3))\.
include driver/compat/kernels.mk
KERNEL_REGEX := $(shell echo $(KNI_KERNEL_MIN) $(KNI_KERNEL_MAX) | awk -F'[ .]' '{ \
	r = ""; \
	for (maj = $$1; maj <= $$3; maj++) { \
		if (maj > $$1 && maj < $$3) { alt = maj "\\.[0-9]+"; } \
		else { \
			lo = maj == $$1 ? $$2 : 0; hi = maj == $$3 ? $$4 : 29; m = ""; \
			for (i = lo; i <= hi; i++) m = m (m == "" ? "" : "|") i; \
			alt = maj "\\.(" m ")"; \
		} \
		r = r (r == "" ? "" : "|") alt; \
	} \
	print "^(" r ")\\." }')

# The facts every template takes from the tree: the version and the
# supported kernel range.
SUBST_FACTS = -e 's|@VERSION@|$(VERSION)|g' -e 's|@KERNEL_MIN@|$(KNI_KERNEL_MIN)|g' \
	      -e 's|@KERNEL_MAX@|$(KNI_KERNEL_MAX)|g'

$(BUILD)/dkms.conf: dkms.conf.in VERSION driver/compat/kernels.mk
	mkdir -p $(BUILD)
	sed $(SUBST_FACTS) -e 's#@KERNEL_REGEX@#$(subst \,\\,$(KERNEL_REGEX))#g' $< >$@

# The changelogs' date is the last commit's, for reproducible packages.
SRC_EPOCH = $(shell echo $${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)})

$(BUILD)/$(NAME).spec: packaging/rpm/$(NAME).spec.in VERSION driver/compat/kernels.mk
	mkdir -p $(BUILD)
	sed $(SUBST_FACTS) -e "s|@RPMDATE@|$$(LC_ALL=C date -u -d @$(SRC_EPOCH) '+%a %b %d %Y')|g" $< >$@

# ---- release tarball and packages -------------------------------------------

# build/rte-kni-VERSION.tar.gz: the tracked files as they are in the work
# tree (git stash create makes a commit of uncommitted changes without
# touching the stash; it prints nothing on a clean tree), plus the generated
# spec, so that `rpmbuild -ta` works on the tarball alone.
TARBALL := $(BUILD)/$(NAME)-$(VERSION).tar.gz
.PHONY: dist deb rpm
dist: $(BUILD)/$(NAME).spec
	@git rev-parse --git-dir >/dev/null 2>&1 || \
		{ echo "make dist: needs a git checkout" >&2; exit 1; }
	tree=$$(git stash create) && \
	git archive --format=tar --prefix=$(NAME)-$(VERSION)/ $${tree:-HEAD} \
		>$(BUILD)/$(NAME)-$(VERSION).tar
	tar -rf $(BUILD)/$(NAME)-$(VERSION).tar --owner=0 --group=0 --numeric-owner \
		-C $(BUILD) --transform 's|^|$(NAME)-$(VERSION)/packaging/rpm/|' $(NAME).spec
	gzip -n -f $(BUILD)/$(NAME)-$(VERSION).tar
	@echo "make dist: $(TARBALL)"

# Debian: packaging/deb is copied to debian/ of the unpacked tarball in
# build/deb, with debian/changelog generated from VERSION; the .debs land
# in build/deb.  The library package is named after the soname, which
# follows the DPDK found here (librte-kni23 on Debian 12, 25 on 13, 26 on
# sid), and its symbols file is made from the library's version script.
# Every symbol has been there since the first release.
DEB_TOP  := $(BUILD)/deb
DEB_DIR   = $(DEB_TOP)/$(NAME)-$(VERSION)/debian
DEB_ABI   = $(shell $(MAKE) -s -C lib O=$(BUILD) print-abi)
DEB_DPDK  = $(shell pkg-config --modversion libdpdk)
DEB_SYMVER := 0.1.0
deb: dist
	rm -rf $(DEB_TOP)
	mkdir -p $(DEB_TOP)
	tar -C $(DEB_TOP) -xzf $(TARBALL)
	ln -s ../$(notdir $(TARBALL)) $(DEB_TOP)/$(NAME)_$(VERSION).orig.tar.gz
	cp -a packaging/deb $(DEB_DIR)
	sed $(SUBST_FACTS) -e "s|@DATE@|$$(LC_ALL=C date -u -R -d @$(SRC_EPOCH))|g" \
		packaging/deb/changelog.in >$(DEB_DIR)/changelog
	rm $(DEB_DIR)/changelog.in
	sed -i $(SUBST_FACTS) -e 's|@ABI@|$(DEB_ABI)|g' -e 's|@DPDK@|$(DEB_DPDK)|g' \
		$(DEB_DIR)/control $(DEB_DIR)/librte-kni.*
	for f in $(DEB_DIR)/librte-kni.*; do \
		mv $$f $(DEB_DIR)/librte-kni$(DEB_ABI).$${f##*.} || exit 1; \
	done
	{ echo "librte_kni.so.$(DEB_ABI) librte-kni$(DEB_ABI) #MINVER#"; \
	  echo "* Build-Depends-Package: librte-kni-dev"; \
	  $(MAKE) -s -C lib O=$(BUILD) print-exports | LC_ALL=C sort | awk -v v=$(DEB_SYMVER) \
		'!($$1 in seen) { seen[$$1]; print " " $$1 "@" $$1, v } { print " " $$2 "@" $$1, v }'; \
	} >$(DEB_DIR)/librte-kni$(DEB_ABI).symbols
	cd $(DEB_TOP)/$(NAME)-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls -1 $(DEB_TOP)/*.deb

# RPM, from the tarball with the spec inside it.  Where rpm's database
# does not know the compiler (Debian: dpkg installed it, rpm's database is
# empty), rpmbuild cannot check BuildRequires and gets --nodeps; tests/deps.sh
# installs the build dependencies there.
RPM_TOP        := $(BUILD)/rpm
RPMBUILD_FLAGS ?= $(if $(shell rpm -q --quiet gcc 2>/dev/null || echo no),--nodeps)
rpm: dist
	rm -rf $(RPM_TOP)
	mkdir -p $(RPM_TOP)
	$(if $(filter --nodeps,$(RPMBUILD_FLAGS)),@echo "make rpm: rpm does not know gcc: rpmbuild --nodeps")
	rpmbuild -ta --define '_topdir $(RPM_TOP)' $(RPMBUILD_FLAGS) $(TARBALL)
	@find $(RPM_TOP)/RPMS $(RPM_TOP)/SRPMS -name '*.rpm' | sort

# The kni example (examples/kni) is part of `all`, after the library.
.PHONY: examples/kni
all: examples/kni
examples/kni: $(filter lib,$(SUBDIRS))
	$(MAKE) -C $@ O=$(BUILD)/examples KNI_BUILD=$(BUILD)

# The classic KNI scenario in a VM: igb_uio bound with dpdk-devbind.py, the
# kni example, ping both ways, iperf3, statistics, PASS/FAIL (tests/demo -h).
.PHONY: demo
demo:
	tests/demo

# rte-kni against net_tap, net_virtio_user and net_af_packet in one VM,
# one table (tests/bench -h).
.PHONY: bench
bench:
	tests/bench
