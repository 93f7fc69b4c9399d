"""Per-network totals of a whole training iteration and the ratios the paper reports.

A network's iteration is the sum over all its trace jobs (every layer's FW, BD and BW).
Speedup = SCNN+ cycles / ANT cycles; energy ratio = SCNN+ energy / ANT energy (total, and
on-chip only, i.e. without DRAM accesses); RCPs anticipated = the share of the RCPs SCNN+
would issue that ANT never issues, from the counts of ANT's runs (`rcp_avoided_vs_scnn`
over `products_rcp_scnn`); RCP share of SCNN+ = SCNN+'s RCPs over its issued products.
"""
import paper
from traces import PHASES


def _ratio(num, den):
    return num / den if num is not None and den else None


def _network_summary(network, records, modes):
    cycles = {m: 0 for m in modes}
    energy = {m: 0.0 for m in modes}
    energy_onchip = {m: 0.0 for m in modes}
    phase_cycles = {m: {p: 0 for p in PHASES} for m in modes}
    products = {m: {"issued": 0, "valid": 0, "rcp": 0} for m in modes}
    rcp_scnn_seen_by_ant = rcp_avoided = 0
    dram_bytes = {m: 0 for m in modes}
    for r in records:
        m = r["mode"]
        cycles[m] += r["cycles"]
        energy[m] += r["energy_pj"]
        energy_onchip[m] += r["energy_pj"] - r["energy_dram_pj"]
        phase_cycles[m][r["phase"]] += r["cycles"]
        products[m]["issued"] += r["products_issued"]
        products[m]["valid"] += r["products_valid"]
        products[m]["rcp"] += r["products_rcp"]
        dram_bytes[m] += r["dram_read_bytes"] + r["dram_write_bytes"]
        if m == "ant":
            rcp_scnn_seen_by_ant += r["products_rcp_scnn"]
            rcp_avoided += r["rcp_avoided_vs_scnn"]
    have = set(modes)
    scnn, ant = "scnn" in have, "ant" in have
    return {
        "name": network,
        "label": paper.LABELS[network],
        "jobs": len(records) // max(len(modes), 1),
        "speedup_vs_scnn": _ratio(cycles.get("scnn"), cycles.get("ant")) if scnn and ant else None,
        "energy_ratio_vs_scnn": _ratio(energy.get("scnn"), energy.get("ant")) if scnn and ant else None,
        "energy_ratio_vs_scnn_onchip": _ratio(energy_onchip.get("scnn"), energy_onchip.get("ant"))
        if scnn and ant else None,
        "ideal_speedup_vs_scnn": _ratio(cycles.get("scnn"), cycles.get("ideal")) if scnn and "ideal" in have else None,
        "rcp_anticipated": _ratio(rcp_avoided, rcp_scnn_seen_by_ant) if ant else None,
        "rcp_share_scnn": _ratio(products["scnn"]["rcp"], products["scnn"]["issued"]) if scnn else None,
        "cycles": cycles,
        "energy_pj": energy,
        "energy_onchip_pj": energy_onchip,
        "phase_cycles": phase_cycles,
        "products": products,
        "dram_bytes": dram_bytes,
        "paper": {"speedup_vs_scnn": paper.speedup(network),
                  "energy_ratio_vs_scnn": paper.energy_ratio(network),
                  "energy_relative_to_scnn": paper.VALUES[network][1]},
    }


def _failed_summary(network, failed_jobs):
    """A network with a failed job has no iteration total: every figure is null."""
    return {"name": network, "label": paper.LABELS[network], "complete": False, "failed_jobs": failed_jobs,
            "speedup_vs_scnn": None, "energy_ratio_vs_scnn": None, "energy_ratio_vs_scnn_onchip": None,
            "ideal_speedup_vs_scnn": None, "rcp_anticipated": None, "rcp_share_scnn": None,
            "paper": {"speedup_vs_scnn": paper.speedup(network), "energy_ratio_vs_scnn": paper.energy_ratio(network),
                      "energy_relative_to_scnn": paper.VALUES[network][1]}}


def summarise(records, networks, modes, memories, failed=None):
    """{memory: {"networks": [per-network summary], "geomean": {...}}} from per-job records.

    failed: network -> labels of its failed jobs (only with --keep-going); such a network is
    reported as failed (in every memory setting) and left out of the geomeans."""
    failed = failed or {}
    out = {}
    for memory in memories:
        nets = []
        for network in networks:
            if network in failed:
                nets.append(_failed_summary(network, failed[network]))
                continue
            rs = [r for r in records if r["network"] == network and r["memory"] == memory]
            nets.append(dict(_network_summary(network, rs, modes), complete=True))
        out[memory] = {"networks": nets, "geomean": geomeans([n for n in nets if n["complete"]])}
    return out


def geomeans(nets):
    g = {key: paper.geomean(n[key] for n in nets)
         for key in ("speedup_vs_scnn", "energy_ratio_vs_scnn", "energy_ratio_vs_scnn_onchip",
                     "ideal_speedup_vs_scnn")}
    # The paper states its geomeans over all five networks; over a subset the comparable
    # figure is the geomean of the paper's bars for those networks.
    names = [n["name"] for n in nets]
    all_five = sorted(names) == sorted(paper.VALUES)
    g["networks"] = names
    g["paper"] = {
        "speedup_vs_scnn": paper.GEOMEAN_SPEEDUP if all_five else paper.geomean(paper.speedup(n) for n in names),
        "energy_ratio_vs_scnn": paper.GEOMEAN_ENERGY_RATIO if all_five
        else paper.geomean(paper.energy_ratio(n) for n in names),
        "over": "the paper's stated geomean of all five networks" if all_five
        else "geomean of the paper's bars for these networks",
    }
    return g
