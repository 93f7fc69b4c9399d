#include "csr_fetch_unit.h"

#include <algorithm>

#include "command_extension.h"
#include "index_range_calculator.h"
#include "pe_array.h"

namespace ant {

csr_fetch_unit::csr_fetch_unit(sc_core::sc_module_name name, const csr_fetch_unit_config& config,
                               sc_core::sc_time clock_period)
    : sc_module(name), command_target("command_target"), image_initiator("image_initiator"),
      kernel_initiator("kernel_initiator"), range_initiator("range_initiator"),
      pe_initiator("pe_initiator"), config_(config), clock_(clock_period)
{
    command_target.register_b_transport(this, &csr_fetch_unit::b_transport);
}

bool csr_fetch_unit::run(fetch_command& cmd, sc_core::sc_time& delay)
{
    const ant_geometry& g = *cmd.geometry;
    sc_core::sc_time fetch_time = sc_core::SC_ZERO_TIME, array_time = sc_core::SC_ZERO_TIME;

    unsigned char* sblob = stationary_bytes_.reserve(cmd.stationary.bytes);
    if (transfer(image_initiator, tlm::TLM_READ_COMMAND, cmd.stationary.address, sblob,
                 cmd.stationary.bytes, fetch_time) != tlm::TLM_OK_RESPONSE)
        return false;
    csr_plane stationary = csr_blob_view(sblob, uint32_t(g.stationary[ANT_ROW]),
                                         uint32_t(g.stationary[ANT_COL]));

    broadcast_bytes_.resize(std::max<size_t>(broadcast_bytes_.size(), cmd.n_broadcasts));
    broadcast_planes_.resize(cmd.n_broadcasts);
    for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
        unsigned char* blob = broadcast_bytes_[b].reserve(cmd.broadcasts[b].bytes);
        if (transfer(kernel_initiator, tlm::TLM_READ_COMMAND, cmd.broadcasts[b].address, blob,
                     cmd.broadcasts[b].bytes, fetch_time) != tlm::TLM_OK_RESPONSE)
            return false;
        broadcast_planes_[b] = csr_blob_view(blob, uint32_t(g.broadcast[ANT_ROW]),
                                             uint32_t(g.broadcast[ANT_COL]));
    }

    // Dense and ideal arrays do not move vectors; only the outer-product modes pack them.
    const bool packs = cmd.mode == ANT_MODE_SCNN || cmd.mode == ANT_MODE_ANT;
    size_t total = 0;
    std::vector<uint32_t> first(cmd.n_broadcasts + 1, 0);
    for (uint32_t b = 0; b < cmd.n_broadcasts && packs; ++b)
        total += ant_pack_bound(&broadcast_planes_[b], config_.broadcast_width, config_.row_bounded_vectors);
    vectors_.resize(total);
    uint32_t n = 0;
    for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
        first[b] = n;
        if (packs)
            n += ant_pack_vectors(&broadcast_planes_[b], config_.broadcast_width,
                                  config_.row_bounded_vectors, vectors_.data() + n);
    }
    first[cmd.n_broadcasts] = n;
    vectors_packed_ += n;

    windows_.resize(n);
    if (cmd.mode == ANT_MODE_ANT && n > 0) {
        range_request req{cmd.geometry, vectors_.data(), n, windows_.data()};
        if (send_command(range_initiator, req, fetch_time) != tlm::TLM_OK_RESPONSE)
            return false;
    }

    jobs_.resize(cmd.n_broadcasts);
    for (uint32_t b = 0; b < cmd.n_broadcasts; ++b)
        jobs_[b] = ant_broadcast_job{&broadcast_planes_[b], vectors_.data() + first[b],
                                     first[b + 1] - first[b], windows_.data() + first[b], nullptr,
                                     cmd.output_ids[b]};
    pe_pass pass;
    pass.job_id = cmd.job_id;
    pass.geometry = cmd.geometry;
    pass.mode = cmd.mode;
    pass.n_outputs = cmd.n_outputs;
    pass.stationary = &stationary;
    pass.jobs = jobs_.data();
    pass.output_addresses = cmd.output_addresses;
    pass.n_jobs = cmd.n_broadcasts;
    if (send_command(pe_initiator, pass, array_time) != tlm::TLM_OK_RESPONSE)
        return false;

    cmd.counters = pass.counters;
    cmd.fetch_cycles = uint64_t(fetch_time / clock_);
    cmd.array_cycles = uint64_t(array_time / clock_);
    if (fetch_time > array_time)
        fetch_bound_cycles_ += cmd.fetch_cycles - cmd.array_cycles;
    delay += std::max(fetch_time, array_time);
    ++commands_;
    return true;
}

void csr_fetch_unit::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    fetch_command* cmd = command_extension<fetch_command>::of(trans);
    const bool well_formed = cmd && cmd->geometry && cmd->n_outputs > 0 &&
                             (cmd->n_broadcasts == 0 ||
                              (cmd->broadcasts && cmd->output_addresses && cmd->output_ids));
    trans.set_response_status(well_formed && run(*cmd, delay) ? tlm::TLM_OK_RESPONSE
                                                              : tlm::TLM_COMMAND_ERROR_RESPONSE);
}

statistics csr_fetch_unit::stats() const
{
    return {
        {"passes", double(commands_), "passes", "stationary passes fetched"},
        {"vectors_packed", double(vectors_packed_), "vectors", "F-wide broadcast vectors packed"},
        {"fetch_bound_cycles", double(fetch_bound_cycles_), "cycles",
         "cycles a pass waited for buffer reads / range computation rather than the PE array"},
    };
}

void csr_fetch_unit::reset_stats() { commands_ = vectors_packed_ = fetch_bound_cycles_ = 0; }

}  // namespace ant
