#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug-kernel.sh: the runner behind `make debug-kernel`.  Builds a
# kernel from Debian's linux-source-6.12 with KASAN, kmemleak, lockdep,
# PROVE_RCU, DEBUG_OBJECTS and the rest of tests/debug-kernel.config, for
# the VM harness (tests/vm/vmrun) to boot, and installs it into a kernel
# root outside the checkout:
#
#   ROOT/boot/vmlinux-KVER      the ELF qemu boots through PVH
#   ROOT/boot/cmdline-KVER      kernel arguments vmrun adds for it
#   ROOT/lib/modules/KVER/      modules.builtin etc., and build -> the tree
#                               out-of-tree modules are built against
#
# The tree, the build directory and the ccache are kept, so a second run
# only checks that the kernel is up to date.  Prints the kernel release on
# its last line.

set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

work=${RTE_KNI_DEBUG_DIR:-/var/tmp/rte-kni-debug}
series=6.12

usage()
{
	cat <<EOF
Usage: tests/debug-kernel.sh [-r]

Build (or bring up to date) the debug kernel in $work and print its
release.  The first build takes about an hour on two cores.

  -r   print the release of the installed debug kernel and exit (exit 1
       if there is none)

Environment: RTE_KNI_DEBUG_DIR (default /var/tmp/rte-kni-debug).  The
kernel root is \$RTE_KNI_DEBUG_DIR/root; tests/run and tests/vm/vmrun find
kernels there through RTE_KNI_KERNEL_ROOT.
EOF
}

die()
{
	echo "debug-kernel: $*" >&2
	exit 1
}

installed_release()
{
	local f

	for f in "$work"/root/boot/vmlinux-*; do
		[ -e "$f" ] && [ -d "$work/root/lib/modules/${f##*/vmlinux-}/build" ] &&
			echo "${f##*/vmlinux-}"
	done | sort -V | tail -n 1 | grep .
}

case ${1:-} in
-r) installed_release; exit ;;
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

tarball=/usr/src/linux-source-$series.tar.xz
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null)
missing=()
[ -r "$tarball" ] && [ -n "$pkgver" ] || missing+=("linux-source-$series")
for tool in flex bison bc gcc make xz; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -r /usr/include/gelf.h ] || missing+=(libelf-dev)
[ -r /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
((${#missing[@]} == 0)) || die "missing ${missing[*]}: run tests/deps.sh (make deps)"

rk_lock "$work" debug-kernel || die "cannot create $work"

start=$EPOCHREALTIME
tree=$work/linux-${pkgver//'~'/_}
build=$work/build
rk_extract "$tarball" "$tree" debug-kernel || die "could not extract $tarball"

# Fixes the tests need in the kernel itself (each patch says why), applied
# once: a patch that applies in reverse is in already.
for p in "$here"/debug-kernel.patches/*.patch; do
	[ -e "$p" ] || continue
	patch -d "$tree" -p1 -R --dry-run -s -f <"$p" >/dev/null 2>&1 && continue
	patch -d "$tree" -p1 -s -f <"$p" >/dev/null ||
		die "${p##*/} does not apply to linux-source-$series $pkgver"
	echo "debug-kernel: applied ${p##*/}"
done

make_opts=(-C "$tree" O="$build" -j"$(nproc)")
if command -v ccache >/dev/null; then
	export CCACHE_DIR=$work/ccache CCACHE_BASEDIR=$work
	make_opts+=(CC="ccache gcc")
fi
mkdir -p "$build" || die "cannot create $build"

# ---- configuration: defconfig + kvm_guest.config + ours, checked ----------------

frag=$here/debug-kernel.config
echo "debug-kernel: configuring ($frag)"
make "${make_opts[@]}" -s defconfig >"$build/config.log" 2>&1 &&
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" \
		"$tree/kernel/configs/kvm_guest.config" "$frag" >>"$build/config.log" 2>&1 &&
	make "${make_opts[@]}" -s olddefconfig >>"$build/config.log" 2>&1 ||
	{ tail -n 20 "$build/config.log" >&2; die "configuration failed"; }
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*) want=$line opt=${line%%=*} ;;
	'# CONFIG_'*' is not set') opt=${line#\# } opt=${opt%% *} want="# $opt is not set" ;;
	*) continue ;;
	esac
	got=$(grep -E "^($opt=|# $opt is not set)" "$build/.config")
	if [ "$got" != "$want" ] && ! { [[ $want = "# "* ]] && [ -z "$got" ]; }; then
		echo "debug-kernel: wanted '$want', the kernel has '${got:-nothing}'" >&2
		bad=1
	fi
done <"$frag"
((bad == 0)) || die "$frag does not apply to linux-source-$series $pkgver"

# ---- build, with a progress line a minute -----------------------------------------

echo "debug-kernel: building vmlinux and modules in $build (log: $build/build.log)"
make "${make_opts[@]}" vmlinux modules >"$build/build.log" 2>&1 &
mpid=$!
trap 'kill "$mpid" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
while kill -0 "$mpid" 2>/dev/null; do
	for ((i = 0; i < 60; i++)); do
		kill -0 "$mpid" 2>/dev/null || break 2
		sleep 1
	done
	echo "debug-kernel: $(rk_elapsed "$start")s, $(grep -c '^  CC' "$build/build.log") files compiled"
done
wait "$mpid" || { tail -n 30 "$build/build.log" >&2; die "the build failed"; }
trap - EXIT INT TERM

kver=$(make "${make_opts[@]}" -s kernelrelease) || die "no kernel release"
# vmrun boots the kernel with these (tests/vm/vmrun --help).  acpi=noirq:
# under TCG this kernel interprets the PCI root's _PRT method so slowly
# that ACPICA aborts it at its 30 s loop limit (AE_AML_LOOP_TIMEOUT), twice
# per boot: 60 s of a 90 s boot, and no INTx routing from ACPI anyway.  The
# BIOS's PCI IRQ routing table serves instead.  (pci=noacpi avoids _PRT
# too, but also loses the host bridge windows: the NICs' I/O BARs go
# unassigned.)
cmdline="acpi=noirq"
root=$work/root
# Installed already from this very build: leave it alone.  A test run may
# be booting from it right now, and reinstalling costs a minute of
# modules_install; the stamp is older than anything the build remade.
stamp=$root/.installed
if [ -e "$stamp" ] && [ -e "$root/boot/vmlinux-$kver" ] &&
	[ "$(cat "$root/boot/cmdline-$kver" 2>/dev/null)" = "$cmdline" ] &&
	cmp -s "$build/.config" "$root/boot/config-$kver" &&
	[ -z "$(find "$build" \( -name '*.ko' -o -path "$build/vmlinux" \) \
		-newer "$stamp" -print -quit)" ]; then
	echo "debug-kernel: $kver up to date in $(rk_elapsed "$start")s (root: $root)"
	echo "$kver"
	exit 0
fi
rm -rf "$root.new"
mkdir -p "$root.new/boot" &&
	cp "$build/vmlinux" "$root.new/boot/vmlinux-$kver" &&
	cp "$build/.config" "$root.new/boot/config-$kver" &&
	echo "$cmdline" >"$root.new/boot/cmdline-$kver" &&
	make "${make_opts[@]}" -s INSTALL_MOD_PATH="$root.new" INSTALL_MOD_STRIP=1 \
		DEPMOD=/sbin/depmod modules_install >>"$build/build.log" 2>&1 ||
	die "installing into $root.new failed"
# modules_install points build at the object tree; out-of-tree modules
# need nothing else from it.
[ -d "$root.new/lib/modules/$kver/build" ] ||
	ln -sfn "$build" "$root.new/lib/modules/$kver/build"
touch "$root.new/.installed" || die "cannot write $root.new/.installed"
rm -rf "$root" && mv "$root.new" "$root" || die "cannot install $root"
echo "debug-kernel: $kver ready in $(rk_elapsed "$start")s (root: $root)"
echo "$kver"
