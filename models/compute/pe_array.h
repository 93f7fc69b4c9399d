// The PE array: P PEs with F x I multipliers each, planar tiling of the stationary plane,
// broadcast FIFOs, scatter crossbar into accumulator banks (models/algo/outer_product.h
// does the arithmetic and the cycle count). Products are accumulated in place in the
// accumulator buffer, reached through DMI as the banks sit beside the multipliers.
#pragma once

#include <cstdint>
#include <memory>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "common/statistics.h"
#include "outer_product.h"

namespace ant {

// One stationary pass: a stationary plane against broadcast planes, each accumulating into
// an output plane at an address of the accumulator buffer.
struct pe_pass {
    uint32_t job_id = 0;
    const ant_geometry* geometry = nullptr;
    ant_mode mode = ANT_MODE_ANT;
    ant_mapping mapping = ANT_MAPPING_PLANAR;
    uint32_t n_outputs = 0;           // output planes of the job (partial-sum accounting)
    const csr_plane* stationary = nullptr;
    ant_broadcast_job* jobs = nullptr;  // output pointers are filled in by the PE array
    const uint64_t* output_addresses = nullptr;
    uint32_t n_jobs = 0;
    ant_counters counters{};  // out: what this pass did
};

// Reports the partial sums exchanged between PEs so far in a job (halo / cross-PE
// reduction traffic), and releases the job's state when end_of_job is set.
struct pe_psum_report {
    uint32_t job_id = 0;
    bool end_of_job = false;
    uint64_t exported_psums = 0;  // out: cumulative over the job
};

// Which mapping each operation uses; hybrid keeps SCNN's planar tiling for the forward and
// backward-data convolutions and spreads the backward-weight plane pairs over the PEs,
// where the "kernel" is a whole gradient plane.
enum class mapping_policy { planar, channel, hybrid };

ant_mapping mapping_for(mapping_policy policy, ant_op op);
const char* mapping_policy_name(mapping_policy policy);

class pe_array : public sc_core::sc_module {
public:
    // Passes come from the fetch unit, partial-sum reports from the sequencer.
    tlm_utils::multi_passthrough_target_socket<pe_array> pass_target;
    tlm_utils::simple_initiator_socket<pe_array> accumulator_initiator;

    // threads: host threads computing each pass (the model's results do not depend on it).
    pe_array(sc_core::sc_module_name name, const ant_array_params& params, sc_core::sc_time clock_period,
             uint32_t threads = 1);
    ~pe_array() override;

    const ant_array_params& params() const { return params_; }
    statistics stats() const;
    void reset_stats();

private:
    void b_transport(int port, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    bool run_pass(pe_pass& pass, sc_core::sc_time& delay);
    float* accumulator(uint64_t address, uint64_t bytes);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    ant_array_params params_;
    sc_core::sc_time clock_;
    uint32_t threads_;
    bool threads_warned_ = false;
    ant_array* array_ = nullptr;
    uint32_t array_job_ = UINT32_MAX;
    tlm::tlm_dmi dmi_;
    bool dmi_valid_ = false;
    ant_counters total_{};
    uint64_t passes_ = 0, exported_psums_ = 0;
};

}  // namespace ant
