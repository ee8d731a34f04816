#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# uio_irq.py: deliver an interrupt of an emulated e1000/e1000e, bound to
# igb_uio, to userspace through /dev/uioN, the way the EAL consumes it:
# write(1) enables, poll()+read() returns the event count, write(0)
# disables.  The interrupt is provoked through the device's own registers
# in UIO map 0 (BAR0): a link-status-change cause set with ICS.
#
#   uio_irq.py UIODEV [--no-mask-check | --storm]
#
# Prints one line per step and exits 0 when every step saw what it expected.

import ctypes
import mmap
import os
import select
import struct
import sys

# e1000 / e1000e register offsets in BAR0, and the LSC interrupt cause.
ICR, ICS, IMS, IMC, IVAR = 0xC0, 0xC8, 0xD0, 0xD8, 0xE4
LSC = 0x4
# e1000e in MSI-X mode reports link changes as "other" causes: the model
# raises the vector only for causes enabled in IMS, so enable both.
OTHER = 0x01000000
# 82574 IVAR: every cause (RX0, RX1, TX0, TX1, other) valid, vector 0.
IVAR_ALL_TO_VECTOR0 = 0x00088888


class Dev:
    def __init__(self, uio):
        name = os.path.basename(uio)
        with open(f"/sys/class/uio/{name}/maps/map0/size") as f:
            size = int(f.read(), 0)
        self.fd = os.open(uio, os.O_RDWR)
        self.bar = mmap.mmap(self.fd, size, mmap.MAP_SHARED,
                             mmap.PROT_READ | mmap.PROT_WRITE, offset=0)

    # Single 32-bit loads and stores: the device model takes nothing else.
    def wr(self, reg, val):
        ctypes.c_uint32.from_buffer(self.bar, reg).value = val

    def rd(self, reg):
        return ctypes.c_uint32.from_buffer(self.bar, reg).value

    def irq_control(self, on):
        os.write(self.fd, struct.pack("=i", 1 if on else 0))

    # The event count if an interrupt arrives within SECONDS, else None.
    def wait_event(self, seconds):
        p = select.poll()
        p.register(self.fd, select.POLLIN)
        if not p.poll(seconds * 1000):
            return None
        return struct.unpack("=I", os.read(self.fd, 4))[0]

    def fire(self):
        self.wr(ICS, LSC)

    # Write-1-to-clear: e1000e keeps ICR on a read while IMS is non-zero,
    # and raises MSI(-X) only for causes that were not already pending.
    def clear(self):
        self.wr(ICR, 0xFFFFFFFF)
        self.rd(ICR)


# --storm: raise interrupts and take them as fast as possible until the
# device goes away under us (unbind); prints how many arrived.
def storm(d):
    n = 0
    try:
        d.wr(IMC, 0xFFFFFFFF)
        d.clear()
        d.wr(IVAR, IVAR_ALL_TO_VECTOR0)
        d.wr(IMS, LSC | OTHER)
        print("storm: started", flush=True)
        while True:
            d.irq_control(True)
            d.fire()
            if d.wait_event(1) is not None:
                n += 1
            d.clear()
    except OSError as e:
        print(f"storm: {n} interrupts, then {e.strerror}", flush=True)
    return 0 if n else 1


def main():
    uio = sys.argv[1]
    mask_check = "--no-mask-check" not in sys.argv
    d = Dev(uio)
    ok = True
    if "--storm" in sys.argv:
        return storm(d)

    def step(what, good, seen):
        nonlocal ok
        print(f"{'ok' if good else 'FAIL'}: {what}: {seen}")
        ok = ok and good

    d.wr(IMC, 0xFFFFFFFF)
    d.clear()
    d.wr(IVAR, IVAR_ALL_TO_VECTOR0)	# e1000e MSI-X routing; ignored elsewhere
    d.wr(IMS, LSC | OTHER)

    d.irq_control(True)
    d.fire()
    n1 = d.wait_event(5)
    step("interrupt enabled, LSC raised: read() returns an event", n1 is not None,
         f"event count {n1}")
    d.clear()

    if mask_check:
        d.irq_control(False)
        d.fire()
        n2 = d.wait_event(1)
        step("interrupt disabled (write 0), LSC raised: no event", n2 is None,
             "none" if n2 is None else f"event count {n2}")
        d.irq_control(True)
        n3 = d.wait_event(5)
        step("re-enabled (write 1): the pending interrupt arrives", n3 is not None,
             f"event count {n3}")
        d.clear()

    d.wr(IMC, 0xFFFFFFFF)
    d.clear()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
