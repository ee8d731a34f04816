#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run by tests/release-pkg inside a VM that boots a release's kernel on that
# release's own root (writes go to RAM): installs the release's packages
# with its dpkg and dkms, checks that DKMS built both modules for every
# kernel of the root that has its headers and skipped one outside the
# supported range without failing, builds the test programs against the
# installed library with pkg-config, then runs tests/pkg/vm_installed.sh
# (modprobe, udev, traffic, dpdk-kni).
#
# Environment: RTE_KNI_DEBS (the .debs), RTE_KNI_ABI (the soname's
# number), RTE_KNI_VERSION.
export RTE_KNI_BIN=/tmp/bin	# the programs built here
. tests/vm/kni_case.sh
. tests/lib.sh

echo "== $(. /etc/os-release && echo "$PRETTY_NAME"), $(dkms --version), kernel $(uname -r)"
# A kernel outside the range, with real headers: the newest kernel's under
# a release name just above the range.
max_major=${KNI_KERNEL_MAX%.*} max_minor=${KNI_KERNEL_MAX#*.}
outside=$max_major.$((max_minor + 1)).0-rte-kni-test
newest=$(ls -d /lib/modules/*/build | sort -V | tail -n 1)
mkdir "/lib/modules/$outside" && ln -s "$(readlink -f "$newest")" "/lib/modules/$outside/build" ||
	fail "cannot make /lib/modules/$outside"

echo "== dpkg -i"
start=$EPOCHREALTIME
dpkg -i "$RTE_KNI_DEBS"/*.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i"; }
grep -E '^(rte-kni|Building|Skipped|Error)' /tmp/dpkg.log | sed 's/^/    /'
ok "dpkg -i: $(rk_elapsed "$start") s"
for p in rte-kni-dkms rte-kni-udev "librte-kni$RTE_KNI_ABI" librte-kni-dev rte-kni-examples; do
	expect_eq "$p" "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p")" "ii "
done
grep -qx "rte-kni: $outside is outside the supported kernels: skipped" /tmp/dpkg.log ||
	fail "no 'skipped' for $outside in the postinst output"
[ ! -e "/lib/modules/$outside/updates" ] || fail "something was installed for $outside"
ok "$outside (outside $KNI_KERNEL_MIN..$KNI_KERNEL_MAX) skipped, the packages configured"
# What the kernel packages run when headers are installed; dpkg stops the
# package on any non-zero exit of it.
rc=0
/etc/kernel/header_postinst.d/dkms "$outside" >/tmp/hook.log 2>&1 || rc=$?
sed 's/^/    /' /tmp/hook.log
expect_eq "/etc/kernel/header_postinst.d/dkms $outside: exit status" "$rc" 0
rm -rf "/lib/modules/$outside"

n=0
for build in /lib/modules/*/build; do
	[ -e "$build/include" ] || continue
	k=${build%/build}
	k=${k##*/}
	for m in rte_kni igb_uio; do
		f=$(modinfo -k "$k" -F filename "$m" 2>/dev/null)
		[[ $f = /lib/modules/$k/updates/dkms/$m.ko* ]] || fail "modinfo -k $k $m: '$f', not DKMS's"
		expect_eq "modinfo -k $k -F version $m" "$(modinfo -k "$k" -F version "$m")" "$RTE_KNI_VERSION"
	done
	n=$((n + 1))
done
((n > 0)) || fail "no kernel with headers"
ok "DKMS built and installed both modules for the $n kernel(s) with headers"

echo "== the test programs, built against the installed library"
mkdir -p "$RTE_KNI_BIN"
flags=$(pkg-config --cflags --libs librte_kni) || fail "pkg-config --cflags --libs librte_kni"
cc -O2 -o $RTE_KNI_BIN/kni_testapp tests/apps/kni_testapp.c $flags >/tmp/cc.log 2>&1 ||
	{ cat /tmp/cc.log; fail "cc tests/apps/kni_testapp.c \$(pkg-config --cflags --libs librte_kni)"; }
cc -O2 -o $RTE_KNI_BIN/udp_sink tests/apps/udp_sink.c || fail "cc udp_sink"
lib=$(ldd $RTE_KNI_BIN/kni_testapp | awk -v so="librte_kni.so.$RTE_KNI_ABI" '$1 == so { print $3 }')
owner=$(dpkg -S "$(realpath "$lib")" 2>/dev/null | cut -d: -f1)
expect_eq "librte_kni.so.$RTE_KNI_ABI of the program ($lib) comes from" "$owner" "librte-kni$RTE_KNI_ABI"

RTE_KNI_UDEV_RULES=$(dpkg -L rte-kni-udev | grep '/90-rte-kni.rules$') \
	bash tests/pkg/vm_installed.sh
