#include "options.h"

#include <algorithm>
#include <iostream>

#include "common/config_error.h"
#include "config_file.h"

namespace ant {

bool parse_command_line(const boost::program_options::options_description& desc, int argc, char** argv,
                        const std::string& command, boost::program_options::variables_map& vm)
{
    namespace po = boost::program_options;
    try {
        const po::parsed_options parsed = po::command_line_parser(argc, argv).options(desc).run();
        // Every argument of these commands is an option: a stray word is a mistake (a
        // forgotten option name, a shell quoting slip), not something to ignore.
        const std::vector<std::string> stray = po::collect_unrecognized(parsed.options, po::include_positional);
        if (!stray.empty())
            throw usage_error(command + ": unexpected argument '" + stray.front() + "' (every argument is an --option)");
        po::store(parsed, vm);
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
        // 65535: the largest plane, kernel, stride or padding a job descriptor can carry.
        if (used != s.size() || s.empty() || v < 0 || v > 65535)
            throw usage_error(what + " '" + text + "' is not a number from 0 to 65535 or an NxM pair of them");
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
        const config_keys keys = read_config_file(file);
        try {
            apply_keys(config, keys);
        } catch (const config_error& e) {
            throw usage_error(file + ": " + e.what());
        }
    }
    std::vector<std::pair<std::string, nlohmann::json>> keys;
    for (const std::string& kv : overrides)
        keys.push_back(parse_override(kv));
    try {
        apply_keys(config, keys);
    } catch (const config_error& e) {
        throw usage_error(std::string("--set: ") + e.what());
    }
    // The relations between keys (JEDEC timings, bank groups) are checked once all are set;
    // the offending key may come from the file or from --set, and the message names it.
    try {
        validate(config.dram);
    } catch (const config_error& e) {
        throw usage_error(e.what());
    }
    config.accelerator.dram_base = config.dram.base;
    config.accelerator.dram_size = config.dram.size_bytes;
}

std::string timeline_document(const timeline& t)
{
    if (t.dropped())
        std::cerr << "ant-vp: warning: --timeline: " << t.dropped()
                  << " slices and counter samples beyond the budget were left out (every job is there)\n";
    return t.json();
}

}  // namespace ant
