#include "soc.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "common/main_stack.h"
#include "elf_loader.h"

namespace ant {

namespace {

const platform_config& validated(const platform_config& c)
{
    validate(c);
    return c;
}

std::string hex32(std::uint64_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08" PRIx64, v);
    return buf;
}

// elf_write_fn into DRAM through the soc's debug transport. Zero fill is skipped: the DRAM
// is fresh when firmware is loaded and reads zero where nothing was written.
struct load_context {
    soc* platform;
    std::uint64_t dram_base, dram_size;
};

int write_segment(void* ctx, std::uint32_t addr, const void* data, std::uint32_t size)
{
    auto* c = static_cast<load_context*>(ctx);
    if (addr < c->dram_base || addr - c->dram_base > c->dram_size || size > c->dram_size - (addr - c->dram_base))
        return -1;
    if (!data || size == 0)
        return 0;
    return c->platform->debug_write(addr, data, size) == size ? 0 : -1;
}

std::string ms(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

soc::soc(const sc_core::sc_module_name& name, const platform_config& config)
    : sc_core::sc_module(name),
      cfg_(validated(config)),
      core("core", cfg_.cpu, reset_pc, clint_base + clint::mtime_offset),
      interconnect("interconnect", cfg_.dram.base, cfg_.dram.size_bytes),
      timer("timer", cfg_.clint),
      console("console", cfg_.uart),
      memory("memory", cfg_.dram),
      accelerator_irq("accelerator_irq"),
      debug_initiator("debug_initiator"),
      timer_irq_("timer_irq"),
      software_irq_("software_irq")
{
    core.mem_initiator.bind(interconnect.bus_target);
    debug_initiator.bind(interconnect.bus_target);
    interconnect.clint_initiator.bind(timer.reg_target);
    interconnect.uart_initiator.bind(console.reg_target);
    interconnect.dram_initiator.bind(memory.mem_target);
    timer.timer_irq.bind(timer_irq_);
    timer.software_irq.bind(software_irq_);
    core.timer_irq.bind(timer_irq_);
    core.software_irq.bind(software_irq_);
    core.external_irq.bind(accelerator_irq);
    core.set_max_instructions(cfg_.sim.max_instructions);
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(cfg_.sim.quantum_ns, sc_core::SC_NS));
}

void soc::finish_elaboration()
{
    // Ports are usable only once elaboration is complete; time 0 runs nothing of the core,
    // which waits for start().
    if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) {
        main_stack_guard guard;
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

std::size_t soc::debug(tlm::tlm_command cmd, std::uint64_t address, unsigned char* data, std::size_t size)
{
    finish_elaboration();
    std::size_t done = 0;
    while (done < size) {
        const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 20));
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(address + done);
        gp.set_data_ptr(data + done);
        gp.set_data_length(chunk);
        gp.set_streaming_width(chunk);
        const unsigned n = debug_initiator->transport_dbg(gp);
        done += n;
        if (n < chunk)
            break;
    }
    return done;
}

std::size_t soc::debug_write(std::uint64_t address, const void* data, std::size_t size)
{
    // transport_dbg does not modify the data of a write.
    return debug(tlm::TLM_WRITE_COMMAND, address, static_cast<unsigned char*>(const_cast<void*>(data)), size);
}

std::size_t soc::debug_read(std::uint64_t address, void* data, std::size_t size)
{
    return debug(tlm::TLM_READ_COMMAND, address, static_cast<unsigned char*>(data), size);
}

firmware_load soc::load_firmware(const std::string& path)
{
    finish_elaboration();
    firmware_load r;
    load_context ctx{this, cfg_.dram.base, cfg_.dram.size_bytes};
    elf_image_info_t info{};
    char msg[512] = "";
    r.status = elf_load(path.c_str(), &write_segment, &ctx, &info, msg, sizeof msg);
    r.message = msg;
    if (r.status != ELF_LOAD_OK)
        return r;
    r.entry = info.entry;
    r.has_tohost = info.has_tohost != 0;
    r.tohost = info.tohost;
    core.set_pc(info.entry);
    iss_invalidate_code(core.core(), 0, 0xFFFF'FFFFu);
    if (r.has_tohost) {
        tohost_ = info.tohost;
        core.watch_stores(info.tohost, [this](std::uint32_t a, std::uint32_t v) { return on_tohost(a, v); });
    }
    return r;
}

bool soc::on_tohost(std::uint32_t address, std::uint32_t value)
{
    // HTIF: only the low word matters on RV32; 0 means "nothing", odd values exit.
    if (address != tohost_ || value == 0)
        return false;
    if ((value & 1u) == 0) {
        tohost_error_ = "unsupported HTIF command " + hex32(value) + " written to tohost (only exit, value (code << 1) | 1, is supported)";
        return true;
    }
    exited_ = true;
    exit_code_ = value >> 1;
    return true;
}

run_result soc::run()
{
    finish_elaboration();
    run_result r;
    const auto t0 = std::chrono::steady_clock::now();
    core.set_wall_limit(cfg_.sim.max_wall_s);
    core.start();
    try {
        main_stack_guard guard;
        if (cfg_.sim.max_time_ms > 0)
            sc_core::sc_start(sc_core::sc_time(cfg_.sim.max_time_ms, sc_core::SC_MS), sc_core::SC_EXIT_ON_STARVATION);
        else
            sc_core::sc_start();
    } catch (const sc_core::sc_report& e) {
        r.message = std::string("simulation error: ") + e.what();
    } catch (const std::exception& e) {
        r.message = std::string("simulation error: ") + e.what();
    }
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    console.flush();
    r.instructions = core.retired();
    r.sim_time_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    const std::string at = " (pc " + hex32(core.pc()) + ", " + std::to_string(r.instructions) + " instructions, " +
                           ms(r.sim_time_ns / 1e6) + " ms simulated)";
    if (!r.message.empty()) {
        r.end = run_end::fatal;
        return r;
    }
    if (exited_) {
        r.end = run_end::exited;
        r.exit_code = exit_code_;
        return r;
    }
    if (!tohost_error_.empty()) {
        r.end = run_end::fatal;
        r.message = tohost_error_;
        return r;
    }
    switch (core.current_state()) {
    case riscv_cpu::state::instruction_limit:
        r.end = run_end::instruction_limit;
        r.message = "instruction limit of " + std::to_string(cfg_.sim.max_instructions) +
                    " reached without a tohost write (traps count as instructions)" + at;
        return r;
    case riscv_cpu::state::fault_loop:
        r.end = run_end::fault_loop;
        r.message = core.fatal_message() + at;
        return r;
    case riscv_cpu::state::wall_limit:
        r.end = run_end::wall_limit;
        r.message = "wall-time limit of " + ms(cfg_.sim.max_wall_s) + " s reached without a tohost write" + at;
        return r;
    case riscv_cpu::state::fatal:
        r.end = run_end::fatal;
        r.message = core.fatal_message() + at;
        return r;
    case riscv_cpu::state::killed:
        r.end = run_end::killed;
        r.message = "killed by the debugger" + at;
        return r;
    default: break;
    }
    if (cfg_.sim.max_time_ms > 0 && sc_core::sc_pending_activity()) {
        r.end = run_end::time_limit;
        r.message = "simulated-time limit of " + ms(cfg_.sim.max_time_ms) +
                    " ms reached without a tohost write" + at;
        return r;
    }
    if (core.current_state() == riscv_cpu::state::asleep) {
        std::uint32_t mie = 0;
        iss_get_csr(core.core(), 0x304, &mie);
        r.end = run_end::deadlock;
        r.message = "wfi with no interrupt that can wake the core (mie " + hex32(mie) + ")" + at;
        return r;
    }
    r.end = run_end::fatal;
    r.message = "the simulation stopped without a tohost write" + at;
    return r;
}

statistics soc::stats() const
{
    statistics all = prefixed("core", core.stats());
    for (auto& s : prefixed("memory", memory.stats()))
        all.push_back(s);
    all.push_back({"interconnect.address_errors", static_cast<double>(interconnect.address_errors()), "transactions",
                   "accesses to unmapped addresses (answered TLM_ADDRESS_ERROR_RESPONSE)"});
    all.push_back({"console.bytes", static_cast<double>(console.bytes_sent()), "bytes", "bytes sent by the UART"});
    return all;
}

}  // namespace ant
