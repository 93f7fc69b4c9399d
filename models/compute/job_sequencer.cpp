#include "job_sequencer.h"

#include <algorithm>
#include <sstream>

#include "command_extension.h"
#include "dataflow.h"
#include "csr_fetch_unit.h"
#include "pe_array.h"
#include "post_processing_unit.h"

namespace ant {

namespace {
const char* const msg_type = "ant/job_sequencer";

// Thrown inside a job to end it with an error code; caught by execute().
struct job_failure {
    ant_error code;
    std::string text;
};

uint64_t pad4(uint64_t bytes) { return (bytes + 3) / 4 * 4; }
}  // namespace

ant_mode mode_of(const ant_job_desc& d) { return ant_mode(d.mode); }
ant_mapping mapping_of(const ant_job_desc& d) { return ant_mapping(d.mapping); }

job_sequencer::job_sequencer(sc_core::sc_module_name name, const sequencer_limits& limits,
                             sc_core::sc_time clock_period)
    : sc_module(name), dma_initiator("dma_initiator"), fetch_initiator("fetch_initiator"),
      pe_initiator("pe_initiator"), ppu_initiator("ppu_initiator"), limits_(limits), clock_(clock_period)
{
    SC_HAS_PROCESS(job_sequencer);
    SC_THREAD(run);
}

void job_sequencer::set_timeline(timeline* t)
{
    timeline_ = t;
    if (!t)
        return;
    pe_track_ = t->track("accelerator", "PE array");
    drain_track_ = t->track("accelerator", "post-processing");
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

void job_sequencer::fail(ant_error code, const std::string& text) { throw job_failure{code, text}; }

void job_sequencer::check_range(uint64_t address, uint64_t bytes, uint32_t align, const char* what)
{
    if (address % align != 0)
        fail(ANT_ERR_MISALIGNED, std::string(what) + " address is not " + std::to_string(align) + "-byte aligned");
    if (address < limits_.dram_base || address - limits_.dram_base > limits_.dram_size ||
        bytes > limits_.dram_size - (address - limits_.dram_base))
        fail(ANT_ERR_ADDRESS, std::string(what) + " lies outside DRAM");
}

// Checks a tensor's arrays and reads its plane table.
void job_sequencer::read_tensor(dram_tensor& t, const char* what)
{
    const ant_tensor_desc& d = t.d;
    t.offsets.clear();
    if (d.format == ANT_FORMAT_DENSE) {
        check_range(d.values, uint64_t(d.planes) * d.rows * d.cols * 4, 4, what);
        return;
    }
    check_range(d.offsets, uint64_t(d.planes + 1) * 4, 4, what);
    check_range(d.row_ptr, uint64_t(d.planes) * (d.rows + 1) * 4, 4, what);
    t.offsets.resize(d.planes + 1);
    dma_segment seg{d.offsets, uint64_t(d.planes + 1) * 4, 0};
    dma_command cmd;
    cmd.local = reinterpret_cast<unsigned char*>(t.offsets.data());
    cmd.buffer_bytes = seg.bytes;
    cmd.segments = &seg;
    cmd.n_segments = 1;
    cmd.tensor_kind = dma_metadata;
    // Targets see the transaction at the initiator's local time: start from it.
    sc_core::sc_time delay = qk_.get_local_time();
    if (send_command(dma_initiator, cmd, delay) != tlm::TLM_OK_RESPONSE || cmd.bus_error)
        fail(ANT_ERR_BUS, std::string("reading the plane table of ") + what + " failed");
    dram_read_ += cmd.dram_bytes;
    qk_.set(delay);
    if (t.offsets[0] != 0)
        fail(ANT_ERR_BAD_TENSOR, std::string(what) + ": the plane table does not start at 0");
    for (uint32_t p = 0; p < d.planes; ++p)
        if (t.offsets[p + 1] < t.offsets[p] || t.offsets[p + 1] - t.offsets[p] > uint64_t(d.rows) * d.cols)
            fail(ANT_ERR_BAD_TENSOR, std::string(what) + ": plane " + std::to_string(p) + " has a bad entry count");
    check_range(d.col_idx, uint64_t(t.offsets[d.planes]) * 2, 2, what);
    check_range(d.values, uint64_t(t.offsets[d.planes]) * 4, 4, what);
}

void job_sequencer::check_descriptor(layer_job& job)
{
    const ant_job_desc& d = job.desc;
    if (d.op > ANT_OP_CODE_SPMM)
        fail(ANT_ERR_BAD_OP, "unknown operation code " + std::to_string(d.op));
    if (d.mode > ANT_MODE_CODE_IDEAL || d.mapping > ANT_MAPPING_CODE_CHANNEL)
        fail(ANT_ERR_BAD_MODE, "unknown mode or mapping code");
    for (const ant_tensor_desc* t : {&d.a, &d.b, &d.out})
        if (t->format != ANT_FORMAT_CSR && t->format != ANT_FORMAT_DENSE)
            fail(ANT_ERR_BAD_FORMAT, "unknown tensor format " + std::to_string(t->format));
    const uint32_t limit = 65535;
    for (const ant_tensor_desc* t : {&d.a, &d.b, &d.out})
        if (t->rows == 0 || t->cols == 0 || t->planes == 0 || t->rows > limit || t->cols > limit ||
            t->planes > (1u << 24))
            fail(ANT_ERR_BAD_DIMS, "a tensor has zero or absurd dimensions");
    char msg[256];
    const ant_op op = ant_op(d.op);
    if (op == ANT_OP_SPMM) {
        if (d.a.planes != 1 || d.b.planes != 1 || d.out.planes != 1 || d.a.cols != d.b.rows)
            fail(ANT_ERR_BAD_FORMAT, "SPMM needs one-plane tensors with A's columns equal to B's rows");
        if (ant_geometry_spmm(&g_, int32_t(d.a.rows), int32_t(d.a.cols), int32_t(d.b.cols), msg, sizeof msg) != 0)
            fail(ANT_ERR_BAD_DIMS, msg);
        n_ = c_ = k_ = 1;
    } else {
        if (d.n == 0 || d.c == 0 || d.k == 0 || d.n > limit || d.c > limit || d.k > limit)
            fail(ANT_ERR_BAD_DIMS, "batch or channel count is zero or absurd");
        if (d.h > limit || d.w > limit || d.r > limit || d.s > limit || d.stride_h > limit || d.stride_w > limit ||
            d.pad_h > limit || d.pad_w > limit)
            fail(ANT_ERR_BAD_DIMS, "plane, kernel, stride or padding is absurd");
        const ant_op array_op = ant_job_op(op, ant_mode(d.mode), limits_.scnn_bw_stationary, limits_.ant_bw_tiling);
        if (ant_geometry_conv(&g_, array_op, int32_t(d.h), int32_t(d.w), int32_t(d.r), int32_t(d.s), int32_t(d.stride_h),
                              int32_t(d.stride_w), int32_t(d.pad_h), int32_t(d.pad_w), msg, sizeof msg) != 0)
            fail(ANT_ERR_BAD_DIMS, msg);
        n_ = d.n, c_ = d.c, k_ = d.k;
    }
    // The stationary operand is a (b for SPMM and for BW with the gradient tiled), whose
    // planes must match the geometry.
    const bool b_stationary = g_.op == ANT_OP_SPMM || g_.op == ANT_OP_BW_GS;
    const ant_tensor_desc& s = b_stationary ? d.b : d.a;
    const ant_tensor_desc& b = b_stationary ? d.a : d.b;
    const uint32_t s_planes = (op == ANT_OP_BD || g_.op == ANT_OP_BW_GS) ? n_ * k_ : op == ANT_OP_SPMM ? 1 : n_ * c_;
    const uint32_t b_planes = g_.op == ANT_OP_BW ? n_ * k_ : g_.op == ANT_OP_BW_GS ? n_ * c_ : op == ANT_OP_SPMM ? 1 : k_ * c_;
    const uint32_t o_planes = op == ANT_OP_FW ? n_ * k_ : op == ANT_OP_BD ? n_ * c_ : op == ANT_OP_BW ? k_ * c_ : 1;
    auto matches = [](const ant_tensor_desc& t, uint32_t planes, int32_t rows, int32_t cols) {
        return t.planes == planes && t.rows == uint32_t(rows) && t.cols == uint32_t(cols);
    };
    if (!matches(s, s_planes, g_.stationary[ANT_ROW], g_.stationary[ANT_COL]) ||
        !matches(b, b_planes, g_.broadcast[ANT_ROW], g_.broadcast[ANT_COL]) ||
        !matches(d.out, o_planes, g_.output[ANT_ROW], g_.output[ANT_COL]))
        fail(ANT_ERR_BAD_FORMAT, "tensor dimensions disagree with the job's shape");
    stationary_.d = s;
    broadcast_.d = b;
    output_.d = d.out;
    read_tensor(stationary_, "the stationary operand");
    read_tensor(broadcast_, "the broadcast operand");
    const ant_tensor_desc& o = d.out;
    const uint64_t elements = uint64_t(o.planes) * o.rows * o.cols;
    if (o.format == ANT_FORMAT_DENSE) {
        if (o.capacity < elements)
            fail(ANT_ERR_OUT_CAPACITY, "a dense output needs capacity for every element");
        check_range(o.values, elements * 4, 4, "the output");
    } else {
        check_range(o.offsets, uint64_t(o.planes + 1) * 4, 4, "the output");
        check_range(o.row_ptr, uint64_t(o.planes) * (o.rows + 1) * 4, 4, "the output");
        check_range(o.col_idx, uint64_t(o.capacity) * 2, 2, "the output");
        check_range(o.values, uint64_t(o.capacity) * 4, 4, "the output");
    }
}

void job_sequencer::execute(layer_job& job)
{
    job.ok = false;
    job.error.clear();
    job.error_code = ANT_ERR_NONE;
    ++job_id_;
    ++jobs_;
    stationary_at_.clear();
    resident_at_.clear();
    psums_reported_ = output_entries_ = 0;
    dram_read_ = dram_write_ = 0;
    job.scnn_products_issued = job.vector_pairs = job.products_valid = job.products_rcp = 0;
    const uint64_t stall_before = load_stall_cycles_, drain_before = drain_cycles_;
    const sc_core::sc_time start = sc_core::sc_time_stamp() + qk_.get_local_time();
    try {
        check_descriptor(job);
        job.geometry = g_;
        const uint64_t out_plane_bytes = uint64_t(g_.output[ANT_ROW]) * uint64_t(g_.output[ANT_COL]) * 4;
        const uint64_t out_blob_worst = csr_blob_bytes(uint32_t(g_.output[ANT_ROW]),
                                                       uint64_t(g_.output[ANT_ROW]) * uint64_t(g_.output[ANT_COL]));
        if (out_plane_bytes > limits_.accumulator || out_blob_worst > limits_.output) {
            std::ostringstream msg;
            msg << "one output plane (" << out_plane_bytes << " bytes dense, up to " << out_blob_worst
                << " bytes compressed) does not fit the accumulator (" << limits_.accumulator << ") or output buffer ("
                << limits_.output << ")";
            fail(ANT_ERR_DOES_NOT_FIT, msg.str());
        }
        // The pass plan is data (models/algo/dataflow.c): image planes in order, the
        // (kernel, output) pairs each meets, grouped by the outputs a run of passes completes.
        ant_plan plan;
        if (ant_plan_job(g_.op, n_, c_, k_, &plan) != 0)
            fail(ANT_ERR_DOES_NOT_FIT, "out of host memory while planning the job's passes");
        std::vector<std::pair<std::vector<uint32_t>, std::vector<pass_plan>>> drain_sets;
        for (uint32_t si = 0; si < plan.n_sets; ++si) {
            const ant_drain_set& set = plan.sets[si];
            std::vector<uint32_t> outputs(plan.outputs + set.first_output,
                                          plan.outputs + set.first_output + set.n_outputs);
            std::vector<pass_plan> passes;
            for (uint32_t p = set.first_pass; p < set.first_pass + set.n_passes; ++p) {
                pass_plan pp{plan.passes[p].image_plane, {}};
                for (uint32_t q = 0; q < plan.passes[p].n_pairs; ++q) {
                    const ant_pair& pair = plan.pairs[plan.passes[p].first_pair + q];
                    pp.pairs.push_back({pair.kernel_plane, pair.output_plane});
                }
                passes.push_back(std::move(pp));
            }
            drain_sets.emplace_back(std::move(outputs), std::move(passes));
        }
        ant_plan_free(&plan);
        previous_pass_ = sc_core::SC_ZERO_TIME;
        for (const auto& [outputs, passes] : drain_sets)
            run_drain_set(job, outputs, passes);
        // The CSR output's plane table goes last, once every plane's entry count is known.
        if (output_.d.format == ANT_FORMAT_CSR) {
            dma_segment seg{output_.d.offsets, output_.offsets.size() * 4, 0};
            dma_command cmd;
            cmd.to_dram = true;
            cmd.local = reinterpret_cast<unsigned char*>(output_.offsets.data());
            cmd.buffer_bytes = seg.bytes;
            cmd.segments = &seg;
            cmd.n_segments = 1;
            cmd.tensor_kind = dma_metadata;
            sc_core::sc_time delay = qk_.get_local_time();
            if (send_command(dma_initiator, cmd, delay) != tlm::TLM_OK_RESPONSE || cmd.bus_error)
                fail(ANT_ERR_BUS, "writing the output's plane table failed");
            dram_write_ += cmd.dram_bytes;
            qk_.set(delay);
        }
        job.ok = true;
    } catch (const job_failure& f) {
        job.error_code = f.code;
        job.error = f.text;
        ++failed_;
        SC_REPORT_INFO_VERB(msg_type, ("job failed: " + f.text).c_str(), sc_core::SC_HIGH);
    }
    pe_psum_report end{job_id_, true, 0};
    sc_core::sc_time ignored;
    send_command(pe_initiator, end, ignored);
    qk_.sync();
    job.cycles = uint64_t((sc_core::sc_time_stamp() - start) / clock_);
    job.load_stall_cycles = load_stall_cycles_ - stall_before;
    job.drain_cycles = drain_cycles_ - drain_before;
    job.products_rcp = job.ok ? job.products_rcp : 0;
    job.dram_read_bytes = dram_read_;
    job.dram_write_bytes = dram_write_;
    cycles_ += job.cycles;
}

// Loads a group back to back from buffer offset 0, records where each plane went, and
// returns how long the load took from now.
sc_core::sc_time job_sequencer::load_group(const dram_tensor& t, const std::vector<uint32_t>& group, dma_buffer buffer,
                                           uint32_t kind, plane_placement& placed)
{
    placed.clear();
    uint64_t addr = 0;
    for (uint32_t plane : group) {
        placed.place(plane, addr);
        addr += t.plane_bytes(plane);
    }
    const sc_core::sc_time now = qk_.get_local_time();
    sc_core::sc_time end = now;
    load_planes(t, group, buffer, kind, end);
    if (buffer == dma_buffer::image)
        stationary_loads_ += group.size();
    return end - now;
}

// Gathers planes of a tensor into a buffer at offset 0, back to back in the order given, in
// one DMA command. The segments are listed in DRAM order (planes by index, a CSR tensor's
// three arrays by address), which is the order the DMA engine visits them in anyway: it then
// has nothing to sort.
// plane_order_ = the planes as (plane << 32 | position in `planes`), by plane. A group of a
// deep layer holds thousands of planes spread over a weight tensor of a hundred thousand:
// marking them in a bitmap over their index range and reading it back costs a word per 64
// indices and a step per plane, where sorting costs a comparison sort.
void job_sequencer::order_planes(const std::vector<uint32_t>& planes)
{
    std::vector<uint64_t>& by_index = plane_order_;
    const size_t n = planes.size();
    by_index.resize(n);
    uint32_t lo = UINT32_MAX, hi = 0;
    bool sorted = true;
    for (size_t i = 0; i < n; ++i) {
        sorted = sorted && (i == 0 || planes[i - 1] < planes[i]);
        lo = std::min(lo, planes[i]);
        hi = std::max(hi, planes[i]);
    }
    const uint64_t words = n ? (uint64_t(hi - lo) >> 6) + 1 : 0;
    if (!sorted && n >= 64 && words <= 4 * uint64_t(n)) {
        plane_bits_.assign(words, 0);
        if (plane_slot_.size() <= hi)
            plane_slot_.resize(size_t(hi) + 1);
        for (size_t i = 0; i < n; ++i) {
            const uint32_t off = planes[i] - lo;
            plane_bits_[off >> 6] |= uint64_t(1) << (off & 63);
            plane_slot_[planes[i]] = uint32_t(i);
        }
        size_t k = 0;
        for (uint64_t w = 0; w < words; ++w)
            for (uint64_t bits = plane_bits_[w]; bits != 0 && k < n; bits &= bits - 1) {
                const uint32_t p = lo + uint32_t(w << 6) + uint32_t(__builtin_ctzll(bits));
                by_index[k++] = uint64_t(p) << 32 | plane_slot_[p];
            }
        if (k == n)
            return;  // no plane listed twice (a repeat leaves fewer bits than planes)
    }
    // (plane, position) in one word: sorting words is cheaper than sorting through an index.
    for (size_t i = 0; i < n; ++i)
        by_index[i] = uint64_t(planes[i]) << 32 | i;
    if (!sorted)
        std::sort(by_index.begin(), by_index.end());
}

void job_sequencer::load_planes(const dram_tensor& t, const std::vector<uint32_t>& planes, dma_buffer buffer,
                                uint32_t kind, sc_core::sc_time& delay)
{
    std::vector<dma_segment>& segments = segments_;
    std::vector<uint64_t>& offset = plane_offsets_;
    std::vector<uint64_t>& by_index = plane_order_;
    segments.clear();
    offset.resize(planes.size());
    uint64_t at = 0;
    for (size_t i = 0; i < planes.size(); ++i) {
        offset[i] = at;
        at += t.plane_bytes(planes[i]);
    }
    order_planes(planes);
    const ant_tensor_desc& d = t.d;
    if (t.dense()) {
        const uint64_t bytes = uint64_t(d.rows) * d.cols * 4;
        for (uint64_t key : by_index)
            segments.push_back({d.values + (key >> 32) * bytes, bytes, offset[uint32_t(key)]});
    } else {
        const uint64_t rp = uint64_t(d.rows + 1) * 4;
        enum array { row_ptrs, col_idxs, vals };
        array arrays[3] = {row_ptrs, col_idxs, vals};
        const uint64_t base[3] = {d.row_ptr, d.col_idx, d.values};
        std::sort(std::begin(arrays), std::end(arrays), [&](array x, array y) { return base[x] < base[y]; });
        for (array a : arrays)
            for (uint64_t key : by_index) {
                const uint32_t p = uint32_t(key >> 32), i = uint32_t(key);
                const uint64_t nnz = t.nnz(p);
                if (a == row_ptrs)
                    segments.push_back({d.row_ptr + uint64_t(p) * rp, rp, offset[i]});
                else if (nnz > 0 && a == col_idxs)
                    segments.push_back({d.col_idx + uint64_t(t.offsets[p]) * 2, nnz * 2, offset[i] + rp});
                else if (nnz > 0)
                    segments.push_back({d.values + uint64_t(t.offsets[p]) * 4, nnz * 4, offset[i] + rp + pad4(nnz * 2)});
            }
    }
    dma_command cmd;
    cmd.buffer = buffer;
    cmd.buffer_address = 0;
    cmd.buffer_bytes = at;
    cmd.segments = segments.data();
    cmd.n_segments = uint32_t(segments.size());
    cmd.tensor_kind = kind;
    if (send_command(dma_initiator, cmd, delay) != tlm::TLM_OK_RESPONSE || cmd.bus_error)
        fail(ANT_ERR_BUS, "a DMA transfer of operand planes failed");
    dram_read_ += cmd.dram_bytes;
}

// Scatters `count` drained planes (back to back in the output buffer) into the output
// tensor in DRAM.
void job_sequencer::write_outputs(layer_job&, uint32_t first_output, uint32_t count, const std::vector<uint32_t>& nnz,
                                  uint64_t bytes, sc_core::sc_time& delay)
{
    const ant_tensor_desc& d = output_.d;
    std::vector<dma_segment>& segments = segments_;
    segments.clear();
    uint64_t at = 0;
    if (d.format == ANT_FORMAT_DENSE) {
        const uint64_t plane = uint64_t(d.rows) * d.cols * 4;
        for (uint32_t i = 0; i < count; ++i, at += plane)
            segments.push_back({d.values + uint64_t(first_output + i) * plane, plane, at});
    } else {
        // Each plane's blob goes to three arrays; the segments are listed array by array in
        // DRAM order (planes ascend within each), so that the DMA engine need not sort them.
        const uint64_t rp = uint64_t(d.rows + 1) * 4;
        std::vector<uint64_t>& first_entry = plane_offsets_;  // scratch: each plane's first entry
        std::vector<uint64_t>& blob_at = plane_order_;        // scratch: its blob in the buffer
        first_entry.resize(count);
        blob_at.resize(count);
        for (uint32_t i = 0; i < count; ++i) {
            if (output_entries_ + nnz[i] > d.capacity)
                fail(ANT_ERR_OUT_CAPACITY, "the output has " + std::to_string(d.capacity) +
                                               " entries of capacity; more non-zeros were produced");
            first_entry[i] = output_entries_;
            blob_at[i] = at;
            output_entries_ += nnz[i];
            output_.offsets[first_output + i + 1] = uint32_t(output_entries_);
            at += csr_blob_bytes(d.rows, nnz[i]);
        }
        enum array { row_ptrs, col_idxs, vals };
        array arrays[3] = {row_ptrs, col_idxs, vals};
        const uint64_t base[3] = {d.row_ptr, d.col_idx, d.values};
        std::sort(std::begin(arrays), std::end(arrays), [&](array x, array y) { return base[x] < base[y]; });
        for (array a : arrays)
            for (uint32_t i = 0; i < count; ++i) {
                const uint64_t n = nnz[i];
                if (a == row_ptrs)
                    segments.push_back({d.row_ptr + uint64_t(first_output + i) * rp, rp, blob_at[i]});
                else if (n > 0 && a == col_idxs)
                    segments.push_back({d.col_idx + first_entry[i] * 2, n * 2, blob_at[i] + rp});
                else if (n > 0)
                    segments.push_back({d.values + first_entry[i] * 4, n * 4, blob_at[i] + rp + pad4(n * 2)});
            }
    }
    dma_command cmd;
    cmd.to_dram = true;
    cmd.buffer = dma_buffer::output;
    cmd.buffer_bytes = bytes;
    cmd.segments = segments.data();
    cmd.n_segments = uint32_t(segments.size());
    cmd.tensor_kind = dma_output;
    if (at != bytes || send_command(dma_initiator, cmd, delay) != tlm::TLM_OK_RESPONSE || cmd.bus_error)
        fail(ANT_ERR_BUS, "writing output planes to DRAM failed");
    dram_write_ += cmd.dram_bytes;
}

statistics job_sequencer::stats() const
{
    return {
        {"jobs", double(jobs_), "jobs", "layer jobs run"},
        {"failed_jobs", double(failed_), "jobs", "jobs ended with an error code"},
        {"cycles", double(cycles_), "cycles", "job start to last output written back, summed over jobs"},
        {"passes", double(passes_), "passes", "stationary passes commanded"},
        {"output_groups", double(output_groups_), "groups",
         "output-plane groups that fit the accumulator buffer (more than one per drain set means refetch)"},
        {"stationary_loads", double(stationary_loads_), "planes", "stationary planes brought into the image buffer"},
        {"broadcast_loads", double(broadcast_loads_), "batches", "broadcast plane batches brought into the kernel buffer"},
        {"load_stall_cycles", double(load_stall_cycles_), "cycles", "operand loads not hidden behind compute"},
        {"drain_cycles", double(drain_cycles_), "cycles", "post-processing and write-back of outputs"},
        {"chunk_outer_runs", double(chunk_outer_runs_), "runs",
         "runs of passes whose shared broadcast planes exceed the kernel buffer, ordered chunk outer (each chunk read once)"},
    };
}

void job_sequencer::reset_stats()
{
    jobs_ = failed_ = passes_ = stationary_loads_ = broadcast_loads_ = 0;
    cycles_ = load_stall_cycles_ = drain_cycles_ = output_groups_ = chunk_outer_runs_ = 0;
}

}  // namespace ant
