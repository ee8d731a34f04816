#!/bin/bash
# igb_uio on two e1000s: bind with dpdk-devbind.py, the UIO device and its
# memory and port maps (BAR0, BAR1), max_vfs; bus mastering off after
# probe, on while /dev/uio0 is open, off after close; on the e1000 (no MSI,
# no MSI-X) msix falls back to legacy INTx, and an interrupt raised by the
# device reaches read() on /dev/uio0, is held back by write(0) and delivered
# by write(1); unbind back to e1000 (the kernel driver works again), rebind;
# unbind while /dev/uio0 is open; rmmod refused while open and clean with
# both devices bound; bad intr_mode refused; wc_activate=1.
# vmrun: -n 2 -P uio
# modules: igb_uio.ko
. tests/vm/kni_case.sh
. tests/vm/igb_uio_case.sh

echo "== loaded with the defaults; bind with dpdk-devbind.py"
expect_eq "intr_mode parameter" "$(cat /sys/module/igb_uio/parameters/intr_mode)" msix
expect_eq "wc_activate parameter" "$(cat /sys/module/igb_uio/parameters/wc_activate)" 0
dpdk-devbind.py -b igb_uio "$NIC0" || fail "dpdk-devbind.py -b igb_uio $NIC0"
expect_eq "driver of $NIC0" "$(driver_of "$NIC0")" igb_uio
dpdk-devbind.py -s | grep -q "^$NIC0 .*drv=igb_uio" || fail "dpdk-devbind.py -s does not list $NIC0 as igb_uio"
ok "dpdk-devbind.py -s lists $NIC0 under drv=igb_uio"
uio=$(uio_of "$NIC0")
[ -n "$uio" ] && [ -c "/dev/$uio" ] || fail "no /dev/uioN for $NIC0"
ok "$NIC0 is /dev/$uio"
expect_eq "uio name" "$(cat "/sys/class/uio/$uio/name")" igb_uio

echo "== maps"
m=/sys/class/uio/$uio/maps/map0
read -r bar0_start _ _ < <(sed -n 1p "/sys/bus/pci/devices/$NIC0/resource")
expect_eq "map0 name" "$(cat $m/name)" BAR0
expect_eq "map0 addr" "$(cat $m/addr)" "$bar0_start"
expect_eq "map0 size" "$(cat $m/size)" 0x0000000000020000
p=/sys/class/uio/$uio/portio/port0
read -r bar1_start _ _ < <(sed -n 2p "/sys/bus/pci/devices/$NIC0/resource")
expect_eq "port0 name" "$(cat $p/name)" BAR1
expect_eq "port0 start" "$(cat $p/start)" "$(printf '0x%x' "$bar1_start")"
expect_eq "port0 size" "$(cat $p/size)" 0x40
expect_eq "port0 type" "$(cat $p/porttype)" port_x86
[ ! -e "/sys/class/uio/$uio/maps/map1" ] || fail "a second memory map on an e1000"

echo "== max_vfs"
expect_eq "max_vfs" "$(cat "/sys/bus/pci/devices/$NIC0/max_vfs")" 0
echo 0 >"/sys/bus/pci/devices/$NIC0/max_vfs" || fail "max_vfs=0"
ok "max_vfs=0 accepted"
if echo 2 >"/sys/bus/pci/devices/$NIC0/max_vfs" 2>/tmp/vfs.err; then
	fail "max_vfs=2 accepted on a device without SR-IOV"
fi
ok "max_vfs=2 refused without SR-IOV: $(sed 's/.*: //' /tmp/vfs.err)"

echo "== bus mastering and the interrupt mode follow open and close"
expect_master "$NIC0" off "after probe"
[ -z "$(irq_line)" ] || fail "an interrupt requested before open: $(irq_line)"
ok "no interrupt before open"
exec 3<>"/dev/$uio"
expect_master "$NIC0" on "while /dev/$uio is open"
dmesg | grep -q "igb_uio $NIC0: interrupt mode legacy" || fail "no 'interrupt mode legacy' in dmesg"
ok "msix and msi unavailable on the e1000: legacy INTx ($(irq_line))"
exec 3>&-
expect_master "$NIC0" off "after close"
[ -z "$(irq_line)" ] || fail "the interrupt outlived the last close: $(irq_line)"
ok "interrupt freed at the last close"

echo "== an INTx interrupt delivered to userspace"
python3 "$UIO_IRQ" "/dev/$uio" || fail "uio_irq.py"
expect_eq "event count" "$(uio_events "$uio")" 2

echo "== unbind to the kernel's e1000, which drives the NIC again; rebind"
dpdk-devbind.py -b e1000 "$NIC0" || fail "dpdk-devbind.py -b e1000 $NIC0"
expect_eq "driver of $NIC0" "$(driver_of "$NIC0")" e1000
eth=$(ls "/sys/bus/pci/devices/$NIC0/net")
ip addr add 198.51.100.1/24 dev "$eth"
peer_netns "$NIC1" 198.51.100.2/24
ip link set "$eth" up
for i in $(seq 100); do
	ping -c 1 -W 1 198.51.100.2 >/dev/null 2>&1 && break
done
ping -c 2 -W 5 198.51.100.2 >/tmp/ping || { cat /tmp/ping; fail "ping over $eth after igb_uio"; }
ok "e1000 after igb_uio: $(grep 'packet loss' /tmp/ping)"
bind "$NIC0" igb_uio
uio=$(uio_of "$NIC0")
ok "rebound: /dev/$uio"
python3 "$UIO_IRQ" "/dev/$uio" || fail "uio_irq.py after rebind"

echo "== unbind while /dev/$uio is open"
exec 3<>"/dev/$uio"
expect_master "$NIC0" on "while open"
echo "$NIC0" >/sys/bus/pci/drivers/igb_uio/unbind
expect_eq "driver of $NIC0" "$(driver_of "$NIC0")" none
expect_master "$NIC0" off "after unbind with /dev/$uio open"
[ -z "$(irq_line)" ] || fail "interrupt still requested after unbind: $(irq_line)"
ok "interrupt freed by unbind"
if head -c 4 <&3 >/dev/null 2>&1; then fail "read() on a removed uio device succeeded"; fi
ok "read() on the removed device fails"
exec 3>&-
ok "closed after unbind"

echo "== rmmod: refused while open, clean with two devices bound"
bind "$NIC0" igb_uio
bind "$NIC1" igb_uio
ls /sys/class/uio
expect_eq "uio devices" "$(ls /sys/class/uio | wc -l)" 2
exec 3<>"/dev/$(uio_of "$NIC1")"
if rmmod igb_uio 2>/tmp/rmmod.err; then fail "rmmod with /dev/uio open succeeded"; fi
ok "rmmod refused while open: $(cat /tmp/rmmod.err)"
exec 3>&-
rmmod igb_uio || fail "rmmod igb_uio"
ok "rmmod igb_uio with two devices bound"
expect_eq "driver of $NIC0" "$(driver_of "$NIC0")" none
expect_eq "driver of $NIC1" "$(driver_of "$NIC1")" none
[ ! -e /sys/class/uio/uio0 ] || fail "uio0 outlived rmmod"
expect_master "$NIC0" off "after rmmod"

echo "== module parameters"
if insmod "$IGB_UIO" intr_mode=bogus 2>/tmp/insmod.err; then fail "intr_mode=bogus accepted"; fi
dmesg | grep -q "intr_mode must be msix, msi or legacy, not 'bogus'" || fail "no message for intr_mode=bogus"
ok "intr_mode=bogus refused: $(cat /tmp/insmod.err)"
insmod "$IGB_UIO" wc_activate=1 || fail "insmod wc_activate=1"
bind "$NIC0" igb_uio
uio=$(uio_of "$NIC0")
expect_eq "map0 size with wc_activate=1" "$(cat "/sys/class/uio/$uio/maps/map0/size")" 0x0000000000020000
python3 "$UIO_IRQ" "/dev/$uio" || fail "uio_irq.py with wc_activate=1"
bind "$NIC0" e1000
rmmod igb_uio || fail "rmmod igb_uio"
ok "rmmod igb_uio"
