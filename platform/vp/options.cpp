#include "options.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "common/config_error.h"

namespace ant {

bool parse_command_line(const boost::program_options::options_description& desc, int argc, char** argv,
                        const std::string& command, boost::program_options::variables_map& vm)
{
    namespace po = boost::program_options;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(command + ": " + e.what());
    }
    return true;
}

std::pair<int32_t, int32_t> parse_pair(const std::string& text, const std::string& what)
{
    auto number = [&](const std::string& s) {
        size_t used = 0;
        long v = -1;
        try {
            v = std::stol(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || s.empty() || v < 0 || v > 1000000)
            throw usage_error(what + " '" + text + "' is not a number or NxM pair of numbers");
        return int32_t(v);
    };
    const size_t x = text.find('x');
    if (x == std::string::npos) {
        const int32_t v = number(text);
        return {v, v};
    }
    return {number(text.substr(0, x)), number(text.substr(x + 1))};
}

namespace {
void set_key(vp_config& config, const std::string& key, const nlohmann::json& value)
{
    if (key.rfind("dram.", 0) == 0)
        set_dram_key(config.dram, key.substr(5), value);
    else if (key.rfind("energy.", 0) == 0)
        set_energy_key(config.energy, key.substr(7), value);
    else
        set_accelerator_key(config.accelerator, key, value);
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::pair<std::string, nlohmann::json>>& out)
{
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it->is_object())
            flatten(*it, key, out);
        else
            out.emplace_back(key, *it);
    }
}

// A preset replaces the whole DRAM configuration, so it goes first.
void apply_keys(vp_config& config, std::vector<std::pair<std::string, nlohmann::json>> keys)
{
    std::stable_partition(keys.begin(), keys.end(), [](const auto& kv) { return kv.first == "dram.preset"; });
    for (const auto& [key, value] : keys)
        set_key(config, key, value);
}
}  // namespace

void apply_config(vp_config& config, const std::string& file, const std::vector<std::string>& overrides)
{
    if (!file.empty()) {
        std::ifstream in(file);
        if (!in)
            throw usage_error(file + ": cannot open configuration file");
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            throw usage_error(file + ": not valid JSON (" + std::string(e.what()) + ")");
        }
        if (!j.is_object())
            throw usage_error(file + ": the configuration must be a JSON object");
        try {
            std::vector<std::pair<std::string, nlohmann::json>> keys;
            flatten(j, "", keys);
            apply_keys(config, keys);
        } catch (const config_error& e) {
            throw usage_error(file + ": " + e.what());
        }
    }
    std::vector<std::pair<std::string, nlohmann::json>> keys;
    for (const std::string& kv : overrides) {
        const size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw usage_error("--set '" + kv + "' is not key=value");
        const std::string key = kv.substr(0, eq), text = kv.substr(eq + 1);
        nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
        if (value.is_discarded())
            value = text;
        keys.emplace_back(key, value);
    }
    try {
        apply_keys(config, keys);
        validate(config.dram);
    } catch (const config_error& e) {
        throw usage_error(std::string("--set: ") + e.what());
    }
    config.accelerator.dram_base = config.dram.base;
    config.accelerator.dram_size = config.dram.size_bytes;
}

}  // namespace ant
