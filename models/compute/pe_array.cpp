#include "pe_array.h"

#include "command_extension.h"

namespace ant {

namespace {
const char* const msg_type = "ant/pe_array";
}  // namespace

ant_mapping mapping_for(mapping_policy policy, ant_op op)
{
    switch (policy) {
    case mapping_policy::channel: return ANT_MAPPING_CHANNEL;
    case mapping_policy::hybrid: return (op == ANT_OP_BW || op == ANT_OP_BW_GS) ? ANT_MAPPING_CHANNEL : ANT_MAPPING_PLANAR;
    default: return ANT_MAPPING_PLANAR;
    }
}

const char* mapping_policy_name(mapping_policy policy)
{
    switch (policy) {
    case mapping_policy::channel: return "channel";
    case mapping_policy::hybrid: return "hybrid";
    default: return "planar";
    }
}

pe_array::pe_array(sc_core::sc_module_name name, const ant_array_params& params, sc_core::sc_time clock_period,
                   uint32_t threads)
    : sc_module(name), pass_target("pass_target"), accumulator_initiator("accumulator_initiator"),
      params_(params), clock_(clock_period), threads_(threads)
{
    pass_target.register_b_transport(this, &pe_array::b_transport);
    accumulator_initiator.register_invalidate_direct_mem_ptr(this, &pe_array::invalidate_direct_mem_ptr);
}

pe_array::~pe_array() { ant_array_destroy(array_); }

void pe_array::invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) { dmi_valid_ = false; }

float* pe_array::accumulator(uint64_t address, uint64_t bytes)
{
    if (!dmi_valid_) {
        tlm::tlm_generic_payload trans;
        trans.set_address(address);
        trans.set_command(tlm::TLM_WRITE_COMMAND);
        dmi_valid_ = accumulator_initiator->get_direct_mem_ptr(trans, dmi_);
        if (!dmi_valid_)
            return nullptr;
    }
    if (address < dmi_.get_start_address() || address + bytes - 1 > dmi_.get_end_address() ||
        address % 4 != 0)
        return nullptr;
    return reinterpret_cast<float*>(dmi_.get_dmi_ptr() + (address - dmi_.get_start_address()));
}

bool pe_array::run_pass(pe_pass& pass, sc_core::sc_time& delay)
{
    const ant_geometry& g = *pass.geometry;
    if (array_ == nullptr || array_job_ != pass.job_id) {
        ant_array_destroy(array_);
        ant_array_params job_params = params_;
        job_params.mapping = pass.mapping;
        array_ = ant_array_create(&job_params, &g, pass.n_outputs);
        array_job_ = pass.job_id;
        if (array_ == nullptr) {
            SC_REPORT_ERROR(msg_type, "cannot build the PE array for this job (bad parameters or no memory)");
            return false;
        }
        if (ant_array_set_threads(array_, threads_) != 0 && !threads_warned_) {
            SC_REPORT_WARNING(msg_type, "out of host memory setting the simulation's thread count; computing on one thread");
            threads_warned_ = true;
        }
    }
    const uint64_t plane_bytes = uint64_t(g.output[ANT_ROW]) * uint64_t(g.output[ANT_COL]) * 4;
    for (uint32_t j = 0; j < pass.n_jobs; ++j) {
        pass.jobs[j].output = accumulator(pass.output_addresses[j], plane_bytes);
        if (pass.jobs[j].output == nullptr)
            return false;
    }
    pass.counters = ant_counters{};
    if (ant_array_run(array_, pass.mode, pass.stationary, pass.jobs, pass.n_jobs, &pass.counters) != 0) {
        SC_REPORT_ERROR(msg_type, "out of host memory while running a pass");
        return false;
    }
    ant_counters_add(&total_, &pass.counters);
    ++passes_;
    delay += clock_ * double(pass.counters.cycles);
    return true;
}

void pe_array::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay)
{
    if (pe_pass* pass = command_extension<pe_pass>::of(trans)) {
        const bool ok = pass->geometry && pass->stationary && pass->n_outputs > 0 &&
                        (pass->n_jobs == 0 || (pass->jobs && pass->output_addresses));
        trans.set_response_status(ok && run_pass(*pass, delay) ? tlm::TLM_OK_RESPONSE
                                                               : tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    if (pe_psum_report* report = command_extension<pe_psum_report>::of(trans)) {
        const bool current = array_ && array_job_ == report->job_id;
        report->exported_psums = current ? ant_array_exported_psums(array_) : 0;
        if (report->end_of_job) {
            exported_psums_ += report->exported_psums;
            ant_array_destroy(array_);
            array_ = nullptr;
            array_job_ = UINT32_MAX;
        }
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
}

statistics pe_array::stats() const
{
    const ant_counters& c = total_;
    const double multipliers = double(params_.pe_rows) * params_.pe_cols * params_.f * params_.i;
    return {
        {"pes", double(params_.pe_rows) * params_.pe_cols, "PEs", "processing elements"},
        {"multipliers", multipliers, "multipliers", "PEs x F x I"},
        {"cycles", double(c.cycles), "cycles", "array busy time, stationary passes back to back"},
        {"compute_cycles", double(c.compute_cycles), "cycles", "busiest PE's multiply cycles, summed over passes"},
        {"broadcast_vectors", double(c.broadcast_vectors), "vectors", "vectors sent on the broadcast path"},
        {"vector_pairs", double(c.vector_pairs), "pairs", "broadcast x stationary vector pairs issued"},
        {"products_issued", double(c.products_issued), "products", "multiplications performed"},
        {"products_valid", double(c.products_valid), "products", "multiplications landing inside the output"},
        {"products_rcp", double(c.products_issued - c.products_valid), "products",
         "redundant Cartesian products: issued minus valid"},
        {"bank_conflict_cycles", double(c.bank_conflict_cycles), "cycles",
         "extra PE cycles when products of one vector pair collide on an accumulator bank"},
        {"pe_busy_cycles", double(c.pe_busy_cycles), "PE-cycles", "busy cycles summed over PEs"},
        {"pe_vector_skips", double(c.pe_vector_skips), "(vector, PE) pairs",
         "vectors a PE skipped because no stationary entry of its tile is in range"},
        {"stationary_reads", double(c.stationary_reads), "entries", "stationary entries read by the fetch units"},
        {"window_rows_searched", double(c.window_rows_searched), "rows",
         "row segments min/max-searched by the fetch units"},
        {"ranges_computed", double(c.ranges_computed), "ranges",
         "image-vector kernel ranges computed by the PEs' anticipators"},
        {"kernel_index_reads", double(c.kernel_index_reads), "indices",
         "kernel indices read from the kernel buffer by the PEs (anticipator scans) or for broadcast"},
        {"kernel_value_reads", double(c.kernel_value_reads), "values",
         "kernel values read from the kernel buffer by the PEs (or once per broadcast)"},
        {"scan_bound_cycles", double(c.scan_bound_cycles), "PE-cycles",
         "cycles a PE's index scan took beyond its kernel vectors (scan-bound image vectors)"},
        {"accumulator_updates", double(c.products_valid), "updates",
         "read-modify-writes of accumulator banks (one per valid product)"},
        {"exported_psums", double(exported_psums_), "partial sums",
         "halo / cross-PE partial sums merged by the post-processing unit"},
        {"passes", double(passes_), "passes", "stationary passes run"},
    };
}

void pe_array::reset_stats()
{
    total_ = ant_counters{};
    passes_ = exported_psums_ = 0;
}

}  // namespace ant
