// An on-chip SRAM (kernel, image, accumulator or output buffer) as a TLM-2.0 target: it
// holds real bytes, enforces its capacity, charges access latency by port width and counts
// what crosses its port.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "common/statistics.h"
#include "common/zeroed_array.h"

namespace ant {

struct sram_buffer_config {
    uint64_t capacity_bytes = 512 * 1024;
    uint32_t width_bytes = 64;    // bytes per access (one access per cycle and bank)
    uint32_t banks = 1;           // a long transfer is striped over all banks
    uint32_t latency_cycles = 2;  // first-access latency
};

class sram_buffer : public sc_core::sc_module {
public:
    // Several blocks share a buffer (the sequencer loads it, the fetch unit reads it).
    tlm_utils::multi_passthrough_target_socket<sram_buffer> data_target;

    sram_buffer(sc_core::sc_module_name name, const sram_buffer_config& config,
                sc_core::sc_time clock_period);

    const sram_buffer_config& config() const { return config_; }
    statistics stats() const;
    void reset_stats();

private:
    void b_transport(int port, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(int port, tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(int port, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    bool check(tlm::tlm_generic_payload& trans);

    sram_buffer_config config_;
    sc_core::sc_time clock_;
    zeroed_array<unsigned char> memory_;  // pages a job never uses are never touched
    uint64_t read_bytes_ = 0, write_bytes_ = 0, read_accesses_ = 0, write_accesses_ = 0;
    uint64_t high_water_ = 0, errors_ = 0, dmi_grants_ = 0;
};

}  // namespace ant
