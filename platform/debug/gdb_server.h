// ant::gdb_server — a GDB remote-protocol server for the platform's RISC-V core (`ant-vp run
// --gdb PORT [--gdb-wait]`, docs/platform.md). It is the core's core_debugger: between slices
// it looks (at most every few milliseconds of host time) for a connecting client or a Ctrl-C,
// and while the core is halted it serves the client inside the core's thread, so simulated
// time stands still. Registers are the ISS's; memory goes through the bus's debug transport
// (DRAM, the CLINT, the UART and the accelerator's registers alike). Software breakpoints are
// ebreak instructions written into memory, hardware breakpoints and watchpoints are the
// core's debug triggers (tselect/tdata1/tdata2), claimed from those the firmware leaves free.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "riscv_cpu.h"
#include "rsp_channel.h"
#include "soc.h"

namespace ant {

class gdb_server : public core_debugger {
public:
    // Listens on 127.0.0.1:port (0: any free port). Throws debug_error. With wait_for_client
    // the core halts before its first instruction until a client connects and resumes it.
    gdb_server(soc& platform, int port, bool wait_for_client);

    int port() const { return channel_.port(); }
    // Before the run: attaches to the core; with wait_for_client, blocks until GDB connects.
    void start();
    // After the run: tells a connected client how the program ended, then disconnects.
    void finished(const run_result& result);

    bool halt_requested() override;
    resume halted(const halt_event& event) override;

private:
    struct sw_breakpoint {
        unsigned kind;          // 2 (c.ebreak) or 4 (ebreak)
        std::uint8_t saved[4];  // the instruction bytes it replaced
    };
    struct hw_trigger {
        char type;              // '1' breakpoint, '2' write, '3' read, '4' access watchpoint
        std::uint32_t address, length;
        unsigned index;         // trigger number in the core
    };
    enum class action { none, resume_run, resume_step, kill };

    action handle(const std::string& packet);
    std::string stop_reply(const halt_event& event) const;
    std::string read_registers() const;
    bool write_registers(const std::string& hex);
    bool read_register(unsigned regnum, std::uint32_t& value) const;
    bool write_register(unsigned regnum, std::uint32_t value);
    std::string read_memory(const std::string& args);
    std::string write_memory(const std::string& args);
    std::string insert_point(const std::string& args);
    std::string remove_point(const std::string& args);
    std::string features(const std::string& args) const;
    void attach();
    void detach(const std::string& why);

    soc& platform_;
    iss_core_t* core_;
    rsp_channel channel_;
    bool wait_for_client_;
    bool attach_pending_ = false;   // a client connected: halt and serve it
    bool waiting_for_stop_ = false; // the client resumed and expects a stop reply
    std::string last_stop_ = "S05";
    std::map<std::uint32_t, sw_breakpoint> breakpoints_;
    std::vector<hw_trigger> triggers_;
    std::chrono::steady_clock::time_point next_poll_{};
};

}  // namespace ant
