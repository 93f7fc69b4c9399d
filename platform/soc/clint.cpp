#include "clint.h"

#include <cmath>
#include <cstring>

namespace ant {

clint::clint(const sc_core::sc_module_name& name, const clint_config& config)
    : sc_core::sc_module(name),
      reg_target("reg_target"),
      timer_irq("timer_irq"),
      software_irq("software_irq"),
      tick_ps_(1e6 / config.timebase_mhz)
{
    reg_target.register_b_transport(this, &clint::b_transport);
    reg_target.register_transport_dbg(this, &clint::transport_dbg);
    SC_METHOD(update_irqs);
    sensitive << change_;
}

std::uint64_t clint::mtime_at(const sc_core::sc_time& t) const
{
    const double ps = t.to_seconds() * 1e12;
    return static_cast<std::uint64_t>(std::floor(ps / tick_ps_)) + mtime_offset_;
}

void clint::schedule(const sc_core::sc_time& at)
{
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    change_.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);
}

void clint::update_irqs()
{
    software_irq.write(msip_);
    const std::uint64_t now = mtime_at(sc_core::sc_time_stamp());
    timer_irq.write(now >= mtimecmp_);
    if (now < mtimecmp_ && mtimecmp_ != ~std::uint64_t{0}) {
        // The first simulated time at which mtime reaches mtimecmp.
        const double ticks = static_cast<double>(mtimecmp_ - mtime_offset_);
        sc_core::sc_time at(std::ceil(ticks * tick_ps_), sc_core::SC_PS);
        if (at <= sc_core::sc_time_stamp())  // rounding: never re-notify for "now"
            at = sc_core::sc_time_stamp() + sc_core::sc_time(1, sc_core::SC_PS);
        schedule(at);
    }
}

bool clint::access(tlm::tlm_generic_payload& trans, const sc_core::sc_time& at)
{
    const std::uint64_t addr = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
    auto in = [&](std::uint32_t reg, unsigned reg_len) {
        return addr >= reg && addr + len <= reg + reg_len && (len == 4 || len == 8) &&
               addr % len == 0;
    };
    // Reads and writes of a 64-bit register through a 4- or 8-byte window at byte `shift`.
    auto rw64 = [&](std::uint64_t& reg, std::uint32_t base) {
        const unsigned shift = static_cast<unsigned>(addr - base) * 8u;
        const std::uint64_t mask = len == 8 ? ~std::uint64_t{0} : 0xFFFF'FFFFull << shift;
        if (write) {
            std::uint64_t v = 0;
            std::memcpy(&v, data, len);
            reg = (reg & ~mask) | ((v << shift) & mask);
        } else {
            const std::uint64_t v = (reg & mask) >> shift;
            std::memcpy(data, &v, len);
        }
    };
    if (in(msip_offset, 4)) {
        if (len != 4)
            return false;
        std::uint32_t v = msip_ ? 1u : 0u;
        if (write) {
            std::memcpy(&v, data, 4);
            msip_ = (v & 1u) != 0;
        } else
            std::memcpy(data, &v, 4);
    } else if (in(mtimecmp_offset, 8)) {
        rw64(mtimecmp_, mtimecmp_offset);
    } else if (in(mtime_offset, 8)) {
        std::uint64_t now = mtime_at(at);
        rw64(now, mtime_offset);
        if (write)
            mtime_offset_ = now - (mtime_at(at) - mtime_offset_);
    } else {
        return false;
    }
    return true;
}

void clint::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < trans.get_data_length()) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if (!access(trans, sc_core::sc_time_stamp() + delay)) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (trans.get_command() == tlm::TLM_WRITE_COMMAND)
        change_.notify(sc_core::SC_ZERO_TIME);  // re-evaluate the lines and the deadline
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int clint::transport_dbg(tlm::tlm_generic_payload& trans)
{
    if (trans.get_command() != tlm::TLM_READ_COMMAND || !access(trans, sc_core::sc_time_stamp()))
        return 0;
    return trans.get_data_length();
}

}  // namespace ant
