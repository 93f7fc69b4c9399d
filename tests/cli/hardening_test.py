#!/usr/bin/python3
"""Regression cases for crashes, hangs and broken promises once found by probing `ant-vp`.

Run with Debian's interpreter (/usr/bin/python3, which sees numpy):

    /usr/bin/python3 hardening_test.py --ant-vp build/ant-vp --firmware build/sw \
        --workdir /tmp/x --case NAME
    /usr/bin/python3 hardening_test.py --list

Each case names the defect it guards against. Every refusal must be: the documented exit
status, exactly one stderr line starting "ant-vp: error: " that names the culprit, no
crash, no hang (each command has a timeout), and nothing left in the output directory.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np

TIMEOUT_S = 60


class Failure(Exception):
    pass


class Case:
    def __init__(self, ant_vp, firmware, workdir):
        self.ant_vp = ant_vp
        self.fw = firmware
        self.work = workdir
        shutil.rmtree(workdir, ignore_errors=True)
        self.inp = os.path.join(workdir, "in")
        self.outdir = os.path.join(workdir, "out")
        os.makedirs(self.inp)
        os.makedirs(self.outdir)
        self.rng = np.random.default_rng(7)

    # -- inputs ------------------------------------------------------------
    def npy(self, name, array):
        path = os.path.join(self.inp, name)
        np.save(path, array)
        return path

    def raw(self, name, data):
        path = os.path.join(self.inp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def npy_with_header(self, name, header, data=b""):
        """A version 1.0 .npy file with exactly this header dict text."""
        body = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        assert len(body) < 65536
        return self.raw(name, b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body.encode() + data)

    def fw_inputs(self):
        a = self.npy("act.npy", self.rng.standard_normal((1, 3, 6, 5)).astype(np.float32))
        b = self.npy("wgt.npy", self.rng.standard_normal((4, 3, 3, 3)).astype(np.float32))
        return a, b

    def out(self, name):
        return os.path.join(self.outdir, name)

    def elf(self, name):
        return os.path.join(self.fw, name + ".elf")

    # -- running -----------------------------------------------------------
    def run(self, args, timeout=TIMEOUT_S):
        cmd = [self.ant_vp] + [a if isinstance(a, bytes) else str(a) for a in args]
        self.last_cmd = cmd
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure("hang: %r did not finish within %d s" % (cmd, timeout))
        self.last_seconds = time.monotonic() - t0
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def expect(self, args, status, *must_name, outputs_left=(), timeout=TIMEOUT_S):
        """Exit `status`; on failure one error line naming every word; exactly `outputs_left`
        in the output directory afterwards."""
        rc, out, err = self.run(args, timeout)
        problems = []
        if rc != status:
            problems.append("exit status %d, expected %d" % (rc, status))
        if rc < 0:
            problems.append("killed by signal %d" % -rc)
        errors = [l for l in err.splitlines() if l.startswith("ant-vp: error: ")]
        if status != 0 and len(errors) != 1:
            problems.append("%d 'ant-vp: error:' lines on stderr, expected exactly one" % len(errors))
        for word in must_name:
            if word not in err:
                problems.append("stderr does not name %r" % word)
        left = sorted(os.listdir(self.outdir))
        if left != sorted(outputs_left):
            problems.append("output directory holds %s, expected %s" % (left, sorted(outputs_left)))
        if problems:
            raise Failure("command: %r\nstderr: %r\nstdout: %r\n- %s" % (
                self.last_cmd, err[-2000:], out[-2000:], "\n- ".join(problems)))
        print("ok: exit %d in %.2f s, stderr: %s" % (rc, self.last_seconds, err.strip()[:300]))
        return out, err


# ---------------------------------------------------------------------------
# .npy reader

def npy_long_legal_header_is_read_without_a_crash(c):
    # A legal version-1.0 header whose shape tuple holds ~58k characters (spaces). The old
    # regular-expression reader recursed once per character and overflowed the stack (from
    # ~30k characters with an 8 MiB stack).
    a, b = c.fw_inputs()
    data = np.load(a).tobytes()
    shape = "(1," + " " * 29000 + "3," + " " * 29000 + "6, 5)"
    long_a = c.npy_with_header("long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape, data)
    c.expect(["layer", "--op", "fw", "--a", long_a, "--b", b, "--out", c.out("o.npy")], 0, outputs_left=["o.npy"])
    ref = os.path.join(c.work, "ref.npy")
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", ref], 0, outputs_left=["o.npy"])
    if not np.array_equal(np.load(c.out("o.npy")), np.load(ref)):
        raise Failure("the long-header input gave a different result from the same array saved normally")


def npy_long_header_through_run_load_is_read(c):
    a, _ = c.fw_inputs()
    shape = "(1," + " " * 58000 + "3, 6, 5)"
    long_a = c.npy_with_header("long.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape,
                               np.load(a).tobytes())
    c.expect(["run", "--firmware", c.elf("hello"), "--load", "x=" + long_a], 0)


def npy_shape_entries_must_be_plain_integers(c):
    # "(1e5,)", "(1abc,)" and "(1L,)" used to read as a dimension of 1.
    for i, text in enumerate(["1e5", "1abc", "1L", "-1", "0x10", "99999999999999999999"]):
        path = c.npy_with_header("bad%d.npy" % i,
                                 "{'descr': '<f4', 'fortran_order': False, 'shape': (%s,), }" % text, b"\0" * 64)
        c.expect(["run", "--firmware", c.elf("hello"), "--load", "x=" + path], 2, path)


def npy_header_without_closing_parenthesis_is_refused(c):
    path = c.npy_with_header("open.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3", b"\0" * 24)
    c.expect(["run", "--firmware", c.elf("hello"), "--load", "x=" + path], 2, path)


# ---------------------------------------------------------------------------
# Configuration files

def deeply_nested_config_is_refused_by_layer_and_run(c):
    # ~200,000 levels crashed the recursive flattening and copying (SIGSEGV).
    depth = 200000
    path = c.raw("deep.json", '{"a":' * depth + "1" + "}" * depth)
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--config", path], 2, path, "nested")
    c.expect(["run", "--firmware", c.elf("hello"), "--config", path], 2, path, "nested")
    arrays = c.raw("deep_array.json", '{"pe_array": {"f": ' + "[" * depth + "]" * depth + "}}")
    c.expect(["run", "--firmware", c.elf("hello"), "--config", arrays], 2, arrays)


def deeply_nested_set_value_is_refused(c):
    a, b = c.fw_inputs()
    value = "[" * 60000 + "]" * 60000  # within the 128 KiB limit of one argument
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--set", "pe_array.f=" + value],
             2, "pe_array.f")


def set_value_that_is_not_utf8_exits_2(c):
    # Found by fuzz_config: the error message for such a value threw a JSON encoding
    # exception (exit 1); a file name that is not UTF-8 must not break the statistics either.
    a, b = c.fw_inputs()
    bad = b"dram.size_bytes=0x10\xb0000000"
    c.expect([b"layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--set", bad], 2, "UTF-8")
    c.expect([b"run", "--firmware", c.elf("hello"), "--set", bad], 2, "UTF-8")
    c.expect(["run", "--firmware", c.elf("hello"), "--uart-file", c.out("u.txt").encode() + b"\xb0", "--stats",
              c.out("s.json"), "--set", "uart.stdout=false"], 0, outputs_left=["s.json", "u.txt\udcb0"])


def nested_config_still_applies(c):
    # The depth limit must not break ordinary nested files.
    path = c.raw("cfg.json", json.dumps({"sim": {"max_instructions": 1000}, "uart": {"stdout": False}}))
    c.expect(["run", "--firmware", c.elf("runaway"), "--config", path], 69, "instruction limit of 1000")


def directory_as_config_names_it(c):
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--config", c.inp], 2, c.inp)
    c.expect(["run", "--firmware", c.elf("hello"), "--config", c.inp], 2, c.inp)


# ---------------------------------------------------------------------------
# ELF files

def elf_whose_program_headers_lie_outside_the_file_exits_65(c):
    # The first 64 bytes of an executable: a valid ELF header whose program headers are
    # missing. It used to load nothing and run into memory of zeros (a trap loop, 73).
    spin = open(os.path.join(c.fw, "..", "tests", "iss", "programs", "runner_spin.elf"), "rb").read()
    for n in (64, 100):
        path = c.raw("head%d.elf" % n, spin[:n])
        c.expect(["run", "--firmware", path], 65, path, "corrupt")


# ---------------------------------------------------------------------------
# Limits that always hold

def trap_loop_ends_with_73_without_limits(c):
    # Every step traps, nothing retires: this used to spin forever, ignoring both limits.
    c.expect(["run", "--firmware", c.elf("trap_loop")], 73, "trap loop", "mtvec", timeout=30)


def traps_count_toward_max_instructions(c):
    c.expect(["run", "--firmware", c.elf("trap_loop"), "--max-instructions", "500"], 69,
             "instruction limit of 500", timeout=30)


def trap_loop_ends_under_a_time_limit(c):
    c.expect(["run", "--firmware", c.elf("trap_loop"), "--max-time-ms", "1000"], 73, "trap loop", timeout=30)


def wall_time_limit_stops_runaway_firmware(c):
    rc_out = c.expect(["run", "--firmware", c.elf("runaway"), "--max-wall-s", "0.5"], 76, "wall-time limit",
                      timeout=30)
    if c.last_seconds > 10:
        raise Failure("a 0.5 s wall-time limit took %.1f s" % c.last_seconds)
    return rc_out


def timer_and_clock_settings_are_bounded(c):
    # A 1e13 MHz timebase re-armed the timer every picosecond: a hang.
    for key, value in [("clint.timebase_mhz", "1e13"), ("clint.timebase_mhz", "1e-300"), ("cpu.clock_mhz", "1e300"),
                       ("cpu.cpi", "1e-300"), ("sim.quantum_ns", "1e300"), ("sim.max_time_ms", "1e300")]:
        c.expect(["run", "--firmware", c.elf("hello"), "--set", "%s=%s" % (key, value)], 2, key)
    c.expect(["run", "--firmware", c.elf("hello"), "--set", "clint.timebase_mhz=1e6"], 0, timeout=30)


def limit_options_refuse_infinite_and_negative_values(c):
    for option, value in [("--quantum-ns", "inf"), ("--quantum-ns", "nan"), ("--max-time-ms", "inf"),
                          ("--max-instructions", "-1"), ("--max-wall-s", "-3"), ("--max-instructions", "12x")]:
        c.expect(["run", "--firmware", c.elf("hello"), option, value], 2, option)


# ---------------------------------------------------------------------------
# All-or-nothing outputs

def layer_stats_naming_a_directory_leaves_nothing(c):
    a, b = c.fw_inputs()
    os.makedirs(c.out("statsdir"))
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--stats", c.out("statsdir")],
             2, "statsdir", outputs_left=["statsdir"])


def layer_out_and_stats_on_one_path_is_refused(c):
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("x"), "--stats", c.out("x")], 2, "--stats")
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("x"), "--stats",
              os.path.join(c.outdir, ".", "x")], 2, "--stats")


def layer_output_in_missing_directory_is_refused_before_running(c):
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("nodir/o.npy")], 2, "nodir")


def run_outputs_on_one_path_are_refused(c):
    case0 = c.npy("case0.npy", np.zeros((1,), np.float32))
    c.expect(["run", "--firmware", c.elf("manifest_entries"), "--load", "case=" + case0, "--save",
              "out=" + c.out("x"), "--stats", c.out("x")], 2, "--stats")
    c.expect(["run", "--firmware", c.elf("hello"), "--uart-file", c.out("u"), "--stats", c.out("u")], 2, "--uart-file")


def run_writes_save_and_stats_together(c):
    case0 = c.npy("case0.npy", np.zeros((1,), np.float32))
    c.expect(["run", "--firmware", c.elf("manifest_entries"), "--load", "case=" + case0, "--save",
              "out=" + c.out("out.npy"), "--stats", c.out("stats.json")], 0, outputs_left=["out.npy", "stats.json"])
    got = np.load(c.out("out.npy"))
    if got.shape != (2, 3) or not np.array_equal(got.ravel(), np.arange(6, dtype=np.float32)):
        raise Failure("saved tensor is %r" % got)


def run_stats_naming_a_directory_leaves_no_saved_tensor(c):
    case0 = c.npy("case0.npy", np.zeros((1,), np.float32))
    os.makedirs(c.out("statsdir"))
    c.expect(["run", "--firmware", c.elf("manifest_entries"), "--load", "case=" + case0, "--save",
              "out=" + c.out("out.npy"), "--stats", c.out("statsdir")], 2, "statsdir", outputs_left=["statsdir"])


# ---------------------------------------------------------------------------
# Manifest entries published by the firmware

def malformed_manifest_entries_exit_74_and_write_nothing(c):
    # 65536^4 used to write a header-only .npy with exit 0; 2^31 x 2^31 exited 1; a
    # zero-size entry was saved although --load refuses it.
    for which, word in [(1, "65536x65536x65536x65536"), (2, "2147483648x2147483648"), (3, "empty")]:
        sel = c.npy("case%d.npy" % which, np.full((1,), which, np.float32))
        c.expect(["run", "--firmware", c.elf("manifest_entries"), "--load", "case=" + sel, "--save",
                  "out=" + c.out("out.npy")], 74, "--save out", word)


# ---------------------------------------------------------------------------
# Options

def layer_stride_and_pad_out_of_range_exit_2(c):
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--stride", "1000000"], 2, "stride")
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--pad", "65536"], 2, "pad")
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--pad", "40000"], 2, "pad")


def stray_positional_argument_is_refused(c):
    a, b = c.fw_inputs()
    c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "stray"], 2, "stray")
    c.expect(["run", "--firmware", c.elf("hello"), "stray"], 2, "stray")


def simple_dram_refuses_invalid_detailed_keys(c):
    a, b = c.fw_inputs()
    for kv, key in [("dram.channels=3", "channels"), ("dram.row_bytes=3", "row_bytes"),
                    ("dram.address_mapping=", "address_mapping")]:
        c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--set", "dram.model=simple",
                  "--set", kv], 2, key)
        c.expect(["run", "--firmware", c.elf("hello"), "--set", "dram.model=simple", "--set", kv], 2, key)


def accelerator_clock_and_energy_are_bounded(c):
    a, b = c.fw_inputs()
    for kv, key in [("accelerator.clock_ghz=1e-300", "accelerator.clock_ghz"), ("energy.mult_pj=1e308", "energy.mult_pj"),
                    ("sim.quantum_ns=1e300", "sim.quantum_ns")]:
        c.expect(["layer", "--op", "fw", "--a", a, "--b", b, "--out", c.out("o.npy"), "--set", kv], 2, key)


# ---------------------------------------------------------------------------
# Determinism

def _strip_wall(doc):
    if isinstance(doc, dict):
        return {k: _strip_wall(v) for k, v in doc.items() if k not in ("wall_clock_s", "wall_seconds", "mips")}
    if isinstance(doc, list):
        return [_strip_wall(v) for v in doc]
    return doc


def run_is_deterministic(c):
    # Same firmware and inputs: byte-identical saved tensor and statistics but for the
    # wall-clock fields.
    case0 = c.npy("case0.npy", np.zeros((1,), np.float32))
    texts, tensors = [], []
    for i in range(2):
        c.expect(["run", "--firmware", c.elf("manifest_entries"), "--load", "case=" + case0, "--save",
                  "out=" + c.out("o%d.npy" % i), "--stats", c.out("s%d.json" % i)], 0,
                 outputs_left=[f for j in range(i + 1) for f in ("o%d.npy" % j, "s%d.json" % j)])
        texts.append(_strip_wall(json.load(open(c.out("s%d.json" % i)))))
        tensors.append(open(c.out("o%d.npy" % i), "rb").read())
    if texts[0] != texts[1] or tensors[0] != tensors[1]:
        raise Failure("two identical runs differ")


def layer_job_on_the_platform_is_deterministic(c):
    # The accelerator driven by firmware: the layer_job program, twice.
    x = c.npy("x.npy", (c.rng.standard_normal((1, 4, 6, 6)) * (c.rng.random((1, 4, 6, 6)) < 0.5)).astype(np.float32))
    w = c.npy("w.npy", (c.rng.standard_normal((3, 4, 3, 3)) * (c.rng.random((3, 4, 3, 3)) < 0.5)).astype(np.float32))
    docs, outs = [], []
    for i in range(2):
        c.expect(["run", "--firmware", c.elf("layer_job"), "--load", "x=" + x, "--load", "w=" + w, "--save",
                  "y=" + c.out("y%d.npy" % i), "--stats", c.out("s%d.json" % i), "--set", "uart.stdout=false"], 0,
                 outputs_left=[f for j in range(i + 1) for f in ("y%d.npy" % j, "s%d.json" % j)])
        docs.append(_strip_wall(json.load(open(c.out("s%d.json" % i)))))
        outs.append(open(c.out("y%d.npy" % i), "rb").read())
    if docs[0] != docs[1] or outs[0] != outs[1]:
        raise Failure("two identical layer_job runs differ")


CASES = {name: f for name, f in list(globals().items())
         if callable(f) and getattr(f, "__module__", None) == __name__ and name[0].islower()
         and name not in ("main",)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", help="path of the ant-vp program")
    p.add_argument("--firmware", help="directory of the built firmware (build/sw)")
    p.add_argument("--workdir", help="scratch directory (wiped)")
    p.add_argument("--case", help="test case to run")
    p.add_argument("--list", action="store_true", help="list the cases")
    args = p.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if args.case not in CASES:
        print("unknown case %r; known: %s" % (args.case, ", ".join(CASES)), file=sys.stderr)
        return 2
    c = Case(os.path.abspath(args.ant_vp), os.path.abspath(args.firmware), os.path.abspath(args.workdir))
    try:
        CASES[args.case](c)
    except Failure as e:
        print("FAIL %s\n%s" % (args.case, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
