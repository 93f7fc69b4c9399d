#include "job_summary.h"

#include <systemc>

namespace ant {

namespace {
double stat(const block_statistics& blocks, const std::string& block, const std::string& name)
{
    for (const auto& [b, list] : blocks)
        if (b == block)
            for (const auto& s : list)
                if (s.name == name)
                    return s.value;
    return 0.0;
}
}  // namespace

job_summary summarize(const layer_job& job, const simulation& sim)
{
    return summarize(job, sim.block_stats(), sim.config().energy);
}

job_summary summarize(const layer_job& job, const block_statistics& acc, const energy_table& energy)
{
    job_summary s;
    s.op = ant_op_name(ant_op(job.desc.op));
    s.mode = ant_mode_name(mode_of(job.desc));
    s.mapping = ant_mapping_name(mapping_of(job.desc));
    s.cycles = job.cycles;
    s.compute_cycles = uint64_t(stat(acc, "pe_array", "compute_cycles"));
    s.stall_cycles = s.cycles > s.compute_cycles ? s.cycles - s.compute_cycles : 0;
    s.vector_pairs = uint64_t(stat(acc, "pe_array", "vector_pairs"));
    s.broadcast_vectors = uint64_t(stat(acc, "pe_array", "broadcast_vectors"));
    s.products_issued = uint64_t(stat(acc, "pe_array", "products_issued"));
    s.products_valid = uint64_t(stat(acc, "pe_array", "products_valid"));
    s.products_rcp = s.products_issued - s.products_valid;
    // SCNN's valid products are the non-zero pairs with an in-range output, the same set
    // every sparse mode computes; in dense mode the valid count also holds zero operands.
    const bool dense = mode_of(job.desc) == ANT_MODE_DENSE;
    s.products_rcp_scnn = dense ? 0 : job.scnn_products_issued - s.products_valid;
    s.rcp_avoided_vs_scnn = dense ? 0 : int64_t(s.products_rcp_scnn) - int64_t(s.products_rcp);
    s.rcp_share = s.products_issued ? double(s.products_rcp) / double(s.products_issued) : 0.0;
    s.rcp_avoided_share = s.products_rcp_scnn ? double(s.rcp_avoided_vs_scnn) / double(s.products_rcp_scnn) : 0.0;
    const double multipliers = stat(acc, "pe_array", "multipliers");
    s.multiplier_utilisation = s.cycles ? double(s.products_valid) / (double(s.cycles) * multipliers) : 0.0;
    s.bank_conflict_cycles = uint64_t(stat(acc, "pe_array", "bank_conflict_cycles"));
    s.dram_read_bytes = uint64_t(stat(acc, "dma_engine", "dram_read_bytes"));
    s.dram_write_bytes = uint64_t(stat(acc, "dma_engine", "dram_write_bytes"));
    s.energy = job_energy(energy, acc);
    return s;
}

nlohmann::json summary_json(const job_summary& s)
{
    nlohmann::json doc;
    doc["cycles"] = s.cycles;
    doc["compute_cycles"] = s.compute_cycles;
    doc["stall_cycles"] = s.stall_cycles;
    doc["vector_pairs"] = s.vector_pairs;
    doc["broadcast_vectors"] = s.broadcast_vectors;
    doc["products_issued"] = s.products_issued;
    doc["products_valid"] = s.products_valid;
    doc["products_rcp"] = s.products_rcp;
    doc["products_rcp_scnn"] = s.products_rcp_scnn;
    doc["rcp_avoided_vs_scnn"] = s.rcp_avoided_vs_scnn;
    doc["rcp_share"] = s.rcp_share;
    doc["rcp_avoided_share"] = s.rcp_avoided_share;
    doc["multiplier_utilisation"] = s.multiplier_utilisation;
    doc["bank_conflict_cycles"] = s.bank_conflict_cycles;
    doc["dram_read_bytes"] = s.dram_read_bytes;
    doc["dram_write_bytes"] = s.dram_write_bytes;
    doc["energy_pj"] = s.energy.total_pj();
    doc["energy"] = to_json(s.energy);
    return doc;
}

nlohmann::json summary_units()
{
    return {
        {"cycles", "accelerator clock cycles, job start to last output drained"},
        {"compute_cycles", "cycles: busiest PE's multiply cycles, summed over stationary passes"},
        {"stall_cycles", "cycles: cycles minus compute_cycles (broadcast limits, FIFO back-pressure, load imbalance, loads, drains)"},
        {"vector_pairs", "pairs: broadcast x stationary vector pairs issued to multipliers"},
        {"broadcast_vectors", "vectors: F-wide vectors sent on the broadcast path"},
        {"products_issued", "products: multiplications performed"},
        {"products_valid", "products: multiplications whose output lands inside the output plane"},
        {"products_rcp", "products: redundant Cartesian products, issued minus valid"},
        {"products_rcp_scnn", "products: RCPs an SCNN-like array issues on the same data"},
        {"rcp_avoided_vs_scnn", "products: products_rcp_scnn minus products_rcp"},
        {"rcp_share", "1: products_rcp / products_issued"},
        {"rcp_avoided_share", "1: rcp_avoided_vs_scnn / products_rcp_scnn"},
        {"multiplier_utilisation", "1: products_valid / (cycles x multipliers)"},
        {"bank_conflict_cycles", "PE-cycles lost to accumulator bank conflicts"},
        {"dram_read_bytes", "bytes the accelerator read from DRAM (operands and plane tables)"},
        {"dram_write_bytes", "bytes the accelerator wrote to DRAM (outputs)"},
        {"energy_pj", "pJ: multiplies, accumulations, index arithmetic, SRAM and DRAM accesses (see energy, energy_table)"}
    };
}

nlohmann::json job_json(const layer_job& job, const job_summary& s)
{
    const ant_geometry& g = job.geometry;
    return {{"op", s.op}, {"mode", s.mode}, {"relu", (job.desc.flags & ANT_JOB_FLAG_RELU) != 0},
            {"topk", (job.desc.flags & ANT_JOB_FLAG_TOPK) ? job.desc.topk : 0u},
            {"out_format", job.desc.out.format == ANT_FORMAT_DENSE ? "dense" : "csr"},
            {"a_format", job.desc.a.format == ANT_FORMAT_DENSE ? "dense" : "csr"},
            {"b_format", job.desc.b.format == ANT_FORMAT_DENSE ? "dense" : "csr"},
            {"n", job.desc.n}, {"c", job.desc.c}, {"k", job.desc.k},
            {"stationary", {g.stationary[0], g.stationary[1]}},
            {"broadcast", {g.broadcast[0], g.broadcast[1]}},
            {"output", {g.output[0], g.output[1]}},
            {"stride", {g.stride[0], g.stride[1]}},
            {"pad", {g.pad[0], g.pad[1]}},
            {"mapping", s.mapping}};
}

nlohmann::json stats_document(const job_summary& s, const layer_job& job, const simulation& sim,
                              double wall_seconds)
{
    using json = nlohmann::json;
    json doc = summary_json(s);
    doc["energy_table"] = to_json(sim.config().energy);
    doc["simulated_ns"] = sc_core::sc_time_stamp().to_seconds() * 1e9;
    doc["wall_seconds"] = wall_seconds;
    doc["units"] = summary_units();
    doc["units"]["simulated_ns"] = "ns of simulated time at the end of the job";
    doc["units"]["wall_seconds"] = "s of host time for the simulation";
    doc["job"] = job_json(job, s);
    doc["config"] = to_json(sim.config().accelerator);
    const json dram_config = to_json(sim.config().dram);
    for (auto it = dram_config.begin(); it != dram_config.end(); ++it)
        doc["config"]["dram." + it.key()] = *it;
    json blocks = json::object();
    for (const auto& [block, list] : sim.block_stats()) {
        json b = json::object();
        for (const auto& st : list)
            b[st.name] = {{"value", st.value}, {"unit", st.unit}, {"description", st.description}};
        blocks[block] = b;
    }
    doc["blocks"] = blocks;
    return doc;
}

}  // namespace ant
