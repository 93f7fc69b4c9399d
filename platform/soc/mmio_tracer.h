// ant::mmio_tracer — a pass-through TLM module placed in front of a register target (the
// accelerator's 0x4000_0000 window) by `ant-vp run --trace-mmio`: every b_transport is
// forwarded unchanged and logged as one line (simulated time, address, register name,
// read/write, value, response). Debug transport (GDB, host loads) passes through unlogged.
// Only built when asked for, so an untraced run has no extra hop.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace ant {

class mmio_tracer : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<mmio_tracer> target;       // from the bus
    tlm_utils::simple_initiator_socket<mmio_tracer> initiator;  // to the registers

    // base: the window's address on the bus (added to the relative offsets in the log);
    // name_of: the register at a relative offset; out: where lines go (not closed here).
    mmio_tracer(const sc_core::sc_module_name& name, std::uint64_t base,
                std::function<std::string(std::uint32_t)> name_of, std::FILE* out);

    std::uint64_t accesses() const { return accesses_; }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

    std::uint64_t base_;
    std::function<std::string(std::uint32_t)> name_of_;
    std::FILE* out_;
    std::uint64_t accesses_ = 0;
};

}  // namespace ant
