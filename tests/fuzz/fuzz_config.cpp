// libFuzzer target: configuration files and --set overrides (platform/vp/config_file.cpp) and
// every key setter behind them (accelerator, DRAM, energy, platform) with the cross-field
// validation. Rejections are usage_error / config_error; anything else is a finding.
#include <cstdint>
#include <string>

#include "accelerator_config.h"
#include "common/config_error.h"
#include "config_file.h"
#include "options.h"
#include "platform_config.h"

namespace {

void apply(ant::vp_config& vp, ant::platform_config& platform, const std::string& key, const nlohmann::json& v)
{
    try {
        if (key.rfind("dram.", 0) == 0)
            ant::set_dram_key(vp.dram, key.substr(5), v);
        else if (key.rfind("energy.", 0) == 0)
            ant::set_energy_key(vp.energy, key.substr(7), v);
        else
            ant::set_accelerator_key(vp.accelerator, key, v);
    } catch (const ant::config_error&) {
    }
    try {
        ant::set_platform_key(platform, key, v);
    } catch (const ant::config_error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    ant::vp_config vp;
    ant::platform_config platform;
    try {
        for (const auto& [key, value] : ant::parse_config_text(text, "fuzz.json"))
            apply(vp, platform, key, value);
    } catch (const ant::usage_error&) {
    }
    try {
        const auto [key, value] = ant::parse_override(text);
        apply(vp, platform, key, value);
    } catch (const ant::usage_error&) {
    }
    try {
        ant::validate(vp.dram);
        ant::validate(platform);
    } catch (const ant::config_error&) {
    }
    return 0;
}
