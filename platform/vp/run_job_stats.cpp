#include "run_job_stats.h"

#include <cstdio>

namespace ant {

namespace {

// Counters at the end of this job minus those at the end of the previous one. Values that
// describe the hardware rather than count events (the multiplier count) keep their value.
block_statistics difference(const block_statistics& now, const block_statistics& before)
{
    block_statistics out = now;
    for (auto& [block, list] : out)
        for (statistic& s : list) {
            if (block == "pe_array" && (s.name == "multipliers" || s.name == "pes"))
                continue;
            for (const auto& [b, old] : before)
                if (b == block)
                    for (const statistic& o : old)
                        if (o.name == s.name)
                            s.value -= o.value;
        }
    return out;
}

std::string hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%08llx", static_cast<unsigned long long>(v));
    return b;
}

}  // namespace

run_job_stats::run_job_stats(const ant_accelerator& accelerator, const energy_table& energy)
    : accelerator_(accelerator), energy_(energy), previous_(accelerator.block_stats())
{
}

void run_job_stats::job_finished(uint64_t desc_address, ant_error code, const layer_job* job)
{
    nlohmann::json entry;
    entry["index"] = jobs_.size();
    entry["descriptor"] = hex(desc_address);
    entry["error"] = int(code);
    ++totals_.jobs;
    if (code != ANT_ERR_NONE)
        ++totals_.failed;
    const block_statistics now = accelerator_.block_stats();
    if (job) {  // it reached the sequencer: it has counters (a failed one may have partial ones)
        const job_summary s = summarize(*job, difference(now, previous_), energy_);
        entry["job"] = job_json(*job, s);
        entry.update(summary_json(s));
        totals_.cycles += s.cycles;
        totals_.products_issued += s.products_issued;
        totals_.products_rcp += s.products_rcp;
        totals_.dram_read_bytes += s.dram_read_bytes;
        totals_.dram_write_bytes += s.dram_write_bytes;
        totals_.energy.multiply_pj += s.energy.multiply_pj;
        totals_.energy.accumulate_pj += s.energy.accumulate_pj;
        totals_.energy.index_pj += s.energy.index_pj;
        totals_.energy.sram_pj += s.energy.sram_pj;
        totals_.energy.dram_pj += s.energy.dram_pj;
    }
    previous_ = now;
    jobs_.push_back(entry);
}

nlohmann::json run_job_stats::to_json() const
{
    const totals& t = totals_;
    nlohmann::json units = summary_units();
    units["index"] = "order in which the jobs finished, from 0";
    units["descriptor"] = "address of the job descriptor";
    units["error"] = "the job's error code (ANT_ERR_*, 0 = none); rejected jobs have no counters";
    units["jobs"] = "jobs taken from the queue; failed: of them, finished with an error code";
    return {{"jobs", jobs_},
            {"totals",
             {{"jobs", t.jobs},
              {"failed", t.failed},
              {"cycles", t.cycles},
              {"products_issued", t.products_issued},
              {"products_rcp", t.products_rcp},
              {"rcp_share", t.products_issued ? double(t.products_rcp) / double(t.products_issued) : 0.0},
              {"dram_read_bytes", t.dram_read_bytes},
              {"dram_write_bytes", t.dram_write_bytes},
              {"energy_pj", t.energy.total_pj()},
              {"energy", ant::to_json(t.energy)}}},
            {"energy_table", ant::to_json(energy_)},
            {"units", units}};
}

}  // namespace ant
