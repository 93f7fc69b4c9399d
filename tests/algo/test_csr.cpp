#define BOOST_TEST_MODULE csr
#include <boost/test/unit_test.hpp>

#include <random>
#include <string>
#include <vector>

#include "csr.h"

namespace {

struct owned_plane {
    std::vector<uint32_t> row_ptr;
    std::vector<uint16_t> col_idx;
    std::vector<float> val;
    csr_plane plane{};

    owned_plane(uint32_t rows, uint32_t cols, uint32_t capacity)
        : row_ptr(rows + 1), col_idx(capacity), val(capacity)
    {
        plane = csr_plane{rows, cols, capacity, row_ptr.data(), col_idx.data(), val.data()};
    }
};

std::vector<float> random_plane(std::mt19937& rng, uint32_t rows, uint32_t cols, double density)
{
    std::bernoulli_distribution keep(density);
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> dense(size_t(rows) * cols, 0.0f);
    for (auto& x : dense)
        if (keep(rng))
            x = value(rng) + (value(rng) > 0 ? 2.0f : -2.0f);  // never exactly zero
    return dense;
}

}  // namespace

BOOST_AUTO_TEST_CASE(dense_to_csr_and_back_is_identity_on_random_planes)
{
    std::mt19937 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
        uint32_t rows = 1 + rng() % 17, cols = 1 + rng() % 23;
        auto dense = random_plane(rng, rows, cols, (rng() % 100) / 100.0);
        uint32_t nnz = csr_count_nonzeros(dense.data(), rows, cols);
        owned_plane p(rows, cols, nnz);
        BOOST_REQUIRE_EQUAL(csr_from_dense(&p.plane, dense.data()), CSR_OK);
        BOOST_REQUIRE_EQUAL(csr_nnz(&p.plane), nnz);
        char msg[128];
        BOOST_REQUIRE_EQUAL(csr_validate(&p.plane, msg, sizeof msg), CSR_OK);
        std::vector<float> back(dense.size(), -1.0f);
        csr_to_dense(&p.plane, back.data());
        BOOST_TEST(back == dense, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(from_dense_reports_capacity_overflow)
{
    std::vector<float> dense = {1, 0, 2, 3};
    owned_plane p(2, 2, 2);
    BOOST_TEST(csr_from_dense(&p.plane, dense.data()) == CSR_ERR_OVER_CAPACITY);
}

BOOST_AUTO_TEST_CASE(validate_names_each_broken_invariant)
{
    std::vector<float> dense = {1, 0, 2, 0, 3, 4};
    owned_plane p(2, 3, 4);
    BOOST_REQUIRE_EQUAL(csr_from_dense(&p.plane, dense.data()), CSR_OK);
    char msg[128];

    auto broken = p;
    broken.plane = csr_plane{2, 3, 4, broken.row_ptr.data(), broken.col_idx.data(), broken.val.data()};
    broken.row_ptr[0] = 1;
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_ROW_PTR_START);
    BOOST_TEST(std::string(msg).find("row_ptr[0]") != std::string::npos);

    broken.row_ptr = p.row_ptr;
    broken.row_ptr[1] = 3;  // {0, 3, 2}: row 1 would end before it starts
    broken.row_ptr[2] = 2;
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_ROW_PTR_DECREASING);
    BOOST_TEST(std::string(msg).find("row_ptr[2]") != std::string::npos);

    broken.row_ptr = p.row_ptr;
    broken.plane.capacity = 3;
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_OVER_CAPACITY);
    broken.plane.capacity = 4;

    broken.col_idx[3] = 3;
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_COL_OUT_OF_RANGE);
    BOOST_TEST(std::string(msg).find("entry 3") != std::string::npos);

    broken.col_idx = p.col_idx;
    broken.col_idx[1] = 0;  // row 0 holds columns 0, 2 -> 0, 0
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_COL_NOT_SORTED);

    broken.col_idx = p.col_idx;
    broken.plane.cols = 0;
    BOOST_TEST(csr_validate(&broken.plane, msg, sizeof msg) == CSR_ERR_DIMS);
}

BOOST_AUTO_TEST_CASE(row_window_finds_exactly_the_entries_inside_the_column_range)
{
    std::mt19937 rng(11);
    for (int trial = 0; trial < 100; ++trial) {
        uint32_t rows = 1 + rng() % 5, cols = 1 + rng() % 40;
        auto dense = random_plane(rng, rows, cols, 0.4);
        owned_plane p(rows, cols, csr_count_nonzeros(dense.data(), rows, cols));
        BOOST_REQUIRE_EQUAL(csr_from_dense(&p.plane, dense.data()), CSR_OK);
        for (uint32_t r = 0; r < rows; ++r) {
            uint32_t lo = rng() % cols, hi = rng() % cols;
            uint32_t first, last;
            csr_row_window(&p.plane, r, lo, hi, &first, &last);
            uint32_t expected = 0;
            for (uint32_t c = lo; c <= hi; ++c)
                expected += dense[r * cols + c] != 0.0f;
            BOOST_TEST(last - first == expected);
            for (uint32_t e = first; e < last; ++e)
                BOOST_TEST((p.col_idx[e] >= lo && p.col_idx[e] <= hi));
        }
    }
}
