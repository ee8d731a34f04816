# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the packaging tests (tests/pkg/deb, tests/pkg/rpm).  They
# install packages on this machine for real, DKMS builds into /usr/src,
# /var/lib/dkms and /lib/modules/*/updates, so most of this file is about
# leaving the machine exactly as it was, also when a check fails half-way:
# pkg_begin records the state, pkg_end (the EXIT trap) undoes whatever the
# test did and fails the test if the state differs afterwards.

set -u -o pipefail
# Never `... | grep -q` here: grep -q stops reading at the first match, and
# under pipefail the writer's SIGPIPE then fails the pipeline now and then.

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$src/tests/lib.sh"

VERSION=$(cat "$src/VERSION")
DKMS_NAME=rte-kni
MODULES=(rte_kni igb_uio)
# The Debian binary packages, debug symbols included.
# The library's soname and package follow the DPDK found here (lib/Makefile).
ABI=$(make -s -C "$src/lib" print-abi) || exit 2
LIBPKG=librte-kni$ABI
DEBS=(rte-kni-dkms rte-kni-udev "$LIBPKG" librte-kni-dev rte-kni-examples
	"$LIBPKG-dbgsym" rte-kni-examples-dbgsym)
APT=(apt-get -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends)
export DEBIAN_FRONTEND=noninteractive

work=${RTE_KNI_BUILD:-/var/tmp/rte-kni-build}/pkg/${0##*/}
state_before=$work/state.before
# Set by the tests when they make something the cleanup must undo.
added_dirs=()		# directories made outside $work (removed unless a package owns them)
rc_body=0

fail()
{
	echo "FAIL: $*"
	exit 1
}

ok()
{
	echo "ok: $*"
}

step()
{
	echo "== $*"
}

expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	ok "$1 = $2"
}

# installed_packages: names of the installed packages, sorted.
installed_packages()
{
	dpkg-query -W -f='${db:Status-Status} ${Package}\n' | awk '$1 == "installed" { print $2 }' | sort -u
}

# state: everything the packaging tests may change, as sorted text.
state()
{
	dpkg-query -W -f='${Package}:${Architecture} ${Version} ${db:Status-Abbrev}\n' |
		grep -v ' [up]n $' | sort
	find /usr/src -maxdepth 1 | sort
	find /var/lib/dkms 2>/dev/null | sort
	find /lib/modules -maxdepth 1 | sort
	find /lib/modules -path '*/updates*' | sort
	find /boot -maxdepth 1 -type f -printf '%p %s %T@\n' | sort
	find /etc/kernel /etc/dkms /etc/udev/rules.d 2>/dev/null | sort
	find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'dkms_rpm_safe_upgrade_lock.*' | sort
}

# dkms_kernels: the kernels DKMS can build for (headers installed), one a
# line, the test's unsupported fake kernel excepted.
dkms_kernels()
{
	local build kver

	for build in /lib/modules/*/build; do
		[ -e "$build/include" ] || continue
		kver=${build%/build}
		kver=${kver##*/}
		[[ $kver = *-rte-kni-test ]] || echo "$kver"
	done
}

# expect_installed VERSION: dkms status and modinfo show both modules of
# VERSION installed for every kernel with headers, and no other version.
expect_installed()
{
	local v=$1 k m f status

	status=$(dkms status -m "$DKMS_NAME" 2>/dev/null)
	echo "$status" | sed 's/^/    dkms status: /'
	for k in $(dkms_kernels); do
		grep -qxF "$DKMS_NAME/$v, $k, $(uname -m): installed" <<<"$status" ||
			fail "dkms status has no '$DKMS_NAME/$v, $k, $(uname -m): installed'"
		for m in "${MODULES[@]}"; do
			f=$(modinfo -k "$k" -F filename "$m" 2>/dev/null)
			[[ $f = /lib/modules/$k/updates/dkms/$m.ko* ]] ||
				fail "modinfo -k $k $m: '$f', not the DKMS module"
			expect_eq "modinfo -k $k -F version $m" "$(modinfo -k "$k" -F version "$m")" "$v"
		done
	done
	grep -v "^$DKMS_NAME/$v, " <<<"$status" | grep . >/dev/null &&
		fail "dkms status lists other versions or states"
	ok "$DKMS_NAME/$v installed for $(dkms_kernels | wc -l) kernel(s), nothing else"
}

# expect_no_trace: nothing of rte-kni left in the DKMS tree, the module
# directories or /usr/src.
expect_no_trace()
{
	local left

	dkms status -m "$DKMS_NAME" 2>/dev/null | grep . >/dev/null && fail "dkms status: $(dkms status -m "$DKMS_NAME")"
	left=$(find /usr/src -maxdepth 1 -name "$DKMS_NAME-*"; find /var/lib/dkms -maxdepth 1 -name "$DKMS_NAME")
	[ -z "$left" ] || fail "left behind: $left"
	left=$(find /lib/modules -path '*/updates/*' \( -name 'rte_kni.ko*' -o -name 'igb_uio.ko*' \))
	[ -z "$left" ] || fail "modules left behind: $left"
	ok "no trace in /usr/src, /var/lib/dkms or /lib/modules/*/updates"
}

# pkg_begin: root, one packaging test at a time, a machine without
# rte-kni, and the state to restore recorded.
pkg_begin()
{
	[ "$(id -u)" = 0 ] || fail "the packaging tests install packages: run them as root"
	mkdir -p "$work" || fail "cannot create $work"
	# One lock for the machine, whatever RTE_KNI_BUILD: the tests of two
	# checkouts share apt, DKMS and /lib/modules.
	exec 9>/run/lock/rte-kni-pkg-tests.lock
	flock -w 3600 9 || fail "another packaging test holds /run/lock/rte-kni-pkg-tests.lock for an hour"
	command -v dkms >/dev/null || fail "dkms is not installed: run tests/deps.sh"
	if dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${DEBS[@]}" dpdk-kmods-dkms 2>/dev/null |
		grep -q '^installed'; then
		fail "rte-kni or dpdk-kmods-dkms packages are installed here; the test would replace them"
	fi
	[ -z "$(find /usr/src -maxdepth 1 -name "$DKMS_NAME-*")" ] && [ ! -e "/var/lib/dkms/$DKMS_NAME" ] ||
		fail "rte-kni is already in /usr/src or /var/lib/dkms; the test would replace it"
	state >"$state_before"
	installed_packages >"$work/packages.before"
	find /var/cache/apt/archives -maxdepth 1 -name '*.deb' | sort >"$work/apt-cache.before"
	had_mok=0
	[ -e /var/lib/dkms/mok.key ] && had_mok=1
	trap 'exit 143' TERM INT HUP
	trap pkg_end EXIT
	cd "$src" || fail "cd $src"
}

# cleanup: undo everything, whatever state the test stopped in.
cleanup()
{
	local installed v k d new

	installed=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${DEBS[@]}" 2>/dev/null |
		awk '$1 != "not-installed" { print $2 }')
	if [ -n "$installed" ]; then
		echo "cleanup: apt-get purge" $installed
		"${APT[@]}" purge $installed >"$work/cleanup-purge.log" 2>&1 ||
			tail -n 20 "$work/cleanup-purge.log"
	fi
	# The rpm test's private database is the test's own; rte-kni may still
	# be in the DKMS tree if a scriptlet failed.
	for d in /var/lib/dkms/"$DKMS_NAME"/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		echo "cleanup: dkms remove $DKMS_NAME/$v --all"
		dkms remove -m "$DKMS_NAME" -v "$v" --all >/dev/null 2>&1
	done
	rm -rf "/var/lib/dkms/$DKMS_NAME" /usr/src/"$DKMS_NAME"-*
	# Modules dkms did not get to remove, and the updates/ dirs it made.
	for k in /lib/modules/*; do
		[ -d "$k/updates" ] || continue
		if find "$k/updates" \( -name 'rte_kni.ko*' -o -name 'igb_uio.ko*' \) | grep . >/dev/null; then
			find "$k/updates" \( -name 'rte_kni.ko*' -o -name 'igb_uio.ko*' \) -delete
			depmod -a "${k##*/}" 2>/dev/null
		fi
		grep -q "^$k/updates" "$state_before" || find "$k/updates" -depth -type d -empty -delete
	done
	# Packages apt installed for the test (a kernel's headers, dependencies),
	# never one that was there before.
	new=$(installed_packages | comm -13 "$work/packages.before" -)
	if [ -n "$new" ]; then
		echo "cleanup: apt-get purge" $new
		"${APT[@]}" purge $new >"$work/cleanup-new.log" 2>&1 || tail -n 20 "$work/cleanup-new.log"
	fi
	# Directories the test made, and what depmod left in the module
	# directories of kernels that are gone again.
	for d in "${added_dirs[@]}" $(find /lib/modules -mindepth 1 -maxdepth 1 | grep -vxF -f "$state_before"); do
		[ -e "$d" ] || continue
		if dpkg -S "$d" >/dev/null 2>&1; then
			echo "cleanup: $d belongs to a package, kept"
			continue
		fi
		echo "cleanup: rm -rf $d"
		rm -rf "$d"
	done
	((had_mok)) || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	# dkms --rpm_safe_upgrade leaves its lock files behind.
	grep -ls "^$DKMS_NAME-" "${TMPDIR:-/tmp}"/dkms_rpm_safe_upgrade_lock.* 2>/dev/null |
		xargs -r rm -f
	find /var/cache/apt/archives -maxdepth 1 -name '*.deb' | sort |
		comm -13 "$work/apt-cache.before" - | xargs -r rm -f
}

pkg_end()
{
	rc_body=$?
	trap - EXIT TERM INT HUP
	step "restore the machine"
	cleanup
	state >"$work/state.after"
	if ! diff -u "$state_before" "$work/state.after" >"$work/state.diff"; then
		cat "$work/state.diff"
		echo "FAIL: the machine is not as it was before the test (above)"
		exit 1
	fi
	ok "the machine is as it was: packages, /usr/src, /var/lib/dkms, /lib/modules, /boot"
	exit "$rc_body"
}
