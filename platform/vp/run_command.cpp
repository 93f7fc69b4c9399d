#include "run_command.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "ant_accelerator.h"
#include "ant_manifest.h"
#include "atomic_file.h"
#include "config_file.h"
#include "elf_loader.h"
#include "gdb_server.h"
#include "instruction_trace.h"
#include "mmio_tracer.h"
#include "register_names.h"
#include "log_level.h"
#include "npy.h"
#include "options.h"
#include "run_job_stats.h"
#include "tensor_manifest.h"
#include "trap_report.h"
#include "register_file.h"
#include "soc.h"

namespace ant {

namespace po = boost::program_options;

namespace {

struct run_options {
    std::string firmware, config, uart_file, stats, trace_instructions, trace_mmio, timeline;
    bool summary = false;
    int gdb_port = -1;  // -1: no debugger
    bool gdb_wait = false;
    std::vector<std::string> overrides, loads, saves;
};

// Platform keys (docs/platform.md) go to the platform, every other key to the accelerator
// (docs/accelerator_interface.md).
bool is_platform_key(const std::string& key)
{
    for (const char* prefix : {"cpu.", "clint.", "uart.", "sim.", "dram."})
        if (key.rfind(prefix, 0) == 0)
            return true;
    return false;
}

void set_key(platform_config& c, accelerator_config& a, energy_table& e, const std::string& key,
             const nlohmann::json& value)
{
    if (key.rfind("energy.", 0) == 0)
        set_energy_key(e, key.substr(7), value);
    else if (is_platform_key(key))
        set_platform_key(c, key, value);
    else
        set_accelerator_key(a, key, value);
}

void configure(platform_config& c, accelerator_config& a, energy_table& e, const run_options& o,
               const po::variables_map& vm)
{
    if (!o.config.empty()) {
        config_keys keys = read_config_file(o.config);
        // A preset replaces the whole DRAM configuration: apply it before the other keys.
        std::stable_partition(keys.begin(), keys.end(), [](const auto& kv) { return kv.first == "dram.preset"; });
        try {
            for (const auto& [key, value] : keys)
                set_key(c, a, e, key, value);
        } catch (const config_error& err) {
            throw usage_error(o.config + ": " + err.what());
        }
    }
    for (const std::string& kv : o.overrides) {
        const auto [key, value] = parse_override(kv);
        try {
            set_key(c, a, e, key, value);
        } catch (const config_error& err) {
            throw usage_error(std::string("--set: ") + err.what());
        }
    }
    // The dedicated options win over --set and the file; they take the keys' checks and ranges.
    const std::pair<const char*, const char*> limits[] = {{"max-instructions", "sim.max_instructions"},
                                                          {"max-time-ms", "sim.max_time_ms"},
                                                          {"max-wall-s", "sim.max_wall_s"},
                                                          {"quantum-ns", "sim.quantum_ns"}};
    for (const auto& [option, key] : limits) {
        if (!vm.count(option))
            continue;
        try {
            set_platform_key(c, key, vm[option].as<std::string>());
        } catch (const config_error& err) {
            throw usage_error(std::string("--") + option + " (" + err.what() + ")");
        }
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
    case run_end::killed: return run_exit_killed;
    case run_end::wall_limit: return run_exit_wall_limit;
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

// ---- --load / --save: tensors exchanged with the firmware through the job manifest -------

struct tensor_binding {
    std::string name, path;
};

tensor_binding parse_binding(const std::string& option, const std::string& text)
{
    const size_t eq = text.find('=');
    const std::string name = eq == std::string::npos ? "" : text.substr(0, eq);
    bool ok = !name.empty() && name.size() < ANT_MANIFEST_NAME_BYTES && eq + 1 < text.size();
    for (char ch : name)
        ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.');
    if (!ok)
        throw usage_error(option + " '" + text + "' is not name=file.npy (a name of 1 to " +
                          std::to_string(ANT_MANIFEST_NAME_BYTES - 1) + " letters, digits, '_', '-' or '.')");
    return {name, text.substr(eq + 1)};
}

struct input_tensor {
    std::string name, path;
    dense_tensor tensor;
};

std::string hex(std::uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

// Writes the tensors (dense float32, C order, 64-byte aligned from ANT_MANIFEST_DATA_BASE)
// and the manifest at ANT_MANIFEST_ADDRESS into DRAM. Throws usage_error naming the file.
void place_inputs(soc& platform, const std::vector<input_tensor>& inputs)
{
    const std::uint64_t base = platform.config().dram.base;
    const std::uint64_t end = base + platform.config().dram.size_bytes;
    if (ANT_MANIFEST_ADDRESS < base || ANT_MANIFEST_DATA_BASE > end)
        throw usage_error("--load/--save: DRAM " + hex(base) + ".." + hex(end) + " does not hold the job manifest at " +
                          hex(ANT_MANIFEST_ADDRESS) + " (dram.size_bytes must reach past it)");
    ant_manifest m;
    std::memset(&m, 0, sizeof m);
    m.magic = ANT_MANIFEST_MAGIC;
    m.version = ANT_MANIFEST_VERSION;
    std::uint64_t next = ANT_MANIFEST_DATA_BASE;
    for (const input_tensor& in : inputs) {
        const dense_tensor& t = in.tensor;
        if (t.shape.empty() || t.shape.size() > ANT_MANIFEST_MAX_DIMS)
            throw usage_error(in.path + ": " + std::to_string(t.shape.size()) +
                              " dimensions; --load takes 1 to 4");
        const std::uint64_t bytes = std::uint64_t(t.elements()) * sizeof(float);
        if (bytes == 0 || next + bytes > end || bytes > 0xFFFFFFFFull)
            throw usage_error(in.path + ": " + std::to_string(bytes) + " bytes do not fit in DRAM at " + hex(next));
        if (platform.debug_write(next, t.data.data(), bytes) != bytes)
            throw usage_error(in.path + ": cannot write it into DRAM at " + hex(next));
        ant_manifest_tensor& e = m.tensors[m.count++];
        std::strncpy(e.name, in.name.c_str(), ANT_MANIFEST_NAME_BYTES - 1);
        e.address = std::uint32_t(next);
        e.bytes = std::uint32_t(bytes);
        e.ndim = std::uint32_t(t.shape.size());
        for (std::uint32_t d = 0; d < ANT_MANIFEST_MAX_DIMS; ++d)
            e.shape[d] = d < e.ndim ? std::uint32_t(t.shape[d]) : 1u;
        next = (next + bytes + ANT_MANIFEST_ALIGN - 1) / ANT_MANIFEST_ALIGN * ANT_MANIFEST_ALIGN;
    }
    m.inputs = m.count;
    m.scratch_base = std::uint32_t(next);
    m.scratch_end = std::uint32_t(end);  // 0 when DRAM ends at 4 GiB
    if (platform.debug_write(ANT_MANIFEST_ADDRESS, &m, sizeof m) != sizeof m)
        throw usage_error("--load: cannot write the job manifest at " + hex(ANT_MANIFEST_ADDRESS));
}

// Reads the named tensors the firmware published in the manifest as .npy contents, added to
// `files` only when every one is there and well formed. Prints a one-line error and
// returns false for the first that is missing or malformed.
bool collect_outputs(soc& platform, const std::vector<tensor_binding>& saves,
                     std::vector<std::pair<std::string, std::string>>& files)
{
    ant_manifest m;
    std::memset(&m, 0, sizeof m);
    if (platform.debug_read(ANT_MANIFEST_ADDRESS, &m, sizeof m) != sizeof m || m.magic != ANT_MANIFEST_MAGIC) {
        std::cerr << "ant-vp: error: --save: no job manifest in DRAM at " << hex(ANT_MANIFEST_ADDRESS) << "\n";
        return false;
    }
    const std::uint64_t base = platform.config().dram.base;
    const std::uint64_t end = base + platform.config().dram.size_bytes;
    std::vector<std::pair<std::string, std::string>> saved;
    for (const tensor_binding& s : saves) {
        const ant_manifest_tensor* e = find_manifest_entry(m, s.name);
        if (!e) {
            std::cerr << "ant-vp: error: --save " << s.name << ": the firmware published no tensor of that name\n";
            return false;
        }
        std::vector<int64_t> shape;
        std::string why;
        if (!manifest_entry_shape(*e, base, end, shape, why)) {
            std::cerr << "ant-vp: error: --save " << s.name << ": malformed manifest entry (" << why << "; address "
                      << hex(e->address) << ", " << e->bytes << " bytes, " << e->ndim << " dimensions)\n";
            return false;
        }
        dense_tensor t(shape);
        if (platform.debug_read(e->address, t.data.data(), e->bytes) != e->bytes) {
            std::cerr << "ant-vp: error: --save " << s.name << ": cannot read DRAM at " << hex(e->address) << "\n";
            return false;
        }
        saved.emplace_back(s.path, npy_bytes(t));
    }
    files.insert(files.end(), saved.begin(), saved.end());
    return true;
}

}  // namespace

int run_command(int argc, char** argv)
{
    run_options o;
    po::options_description desc(
        "ant-vp run: run RV32 firmware on the virtual platform\n"
        "exit status: the firmware's tohost code (0..63), 2 bad option/configuration, 65 corrupt ELF,\n"
        "66 missing ELF, 67 wrong architecture, 68 ELF does not fit in DRAM, 69 instruction limit,\n"
        "70 fatal simulation error, 71 wfi deadlock, 72 simulated-time limit, 73 trap loop, 74 --save failed,\n"
        "75 killed from the debugger, 76 wall-time limit");
    desc.add_options()
        ("help,h", "show this help")
        ("firmware", po::value(&o.firmware)->required(), "RV32 ELF executable to run")
        ("max-instructions", po::value<std::string>(),
         "stop after N instructions, traps included (exit 69); 0 = no limit")
        ("max-time-ms", po::value<std::string>(), "stop after T ms of simulated time (exit 72); 0 = no limit")
        ("max-wall-s", po::value<std::string>(), "stop after T s of host time (exit 76); 0 = no limit")
        ("quantum-ns", po::value<std::string>(), "temporal-decoupling quantum of the core in ns (default 10000)")
        ("uart-file", po::value(&o.uart_file), "also write the UART output to this file")
        ("config", po::value(&o.config), "configuration JSON file (keys in docs/platform.md)")
        ("set", po::value(&o.overrides)->composing(), "key=value configuration override (repeatable)")
        ("load", po::value(&o.loads)->composing(),
         "name=file.npy: place a float32 tensor in DRAM and list it in the job manifest (repeatable)")
        ("save", po::value(&o.saves)->composing(),
         "name=file.npy: after the firmware exits 0, write the tensor it published as `name` (repeatable)")
        ("stats", po::value(&o.stats), "write statistics JSON here")
        ("summary", po::bool_switch(&o.summary), "print instructions, simulated time and MIPS on stderr")
        ("gdb", po::value(&o.gdb_port),
         "serve GDB on 127.0.0.1:PORT (0: any free port, printed); GDB may connect at any time")
        ("gdb-wait", po::bool_switch(&o.gdb_wait), "with --gdb: wait for GDB, halted before the first instruction")
        ("trace-instructions", po::value(&o.trace_instructions),
         "log every retired instruction and trap to FILE as the run goes (docs/tracing.md)")
        ("trace-mmio", po::value(&o.trace_mmio), "log the accelerator's register accesses to FILE ('-': stderr)")
        ("timeline", po::value(&o.timeline),
         "write a Chrome/Perfetto trace-event timeline (core, jobs, DMA, PE array, DRAM) to FILE");
    add_log_level_option(desc);
    po::variables_map vm;
    if (!parse_command_line(desc, argc, argv, "run", vm))
        return exit_ok;  // --help
    if (o.gdb_wait && !vm.count("gdb"))
        throw usage_error("--gdb-wait needs --gdb PORT");
    if (vm.count("gdb") && (o.gdb_port < 0 || o.gdb_port > 65535))
        throw usage_error("--gdb: " + std::to_string(o.gdb_port) + " is not a TCP port (0..65535)");
    platform_config config;
    accelerator_config acc_config;
    energy_table energy;
    configure(config, acc_config, energy, o, vm);
    std::vector<input_tensor> inputs;
    for (const std::string& text : o.loads) {
        const tensor_binding b = parse_binding("--load", text);
        for (const input_tensor& in : inputs)
            if (in.name == b.name)
                throw usage_error("--load: the name '" + b.name + "' is given twice");
        if (inputs.size() == ANT_MANIFEST_MAX_TENSORS)
            throw usage_error("--load: at most " + std::to_string(ANT_MANIFEST_MAX_TENSORS) + " tensors");
        try {
            inputs.push_back({b.name, b.path, load_npy(b.path)});
        } catch (const npy_error& e) {
            throw usage_error(e.what());
        }
    }
    std::vector<tensor_binding> saves;
    std::vector<std::pair<std::string, std::string>> outputs = {{"--stats", o.stats},
                                                                {"--uart-file", config.uart.file},
                                                                {"--timeline", o.timeline},
                                                                {"--trace-instructions", o.trace_instructions}};
    if (o.trace_mmio != "-")
        outputs.emplace_back("--trace-mmio", o.trace_mmio);
    for (const std::string& text : o.saves) {
        saves.push_back(parse_binding("--save", text));
        outputs.emplace_back("--save " + saves.back().name, saves.back().path);
    }
    try {
        check_output_paths(outputs);
    } catch (const file_error& e) {
        throw usage_error(e.what());
    }

    // sc_stop() ends every run (tohost, limits); the kernel's "stopped by user" note is noise.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    soc platform("soc", config);  // throws config_error naming the key

    // The accelerator in the 0x4000_0000 slot: register file in front, DMA and descriptor
    // reads through the bus, interrupt to MEIP. It addresses the platform's DRAM.
    acc_config.dram_base = config.dram.base;
    acc_config.dram_size = config.dram.size_bytes;
    // One quantum for every initiator: the core's (sim.quantum_ns, --quantum-ns). The
    // accelerator sets the global quantum from its own configuration, which therefore must
    // hold the same value (and --stats reports it).
    acc_config.quantum_ns = config.sim.quantum_ns;
    ant_accelerator accelerator("accelerator", acc_config);
    register_file_config rf_config;
    rf_config.dram_base = config.dram.base;
    rf_config.dram_size = config.dram.size_bytes;
    register_file registers("register_file", accelerator, rf_config);
    // --trace-mmio: a logging hop between the bus and the registers, only when asked for.
    std::FILE* mmio_log = nullptr;
    std::unique_ptr<mmio_tracer> mmio;
    if (!o.trace_mmio.empty()) {
        mmio_log = o.trace_mmio == "-" ? stderr : std::fopen(o.trace_mmio.c_str(), "w");
        if (!mmio_log)
            throw usage_error("--trace-mmio: " + o.trace_mmio + ": " + std::strerror(errno));
        mmio = std::make_unique<mmio_tracer>("mmio_tracer", accelerator_base, accelerator_register_name, mmio_log);
        platform.bind_accelerator(mmio->target);
        mmio->initiator.bind(registers.cfg_target);
    } else {
        platform.bind_accelerator(registers.cfg_target);
    }
    struct log_closer {
        std::FILE*& f;
        ~log_closer()
        {
            if (f && f != stderr)
                std::fclose(f);
        }
    } close_mmio_log{mmio_log};
    registers.irq_out.bind(platform.accelerator_irq);
    registers.desc_initiator.bind(platform.interconnect.bus_target);
    accelerator.dma_initiator.bind(platform.interconnect.bus_target);
    run_job_stats job_stats(accelerator, energy);
    if (!o.stats.empty())
        registers.observe_jobs([&job_stats](uint64_t address, ant_error code, const layer_job* job) {
            job_stats.job_finished(address, code, job);
        });
    if (!inputs.empty() || !saves.empty())
        place_inputs(platform, inputs);

    const firmware_load fw = platform.load_firmware(o.firmware);
    if (fw.status != ELF_LOAD_OK) {
        std::cerr << "ant-vp: error: " << fw.message << "\n";
        return elf_exit_status(fw.status);
    }
    if (!fw.has_tohost)
        std::cerr << "ant-vp: warning: " << o.firmware
                  << " has no tohost symbol; only a limit can end the run\n";

    std::unique_ptr<gdb_server> debugger;
    if (o.gdb_port >= 0) {
        try {
            debugger = std::make_unique<gdb_server>(platform, o.gdb_port, o.gdb_wait);
        } catch (const debug_error& e) {
            throw usage_error("--gdb: " + std::string(e.what()));
        }
        if (!o.gdb_wait)
            std::cerr << "ant-vp: GDB server on 127.0.0.1:" << debugger->port() << "\n";
        debugger->start();
    }
    std::unique_ptr<instruction_trace> itrace;
    if (!o.trace_instructions.empty()) {
        try {
            itrace = std::make_unique<instruction_trace>(o.trace_instructions);
        } catch (const std::runtime_error& e) {
            throw usage_error(std::string("--trace-instructions: ") + e.what());
        }
        platform.core.set_instruction_trace(itrace.get());
    }
    std::unique_ptr<timeline> recorded;
    if (!o.timeline.empty()) {
        recorded = std::make_unique<timeline>();
        platform.core.set_timeline(recorded.get());
        accelerator.set_timeline(recorded.get());
        platform.memory.set_timeline(recorded.get());
    }
    const run_result r = platform.run();
    if (debugger)
        debugger->finished(r);
    platform.core.finish_timeline();
    int status = end_exit_status(r);
    if (r.end != run_end::exited)
        std::cerr << "ant-vp: error: " << o.firmware << ": " << r.message << "\n";
    report_unhandled_trap(platform, r, o.firmware, std::cerr);
    if (itrace && !itrace->finish(r.end == run_end::exited ? "firmware exit code " + std::to_string(r.exit_code)
                                                           : r.message)) {
        std::cerr << "ant-vp: error: --trace-instructions: " << o.trace_instructions << ": writing failed\n";
        status = exit_usage;
    }
    if (mmio_log && std::fflush(mmio_log) != 0) {
        std::cerr << "ant-vp: error: --trace-mmio: " << o.trace_mmio << ": writing failed\n";
        status = exit_usage;
    }
    if (o.summary) {
        char line[256];
        std::snprintf(line, sizeof line,
                      "ant-vp: %llu instructions, %.3f ms simulated, %.3f s host, %.1f MIPS, exit status %d\n",
                      static_cast<unsigned long long>(r.instructions), r.sim_time_ns / 1e6, r.wall_seconds, r.mips(),
                      status);
        std::cerr << line;
    }
    // Every output of the run is committed together: the --save tensors (all or none) and
    // the statistics, which also record a failed --save.
    std::vector<std::pair<std::string, std::string>> files;
    if (!saves.empty()) {
        if (status != 0)
            std::cerr << "ant-vp: warning: firmware exit status " << status << ": --save skipped\n";
        else if (!collect_outputs(platform, saves, files))
            status = run_exit_save_failed;
    }
    if (!o.stats.empty()) {
        nlohmann::json doc = stats_document(platform, r, status);
        doc["accelerator_configuration"] = to_json(acc_config);
        const nlohmann::json per_job = job_stats.to_json();
        doc["jobs"] = per_job["jobs"];
        doc["job_totals"] = per_job["totals"];
        doc["job_units"] = per_job["units"];
        doc["energy_table"] = per_job["energy_table"];
        for (const statistic& st : prefixed("register_file", registers.stats()))
            doc["statistics"][st.name] = {{"value", st.value}, {"unit", st.unit}, {"description", st.description}};
        for (const auto& [block, list] : accelerator.block_stats())
            for (const statistic& st : prefixed("accelerator." + block, list))
                doc["statistics"][st.name] = {{"value", st.value}, {"unit", st.unit}, {"description", st.description}};
        // A file name need not be UTF-8; JSON must be.
        files.emplace_back(o.stats, doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }
    if (recorded)
        files.emplace_back(o.timeline, timeline_document(*recorded));
    try {
        write_files_atomically(files);
    } catch (const file_error& e) {
        std::cerr << "ant-vp: error: " << e.what() << "\n";
        return saves.empty() ? int(exit_usage) : int(run_exit_save_failed);
    }
    return status;
}

}  // namespace ant
