#include "simulation.h"

#include <cstdlib>

namespace ant {

simulation::simulation(const accelerator_config& config)
    : accelerator_(std::make_unique<ant_accelerator>("ant", config))
{
}

simulation::~simulation() = default;

void simulation::run(layer_job& job)
{
    accelerator_->reset_stats();
    job.ok = false;
    job.error = "the job did not run";
    accelerator_->submit(&job);
    sc_core::sc_start();  // returns when the sequencer waits for work again
}

}  // namespace ant
