#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# test_testapp - run kni_testapp (tests/apps) on the fake kernel (fake_kni.c
# + fake_kni_loop.c, preloaded), so the application the VM tests rely on is
# checked on the host too: request callbacks, 2000 chained UDP frames
# injected and looped back intact, malformed descriptors survived.
# Exit 0 pass, 1 fail, 77 skip.

dir=$(cd "$(dirname "$0")" && pwd)
app=${RTE_KNI_BIN:-$dir/../..}/kni_testapp
preload=$dir/fake_kni_preload.so
eal="--no-huge --no-pci --no-shconf -m 256 -l 0 --vdev=net_null0 --log-level=pmd.*:error"
duration=3
fail=0

[ -x "$app" ] && [ -r "$preload" ] || { echo "skip: $app or $preload not built"; exit 77; }

run()
{
	LD_PRELOAD=$preload timeout 60 "$app" $eal -- --duration "$duration" "$@" 2>&1
}

# want OUTPUT LINE: the exact line must be in the output
want()
{
	if printf '%s\n' "$1" | grep -qxF -- "$2"; then
		echo "ok   $2"
	else
		echo "FAIL missing: $2"
		fail=1
	fi
}

out=$(run --inject 2000 --inject-size 3000 --inject-delay 0 --count-udp-port 9000)
rc=$?
[ $rc -eq 0 ] || { echo "FAIL exit status $rc"; fail=1; }
if printf '%s\n' "$out" | grep -q "cannot start\|EAL init failed"; then
	echo "skip: no EAL here"
	exit 77
fi
want "$out" "cb change_mtu port=0 mtu=9000"
want "$out" "cb config_network_if port=0 up=1"
want "$out" "event up"
want "$out" "injected=2000"
want "$out" "udp_rx=2000"
want "$out" "udp_rx_bad=0"
want "$out" "rx_frames=2000"
want "$out" "rx_bytes=$((2000 * (3000 + 42)))"
printf '%s\n' "$out" | grep -q '^ready ifindex=[0-9]' || { echo "FAIL no ready line"; fail=1; }
printf '%s\n' "$out" | grep -q 'fake_kni: looped=2000 rx_bad=0 rx_outside=0 requests=2 answers=2 refused=0' ||
	{ echo "FAIL fake kernel summary"; fail=1; }

duration=2
out=$(run --refuse=mtu)
want "$out" "cb change_mtu port=0 mtu=9000"
printf '%s\n' "$out" | grep -q 'fake_kni: .* refused=1' || { echo "FAIL MTU not refused"; fail=1; }

for kind in outside len cycle pktlen; do
	out=$(run --bad=$kind --bad-count 20 --inject 50 --count-udp-port 9000 --inject-delay 0)
	rc=$?
	[ $rc -eq 0 ] || { echo "FAIL --bad=$kind exit status $rc"; fail=1; }
	want "$out" "bad_injected=20"
	want "$out" "udp_rx=50"
	if [ $kind = outside ]; then
		printf '%s\n' "$out" | grep -q 'rx_bad=0 rx_outside=20' || { echo "FAIL outside not dropped"; fail=1; }
	else
		printf '%s\n' "$out" | grep -q 'rx_bad=20 rx_outside=0' || { echo "FAIL $kind not refused"; fail=1; }
	fi
done

[ $fail -eq 0 ] && echo "test_testapp: ok"
exit $fail
