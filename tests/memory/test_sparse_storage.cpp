// The sparse backing store on its own: zeros until written, pages on demand, data intact
// across page boundaries.
#define BOOST_TEST_MODULE memory_sparse_storage
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "memory/sparse_storage.h"

BOOST_AUTO_TEST_SUITE(sparse_storage)

BOOST_AUTO_TEST_CASE(untouched_memory_reads_zero_without_allocating)
{
    ant::sparse_storage s(1ull << 30);
    std::vector<unsigned char> buf(3 * ant::sparse_storage::page_bytes, 0xEE);
    s.read((1ull << 29) - 100, buf.data(), buf.size());
    BOOST_TEST(std::all_of(buf.begin(), buf.end(), [](unsigned char x) { return x == 0; }));
    BOOST_TEST(s.allocated_bytes() == 0u);
}

BOOST_AUTO_TEST_CASE(writes_across_pages_read_back_and_allocate_only_touched_pages)
{
    ant::sparse_storage s(1ull << 30);
    const std::uint64_t page = ant::sparse_storage::page_bytes;
    std::vector<unsigned char> data(page + 10);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<unsigned char>(i % 253 + 1);
    const std::uint64_t at = 5 * page - 5;  // 5 bytes in page 4, page 5, 5 bytes in page 6
    s.write(at, data.data(), data.size());
    BOOST_TEST(s.allocated_bytes() == 3 * page);
    std::vector<unsigned char> back(data.size() + 2);
    s.read(at - 1, back.data(), back.size());
    BOOST_TEST(back.front() == 0);
    BOOST_TEST(back.back() == 0);
    BOOST_TEST(std::equal(data.begin(), data.end(), back.begin() + 1));
    // The page pointer sees the same bytes, and clear() forgets everything.
    BOOST_TEST(s.page(at)[page - 5] == data[0]);
    s.clear();
    BOOST_TEST(s.allocated_bytes() == 0u);
    s.read(at, back.data(), data.size());
    BOOST_TEST(std::all_of(back.begin(), back.begin() + static_cast<long>(data.size()),
                           [](unsigned char x) { return x == 0; }));
}

BOOST_AUTO_TEST_CASE(last_page_of_odd_sized_store_is_short)
{
    ant::sparse_storage s(100'000);
    BOOST_TEST(s.page_start(99'999) == ant::sparse_storage::page_bytes);
    BOOST_TEST(s.page_length(99'999) == 100'000 - ant::sparse_storage::page_bytes);
    BOOST_TEST(s.page_length(0) == ant::sparse_storage::page_bytes);
}

BOOST_AUTO_TEST_SUITE_END()
