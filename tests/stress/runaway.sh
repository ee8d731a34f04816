#!/bin/bash
# alloc_q's producer index moved 2^31 entries ahead by the application,
# over slots that hold no usable mbuf, while the stack sends frames: each
# frame is dropped and counted after a bounded walk of alloc_q, and no CPU
# stalls (the VM boots with a short watchdog_thresh, and vmrun fails on a
# soft lockup or an RCU stall).
# vmrun: -c 2 -m 1024 -t 600
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
n=$(scale 200 100000)

"$B/kni_fault" runaway "$n" | tee /tmp/runaway.out || fail "kni_fault runaway $n"
line=$(grep '^runaway: ' /tmp/runaway.out)
ok "${line#runaway: }"
dropped=$(sed -n 's/.* dropped=\([0-9]*\).*/\1/p' <<<"$line")
row "ops=$n rejected=0 dropped=$dropped $(grep -o 'walked=[0-9]* per_frame=[0-9.]* send_secs=[0-9.]*' <<<"$line")"
