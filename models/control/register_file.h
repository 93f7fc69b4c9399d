// The register file: the accelerator's face to the firmware. A 64 KiB target window of
// 32-bit registers (sw/include/ant_accel.h), a queue of up to ANT_ACCEL_QUEUE_CAPACITY
// job-descriptor addresses, and a thread that reads each descriptor from DRAM through the
// bus, checks what it can cheaply (operation, mode and mapping codes, the descriptor's own
// address), hands the job to the job sequencer, waits for it, latches the counters, writes
// the status word back into the descriptor and raises the interrupt.
//
//   firmware --MMIO--> cfg_target
//   desc_initiator --> bus (descriptor reads, status write-back)
//   irq_out = (IRQ_STATUS & IRQ_ENABLE) != 0  -> MEIP
//
// Register accesses must be 32-bit and 4-byte aligned (else TLM_BURST_ERROR_RESPONSE /
// TLM_ADDRESS_ERROR_RESPONSE); an offset with no register answers TLM_ADDRESS_ERROR_RESPONSE
// and a write to a read-only register TLM_COMMAND_ERROR_RESPONSE. See
// docs/accelerator_interface.md.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "ant_accel.h"
#include "common/statistics.h"
#include "layer_job.h"

namespace ant {

class ant_accelerator;

struct register_file_config {
    uint64_t dram_base = 0x80000000u;  // descriptors must lie inside [dram_base, dram_base + dram_size)
    uint64_t dram_size = 1ull << 30;
    sc_core::sc_time access_latency{10, sc_core::SC_NS};  // per register access
    sc_core::sc_time dispatch_latency{20, sc_core::SC_NS};  // checks and hand-off per job
};

class register_file : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<register_file> cfg_target;
    tlm_utils::simple_initiator_socket<register_file> desc_initiator;
    sc_core::sc_out<bool> irq_out;

    register_file(sc_core::sc_module_name name, ant_accelerator& accelerator,
                  const register_file_config& config = register_file_config{});

    statistics stats() const;
    void reset_stats();

    // Called once per job taken from the queue, when its status is final: the descriptor's
    // address, the error code, and the job when it reached the sequencer (else null). For
    // per-job reports; the model itself does not depend on it.
    using job_observer = std::function<void(uint64_t desc_address, ant_error code, const layer_job* job)>;
    void observe_jobs(job_observer observer) { observer_ = std::move(observer); }

    // For tests and reports: the register values as the firmware sees them.
    uint32_t status() const { return status_; }
    uint32_t queue_depth() const { return uint32_t(queue_.size()) + (busy_ ? 1u : 0u); }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    // Register access; false when the offset has no register or the access is not allowed.
    tlm::tlm_response_status read_register(uint32_t offset, uint32_t& value, bool side_effects);
    tlm::tlm_response_status write_register(uint32_t offset, uint32_t value);
    void ring_doorbell();
    void reset();
    void update_irq();
    void drive_irq();
    // reason: the sentence for ERROR_TEXT when the job itself has none (checks made here).
    void finish(uint64_t desc_address, ant_error code, const layer_job* job, const std::string& reason = {});
    void run();
    bool dram_access(tlm::tlm_command cmd, uint64_t address, void* data, unsigned size);

    ant_accelerator& accelerator_;
    register_file_config config_;
    tlm_utils::tlm_quantumkeeper qk_;
    sc_core::sc_event work_, irq_changed_;
    bool irq_level_ = false;

    // Registers.
    uint32_t ctrl_ = 0, status_ = 0, desc_addr_ = 0, irq_enable_ = 0, irq_status_ = 0;
    uint32_t jobs_done_ = 0, error_desc_ = 0, doorbell_result_ = ANT_ERR_NONE;
    std::string error_text_;  // ERROR_TEXT: why the last job failed
    uint64_t counters_[6] = {};  // cycles, vector pairs, valid, RCP, DRAM read, DRAM write
    uint32_t latched_hi_[6] = {};
    std::deque<uint32_t> queue_;
    bool busy_ = false;
    layer_job job_;
    job_observer observer_;

    // Statistics.
    uint64_t reads_ = 0, writes_ = 0, bad_accesses_ = 0, doorbells_ = 0, queue_full_ = 0;
    uint64_t jobs_ok_ = 0, jobs_failed_ = 0, rejected_by_checks_ = 0, irqs_ = 0, desc_bytes_ = 0;
};

}  // namespace ant
