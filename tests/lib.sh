# Shared helpers for the test scripts (sourced, not executed).
# SPDX-License-Identifier: GPL-2.0

# The Debian kernels the modules are tested against.  A kernel counts only if
# it can be both booted (/boot/vmlinuz-*) and built for (/lib/modules/*/build).
RTE_KNI_KERNEL_GLOBS=${RTE_KNI_KERNEL_GLOBS:-'6.1.0-*-amd64 6.12.*+deb12-amd64'}

# The supported kernels, as driver/compat/kernels.mk (the only place that
# says so) gives them: KNI_KERNEL_MIN and KNI_KERNEL_MAX, major.minor.
eval "$(sed -n 's/^\(KNI_KERNEL_M[AI][XN]\) *:= *\([0-9]*\.[0-9]*\)$/\1=\2/p' \
	"$(dirname "${BASH_SOURCE[0]}")/../driver/compat/kernels.mk")"

# The kernel log lines that fail any test run in a VM: oopses, warnings,
# sanitizers, leaks, and stalls (soft lockups, RCU stalls, hung tasks; vmrun
# boots with short detection thresholds so that a stall of seconds shows),
# and any line that names one of our functions ("func [rte_kni]"): a stack
# trace, or the kernel complaining about what we did (7.3: "work func
# kni_net_stall_work [rte_kni] enqueued on deprecated workqueue").
RK_KLOG_FINDINGS='BUG:|WARNING:|Oops|general protection|KASAN|UBSAN:|refcount_t|list_del corruption|unreferenced object|soft lockup|hard LOCKUP|rcu.*stall|hung_task|blocked for more than|\[(rte_kni|igb_uio)\]'

rk_die()
{
	echo "${0##*/}: $*" >&2
	exit 2
}

# Kernels not installed on the host live in a kernel root:
# ROOT/boot/vmlinux-KVER and ROOT/lib/modules/KVER.  RTE_KNI_KERNEL_ROOT
# names such roots (colon separated; the debug kernel of
# tests/debug-kernel.sh), and the release roots of tests/roots are
# searched after them.
RTE_KNI_KERNEL_ROOT=${RTE_KNI_KERNEL_ROOT:-}
RTE_KNI_ROOTS=${RTE_KNI_ROOTS:-/var/tmp/rte-kni-roots}

# rk_kroot KVER: the root KVER is installed in ("" for the host's /).
rk_kroot()
{
	local r

	if [ -r "/boot/vmlinuz-$1" ]; then
		echo ""
		return
	fi
	for r in ${RTE_KNI_KERNEL_ROOT//:/ } "$RTE_KNI_ROOTS"/*; do
		[ -d "$r/lib/modules/$1" ] && [ -r "$r/boot/vmlinux-$1" ] && { echo "$r"; return; }
	done
	echo "${RTE_KNI_KERNEL_ROOT%%:*}"
}

# rk_kconfig KVER: the file KVER's kernel configuration is in.
rk_kconfig()
{
	echo "$(rk_kroot "$1")/boot/config-$1"
}

# rk_is_release_root DIR: DIR is a whole Debian system (tests/roots), not
# only a kernel.
rk_is_release_root()
{
	[ -n "$1" ] && [ -e "$1/etc/debian_version" ] && [ -e "$1/.rte-kni-root" ]
}

# rk_usable_kver KVER: true if KVER can be booted and built for.
rk_usable_kver()
{
	local root

	root=$(rk_kroot "$1")
	{ [ -r "/boot/vmlinuz-$1" ] || [ -r "$root/boot/vmlinux-$1" ]; } &&
		[ -d "$root/lib/modules/$1/build" ]
}

# rk_newest_kver GLOB: newest usable installed kernel matching GLOB.
rk_newest_kver()
{
	local dir kver

	for dir in /lib/modules/$1; do
		kver=${dir##*/}
		rk_usable_kver "$kver" && echo "$kver"
	done | sort -V | tail -n 1
}

# rk_kernels: the kernels to test, one per line.  RTE_KNI_KVERS (a space
# separated list) overrides the discovery, e.g. to test a single kernel.
rk_kernels()
{
	local glob kver

	if [ -n "${RTE_KNI_KVERS:-}" ]; then
		printf '%s\n' $RTE_KNI_KVERS
		return
	fi
	for glob in $RTE_KNI_KERNEL_GLOBS; do
		kver=$(rk_newest_kver "$glob")
		[ -n "$kver" ] && echo "$kver"
	done
}

# rk_elapsed START: seconds since START (an $EPOCHREALTIME value), e.g. "4.2".
rk_elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# rk_lock DIR WHO: one user of DIR at a time (fd 9), saying so when waiting.
rk_lock()
{
	mkdir -p "$1" || return 1
	exec 9>"$1/lock"
	if ! flock -n 9; then
		echo "$2: waiting for another run using $1"
		flock 9
	fi
}

# rk_extract TARBALL TREE WHO: extract a linux-source tarball into TREE,
# unless TREE already holds this very tarball; prints how long it took.
rk_extract()
{
	local stamp start

	stamp="$(stat -c '%s %Y' "$1") $1"
	[ "$(cat "$2/.rte-kni-stamp" 2>/dev/null)" = "$stamp" ] && return 0
	echo "$3: extracting $1 into $2"
	start=$EPOCHREALTIME
	rm -rf "$2" "$2.extract"
	mkdir -p "$2.extract" &&
		tar -xJf "$1" -C "$2.extract" --strip-components=1 &&
		mv "$2.extract" "$2" || return 1
	echo "$stamp" >"$2/.rte-kni-stamp"
	echo "$3: extracted in $(rk_elapsed "$start")s"
}

# rk_extract_vmlinux BZIMAGE OUT: the uncompressed ELF inside a bzImage,
# for qemu's PVH entry, from the payload fields of its header.
rk_extract_vmlinux()
{
	local bz=$1 out=$2 sects off len start magic dec

	sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz") || return 1
	off=$(od -An -tu4 -j $((0x248)) -N4 "$bz")
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$bz")
	((sects)) || sects=4
	start=$(((sects + 1) * 512 + off))
	magic=$(od -An -tx1 -j "$start" -N4 "$bz" | tr -d ' ')
	case $magic in
	fd377a58) dec="xz -dc" ;;
	28b52ffd) dec="zstd -dcq" ;;
	*) echo "${0##*/}: $bz: unknown payload compression '$magic'" >&2; return 1 ;;
	esac
	# The payload ends with a 4-byte size trailer the decompressors reject.
	dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count=$((len - 4)) \
		bs=1M status=none | $dec >"$out.$$" &&
		[ "$(od -An -tx1 -N4 "$out.$$" | tr -d ' ')" = 7f454c46 ] &&
		mv -f "$out.$$" "$out" && return 0
	rm -f "$out.$$"
	return 1
}
