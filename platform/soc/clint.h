// ant::clint — the core-local interruptor, SiFive layout: msip at +0x0, mtimecmp at +0x4000,
// mtime at +0xBFF8 (addresses relative to the CLINT base; the bus strips the base).
//
// mtime counts at timebase_mhz and follows simulated time: a read at local time offset
// `delay` sees the value at sc_time_stamp() + delay, so a temporally decoupled core reads a
// consistent clock. timer_irq is raised when mtime >= mtimecmp (an event is scheduled for
// the exact moment), software_irq follows msip bit 0. Accesses are 4 bytes (8 for mtime and
// mtimecmp), naturally aligned; anything else or an unknown offset answers
// TLM_ADDRESS_ERROR_RESPONSE / TLM_BURST_ERROR_RESPONSE.
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "platform_config.h"

namespace ant {

class clint : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(clint);
    tlm_utils::simple_target_socket<clint> reg_target;
    sc_core::sc_out<bool> timer_irq;     // MTIP
    sc_core::sc_out<bool> software_irq;  // MSIP

    static constexpr std::uint32_t msip_offset = 0x0;
    static constexpr std::uint32_t mtimecmp_offset = 0x4000;
    static constexpr std::uint32_t mtime_offset = 0xBFF8;

    clint(const sc_core::sc_module_name& name, const clint_config& config);

    // mtime at simulated time t.
    std::uint64_t mtime_at(const sc_core::sc_time& t) const;

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    // Returns false for an offset/size the CLINT does not decode.
    bool access(tlm::tlm_generic_payload& trans, const sc_core::sc_time& at);
    void update_irqs();  // SC_METHOD: drives timer_irq/software_irq, schedules the next change
    void schedule(const sc_core::sc_time& at);

    double tick_ps_;
    std::uint64_t mtime_offset_ = 0;  // mtime = ticks(time) + offset (mtime is writable)
    std::uint64_t mtimecmp_ = ~std::uint64_t{0};
    bool msip_ = false;
    sc_core::sc_event change_;
};

}  // namespace ant
