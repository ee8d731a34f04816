#!/bin/bash
# ioctl fuzzer: random and mutated VERSION, REG_MEM, CREATE, RELEASE,
# WAKEUP, INFO, unknown commands and mmap calls on /dev/kni, from several
# files, in any order, each checked against a model of the driver's rules
# (kni_fuzz_ioctl).  A second thread races unchecked calls against them.
# Afterwards no result was unexpected, no rte_kni interface is left, the
# kernel log is clean and the module unloads.
# vmrun: -c 2 -m 1536 -a hugepages=64 -t 1200
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
n=$(scale 10000 100000)
seed=${FUZZ_SEED:-$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')}

dmesg -C
# The run's output is big (a histogram); keep it whole in the job dir.
out=${VMRUN_OUTDIR:-/tmp}/fuzz_ioctl.out
rc=0
"$B/kni_fuzz_ioctl" --seed "$seed" --ops "$n" --racer >"$out" 2>&1 || rc=$?
sed -nE '/^(UNEXPECTED|left behind)/p' "$out" | head -n 40
sed -nE '/^(main |racer)/p' "$out"
sum=$(grep '^kni_fuzz_ioctl: seed=' "$out") ||
	{ tail -n 30 "$out"; fail "kni_fuzz_ioctl (seed $seed) ended without a summary, rc $rc"; }
echo "$sum"

# key VALUE from the summary line
key()
{
	sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$sum"
}

ops=$(key ops) rejected=$(key rejected) unexpected=$(key unexpected)
racer_ops=$(key racer_ops) racer_rejected=$(key racer_rejected)
left=$(key kni_left)

# Every netdev still here, by driver: none may be rte_kni's.
kni_left=0
for dev in /sys/class/net/*; do
	dev=${dev##*/}
	if ethtool -i "$dev" 2>/dev/null | grep -q '^driver: rte_kni$'; then
		echo "left behind: $dev"
		kni_left=$((kni_left + 1))
	fi
done

# The kernel log: nothing but the ABI-mismatch notices the fuzzer provokes
# and the renames it does.
klog=$(klog_unexpected 'kfz|kfx' 'library ABI [0-9]+, module ABI [0-9]+: rebuild one to match$|\] kni_ioctl_version: [0-9]+ callbacks suppressed$|\] kfz[a-z0-9_]*: renamed from ') ||
	fail "cannot read the kernel log"
[ -z "$klog" ] || echo "$klog" | head -n 40

rmmod_ok=yes
rmmod rte_kni || rmmod_ok=no

row "ops=$((ops + racer_ops)) rejected=$((rejected + racer_rejected)) dropped=0" \
	"unexpected=$unexpected checked_ops=$ops racer_ops=$racer_ops" \
	"created=$(key created) released=$(key released) regions=$(key regions)" \
	"mmaps=$(key mmaps) kni_left=$kni_left seed=$seed"

[ "$unexpected" = 0 ] || fail "$unexpected unexpected results (replay: kni_fuzz_ioctl --seed $seed --ops $n)"
[ "$left" = 0 ] && [ "$kni_left" = 0 ] || fail "rte_kni interfaces left after every file was closed"
[ "$rc" = 0 ] || fail "kni_fuzz_ioctl exited $rc (seed $seed)"
((ops >= n)) || fail "only $ops of $n calls made"
[ -z "$klog" ] || fail "kernel log not clean (seed $seed)"
[ "$rmmod_ok" = yes ] || fail "rmmod rte_kni after the fuzzer"
ok "$ops checked calls ($rejected rejected as predicted), $racer_ops racing calls, seed $seed"
ok "no interface left, kernel log clean, rmmod rte_kni"
