#!/bin/bash
# Release an interface while free_q is full, rx_q is full behind it and
# the kernel's transmit stash holds mbufs taken from alloc_q: every mbuf
# the application handed to the kernel comes back exactly once (the
# kernel answers EAGAIN until free_q has room, as the library expects).
# vmrun: -c 2 -m 1024 -t 600
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
cycles=$(scale 3 50)

eagain=0
for ((c = 1; c <= cycles; c++)); do
	"$B/kni_fault" release-full | tee /tmp/release.out || fail "kni_fault release-full (cycle $c)"
	e=$(sed -n 's/^release-full: .* eagain=\([0-9]*\)$/\1/p' /tmp/release.out)
	eagain=$((eagain + e))
done
ok "$cycles releases, every mbuf back each time"
row "ops=$cycles rejected=$eagain dropped=0"
