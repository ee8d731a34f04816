#!/bin/bash
# Many interfaces at once, spread over several network namespaces, each
# with frames through it both ways; then a namespace is deleted while its
# interfaces are held: they stay usable until their file is closed, and
# then everything goes away cleanly.
# vmrun: -c 2 -m 2048 -t 1800
. tests/vm/kni_case.sh
. tests/vm/stress_case.sh
total=$(scale 32 256)
nsn=$(scale 2 4)
per=$((total / nsn))

pids=()
for ((i = 0; i < nsn; i++)); do
	ip netns add "kns$i"
	ip netns exec "kns$i" "$B/kni_fault" hold "$per" "k${i}_" >"/tmp/hold$i.log" 2>&1 &
	pids+=($!)
	APP_PIDS+=($!)
done
for ((i = 0; i < nsn; i++)); do
	wait_line "/tmp/hold$i.log" '^ready' 600 ||  fail "namespace kns$i not ready"
	grep '^ready' "/tmp/hold$i.log" | sed "s/^/kns$i: /"
	got=$(ip -n "kns$i" -o link show | grep -c " k${i}_")
	expect_eq "interfaces in kns$i" "$got" "$per"
done
[ -z "$(ip -o link show | grep ' k[0-9]*_')" ] || fail "interfaces leaked into the initial namespace"
ok "$total interfaces in $nsn namespaces, none in the initial one"

# Delete kns0 while its interfaces are held: the file keeps the namespace.
ip netns del kns0
ns0=/proc/${pids[0]}/ns/net
got=$(nsenter --net="$ns0" ip -o link show | grep -c ' k0_')
expect_eq "interfaces of the deleted kns0, still held" "$got" "$per"
nsenter --net="$ns0" ip link set k0_0 down
nsenter --net="$ns0" ip link set k0_0 up || fail "k0_0 up after its namespace was deleted"
ok "k0_0 still answers requests after its namespace was deleted"

for ((i = 0; i < nsn; i++)); do
	kill -TERM "${pids[i]}"
	wait "${pids[i]}" || { cat "/tmp/hold$i.log"; fail "hold in kns$i exited $?"; }
	tail -n 1 "/tmp/hold$i.log"
done
for ((i = 1; i < nsn; i++)); do
	got=$(ip -n "kns$i" -o link show | awk -v p=" k${i}_" 'index($0, p) { n++ } END { print n + 0 }')
	expect_eq "interfaces left in kns$i" "$got" 0
	ip netns del "kns$i"
done
rmmod rte_kni || fail "rmmod rte_kni"
ok "rmmod rte_kni"
row "ops=$total rejected=0 dropped=0 namespaces=$nsn frames=$((total * 16 * 2))"
