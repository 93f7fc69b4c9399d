// Configuration API of the DRAM: presets, keys, errors that name the key, JSON record.
#define BOOST_TEST_MODULE memory_dram_config
#include <boost/test/unit_test.hpp>

#include <string>

#include "memory/dram_config.h"

using ant::config_error;
using ant::dram_config;

namespace {

// True if calling f throws config_error whose message contains every needle.
template <typename F>
bool throws_naming(F f, std::initializer_list<std::string> needles)
{
    try {
        f();
    } catch (const config_error& e) {
        const std::string msg = e.what();
        for (const auto& n : needles)
            if (msg.find(n) == std::string::npos) {
                BOOST_TEST_MESSAGE("message \"" << msg << "\" lacks \"" << n << "\"");
                return false;
            }
        return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(presets_have_their_nominal_peak_bandwidth)
{
    BOOST_TEST(ant::dram_peak_bandwidth_gbps(ant::dram_preset("ddr4-3200")) == 25.6,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(ant::dram_peak_bandwidth_gbps(ant::dram_preset("hbm2")) == 256.0,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(ant::dram_peak_bandwidth_gbps(ant::dram_preset("lpddr4-4266")) ==
                   4 * 2 * 4266.666666666667 / 1000.0,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(ant::dram_peak_bandwidth_gbps(ant::dram_preset("scnn-50gbps")) == 50.0);
    for (const auto& name : ant::dram_preset_names())
        BOOST_CHECK_NO_THROW(ant::validate(ant::dram_preset(name)));
}

BOOST_AUTO_TEST_CASE(defaults_are_ddr4_3200_one_gib_at_0x80000000)
{
    dram_config c;
    BOOST_TEST(c.base == 0x8000'0000u);
    BOOST_TEST(c.size_bytes == (1ull << 30));
    BOOST_TEST(ant::to_json(c) == ant::to_json(ant::dram_preset("ddr4-3200")));
    const auto ddr4 = ant::dram_preset("ddr4-3200");
    BOOST_TEST(ddr4.timing.CL == 22u);
    BOOST_TEST(ddr4.timing.tRCD == 22u);
    BOOST_TEST(ddr4.timing.tRP == 22u);
}

BOOST_AUTO_TEST_CASE(unknown_preset_is_a_config_error_listing_presets)
{
    BOOST_TEST(throws_naming([] { ant::dram_preset("ddr9"); },
                             {"dram.preset", "ddr9", "ddr4-3200", "hbm2", "scnn-50gbps"}));
    dram_config c;
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "preset", "ddr9"); },
                             {"dram.preset", "lpddr4-4266"}));
}

BOOST_AUTO_TEST_CASE(unknown_key_is_a_config_error_naming_it)
{
    dram_config c;
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "bandwith_gbps", 10); },
                             {"dram.bandwith_gbps", "unknown key"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.tXYZ", 1); },
                             {"dram.timing.tXYZ"}));
}

BOOST_AUTO_TEST_CASE(zero_or_negative_values_are_config_errors_naming_the_key)
{
    dram_config c;
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "bandwidth_gbps", 0); },
                             {"dram.bandwidth_gbps"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "bandwidth_gbps", -3.5); },
                             {"dram.bandwidth_gbps"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "latency_ns", 0.0); },
                             {"dram.latency_ns"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.tRCD", 0); },
                             {"dram.timing.tRCD"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.tCK_ns", -1.0); },
                             {"dram.timing.tCK_ns"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "channels", 0); }, {"dram.channels"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "size_bytes", 0); },
                             {"dram.size_bytes"}));
    // The failed calls left the configuration untouched.
    BOOST_TEST(ant::to_json(c) == ant::to_json(dram_config{}));
}

BOOST_AUTO_TEST_CASE(wrong_types_are_config_errors_naming_the_key)
{
    dram_config c;
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.CL", "fast"); },
                             {"dram.timing.CL"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.CL", 2.5); }, {"dram.timing.CL"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "model", 3); }, {"dram.model"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "model", "fancy"); }, {"dram.model"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "page_policy", "half"); },
                             {"dram.page_policy"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.refresh", 7); },
                             {"dram.timing.refresh"}));
}

BOOST_AUTO_TEST_CASE(keys_set_values_and_accept_cli_strings)
{
    dram_config c;
    ant::set_dram_key(c, "preset", "hbm2");
    BOOST_TEST(c.channels == 8u);
    ant::set_dram_key(c, "base", "0x40000000");
    BOOST_TEST(c.base == 0x4000'0000u);
    ant::set_dram_key(c, "size_bytes", 1u << 20);
    BOOST_TEST(c.size_bytes == (1u << 20));
    ant::set_dram_key(c, "timing.tRCD", "20");
    BOOST_TEST(c.timing.tRCD == 20u);
    ant::set_dram_key(c, "model", "simple");
    ant::set_dram_key(c, "bandwidth_gbps", "25.6");
    BOOST_TEST(c.bandwidth_gbps == 25.6);
    ant::set_dram_key(c, "page_policy", "closed");
    BOOST_TEST((c.page_policy == ant::dram_page_policy::closed));
    ant::set_dram_key(c, "timing.refresh", false);
    BOOST_TEST(!c.timing.refresh);
}

BOOST_AUTO_TEST_CASE(every_listed_key_is_accepted_and_recorded)
{
    const auto keys = ant::dram_config_keys();
    BOOST_TEST(keys.size() >= 20u);
    const dram_config start = ant::dram_preset("lpddr4-4266");
    const nlohmann::json j = ant::to_json(start);
    // Replaying the JSON record key by key reproduces the configuration.
    dram_config c;
    for (const auto& key : keys) {
        const auto dot = key.find('.');
        const nlohmann::json& v =
            dot == std::string::npos ? j.at(key) : j.at(key.substr(0, dot)).at(key.substr(dot + 1));
        BOOST_CHECK_NO_THROW(ant::set_dram_key(c, key, v));
    }
    BOOST_TEST(ant::to_json(c) == j);
    BOOST_TEST(j.at("derived").at("peak_bandwidth_gbps").get<double>() > 34.0);
}

BOOST_AUTO_TEST_CASE(validate_names_the_inconsistent_key)
{
    dram_config c;
    c.channels = 3;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.channels"}));
    c = dram_config{};
    c.address_mapping = "row:bank:channel:column";
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.address_mapping"}));
    c = dram_config{};
    ant::set_dram_key(c, "bandwidth_gbps", 10.0);  // simple-only key in detailed mode
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.bandwidth_gbps", "simple"}));
    c = dram_config{};
    c.timing.tRFC = c.timing.tREFI;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.timing.tRFC"}));
}

BOOST_AUTO_TEST_CASE(signed_json_integers_are_accepted_when_not_negative)
{
    // nlohmann::json(int) is a signed integer: 2 must be taken, -2 refused.
    dram_config c;
    ant::set_dram_key(c, "ranks", nlohmann::json(int{2}));
    BOOST_TEST(c.ranks == 2u);
    ant::set_dram_key(c, "size_bytes", nlohmann::json(std::int64_t{1} << 31));
    BOOST_TEST(c.size_bytes == (1ull << 31));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "ranks", nlohmann::json(int{-2})); },
                             {"dram.ranks", "non-negative"}));
}

BOOST_AUTO_TEST_CASE(controller_and_bank_group_errors_name_the_key)
{
    dram_config c;
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "queue_depth", 0); },
                             {"dram.queue_depth", "greater than zero"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "scheduler", "random"); },
                             {"dram.scheduler", "frfcfs"}));
    BOOST_TEST(throws_naming([&] { ant::set_dram_key(c, "timing.refresh_mode", "some"); },
                             {"dram.timing.refresh_mode", "per_bank"}));
    c.bankgroups = 3;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.bankgroups", "dividing"}));
    c = dram_config{};
    c.bankgroups = 32;  // more groups than banks
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.bankgroups"}));
    c = dram_config{};
    c.timing.tRAS = c.timing.tRCD - 1;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.timing.tRAS", "tRCD"}));
    c = dram_config{};
    c.timing.tRRD_L = c.timing.tRRD_S - 1;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.timing.tRRD_L"}));
    c = dram_config{};
    c.timing.tCCD_S = 2;  // shorter than a BL8 burst (4 nCK)
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.timing.tCCD_S"}));
    c = dram_config{};
    c.timing.tRTW = 2;  // write data would overlap the read data
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.timing.tRTW"}));
    c = dram_config{};
    c.write_low_watermark = c.write_high_watermark;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.write_low_watermark"}));
    c = dram_config{};
    c.write_high_watermark = c.write_buffer + 1;
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.write_high_watermark"}));
    c = dram_config{};
    c.address_mapping = "row:rank:bank:bankgroup:column:bankgroup:channel";
    BOOST_TEST(throws_naming([&] { ant::validate(c); }, {"dram.address_mapping"}));
    // Writes not posted: the watermarks do not matter.
    c = dram_config{};
    c.write_buffer = 0;
    BOOST_CHECK_NO_THROW(ant::validate(c));
}

BOOST_AUTO_TEST_SUITE_END()
