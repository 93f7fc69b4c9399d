#include "post_processing_unit.h"

#include "command_extension.h"

namespace ant {

post_processing_unit::post_processing_unit(sc_core::sc_module_name name,
                                           const post_processing_unit_config& config,
                                           sc_core::sc_time clock_period)
    : sc_module(name), drain_target("drain_target"), accumulator_initiator("accumulator_initiator"),
      output_initiator("output_initiator"), topk_target("topk_target"), dma_initiator("dma_initiator"),
      config_(config), clock_(clock_period)
{
    drain_target.register_b_transport(this, &post_processing_unit::b_transport);
    topk_target.register_b_transport(this, &post_processing_unit::topk_transport);
}

bool post_processing_unit::drain(drain_command& cmd, sc_core::sc_time& delay)
{
    const uint64_t plane_elements = uint64_t(cmd.rows) * cmd.cols;
    const uint64_t elements = plane_elements * cmd.planes;
    plane_.resize(elements);
    if (transfer(accumulator_initiator, tlm::TLM_READ_COMMAND, cmd.accumulator_address,
                 plane_.data(), elements * 4, delay) != tlm::TLM_OK_RESPONSE)
        return false;
    // The accumulators are cleared as they are read out (read-clear port), ready for the
    // next output planes: no separate write traffic.
    {
        if (zeros_.size() < elements)
            zeros_.resize(elements, 0.0f);
        tlm::tlm_generic_payload clear;
        clear.set_command(tlm::TLM_WRITE_COMMAND);
        clear.set_address(cmd.accumulator_address);
        clear.set_data_ptr(reinterpret_cast<unsigned char*>(zeros_.data()));
        clear.set_data_length(unsigned(elements * 4));
        clear.set_streaming_width(unsigned(elements * 4));
        accumulator_initiator->transport_dbg(clear);
    }
    std::vector<unsigned char>& out = out_;
    out.clear();
    cmd.nnz = 0;
    for (uint32_t p = 0; p < cmd.planes; ++p) {
        const float* src = plane_.data() + p * plane_elements;
        row_ptr_.assign(cmd.rows + 1, 0);
        col_idx_.clear();
        val_.clear();
        for (uint32_t r = 0; r < cmd.rows; ++r) {
            for (uint32_t c = 0; c < cmd.cols; ++c) {
                float x = src[size_t(r) * cmd.cols + c];
                if (cmd.relu && x < 0.0f) {
                    x = 0.0f;
                    ++relu_zeroed_;
                }
                if (x != 0.0f) {
                    col_idx_.push_back(uint16_t(c));
                    val_.push_back(x);
                }
            }
            row_ptr_[r + 1] = uint32_t(val_.size());
        }
        const size_t at = out.size();
        if (cmd.dense_output) {
            out.resize(at + plane_elements * 4);
            float* dst = reinterpret_cast<float*>(out.data() + at);
            for (uint64_t i = 0; i < plane_elements; ++i)
                dst[i] = cmd.relu && src[i] < 0.0f ? 0.0f : src[i];
        } else {
            out.resize(at + csr_blob_bytes(cmd.rows, val_.size()));
            csr_plane plane{cmd.rows, cmd.cols, uint32_t(val_.size()), row_ptr_.data(), col_idx_.data(), val_.data()};
            csr_blob_write(plane, out.data() + at);
        }
        if (cmd.plane_nnz)
            cmd.plane_nnz[p] = uint32_t(val_.size());
        cmd.nnz += val_.size();
    }
    cmd.output_bytes = out.size();
    if (cmd.output_bytes > cmd.output_capacity) {
        cmd.overflow = true;
        return true;
    }
    if (transfer(output_initiator, tlm::TLM_WRITE_COMMAND, cmd.output_address, out.data(),
                 cmd.output_bytes, delay) != tlm::TLM_OK_RESPONSE)
        return false;
    const uint64_t cycles = (elements + cmd.merged_psums + config_.lanes - 1) / config_.lanes;
    delay += clock_ * double(cycles);
    cycles_ += cycles;
    planes_ += cmd.planes;
    elements_ += elements;
    nnz_out_ += cmd.nnz;
    return true;
}

void post_processing_unit::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    drain_command* cmd = command_extension<drain_command>::of(trans);
    const bool ok = cmd && cmd->rows > 0 && cmd->cols > 0 && cmd->planes > 0 && drain(*cmd, delay);
    trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE);
}

statistics post_processing_unit::stats() const
{
    return {
        {"planes", double(planes_), "planes", "output planes drained"},
        {"elements", double(elements_), "elements", "accumulator elements read out"},
        {"output_nnz", double(nnz_out_), "entries", "non-zeros written in CSR"},
        {"relu_zeroed", double(relu_zeroed_), "elements", "negative outputs cleared by ReLU"},
        {"cycles", double(cycles_), "cycles", "drain, merge and compression cycles"},
        {"topk_jobs", double(topk_jobs_), "jobs", "jobs whose output went through SWAT top-K"},
        {"topk_dropped", double(topk_dropped_), "entries", "non-zeros top-K removed"},
        {"topk_cycles", double(topk_cycles_), "cycles", "top-K selection and compaction cycles (DMA excluded)"},
    };
}

void post_processing_unit::reset_stats()
{
    planes_ = elements_ = nnz_out_ = relu_zeroed_ = cycles_ = 0;
    topk_jobs_ = topk_dropped_ = topk_cycles_ = 0;
}

}  // namespace ant
