#include "ant_accelerator.h"

#include <tlm_utils/tlm_quantumkeeper.h>

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
      array("pe_array", cfg.array, clock_period),
      fetch("csr_fetch_unit", fetch_config(cfg), clock_period),
      ppu("post_processing_unit", cfg.ppu, clock_period),
      sequencer("job_sequencer",
                sequencer_limits{cfg.image_buffer.capacity_bytes, cfg.kernel_buffer.capacity_bytes,
                                 cfg.accumulator_buffer.capacity_bytes, cfg.output_buffer.capacity_bytes, cfg.dram_base,
                                 cfg.dram_size},
                clock_period)
{
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
    dma.image_initiator.bind(image_buffer.data_target);
    dma.kernel_initiator.bind(kernel_buffer.data_target);
    dma.output_initiator.bind(output_buffer.data_target);
    fetch.image_initiator.bind(image_buffer.data_target);
    fetch.kernel_initiator.bind(kernel_buffer.data_target);
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
