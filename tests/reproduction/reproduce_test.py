#!/usr/bin/python3
"""Tests of the reproduction driver (results/reproduction/reproduce.py) on tiny synthetic traces.

    /usr/bin/python3 reproduce_test.py --ant-vp build/ant-vp --workdir /tmp/x --case NAME
    /usr/bin/python3 reproduce_test.py --list

* sums_match_job_stats: the driver runs end to end; every total in reproduction.json
  (cycles, energy and phase cycles per mode, speedup, energy ratio, RCPs anticipated, RCP
  share) equals the sum the test forms itself from `ant-vp layer` runs of the same jobs
  with the recorded settings, and the --set key reaches every run.
* Bad input (unknown network, density outside (0, 1], manifest that does not match its
  tensors, missing trace file, missing trace without an exporter, missing ant-vp, a --set
  key ant-vp refuses): exit 2, one line on stderr naming the problem, nothing written.
* sweep_rows_match_reproduction_runs: sweep.py's CSV row for each value equals a
  reproduce.py run with that --set, and the value changes the cycles.
* job_failure_exits_1_naming_the_job: a job that fails inside ant-vp (exit 1) stops the run
  with exit 1 and a line naming the network, layer, phase, mode and memory; nothing written.
* terminate_kills_jobs_and_writes_nothing: SIGTERM (like Ctrl-C) stops the run with exit 143,
  kills the running ant-vp processes and writes nothing.
* main_job_is_deterministic: two runs on the same trace, with the same settings and seed,
  write byte-identical results (reproduction.json, per_job.csv, table.md and both charts)
  once the host-time fields (wall and CPU seconds) are taken out.
* keep_going_reports_the_other_networks: with --keep-going the run finishes, exits 1, and the
  results mark the network with the failed job as failed while the others are reported.
"""
import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DRIVER = os.path.join(ROOT, "results", "reproduction", "reproduce.py")
sys.path.insert(0, HERE)
import make_trace  # noqa: E402

PYTHON = sys.executable
# Changes the cycle counts (narrower vectors), so the test can see it reach ant-vp.
PASSED_SET = "pe_array.f=2"


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Case:
    def __init__(self, ant_vp, workdir):
        self.ant_vp, self.work = ant_vp, workdir
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        self.traces = os.path.join(workdir, "traces")
        self.out = os.path.join(workdir, "out")
        self.trace = make_trace.build(self.traces, "resnet18", 1, 0.1, 0)

    def driver(self, *extra, ant_vp=None, networks="resnet18"):
        cmd = [PYTHON, DRIVER, "--networks", networks, "--trace-root", self.traces, "--out", self.out,
               "--ant-vp", ant_vp or self.ant_vp, "--jobs", "2", "--quiet"] + list(extra)
        p = subprocess.run(cmd, capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr

    def manifest(self):
        with open(os.path.join(self.trace, "manifest.json")) as f:
            return json.load(f)

    def ant_vp_stats(self, job, mode, settings, layout="smaller"):
        """Statistics of one job run directly (the test's own command line), operands stored as
        the driver's --layout says (smaller: inputs in the smaller encoding, gradients out dense)."""
        stats, out = os.path.join(self.work, "direct.json"), os.path.join(self.work, "direct.npy")
        cmd = [self.ant_vp, "layer", "--op", job["op"], "--mode", mode, "--a", os.path.join(self.trace, job["a"]),
               "--b", os.path.join(self.trace, job["b"]), "--out", out, "--stats", stats]
        if job["op"] != "spmm":
            cmd += ["--stride", "%dx%d" % tuple(job["stride"]), "--pad", "%dx%d" % tuple(job["pad"])]
        if job["op"] == "bw":
            cmd += ["--kernel", "%dx%d" % tuple(job["kernel"])]
        if job["op"] == "bd":
            cmd += ["--in", "%dx%d" % tuple(job["in"])]
        if layout == "smaller":
            cmd += ["--in-format", "smaller", "--out-format", "csr" if job["phase"] == "fw" else "dense"]
        for s in settings:
            cmd += ["--set", s]
        subprocess.run(cmd, check=True, capture_output=True)
        with open(stats) as f:
            return json.load(f)

    def expect_refusal(self, status, *extra, ant_vp=None, mention=None):
        rc, out, err = self.driver(*extra, ant_vp=ant_vp)
        lines = err.strip().splitlines()
        check(rc == status, "exit %d, expected %d; stderr: %s" % (rc, status, err.strip()))
        check(len(lines) == 1 and lines[0].startswith("reproduce: error: "),
              "expected one 'reproduce: error:' line on stderr, got %r" % err)
        if mention:
            for word in mention:
                check(word in lines[0], "the error %r does not mention %r" % (lines[0], word))
        check(not os.path.exists(self.out) or not os.listdir(self.out),
              "something was written to %s: %s" % (self.out, os.listdir(self.out) if os.path.exists(self.out) else ""))
        check(out == "", "stdout not empty: %r" % out)


def close(a, b):
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def sums_match_job_stats(c):
    modes = ["scnn", "ant"]
    rc, out, err = c.driver("--modes", ",".join(modes), "--memory", "both", "--set", PASSED_SET)
    check(rc == 0, "driver exit %d: %s" % (rc, err))
    for name in ("reproduction.json", "per_job.csv", "table.md", "speedup.png", "energy.png"):
        check(os.path.getsize(os.path.join(c.out, name)) > 0, "%s missing or empty" % name)
    with open(os.path.join(c.out, "reproduction.json")) as f:
        doc = json.load(f)
    with open(os.path.join(c.out, "table.md")) as f:
        check(f.read().strip() == out.strip(), "table.md differs from the table printed on stdout")
    cfg = doc["config"]
    check(cfg["set"] == [PASSED_SET], "--set not recorded: %r" % cfg["set"])
    check(cfg["layout"] == "smaller", "default layout %r not recorded as smaller" % cfg.get("layout"))
    jobs = c.manifest()["jobs"]
    with open(os.path.join(c.out, "per_job.csv")) as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == len(jobs) * len(modes) * 2, "per_job.csv has %d rows, expected %d"
          % (len(rows), len(jobs) * len(modes) * 2))
    set_seen = False
    for memory in ("ideal", "dram"):
        settings = cfg["memory_settings"][memory] + cfg["set"]
        net = doc["memory"][memory]["networks"][0]
        check(net["name"] == "resnet18", "network name %r" % net["name"])
        cycles = {m: 0 for m in modes}
        energy = {m: 0.0 for m in modes}
        phases = {m: {"fw": 0, "bd": 0, "bw": 0} for m in modes}
        rcp_avoided = rcp_scnn_by_ant = scnn_rcp = scnn_issued = 0
        for job in jobs:
            for mode in modes:
                s = c.ant_vp_stats(job, mode, settings)
                cycles[mode] += s["cycles"]
                energy[mode] += s["energy_pj"]
                phases[mode][job["phase"]] += s["cycles"]
                if mode == "ant":
                    rcp_avoided += s["rcp_avoided_vs_scnn"]
                    rcp_scnn_by_ant += s["products_rcp_scnn"]
                    if not set_seen:
                        plain = c.ant_vp_stats(job, mode, cfg["memory_settings"][memory])
                        set_seen = plain["cycles"] != s["cycles"]
                if mode == "scnn":
                    scnn_rcp += s["products_rcp"]
                    scnn_issued += s["products_issued"]
        check(net["cycles"] == cycles, "%s cycles %r, sum of job stats %r" % (memory, net["cycles"], cycles))
        check(all(close(net["energy_pj"][m], energy[m]) for m in modes),
              "%s energy %r, sum of job stats %r" % (memory, net["energy_pj"], energy))
        check(net["phase_cycles"] == phases, "%s phase cycles %r, expected %r" % (memory, net["phase_cycles"], phases))
        check(close(net["speedup_vs_scnn"], cycles["scnn"] / cycles["ant"]), "%s speedup" % memory)
        check(close(net["energy_ratio_vs_scnn"], energy["scnn"] / energy["ant"]), "%s energy ratio" % memory)
        check(close(net["rcp_anticipated"], rcp_avoided / rcp_scnn_by_ant), "%s rcp_anticipated" % memory)
        check(close(net["rcp_share_scnn"], scnn_rcp / scnn_issued), "%s rcp_share_scnn" % memory)
        check(close(doc["memory"][memory]["geomean"]["speedup_vs_scnn"], net["speedup_vs_scnn"]),
              "%s geomean of one network is not that network's speedup" % memory)
        csv_cycles = sum(int(r["cycles"]) for r in rows if r["memory"] == memory and r["mode"] == "ant")
        check(csv_cycles == cycles["ant"], "per_job.csv ant cycles %d, expected %d" % (csv_cycles, cycles["ant"]))
    check(set_seen, "%s changed no job's cycles: the test cannot see it reach ant-vp" % PASSED_SET)


def layout_csr_stores_everything_as_csr(c):
    """--layout csr runs each job as the plain command line does (all CSR); the default layout
    moves fewer DRAM bytes for the same work."""
    totals = {}
    for layout in ("csr", "smaller"):
        rc, _, err = c.driver("--modes", "ant", "--memory", "dram", "--layout", layout)
        check(rc == 0, "driver exit %d: %s" % (rc, err))
        with open(os.path.join(c.out, "per_job.csv")) as f:
            rows = list(csv.DictReader(f))
        totals[layout] = {k: sum(int(r[k]) for r in rows)
                          for k in ("dram_read_bytes", "dram_write_bytes", "products_issued", "products_valid")}
        if layout == "csr":
            job = c.manifest()["jobs"][0]
            with open(os.path.join(c.out, "reproduction.json")) as f:
                settings = json.load(f)["config"]["memory_settings"]["dram"]
            direct = c.ant_vp_stats(job, "ant", settings, layout="csr")
            row = next(r for r in rows if r["layer"] == job["layer"] and r["phase"] == job["phase"]
                       and not r["part"])
            check(int(row["cycles"]) == direct["cycles"], "csr layout %s cycles, direct all-CSR run %s"
                  % (row["cycles"], direct["cycles"]))
    for k in ("products_issued", "products_valid"):
        check(totals["csr"][k] == totals["smaller"][k], "%s differ between layouts: %r" % (k, totals))
    moved = {k: v["dram_read_bytes"] + v["dram_write_bytes"] for k, v in totals.items()}
    check(moved["smaller"] < moved["csr"], "the smaller layout moved %d bytes, all-CSR %d" % (moved["smaller"], moved["csr"]))


def dram_energy_recomputes_the_runs_ratios(c):
    """dram_energy.py at the run's own DRAM price gives the run's energy ratio, at 0 the on-chip one."""
    rc, _, err = c.driver("--modes", "scnn,ant", "--memory", "dram")
    check(rc == 0, "driver exit %d: %s" % (rc, err))
    with open(os.path.join(c.out, "reproduction.json")) as f:
        net = json.load(f)["memory"]["dram"]["networks"][0]
    out_csv = os.path.join(c.work, "dram_energy.csv")
    p = subprocess.run([PYTHON, os.path.join(os.path.dirname(DRIVER), "dram_energy.py"),
                        os.path.join(c.out, "per_job.csv"), "--out", out_csv], capture_output=True, text=True)
    check(p.returncode == 0, "dram_energy.py exit %d: %s" % (p.returncode, p.stderr))
    with open(out_csv) as f:
        rows = {float(r["dram_bit_pj"]): float(r["resnet18"]) for r in csv.DictReader(f)}
    check(math.isclose(rows[20.0], net["energy_ratio_vs_scnn"], rel_tol=1e-3),
          "at 20 pJ/bit %g, the run's ratio %g" % (rows[20.0], net["energy_ratio_vs_scnn"]))
    check(math.isclose(rows[0.0], net["energy_ratio_vs_scnn_onchip"], rel_tol=1e-3),
          "at 0 pJ/bit %g, the run's on-chip ratio %g" % (rows[0.0], net["energy_ratio_vs_scnn_onchip"]))
    bad = subprocess.run([PYTHON, os.path.join(os.path.dirname(DRIVER), "dram_energy.py"),
                          os.path.join(c.work, "missing.csv")], capture_output=True, text=True)
    check(bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1,
          "a missing per_job.csv: exit %d, stderr %r" % (bad.returncode, bad.stderr))


def conv1x1_as_spmm_substitutes_the_pointwise_jobs(c):
    """conv1x1_spmm.py lowers the trace's strided 1x1 shortcut (fw, bd, bw) to SPMMs whose
    product is the convolution's, runs them, and substitutes their cycles in the run's totals."""
    rc, _, err = c.driver("--modes", "scnn,ant", "--memory", "ideal")
    check(rc == 0, "driver exit %d: %s" % (rc, err))
    with open(os.path.join(c.out, "reproduction.json")) as f:
        net = json.load(f)["memory"]["ideal"]["networks"][0]
    script = os.path.join(os.path.dirname(DRIVER), "conv1x1_spmm.py")
    out_csv = os.path.join(c.work, "conv1x1.csv")
    p = subprocess.run([PYTHON, script, os.path.join(c.out, "per_job.csv"), "--networks", "resnet18",
                        "--trace-root", c.traces, "--ant-vp", c.ant_vp, "--jobs", "2", "--out", out_csv],
                       capture_output=True, text=True)
    check(p.returncode == 0, "conv1x1_spmm.py exit %d: %s" % (p.returncode, p.stderr))
    with open(out_csv) as f:
        (row,) = list(csv.DictReader(f))
    pointwise = [j for j in c.manifest()["jobs"] if j.get("kernel", [0])[0] == 1 or
                 (j["op"] in ("fw", "bd") and j["b_shape"][2:] == [1, 1])]
    check(int(row["pointwise_jobs"]) == len(pointwise) == 3, "pointwise jobs %s, trace has %d"
          % (row["pointwise_jobs"], len(pointwise)))
    for mode in ("scnn", "ant"):
        check(int(row["%s_total_as_conv" % mode]) == net["cycles"][mode], "%s total %s, run %s"
              % (mode, row["%s_total_as_conv" % mode], net["cycles"][mode]))
        lowered = int(row["%s_total_as_conv" % mode]) - int(row["%s_conv_pointwise" % mode]) + \
            int(row["%s_spmm_pointwise" % mode])
        check(int(row["%s_total_as_spmm" % mode]) == lowered and int(row["%s_spmm_pointwise" % mode]) > 0,
              "%s substitution: %r" % (mode, row))
    sys.path.insert(0, os.path.dirname(DRIVER))
    import conv1x1_spmm
    import numpy as np
    for job in pointwise:
        a = np.load(os.path.join(c.trace, job["a"]))
        b = np.load(os.path.join(c.trace, job["b"]))
        s = job["stride"][0]
        if job["op"] == "fw":
            want = np.einsum("kc,ncyx->knyx", b[:, :, 0, 0], a[:, :, ::s, ::s])
        elif job["op"] == "bd":
            want = np.einsum("kc,nkyx->cnyx", b[:, :, 0, 0], a)
        else:
            want = np.einsum("nkyx,ncyx->kc", b, a[:, :, ::s, ::s])
        ma, mb = conv1x1_spmm.matrices(job, c.trace)
        check(np.allclose(ma @ mb, want.reshape(ma.shape[0], -1), atol=1e-5), "%s %s: SPMM != conv" % (job["layer"], job["op"]))


# Host time, the only fields allowed to differ between two runs.
HOST_TIME_FIELDS = ("wall_seconds", "cpu_seconds", "ant_vp_cpu_seconds")


def without_host_time(name, data):
    if name == "reproduction.json":
        doc = json.loads(data)
        for field in HOST_TIME_FIELDS:
            doc["config"].pop(field, None)
        return json.dumps(doc, sort_keys=True).encode()
    if name == "per_job.csv":
        rows = list(csv.reader(data.decode().splitlines()))
        keep = [i for i, col in enumerate(rows[0]) if col not in HOST_TIME_FIELDS]
        check(len(keep) < len(rows[0]), "per_job.csv has no host-time column to leave out: %r" % rows[0])
        return "\n".join(",".join(r[i] for i in keep) for r in rows).encode()
    return data


def main_job_is_deterministic(c):
    outputs = []
    for run in ("first", "second"):
        c.out = os.path.join(c.work, run)
        rc, _, err = c.driver("--modes", "scnn,ant", "--memory", "ideal")
        check(rc == 0, "%s run: driver exit %d: %s" % (run, rc, err))
        files = sorted(os.listdir(c.out))
        check(files == ["energy.png", "per_job.csv", "reproduction.json", "speedup.png", "table.md"],
              "%s run wrote %r" % (run, files))
        contents = {}
        for name in files:
            with open(os.path.join(c.out, name), "rb") as f:
                contents[name] = without_host_time(name, f.read())
        outputs.append(contents)
    for name in outputs[0]:
        check(outputs[0][name] == outputs[1][name], "%s differs between two identical runs" % name)


def sweep_rows_match_reproduction_runs(c):
    sweep = os.path.join(ROOT, "results", "reproduction", "sweep.py")
    out_dir = os.path.join(c.work, "sweeps")
    common = ["--networks", "resnet18", "--modes", "scnn,ant", "--memory", "ideal", "--trace-root", c.traces,
              "--ant-vp", c.ant_vp, "--jobs", "2", "--quiet"]
    p = subprocess.run([PYTHON, sweep, "--sweep", "pe_array.f=2,4", "--out-dir", out_dir] + common,
                       capture_output=True, text=True)
    check(p.returncode == 0, "sweep exit %d: %s" % (p.returncode, p.stderr))
    check(os.path.getsize(os.path.join(out_dir, "pe_array.f.png")) > 0, "no plot")
    check(sorted(os.listdir(out_dir)) == ["pe_array.f.csv", "pe_array.f.png"],
          "sweep left other files: %s" % os.listdir(out_dir))
    with open(os.path.join(out_dir, "pe_array.f.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["network"] == "resnet18"]
    check([r["value"] for r in rows] == ["2", "4"], "rows for values %s" % [r["value"] for r in rows])
    for r in rows:
        out = os.path.join(c.work, "direct-f%s" % r["value"])
        p = subprocess.run([PYTHON, DRIVER, "--out", out, "--set", "pe_array.f=%s" % r["value"]] + common,
                           capture_output=True, text=True)
        check(p.returncode == 0, "reproduce exit %d: %s" % (p.returncode, p.stderr))
        with open(os.path.join(out, "reproduction.json")) as f:
            net = json.load(f)["memory"]["ideal"]["networks"][0]
        for mode in ("scnn", "ant"):
            check(int(r["cycles_" + mode]) == net["cycles"][mode],
                  "f=%s %s cycles: sweep %s, reproduce %s" % (r["value"], mode, r["cycles_" + mode], net["cycles"][mode]))
        check(math.isclose(float(r["speedup_vs_scnn"]), net["speedup_vs_scnn"], rel_tol=1e-5),
              "f=%s speedup: sweep %s, reproduce %s" % (r["value"], r["speedup_vs_scnn"], net["speedup_vs_scnn"]))
    check(rows[0]["cycles_ant"] != rows[1]["cycles_ant"], "pe_array.f did not change ANT's cycles")


def unknown_network_exits_2(c):
    c.expect_refusal(2, "--networks", "resnet18,alexnet", mention=["alexnet"])


def density_zero_exits_2(c):
    c.expect_refusal(2, "--density", "0", mention=["--density"])


def density_above_one_exits_2(c):
    c.expect_refusal(2, "--density", "1.5", mention=["--density"])


def manifest_shape_mismatch_exits_2(c):
    m = c.manifest()
    job = next(j for j in m["jobs"] if j["layer"] == "block.conv" and j["phase"] == "fw")
    job["a_shape"][1] += 1
    with open(os.path.join(c.trace, "manifest.json"), "w") as f:
        json.dump(m, f)
    c.expect_refusal(2, mention=["a_shape", "block.conv"])


def tensor_shape_mismatch_exits_2(c):
    import numpy as np
    job = c.manifest()["jobs"][2]
    np.save(os.path.join(c.trace, job["b"]), np.zeros([2] + job["b_shape"][1:], dtype=np.float32))
    c.expect_refusal(2, mention=[job["b"], "shape"])


def missing_trace_file_exits_2(c):
    job = c.manifest()["jobs"][3]
    os.unlink(os.path.join(c.trace, job["a"]))
    c.expect_refusal(2, mention=[job["a"], "missing"])


def missing_trace_without_exporter_exits_2(c):
    c.expect_refusal(2, "--networks", "vgg16", "--exporter", os.path.join(c.work, "no_exporter.py"),
                     mention=["vgg16-b1-d0.1-s0"])


def missing_ant_vp_exits_2(c):
    c.expect_refusal(2, ant_vp=os.path.join(c.work, "build", "ant-vp"), mention=["ant-vp"])


def unknown_set_key_exits_2(c):
    c.expect_refusal(2, "--modes", "ant", "--set", "pe_array.no_such_key=1", mention=["no_such_key"])


def failing_ant_vp(c, trace):
    """An ant-vp that fails (exit 1) on the strided conv's backward-weight job of one trace only."""
    fake = os.path.join(c.work, "failing-ant-vp")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\ncase \"$*\" in *\"--op bw\"*\"%s\"*\"block.conv.a_bw\"*) "
                "echo 'ant-vp: error: injected failure' >&2; exit 1;; esac\nexec %s \"$@\"\n" % (trace, c.ant_vp))
    os.chmod(fake, 0o755)
    return fake


def job_failure_exits_1_naming_the_job(c):
    c.expect_refusal(1, "--modes", "ant", "--memory", "ideal", ant_vp=failing_ant_vp(c, "resnet18-b1"),
                     mention=["block.conv", "bw", "mode ant", "memory ideal", "injected failure"])


def keep_going_reports_the_other_networks(c):
    make_trace.build(c.traces, "vgg16", 1, 0.1, 0)
    fake = failing_ant_vp(c, "resnet18-b1")
    rc, out, err = c.driver("--modes", "scnn,ant", "--memory", "ideal", "--keep-going", ant_vp=fake,
                            networks="resnet18,vgg16")
    check(rc == 1, "exit %d, expected 1; stderr: %s" % (rc, err))
    check("block.conv bw" in err and "injected failure" in err, "the failed job is not named: %s" % err)
    with open(os.path.join(c.out, "reproduction.json")) as f:
        block = json.load(f)["memory"]["ideal"]
    r18, vgg = block["networks"]
    check(r18["complete"] is False and r18["speedup_vs_scnn"] is None, "resnet18 not marked failed: %r" % r18)
    check(len(r18["failed_jobs"]) == 2 and all("block.conv bw" in j for j in r18["failed_jobs"]),
          "failed jobs %r (expected block.conv bw in scnn and ant)" % r18["failed_jobs"])
    check(vgg["complete"] is True and vgg["speedup_vs_scnn"] > 0, "vgg16 not reported: %r" % vgg)
    check(block["geomean"]["networks"] == ["vgg16"], "geomean over %r" % block["geomean"]["networks"])
    check("failed" in out and "VGG-16" in out, "table does not show both networks:\n%s" % out)


def terminate_kills_jobs_and_writes_nothing(c):
    pids = os.path.join(c.work, "pids")
    fake = os.path.join(c.work, "slow-ant-vp")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\necho $$ >> %s\nexec sleep 120\n" % pids)
    os.chmod(fake, 0o755)
    cmd = [PYTHON, DRIVER, "--networks", "resnet18", "--trace-root", c.traces, "--out", c.out, "--ant-vp", fake,
           "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (os.path.exists(pids) and len(open(pids).read().split()) >= 2):
        time.sleep(0.1)
    check(os.path.exists(pids), "the driver started no job within 60 s")
    proc.terminate()
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise Failure("the driver did not stop within 30 s of SIGTERM")
    check(proc.returncode == 143, "exit %d after SIGTERM, expected 143; stderr: %s" % (proc.returncode, err))
    check("no results written" in err, "stderr does not say nothing was written: %r" % err)
    check(not os.path.exists(c.out) or not os.listdir(c.out), "results were written: %s" % c.out)
    time.sleep(0.5)
    for pid in open(pids).read().split():
        try:
            os.kill(int(pid), 0)
            alive = open("/proc/%s/stat" % pid).read().split()[2] != "Z"
        except (ProcessLookupError, FileNotFoundError):
            alive = False
        check(not alive, "job process %s still runs after the driver stopped" % pid)


CASES = {f.__name__: f for f in (
    sums_match_job_stats, sweep_rows_match_reproduction_runs, unknown_network_exits_2, density_zero_exits_2, density_above_one_exits_2,
    manifest_shape_mismatch_exits_2, tensor_shape_mismatch_exits_2, missing_trace_file_exits_2,
    missing_trace_without_exporter_exits_2, missing_ant_vp_exits_2, unknown_set_key_exits_2,
    job_failure_exits_1_naming_the_job, keep_going_reports_the_other_networks, main_job_is_deterministic,
    terminate_kills_jobs_and_writes_nothing, layout_csr_stores_everything_as_csr,
    dram_energy_recomputes_the_runs_ratios, conv1x1_as_spmm_substitutes_the_pointwise_jobs)}


def main(cases=CASES, doc=__doc__):
    """The command line of a test script with these cases (dask_test.py has its own)."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--ant-vp", help="path of the ant-vp program")
    p.add_argument("--workdir", help="scratch directory (wiped)")
    p.add_argument("--case", help="test case to run")
    p.add_argument("--list", action="store_true", help="list the cases")
    args = p.parse_args()
    if args.list:
        print("\n".join(cases))
        return 0
    if args.case not in cases:
        print("unknown case %r; known: %s" % (args.case, ", ".join(cases)), file=sys.stderr)
        return 2
    try:
        cases[args.case](Case(os.path.abspath(args.ant_vp), os.path.abspath(args.workdir)))
    except Failure as e:
        print("FAIL %s\n%s" % (args.case, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
