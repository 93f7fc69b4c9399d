// One elaborated accelerator and its DRAM per process (SystemC elaborates once), running
// jobs one after another: each job's tensors are placed in DRAM, the job is submitted, the
// kernel runs until the sequencer idles, and the counters are reset between jobs so that
// each job's statistics are its own.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ant_accelerator.h"
#include "layer_job.h"
#include "memory/dram.h"
#include "options.h"
#include "tensor.h"

namespace ant {

// How prepare() stores the input operands in DRAM: always CSR, always dense, or each in the
// smaller of the two encodings (a dense output gradient costs 6 bytes an element as CSR).
enum class operand_format { csr, dense, smaller };

class simulation {
public:
    explicit simulation(const vp_config& config);
    ~simulation();

    // Builds the descriptor for a job on host tensors (natural layouts, see
    // models/compute/layer_job.h for the roles), places the operands in DRAM (CSR unless told
    // otherwise) and reserves an output (CSR or DENSE) with room for every element.
    layer_job prepare(ant_op op, ant_mode mode, ant_mapping mapping, bool relu, const ant_geometry& g,
                      uint32_t n, uint32_t c, uint32_t k, const dense_tensor& a, const dense_tensor& b,
                      uint32_t out_format = ANT_FORMAT_CSR, operand_format in_format = operand_format::csr);

    // Runs one job to completion; job.ok / job.error tell how it went. The blocks' statistics
    // (accelerator and DRAM) describe this job until the next run.
    void run(layer_job& job);

    // The job's output, read back from DRAM, in its natural shape.
    dense_tensor output(const layer_job& job);

    const ant_accelerator& accelerator() const { return *accelerator_; }
    std::vector<std::pair<std::string, statistics>> block_stats() const;
    const vp_config& config() const { return config_; }
    // Records the accelerator's and the DRAM's activity on `t` (nullptr: off).
    void set_timeline(timeline* t);

private:
    ant_tensor_desc place(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols);
    ant_tensor_desc place_csr(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols);
    ant_tensor_desc place_dense(const dense_tensor& t, uint32_t planes, uint32_t rows, uint32_t cols);
    ant_tensor_desc reserve(uint32_t format, uint32_t planes, uint32_t rows, uint32_t cols);
    uint64_t allocate(uint64_t bytes);
    void write(uint64_t address, const void* data, uint64_t bytes);

    vp_config config_;
    std::unique_ptr<dram> dram_;
    std::unique_ptr<ant_accelerator> accelerator_;
    uint64_t next_ = 0;
    operand_format in_format_ = operand_format::csr;  // of the job being prepared
};

}  // namespace ant
