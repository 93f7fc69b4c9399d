#include "riscv_cpu.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ant {

namespace {

constexpr std::uint32_t watch_window = 64;  // bytes around the watched address kept out of DMI
constexpr std::uint32_t csr_mtvec = 0x305;
constexpr std::uint32_t csr_mepc = 0x341;
constexpr std::uint32_t csr_mcause = 0x342;
constexpr std::uint32_t csr_mtval = 0x343;
constexpr unsigned slices_per_clock_read = 64;  // the wall-time limit reads the host clock this seldom

std::string hex32(std::uint64_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08" PRIx64, v);
    return buf;
}

const char* access_name(iss_access_t kind, bool write)
{
    if (write)
        return "store";
    return kind == ISS_ACCESS_FETCH ? "fetch" : kind == ISS_ACCESS_AMO ? "AMO" : "load";
}

}  // namespace

const char* to_string(riscv_cpu::state s)
{
    switch (s) {
    case riscv_cpu::state::running: return "running";
    case riscv_cpu::state::stopped_by_host: return "stopped by host";
    case riscv_cpu::state::instruction_limit: return "instruction limit reached";
    case riscv_cpu::state::fatal: return "fatal error";
    case riscv_cpu::state::fault_loop: return "trap loop";
    case riscv_cpu::state::asleep: return "asleep in wfi";
    case riscv_cpu::state::killed: return "killed by the debugger";
    case riscv_cpu::state::wall_limit: return "wall-time limit reached";
    }
    return "?";
}

riscv_cpu::riscv_cpu(const sc_core::sc_module_name& name, const cpu_config& config, std::uint32_t start_pc,
                     std::uint32_t mtime_address)
    : sc_core::sc_module(name),
      mem_initiator("mem_initiator"),
      timer_irq("timer_irq"),
      software_irq("software_irq"),
      external_irq("external_irq"),
      instruction_ps_(config.cpi * 1e6 / config.clock_mhz),
      cycle_ps_(1e6 / config.clock_mhz),
      mtime_address_(mtime_address)
{
    const iss_host_t host = {this, &riscv_cpu::load_cb, &riscv_cpu::store_cb, &riscv_cpu::time_cb};
    core_ = iss_create(&host, start_pc, 0);
    if (!core_)
        throw std::bad_alloc();
    mem_initiator.register_invalidate_direct_mem_ptr(this, &riscv_cpu::invalidate_direct_mem_ptr);
    SC_THREAD(run);
    sensitive << start_;
    dont_initialize();
}

riscv_cpu::~riscv_cpu() { iss_destroy(core_); }

void riscv_cpu::set_pc(std::uint32_t pc) { iss_set_pc(core_, pc); }

// ---------------------------------------------------------------------------------------------
// Tracing

void riscv_cpu::set_instruction_trace(instruction_trace* trace)
{
    trace_ = trace;
    install_trace();
}

void riscv_cpu::set_timeline(timeline* t)
{
    timeline_ = t;
    if (t)
        state_track_ = t->track("core", "core");
    install_trace();
}

void riscv_cpu::install_trace()
{
    if (!trace_ && !timeline_) {
        iss_set_trace(core_, nullptr);
        return;
    }
    iss_trace_t t{};
    t.ctx = this;
    t.retired = trace_ ? &riscv_cpu::retired_cb : nullptr;  // the timeline needs only traps
    t.trap = &riscv_cpu::trap_cb;
    iss_set_trace(core_, &t);
}

void riscv_cpu::retired_cb(void* ctx, const iss_retire_t* r)
{
    auto* self = static_cast<riscv_cpu*>(ctx);
    iss_retire_t rec = *r;
    if (!rec.insn_known) {  // not in a DMI region: read it without side effects
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(rec.pc);
        gp.set_data_ptr(reinterpret_cast<unsigned char*>(&rec.insn));
        gp.set_data_length(rec.len);
        gp.set_streaming_width(rec.len);
        self->mem_initiator->transport_dbg(gp);
    }
    self->trace_->retired(sc_core::sc_time_stamp() + self->local_time(), iss_retired(self->core_), rec);
}

void riscv_cpu::trap_cb(void* ctx, const iss_trap_t* t)
{
    auto* self = static_cast<riscv_cpu*>(ctx);
    const sc_core::sc_time at = sc_core::sc_time_stamp() + self->local_time();
    if (self->trace_)
        self->trace_->trap(at, iss_retired(self->core_), *t);
    if (!self->timeline_)
        return;
    if (t->kind == ISS_TRAP_RETURN) {
        self->handler_depth_ = 0;  // mret leaves the handler, however deep the nesting was
        self->enter_state("running", at);
    } else {
        ++self->handler_depth_;
        self->enter_state("trap handler", at);
    }
}

void riscv_cpu::enter_state(const char* shown, sc_core::sc_time at)
{
    if (at < state_since_)
        at = state_since_;
    if (state_name_ && std::strcmp(state_name_, shown) == 0)
        return;
    if (state_name_ && at > state_since_)
        timeline_->slice(state_track_, state_since_, at, state_name_);
    state_name_ = shown;
    state_since_ = at;
}

void riscv_cpu::finish_timeline()
{
    if (!timeline_ || !state_name_)
        return;
    const sc_core::sc_time end = sc_core::sc_time_stamp() + qk_.get_local_time();
    if (end > state_since_)
        timeline_->slice(state_track_, state_since_, end, state_name_);
    state_name_ = nullptr;
}

void riscv_cpu::watch_stores(std::uint32_t address, std::function<bool(std::uint32_t, std::uint32_t)> on_store)
{
    watching_ = true;
    watch_address_ = address;
    on_store_ = std::move(on_store);
    invalidate_direct_mem_ptr(address, address + 7u);
}

// ---------------------------------------------------------------------------------------------
// Time

sc_core::sc_time riscv_cpu::local_time() const
{
    const double n = static_cast<double>(steps() - slice_start_);
    return qk_.get_local_time() + sc_core::sc_time(n * instruction_ps_, sc_core::SC_PS) + stall_;
}

void riscv_cpu::charge_slice()
{
    const std::uint64_t now = steps();
    const double n = static_cast<double>(now - slice_start_);
    qk_.inc(sc_core::sc_time(n * instruction_ps_, sc_core::SC_PS) + stall_);
    if (stall_ > sc_core::SC_ZERO_TIME)
        iss_add_cycles(core_, static_cast<std::uint64_t>(std::llround(stall_.to_seconds() * 1e12 / cycle_ps_)));
    slice_start_ = now;
    stall_ = sc_core::SC_ZERO_TIME;
}

void riscv_cpu::sample_irqs()
{
    iss_set_irq(core_, ISS_IRQ_MTI, timer_irq.read());
    iss_set_irq(core_, ISS_IRQ_MSI, software_irq.read());
    iss_set_irq(core_, ISS_IRQ_MEI, external_irq.read());
}

void riscv_cpu::stop(state why)
{
    state_ = why;
    sc_core::sc_stop();
}

// ---------------------------------------------------------------------------------------------
// The thread

void riscv_cpu::run()
{
    qk_.reset();
    if (timeline_)
        enter_state("running", sc_core::sc_time_stamp());
    for (;;) {
        sample_irqs();
        // Instructions that fit in what is left of the quantum (at least one).
        const sc_core::sc_time left = tlm::tlm_global_quantum::instance().compute_local_quantum();
        std::uint64_t budget = 1;
        if (left > qk_.get_local_time()) {
            const double ps = (left - qk_.get_local_time()).to_seconds() * 1e12;
            budget = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(ps / instruction_ps_)));
        }
        if (max_instructions_) {
            const std::uint64_t done = steps();
            if (done >= max_instructions_) {
                stop(state::instruction_limit);
                return;
            }
            budget = std::min(budget, max_instructions_ - done);
        }
        if (debugger_) {
            if (!stepping_ && debugger_->halt_requested() && !debug_halt({true, false, {}}))
                return;
            if (stepping_)
                budget = 1;
        }
        // Host time spent halted in a debugger counts too; --max-wall-s is meant for batch runs.
        if (wall_limited_ && ++slices_since_clock_ >= slices_per_clock_read) {
            slices_since_clock_ = 0;
            if (std::chrono::steady_clock::now() >= wall_deadline_) {
                stop(state::wall_limit);
                return;
            }
        }
        slice_start_ = steps();
        sync_requested_ = false;
        pending_dmi_ = false;
        const iss_stop_t why = iss_run(core_, budget);
        charge_slice();
        if (state_ != state::running) {  // a callback ended the run (tohost, trap loop)
            sc_core::sc_stop();
            return;
        }
        if (!debugger_ && traps_at_the_vector()) {  // under a debugger the user looks at it
            stop(state::fault_loop);
            return;
        }
        if (why == ISS_STOP_FATAL) {
            if (fatal_message_.empty())
                fatal_message_ = "the core cannot continue at pc " + hex32(iss_get_pc(core_));
            stop(state::fatal);
            return;
        }
        if (pending_dmi_)
            request_dmi(pending_dmi_address_);
        if (debugger_ && !debug_service(why))
            return;
        if (why == ISS_STOP_WFI && !stepping_) {
            if (!sleep_until_interrupt())
                return;
        } else if (sync_requested_ || qk_.need_sync())
            qk_.sync();
    }
}

std::uint64_t riscv_cpu::steps() const { return iss_steps(core_); }

void riscv_cpu::set_wall_limit(double seconds)
{
    wall_limited_ = seconds > 0;
    if (wall_limited_)
        wall_deadline_ = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(seconds));
}

// An exception raised by the instruction at the trap vector itself, twice with nothing
// retired in between: the handler can never run (e.g. mtvec points at an illegal word, or
// the firmware's code was overwritten), so the core would trap forever.
bool riscv_cpu::traps_at_the_vector()
{
    std::uint32_t mtvec = 0, mepc = 0, mcause = 0, mtval = 0;
    iss_get_csr(core_, csr_mtvec, &mtvec);
    iss_get_csr(core_, csr_mepc, &mepc);
    iss_get_csr(core_, csr_mcause, &mcause);
    iss_get_csr(core_, csr_mtval, &mtval);
    const std::uint32_t vector = mtvec & ~3u;
    const std::uint64_t retired = iss_retired(core_);
    const bool at_vector = (mcause & 0x8000'0000u) == 0 && mepc == vector && iss_get_pc(core_) == vector &&
                           iss_steps(core_) > retired;
    const bool repeated = at_vector && vector_trap_seen_ && retired == vector_trap_retired_;
    vector_trap_seen_ = at_vector;
    vector_trap_retired_ = retired;
    if (!repeated)
        return false;
    fatal_message_ = "firmware is stuck in a trap loop: the instruction at the trap vector (mtvec " + hex32(mtvec) +
                     ") raises exception " + std::to_string(mcause) + " itself (mtval " + hex32(mtval) + ")";
    return true;
}

bool riscv_cpu::sleep_until_interrupt()
{
    qk_.sync();
    sample_irqs();
    if (timeline_ && !iss_irq_pending(core_))
        enter_state("wfi", sc_core::sc_time_stamp());
    while (!iss_irq_pending(core_)) {
        state_ = state::asleep;
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        const sc_core::sc_event_or_list lines = timer_irq.value_changed_event() |
                                                software_irq.value_changed_event() |
                                                external_irq.value_changed_event();
        if (debugger_)
            wait(tlm::tlm_global_quantum::instance().get(), lines);
        else
            wait(lines);
        const sc_core::sc_time slept = sc_core::sc_time_stamp() - t0;
        asleep_ += slept;
        iss_add_cycles(core_, static_cast<std::uint64_t>(std::llround(slept.to_seconds() * 1e12 / cycle_ps_)));
        state_ = state::running;
        sample_irqs();
        if (debugger_ && debugger_->halt_requested()) {
            if (!debug_halt({true, false, {}}))
                return false;
            if (stepping_)
                break;  // a step out of wfi executes the next instruction (a spurious wake-up)
        }
    }
    qk_.reset();
    if (timeline_)
        enter_state(handler_depth_ ? "trap handler" : "running", sc_core::sc_time_stamp());
    return true;
}

// After a slice with a debugger attached: halts for a trigger, an ebreak or a finished step.
bool riscv_cpu::debug_service(iss_stop_t why)
{
    core_debugger::halt_event event;
    if (why == ISS_STOP_DEBUG)
        event.core = iss_debug_halt(core_);
    else if (stepping_ && iss_steps(core_) != step_from_)
        event.stepped = true;
    else
        return true;
    return debug_halt(event);
}

bool riscv_cpu::debug_halt(const core_debugger::halt_event& event)
{
    // Time already spent stays charged; nothing of the halt itself is.
    const core_debugger::resume r = debugger_->halted(event);
    stepping_ = r == core_debugger::resume::step;
    step_from_ = iss_steps(core_);
    iss_debug_set_irq_inhibit(core_, stepping_);
    if (r == core_debugger::resume::kill) {
        stop(state::killed);
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Memory

iss_mem_status_t riscv_cpu::transport(tlm::tlm_command cmd, std::uint32_t addr, unsigned size,
                                      std::uint32_t& value, iss_access_t kind)
{
    tlm::tlm_generic_payload gp;
    gp.set_command(cmd);
    gp.set_address(addr);
    gp.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    gp.set_data_length(size);
    gp.set_streaming_width(size);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = local_time();
    const sc_core::sc_time before = delay;
    mem_initiator->b_transport(gp, delay);
    ++tlm_accesses_;
    if (delay > before)
        stall_ += delay - before;
    const bool write = cmd == tlm::TLM_WRITE_COMMAND;
    if (gp.is_response_error()) {
        const std::uint64_t retired = iss_retired(core_);
        const std::string what = std::string(access_name(kind, write)) + " of " + std::to_string(size) +
                                 " bytes at " + hex32(addr) + " (" + gp.get_response_string() + ")";
        if (retired != fault_chain_retired_) {  // progress since the last fault: a new chain
            fault_chain_retired_ = retired;
            first_fault_ = what;
            fault_chain_fetch_ = false;
        }
        if (kind == ISS_ACCESS_FETCH && !write) {
            if (fault_chain_fetch_ && fault_chain_fetch_address_ == addr) {
                std::uint32_t mtvec = 0;
                iss_get_csr(core_, csr_mtvec, &mtvec);
                fatal_message_ = "firmware is stuck in a trap loop: the trap vector (mtvec " + hex32(mtvec) +
                                 ") cannot be fetched; first fault: " + first_fault_;
                state_ = state::fault_loop;
                return ISS_MEM_FATAL;
            }
            fault_chain_fetch_ = true;
            fault_chain_fetch_address_ = addr;
        }
        return ISS_MEM_FAULT;
    }
    if (gp.is_dmi_allowed()) {
        if (!dmi_covers(addr)) {
            // Asked for after the slice, so the core's tables never change under its feet.
            pending_dmi_ = true;
            pending_dmi_address_ = addr;
            iss_request_stop(core_);
        }
    } else if (write) {
        // MMIO store: sync so that what it causes (an interrupt) is seen at once.
        sync_requested_ = true;
        iss_request_stop(core_);
    }
    return ISS_MEM_OK;
}

iss_mem_status_t riscv_cpu::load_cb(void* ctx, std::uint32_t addr, unsigned size, std::uint32_t* value,
                                    iss_access_t kind)
{
    auto* self = static_cast<riscv_cpu*>(ctx);
    std::uint32_t v = 0;
    const iss_mem_status_t st = self->transport(tlm::TLM_READ_COMMAND, addr, size, v, kind);
    *value = v;
    return st;
}

iss_mem_status_t riscv_cpu::store_cb(void* ctx, std::uint32_t addr, unsigned size, std::uint32_t value)
{
    auto* self = static_cast<riscv_cpu*>(ctx);
    std::uint32_t v = value;
    const iss_mem_status_t st = self->transport(tlm::TLM_WRITE_COMMAND, addr, size, v, ISS_ACCESS_LOAD);
    if (st == ISS_MEM_OK && self->watching_ && addr >= self->watch_address_ && addr < self->watch_address_ + 8u &&
        self->on_store_(addr, value)) {
        self->state_ = state::stopped_by_host;
        iss_request_stop(self->core_);
    }
    return st;
}

std::uint64_t riscv_cpu::time_cb(void* ctx)
{
    auto* self = static_cast<riscv_cpu*>(ctx);
    std::uint32_t lo = 0, hi = 0;
    if (self->transport(tlm::TLM_READ_COMMAND, self->mtime_address_, 4, lo, ISS_ACCESS_LOAD) != ISS_MEM_OK ||
        self->transport(tlm::TLM_READ_COMMAND, self->mtime_address_ + 4u, 4, hi, ISS_ACCESS_LOAD) != ISS_MEM_OK)
        return 0;
    return (std::uint64_t{hi} << 32) | lo;
}

// ---------------------------------------------------------------------------------------------
// DMI

bool riscv_cpu::dmi_covers(std::uint32_t addr) const
{
    for (const dmi_page& p : dmi_pages_)
        if (addr >= p.start && addr <= p.end)
            return true;
    return false;
}

void riscv_cpu::request_dmi(std::uint32_t addr)
{
    if (dmi_covers(addr))
        return;
    tlm::tlm_generic_payload gp;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    tlm::tlm_dmi dmi;
    if (!mem_initiator->get_direct_mem_ptr(gp, dmi) || !dmi.get_dmi_ptr())
        return;
    unsigned perm = 0;
    if (dmi.is_read_allowed())
        perm |= ISS_DMI_READ;
    if (dmi.is_write_allowed())
        perm |= ISS_DMI_WRITE;
    if (!perm)
        return;
    ++dmi_grants_;
    // 4-byte aligned and within the 32-bit address space.
    std::uint64_t start = (dmi.get_start_address() + 3u) & ~std::uint64_t{3};
    std::uint64_t end = std::min<std::uint64_t>(dmi.get_end_address(), 0xFFFF'FFFFull);
    end = ((end + 1u) & ~std::uint64_t{3}) - 1u;
    if (end < start || addr < start || addr > end)
        return;
    unsigned char* base_ptr = dmi.get_dmi_ptr() + (start - dmi.get_start_address());

    // Pieces of the page, leaving out the watch window.
    struct piece { std::uint64_t from, to; };  // [from, to)
    piece pieces[2];
    unsigned n = 0;
    const std::uint64_t w0 = watch_address_ & ~std::uint64_t{watch_window - 1};
    const std::uint64_t w1 = w0 + watch_window;
    if (watching_ && w0 <= end && w1 > start) {
        if (w0 > start)
            pieces[n++] = {start, w0};
        if (w1 <= end)
            pieces[n++] = {w1, end + 1};
    } else {
        pieces[n++] = {start, end + 1};
    }
    if (n == 0)
        return;
    // Least recently granted pages make room.
    while (dmi_regions_ + n > ISS_MAX_DMI && !dmi_pages_.empty()) {
        const dmi_page old = dmi_pages_.front();
        dmi_pages_.erase(dmi_pages_.begin());
        dmi_regions_ -= old.regions;
        iss_dmi_invalidate(core_, static_cast<std::uint32_t>(old.start), static_cast<std::uint32_t>(old.end));
        ++dmi_evictions_;
    }
    unsigned added = 0;
    for (unsigned i = 0; i < n; ++i)
        if (iss_dmi_add(core_, static_cast<std::uint32_t>(pieces[i].from),
                        static_cast<std::uint32_t>(pieces[i].to - pieces[i].from),
                        base_ptr + (pieces[i].from - start), perm) == 0)
            ++added;
    if (added)
        dmi_pages_.push_back({start, end, added});
    dmi_regions_ += added;
}

void riscv_cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end)
{
    if (start > 0xFFFF'FFFFull)
        return;
    const std::uint64_t last = std::min<std::uint64_t>(end, 0xFFFF'FFFFull);
    iss_dmi_invalidate(core_, static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(last));
    for (auto it = dmi_pages_.begin(); it != dmi_pages_.end();) {
        if (it->start <= last && it->end >= start) {
            dmi_regions_ -= it->regions;
            it = dmi_pages_.erase(it);
        } else {
            ++it;
        }
    }
}

statistics riscv_cpu::stats() const
{
    auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    std::uint32_t cycles_lo = 0, cycles_hi = 0;
    iss_get_csr(core_, 0xB00, &cycles_lo);
    iss_get_csr(core_, 0xB80, &cycles_hi);
    return {
        {"instructions", d(iss_retired(core_)), "instructions", "instructions retired"},
        {"cycles", d((std::uint64_t{cycles_hi} << 32) | cycles_lo), "cycles",
         "mcycle: retired instructions plus stall and sleep cycles"},
        {"asleep_time", asleep_.to_seconds() * 1e9, "ns", "simulated time spent in wfi"},
        {"tlm_accesses", d(tlm_accesses_), "transactions", "accesses not served by DMI"},
        {"dmi_grants", d(dmi_grants_), "grants", "DMI pages obtained"},
        {"dmi_evictions", d(dmi_evictions_), "pages", "DMI pages dropped to make room for others"},
    };
}

}  // namespace ant
