// One elaborated accelerator per process (SystemC elaborates once), running jobs one after
// another: each job is submitted, the kernel runs until the sequencer idles, and the
// counters are reset between jobs so that each job's statistics are its own.
#pragma once

#include <memory>

#include "ant_accelerator.h"
#include "layer_job.h"

namespace ant {

class simulation {
public:
    explicit simulation(const accelerator_config& config);
    ~simulation();

    // Runs one job to completion; job.ok / job.error tell how it went. The accelerator's
    // block statistics describe this job until the next run.
    void run(layer_job& job);

    const ant_accelerator& accelerator() const { return *accelerator_; }

private:
    std::unique_ptr<ant_accelerator> accelerator_;
};

}  // namespace ant
