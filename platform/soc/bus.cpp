#include "bus.h"

#include <limits>

#include "platform_config.h"

namespace ant {

bus::bus(const sc_core::sc_module_name& name, std::uint64_t dram_base, std::uint64_t dram_size)
    : sc_core::sc_module(name),
      bus_target("bus_target"),
      clint_initiator("clint_initiator"),
      uart_initiator("uart_initiator"),
      accel_initiator("accel_initiator"),
      dram_initiator("dram_initiator")
{
    regions_ = {{"clint", clint_base, clint_size, true, &clint_initiator},
                {"uart", uart_base, uart_size, true, &uart_initiator},
                {"accelerator", accelerator_base, accelerator_size, true, &accel_initiator},
                {"dram", dram_base, dram_size, false, &dram_initiator}};
    bus_target.register_b_transport(this, &bus::b_transport);
    bus_target.register_transport_dbg(this, &bus::transport_dbg);
    bus_target.register_get_direct_mem_ptr(this, &bus::get_direct_mem_ptr);
    // Invalidations come back from any target; translate them with that target's region.
    clint_initiator.register_invalidate_direct_mem_ptr(this, &bus::invalidate_clint);
    uart_initiator.register_invalidate_direct_mem_ptr(this, &bus::invalidate_uart);
    accel_initiator.register_invalidate_direct_mem_ptr(this, &bus::invalidate_accel);
    dram_initiator.register_invalidate_direct_mem_ptr(this, &bus::invalidate_dram);
}

const bus::region* bus::decode(std::uint64_t address, std::uint64_t length) const
{
    for (const region& r : regions_)
        if (address >= r.base && address - r.base < r.size)
            return length <= r.size - (address - r.base) && r.slot->size() > 0 ? &r : nullptr;
    return nullptr;
}

void bus::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    const std::uint64_t address = trans.get_address();
    const region* r = decode(address, trans.get_data_length());
    if (!r) {
        ++address_errors_;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (r->relative)
        trans.set_address(address - r->base);
    (*r->slot)[0]->b_transport(trans, delay);
    trans.set_address(address);
}

unsigned int bus::transport_dbg(int, tlm::tlm_generic_payload& trans)
{
    const std::uint64_t address = trans.get_address();
    const region* r = decode(address, 1);
    if (!r) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return 0;
    }
    // Clip at the end of the region.
    const std::uint64_t room = r->size - (address - r->base);
    const unsigned int length = trans.get_data_length();
    if (length > room)
        trans.set_data_length(static_cast<unsigned int>(room));
    if (r->relative)
        trans.set_address(address - r->base);
    const unsigned int n = (*r->slot)[0]->transport_dbg(trans);
    trans.set_address(address);
    trans.set_data_length(length);
    return n;
}

bool bus::get_direct_mem_ptr(int, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi)
{
    const std::uint64_t address = trans.get_address();
    const region* r = decode(address, 1);
    if (!r) {
        dmi.allow_none();
        return false;
    }
    const std::uint64_t offset = r->relative ? r->base : 0;
    trans.set_address(address - offset);
    const bool ok = (*r->slot)[0]->get_direct_mem_ptr(trans, dmi);
    trans.set_address(address);
    // Back to global addresses, clipped to the region.
    const std::uint64_t last = r->base + r->size - 1;
    std::uint64_t start = dmi.get_start_address() + offset, end = dmi.get_end_address();
    end = end > last - offset ? last : end + offset;
    if (start < r->base) {
        if (ok)
            dmi.set_dmi_ptr(dmi.get_dmi_ptr() + (r->base - start));
        start = r->base;
    }
    dmi.set_start_address(start);
    dmi.set_end_address(end);
    return ok;
}

void bus::invalidate(const region& r, sc_dt::uint64 start, sc_dt::uint64 end)
{
    // [start, end] is in the target's addresses; clip to the region and make it global.
    const std::uint64_t offset = r.relative ? r.base : 0;
    const std::uint64_t last = r.base + r.size - 1;
    if (start > last - offset || end < start)
        return;
    const std::uint64_t s = start + offset < r.base ? r.base : start + offset;
    const std::uint64_t e = end > last - offset ? last : end + offset;
    for (unsigned int i = 0; i < bus_target.size(); ++i)
        bus_target[i]->invalidate_direct_mem_ptr(s, e);
}

void bus::invalidate_clint(int, sc_dt::uint64 s, sc_dt::uint64 e) { invalidate(regions_[0], s, e); }
void bus::invalidate_uart(int, sc_dt::uint64 s, sc_dt::uint64 e) { invalidate(regions_[1], s, e); }
void bus::invalidate_accel(int, sc_dt::uint64 s, sc_dt::uint64 e) { invalidate(regions_[2], s, e); }
void bus::invalidate_dram(int, sc_dt::uint64 s, sc_dt::uint64 e) { invalidate(regions_[3], s, e); }

}  // namespace ant
