// The job sequencer's pass loop: for each output group that fits the accumulator, runs the
// plan's passes with their operand planes brought into the image and kernel buffers, then
// drains the group. Where a pass's broadcast planes exceed the kernel buffer, a run of passes
// sharing those planes (BW: every input channel of a sample meets the same output-gradient
// planes) is ordered to move the fewest bytes: image plane outer, re-reading the broadcast
// planes once per pass; or broadcast chunk outer, reading each chunk once and re-reading the
// image planes once per chunk when they do not all stay in the image buffer.
#include <algorithm>

#include "command_extension.h"
#include "job_sequencer.h"
#include "pe_array.h"
#include "post_processing_unit.h"

namespace ant {

// The planes of passes 0, 1, ... (as planes_of(j) lists them) while they fit `capacity`, the
// first pass always, without repeats, in pass order: each pass's planes then sit together in
// the buffer (one streaming read for the fetch unit), while the DMA engine still visits DRAM
// in address order and coalesces neighbours. A pass never lists a plane twice.
template <typename PlanesOf>
const std::vector<uint32_t>& job_sequencer::prefetch_group(size_t passes, uint64_t capacity, const dram_tensor& t,
                                                           PlanesOf planes_of)
{
    std::vector<uint32_t>& group = group_;
    std::vector<uint32_t>& extra = group_extra_;
    group.clear();
    if (chosen_.size() < t.d.planes)
        chosen_.resize(t.d.planes, 0);
    uint64_t total = 0;
    for (size_t j = 0; j < passes; ++j) {
        extra.clear();
        uint64_t extra_bytes = 0;
        for (uint32_t plane : planes_of(j)) {
            if (plane >= chosen_.size())
                chosen_.resize(size_t(plane) + 1, 0);
            if (!chosen_[plane]) {
                extra.push_back(plane);
                extra_bytes += t.plane_bytes(plane);
            }
        }
        if (j > 0 && total + extra_bytes > capacity)
            break;
        for (uint32_t plane : extra)
            chosen_[plane] = 1;
        group.insert(group.end(), extra.begin(), extra.end());
        total += extra_bytes;
    }
    for (uint32_t plane : group)
        chosen_[plane] = 0;
    return group;
}

// The load of this pass overlaps the previous pass (double buffering).
void job_sequencer::advance(sc_core::sc_time load)
{
    const sc_core::sc_time step = std::max(previous_pass_, load);
    if (load > previous_pass_) {
        load_stall_cycles_ += uint64_t((load - previous_pass_) / clock_);
        if (timeline_)
            timeline_->slice(pe_track_, absolute_now() + previous_pass_, absolute_now() + load, "stalled on memory",
                             {{"cycles", std::to_string(uint64_t((load - previous_pass_) / clock_))}});
    }
    qk_.inc(step);
    if (qk_.need_sync())
        qk_.sync();
}

void job_sequencer::run_drain_set(layer_job& job, const std::vector<uint32_t>& outputs,
                                  const std::vector<pass_plan>& passes)
{
    const uint64_t out_plane_bytes = uint64_t(g_.output[ANT_ROW]) * uint64_t(g_.output[ANT_COL]) * 4;
    const size_t group_size = size_t(limits_.accumulator / out_plane_bytes);
    const uint32_t n_outputs_total = output_.d.planes;
    if (output_.offsets.size() != n_outputs_total + 1)
        output_.offsets.assign(n_outputs_total + 1, 0);
    std::vector<int32_t> slot(n_outputs_total, -1);

    // Output groups are usually runs of a pass's pairs (a weight-gradient job's passes list
    // their outputs in ascending order, as do the groups): then a cursor per pass finds each
    // group's pairs without scanning the whole pass again for every group, which on a job of
    // hundreds of thousands of outputs in tens of groups was most of this function's time.
    std::vector<int32_t> group_of(n_outputs_total, -1);
    for (size_t i = 0; i < outputs.size(); ++i)
        group_of[outputs[i]] = int32_t(i / group_size);
    bool runs = true;
    for (size_t p = 0; p < passes.size() && runs; ++p)
        for (size_t i = 0; i < passes[p].pairs.size() && runs; ++i)
            runs = group_of[passes[p].pairs[i].second] >= 0 &&
                   (i == 0 || group_of[passes[p].pairs[i].second] >= group_of[passes[p].pairs[i - 1].second]);
    std::vector<size_t> cursor(runs ? passes.size() : 0, 0);

    for (size_t g0 = 0; g0 < outputs.size(); g0 += group_size) {
        const size_t g1 = std::min(outputs.size(), g0 + group_size);
        const int32_t g = int32_t(g0 / group_size);
        std::fill(slot.begin(), slot.end(), -1);
        for (size_t i = g0; i < g1; ++i)
            slot[outputs[i]] = int32_t(i - g0);
        ++output_groups_;

        // The group's passes go into storage kept from group to group (and job to job): a
        // deep layer at a large batch builds thousands of them.
        std::vector<group_pass>& group = group_passes_;
        size_t used = 0;
        for (size_t p = 0; p < passes.size(); ++p) {
            const pass_plan& pass = passes[p];
            if (used == group.size())
                group.emplace_back();
            group_pass& gp = group[used];
            gp.stationary = pass.stationary;
            gp.pairs.clear();
            gp.lanes.clear();
            gp.broadcast_bytes = 0;
            const auto take = [&](size_t i) {
                gp.pairs.push_back(pass.pairs[i]);
                gp.lanes.push_back(uint32_t(i));
                gp.broadcast_bytes += broadcast_.plane_bytes(pass.pairs[i].first);
            };
            if (runs) {
                size_t& i = cursor[p];
                for (; i < pass.pairs.size() && group_of[pass.pairs[i].second] == g; ++i)
                    take(i);
            } else {
                for (size_t i = 0; i < pass.pairs.size(); ++i)
                    if (slot[pass.pairs[i].second] >= 0)
                        take(i);
            }
            used += !gp.pairs.empty();
        }
        run_passes(job, group, used, slot, out_plane_bytes);
        advance(sc_core::SC_ZERO_TIME);  // the last pass of the group completes
        previous_pass_ = sc_core::SC_ZERO_TIME;
        drain_group(job, outputs, g0, g1, out_plane_bytes);
    }
}

void job_sequencer::run_passes(layer_job& job, const std::vector<group_pass>& passes, size_t n_passes,
                               const std::vector<int32_t>& slot, uint64_t out_plane_bytes)
{
    for (size_t pi = 0; pi < n_passes;) {
        const group_pass& pass = passes[pi];
        const uint64_t sbytes = stationary_.plane_bytes(pass.stationary);
        if (sbytes > limits_.image)
            fail(ANT_ERR_DOES_NOT_FIT, "a stationary plane (" + std::to_string(sbytes) +
                                           " bytes) does not fit the image buffer (" + std::to_string(limits_.image) + ")");
        if (pass.broadcast_bytes > limits_.kernel) {
            size_t end = pi + 1;
            auto same_planes = [&](const group_pass& a, const group_pass& b) {
                return a.pairs.size() == b.pairs.size() &&
                       std::equal(a.pairs.begin(), a.pairs.end(), b.pairs.begin(),
                                  [](const auto& x, const auto& y) { return x.first == y.first; });
            };
            while (end < n_passes && same_planes(passes[end], pass))
                ++end;
            run_chunked_passes(job, passes, n_passes, pi, end, slot, out_plane_bytes);
            pi = end;
            continue;
        }
        // The usual case: the pass's broadcast planes fit. If some are missing, load this
        // pass's planes and those of the following passes while they fit, in DRAM order, so
        // that the DMA engine can coalesce them (a channel group of weights).
        bool resident = true;
        for (const auto& pr : pass.pairs)
            resident = resident && resident_at_.contains(pr.first);
        sc_core::sc_time load = sc_core::SC_ZERO_TIME;
        if (!resident) {
            const std::vector<uint32_t>& group =
                prefetch_group(n_passes - pi, limits_.kernel, broadcast_,
                               [&](size_t j) -> const std::vector<uint32_t>& {
                                   pass_planes_.clear();
                                   for (const auto& pr : passes[pi + j].pairs)
                                       pass_planes_.push_back(pr.first);
                                   return pass_planes_;
                               });
            load = load_group(broadcast_, group, dma_buffer::kernel, dma_broadcast, resident_at_);
            ++broadcast_loads_;
        }
        std::vector<buffer_plane>& planes = buffer_planes_;
        planes.clear();
        for (const auto& pr : pass.pairs)
            planes.push_back(buffer_plane{resident_at_.at(pr.first), broadcast_.plane_bytes(pr.first)});
        issue_pass(job, passes, pi, n_passes, 0, pass.pairs.size(), planes, load, slot, out_plane_bytes);
        ++pi;
    }
}

// Passes [first, last) meet the same broadcast planes, which exceed the kernel buffer: they
// run in chunks that fit, in the loop order that moves fewer bytes.
void job_sequencer::run_chunked_passes(layer_job& job, const std::vector<group_pass>& passes, size_t n_passes,
                                       size_t first, size_t last,
                                       const std::vector<int32_t>& slot, uint64_t out_plane_bytes)
{
    const auto& pairs = passes[first].pairs;
    std::vector<std::pair<size_t, size_t>> chunks;
    for (size_t p0 = 0; p0 < pairs.size();) {
        size_t p1 = p0;
        uint64_t bytes = 0;
        while (p1 < pairs.size() && bytes + broadcast_.plane_bytes(pairs[p1].first) <= limits_.kernel)
            bytes += broadcast_.plane_bytes(pairs[p1++].first);
        if (p1 == p0)
            fail(ANT_ERR_DOES_NOT_FIT, "a broadcast plane (" + std::to_string(broadcast_.plane_bytes(pairs[p0].first)) +
                                           " bytes) does not fit the kernel buffer (" + std::to_string(limits_.kernel) + ")");
        chunks.push_back({p0, p1});
        p0 = p1;
    }
    uint64_t image_bytes = 0;
    for (size_t q = first; q < last; ++q)
        image_bytes += stationary_.plane_bytes(passes[q].stationary);
    const uint64_t passes_in_run = last - first, broadcast_bytes = passes[first].broadcast_bytes;
    const uint64_t image_outer = passes_in_run * broadcast_bytes + image_bytes;
    const uint64_t chunk_outer = broadcast_bytes + image_bytes * (image_bytes > limits_.image ? chunks.size() : 1);
    const bool chunks_outside = chunk_outer < image_outer;
    chunk_outer_runs_ += chunks_outside;

    resident_at_.clear();
    auto load_chunk = [&](size_t c, std::vector<buffer_plane>& planes) {
        const auto [p0, p1] = chunks[c];
        std::vector<uint32_t> wanted;
        planes.assign(p1 - p0, buffer_plane{});
        uint64_t addr = 0;
        for (size_t i = p0; i < p1; ++i) {
            wanted.push_back(pairs[i].first);
            planes[i - p0] = buffer_plane{addr, broadcast_.plane_bytes(pairs[i].first)};
            addr += planes[i - p0].bytes;
        }
        const sc_core::sc_time now = qk_.get_local_time();
        sc_core::sc_time load = now;
        load_planes(broadcast_, wanted, dma_buffer::kernel, dma_broadcast, load);
        ++broadcast_loads_;
        return load - now;
    };
    std::vector<buffer_plane> planes;
    if (chunks_outside) {
        for (size_t c = 0; c < chunks.size(); ++c) {
            const sc_core::sc_time load = load_chunk(c, planes);
            for (size_t q = first; q < last; ++q)
                issue_pass(job, passes, q, last, chunks[c].first, chunks[c].second, planes,
                           q == first ? load : sc_core::SC_ZERO_TIME, slot, out_plane_bytes);
        }
        return;
    }
    for (size_t q = first; q < last; ++q)
        for (size_t c = 0; c < chunks.size(); ++c) {
            const sc_core::sc_time load = load_chunk(c, planes);
            issue_pass(job, passes, q, n_passes, chunks[c].first, chunks[c].second, planes, load, slot,
                       out_plane_bytes);
        }
}

// Runs the chunk [p0, p1) of pass pi once its broadcast planes are in the kernel buffer
// (`load` from now); brings the stationary plane first if it is not in the image buffer,
// prefetching those of passes up to `lookahead_end` while they fit.
void job_sequencer::issue_pass(layer_job& job, const std::vector<group_pass>& passes, size_t pi, size_t lookahead_end,
                               size_t p0, size_t p1, const std::vector<buffer_plane>& planes, sc_core::sc_time load,
                               const std::vector<int32_t>& slot, uint64_t out_plane_bytes)
{
    const group_pass& pass = passes[pi];
    if (!stationary_at_.contains(pass.stationary)) {
        // Tiny planes would otherwise pay a DRAM latency each, which one pass of compute
        // cannot hide; the two buffers load in parallel.
        const std::vector<uint32_t>& group =
            prefetch_group(lookahead_end - pi, limits_.image, stationary_,
                           [&](size_t j) -> const std::vector<uint32_t>& {
                               pass_planes_.assign(1, passes[pi + j].stationary);
                               return pass_planes_;
                           });
        load = std::max(load, load_group(stationary_, group, dma_buffer::image, dma_stationary, stationary_at_));
    }
    advance(load);
    std::vector<uint64_t>& acc = pass_acc_;
    std::vector<uint32_t>&ids = pass_ids_, &plane_ids = pass_plane_ids_;
    acc.resize(p1 - p0);
    ids.resize(p1 - p0);
    plane_ids.resize(p1 - p0);
    for (size_t i = p0; i < p1; ++i) {
        acc[i - p0] = uint64_t(slot[pass.pairs[i].second]) * out_plane_bytes;
        ids[i - p0] = pass.pairs[i].second;
        plane_ids[i - p0] = pass.pairs[i].first;
    }
    fetch_command cmd;
    cmd.job_id = job_id_;
    cmd.geometry = &g_;
    cmd.mode = mode_of(job.desc);
    cmd.mapping = mapping_of(job.desc);
    cmd.stationary_dense = stationary_.dense();
    cmd.broadcast_dense = broadcast_.dense();
    cmd.n_outputs = output_.d.planes;
    cmd.stationary = buffer_plane{stationary_at_.at(pass.stationary), stationary_.plane_bytes(pass.stationary)};
    cmd.broadcasts = planes.data();
    cmd.output_addresses = acc.data();
    cmd.output_ids = ids.data();
    cmd.lanes = pass.lanes.data() + p0;
    cmd.plane_ids = plane_ids.data();
    cmd.n_broadcasts = uint32_t(p1 - p0);
    const sc_core::sc_time now = qk_.get_local_time();
    previous_pass_ = now;
    const tlm::tlm_response_status fetched = send_command(fetch_initiator, cmd, previous_pass_);
    previous_pass_ -= now;
    if (fetched != tlm::TLM_OK_RESPONSE)
        fail(cmd.bad_tensor ? ANT_ERR_BAD_TENSOR : ANT_ERR_BUS,
             cmd.bad_tensor ? "an operand plane breaks the CSR invariants" : "the fetch unit failed a pass");
    job.vector_pairs += cmd.counters.vector_pairs;
    job.products_valid += cmd.counters.products_valid;
    job.products_rcp += cmd.counters.products_issued - cmd.counters.products_valid;
    job.scnn_products_issued += cmd.scnn_products;
    ++passes_;
    if (!timeline_)
        return;
    const ant_counters& k = cmd.counters;
    const double conflict_share =
        k.pe_busy_cycles ? 100.0 * double(k.bank_conflict_cycles) / double(k.pe_busy_cycles) : 0.0;
    timeline_->slice(pe_track_, absolute_now(), absolute_now() + previous_pass_,
                     cmd.fetch_cycles > cmd.array_cycles ? "busy (fetch-bound)" : "busy",
                     {{"pass", std::to_string(passes_)},
                      {"cycles", std::to_string(uint64_t(previous_pass_ / clock_))},
                      {"array_cycles", std::to_string(cmd.array_cycles)},
                      {"fetch_cycles", std::to_string(cmd.fetch_cycles)},
                      {"vector_pairs", std::to_string(k.vector_pairs)},
                      {"products_valid", std::to_string(k.products_valid)},
                      {"products_rcp", std::to_string(k.products_issued - k.products_valid)},
                      {"bank_conflict_pe_cycles", std::to_string(k.bank_conflict_cycles)},
                      {"pe_busy_cycles", std::to_string(k.pe_busy_cycles)}});
    timeline_->sample("accelerator", "PE array bank conflicts (% of PE busy cycles)", absolute_now(),
                      {{"bank conflicts", conflict_share}});
    timeline_->sample("accelerator", "PE array bank conflicts (% of PE busy cycles)", absolute_now() + previous_pass_,
                      {{"bank conflicts", 0.0}});
}

// Merges partial sums, post-processes and compresses outputs [g0, g1) and writes them back.
void job_sequencer::drain_group(layer_job& job, const std::vector<uint32_t>& outputs, size_t g0, size_t g1,
                                uint64_t out_plane_bytes)
{
    const uint32_t out_rows = uint32_t(g_.output[ANT_ROW]), out_cols = uint32_t(g_.output[ANT_COL]);
    pe_psum_report report{job_id_, false, 0};
    sc_core::sc_time ignored;
    send_command(pe_initiator, report, ignored);
    uint64_t merged = report.exported_psums - psums_reported_;
    psums_reported_ = report.exported_psums;
    const sc_core::sc_time drain_start = qk_.get_local_time();
    sc_core::sc_time drain = drain_start;
    const bool dense_out = output_.dense();
    const uint64_t worst = dense_out ? out_plane_bytes : csr_blob_bytes(out_rows, uint64_t(out_rows) * out_cols);
    const size_t chunk = size_t(std::max<uint64_t>(1, limits_.output / worst));
    for (size_t c0 = g0; c0 < g1; c0 += chunk) {
        const size_t c1 = std::min(g1, c0 + chunk);
        std::vector<uint32_t> nnz(c1 - c0);
        drain_command d;
        d.accumulator_address = uint64_t(c0 - g0) * out_plane_bytes;
        d.planes = uint32_t(c1 - c0);
        d.rows = out_rows;
        d.cols = out_cols;
        d.relu = (job.desc.flags & ANT_JOB_FLAG_RELU) != 0;
        d.merged_psums = merged;
        merged = 0;
        d.output_address = 0;
        d.output_capacity = limits_.output;
        d.dense_output = dense_out;
        d.plane_nnz = nnz.data();
        if (send_command(ppu_initiator, d, drain) != tlm::TLM_OK_RESPONSE || d.overflow)
            fail(ANT_ERR_DOES_NOT_FIT, "the post-processing unit could not drain the output planes");
        write_outputs(job, outputs[c0], uint32_t(c1 - c0), nnz, d.output_bytes, drain);
    }
    drain_cycles_ += uint64_t((drain - drain_start) / clock_);
    if (timeline_)
        timeline_->slice(drain_track_, sc_core::sc_time_stamp() + drain_start, sc_core::sc_time_stamp() + drain, "drain",
                         {{"planes", std::to_string(g1 - g0)},
                          {"cycles", std::to_string(uint64_t((drain - drain_start) / clock_))}});
    qk_.set(drain);
    if (qk_.need_sync())
        qk_.sync();
}

}  // namespace ant
