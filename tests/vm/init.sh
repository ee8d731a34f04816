#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the initramfs that vmrun builds for each run.  It makes the host's
# root (or the release root given to vmrun -r) the VM's root (read-only 9p under a tmpfs overlay, so the VM can write
# anywhere and the host is never touched), mounts the job dir at its host path
# and hands over to stage2.sh.  All mounting is done here with busybox:
# under TCG every exec of a host binary costs 9p round trips.

/bin/busybox --install -s /bin
export PATH=/bin

fail()
{
	echo "vmrun-init: $*"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

job= shares=
for arg in $(cat /proc/cmdline); do
	case $arg in
	vmrun.job=*) job=${arg#vmrun.job=} ;;
	vmrun.share[0-9]*=*) shares="$shares ${arg#vmrun.}" ;;
	esac
done
[ -n "$job" ] || fail "no vmrun.job= on the kernel command line"

# virtio, 9p and overlay, in dependency order (see build_initramfs in vmrun).
for mod in $(cat /modules.order); do
	insmod "/lib/modules/$mod" || fail "insmod $mod failed"
done

p9="trans=virtio,version=9p2000.L,msize=262144"
mkdir -p /lower /rw /newroot
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower || fail "9p root"
mount -t tmpfs -o mode=755 rw /rw
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "overlay root"

for dir in proc sys dev; do
	mount --move "/$dir" "/newroot/$dir"
done
# The host's /run is not ours (sockets, pid files of host daemons).
mount -t tmpfs -o mode=755,nosuid,nodev run /newroot/run
# Host directories that a release root lacks (vmrun -s), then the job
# dir, which may lie inside one of them.
for share in $shares; do
	tag=${share%%=*} path=${share#*=}
	mkdir -p "/newroot$path" &&
		mount -t 9p -o "$p9,ro,cache=loose" "$tag" "/newroot$path" || fail "9p $tag at $path"
done
mkdir -p "/newroot$job"
mount -t 9p -o "$p9" job "/newroot$job" || fail "9p job dir $job"

# What a normal boot would have set up; the tests (and DPDK) expect it.
r=/newroot
mkdir -p $r/dev/pts $r/dev/shm $r/dev/hugepages $r/dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $r/dev/pts
ln -sf pts/ptmx $r/dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev shm $r/dev/shm
mount -t hugetlbfs hugetlbfs $r/dev/hugepages
mount -t mqueue mqueue $r/dev/mqueue
mount -t debugfs debugfs $r/sys/kernel/debug
mount -t tracefs tracefs $r/sys/kernel/tracing 2>/dev/null
mount -t bpf bpf $r/sys/fs/bpf 2>/dev/null
mount -t cgroup2 cgroup2 $r/sys/fs/cgroup 2>/dev/null
ln -sf /proc/self/fd $r/dev/fd
ln -sf /proc/self/fd/0 $r/dev/stdin
ln -sf /proc/self/fd/1 $r/dev/stdout
ln -sf /proc/self/fd/2 $r/dev/stderr
hostname vm
ip link set lo up

echo "vmrun-init: switching root at $(cut -d' ' -f1 $r/proc/uptime)s"
exec switch_root /newroot /bin/bash "$job/stage2.sh" "$job"
