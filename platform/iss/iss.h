/*
 * iss.h - RV32IMAC + Zicsr + Zifencei instruction-set simulator core (machine mode only).
 *
 * The core is a plain C struct driven by iss_run(). It knows nothing about SystemC, buses or
 * files: everything outside the hart is reached through the callbacks in iss_host_t, so the
 * same core runs under the small `iss-run` test runner and under the SystemC wrapper.
 *
 * Speed comes from three things the host should know about:
 *  - DMI regions: plain host memory the core reads and writes directly, bypassing the
 *    callbacks (e.g. DRAM at 0x8000_0000). Anything outside them goes through the callbacks,
 *    so a host that must *see* an access (tohost, MMIO) simply leaves that address out of DMI.
 *  - A decoded-instruction cache indexed by pc. The core keeps it coherent with its own
 *    stores (see iss_invalidate_code) and flushes it on fence.i; memory changed behind the
 *    core's back (a loader, a DMA engine writing code) must be announced by the host.
 *  - Interrupt lines are only re-examined when something that can change them happens
 *    (a callback, a CSR write, mret, iss_run entry), not on every instruction.
 *
 * Timing is not modelled here: one instruction retires per step. The host converts the
 * retired-instruction count into time (iss_retired) and may add stall cycles to mcycle
 * (iss_add_cycles), e.g. for the time spent asleep in wfi.
 *
 * Requires a little-endian host (DMI memory is accessed in host byte order).
 */
#ifndef ANT_ISS_H
#define ANT_ISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iss_core iss_core_t;

/* Result of a callback memory access. ISS_MEM_FAULT becomes a precise access-fault trap in
 * the guest (fetch 1, load 5, store/AMO 7) - this is how TLM_ADDRESS_ERROR_RESPONSE should be
 * reported. ISS_MEM_FATAL stops iss_run with ISS_STOP_FATAL for host-side failures that the
 * guest must not be able to observe or recover from. */
typedef enum {
    ISS_MEM_OK = 0,
    ISS_MEM_FAULT = 1,
    ISS_MEM_FATAL = 2
} iss_mem_status_t;

/* Why a load callback is called: the host may refuse to execute from MMIO, for example. */
typedef enum {
    ISS_ACCESS_FETCH = 0,
    ISS_ACCESS_LOAD = 1,
    ISS_ACCESS_AMO = 2 /* the read half of an AMO / LR; the write half comes as a store */
} iss_access_t;

typedef struct {
    void *ctx; /* passed back unchanged to every callback */
    /* size is 1, 2 or 4 and addr is naturally aligned (misaligned accesses trap before any
     * callback). *value receives the zero-extended data. */
    iss_mem_status_t (*load)(void *ctx, uint32_t addr, unsigned size, uint32_t *value,
                             iss_access_t kind);
    iss_mem_status_t (*store)(void *ctx, uint32_t addr, unsigned size, uint32_t value);
    /* Source of the time/timeh CSRs (normally the CLINT's mtime). NULL makes reading
     * time/timeh an illegal instruction, which the spec allows so firmware can emulate it. */
    uint64_t (*time)(void *ctx);
} iss_host_t;

/* Why iss_run returned. */
typedef enum {
    ISS_STOP_BUDGET = 0, /* max_instructions steps were executed */
    ISS_STOP_WFI = 1,    /* wfi with no enabled interrupt pending; pc is already past the wfi */
    ISS_STOP_HOST = 2,   /* the host called iss_request_stop (e.g. from its tohost store) */
    ISS_STOP_FATAL = 3,  /* a callback returned ISS_MEM_FATAL */
    ISS_STOP_DEBUG = 4   /* the hart entered debug mode (ebreak or a trigger, iss_debug_halt) */
} iss_stop_t;

/* Interrupt lines in mip; the values are the mip bit numbers (= interrupt cause codes). */
typedef enum {
    ISS_IRQ_MSI = 3, /* machine software interrupt (CLINT msip) */
    ISS_IRQ_MTI = 7, /* machine timer interrupt (mtime >= mtimecmp) */
    ISS_IRQ_MEI = 11 /* machine external interrupt (e.g. the accelerator's done line) */
} iss_irq_t;

/* DMI permissions; a region without ISS_DMI_WRITE sends stores to the store callback. */
enum { ISS_DMI_READ = 1u, ISS_DMI_WRITE = 2u, ISS_DMI_RW = 3u };

/* Maximum number of DMI regions held at once. */
#define ISS_MAX_DMI 8

/* Creates a core in reset state (pc = reset_pc, mhartid = hartid). The core is the only
 * allocation the library makes; it is large (decoded-instruction cache plus a code-line
 * bitmap), so make few of them. Returns NULL on allocation failure or if host->load or
 * host->store is NULL. */
iss_core_t *iss_create(const iss_host_t *host, uint32_t reset_pc, uint32_t hartid);
void iss_destroy(iss_core_t *core);

/* Back to reset state; keeps DMI regions and host callbacks, drops decoded code. */
void iss_reset(iss_core_t *core, uint32_t reset_pc);

/* Executes up to max_instructions steps (a step is a retired instruction or a trap taken) and
 * returns why it stopped. Callable again after any reason except FATAL; after WFI the host
 * normally waits until iss_irq_pending() before calling again (calling earlier is harmless:
 * the spec allows wfi to behave as a nop). */
iss_stop_t iss_run(iss_core_t *core, uint64_t max_instructions);

/* Makes the current iss_run return ISS_STOP_HOST once the instruction whose callback is
 * running has completed. Only meaningful from inside a callback; iss_run clears it on entry. */
void iss_request_stop(iss_core_t *core);

/* Raises (level != 0) or lowers a pending line. May be called from inside a callback; the core
 * looks at the new state before the next instruction. */
void iss_set_irq(iss_core_t *core, iss_irq_t line, int level);

/* Non-zero when some interrupt is both pending and enabled in mie - the wfi wake-up condition
 * (independent of mstatus.MIE, as the spec requires). */
int iss_irq_pending(const iss_core_t *core);

/* Adds a DMI region [base, base + size) backed by host memory at ptr. base and size must be
 * multiples of 4 and must not overlap an existing region. Returns 0, or -1 when invalid or
 * when ISS_MAX_DMI regions are already held. The decoded-instruction cache is flushed because
 * the bytes now seen at those addresses may differ from the ones decoded before. */
int iss_dmi_add(iss_core_t *core, uint32_t base, uint32_t size, void *ptr, unsigned perm);

/* Drops every DMI region overlapping [start, end] (inclusive, like TLM's
 * invalidate_direct_mem_ptr) and flushes decoded code. Later accesses go through callbacks
 * until the host adds a region again. */
void iss_dmi_invalidate(iss_core_t *core, uint32_t start, uint32_t end);

/* Tells the core that bytes in [addr, addr + size) may have changed without passing through
 * its own stores (loader, DMA, debugger), so decoded instructions there are dropped. The core
 * already does this for its own stores and for fence.i. */
void iss_invalidate_code(iss_core_t *core, uint32_t addr, uint32_t size);

/* Instructions retired since creation. Monotonic: guest writes to minstret do not change it,
 * so a host can use it as its clock. Exact from inside callbacks too. */
uint64_t iss_retired(const iss_core_t *core);

/* Adds stall cycles to mcycle (e.g. simulated time asleep in wfi). */
void iss_add_cycles(iss_core_t *core, uint64_t cycles);

/* Architectural state access for hosts, debuggers and tests. x0 reads as 0; writes to x0 are
 * ignored. */
uint32_t iss_get_pc(const iss_core_t *core);
void iss_set_pc(iss_core_t *core, uint32_t pc);
uint32_t iss_get_reg(const iss_core_t *core, unsigned index);
void iss_set_reg(iss_core_t *core, unsigned index, uint32_t value);

/* Reads a CSR as csrr would (side-effect free). Returns 0 and stores the value, or -1 for a
 * CSR the core does not implement. */
int iss_get_csr(const iss_core_t *core, uint32_t csr, uint32_t *value);

/* The first trap of the latest chain of traps taken with no instruction retired in between
 * (mepc, mcause, mtval as that trap set them). When the trap handler itself faults, the CSRs
 * hold the handler's fault; this still names the trap that started it. Returns 0, or -1
 * before the first trap. */
int iss_trap_chain_origin(const iss_core_t *core, uint32_t *mepc, uint32_t *mcause, uint32_t *mtval);

/* --- Tracing (execute_traced.c, mnemonic.c) ---------------------------------------------
 *
 * With a trace installed, iss_run executes through a second copy of the interpreter loop
 * that reports what happens; without one the ordinary loop runs and pays nothing per
 * instruction (iss_run looks at one flag per call). Callbacks run inside iss_run: the core's
 * counters (iss_retired, iss_steps) are exact there, so a host can time-stamp each record. */

/* One retired instruction. */
typedef struct {
    uint32_t pc;
    uint32_t insn;      /* raw encoding (16 bits for a compressed one) */
    uint8_t len;        /* 2 or 4 */
    uint8_t insn_known; /* 0: the bytes were not in a DMI region; the host may read them */
    uint8_t op;         /* for iss_op_name */
    uint8_t rd;         /* destination register, 0 when the instruction writes none */
    uint32_t rd_value;  /* what was written to rd */
    uint8_t mem;        /* 1 load, 2 store (or AMO), 0 no data access */
    uint32_t mem_address;
    uint32_t store_value; /* for stores: the value written (rs2) */
} iss_retire_t;

typedef enum {
    ISS_TRAP_EXCEPTION = 0, /* synchronous exception entered */
    ISS_TRAP_INTERRUPT = 1, /* interrupt entered */
    ISS_TRAP_RETURN = 2     /* mret executed (handler left) */
} iss_trap_kind_t;

typedef struct {
    iss_trap_kind_t kind;
    uint32_t cause; /* mcause (bit 31 set for interrupts); 0 for RETURN */
    uint32_t tval;  /* mtval */
    uint32_t epc;   /* mepc: the interrupted or faulting pc; for RETURN, where it returns to */
    uint32_t target; /* the handler's address; for RETURN the same as epc */
} iss_trap_t;

typedef struct {
    void *ctx;
    /* Each retired instruction, in order (NULL: not reported - cheaper when only traps
     * matter). Called after the instruction completed and before the next one starts. */
    void (*retired)(void *ctx, const iss_retire_t *r);
    /* Each trap entry and each mret (NULL: not reported). */
    void (*trap)(void *ctx, const iss_trap_t *t);
} iss_trace_t;

/* Installs (trace != NULL, copied) or removes (NULL) the trace callbacks. */
void iss_set_trace(iss_core_t *core, const iss_trace_t *trace);

/* The assembler mnemonic of a decoded operation (iss_retire_t.op): "addi", "lw", ... A
 * compressed instruction reports the operation it expands to ("addi" for c.addi). */
const char *iss_op_name(unsigned op);

/* --- Debug support (debug.c): what an external debugger (platform/debug) needs. ---------
 *
 * Triggers are the debug spec's address-match triggers (type 2, mcontrol) reached through
 * tselect/tdata1/tdata2; firmware may use them too (action 0 raises a breakpoint exception).
 * A debugger's triggers (dmode = 1, action 1) halt the hart instead: iss_run returns
 * ISS_STOP_DEBUG. None of this costs anything while no trigger is armed and ebreak halting
 * is off: execute triggers are folded into decoded instructions, and while a load/store
 * trigger is armed the core leaves DMI aside so every access passes the trigger check. */

#define ISS_TRIGGERS 4

typedef enum {
    ISS_HALT_NONE = 0,
    ISS_HALT_EBREAK = 1,        /* ebreak with ebreak halting on; pc is at the ebreak */
    ISS_HALT_EXECUTE = 2,       /* execute trigger; pc is at the instruction, not executed */
    ISS_HALT_DATA = 3           /* load/store trigger; the access completed, pc is past it */
} iss_halt_cause_t;

typedef struct {
    iss_halt_cause_t cause;
    unsigned trigger;  /* which trigger fired (EXECUTE, DATA) */
    uint32_t address;  /* the matched address (EXECUTE: pc, DATA: lowest byte accessed) */
    int store;         /* DATA: the access was a store (or the write half of an AMO) */
} iss_halt_t;

/* Why the last ISS_STOP_DEBUG happened. */
iss_halt_t iss_debug_halt(const iss_core_t *core);

/* dcsr.ebreakm: while on, ebreak (and c.ebreak) halts the hart instead of trapping. */
void iss_debug_set_ebreak_halts(iss_core_t *core, int on);

/* dcsr.stepie = 0: while on, no interrupt is taken (used for a debugger's single step). */
void iss_debug_set_irq_inhibit(iss_core_t *core, int on);

/* Steps executed since creation: retired instructions plus traps taken. A debugger's single
 * step is complete when this moves. Exact from inside callbacks too; hosts time and bound
 * the core by it, so a core that only traps (nothing retires) still makes progress. */
uint64_t iss_steps(const iss_core_t *core);

/* Writes a CSR as the debugger (debug mode): WARL rules apply and tdata1.dmode is writable.
 * Returns 0, or -1 for a CSR that is not implemented or is read-only. */
int iss_debug_set_csr(iss_core_t *core, uint32_t csr, uint32_t value);

/* Direct access to trigger `index` (0..ISS_TRIGGERS-1) without going through tselect.
 * Writes are the debugger's (dmode writable). Return 0, or -1 for a bad index. */
int iss_trigger_get(const iss_core_t *core, unsigned index, uint32_t *tdata1, uint32_t *tdata2);
int iss_trigger_set(iss_core_t *core, unsigned index, uint32_t tdata1, uint32_t tdata2);

/* tdata1 fields of an mcontrol (type 2) trigger on RV32. */
#define ISS_MCONTROL_TYPE (2u << 28)
#define ISS_MCONTROL_DMODE (1u << 27)
#define ISS_MCONTROL_HIT (1u << 20)
#define ISS_MCONTROL_TIMING (1u << 18)
#define ISS_MCONTROL_ACTION_DEBUG (1u << 12)
#define ISS_MCONTROL_MATCH_NAPOT (1u << 7)
#define ISS_MCONTROL_MATCH_GE (2u << 7)
#define ISS_MCONTROL_MATCH_LT (3u << 7)
#define ISS_MCONTROL_M (1u << 6)
#define ISS_MCONTROL_EXECUTE (1u << 2)
#define ISS_MCONTROL_STORE (1u << 1)
#define ISS_MCONTROL_LOAD (1u << 0)

#ifdef __cplusplus
}
#endif

#endif /* ANT_ISS_H */
