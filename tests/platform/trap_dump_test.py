#!/usr/bin/python3
"""The trap dump of `ant-vp run` (platform/debug/trap_dump.h) after an unhandled trap.

trap_dump_test.py hal ANT_VP FIRMWARE_DIR SOURCE_DIR
    unhandled_exception.elf raises an illegal instruction with no handler: exit 60, and the
    dump (from the HAL's saved frame) names the cause, the instruction bits in mtval, mepc's
    function and source line, and the values the program put in s2 and s11.
trap_dump_test.py loop ANT_VP FIRMWARE_DIR SOURCE_DIR
    fault_unhandled.elf faults with an unmapped trap vector: exit 73, and the dump shows the
    fetch fault at the vector and the load fault in main that started the chain.
trap_dump_test.py handled ANT_VP FIRMWARE_DIR SOURCE_DIR
    a firmware that handles its fault prints no dump.
"""
import os
import re
import subprocess
import sys


def run(vp, elf):
    p = subprocess.run([vp, "run", "--firmware", elf], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr


def line_of(path, marker):
    with open(path) as f:
        for n, text in enumerate(f, 1):
            if marker in text:
                return n
    raise SystemExit(f"{marker!r} not in {path}")


def expect(stderr, pattern):
    if not re.search(pattern, stderr, re.M):
        print(f"FAIL: no line matches {pattern!r} in:\n{stderr}")
        sys.exit(1)


def register(stderr, name):
    m = re.search(rf"(?:^|\s){name} (0x[0-9a-f]{{8}})", stderr, re.M)
    if not m:
        print(f"FAIL: register {name} not in the dump:\n{stderr}")
        sys.exit(1)
    return int(m.group(1), 16)


def main():
    mode, vp, fw, src = sys.argv[1:5]
    if mode == "hal":
        rc, err = run(vp, os.path.join(fw, "unhandled_exception.elf"))
        assert rc == 60, (rc, err)
        line = line_of(os.path.join(src, "sw/programs/tests/unhandled_exception.c"), ".4byte 0xc0001073")
        expect(err, r"^ant-vp: trap dump \(the frame the firmware's default trap handler saved\):$")
        expect(err, r"^  mcause 0x00000002 \(illegal instruction\)  mtval 0xc0001073$")
        expect(err, rf"^  mepc   0x[0-9a-f]{{8}} write_to_a_read_only_csr\+0x[0-9a-f]+ "
                    rf"\(\S*unhandled_exception\.c:{line}\)$")
        expect(err, r"^  ra     0x[0-9a-f]{8} main\+0x[0-9a-f]+ ")
        assert register(err, "s2") == 0x5A5A0002 and register(err, "s11") == 0x5A5A0011, err
        assert register(err, "zero") == 0, err
        sp = register(err, "sp")
        assert 0x80000000 <= sp < 0x90000000 and sp % 16 == 0, hex(sp)
    elif mode == "loop":
        rc, err = run(vp, os.path.join(fw, "fault_unhandled.elf"))
        assert rc == 73, (rc, err)
        expect(err, r"^ant-vp: trap dump \(the hart as it stopped\):$")
        expect(err, r"^  mcause 0x00000001 \(instruction access fault\)  mtval 0x60000000$")
        expect(err, r"^  first trap of the chain: mcause 0x00000005 \(load access fault\)  mtval 0x50000000  "
                    r"mepc 0x[0-9a-f]{8} main\+0x[0-9a-f]+ \(\S+:\d+\)$")
        expect(err, r"^  pc     0x60000000$")
        assert len(re.findall(r"^ ( +\S+ 0x[0-9a-f]{8}){4}$", err, re.M)) == 8, err
    elif mode == "handled":
        rc, err = run(vp, os.path.join(fw, "fault_handled.elf"))
        assert rc == 3 and "trap dump" not in err, (rc, err)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print("ok")


if __name__ == "__main__":
    main()
