#include "job_sequencer.h"

#include <algorithm>
#include <sstream>

#include "command_extension.h"
#include "csr_fetch_unit.h"
#include "pe_array.h"
#include "post_processing_unit.h"

namespace ant {

namespace {
const char* const msg_type = "ant/job_sequencer";

uint64_t count_nonzeros(csr_tensor& t, uint32_t plane)
{
    csr_plane p = t.plane(plane);
    uint64_t n = 0;
    for (uint32_t e = 0; e < csr_nnz(&p); ++e)
        n += p.val[e] != 0.0f;
    return n;
}
}  // namespace

struct job_sequencer::pass_plan {
    uint32_t stationary = 0;
    std::vector<std::pair<uint32_t, uint32_t>> pairs;  // (broadcast plane, output plane)
};

std::vector<int64_t> layer_output_shape(const layer_job& job)
{
    const ant_geometry& g = job.geometry;
    switch (g.op) {
    case ANT_OP_FW: return {job.n, job.k, g.out[ANT_ROW], g.out[ANT_COL]};
    case ANT_OP_BD: return {job.n, job.c, g.in[ANT_ROW], g.in[ANT_COL]};
    case ANT_OP_BW: return {job.k, job.c, g.kernel[ANT_ROW], g.kernel[ANT_COL]};
    default: return {g.m, g.n};
    }
}

job_sequencer::job_sequencer(sc_core::sc_module_name name, const buffer_capacities& capacities,
                             sc_core::sc_time clock_period)
    : sc_module(name), image_initiator("image_initiator"), kernel_initiator("kernel_initiator"),
      output_initiator("output_initiator"), fetch_initiator("fetch_initiator"),
      pe_initiator("pe_initiator"), ppu_initiator("ppu_initiator"), capacities_(capacities),
      clock_(clock_period)
{
    SC_HAS_PROCESS(job_sequencer);
    SC_THREAD(run);
}

void job_sequencer::submit(layer_job* job)
{
    queue_.push_back(job);
    work_.notify(sc_core::SC_ZERO_TIME);
}

void job_sequencer::run()
{
    for (;;) {
        while (queue_.empty())
            wait(work_);
        layer_job* job = queue_.front();
        queue_.pop_front();
        busy_ = true;
        execute(*job);
        busy_ = false;
        done_.notify(sc_core::SC_ZERO_TIME);
    }
}

bool job_sequencer::check_operands(layer_job& job)
{
    const ant_geometry& g = job.geometry;
    const size_t s_planes = g.op == ANT_OP_BD ? size_t(job.n) * job.k
                          : g.op == ANT_OP_SPMM ? 1 : size_t(job.n) * job.c;
    const size_t b_planes = g.op == ANT_OP_BW ? size_t(job.n) * job.k
                          : g.op == ANT_OP_SPMM ? 1 : size_t(job.k) * job.c;
    const dense_tensor* s = g.op == ANT_OP_SPMM ? job.b : job.a;
    const dense_tensor* b = g.op == ANT_OP_SPMM ? job.a : job.b;
    const size_t s_plane = size_t(g.stationary[ANT_ROW]) * size_t(g.stationary[ANT_COL]);
    const size_t b_plane = size_t(g.broadcast[ANT_ROW]) * size_t(g.broadcast[ANT_COL]);
    if (!s || !b || !job.output) {
        job.error = "job lacks an operand or an output tensor";
        return false;
    }
    if (s->data.size() != s_planes * s_plane || b->data.size() != b_planes * b_plane) {
        job.error = "operand sizes do not match the job's dimensions";
        return false;
    }
    const bool keep_zeros = job.mode == ANT_MODE_DENSE;  // a dense array reads every element
    stationary_ = csr_tensor(s->data.data(), uint32_t(s_planes), uint32_t(g.stationary[ANT_ROW]),
                             uint32_t(g.stationary[ANT_COL]), keep_zeros);
    broadcast_ = csr_tensor(b->data.data(), uint32_t(b_planes), uint32_t(g.broadcast[ANT_ROW]),
                            uint32_t(g.broadcast[ANT_COL]), keep_zeros);
    stationary_nonzeros_.resize(s_planes);
    broadcast_nonzeros_.resize(b_planes);
    for (uint32_t p = 0; p < s_planes; ++p)
        stationary_nonzeros_[p] = count_nonzeros(stationary_, p);
    for (uint32_t p = 0; p < b_planes; ++p)
        broadcast_nonzeros_[p] = count_nonzeros(broadcast_, p);
    return true;
}

void job_sequencer::execute(layer_job& job)
{
    job.ok = false;
    job.error.clear();
    failure_.clear();
    ++job_id_;
    ++jobs_;
    resident_stationary_ = -1;
    resident_broadcasts_.clear();
    psums_reported_ = 0;
    job.scnn_products_issued = job.load_stall_cycles = job.drain_cycles = 0;
    const uint64_t stall_before = load_stall_cycles_, drain_before = drain_cycles_;
    if (!check_operands(job))
        return;
    const ant_geometry& g = job.geometry;
    job.output->shape = layer_output_shape(job);
    job.output->data.assign(job.output->elements(), 0.0f);

    const uint64_t out_plane_bytes = uint64_t(g.output[ANT_ROW]) * uint64_t(g.output[ANT_COL]) * 4;
    const uint64_t out_blob_worst = csr_blob_bytes(uint32_t(g.output[ANT_ROW]),
                                                   uint64_t(g.output[ANT_ROW]) * uint64_t(g.output[ANT_COL]));
    if (out_plane_bytes > capacities_.accumulator || out_blob_worst > capacities_.output) {
        std::ostringstream msg;
        msg << "one output plane (" << out_plane_bytes << " bytes dense, up to " << out_blob_worst
            << " bytes compressed) does not fit the accumulator (" << capacities_.accumulator
            << ") or output buffer (" << capacities_.output << ")";
        job.error = msg.str();
        return;
    }

    // The stationary passes of the operation, grouped by the outputs they complete.
    const uint32_t N = job.n, C = job.c, K = job.k;
    std::vector<std::pair<std::vector<uint32_t>, std::vector<pass_plan>>> drain_sets;
    if (g.op == ANT_OP_FW || g.op == ANT_OP_BD) {
        const bool fw = g.op == ANT_OP_FW;
        const uint32_t inner = fw ? C : K, outer = fw ? K : C;  // summed over / produced
        for (uint32_t n = 0; n < N; ++n) {
            std::vector<uint32_t> outputs;
            std::vector<pass_plan> passes;
            for (uint32_t o = 0; o < outer; ++o)
                outputs.push_back(n * outer + o);
            for (uint32_t i = 0; i < inner; ++i) {
                pass_plan p{n * inner + i, {}};
                for (uint32_t o = 0; o < outer; ++o)
                    p.pairs.push_back(fw ? std::pair{o * C + i, n * K + o} : std::pair{i * C + o, n * C + o});
                passes.push_back(std::move(p));
            }
            drain_sets.emplace_back(std::move(outputs), std::move(passes));
        }
    } else if (g.op == ANT_OP_BW) {
        std::vector<uint32_t> outputs;
        std::vector<pass_plan> passes;
        for (uint32_t o = 0; o < K * C; ++o)
            outputs.push_back(o);
        for (uint32_t n = 0; n < N; ++n)
            for (uint32_t c = 0; c < C; ++c) {
                pass_plan p{n * C + c, {}};
                for (uint32_t k = 0; k < K; ++k)
                    p.pairs.push_back({n * K + k, k * C + c});
                passes.push_back(std::move(p));
            }
        drain_sets.emplace_back(std::move(outputs), std::move(passes));
    } else {
        drain_sets.push_back({{0}, {pass_plan{0, {{0, 0}}}}});
    }

    const sc_core::sc_time start = sc_core::sc_time_stamp() + qk_.get_local_time();
    job_time_ = previous_pass_ = sc_core::SC_ZERO_TIME;
    for (const auto& [outputs, passes] : drain_sets) {
        run_drain_set(job, outputs, passes);
        if (!failure_.empty())
            break;
    }
    pe_psum_report end{job_id_, true, 0};
    sc_core::sc_time ignored;
    send_command(pe_initiator, end, ignored);
    qk_.sync();
    if (!failure_.empty()) {
        job.error = failure_;
        SC_REPORT_WARNING(msg_type, failure_.c_str());
        return;
    }
    job.cycles = uint64_t((sc_core::sc_time_stamp() - start) / clock_);
    job.load_stall_cycles = load_stall_cycles_ - stall_before;
    job.drain_cycles = drain_cycles_ - drain_before;
    cycles_ += job.cycles;
    job.ok = true;
}

void job_sequencer::run_drain_set(layer_job& job, const std::vector<uint32_t>& outputs,
                                  const std::vector<pass_plan>& passes)
{
    const ant_geometry& g = job.geometry;
    const uint32_t out_rows = uint32_t(g.output[ANT_ROW]), out_cols = uint32_t(g.output[ANT_COL]);
    const uint64_t out_plane_bytes = uint64_t(out_rows) * out_cols * 4;
    const size_t group_size = size_t(capacities_.accumulator / out_plane_bytes);
    const uint32_t n_outputs_total = uint32_t(job.output->elements() / (uint64_t(out_rows) * out_cols));
    std::vector<int32_t> slot(n_outputs_total, -1);
    std::vector<unsigned char> staging;

    auto advance = [&](sc_core::sc_time load) {
        // The load of this pass overlaps the previous pass (double buffering).
        const sc_core::sc_time step = std::max(previous_pass_, load);
        if (load > previous_pass_)
            load_stall_cycles_ += uint64_t((load - previous_pass_) / clock_);
        qk_.inc(step);
        if (qk_.need_sync())
            qk_.sync();
    };

    for (size_t g0 = 0; g0 < outputs.size(); g0 += group_size) {
        const size_t g1 = std::min(outputs.size(), g0 + group_size);
        std::fill(slot.begin(), slot.end(), -1);
        for (size_t i = g0; i < g1; ++i)
            slot[outputs[i]] = int32_t(i - g0);
        ++output_groups_;

        for (const pass_plan& pass : passes) {
            std::vector<std::pair<uint32_t, uint32_t>> pairs;
            std::vector<uint32_t> lanes;  // a pair's position in the full pass, stable across passes
            for (size_t i = 0; i < pass.pairs.size(); ++i)
                if (slot[pass.pairs[i].second] >= 0) {
                    pairs.push_back(pass.pairs[i]);
                    lanes.push_back(uint32_t(i));
                }
            if (pairs.empty())
                continue;
            if (stationary_.plane_bytes(pass.stationary) > capacities_.image) {
                failure_ = "a stationary plane (" + std::to_string(stationary_.plane_bytes(pass.stationary)) +
                           " bytes) does not fit the image buffer (" + std::to_string(capacities_.image) + ")";
                return;
            }
            // Broadcast planes in chunks that fit the kernel buffer.
            for (size_t p0 = 0; p0 < pairs.size();) {
                size_t p1 = p0;
                uint64_t bytes = 0;
                while (p1 < pairs.size() && bytes + broadcast_.plane_bytes(pairs[p1].first) <= capacities_.kernel)
                    bytes += broadcast_.plane_bytes(pairs[p1++].first);
                if (p1 == p0) {
                    failure_ = "a broadcast plane (" + std::to_string(broadcast_.plane_bytes(pairs[p0].first)) +
                               " bytes) does not fit the kernel buffer (" + std::to_string(capacities_.kernel) + ")";
                    return;
                }
                sc_core::sc_time load = sc_core::SC_ZERO_TIME;
                std::vector<uint32_t> wanted;
                for (size_t i = p0; i < p1; ++i)
                    wanted.push_back(pairs[i].first);
                std::vector<buffer_plane> planes(p1 - p0);
                uint64_t addr = 0;
                for (size_t i = p0; i < p1; ++i) {
                    planes[i - p0] = buffer_plane{addr, broadcast_.plane_bytes(pairs[i].first)};
                    addr += planes[i - p0].bytes;
                }
                if (wanted != resident_broadcasts_) {
                    staging.resize(addr);
                    for (size_t i = p0; i < p1; ++i)
                        broadcast_.write_plane(pairs[i].first, staging.data() + planes[i - p0].address);
                    if (transfer(kernel_initiator, tlm::TLM_WRITE_COMMAND, 0, staging.data(), addr, load) !=
                        tlm::TLM_OK_RESPONSE) {
                        failure_ = "kernel buffer rejected the broadcast planes";
                        return;
                    }
                    resident_broadcasts_ = wanted;
                    ++broadcast_loads_;
                }
                const uint64_t sbytes = stationary_.plane_bytes(pass.stationary);
                if (resident_stationary_ != int64_t(pass.stationary)) {
                    staging.resize(sbytes);
                    stationary_.write_plane(pass.stationary, staging.data());
                    if (transfer(image_initiator, tlm::TLM_WRITE_COMMAND, 0, staging.data(), sbytes, load) !=
                        tlm::TLM_OK_RESPONSE) {
                        failure_ = "image buffer rejected the stationary plane";
                        return;
                    }
                    resident_stationary_ = pass.stationary;
                    ++stationary_loads_;
                }
                advance(load);

                std::vector<uint64_t> acc(p1 - p0);
                std::vector<uint32_t> ids(p1 - p0);
                for (size_t i = p0; i < p1; ++i) {
                    acc[i - p0] = uint64_t(slot[pairs[i].second]) * out_plane_bytes;
                    ids[i - p0] = pairs[i].second;
                    job.scnn_products_issued +=
                        stationary_nonzeros_[pass.stationary] * broadcast_nonzeros_[pairs[i].first];
                }
                fetch_command cmd;
                cmd.job_id = job_id_;
                cmd.geometry = &job.geometry;
                cmd.mode = job.mode;
                cmd.dense_format = stationary_.dense_storage();
                cmd.mapping = job.mapping;
                cmd.n_outputs = n_outputs_total;
                cmd.stationary = buffer_plane{0, sbytes};
                cmd.broadcasts = planes.data();
                cmd.output_addresses = acc.data();
                cmd.output_ids = ids.data();
                cmd.lanes = lanes.data() + p0;
                cmd.n_broadcasts = uint32_t(p1 - p0);
                previous_pass_ = sc_core::SC_ZERO_TIME;
                if (send_command(fetch_initiator, cmd, previous_pass_) != tlm::TLM_OK_RESPONSE) {
                    failure_ = "the fetch unit failed a pass (see the messages above)";
                    return;
                }
                ++passes_;
                p0 = p1;
            }
        }
        advance(sc_core::SC_ZERO_TIME);  // the last pass of the group completes
        previous_pass_ = sc_core::SC_ZERO_TIME;

        // Drain the group: merge partial sums, post-process, compress, read back.
        pe_psum_report report{job_id_, false, 0};
        sc_core::sc_time ignored;
        send_command(pe_initiator, report, ignored);
        uint64_t merged = report.exported_psums - psums_reported_;
        psums_reported_ = report.exported_psums;
        // Stream the group out in chunks whose worst-case compressed size fits the output
        // buffer; each chunk is one drain and one read-back.
        sc_core::sc_time drain = sc_core::SC_ZERO_TIME;
        const uint64_t worst_blob = csr_blob_bytes(out_rows, uint64_t(out_rows) * out_cols);
        const size_t chunk = size_t(std::max<uint64_t>(1, capacities_.output / worst_blob));
        std::vector<uint32_t> words;
        for (size_t c0 = g0; c0 < g1; c0 += chunk) {
            const size_t c1 = std::min(g1, c0 + chunk);
            drain_command d;
            d.accumulator_address = uint64_t(c0 - g0) * out_plane_bytes;
            d.planes = uint32_t(c1 - c0);
            d.rows = out_rows;
            d.cols = out_cols;
            d.relu = job.relu;
            d.merged_psums = merged;
            merged = 0;
            d.output_address = 0;
            d.output_capacity = capacities_.output;
            if (send_command(ppu_initiator, d, drain) != tlm::TLM_OK_RESPONSE || d.overflow) {
                failure_ = "the post-processing unit could not drain the output planes";
                return;
            }
            words.resize(size_t((d.output_bytes + 3) / 4));
            unsigned char* bytes = reinterpret_cast<unsigned char*>(words.data());
            if (transfer(output_initiator, tlm::TLM_READ_COMMAND, 0, bytes, d.output_bytes, drain) !=
                tlm::TLM_OK_RESPONSE) {
                failure_ = "output buffer read failed";
                return;
            }
            uint64_t at = 0;
            for (size_t i = c0; i < c1; ++i) {
                csr_plane p = csr_blob_view(bytes + at, out_rows, out_cols);
                csr_to_dense(&p, job.output->data.data() + size_t(outputs[i]) * out_rows * out_cols);
                at += csr_blob_bytes(out_rows, csr_nnz(&p));
            }
        }
        drain_cycles_ += uint64_t(drain / clock_);
        qk_.inc(drain);
        if (qk_.need_sync())
            qk_.sync();
    }
}

statistics job_sequencer::stats() const
{
    return {
        {"jobs", double(jobs_), "jobs", "layer jobs run"},
        {"cycles", double(cycles_), "cycles", "job start to last output drained, summed over jobs"},
        {"passes", double(passes_), "passes", "stationary passes commanded"},
        {"output_groups", double(output_groups_), "groups",
         "output-plane groups that fit the accumulator buffer (more than one per drain set means refetch)"},
        {"stationary_loads", double(stationary_loads_), "planes", "stationary planes written to the image buffer"},
        {"broadcast_loads", double(broadcast_loads_), "batches", "broadcast plane batches written to the kernel buffer"},
        {"load_stall_cycles", double(load_stall_cycles_), "cycles", "operand loads not hidden behind compute"},
        {"drain_cycles", double(drain_cycles_), "cycles", "post-processing and read-out of outputs"},
    };
}

void job_sequencer::reset_stats()
{
    jobs_ = passes_ = stationary_loads_ = broadcast_loads_ = 0;
    cycles_ = load_stall_cycles_ = drain_cycles_ = output_groups_ = 0;
}

}  // namespace ant
