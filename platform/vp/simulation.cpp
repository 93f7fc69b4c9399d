#include "simulation.h"

#include <algorithm>
#include <stdexcept>

#include "common/main_stack.h"

namespace ant {

simulation::simulation(const vp_config& config)
    : config_(config), dram_(std::make_unique<dram>("dram", config.dram)),
      accelerator_(std::make_unique<ant_accelerator>("ant", config.accelerator))
{
    accelerator_->dma_initiator.bind(dram_->mem_target);
}

simulation::~simulation() = default;

void simulation::set_timeline(timeline* t)
{
    accelerator_->set_timeline(t);
    dram_->set_timeline(t);
}

uint64_t simulation::allocate(uint64_t bytes)
{
    const uint64_t at = (next_ + 63) / 64 * 64;
    if (at + bytes > config_.dram.size_bytes)
        throw std::runtime_error("the job's tensors do not fit in the configured DRAM (dram.size_bytes)");
    next_ = at + bytes;
    return config_.dram.base + at;
}

void simulation::write(uint64_t address, const void* data, uint64_t bytes)
{
    if (bytes && accelerator_->debug_dram(true, address, const_cast<void*>(data), bytes) != bytes)
        throw std::runtime_error("placing a tensor in DRAM failed");
}

ant_tensor_desc simulation::place(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols)
{
    if (in_format_ == operand_format::smaller) {
        const uint64_t nnz = uint64_t(std::count_if(t.data.begin(), t.data.end(), [](float x) { return x != 0.0f; }));
        const uint64_t dense_bytes = uint64_t(planes) * rows * cols * 4;
        const uint64_t csr_bytes = uint64_t(planes + 1) * 4 + uint64_t(planes) * (rows + 1) * 4 + nnz * 6;
        return csr_bytes < dense_bytes ? place_csr(t, planes, rows, cols) : place_dense(t, planes, rows, cols);
    }
    return in_format_ == operand_format::dense ? place_dense(t, planes, rows, cols) : place_csr(t, planes, rows, cols);
}

ant_tensor_desc simulation::place_dense(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols)
{
    ant_tensor_desc d{};
    d.format = ANT_FORMAT_DENSE;
    d.planes = planes, d.rows = rows, d.cols = cols;
    d.capacity = uint32_t(uint64_t(planes) * rows * cols);
    d.values = uint32_t(allocate(t.data.size() * 4));
    write(d.values, t.data.data(), t.data.size() * 4);
    return d;
}

ant_tensor_desc simulation::place_csr(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols)
{
    csr_tensor c(t.data.data(), planes, rows, cols);
    std::vector<uint32_t> offsets(planes + 1, 0), row_ptr;
    std::vector<uint16_t> col_idx;
    std::vector<float> values;
    row_ptr.reserve(size_t(planes) * (rows + 1));
    for (uint32_t p = 0; p < planes; ++p) {
        const csr_plane v = c.plane(p);
        row_ptr.insert(row_ptr.end(), v.row_ptr, v.row_ptr + rows + 1);
        col_idx.insert(col_idx.end(), v.col_idx, v.col_idx + csr_nnz(&v));
        values.insert(values.end(), v.val, v.val + csr_nnz(&v));
        offsets[p + 1] = uint32_t(values.size());
    }
    ant_tensor_desc d{};
    d.format = ANT_FORMAT_CSR;
    d.planes = planes, d.rows = rows, d.cols = cols;
    d.offsets = uint32_t(allocate(offsets.size() * 4));
    d.row_ptr = uint32_t(allocate(row_ptr.size() * 4));
    d.col_idx = uint32_t(allocate(col_idx.size() * 2 + 2));
    d.values = uint32_t(allocate(values.size() * 4 + 4));
    d.capacity = uint32_t(values.size());
    write(d.offsets, offsets.data(), offsets.size() * 4);
    write(d.row_ptr, row_ptr.data(), row_ptr.size() * 4);
    write(d.col_idx, col_idx.data(), col_idx.size() * 2);
    write(d.values, values.data(), values.size() * 4);
    return d;
}

ant_tensor_desc simulation::reserve(uint32_t format, uint32_t planes, uint32_t rows, uint32_t cols)
{
    ant_tensor_desc d{};
    d.format = format;
    d.planes = planes, d.rows = rows, d.cols = cols;
    const uint64_t entries = uint64_t(planes) * rows * cols;
    d.capacity = uint32_t(entries);
    if (format == ANT_FORMAT_DENSE) {
        d.values = uint32_t(allocate(entries * 4));
        return d;
    }
    d.offsets = uint32_t(allocate((planes + 1) * uint64_t(4)));
    d.row_ptr = uint32_t(allocate(uint64_t(planes) * (rows + 1) * 4));
    d.col_idx = uint32_t(allocate(entries * 2 + 2));
    d.values = uint32_t(allocate(entries * 4 + 4));
    return d;
}

layer_job simulation::prepare(ant_op op, ant_mode mode, ant_mapping mapping, bool relu, const ant_geometry& g,
                              uint32_t n, uint32_t c, uint32_t k, const dense_tensor& a, const dense_tensor& b,
                              uint32_t out_format, operand_format in_format)
{
    next_ = 0;  // one job's tensors at a time
    in_format_ = in_format;
    layer_job job;
    ant_job_desc& d = job.desc;
    d.op = uint32_t(op);
    d.mode = uint32_t(mode);
    d.mapping = uint32_t(mapping);
    d.flags = relu ? ANT_JOB_FLAG_RELU : 0;
    if (op == ANT_OP_SPMM) {
        d.a = place(a, 1, uint32_t(g.m), uint32_t(g.k));
        d.b = place(b, 1, uint32_t(g.k), uint32_t(g.n));
        d.out = reserve(out_format, 1, uint32_t(g.m), uint32_t(g.n));
        return job;
    }
    d.n = n, d.c = c, d.k = k;
    d.h = uint32_t(g.in[0]), d.w = uint32_t(g.in[1]), d.r = uint32_t(g.kernel[0]), d.s = uint32_t(g.kernel[1]);
    d.stride_h = uint32_t(g.stride[0]), d.stride_w = uint32_t(g.stride[1]);
    d.pad_h = uint32_t(g.pad[0]), d.pad_w = uint32_t(g.pad[1]);
    const uint32_t H = d.h, W = d.w, R = d.r, S = d.s, Ho = uint32_t(g.out[0]), Wo = uint32_t(g.out[1]);
    switch (op) {
    case ANT_OP_FW:
        d.a = place(a, n * c, H, W), d.b = place(b, k * c, R, S), d.out = reserve(out_format, n * k, Ho, Wo);
        break;
    case ANT_OP_BD:
        d.a = place(a, n * k, Ho, Wo), d.b = place(b, k * c, R, S), d.out = reserve(out_format, n * c, H, W);
        break;
    default:
        d.a = place(a, n * c, H, W), d.b = place(b, n * k, Ho, Wo), d.out = reserve(out_format, k * c, R, S);
        break;
    }
    return job;
}

void simulation::run(layer_job& job)
{
    accelerator_->reset_stats();
    dram_->reset_stats();
    job.ok = false;
    job.error = "the job did not run";
    accelerator_->submit(&job);
    main_stack_guard guard;
    sc_core::sc_start();  // returns when the sequencer waits for work again
}

dense_tensor simulation::output(const layer_job& job)
{
    const ant_tensor_desc& d = job.desc.out;
    const ant_job_desc& j = job.desc;
    std::vector<int64_t> shape;
    switch (ant_op(j.op)) {
    case ANT_OP_FW: shape = {j.n, j.k, d.rows, d.cols}; break;
    case ANT_OP_BD: shape = {j.n, j.c, d.rows, d.cols}; break;
    case ANT_OP_BW: shape = {j.k, j.c, d.rows, d.cols}; break;
    default: shape = {d.rows, d.cols}; break;
    }
    dense_tensor out(shape);
    if (d.format == ANT_FORMAT_DENSE) {
        accelerator_->debug_dram(false, d.values, out.data.data(), out.data.size() * 4);
        return out;
    }
    std::vector<uint32_t> offsets(d.planes + 1), row_ptr(size_t(d.planes) * (d.rows + 1));
    accelerator_->debug_dram(false, d.offsets, offsets.data(), offsets.size() * 4);
    accelerator_->debug_dram(false, d.row_ptr, row_ptr.data(), row_ptr.size() * 4);
    const uint64_t entries = offsets[d.planes];
    std::vector<uint16_t> col_idx(entries + 1);
    std::vector<float> values(entries + 1);
    accelerator_->debug_dram(false, d.col_idx, col_idx.data(), entries * 2);
    accelerator_->debug_dram(false, d.values, values.data(), entries * 4);
    for (uint32_t p = 0; p < d.planes; ++p) {
        csr_plane v{d.rows, d.cols, offsets[p + 1] - offsets[p], &row_ptr[size_t(p) * (d.rows + 1)],
                    col_idx.data() + offsets[p], values.data() + offsets[p]};
        csr_to_dense(&v, out.data.data() + size_t(p) * d.rows * d.cols);
    }
    return out;
}

std::vector<std::pair<std::string, statistics>> simulation::block_stats() const
{
    auto blocks = accelerator_->block_stats();
    blocks.emplace_back("dram", dram_->stats());
    return blocks;
}

}  // namespace ant
