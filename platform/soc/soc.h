// ant::soc — the virtual platform's top: RISC-V core, bus, CLINT, UART, DRAM, the (empty)
// accelerator slot and the interrupt wiring, plus the HTIF `tohost` exit convention and the
// run limits.
//
//   core.mem_initiator -> interconnect.bus_target
//   interconnect.clint_initiator -> timer.reg_target        (0x0200_0000)
//   interconnect.uart_initiator  -> console.reg_target      (0x1000_0000)
//   interconnect.accel_initiator -> (unbound: address hole)  (0x4000_0000)
//   interconnect.dram_initiator  -> memory.mem_target       (dram.base, 0x8000_0000)
//   timer.timer_irq -> core.timer_irq, timer.software_irq -> core.software_irq,
//   accelerator_irq (a signal anyone may drive) -> core.external_irq (MEIP)
//
// Use: construct, optionally bind an accelerator (bind_accelerator, accelerator_irq, and
// interconnect.bus_target for its DMA), load_firmware, then run() once (SystemC elaborates
// once per process).
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "bus.h"
#include "clint.h"
#include "common/statistics.h"
#include "memory/dram.h"
#include "platform_config.h"
#include "riscv_cpu.h"
#include "uart.h"

namespace ant {

// How a run ended; run_command maps it to the exit status.
enum class run_end {
    exited,             // the firmware wrote tohost: exit_code holds its code
    instruction_limit,  // sim.max_instructions steps (instructions + traps) without a tohost write
    time_limit,         // sim.max_time_ms of simulated time passed without a tohost write
    deadlock,           // wfi with nothing left that could wake the core
    fault_loop,         // the trap vector itself faults (unmapped, or its instruction traps)
    wall_limit,         // sim.max_wall_s of host time passed without a tohost write
    fatal,              // unsupported tohost command, SystemC error, core failure
    killed              // the debugger ended the run
};

struct run_result {
    run_end end = run_end::fatal;
    std::uint32_t exit_code = 0;  // valid when end == exited
    std::string message;          // one line for the user when end != exited
    std::uint64_t instructions = 0;
    double sim_time_ns = 0;
    double wall_seconds = 0;      // host time inside sc_start
    double mips() const { return wall_seconds > 0 ? static_cast<double>(instructions) / wall_seconds / 1e6 : 0; }
};

// Result of loading an ELF; status values are those of elf_loader.h.
struct firmware_load {
    int status = 0;  // elf_load_status_t
    std::string message;
    std::uint32_t entry = 0;
    bool has_tohost = false;
    std::uint32_t tohost = 0;
};

class soc : public sc_core::sc_module {
    platform_config cfg_;  // first: the blocks below are built from it

public:
    // Validates the configuration (throws config_error naming the key), opens uart.file.
    soc(const sc_core::sc_module_name& name, const platform_config& config);

    riscv_cpu core;
    bus interconnect;
    clint timer;
    uart console;
    dram memory;
    sc_core::sc_signal<bool> accelerator_irq;  // drive it (or bind an sc_out to it) for MEIP

    // Binds the accelerator's register target socket to the 0x4000_0000 window (64 KiB; it
    // receives addresses relative to 0x4000_0000). Call during elaboration, at most once.
    template <typename TargetSocket>
    void bind_accelerator(TargetSocket& reg_target) { interconnect.accel_initiator.bind(reg_target); }

    // Host-side access to memory (DRAM or any mapped target) through the bus's debug
    // transport: no time, no side effects in DRAM's counters. Usable before sc_start.
    // Return the number of bytes moved (short at the end of a region, 0 in a hole).
    std::size_t debug_write(std::uint64_t address, const void* data, std::size_t size);
    std::size_t debug_read(std::uint64_t address, void* data, std::size_t size);

    // Loads an RV32 ELF into DRAM, points the core at its entry and watches its tohost.
    firmware_load load_firmware(const std::string& path);

    // Runs until tohost, a limit, deadlock or a fatal error. Call once.
    run_result run();

    const platform_config& config() const { return cfg_; }
    statistics stats() const;

private:
    bool on_tohost(std::uint32_t address, std::uint32_t value);
    std::size_t debug(tlm::tlm_command cmd, std::uint64_t address, unsigned char* data, std::size_t size);

    void finish_elaboration();

    tlm_utils::simple_initiator_socket<soc> debug_initiator;  // host-side loads (transport_dbg)
    sc_core::sc_signal<bool> timer_irq_, software_irq_;
    std::uint32_t tohost_ = 0;
    bool exited_ = false;
    std::uint32_t exit_code_ = 0;
    std::string tohost_error_;
};

}  // namespace ant
