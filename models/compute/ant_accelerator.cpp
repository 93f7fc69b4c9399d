#include "ant_accelerator.h"

#include <cstdio>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "command_extension.h"

namespace ant {

namespace {
csr_fetch_unit_config fetch_config(const accelerator_config& c)
{
    csr_fetch_unit_config f = c.fetch;
    f.broadcast_width = c.array.f;
    f.channel_streams = c.array.pe_rows * c.array.pe_cols;
    return f;
}
}  // namespace

ant_accelerator::ant_accelerator(sc_core::sc_module_name name, const accelerator_config& cfg)
    : sc_module(name), config(cfg), clock_period(1.0 / cfg.clock_ghz, sc_core::SC_NS),
      image_buffer("image_buffer", cfg.image_buffer, clock_period),
      kernel_buffer("kernel_buffer", cfg.kernel_buffer, clock_period),
      accumulator_buffer("accumulator_buffer", cfg.accumulator_buffer, clock_period),
      output_buffer("output_buffer", cfg.output_buffer, clock_period),
      ranges("index_range_calculator", cfg.ranges, clock_period),
      dma("dma_engine", cfg.dma, clock_period), dma_initiator(dma.dram_initiator),
      array("pe_array", cfg.array, clock_period, cfg.threads),
      fetch("csr_fetch_unit", fetch_config(cfg), clock_period),
      ppu("post_processing_unit", cfg.ppu, clock_period),
      sequencer("job_sequencer",
                sequencer_limits{cfg.image_buffer.capacity_bytes, cfg.kernel_buffer.capacity_bytes,
                                 cfg.accumulator_buffer.capacity_bytes, cfg.output_buffer.capacity_bytes, cfg.dram_base,
                                 cfg.dram_size, cfg.scnn_bw_stationary, cfg.ant_bw_tiling},
                clock_period),
      topk_initiator("topk_initiator")
{
    SC_HAS_PROCESS(ant_accelerator);
    SC_THREAD(intake);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(cfg.quantum_ns, sc_core::SC_NS));

    sequencer.fetch_initiator.bind(fetch.command_target);
    sequencer.pe_initiator.bind(array.pass_target);
    sequencer.ppu_initiator.bind(ppu.drain_target);
    fetch.range_initiator.bind(ranges.range_target);
    fetch.pe_initiator.bind(array.pass_target);
    array.accumulator_initiator.bind(accumulator_buffer.data_target);
    ppu.accumulator_initiator.bind(accumulator_buffer.data_target);
    ppu.output_initiator.bind(output_buffer.data_target);
    sequencer.dma_initiator.bind(dma.command_target);
    ppu.dma_initiator.bind(dma.command_target);
    topk_initiator.bind(ppu.topk_target);
    dma.image_initiator.bind(image_buffer.data_target);
    dma.kernel_initiator.bind(kernel_buffer.data_target);
    dma.output_initiator.bind(output_buffer.data_target);
    fetch.image_initiator.bind(image_buffer.data_target);
    fetch.kernel_initiator.bind(kernel_buffer.data_target);
}

void ant_accelerator::set_timeline(timeline* t)
{
    timeline_ = t;
    if (t)
        t->track("accelerator", "job sequencer");  // first of the accelerator's tracks
    sequencer.set_timeline(t);
    dma.set_timeline(t);
}

// One slice per job, exactly job.cycles long (top-K pass included), so the slices add up to
// the jobs' cycles.
void ant_accelerator::record_job(const layer_job& job, sc_core::sc_time start)
{
    static const char* const ops[] = {"fw", "bd", "bw", "spmm"};
    static const char* const modes[] = {"dense", "scnn", "ant", "ideal"};
    const ant_job_desc& d = job.desc;
    const char* op = d.op < 4 ? ops[d.op] : "?";
    const char* mode = d.mode < 4 ? modes[d.mode] : "?";
    char shape[160];
    if (d.op == ANT_OP_SPMM)
        std::snprintf(shape, sizeof shape, "%ux%u * %ux%u", d.a.rows, d.a.cols, d.b.rows, d.b.cols);
    else
        std::snprintf(shape, sizeof shape, "n%u c%u k%u %ux%u r%ux%u stride %ux%u pad %ux%u", d.n, d.c, d.k, d.h, d.w,
                      d.r, d.s, d.stride_h, d.stride_w, d.pad_h, d.pad_w);
    timeline::args a = {{"job", std::to_string(++jobs_recorded_)},
                        {"op", timeline::quote(op)},
                        {"mode", timeline::quote(mode)},
                        {"shape", timeline::quote(shape)},
                        {"cycles", std::to_string(job.cycles)},
                        {"ok", job.ok ? "true" : "false"},
                        {"load_stall_cycles", std::to_string(job.load_stall_cycles)},
                        {"drain_cycles", std::to_string(job.drain_cycles)},
                        {"dram_read_bytes", std::to_string(job.dram_read_bytes)},
                        {"dram_write_bytes", std::to_string(job.dram_write_bytes)}};
    if (!job.ok)
        a.emplace_back("error", timeline::quote(job.error));
    timeline_->slice(timeline_->track("accelerator", "job sequencer"), start, start + clock_period * double(job.cycles),
                     std::string(op) + " " + mode + (job.ok ? "" : " (failed)"), std::move(a), true);
}

void ant_accelerator::submit(layer_job* job)
{
    queue_.push_back(job);
    work_.notify(sc_core::SC_ZERO_TIME);
}

void ant_accelerator::intake()
{
    for (;;) {
        while (queue_.empty())
            wait(work_);
        layer_job* job = queue_.front();
        queue_.pop_front();
        const sc_core::sc_time start = sc_core::sc_time_stamp();
        if ((job->desc.flags & ANT_JOB_FLAG_TOPK) && job->desc.topk == 0) {
            job->ok = false;
            job->error_code = ANT_ERR_BAD_DIMS;
            job->error = "top-K with topk = 0 keeps nothing";
        } else {
            sequencer.submit(job);
            wait(sequencer.done());
            if (job->ok && (job->desc.flags & ANT_JOB_FLAG_TOPK))
                run_topk(*job);
        }
        if (timeline_)
            record_job(*job, start);
        done_.notify(sc_core::SC_ZERO_TIME);
    }
}

// The top-K pass starts when the sequencer has written the whole output back.
void ant_accelerator::run_topk(layer_job& job)
{
    topk_command cmd;
    cmd.out = job.desc.out;
    cmd.k = job.desc.topk;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const bool sent = send_command(topk_initiator, cmd, delay) == tlm::TLM_OK_RESPONSE;
    wait(delay);
    if (timeline_)
        timeline_->slice(timeline_->track("accelerator", "post-processing"), start, sc_core::sc_time_stamp(), "top-K",
                         {{"k", std::to_string(cmd.k)}, {"cycles", std::to_string(uint64_t(delay / clock_period))}});
    job.cycles += uint64_t(delay / clock_period);
    job.dram_read_bytes += cmd.dram_read_bytes;
    job.dram_write_bytes += cmd.dram_write_bytes;
    if (!sent || cmd.bus_error) {
        job.ok = false;
        job.error_code = ANT_ERR_BUS;
        job.error = "the top-K pass could not read or write the output";
    } else if (cmd.bad_tensor) {
        job.ok = false;
        job.error_code = ANT_ERR_BAD_TENSOR;
        job.error = "the output's CSR arrays changed before the top-K pass";
    }
}

std::vector<std::pair<std::string, statistics>> ant_accelerator::block_stats() const
{
    return {
        {"job_sequencer", sequencer.stats()},
        {"csr_fetch_unit", fetch.stats()},
        {"index_range_calculator", ranges.stats()},
        {"dma_engine", dma.stats()},
        {"pe_array", array.stats()},
        {"post_processing_unit", ppu.stats()},
        {"image_buffer", image_buffer.stats()},
        {"kernel_buffer", kernel_buffer.stats()},
        {"accumulator_buffer", accumulator_buffer.stats()},
        {"output_buffer", output_buffer.stats()},
    };
}

void ant_accelerator::reset_stats()
{
    sequencer.reset_stats();
    fetch.reset_stats();
    ranges.reset_stats();
    dma.reset_stats();
    array.reset_stats();
    ppu.reset_stats();
    image_buffer.reset_stats();
    kernel_buffer.reset_stats();
    accumulator_buffer.reset_stats();
    output_buffer.reset_stats();
}

}  // namespace ant
