#include "run_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "elf_loader.h"
#include "options.h"
#include "soc.h"

namespace ant {

namespace po = boost::program_options;

namespace {

struct run_options {
    std::string firmware, config, uart_file, stats;
    std::uint64_t max_instructions = 0;
    double max_time_ms = 0, quantum_ns = 0;
    bool summary = false;
    std::vector<std::string> overrides, loads;
};

void apply_json(platform_config& c, const nlohmann::json& j, const std::string& prefix)
{
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (it->is_object())
            apply_json(c, *it, key);
        else
            set_platform_key(c, key, *it);
    }
}

void configure(platform_config& c, const run_options& o, const po::variables_map& vm)
{
    if (!o.config.empty()) {
        std::ifstream in(o.config);
        if (!in)
            throw usage_error(o.config + ": cannot open configuration file");
        nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw usage_error(o.config + ": not a JSON object");
        // A preset replaces the whole DRAM configuration: apply it before the other keys.
        if (j.contains("dram") && j["dram"].is_object() && j["dram"].contains("preset"))
            set_platform_key(c, "dram.preset", j["dram"]["preset"]);
        if (j.contains("dram.preset"))
            set_platform_key(c, "dram.preset", j["dram.preset"]);
        try {
            apply_json(c, j, "");
        } catch (const config_error& e) {
            throw usage_error(o.config + ": " + e.what());
        }
    }
    for (const std::string& kv : o.overrides) {
        const size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw usage_error("--set '" + kv + "' is not key=value");
        const std::string key = kv.substr(0, eq), text = kv.substr(eq + 1);
        nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
        if (value.is_discarded())
            value = text;
        try {
            set_platform_key(c, key, value);
        } catch (const config_error& e) {
            throw usage_error(std::string("--set: ") + e.what());
        }
    }
    // The dedicated options win over --set and the file.
    if (vm.count("max-instructions"))
        c.sim.max_instructions = o.max_instructions;
    if (vm.count("max-time-ms")) {
        if (!(o.max_time_ms >= 0))
            throw usage_error("--max-time-ms must be zero (no limit) or positive");
        c.sim.max_time_ms = o.max_time_ms;
    }
    if (vm.count("quantum-ns")) {
        if (!(o.quantum_ns > 0))
            throw usage_error("--quantum-ns must be positive");
        c.sim.quantum_ns = o.quantum_ns;
    }
    if (vm.count("uart-file"))
        c.uart.file = o.uart_file;
}

int elf_exit_status(int status)
{
    switch (status) {
    case ELF_LOAD_NO_FILE: return run_exit_elf_missing;
    case ELF_LOAD_WRONG_ARCH: return run_exit_elf_wrong_arch;
    case ELF_LOAD_NO_FIT: return run_exit_elf_no_fit;
    default: return run_exit_elf_corrupt;
    }
}

int end_exit_status(const run_result& r)
{
    switch (r.end) {
    case run_end::exited:
        return r.exit_code > run_exit_max_firmware_code ? run_exit_max_firmware_code : static_cast<int>(r.exit_code);
    case run_end::instruction_limit: return run_exit_instruction_limit;
    case run_end::time_limit: return run_exit_time_limit;
    case run_end::deadlock: return run_exit_deadlock;
    case run_end::fault_loop: return run_exit_fault_loop;
    case run_end::fatal: break;
    }
    return run_exit_fatal;
}

nlohmann::json stats_document(const soc& platform, const run_result& r, int status)
{
    nlohmann::json j;
    j["firmware_exit_status"] = status;
    j["wall_clock_s"] = r.wall_seconds;
    j["simulated_time_ns"] = r.sim_time_ns;
    j["mips"] = r.mips();
    j["configuration"] = to_json(platform.config());
    nlohmann::json s = nlohmann::json::object();
    for (const statistic& st : platform.stats())
        s[st.name] = {{"value", st.value}, {"unit", st.unit}, {"description", st.description}};
    j["statistics"] = s;
    return j;
}

}  // namespace

int run_command(int argc, char** argv)
{
    run_options o;
    po::options_description desc(
        "ant-vp run: run RV32 firmware on the virtual platform\n"
        "exit status: the firmware's tohost code (0..63), 2 bad option/configuration, 65 corrupt ELF,\n"
        "66 missing ELF, 67 wrong architecture, 68 ELF does not fit in DRAM, 69 instruction limit,\n"
        "70 fatal simulation error, 71 wfi deadlock, 72 simulated-time limit, 73 trap loop");
    desc.add_options()
        ("help,h", "show this help")
        ("firmware", po::value(&o.firmware)->required(), "RV32 ELF executable to run")
        ("max-instructions", po::value(&o.max_instructions), "stop after N instructions (exit 69); 0 = no limit")
        ("max-time-ms", po::value(&o.max_time_ms), "stop after T ms of simulated time (exit 72); 0 = no limit")
        ("quantum-ns", po::value(&o.quantum_ns), "temporal-decoupling quantum of the core in ns (default 10000)")
        ("uart-file", po::value(&o.uart_file), "also write the UART output to this file")
        ("config", po::value(&o.config), "configuration JSON file (keys in docs/platform.md)")
        ("set", po::value(&o.overrides)->composing(), "key=value configuration override (repeatable)")
        ("load", po::value(&o.loads)->composing(), "name=file.npy: load a tensor for the firmware (not supported yet)")
        ("stats", po::value(&o.stats), "write statistics JSON here")
        ("summary", po::bool_switch(&o.summary), "print instructions, simulated time and MIPS on stderr");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return exit_ok;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(std::string("run: ") + e.what());
    }
    if (!o.loads.empty())
        throw usage_error("run: --load is not supported yet (tensor loading comes with the accelerator bridge)");

    platform_config config;
    configure(config, o, vm);
    // sc_stop() ends every run (tohost, limits); the kernel's "stopped by user" note is noise.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    soc platform("soc", config);  // throws config_error naming the key

    const firmware_load fw = platform.load_firmware(o.firmware);
    if (fw.status != ELF_LOAD_OK) {
        std::cerr << "ant-vp: error: " << fw.message << "\n";
        return elf_exit_status(fw.status);
    }
    if (!fw.has_tohost)
        std::cerr << "ant-vp: warning: " << o.firmware
                  << " has no tohost symbol; only a limit can end the run\n";

    const run_result r = platform.run();
    const int status = end_exit_status(r);
    if (r.end != run_end::exited)
        std::cerr << "ant-vp: error: " << o.firmware << ": " << r.message << "\n";
    if (o.summary) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "ant-vp: %llu instructions, %.3f ms simulated, %.3f s host, %.1f MIPS, exit status %d\n",
                      static_cast<unsigned long long>(r.instructions), r.sim_time_ns / 1e6, r.wall_seconds, r.mips(),
                      status);
        std::cerr << line;
    }
    if (!o.stats.empty()) {
        try {
            write_file_atomically(o.stats, stats_document(platform, r, status).dump(2) + "\n");
        } catch (const file_error& e) {
            throw usage_error(e.what());
        }
    }
    return status;
}

}  // namespace ant
