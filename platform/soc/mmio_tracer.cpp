#include "mmio_tracer.h"

#include <cinttypes>
#include <cmath>
#include <cstring>

namespace ant {

mmio_tracer::mmio_tracer(const sc_core::sc_module_name& name, std::uint64_t base,
                         std::function<std::string(std::uint32_t)> name_of, std::FILE* out)
    : sc_core::sc_module(name), target("target"), initiator("initiator"), base_(base), name_of_(std::move(name_of)),
      out_(out)
{
    target.register_b_transport(this, &mmio_tracer::b_transport);
    target.register_transport_dbg(this, &mmio_tracer::transport_dbg);
    target.register_get_direct_mem_ptr(this, &mmio_tracer::get_direct_mem_ptr);
    initiator.register_invalidate_direct_mem_ptr(this, &mmio_tracer::invalidate_direct_mem_ptr);
}

void mmio_tracer::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    // The access happens at the initiator's local time, which runs ahead of the kernel.
    const sc_core::sc_time at = sc_core::sc_time_stamp() + delay;
    initiator->b_transport(trans, delay);
    ++accesses_;
    const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
    const std::uint32_t offset = static_cast<std::uint32_t>(trans.get_address());
    std::uint32_t value = 0;
    const unsigned length = trans.get_data_length();
    if (trans.get_data_ptr())
        std::memcpy(&value, trans.get_data_ptr(), length < 4 ? length : 4);
    const auto ps = static_cast<unsigned long long>(std::llround(at.to_seconds() * 1e12));
    std::fprintf(out_, "mmio %llu.%03llu ns %-5s %08" PRIx64 " %-18s = %08" PRIx32 "%s%s\n", ps / 1000, ps % 1000,
                 write ? "write" : "read", base_ + offset, name_of_(offset).c_str(), value,
                 trans.is_response_ok() ? "" : "  error: ", trans.is_response_ok() ? "" : trans.get_response_string().c_str());
}

unsigned int mmio_tracer::transport_dbg(tlm::tlm_generic_payload& trans) { return initiator->transport_dbg(trans); }

bool mmio_tracer::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi)
{
    return initiator->get_direct_mem_ptr(trans, dmi);
}

void mmio_tracer::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    target->invalidate_direct_mem_ptr(start, end);
}

}  // namespace ant
