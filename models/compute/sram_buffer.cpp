#include "sram_buffer.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace ant {

namespace {
const char* const msg_type = "ant/sram_buffer";
}

sram_buffer::sram_buffer(sc_core::sc_module_name name, const sram_buffer_config& config,
                         sc_core::sc_time clock_period)
    : sc_module(name), data_target("data_target"), config_(config), clock_(clock_period),
      memory_(config.capacity_bytes)
{
    data_target.register_b_transport(this, &sram_buffer::b_transport);
    data_target.register_transport_dbg(this, &sram_buffer::transport_dbg);
    data_target.register_get_direct_mem_ptr(this, &sram_buffer::get_direct_mem_ptr);
}

bool sram_buffer::check(tlm::tlm_generic_payload& trans)
{
    const uint64_t addr = trans.get_address(), len = trans.get_data_length();
    if (trans.get_byte_enable_ptr() != nullptr) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (trans.get_streaming_width() < len) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    if (addr >= memory_.size() || len > memory_.size() - addr) {
        if (errors_++ == 0)
            SC_REPORT_WARNING(msg_type, (std::string(name()) + ": access outside the buffer at offset " +
                                         std::to_string(addr) + " (+" + std::to_string(len) + " bytes)")
                                            .c_str());
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    return true;
}

void sram_buffer::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    if (!check(trans))
        return;
    const uint64_t addr = trans.get_address(), len = trans.get_data_length();
    const uint64_t accesses = (len + config_.width_bytes - 1) / config_.width_bytes;
    if (trans.is_read()) {
        std::memcpy(trans.get_data_ptr(), &memory_[addr], len);
        read_bytes_ += len;
        read_accesses_ += accesses;
    } else if (trans.is_write()) {
        std::memcpy(&memory_[addr], trans.get_data_ptr(), len);
        write_bytes_ += len;
        write_accesses_ += accesses;
        high_water_ = std::max(high_water_, addr + len);
    }
    const uint64_t cycles = (accesses + config_.banks - 1) / config_.banks;
    delay += clock_ * double(config_.latency_cycles + cycles);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned sram_buffer::transport_dbg(int, tlm::tlm_generic_payload& trans)
{
    const uint64_t addr = trans.get_address();
    if (addr >= memory_.size())
        return 0;
    const uint64_t len = std::min<uint64_t>(trans.get_data_length(), memory_.size() - addr);
    if (trans.is_read())
        std::memcpy(trans.get_data_ptr(), &memory_[addr], len);
    else if (trans.is_write())
        std::memcpy(&memory_[addr], trans.get_data_ptr(), len);
    return unsigned(len);
}

// The PE array accumulates in place through DMI, as the accumulator banks sit next to the
// multipliers; the latency per access is the port's.
bool sram_buffer::get_direct_mem_ptr(int, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi)
{
    if (trans.get_address() >= memory_.size())
        return false;
    dmi.set_dmi_ptr(memory_.data());
    dmi.set_start_address(0);
    dmi.set_end_address(memory_.size() - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(clock_);
    dmi.set_write_latency(clock_);
    ++dmi_grants_;
    return true;
}

statistics sram_buffer::stats() const
{
    return {
        {"capacity_bytes", double(config_.capacity_bytes), "bytes", "configured capacity"},
        {"banks", double(config_.banks), "banks", "banks a long transfer is striped over"},
        {"read_bytes", double(read_bytes_), "bytes", "bytes read through the TLM port"},
        {"write_bytes", double(write_bytes_), "bytes", "bytes written through the TLM port"},
        {"read_accesses", double(read_accesses_), "accesses", "port-width read accesses"},
        {"write_accesses", double(write_accesses_), "accesses", "port-width write accesses"},
        {"high_water_bytes", double(high_water_), "bytes", "highest address written plus one"},
        {"address_errors", double(errors_), "transactions", "accesses outside the buffer"},
    };
}

void sram_buffer::reset_stats()
{
    read_bytes_ = write_bytes_ = read_accesses_ = write_accesses_ = 0;
    high_water_ = errors_ = 0;
}

}  // namespace ant
