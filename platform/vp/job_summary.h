// The numbers a user reads first for one job, derived from the job and the blocks'
// counters, with their units; and the full statistics document (JSON) around them.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "layer_job.h"
#include "simulation.h"

namespace ant {

struct job_summary {
    std::string op, mode, mapping;
    uint64_t cycles = 0;
    uint64_t compute_cycles = 0;
    uint64_t stall_cycles = 0;
    uint64_t vector_pairs = 0;
    uint64_t broadcast_vectors = 0;
    uint64_t products_issued = 0;
    uint64_t products_valid = 0;
    uint64_t products_rcp = 0;
    uint64_t products_rcp_scnn = 0;
    int64_t rcp_avoided_vs_scnn = 0;
    double rcp_share = 0;           // RCPs / issued
    double rcp_avoided_share = 0;   // avoided / SCNN's RCPs
    double multiplier_utilisation = 0;
    uint64_t bank_conflict_cycles = 0;
    uint64_t dram_read_bytes = 0, dram_write_bytes = 0;
    energy_breakdown energy;
};

using block_statistics = std::vector<std::pair<std::string, statistics>>;

// From the job and the blocks' counters of that job alone (names as the blocks report them).
job_summary summarize(const layer_job& job, const block_statistics& blocks, const energy_table& energy);
job_summary summarize(const layer_job& job, const simulation& sim);

// The top-level numbers, the same for `ant-vp layer` and each job of `ant-vp run --stats`,
// and their units.
nlohmann::json summary_json(const job_summary& summary);
nlohmann::json summary_units();
// The job's operation, mode, flags and shape.
nlohmann::json job_json(const layer_job& job, const job_summary& summary);

// Top-level numbers (with a "units" map), the job, the configuration and every block's
// counters.
nlohmann::json stats_document(const job_summary& summary, const layer_job& job, const simulation& sim,
                              double wall_seconds);

}  // namespace ant
