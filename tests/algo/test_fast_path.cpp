// The PE array's fast path against the kernels it replaced (dataflow_reference.c): over
// random shapes, strides 1-3, paddings 0-3, every operation, mode, mapping and dataflow
// variant, several passes on one array (kernel streams reused and rebuilt), every counter,
// the exported partial sums and every output bit must be the same.
#define BOOST_TEST_MODULE fast_path
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

#include "dataflow_reference.h"
#include "outer_product.h"

namespace {

struct plane {
    std::vector<uint32_t> row_ptr;
    std::vector<uint16_t> col_idx;
    std::vector<float> val;
    csr_plane p{};

    // store_zeros keeps every element, as a dense array reads the plane.
    plane(std::mt19937& rng, int rows, int cols, double density, bool store_zeros) : row_ptr(rows + 1)
    {
        std::bernoulli_distribution keep(density);
        std::uniform_real_distribution<float> value(-1.5f, 1.5f);
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                const float x = keep(rng) ? value(rng) : 0.0f;
                if (x != 0.0f || store_zeros) {
                    col_idx.push_back(uint16_t(c));
                    val.push_back(x);
                }
            }
            row_ptr[r + 1] = uint32_t(val.size());
        }
        p = csr_plane{uint32_t(rows), uint32_t(cols), uint32_t(val.size()), row_ptr.data(), col_idx.data(),
                      val.data()};
    }
};

// A small layer job: image planes, kernel planes, and passes pairing them as the sequencer
// would (the same kernel planes in consecutive passes, so that streams are reused).
struct job {
    ant_geometry g{};
    ant_mode mode = ANT_MODE_ANT;
    ant_array_params prm{};
    std::vector<std::unique_ptr<plane>> images, kernels;
    std::vector<std::vector<ant_vector>> vecs;
    std::vector<std::vector<ant_window>> wins;
    uint32_t n_outputs = 0;
};

struct outcome {
    ant_counters ctr{};
    uint64_t exported = 0, exported_by_full_scan = 0;
    std::vector<std::vector<float>> outs;
};

ant_geometry random_geometry(std::mt19937& rng, ant_op op)
{
    ant_geometry g;
    char msg[128];
    if (op == ANT_OP_SPMM) {
        while (ant_geometry_spmm(&g, 1 + rng() % 14, 1 + rng() % 14, 1 + rng() % 14, msg, sizeof msg) != 0) {
        }
        return g;
    }
    while (ant_geometry_conv(&g, op, 1 + rng() % 18, 1 + rng() % 18, 1 + rng() % 5, 1 + rng() % 5, 1 + rng() % 3,
                             1 + rng() % 3, rng() % 4, rng() % 4, msg, sizeof msg) != 0) {
    }
    return g;
}

job random_job(std::mt19937& rng, int trial)
{
    job j;
    const ant_op op = ant_op(trial % 5);
    j.g = random_geometry(rng, op);
    j.mode = ant_mode((trial / 5) % 4);
    const bool dense = j.mode == ANT_MODE_DENSE;
    // Banks: mostly a few (the walk's 16-bit counters, by shift when a power of two), at times
    // more than the walk counts that way (its stamped 64-bit counters).
    j.prm = ant_array_params{1 + uint32_t(rng() % 4), 1 + uint32_t(rng() % 4), 1 + uint32_t(rng() % 5),
                             1 + uint32_t(rng() % 5), uint32_t(rng() % 4 == 0 ? 60 + rng() % 80 : 1 + rng() % 9),
                             1 + uint32_t(rng() % 4),
                             1 + uint32_t(rng() % 2), int(rng() % 2), ant_mapping(rng() % 4 == 0),
                             ant_anticipator(rng() % 4 == 0), ant_scnn_packing(rng() % 4 == 0),
                             1 + uint32_t(rng() % 8), uint32_t(rng() % 3), 1 + uint32_t(rng() % 2),
                             ant_scnn_spmm(rng() % 3 == 0)};
    const int n_images = 1 + int(rng() % 3), n_kernels = 1 + int(rng() % 6);
    for (int i = 0; i < n_images; ++i)
        j.images.push_back(std::make_unique<plane>(rng, j.g.stationary[0], j.g.stationary[1],
                                                   0.05 + (rng() % 95) / 100.0, dense));
    for (int k = 0; k < n_kernels; ++k) {
        j.kernels.push_back(std::make_unique<plane>(rng, j.g.broadcast[0], j.g.broadcast[1],
                                                    0.05 + (rng() % 95) / 100.0, dense));
        const csr_plane* p = &j.kernels.back()->p;
        j.vecs.emplace_back(ant_pack_bound(p, j.prm.f, 1));
        j.vecs.back().resize(ant_pack_vectors(p, j.prm.f, 1, j.vecs.back().data()));
        j.wins.emplace_back();
        for (const auto& v : j.vecs.back()) {
            j.wins.back().emplace_back();
            ant_index_window(&j.g, v.row0, v.row1, v.col0, v.col1, &j.wins.back().back());
        }
    }
    j.n_outputs = uint32_t(n_kernels);
    return j;
}

using runner = int (*)(ant_array*, ant_mode, const csr_plane*, const ant_broadcast_job*, uint32_t, ant_counters*);

// Every image plane meets every kernel plane; kernel k accumulates into output k, so the
// outputs sum over the image planes as a BW job's or a sample's outputs do.
outcome run(const job& j, runner fn, uint32_t threads = 1)
{
    outcome o;
    o.outs.assign(j.kernels.size(), std::vector<float>(size_t(j.g.output[0]) * j.g.output[1], 0.0f));
    std::vector<ant_broadcast_job> jobs;
    for (size_t k = 0; k < j.kernels.size(); ++k)
        jobs.push_back(ant_broadcast_job{&j.kernels[k]->p, j.vecs[k].data(), uint32_t(j.vecs[k].size()),
                                         j.wins[k].data(), o.outs[k].data(), uint32_t(k), uint32_t(k),
                                         uint32_t(k + 1)});
    ant_array* a = ant_array_create(&j.prm, &j.g, j.n_outputs);
    BOOST_REQUIRE(a != nullptr);
    BOOST_REQUIRE_EQUAL(ant_array_set_threads(a, threads), 0);
    ant_array_set_min_parallel_work(a, 0);  // spread even these small passes over the threads
    for (const auto& image : j.images) {
        BOOST_REQUIRE_EQUAL(fn(a, j.mode, &image->p, jobs.data(), uint32_t(jobs.size()), &o.ctr), 0);
        // A pass with only the first half of the kernels: the stream must be rebuilt.
        const uint32_t half = uint32_t(jobs.size() + 1) / 2;
        BOOST_REQUIRE_EQUAL(fn(a, j.mode, &image->p, jobs.data(), half, &o.ctr), 0);
        // Reports come between passes too (one per output group); each must count everything.
        BOOST_TEST(ant_array_exported_psums(a) == ant_array_exported_psums_by_full_scan(a));
    }
    o.exported = ant_array_exported_psums(a);
    o.exported_by_full_scan = ant_array_exported_psums_by_full_scan(a);
    ant_array_destroy(a);
    return o;
}

std::string describe(const job& j, int trial)
{
    std::ostringstream s;
    s << "trial " << trial << " op " << ant_op_name(j.g.op) << " mode " << ant_mode_name(j.mode) << " mapping "
      << ant_mapping_name(j.prm.mapping) << " anticipator " << ant_anticipator_name(j.prm.anticipator)
      << " packing " << ant_scnn_packing_name(j.prm.scnn_packing) << " spmm " << ant_scnn_spmm_name(j.prm.scnn_spmm)
      << " stride " << j.g.stride[0] << "x" << j.g.stride[1] << " pad " << j.g.pad[0] << "x" << j.g.pad[1];
    return s.str();
}

#define CHECK_COUNTER(field) BOOST_TEST(fast.ctr.field == ref.ctr.field)

void check_same(const outcome& fast, const outcome& ref)
{
    CHECK_COUNTER(cycles);
    CHECK_COUNTER(compute_cycles);
    CHECK_COUNTER(broadcast_vectors);
    CHECK_COUNTER(vector_pairs);
    CHECK_COUNTER(products_issued);
    CHECK_COUNTER(products_valid);
    CHECK_COUNTER(bank_conflict_cycles);
    CHECK_COUNTER(pe_busy_cycles);
    CHECK_COUNTER(pe_vector_skips);
    CHECK_COUNTER(stationary_reads);
    CHECK_COUNTER(window_rows_searched);
    CHECK_COUNTER(ranges_computed);
    CHECK_COUNTER(kernel_index_reads);
    CHECK_COUNTER(kernel_value_reads);
    CHECK_COUNTER(scan_bound_cycles);
    BOOST_TEST(std::memcmp(&fast.ctr, &ref.ctr, sizeof fast.ctr) == 0);  // no field forgotten above
    BOOST_TEST(fast.exported == ref.exported);
    BOOST_TEST(fast.exported == fast.exported_by_full_scan);  // the incremental count misses nothing
    BOOST_TEST(ref.exported == ref.exported_by_full_scan);
    for (size_t k = 0; k < ref.outs.size(); ++k)
        BOOST_TEST(std::memcmp(fast.outs[k].data(), ref.outs[k].data(), ref.outs[k].size() * sizeof(float)) == 0,
                   "output plane " << k << " differs");
}

}  // namespace

BOOST_AUTO_TEST_CASE(fast_path_gives_the_reference_counters_and_bit_identical_outputs)
{
    std::mt19937 rng(9001);
    int with_products = 0;
    for (int trial = 0; trial < 600; ++trial) {
        const job j = random_job(rng, trial);
        BOOST_TEST_CONTEXT(describe(j, trial))
        {
            const outcome ref = run(j, ant_array_run_reference);
            const outcome fast = run(j, ant_array_run);
            with_products += ref.ctr.products_valid > 0;
            check_same(fast, ref);
        }
    }
    BOOST_TEST(with_products > 500);  // the random jobs do exercise the arithmetic
}

BOOST_AUTO_TEST_CASE(any_thread_count_gives_the_same_counters_and_outputs)
{
    std::mt19937 rng(4242);
    for (int trial = 0; trial < 300; ++trial) {
        const job j = random_job(rng, trial);
        BOOST_TEST_CONTEXT(describe(j, trial))
        {
            const outcome ref = run(j, ant_array_run_reference);
            for (uint32_t threads : {1u, 2u, 3u})
                BOOST_TEST_CONTEXT("threads " << threads) { check_same(run(j, ant_array_run, threads), ref); }
        }
    }
}
