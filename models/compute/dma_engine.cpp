#include "dma_engine.h"

#include <algorithm>
#include <cstring>

#include "command_extension.h"

namespace ant {

dma_engine::dma_engine(sc_core::sc_module_name name, const dma_engine_config& config, sc_core::sc_time clock_period)
    : sc_module(name), command_target("command_target"), dram_initiator("dram_initiator"),
      image_initiator("image_initiator"), kernel_initiator("kernel_initiator"), output_initiator("output_initiator"),
      config_(config), clock_(clock_period), in_flight_(std::max(1u, config.outstanding))
{
    command_target.register_b_transport(this, &dma_engine::b_transport);
}

tlm_utils::simple_initiator_socket<dma_engine>& dma_engine::buffer_socket(dma_buffer b)
{
    switch (b) {
    case dma_buffer::kernel: return kernel_initiator;
    case dma_buffer::output: return output_initiator;
    default: return image_initiator;
    }
}

// Splits [address, address + bytes) into bursts; a burst waits for a free request slot.
bool dma_engine::bursts(bool write, uint64_t address, unsigned char* data, uint64_t bytes, uint32_t kind,
                        sc_core::sc_time start, sc_core::sc_time& end)
{
    const uint64_t burst = config_.burst_bytes;
    const bool burst_pow2 = (burst & (burst - 1)) == 0;  // no division per burst (see run)
    const uint64_t slots = in_flight_.size();
    const bool slots_pow2 = (slots & (slots - 1)) == 0;
    uint64_t done = 0;
    while (done < bytes) {
        // Bursts do not cross a burst-aligned boundary, as a DRAM controller would split them.
        const uint64_t at = address + done;
        const uint64_t len = std::min(bytes - done, burst - (burst_pow2 ? at & (burst - 1) : at % burst));
        const uint64_t slot = slots_pow2 ? issued_ & (slots - 1) : issued_ % slots;
        sc_core::sc_time issue = std::max(start, in_flight_[slot]);
        sc_core::sc_time t = issue;
        if (transfer(dram_initiator, burst_trans_, write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, at,
                     data + done, len, t) != tlm::TLM_OK_RESPONSE) {
            ++bus_errors_;
            return false;
        }
        in_flight_[slot] = t;
        ++issued_;
        ++bursts_;
        end = std::max(end, t);
        (write ? write_bytes_ : read_bytes_)[kind] += len;
        done += len;
    }
    return true;
}

void dma_engine::set_timeline(timeline* t)
{
    timeline_ = t;
    static const char* const names[dma_kinds] = {"DMA stationary -> image buffer", "DMA broadcast -> kernel buffer",
                                                  "DMA output -> DRAM", "DMA plane tables"};
    if (t)
        for (uint32_t k = 0; k < dma_kinds; ++k)
            tracks_[k] = t->track("accelerator", names[k]);
}

uint64_t dma_engine::debug_access(bool write, uint64_t address, void* data, uint64_t bytes)
{
    tlm::tlm_generic_payload trans;
    trans.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    trans.set_address(address);
    trans.set_data_ptr(static_cast<unsigned char*>(data));
    trans.set_data_length(unsigned(bytes));
    trans.set_streaming_width(unsigned(bytes));
    return dram_initiator->transport_dbg(trans);
}

namespace {

// Copies one segment. Most are a CSR plane's piece of a few to a few dozen bytes, for which
// a call to memmove costs more than the copy: up to 16 bytes go as two overlapping loads
// and stores of fixed size, which the compiler inlines.
inline void copy_segment(unsigned char* dst, const unsigned char* src, uint64_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t head, tail;
        std::memcpy(&head, src, 8);
        std::memcpy(&tail, src + n - 8, 8);
        std::memcpy(dst, &head, 8);
        std::memcpy(dst + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t head, tail;
        std::memcpy(&head, src, 4);
        std::memcpy(&tail, src + n - 4, 4);
        std::memcpy(dst, &head, 4);
        std::memcpy(dst + n - 4, &tail, 4);
    } else if (n < 4) {
        for (uint64_t i = 0; i < n; ++i)
            dst[i] = src[i];
    } else {
        std::memcpy(dst, src, n);
    }
}

}  // namespace

// Scatter-gather lists of small CSR pieces are coalesced the way a DMA engine with a
// burst-granular request queue does it: reads fetch every DRAM burst block that any segment
// touches, once (adjacent and shared blocks merge, traffic counts whole blocks); writes merge
// segments that are exactly adjacent in DRAM.
bool dma_engine::run(dma_command& cmd, sc_core::sc_time& delay)
{
    staging_.assign(cmd.buffer_bytes, 0);
    std::fill(in_flight_.begin(), in_flight_.end(), delay);
    const sc_core::sc_time start = delay;
    const uint64_t bursts_before = bursts_;
    sc_core::sc_time end = delay;
    cmd.dram_bytes = 0;
    std::vector<dma_segment>& order = order_;
    order.clear();
    for (uint32_t s = 0; s < cmd.n_segments; ++s)
        if (cmd.segments[s].bytes != 0)
            order.push_back(cmd.segments[s]);
    // Requesters mostly list segments in DRAM order already; checking is cheaper than sorting.
    const auto by_address = [](const dma_segment& x, const dma_segment& y) { return x.dram_address < y.dram_address; };
    if (!std::is_sorted(order.begin(), order.end(), by_address))
        std::stable_sort(order.begin(), order.end(), by_address);
    const uint64_t burst = config_.burst_bytes;
    // Burst sizes are powers of two in practice, and a 64-bit division per segment was a third
    // of this function's time on deep layers' gathers of thousands of tiny planes.
    const bool burst_pow2 = (burst & (burst - 1)) == 0;
    const auto block_of = [burst, burst_pow2](uint64_t address) {
        return burst_pow2 ? address & ~(burst - 1) : address / burst * burst;
    };
    std::vector<unsigned char>& run_data = run_data_;
    if (cmd.to_dram) {
        sc_core::sc_time read_done = delay;
        if (cmd.local)
            std::copy(cmd.local, cmd.local + cmd.buffer_bytes, staging_.begin());
        else if (transfer(buffer_socket(cmd.buffer), tlm::TLM_READ_COMMAND, cmd.buffer_address, staging_.data(),
                          cmd.buffer_bytes, read_done) != tlm::TLM_OK_RESPONSE)
            return false;
        for (size_t i = 0; i < order.size();) {
            size_t j = i;
            run_data.clear();
            uint64_t next = order[i].dram_address;
            while (j < order.size() && order[j].dram_address == next) {
                const unsigned char* src = staging_.data() + order[j].buffer_offset;
                run_data.insert(run_data.end(), src, src + order[j].bytes);
                next += order[j++].bytes;
            }
            if (!bursts(true, order[i].dram_address, run_data.data(), run_data.size(), cmd.tensor_kind, delay, end)) {
                cmd.bus_error = true;
                return true;
            }
            cmd.dram_bytes += run_data.size();
            i = j;
        }
        end = std::max(end, read_done);
    } else {
        for (size_t i = 0; i < order.size();) {
            // A run of burst blocks covering segments i..j-1 without gaps between blocks.
            const uint64_t lo = block_of(order[i].dram_address);
            uint64_t hi = block_of(order[i].dram_address + order[i].bytes + burst - 1);
            size_t j = i + 1;
            while (j < order.size() && block_of(order[j].dram_address) <= hi) {
                hi = std::max(hi, block_of(order[j].dram_address + order[j].bytes + burst - 1));
                ++j;
            }
            run_data.assign(hi - lo, 0);
            if (!bursts(false, lo, run_data.data(), hi - lo, cmd.tensor_kind, delay, end)) {
                cmd.bus_error = true;
                return true;
            }
            for (size_t k = i; k < j; ++k)
                copy_segment(staging_.data() + order[k].buffer_offset, run_data.data() + (order[k].dram_address - lo),
                             order[k].bytes);
            cmd.dram_bytes += hi - lo;
            i = j;
        }
        // The buffer write streams behind the bursts; only its tail adds to the transfer.
        sc_core::sc_time write_done = sc_core::SC_ZERO_TIME;
        if (cmd.local)
            std::copy(staging_.begin(), staging_.end(), cmd.local);
        else if (transfer(buffer_socket(cmd.buffer), tlm::TLM_WRITE_COMMAND, cmd.buffer_address, staging_.data(),
                          cmd.buffer_bytes, write_done) != tlm::TLM_OK_RESPONSE)
            return false;
        end = std::max(end, delay + write_done);
    }
    busy_ += end - delay;
    delay = end;
    ++commands_;
    if (timeline_)
        timeline_->slice(tracks_[cmd.tensor_kind], sc_core::sc_time_stamp() + start, sc_core::sc_time_stamp() + end,
                         cmd.to_dram ? "write" : "read",
                         {{"bytes", std::to_string(cmd.dram_bytes)},
                          {"bursts", std::to_string(bursts_ - bursts_before)},
                          {"segments", std::to_string(cmd.n_segments)}});
    return true;
}

void dma_engine::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    dma_command* cmd = command_extension<dma_command>::of(trans);
    bool ok = cmd && (cmd->n_segments == 0 || cmd->segments);
    for (uint32_t s = 0; ok && s < cmd->n_segments; ++s)
        ok = cmd->segments[s].buffer_offset + cmd->segments[s].bytes <= cmd->buffer_bytes;
    ok = ok && cmd->tensor_kind < dma_kinds && run(*cmd, delay);
    trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE);
}

statistics dma_engine::stats() const
{
    static const char* const kinds[dma_kinds] = {"stationary", "broadcast", "output", "metadata"};
    statistics list;
    for (uint32_t k = 0; k < dma_kinds; ++k) {
        list.push_back({std::string("dram_read_bytes.") + kinds[k], double(read_bytes_[k]), "bytes",
                        std::string("bytes read from DRAM for ") + kinds[k] + " tensors"});
        list.push_back({std::string("dram_write_bytes.") + kinds[k], double(write_bytes_[k]), "bytes",
                        std::string("bytes written to DRAM for ") + kinds[k] + " tensors"});
    }
    list.push_back({"dram_read_bytes", double(read_bytes()), "bytes", "bytes read from DRAM"});
    list.push_back({"dram_write_bytes", double(write_bytes()), "bytes", "bytes written to DRAM"});
    list.push_back({"bursts", double(bursts_), "bursts", "DRAM requests issued"});
    list.push_back({"commands", double(commands_), "transfers", "gather/scatter transfers"});
    list.push_back({"busy_ns", busy_.to_seconds() * 1e9, "ns", "time spent transferring (overlapping compute)"});
    list.push_back({"bus_errors", double(bus_errors_), "requests", "DRAM requests answered with an error"});
    return list;
}

void dma_engine::reset_stats()
{
    std::fill(std::begin(read_bytes_), std::end(read_bytes_), 0);
    std::fill(std::begin(write_bytes_), std::end(write_bytes_), 0);
    bursts_ = commands_ = bus_errors_ = 0;
    busy_ = sc_core::SC_ZERO_TIME;
}

}  // namespace ant
