#!/usr/bin/python3
"""Per-job statistics of `ant-vp run --stats` (platform/vp/run_job_stats.h).

run_stats_test.py ANT_VP FIRMWARE_DIR WORKDIR

accel_errors.elf submits good jobs and jobs with every kind of error. The statistics must
hold one entry per job the register file took (its jobs_ok + jobs_failed), each job that ran
with the same top-level summary keys as `ant-vp layer --stats`, totals equal to the sums of
the entries and to the accelerator's run-wide DRAM counters, and one quantum stated for the
platform and the accelerator (the one given with --quantum-ns, 10000 ns by default).
"""
import json
import os
import subprocess
import sys

import numpy as np


def run_vp(vp, args):
    p = subprocess.run([vp] + args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {p.returncode}: {p.stderr}")


def stat(doc, name):
    return doc["statistics"][name]["value"]


def main():
    vp, fw, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    # The keys `ant-vp layer` puts at the top of its statistics for one job.
    a = os.path.join(work, "a.npy")
    b = os.path.join(work, "b.npy")
    rng = np.random.default_rng(1)
    np.save(a, (rng.random((6, 5)) * (rng.random((6, 5)) > 0.5)).astype(np.float32))
    np.save(b, rng.random((5, 4)).astype(np.float32))
    layer_json = os.path.join(work, "layer.json")
    run_vp(vp, ["layer", "--op", "spmm", "--a", a, "--b", b, "--out", os.path.join(work, "o.npy"),
                "--stats", layer_json])
    layer = json.load(open(layer_json))
    summary_keys = set(layer["units"]) - {"simulated_ns", "wall_seconds"}
    summary_keys |= {"energy"}
    assert summary_keys <= set(layer), summary_keys - set(layer)

    run_json = os.path.join(work, "run.json")
    run_vp(vp, ["run", "--firmware", os.path.join(fw, "accel_errors.elf"), "--stats", run_json])
    doc = json.load(open(run_json))
    jobs = doc["jobs"]
    taken = stat(doc, "register_file.jobs_ok") + stat(doc, "register_file.jobs_failed")
    assert len(jobs) == taken, (len(jobs), taken)
    assert [j["index"] for j in jobs] == list(range(len(jobs)))
    ran = [j for j in jobs if "cycles" in j]
    ok = [j for j in jobs if j["error"] == 0]
    assert len(ok) == stat(doc, "register_file.jobs_ok") and all("cycles" in j for j in ok)
    assert len(ran) < len(jobs), "accel_errors has jobs rejected before the sequencer"
    for j in ran:
        missing = summary_keys - set(j)
        assert not missing, (j["index"], missing)
        assert j["job"]["op"] and j["job"]["mode"], j
    for j in ok:
        assert j["cycles"] > 0 and j["products_issued"] > 0 and j["energy_pj"] > 0, j
        assert j["dram_read_bytes"] > 0 and j["dram_write_bytes"] > 0, j
        assert abs(j["rcp_share"] - j["products_rcp"] / j["products_issued"]) < 1e-12, j
    t = doc["job_totals"]
    assert t["jobs"] == len(jobs) and t["failed"] == len(jobs) - len(ok), t
    for key in ("cycles", "products_issued", "products_rcp", "dram_read_bytes", "dram_write_bytes"):
        assert t[key] == sum(j.get(key, 0) for j in jobs), key
    assert abs(t["energy_pj"] - sum(j.get("energy_pj", 0) for j in jobs)) <= 1e-9 * t["energy_pj"], t
    # The per-job differences add up to what the DMA engine counted over the whole run.
    assert t["dram_read_bytes"] == stat(doc, "accelerator.dma_engine.dram_read_bytes"), t
    assert t["dram_write_bytes"] == stat(doc, "accelerator.dma_engine.dram_write_bytes"), t
    assert doc["configuration"]["sim"]["quantum_ns"] == 10000
    assert doc["accelerator_configuration"]["sim.quantum_ns"] == 10000

    run_vp(vp, ["run", "--firmware", os.path.join(fw, "accel_errors.elf"), "--stats", run_json,
                "--quantum-ns", "2500"])
    doc = json.load(open(run_json))
    assert doc["configuration"]["sim"]["quantum_ns"] == 2500
    assert doc["accelerator_configuration"]["sim.quantum_ns"] == 2500
    print(f"ok: {len(jobs)} jobs ({len(ok)} ok), {t['cycles']} cycles in total")


if __name__ == "__main__":
    main()
