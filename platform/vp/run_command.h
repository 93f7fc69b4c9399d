// `ant-vp run`: runs RV32 firmware on the virtual platform (platform/soc) and returns the
// firmware's exit code, or one of the codes below. See docs/platform.md.
#pragma once

namespace ant {

// Exit statuses of `ant-vp run` besides the firmware's own code (0..63, larger codes are
// clamped to 63) and 2 for a bad command line or configuration (ant::exit_usage).
enum run_exit_status {
    run_exit_max_firmware_code = 63,
    run_exit_elf_corrupt = 65,        // not an ELF file, or a corrupt one
    run_exit_elf_missing = 66,        // the ELF file is missing or unreadable
    run_exit_elf_wrong_arch = 67,     // not a 32-bit little-endian RISC-V executable
    run_exit_elf_no_fit = 68,         // a segment lies outside DRAM
    run_exit_instruction_limit = 69,  // --max-instructions reached without a tohost write
    run_exit_fatal = 70,              // unsupported tohost command, simulation error
    run_exit_deadlock = 71,           // wfi with no interrupt that can ever wake the core
    run_exit_time_limit = 72,         // --max-time-ms of simulated time reached
    run_exit_fault_loop = 73,         // the trap vector itself faults (unmapped, or its instruction traps)
    run_exit_save_failed = 74,        // a --save tensor is missing, malformed or unreadable
    run_exit_killed = 75,             // the debugger (--gdb) killed the run
    run_exit_wall_limit = 76          // --max-wall-s of host time reached
};

int run_command(int argc, char** argv);

}  // namespace ant
