// ant::bus — the platform's router. Initiators (the core, later the accelerator's DMA and
// the host-side loader) bind to bus_target; each region of the memory map has its own named
// initiator socket:
//
//   clint_initiator   0x0200_0000  64 KiB   address passed relative to the region base
//   uart_initiator    0x1000_0000  256 B    relative
//   accel_initiator   0x4000_0000  64 KiB   relative; may stay unbound (an address hole)
//   dram_initiator    dram.base    dram.size  absolute (ant::dram decodes its own base)
//
// An address outside every region, an access crossing a region's end, or an access to an
// unbound region answers TLM_ADDRESS_ERROR_RESPONSE (the core turns it into an access-fault
// trap). DMI requests and invalidations are forwarded with the addresses translated, so the
// initiator always sees global addresses. Routing adds no delay.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace ant {

class bus : public sc_core::sc_module {
public:
    // A region's socket: zero or one target may be bound.
    using target_slot = tlm_utils::multi_passthrough_initiator_socket<bus, 32, tlm::tlm_base_protocol_types, 1,
                                                                      sc_core::SC_ZERO_OR_MORE_BOUND>;

    tlm_utils::multi_passthrough_target_socket<bus> bus_target;
    target_slot clint_initiator;
    target_slot uart_initiator;
    target_slot accel_initiator;
    target_slot dram_initiator;

    bus(const sc_core::sc_module_name& name, std::uint64_t dram_base, std::uint64_t dram_size);

    std::uint64_t address_errors() const { return address_errors_; }

private:
    struct region {
        std::string what;
        std::uint64_t base, size;
        bool relative;  // strip the base before forwarding
        target_slot* slot;
    };

    // Finds the region of [address, address + length); nullptr for a hole or an unbound slot.
    const region* decode(std::uint64_t address, std::uint64_t length) const;

    void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    void invalidate(const region& r, sc_dt::uint64 start, sc_dt::uint64 end);
    void invalidate_clint(int id, sc_dt::uint64 start, sc_dt::uint64 end);
    void invalidate_uart(int id, sc_dt::uint64 start, sc_dt::uint64 end);
    void invalidate_accel(int id, sc_dt::uint64 start, sc_dt::uint64 end);
    void invalidate_dram(int id, sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<region> regions_;
    std::uint64_t address_errors_ = 0;
};

}  // namespace ant
