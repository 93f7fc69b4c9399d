#!/usr/bin/python3
"""Command-line tests of `ant-vp layer`: bad input is refused cleanly, good input works.

Run with Debian's interpreter (/usr/bin/python3, which sees numpy):

    /usr/bin/python3 layer_cli_test.py --ant-vp build/ant-vp --workdir /tmp/x --case NAME
    /usr/bin/python3 layer_cli_test.py --list

Every rejection case asserts that
  * the exit status is 2 (bad command line or input),
  * stderr is exactly one line, starting "ant-vp: error: ", that names the problem
    (the offending file, option or config key),
  * nothing is left in the output directory: no OUT.npy, no stats file, no temporary file.

ant-vp runs with SYSTEMC_DISABLE_COPYRIGHT_MESSAGE removed from its environment: the tests
see what a user without that variable sees (the program itself must keep stderr clean).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import numpy as np

RNG = np.random.default_rng(12345)


def sparse(shape, density, dtype=np.float32):
    x = RNG.standard_normal(shape).astype(dtype)
    x[RNG.random(shape) >= density] = 0
    return x


class Failure(Exception):
    pass


class Case:
    def __init__(self, ant_vp, workdir):
        self.ant_vp = ant_vp
        self.work = workdir
        self.inp = os.path.join(workdir, "in")
        self.outdir = os.path.join(workdir, "out")
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(self.inp)
        os.makedirs(self.outdir)
        self.out = os.path.join(self.outdir, "OUT.npy")
        self.stats = os.path.join(self.outdir, "stats.json")

    # -- inputs ------------------------------------------------------------
    def npy(self, name, array):
        path = os.path.join(self.inp, name)
        np.save(path, array)
        return path

    def raw(self, name, data):
        path = os.path.join(self.inp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def fw_inputs(self, act=None, wgt=None):
        a = self.npy("act.npy", sparse((1, 3, 6, 5), 0.5) if act is None else act)
        b = self.npy("wgt.npy", sparse((4, 3, 3, 3), 0.5) if wgt is None else wgt)
        return a, b

    # -- running -----------------------------------------------------------
    def run(self, args, with_out=True, with_stats=True):
        cmd = [self.ant_vp, "layer"] + list(args)
        if with_out:
            cmd += ["--out", self.out]
        if with_stats:
            cmd += ["--stats", self.stats]
        env = {k: v for k, v in os.environ.items() if k != "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE"}
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, env=env)
        self.last_cmd = cmd
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def expect_rejected(self, args, *must_name, with_out=True, with_stats=True, status=2):
        rc, out, err = self.run(args, with_out, with_stats)
        problems = []
        if rc != status:
            problems.append("exit status %d, expected %d" % (rc, status))
        lines = err.splitlines()
        if len(lines) != 1 or not err.endswith("\n"):
            problems.append("stderr is %d line(s), expected exactly one" % len(lines))
        if not err.startswith("ant-vp: error: "):
            problems.append("stderr does not start with 'ant-vp: error: '")
        for word in must_name:
            if word not in err:
                problems.append("stderr does not name %r" % word)
        left = sorted(os.listdir(self.outdir))
        if left:
            problems.append("files left behind in the output directory: %s" % left)
        if problems:
            raise Failure("command: %s\nstderr: %r\nstdout: %r\n- %s" % (
                " ".join(self.last_cmd), err, out, "\n- ".join(problems)))
        print("ok: exit %d, stderr: %s" % (status, err.strip()))


# ---------------------------------------------------------------------------
# Rejection cases. Each returns nothing and raises Failure on a problem.

def float64_npy_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=sparse((1, 3, 6, 5), 0.5, np.float64))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def int32_npy_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(wgt=(sparse((4, 3, 3, 3), 0.5) * 10).astype(np.int32))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], b)


def big_endian_npy_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=sparse((1, 3, 6, 5), 0.5).astype(">f4"))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def wrong_rank_activation_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=sparse((3, 6, 5), 0.5))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def wrong_rank_spmm_operand_is_rejected_with_exit_2(c):
    a = c.npy("a.npy", sparse((2, 4, 3), 0.5))
    b = c.npy("b.npy", sparse((3, 5), 0.5))
    c.expect_rejected(["--op", "spmm", "--a", a, "--b", b], a)


def fw_channel_mismatch_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=sparse((1, 3, 6, 5), 0.5), wgt=sparse((4, 2, 3, 3), 0.5))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], "C=3", "C=2")


def spmm_inner_dimension_mismatch_is_rejected_with_exit_2(c):
    a = c.npy("a.npy", sparse((4, 3), 0.5))
    b = c.npy("b.npy", sparse((5, 2), 0.5))
    c.expect_rejected(["--op", "spmm", "--a", a, "--b", b], "4x3", "5x2")


def bw_gradient_plane_mismatch_is_rejected_with_exit_2(c):
    # 6x5 input, 3x3 kernel, stride 1, pad 0 -> 4x3 gradient plane; give 4x4.
    a = c.npy("act.npy", sparse((2, 3, 6, 5), 0.5))
    g = c.npy("grad.npy", sparse((2, 4, 4, 4), 0.5))
    c.expect_rejected(["--op", "bw", "--a", a, "--b", g, "--kernel", "3x3"], "gradient", "2x4x4x4")


def bw_batch_mismatch_is_rejected_with_exit_2(c):
    a = c.npy("act.npy", sparse((2, 3, 6, 5), 0.5))
    g = c.npy("grad.npy", sparse((3, 4, 4, 3), 0.5))
    c.expect_rejected(["--op", "bw", "--a", a, "--b", g, "--kernel", "3x3"], "2x3x6x5", "3x4x4x3")


def bd_gradient_plane_mismatch_is_rejected_with_exit_2(c):
    # --in 6x5, 3x3 kernel, stride 1, pad 0 -> 4x3 gradient plane; give 5x3.
    g = c.npy("grad.npy", sparse((1, 4, 5, 3), 0.5))
    w = c.npy("wgt.npy", sparse((4, 3, 3, 3), 0.5))
    c.expect_rejected(["--op", "bd", "--a", g, "--b", w, "--in", "6x5"], "gradient", "1x4x5x3")


def bd_output_channel_mismatch_is_rejected_with_exit_2(c):
    g = c.npy("grad.npy", sparse((1, 5, 4, 3), 0.5))
    w = c.npy("wgt.npy", sparse((4, 3, 3, 3), 0.5))
    c.expect_rejected(["--op", "bd", "--a", g, "--b", w, "--in", "6x5"], "K=5", "K=4")


def topk_0_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--topk", "0"], "--topk")


def unknown_out_format_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--out-format", "coo"], "--out-format", "coo")


def unknown_in_format_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--in-format", "coo"], "--in-format", "coo")


def in_format_smaller_stores_a_dense_operand_dense_with_the_same_result(c):
    """--in-format smaller keeps a sparse activation CSR and stores an all-non-zero weight
    dense (fewer bytes), records both in the stats, and writes the same tensor as all-CSR."""
    a, b = c.fw_inputs(sparse((1, 3, 8, 8), 0.1), sparse((4, 3, 3, 3), 1.0))
    outs, jobs = {}, {}
    for fmt in ("csr", "smaller"):
        rc, _, err = c.run(["--op", "fw", "--a", a, "--b", b, "--pad", "1", "--in-format", fmt])
        if rc != 0:
            raise Failure("%s: exit %d, stderr %r" % (fmt, rc, err))
        outs[fmt] = np.load(c.out)
        with open(c.stats) as f:
            jobs[fmt] = json.load(f)["job"]
    if not np.array_equal(outs["csr"], outs["smaller"]):
        raise Failure("--in-format smaller wrote another tensor than csr")
    if (jobs["csr"]["a_format"], jobs["csr"]["b_format"]) != ("csr", "csr") or \
            (jobs["smaller"]["a_format"], jobs["smaller"]["b_format"]) != ("csr", "dense"):
        raise Failure("operand formats recorded: csr %r, smaller %r"
                      % ((jobs["csr"]["a_format"], jobs["csr"]["b_format"]),
                         (jobs["smaller"]["a_format"], jobs["smaller"]["b_format"])))
    print("ok")


def unknown_option_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--bogus-option", "1"], "--bogus-option")


def unknown_op_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "conv", "--a", a, "--b", b], "--op", "conv")


def unknown_mode_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--mode", "fast", "--a", a, "--b", b], "--mode", "fast")


def missing_required_option_is_rejected_with_exit_2(c):
    a, _ = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a], "--b")


def unknown_config_key_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--set", "nosuch.key=1"], "nosuch.key")


def bad_config_value_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--set", "pe_array.f=0"], "pe_array.f")


def set_without_equals_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--set", "pe_array.f"], "pe_array.f")


def unknown_key_in_config_file_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    cfg = c.raw("config.json", b'{"pe_array": {"f": 4, "nosuch": 1}}\n')
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--config", cfg], cfg, "pe_array.nosuch")


def invalid_json_config_file_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    cfg = c.raw("config.json", b'{"pe_array": {"f": 4,\n')
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--config", cfg], cfg)


def stride_0_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--stride", "0"], "--stride")


def stride_0_in_one_dimension_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--stride", "1x0"], "--stride")


def non_numeric_padding_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--pad", "one"], "--pad")


def kernel_larger_than_padded_input_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=sparse((1, 3, 2, 5), 0.5))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], "kernel")


def missing_file_is_rejected_with_exit_2(c):
    _, b = c.fw_inputs()
    a = os.path.join(c.inp, "does_not_exist.npy")
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def truncated_npy_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    with open(a, "rb") as f:
        data = f.read()
    a = c.raw("truncated.npy", data[:len(data) - 7])
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def truncated_npy_header_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    with open(a, "rb") as f:
        data = f.read()
    a = c.raw("truncated.npy", data[:40])
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def non_npy_file_is_rejected_with_exit_2(c):
    _, b = c.fw_inputs()
    a = c.raw("notes.npy", b"this is a text file, not an array\n" * 4)
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def empty_file_is_rejected_with_exit_2(c):
    _, b = c.fw_inputs()
    a = c.raw("empty.npy", b"")
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def npy_header_with_huge_shape_is_rejected_with_exit_2(c):
    # A corrupt header that claims 65535^4 elements with a few bytes of data: must be refused
    # as bad input naming the file, not die allocating memory.
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (65535, 65535, 65535, 65535), }"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\0" * 64
    _, b = c.fw_inputs()
    a = c.raw("huge.npy", data)
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def zero_sized_dimension_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs(act=np.zeros((0, 3, 6, 5), np.float32))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b], a)


def bw_without_kernel_is_rejected_with_exit_2(c):
    a = c.npy("act.npy", sparse((1, 3, 6, 5), 0.5))
    g = c.npy("grad.npy", sparse((1, 4, 4, 3), 0.5))
    c.expect_rejected(["--op", "bw", "--a", a, "--b", g], "--kernel")


def bd_without_in_is_rejected_with_exit_2(c):
    g = c.npy("grad.npy", sparse((1, 4, 4, 3), 0.5))
    w = c.npy("wgt.npy", sparse((4, 3, 3, 3), 0.5))
    c.expect_rejected(["--op", "bd", "--a", g, "--b", w], "--in")


def unwritable_output_is_rejected_with_exit_2(c):
    a, b = c.fw_inputs()
    out = os.path.join(c.outdir, "no_such_dir", "OUT.npy")
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--out", out], out,
                      with_out=False, with_stats=False)


def unwritable_stats_leaves_no_output_behind(c):
    # The output array is valid but the stats file cannot be written: the run fails, and
    # must not leave OUT.npy behind as if it had succeeded.
    a, b = c.fw_inputs()
    stats = os.path.join(c.outdir, "no_such_dir", "stats.json")
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--stats", stats], stats, with_stats=False)


def job_that_does_not_fit_fails_with_exit_1_and_leaves_nothing(c):
    # Valid input, but an output plane larger than the accumulator: the job fails (exit 1).
    a, b = c.fw_inputs(act=sparse((1, 3, 32, 32), 0.5))
    c.expect_rejected(["--op", "fw", "--a", a, "--b", b, "--set", "accumulator_buffer.capacity_bytes=1024"],
                      "job failed", "accumulator", status=1)


def failed_run_keeps_an_existing_output_untouched(c):
    # A previous good result at --out survives a later run that is refused.
    a, b = c.fw_inputs()
    rc, _, err = c.run(["--op", "fw", "--a", a, "--b", b])
    if rc != 0:
        raise Failure("first (valid) run failed: %s" % err)
    with open(c.out, "rb") as f:
        before_out = f.read()
    with open(c.stats, "rb") as f:
        before_stats = f.read()
    rc, _, err = c.run(["--op", "fw", "--a", a, "--b", b, "--stride", "0"])
    if rc != 2 or len(err.splitlines()) != 1:
        raise Failure("refused run: exit %d, stderr %r" % (rc, err))
    if sorted(os.listdir(c.outdir)) != ["OUT.npy", "stats.json"]:
        raise Failure("output directory now holds %s" % sorted(os.listdir(c.outdir)))
    with open(c.out, "rb") as f, open(c.stats, "rb") as g:
        if f.read() != before_out or g.read() != before_stats:
            raise Failure("the refused run changed the earlier output files")
    print("ok")


# ---------------------------------------------------------------------------
# Positive cases.

REQUIRED_NUMBERS = ["cycles", "vector_pairs", "products_valid", "products_rcp"]


def check_stats(path):
    with open(path) as f:
        doc = json.load(f)
    if not isinstance(doc, dict):
        raise Failure("stats top level is not an object")
    for key in REQUIRED_NUMBERS + ["wall_seconds"]:
        v = doc.get(key)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise Failure("stats key %r is %r, expected a number" % (key, v))
    if not isinstance(doc.get("units"), dict) or not doc["units"]:
        raise Failure("stats has no 'units' map")
    for key in REQUIRED_NUMBERS:
        if key not in doc["units"]:
            raise Failure("stats 'units' map does not describe %r" % key)
    return doc


def valid_fw_run_writes_output_and_stats(c):
    act = sparse((2, 3, 6, 5), 0.5)
    wgt = sparse((4, 3, 3, 3), 0.5)
    a, b = c.fw_inputs(act, wgt)
    rc, out, err = c.run(["--op", "fw", "--mode", "ant", "--a", a, "--b", b, "--pad", "1"])
    if rc != 0 or err:
        raise Failure("exit %d, stderr %r" % (rc, err))
    got = np.load(c.out)
    if got.dtype != np.float32 or got.shape != (2, 4, 6, 5):
        raise Failure("OUT.npy is %s %s, expected float32 (2, 4, 6, 5)" % (got.dtype, got.shape))
    # A plain numpy reference (the PyTorch suite checks numerics in depth).
    padded = np.pad(act.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    ref = np.zeros((2, 4, 6, 5))
    for r in range(3):
        for s in range(3):
            ref += np.einsum("nchw,kc->nkhw", padded[:, :, r:r + 6, s:s + 5], wgt[:, :, r, s])
    if not np.allclose(got, ref, rtol=1e-5, atol=1e-5):
        raise Failure("OUT.npy differs from the reference by %g" % np.abs(got - ref).max())
    doc = check_stats(c.stats)
    if doc["products_valid"] <= 0 or doc["cycles"] <= 0:
        raise Failure("stats report no work: %s" % {k: doc[k] for k in REQUIRED_NUMBERS})
    left = sorted(os.listdir(c.outdir))
    if left != ["OUT.npy", "stats.json"]:
        raise Failure("output directory holds %s" % left)
    print("ok: %s" % out.strip())


def topk_keeps_the_k_largest_and_dense_output_equals_csr(c):
    """--relu --topk K: exactly K outputs survive, the largest magnitudes of the ReLU'd
    output; --out-format dense writes the same tensor as the default CSR."""
    a, b = c.fw_inputs(sparse((2, 3, 6, 5), 0.5), sparse((4, 3, 3, 3), 0.5))
    outs = {}
    for fmt in ("csr", "dense"):
        rc, _, err = c.run(["--op", "fw", "--a", a, "--b", b, "--pad", "1", "--relu", "--out-format", fmt],
                           with_stats=False)
        if rc != 0:
            raise Failure("%s: exit %d, stderr %r" % (fmt, rc, err))
        outs[fmt] = np.load(c.out)
    if not np.array_equal(outs["csr"], outs["dense"]):
        raise Failure("--out-format dense wrote another tensor than csr")
    full = outs["dense"]
    keep = 20
    rc, _, err = c.run(["--op", "fw", "--a", a, "--b", b, "--pad", "1", "--relu", "--topk", str(keep),
                        "--out-format", "dense"])
    if rc != 0:
        raise Failure("--topk: exit %d, stderr %r" % (rc, err))
    got = np.load(c.out)
    kept = got != 0
    threshold = np.sort(np.abs(full[full != 0]))[-keep]
    if kept.sum() != keep or (got[kept] != full[kept]).any() or np.abs(got[kept]).min() < threshold:
        raise Failure("--topk %d kept %d outputs, not the largest ReLU'd ones" % (keep, kept.sum()))
    with open(c.stats) as f:
        job = json.load(f)["job"]
    if job.get("topk") != keep or job.get("out_format") != "dense":
        raise Failure("stats job does not record topk/out_format: %r" % job)
    print("ok: %d of %d outputs kept" % (keep, int((full != 0).sum())))


def successful_run_prints_nothing_on_stderr(c):
    a, b = c.fw_inputs()
    rc, out, err = c.run(["--op", "fw", "--a", a, "--b", b])
    if rc != 0 or err:
        raise Failure("exit %d, stderr %r (expected exit 0 and an empty stderr)" % (rc, err))
    if len(out.splitlines()) != 1:
        raise Failure("stdout is %d lines, expected the one-line summary: %r" % (len(out.splitlines()), out))
    print("ok: %s" % out.strip())


def valid_spmm_run_writes_output_and_stats(c):
    a_ = sparse((5, 7), 0.4)
    b_ = sparse((7, 3), 0.4)
    a = c.npy("a.npy", a_)
    b = c.npy("b.npy", b_)
    rc, out, err = c.run(["--op", "spmm", "--mode", "scnn", "--a", a, "--b", b])
    if rc != 0 or err:
        raise Failure("exit %d, stderr %r" % (rc, err))
    got = np.load(c.out)
    if got.shape != (5, 3) or not np.allclose(got, a_.astype(np.float64) @ b_, rtol=1e-5, atol=1e-5):
        raise Failure("OUT.npy %s differs from A @ B" % (got.shape,))
    check_stats(c.stats)
    print("ok: %s" % out.strip())


def stats_are_identical_across_runs_except_wall_seconds(c):
    a = c.npy("act.npy", sparse((2, 8, 9, 7), 0.3))
    b = c.npy("grad.npy", sparse((2, 6, 5, 4), 0.5))
    texts, outs = [], []
    for i in range(2):
        out = os.path.join(c.outdir, "OUT%d.npy" % i)
        stats = os.path.join(c.outdir, "stats%d.json" % i)
        cmd = ["--op", "bw", "--mode", "ant", "--a", a, "--b", b, "--kernel", "3x3",
               "--stride", "2", "--pad", "1", "--out", out, "--stats", stats]
        rc, _, err = c.run(cmd, with_out=False, with_stats=False)
        if rc != 0:
            raise Failure("run %d: exit %d, stderr %r" % (i, rc, err))
        check_stats(stats)
        with open(stats) as f:
            texts.append(f.read())
        with open(out, "rb") as f:
            outs.append(f.read())
    if outs[0] != outs[1]:
        raise Failure("the two runs wrote different OUT.npy")

    # The units map also has a "wall_seconds" key whose value is a string; keep it by only
    # removing the numeric line.
    def strip_numeric_wall(text):
        out = []
        for l in text.splitlines(True):
            s = l.strip()
            if s.startswith('"wall_seconds": ') and not s[len('"wall_seconds": '):].startswith('"'):
                continue
            out.append(l)
        return "".join(out)

    a0, a1 = strip_numeric_wall(texts[0]), strip_numeric_wall(texts[1])
    if a0 != a1:
        import difflib
        diff = "".join(difflib.unified_diff(a0.splitlines(True), a1.splitlines(True), "run0", "run1"))
        raise Failure("stats differ beyond wall_seconds:\n" + diff[:4000])
    if a0 == texts[0]:
        raise Failure("no numeric wall_seconds line found in the stats")
    print("ok: %d bytes of identical stats" % len(a0))


def any_thread_count_gives_identical_stats_and_output(c):
    """sim.threads 1, 2 and 3 on jobs large enough to be spread over the threads: the
    statistics (but for host time and the sim.threads key itself) and OUT.npy are identical."""
    # Every pass has more than 32768 (image entry, kernel entry) pairs, the size from which
    # the PE array uses its threads (docs/compute_model.md).
    act = c.npy("act.npy", sparse((2, 16, 24, 24), 0.5))
    wgt = c.npy("wgt.npy", sparse((32, 16, 3, 3), 0.5))
    grad = c.npy("grad.npy", sparse((2, 32, 24, 24), 0.9))
    jobs = {"fw": ["--a", act, "--b", wgt], "bd": ["--a", grad, "--b", wgt, "--in", "24x24"],
            "bw": ["--a", act, "--b", grad, "--kernel", "3x3"]}

    def host_independent(text):
        return json.dumps({k: v for k, v in json.loads(text).items() if k not in ("wall_seconds", "config")},
                          sort_keys=True), json.loads(text)["config"]

    for op, operands in jobs.items():
        for mode in ("ant", "scnn"):
            seen = {}
            for threads in (1, 2, 3):
                out = os.path.join(c.outdir, "OUT-%s-%s-%d.npy" % (op, mode, threads))
                stats = os.path.join(c.outdir, "stats-%s-%s-%d.json" % (op, mode, threads))
                rc, _, err = c.run(["--op", op, "--mode", mode, "--stride", "1", "--pad", "1", "--set",
                                    "sim.threads=%d" % threads, "--out", out, "--stats", stats] + operands,
                                   with_out=False, with_stats=False)
                if rc != 0:
                    raise Failure("%s %s threads %d: exit %d, stderr %r" % (op, mode, threads, rc, err))
                with open(stats) as f:
                    doc, config = host_independent(f.read())
                if config.get("sim.threads") != threads:
                    raise Failure("stats config says sim.threads %r, expected %d" % (config.get("sim.threads"), threads))
                config.pop("sim.threads")
                with open(out, "rb") as f:
                    seen[threads] = (doc, json.dumps(config, sort_keys=True), f.read())
            for threads in (2, 3):
                for what, index in (("statistics", 0), ("configuration", 1), ("OUT.npy", 2)):
                    if seen[threads][index] != seen[1][index]:
                        raise Failure("%s %s: %s with %d threads differ from one thread" % (op, mode, what, threads))
            print("ok: %s %s identical with 1, 2 and 3 threads" % (op, mode))


CASES = [f for name, f in list(globals().items())
         if callable(f) and getattr(f, "__module__", None) == __name__ and name[0].islower()
         and name not in ("sparse", "check_stats", "main")]
CASES = {f.__name__: f for f in CASES}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ant-vp", help="path of the ant-vp program")
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
    c = Case(os.path.abspath(args.ant_vp), os.path.abspath(args.workdir))
    try:
        CASES[args.case](c)
    except Failure as e:
        print("FAIL %s\n%s" % (args.case, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
