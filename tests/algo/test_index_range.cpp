#define BOOST_TEST_MODULE index_range
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <climits>
#include <random>
#include <set>
#include <utility>

#include "index_range.h"

namespace {

using cell = std::pair<int32_t, int32_t>;

std::set<int32_t> members(ant_range r)
{
    std::set<int32_t> s;
    for (int32_t x = r.lo; x <= r.hi; x += r.step)
        s.insert(x);
    return s;
}

// Stationary cells that form at least one valid product with the broadcast cell (br, bc).
std::set<cell> brute_force(const ant_geometry& g, int32_t br, int32_t bc)
{
    std::set<cell> valid;
    for (int32_t sr = 0; sr < g.stationary[ANT_ROW]; ++sr)
        for (int32_t sc = 0; sc < g.stationary[ANT_COL]; ++sc) {
            int32_t orow, ocol;
            if (ant_output_coord(&g, br, bc, sr, sc, &orow, &ocol))
                valid.insert({sr, sc});
        }
    return valid;
}

std::set<cell> window_cells(const ant_window& w)
{
    std::set<cell> cells;
    for (int32_t r : members(w.rows))
        for (int32_t c : members(w.cols))
            cells.insert({r, c});
    return cells;
}

ant_geometry random_geometry(std::mt19937& rng, ant_op op)
{
    ant_geometry g;
    char msg[128];
    if (op == ANT_OP_SPMM) {
        BOOST_REQUIRE_EQUAL(ant_geometry_spmm(&g, 1 + rng() % 7, 1 + rng() % 9, 1 + rng() % 7,
                                              msg, sizeof msg), 0);
        return g;
    }
    for (;;) {
        int32_t h = 1 + rng() % 11, w = 1 + rng() % 11, r = 1 + rng() % 5, s = 1 + rng() % 5;
        int32_t sh = 1 + rng() % 3, sw = 1 + rng() % 3, ph = rng() % 4, pw = rng() % 4;
        if (ant_geometry_conv(&g, op, h, w, r, s, sh, sw, ph, pw, msg, sizeof msg) == 0)
            return g;
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(window_of_one_element_equals_brute_force_valid_set_for_every_op)
{
    std::mt19937 rng(2022);
    for (ant_op op : {ANT_OP_FW, ANT_OP_BD, ANT_OP_BW, ANT_OP_BW_GS, ANT_OP_SPMM}) {
        for (int trial = 0; trial < 300; ++trial) {
            ant_geometry g = random_geometry(rng, op);
            for (int32_t br = 0; br < g.broadcast[ANT_ROW]; ++br)
                for (int32_t bc = 0; bc < g.broadcast[ANT_COL]; ++bc) {
                    ant_window w;
                    ant_index_window(&g, br, br, bc, bc, &w);
                    auto expected = brute_force(g, br, bc);
                    auto got = window_cells(w);
                    BOOST_TEST_CONTEXT("op " << ant_op_name(op) << " in " << g.in[0] << "x"
                                             << g.in[1] << " k " << g.kernel[0] << "x"
                                             << g.kernel[1] << " st " << g.stride[0] << ","
                                             << g.stride[1] << " pad " << g.pad[0] << ","
                                             << g.pad[1] << " b " << br << "," << bc)
                    {
                        BOOST_TEST((got == expected));
                    }
                }
        }
    }
}

BOOST_AUTO_TEST_CASE(window_of_a_span_covers_every_member_and_stays_in_the_plane)
{
    std::mt19937 rng(4);
    for (ant_op op : {ANT_OP_FW, ANT_OP_BD, ANT_OP_BW, ANT_OP_BW_GS, ANT_OP_SPMM}) {
        for (int trial = 0; trial < 300; ++trial) {
            ant_geometry g = random_geometry(rng, op);
            int32_t r0 = rng() % g.broadcast[ANT_ROW], r1 = rng() % g.broadcast[ANT_ROW];
            int32_t c0 = rng() % g.broadcast[ANT_COL], c1 = rng() % g.broadcast[ANT_COL];
            if (r0 > r1) std::swap(r0, r1);
            if (c0 > c1) std::swap(c0, c1);
            ant_window w;
            ant_index_window(&g, r0, r1, c0, c1, &w);
            auto got = window_cells(w);
            for (const auto& [r, c] : got) {
                BOOST_TEST((r >= 0 && r < g.stationary[ANT_ROW]));
                BOOST_TEST((c >= 0 && c < g.stationary[ANT_COL]));
            }
            for (int32_t br = r0; br <= r1; ++br)
                for (int32_t bc = c0; bc <= c1; ++bc)
                    for (const auto& cell : brute_force(g, br, bc))
                        BOOST_TEST(got.count(cell) == 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(forward_window_keeps_the_stride_lattice_for_one_kernel_row)
{
    ant_geometry g;
    char msg[128];
    BOOST_REQUIRE_EQUAL(ant_geometry_conv(&g, ANT_OP_FW, 9, 9, 3, 3, 2, 2, 1, 1, msg, sizeof msg), 0);
    ant_window w;
    ant_index_window(&g, 0, 0, 0, 2, &w);
    BOOST_TEST(w.rows.step == 2);  // kernel row 0 with pad 1 meets input rows 1, 3, 5, 7
    BOOST_TEST(w.rows.lo == 1);
    BOOST_TEST(w.rows.hi == 7);
    BOOST_TEST(w.cols.step == 1);  // three kernel columns: several lattices
}

BOOST_AUTO_TEST_CASE(impossible_shapes_are_rejected_with_a_reason)
{
    ant_geometry g;
    char msg[128];
    BOOST_TEST(ant_geometry_conv(&g, ANT_OP_FW, 8, 8, 3, 3, 0, 1, 0, 0, msg, sizeof msg) == -1);
    BOOST_TEST(std::string(msg).find("stride") != std::string::npos);
    BOOST_TEST(ant_geometry_conv(&g, ANT_OP_FW, 2, 2, 5, 5, 1, 1, 0, 0, msg, sizeof msg) == -1);
    BOOST_TEST(std::string(msg).find("kernel") != std::string::npos);
    BOOST_TEST(ant_geometry_conv(&g, ANT_OP_BW, 8, 8, 3, 3, 1, 1, -1, 0, msg, sizeof msg) == -1);
    BOOST_TEST(ant_geometry_spmm(&g, 0, 3, 3, msg, sizeof msg) == -1);
}

BOOST_AUTO_TEST_CASE(kernel_window_of_an_image_span_covers_every_members_partners_within_the_stride_slack)
{
    // The anticipator's direction: for a stationary (image) span, the kernel cells any member
    // meets validly all lie inside the window, and the window never reaches further than the
    // union of those cells' bounds plus the stride lattice slack.
    std::mt19937 rng(45);
    for (ant_op op : {ANT_OP_FW, ANT_OP_BD, ANT_OP_BW, ANT_OP_BW_GS, ANT_OP_SPMM}) {
        for (int trial = 0; trial < 300; ++trial) {
            ant_geometry g = random_geometry(rng, op);
            int32_t r0 = rng() % g.stationary[ANT_ROW], r1 = rng() % g.stationary[ANT_ROW];
            int32_t c0 = rng() % g.stationary[ANT_COL], c1 = rng() % g.stationary[ANT_COL];
            if (r0 > r1) std::swap(r0, r1);
            if (c0 > c1) std::swap(c0, c1);
            ant_window w;
            ant_kernel_window(&g, r0, r1, c0, c1, &w);
            BOOST_TEST(w.rows.step == 1);
            BOOST_TEST(w.cols.step == 1);
            int32_t lo_r = INT32_MAX, hi_r = -1, lo_c = INT32_MAX, hi_c = -1;
            for (int32_t sr = r0; sr <= r1; ++sr)
                for (int32_t sc = c0; sc <= c1; ++sc)
                    for (int32_t br = 0; br < g.broadcast[ANT_ROW]; ++br)
                        for (int32_t bc = 0; bc < g.broadcast[ANT_COL]; ++bc) {
                            int32_t orow, ocol;
                            if (!ant_output_coord(&g, br, bc, sr, sc, &orow, &ocol))
                                continue;
                            BOOST_TEST((br >= w.rows.lo && br <= w.rows.hi && bc >= w.cols.lo && bc <= w.cols.hi));
                            lo_r = std::min(lo_r, br), hi_r = std::max(hi_r, br);
                            lo_c = std::min(lo_c, bc), hi_c = std::max(hi_c, bc);
                        }
            if (hi_r < 0 || op == ANT_OP_SPMM)
                continue;
            const int32_t slack_r = g.stride[ANT_ROW] - 1, slack_c = g.stride[ANT_COL] - 1;
            BOOST_TEST(w.rows.lo >= lo_r - slack_r);
            BOOST_TEST(w.rows.hi <= hi_r + slack_r);
            BOOST_TEST(w.cols.lo >= lo_c - slack_c);
            BOOST_TEST(w.cols.hi <= hi_c + slack_c);
        }
    }
}
