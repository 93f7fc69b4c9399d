#include "memory/dram.h"

#include <algorithm>
#include <string>

namespace ant {

namespace {

const char* const msg_type = "ant/dram";

const dram_config& validated(const dram_config& c)
{
    validate(c);
    return c;
}

double to_ns(const sc_core::sc_time& t) { return t.to_seconds() * 1e9; }

}  // namespace

dram::dram(const sc_core::sc_module_name& name, const dram_config& config)
    : sc_core::sc_module(name),
      mem_target("mem_target"),
      cfg_(validated(config)),
      timing_(cfg_),
      storage_(cfg_.size_bytes)
{
    mem_target.register_b_transport(this, &dram::b_transport);
    mem_target.register_transport_dbg(this, &dram::transport_dbg);
    mem_target.register_get_direct_mem_ptr(this, &dram::get_direct_mem_ptr);
}

bool dram::in_range(std::uint64_t address, std::uint64_t length) const
{
    if (address < cfg_.base)
        return false;
    const std::uint64_t offset = address - cfg_.base;
    return offset < cfg_.size_bytes && length <= cfg_.size_bytes - offset;
}

void dram::address_error(tlm::tlm_generic_payload& trans)
{
    ++address_errors_;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    if (!warned_) {
        warned_ = true;
        const std::string msg =
            std::string(name()) + ": access to 0x" + [&] {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%llx",
                              static_cast<unsigned long long>(trans.get_address()));
                return std::string(buf);
            }() + " (" + std::to_string(trans.get_data_length()) +
            " bytes) outside the DRAM; further address errors are only counted";
        SC_REPORT_WARNING(msg_type, msg.c_str());
    }
}

void dram::set_timeline(timeline* t)
{
    timeline_ = t;
    if (t)
        traffic_ = t->rate("DRAM", "DRAM bandwidth (GB/s)", {"read", "write"}, dram_peak_bandwidth_gbps(cfg_));
}

void dram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    const tlm::tlm_command cmd = trans.get_command();
    const std::uint64_t address = trans.get_address();
    const std::uint64_t length = trans.get_data_length();

    if (trans.get_byte_enable_ptr() != nullptr) {
        ++unsupported_;
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (trans.get_streaming_width() < length) {
        ++unsupported_;
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (!in_range(address, length)) {
        address_error(trans);
        return;
    }
    if (cmd == tlm::TLM_IGNORE_COMMAND || length == 0) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    const std::uint64_t offset = address - cfg_.base;
    const bool is_write = cmd == tlm::TLM_WRITE_COMMAND;
    if (is_write)
        storage_.write(offset, trans.get_data_ptr(), length);
    else
        storage_.read(offset, trans.get_data_ptr(), length);

    const double arrival = to_ns(sc_core::sc_time_stamp() + delay);
    const double done = timing_.access(offset, length, is_write, arrival);
    const double latency = done - arrival;
    // Backpressure travels in the returned delay: it includes any wait for a queue entry.
    delay += sc_core::sc_time(latency, sc_core::SC_NS);

    if (!any_ || arrival < first_arrival_ns_)
        first_arrival_ns_ = arrival;
    last_completion_ns_ = any_ ? std::max(last_completion_ns_, done) : done;
    any_ = true;
    if (is_write) {
        ++writes_;
        write_bytes_ += length;
    } else {
        ++reads_;
        read_bytes_ += length;
        read_latency_.add(latency);
        controller_latency_sum_ns_ += done - timing_.last_admission_ns();
    }
    if (cfg_.model == dram_model::simple)
        check_simple_model_fit();
    if (timeline_)
        timeline_->add(traffic_, is_write ? 1u : 0u, sc_core::sc_time_stamp() + delay, double(length));
    trans.set_dmi_allowed(true);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

// The simple model is a first-order streaming model: say so once when the traffic is
// mostly not streaming (its bandwidth would then be far too optimistic).
void dram::check_simple_model_fit()
{
    const std::uint64_t n = timing_.requests();
    if (warned_simple_ || n < 1024 || n % 1024 != 0)
        return;
    const double share = static_cast<double>(timing_.streaming_requests()) / static_cast<double>(n);
    if (share >= 0.5)
        return;
    warned_simple_ = true;
    const std::string msg =
        std::string(name()) + ": dram.model=simple is a first-order streaming model, but only " +
        std::to_string(static_cast<int>(share * 100 + 0.5)) +
        " % of the requests so far continue a sequential stream; its bandwidth is optimistic "
        "for this traffic (random or strided DRAM traffic can be several times slower), use "
        "dram.model=detailed for bandwidth/latency numbers";
    SC_REPORT_WARNING(msg_type, msg.c_str());
}

unsigned int dram::transport_dbg(tlm::tlm_generic_payload& trans)
{
    const std::uint64_t address = trans.get_address();
    if (!in_range(address, 1)) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return 0;
    }
    const std::uint64_t offset = address - cfg_.base;
    const std::uint64_t length =
        std::min<std::uint64_t>(trans.get_data_length(), cfg_.size_bytes - offset);
    if (trans.get_command() == tlm::TLM_WRITE_COMMAND)
        storage_.write(offset, trans.get_data_ptr(), length);
    else if (trans.get_command() == tlm::TLM_READ_COMMAND)
        storage_.read(offset, trans.get_data_ptr(), length);
    else
        return 0;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return static_cast<unsigned int>(length);
}

bool dram::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi)
{
    const std::uint64_t address = trans.get_address();
    if (!in_range(address, 1))
        return false;  // dmi keeps its default: no access, whole address space
    const std::uint64_t offset = address - cfg_.base;
    const std::uint64_t start = storage_.page_start(offset);
    dmi.set_dmi_ptr(storage_.page(offset));
    dmi.set_start_address(cfg_.base + start);
    dmi.set_end_address(cfg_.base + start + storage_.page_length(offset) - 1);
    dmi.allow_read_write();
    // Latency per byte at the configured (peak) bandwidth: 1 / (bytes per ns).
    const sc_core::sc_time per_byte(1.0 / dram_peak_bandwidth_gbps(cfg_), sc_core::SC_NS);
    dmi.set_read_latency(per_byte);
    dmi.set_write_latency(per_byte);
    ++dmi_grants_;
    return true;
}

void dram::clear_storage()
{
    mem_target->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});
    storage_.clear();
}

void dram::reset_stats()
{
    read_bytes_ = write_bytes_ = reads_ = writes_ = 0;
    address_errors_ = unsupported_ = dmi_grants_ = 0;
    first_arrival_ns_ = last_completion_ns_ = 0;
    any_ = false;
    read_latency_.clear();
    controller_latency_sum_ns_ = 0;
    timing_.reset_counters();
}

statistics dram::stats() const
{
    const double span = any_ ? last_completion_ns_ - first_arrival_ns_ : 0.0;
    const double bytes = static_cast<double>(read_bytes_ + write_bytes_);
    const double achieved = span > 0 ? bytes / span : 0.0;
    const double peak = dram_peak_bandwidth_gbps(cfg_);
    const auto h = timing_.row_hits(), m = timing_.row_misses(), c = timing_.row_conflicts();
    const double row_total = static_cast<double>(h + m + c);
    const std::uint64_t refreshes =
        any_ ? timing_.refreshes_until(last_completion_ns_) -
                   timing_.refreshes_until(first_arrival_ns_)
             : 0;
    auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    const bool simple = cfg_.model == dram_model::simple;
    return {
        {"read_bytes", d(read_bytes_), "bytes", "bytes read by b_transport"},
        {"write_bytes", d(write_bytes_), "bytes", "bytes written by b_transport"},
        {"read_transactions", d(reads_), "transactions", "successful read transactions"},
        {"write_transactions", d(writes_), "transactions", "successful write transactions"},
        {"bursts", d(timing_.bursts()), "bursts",
         "DRAM bursts the transactions were split into (detailed model)"},
        {"active_time", span, "ns", "first request arrival to last data completion"},
        {"bandwidth_achieved", achieved, "GB/s",
         "bytes moved / active_time (1 GB/s = 1e9 bytes/s)"},
        {"bandwidth_peak", peak, "GB/s",
         simple ? "bandwidth of the simple model (first-order streaming model: no banks, rows "
                  "or refresh; optimistic for non-streaming traffic, see streaming_share)"
                : "peak data-bus bandwidth of all channels"},
        {"bandwidth_utilisation", peak > 0 ? achieved / peak : 0.0, "1",
         "bandwidth_achieved / bandwidth_peak"},
        {"read_latency_avg", read_latency_.mean(), "ns",
         "mean read latency (arrival to last data), including queueing"},
        {"read_latency_p50", read_latency_.percentile(0.50), "ns", "median read latency"},
        {"read_latency_p95", read_latency_.percentile(0.95), "ns", "95th percentile read latency"},
        {"read_latency_p99", read_latency_.percentile(0.99), "ns", "99th percentile read latency"},
        {"read_latency_max", read_latency_.max(), "ns", "largest read latency"},
        {"read_latency_controller_avg",
         reads_ > 0 ? controller_latency_sum_ns_ / d(reads_) : 0.0, "ns",
         "mean read latency from acceptance by the controller (excludes queue-full waits)"},
        {"admission_stalls", d(timing_.admission_stalls()), "bursts",
         "bursts that waited for a free controller queue or write-buffer entry"},
        {"admission_wait", timing_.admission_wait_ns(), "ns",
         "total time bursts waited for a free entry (backpressure)"},
        {"write_drains", d(timing_.write_drains()), "batches",
         "write-buffer drains (each pays one read/write turnaround)"},
        {"forwarded_reads", d(timing_.forwarded_reads()), "bursts",
         "reads served from the write buffer"},
        {"streaming_share",
         simple && timing_.requests() > 0
             ? d(timing_.streaming_requests()) / d(timing_.requests())
             : 0.0,
         "1",
         "simple model: share of requests continuing a recent sequential stream (the simple "
         "model is meant for streaming traffic; it warns once when this is below 0.5)"},
        {"row_hits", d(h), "bursts", "bursts that found their row open"},
        {"row_misses", d(m), "bursts", "bursts that found their bank closed (ACT needed)"},
        {"row_conflicts", d(c), "bursts", "bursts that found another row open (PRE + ACT)"},
        {"row_hit_rate", row_total > 0 ? d(h) / row_total : 0.0, "1",
         "row_hits / (row_hits + row_misses + row_conflicts)"},
        {"refreshes", d(refreshes), "refreshes",
         "rank refresh windows (tRFC each) elapsed during active_time, all channels"},
        {"address_errors", d(address_errors_), "transactions",
         "transactions answered TLM_ADDRESS_ERROR_RESPONSE (outside or crossing the end)"},
        {"unsupported_requests", d(unsupported_), "transactions",
         "transactions rejected for byte enables or streaming width"},
        {"dmi_grants", d(dmi_grants_), "grants", "DMI regions granted (accesses are not counted)"},
        {"allocated_bytes", d(storage_.allocated_bytes()), "bytes",
         "host memory allocated by the sparse backing store"},
    };
}

}  // namespace ant
