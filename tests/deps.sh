#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/deps.sh: install what building and testing rte-kni needs on a fresh
# Debian 12, non-interactively.  Packages already installed are skipped, so
# a second run does nothing and takes about a second.
#
# The kernels are discovered, not listed: the newest 6.1.0-N-amd64 and
# 6.12.N+deb12-amd64 images of the archive, each with its headers.

set -u -o pipefail
export DEBIAN_FRONTEND=noninteractive

simulate=()
case ${1:-} in
-n) simulate=(--simulate) ;;	# show what would be installed
-h | --help) echo "Usage: tests/deps.sh [-n]   (-n: dry run)"; exit 0 ;;
esac

# "packages|why", one group a line; KERNELS stands for the discovered kernels.
groups=(
	"build-essential pkg-config|compile the library, the test programs and the modules"
	"gcc-multilib|the 32-bit build of kni_abi_test, for the module's compat_ioctl"
	"libdpdk-dev|DPDK 22.11 headers and libraries that librte_kni builds against"
	"dpdk|dpdk-devbind.py, dpdk-testpmd and the PMDs used by the VM tests"
	"KERNELS|the Debian kernels and headers the modules are built and tested against"
	"qemu-system-x86|boots the Debian kernels for module tests"
	"busybox-static kmod cpio xz-utils zstd|build the VM's initramfs and extract vmlinux"
	"iproute2 iputils-ping ethtool procps|network and process tools the tests run in the VM"
	"iperf3|the TCP throughput run of make demo and of its VM test (the VM sees the host's root)"
	"tcpdump|kni_offload's VM test: segment sizes and checksums on both sides of the rings"
	"linux-perf|make bench: the idle path's kernel time, and the profiles of -g (perf in the VM)"
	"python3|runs dpdk-devbind.py and the kernel's kunit.py"
	"linux-source-6.12|the kernel tree make kunit builds its test kernels from"
	"flex bison bc libelf-dev|kconfig's parsers, and the kernel build's bc and objtool (x86_64)"
	"ccache|keeps make kunit's kernel objects across build directories"
	"debhelper dh-dkms dkms udev lintian|make deb (debhelper, dh_dkms, udev.pc for the rules' path), lintian, and DKMS for the install tests"
	"rpm rpmlint|make rpm (rpmbuild), rpmlint, and rpm for the scriptlet tests"
	"debootstrap|the roots of the other Debian releases (bullseye's compiler, trixie, sid) that make check and make matrix build and boot"
)
kernel_patterns=('6\.1\.0-[0-9]+-amd64' '6\.12\.[0-9]+\+deb12-amd64')

updated=0
apt_update()
{
	((updated)) && return
	echo "deps: apt-get update"
	$sudo apt-get update -q || exit 1
	updated=1
}

# discover_kernels: sets kernel_pkgs to image and headers of the newest
# version of each series that has both in the package lists.
discover_kernels()
{
	local names pat kver

	kernel_pkgs=()
	names=$(apt-cache pkgnames linux- 2>/dev/null)
	for pat in "${kernel_patterns[@]}"; do
		kver=$(grep -E "^linux-(image|headers)-$pat\$" <<<"$names" |
			sed -E 's/^linux-(image|headers)-//' | sort -V | uniq -d | tail -n 1)
		[ -n "$kver" ] || return 1
		kernel_pkgs+=("linux-image-$kver" "linux-headers-$kver")
	done
}

# missing PKG...: prints those not installed.
missing()
{
	local installed

	installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null |
		awk '$2 == "installed" { print $1 }')
	for pkg in "$@"; do
		grep -qx -- "$pkg" <<<"$installed" || echo "$pkg"
	done
}

all_packages()
{
	local g pkgs

	for g in "${groups[@]}"; do
		pkgs=${g%%|*}
		[ "$pkgs" = KERNELS ] && pkgs=${kernel_pkgs[*]}
		echo $pkgs
	done
}

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "deps: not root and no sudo" >&2; exit 1; }
	sudo="sudo -n"
fi

# Package lists may be missing on a fresh machine: fetch them only then, or
# when something has to be installed.
discover_kernels || { apt_update; discover_kernels; } ||
	{ echo "deps: no 6.1 or 6.12 kernel found in the package lists" >&2; exit 1; }
todo=($(missing $(all_packages)))
if ((${#todo[@]})) && ! ((updated)); then
	apt_update
	discover_kernels || exit 1
	todo=($(missing $(all_packages)))
fi

for g in "${groups[@]}"; do
	pkgs=${g%%|*}
	[ "$pkgs" = KERNELS ] && pkgs=${kernel_pkgs[*]}
	state=ok
	for pkg in $pkgs; do
		[[ " ${todo[*]} " = *" $pkg "* ]] && state=install
	done
	printf 'deps: %-7s %s: %s\n' "$state" "$pkgs" "${g#*|}"
done

((${#todo[@]})) || exit 0
$sudo apt-get install "${simulate[@]}" -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${todo[@]}"
