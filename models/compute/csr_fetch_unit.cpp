#include "csr_fetch_unit.h"

#include <algorithm>
#include <cstring>

#include "command_extension.h"
#include "dataflow.h"
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

csr_plane csr_fetch_unit::dense_pattern::view(float* values, uint32_t rows, uint32_t cols)
{
    if (row_ptr.size() != rows + 1 || col_idx.size() != size_t(rows) * cols) {
        row_ptr.resize(rows + 1);
        col_idx.resize(size_t(rows) * cols);
        for (uint32_t r = 0; r <= rows; ++r)
            row_ptr[r] = r * cols;
        for (size_t e = 0; e < col_idx.size(); ++e)
            col_idx[e] = uint16_t(e % cols);
    }
    return csr_plane{rows, cols, rows * cols, row_ptr.data(), col_idx.data(), values};
}

// A CSR blob with no entries whose row pointers are all zero: the one empty plane that
// passes validation, recognised without it.
static bool empty_csr_blob(const unsigned char* stored, uint64_t bytes, uint32_t rows)
{
    if (bytes != uint64_t(rows + 1) * 4)
        return false;
    uint32_t any = 0;
    for (uint32_t r = 0; r <= rows; ++r) {
        uint32_t word;
        std::memcpy(&word, stored + size_t(r) * 4, 4);
        any |= word;
    }
    return any == 0;
}

bool csr_fetch_unit::view_plane(unsigned char* stored, uint64_t bytes, bool stored_dense, ant_mode mode,
                                uint32_t rows, uint32_t cols, dense_pattern& pattern, converted_plane& scratch,
                                csr_plane& view)
{
    const bool want_dense = mode == ANT_MODE_DENSE;
    if (stored_dense) {
        if (bytes != uint64_t(rows) * cols * 4)
            return false;
        float* values = reinterpret_cast<float*>(stored);
        if (want_dense) {
            view = pattern.view(values, rows, cols);
            return true;
        }
        scratch.row_ptr.assign(rows + 1, 0);
        scratch.col_idx.clear();
        scratch.val.clear();
        for (uint32_t r = 0; r < rows; ++r) {
            for (uint32_t c = 0; c < cols; ++c)
                if (values[size_t(r) * cols + c] != 0.0f) {
                    scratch.col_idx.push_back(uint16_t(c));
                    scratch.val.push_back(values[size_t(r) * cols + c]);
                }
            scratch.row_ptr[r + 1] = uint32_t(scratch.val.size());
        }
        view = csr_plane{rows, cols, uint32_t(scratch.val.size()), scratch.row_ptr.data(), scratch.col_idx.data(),
                         scratch.val.data()};
        return true;
    }
    // A CSR blob: its size must match its own row_ptr before anything else is trusted.
    if (bytes < uint64_t(rows + 1) * 4)
        return false;
    const uint32_t nnz = reinterpret_cast<const uint32_t*>(stored)[rows];
    if (csr_blob_bytes(rows, nnz) != bytes)
        return false;
    view = csr_blob_view(stored, rows, cols);
    if (csr_validate(&view, nullptr, 0) != CSR_OK)
        return false;
    if (want_dense) {
        scratch.val.assign(size_t(rows) * cols, 0.0f);
        csr_to_dense(&view, scratch.val.data());
        view = pattern.view(scratch.val.data(), rows, cols);
    }
    return true;
}

static uint64_t nonzero_values(const csr_plane& p)
{
    uint64_t n = 0;
    for (uint32_t e = 0; e < csr_nnz(&p); ++e)
        n += p.val[e] != 0.0f;
    return n;
}

// Views (and so validates) the pass's broadcast planes in `blob`, the span read from `base`,
// and records what was viewed for the next pass to compare with.
bool csr_fetch_unit::view_broadcasts(const fetch_command& cmd, unsigned char* blob, uint64_t base, bool skip_empty)
{
    const ant_geometry& g = *cmd.geometry;
    const uint32_t b_rows = uint32_t(g.broadcast[ANT_ROW]), b_cols = uint32_t(g.broadcast[ANT_COL]);
    viewed_.valid = false;  // until every plane passes
    broadcast_planes_.resize(cmd.n_broadcasts);
    empty_.assign(cmd.n_broadcasts, 0);
    viewed_nonzeros_ = 0;
    for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
        unsigned char* at = blob + (cmd.broadcasts[b].address - base);
        if (skip_empty && empty_csr_blob(at, cmd.broadcasts[b].bytes, b_rows)) {
            broadcast_planes_[b] = csr_blob_view(at, b_rows, b_cols);
            empty_[b] = 1;
            continue;
        }
        if (!view_plane(at, cmd.broadcasts[b].bytes, cmd.broadcast_dense, cmd.mode, b_rows, b_cols,
                        broadcast_pattern_, converted_[b], broadcast_planes_[b]))
            return false;
        viewed_nonzeros_ += nonzero_values(broadcast_planes_[b]);
    }
    viewed_.planes.assign(cmd.broadcasts, cmd.broadcasts + cmd.n_broadcasts);
    viewed_.rows = b_rows;
    viewed_.cols = b_cols;
    viewed_.stored_dense = cmd.broadcast_dense;
    viewed_.skip_empty = skip_empty;
    viewed_.mode = cmd.mode;
    viewed_.valid = true;
    return true;
}

bool csr_fetch_unit::run(fetch_command& cmd, sc_core::sc_time& delay)
{
    const ant_geometry& g = *cmd.geometry;
    // Buffer reads and range computation are streams feeding the PE array: the pass takes
    // the longest of the three, not their sum.
    sc_core::sc_time read_time = sc_core::SC_ZERO_TIME, range_time = sc_core::SC_ZERO_TIME;
    sc_core::sc_time array_time = sc_core::SC_ZERO_TIME;

    unsigned char* sblob = stationary_bytes_.reserve(cmd.stationary.bytes);
    if (transfer(image_initiator, tlm::TLM_READ_COMMAND, cmd.stationary.address, sblob,
                 cmd.stationary.bytes, read_time) != tlm::TLM_OK_RESPONSE)
        return false;
    const uint32_t s_rows = uint32_t(g.stationary[ANT_ROW]), s_cols = uint32_t(g.stationary[ANT_COL]);
    const uint32_t b_rows = uint32_t(g.broadcast[ANT_ROW]), b_cols = uint32_t(g.broadcast[ANT_COL]);
    converted_.resize(std::max<size_t>(converted_.size(), cmd.n_broadcasts + 1));
    csr_plane stationary{};
    if (!view_plane(sblob, cmd.stationary.bytes, cmd.stationary_dense, cmd.mode, s_rows, s_cols,
                    stationary_pattern_, converted_[cmd.n_broadcasts], stationary)) {
        cmd.bad_tensor = true;
        return false;
    }

    // A pass's broadcast planes sit together in the kernel buffer (the sequencer prefetches
    // in pass order), sometimes next to planes of other passes: one streaming read of the
    // span that holds them.
    const ant_dataflow flow = ant_dataflow_of(cmd.mode, cmd.mapping, config_.anticipator, config_.scnn_packing);
    const bool spmm_contraction = g.op == ANT_OP_SPMM && flow == ANT_DATAFLOW_SCNN_PLUS &&
                                  config_.scnn_spmm == ANT_SCNN_SPMM_CONTRACTION;
    const bool skip_empty = (flow == ANT_DATAFLOW_ANT_PE || flow == ANT_DATAFLOW_SCNN_PLUS) && !spmm_contraction &&
                            !cmd.broadcast_dense;
    if (cmd.n_broadcasts == 0) {
        broadcast_planes_.clear();
        empty_.clear();
        viewed_.valid = false;
    } else {
        uint64_t base = cmd.broadcasts[0].address, span_end = base;
        for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
            base = std::min(base, cmd.broadcasts[b].address);
            span_end = std::max(span_end, cmd.broadcasts[b].address + cmd.broadcasts[b].bytes);
        }
        const uint64_t span = span_end - base;
        const int fresh = 1 - live_blob_;
        unsigned char* blob = broadcast_bytes_[fresh].reserve(span);
        if (transfer(kernel_initiator, tlm::TLM_READ_COMMAND, base, blob, span, read_time) != tlm::TLM_OK_RESPONSE)
            return false;
        const auto same_place = [](const buffer_plane& x, const buffer_plane& y) {
            return x.address == y.address && x.bytes == y.bytes;
        };
        const bool same = viewed_.valid && viewed_.rows == b_rows && viewed_.cols == b_cols &&
                          viewed_.stored_dense == cmd.broadcast_dense && viewed_.skip_empty == skip_empty &&
                          viewed_.mode == cmd.mode &&
                          std::equal(viewed_.planes.begin(), viewed_.planes.end(), cmd.broadcasts,
                                     cmd.broadcasts + cmd.n_broadcasts, same_place) &&
                          viewed_.span == span && std::memcmp(broadcast_bytes_[live_blob_].data(), blob, span) == 0;
        if (!same) {
            if (!view_broadcasts(cmd, blob, base, skip_empty)) {
                cmd.bad_tensor = true;
                return false;
            }
            viewed_.span = span;
            live_blob_ = fresh;
        }
    }

    // SCNN multiplies every non-zero pair of the tile: the reference count for RCP savings.
    // On SPMM mapped as SCNN runs a fully-connected layer, a pass per contraction index j
    // multiplies A's column j with B's row j only.
    const bool scnn_plus = ant_dataflow_of(ANT_MODE_SCNN, cmd.mapping, config_.anticipator, config_.scnn_packing) ==
                           ANT_DATAFLOW_SCNN_PLUS;
    if (cmd.geometry->op == ANT_OP_SPMM && scnn_plus && config_.scnn_spmm == ANT_SCNN_SPMM_CONTRACTION) {
        std::vector<uint64_t> a_column(stationary.rows, 0);
        for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
            const csr_plane& a = broadcast_planes_[b];
            for (uint32_t e = 0; e < csr_nnz(&a); ++e)
                if (a.val[e] != 0.0f && a.col_idx[e] < stationary.rows)
                    ++a_column[a.col_idx[e]];
        }
        cmd.scnn_products = 0;
        for (uint32_t j = 0; j < stationary.rows; ++j)
            for (uint32_t e = stationary.row_ptr[j]; e < stationary.row_ptr[j + 1]; ++e)
                cmd.scnn_products += stationary.val[e] != 0.0f ? a_column[j] : 0;
    } else {
        cmd.scnn_products = nonzero_values(stationary) * (cmd.n_broadcasts ? viewed_nonzeros_ : 0);
    }

    // Only the per-plane broadcast dataflows move packed vectors; the cross-channel ones
    // (SCNN+, ANT's per-PE anticipator) stream whole planes from the kernel buffer.
    const bool packs = ant_dataflow_packs_vectors(flow);
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
    if (cmd.mode == ANT_MODE_ANT && ant_dataflow_uses_range_calculator(flow) && n > 0) {
        const bool channel = cmd.mapping == ANT_MAPPING_CHANNEL;
        range_request req{cmd.geometry, vectors_.data(), n, windows_.data(),
                          channel ? config_.channel_streams : config_.planar_streams};
        if (send_command(range_initiator, req, range_time) != tlm::TLM_OK_RESPONSE)
            return false;
    }

    jobs_.clear();
    job_outputs_.clear();
    for (uint32_t b = 0; b < cmd.n_broadcasts; ++b) {
        if (empty_[b])
            continue;
        jobs_.push_back(ant_broadcast_job{&broadcast_planes_[b], vectors_.data() + first[b], first[b + 1] - first[b],
                                          windows_.data() + first[b], nullptr, cmd.output_ids[b], cmd.lanes[b],
                                          cmd.plane_ids ? cmd.plane_ids[b] + 1 : 0});
        job_outputs_.push_back(cmd.output_addresses[b]);
    }
    pe_pass pass;
    pass.job_id = cmd.job_id;
    pass.geometry = cmd.geometry;
    pass.mode = cmd.mode;
    pass.mapping = cmd.mapping;
    pass.n_outputs = cmd.n_outputs;
    pass.stationary = &stationary;
    pass.jobs = jobs_.data();
    pass.output_addresses = job_outputs_.data();
    pass.n_jobs = uint32_t(jobs_.size());
    if (send_command(pe_initiator, pass, array_time) != tlm::TLM_OK_RESPONSE)
        return false;

    const sc_core::sc_time fetch_time = std::max(read_time, range_time);
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
                              (cmd->broadcasts && cmd->output_addresses && cmd->output_ids && cmd->lanes));
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
