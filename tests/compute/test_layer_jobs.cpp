// Layer jobs through the whole SystemC model (sequencer, fetch unit, range calculator, PE
// array, post-processing unit, buffers) against the dense reference. SystemC elaborates
// once per process, so one accelerator serves every test case of this executable; the
// build compiles this file twice, once with a small-buffer channel-mapped configuration
// (ANT_TEST_SMALL_BUFFERS) that forces output grouping and kernel-buffer chunking.
#define BOOST_TEST_MODULE layer_jobs
#include <boost/test/included/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "../reference/dense_reference.h"
#include "csr_blob.h"
#include "simulation.h"

namespace {

using namespace ant;

vp_config test_vp_config()
{
    vp_config v;
    accelerator_config& c = v.accelerator;
#ifdef ANT_TEST_SMALL_BUFFERS
    c.mapping = mapping_policy::channel;
    c.array.pe_rows = 2;
    c.array.pe_cols = 3;
    c.accumulator_buffer.capacity_bytes = 1024;  // a few output planes at a time
    c.kernel_buffer.capacity_bytes = 1024;       // a few broadcast planes per pass
    c.image_buffer.capacity_bytes = 1024;        // one 14x14 half-dense plane at a time
#else
    c.array.pe_rows = 3;  // tiles that do not divide the planes evenly
    c.array.pe_cols = 2;
#endif
    return v;
}

simulation& sim()
{
    static std::unique_ptr<simulation> s;
    if (!s) {
        sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
        s = std::make_unique<simulation>(test_vp_config());
    }
    return *s;
}

struct case_data;
void run(case_data& c, ant_mode mode, bool relu = false, operand_format in_format = operand_format::csr);

dense_tensor random_tensor(std::mt19937& rng, std::vector<int64_t> shape, double density)
{
    dense_tensor t(std::move(shape));
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (float& x : t.data)
        if (u(rng) < density)
            x = (u(rng) < 0.5f ? -1.0f : 1.0f) * (0.5f + u(rng));
    return t;
}

struct case_data {
    ant_op op = ANT_OP_FW;
    ant_geometry geometry{};
    uint32_t n = 1, c = 1, k = 1;
    layer_job job;
    dense_tensor a, b, out;
    std::vector<float> expected;
};

void run(case_data& c, ant_mode mode, bool relu, operand_format in_format)
{
    c.job = sim().prepare(c.op, mode, mapping_for(test_vp_config().accelerator.mapping, c.op), relu, c.geometry,
                          c.n, c.c, c.k, c.a, c.b, ANT_FORMAT_CSR, in_format);
    sim().run(c.job);
    BOOST_REQUIRE_MESSAGE(c.job.ok, "job failed: " << c.job.error);
    c.out = sim().output(c.job);
}

// A random job of the given op with its reference result.
std::unique_ptr<case_data> random_case(std::mt19937& rng, ant_op op)
{
    auto c = std::make_unique<case_data>();
    c->op = op;
    char msg[256];
    if (op == ANT_OP_SPMM) {
        const int m = 1 + rng() % 12, k = 1 + rng() % 12, n = 1 + rng() % 12;
        BOOST_REQUIRE(ant_geometry_spmm(&c->geometry, m, k, n, msg, sizeof msg) == 0);
        c->a = random_tensor(rng, {m, k}, 0.4);
        c->b = random_tensor(rng, {k, n}, 0.4);
        c->expected = reference::matmul(m, k, n, c->a.data, c->b.data);
    } else {
        reference::conv_shape d{};
        do {
            d = reference::conv_shape{1 + int(rng() % 2), 1 + int(rng() % 3), 1 + int(rng() % 3),
                                      1 + int(rng() % 12), 1 + int(rng() % 12), 1 + int(rng() % 4),
                                      1 + int(rng() % 4), 1 + int(rng() % 3), 1 + int(rng() % 3),
                                      int(rng() % 3), int(rng() % 3)};
        } while (ant_geometry_conv(&c->geometry, op, d.h, d.w, d.r, d.s, d.stride_h, d.stride_w, d.pad_h,
                                   d.pad_w, msg, sizeof msg) != 0);
        c->n = uint32_t(d.n), c->c = uint32_t(d.c), c->k = uint32_t(d.k);
        const dense_tensor act = random_tensor(rng, {d.n, d.c, d.h, d.w}, 0.3);
        const dense_tensor wgt = random_tensor(rng, {d.k, d.c, d.r, d.s}, 0.5);
        const dense_tensor grad = random_tensor(rng, {d.n, d.k, d.ho(), d.wo()}, 0.5);
        if (op == ANT_OP_FW) {
            c->a = act, c->b = wgt;
            c->expected = reference::conv_forward(d, act.data, wgt.data);
        } else if (op == ANT_OP_BD) {
            c->a = grad, c->b = wgt;
            c->expected = reference::conv_backward_data(d, grad.data, wgt.data);
        } else {
            c->a = act, c->b = grad;
            c->expected = reference::conv_backward_weight(d, act.data, grad.data);
        }
    }
    return c;
}

void check_close(const std::vector<float>& got, const std::vector<float>& expected)
{
    BOOST_REQUIRE_EQUAL(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i)
        BOOST_TEST(std::fabs(got[i] - expected[i]) <= 1e-4f * (1.0f + std::fabs(expected[i])),
                   "element " << i << ": " << got[i] << " vs " << expected[i]);
}

double stat_of(const std::string& block, const std::string& name)
{
    for (const auto& [b, list] : sim().block_stats())
        if (b == block)
            for (const auto& s : list)
                if (s.name == name)
                    return s.value;
    BOOST_FAIL("no statistic " << block << "." << name);
    return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_mode_matches_the_dense_reference_for_every_op_stride_and_padding)
{
    std::mt19937 rng(31);
    for (int trial = 0; trial < 48; ++trial) {
        const ant_op op = ant_op(trial % 4);
        auto c = random_case(rng, op);
        for (ant_mode mode : {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL}) {
            BOOST_TEST_CONTEXT("trial " << trial << " " << ant_op_name(op) << " " << ant_mode_name(mode))
            {
                run(*c, mode);
                check_close(c->out.data, c->expected);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(operands_stored_dense_give_the_same_tensor_and_counters_as_csr)
{
    // The storage format changes what is read from DRAM, never what is computed: same output
    // bits and the same work counters in every mode.
    std::mt19937 rng(45);
    for (int trial = 0; trial < 20; ++trial) {
        const ant_op op = ant_op(trial % 4);
        auto c = random_case(rng, op);
        for (ant_mode mode : {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL}) {
            BOOST_TEST_CONTEXT("trial " << trial << " " << ant_op_name(op) << " " << ant_mode_name(mode))
            {
                run(*c, mode);
                const std::vector<float> csr_out = c->out.data;
                const layer_job csr_job = c->job;
                for (operand_format f : {operand_format::dense, operand_format::smaller}) {
                    run(*c, mode, false, f);
                    if (f == operand_format::dense)
                        BOOST_TEST((c->job.desc.a.format == ANT_FORMAT_DENSE && c->job.desc.b.format == ANT_FORMAT_DENSE));
                    check_close(c->out.data, c->expected);
                    BOOST_TEST(c->out.data == csr_out);
                    BOOST_TEST(c->job.vector_pairs == csr_job.vector_pairs);
                    BOOST_TEST(c->job.products_valid == csr_job.products_valid);
                    BOOST_TEST(c->job.products_rcp == csr_job.products_rcp);
                    BOOST_TEST(c->job.scnn_products_issued == csr_job.scnn_products_issued);
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(counters_add_up_and_ant_never_loses_a_valid_product)
{
    std::mt19937 rng(77);
    for (int trial = 0; trial < 24; ++trial) {
        auto c = random_case(rng, ant_op(trial % 4));
        double issued[4], valid[4];
        for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL}) {
            run(*c, mode);
            issued[mode] = stat_of("pe_array", "products_issued");
            valid[mode] = stat_of("pe_array", "products_valid");
            BOOST_TEST(stat_of("pe_array", "products_rcp") == issued[mode] - valid[mode]);
            BOOST_TEST(issued[mode] >= valid[mode]);
            if (mode == ANT_MODE_SCNN)  // the closed form the sequencer reports matches
                BOOST_TEST(double(c->job.scnn_products_issued) == issued[mode]);
        }
        BOOST_TEST(valid[ANT_MODE_ANT] == valid[ANT_MODE_SCNN]);
        BOOST_TEST(valid[ANT_MODE_IDEAL] == valid[ANT_MODE_SCNN]);
        BOOST_TEST(issued[ANT_MODE_IDEAL] == valid[ANT_MODE_IDEAL]);
#ifndef ANT_TEST_SMALL_BUFFERS
        if (trial % 4 == ANT_OP_SPMM) {  // SCNN+ runs SPMM as a 1x1 convolution: no RCPs
            BOOST_TEST(issued[ANT_MODE_SCNN] == valid[ANT_MODE_SCNN]);
            continue;
        }
#endif
        BOOST_TEST(issued[ANT_MODE_ANT] - valid[ANT_MODE_ANT] <= issued[ANT_MODE_SCNN] - valid[ANT_MODE_SCNN]);
    }
}

// Timing figures are left out here: the second run starts with the DRAM in the state the
// first left it in (a later refresh phase, open rows), so its cycles may differ. Timing
// determinism across fresh processes is checked by cli.layer.stats_are_identical_across_runs.
bool timing_figure(const std::string& name)
{
    for (const char* t : {"cycles", "_ns", "time", "bandwidth", "latency"})
        if (name.find(t) != std::string::npos)
            return true;
    return false;
}

BOOST_AUTO_TEST_CASE(same_inputs_give_identical_work_counters_twice)
{
    std::mt19937 rng(5);
    for (ant_op op : {ANT_OP_FW, ANT_OP_BW}) {
        auto c = random_case(rng, op);
        run(*c, ANT_MODE_ANT);
        const auto first = sim().block_stats();
        const auto out = c->out.data;
        run(*c, ANT_MODE_ANT);
        const auto second = sim().block_stats();
        BOOST_TEST(c->out.data == out, boost::test_tools::per_element());
        BOOST_REQUIRE_EQUAL(first.size(), second.size());
        for (size_t b = 0; b < first.size(); ++b)
            for (size_t s = 0; s < first[b].second.size(); ++s)
                if (!timing_figure(first[b].second[s].name))
                    BOOST_TEST(first[b].second[s].value == second[b].second[s].value,
                               first[b].first << "." << first[b].second[s].name);
    }
}

BOOST_AUTO_TEST_CASE(relu_clears_negative_outputs_in_the_post_processing_unit)
{
    std::mt19937 rng(9);
    auto c = random_case(rng, ANT_OP_FW);
    run(*c, ANT_MODE_ANT, true);
    for (float& x : c->expected)
        x = std::max(x, 0.0f);
    check_close(c->out.data, c->expected);
}

BOOST_AUTO_TEST_CASE(an_output_plane_larger_than_the_accumulator_fails_the_job_cleanly)
{
    std::mt19937 rng(3);
    case_data c;
    char msg[256];
    c.op = ANT_OP_SPMM;
    BOOST_REQUIRE(ant_geometry_spmm(&c.geometry, 600, 4, 600, msg, sizeof msg) == 0);
    c.a = random_tensor(rng, {600, 4}, 0.5);
    c.b = random_tensor(rng, {4, 600}, 0.5);
    c.job = sim().prepare(c.op, ANT_MODE_ANT, ANT_MAPPING_PLANAR, false, c.geometry, 1, 1, 1, c.a, c.b);
    sim().run(c.job);
    BOOST_TEST(!c.job.ok);
    BOOST_TEST(c.job.error_code == ANT_ERR_DOES_NOT_FIT);
    BOOST_TEST(c.job.error.find("does not fit") != std::string::npos);
}

// The reference for SWAT top-K: rank by magnitude, then by position (earlier first), keep
// the first k non-zeros of that order.
std::vector<float> keep_largest(const std::vector<float>& x, size_t k)
{
    std::vector<size_t> order;
    for (size_t i = 0; i < x.size(); ++i)
        if (x[i] != 0.0f)
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return std::fabs(x[a]) > std::fabs(x[b]); });
    std::vector<float> kept(x.size(), 0.0f);
    for (size_t j = 0; j < std::min(k, order.size()); ++j)
        kept[order[j]] = x[order[j]];
    return kept;
}

// Small integers: every sum is exact, so equal magnitudes (ties) really occur and the
// accelerator's choice among them can be checked exactly.
dense_tensor integer_tensor(std::mt19937& rng, std::vector<int64_t> shape, double density)
{
    dense_tensor t(std::move(shape));
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (float& x : t.data)
        if (u(rng) < density)
            x = float(int(rng() % 5) - 2);
    return t;
}

BOOST_AUTO_TEST_CASE(topk_keeps_exactly_the_k_largest_magnitudes_of_the_whole_output_in_every_mode)
{
    std::mt19937 rng(41);
    char msg[256];
    // 8 output planes of 14x14 (several accumulator groups with small buffers): the selection
    // spans every plane of the tensor, not one group or plane.
    const reference::conv_shape d{1, 3, 8, 14, 14, 3, 3, 2, 1, 1, 1};
    case_data c;
    c.op = ANT_OP_FW;
    BOOST_REQUIRE(ant_geometry_conv(&c.geometry, ANT_OP_FW, d.h, d.w, d.r, d.s, d.stride_h, d.stride_w, d.pad_h,
                                    d.pad_w, msg, sizeof msg) == 0);
    c.n = 1, c.c = 3, c.k = 8;
    c.a = integer_tensor(rng, {1, 3, 14, 14}, 0.5);
    c.b = integer_tensor(rng, {8, 3, 3, 3}, 0.5);
    std::vector<float> relu = reference::conv_forward(d, c.a.data, c.b.data);
    for (float& x : relu)
        x = std::max(x, 0.0f);
    const size_t nonzeros = size_t(std::count_if(relu.begin(), relu.end(), [](float x) { return x != 0.0f; }));
    BOOST_REQUIRE(nonzeros > 100);
    std::vector<float> first;
    for (ant_mode mode : {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL})
        for (size_t k : {size_t(1), size_t(37), nonzeros / 3, nonzeros - 1, nonzeros, nonzeros + 5}) {
            BOOST_TEST_CONTEXT(ant_mode_name(mode) << " k " << k)
            {
                c.job = sim().prepare(c.op, mode, mapping_for(test_vp_config().accelerator.mapping, c.op), true,
                                      c.geometry, c.n, c.c, c.k, c.a, c.b);
                c.job.desc.flags |= ANT_JOB_FLAG_TOPK;
                c.job.desc.topk = uint32_t(k);
                sim().run(c.job);
                BOOST_REQUIRE_MESSAGE(c.job.ok, "job failed: " << c.job.error);
                const dense_tensor out = sim().output(c.job);
                const std::vector<float> expected = keep_largest(relu, k);
                BOOST_TEST(out.data == expected, boost::test_tools::per_element());
                const size_t kept = size_t(std::count_if(out.data.begin(), out.data.end(),
                                                         [](float x) { return x != 0.0f; }));
                BOOST_TEST(kept == std::min(k, nonzeros));
                BOOST_TEST(stat_of("post_processing_unit", "topk_dropped") == double(nonzeros - kept));
            }
        }
}

BOOST_AUTO_TEST_CASE(topk_of_zero_is_rejected_as_bad_dims)
{
    std::mt19937 rng(2);
    auto c = random_case(rng, ANT_OP_FW);
    c->job = sim().prepare(c->op, ANT_MODE_ANT, ANT_MAPPING_PLANAR, false, c->geometry, c->n, c->c, c->k, c->a, c->b);
    c->job.desc.flags |= ANT_JOB_FLAG_TOPK;
    c->job.desc.topk = 0;
    sim().run(c->job);
    BOOST_TEST(!c->job.ok);
    BOOST_TEST(c->job.error_code == ANT_ERR_BAD_DIMS);
}

#ifdef ANT_TEST_SMALL_BUFFERS
BOOST_AUTO_TEST_CASE(small_buffers_force_several_output_groups_without_changing_results)
{
    std::mt19937 rng(12);
    auto c = random_case(rng, ANT_OP_FW);
    // Enough output channels that their planes cannot all sit in a 1 KiB accumulator.
    char msg[256];
    reference::conv_shape d{1, 2, 8, 14, 14, 3, 3, 1, 1, 1, 1};
    BOOST_REQUIRE(ant_geometry_conv(&c->geometry, ANT_OP_FW, 14, 14, 3, 3, 1, 1, 1, 1, msg, sizeof msg) == 0);
    c->n = 1, c->c = 2, c->k = 8;
    c->a = random_tensor(rng, {1, 2, 14, 14}, 0.5);
    c->b = random_tensor(rng, {8, 2, 3, 3}, 0.5);
    c->expected = reference::conv_forward(d, c->a.data, c->b.data);
    run(*c, ANT_MODE_ANT);
    check_close(c->out.data, c->expected);
    BOOST_TEST(stat_of("job_sequencer", "output_groups") > 1);
    // The image buffer holds one of the two stationary planes: each group refetches them.
    BOOST_TEST(stat_of("job_sequencer", "stationary_loads") > 2);
    BOOST_TEST(stat_of("dma_engine", "dram_read_bytes.stationary") > 2 * 600);
}

BOOST_AUTO_TEST_CASE(a_pass_reloading_planes_of_the_same_sizes_at_the_same_place_sees_their_new_bytes)
{
    // Weights stored dense: every 3x3 plane is 36 bytes, and one input channel's twenty (720
    // bytes) fill the 1 KiB kernel buffer alone, while all twenty 2x2 output planes fit the
    // accumulator: each pass reloads the kernel buffer at the same addresses with the same
    // sizes. The fetch unit may keep the previous pass's views only when the bytes are the
    // same too.
    std::mt19937 rng(5);
    auto c = std::make_unique<case_data>();
    c->op = ANT_OP_FW;
    char msg[256];
    reference::conv_shape d{1, 3, 20, 4, 4, 3, 3, 1, 1, 0, 0};
    BOOST_REQUIRE(ant_geometry_conv(&c->geometry, ANT_OP_FW, 4, 4, 3, 3, 1, 1, 0, 0, msg, sizeof msg) == 0);
    c->n = 1, c->c = 3, c->k = 20;
    c->a = random_tensor(rng, {1, 3, 4, 4}, 0.6);
    c->b = random_tensor(rng, {20, 3, 3, 3}, 0.9);
    c->expected = reference::conv_forward(d, c->a.data, c->b.data);
    for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_DENSE}) {
        BOOST_TEST_CONTEXT(ant_mode_name(mode))
        {
            run(*c, mode, false, operand_format::dense);
            check_close(c->out.data, c->expected);
            BOOST_TEST(stat_of("job_sequencer", "output_groups") == 1);
            BOOST_TEST(stat_of("job_sequencer", "broadcast_loads") == 3);  // one per input channel
        }
    }
}

BOOST_AUTO_TEST_CASE(a_bw_gradient_larger_than_the_kernel_buffer_is_read_once_chunk_by_chunk)
{
    // BW: every input channel's pass meets the same six output-gradient planes (~1.4 KiB, more
    // than the 1 KiB kernel buffer), while the four sparse activation planes fit the image
    // buffer together. Chunk outer reads the gradient once; image outer would read it per pass.
    std::mt19937 rng(21);
    auto c = std::make_unique<case_data>();
    c->op = ANT_OP_BW;
    char msg[256];
    reference::conv_shape d{1, 4, 6, 8, 8, 3, 3, 1, 1, 1, 1};
    BOOST_REQUIRE(ant_geometry_conv(&c->geometry, ANT_OP_BW, 8, 8, 3, 3, 1, 1, 1, 1, msg, sizeof msg) == 0);
    c->n = 1, c->c = 4, c->k = 6;
    c->a = random_tensor(rng, {1, 4, 8, 8}, 0.2);
    c->b = random_tensor(rng, {1, 6, 8, 8}, 0.5);
    c->expected = reference::conv_backward_weight(d, c->a.data, c->b.data);
    uint64_t gradient_bytes = 0;
    for (int plane = 0; plane < 6; ++plane)
        gradient_bytes += csr_blob_bytes(8, uint64_t(std::count_if(c->b.data.begin() + plane * 64,
                                                                   c->b.data.begin() + (plane + 1) * 64,
                                                                   [](float x) { return x != 0.0f; })));
    BOOST_REQUIRE(gradient_bytes > 1024);
    for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT}) {
        run(*c, mode);
        check_close(c->out.data, c->expected);
        BOOST_TEST(stat_of("job_sequencer", "chunk_outer_runs") == 1);
        const double read = stat_of("dma_engine", "dram_read_bytes.broadcast");
        BOOST_TEST(read >= double(gradient_bytes));
        BOOST_TEST(read < 1.5 * double(gradient_bytes), "gradient read " << read << " bytes for " << gradient_bytes);
    }
}
#endif

// Boost.Test owns main(); the SystemC library still needs an sc_main symbol to link.
int sc_main(int, char**) { return 0; }
