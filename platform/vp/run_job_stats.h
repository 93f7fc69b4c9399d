// Per-job statistics of `ant-vp run --stats`: one entry per job the firmware submitted, with
// the same top-level summary as `ant-vp layer` (cycles, RCP share, energy, DRAM bytes), and
// the totals over the run. The accelerator's counters accumulate over the run; a job's own
// numbers are the difference between the counters at its end and at the end of the job
// before it (jobs run one at a time, so nothing else moves them in between).
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "ant_accel.h"
#include "ant_accelerator.h"
#include "energy_model.h"
#include "job_summary.h"

namespace ant {

class run_job_stats {
public:
    run_job_stats(const ant_accelerator& accelerator, const energy_table& energy);

    // register_file::job_observer
    void job_finished(uint64_t desc_address, ant_error code, const layer_job* job);

    // {"jobs": [...], "totals": {...}, "units": {...}}
    nlohmann::json to_json() const;

private:
    const ant_accelerator& accelerator_;
    energy_table energy_;
    block_statistics previous_;
    nlohmann::json jobs_ = nlohmann::json::array();
    struct totals {
        uint64_t jobs = 0, failed = 0, cycles = 0, products_issued = 0, products_rcp = 0;
        uint64_t dram_read_bytes = 0, dram_write_bytes = 0;
        energy_breakdown energy;
    } totals_;
};

}  // namespace ant
