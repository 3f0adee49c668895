#!/usr/bin/env python3
# Writes the seed inputs of the harnesses whose input is a packed struct
# (s2_walk, shadow_s2, mmio, trap_forward, guest_fdt) into corpus/NAME/.
# The file-format harnesses are seeded from compiled fixtures and test
# images instead. Rerun after changing a harness's input layout.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name, seed, data):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), "wb") as f:
        f.write(data)


def q(*v):
    return struct.pack("<%dQ" % len(v), *v)


def vtcr(tg0, sl0, t0sz, ps=2):
    return 1 << 31 | ps << 16 | tg0 << 14 | sl0 << 6 | t0sz


AF, RW, NORMAL = 1 << 10, 3 << 6, 0xF << 2


def tables_4k():
    """L1 memory (1 KiB, read modulo its size): a level-1 root whose
    entries are a table, a 1 GiB block, an invalid entry and a table
    outside memory; the table (also at offset 0, by the modulo) holds
    2 MiB blocks and pages."""
    m = [0] * 128
    m[0] = 0x0 | 3                              # table -> offset 0 again
    m[1] = 0x40000000 | AF | RW | NORMAL | 1    # 1 GiB block
    m[3] = 0x100000000000 | 3                   # table beyond the window
    for i in range(4, 128):
        m[i] = (0x200000 * i) | AF | RW | NORMAL | (3 if i % 3 else 1)
    m[5] &= ~AF                                 # an access-flag fault
    return q(*m)


CFGS = {
    "4k-l1": (vtcr(0, 1, 32), 0),
    "4k-l0": (vtcr(0, 2, 16, 5), 0x1000),
    "16k-l2": (vtcr(2, 1, 28), 0),
    "64k-l2": (vtcr(1, 1, 22), 0),
    "4k-concat": (vtcr(0, 0, 26), 0),
}
IPAS = (0x1000, 0x40201000, 0x80000000, 0x7FFFF123)

# s2_walk: VTCR, VTTBR, L1's PARange (5: 48 bits), the IPAs, memory.
for n, (c, b) in CFGS.items():
    out("s2_walk", n, q(c, b) + bytes([5]) + q(*IPAS) + tables_4k())

# shadow_s2: ops are (kind, a, b): faults (0-4; flags b: 1 write, 2 exec,
# 4 EL0), unmap by L1 IPA (5), by L2 IPA (6), everything (7).
def ops(*o):
    return bytes([len(o)]) + b"".join(bytes([k]) + q(a, f) for k, a, f in o)


for n, (c, b) in CFGS.items():
    seq = ops((0, 0x1000, 0), (1, 0x201000, 1), (2, 0x40000000, 2),
              (0, 0x2000, 5), (5, 0x200000, 0x400000), (6, 0, 0x3000),
              (3, 0x401000, 0), (7, 0, 0), (4, 0x1000, 1))
    out("shadow_s2", n, q(c, b) + seq + tables_4k())

# mmio: exit count (bit 7: warnings used up), x0..x30, then per exit:
# kind (bit 7 vCPU, bits 4-6 device, bits 0-3 class), ISS, page, FAR,
# [HPFAR when device 0].
ISV, WNR, SF = 1 << 24, 1 << 6, 1 << 15


def dabt(size, reg, write=False, sse=False, sf=True):
    return ISV | size << 22 | (1 << 21 if sse else 0) | reg << 16 | \
        (SF if sf else 0) | (WNR if write else 0)


def exit_(kind, iss, page, far, hpfar=None):
    b = bytes([kind]) + struct.pack("<I", iss) + bytes([page]) + q(far)
    return b + (q(hpfar) if hpfar is not None else b"")


regs = q(*[0x1111111111111111 * (i % 15 + 1) for i in range(31)])
out("mmio", "gicd", bytes([4]) + regs + exit_(0x10, dabt(2, 1), 0, 0x0) +
    exit_(0x10, dabt(2, 2, True), 1, 0x100) + exit_(0x20, dabt(3, 3), 0, 0x6100) +
    exit_(0x10, dabt(0, 4, sse=True, sf=False), 0, 0xffe8))
out("mmio", "gicr", bytes([3]) + regs + exit_(0x30, dabt(2, 5), 0, 0x8) +
    exit_(0xb0, dabt(2, 6, True), 16, 0x100) + exit_(0x40, dabt(2, 31), 17, 0x180))
out("mmio", "uart-testdev", bytes([4]) + regs + exit_(0x50, dabt(2, 0, True), 0, 0x0) +
    exit_(0x50, dabt(1, 7), 0, 0x18) + exit_(0x60, dabt(3, 8, True), 0, 0x10) +
    exit_(0x60, dabt(0, 9, sse=True), 0, 0x13))
out("mmio", "other-classes", bytes([4]) + regs + exit_(0x05, 0x1ff, 0, 0x1000) +
    exit_(0x06, 0x300000 | 1, 0, 0) + exit_(0x07, 0, 0, 0) +
    exit_(0x00, dabt(2, 1), 0, 0x1234, 0x90000 << 4))

# trap_forward: ESR, HCR, CPTR, MDCR, CNTHCTL, bits for IL/[63:32].
def esr(ec, iss):
    return ec << 26 | 1 << 25 | iss


def sysreg(op0, op1, crn, crm, op2, read):
    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | crm << 1 | read


TF = {
    "wfi-twi": (esr(0x01, 0), 1 << 13, 0, 0, 0),
    "sctlr-tvm": (esr(0x18, sysreg(3, 0, 1, 0, 0, 0)), 1 << 26, 0, 0, 0),
    "idreg-tid3": (esr(0x18, sysreg(3, 0, 0, 1, 0, 1)), 1 << 18, 0, 0, 0),
    "cntp-el1pcen": (esr(0x18, sysreg(3, 3, 14, 2, 1, 1)), 0, 0, 0, 0),
    "fp-tfp": (esr(0x07, 0), 0, 1 << 10, 0, 0),
    "hvc-hcd": (esr(0x16, 0), 1 << 29, 0, 0, 0),
    "dabt-vm": (esr(0x24, 0x1000047), 1, 0, 0, 0),
    "brk-tde": (esr(0x3C, 0), 0, 0, 1 << 8, 0),
}
for n, v in TF.items():
    out("trap_forward", n, q(*v, 0))

# guest_fdt: name[31], vcpus, ram base/size, gicd, gicr, uart, spi, test
# flag [+base], 8 MPIDRs, initrd start, flag [+size], 4 timer PPIs,
# buffer size, command line.
def gfdt(name, vcpus, testdev, initrd, bufsize, cmdline):
    b = name.encode().ljust(31, b"\0") + bytes([vcpus - 1])
    b += q(0x40000000, 0x20000000, 0x08000000, 0x080A0000, 0x09000000)
    b += struct.pack("<I", 1)
    b += bytes([1]) + q(0x0A000000) if testdev else bytes([0])
    b += q(*[i | (i // 4) << 8 for i in range(8)])
    b += q(0x5FE00000) + (bytes([1]) + q(0x100000) if initrd else bytes([0]))
    b += struct.pack("<IIIII", 30, 27, 26, 28, bufsize)
    return b + cmdline.encode()


out("guest_fdt", "linux", gfdt("linux", 2, False, True, 4096,
                                "console=ttyAMA0 earlycon root=/dev/ram0"))
out("guest_fdt", "test-guest", gfdt("gic", 4, True, False, 1800, ""))
out("guest_fdt", "tiny-buffer", gfdt("alpha", 8, True, True, 100, "x" * 200))
