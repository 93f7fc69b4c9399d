/*
 * iss_internal.h - state and helpers shared by the core's source files; not part of the API.
 */
#ifndef ANT_ISS_INTERNAL_H
#define ANT_ISS_INTERNAL_H

#include "iss.h"

#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ISS accesses DMI memory in host byte order and needs a little-endian host"
#endif

#if defined(__GNUC__)
#define ISS_LIKELY(x) __builtin_expect(!!(x), 1)
#define ISS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define ISS_LIKELY(x) (x)
#define ISS_UNLIKELY(x) (x)
#endif

/* Operations after decoding. Compressed instructions are expanded to their 32-bit form first,
 * so they share these ops and differ only in the length stored next to them. */
typedef enum {
    OP_ILLEGAL = 0, /* imm holds the raw instruction bits for mtval */
    OP_LUI, OP_AUIPC, OP_JAL, OP_JALR,
    OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU,
    OP_LB, OP_LH, OP_LW, OP_LBU, OP_LHU,
    OP_SB, OP_SH, OP_SW,
    OP_ADDI, OP_SLTI, OP_SLTIU, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI,
    OP_ADD, OP_SUB, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_SRA, OP_OR, OP_AND,
    OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU,
    OP_LR, OP_SC, OP_AMOSWAP, OP_AMOADD, OP_AMOXOR, OP_AMOAND, OP_AMOOR,
    OP_AMOMIN, OP_AMOMAX, OP_AMOMINU, OP_AMOMAXU,
    OP_FENCE, OP_FENCE_I, OP_ECALL, OP_EBREAK, OP_MRET, OP_WFI,
    OP_CSRRW, OP_CSRRS, OP_CSRRC, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI, /* imm = csr number */
    OP_TRIGGER, /* an armed execute trigger matches this pc; pad[0] holds its index */
    OP_COUNT
} iss_op_t;

/* One decoded instruction. 16 bytes so four share a host cache line. */
typedef struct {
    uint32_t pc;  /* tag; odd = empty (a real pc is always even) */
    int32_t imm;  /* immediate, csr number, or raw bits for OP_ILLEGAL */
    uint8_t op;   /* iss_op_t */
    uint8_t len;  /* 2 or 4 */
    uint8_t rd;   /* ISS_XZERO_SINK when the architectural rd is x0 */
    uint8_t rs1;  /* register index, or the 5-bit uimm of csrr*i */
    uint8_t rs2;
    uint8_t pad[3];
} iss_decoded_t;

/* Writes to x0 go to this extra register so the execute loop never tests rd == 0. */
#define ISS_XZERO_SINK 32

/* Decoded cache: direct mapped on pc[ISS_DCACHE_BITS:1]; 32 Ki entries = 512 KiB and 64 KiB
 * of code before two hot addresses collide. */
#define ISS_DCACHE_BITS 15
#define ISS_DCACHE_SIZE (1u << ISS_DCACHE_BITS)
#define ISS_DCACHE_INDEX(pc) (((pc) >> 1) & (ISS_DCACHE_SIZE - 1u))

/* Code lines: one bit per 256-byte line of the 4 GiB address space (2 MiB, untouched pages
 * stay unallocated by the OS) marks "some decoded instruction came from here". Every store
 * tests its line's bit, so stores to data never pay more than that test; a store into a
 * marked line drops that line's decoded instructions. Lines are small so that data placed
 * just after the hot code does not keep invalidating it. */
#define ISS_LINE_SHIFT 8u
#define ISS_LINE_WORDS ((1u << (32 - ISS_LINE_SHIFT)) / 64u)

typedef struct {
    uint32_t base;
    uint32_t size;
    uint8_t *ptr;
    unsigned perm;
} iss_dmi_t;

/* mstatus bits this core implements (M-mode only: MPP is hard-wired to M). */
#define MSTATUS_MIE (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP (3u << 11)

#define MIP_MASK ((1u << ISS_IRQ_MSI) | (1u << ISS_IRQ_MTI) | (1u << ISS_IRQ_MEI))

/* Exception cause codes (interrupts use the iss_irq_t values with bit 31 set). */
enum {
    CAUSE_MISALIGNED_FETCH = 0,
    CAUSE_FETCH_ACCESS = 1,
    CAUSE_ILLEGAL = 2,
    CAUSE_BREAKPOINT = 3,
    CAUSE_MISALIGNED_LOAD = 4,
    CAUSE_LOAD_ACCESS = 5,
    CAUSE_MISALIGNED_STORE = 6,
    CAUSE_STORE_ACCESS = 7,
    CAUSE_ECALL_M = 11
};

#define ISS_PMP_ENTRIES 16

struct iss_core {
    uint32_t x[33]; /* x[32] is the x0 write sink */
    uint32_t pc;

    /* Machine-mode CSRs */
    uint32_t mstatus, mie, mip, mtvec, mscratch, mepc, mcause, mtval;
    uint32_t hartid;
    uint64_t retired;       /* monotonic, see iss_retired */
    uint64_t instret_base;  /* minstret = retired + instret_base (set by CSR writes) */
    uint64_t cycle_base;    /* mcycle = retired + cycle_base; also holds iss_add_cycles */

    /* LR/SC reservation (single hart: only our own SC or a trap can break it) */
    uint32_t resv_addr;
    int resv_valid;

    /* Run control. events != 0 makes the loop leave its fast path and look at stop requests
     * and interrupts; anything that can change either sets it. */
    int events;
    int stop_requested;
    int fatal;

    iss_host_t host;
    unsigned dmi_count;
    unsigned dmi_hot; /* index of the region that satisfied the last lookup */
    iss_dmi_t dmi[ISS_MAX_DMI];

    /* DMI regions set aside while a load/store trigger is armed (debug.c): accesses then
     * take the callback path, where triggers are checked. */
    int dmi_parked;
    unsigned dmi_parked_count;
    iss_dmi_t dmi_park[ISS_MAX_DMI];

    /* PMP registers (pmp.c): kept with WARL values, not enforced */
    uint8_t pmpcfg[ISS_PMP_ENTRIES];
    uint32_t pmpaddr[ISS_PMP_ENTRIES];

    /* Debug support (debug.c) */
    uint64_t traps;        /* traps taken since creation (iss_steps) */
    /* The first trap of the current chain of traps with nothing retired in between: what a
     * trap loop overwrote in mepc/mcause/mtval (iss_trap_chain_origin). */
    int chain_valid;
    uint64_t chain_retired;
    uint32_t chain_mepc, chain_mcause, chain_mtval;
    int ebreak_halts;      /* dcsr.ebreakm */
    int irq_inhibit;       /* dcsr.stepie = 0 during a debugger's single step */
    int debug_halt;        /* a data trigger asked to halt after the current instruction */
    iss_halt_t halt;
    unsigned tselect;
    uint32_t tdata1[ISS_TRIGGERS], tdata2[ISS_TRIGGERS];
    int exec_triggers;     /* some trigger watches execution */
    int data_triggers;     /* some trigger watches loads or stores */

    /* Tracing (execute_traced.c): iss_run takes the traced loop while `tracing` is set. */
    int tracing;
    iss_trace_t trace;

    iss_decoded_t dcache[ISS_DCACHE_SIZE];
    uint64_t code_lines[ISS_LINE_WORDS];
};

/* --- memory.c --- */

/* Host pointer for an aligned access of size bytes at addr, or NULL when no DMI region with
 * the needed permission covers it. Inline because every load and store starts here. */
static inline uint8_t *iss_dmi_lookup(iss_core_t *c, uint32_t addr, unsigned perm)
{
    /* Try the region that hit last first: code, stack and data usually sit in one or two
     * regions, so this is almost always a single compare. Unused entries have size 0. */
    const iss_dmi_t *r = &c->dmi[c->dmi_hot];
    if (ISS_LIKELY((uint32_t)(addr - r->base) < r->size && (r->perm & perm) == perm))
        return r->ptr + (addr - r->base);
    for (unsigned i = 0; i < c->dmi_count; i++) {
        r = &c->dmi[i];
        /* Regions and accesses are aligned, so addr inside means the whole access is. */
        if ((uint32_t)(addr - r->base) < r->size && (r->perm & perm) == perm) {
            c->dmi_hot = i;
            return r->ptr + (addr - r->base);
        }
    }
    return NULL;
}

/* Slow paths through the callbacks. They return 0 on success or the trap cause; a fatal
 * callback result is latched in c->fatal and reported as an access fault to keep the
 * caller simple (the run loop stops before the guest can see it). */
int iss_mem_load_slow(iss_core_t *c, uint32_t addr, unsigned size, uint32_t *value,
                      iss_access_t kind);
int iss_mem_store_slow(iss_core_t *c, uint32_t addr, unsigned size, uint32_t value);

/* Drops decoded instructions whose bytes overlap the code line holding addr. */
void iss_code_line_written(iss_core_t *c, uint32_t addr);

static inline int iss_is_code_line(const iss_core_t *c, uint32_t addr)
{
    uint32_t line = addr >> ISS_LINE_SHIFT;
    return (int)((c->code_lines[line >> 6] >> (line & 63u)) & 1u);
}

void iss_flush_dcache(iss_core_t *c);

/* --- decode.c / compressed.c --- */

/* Fills d for the instruction at pc, fetching through DMI or the load callback. Returns 0,
 * or the fetch trap cause with *tval set to the faulting address. */
int iss_decode_at(iss_core_t *c, uint32_t pc, iss_decoded_t *d, uint32_t *tval);

/* Decodes a 32-bit instruction word into d (no pc or len). */
void iss_decode32(uint32_t insn, iss_decoded_t *d);

/* Expands a 16-bit RVC instruction to the equivalent 32-bit word, or returns 0 for a
 * reserved/illegal encoding (0 is itself an illegal 32-bit word). */
uint32_t iss_expand_compressed(uint16_t insn);

/* --- execute.c / execute_traced.c --- */

/* The interpreter loop without and with trace reports (the same source, execute.c). */
iss_stop_t iss_run_plain(iss_core_t *core, uint64_t budget);
iss_stop_t iss_run_traced(iss_core_t *core, uint64_t budget);

/* --- csr.c --- */

/* Executes a Zicsr instruction's CSR access. Returns 0 or CAUSE_ILLEGAL. `writes` says
 * whether the instruction writes at all (csrrs/c with x0 or uimm 0 do not, so they may read
 * read-only CSRs). */
int iss_csr_access(iss_core_t *c, uint32_t csr, iss_op_t op, uint32_t operand, int writes,
                   uint32_t *old);
int iss_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value);

/* --- pmp.c --- */

/* pmpcfg0-3 and pmpaddr0-15: return 0 when csr is one of them, else -1. */
int iss_pmp_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value);
int iss_pmp_csr_write(iss_core_t *c, uint32_t csr, uint32_t value);
void iss_pmp_reset(iss_core_t *c);

/* --- debug.c --- */

/* CSR file hooks for tselect/tdata1/tdata2/tdata3/tinfo. */
int iss_trigger_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value);
int iss_trigger_csr_write(iss_core_t *c, uint32_t csr, uint32_t value, int debugger);

/* Index of an execute trigger matching pc, or -1 (called when decoding, only while
 * exec_triggers is set). */
int iss_trigger_match_execute(const iss_core_t *c, uint32_t pc);

/* Checks load/store triggers for an access through the callbacks (only while data_triggers
 * is set). Returns CAUSE_BREAKPOINT when a firmware trigger fires before the access, or 0;
 * a debugger trigger lets the access happen and arranges a halt after the instruction. */
int iss_trigger_check_data(iss_core_t *c, uint32_t addr, unsigned size, int store);

/* Back to reset: no trigger armed, tselect 0, no pending halt. */
void iss_debug_reset(iss_core_t *c);

/* Parks (on != 0) or restores the DMI regions; see dmi_parked. */
void iss_dmi_park(iss_core_t *c, int on);

/* --- amo.c --- */

/* Executes an LR/SC/AMO. Returns 0 or the trap cause with *tval set. */
int iss_exec_amo(iss_core_t *c, const iss_decoded_t *d, uint32_t *tval);

/* --- trap.c --- */

/* Enters the trap handler for a synchronous exception at the current pc. */
void iss_take_exception(iss_core_t *c, uint32_t cause, uint32_t tval);

/* Takes the highest-priority enabled pending interrupt, if any; returns 1 if it did. */
int iss_take_interrupt(iss_core_t *c);

void iss_mret(iss_core_t *c);

#endif /* ANT_ISS_INTERNAL_H */
