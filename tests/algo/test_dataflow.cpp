#define BOOST_TEST_MODULE dataflow
#include <boost/test/unit_test.hpp>

#include <set>
#include <tuple>

#include "dataflow.h"

namespace {

using triple = std::tuple<uint32_t, uint32_t, uint32_t>;  // image, kernel, output plane

// Every (image, kernel, output) plane triple the op's math needs, from its definition.
std::multiset<triple> expected_triples(ant_op op, uint32_t n, uint32_t c, uint32_t k)
{
    std::multiset<triple> t;
    for (uint32_t s = 0; s < n; ++s)
        for (uint32_t ch = 0; ch < c; ++ch)
            for (uint32_t kk = 0; kk < k; ++kk) {
                if (op == ANT_OP_FW)  // O[n][k] += W[k][c] * A[n][c]
                    t.insert({s * c + ch, kk * c + ch, s * k + kk});
                else if (op == ANT_OP_BD)  // dA[n][c] += W[k][c] * dO[n][k]
                    t.insert({s * k + kk, kk * c + ch, s * c + ch});
                else  // dW[k][c] += dO[n][k] * A[n][c]
                    t.insert({s * c + ch, s * k + kk, kk * c + ch});
            }
    return t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(plan_meets_every_plane_triple_of_the_op_exactly_once)
{
    for (ant_op op : {ANT_OP_FW, ANT_OP_BD, ANT_OP_BW})
        for (auto [n, c, k] : {std::tuple{1u, 1u, 1u}, {2u, 3u, 5u}, {3u, 4u, 2u}}) {
            ant_plan plan;
            BOOST_REQUIRE_EQUAL(ant_plan_job(op, n, c, k, &plan), 0);
            std::multiset<triple> got;
            std::set<uint32_t> completed;
            for (uint32_t si = 0; si < plan.n_sets; ++si) {
                const ant_drain_set& set = plan.sets[si];
                std::set<uint32_t> outputs(plan.outputs + set.first_output,
                                           plan.outputs + set.first_output + set.n_outputs);
                for (uint32_t p = set.first_pass; p < set.first_pass + set.n_passes; ++p)
                    for (uint32_t q = 0; q < plan.passes[p].n_pairs; ++q) {
                        const ant_pair& pair = plan.pairs[plan.passes[p].first_pair + q];
                        got.insert({plan.passes[p].image_plane, pair.kernel_plane, pair.output_plane});
                        // A drain set's passes only write the outputs it drains.
                        BOOST_TEST(outputs.count(pair.output_plane) == 1u);
                    }
                for (uint32_t o : outputs)
                    BOOST_TEST(completed.insert(o).second);  // each output drained once
            }
            BOOST_TEST((got == expected_triples(op, n, c, k)));
            ant_plan_free(&plan);
        }
}

BOOST_AUTO_TEST_CASE(modes_and_variants_name_their_dataflow)
{
    BOOST_TEST(ant_dataflow_of(ANT_MODE_ANT, ANT_MAPPING_PLANAR, ANT_ANTICIPATOR_PE, ANT_SCNN_CROSS_CHANNEL) ==
               ANT_DATAFLOW_ANT_PE);
    BOOST_TEST(ant_dataflow_of(ANT_MODE_SCNN, ANT_MAPPING_PLANAR, ANT_ANTICIPATOR_PE, ANT_SCNN_CROSS_CHANNEL) ==
               ANT_DATAFLOW_SCNN_PLUS);
    BOOST_TEST(ant_dataflow_of(ANT_MODE_ANT, ANT_MAPPING_PLANAR, ANT_ANTICIPATOR_BROADCAST, ANT_SCNN_CROSS_CHANNEL) ==
               ANT_DATAFLOW_ANT_BROADCAST);
    BOOST_TEST(ant_dataflow_of(ANT_MODE_SCNN, ANT_MAPPING_CHANNEL, ANT_ANTICIPATOR_PE, ANT_SCNN_CROSS_CHANNEL) ==
               ANT_DATAFLOW_CHANNEL);
    BOOST_TEST(!ant_dataflow_packs_vectors(ANT_DATAFLOW_ANT_PE));
    BOOST_TEST(ant_dataflow_packs_vectors(ANT_DATAFLOW_ANT_BROADCAST));
    BOOST_TEST(ant_dataflow_uses_range_calculator(ANT_DATAFLOW_ANT_BROADCAST));
    BOOST_TEST(!ant_dataflow_uses_range_calculator(ANT_DATAFLOW_SCNN_PLUS));
}
