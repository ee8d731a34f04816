# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the igb_uio VM cases (tests/vm/cases/igb_uio_*.sh), after
# kni_case.sh: loading the module, binding devices, and looking at the PCI
# state the driver is responsible for.

IGB_UIO=$RTE_KNI_MODDIR/igb_uio.ko
# The VM's NICs: vmrun -n puts NIC i in PCI slot 8 + i.
NIC0=0000:00:08.0
NIC1=0000:00:09.0
UIO_IRQ=$RTE_KNI_SRC/tests/vm/uio_irq.py

# driver_of BDF: the name of the driver bound to BDF, or "none".
driver_of()
{
	local link=/sys/bus/pci/devices/$1/driver

	if [ -e "$link" ]; then basename "$(readlink "$link")"; else echo none; fi
}

# uio_of BDF: uioN of a device bound to igb_uio.
uio_of()
{
	ls "/sys/bus/pci/devices/$1/uio" 2>/dev/null
}

# bind BDF DRIVER: through driver_override, as dpdk-devbind.py does.
bind()
{
	local dev=/sys/bus/pci/devices/$1

	[ -e "$dev/driver" ] && echo "$1" >"$dev/driver/unbind"
	echo "$2" >"$dev/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
	echo >"$dev/driver_override"
	[ "$(driver_of "$1")" = "$2" ] || fail "$1 is bound to $(driver_of "$1"), not $2"
}

# peer_netns BDF ADDR/LEN: the kernel's interface of the NIC at BDF goes
# to network namespace "peer" with that address, up; sets PEER_IF.
peer_netns()
{
	PEER_IF=$(ls "/sys/bus/pci/devices/$1/net")
	ip netns add peer
	ip link set "$PEER_IF" netns peer
	ip -n peer addr add "$2" dev "$PEER_IF"
	ip -n peer link set "$PEER_IF" up
}

# bus_master BDF: true if the PCI command register has Bus Master set.
bus_master()
{
	(( 0x$(setpci -s "$1" COMMAND) & 0x4 ))
}

expect_master()
{
	local want=$2 cmd

	cmd=$(setpci -s "$1" COMMAND)
	if bus_master "$1"; then
		[ "$want" = on ] || fail "bus mastering on ($cmd) $3"
	else
		[ "$want" = off ] || fail "bus mastering off ($cmd) $3"
	fi
	ok "bus mastering $want $3 (COMMAND $cmd)"
}

# irq_line: igb_uio's line in /proc/interrupts (empty when it has none).
irq_line()
{
	awk '$NF == "igb_uio" { $1 = $1; print }' /proc/interrupts
}

# uio_events UIO: the interrupt count of /dev/UIO.
uio_events()
{
	cat "/sys/class/uio/$1/event"
}
