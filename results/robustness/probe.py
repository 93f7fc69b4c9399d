#!/usr/bin/python3
"""Probes `ant-vp` with malformed input of every class it takes and tabulates what it does.

    /usr/bin/python3 results/robustness/probe.py --build build [--out results/robustness]

Writes table.md and table.csv: input class, the case tried, exit status, the first stderr
line, wall seconds, and whether the promise held (the documented status, one error line,
no crash, no hang, nothing left in the output directory).
"""
import argparse
import csv
import os
import shutil
import subprocess
import tempfile
import time

import numpy as np


def npy_bytes(header, data=b""):
    body = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body.encode() + data


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build")
    p.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = p.parse_args()
    build = os.path.abspath(args.build)
    vp, fw, progs = os.path.join(build, "ant-vp"), os.path.join(build, "sw"), os.path.join(build, "tests/iss/programs")
    if not os.access(vp, os.X_OK):
        p.error("no ant-vp program in %s (build first, or name the build with --build)" % build)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="ant-probe-")
    inp, outdir = os.path.join(work, "in"), os.path.join(work, "out")
    os.makedirs(inp)
    rows = []

    def f(name, data):
        path = os.path.join(inp, name)
        with open(path, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode())
        return path

    def npy(name, array):
        path = os.path.join(inp, name)
        np.save(path, array)
        return path

    act = npy("act.npy", np.ones((1, 3, 6, 5), np.float32))
    wgt = npy("wgt.npy", np.ones((4, 3, 3, 3), np.float32))
    out = lambda name="o.npy": os.path.join(outdir, name)
    layer = lambda *extra: ["layer", "--op", "fw", "--a", act, "--b", wgt, "--out", out()] + list(extra)
    run = lambda elf, *extra: ["run", "--firmware", elf] + list(extra)
    hello = os.path.join(fw, "hello.elf")

    def probe(kind, case, argv, expected, timeout=60):
        shutil.rmtree(outdir, ignore_errors=True)
        os.makedirs(outdir)
        t0 = time.monotonic()
        try:
            r = subprocess.run([vp] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
            status, err = r.returncode, r.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired:
            status, err = "hang", ""
        seconds = time.monotonic() - t0
        errors = [l for l in err.splitlines() if l.startswith("ant-vp: error: ")]
        left = os.listdir(outdir)
        held = status == expected and (status == 0 or len(errors) == 1) and (status == 0 or not left)
        rows.append({"input class": kind, "case": case, "exit": status, "expected": expected,
                     "message": (errors[0] if errors else err.strip().splitlines()[0] if err.strip() else "")[:160],
                     "seconds": "%.2f" % seconds, "files left": " ".join(sorted(left)), "held": "yes" if held else "NO"})

    # .npy files
    good = np.ones((1, 3, 6, 5), np.float32).tobytes()
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }"
    for case, data in [("empty file", b""), ("bad magic", b"NUMPY" + b"\0" * 100),
                       ("version 9", b"\x93NUMPY\x09\x00" + b"\0" * 60),
                       ("truncated header", b"\x93NUMPY\x01\x00\xff\x00{'descr'"),
                       ("float64", npy_bytes(hdr.replace("<f4", "<f8") % "(1, 3, 6, 5)", good * 2)),
                       ("big-endian", npy_bytes(hdr.replace("<f4", ">f4") % "(1, 3, 6, 5)", good)),
                       ("Fortran order", npy_bytes(hdr.replace("False", "True") % "(1, 3, 6, 5)", good)),
                       ("no shape", npy_bytes("{'descr': '<f4', 'fortran_order': False, }", good)),
                       ("shape (1e5,)", npy_bytes(hdr % "(1e5,)", good)), ("shape (1L,)", npy_bytes(hdr % "(1L,)", good)),
                       ("shape (-1,)", npy_bytes(hdr % "(-1,)", good)),
                       ("shape larger than data", npy_bytes(hdr % "(1000, 1000)", good)),
                       ("shape 2^62 elements", npy_bytes(hdr % "(2147483648, 2147483648)", good)),
                       ("data shorter than shape", npy_bytes(hdr % "(1, 3, 6, 5)", good[:100])),
                       ("unclosed shape", npy_bytes(hdr.replace(", }", "") % "(1, 3, 6, 5", good))]:
        probe(".npy (layer --a)", case, ["layer", "--op", "fw", "--a", f("bad.npy", data), "--b", wgt, "--out", out()], 2)
    long_ok = npy_bytes(hdr % ("(1," + " " * 58000 + "3, 6, 5)"), good)
    probe(".npy (layer --a)", "legal 58k-character shape", ["layer", "--op", "fw", "--a", f("long.npy", long_ok), "--b", wgt,
                                                             "--out", out()], 0)
    probe(".npy (run --load)", "legal 58k-character shape", run(hello, "--load", "x=" + f("long.npy", long_ok)), 0)
    probe(".npy (run --load)", "zero-size array", run(hello, "--load", "x=" + npy("z.npy", np.zeros((0,), np.float32))), 2)

    # Configuration files and --set
    deep = 200000
    for case, text in [("not JSON", "{"), ("array at top", "[1, 2]"), ("unknown key", '{"no.such": 1}'),
                       ("wrong type", '{"pe_array": {"f": "four"}}'),
                       ("nested 200,000 levels", '{"a":' * deep + "1" + "}" * deep),
                       ("array nested 200,000 levels", '{"x": ' + "[" * deep + "]" * deep + "}")]:
        probe("config file (layer)", case, layer("--config", f("c.json", text)), 2)
        probe("config file (run)", case, run(hello, "--config", f("c.json", text)), 2)
    probe("config file (run)", "a directory", run(hello, "--config", inp), 2)
    for kv in ["pe_array.f=0", "pe_array.f=1e9", "accelerator.clock_ghz=1e-300", "energy.mult_pj=1e308",
               "dram.model=simple,dram.channels=3", "dram.model=simple,dram.row_bytes=3",
               "dram.model=simple,dram.address_mapping=", "sim.quantum_ns=inf", "nonsense"]:
        extra = sum((["--set", s] for s in kv.split(",")), [])
        probe("--set (layer)", kv, layer(*extra), 2)
    for kv in ["clint.timebase_mhz=1e13", "cpu.clock_mhz=1e300", "cpu.cpi=0", "sim.max_time_ms=1e300",
               "sim.max_instructions=-1", "dram.size_bytes=0", "uart.stdout=maybe"]:
        probe("--set (run)", kv, run(hello, "--set", kv), 2)

    # Command-line options
    for case, argv in [("--stride 1000000", layer("--stride", "1000000")), ("--pad 65536", layer("--pad", "65536")),
                       ("--pad 40000 (output too large)", layer("--pad", "40000")), ("--stride 0", layer("--stride", "0")),
                       ("stray argument", layer("stray")), ("unknown option", layer("--bogus", "1")),
                       ("--out and --stats one file", layer("--stats", out())),
                       ("--stats a directory", layer("--stats", inp)),
                       ("--out in a missing directory", ["layer", "--op", "fw", "--a", act, "--b", wgt, "--out",
                                                         os.path.join(outdir, "no", "o.npy")])]:
        probe("options (layer)", case, argv, 2)
    for case, argv in [("--max-instructions -1", run(hello, "--max-instructions", "-1")),
                       ("--max-time-ms inf", run(hello, "--max-time-ms", "inf")),
                       ("--quantum-ns inf", run(hello, "--quantum-ns", "inf")),
                       ("--max-wall-s nan", run(hello, "--max-wall-s", "nan")),
                       ("stray argument", run(hello, "stray")),
                       ("--stats and --uart-file one file", run(hello, "--stats", out("x"), "--uart-file", out("x"))),
                       ("--save name without file", run(hello, "--save", "y="))]:
        probe("options (run)", case, argv, 2)

    # ELF files
    elf = open(os.path.join(progs, "runner_spin.elf"), "rb").read()
    for case, data, status in [("empty file", b"", 65), ("text file", "hello", 65), ("first 64 bytes", elf[:64], 65),
                               ("first 200 bytes", elf[:200], 65), ("ELF class flipped", elf[:4] + b"\x02" + elf[5:], 67),
                               ("machine x86", elf[:18] + b"\x3e\x00" + elf[20:], 67)]:
        probe("ELF (run)", case, run(f("bad.elf", data)), status)
    probe("ELF (run)", "missing file", run(os.path.join(inp, "none.elf")), 66)
    probe("ELF (run)", "segment below DRAM", run(os.path.join(progs, "runner_low_address.elf")), 68)

    # Firmware behaviour and limits
    probe("firmware", "trap vector on an illegal word", run(os.path.join(fw, "trap_loop.elf")), 73)
    probe("firmware", "same, --max-instructions 500", run(os.path.join(fw, "trap_loop.elf"), "--max-instructions", "500"), 69)
    probe("firmware", "trap vector unmapped", run(os.path.join(fw, "fault_unhandled.elf")), 73)
    probe("firmware", "runaway, --max-time-ms 0.2", run(os.path.join(fw, "runaway.elf"), "--max-time-ms", "0.2"), 72)
    probe("firmware", "runaway, --max-wall-s 0.5", run(os.path.join(fw, "runaway.elf"), "--max-wall-s", "0.5"), 76)
    probe("firmware", "wfi, nothing to wake it", run(os.path.join(progs, "runner_wfi_deadlock.elf")), 71)
    for which, case in [(1, "manifest entry 65536^4"), (2, "manifest entry 2^31 x 2^31"), (3, "zero-size manifest entry")]:
        sel = npy("sel%d.npy" % which, np.full((1,), which, np.float32))
        probe("firmware", case, run(os.path.join(fw, "manifest_entries.elf"), "--load", "case=" + sel,
                                    "--save", "out=" + out("out.npy")), 74)
    shutil.rmtree(work)

    fields = ["input class", "case", "exit", "expected", "message", "seconds", "files left", "held"]
    with open(os.path.join(args.out, "table.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(args.out, "table.md"), "w") as fh:
        fh.write("# How ant-vp handles malformed input\n\nProduced by `results/robustness/probe.py` (see README.md). "
                 "%d cases, %d held their promise.\n\n" % (len(rows), sum(r["held"] == "yes" for r in rows)))
        fh.write("| " + " | ".join(fields) + " |\n|" + "---|" * len(fields) + "\n")
        for r in rows:
            fh.write("| " + " | ".join(str(r[k]).replace("|", "\\|") for k in fields) + " |\n")
    bad = [r for r in rows if r["held"] != "yes"]
    for r in bad:
        print("NOT HELD: %s / %s: exit %s (expected %s) %s" % (r["input class"], r["case"], r["exit"], r["expected"],
                                                               r["message"]))
    print("%d cases, %d held" % (len(rows), len(rows) - len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
