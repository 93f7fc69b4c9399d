#define BOOST_TEST_MODULE outer_product
#include <boost/test/unit_test.hpp>

#include <cmath>
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

ant_array_params params(uint32_t pe_rows, uint32_t pe_cols, uint32_t f, uint32_t i)
{
    return ant_array_params{pe_rows, pe_cols, f, i, 2 * f * i, 8, 1, 1, ANT_MAPPING_PLANAR};
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
    ant_broadcast_job job{&b.p, vecs.data(), uint32_t(vecs.size()), wins.data(), res.out.data(), 0, 0};
    ant_array* a = ant_array_create(&prm, &g, 1);
    BOOST_REQUIRE(a != nullptr);
    ant_array_run(a, mode, &s.p, &job, 1, &res.ctr);
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
        ant_op op = ant_op(trial % 4);
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
        auto prm = params(1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4, 1 + rng() % 4);
        prm.mapping = (rng() & 1) ? ANT_MAPPING_CHANNEL : ANT_MAPPING_PLANAR;
        const bool row_bounded = rng() & 1;
        ant_counters by_mode[4];
        for (ant_mode mode : {ANT_MODE_DENSE, ANT_MODE_SCNN, ANT_MODE_ANT, ANT_MODE_IDEAL}) {
            auto res = run_pair(g, prm, mode, s, b, row_bounded);
            by_mode[mode] = res.ctr;
            BOOST_TEST_CONTEXT("trial " << trial << " op " << ant_op_name(op) << " mode "
                                        << ant_mode_name(mode))
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
        BOOST_TEST(by_mode[ANT_MODE_ANT].products_issued <= by_mode[ANT_MODE_SCNN].products_issued);
        BOOST_TEST(by_mode[ANT_MODE_ANT].vector_pairs <= by_mode[ANT_MODE_SCNN].vector_pairs);
    }
}

BOOST_AUTO_TEST_CASE(backward_weight_on_a_large_plane_is_mostly_anticipated)
{
    // The primer's example: 32x32, A 10% dense, dO 50% dense, 3x3, padding 1, 8x8 PEs.
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
