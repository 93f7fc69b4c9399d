// The post-processing unit's top-K pass (topk_command in post_processing_unit.h).
//
// Why a pass over DRAM: the sequencer drains output planes group by group as they complete
// and writes each group back at once, so no block ever holds the whole output tensor; the
// K-th largest magnitude of the tensor is known only after the last plane. The unit therefore
// reads the finished tensor back, selects, and rewrites it. Timing: every transfer goes
// through the DMA engine (DRAM timing and traffic counted); the selection and the compaction
// each stream the candidates at `lanes` per cycle (a histogram/radix select that keeps its
// candidates on chip is assumed, so the values are read once for selecting and once with
// their indices for compacting).
#include <vector>

#include "command_extension.h"
#include "dma_engine.h"
#include "post_processing_unit.h"
#include "topk_selection.h"

namespace ant {

bool post_processing_unit::dram(topk_command& cmd, bool write, uint32_t address, void* data, uint64_t bytes,
                                uint32_t kind, sc_core::sc_time& delay)
{
    if (bytes == 0)
        return true;
    dma_segment seg{address, bytes, 0};
    dma_command dma;
    dma.to_dram = write;
    dma.local = static_cast<unsigned char*>(data);
    dma.buffer_bytes = bytes;
    dma.segments = &seg;
    dma.n_segments = 1;
    dma.tensor_kind = kind;
    if (send_command(dma_initiator, dma, delay) != tlm::TLM_OK_RESPONSE || dma.bus_error) {
        cmd.bus_error = true;
        return false;
    }
    (write ? cmd.dram_write_bytes : cmd.dram_read_bytes) += dma.dram_bytes;
    return true;
}

void post_processing_unit::stream_cycles(uint64_t elements, sc_core::sc_time& delay)
{
    const uint64_t cycles = (elements + config_.lanes - 1) / config_.lanes;
    topk_cycles_ += cycles;
    delay += clock_ * double(cycles);
}

void post_processing_unit::topk_dense(topk_command& cmd, sc_core::sc_time& delay)
{
    const ant_tensor_desc& t = cmd.out;
    const uint64_t elements = uint64_t(t.planes) * t.rows * t.cols;
    std::vector<float> values(elements);
    if (!dram(cmd, false, t.values, values.data(), elements * 4, dma_output, delay))
        return;
    std::vector<uint64_t> keys;
    for (uint64_t i = 0; i < elements; ++i)
        if (values[i] != 0.0f)
            keys.push_back(topk_key(values[i], uint32_t(i)));
    cmd.candidates = keys.size();
    stream_cycles(elements, delay);
    if (cmd.candidates <= cmd.k) {
        cmd.kept = cmd.candidates;
        return;
    }
    const uint64_t threshold = topk_threshold(keys, cmd.k);
    for (uint64_t i = 0; i < elements; ++i)
        if (values[i] != 0.0f && topk_key(values[i], uint32_t(i)) < threshold)
            values[i] = 0.0f;
    cmd.kept = cmd.k;
    stream_cycles(elements, delay);
    dram(cmd, true, t.values, values.data(), elements * 4, dma_output, delay);
}

void post_processing_unit::topk_csr(topk_command& cmd, sc_core::sc_time& delay)
{
    const ant_tensor_desc& t = cmd.out;
    std::vector<uint32_t> offsets(size_t(t.planes) + 1);
    if (!dram(cmd, false, t.offsets, offsets.data(), offsets.size() * 4, dma_metadata, delay))
        return;
    const uint64_t entries = offsets[t.planes];
    if (entries > t.capacity) {
        cmd.bad_tensor = true;
        return;
    }
    cmd.candidates = entries;
    if (entries <= cmd.k) {
        cmd.kept = entries;
        return;
    }
    std::vector<float> values(entries);
    if (!dram(cmd, false, t.values, values.data(), entries * 4, dma_output, delay))
        return;
    std::vector<uint64_t> keys(entries);
    for (uint64_t i = 0; i < entries; ++i)
        keys[i] = topk_key(values[i], uint32_t(i));
    stream_cycles(entries, delay);
    const uint64_t threshold = topk_threshold(keys, cmd.k);

    // Compaction: read the row pointers and column indices, keep the survivors in order.
    const size_t row_ptr_entries = size_t(t.planes) * (t.rows + 1);
    std::vector<uint32_t> row_ptr(row_ptr_entries);
    std::vector<uint16_t> col_idx(entries);
    if (!dram(cmd, false, t.row_ptr, row_ptr.data(), row_ptr_entries * 4, dma_metadata, delay) ||
        !dram(cmd, false, t.col_idx, col_idx.data(), entries * 2, dma_output, delay))
        return;
    uint64_t kept = 0;
    for (uint32_t p = 0; p < t.planes; ++p) {
        uint32_t* rp = row_ptr.data() + size_t(p) * (t.rows + 1);
        const uint64_t base = offsets[p], plane_start = kept;
        if (offsets[p + 1] < base || rp[t.rows] != offsets[p + 1] - base) {
            cmd.bad_tensor = true;
            return;
        }
        uint32_t entry = 0;
        for (uint32_t r = 0; r < t.rows; ++r) {
            const uint32_t end = rp[r + 1];
            if (end < entry || end > rp[t.rows]) {
                cmd.bad_tensor = true;
                return;
            }
            for (; entry < end; ++entry) {
                const uint64_t i = base + entry;
                if (topk_key(values[i], uint32_t(i)) >= threshold) {
                    col_idx[kept] = col_idx[i];
                    values[kept] = values[i];
                    ++kept;
                }
            }
            rp[r + 1] = uint32_t(kept - plane_start);
        }
        offsets[p] = uint32_t(plane_start);
    }
    offsets[t.planes] = uint32_t(kept);
    cmd.kept = kept;
    stream_cycles(entries, delay);
    dram(cmd, true, t.row_ptr, row_ptr.data(), row_ptr_entries * 4, dma_metadata, delay) &&
        dram(cmd, true, t.col_idx, col_idx.data(), kept * 2, dma_output, delay) &&
        dram(cmd, true, t.values, values.data(), kept * 4, dma_output, delay) &&
        dram(cmd, true, t.offsets, offsets.data(), offsets.size() * 4, dma_metadata, delay);
}

void post_processing_unit::topk(topk_command& cmd, sc_core::sc_time& delay)
{
    cmd.candidates = cmd.kept = cmd.dram_read_bytes = cmd.dram_write_bytes = 0;
    cmd.bus_error = cmd.bad_tensor = false;
    if (cmd.out.format == ANT_FORMAT_DENSE)
        topk_dense(cmd, delay);
    else
        topk_csr(cmd, delay);
    ++topk_jobs_;
    if (!cmd.bus_error && !cmd.bad_tensor)
        topk_dropped_ += cmd.candidates - cmd.kept;
}

void post_processing_unit::topk_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    topk_command* cmd = command_extension<topk_command>::of(trans);
    const bool ok = cmd && cmd->out.planes > 0 && cmd->out.rows > 0 && cmd->out.cols > 0;
    if (ok)
        topk(*cmd, delay);
    trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE);
}

}  // namespace ant
