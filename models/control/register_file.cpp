#include "register_file.h"

#include <cstddef>
#include <cstring>
#include <sstream>

#include "ant_accelerator.h"

namespace ant {

namespace {
const char* const msg_type = "ant/register_file";

// Counter registers: LO at ANT_REG_CYCLES_LO + 8 * i, HI 4 bytes above.
constexpr uint32_t counter_count = 6;
bool counter_register(uint32_t offset, uint32_t& index, bool& hi)
{
    if (offset < ANT_REG_CYCLES_LO || offset > ANT_REG_DRAM_WRITE_HI)
        return false;
    index = (offset - ANT_REG_CYCLES_LO) / 8;
    hi = ((offset - ANT_REG_CYCLES_LO) & 4u) != 0;
    return index < counter_count;
}

std::string hex(uint64_t v)
{
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
}

}  // namespace

register_file::register_file(sc_core::sc_module_name name, ant_accelerator& accelerator,
                             const register_file_config& config)
    : sc_module(name), cfg_target("cfg_target"), desc_initiator("desc_initiator"), irq_out("irq_out"),
      accelerator_(accelerator), config_(config)
{
    cfg_target.register_b_transport(this, &register_file::b_transport);
    cfg_target.register_transport_dbg(this, &register_file::transport_dbg);
    SC_HAS_PROCESS(register_file);
    SC_THREAD(run);
    SC_METHOD(drive_irq);
    sensitive << irq_changed_;
    dont_initialize();
}

// ---- Register accesses ------------------------------------------------------------------

void register_file::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    delay += config_.access_latency;
    const uint64_t address = trans.get_address();
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    if (trans.get_data_length() != 4 || trans.get_streaming_width() < 4 || trans.get_byte_enable_ptr()) {
        ++bad_accesses_;
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if ((address & 3u) != 0 || address >= 0x10000u) {
        ++bad_accesses_;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const uint32_t offset = uint32_t(address);
    uint32_t value = 0;
    tlm::tlm_response_status r = tlm::TLM_COMMAND_ERROR_RESPONSE;
    if (trans.is_read()) {
        ++reads_;
        r = read_register(offset, value, true);
        if (r == tlm::TLM_OK_RESPONSE)
            std::memcpy(trans.get_data_ptr(), &value, 4);
    } else if (trans.is_write()) {
        ++writes_;
        std::memcpy(&value, trans.get_data_ptr(), 4);
        r = write_register(offset, value);
    }
    if (r != tlm::TLM_OK_RESPONSE)
        ++bad_accesses_;
    trans.set_response_status(r);
}

unsigned int register_file::transport_dbg(tlm::tlm_generic_payload& trans)
{
    // Debug reads only (a debugger looking at the registers): no side effects.
    if (!trans.is_read() || trans.get_data_length() != 4 || (trans.get_address() & 3u) != 0 ||
        trans.get_address() >= 0x10000u)
        return 0;
    uint32_t value = 0;
    if (read_register(uint32_t(trans.get_address()), value, false) != tlm::TLM_OK_RESPONSE)
        return 0;
    std::memcpy(trans.get_data_ptr(), &value, 4);
    return 4;
}

tlm::tlm_response_status register_file::read_register(uint32_t offset, uint32_t& value, bool side_effects)
{
    uint32_t index = 0;
    bool hi = false;
    if (counter_register(offset, index, hi)) {
        // Reading LO latches HI, so that a LO-then-HI pair is consistent.
        if (!hi) {
            value = uint32_t(counters_[index]);
            if (side_effects)
                latched_hi_[index] = uint32_t(counters_[index] >> 32);
        } else {
            value = latched_hi_[index];
        }
        return tlm::TLM_OK_RESPONSE;
    }
    switch (offset) {
    case ANT_REG_ID: value = ANT_ACCEL_ID_VALUE; break;
    case ANT_REG_VERSION: value = ANT_ACCEL_VERSION_VALUE; break;
    case ANT_REG_CTRL: value = ctrl_ & ANT_CTRL_ENABLE; break;
    case ANT_REG_STATUS: value = status_ | (busy_ ? ANT_STATUS_BUSY : 0u); break;
    case ANT_REG_DESC_ADDR: value = desc_addr_; break;
    case ANT_REG_DOORBELL: value = doorbell_result_; break;
    case ANT_REG_QUEUE_DEPTH: value = queue_depth(); break;
    case ANT_REG_IRQ_ENABLE: value = irq_enable_; break;
    case ANT_REG_IRQ_STATUS: value = irq_status_; break;
    case ANT_REG_JOBS_DONE: value = jobs_done_; break;
    case ANT_REG_ERROR_DESC: value = error_desc_; break;
    default:
        if (offset >= ANT_REG_ERROR_TEXT && offset < ANT_REG_ERROR_TEXT + ANT_ERROR_TEXT_BYTES) {
            value = 0;
            for (uint32_t i = 0; i < 4; ++i) {
                const size_t at = offset - ANT_REG_ERROR_TEXT + i;
                if (at < error_text_.size())
                    value |= uint32_t(static_cast<unsigned char>(error_text_[at])) << (8 * i);
            }
            break;
        }
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    }
    return tlm::TLM_OK_RESPONSE;
}

tlm::tlm_response_status register_file::write_register(uint32_t offset, uint32_t value)
{
    switch (offset) {
    case ANT_REG_CTRL:
        if (value & ANT_CTRL_RESET)
            reset();
        ctrl_ = value & ANT_CTRL_ENABLE;
        if (ctrl_ & ANT_CTRL_ENABLE)
            work_.notify(sc_core::SC_ZERO_TIME);
        return tlm::TLM_OK_RESPONSE;
    case ANT_REG_DESC_ADDR: desc_addr_ = value; return tlm::TLM_OK_RESPONSE;
    case ANT_REG_DOORBELL: ring_doorbell(); return tlm::TLM_OK_RESPONSE;
    case ANT_REG_IRQ_ENABLE:
        irq_enable_ = value & (ANT_IRQ_DONE | ANT_IRQ_ERROR);
        update_irq();
        return tlm::TLM_OK_RESPONSE;
    case ANT_REG_IRQ_STATUS:  // write 1 to clear
        irq_status_ &= ~value;
        update_irq();
        return tlm::TLM_OK_RESPONSE;
    default: break;
    }
    uint32_t index = 0;
    bool hi = false;
    if (counter_register(offset, index, hi))
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    uint32_t ignored = 0;
    return read_register(offset, ignored, false) == tlm::TLM_OK_RESPONSE ? tlm::TLM_COMMAND_ERROR_RESPONSE
                                                                          : tlm::TLM_ADDRESS_ERROR_RESPONSE;
}

void register_file::ring_doorbell()
{
    ++doorbells_;
    if (queue_depth() >= ANT_ACCEL_QUEUE_CAPACITY) {
        // Nothing is queued: the firmware learns it from DOORBELL, STATUS and the interrupt.
        ++queue_full_;
        doorbell_result_ = ANT_ERR_QUEUE_FULL;
        status_ = ANT_STATUS_DONE | ANT_STATUS_ERROR | (uint32_t(ANT_ERR_QUEUE_FULL) << ANT_STATUS_ERROR_SHIFT);
        error_desc_ = desc_addr_;
        error_text_ = "the doorbell rang with " + std::to_string(ANT_ACCEL_QUEUE_CAPACITY) +
                      " jobs already queued; the descriptor was not queued";
        irq_status_ |= ANT_IRQ_ERROR;
        update_irq();
        return;
    }
    doorbell_result_ = ANT_ERR_NONE;
    queue_.push_back(desc_addr_);
    work_.notify(sc_core::SC_ZERO_TIME);
}

void register_file::reset()
{
    // A running job cannot be taken back from the sequencer: it completes and reports.
    queue_.clear();
    status_ = 0;
    irq_status_ = 0;
    jobs_done_ = 0;
    error_desc_ = 0;
    error_text_.clear();
    doorbell_result_ = ANT_ERR_NONE;
    for (uint32_t i = 0; i < counter_count; ++i)
        counters_[i] = latched_hi_[i] = 0;
    update_irq();
}

void register_file::update_irq()
{
    // Registers change in the caller's process (the core's MMIO access, or the job thread);
    // one method drives the line, so the signal has a single driver.
    irq_level_ = (irq_status_ & irq_enable_) != 0;
    irq_changed_.notify(sc_core::SC_ZERO_TIME);
}

void register_file::drive_irq()
{
    if (irq_level_ && !irq_out.read())
        ++irqs_;
    irq_out.write(irq_level_);
}

// ---- Job processing ---------------------------------------------------------------------

bool register_file::dram_access(tlm::tlm_command cmd, uint64_t address, void* data, unsigned size)
{
    tlm::tlm_generic_payload trans;
    trans.set_command(cmd);
    trans.set_address(address);
    trans.set_data_ptr(static_cast<unsigned char*>(data));
    trans.set_data_length(size);
    trans.set_streaming_width(size);
    trans.set_byte_enable_ptr(nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = qk_.get_local_time();
    desc_initiator->b_transport(trans, delay);
    qk_.set(delay);
    if (qk_.need_sync())
        qk_.sync();
    return trans.is_response_ok();
}

void register_file::finish(uint64_t desc_address, ant_error code, const layer_job* job, const std::string& reason)
{
    if (job) {
        counters_[0] = job->cycles;
        counters_[1] = job->vector_pairs;
        counters_[2] = job->products_valid;
        counters_[3] = job->products_rcp;
        counters_[4] = job->dram_read_bytes;
        counters_[5] = job->dram_write_bytes;
    } else {
        for (uint32_t i = 0; i < counter_count; ++i)
            counters_[i] = 0;
    }
    // The status word in the descriptor (skipped when the descriptor itself is unreachable).
    if (code != ANT_ERR_ADDRESS && code != ANT_ERR_MISALIGNED) {
        uint32_t word = uint32_t(code);
        if (!dram_access(tlm::TLM_WRITE_COMMAND, desc_address + offsetof(ant_job_desc, status), &word, 4) &&
            code == ANT_ERR_NONE)
            code = ANT_ERR_BUS;
    }
    // Registers change when the job's time has come, not ahead of it in the quantum.
    qk_.sync();
    busy_ = false;
    ++jobs_done_;
    status_ = ANT_STATUS_DONE;
    if (code == ANT_ERR_NONE) {
        ++jobs_ok_;
        irq_status_ |= ANT_IRQ_DONE;
    } else {
        ++jobs_failed_;
        status_ |= ANT_STATUS_ERROR | (uint32_t(code) << ANT_STATUS_ERROR_SHIFT);
        error_desc_ = uint32_t(desc_address);
        error_text_ = job && !job->error.empty() ? job->error : reason;
        if (error_text_.empty())
            error_text_ = code == ANT_ERR_BUS ? "writing the descriptor's status word failed" : "the job failed";
        // Keep the last byte for the NUL the firmware looks for.
        if (error_text_.size() >= ANT_ERROR_TEXT_BYTES)
            error_text_.resize(ANT_ERROR_TEXT_BYTES - 1);
        irq_status_ |= ANT_IRQ_ERROR;
        std::ostringstream m;
        m << "job at 0x" << std::hex << desc_address << std::dec << " failed with error " << int(code) << ": "
          << error_text_;
        // The firmware sees the code and the sentence; the log shows it at --log-level info.
        SC_REPORT_INFO_VERB(msg_type, m.str().c_str(), sc_core::SC_MEDIUM);
    }
    if (observer_)
        observer_(desc_address, code, job);
    update_irq();
}

void register_file::run()
{
    for (;;) {
        while (queue_.empty() || !(ctrl_ & ANT_CTRL_ENABLE))
            wait(work_);
        qk_.reset();
        const uint32_t address = queue_.front();
        queue_.pop_front();
        busy_ = true;
        qk_.inc(config_.dispatch_latency);

        // Cheap checks first: the descriptor itself must be readable.
        const uint64_t end = uint64_t(address) + sizeof(ant_job_desc);
        if (address < config_.dram_base || end > config_.dram_base + config_.dram_size) {
            ++rejected_by_checks_;
            finish(address, ANT_ERR_ADDRESS, nullptr, "the descriptor (" + std::to_string(sizeof(ant_job_desc)) +
                                                          " bytes at " + hex(address) + ") lies outside DRAM");
            continue;
        }
        if (address & 3u) {
            ++rejected_by_checks_;
            finish(address, ANT_ERR_MISALIGNED, nullptr, "the descriptor address is not 4-byte aligned");
            continue;
        }
        ant_job_desc desc;
        if (!dram_access(tlm::TLM_READ_COMMAND, address, &desc, sizeof desc)) {
            ++rejected_by_checks_;
            finish(address, ANT_ERR_BUS, nullptr, "reading the descriptor at " + hex(address) + " failed");
            continue;
        }
        desc_bytes_ += sizeof desc;
        if (desc.op > ANT_OP_CODE_SPMM) {
            ++rejected_by_checks_;
            finish(address, ANT_ERR_BAD_OP, nullptr,
                   "the op field holds " + std::to_string(desc.op) + "; known operations are 0 (FW) to 3 (SPMM)");
            continue;
        }
        if (desc.mode > ANT_MODE_CODE_IDEAL || desc.mapping > ANT_MAPPING_CODE_CHANNEL) {
            ++rejected_by_checks_;
            finish(address, ANT_ERR_BAD_MODE, nullptr,
                   desc.mode > ANT_MODE_CODE_IDEAL
                       ? "the mode field holds " + std::to_string(desc.mode) + "; known modes are 0 (dense) to 3 (ideal)"
                       : "the mapping field holds " + std::to_string(desc.mapping) +
                             "; known mappings are 0 (planar) and 1 (channel)");
            continue;
        }

        // The deep checks (dims, arrays, capacities) and the work belong to the sequencer.
        job_ = layer_job{};
        job_.desc = desc;
        job_.desc_address = address;
        qk_.sync();  // the sequencer starts at the time the job was handed over
        accelerator_.submit(&job_);
        wait(accelerator_.done());
        ant_error code = job_.ok ? ANT_ERR_NONE : job_.error_code;
        if (!job_.ok && code == ANT_ERR_NONE)
            code = ANT_ERR_BUS;  // failed without a code: report it rather than claim success
        finish(address, code, &job_);
    }
}

// ---- Statistics ---------------------------------------------------------------------------

statistics register_file::stats() const
{
    return {
        {"register_reads", double(reads_), "accesses", "32-bit register reads by the firmware"},
        {"register_writes", double(writes_), "accesses", "32-bit register writes by the firmware"},
        {"bad_accesses", double(bad_accesses_), "accesses", "accesses answered with a TLM error response"},
        {"doorbells", double(doorbells_), "writes", "doorbell rings"},
        {"queue_full_rejections", double(queue_full_), "writes", "doorbells refused because the queue was full"},
        {"jobs_ok", double(jobs_ok_), "jobs", "jobs that finished without error"},
        {"jobs_failed", double(jobs_failed_), "jobs", "jobs that finished with an error code"},
        {"jobs_rejected_by_checks", double(rejected_by_checks_), "jobs",
         "jobs refused by the register file's own checks (never reached the sequencer)"},
        {"interrupts", double(irqs_), "1", "rising edges of the interrupt line"},
        {"descriptor_read_bytes", double(desc_bytes_), "bytes", "job descriptors read from DRAM"},
    };
}

void register_file::reset_stats()
{
    reads_ = writes_ = bad_accesses_ = doorbells_ = queue_full_ = 0;
    jobs_ok_ = jobs_failed_ = rejected_by_checks_ = irqs_ = desc_bytes_ = 0;
}

}  // namespace ant
