#define BOOST_TEST_MODULE outer_product
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "../reference/dense_reference.h"
#include "outer_product.h"

namespace {

struct plane {
    std::vector<uint32_t> row_ptr;
    std::vector<uint16_t> col_idx;
    std::vector<float> val;
    csr_plane p{};

    // store_zeros keeps every element, as a dense array would read the plane.
    plane(const std::vector<float>& dense, int rows, int cols, bool store_zeros = false)
        : row_ptr(rows + 1)
    {
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                float x = dense[size_t(r) * cols + c];
                if (x != 0.0f || store_zeros) {
                    col_idx.push_back(uint16_t(c));
                    val.push_back(x);
                }
            }
            row_ptr[r + 1] = uint32_t(val.size());
        }
        p = csr_plane{uint32_t(rows), uint32_t(cols), uint32_t(val.size()), row_ptr.data(),
                      col_idx.data(), val.data()};
    }
};

std::vector<float> random_dense(std::mt19937& rng, size_t n, double density)
{
    std::bernoulli_distribution keep(density);
    std::uniform_real_distribution<float> value(0.5f, 1.5f);
    std::vector<float> x(n, 0.0f);
    for (auto& v : x)
        if (keep(rng))
            v = (rng() & 1) ? value(rng) : -value(rng);
    return x;
}

ant_array_params params(uint32_t pe_rows, uint32_t pe_cols, uint32_t f, uint32_t i,
                        ant_anticipator anticipator = ANT_ANTICIPATOR_PE,
                        ant_scnn_packing packing = ANT_SCNN_CROSS_CHANNEL)
{
    return ant_array_params{pe_rows, pe_cols, f,           i, 2 * f * i, 8, 1, 1, ANT_MAPPING_PLANAR,
                            anticipator, packing, 4, 2, 1, ANT_SCNN_SPMM_CONTRACTION};
}

struct run_result {
    ant_counters ctr{};
    std::vector<float> out;
};

// One stationary plane against one broadcast plane, as the fetch unit would feed it.
run_result run_pair(const ant_geometry& g, const ant_array_params& prm, ant_mode mode,
                    const std::vector<float>& stat_dense, const std::vector<float>& bcast_dense,
                    bool row_bounded = true)
{
    const bool dense = mode == ANT_MODE_DENSE;
    plane s(stat_dense, g.stationary[0], g.stationary[1], dense);
    plane b(bcast_dense, g.broadcast[0], g.broadcast[1], dense);
    std::vector<ant_vector> vecs(ant_pack_bound(&b.p, prm.f, row_bounded));
    vecs.resize(ant_pack_vectors(&b.p, prm.f, row_bounded, vecs.data()));
    std::vector<ant_window> wins(vecs.size());
    for (size_t v = 0; v < vecs.size(); ++v)
        ant_index_window(&g, vecs[v].row0, vecs[v].row1, vecs[v].col0, vecs[v].col1, &wins[v]);
    run_result res;
    res.out.assign(size_t(g.output[0]) * g.output[1], 0.0f);
    ant_broadcast_job job{&b.p, vecs.data(), uint32_t(vecs.size()), wins.data(), res.out.data(), 0, 0, 1};
    ant_array* a = ant_array_create(&prm, &g, 1);
    BOOST_REQUIRE(a != nullptr);
    BOOST_REQUIRE_EQUAL(ant_array_run(a, mode, &s.p, &job, 1, &res.ctr), 0);
    ant_array_destroy(a);
    return res;
}

// Valid products among non-zero pairs, counted straight from the convolution definition.
uint64_t count_valid_pairs(const ant_geometry& g, const std::vector<float>& s,
                           const std::vector<float>& b)
{
    uint64_t n = 0;
    for (int br = 0; br < g.broadcast[0]; ++br)
        for (int bc = 0; bc < g.broadcast[1]; ++bc) {
            if (b[size_t(br) * g.broadcast[1] + bc] == 0.0f)
                continue;
            for (int sr = 0; sr < g.stationary[0]; ++sr)
                for (int sc = 0; sc < g.stationary[1]; ++sc) {
                    int32_t orow, ocol;
                    if (s[size_t(sr) * g.stationary[1] + sc] != 0.0f &&
                        ant_output_coord(&g, br, bc, sr, sc, &orow, &ocol))
                        ++n;
                }
        }
    return n;
}

std::vector<float> reference(const ant_geometry& g, const std::vector<float>& s,
                             const std::vector<float>& b)
{
    using namespace ant::reference;
    if (g.op == ANT_OP_SPMM)
        return matmul(g.m, g.k, g.n, b, s);
    conv_shape d{1, 1, 1, g.in[0], g.in[1], g.kernel[0], g.kernel[1],
                 g.stride[0], g.stride[1], g.pad[0], g.pad[1]};
    if (g.op == ANT_OP_FW)
        return conv_forward(d, s, b);
    if (g.op == ANT_OP_BD)
        return conv_backward_data(d, s, b);
    if (g.op == ANT_OP_BW_GS)  // the gradient is the stationary operand
        return conv_backward_weight(d, b, s);
    return conv_backward_weight(d, s, b);
}

}  // namespace

BOOST_AUTO_TEST_CASE(scnn_valid_share_on_dense_planes_matches_the_closed_forms)
{
    const auto prm = params(1, 1, 1, 1);
    for (auto [h, w, r] : {std::tuple{32, 32, 3}, {12, 9, 5}, {7, 7, 1}, {16, 11, 3}}) {
        ant_geometry fw, bw;
        char msg[128];
        BOOST_REQUIRE_EQUAL(ant_geometry_conv(&fw, ANT_OP_FW, h, w, r, r, 1, 1, 0, 0, msg, 128), 0);
        BOOST_REQUIRE_EQUAL(ant_geometry_conv(&bw, ANT_OP_BW, h, w, r, r, 1, 1, 0, 0, msg, 128), 0);
        std::vector<float> act(size_t(h) * w, 1.0f), wgt(size_t(r) * r, 1.0f);
        std::vector<float> grad(size_t(fw.out[0]) * fw.out[1], 1.0f);
        auto f = run_pair(fw, prm, ANT_MODE_SCNN, act, wgt);
        auto b = run_pair(bw, prm, ANT_MODE_SCNN, act, grad);
        // valid/issued == Ho*Wo/(H*W) for FW and R*S/(H*W) for BW, compared exactly as
        // integer cross-products.
        BOOST_TEST(f.ctr.products_valid * uint64_t(h * w) ==
                   f.ctr.products_issued * uint64_t(fw.out[0] * fw.out[1]));
        BOOST_TEST(b.ctr.products_valid * uint64_t(h * w) ==
                   b.ctr.products_issued * uint64_t(r * r));
    }
}

BOOST_AUTO_TEST_CASE(every_mode_matches_the_dense_reference_and_never_drops_a_valid_product)
{
    std::mt19937 rng(90);
    char msg[128];
    for (int trial = 0; trial < 400; ++trial) {
        ant_op op = ant_op(trial % 5);  // every op, BW with either operand tiled
        ant_geometry g;
        if (op == ANT_OP_SPMM) {
            BOOST_REQUIRE_EQUAL(ant_geometry_spmm(&g, 1 + rng() % 20, 1 + rng() % 20,
                                                  1 + rng() % 20, msg, 128), 0);
        } else {
            while (ant_geometry_conv(&g, op, 1 + rng() % 20, 1 + rng() % 20, 1 + rng() % 5,
                                     1 + rng() % 5, 1 + rng() % 3, 1 + rng() % 3, rng() % 4,
                                     rng() % 4, msg, 128) != 0) {
            }
        }
        auto s = random_dense(rng, size_t(g.stationary[0]) * g.stationary[1], 0.1 + (rng() % 90) / 100.0);
        auto b = random_dense(rng, size_t(g.broadcast[0]) * g.broadcast[1], 0.1 + (rng() % 90) / 100.0);
        const auto expected = reference(g, s, b);
        const uint64_t valid_pairs = count_valid_pairs(g, s, b);
        // The paper's pair (per-PE anticipator vs SCNN+'s cross-channel packing) or the
        // broadcast pair (window per broadcast vector vs per-plane packing).
        const bool paper = rng() & 1;
        auto prm = params(1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4,
                          paper ? ANT_ANTICIPATOR_PE : ANT_ANTICIPATOR_BROADCAST,
                          paper ? ANT_SCNN_CROSS_CHANNEL : ANT_SCNN_PER_PLANE);
        prm.scan_width = 1 + rng() % 8;
        prm.mapping = (rng() & 1) ? ANT_MAPPING_CHANNEL : ANT_MAPPING_PLANAR;
        const bool row_bounded = rng() & 1;
        ant_counters by_mode[4];
        std::vector<float> out_by_mode[4];
        for (ant_mode mode : {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL}) {
            auto res = run_pair(g, prm, mode, s, b, row_bounded);
            by_mode[mode] = res.ctr;
            out_by_mode[mode] = res.out;
            BOOST_TEST_CONTEXT("trial " << trial << " op " << ant_op_name(op) << " mode "
                                        << ant_mode_name(mode) << (paper ? " paper" : " broadcast"))
            {
                for (size_t i = 0; i < expected.size(); ++i)
                    BOOST_TEST(std::fabs(res.out[i] - expected[i]) <=
                               1e-4f * (1.0f + std::fabs(expected[i])));
                BOOST_TEST(res.ctr.products_issued >= res.ctr.products_valid);
                if (mode != ANT_MODE_DENSE)
                    BOOST_TEST(res.ctr.products_valid == valid_pairs);
            }
        }
        BOOST_TEST(by_mode[ANT_MODE_IDEAL].products_issued == by_mode[ANT_MODE_IDEAL].products_valid);
        // The default dataflows accumulate every output's terms in the same order: the
        // tensors are bit-identical across modes, not merely close.
        if (paper && prm.mapping == ANT_MAPPING_PLANAR)
            for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL})
                BOOST_TEST(std::memcmp(out_by_mode[mode].data(), out_by_mode[ANT_MODE_DENSE].data(),
                                       out_by_mode[mode].size() * sizeof(float)) == 0,
                           "trial " << trial << " op " << ant_op_name(op) << ": " << ant_mode_name(mode)
                                    << " is not bit-identical to dense");
        const bool scnn_by_contraction = op == ANT_OP_SPMM && paper && prm.mapping == ANT_MAPPING_PLANAR;
        if (scnn_by_contraction) {  // SPMM as a 1x1 convolution, one contraction index a pass
            BOOST_TEST(by_mode[ANT_MODE_SCNN].products_issued == by_mode[ANT_MODE_SCNN].products_valid);
        } else {
            BOOST_TEST(by_mode[ANT_MODE_ANT].products_issued <= by_mode[ANT_MODE_SCNN].products_issued);
            BOOST_TEST(by_mode[ANT_MODE_ANT].vector_pairs <= by_mode[ANT_MODE_SCNN].vector_pairs);
        }
    }
}

BOOST_AUTO_TEST_CASE(backward_weight_on_a_large_plane_is_mostly_anticipated)
{
    // A typical CIFAR BW job: 32x32, A 10% dense, dO 50% dense, 3x3, padding 1, 8x8 PEs.
    std::mt19937 rng(1);
    ant_geometry g;
    char msg[128];
    BOOST_REQUIRE_EQUAL(ant_geometry_conv(&g, ANT_OP_BW, 32, 32, 3, 3, 1, 1, 1, 1, msg, 128), 0);
    auto act = random_dense(rng, 32 * 32, 0.1), grad = random_dense(rng, 32 * 32, 0.5);
    const auto prm = params(8, 8, 4, 4);
    auto scnn = run_pair(g, prm, ANT_MODE_SCNN, act, grad);
    auto ant = run_pair(g, prm, ANT_MODE_ANT, act, grad);
    const double rcp_scnn = double(scnn.ctr.products_issued - scnn.ctr.products_valid);
    const double rcp_ant = double(ant.ctr.products_issued - ant.ctr.products_valid);
    BOOST_TEST(rcp_scnn > 0.95 * double(scnn.ctr.products_issued));  // > 95% are RCPs
    BOOST_TEST(1.0 - rcp_ant / rcp_scnn > 0.9);                     // > 90% anticipated
    BOOST_TEST(ant.ctr.cycles < scnn.ctr.cycles);
}

BOOST_AUTO_TEST_CASE(identical_inputs_give_identical_counters)
{
    std::mt19937 rng(5);
    ant_geometry g;
    char msg[128];
    BOOST_REQUIRE_EQUAL(ant_geometry_conv(&g, ANT_OP_FW, 20, 17, 3, 3, 2, 1, 1, 1, msg, 128), 0);
    auto act = random_dense(rng, 20 * 17, 0.3), wgt = random_dense(rng, 9, 0.6);
    const auto prm = params(4, 4, 4, 4);
    for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT}) {
        auto x = run_pair(g, prm, mode, act, wgt), y = run_pair(g, prm, mode, act, wgt);
        BOOST_TEST(std::memcmp(&x.ctr, &y.ctr, sizeof x.ctr) == 0);
        BOOST_TEST(x.out == y.out, boost::test_tools::per_element());
    }
}

namespace {

// K kernel planes of one pass against one image plane, as the cross-channel dataflows see a
// pass: every plane's output checked against the reference.
struct pass_result {
    ant_counters ctr{};
    std::vector<std::vector<float>> outs;
};

pass_result run_pass(const ant_geometry& g, const ant_array_params& prm, ant_mode mode,
                     const std::vector<float>& stat_dense, const std::vector<std::vector<float>>& kernels)
{
    plane s(stat_dense, g.stationary[0], g.stationary[1], mode == ANT_MODE_DENSE);
    std::vector<std::unique_ptr<plane>> planes;
    std::vector<std::vector<ant_vector>> vecs(kernels.size());
    std::vector<std::vector<ant_window>> wins(kernels.size());
    pass_result res;
    res.outs.assign(kernels.size(), std::vector<float>(size_t(g.output[0]) * g.output[1], 0.0f));
    std::vector<ant_broadcast_job> jobs;
    for (size_t k = 0; k < kernels.size(); ++k) {
        planes.push_back(std::make_unique<plane>(kernels[k], g.broadcast[0], g.broadcast[1], mode == ANT_MODE_DENSE));
        const csr_plane* p = &planes.back()->p;
        vecs[k].resize(ant_pack_bound(p, prm.f, 1));
        vecs[k].resize(ant_pack_vectors(p, prm.f, 1, vecs[k].data()));
        for (const auto& v : vecs[k]) {
            wins[k].emplace_back();
            ant_index_window(&g, v.row0, v.row1, v.col0, v.col1, &wins[k].back());
        }
        jobs.push_back(ant_broadcast_job{p, vecs[k].data(), uint32_t(vecs[k].size()), wins[k].data(),
                                         res.outs[k].data(), uint32_t(k), uint32_t(k), uint32_t(k + 1)});
    }
    ant_array* a = ant_array_create(&prm, &g, uint32_t(kernels.size()));
    BOOST_REQUIRE(a != nullptr);
    BOOST_REQUIRE_EQUAL(ant_array_run(a, mode, &s.p, jobs.data(), uint32_t(jobs.size()), &res.ctr), 0);
    ant_array_destroy(a);
    return res;
}

ant_geometry random_conv(std::mt19937& rng, ant_op op, int max_plane)
{
    ant_geometry g;
    char msg[128];
    while (ant_geometry_conv(&g, op, 1 + rng() % max_plane, 1 + rng() % max_plane, 1 + rng() % 5, 1 + rng() % 5,
                             1 + rng() % 3, 1 + rng() % 3, rng() % 4, rng() % 4, msg, 128) != 0) {
    }
    return g;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cross_channel_dataflows_match_the_reference_for_every_plane_of_a_pass)
{
    std::mt19937 rng(714);
    char msg[128];
    for (int trial = 0; trial < 200; ++trial) {
        const ant_op op = ant_op(trial % 5);
        ant_geometry g;
        if (op == ANT_OP_SPMM)
            BOOST_REQUIRE_EQUAL(ant_geometry_spmm(&g, 1 + rng() % 12, 1 + rng() % 12, 1 + rng() % 12, msg, 128), 0);
        else
            g = random_conv(rng, op, 16);
        const auto s = random_dense(rng, size_t(g.stationary[0]) * g.stationary[1], 0.05 + (rng() % 90) / 100.0);
        std::vector<std::vector<float>> kernels(1 + rng() % 6);
        for (auto& k : kernels)
            k = random_dense(rng, size_t(g.broadcast[0]) * g.broadcast[1], 0.05 + (rng() % 90) / 100.0);
        auto prm = params(1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4);
        prm.scan_width = 1 + rng() % 8;
        uint64_t valid = 0, scnn_issued = 0;
        for (const auto& k : kernels) {
            valid += count_valid_pairs(g, s, k);
            scnn_issued += uint64_t(std::count_if(s.begin(), s.end(), [](float x) { return x != 0.0f; })) *
                           uint64_t(std::count_if(k.begin(), k.end(), [](float x) { return x != 0.0f; }));
        }
        for (ant_mode mode : {ANT_MODE_SCNN, ANT_MODE_ANT}) {
            const auto res = run_pass(g, prm, mode, s, kernels);
            BOOST_TEST_CONTEXT("trial " << trial << " op " << ant_op_name(op) << " mode " << ant_mode_name(mode))
            {
                for (size_t k = 0; k < kernels.size(); ++k) {
                    const auto expected = reference(g, s, kernels[k]);
                    for (size_t i = 0; i < expected.size(); ++i)
                        BOOST_TEST(std::fabs(res.outs[k][i] - expected[i]) <= 1e-4f * (1.0f + std::fabs(expected[i])));
                }
                BOOST_TEST(res.ctr.products_valid == valid);
                if (mode == ANT_MODE_SCNN && op == ANT_OP_SPMM)  // a pass per contraction index
                    BOOST_TEST(res.ctr.products_issued == valid);
                else if (mode == ANT_MODE_SCNN)
                    BOOST_TEST(res.ctr.products_issued == scnn_issued);  // every non-zero pair
                else
                    BOOST_TEST(res.ctr.products_issued <= scnn_issued);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(scnn_plus_packs_kernel_vectors_across_output_channels)
{
    // K planes of a 3x3 kernel with one non-zero each: per plane, SCNN+ would need K vectors;
    // packed across channels, ceil(K / F).
    ant_geometry g;
    char msg[128];
    BOOST_REQUIRE_EQUAL(ant_geometry_conv(&g, ANT_OP_FW, 8, 8, 3, 3, 1, 1, 1, 1, msg, 128), 0);
    std::vector<float> act(64, 1.0f);
    std::vector<std::vector<float>> kernels(10, std::vector<float>(9, 0.0f));
    for (size_t k = 0; k < kernels.size(); ++k)
        kernels[k][k % 9] = 1.0f;
    const auto prm = params(1, 1, 4, 4);
    const auto res = run_pass(g, prm, ANT_MODE_SCNN, act, kernels);
    BOOST_TEST(res.ctr.broadcast_vectors == 3u);          // ceil(10 / 4)
    BOOST_TEST(res.ctr.vector_pairs == 3u * (64u / 4u));  // every kernel vector x 16 image vectors
}

BOOST_AUTO_TEST_CASE(anticipator_selects_exactly_the_kernel_elements_in_the_union_range)
{
    // One-element image vectors on one PE: the union range of a vector is its member's own
    // range, so at stride 1 the selection must be exactly the kernel non-zeros inside the
    // bounding box of the member's brute-force valid set, and never fewer than its valid ones.
    std::mt19937 rng(33);
    for (int trial = 0; trial < 300; ++trial) {
        const ant_op op = ant_op(trial % 3);
        ant_geometry g = random_conv(rng, op, 12);
        const bool unit_stride = g.stride[0] == 1 && g.stride[1] == 1;
        const auto s = random_dense(rng, size_t(g.stationary[0]) * g.stationary[1], 0.3);
        const auto k = random_dense(rng, size_t(g.broadcast[0]) * g.broadcast[1], 0.6);
        auto prm = params(1, 1, 4, 1);
        const auto res = run_pass(g, prm, ANT_MODE_ANT, s, {k});
        uint64_t in_box = 0, in_slack_box = 0;
        bool member_without_partner = false;
        for (int sr = 0; sr < g.stationary[0]; ++sr)
            for (int sc = 0; sc < g.stationary[1]; ++sc) {
                if (s[size_t(sr) * g.stationary[1] + sc] == 0.0f)
                    continue;
                int r0 = INT32_MAX, r1 = -1, c0 = INT32_MAX, c1 = -1;
                for (int br = 0; br < g.broadcast[0]; ++br)
                    for (int bc = 0; bc < g.broadcast[1]; ++bc) {
                        int32_t orow, ocol;
                        if (ant_output_coord(&g, br, bc, sr, sc, &orow, &ocol)) {
                            r0 = std::min(r0, br), r1 = std::max(r1, br);
                            c0 = std::min(c0, bc), c1 = std::max(c1, bc);
                        }
                    }
                member_without_partner |= r1 < 0;
                const int sr_slack = g.stride[0] - 1, sc_slack = g.stride[1] - 1;
                for (int br = 0; br < g.broadcast[0]; ++br)
                    for (int bc = 0; bc < g.broadcast[1]; ++bc) {
                        if (k[size_t(br) * g.broadcast[1] + bc] == 0.0f)
                            continue;
                        in_box += br >= r0 && br <= r1 && bc >= c0 && bc <= c1;
                        in_slack_box += r1 >= 0 && br >= r0 - sr_slack && br <= r1 + sr_slack && bc >= c0 - sc_slack &&
                                        bc <= c1 + sc_slack;
                    }
            }
        BOOST_TEST_CONTEXT("trial " << trial << " op " << ant_op_name(op))
        {
            BOOST_TEST(res.ctr.kernel_value_reads >= in_box);
            if (!member_without_partner)  // a strided lattice miss may still see a range
                BOOST_TEST(res.ctr.kernel_value_reads <= in_slack_box);
            if (unit_stride)
                BOOST_TEST(res.ctr.kernel_value_reads == in_box);
        }
    }
}

BOOST_AUTO_TEST_CASE(weight_gradient_on_a_large_plane_is_mostly_anticipated_by_the_paper_pe)
{
    // 32x32, A 10% dense, dO dense, 3x3, padding 1, 8x8 PEs, 8 output channels per pass.
    std::mt19937 rng(5);
    ant_geometry g;
    char msg[128];
    BOOST_REQUIRE_EQUAL(ant_geometry_conv(&g, ANT_OP_BW, 32, 32, 3, 3, 1, 1, 1, 1, msg, 128), 0);
    const auto act = random_dense(rng, 32 * 32, 0.1);
    std::vector<std::vector<float>> grads(8);
    for (auto& d : grads)
        d = random_dense(rng, 32 * 32, 1.0);
    auto prm = params(8, 8, 4, 4);
    prm.scan_width = 16;
    const auto scnn = run_pass(g, prm, ANT_MODE_SCNN, act, grads);
    const auto ant = run_pass(g, prm, ANT_MODE_ANT, act, grads);
    const double rcp_scnn = double(scnn.ctr.products_issued - scnn.ctr.products_valid);
    const double rcp_ant = double(ant.ctr.products_issued - ant.ctr.products_valid);
    BOOST_TEST(rcp_scnn > 0.99 * double(scnn.ctr.products_issued));
    BOOST_TEST(1.0 - rcp_ant / rcp_scnn > 0.9);
    BOOST_TEST(ant.ctr.cycles * 5 < scnn.ctr.cycles);  // the anticipator is not broadcast-bound
}
