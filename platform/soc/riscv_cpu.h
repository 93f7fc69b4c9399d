// ant::riscv_cpu — the SystemC wrapper around the C11 ISS core (platform/iss).
//
// One SC_THREAD runs the core in slices of at most one quantum (tlm_utils::tlm_quantumkeeper,
// the global quantum): iss_run executes up to the instructions that fit, then the step count
// (retired instructions plus traps taken) becomes local time (cpi cycles of clock_mhz each)
// and the keeper syncs when the quantum is used up. Memory:
//  * DMI: the first successful TLM access to a DMI-capable target (DRAM) asks for a DMI
//    pointer; ant::dram grants 64 KiB pages and the core holds at most ISS_MAX_DMI regions,
//    so pages are kept in least-recently-granted order and the oldest is dropped on a miss.
//    invalidate_direct_mem_ptr is honoured. A watched address (tohost) is kept out of DMI.
//  * Everything else goes through mem_initiator as a b_transport with the core's local time
//    as delay; whatever the target adds is charged to the core. An error response becomes a
//    precise access-fault trap. After a store to a target without DMI (MMIO) the core syncs,
//    so an interrupt the store causes (msip, an accelerator doorbell) is seen immediately.
//  * Interrupt lines are sampled at every slice start; an interrupt raised while the core
//    runs ahead is therefore taken at the next sync (at most one quantum late).
//  * wfi syncs and waits on the interrupt lines' events: an idle core costs no host time.
//  * A debugger (core_debugger, e.g. platform/debug's GDB server) is asked between slices
//    whether to halt, and serves its client inside this thread while the core is halted, so
//    simulated time stands still and every other model keeps its state. Without one the
//    slice loop pays a single pointer test.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "common/statistics.h"
#include "common/timeline.h"
#include "instruction_trace.h"
#include "iss.h"
#include "platform_config.h"

namespace ant {

// A debugger attached to the core. Called only from the core's thread.
class core_debugger {
public:
    enum class resume { run, step, kill };
    struct halt_event {
        bool requested = false;  // the debugger asked (attach, interrupt) rather than the core
        bool stepped = false;    // a single step completed
        iss_halt_t core{};       // ebreak or trigger (cause ISS_HALT_NONE otherwise)
    };
    virtual ~core_debugger() = default;
    // Between slices while the core runs or sleeps in wfi; must be cheap.
    virtual bool halt_requested() = 0;
    // The core is halted: serve the client until it lets the core go.
    virtual resume halted(const halt_event& event) = 0;
};

class riscv_cpu : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(riscv_cpu);
    tlm_utils::simple_initiator_socket<riscv_cpu> mem_initiator;
    sc_core::sc_in<bool> timer_irq;     // MTIP, from the CLINT
    sc_core::sc_in<bool> software_irq;  // MSIP, from the CLINT
    sc_core::sc_in<bool> external_irq;  // MEIP, e.g. the accelerator's interrupt line

    // Why the core stopped; `running` while it has not.
    enum class state { running, stopped_by_host, instruction_limit, fatal, fault_loop, asleep, killed, wall_limit };

    // mtime_address: where the time/timeh CSRs read mtime (8 bytes) through mem_initiator.
    riscv_cpu(const sc_core::sc_module_name& name, const cpu_config& config, std::uint32_t start_pc,
              std::uint32_t mtime_address);
    ~riscv_cpu() override;
    riscv_cpu(const riscv_cpu&) = delete;
    riscv_cpu& operator=(const riscv_cpu&) = delete;

    // Before start(): where execution begins.
    void set_pc(std::uint32_t pc);
    // The core does nothing until started (so memory can be loaded after elaboration).
    void start() { start_.notify(sc_core::SC_ZERO_TIME); }
    // Before start(): a debugger to serve (nullptr: none). While one is attached, wfi also
    // wakes once a quantum to ask it, so a deadlock is no longer detected (the debugger can
    // interrupt the sleeping core instead).
    void attach_debugger(core_debugger* debugger) { debugger_ = debugger; }
    // Before start(): where to log retired instructions and traps (nullptr: nowhere), and a
    // timeline to show the core's state on (running / wfi / trap handler). Either one makes
    // the core run the ISS's traced loop; with neither it pays nothing.
    void set_instruction_trace(instruction_trace* trace);
    void set_timeline(timeline* t);
    // After the run: closes the state slice still open on the timeline.
    void finish_timeline();
    // 0 = no limit. Reaching it stops the simulation (sc_stop) with state instruction_limit.
    // Steps count: retired instructions and traps taken, so a core that only traps stops too.
    void set_max_instructions(std::uint64_t n) { max_instructions_ = n; }
    // Host seconds from now after which the core stops (state wall_limit); 0 = no limit.
    void set_wall_limit(double seconds);
    // Stores to [address, address + 8) are not served by DMI and call on_store after they
    // completed; if it returns true the core stops and sc_stop() is called (tohost).
    void watch_stores(std::uint32_t address, std::function<bool(std::uint32_t address, std::uint32_t value)> on_store);

    state current_state() const { return state_; }
    const std::string& fatal_message() const { return fatal_message_; }
    std::uint64_t retired() const { return iss_retired(core_); }
    std::uint32_t pc() const { return iss_get_pc(core_); }
    iss_core_t* core() { return core_; }  // for debuggers and tests
    // Counters: instructions, cycles, sleep time, TLM accesses, DMI grants/evictions.
    statistics stats() const;

private:
    void run();  // SC_THREAD

    // iss_host_t callbacks.
    static iss_mem_status_t load_cb(void* ctx, std::uint32_t addr, unsigned size, std::uint32_t* value,
                                    iss_access_t kind);
    static iss_mem_status_t store_cb(void* ctx, std::uint32_t addr, unsigned size, std::uint32_t value);
    static std::uint64_t time_cb(void* ctx);

    iss_mem_status_t transport(tlm::tlm_command cmd, std::uint32_t addr, unsigned size, std::uint32_t& value,
                               iss_access_t kind);
    sc_core::sc_time local_time() const;  // keeper's local time + this slice's instructions
    void charge_slice();                  // moves this slice's instructions into the keeper
    void sample_irqs();
    bool sleep_until_interrupt();  // false: the debugger killed the run
    bool debug_service(iss_stop_t why);
    bool debug_halt(const core_debugger::halt_event& event);
    void request_dmi(std::uint32_t addr);
    bool dmi_covers(std::uint32_t addr) const;
    void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
    void stop(state why);
    std::uint64_t steps() const;  // retired instructions + traps: what time and limits count
    bool traps_at_the_vector();
    void install_trace();
    static void retired_cb(void* ctx, const iss_retire_t* r);
    static void trap_cb(void* ctx, const iss_trap_t* t);
    void enter_state(const char* shown, sc_core::sc_time at);  // timeline: the core's state track

    struct dmi_page {
        std::uint64_t start, end;  // inclusive, as granted
        unsigned regions;          // ISS regions it occupies (2 when the watch window splits it)
    };

    iss_core_t* core_ = nullptr;
    sc_core::sc_event start_;
    tlm_utils::tlm_quantumkeeper qk_;
    sc_core::sc_time instruction_time_;
    double instruction_ps_;
    double cycle_ps_;
    std::uint32_t mtime_address_;
    std::uint64_t max_instructions_ = 0;
    bool wall_limited_ = false;
    std::chrono::steady_clock::time_point wall_deadline_;
    unsigned slices_since_clock_ = 0;
    bool vector_trap_seen_ = false;          // the last slice ended in an exception at mtvec
    std::uint64_t vector_trap_retired_ = 0;  // ... with this many instructions retired
    std::uint64_t slice_start_ = 0;          // steps() at the start of the slice
    sc_core::sc_time stall_;                 // target latency charged in this slice
    bool sync_requested_ = false;            // an MMIO store happened in this slice
    std::vector<dmi_page> dmi_pages_;        // oldest first
    unsigned dmi_regions_ = 0;
    std::uint64_t dmi_grants_ = 0, dmi_evictions_ = 0, tlm_accesses_ = 0;
    sc_core::sc_time asleep_;                // simulated time spent in wfi

    bool watching_ = false;
    std::uint32_t watch_address_ = 0;
    std::function<bool(std::uint32_t, std::uint32_t)> on_store_;

    bool pending_dmi_ = false;               // a DMI-capable access missed DMI in this slice
    std::uint32_t pending_dmi_address_ = 0;

    // Trap-loop detection: faults with nothing retired in between form a chain; a fetch fault
    // at the same address twice in one chain means the trap vector itself faults.
    std::uint64_t fault_chain_retired_ = ~std::uint64_t{0};
    bool fault_chain_fetch_ = false;
    std::uint32_t fault_chain_fetch_address_ = 0;
    std::string first_fault_;

    state state_ = state::running;
    std::string fatal_message_;

    instruction_trace* trace_ = nullptr;
    timeline* timeline_ = nullptr;
    timeline::track_id state_track_ = 0;
    const char* state_name_ = nullptr;     // shown since state_since_
    sc_core::sc_time state_since_;
    unsigned handler_depth_ = 0;            // trap entries not yet left by mret

    core_debugger* debugger_ = nullptr;
    bool stepping_ = false;        // the debugger asked for one step
    std::uint64_t step_from_ = 0;  // iss_steps when that step began
};

const char* to_string(riscv_cpu::state s);

}  // namespace ant
